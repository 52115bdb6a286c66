# flink: install and configure (all nodes); keeps the shipped config.yaml (Java 17 module options) and sets ours.
local tm=$DISCO_MEM_FLINK_TASKMANAGER_MB slots=$DISCO_FLINK_SLOTS_PER_TASKMANAGER vcpus=$DISCO_WORKER_VCPUS
disco_step flink "installing Apache Flink"
disco_unpack flink flink
install -d -o "$DISCO_USER" -g "$DISCO_USER" /var/lib/flink /var/log/flink
[[ -f /opt/flink/conf/config.yaml.dist ]] || cp /opt/flink/conf/config.yaml /opt/flink/conf/config.yaml.dist
# The TaskManager's process size is its share of the node's memory budget (the plan's).
((DISCO_WORKER_COUNT > 0)) || vcpus=$DISCO_MASTER_VCPUS
((slots > 0)) || slots=$vcpus
python3 - /opt/flink/conf/config.yaml.dist /opt/flink/conf/config.yaml \
  "jobmanager.rpc.address=${DISCO_MASTER_IP}" "jobmanager.bind-host=0.0.0.0" \
  "jobmanager.memory.process.size=${DISCO_FLINK_JOBMANAGER_MEMORY_MB}m" \
  "taskmanager.host=${DISCO_NODE_IP}" "taskmanager.bind-host=0.0.0.0" "taskmanager.rpc.port=6122" \
  "taskmanager.memory.process.size=${tm}m" "taskmanager.numberOfTaskSlots=${slots}" \
  "rest.address=${DISCO_MASTER_IP}" "rest.bind-address=0.0.0.0" "rest.port=8081" "blob.server.port=6124" \
  "io.tmp.dirs=/var/lib/flink/tmp" "parallelism.default=1" <<'PY'
import sys, yaml
src, dst, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(src) as f:
    cfg = yaml.safe_load(f) or {}
def drop(d, parts):
    # Remove the key in any nested/flattened spelling, then set it flattened.
    for i in range(1, len(parts) + 1):
        k = ".".join(parts[:i])
        if k in d:
            if i == len(parts):
                del d[k]
            elif isinstance(d[k], dict):
                drop(d[k], parts[i:])
                if not d[k]:
                    del d[k]
for kv in pairs:
    k, v = kv.split("=", 1)
    drop(cfg, k.split("."))
    cfg[k] = int(v) if v.isdigit() else v
with open(dst, "w") as f:
    f.write("# written by DISCO from config.yaml.dist\n")
    yaml.safe_dump(cfg, f, default_flow_style=False, sort_keys=True)
PY
chown -R "$DISCO_USER:$DISCO_USER" /opt/flink/conf
chown -R "$DISCO_USER:$DISCO_USER" "$(readlink -f /opt/flink)"
disco_env_set FLINK_HOME /opt/flink
disco_env_set FLINK_LOG_DIR /var/log/flink
