#!/usr/bin/env bash
# Written by the DISCO mirror (the sdist lacked it): starts the history server as a daemon.
if [ -z "${SPARK_HOME}" ]; then
  SPARK_HOME="$(cd "$(dirname "$0")"/.. && pwd)"
  export SPARK_HOME
fi
exec "${SPARK_HOME}/sbin/spark-daemon.sh" start org.apache.spark.deploy.history.HistoryServer 1 "$@"
