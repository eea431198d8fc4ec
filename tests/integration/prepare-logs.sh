#!/usr/bin/env bash
# Lays out the event logs the History Server and the eventlog source read in the integration
# tests: links to the fixture logs of tests/fixtures/spark (upstream logs and logs of real Spark 3.5.9 jobs) and to the
# logs of real Spark jobs this project runs itself (spark-runs.py, local-cluster[2,1,1024]). Those
# are made once per version of the script and kept under ${SPOT_CACHE:-~/.cache/spot}.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
fixtures=${1:?usage: prepare-logs.sh FIXTURES_DIR OUT_DIR} out=${2:?}
[[ -d $fixtures/spark ]] || { echo "FAIL: fixtures missing at $fixtures/spark"; exit 1; }
cache=${SPOT_CACHE:-$HOME/.cache/spot}
runs=$cache/spark-runs-$(sha256sum "$here/spark-runs.py" | cut -c1-12)
if [[ ! -f $runs/.complete ]]; then
    echo "running real Spark jobs for the tests (once per version of spark-runs.py) into $runs"
    rm -rf "$runs"
    "$here/shs.sh" runs "$runs"
    touch "$runs/.complete"
fi
rm -rf "$out" && mkdir -p "$out"
for f in "$fixtures"/spark/spark-events/* "$fixtures"/spark/generated/* "$runs"/*; do
    ln -s "$(realpath "$f")" "$out/$(basename "$f")"
done
echo "$(ls "$out" | wc -l) logs linked into $out"
