#!/usr/bin/env bash
# DISCO's own overhead on the real cloud of scripts/openstack/up.sh: the time from POST /api/v1/clusters to
# "ready" through disco-sm, minus the time a direct Heat create + poll (what `openstack stack create --wait`
# does, with curl instead of the Python CLI's start-up; the stack read without its outputs, as DISCO reads a stack in
# progress) takes for the same template, with the same signalling; also against that time plus the read of the direct
# stack's outputs after it (what DISCO's ready includes: the address and the UIs a user needs next).
# The runs alternate (DISCO then direct, direct then DISCO, ...; after one uncounted direct stack that warms the
# cloud up), one at a time, both polled every POLL seconds.
# Then, per run, where the time went: DISCO's steps from the cluster's timeline (seconds after the request) beside
# Heat's own timeline from each stack's events (seconds after the POST; Heat's event times are whole seconds).
# A report: it never fails on the figures.
#
#   scripts/openstack/overhead.sh [runs]        (needs: swift build; jq; curl; the services up)
# Environment: DISCO_OPENSTACK_OPENRC (default /etc/disco-openstack/demo-openrc.sh), POLL (default 1), GAP (seconds of
#   pause before each create, default 3),
#   SPEC (the cluster; default a master, 2 workers, hadoop), PREFIX (of the clusters' and direct stacks' names;
#   default ovh), SM_LOG (a file to keep disco-sm's log in, written at debug level; default: not kept).
set -Eeuo pipefail
runs=${1:-2}
POLL=${POLL:-1}
GAP=${GAP:-3}
PREFIX=${PREFIX:-ovh}
here=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck disable=SC1090
. "${DISCO_OPENSTACK_OPENRC:-/etc/disco-openstack/demo-openrc.sh}"
SPEC=${SPEC:-'{"name":"NAME","master":{"image":"ubuntu-22.04","flavor":"m1.large"},"worker":{"image":"ubuntu-22.04","flavor":"m1.medium"},"workers":2,"externalNetwork":"public","components":{"hadoop":{}}}'}
work=$(mktemp -d)
sm_pid="" sig_pid=""
cleanup() {
  [ -n "$sig_pid" ] && kill "$sig_pid" 2>/dev/null; [ -n "$sm_pid" ] && kill "$sm_pid" 2>/dev/null; wait 2>/dev/null
  if [ -n "${SM_LOG:-}" ]; then cp "$work/sm.log" "$SM_LOG" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# A Keystone token and the Heat endpoint.
jq -n --arg u "$OS_USERNAME" --arg p "$OS_PASSWORD" --arg pr "$OS_PROJECT_NAME" '{auth:{identity:{methods:["password"],
  password:{user:{name:$u,domain:{name:"Default"},password:$p}}},scope:{project:{name:$pr,domain:{name:"Default"}}}}}' >"$work/auth.json"
new_token() {
  curl -sf -D "$work/auth.head" -o "$work/token.json" -H 'Content-Type: application/json' -d @"$work/auth.json" "$OS_AUTH_URL/auth/tokens"
  awk 'tolower($1)=="x-subject-token:" {print $2}' "$work/auth.head" | tr -d '\r'
}
TOKEN=$(new_token)
HEAT=$(jq -r '.token.catalog[] | select(.type=="orchestration") | .endpoints[] | select(.interface=="public") | .url' "$work/token.json")
h() { curl -sf -H "X-Auth-Token: $TOKEN" -H 'Accept: application/json' "$@"; }

# The install scripts' part (the fake driver runs no user data): once a stack's install_handle exists, a token minted
# from its `signal` credentials (HEAT_SIGNAL, what Heat puts in the user data; a node's prelude has its own by the end of
# a long install), the workers' count and the components; then, once the stack's install_wait waits, one SUCCESS signal
# per worker and per component to its alarm_url, as the prelude's disco_signal does, all at once (the nodes signal each
# on its own). Heat checks a wait condition once a second: sent one after the other, the signals' last landed 0.7-1.4 s
# after the wait began, just before or just after its first check, a whole second apart on either side. Sent at once
# they are answered within 0.5 s; Heat then handles them beside (0.4-1.2 s for 3 at once, measured by hand), so some
# waits still take a second check, on either side.
# Only this script's stacks (listed in $work/ours): others in the project are left alone.
signaller() {
  set +e  # a failed call (a busy Heat) is tried again on the next round, not the end of the signaller
  local s id signal keystone alarm wc_token workers components c w
  while :; do
    for s in $(h "$HEAT/stacks" | jq -r '.stacks[] | select(.stack_status=="CREATE_IN_PROGRESS") | "\(.stack_name)/\(.id)"'); do
      id=${s#*/}
      [ -e "$work/signalled.$id" ] && continue
      grep -qxF "${s%%/*}" "$work/ours" 2>/dev/null || continue
      if [ ! -e "$work/ready.$id" ]; then
        signal=$(h "$HEAT/stacks/$s/resources/install_handle" | jq -r 'select(.resource.resource_status == "CREATE_COMPLETE")
          | .resource.attributes.signal')
        [ -n "$signal" ] || continue
        keystone=$(jq -r '.auth_url | sub("/$"; "") | if endswith("/v3") then . else . + "/v3" end' <<<"$signal")
        wc_token=$(jq '{auth: {identity: {methods: ["password"], password: {user: {id: .user_id, password: .password}}},
                               scope: {project: {id: .project_id}}}}' <<<"$signal" \
          | curl -sf -o /dev/null -D - -H 'Content-Type: application/json' --data-binary @- "$keystone/auth/tokens" \
          | tr -d '\r' | awk 'tolower($1) == "x-subject-token:" { print $2 }')
        [ -n "$wc_token" ] || continue
        workers=$(h "$HEAT/stacks/$s?resolve_outputs=false" | jq -r '.stack.parameters.worker_count // 0')
        components=$(h "$HEAT/stacks/$s/resources/install_wait/metadata" | jq -r '[.metadata.disco.components[]] | join(",")')
        [ -n "$components" ] || continue
        printf '%s %s %s %s\n' "$(jq -r .alarm_url <<<"$signal")" "$wc_token" "$workers" "$components" >"$work/ready.$id"
      fi
      [ "$(h "$HEAT/stacks/$s/resources/install_wait" | jq -r .resource.resource_status)" = CREATE_IN_PROGRESS ] || continue
      read -r alarm wc_token workers components <"$work/ready.$id"
      # Each worker's signal (it is installed) and each component's from the master, as the scripts send them.
      for w in $(seq 0 $((workers - 1))); do
        curl -sf -o /dev/null -X POST -H "X-Auth-Token: $wc_token" -H 'Content-Type: application/json' \
          -d "{\"status\":\"SUCCESS\",\"id\":\"worker@$id-$w\",\"reason\":\"worker $w installed\",\"data\":\"worker $w installed\"}" "$alarm" &
      done
      for c in ${components//,/ }; do
        curl -sf -o /dev/null -X POST -H "X-Auth-Token: $wc_token" -H 'Content-Type: application/json' \
          -d "{\"status\":\"SUCCESS\",\"id\":\"$c\",\"reason\":\"$c ready\",\"data\":\"$c ready\"}" "$alarm" &
      done
      wait
      touch "$work/signalled.$id"
    done
    sleep 0.2
  done
}
signaller & sig_pid=$!

# disco-sm on the real cloud.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/sm.cfg" <<EOF
[general]
log_level = debug
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

# Heat's timeline of a stack from its events, seconds after epoch $2: stack create started, master up, install
# signals all in (install_wait complete), stack complete.
heat_timeline() {
  h "$HEAT/stacks/$1/events?sort_dir=asc&limit=10000" | jq -r --argjson t0 "$2" --arg stack "${1%%/*}" '
    def at: .event_time | sub("\\.[0-9]+"; "") | sub("Z?$"; "Z") | fromdateiso8601 - $t0 | . * 10 | round / 10;
    def first_of(r; s): [.events[] | select(.resource_name == r and .resource_status == s) | at] | first // "-";
    [first_of($stack; "CREATE_IN_PROGRESS"), first_of("master"; "CREATE_COMPLETE"),
     first_of("install_wait"; "CREATE_COMPLETE"), first_of($stack; "CREATE_COMPLETE")] | @tsv'
}
# DISCO's steps of a cluster from its REST view: the phases of its timeline, the last component signal for all.
disco_timeline() {
  jq -r 'def p(n): [.timeline[]? | select(.phase == n) | .seconds] | max // "-";
    [p("inventory_checked"), p("keys_made"), p("credential_made"), p("stack_created"), p("servers_active"),
     p("component_signalled"), p("ready")] | map(if type == "number" then (. * 100 | round / 100) else . end) | @tsv'
}

# When heat-engine completed a stack, from its log (milliseconds; Heat's API gives whole seconds): epoch seconds, or
# nothing when the log is not readable here.
engine_completed() {
  local line
  line=$(grep -F "Stack CREATE COMPLETE ($1)" "${HEAT_ENGINE_LOG:-/var/log/disco-openstack/heat-engine.log}" 2>/dev/null | tail -1)
  [ -n "$line" ] && date -d "${line:0:23}" +%s.%N
}
# DISCO's own share of a run: before the stack POST (validation, inventory, keys, credential) and from Heat's
# completion of the stack to "ready" (seeing it, reading what is still missing of the outputs).
own_share() {  # T0 CREDENTIAL_S READY_S STACK -> before after
  local completed; completed=$(engine_completed "$4") || { printf -- '-\t-\n'; return; }
  awk -v t0="$1" -v c="$2" -v r="$3" -v d="$completed" 'BEGIN { printf "%.2f\t%.2f\n", c, t0 + r - d }'
}
wait_gone() { while [ "$(h "$HEAT/stacks" | jq --arg n "$1" '[.stacks[] | select(.stack_name==$n)] | length')" != 0 ]; do sleep 1; done; }
disco_run() {  # -> seconds from POST to ready
  local body id t0 t1 state
  local TOKEN; TOKEN=$(new_token)  # a new token each run, on both sides (see direct_run)
  body=${SPEC//NAME/$PREFIX$1}
  t0=$(now)
  id=$(curl -s -H "X-Auth-Token: $TOKEN" -H "Content-Type: application/json" -d "$body" "$SM/api/v1/clusters" | jq -r .id)
  if [ -z "$id" ] || [ "$id" = null ]; then tail -5 "$work/sm.log" >&2; echo "create failed" >&2; exit 1; fi
  curl -sf -H "X-Auth-Token: $TOKEN" "$SM/api/v1/clusters/$id" | jq -r .stackName >>"$work/ours"
  while state=$(curl -sf -H "X-Auth-Token: $TOKEN" "$SM/api/v1/clusters/$id" | jq -r .state); [ "$state" != ready ]; do
    [ "$state" = failed ] && { tail -20 "$work/sm.log" >&2; echo "cluster failed" >&2; exit 1; }
    sleep 0.2
  done
  t1=$(now)
  local view stack; view=$(curl -sf -H "X-Auth-Token: $TOKEN" "$SM/api/v1/clusters/$id")
  stack=$(jq -r .stackName <<<"$view")
  printf '%s\t%s\n' "$(disco_timeline <<<"$view")" "$(heat_timeline "$stack/$(jq -r .stackID <<<"$view")" "$t0")" >"$work/breakdown.$1"
  own_share "$t0" "$(jq -r '[.timeline[] | select(.phase == "credential_made") | .seconds] | max' <<<"$view")" \
    "$(jq -r '[.timeline[] | select(.phase == "ready") | .seconds] | max' <<<"$view")" "$stack" >"$work/own.$1"
  curl -sf -o /dev/null -X DELETE -H "X-Auth-Token: $TOKEN" "$SM/api/v1/clusters/$id"
  while [ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $TOKEN" "$SM/api/v1/clusters/$id")" != 404 ]; do sleep 1; done
  wait_gone "$stack"
  # DISCO's delete ends after the stack's: it reads the project's quota figures again and revokes the credential.
  # The next run starts once that is done, not during it.
  for _ in $(seq 60); do grep "cluster deleted" "$work/sm.log" | grep -qF "$id" && break; sleep 0.5; done
  secs "$t0" "$t1"
}
direct_run() {  # same template (from disco-sm's planner) straight to Heat, polled like `stack create --wait`
  local name=direct-$PREFIX$1 t0 t1 id status
  # A token of its own, as `openstack stack create --wait` gets one (before the clock starts); DISCO's run gets a new
  # one too. The services check a token with Keystone the first time they see it (a tenth of a second or more each on
  # this cloud), so a token kept from run to run would spare a side what a new user is not spared.
  local TOKEN; TOKEN=$(new_token)
  echo "$name" >>"$work/ours"
  rm -f "$work/k" "$work/k.pub"; ssh-keygen -q -t ed25519 -N '' -f "$work/k"
  curl -sf -H "X-Auth-Token: $TOKEN" -H "Content-Type: application/json" -d "${SPEC//NAME/$PREFIX$1}" "$SM/api/v1/plan?format=json" | jq -r .template >"$work/template.json"
  jq -n --arg n "$name" --slurpfile t "$work/template.json" --arg k "$(cat "$work/k.pub")" \
    '{stack_name:$n, template:($t[0] | .resources.keypair.properties.public_key = $k), timeout_mins:60, disable_rollback:true}' >"$work/create.json"
  t0=$(now)
  id=$(h -H 'Content-Type: application/json' -d @"$work/create.json" "$HEAT/stacks" | jq -r .stack.id)
  while status=$(h "$HEAT/stacks/$name/$id?resolve_outputs=false" | jq -r .stack.stack_status); [ "$status" = CREATE_IN_PROGRESS ]; do sleep "$POLL"; done
  t1=$(now)
  [ "$status" = CREATE_COMPLETE ] || { echo "direct stack: $status" >&2; exit 1; }
  # What a Heat user reads next to use the cluster (its address, its UIs): the outputs, as DISCO has them at ready.
  h -o /dev/null "$HEAT/stacks/$name/$id"
  secs "$t1" "$(now)" >"$work/direct-outputs.$1"
  local completed; completed=$(engine_completed "$name") && secs "$completed" "$t1" >"$work/direct-after.$1"
  heat_timeline "$name/$id" "$t0" >"$work/direct.$1" || true
  h -o /dev/null -X DELETE "$HEAT/stacks/$name/$id"
  wait_gone "$name"
  secs "$t0" "$t1"
}

# heat_s: the direct stack's POST to CREATE_COMPLETE seen; +outputs_s: its outputs read after that (DISCO's ready
# includes them: the address and the UIs); overhead_s against heat_s, and against heat_s + outputs_s.
printf '%-4s %12s %12s %10s %10s %14s\n' run disco_s heat_s +outputs_s overhead_s overhead_out_s
# A freshly started cloud is slow on its first stack (its services' caches and connections): one direct stack is
# created and deleted first, not counted, so that neither side of run 1 pays for it.
direct_run warmup >/dev/null
total_d=0 total_h=0 total_o=0 heat_runs=()
for i in $(seq "$runs"); do
  # Each side goes first in every other run: the stack before a run is still being cleaned up by Nova and Neutron.
  # A pause before each create: Nova and Neutron finish deleting the last stack's servers and ports meanwhile.
  if ((i % 2)); then sleep "$GAP"; d=$(disco_run "$i"); sleep "$GAP"; hh=$(direct_run "$i")
  else sleep "$GAP"; hh=$(direct_run "$i"); sleep "$GAP"; d=$(disco_run "$i"); fi
  o=$(cat "$work/direct-outputs.$i")
  printf '%-4s %12s %12s %10s %10s %14s\n' "$i" "$d" "$hh" "$o" "$(secs "$hh" "$d")" \
    "$(awk -v d="$d" -v h="$hh" -v o="$o" 'BEGIN{printf "%.1f", d - h - o}')"
  total_d=$(awk -v a="$total_d" -v b="$d" 'BEGIN{print a+b}'); total_h=$(awk -v a="$total_h" -v b="$hh" 'BEGIN{print a+b}')
  total_o=$(awk -v a="$total_o" -v b="$o" 'BEGIN{print a+b}')
  heat_runs+=("$hh")
done
printf '%-4s %12s %12s %10s %10s %14s\n' mean "$(awk -v a="$total_d" -v n="$runs" 'BEGIN{printf "%.1f", a/n}')" \
  "$(awk -v a="$total_h" -v n="$runs" 'BEGIN{printf "%.1f", a/n}')" "$(awk -v a="$total_o" -v n="$runs" 'BEGIN{printf "%.1f", a/n}')" \
  "$(awk -v a="$total_d" -v b="$total_h" -v n="$runs" 'BEGIN{printf "%.1f", (a-b)/n}')" \
  "$(awk -v a="$total_d" -v b="$total_h" -v o="$total_o" -v n="$runs" 'BEGIN{printf "%.1f", (a-b-o)/n}')"
# The same difference between two direct stacks of the same template (each against the one before): what this cloud's
# spread from one stack to the next puts in the figures above, whoever makes the stacks.
if ((runs > 1)); then
  echo "Heat against itself (each direct run minus the one before): $(for ((k = 1; k < runs; k++)); do
    secs "${heat_runs[k - 1]}" "${heat_runs[k]}"; printf ' '; done | awk '{ for (i = 1; i <= NF; i++) { a = $i < 0 ? -$i : $i;
      m += a; if (a > w) w = a; l = l (i > 1 ? " " : "") $i }; printf "%s; mean |x| %.1f, worst %.1f", l, m / NF, w }')"
fi

echo
echo "Where the time went (seconds after the POST). DISCO: its timeline; heat: the same stack's events; direct: the direct stack's events."
printf '%-4s | %9s %6s %10s %10s %8s %8s %6s | %10s %8s %8s %8s | %12s %8s %8s %8s\n' run inventory keys credential stack_post \
  servers signals ready heat_start servers signals complete direct_start servers signals complete
for i in $(seq "$runs"); do
  IFS=$'\t' read -r inv keys cred post srv sig rdy hs hsrv hsig hc <"$work/breakdown.$i" || true
  IFS=$'\t' read -r ds dsrv dsig dc <"$work/direct.$i" || true
  printf '%-4s | %9s %6s %10s %10s %8s %8s %6s | %10s %8s %8s %8s | %12s %8s %8s %8s\n' "$i" "$inv" "$keys" "$cred" "$post" \
    "$srv" "$sig" "$rdy" "$hs" "$hsrv" "$hsig" "$hc" "$ds" "$dsrv" "$dsig" "$dc"
done
echo
echo "DISCO's own share (heat-engine's log gives when Heat completed each stack, to the millisecond): before_s, its steps"
echo "before the stack POST; after_s, Heat's completion to ready; direct_after_s, the direct run's completion to its poll"
echo "seeing it (a poll every $POLL s)."
printf '%-4s %9s %9s %9s %15s\n' run before_s after_s own_s direct_after_s
for i in $(seq "$runs"); do
  IFS=$'\t' read -r before after <"$work/own.$i" || true
  printf '%-4s %9s %9s %9s %15s\n' "$i" "$before" "$after" \
    "$(awk -v b="$before" -v a="$after" 'BEGIN { if (b == "-" || a == "-") print "-"; else printf "%.2f", b + a }')" \
    "$(cat "$work/direct-after.$i" 2>/dev/null || echo -)"
done | tee "$work/own.table"
awk 'NR > 1 && $4 != "-" { n++; s += $4; if ($4 > m) m = $4 } END { if (n) printf "%-4s %29.2f (worst %.2f)\n", "mean", s / n, m }' \
  <(echo; cat "$work/own.table")

echo
echo "DISCO's create steps over the runs (/metrics disco_create_phase_seconds: count, mean seconds after the request):"
curl -sf "$SM/metrics" | awk '/^disco_create_phase_seconds_(sum|count)\{/ {
    match($0, /phase="[^"]*"/); p = substr($0, RSTART + 7, RLENGTH - 8)
    if ($0 ~ /_sum/) sum[p] = $2; else { cnt[p] = $2; order[++n] = p } }
  END { for (k = 1; k <= n; k++) { p = order[k]; if (cnt[p] > 0) printf "  %-20s %4d %8.2f\n", p, cnt[p], sum[p] / cnt[p] } }'
