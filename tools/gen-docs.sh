#!/usr/bin/env bash
# Regenerates docs/configuration.md and the options block of every plugin README from the
# option declarations compiled into the plugins. Run through `cmake --build build --target docs`.
set -euo pipefail
src=${1:?usage: gen-docs.sh SOURCE_DIR}
spotd=${SPOTD:?set SPOTD to the spotd binary}

"$spotd" reference > "$src/docs/configuration.md"

for readme in "$src"/plugins/*/*/README.md; do
    name=$(basename "$(dirname "$readme")")
    block=$("$spotd" describe "$name" --format md)
    python3 - "$readme" "$block" <<'PY'
import sys, re
path, block = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
new = re.sub(r"<!-- spot:options -->\n.*?<!-- /spot:options -->",
             lambda _: "<!-- spot:options -->\n" + block + "\n<!-- /spot:options -->",
             text, flags=re.S)
if "<!-- spot:options -->" not in text:
    sys.exit(f"{path}: no <!-- spot:options --> block")
open(path, "w", encoding="utf-8").write(new)
PY
done
echo "gen-docs: docs/configuration.md and $(ls "$src"/plugins/*/*/README.md | wc -l) plugin READMEs updated"
