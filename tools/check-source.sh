#!/usr/bin/env bash
# Source rules that a compiler does not check; run by the test suite (ctest label "lint").
#   tools/check-source.sh [SOURCE_DIR]
# 1. No detached coroutines outside daemon/: work nobody waits for swallows its exceptions and
#    outlives its owner. Plugins spawn background work in a spot::TaskGroup, which stop() joins.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
status=0
if hits=$(grep -rnE --include='*.cpp' --include='*.hpp' --include='*.h' '\bdetached\b' \
        core plugins tests tools | grep -vE '^[^:]+:[0-9]+:\s*(//|\*|/\*)'); then
    echo "detached work outside daemon/ (use spot::TaskGroup, see core/include/spot/task_group.hpp):"
    echo "$hits"
    status=1
fi
exit $status
