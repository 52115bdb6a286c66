#!/usr/bin/env bash
# Restart benchmark: a release disco-sm starting on a state directory of N ready clusters.
#
#   Benchmarks/restart.sh                    # 10,000 clusters, 5 restarts
#   CLUSTERS=1000 RUNS=3 Benchmarks/restart.sh
#
# Prints per restart the milliseconds from process start to /healthz answering with every cluster loaded, and the
# resident memory idle after it; then the median and the largest RSS. Targets: < 1,000 ms and < 100 MB at 10,000.
# shellcheck source=Benchmarks/lib.sh
source "$(dirname "$0")/lib.sh"
CLUSTERS=${CLUSTERS:-10000}
RUNS=${RUNS:-5}
build disco-sm disco-bench

SIM_PORT=$(free_port)
start_sim "$SIM_PORT" --ready-seconds 0.2 --quota-instances 1000000
SM_PORT=$(free_port)
"$BIN/disco-bench" seed-state --dir "$WORK/state" --count "$CLUSTERS" --project demo >&2
write_sm_config "$SIM_PORT" "$SM_PORT" "$WORK/state"

times=() rss=()
for ((run = 1; run <= RUNS; run++)); do
    start_sm_timed "$WORK/sm.cfg" "$SM_PORT" "$CLUSTERS"
    sleep 1 # let the start-up's garbage be returned before reading the resident set
    times+=("$READY_MS") rss+=("$(rss_kib "$SM_PID")")
    echo "restart $run: $READY_MS ms to /healthz with $CLUSTERS clusters; RSS idle $((rss[-1] / 1024)) MiB; load $(loadavg)"
    stop_sm "$SM_PID" || STOP_FAILED=1
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
max_rss=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
echo "== restart with $CLUSTERS ready clusters: median $median ms of $RUNS (target < 1000); RSS idle at most $((max_rss / 1024)) MiB (target < 100)"
[[ -z "${STOP_FAILED:-}" ]] || die "disco-sm did not stop gracefully (see above)"
