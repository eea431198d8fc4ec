#!/usr/bin/env python3
"""Makes a corpus of real Spark runs of recurring jobs: one Spark application per run, each with
its own driver JVM, one zstd event log per run, and a manifest line per run.

    tools/corpus/generate.py --out DIR --work-dir SCRATCH [options]      run the design
    tools/corpus/generate.py --out DIR --work-dir SCRATCH --plan [...]  print it, run nothing

The design is a full grid per job type: input levels (multiples of the job's smallest input) x
executors x cores per executor x shuffle partitions x executor memory, --repeats runs per point
and --default-repeats at the last value of every factor (the job's "default configuration"). All
points are run in one order shuffled by --seed, so that a drift of the machine over hours is not
confounded with any factor. The same --seed and options always plan the same runs (run ids,
parameters and data seeds): that is how a committed corpus is regenerated, and
tests/corpus/plan_matches_manifest.py checks it against the committed manifests.

Inputs are parquet files written once per (job, rows) by a preparation application that keeps no
event log, under SCRATCH/inputs/: the logged runs read real files, so their stages report input
bytes as a recurring production job's would. The job types are in jobs.py.

Output: DIR/events/<app id>.zstd, and DIR/manifest.jsonl: per run its parameters, the wall
seconds around the child process (JVM start included), the seconds inside it (session start, job),
the app id, the log's name and size, and a status (ok, failed, timeout). A run already "ok" in
the manifest is skipped, so a stopped generator resumes where it was. A run that fails or times
out leaves no log (an unfinished log is a censored sample) and is retried with --retry-failed.

Needs pyspark (3.5.9 made the committed corpora) and a Java 17:
    python3 -m venv V && V/bin/pip install pyspark==3.5.9
    JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 V/bin/python tools/corpus/generate.py ...
SCRATCH appears in the logs (spark.local.dir, java.io.tmpdir): keep it outside any user data.
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jobs  # noqa: E402

RESULT = "CORPUS_RESULT "


def design(args):
    """Every run of the grid, in the seeded order: (job, level, workers, cores, partitions,
    memory, repeat). The nesting and the shuffle's seed string fix the order: keep them."""
    default = (args.grid_workers[-1], args.grid_cores[-1], args.grid_partitions[-1], args.grid_memory[-1])
    points = []
    for job in args.jobs:
        for level in args.levels:
            for w in args.grid_workers:
                for c in args.grid_cores:
                    for sp in args.grid_partitions:
                        for mem in args.grid_memory:
                            n = max(args.repeats, args.default_repeats) if (w, c, sp, mem) == default else args.repeats
                            points += [(job, level, w, c, sp, mem, r) for r in range(n)]
    random.Random("grid/%s" % args.seed).shuffle(points)
    return points


def plan(args):
    runs = []
    for i, (job, level, w, c, sp, mem, rep) in enumerate(design(args)):
        app_name, smallest, _ = jobs.JOBS[job]
        rows = int(smallest * level * args.scale)
        runs.append({
            "run": "r%04d" % i, "index": i, "job": job, "app_name": app_name,
            "rows": rows, "level": level, "repeat": rep,
            # the same rows of a job get the same data, whichever run makes them
            "data_seed": random.Random("%s/%s/%d" % (args.seed, job, rows)).randint(1, 10**6),
            "input_dir": os.path.join("inputs", "%s-%d" % (job, rows)),
            "workers": w, "cores": c, "master": "local-cluster[%d,%d,1024]" % (w, c),
            "shuffle_partitions": sp, "executor_memory": mem, "driver_memory": "1g",
            "seed": args.seed, "scale": args.scale,
        })
    return runs


# ---- the parent: one child process per application ----------------------------------------

def spawn(run, args, events, scratch):
    """Runs one application in a child process; returns (status, rc, wall seconds, the child's
    result, the logs it wrote, its output)."""
    run_dir = os.path.join(scratch, run["run"])
    os.makedirs(os.path.join(run_dir, "jtmp"), exist_ok=True)
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable,
               SPARK_LOCAL_IP="127.0.0.1", PYTHONHASHSEED="0", TMPDIR=run_dir)
    env.setdefault("JAVA_HOME", args.java_home)
    child = dict(run, input_dir=os.path.join(scratch, run["input_dir"]))
    cmd = [sys.executable, os.path.abspath(__file__), "--child", json.dumps(child),
           "--out", events, "--work-dir", run_dir]
    before = set(os.listdir(events))
    started = time.time()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True, text=True)
    try:
        output, _ = proc.communicate(timeout=args.timeout)
        status = None
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the child, its driver JVM and the executor JVMs
        output, _ = proc.communicate()
        status = "timeout"
    wall = round(time.time() - started, 2)
    result = {}
    for line in output.splitlines():
        if line.startswith(RESULT):
            result = json.loads(line[len(RESULT):])
    new = sorted(set(os.listdir(events)) - before)
    if status is None:
        logged = any(not n.endswith(".inprogress") for n in new) or run.get("prepare")
        status = "ok" if proc.returncode == 0 and result and logged else "failed"
    if status != "ok":
        for n in new:
            os.remove(os.path.join(events, n))
        new = []
    shutil.rmtree(run_dir, ignore_errors=True)
    return status, proc.returncode, wall, result, new, output.replace(scratch, "<scratch>")


def prepare_inputs(run, args, events, scratch):
    marker = os.path.join(scratch, run["input_dir"], "_PREPARED")
    if os.path.exists(marker):
        return True
    print("  preparing %s" % run["input_dir"], flush=True)
    status, _, _, _, _, output = spawn(dict(run, prepare=True, run=run["run"] + "-prep"), args, events, scratch)
    if status != "ok":
        print(output[-2000:], file=sys.stderr)
        return False
    open(marker, "w").close()
    return True


def generate(args):
    out, scratch = os.path.abspath(args.out), os.path.abspath(args.work_dir)
    events = os.path.join(out, "events")
    os.makedirs(events, exist_ok=True)
    os.makedirs(scratch, exist_ok=True)
    manifest = os.path.join(out, "manifest.jsonl")
    done = {}
    if os.path.exists(manifest):
        for line in open(manifest):
            if line.strip():
                e = json.loads(line)
                done[e["run"]] = e
    runs = plan(args)
    print("%d runs planned, %d already ok" % (len(runs), sum(e["status"] == "ok" for e in done.values())), flush=True)
    started, ok, bad = time.time(), 0, 0
    for run in runs:
        earlier = done.get(run["run"])
        if earlier and (earlier["status"] == "ok" or not args.retry_failed):
            continue
        if args.budget_seconds and time.time() - started > args.budget_seconds:
            print("budget of %ss spent; stopping before %s" % (args.budget_seconds, run["run"]))
            break
        print("[%s] %s rows=%d %s partitions=%d memory=%s" % (run["run"], run["job"], run["rows"], run["master"],
              run["shuffle_partitions"], run["executor_memory"]), flush=True)
        if not prepare_inputs(run, args, events, scratch):
            return 1
        status, rc, wall, result, logs, output = spawn(run, args, events, scratch)
        entry = dict(run, status=status, rc=rc, wall_seconds=wall,
                     session_start_seconds=result.get("session_start_seconds"),
                     job_seconds=result.get("job_seconds"), output_rows=result.get("output_rows"),
                     app_id=result.get("app_id"), log=logs[0] if logs else None,
                     bytes=sum(os.path.getsize(os.path.join(events, n)) for n in logs),
                     finished_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        if status != "ok":  # what went wrong, without the JVM's stack frames
            entry["tail"] = "\n".join(l for l in output.splitlines() if not l.startswith("\tat "))[-2000:]
        with open(manifest, "a") as f:
            f.write(json.dumps(entry, sort_keys=True) + "\n")
        print("  %s in %.1f s (job %s s) %s" % (status, wall, entry["job_seconds"], entry["log"]), flush=True)
        ok, bad = ok + (status == "ok"), bad + (status != "ok")
    print("%d ok, %d not ok; %s" % (ok, bad, manifest))
    return 0 if bad == 0 else 1


# ---- the child: one Spark application ------------------------------------------------------

def session(run, events, run_dir):
    from pyspark.sql import SparkSession
    java_tmp = "-Djava.io.tmpdir=" + os.path.join(run_dir, "jtmp")
    conf = {
        "spark.app.name": run["app_name"],
        "spark.master": run["master"],
        "spark.eventLog.enabled": "true",
        "spark.eventLog.dir": "file://" + events,
        "spark.eventLog.compress": "true",
        "spark.eventLog.compression.codec": "zstd",
        "spark.eventLog.logStageExecutorMetrics": "true",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.local.dir": os.path.join(run_dir, "local"),
        "spark.driver.extraJavaOptions": java_tmp,
        "spark.executor.extraJavaOptions": java_tmp,
        "spark.driver.memory": run["driver_memory"],
        "spark.executor.memory": run["executor_memory"],
        "spark.executor.cores": str(run["cores"]),
        "spark.executor.instances": str(run["workers"]),
        "spark.cores.max": str(run["workers"] * run["cores"]),
        "spark.sql.shuffle.partitions": str(run["shuffle_partitions"]),
        "spark.sql.adaptive.enabled": "true",
        "spark.dynamicAllocation.enabled": "false",
        "spark.pyspark.python": sys.executable,
        # the plan, visible in each log's environment
        "spark.corpus.generator": "spot tools/corpus/generate.py",
        "spark.corpus.job": run["job"],
        "spark.corpus.rows": str(run["rows"]),
        "spark.corpus.seed": str(run["seed"]),
        "spark.corpus.data_seed": str(run["data_seed"]),
        "spark.corpus.run": run["run"],
        "spark.corpus.workers": str(run["workers"]),
        "spark.corpus.cores": str(run["cores"]),
    }
    if run.get("prepare"):
        conf.update({"spark.eventLog.enabled": "false", "spark.master": "local[2]",
                     "spark.app.name": "prepare-" + run["app_name"]})
    builder = SparkSession.builder
    for k, v in conf.items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def child(run, events, run_dir):
    t0 = time.time()
    spark = session(run, events, run_dir)
    t1 = time.time()
    job = jobs.JOBS[run["job"]][2]
    if run.get("prepare"):
        try:
            job(spark, run, run_dir)
        except jobs.Prepared:
            pass
        spark.stop()
        print(RESULT + json.dumps({"prepared": True}), flush=True)
        return 0
    rows = job(spark, run, run_dir)
    t2 = time.time()
    app_id = spark.sparkContext.applicationId
    spark.stop()
    # local-cluster executors keep their stdout/stderr under SPARK_HOME/work: not ours to keep
    import pyspark
    home = os.environ.get("SPARK_HOME") or os.path.dirname(pyspark.__file__)
    shutil.rmtree(os.path.join(home, "work", app_id), ignore_errors=True)
    print(RESULT + json.dumps({"app_id": app_id, "session_start_seconds": round(t1 - t0, 2),
                               "job_seconds": round(t2 - t1, 2), "output_rows": rows}), flush=True)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--out", required=True, help="the corpus folder (events/ and manifest.jsonl)")
    ap.add_argument("--work-dir", required=True, help="scratch: prepared inputs, spark.local.dir, outputs")
    ap.add_argument("--plan", action="store_true", help="print the planned runs as JSON lines and stop")
    ap.add_argument("--jobs", nargs="+", default=["orders-etl", "sessionize", "udf-scoring"],
                    choices=sorted(jobs.JOBS), help="job types (default: the three of the recurring corpus)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the run order and the data (default 1)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies every input size (default 1)")
    ap.add_argument("--levels", type=float, nargs="+", default=[1, 4, 16],
                    help="input sizes as multiples of the job's smallest (default 1 4 16)")
    ap.add_argument("--grid-workers", type=int, nargs="+", default=[1, 2], help="executors (default 1 2)")
    ap.add_argument("--grid-cores", type=int, nargs="+", default=[1, 2], help="cores per executor (default 1 2)")
    ap.add_argument("--grid-partitions", type=int, nargs="+", default=[8, 200],
                    help="spark.sql.shuffle.partitions (default 8 200)")
    ap.add_argument("--grid-memory", nargs="+", default=["768m"], help="spark.executor.memory (default 768m)")
    ap.add_argument("--repeats", type=int, default=1, help="runs per grid point (default 1)")
    ap.add_argument("--default-repeats", type=int, default=3,
                    help="runs at the last value of every factor, the default configuration (default 3)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds allowed per run (default 300)")
    ap.add_argument("--budget-seconds", type=float, default=0, help="start no run after this long (0: no limit)")
    ap.add_argument("--retry-failed", action="store_true", help="run again what the manifest says failed")
    ap.add_argument("--java-home", default=os.environ.get("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64"))
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(json.loads(args.child), os.path.abspath(args.out), os.path.abspath(args.work_dir))
    if args.plan:
        for run in plan(args):
            print(json.dumps(run, sort_keys=True))
        return 0
    return generate(args)


if __name__ == "__main__":
    sys.exit(main())
