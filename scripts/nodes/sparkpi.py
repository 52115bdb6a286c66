# SparkPi, as Spark's own example computes it, for spark-submit on a DISCO master.
import sys
from random import random
from operator import add
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("DISCO real-node SparkPi").getOrCreate()
partitions = int(sys.argv[1]) if len(sys.argv) > 1 else 2
n = 100000 * partitions


def inside(_):
    x, y = random() * 2 - 1, random() * 2 - 1
    return 1 if x * x + y * y <= 1 else 0


count = spark.sparkContext.parallelize(range(1, n + 1), partitions).map(inside).reduce(add)
print(f"Pi is roughly {4.0 * count / n:f}")
spark.stop()
