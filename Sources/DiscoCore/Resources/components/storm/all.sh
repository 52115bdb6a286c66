# storm: install and configure (all nodes).
local slots=$DISCO_STORM_SLOTS_PER_SUPERVISOR vcpus=$DISCO_WORKER_VCPUS mem=$DISCO_MEM_STORM_SLOTS_MB i ports="" most
disco_step storm "installing Apache Storm"
disco_unpack storm storm
install -d -o "$DISCO_USER" -g "$DISCO_USER" /var/lib/storm /var/log/storm
((DISCO_WORKER_COUNT > 0)) || vcpus=$DISCO_MASTER_VCPUS
((slots > 0)) || slots=$vcpus
# The worker slots share the plan's budget for them: each runs a worker JVM of worker.heap.memory.mb plus overhead.
most=$((mem / 896))
((most >= 1)) || most=1
((slots <= most)) || slots=$most
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
supervisor.memory.capacity.mb: ${mem}
worker.heap.memory.mb: 768
nimbus.childopts: "-Xmx${DISCO_MEM_STORM_NIMBUS_MB}m"
ui.childopts: "-Xmx${DISCO_MEM_STORM_UI_MB}m"
supervisor.childopts: "-Xmx${DISCO_MEM_STORM_SUPERVISOR_MB}m"
logviewer.childopts: "-Xmx${DISCO_MEM_STORM_LOGVIEWER_MB}m"
supervisor.slots.ports:
${ports}
CFG
chown -R "$DISCO_USER:$DISCO_USER" "$(readlink -f /opt/storm)"
disco_env_set STORM_HOME /opt/storm
