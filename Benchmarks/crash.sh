#!/usr/bin/env bash
# Crash safety: concurrent creates/scales/deletes against disco-sm (simulated cloud served over HTTP, so the cloud
# outlives each kill), SIGKILL at a random moment, restart, check — ROUNDS times (default 20). See crash.py.
#
#   Benchmarks/crash.sh                 # 20 rounds
#   ROUNDS=5 SEED=42 Benchmarks/crash.sh
# shellcheck source=Benchmarks/lib.sh
source "$(dirname "$0")/lib.sh"
build disco-sm
SIM_PORT=$(free_port)
start_sim "$SIM_PORT" --ready-seconds 0.3 --quota-instances 100000
SM_PORT=$(free_port)
write_sm_config "$SIM_PORT" "$SM_PORT" "$WORK/state"
echo "== crash safety; load $(loadavg)"
KEEP_WORK=${KEEP_WORK:-} timeout 600 python3 "$ROOT/Benchmarks/crash.py" "$SIM_PORT" "$SM_PORT" "$BIN/disco-sm" "$WORK/sm.cfg" "$WORK" \
    || { tail -n 30 "$WORK/sm-crash.log" >&2; exit 1; }
