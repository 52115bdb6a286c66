#!/bin/bash
# DISCO stand-in for Kafka's kafka-server-start.sh [-daemon] server.properties (see DISCO-STAND-IN).
bin=$(dirname "$(readlink -f "$0")")
if [ "${1:-}" = "-daemon" ]; then
  shift
  LOG_DIR=${LOG_DIR:-$bin/../logs}
  nohup "$bin/kafka-run-class.sh" server "$@" >>"$LOG_DIR/kafkaServer.out" 2>&1 </dev/null &
  exit 0
fi
exec "$bin/kafka-run-class.sh" server "$@"
