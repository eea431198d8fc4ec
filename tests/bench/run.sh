#!/usr/bin/env bash
# Runs the benchmarks and prints their figures (DESIGN §7).
#   tests/bench/run.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
fixtures=$PWD/tests/fixtures
cmake --build "$build" --target aggregate_bench >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== state: checkpoint cost per run as the state grows (target: flat)"
cmake --build "$build" --target state_bench >/dev/null
"$build/bin/state_bench" "$work/state"

echo "== event logs: a directory of 10,000 logs in one pass (target: at most 64 MB resident)"
python3 - "$fixtures/spark/spark-events/local-1426633911242" "$work/many" <<'PY'
import os, sys
src = open(sys.argv[1]).read()
os.makedirs(sys.argv[2])
for i in range(10000):  # the same small real log under 10,000 application ids
    app = f"local-{1426533911241 + i + 1}"
    open(os.path.join(sys.argv[2], app), "w").write(src.replace("local-1426533911241", app))
PY
cat >"$work/many.yaml" <<YAML
state_dir: $work/many-state
admin_listen: ""
pipelines:
  many:
    source: {plugin: eventlog, dir: $work/many}
    aggregators: [{plugin: spot-aggregate}]
    sinks: [{plugin: file, dir: $work/many-out}]
YAML
cmake --build "$build" --target spotd spot_plugins >/dev/null
/usr/bin/time -f "%e %M" -o "$work/many.time" "$build/bin/spotd" --once --config "$work/many.yaml" >/dev/null 2>&1
read -r secs kb <"$work/many.time"
echo "10,000 logs: $(wc -l <"$work/many-out/agg.jsonl") runs in $secs s, peak RSS $((kb / 1024)) MB"
rm -rf "$work/many" "$work/many-out"

echo "== aggregation: 5,000 executors x 20,000 stages (target: total <= 2x parse, peak <= 3x JSON)"
"$build/bin/aggregate_bench" generate "$fixtures" "$work/run.json"
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

echo
echo "== event logs: parse speed (target >= 200 MB/s per core, >= 10x the History Server's first answer)"
cmake --build "$build" --target eventlog_bench >/dev/null
largest=$fixtures/spark/generated/local-1795645014273
"$build/bin/eventlog_bench" parse "$largest"
mkdir -p "$work/logs"
"$build/bin/eventlog_bench" generate "$largest" "$work/logs/local-1795645014273" 1024
ours=$("$build/bin/eventlog_bench" parse "$work/logs/local-1795645014273")
echo "$ours"
echo "-- History Server 3.5.9, cold start on the same 1 GiB log, until its first answer on /stages"
start=$(date +%s.%N)
tests/integration/shs.sh start "$work/logs" "$work/shs.state" >/dev/null
port=$(sed -n 's/port=\([0-9]*\).*/\1/p' "$work/shs.state")
until curl -sf "http://127.0.0.1:$port/api/v1/applications/local-1795645014273/stages" >/dev/null; do sleep 0.5; done
end=$(date +%s.%N)
tests/integration/shs.sh stop "$work/shs.state"
python3 - "$ours" "$start" "$end" <<'PY'
import sys
f = dict(kv.split("=") for kv in sys.argv[1].split())
shs = float(sys.argv[3]) - float(sys.argv[2])
print(f"eventlog: {float(f['mb_per_cpu_s']):.0f} MB/s per core, {float(f['wall_s']):.2f} s, peak RSS "
      f"{float(f['peak_rss_mb']):.1f} MB; History Server: {shs:.1f} s to its first /stages answer "
      f"= {shs / float(f['wall_s']):.0f}x slower")
PY


echo
echo "== run analysis: cost next to the aggregation it extends (target: <= 25% more), 1 GiB log"
echo "   timings kept for the what-if: task_timings / timings_mb above (target: <= 64 MB more resident)"
"$build/bin/eventlog_bench" analyze "$largest"
"$build/bin/eventlog_bench" analyze "$work/logs/local-1795645014273"

echo
echo "== regression and setter: the recurring-job corpus (90 real runs), agg documents by spotd"
cmake --build "$build" --target regression_bench spotd spot_plugins >/dev/null
cat >"$work/corpus.yaml" <<EOF
state_dir: $work/corpus-state
admin_listen: ""
pipelines:
  corpus:
    source: {plugin: eventlog, dir: $PWD/tests/fixtures/recurring-corpus/events}
    aggregators: [{plugin: spot-aggregate}, {plugin: analyze}]
    sinks: [{plugin: file, dir: $work/corpus-out}]
EOF
"$build/bin/spotd" --once --config "$work/corpus.yaml" >/dev/null 2>&1
"$build/bin/regression_bench" "$work/corpus-out/agg.jsonl"
echo "-- the analysis what-if against pairs of runs that differ only in executors (target: <= 20%)"
echo "   the recurring corpus (CPU-bound jobs; on 2 cores more executors cannot mean more CPU):"
python3 tests/bench/whatif_pairs.py "$build/bin/spotd" tests/fixtures/recurring-corpus | tail -1
echo "   the what-if pairs corpus (a job whose tasks wait on a service; slots are what limits it):"
python3 tests/bench/whatif_pairs.py "$build/bin/spotd" tests/fixtures/whatif-pairs | tail -1

echo
tests/bench/history_bench.sh "$build" 520 8
for product in opensearch opensearch3 elasticsearch elasticsearch9; do
    tests/bench/es_bench.sh "$build" 20000 "$product" 2 200
done
