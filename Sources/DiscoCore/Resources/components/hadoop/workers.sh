# hadoop: DataNode and NodeManager on each worker; they retry until the master is up.
disco_service hadoop-datanode "$DISCO_USER" /opt/hadoop/bin/hdfs datanode
disco_service hadoop-nodemanager "$DISCO_USER" /opt/hadoop/bin/yarn nodemanager
