#!/usr/bin/env bash
# Lays out the event logs the History Server and the eventlog source read in the integration
# tests: links to the shared fixtures (upstream logs and logs of real Spark 3.5.9 jobs).
set -euo pipefail
shared=${1:?usage: prepare-logs.sh SHARED_DIR OUT_DIR} out=${2:?}
[[ -d $shared/fixtures/spark ]] || { echo "FAIL: shared fixtures missing at $shared/fixtures/spark"; exit 1; }
rm -rf "$out" && mkdir -p "$out"
for f in "$shared"/fixtures/spark/spark-events/* "$shared"/fixtures/spark/generated/*; do
    ln -s "$(realpath "$f")" "$out/$(basename "$f")"
done
echo "$(ls "$out" | wc -l) logs linked into $out"
