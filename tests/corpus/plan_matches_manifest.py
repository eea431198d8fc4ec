#!/usr/bin/env python3
"""A committed corpus can be regenerated: tools/corpus/generate.py, given the options in the
corpus's generate.args, plans exactly the runs its manifest.jsonl records (run ids, job types,
input rows, data seeds, executors, cores, partitions, memory), and every manifest run has its log.

    plan_matches_manifest.py CORPUS_DIR
"""
import json
import os
import shlex
import subprocess
import sys

KEYS = ["job", "app_name", "rows", "level", "repeat", "data_seed", "workers", "cores", "master",
        "shuffle_partitions", "executor_memory", "driver_memory", "seed", "scale"]


def main():
    corpus = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    generator = os.path.join(here, "..", "..", "tools", "corpus", "generate.py")
    args = shlex.split(open(os.path.join(corpus, "generate.args")).read())
    out = subprocess.run([sys.executable, generator, "--plan", "--out", "unused", "--work-dir", "unused"] + args,
                         check=True, capture_output=True, text=True).stdout
    planned = {r["run"]: r for r in map(json.loads, out.splitlines())}
    recorded = [json.loads(l) for l in open(os.path.join(corpus, "manifest.jsonl")) if l.strip()]
    problems = []
    if {r["run"] for r in recorded} != set(planned):
        problems.append("runs: manifest has %d, the plan %d" % (len(recorded), len(planned)))
    for r in recorded:
        p = planned.get(r["run"])
        if p is None:
            continue
        for k in KEYS:
            if p[k] != r[k]:
                problems.append("%s.%s: planned %r, recorded %r" % (r["run"], k, p[k], r[k]))
        if r["status"] != "ok" or not os.path.isfile(os.path.join(corpus, "events", r["log"] or "-")):
            problems.append("%s: status %s, log %s not in events/" % (r["run"], r["status"], r["log"]))
    for p in problems[:20]:
        print("MISMATCH " + p)
    print("%s: %d runs planned, %d recorded, %d mismatches" % (corpus, len(planned), len(recorded), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
