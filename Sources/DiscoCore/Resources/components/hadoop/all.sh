# hadoop: install and configure (all nodes). Services are started by master.sh / workers.sh.
local conf=/etc/hadoop repl nm_mb nm_vcores opens
disco_step hadoop "installing Apache Hadoop"
disco_unpack hadoop hadoop
install -d -o "$DISCO_USER" -g "$DISCO_USER" /var/lib/hadoop /var/lib/hadoop/hdfs /var/lib/hadoop/tmp \
  /var/lib/hadoop/yarn /var/log/hadoop
install -d "$conf"
[[ -f $conf/log4j.properties ]] || cp -r /opt/hadoop/etc/hadoop/. "$conf/"
disco_env_set HADOOP_HOME /opt/hadoop
disco_env_set HADOOP_CONF_DIR "$conf"
disco_env_set YARN_CONF_DIR "$conf"
disco_env_set HADOOP_LOG_DIR /var/log/hadoop

# name=value pairs -> a Hadoop configuration file (plain values only).
disco_hadoop_xml() {
  local file=$1 kv
  shift
  {
    printf '<?xml version="1.0"?>\n<!-- written by DISCO -->\n<configuration>\n'
    for kv in "$@"; do printf '  <property><name>%s</name><value>%s</value></property>\n' "${kv%%=*}" "${kv#*=}"; done
    printf '</configuration>\n'
  } >"$file"
}

if [[ $DISCO_HADOOP_REPLICATION == auto ]]; then
  repl=$((DISCO_WORKER_COUNT < 1 ? 1 : (DISCO_WORKER_COUNT > 3 ? 3 : DISCO_WORKER_COUNT)))
else
  repl=$DISCO_HADOOP_REPLICATION
fi
# Sized by the planner for the nodes that run NodeManagers (the master when there are no workers).
nm_mb=$DISCO_YARN_NODE_MEMORY_MB
nm_vcores=$DISCO_YARN_VCORES
# Java 17: the YARN/MapReduce web apps (Guice) need reflective access to java.lang.
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"

disco_hadoop_xml "$conf/core-site.xml" \
  "fs.defaultFS=hdfs://${DISCO_MASTER_NAME}:8020" \
  "hadoop.tmp.dir=/var/lib/hadoop/tmp" \
  "io.file.buffer.size=131072" \
  "hadoop.http.staticuser.user=${DISCO_USER}"

disco_hadoop_xml "$conf/hdfs-site.xml" \
  "dfs.replication=${repl}" \
  "dfs.namenode.name.dir=file:///var/lib/hadoop/hdfs/name" \
  "dfs.datanode.data.dir=file:///var/lib/hadoop/hdfs/data" \
  "dfs.namenode.rpc-bind-host=0.0.0.0" \
  "dfs.namenode.servicerpc-bind-host=0.0.0.0" \
  "dfs.namenode.http-bind-host=0.0.0.0" \
  "dfs.namenode.datanode.registration.ip-hostname-check=false" \
  "dfs.datanode.du.reserved=$((DISCO_HADOOP_DATANODE_RESERVED_MB * 1048576))" \
  "dfs.permissions.superusergroup=${DISCO_USER}"

disco_hadoop_xml "$conf/yarn-site.xml" \
  "yarn.resourcemanager.hostname=${DISCO_MASTER_NAME}" \
  "yarn.resourcemanager.bind-host=0.0.0.0" \
  "yarn.nodemanager.bind-host=0.0.0.0" \
  "yarn.nodemanager.hostname=${DISCO_NODE_IP}" \
  "yarn.nodemanager.aux-services=mapreduce_shuffle" \
  "yarn.nodemanager.admin-env=MALLOC_ARENA_MAX=4" \
  "yarn.nodemanager.local-dirs=/var/lib/hadoop/yarn/local" \
  "yarn.nodemanager.log-dirs=/var/log/hadoop/containers" \
  "yarn.nodemanager.resource.memory-mb=${nm_mb}" \
  "yarn.nodemanager.resource.cpu-vcores=${nm_vcores}" \
  "yarn.scheduler.minimum-allocation-mb=${DISCO_YARN_CONTAINER_MB}" \
  "yarn.scheduler.maximum-allocation-mb=${nm_mb}" \
  "yarn.scheduler.maximum-allocation-vcores=${nm_vcores}" \
  "yarn.nodemanager.vmem-check-enabled=${DISCO_HADOOP_VMEM_CHECK}" \
  "yarn.nodemanager.vmem-pmem-ratio=${DISCO_HADOOP_VMEM_PMEM_RATIO}" \
  "yarn.log-aggregation-enable=true" \
  "yarn.log.server.url=http://${DISCO_MASTER_NAME}:19888/jobhistory/logs"

# yarn.app.mapreduce.am.* are MapReduce settings (mapred-default.xml), so they belong here.
disco_hadoop_xml "$conf/mapred-site.xml" \
  "mapreduce.framework.name=yarn" \
  "mapreduce.map.memory.mb=${DISCO_YARN_CONTAINER_MB}" \
  "mapreduce.reduce.memory.mb=${DISCO_MAPREDUCE_REDUCE_MB}" \
  "mapreduce.map.java.opts=${DISCO_MAPREDUCE_MAP_OPTS}" \
  "mapreduce.reduce.java.opts=${DISCO_MAPREDUCE_REDUCE_OPTS}" \
  "yarn.app.mapreduce.am.resource.mb=${DISCO_YARN_AM_MB}" \
  "yarn.app.mapreduce.am.command-opts=${DISCO_YARN_AM_OPTS}" \
  "yarn.app.mapreduce.am.admin-command-opts=${opens}" \
  "yarn.app.mapreduce.am.env=HADOOP_MAPRED_HOME=/opt/hadoop" \
  "mapreduce.map.env=HADOOP_MAPRED_HOME=/opt/hadoop" \
  "mapreduce.reduce.env=HADOOP_MAPRED_HOME=/opt/hadoop" \
  "mapreduce.jobhistory.address=${DISCO_MASTER_NAME}:10020" \
  "mapreduce.jobhistory.webapp.address=${DISCO_MASTER_NAME}:19888" \
  "mapreduce.jobhistory.bind-host=0.0.0.0"

sed -i '/^# DISCO begin/,/^# DISCO end/d' "$conf/hadoop-env.sh"
cat >>"$conf/hadoop-env.sh" <<ENV
# DISCO begin
export JAVA_HOME="${JAVA_HOME}"
export HADOOP_LOG_DIR=/var/log/hadoop
export HADOOP_OPTS="\${HADOOP_OPTS:-} -Djava.net.preferIPv4Stack=true ${opens}"
# Heaps from the plan's memory budget of the node.
export HDFS_NAMENODE_OPTS="-Xmx${DISCO_MEM_HADOOP_NAMENODE_MB}m"
export HDFS_DATANODE_OPTS="-Xmx${DISCO_MEM_HADOOP_DATANODE_MB}m"
export YARN_RESOURCEMANAGER_OPTS="-Xmx${DISCO_MEM_HADOOP_RESOURCEMANAGER_MB}m"
export YARN_NODEMANAGER_OPTS="-Xmx${DISCO_MEM_HADOOP_NODEMANAGER_MB}m"
export MAPRED_HISTORYSERVER_OPTS="-Xmx${DISCO_MEM_HADOOP_HISTORYSERVER_MB}m"
# DISCO end
ENV
chown -R "$DISCO_USER:$DISCO_USER" "$conf"
