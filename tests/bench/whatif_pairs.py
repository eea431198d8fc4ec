#!/usr/bin/env python3
"""The what-if against real runs: pairs of runs of the same job (same input, cores per executor,
shuffle partitions and memory) at different executor counts, made by
../shared/tools/gen-recurring-corpus.py (pyspark local-cluster). For each ordered pair (A, B),
A's what-if predicts B's duration at B's executor count; the error is against B's measured
duration (both from the event logs, as spotd analyze reports them).

  tests/bench/whatif_pairs.py SPOTD CORPUS_DIR     (CORPUS_DIR holds manifest.jsonl and events/)

Prints one line per pair and the median absolute error.
"""
import collections
import json
import pathlib
import statistics
import subprocess
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    spotd, corpus = sys.argv[1], pathlib.Path(sys.argv[2])
    runs = [json.loads(l) for l in open(corpus / "manifest.jsonl") if l.strip()]
    runs = [r for r in runs if r.get("status") == "ok" and (corpus / "events" / r["log"]).exists()]
    out = subprocess.run([spotd, "analyze", "--format", "json"] +
                         [str(corpus / "events" / r["log"]) for r in runs],
                         capture_output=True, text=True, check=False).stdout
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
    print(f"pairs={len(errors)} median_abs_error={statistics.median(errors):.1%} "
          f"within_20%={sum(e <= 0.2 for e in errors)}/{len(errors)}")


if __name__ == "__main__":
    main()
