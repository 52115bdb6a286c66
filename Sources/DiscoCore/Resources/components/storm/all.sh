# storm: install and configure (all nodes).
local slots=$DISCO_STORM_SLOTS_PER_SUPERVISOR vcpus=$DISCO_WORKER_VCPUS ram=$DISCO_WORKER_RAM_MB i ports=""
disco_step storm "installing Apache Storm"
disco_unpack storm storm
install -d -o "$DISCO_USER" -g "$DISCO_USER" /var/lib/storm /var/log/storm
if [[ $DISCO_ROLE == master ]] && ((DISCO_WORKER_COUNT == 0)); then
  vcpus=$DISCO_MASTER_VCPUS; ram=$((DISCO_MASTER_RAM_MB / 2))
fi
((slots > 0)) || slots=$vcpus
for ((i = 0; i < slots; i++)); do ports+="  - $((6700 + i))"$'\n'; done
cat >/opt/storm/conf/storm.yaml <<CFG
# written by DISCO
storm.zookeeper.servers:
  - "${DISCO_MASTER_IP}"
storm.zookeeper.port: 2181
nimbus.seeds: ["${DISCO_MASTER_IP}"]
storm.local.dir: "/var/lib/storm"
storm.local.hostname: "${DISCO_NODE_IP}"
storm.log.dir: "/var/log/storm"
ui.port: 8080
logviewer.port: 8000
supervisor.cpu.capacity: $((vcpus * 100))
supervisor.memory.capacity.mb: $((ram * 6 / 10))
supervisor.slots.ports:
${ports}
CFG
chown -R "$DISCO_USER:$DISCO_USER" "$(readlink -f /opt/storm)"
disco_env_set STORM_HOME /opt/storm
