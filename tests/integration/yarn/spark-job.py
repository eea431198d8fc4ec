# A small real Spark job for the YARN integration tests: `ok` aggregates generated orders,
# `fail` raises in a task after a first stage ran, so that YARN records a failed application.
import sys

from pyspark.sql import SparkSession, functions as F

spark = SparkSession.builder.getOrCreate()
orders = spark.range(0, 200_000).withColumn("customer", F.col("id") % 97).withColumn("amount", F.col("id") % 13)
totals = orders.groupBy("customer").agg(F.sum("amount").alias("total"))
print("customers", totals.count())
if sys.argv[1:] == ["fail"]:
    def boom(_):
        raise RuntimeError("this job fails on purpose")
    spark.sparkContext.parallelize(range(4), 2).foreach(boom)
spark.stop()
