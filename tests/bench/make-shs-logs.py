#!/usr/bin/env python3
"""Replicates real event logs under new application ids, so that one History Server holds many
completed runs for the crawl benchmark.

    make-shs-logs.py OUT_DIR MIN_RUNS LOG_DIR...

Takes the plain single-file logs of each LOG_DIR (multi-attempt logs `<id>_<attempt>` stay
together), and writes copies with the application id replaced by `<id>r<k>` everywhere in the
file until at least MIN_RUNS applications exist. Prints the number of runs and bytes written.
"""
import json
import os
import re
import sys

out, want, dirs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
os.makedirs(out, exist_ok=True)
logs = []  # (path, app id, file-name suffix after the id)
for d in dirs:
    for name in sorted(os.listdir(d)):
        path = os.path.realpath(os.path.join(d, name))
        if not os.path.isfile(path) or "." in name:
            continue  # directories, compressed logs, .inprogress
        with open(path, encoding="utf-8", errors="replace") as f:
            app_id = None
            for line in f:
                if '"SparkListenerApplicationStart"' in line:
                    app_id = json.loads(line).get("App ID")
                    break
        if app_id and name.startswith(app_id):
            logs.append((path, app_id, name[len(app_id):]))
apps = sorted({a for _, a, _ in logs})
if not apps:
    sys.exit("make-shs-logs: no plain logs found")
runs = written = 0
k = 0
while runs < want:
    for app in apps:
        new = f"{app}r{k}"
        for path, a, suffix in logs:
            if a != app:
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read().replace(app, new)
            with open(os.path.join(out, new + suffix), "w", encoding="utf-8") as f:
                f.write(text)
            written += len(text)
        runs += 1
    k += 1
print(f"{runs} runs from {len(apps)} distinct logs, {written / 1e6:.1f} MB")
