# zeppelin: notebook server on the master; Spark interpreter on YARN (client mode).
local z=/opt/zeppelin opens
disco_step zeppelin "installing Apache Zeppelin"
disco_unpack zeppelin zeppelin
install -d -o "$DISCO_USER" -g "$DISCO_USER" "$z/logs" "$z/run" "$z/notebook" "$z/local-repo"
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED"
cat >"$z/conf/zeppelin-env.sh" <<ENV
# written by DISCO
export JAVA_HOME="${JAVA_HOME}"
export ZEPPELIN_ADDR=0.0.0.0
export ZEPPELIN_PORT=8070
export ZEPPELIN_MEM="-Xms256m -Xmx${DISCO_ZEPPELIN_MEMORY_MB}m"
export ZEPPELIN_JAVA_OPTS="${opens}"
export ZEPPELIN_INTP_JAVA_OPTS="${opens}"
export SPARK_HOME=/opt/spark
export HADOOP_CONF_DIR=/etc/hadoop
export USE_HADOOP=true
export PYSPARK_PYTHON=python3
ENV

# Spark interpreter defaults (used when conf/interpreter.json is first created): YARN, client mode, python3.
# Every key must be one the shipped interpreter-setting.json declares, else the value would be silently ignored.
python3 - "$z/interpreter/spark/interpreter-setting.json" "${DISCO_MEM_ZEPPELIN_INTERPRETER_MB}m" <<'PY'
import json, sys
want = {"spark.master": "yarn", "spark.submit.deployMode": "client", "spark.driver.memory": sys.argv[2],
        "PYSPARK_PYTHON": "python3", "PYSPARK_DRIVER_PYTHON": "python3"}
with open(sys.argv[1]) as f:
    doc = json.load(f)
seen = set()
for setting in doc:
    for k, v in want.items():
        if k in setting.get("properties", {}):
            setting["properties"][k]["defaultValue"] = v
            seen.add(k)
missing = sorted(set(want) - seen)
if missing:
    sys.exit("interpreter-setting.json has no " + ", ".join(missing))
with open(sys.argv[1], "w") as f:
    json.dump(doc, f, indent=1)
PY
chown -R "$DISCO_USER:$DISCO_USER" "$(readlink -f "$z")"
disco_service zeppelin "$DISCO_USER" "$z/bin/zeppelin.sh"
