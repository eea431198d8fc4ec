#!/usr/bin/env bash
# Source rules that a compiler does not check; run by the test suite (ctest label "lint").
#   tools/check-source.sh [SOURCE_DIR]
# 1. No detached coroutines outside daemon/: work nobody waits for swallows its exceptions and
#    outlives its owner. Plugins spawn background work in a spot::TaskGroup, which stop() joins.
# 2. Every C++ file is laid out as .clang-format says (clang-format from Debian's packages).
# 3. The repository stands alone: no file reads or names a folder beside the checkout
#    (a sibling folder of shared fixtures); what the tests and benchmarks use is in tests/fixtures.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
status=0
if hits=$(grep -rnE --include='*.cpp' --include='*.hpp' --include='*.h' '\bdetached\b' \
        core plugins tests tools | grep -vE '^[^:]+:[0-9]+:\s*(//|\*|/\*)'); then
    echo "detached work outside daemon/ (use spot::TaskGroup, see core/include/spot/task_group.hpp):"
    echo "$hits"
    status=1
fi
# The pattern is built from two halves so that this file does not match itself.
beside='\.\./'"shared"
if hits=$(grep -rnIE --exclude-dir=.git --exclude-dir='build*' --exclude-dir=spot-state "$beside" .); then
    echo "files that name a folder beside the checkout (bring the data into tests/fixtures):"
    echo "$hits"
    status=1
fi
mapfile -t sources < <(find core plugins daemon tests tools -name '*.cpp' -o -name '*.hpp' -o -name '*.h')
if ! command -v clang-format >/dev/null; then
    echo "clang-format is missing (deploy/install-deps.sh installs it)"
    status=1
elif ! out=$(clang-format --dry-run --Werror "${sources[@]}" 2>&1); then
    echo "files that differ from .clang-format's layout (fix with: clang-format -i FILE):"
    grep -o '^[^:]*:[0-9]*:[0-9]*: error' <<<"$out" | cut -d: -f1 | sort -u
    status=1
fi
exit $status
