#!/usr/bin/env bash
# Written by the DISCO mirror in place of upstream's bin/zkEnv.sh (Debian ships its own
# /etc/zookeeper/conf/environment instead): the environment of zkServer.sh, zkCli.sh and zkCleanup.sh.
# stand-in: the jars in lib/ are Debian's ZooKeeper, not the version the archive is named after.
# shellcheck disable=SC1091,SC2034  # optional user files; JAVA is read by the sourcing scripts
ZOOBINDIR="${ZOOBINDIR:-/usr/bin}"
ZOOKEEPER_PREFIX="${ZOOBINDIR}/.."
ZOOCFGDIR="${ZOOCFGDIR:-$ZOOKEEPER_PREFIX/conf}"
if [ -f "$ZOOCFGDIR/java.env" ]; then
  . "$ZOOCFGDIR/java.env"
fi
if [ -f "$ZOOCFGDIR/zookeeper-env.sh" ]; then
  . "$ZOOCFGDIR/zookeeper-env.sh"
fi
ZOOCFG="${ZOOCFG:-zoo.cfg}"
ZOOCFG="$ZOOCFGDIR/$ZOOCFG"
ZOO_LOG_DIR="${ZOO_LOG_DIR:-$ZOOKEEPER_PREFIX/logs}"
if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA=java
fi
CLASSPATH="$ZOOCFGDIR"
for jar in "$ZOOKEEPER_PREFIX"/lib/*.jar; do
  CLASSPATH="$CLASSPATH:$jar"
done
# Debian's jars log through log4j 1.2 and conf/log4j.properties.
JVMFLAGS="-Dzookeeper.root.logger=${ZOO_LOG4J_PROP:-INFO,CONSOLE} ${JVMFLAGS:-}"
ZK_SERVER_HEAP="${ZK_SERVER_HEAP:-1000}"
export SERVER_JVMFLAGS="-Xmx${ZK_SERVER_HEAP}m ${SERVER_JVMFLAGS:-}"
ZK_CLIENT_HEAP="${ZK_CLIENT_HEAP:-256}"
export CLIENT_JVMFLAGS="-Xmx${ZK_CLIENT_HEAP}m ${CLIENT_JVMFLAGS:-}"
if [ -f "$ZOOKEEPER_PREFIX/DISCO-STAND-IN" ]; then
  echo "$(head -n1 "$ZOOKEEPER_PREFIX/DISCO-STAND-IN") (see DISCO-STAND-IN)" >&2
fi
