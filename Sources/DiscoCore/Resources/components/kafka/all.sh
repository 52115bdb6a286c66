# kafka: KRaft with a dynamic quorum bootstrapped by one controller on the master (node 0); a broker per worker.
local rf cfg=/opt/kafka/config/disco-server.properties id roles node listeners adv format=()
disco_step kafka "installing Apache Kafka"
disco_unpack kafka kafka
install -d -o "$DISCO_USER" -g "$DISCO_USER" /var/lib/kafka /var/log/kafka
rf=$((DISCO_WORKER_COUNT < 1 ? 1 : (DISCO_WORKER_COUNT > 3 ? 3 : DISCO_WORKER_COUNT)))
if [[ $DISCO_ROLE == worker ]]; then
  roles=broker node=$((DISCO_NODE_INDEX + 1)) listeners="PLAINTEXT://0.0.0.0:9092" adv="PLAINTEXT://${DISCO_NODE_IP}:9092"
  format=(--no-initial-controllers)
elif ((DISCO_WORKER_COUNT == 0)); then
  roles=broker,controller node=0 listeners="PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093"
  adv="PLAINTEXT://${DISCO_MASTER_IP}:9092,CONTROLLER://${DISCO_MASTER_IP}:9093"
  format=(--standalone)
else
  roles=controller node=0 listeners="CONTROLLER://0.0.0.0:9093" adv="CONTROLLER://${DISCO_MASTER_IP}:9093"
  format=(--standalone)
fi
cat >"$cfg" <<CFG
# written by DISCO
process.roles=${roles}
node.id=${node}
listeners=${listeners}
advertised.listeners=${adv}
controller.quorum.bootstrap.servers=${DISCO_MASTER_IP}:9093
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=/var/lib/kafka/data
num.partitions=${DISCO_KAFKA_NUM_PARTITIONS}
default.replication.factor=${rf}
offsets.topic.replication.factor=${rf}
transaction.state.log.replication.factor=${rf}
transaction.state.log.min.isr=$((rf > 1 ? rf - 1 : 1))
log.retention.hours=${DISCO_KAFKA_RETENTION_HOURS}
CFG
chown "$DISCO_USER:$DISCO_USER" "$cfg"
if [[ ! -f /var/lib/kafka/data/meta.properties ]]; then
  # One cluster id on every node, derived from the cluster name (16 bytes, URL-safe base64). The master's controller
  # is the quorum's first voter (--standalone); brokers join as observers. Kafka's tools log to LOG_DIR, the user's.
  id=$(python3 -c 'import base64,hashlib,sys; print(base64.urlsafe_b64encode(hashlib.sha256(sys.argv[1].encode()).digest()[:16]).decode().rstrip("="))' "disco-kafka-${DISCO_CLUSTER}")
  disco_as_user env LOG_DIR=/var/log/kafka /opt/kafka/bin/kafka-storage.sh format --ignore-formatted \
    --cluster-id "$id" "${format[@]}" --config "$cfg"
fi
DISCO_UNIT_EXTRA=$'Environment=LOG_DIR=/var/log/kafka\nEnvironment="KAFKA_HEAP_OPTS=-Xms'"${DISCO_KAFKA_HEAP_MB}m -Xmx${DISCO_KAFKA_HEAP_MB}m\"" \
  disco_service kafka "$DISCO_USER" /opt/kafka/bin/kafka-server-start.sh "$cfg"
