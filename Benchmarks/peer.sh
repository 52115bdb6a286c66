#!/usr/bin/env bash
# Peer comparison: the same wrk run against heat-api's GET /v1/<project>/stacks/<name>/<id> (real OpenStack from
# scripts/openstack/up.sh, on 127.0.0.1:8004) and disco-sm's GET /api/v1/clusters/{id}, as a ratio.
# Needs /etc/disco-openstack/demo-openrc.sh (or OPENRC=…). Creates one stack with a single OS::Heat::None resource
# (no servers) and deletes it afterwards.
#
#   Benchmarks/peer.sh                  # wrk -t2 -c64 -d15s each
# shellcheck source=Benchmarks/lib.sh
source "$(dirname "$0")/lib.sh"
DURATION=${DURATION:-15s}
OPENRC=${OPENRC:-/etc/disco-openstack/demo-openrc.sh}
curl -s -m 2 -o /dev/null http://127.0.0.1:8004/ || { echo "peer: heat-api does not answer on 127.0.0.1:8004 (run scripts/openstack/up.sh)"; exit 0; }
[[ -r $OPENRC ]] || { echo "peer: no $OPENRC"; exit 0; }
# shellcheck disable=SC1090
source "$OPENRC"
build disco-sm
auth=$(python3 -c 'import json,os; print(json.dumps({"auth":{"identity":{"methods":["password"],"password":{"user":{"name":os.environ["OS_USERNAME"],"domain":{"name":os.environ.get("OS_USER_DOMAIN_NAME","Default")},"password":os.environ["OS_PASSWORD"]}}},"scope":{"project":{"name":os.environ["OS_PROJECT_NAME"],"domain":{"name":os.environ.get("OS_PROJECT_DOMAIN_NAME","Default")}}}}}))')
HEAT_TOKEN=$(curl -s -D - -o "$WORK/ks.json" -X POST "$OS_AUTH_URL/auth/tokens" -H 'Content-Type: application/json' -d "$auth" \
    | awk 'tolower($1) == "x-subject-token:" {print $2}' | tr -d '\r')
PROJECT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"]["project"]["id"])' "$WORK/ks.json")
NAME=disco-peer-bench-$$
curl -s -o "$WORK/stack.json" -X POST "http://127.0.0.1:8004/v1/$PROJECT/stacks" -H "X-Auth-Token: $HEAT_TOKEN" \
    -H 'Content-Type: application/json' \
    -d "{\"stack_name\":\"$NAME\",\"template\":{\"heat_template_version\":\"2018-08-31\",\"resources\":{\"nothing\":{\"type\":\"OS::Heat::None\"}}}}"
STACK_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stack"]["id"])' "$WORK/stack.json") \
    || die "heat did not create the stack: $(cat "$WORK/stack.json")"
trap 'curl -s -o /dev/null -X DELETE "http://127.0.0.1:8004/v1/$PROJECT/stacks/$NAME/$STACK_ID" -H "X-Auth-Token: $HEAT_TOKEN"; cleanup' EXIT
for _ in $(seq 100); do
    s=$(curl -s "http://127.0.0.1:8004/v1/$PROJECT/stacks/$NAME/$STACK_ID" -H "X-Auth-Token: $HEAT_TOKEN" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["stack"]["stack_status"])')
    [[ $s == CREATE_COMPLETE ]] && break
    sleep 0.2
done

SIM_PORT=$(free_port)
start_sim "$SIM_PORT" --ready-seconds 0.2
SM_PORT=$(free_port)
write_sm_config "$SIM_PORT" "$SM_PORT" "$WORK/state"
start_sm "$WORK/sm.cfg" "$SM_PORT"
TOKEN=$(token "$SM_PORT")
ID=$(create_cluster "$SM_PORT" "$TOKEN" peer)
wait_state "$SM_PORT" "$TOKEN" "$ID" ready 60

echo "== peer comparison, wrk -t2 -c64 -d$DURATION --latency, keep-alive; load $(loadavg)"
echo "$WRK_HEADER"
wrk -t2 -c64 -d"$DURATION" --latency -H "X-Auth-Token: $HEAT_TOKEN" "http://127.0.0.1:8004/v1/$PROJECT/stacks/$NAME/$STACK_ID" >"$WORK/heat.out" 2>&1 || true
wrk_summary "heat-api GET /stacks/{name}/{id}" "$WORK/heat.out"
wrk -t2 -c64 -d"$DURATION" --latency -H "X-Auth-Token: $TOKEN" "http://127.0.0.1:$SM_PORT/api/v1/clusters/$ID" >"$WORK/disco.out" 2>&1 || true
wrk_summary "disco-sm GET /api/v1/clusters/{id}" "$WORK/disco.out"
python3 - "$WORK/heat.out" "$WORK/disco.out" <<'PY'
import re, sys
rps = [float(re.search(r"Requests/sec:\s+([\d.]+)", open(p).read()).group(1)) for p in sys.argv[1:]]
print(f"ratio disco-sm / heat-api: {rps[1] / max(rps[0], 0.001):.1f}× the requests per second")
PY
echo "   load after: $(loadavg)"
