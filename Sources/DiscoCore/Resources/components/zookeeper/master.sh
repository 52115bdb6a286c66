# zookeeper: a standalone server on the master.
disco_step zookeeper "installing Apache ZooKeeper"
disco_unpack zookeeper zookeeper
install -d -o "$DISCO_USER" -g "$DISCO_USER" /var/lib/zookeeper /var/log/zookeeper
cat >/opt/zookeeper/conf/zoo.cfg <<CFG
# written by DISCO
tickTime=2000
initLimit=10
syncLimit=5
dataDir=/var/lib/zookeeper
clientPort=2181
maxClientCnxns=100
admin.enableServer=false
4lw.commands.whitelist=srvr,ruok,mntr
autopurge.snapRetainCount=3
autopurge.purgeInterval=24
CFG
DISCO_UNIT_EXTRA=$'Environment=ZOO_LOG_DIR=/var/log/zookeeper\nEnvironment=SERVER_JVMFLAGS=-Xmx'"${DISCO_ZOOKEEPER_HEAP_MB}m" \
  disco_service zookeeper "$DISCO_USER" /opt/zookeeper/bin/zkServer.sh start-foreground
