#!/usr/bin/env bash
# Stops exactly the daemons scripts/openstack/up.sh started, by the PIDs it recorded in /run/disco-openstack
# (never by process name): SIGTERM to each OpenStack daemon in parallel, then RabbitMQ, epmd and MariaDB;
# SIGKILL for a daemon or one of its recorded children still alive after the grace period.
# Data, packages and configs stay, so the next up.sh is quick. Safe to run when nothing runs.
#   sudo scripts/openstack/down.sh            everything
#   sudo scripts/openstack/down.sh NAME...    only those (e.g. heat-api heat-engine; up.sh restarts them)
set -uo pipefail
RUN=/run/disco-openstack
GRACE=${DISCO_OS_STOP_GRACE:-20}
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
[ -d "$RUN" ] || exit 0

# shellcheck disable=SC2013  # the children file is one line of PIDs
tree() { local c; for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do echo "$c"; tree "$c"; done; }
stop() {
  local name=$1 pid kids k
  pid=$(cat "$RUN/$name.pid" 2>/dev/null) || return 0
  if ! kill -0 "$pid" 2>/dev/null || ! grep -qaF "$(cat "$RUN/$name.match" 2>/dev/null)" "/proc/$pid/cmdline"; then
    echo "$name: pid $pid is not ours any more; nothing to do"; rm -f "$RUN/$name.pid" "$RUN/$name.match"; return 0
  fi
  kids=$(tree "$pid")   # the workers (uwsgi, oslo.service, beam.smp) are listed before their parent goes
  kill -TERM "$pid"
  for _ in $(seq $(( GRACE * 2 ))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && { echo "$name: SIGKILL $pid"; kill -KILL "$pid"; }
  for _ in $(seq 10); do
    local alive=""; for k in $kids; do kill -0 "$k" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && break; sleep 0.5
  done
  for k in $kids; do kill -0 "$k" 2>/dev/null && { echo "$name: SIGKILL child $k"; kill -KILL "$k"; }; done
  rm -f "$RUN/$name.pid" "$RUN/$name.match"
  echo "$name: stopped"
}

t0=$(date +%s)
if [ $# -gt 0 ]; then for n in "$@"; do stop "$n"; done; exit 0; fi
for n in nova-api nova-compute nova-scheduler nova-conductor neutron-server glance-api placement heat-api heat-engine keystone; do
  stop "$n" &
done
wait
for n in rabbitmq epmd mariadb; do stop "$n"; done
for f in "$RUN"/*.pid; do [ -e "$f" ] && stop "$(basename "$f" .pid)"; done
echo "down in $(( $(date +%s) - t0 ))s"
