#!/usr/bin/env bash
# Runs the benchmarks and prints their figures (DESIGN §7). Needs ../shared beside the checkout.
#   tests/bench/run.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
shared=$(realpath ../shared)
[[ -d $shared/fixtures ]] || { echo "run.sh: ../shared/fixtures is missing" >&2; exit 1; }
cmake --build "$build" --target aggregate_bench >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== aggregation: 5,000 executors x 20,000 stages (target: total <= 2x parse, peak <= 3x JSON)"
"$build/bin/aggregate_bench" generate "$shared" "$work/run.json"
best() { # the fastest of 3 runs of one mode
    for _ in 1 2 3; do "$build/bin/aggregate_bench" "$1" "$work/run.json"; done |
        sort -t= -k5 -n | head -1
}
parse=$(best parse)
agg=$(best aggregate)
echo "$parse"
echo "$agg"
python3 - "$parse" "$agg" <<'PY'
import sys
f = lambda line: dict(kv.split("=") for kv in line.split())
p, a = f(sys.argv[1]), f(sys.argv[2])
size = int(a["json_bytes"])
print(f"json {size/1e6:.1f} MB; parse alone {float(p['total_s']):.3f} s; "
      f"parse+normalise+aggregate {float(a['total_s']):.3f} s = {float(a['total_s'])/float(p['total_s']):.2f}x parse; "
      f"peak RSS {int(a['peak_rss_bytes'])/1e6:.1f} MB = {int(a['peak_rss_bytes'])/size:.2f}x JSON "
      f"(parse alone {int(p['peak_rss_bytes'])/size:.2f}x)")
PY
