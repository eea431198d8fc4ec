#!/usr/bin/env python3
"""The what-if against real runs: pairs of runs of the same job (same input, cores per executor,
shuffle partitions and memory) at different executor counts, made by
tools/corpus/generate.py (pyspark local-cluster). For each ordered pair (A, B),
A's what-if predicts B's duration at B's executor count; the error is against B's measured
duration (both from the event logs, as spotd analyze reports them).

  tests/bench/whatif_pairs.py SPOTD CORPUS_DIR [MAX_MEDIAN]
      CORPUS_DIR holds manifest.jsonl and events/

Prints one line per pair and the median absolute error; with MAX_MEDIAN (0.2 for 20%), exits 1
when the median error is above it.
"""
import collections
import json
import pathlib
import statistics
import subprocess
import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    spotd, corpus = sys.argv[1], pathlib.Path(sys.argv[2])
    runs = [json.loads(l) for l in open(corpus / "manifest.jsonl") if l.strip()]
    runs = [r for r in runs if r.get("status") == "ok" and (corpus / "events" / r["log"]).exists()]
    done = subprocess.run([spotd, "analyze", "--format", "json"] +
                          [str(corpus / "events" / r["log"]) for r in runs],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"whatif_pairs.py: spotd analyze exited {done.returncode}: {done.stderr}")
    out = done.stdout
    analysis = {}
    for line in out.splitlines():
        o = json.loads(line)
        analysis[pathlib.Path(o["file"]).name] = (o["duration"], o["analysis"]["whatif"])
    groups = collections.defaultdict(list)
    for r in runs:
        key = (r["job"], r["rows"], r["cores"], r.get("shuffle_partitions"), r.get("executor_memory"))
        groups[key].append(r)
    errors = []
    for key, members in sorted(groups.items(), key=lambda kv: str(kv[0])):
        for a in members:
            for b in members:
                if a["workers"] == b["workers"] or a["log"] not in analysis or b["log"] not in analysis:
                    continue
                _, whatif = analysis[a["log"]]
                actual_b, _ = analysis[b["log"]]
                if not whatif.get("available"):
                    continue
                points = [p for p in whatif["points"] if p["executors"] == b["workers"]]
                if not points or not actual_b:
                    continue
                predicted = points[0]["duration_ms"]
                err = (predicted - actual_b) / actual_b
                errors.append(abs(err))
                print(f"{key[0]:12} rows={key[1]:<8} cores={key[2]} sp={key[3]}: "
                      f"{a['run']} ({a['workers']} executors, {whatif['executors_used']} used) -> "
                      f"{b['run']} ({b['workers']}): predicted {predicted / 1000:6.1f} s, "
                      f"measured {actual_b / 1000:6.1f} s, error {err:+.1%}")
    if not errors:
        sys.exit("whatif_pairs.py: no pair of runs that differ only in executors")
    median = statistics.median(errors)
    print(f"pairs={len(errors)} median_abs_error={median:.1%} "
          f"within_20%={sum(e <= 0.2 for e in errors)}/{len(errors)}")
    if len(sys.argv) == 4 and median > float(sys.argv[3]):
        sys.exit(f"whatif_pairs.py: median error {median:.1%} is above {float(sys.argv[3]):.0%}")


if __name__ == "__main__":
    main()
