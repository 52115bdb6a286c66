#!/bin/bash
# DISCO stand-in for Zeppelin's bin/zeppelin-daemon.sh start|stop|status|restart.
ZEPPELIN_HOME=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
pidfile=$ZEPPELIN_HOME/run/zeppelin.pid
running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
case ${1:-} in
  start)
    if running; then echo "[stand-in zeppelin] Zeppelin is already running"; exit 0; fi
    mkdir -p "$ZEPPELIN_HOME/run" "$ZEPPELIN_HOME/logs"
    nohup "$ZEPPELIN_HOME/bin/zeppelin.sh" >>"$ZEPPELIN_HOME/logs/zeppelin.out" 2>&1 </dev/null &
    echo $! >"$pidfile"
    echo "[stand-in zeppelin] Zeppelin start [ OK ]" ;;
  stop)
    if running; then kill "$(cat "$pidfile")"; fi
    rm -f "$pidfile"
    echo "[stand-in zeppelin] Zeppelin stop [ OK ]" ;;
  status)
    if running; then echo "[stand-in zeppelin] Zeppelin is running [ OK ]"; else echo "[stand-in zeppelin] Zeppelin is not running"; exit 1; fi ;;
  restart) "$0" stop; exec "$0" start ;;
  *) echo "[stand-in zeppelin] Usage: zeppelin-daemon.sh {start|stop|restart|status}"; exit 1 ;;
esac
