"""The recurring job types of Spot's corpora: one function per type, each a whole Spark job.

A job takes (spark, run, scratch) and returns a small number (rows of its result) so that the
generator can tell a job that ran from one that did nothing. `run` is the planned run (see
generate.py): rows, data_seed, and input_dir when the job reads prepared input files.

Each job reads its input through `inputs.table()`: in a preparation run (run["prepare"]) the
table is generated and written as parquet, then the job stops at `inputs.done()`; in a logged
run it is read from those files, so the stages report input bytes as a production job's would.
"""
import math
import os
import time


class Prepared(Exception):
    """Raised by inputs.done() in a preparation run: the input files are written, stop here."""


class Inputs:
    def __init__(self, spark, run):
        self.spark, self.run = spark, run

    def table(self, name, make):
        path = os.path.join(self.run["input_dir"], name)
        if self.run.get("prepare"):
            make().write.mode("overwrite").parquet(path)
        return self.spark.read.parquet(path)

    def done(self):
        if self.run.get("prepare"):
            raise Prepared()


def orders_etl(spark, run, scratch):
    """Orders joined with their customers' regions, revenue per day and region, written as
    parquet and read back: a join, a wide aggregation and a write."""
    from pyspark.sql import functions as F
    n, seed = run["rows"], run["data_seed"]
    customers_n = max(1000, n // 20)
    regions = ["north", "south", "east", "west", "central", "overseas"]
    inputs = Inputs(spark, run)
    orders = inputs.table("orders", lambda: spark.range(n).select(
        F.col("id").alias("order_id"),
        (F.rand(seed) * customers_n).cast("long").alias("customer_id"),
        (F.rand(seed + 1) * 400 + 5).cast("decimal(10,2)").alias("amount"),
        (F.rand(seed + 2) * 5 + 1).cast("int").alias("quantity"),
        F.date_add(F.lit("2026-01-01").cast("date"), (F.rand(seed + 3) * 90).cast("int")).alias("order_date")))
    customers = inputs.table("customers", lambda: spark.range(customers_n).select(
        F.col("id").alias("customer_id"),
        F.element_at(F.array(*[F.lit(r) for r in regions]),
                     (F.pmod(F.hash("id"), F.lit(len(regions))) + 1).cast("int")).alias("region"),
        F.concat(F.lit("segment-"), (F.col("id") % 7).cast("string")).alias("segment")))
    inputs.done()
    daily = (orders.join(customers, "customer_id")
             .withColumn("revenue", F.col("amount") * F.col("quantity"))
             .groupBy("order_date", "region")
             .agg(F.sum("revenue").alias("revenue"), F.count("*").alias("orders"),
                  F.approx_count_distinct("customer_id").alias("buyers"),
                  F.avg("amount").alias("avg_amount")))
    out = os.path.join(scratch, "daily_revenue")
    daily.write.mode("overwrite").partitionBy("region").parquet(out)
    return spark.read.parquet(out).count()


def sessionize(spark, run, scratch):
    """Click events cut into sessions at 30-minute gaps by window functions, then per-session and
    per-day figures: shuffle heavy."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    n, seed = run["rows"], run["data_seed"]
    users = max(100, n // 40)
    kinds = ["view", "click", "search", "cart", "buy"]
    inputs = Inputs(spark, run)
    clicks = inputs.table("events", lambda: spark.range(n).select(
        (F.rand(seed) * users).cast("long").alias("user_id"),
        (F.lit(1767225600) + (F.rand(seed + 1) * 3 * 86400).cast("long")).alias("ts"),
        F.element_at(F.array(*[F.lit(k) for k in kinds]), (F.rand(seed + 2) * 5 + 1).cast("int")).alias("event"),
        F.concat(F.lit("/p/"), (F.rand(seed + 3) * 5000).cast("int").cast("string")).alias("page")))
    inputs.done()
    by_user = Window.partitionBy("user_id").orderBy("ts")
    gap = F.col("prev_ts").isNull() | (F.col("ts") - F.col("prev_ts") > 1800)
    marked = (clicks.withColumn("prev_ts", F.lag("ts").over(by_user))
              .withColumn("new_session", F.when(gap, 1).otherwise(0))
              .withColumn("session_no", F.sum("new_session").over(by_user))
              .withColumn("event_rank", F.row_number().over(by_user)))
    sessions = (marked.groupBy("user_id", "session_no")
                .agg(F.min("ts").alias("start"), F.max("ts").alias("end"), F.count("*").alias("events"),
                     F.sum(F.when(F.col("event") == "buy", 1).otherwise(0)).alias("buys"),
                     F.countDistinct("page").alias("pages"))
                .withColumn("duration", F.col("end") - F.col("start"))
                .withColumn("day", F.to_date(F.from_unixtime("start"))))
    out = os.path.join(scratch, "sessions")
    sessions.write.mode("overwrite").parquet(out)
    daily = (spark.read.parquet(out).groupBy("day")
             .agg(F.count("*").alias("sessions"), F.avg("duration").alias("avg_duration"),
                  F.expr("percentile_approx(events, 0.9)").alias("p90_events"), F.sum("buys").alias("buys")))
    return len(daily.collect())


def udf_scoring(spark, run, scratch):
    """Records scored by a CPU-heavy Python UDF, then aggregated per bucket."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import DoubleType

    def score(x, y):
        # 60 rounds of trigonometry per row: Python work enough to make the job CPU bound.
        # Defined here so that it travels to the Python workers by value (they cannot import
        # this module).
        a, b, acc = x, y, 0.0
        for k in range(60):
            a = math.sin(a * 1.0001 + b) + 0.5 * math.cos(b - k * 0.01)
            b = math.sqrt(abs(a * b) + 1.0)
            acc += a * b
        return acc / 60.0

    n, seed = run["rows"], run["data_seed"]
    inputs = Inputs(spark, run)
    records = inputs.table("records", lambda: spark.range(n).select(
        F.col("id"), (F.rand(seed) * 10).alias("x"), (F.rand(seed + 1) * 10).alias("y"),
        (F.col("id") % 97).alias("bucket")))
    inputs.done()
    scored = records.withColumn("score", F.udf(score, DoubleType())("x", "y"))
    return len(scored.groupBy("bucket")
               .agg(F.avg("score").alias("avg_score"), F.max("score").alias("max_score"),
                    F.count("*").alias("n")).collect())


LOOKUP_BATCH = 100      # keys per round trip to the lookup service
LOOKUP_WAIT_S = 0.5     # one round trip


def lookup_enrich(spark, run, scratch):
    """Records whose keys are looked up in a remote service, one round trip per batch of keys,
    then counted per bucket and segment. Its tasks wait rather than compute, so on a small machine
    it scales with executor slots as a job on a cluster with the cores to match does: the job of
    the what-if pairs (the executor-count what-if assumes slots are what limits a run)."""
    from pyspark.sql import functions as F
    n, seed = run["rows"], run["data_seed"]
    inputs = Inputs(spark, run)
    records = inputs.table("records", lambda: spark.range(n).select(
        F.col("id"), (F.rand(seed) * 1000).cast("int").alias("key"), (F.col("id") % 31).alias("bucket")))
    inputs.done()

    def lookup(rows):
        batch = []
        for r in rows:
            batch.append(r)
            if len(batch) == LOOKUP_BATCH:
                time.sleep(LOOKUP_WAIT_S)
                yield from ((b.bucket, b.key % 7) for b in batch)
                batch = []
        if batch:
            time.sleep(LOOKUP_WAIT_S)
            yield from ((b.bucket, b.key % 7) for b in batch)

    # 48 tasks whatever the input files' layout, so every executor count has work to share
    enriched = records.repartition(48).rdd.mapPartitions(lookup).toDF(["bucket", "segment"])
    return len(enriched.groupBy("bucket", "segment").agg(F.count("*").alias("n")).collect())


# job type -> (spark.app.name, smallest input in rows (input level 1), function)
JOBS = {
    "orders-etl": ("recurring-orders-etl", 100_000, orders_etl),
    "sessionize": ("recurring-clickstream-sessionize", 30_000, sessionize),
    "udf-scoring": ("recurring-feature-scoring-udf", 10_000, udf_scoring),
    "lookup-enrich": ("recurring-lookup-enrich", 16_000, lookup_enrich),
}
