#!/usr/bin/env bash
# Crawl throughput against one real History Server 3.5.9 (DESIGN §7), each measurement on a
# freshly started (cold) server: the server's own ceiling (a plain concurrent client, curl through
# xargs -P, pulling the list and every attempt's environment/allexecutors/stages), then
# `spotd --once` with the history source and the file sink, details from the REST endpoints
# (`details: rest`) and from the downloaded logs (`details: logs`). Prints the rates, their
# ratios, spotd's CPU per run and peak memory.
#   tests/bench/history_bench.sh [BUILD_DIR] [MIN_RUNS=520] [CONCURRENCY=8]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build} want=${2:-520} conc=${3:-8}
fixtures=$PWD/tests/fixtures
cmake --build "$build" --target spotd spot_plugins >/dev/null
work=$(mktemp -d)
trap 'tests/integration/shs.sh stop "$work/shs.state" || true; rm -rf "$work"' EXIT

python3 tests/bench/make-shs-logs.py "$work/logs" "$want" \
    "$fixtures/spark/spark-events" "$fixtures/spark/generated"
expected=$(ls "$work/logs" | sed 's/_[0-9]*$//' | sort -u | wc -l)

# The server as deployed: Spark's default UI cache (50 applications) in its default 1 GiB heap.
# (The test suite's server keeps 1000 UIs; with 528 runs that fills the heap and the server
# crawls in garbage collection at a third of its speed.)
start_cold() {
    tests/integration/shs.sh stop "$work/shs.state"
    SHS_RETAINED_APPS=50 tests/integration/shs.sh start "$work/logs" "$work/shs.state" >/dev/null
    port=$(sed -n 's/port=\([0-9]*\).*/\1/p' "$work/shs.state")
    # The server scans the folder in the background: wait until it lists every run.
    until [[ $(curl -sf "http://127.0.0.1:$port/api/v1/applications?status=completed" |
               python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -ge $expected ]]; do
        sleep 1
    done
}

echo "== crawl: $expected runs on one History Server 3.5.9, cold, concurrency $conc"
start_cold
base=http://127.0.0.1:$port/api/v1
t0=$(date +%s.%N)
curl -sf "$base/applications?status=completed" >"$work/list.json"
python3 - "$work/list.json" "$base" >"$work/urls" <<'PY'
import json, sys
base = sys.argv[2]
for app in json.load(open(sys.argv[1])):
    for a in app["attempts"]:
        path = f"{base}/applications/{app['id']}" + (f"/{a['attemptId']}" if "attemptId" in a else "")
        for part in ("environment", "allexecutors", "stages"):
            print(f"{path}/{part}")
PY
xargs -P "$conc" -n 1 curl -s -w "%{http_code}\n" -o /dev/null <"$work/urls" >"$work/codes"
t1=$(date +%s.%N)
bad=$(grep -vc "^200$" "$work/codes" || true)
[[ $bad == 0 ]] || echo "WARNING: $bad of the ceiling client's requests did not answer 200: $(sort "$work/codes" | uniq -c | tr "\n" " ")"
requests=$(wc -l <"$work/urls")

# spotd --once with details: $1; prints "runs docs wall user sys rss_kb".
crawl() {
    start_cold
    rm -rf "$work/state" "$work/out"
    cat >"$work/spot.yaml" <<YAML
state_dir: $work/state
admin_listen: ""
log_level: warn
pipelines:
  bench:
    concurrency: $conc
    source:
      plugin: history
      url: http://127.0.0.1:$port
      lookback: 36500d
      time_step: 3650d
      completion_timeout: 0s
      concurrency: $conc
      max_connections: $conc
      details: $1
    aggregators:
      - plugin: spot-aggregate
    sinks:
      - plugin: file
        dir: $work/out
        fsync: false
YAML
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$build/bin/spotd" --once --config "$work/spot.yaml" \
        >"$work/spotd.log" 2>&1 || { echo "spotd failed:" >&2; tail -20 "$work/spotd.log" >&2; exit 1; }
    local docs runs
    docs=$(grep -c . "$work/out/agg.jsonl" || true)
    runs=$(python3 -c "import json; print(len({json.loads(l)['_source']['id'] for l in open('$work/out/agg.jsonl')}))")
    [[ ! -s $work/out/err.jsonl ]] || echo "WARNING: details: $1 wrote $(wc -l <"$work/out/err.jsonl") err documents" >&2
    echo "$runs $docs $(cat "$work/time")"
}
rest=$(crawl rest)
logs=$(crawl logs)
python3 - "$expected" "$requests" "$t0" "$t1" "$conc" "$rest" "$logs" <<'PY'
import sys
n, reqs, t0, t1, conc, rest, logs = sys.argv[1:]
n, reqs, conc = int(n), int(reqs), int(conc)
ceiling_s = float(t1) - float(t0)
ceiling = n / ceiling_s
print(f"ceiling (curl, {conc} parallel, REST endpoints): {n} runs, {reqs} detail requests + 1 list in {ceiling_s:.1f} s = {ceiling:.2f} runs/s")
rates = {}
for mode, line in (("rest", rest), ("logs", logs)):
    runs, docs, wall, user, sys_s, rss = line.split()
    runs, wall = int(runs), float(wall)
    rate = runs / wall
    rates[mode] = rate
    cpu = (float(user) + float(sys_s)) / max(runs, 1)
    print(f"spotd --once details: {mode} (concurrency {conc}): {runs} runs, {docs} agg documents in {wall:.1f} s = {rate:.2f} runs/s"
          f" = {rate / ceiling:.2f}x the ceiling; CPU {cpu * 1000:.1f} ms per run; peak RSS {int(rss) / 1024:.1f} MB")
    if runs != n:
        print(f"WARNING: {n - runs} runs missing from details: {mode}")
print(f"targets: rest >= 70% of the ceiling: {100 * rates['rest'] / ceiling:.0f}%; "
      f"CPU <= 12 ms per run (reference 220-250 ms); "
      f"logs >= 30 runs/s (20x the reference's 1.3-1.5): {rates['logs']:.1f} runs/s = {rates['logs'] / 1.5:.0f}x; "
      f"logs >= 5x the ceiling: {rates['logs'] / ceiling:.1f}x")
PY
