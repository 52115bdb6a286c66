#!/bin/bash
# DISCO stand-in for Kafka's kafka-run-class.sh: like the real one it makes $LOG_DIR (default
# <kafka>/logs) before it runs the tool, then runs the stand-in's python instead of a JVM.
# Usage: kafka-run-class.sh TOOL ARGS... (TOOL: storage, server, topics, metadata-quorum, ...)
base_dir=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
LOG_DIR=${LOG_DIR:-$base_dir/logs}
if [ ! -d "$LOG_DIR" ]; then
  mkdir -p "$LOG_DIR" 2> >(sed 's/^/[stand-in kafka] /' >&2)
fi
exec python3 "$base_dir/disco-standin/kafka.py" "$@"
