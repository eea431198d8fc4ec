#!/usr/bin/env python3
"""Prints a readable summary of the aggregated documents in a file sink's directory:
runs per job, duration, core-hours, estimated efficiency and speedup, the least efficient runs,
and (when the analyze aggregator ran) the worst runs with their main findings.

  tools/summarize.py spot-state/out
"""
import collections
import json
import pathlib
import sys


def load(directory):
    docs = []
    for path in sorted(pathlib.Path(directory).glob("agg*.jsonl")):
        with open(path, encoding="utf-8") as f:
            docs.extend(json.loads(line)["_source"] for line in f if line.strip())
    return docs


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    docs = load(sys.argv[1])
    if not docs:
        sys.exit(f"summarize.py: no agg*.jsonl documents in {sys.argv[1]}")
    jobs = collections.defaultdict(list)
    for d in docs:
        jobs[d.get("name", "?")].append(d)
    print(f"{len(docs)} run attempt(s) of {len(jobs)} job(s)\n")
    print(f"{'job':32} {'runs':>4} {'avg s':>8} {'core-h':>8} {'efficiency':>10} {'speedup':>8}")
    rows = []
    for name, runs in sorted(jobs.items()):
        dur = [r["attempt"].get("duration", 0) / 1000 for r in runs]
        summaries = [r["attempt"]["aggs"].get("summary", {}) for r in runs]
        core_h = sum(s.get("core_cost", 0) for s in summaries) / 3.6e6
        eff = [s["estimated_core_efficiency"] for s in summaries if "estimated_core_efficiency" in s]
        spd = [s["estimated_speedup"] for s in summaries if "estimated_speedup" in s]
        fmt = lambda xs: f"{sum(xs) / len(xs):.2f}" if xs else "-"
        print(f"{name[:32]:32} {len(runs):>4} {sum(dur) / len(dur):>8.1f} {core_h:>8.4f} "
              f"{fmt(eff):>10} {fmt(spd):>8}")
        for r, s in zip(runs, summaries):
            if "estimated_core_efficiency" in s:
                rows.append((s["estimated_core_efficiency"], r["id"], name))
    if rows:
        print("\nleast efficient runs (share of allocated core time spent in tasks):")
        for eff, app_id, name in sorted(rows)[:5]:
            print(f"  {eff:6.1%}  {app_id}  {name}")
    analysed = [d for d in docs if "analysis" in d["attempt"]]
    if analysed:
        print("\nworst runs (attempt.analysis: severity, score, findings at moderate or worse):")
        ranked = sorted(analysed, key=lambda d: (-d["attempt"]["analysis"]["severity_value"],
                                                 -d["attempt"]["analysis"]["score"]))
        for d in ranked[:5]:
            a = d["attempt"]["analysis"]
            print(f"  {a['severity']:8} {a['score']:>6}  {d['id']}  {d.get('name', '?')[:32]}")
            for f in a["findings"]:
                if f["severity_value"] >= 2:
                    print(f"      {f['heuristic']}: {f['explanation']}")
    no_summary = sum(1 for d in docs if "summary" not in d["attempt"]["aggs"])
    if no_summary:
        print(f"\n{no_summary} attempt(s) without a summary (no executor besides the driver, "
              "e.g. local mode)")


if __name__ == "__main__":
    main()
