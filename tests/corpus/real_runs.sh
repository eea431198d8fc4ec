#!/usr/bin/env bash
# The corpus generator still makes real runs: one small run of every job type of tools/corpus on
# the pyspark 3.5.9 the suite installs (tests/integration/shs.sh), then spotd reads the logs
# (eventlog source, file sink) and each run must be there under its job's name, with the input
# bytes its prepared parquet files give (the reason inputs are prepared beforehand).
#   real_runs.sh SPOTD WORK_DIR
set -euo pipefail
here=$(dirname "$(realpath "$0")")
src=$(realpath "$here/../..")
spotd=${1:?usage: real_runs.sh SPOTD WORK_DIR} work=$(realpath -m "${2:?}")
source "$src/tests/integration/common.sh"
"$src/tests/integration/shs.sh" install
python=${SPOT_CACHE:-$HOME/.cache/spot}/pyspark-3.5.9/bin/python
rm -rf "$work" && mkdir -p "$work"

jobs=(orders-etl sessionize udf-scoring lookup-enrich)
JAVA_HOME=$(java17) "$python" "$src/tools/corpus/generate.py" --out "$work/corpus" --work-dir "$work/scratch" \
    --jobs "${jobs[@]}" --levels 1 --scale 0.1 --grid-workers 1 --grid-cores 2 --grid-partitions 4 \
    --default-repeats 1 --timeout 300

cat >"$work/spot.yaml" <<YAML
state_dir: $work/state
log_format: text
admin_listen: ""
pipelines:
  corpus:
    source:
      plugin: eventlog
      dir: $work/corpus/events
    aggregators:
      - plugin: spot-aggregate
    sinks:
      - plugin: file
        dir: $work/out
YAML
"$spotd" --once --config "$work/spot.yaml"

python3 - "$work/corpus/manifest.jsonl" "$work/out/agg.jsonl" "${jobs[@]}" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
docs = {d["_source"]["id"]: d["_source"] for d in map(json.loads, open(sys.argv[2]))}
bad = []
if sorted(r["job"] for r in runs) != sorted(sys.argv[3:]):
    bad.append("job types run: %s" % sorted(r["job"] for r in runs))
for r in runs:
    d = docs.get(r["app_id"])
    if r["status"] != "ok" or d is None:
        bad.append("%s (%s): status %s, %s" % (r["run"], r["job"], r["status"], "stored" if d else "not stored"))
        continue
    read = d["attempt"]["aggs"]["allexecutors"]["executors"]["totalInputBytes"]["sum"]
    print("%-14s %-34s %6.1f s  input %7d bytes" % (r["job"], d["name"], r["job_seconds"], read))
    if d["name"] != r["app_name"]:
        bad.append("%s: stored as %r, planned %r" % (r["run"], d["name"], r["app_name"]))
    if not read > 0:
        bad.append("%s: no input bytes read (the prepared parquet files were not read)" % r["run"])
for b in bad:
    print("FAILED: " + b)
sys.exit(1 if bad else 0)
PY
