"""A job type for ../shared/tools/gen-recurring-corpus.py --extra-jobs: a recurring job whose tasks
wait on a remote service (one lookup round trip per batch of keys) rather than compute.

Why: the what-if replays a run's task durations on more or fewer executor slots, which holds when
the slots are the resource that limits the run. On a 2-core machine, CPU-bound jobs stop scaling
at two busy cores (a third JVM only takes CPU from the others), so pairs of their runs at
different executor counts measure the machine, not the simulator. Tasks that mostly wait scale
with slots here as they would on a cluster with the cores to match, which is what the what-if
assumes. The wait stands for the lookup service (a fixed 500 ms per batch of 100 keys).
"""
import time

import __main__ as gen  # the generator: source() and ready() for the grid design's inputs

BATCH_ROWS = 100
ROUND_TRIP_S = 0.5


def job_lookup_enrich(spark, p, work):
    from pyspark.sql import functions as F

    n, s = p["rows"], p["data_seed"]
    recs = gen.source(spark, p, "records", lambda: spark.range(n).select(
        F.col("id"),
        (F.rand(s) * 1000).cast("int").alias("key"),
        (F.col("id") % 31).alias("bucket")))
    gen.ready(p)

    def lookup(rows):
        batch = []
        for r in rows:
            batch.append(r)
            if len(batch) == BATCH_ROWS:
                time.sleep(ROUND_TRIP_S)  # one round trip for the batch's keys
                yield from ((b.bucket, b.key % 7) for b in batch)
                batch = []
        if batch:
            time.sleep(ROUND_TRIP_S)
            yield from ((b.bucket, b.key % 7) for b in batch)

    # 48 input tasks whatever the file layout, so that every executor count has work to share
    enriched = recs.repartition(48).rdd.mapPartitions(lookup).toDF(["bucket", "segment"])
    res = enriched.groupBy("bucket", "segment").agg(F.count("*").alias("n")).collect()
    return len(res)


EXTRA = {"lookup-enrich": ("recurring-lookup-enrich", (16_000, 64_000), job_lookup_enrich)}
