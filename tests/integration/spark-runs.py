#!/usr/bin/env python3
"""Runs a few tiny real Spark applications so the integration tests do not depend on the shared
fixtures alone: each in its own driver JVM, on local-cluster[2,1,1024] (separate executor JVMs),
with its event log written to OUT_DIR.

    spark-runs.py OUT_DIR        (with the pyspark 3.5.9 virtualenv's python and JAVA_HOME set)

Applications: spot-it-wordcount (an RDD shuffle), spot-it-sql-join (DataFrame join and
aggregation, twice at different sizes), spot-it-failing (a job whose tasks raise: the application
ends with a failed job), and six named as Enceladus names its jobs (each reads a JSON input and
writes Parquet, as a standardization does): every naming generation, one name ending in the
space of an omitted report version. Their datasets and versions are those of the Enceladus
control-measure fixtures, which the Menas test server (menas_server.py) attaches to them. Two attempts of one application need YARN; local and local-cluster
masters never retry an application, so none is made here (the shared fixtures have two).
"""
import os
import shutil
import subprocess
import sys

APPS = [("spot-it-wordcount", 20000), ("spot-it-sql-join", 5000), ("spot-it-sql-join", 20000),
        ("spot-it-failing", 1000),
        ("Enceladus Standardization 2.19.0-SNAPSHOT mappingConformanceRule 1 2020-03-23 1", 3000),
        ("Enceladus Conformance 2.19.0-SNAPSHOT mappingConformanceRule 1 2020-03-23 1", 3000),
        ("Enceladus Standardization&Conformance 2.18.0-SNAPSHOT castingConformanceRule 19 2020-03-23 1", 4000),
        ("Standardisation 2.18.0-SNAPSHOT std_nf_dn 5 2019-11-27 1", 2000),
        ("Dynamic Conformance 2.8.0-SNAPSHOT singleColumnConformanceRule 11 2020-03-23 1", 2000),
        ("Enceladus Standardization 1.2.0-SNAPSHOT DeleteMe 115 2019-01-01 ", 1000)]


def run_one(name, rows, out):
    from pyspark.sql import SparkSession
    import pyspark
    spark = (SparkSession.builder.appName(name)
             .master("local-cluster[2,1,1024]")
             .config("spark.eventLog.enabled", "true")
             .config("spark.eventLog.dir", "file://" + os.path.abspath(out))
             .config("spark.ui.enabled", "false")
             .config("spark.driver.host", "127.0.0.1")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.executor.memory", "512m")
             .config("spark.executor.cores", "1")
             # Properties the reference dashboards chart, as spark-submit would record them.
             .config("spark.driver.cores", "1")
             .config("spark.driver.memory", "1g")
             .config("spark.dynamicAllocation.enabled", "false")
             .config("spark.sql.adaptive.enabled", "true")
             .config("spark.sql.shuffle.partitions", "8")
             .config("spark.task.maxFailures", "2")
             .getOrCreate())
    sc = spark.sparkContext
    try:
        if name == "spot-it-wordcount":
            words = sc.parallelize(range(rows), 8).map(lambda i: ("w%d" % (i % 97), 1))
            words.reduceByKey(lambda a, b: a + b).collect()
        elif name == "spot-it-sql-join":
            a = spark.range(rows).withColumnRenamed("id", "k")
            b = spark.range(rows // 10).selectExpr("id as k", "id % 7 as g")
            a.join(b, "k").groupBy("g").count().collect()
        elif name.startswith(("Enceladus ", "Standardisation ", "Dynamic Conformance ")):
            import tempfile
            with tempfile.TemporaryDirectory() as tmp:
                spark.range(rows).selectExpr("id", "id % 13 as country", "concat('c', id) as name") \
                    .write.json(tmp + "/raw")
                df = spark.read.json(tmp + "/raw")
                df.groupBy("country").count().join(df, "country").write.parquet(tmp + "/std")
        else:
            def boom(i):
                raise ValueError("spot-it-failing: task %d fails on purpose" % i)
            try:
                sc.parallelize(range(rows), 4).map(boom).collect()
            except Exception:
                pass  # the job failed, as intended; the application ends normally
    finally:
        app_id = sc.applicationId
        spark.stop()
        home = os.environ.get("SPARK_HOME") or os.path.dirname(pyspark.__file__)
        shutil.rmtree(os.path.join(home, "work", app_id), ignore_errors=True)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        name, rows = sys.argv[2].rsplit("|", 1)
        run_one(name, int(rows), sys.argv[3])
        return
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, rows in APPS:
        # One process per application: each gets its own driver JVM and application id.
        subprocess.run([sys.executable, __file__, "--one", f"{name}|{rows}", out], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"{len(APPS)} Spark applications written to {out}")


if __name__ == "__main__":
    main()
