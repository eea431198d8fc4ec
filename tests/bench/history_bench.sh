#!/usr/bin/env bash
# Crawl throughput against one real History Server 3.5.9 (DESIGN §7): `spotd --once` with the
# history source and the file sink, against the server's own ceiling, measured the same way on a
# freshly started (cold) server: a plain concurrent client (curl through xargs -P) pulling the
# same list and the same per-attempt endpoints. Prints both rates, their ratio, spotd's CPU per
# run and peak memory.
#   tests/bench/history_bench.sh [BUILD_DIR] [MIN_RUNS=220] [CONCURRENCY=8]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build} want=${2:-220} conc=${3:-8}
shared=$(realpath ../shared)
[[ -d $shared/fixtures ]] || { echo "history_bench: ../shared/fixtures is missing" >&2; exit 1; }
cmake --build "$build" --target spotd spot_plugins >/dev/null
work=$(mktemp -d)
trap 'tests/integration/shs.sh stop "$work/shs.state" || true; rm -rf "$work"' EXIT

python3 tests/bench/make-shs-logs.py "$work/logs" "$want" \
    "$shared/fixtures/spark/spark-events" "$shared/fixtures/spark/generated"
expected=$(ls "$work/logs" | sed 's/_[0-9]*$//' | sort -u | wc -l)

start_cold() {
    tests/integration/shs.sh stop "$work/shs.state"
    tests/integration/shs.sh start "$work/logs" "$work/shs.state" >/dev/null
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

start_cold
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
    aggregators:
      - plugin: spot-aggregate
    sinks:
      - plugin: file
        dir: $work/out
        fsync: false
YAML
/usr/bin/time -f "%e %U %S %M" -o "$work/time" "$build/bin/spotd" --once --config "$work/spot.yaml" \
    >"$work/spotd.log" 2>&1 || { echo "spotd failed:"; tail -20 "$work/spotd.log"; exit 1; }
read -r wall user sys rss_kb <"$work/time"
landed=$(grep -c . "$work/out/agg.jsonl" || true)
runs=$(python3 -c "import json; print(len({json.loads(l)['_source']['id'] for l in open('$work/out/agg.jsonl')}))")
python3 - "$expected" "$requests" "$t0" "$t1" "$runs" "$landed" "$wall" "$user" "$sys" "$rss_kb" "$conc" <<'PY'
import sys
n, reqs, t0, t1, runs, docs, wall, user, sys_s, rss, conc = sys.argv[1:]
n, reqs, runs, docs, conc = int(n), int(reqs), int(runs), int(docs), int(conc)
ceiling_s = float(t1) - float(t0)
ceiling = n / ceiling_s
ours = runs / float(wall)
cpu = (float(user) + float(sys_s)) / max(runs, 1)
print(f"ceiling (curl, {conc} parallel): {n} runs, {reqs} detail requests + 1 list in {ceiling_s:.1f} s = {ceiling:.2f} runs/s")
print(f"spotd --once (history, concurrency {conc}): {runs} runs, {docs} agg documents in {float(wall):.1f} s = {ours:.2f} runs/s"
      f" = {100 * ours / ceiling:.0f}% of the ceiling (target >= 70%)")
print(f"spotd CPU {cpu * 1000:.1f} ms per run (reference: 220-250 ms; target <= 12 ms); peak RSS {int(rss) / 1024:.1f} MB")
if runs != n:
    print(f"WARNING: {n - runs} runs missing from spotd's output")
PY
