#!/bin/bash
# Self-test of a built mirror on this host (root): two network namespaces stand for a master
# (10.231.0.1) and a worker (10.231.0.2); the artefacts are unpacked below a temporary directory
# and their daemons started the way the install scripts start them, then polled with the
# prelude's own functions (disco_wait_*, disco_json_field, disco_prefetch). One line per check,
# then "N passed, N failed". Usage: selftest.sh [MIRROR_DIR] (default /var/cache/disco-nodes/mirror)
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
mirror=${1:-/var/cache/disco-nodes/mirror}
T=$(mktemp -d /tmp/disco-mirror-selftest.XXXXXX)
nm=dmt-m$$ nw=dmt-w$$ pass=0 failed=0
pids=()

[[ $(id -u) == 0 ]] || { echo "selftest: needs root (network namespaces)"; exit 2; }
[[ -d $mirror ]] || { echo "selftest: $mirror is not a mirror (run mirror.sh build)"; exit 2; }

cleanup() {
  local p
  for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null; done
  wait 2>/dev/null
  ip netns del "$nm" 2>/dev/null; ip netns del "$nw" 2>/dev/null
  if ((failed == 0)); then rm -rf "$T"; else echo "logs kept in $T"; fi
}
trap cleanup EXIT
ip netns add "$nm" && ip netns add "$nw" || exit 2
ip link add "$nm" type veth peer name "$nw"
ip link set "$nm" netns "$nm"; ip link set "$nw" netns "$nw"
ip -n "$nm" addr add 10.231.0.1/24 dev "$nm"; ip -n "$nw" addr add 10.231.0.2/24 dev "$nw"
for n in "$nm" "$nw"; do ip -n "$n" link set lo up; ip -n "$n" link set "$n" up; done

check() { # check WHAT CMD...: one line per check
  local what=$1
  shift
  if "$@" >>"$T/checks.log" 2>&1; then echo "ok    $what"; pass=$((pass + 1)); else echo "FAIL  $what (see the log above it in $T/checks.log)"; failed=$((failed + 1)); fi
}
on() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
# start NS LOG CMD...: a daemon in its own process group, stopped at exit.
start() { local ns=$1 log=$2; shift 2; ip netns exec "$ns" setsid "$@" >"$log" 2>&1 & pids+=($!); }
unpack() { mkdir -p "$2" && tar -xzf "$(compgen -G "$mirror/$1" | head -n1)" -C "$2" --strip-components=1; }
marked() { ! grep -v '^\[stand-in [a-z]*\] ' "$@"; }
fails() { ! "$@"; }

sed 's/__DISCO_WC_NOTIFY__/true/' "$root/Sources/DiscoCore/Resources/scripts/prelude.sh" >"$T/prelude.sh"
# poll NS CODE: runs CODE in NS with the prelude's functions.
poll() { on "$1" bash -c ". '$T/prelude.sh'; DISCO_WWW='$T'; DISCO_WHO=selftest; sleep() { command sleep 1; }; $2"; }

xml() {
  local f=$1 kv
  shift
  { printf '<?xml version="1.0"?>\n<configuration>\n'
    for kv in "$@"; do printf '  <property><name>%s</name><value>%s</value></property>\n' "${kv%%=*}" "${kv#*=}"; done
    printf '</configuration>\n'; } >"$f"
}

# ---- ZooKeeper (Debian's jars) on the master ----
z=$T/zk; unpack 'zookeeper/*/*.tar.gz' "$z/opt"
printf 'tickTime=2000\ndataDir=%s/data\nclientPort=2181\nadmin.enableServer=false\n4lw.commands.whitelist=srvr,ruok,mntr\n' "$z" >"$z/opt/conf/zoo.cfg"
start "$nm" "$T/zk.log" env ZOO_LOG_DIR="$z/log" SERVER_JVMFLAGS=-Xmx256m "$z/opt/bin/zkServer.sh" start-foreground
check "zookeeper: ruok answers imok" poll "$nm" "disco_wait_port 2181 60 && for i in 1 2 3 4 5; do [[ \$(python3 -c 'import socket; s=socket.create_connection((\"127.0.0.1\", 2181)); s.sendall(b\"ruok\"); print(s.recv(8).decode())') == imok ]] && exit 0; command sleep 2; done; exit 1"

# ---- Hadoop: NameNode + ResourceManager on the master, DataNode + NodeManager on the worker ----
for n in m w; do
  h=$T/hadoop-$n ip=10.231.0.1; [[ $n == w ]] && ip=10.231.0.2
  unpack 'hadoop/common/*/hadoop-*.tar.gz' "$h/opt"
  mkdir -p "$h/conf"; cp -r "$h/opt/etc/hadoop/." "$h/conf/"
  xml "$h/conf/core-site.xml" "fs.defaultFS=hdfs://10.231.0.1:8020" "hadoop.tmp.dir=$h/tmp"
  xml "$h/conf/hdfs-site.xml" "dfs.namenode.name.dir=file://$h/name" "dfs.datanode.data.dir=file://$h/data" \
    "dfs.namenode.rpc-bind-host=0.0.0.0" "dfs.namenode.http-bind-host=0.0.0.0"
  xml "$h/conf/yarn-site.xml" "yarn.resourcemanager.hostname=10.231.0.1" "yarn.resourcemanager.bind-host=0.0.0.0" \
    "yarn.nodemanager.hostname=$ip" "yarn.nodemanager.resource.memory-mb=6192" "yarn.nodemanager.resource.cpu-vcores=4"
  xml "$h/conf/mapred-site.xml" "mapreduce.jobhistory.webapp.address=10.231.0.1:19888" "mapreduce.jobhistory.bind-host=0.0.0.0"
done
hm=$T/hadoop-m hw=$T/hadoop-w
H() { local ns=$1 h=$2; shift 2; on "$ns" env HADOOP_CONF_DIR="$h/conf" HADOOP_HOME="$h/opt" "$@"; }
check "hadoop: hdfs namenode -format" H "$nm" "$hm" "$hm/opt/bin/hdfs" namenode -format -clusterid disco-selftest -nonInteractive
check "hadoop: a second -nonInteractive format is refused" fails H "$nm" "$hm" "$hm/opt/bin/hdfs" namenode -format -nonInteractive
start "$nm" "$T/nn.log" env HADOOP_CONF_DIR="$hm/conf" "$hm/opt/bin/hdfs" namenode
start "$nm" "$T/rm.log" env HADOOP_CONF_DIR="$hm/conf" "$hm/opt/bin/yarn" resourcemanager
start "$nm" "$T/jhs.log" env HADOOP_CONF_DIR="$hm/conf" "$hm/opt/bin/mapred" historyserver
start "$nw" "$T/dn.log" env HADOOP_CONF_DIR="$hw/conf" "$hw/opt/bin/hdfs" datanode
start "$nw" "$T/nm.log" env HADOOP_CONF_DIR="$hw/conf" "$hw/opt/bin/yarn" nodemanager
hdfs="env HADOOP_CONF_DIR=$hm/conf $hm/opt/bin/hdfs"
check "hadoop: NameNode port 8020, safe mode off" poll "$nm" "disco_wait_port 8020 60 && $hdfs dfsadmin -safemode wait | grep -q 'Safe mode is OFF'"
check "hadoop: dfs -mkdir -p, -chmod 1777, -put, -test -e (as master.sh and spark/master.sh)" poll "$nm" "
  $hdfs dfs -mkdir -p /tmp /tmp/logs /spark && $hdfs dfs -chmod 1777 /tmp /tmp/logs && ! $hdfs dfs -test -e /spark/x.zip &&
  echo data >$T/x && $hdfs dfs -put -f $T/x /spark/x.zip && $hdfs dfs -test -e /spark/x.zip && $hdfs dfs -ls /tmp | grep -q 'drwxrwxrwt'"
check "hadoop: NumLiveDataNodes counts the worker's DataNode" poll "$nm" \
  "disco_wait_count 60 1 'live DataNodes' disco_json_field 'http://127.0.0.1:9870/jmx?qry=Hadoop:service=NameNode,name=FSNamesystemState' beans.0.NumLiveDataNodes"
check "hadoop: activeNodes counts the worker's NodeManager" poll "$nm" \
  "disco_wait_count 60 1 'active NodeManagers' disco_json_field http://127.0.0.1:8088/ws/v1/cluster/metrics clusterMetrics.activeNodes"
check "hadoop: /ws/v1/cluster/info and the JobHistory answer, marked stand-in" poll "$nm" \
  "disco_wait_url http://127.0.0.1:8088/ws/v1/cluster/info 30 && curl -si http://127.0.0.1:8088/ws/v1/cluster/info | grep -q 'X-DISCO-Stand-In: true' && disco_wait_url http://127.0.0.1:19888/ws/v1/history/info 30"
check "hadoop: yarn jar is refused (no YARN applications)" fails H "$nm" "$hm" "$hm/opt/bin/yarn" jar x.jar

# ---- Spark's real history server on hdfs:// through the NameNode stand-in's IPC ----
if [[ ${DISCO_SELFTEST_SPARK:-1} == 1 ]]; then
  s=$T/spark; unpack 'spark/*/spark-*.tgz' "$s/opt"; mkdir -p "$s/log"
  printf 'spark.history.fs.logDirectory hdfs://10.231.0.1:8020/spark-logs\nspark.history.ui.port 18080\n' >"$s/opt/conf/spark-defaults.conf"
  on "$nm" env HADOOP_CONF_DIR="$hm/conf" "$hm/opt/bin/hdfs" dfs -mkdir -p /spark-logs >/dev/null
  start "$nm" "$T/shs.log" env HADOOP_CONF_DIR="$hm/conf" SPARK_LOG_DIR="$s/log" "$s/opt/bin/spark-class" org.apache.spark.deploy.history.HistoryServer
  check "spark: the history server reads hdfs:///spark-logs and answers /api/v1/version" poll "$nm" "disco_wait_url http://127.0.0.1:18080/api/v1/version 240"
fi

# ---- Flink (real): JobManager on the master, a TaskManager on the worker, the mirror's smoke job ----
if [[ ${DISCO_SELFTEST_FLINK:-1} == 1 ]]; then
  for n in m w; do
    f=$T/flink-$n ip=10.231.0.1; [[ $n == w ]] && ip=10.231.0.2
    unpack 'flink/*/flink-*.tgz' "$f"
    python3 - "$f/conf/config.yaml" "$ip" <<'PY'
import sys, yaml
path, ip = sys.argv[1], sys.argv[2]
with open(path) as fh:
    cfg = yaml.safe_load(fh) or {}
for key in ("jobmanager", "taskmanager", "rest"):
    cfg.pop(key, None)
cfg.update({"jobmanager.rpc.address": "10.231.0.1", "jobmanager.bind-host": "0.0.0.0", "jobmanager.memory.process.size": "1000m",
            "taskmanager.host": ip, "taskmanager.bind-host": "0.0.0.0", "taskmanager.memory.process.size": "1200m",
            "taskmanager.numberOfTaskSlots": 2, "rest.address": "10.231.0.1", "rest.bind-address": "0.0.0.0"})
with open(path, "w") as fh:
    yaml.safe_dump(cfg, fh)
PY
  done
  start "$nm" "$T/jm.log" env FLINK_LOG_DIR="$T/flink-m/log" "$T/flink-m/bin/jobmanager.sh" start-foreground
  start "$nw" "$T/tm.log" env FLINK_LOG_DIR="$T/flink-w/log" "$T/flink-w/bin/taskmanager.sh" start-foreground
  check "flink: /overview counts the worker's TaskManager" poll "$nm" \
    "disco_wait_url http://127.0.0.1:8081/overview 180 && disco_wait_count 120 1 'Flink TaskManagers' disco_json_field http://127.0.0.1:8081/overview taskmanagers"
  check "flink: the mirror's smoke job runs on the worker's TaskManager" poll "$nm" \
    "FLINK_LOG_DIR=$T/flink-m/log timeout 300 $T/flink-m/bin/flink run -m 10.231.0.1:8081 $T/flink-m/examples/streaming/DiscoSumOfSquares.jar 100000 2 | grep -q ', correct'"
fi

# ---- Kafka: controller on the master, broker on the worker (kafka/all.sh's dynamic quorum) ----
for n in m w; do unpack 'kafka/*/kafka_*.tgz' "$T/kafka-$n"; done
km=$T/kafka-m kw=$T/kafka-w
printf '%s\n' process.roles=controller node.id=0 listeners=CONTROLLER://0.0.0.0:9093 advertised.listeners=CONTROLLER://10.231.0.1:9093 \
  controller.quorum.bootstrap.servers=10.231.0.1:9093 controller.listener.names=CONTROLLER "log.dirs=$km/data" num.partitions=3 \
  default.replication.factor=1 >"$km/cfg"
printf '%s\n' process.roles=broker node.id=1 listeners=PLAINTEXT://0.0.0.0:9092 advertised.listeners=PLAINTEXT://10.231.0.2:9092 \
  controller.quorum.bootstrap.servers=10.231.0.1:9093 controller.listener.names=CONTROLLER "log.dirs=$kw/data" >"$kw/cfg"
kformat() {
  on "$nm" env LOG_DIR="$T/kafka-log" "$km/bin/kafka-storage.sh" format --ignore-formatted --cluster-id selftest --standalone --config "$km/cfg" &&
    on "$nw" env LOG_DIR="$T/kafka-log" "$kw/bin/kafka-storage.sh" format --ignore-formatted --cluster-id selftest --no-initial-controllers --config "$kw/cfg"
}
kdynamic() { # a controller of a dynamic quorum needs one of the three options; a static quorum refuses them
  sed 's|/data$|/data2|' "$km/cfg" >"$km/cfg2"
  sed 's/^controller.quorum.bootstrap.servers=.*/controller.quorum.voters=0@10.231.0.1:9093/; s|/data$|/data3|' "$km/cfg" >"$km/cfg3"
  fails "$km/bin/kafka-storage.sh" format -t selftest -c "$km/cfg2" && fails "$km/bin/kafka-storage.sh" format -t selftest -c "$km/cfg3" --standalone
}
check "kafka: kafka-storage.sh format (--standalone on the controller, --no-initial-controllers on the broker)" kformat
check "kafka: format refuses a dynamic-quorum controller without --standalone, a static one with it" kdynamic
start "$nm" "$T/kc.log" "$km/bin/kafka-server-start.sh" "$km/cfg"
start "$nw" "$T/kb.log" "$kw/bin/kafka-server-start.sh" "$kw/cfg"
check "kafka: the broker joins (kafka/master.sh's Observer count)" poll "$nm" \
  "disco_wait_port 9093 60 && disco_wait_count 60 1 'Kafka brokers' bash -c '$km/bin/kafka-metadata-quorum.sh --bootstrap-controller 127.0.0.1:9093 describe --replication | grep -c Observer'"
check "kafka: a topic is created, written and read through the broker" poll "$nm" "
  $km/bin/kafka-topics.sh --bootstrap-server 10.231.0.2:9092 --create --topic selftest &&
  printf 'a\nb\n' | $km/bin/kafka-console-producer.sh --bootstrap-server 10.231.0.2:9092 --topic selftest &&
  [[ \$($km/bin/kafka-console-consumer.sh --bootstrap-server 10.231.0.2:9092 --topic selftest --from-beginning --max-messages 2 2>/dev/null | tr -d '\n') == ab ]]"

# ---- Storm: Nimbus and UI on the master, a Supervisor on the worker, through ZooKeeper ----
for n in m w; do
  st=$T/storm-$n ip=10.231.0.1; [[ $n == w ]] && ip=10.231.0.2
  unpack 'storm/*/apache-storm-*.tar.gz' "$st"
  printf 'storm.zookeeper.servers:\n  - "10.231.0.1"\nnimbus.seeds: ["10.231.0.1"]\nstorm.local.dir: "%s/local"\nstorm.local.hostname: "%s"\nsupervisor.slots.ports:\n  - 6700\n  - 6701\n' "$st" "$ip" >"$st/conf/storm.yaml"
done
start "$nm" "$T/nimbus.log" "$T/storm-m/bin/storm" nimbus
start "$nm" "$T/ui.log" "$T/storm-m/bin/storm" ui
start "$nw" "$T/sup.log" "$T/storm-w/bin/storm" supervisor
check "storm: the UI counts the worker's Supervisor" poll "$nm" \
  "disco_wait_url http://127.0.0.1:8080/api/v1/cluster/summary 120 && disco_wait_count 60 1 'Storm Supervisors' disco_json_field http://127.0.0.1:8080/api/v1/cluster/summary supervisors"

# ---- Zeppelin: DISCO's edit of the Spark interpreter settings, the server on 8070 ----
zp=$T/zeppelin; unpack 'zeppelin/*/zeppelin-*.tgz' "$zp"
printf 'export ZEPPELIN_ADDR=0.0.0.0\nexport ZEPPELIN_PORT=8070\n' >"$zp/conf/zeppelin-env.sh"
zedit() { # zeppelin/master.sh's own python edit of the Spark interpreter settings, run on the stand-in's file
  sed -n "/interpreter-setting.json\" <<'PY'/,/^PY\$/p" "$root/Sources/DiscoCore/Resources/components/zeppelin/master.sh" | sed '1d;$d' >"$T/zedit.py"
  [[ -s $T/zedit.py ]] && python3 "$T/zedit.py" "$zp/interpreter/spark/interpreter-setting.json"
}
check "zeppelin: master.sh's edit finds every key it sets in interpreter/spark/interpreter-setting.json" zedit
start "$nm" "$T/zeppelin.log" "$zp/bin/zeppelin.sh"
check "zeppelin: /api/version answers on ZEPPELIN_PORT; the settings show spark.master yarn" poll "$nm" "disco_wait_url http://127.0.0.1:8070/api/version 60 && curl -s http://127.0.0.1:8070/api/version | grep -q '\"standIn\": true' && curl -s http://127.0.0.1:8070/api/interpreter/setting | grep -q '\"spark.master\", \"value\": \"yarn\"'"

# ---- every line the stand-in daemons printed says stand-in ----
check "stand-ins: every line of their logs is marked" marked "$T"/{nn,rm,jhs,dn,nm,kc,kb,nimbus,ui,sup,zeppelin}.log

# ---- the mirror server: a good download, and a wrong checksum refused ----
art=$(cd "$mirror" && compgen -G 'hadoop/common/*/hadoop-*.tar.gz' | head -n1)
start "$nm" "$T/serve.log" bash "$here/../mirror.sh" serve "$mirror" 10.231.0.1 8099 "$T/requests.log"
start "$nm" "$T/serve-bad.log" bash "$here/../mirror.sh" serve "$mirror" 10.231.0.1 8098 "$T/requests-bad.log" --wrong-checksum "$art"
fetch() { # fetch PORT: the prelude's disco_prefetch of the Hadoop artefact (what the master does), on the worker
  local log=$T/serve.log
  [[ $1 == 8099 ]] || log=$T/serve-bad.log
  until [[ -s $log ]]; do sleep 0.2; done
  on "$nw" bash -c "DISCO_ROLE=master DISCO_NODE_INDEX=0 DISCO_CLUSTER=t DISCO_COMPONENTS=hadoop DISCO_CURRENT=hadoop
    DISCO_MIRROR=http://10.231.0.1:$1 DISCO_CHECKSUM_BASE=http://10.231.0.1:$1 DISCO_DL_HADOOP_PATH='$art' DISCO_DL_HADOOP_SHA512=''
    . '$T/prelude.sh'; DISCO_WWW='$T'; DISCO_ART='$T/art-$1'; sleep() { :; }; mkdir -p \$DISCO_ART/pub \$DISCO_ART/tmp
    disco_prefetch; test -f \$DISCO_ART/pub/${art##*/}"
}
fetch_good() { fetch 8099 && [[ $(wc -l <"$T/requests.log") == 2 ]]; }
fetch_bad() { ! fetch 8098 && [[ ! -e $T/art-8098/pub/${art##*/} && -s $T/art-8098/pub/${art##*/}.failed ]]; }
check "mirror: disco_prefetch downloads and verifies; one log line per request" fetch_good
check "mirror: --wrong-checksum makes disco_prefetch refuse the artefact, saying why" fetch_bad

echo "$pass passed, $failed failed"
((failed == 0))
