#!/usr/bin/env bash
# Fault soak against a separate disco-sm process: LIFECYCLES (default 1000) create → ready/failed → scale → suspend →
# resume → delete lifecycles through the REST API, ~10% of each phase bringing a fault injected through the simulated
# cloud's control routes (Heat and Keystone 503 bursts, slow Heat, CREATE_FAILED, DELETE_FAILED, token expiry);
# disco-sm's RSS and heap in use (its /metrics) are sampled after every batch.
# Heat timeouts and answers lost after taking effect need a manual clock: the in-process soak (soak.sh) has them.
# See churn.py.
#
#   Benchmarks/churn.sh                      # 1000 lifecycles, release build
#   LIFECYCLES=200 SEED=7 Benchmarks/churn.sh
# shellcheck source=Benchmarks/lib.sh
source "$(dirname "$0")/lib.sh"
build disco-sm
SIM_PORT=$(free_port)
start_sim "$SIM_PORT" --ready-seconds 0.2 --quota-instances 1000 --control
SM_PORT=$(free_port)
write_sm_config "$SIM_PORT" "$SM_PORT" "$WORK/state"
start_sm "$WORK/sm.cfg" "$SM_PORT"
echo "== fault soak against the disco-sm process, ${LIFECYCLES:-1000} lifecycles; load $(loadavg)"
status=0
# shellcheck disable=SC2034 # KEEP_WORK is read by lib.sh's cleanup
timeout 1800 python3 "$ROOT/Benchmarks/churn.py" "$SIM_PORT" "$SM_PORT" "$SM_PID" "${LIFECYCLES:-1000}" \
    || { status=1; KEEP_WORK=1; tail -n 20 "$WORK/sm-$SM_PORT.log" >&2; }
stop_sm "$SM_PID" || status=1
exit "$status"
