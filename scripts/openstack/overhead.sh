#!/usr/bin/env bash
# DISCO's own overhead on the real cloud of scripts/openstack/up.sh: the time from POST /api/v1/clusters to
# "ready" through disco-sm, minus the time a direct Heat create + poll (what `openstack stack create --wait`
# does, with curl instead of the Python CLI's start-up) takes for the same template, with the same signalling.
# The runs alternate (DISCO, direct, DISCO, direct, ...), one at a time, both polled every POLL seconds.
#
#   scripts/openstack/overhead.sh [runs]        (needs: swift build; jq; curl; the services up)
# Environment: DISCO_OPENSTACK_OPENRC (default /etc/disco-openstack/demo-openrc.sh), POLL (default 1),
#   SPEC (the cluster; default a master, 2 workers, hadoop).
set -Eeuo pipefail
runs=${1:-2}
POLL=${POLL:-1}
here=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck disable=SC1090
. "${DISCO_OPENSTACK_OPENRC:-/etc/disco-openstack/demo-openrc.sh}"
SPEC=${SPEC:-'{"name":"NAME","master":{"image":"ubuntu-22.04","flavor":"m1.large"},"worker":{"image":"ubuntu-22.04","flavor":"m1.medium"},"workers":2,"externalNetwork":"public","components":{"hadoop":{}}}'}
work=$(mktemp -d)
sm_pid="" sig_pid=""
cleanup() { [ -n "$sig_pid" ] && kill "$sig_pid" 2>/dev/null; [ -n "$sm_pid" ] && kill "$sm_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# A Keystone token and the Heat endpoint.
jq -n --arg u "$OS_USERNAME" --arg p "$OS_PASSWORD" --arg pr "$OS_PROJECT_NAME" '{auth:{identity:{methods:["password"],
  password:{user:{name:$u,domain:{name:"Default"},password:$p}}},scope:{project:{name:$pr,domain:{name:"Default"}}}}}' >"$work/auth.json"
curl -sf -D "$work/auth.head" -o "$work/token.json" -H 'Content-Type: application/json' -d @"$work/auth.json" "$OS_AUTH_URL/auth/tokens"
TOKEN=$(awk 'tolower($1)=="x-subject-token:" {print $2}' "$work/auth.head" | tr -d '\r')
HEAT=$(jq -r '.token.catalog[] | select(.type=="orchestration") | .endpoints[] | select(.interface=="public") | .url' "$work/token.json")
h() { curl -sf -H "X-Auth-Token: $TOKEN" -H 'Accept: application/json' "$@"; }

# The install scripts' part (the fake driver runs no user data): once a stack's install_wait waits, a token minted
# from the install_handle's `signal` credentials (HEAT_SIGNAL, what Heat puts in the user data), then one SUCCESS
# signal per component to its alarm_url, as the prelude's disco_signal does.
signaller() {
  local s signal keystone wc_token alarm c
  while :; do
    for s in $(h "$HEAT/stacks" | jq -r '.stacks[] | select(.stack_status=="CREATE_IN_PROGRESS") | "\(.stack_name)/\(.id)"'); do
      [ -e "$work/signalled.${s#*/}" ] && continue
      [ "$(h "$HEAT/stacks/$s/resources/install_wait" | jq -r .resource.resource_status)" = CREATE_IN_PROGRESS ] || continue
      signal=$(h "$HEAT/stacks/$s/resources/install_handle" | jq -r '.resource.attributes.signal')
      keystone=$(jq -r '.auth_url | sub("/$"; "") | if endswith("/v3") then . else . + "/v3" end' <<<"$signal")
      wc_token=$(jq '{auth: {identity: {methods: ["password"], password: {user: {id: .user_id, password: .password}}},
                             scope: {project: {id: .project_id}}}}' <<<"$signal" \
        | curl -sf -o /dev/null -D - -H 'Content-Type: application/json' --data-binary @- "$keystone/auth/tokens" \
        | tr -d '\r' | awk 'tolower($1) == "x-subject-token:" { print $2 }')
      alarm=$(jq -r .alarm_url <<<"$signal")
      for c in $(h "$HEAT/stacks/$s/resources/install_wait/metadata" | jq -r '.metadata.disco.components[]'); do
        curl -sf -o /dev/null -X POST -H "X-Auth-Token: $wc_token" -H 'Content-Type: application/json' \
          -d "{\"status\":\"SUCCESS\",\"id\":\"$c\",\"reason\":\"$c ready\",\"data\":\"$c ready\"}" "$alarm"
      done
      touch "$work/signalled.${s#*/}"
    done
    sleep 0.3
  done
}
signaller & sig_pid=$!

# disco-sm on the real cloud.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/sm.cfg" <<EOF
[service_manager]
design_uri = $OS_AUTH_URL
port = $port
state_directory = $work/state
[disco]
cloud = openstack
poll_interval = $POLL
EOF
"$here/.build/debug/disco-sm" -c "$work/sm.cfg" >"$work/sm.log" 2>&1 & sm_pid=$!
SM=http://127.0.0.1:$port
for _ in $(seq 100); do curl -s -o /dev/null "$SM/healthz" && break; sleep 0.1; done

wait_gone() { while [ "$(h "$HEAT/stacks" | jq --arg n "$1" '[.stacks[] | select(.stack_name==$n)] | length')" != 0 ]; do sleep 1; done; }
disco_run() {  # -> seconds from POST to ready
  local body id t0 t1 state
  body=${SPEC//NAME/ovh$1}
  t0=$(now)
  id=$(curl -sf -H "X-Auth-Token: $TOKEN" -H "Content-Type: application/json" -d "$body" "$SM/api/v1/clusters" | jq -r .id)
  while state=$(curl -sf -H "X-Auth-Token: $TOKEN" "$SM/api/v1/clusters/$id" | jq -r .state); [ "$state" != ready ]; do
    [ "$state" = failed ] && { tail -20 "$work/sm.log" >&2; echo "cluster failed" >&2; exit 1; }
    sleep 0.2
  done
  t1=$(now)
  local stack; stack=$(curl -sf -H "X-Auth-Token: $TOKEN" "$SM/api/v1/clusters/$id" | jq -r .stackName)
  curl -sf -o /dev/null -X DELETE -H "X-Auth-Token: $TOKEN" "$SM/api/v1/clusters/$id"
  while [ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $TOKEN" "$SM/api/v1/clusters/$id")" != 404 ]; do sleep 1; done
  wait_gone "$stack"
  secs "$t0" "$t1"
}
direct_run() {  # same template (from disco-sm's planner) straight to Heat, polled like `stack create --wait`
  local name=direct-ovh$1 t0 t1 id status
  rm -f "$work/k" "$work/k.pub"; ssh-keygen -q -t ed25519 -N '' -f "$work/k"
  curl -sf -H "X-Auth-Token: $TOKEN" -H "Content-Type: application/json" -d "${SPEC//NAME/ovh$1}" "$SM/api/v1/plan?format=json" | jq -r .template >"$work/template.json"
  jq -n --arg n "$name" --slurpfile t "$work/template.json" --arg k "$(cat "$work/k.pub")" \
    '{stack_name:$n, template:($t[0] | .resources.keypair.properties.public_key = $k), timeout_mins:60, disable_rollback:true}' >"$work/create.json"
  t0=$(now)
  id=$(h -H 'Content-Type: application/json' -d @"$work/create.json" "$HEAT/stacks" | jq -r .stack.id)
  while status=$(h "$HEAT/stacks/$name/$id" | jq -r .stack.stack_status); [ "$status" = CREATE_IN_PROGRESS ]; do sleep "$POLL"; done
  t1=$(now)
  [ "$status" = CREATE_COMPLETE ] || { echo "direct stack: $status" >&2; exit 1; }
  h -o /dev/null -X DELETE "$HEAT/stacks/$name/$id"
  wait_gone "$name"
  secs "$t0" "$t1"
}

printf '%-4s %12s %12s %10s\n' run disco_s heat_s overhead_s
total_d=0 total_h=0
for i in $(seq "$runs"); do
  d=$(disco_run "$i"); hh=$(direct_run "$i")
  printf '%-4s %12s %12s %10s\n' "$i" "$d" "$hh" "$(secs "$hh" "$d")"
  total_d=$(awk -v a="$total_d" -v b="$d" 'BEGIN{print a+b}'); total_h=$(awk -v a="$total_h" -v b="$hh" 'BEGIN{print a+b}')
done
printf '%-4s %12s %12s %10s\n' mean "$(awk -v a="$total_d" -v n="$runs" 'BEGIN{printf "%.1f", a/n}')" \
  "$(awk -v a="$total_h" -v n="$runs" 'BEGIN{printf "%.1f", a/n}')" "$(awk -v a="$total_d" -v b="$total_h" -v n="$runs" 'BEGIN{printf "%.1f", (a-b)/n}')"
