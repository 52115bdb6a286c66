# hadoop: NameNode, ResourceManager and JobHistory server on the master.
local t=$DISCO_HADOOP_WORKER_TIMEOUT_SECONDS want
if [[ ! -f /var/lib/hadoop/hdfs/name/current/VERSION ]]; then
  disco_step hadoop "formatting the HDFS NameNode"
  disco_as_user /opt/hadoop/bin/hdfs namenode -format -clusterid "disco-${DISCO_CLUSTER}" -nonInteractive
fi
disco_service hadoop-namenode "$DISCO_USER" /opt/hadoop/bin/hdfs namenode
disco_service hadoop-resourcemanager "$DISCO_USER" /opt/hadoop/bin/yarn resourcemanager
if ((DISCO_WORKER_COUNT == 0)); then
  disco_service hadoop-datanode "$DISCO_USER" /opt/hadoop/bin/hdfs datanode
  disco_service hadoop-nodemanager "$DISCO_USER" /opt/hadoop/bin/yarn nodemanager
fi
disco_wait_port 8020 300 || disco_die "the NameNode did not open port 8020"
disco_as_user timeout 600 /opt/hadoop/bin/hdfs dfsadmin -safemode wait || disco_log "HDFS is still in safe mode"
disco_as_user /opt/hadoop/bin/hdfs dfs -mkdir -p /tmp /tmp/logs "/user/${DISCO_USER}" /tmp/hadoop-yarn/staging
disco_as_user /opt/hadoop/bin/hdfs dfs -chmod 1777 /tmp /tmp/logs /tmp/hadoop-yarn/staging
disco_service hadoop-historyserver "$DISCO_USER" /opt/hadoop/bin/mapred historyserver

# Workers register themselves; wait until the ones created with the cluster are live.
want=$((DISCO_WORKER_COUNT > 0 ? DISCO_WORKER_COUNT : 1))
disco_step hadoop "waiting for ${want} DataNode(s) and NodeManager(s)"
disco_wait_count "$t" "$want" "live DataNodes" disco_json_field \
  'http://127.0.0.1:9870/jmx?qry=Hadoop:service=NameNode,name=FSNamesystemState' beans.0.NumLiveDataNodes \
  || disco_die "fewer than ${want} DataNodes registered within ${t} s"
disco_wait_count "$t" "$want" "active NodeManagers" disco_json_field \
  'http://127.0.0.1:8088/ws/v1/cluster/metrics' clusterMetrics.activeNodes \
  || disco_die "fewer than ${want} NodeManagers registered within ${t} s"
