#!/bin/bash
# DISCO stand-in for Zeppelin's bin/zeppelin.sh: reads conf/zeppelin-env.sh (ZEPPELIN_ADDR,
# ZEPPELIN_PORT, ...) and runs the stand-in server in the foreground (see DISCO-STAND-IN).
ZEPPELIN_HOME=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
ZEPPELIN_CONF_DIR=${ZEPPELIN_CONF_DIR:-$ZEPPELIN_HOME/conf}
export ZEPPELIN_HOME ZEPPELIN_CONF_DIR
if [ -f "$ZEPPELIN_CONF_DIR/zeppelin-env.sh" ]; then
  # shellcheck disable=SC1091  # the site's own environment file
  . "$ZEPPELIN_CONF_DIR/zeppelin-env.sh"
fi
export ZEPPELIN_ADDR ZEPPELIN_PORT ZEPPELIN_NOTEBOOK_DIR
exec python3 "$ZEPPELIN_HOME/disco-standin/zeppelin.py" "${1:-server}"
