# spark: Spark on YARN (client mode) and its history server, on the master only.
local hdfs="hdfs://${DISCO_MASTER_NAME}:8020"
disco_step spark "installing Apache Spark"
disco_unpack spark spark
disco_env_set SPARK_HOME /opt/spark
disco_env_set SPARK_CONF_DIR /opt/spark/conf

cat >/opt/spark/conf/spark-env.sh <<ENV
# written by DISCO
export JAVA_HOME="${JAVA_HOME}"
export HADOOP_CONF_DIR=/etc/hadoop
export YARN_CONF_DIR=/etc/hadoop
export PYSPARK_PYTHON=python3
ENV

# The Spark jars as one archive in HDFS, so that jobs do not upload them every time.
if ! disco_as_user /opt/hadoop/bin/hdfs dfs -test -e /spark/spark-libs.zip; then
  python3 - /opt/spark/jars /var/cache/disco/spark-libs.zip <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as z:
    for name in sorted(os.listdir(src)):
        if name.endswith(".jar"):
            z.write(os.path.join(src, name), name)
PY
  chmod 0644 /var/cache/disco/spark-libs.zip
  disco_as_user /opt/hadoop/bin/hdfs dfs -mkdir -p /spark /spark-logs
  disco_as_user /opt/hadoop/bin/hdfs dfs -put -f /var/cache/disco/spark-libs.zip /spark/spark-libs.zip
  rm -f /var/cache/disco/spark-libs.zip
fi
disco_as_user /opt/hadoop/bin/hdfs dfs -mkdir -p /spark-logs
disco_as_user /opt/hadoop/bin/hdfs dfs -chmod 1777 /spark-logs

cat >/opt/spark/conf/spark-defaults.conf <<CONF
# written by DISCO
spark.master                      yarn
spark.submit.deployMode           client
spark.yarn.archive                ${hdfs}/spark/spark-libs.zip
spark.driver.memory               ${DISCO_SPARK_DRIVER_MEMORY}
spark.executor.memory             ${DISCO_SPARK_EXECUTOR_HEAP_MB}m
spark.executor.cores              ${DISCO_SPARK_EXECUTOR_CORES_SIZED}
spark.executor.instances          ${DISCO_SPARK_EXECUTOR_INSTANCES}
spark.yarn.am.memory              ${DISCO_SPARK_AM_HEAP_MB}m
spark.yarn.am.cores               1
spark.eventLog.enabled            true
spark.eventLog.dir                ${hdfs}/spark-logs
spark.eventLog.compress           true
spark.history.fs.logDirectory     ${hdfs}/spark-logs
spark.history.fs.cleaner.enabled  true
spark.history.fs.cleaner.maxAge   7d
spark.history.ui.port             18080
spark.yarn.historyServer.address  ${DISCO_MASTER_NAME}:18080
CONF
chown -R "$DISCO_USER:$DISCO_USER" /opt/spark/conf
install -d -o "$DISCO_USER" -g "$DISCO_USER" /var/log/spark
DISCO_UNIT_EXTRA=$'Environment=SPARK_LOG_DIR=/var/log/spark\nEnvironment=SPARK_DAEMON_MEMORY='"${DISCO_MEM_SPARK_HISTORY_MB}m" \
  disco_service spark-history "$DISCO_USER" /opt/spark/bin/spark-class org.apache.spark.deploy.history.HistoryServer
