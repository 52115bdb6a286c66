#!/usr/bin/env bash
# Server load benchmark: wrk against a release disco-sm talking to the simulated cloud over HTTP.
#
#   Benchmarks/load.sh                 # full run (≈ 2 min of wrk plus build)
#   DURATION=5s Benchmarks/load.sh     # shorter wrk runs
#   SKIP_BUILD=1 Benchmarks/load.sh    # use the existing .build/release binaries
#
# Prints: req/s, p50/p99 latency, non-2xx and socket errors per endpoint; disco-sm RSS; the time from process start
# to /healthz answering with 10,000 clusters loaded; RSS with 10,000 clusters.
# With HEAT_URL (e.g. http://127.0.0.1:8004) and HEAT_STACK_PATH=/v1/<project>/stacks/<name>/<id> and HEAT_TOKEN,
# the same wrk run goes to heat-api's stack GET for a side-by-side ratio.
# shellcheck source=Benchmarks/lib.sh
source "$(dirname "$0")/lib.sh"
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
CLUSTERS=${CLUSTERS:-10000}
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
build disco-sm disco-bench

SIM_PORT=$(free_port)
start_sim "$SIM_PORT" --ready-seconds 0.2 --quota-instances 1000000
SM_PORT=$(free_port)
write_sm_config "$SIM_PORT" "$SM_PORT" "$WORK/state"
start_sm "$WORK/sm.cfg" "$SM_PORT"
TOKEN=$(token "$SM_PORT")
ID=$(create_cluster "$SM_PORT" "$TOKEN" load-one)
wait_state "$SM_PORT" "$TOKEN" "$ID" ready 60
log "cluster $ID ready; disco-sm pid $SM_PID, RSS $(rss_kib "$SM_PID") KiB"

echo "== disco-sm load, wrk -t2 -c$CONNECTIONS -d$DURATION, keep-alive; load before: $(loadavg)"
echo "$WRK_HEADER"
run_wrk() { # NAME URL [extra wrk args…]
    local name=$1 url=$2; shift 2
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "X-Auth-Token: $TOKEN" "$@" "$url" >"$WORK/wrk.out" 2>&1 || true
    wrk_summary "$name" "$WORK/wrk.out"
}
run_wrk "GET /disco/{id}" "http://127.0.0.1:$SM_PORT/disco/$ID"
run_wrk "GET /api/v1/clusters/{id}" "http://127.0.0.1:$SM_PORT/api/v1/clusters/$ID"
echo "   load after: $(loadavg); disco-sm RSS $(rss_kib "$SM_PID") KiB"

# POST /disco/ creates: each one plans, makes two SSH key pairs, delegates a credential and writes the record (fsync).
cat >"$WORK/create.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/occi"
wrk.headers["Category"] = 'disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind";'
wrk.headers["X-OCCI-Attribute"] = 'icclab.disco.components.heat.masterimage="ubuntu-22.04", icclab.disco.components.heat.slaveimage="ubuntu-22.04", icclab.disco.components.heat.masterflavor="m1.large", icclab.disco.components.heat.slaveflavor="m1.large", icclab.disco.components.heat.externalnetworkname="public", icclab.disco.components.heat.slavecount="1", icclab.disco.dependencies.inject="{\'spark\': \'\'}"'
EOF
CREATE_CONNECTIONS=${CREATE_CONNECTIONS:-8}
wrk -t2 -c"$CREATE_CONNECTIONS" -d"${CREATE_DURATION:-10s}" --latency -H "X-Auth-Token: $TOKEN" -s "$WORK/create.lua" \
    "http://127.0.0.1:$SM_PORT/disco/" >"$WORK/wrk.out" 2>&1 || true
wrk_summary "POST /disco/ (create, -c$CREATE_CONNECTIONS)" "$WORK/wrk.out"
created=$(curl -s "http://127.0.0.1:$SM_PORT/healthz" | python3 -c 'import json,sys; print(sum(json.load(sys.stdin)["clusters"].values()))')
echo "   clusters recorded after the create run: $created; disco-sm RSS $(rss_kib "$SM_PID") KiB; load $(loadavg)"
stop_sm "$SM_PID" || STOP_FAILED=1

# 10,000 ready clusters: seed, restart, list.
"$BIN/disco-bench" seed-state --dir "$WORK/state10k" --count "$CLUSTERS" --project demo >&2
write_sm_config "$SIM_PORT" "$SM_PORT" "$WORK/state10k"
log "restarting disco-sm on $CLUSTERS clusters"
start_sm_timed "$WORK/sm.cfg" "$SM_PORT" "$CLUSTERS"
RSS_IDLE=$(rss_kib "$SM_PID")
echo "== restart with $CLUSTERS ready clusters: process start → /healthz with all loaded in $READY_MS ms (target < 1000); RSS $((RSS_IDLE / 1024)) MiB (target < 100); load $(loadavg)"
TOKEN=$(token "$SM_PORT")
bytes=$(curl -s -H "X-Auth-Token: $TOKEN" "http://127.0.0.1:$SM_PORT/disco/" | wc -c)
echo "   GET /disco/ body with $CLUSTERS clusters: $((bytes / 1024)) KiB"
echo "$WRK_HEADER"
rss_sample_start "$SM_PID"
CONNECTIONS=${LIST_CONNECTIONS:-16} run_wrk "GET /disco/ ($CLUSTERS clusters, -c${LIST_CONNECTIONS:-16})" "http://127.0.0.1:$SM_PORT/disco/"
CONNECTIONS=${LIST_CONNECTIONS:-16} run_wrk "GET /api/v1/clusters (page of 1000, -c${LIST_CONNECTIONS:-16})" "http://127.0.0.1:$SM_PORT/api/v1/clusters"
run_wrk "GET /api/v1/clusters?limit=100&marker=…" "http://127.0.0.1:$SM_PORT/api/v1/clusters?limit=100&marker=5eed0000-0000-4000-8000-000000005000"
run_wrk "GET /disco/{id} ($CLUSTERS in registry)" "http://127.0.0.1:$SM_PORT/disco/5eed0000-0000-4000-8000-000000000042"
RSS_PEAK=$(rss_sample_stop)
echo "   disco-sm RSS with $CLUSTERS clusters: idle $((RSS_IDLE / 1024)) MiB, at most $((RSS_PEAK / 1024)) MiB during the four runs (every 50 ms), $(($(rss_kib "$SM_PID") / 1024)) MiB after; load $(loadavg)"

if [[ -n "${HEAT_URL:-}" && -n "${HEAT_STACK_PATH:-}" && -n "${HEAT_TOKEN:-}" ]]; then
    echo "== peer: heat-api GET stack vs disco-sm GET cluster, same wrk settings"
    TOKEN=$HEAT_TOKEN run_wrk "heat-api GET $HEAT_STACK_PATH" "$HEAT_URL$HEAT_STACK_PATH"
fi
[[ -z "${STOP_FAILED:-}" ]] || die "disco-sm did not stop gracefully (see above)"
