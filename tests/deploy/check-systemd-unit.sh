#!/usr/bin/env bash
# The systemd unit parses and its exposure score stays at 2.0 or lower.
set -euo pipefail
unit=${1:?usage: check-systemd-unit.sh UNIT_FILE}
command -v systemd-analyze >/dev/null || { echo "FAIL: systemd-analyze is missing (package systemd)"; exit 1; }
out=$(systemd-analyze security --offline=yes "$unit" 2>&1)
score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$out")
[[ -n $score ]] || { echo "FAIL: no exposure score in:"; echo "$out"; exit 1; }
echo "exposure $score"
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || { echo "FAIL: exposure $score > 2.0"; exit 1; }
