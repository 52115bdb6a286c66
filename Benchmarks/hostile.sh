#!/usr/bin/env bash
# Hostile input against disco-sm (simulated cloud over HTTP with a second user in another project): ~150 malformed or
# hostile requests, 20,000 unknown paths against /metrics, slowlorises from one and from ten addresses (127.0.0.x),
# a grep for secrets in responses and logs, and the log file's mode and line shape; before that, state directories
# disco-sm must refuse. See hostile.py.
#
#   Benchmarks/hostile.sh              # IDLE=2000 half-sent requests from one address, then 1,300 from ten
#   CONFIGURATION=debug Benchmarks/hostile.sh
# shellcheck source=Benchmarks/lib.sh
source "$(dirname "$0")/lib.sh"
build disco-sm
ulimit -n 8192 2>/dev/null || true
PASSWORD=Secr3t-Hostile-pw
SIM_PORT=$(free_port)
start_sim "$SIM_PORT" --ready-seconds 0.3 --quota-instances 1000 --user "mallory:$PASSWORD:other" --control
SM_PORT=$(free_port)
MAX_CLUSTERS=2 CREATES_PER_MINUTE=3 write_sm_config "$SIM_PORT" "$SM_PORT" "$WORK/state" "[general]" "log_level = debug" "log_file = $WORK/sm-file.log"
# A state directory other users can reach, and none at all (no --state-dir, HOME or XDG_STATE_HOME): refused at start
# with the configuration's status (78), naming the fix.
mkdir -m 0755 "$WORK/open-state"
refused() {
    local want=$1 status=0; shift
    timeout 20 "$@" >"$WORK/refused.log" 2>&1 || status=$?  # a server that starts instead is ended: 124
    if [[ $status != 78 ]] || ! grep -qF -- "$want" "$WORK/refused.log"; then
        die "disco-sm $*: status $status, want 78 with '$want': $(head -c 300 "$WORK/refused.log")"
    fi
}
refused "run chmod 700 $WORK/open-state" "$BIN/disco-sm" --port "$(free_port)" --state-dir "$WORK/open-state"
refused "give one with --state-dir" env -u HOME -u XDG_STATE_HOME -u SM_CONFIG_PATH "$BIN/disco-sm" --port "$(free_port)"
echo "state directory: mode 0755 and none at all refused with status 78"
start_sm "$WORK/sm.cfg" "$SM_PORT"
echo "== hostile input; load $(loadavg)"
# The log file (its mode, one event per line, no secret) and standard error (no secret) are both checked.
HOSTILE_PASSWORD=$PASSWORD HOSTILE_SIM_PORT=$SIM_PORT timeout 300 python3 "$ROOT/Benchmarks/hostile.py" "$SM_PORT" "$WORK/sm-file.log" "$WORK/sm-$SM_PORT.log"
