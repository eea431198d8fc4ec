#!/usr/bin/env bash
# Indexing throughput of the elasticsearch sink into one real node (DESIGN §7), against the
# node's own ceiling: the same agg documents (real ones, from the fixture logs, replicated under
# new ids to at least MIN_DOCS) sent by curl as concurrent 500-document _bulk requests into an
# index with the same template. Prints both rates, their ratio, and the node's CPU time per
# document (its JVM's user+system time over each phase).
#   tests/bench/es_bench.sh [BUILD_DIR] [MIN_DOCS=20000] [PRODUCT=opensearch] [BULKS=2] [RUNS_IN_FLIGHT=64]
# PRODUCT: opensearch, opensearch3, elasticsearch or elasticsearch9 (tests/integration/search.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build} want=${2:-20000} product=${3:-opensearch} bulks=${4:-2} writers=${5:-64}
fixtures=$PWD/tests/fixtures
cmake --build "$build" --target spotd spot_plugins es_sink_bench >/dev/null
work=$(mktemp -d)
chmod 755 "$work"
trap 'tests/integration/search.sh stop "$work/node" >/dev/null || true; rm -rf "$work"' EXIT

# Real agg documents: the eventlog source over the fixture logs, into files.
mkdir -p "$work/logs" "$work/none"
for f in "$fixtures"/spark/spark-events/* "$fixtures"/spark/generated/*; do
    ln -s "$(realpath "$f")" "$work/logs/$(basename "$f")"
done
cat >"$work/docs.yaml" <<YAML
state_dir: $work/docs-state
admin_listen: ""
log_level: warn
pipelines:
  docs:
    source: {plugin: eventlog, dir: $work/logs}
    aggregators: [{plugin: spot-aggregate}]
    sinks: [{plugin: file, dir: $work/docs}]
YAML
"$build/bin/spotd" --once --config "$work/docs.yaml" >/dev/null 2>&1
base=$(wc -l <"$work/docs/agg.jsonl")

tests/integration/search.sh start "$product" "$work/node" >/dev/null
port=$(sed -n 's/port=\([0-9]*\).*/\1/p' "$work/node/state")
url=http://127.0.0.1:$port
# CPU seconds the node's JVMs have used (those whose command line names the node's home:
# Elasticsearch runs a launcher JVM beside the server's).
node_cpu() {
    local pids
    pids=$(pgrep -f -- "$(cat "$work/node/base")/node" | while read -r p; do
        [[ $(readlink "/proc/$p/exe") == */java ]] && echo "$p"; done)
    for p in $pids; do cat "/proc/$p/stat"; done |
        awk -v hz="$(getconf CLK_TCK)" '{ t += $14 + $15 } END { print t / hz }'
}
cat >"$work/sink.yaml" <<YAML
state_dir: $work/sink-state
admin_listen: ""
log_level: warn
pipelines:
  bench:
    source: {plugin: runfiles, dir: $work/none}
    sinks:
      - plugin: elasticsearch
        url: $url
        agg_index: bench_spot
        err_index: bench_err
        bulk_concurrency: $bulks
        replicas: "0"
YAML
echo "== elasticsearch sink: $product, $want+ agg documents ($base real ones replicated), $bulks bulk requests at once"
# Warm-up (JIT, first mappings), which also installs spotd's template; the ceiling's index gets
# the same template. Then the ceiling, then the sink, each into a fresh index.
sed 's/agg_index: bench_spot/agg_index: bench_warm/' "$work/sink.yaml" >"$work/warm.yaml"
"$build/bin/es_sink_bench" "$work/warm.yaml" "$work/docs/agg.jsonl" 2000 "$writers" >/dev/null 2>&1
curl -s "$url/_index_template/spot-bench_warm" | python3 -c '
import json, sys
t = json.load(sys.stdin)["index_templates"][0]["index_template"]
t = {k: t[k] for k in ("template", "priority")}  # Elasticsearch 9 adds dates it refuses back
t["index_patterns"] = ["bench_ceiling"]
print(json.dumps(t))' >"$work/template.json"
curl -s -XPUT -H 'Content-Type: application/json' "$url/_index_template/ceiling" --data-binary @"$work/template.json" >/dev/null
python3 - "$work/docs/agg.jsonl" "$want" "$work/bulk" <<'PY'
import json, os, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
want, out = int(sys.argv[2]), sys.argv[3]
os.makedirs(out)
n = k = part = 0
lines = []
while n < want:
    for d in docs:
        src = dict(d["_source"]); src["id"] = f"{src['id']}-r{k}"
        lines.append(json.dumps({"index": {"_index": "bench_ceiling", "_id": f"{d['_id']}-r{k}"}}))
        lines.append(json.dumps(src, separators=(",", ":")))
        n += 1
        if len(lines) == 1000:
            open(f"{out}/{part:05d}.ndjson", "w").write("\n".join(lines) + "\n"); part += 1; lines = []
    k += 1
if lines:
    open(f"{out}/{part:05d}.ndjson", "w").write("\n".join(lines) + "\n")
PY
c0=$(node_cpu)
t0=$(date +%s.%N)
ls "$work"/bulk/*.ndjson | xargs -P "$bulks" -I{} curl -s -o {}.answer -H 'Content-Type: application/x-ndjson' --data-binary @{} "$url/_bulk"
t1=$(date +%s.%N)
c1=$(node_cpu)
ceiling_count=$(curl -s -XPOST "$url/bench_ceiling/_refresh" >/dev/null; curl -s "$url/bench_ceiling/_count" | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')
spot=$("$build/bin/es_sink_bench" "$work/sink.yaml" "$work/docs/agg.jsonl" "$want" "$writers" 2>/dev/null)
c2=$(node_cpu)
spot_count=$(curl -s -XPOST "$url/bench_spot/_refresh" >/dev/null; curl -s "$url/bench_spot/_count" | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')
python3 - "$spot" "$t0" "$t1" "$ceiling_count" "$spot_count" "$bulks" "$c0" "$c1" "$c2" "$work/bulk" <<'PY'
import glob, json, sys
f = dict(kv.split("=") for kv in sys.argv[1].split())
ceiling_s = float(sys.argv[3]) - float(sys.argv[2])
ceiling = int(sys.argv[4]) / ceiling_s
ours = float(f["docs_per_s"])
print(f"ceiling (curl, {sys.argv[6]} x 500-document bulks at once): {sys.argv[4]} documents in {ceiling_s:.1f} s = {ceiling:.0f} docs/s")
print(f"spot sink ({f['writers']} runs in flight): {sys.argv[5]} documents stored, {f['docs']} sent in {float(f['seconds']):.1f} s = {ours:.0f} docs/s"
      f" = {100 * ours / ceiling:.0f}% of the ceiling (target >= 80%)")
c0, c1, c2 = map(float, sys.argv[7:10])
refused = {}
for path in glob.glob(sys.argv[10] + "/*.answer"):  # curl does not retry what the node refused
    for item in json.load(open(path)).get("items", []):
        result = next(iter(item.values()))
        status = result.get("status", 0)
        if status >= 300:
            refused[status] = refused.get(status, 0) + 1
            reason = result.get("error", {}).get("reason", "")[:160]
if refused:
    print("  the node refused documents sent by curl (not retried; the ceiling counts those stored):",
          ", ".join(f"{n} with HTTP {s}" for s, n in sorted(refused.items())) + f"; the last: {reason}")
print(f"node CPU per document: {1000 * (c1 - c0) / int(sys.argv[4]):.2f} ms under curl, "
      f"{1000 * (c2 - c1) / int(f['docs']):.2f} ms under the spot sink")
PY
