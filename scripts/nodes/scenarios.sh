# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154,SC2016,SC2031,SC1090  # variables come from run.sh; remote commands are single-quoted on purpose
# The real-node suite's scenarios and the checks a user makes after "ready". Sourced by run.sh, which provides
# start_hypervisor/start_mirror/start_sm (and their stops), $work, $cache, $repo, ${ROOTFS[@]}.
# A scenario runs in a subshell: `check NAME CMD...` records NAME in $work/checks when CMD succeeds and ends the
# scenario with CMD's output when it does not.

SCENARIOS=(flink seed-readme zookeeper spark health install-failure bad-checksum apt-lock token-expiry ubuntu-22.04 ubuntu-24.04
  ready-vs-workers)

scenario_about() {
  case $1 in
    flink)           echo "REST create, Debian 12, base+flink, 2 workers: one mirror download per artefact, SSH, status page, a Flink job on one TaskManager per worker, user_data run twice, scale 2→3, delete" ;;
    seed-readme)     echo "the seed README's OCCI create with {'jupyter': ''}: generated password, wrong one refused, right one logs in, a kernel runs code" ;;
    zookeeper)       echo "base+zookeeper, 1 worker, user_data = packed: every node unpacks its install script with Heat's values filled in; ruok answers imok" ;;
    spark)           echo "hadoop (stand-in) + spark: spark-submit SparkPi on the master" ;;
    health)          echo "base+flink, 1 worker: a worker's daemon stopped → yellow naming it, started → green, the master's → red, scale 1→2: the new worker in the health document" ;;
    install-failure) echo "a component whose install fails: the FAILURE signal names node and line; DISCO shows the cluster failed" ;;
    bad-checksum)    echo "the mirror serves a wrong .sha512 for Flink: refused, nothing started from the bad file" ;;
    apt-lock)        echo "apt's lists lock held at first boot: the install waits for it and succeeds" ;;
    token-expiry)    echo "Keystone tokens live 150 s, installs take longer: every signal still reaches Heat, the cluster is ready" ;;
    ubuntu-22.04)    echo "base+flink, 1 worker, on Ubuntu 22.04 (skipped when Ubuntu's archive does not answer)" ;;
    ubuntu-24.04)    echo "base+flink, 1 worker, on Ubuntu 24.04 (skipped when Ubuntu's archive does not answer)" ;;
    ready-vs-workers) echo "benchmark: base+flink with \${NODES_BENCH_WORKERS:-1 2 4} workers, one after the other: POST to ready, per phase and per node (table in \${NODES_BENCH_OUT:-the scenario log})" ;;
  esac
}

scenario_userlands() {  # the userlands the given scenarios need
  local s need="debian-12"
  for s in "$@"; do case $s in ubuntu-*) need+=" $s" ;; esac; done
  echo "$need"
}

# ---- the suite's own project and user (nothing else on the cloud signals or lists its stacks), and Glance
# images named like the userlands (the hypervisor boots the userland of the server's image)
nodes_cloud_objects() {
  local openrc=$cache/nodes-openrc.sh
  if [ ! -s "$openrc" ]; then
    (umask 077
     sed -e 's/^export OS_USERNAME=.*/export OS_USERNAME=disco-nodes/' \
         -e 's/^export OS_PROJECT_NAME=.*/export OS_PROJECT_NAME=disco-nodes/' \
         -e "s/^export OS_PASSWORD=.*/export OS_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')/" \
         /etc/disco-openstack/admin-openrc.sh >"$openrc")
  fi
  # shellcheck disable=SC1091
  (. /etc/disco-openstack/admin-openrc.sh
   NODES_PASSWORD=$(sed -n 's/^export OS_PASSWORD=//p' "$openrc") python3 - <<'PY'
import io, os, openstack
e = os.environ
c = openstack.connect(auth_url=e["OS_AUTH_URL"], username=e["OS_USERNAME"], password=e["OS_PASSWORD"],
                      project_name=e["OS_PROJECT_NAME"], user_domain_name="Default", project_domain_name="Default",
                      region_name=e.get("OS_REGION_NAME"))
project = c.identity.find_project("disco-nodes", domain_id="default") or \
    c.identity.create_project(name="disco-nodes", domain_id="default")
user = c.identity.find_user("disco-nodes", domain_id="default")
if user:
    c.identity.update_user(user, password=e["NODES_PASSWORD"])
else:
    user = c.identity.create_user(name="disco-nodes", domain_id="default", password=e["NODES_PASSWORD"])
for name in ("member", "heat_stack_owner"):
    c.identity.assign_project_role_to_user(project, user, c.identity.find_role(name))
c.set_compute_quotas(project.id, instances=20, cores=100, ram=200000, key_pairs=20)
c.set_network_quotas(project.id, network=20, subnet=20, port=100, router=20, floatingip=20, security_group=20,
                     security_group_rule=200)
for name in ("debian-12", "ubuntu-22.04", "ubuntu-24.04"):
    image = c.image.find_image(name)
    if image is None or image.status != "active":
        c.image.create_image(name=name, disk_format="raw", container_format="bare", visibility="public",
                             data=io.BytesIO(b"\0" * 1024))
PY
  ) >&2 || return 1
  echo "$openrc"
}

# What a run killed midway (a session's end, a timeout) or a scenario whose delete did not finish leaves behind: its
# stacks, whose servers Nova keeps. The next hypervisor leaves such servers alone (they predate it), but they hold
# quota and addresses: every run and every scenario starts without them.
remove_leftovers() {  # WHO: deletes every stack and "rn-" server of the suite's project, saying what WHO left
  local stacks servers
  # shellcheck disable=SC1091
  stacks=$(. "$NODES_OPENRC"; openstack stack list -f value -c ID -c 'Stack Name' -c 'Stack Status') \
    || { echo "cannot list the suite project's stacks"; return 1; }
  # shellcheck disable=SC1091
  servers=$(. "$NODES_OPENRC"; openstack server list -f value -c ID -c Name | awk '$2 ~ /^rn-/') \
    || { echo "cannot list the suite project's servers"; return 1; }
  [ -n "$stacks$servers" ] || return 0
  echo "$1 left $(grep -c . <<<"$stacks") stack(s) [$(awk '{print $2 " " $3}' <<<"$stacks" | paste -sd ',')] and" \
    "$(grep -c . <<<"$servers") server(s) [$(awk '{print $2}' <<<"$servers" | paste -sd ',')]: deleting them"
  # shellcheck disable=SC1091,SC2046,SC2086
  (. "$NODES_OPENRC"
   [ -z "$stacks" ] || timeout 300 openstack stack delete --yes --wait $(awk '{print $1}' <<<"$stacks") >/dev/null
   servers=$(openstack server list -f value -c ID -c Name | awk '$2 ~ /^rn-/ {print $1}')
   [ -z "$servers" ] || timeout 120 openstack server delete --wait $servers) \
    || { echo "some are still there: the hypervisor will not boot them, but they hold the project's quota"; return 1; }
}

mirror_summary() {  # "flink 1.20.3 real, hadoop 3.4.3 stand-in, ..."
  bash "$here/mirror.sh" check "$cache/mirror" 2>/dev/null | awk '$3 == "real" || $3 == "stand-in" {printf "%s%s %s %s", sep, $1, $2, $3; sep=", "}'
}

# ---- helpers
check() {  # NAME CMD...: record NAME when CMD succeeds, else fail the scenario with CMD's output
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then echo "$name" >>"$work/checks"; echo "ok: $name"
  else echo "FAILED check '$name': $out"; echo "$name FAILED" >>"$work/checks"; node_logs; exit 1; fi
}
node_logs() {  # the end of every node's install log (or cloud-init's, when the install never started)
  local name root log
  while read -r name root; do
    log=$root/var/log/disco-install.log
    [ -s "$log" ] || log=$root/var/log/cloud-init-output.log
    [ -s "$log" ] || { echo "    [$name] no install or cloud-init log yet"; continue; }
    echo "    [$name] last lines of ${log#"$root"}:"
    grep -v '^update-alternatives: ' "$log" | tail -n 10 | sed 's/^/      /'
  done < <(nodes | jq -r '.[] | "\(.name) \(.root)"')
}
api() {  # METHOD PATH [BODY]: as the user, signing in again when the token has expired
  local out
  out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"} "$SM$2")
  if [ "${out##*$'\n'}" = 401 ]; then
    sign_in
    out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"} "$SM$2")
  fi
  printf '%s\n' "${out%$'\n'*}"
}
cluster() { api GET "/api/v1/clusters/$1"; }
wait_cluster() {  # ID JQ-CONDITION SECONDS: waits until the view satisfies the condition; fails on "failed"
  local id=$1 cond=$2 end=$((SECONDS + $3)) view
  [ -n "$id" ] || { echo "no cluster to wait for: its create was refused (the answer is above)"; return 1; }
  while :; do
    view=$(cluster "$id")
    jq -e "$cond" >/dev/null 2>&1 <<<"$view" && return 0
    if [ "$(jq -r .state <<<"$view")" = failed ]; then echo "cluster failed: $(jq -r .stateReason <<<"$view")"; return 1; fi
    [ $SECONDS -lt "$end" ] || { echo "timed out waiting for $cond: $(jq -c '{state,stateReason,progress,components,health}' <<<"$view")"; return 1; }
    sleep 2
  done
}
create_cluster() {  # NAME IMAGE WORKERS COMPONENTS-JSON -> prints the id
  local body
  body=$(jq -n --arg n "$1" --arg i "$2" --argjson w "$3" --argjson c "$4" \
    '{name:$n, master:{image:$i, flavor:"m1.large"}, worker:{image:$i, flavor:"m1.medium"}, workers:$w,
      externalNetwork:"public", components:$c}')
  api POST /api/v1/clusters "$body" | jq -r '.id // error(tostring)'
}
nodes() { cat "$work/nodes/nodes.json" 2>/dev/null || echo '[]'; }
node_ip() { nodes | jq -r --arg r "$1" '[.[] | select(.role == $r)] | .['"${2:-0}"'].address'; }
ssh_key() {  # ID: the cluster's private key, as its owner downloads it
  api GET "/api/v1/clusters/$1/ssh-key" >"$work/$1.key"
  chmod 600 "$work/$1.key"
}
login_user() { # the image's default user (cloud-init's default_user)
  case $1 in ubuntu-*) echo ubuntu ;; *) echo debian ;; esac
}
on_master() {  # ID USER CMD: runs CMD on the master over SSH, with the cluster's key, at its floating IP
  local ip
  ip=$(cluster "$1" | jq -r .externalIP)
  ssh -i "$work/$1.key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes \
    -o ConnectTimeout=10 -o LogLevel=ERROR "$2@$ip" "$3"
}
delete_cluster() {  # ID: deletes and waits until the record, the stack and every container are gone
  local id=$1 end=$((SECONDS + 300))
  api DELETE "/api/v1/clusters/$id" >/dev/null
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $TOKEN" "$SM/api/v1/clusters/$id")" = 404 ]; do
    [ $SECONDS -lt $end ] || { echo "the cluster was not deleted in 300 s"; return 1; }
    sleep 2
  done
  until [ "$(nodes | jq length)" = 0 ]; do
    [ $SECONDS -lt $end ] || { echo "containers left: $(nodes | jq -c '[.[].name]')"; return 1; }
    sleep 1
  done
  if ip netns list | grep -q '^dn'; then echo "namespaces left: $(ip netns list)"; return 1; fi
}
installed_on_every_node() {  # every node's own install log says its components are installed (not a stand-in signaller)
  local n missing=""
  for n in $(nodes | jq -r '.[].root'); do
    grep -q 'all components installed after' "$n/var/log/disco-install.log" 2>/dev/null || missing+=" $n"
  done
  [ -z "$missing" ] || { echo "no completed install on:$missing"; return 1; }
}
heat_signals() {  # ID: every component's and every worker's SUCCESS signal on the stack's wait condition, the stack's status
  local view stack
  view=$(cluster "$1")
  stack=$(jq -r '"\(.stackName)/\(.stackID)"' <<<"$view")
  # shellcheck disable=SC1091
  (. "$NODES_OPENRC"
   status=$(openstack stack show "$stack" -f value -c stack_status)
   [ "$status" = CREATE_COMPLETE ] || [ "$status" = UPDATE_COMPLETE ] || { echo "stack is $status"; exit 1; }
   data=$(openstack stack resource metadata "$stack" install_handle -f json)
   for c in $(jq -r '.components[].name' <<<"$view"); do
     jq -e --arg c "$c" 'to_entries | any(.key | startswith($c)) ' >/dev/null <<<"$data" \
       || { echo "no signal from $c in $data"; exit 1; }
   done
   workers=$(jq -r .workers <<<"$view")
   [ "$(jq '[keys[] | select(startswith("worker@"))] | length' <<<"$data")" -ge "$workers" ] \
     || { echo "fewer worker signals than the $workers workers in $data"; exit 1; }
   jq -e 'all(.[]; .status == "SUCCESS")' >/dev/null <<<"$data" || { echo "a signal is not SUCCESS: $data"; exit 1; })
}
no_private_key() {  # ID: no private key in the stack's template, nor in the user data Nova handed any node
  local view stack n
  view=$(cluster "$1")
  stack=$(jq -r '"\(.stackName)/\(.stackID)"' <<<"$view")
  # shellcheck disable=SC1091
  (. "$NODES_OPENRC"; openstack stack template show "$stack" -f json >"$work/$1.template.json") || return 1
  [ -s "$work/$1.template.json" ] || { echo "no template"; return 1; }
  ! grep -n 'PRIVATE KEY\|DISCO_INTERNAL_KEY' "$work/$1.template.json" || { echo "private key material in the stack's template"; return 1; }
  for n in $(nodes | jq -r '.[].root'); do
    [ -s "$n/var/lib/cloud/seed/nocloud/user-data" ] || { echo "no user data seed in $n"; return 1; }
    ! grep -n 'PRIVATE KEY' "$n/var/lib/cloud/seed/nocloud/user-data" || { echo "private key material in $n's user data"; return 1; }
  done
}
exposure() {  # ID USER: the public page serves progress only (no addresses, no versions); the internal service of each
  # node serves its report to members, the master's the full health document, and the cluster key to root alone
  local master out w
  master=$(node_ip master)
  w=$(node_ip worker 0)
  out=$(for u in "$master:8084/progress.json" "$master:8084/health.json" "$master:8084/node.json" "$master:8084/deployment.log" \
    "$w:8084/node.json"; do curl -sS -o /dev/null -w '%{http_code} ' "http://$u"; done)
  [ "$out" = "200 200 404 404 404 " ] || { echo "8084 answered $out for progress.json, health.json, node.json, deployment.log, the worker's node.json"; return 1; }
  ! curl -fsS "http://$master:8084/health.json" | grep -F "\"address\"" || { echo "the public health.json names addresses"; return 1; }
  ! curl -fsS "http://$master:8084/" | grep -E 'deployment.log|node.json' || { echo "the public listing names internal files"; return 1; }
  curl -sSI "http://$master:8084/progress.json" | tr -d '\r' | grep -qx 'Server: disco' || { echo "the status page's Server header: $(curl -sSI "http://$master:8084/" | grep -i '^server')"; return 1; }
  # From a member (the master, as the cluster user): the worker's report, the master's full document with addresses.
  # The master writes its document every 15 s: one written before the worker's report came may still be served at
  # ready, so it is read again for up to 30 s.
  on_master "$1" "$2" "for _ in \$(seq 30); do curl -fsS http://$w:8086/node.json | grep -qF '\"address\":\"$w\"' && curl -fsS http://$master:8086/health.json | grep -qF '\"address\":\"$w\"' && exit 0; sleep 1; done; exit 1" \
    || { echo "the internal service does not serve the reports to members (30 s after ready)"; return 1; }
  # The cluster key: 403 to the cluster user on a worker, given to root there (a port below 1024); its files' modes.
  out=$(on_worker "$1" "$2" 0 "curl -s -o /dev/null -w %{http_code} http://$master:8086/id_ed25519; echo -n \" \"; sudo curl -s -o /dev/null -w %{http_code} --local-port 600-1023 http://$master:8086/id_ed25519")
  [ "$out" = "403 200" ] || { echo "the key from a worker: $out (expected 403 to the user, 200 to root)"; return 1; }
  out=$(on_master "$1" "$2" "sudo stat -c '%a %U:%G' /etc/disco/cluster-key /etc/disco/cluster-key/id_ed25519 ~/.ssh/id_ed25519 | paste -sd ' '")
  [ "$out" = "750 root:disco-key 640 root:disco-key 600 $2:$2" ] || { echo "modes: $out"; return 1; }
}
# shellcheck disable=SC2120  # the faults are optional
scenario_services() {  # [hypervisor fault] [mirror fault] [sm.cfg extra]
  trap 'scenario_cleanup' EXIT
  MIRROR_FROM=$(($({ wc -l <"$work/mirror-requests.log"; } 2>/dev/null || echo 0) + 1))
  start_hypervisor "${1:-}"
  start_mirror "${2:-}"
  start_sm "${3:-}"
}
scenario_cleanup() {
  local id
  [ -z "${RESTORE_TOKEN_LIFETIME:-}" ] || keystone_token_lifetime "$RESTORE_TOKEN_LIFETIME"
  for id in $(api GET /api/v1/clusters 2>/dev/null | jq -r '.clusters[]?.id' 2>/dev/null); do
    api DELETE "/api/v1/clusters/$id" >/dev/null 2>&1 || true
  done
  for _ in $(seq 120); do [ "$(nodes | jq length)" = 0 ] && break; sleep 1; done
  stop_sm; stop_mirror; stop_hypervisor
}

mirror_gets() {  # "PATH CLIENT" of every GET of a file the mirror answered since the scenario started it
  tail -n "+$MIRROR_FROM" "$work/mirror-requests.log" 2>/dev/null | awk '$1 == "GET" && $2 != "/" {print substr($2, 2), $5}'
}
cluster_artefacts() {  # ID: the mirror paths of the artefacts of the cluster's components, sorted
  local c
  for c in $(cluster "$1" | jq -r '.components[].name'); do
    jq -r '.downloads[].path' "$repo/Sources/DiscoCore/Resources/components/$c/component.json"
  done | sort
}
mirror_tally() {  # ID: "A artefact GETs, C checksum GETs for N artefacts" since the scenario started its mirror
  echo "$(mirror_gets | awk '$1 !~ /[.]sha512$/' | wc -l) artefact GETs, $(mirror_gets | awk '$1 ~ /[.]sha512$/' | wc -l) checksum GETs for $(cluster_artefacts "$1" | wc -l) artefacts"
}
one_download_per_cluster() {  # ID: each artefact (and its published checksum) asked of the mirror once, by the master only
  local want got sums master others
  want=$(cluster_artefacts "$1")
  got=$(mirror_gets | awk '$1 !~ /[.]sha512$/ {print $1}' | sort)
  sums=$(mirror_gets | awk '$1 ~ /[.]sha512$/ {sub(/[.]sha512$/, "", $1); print $1}' | sort)
  master=$(node_ip master)
  others=$(mirror_gets | awk -v m="$master" '$2 != m {print $2}' | sort -u | paste -sd ' ')
  echo "mirror: $(mirror_tally "$1"), workers: $(cluster "$1" | jq .workers)"
  [ "$got" = "$want" ] || { echo "artefact GETs [${got//$'\n'/, }], expected each of [${want//$'\n'/, }] once"; return 1; }
  [ -z "$sums" ] || [ "$sums" = "$want" ] || { echo "checksum GETs [${sums//$'\n'/, }], expected at most one per artefact"; return 1; }
  [ -z "$others" ] || { echo "the mirror was asked by other nodes than the master ($master): $others"; return 1; }
}

# ---- the scenarios
scenario_run() {
  case $1 in
    flink) scenario_flink debian-12 2 ;;
    ubuntu-22.04|ubuntu-24.04)
      [ -n "${ROOTFS[$1]:-}" ] || { echo "skipped: no $1 userland (see the userland line above)"; exit 77; }
      scenario_flink "$1" 1 ;;
    *) "scenario_${1//-/_}" ;;
  esac
}

flink_job() {  # ID USER PARALLELISM: compile DiscoWordCount on the master, run it on the cluster, check its counts
  local ip out
  ip=$(cluster "$1" | jq -r .externalIP)
  scp -q -i "$work/$1.key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
    "$here/jobs/DiscoWordCount.java" "$2@$ip:/tmp/DiscoWordCount.java" || return 1
  out=$(on_master "$1" "$2" "bash -lc 'set -e; cd /tmp; rm -rf wc; mkdir wc
    javac -cp \"/opt/flink/lib/*\" -d wc DiscoWordCount.java; jar cf wc.jar -C wc .
    flink run -p $3 -c DiscoWordCount wc.jar'" 2>&1) || { echo "$out" | tail -20; return 1; }
  if ! grep -qx 'to 4' <<<"$out" || ! grep -qx 'be 3' <<<"$out"; then echo "unexpected counts: $out" | tail -20; return 1; fi
  echo "$out" | grep -m1 'Job has been submitted' || true
}
flink_taskmanagers() { curl -fsS --max-time 10 "http://$1:8081/overview" | jq -r .taskmanagers; }

scenario_flink() {  # USERLAND WORKERS
  local u=$1 w=$2 id user master
  scenario_services
  id=$(create_cluster "rn-flink-${u//./}" "$u" "$w" '{"flink":{}}')
  check "ready" wait_cluster "$id" '.state == "ready"' 900
  check "installed-on-every-node" installed_on_every_node
  check "heat-signals" heat_signals "$id"
  check "one-download-per-cluster($(mirror_tally "$id"), $w workers)" one_download_per_cluster "$id"
  ssh_key "$id"
  user=$(login_user "$u")
  check "ssh-master" on_master "$id" "$user" true
  master=$(node_ip master)
  check "ssh-workers" on_master "$id" "$user" "for ip in $(nodes | jq -r '[.[] | select(.role=="worker") | .address] | join(" ")');
    do ssh -o StrictHostKeyChecking=no -o BatchMode=yes \$ip hostname || exit 1; done"
  check "status-page" curl -fsS -o /dev/null "http://$master:8084/"
  check "no-private-key-in-template-or-user-data" no_private_key "$id"
  check "public-page-progress-only,internal-service-members-only" exposure "$id" "$user"
  check "flink-taskmanagers=$w" test "$(flink_taskmanagers "$master")" = "$w"
  check "flink-job-on-$w-taskmanagers" flink_job "$id" "$user" "$w"
  check "user-data-twice" on_master "$id" "$user" 'sudo bash /var/lib/cloud/instance/scripts/part-001 >/tmp/rerun.log 2>&1'
  if [ "$u" = debian-12 ]; then
    check "scale-accepted" scale_cluster "$id" 3
    check "scaled-to-3" wait_cluster "$id" '.state == "ready" and .workers == 3' 900
    # "ready" after a scale means the new worker is installed (its signal completes Heat's update), not only booted.
    check "new-worker-installed-when-scaled" installed_on_every_node
    check "heat-signals-after-scale" heat_signals "$id"
    check "flink-taskmanagers=3" wait_for 60 "test \"\$(flink_taskmanagers $master)\" = 3"
    check "still-one-download-per-cluster($(mirror_tally "$id"), 3 workers, user data run twice)" one_download_per_cluster "$id"
  fi
  check "deleted" delete_cluster "$id"
}
scale_cluster() {  # ID WORKERS: as a user (or the CLI) would: a 503 from a slow cloud is looked at, then tried again
  local id=$1 n=$2 try answer
  for try in 1 2 3; do
    answer=$(api POST "/api/v1/clusters/$id/actions" "{\"action\":\"scale\",\"workers\":$n}")
    jq -e '.state == "scaling"' >/dev/null 2>&1 <<<"$answer" && return 0
    echo "scale attempt $try answered: $(head -c 300 <<<"$answer")"
    # The cloud may have taken it after all: give DISCO's record a moment to show it.
    wait_cluster "$id" ".state == \"scaling\" or .workers == $n" 60 >/dev/null 2>&1 && return 0
  done
  return 1
}
wait_for() {  # SECONDS SHELL-CONDITION
  local end=$((SECONDS + $1))
  until eval "$2"; do [ $SECONDS -lt $end ] || { echo "not true after $1 s: $2"; return 1; }; sleep 3; done
}

on_worker() {  # ID USER INDEX CMD: runs CMD on a worker, through the master, over the cluster's internal SSH
  on_master "$1" "$2" "ssh -o StrictHostKeyChecking=no -o BatchMode=yes -o ConnectTimeout=10 $(node_ip worker "$3") '$4'"
}
health_is() {  # ID JQ-CONDITION-ON-.health SECONDS
  wait_cluster "$1" "(.health // {status: \"none\"}) | $2" "$3"
}
scenario_health() {  # the monitor reads every 10 s; each node's gatherer writes every 15 s
  local id user=debian
  scenario_services "" "" "health_interval = 10"
  id=$(create_cluster rn-health debian-12 1 '{"flink":{}}')
  check "ready" wait_cluster "$id" '.state == "ready"' 900
  check "green-with-master-and-worker0" health_is "$id" '.status == "green" and ([.nodes[].name] == ["master", "worker0"])' 90
  ssh_key "$id"
  check "no-private-key-in-template-or-user-data" no_private_key "$id"
  # The worker registered with the master over the internal SSH (its key copied from the master), the master reaches it.
  check "worker-registered-with-the-internal-key" on_master "$id" "$user" "test \"\$(cat /var/lib/disco/peers/worker0)\" = $(node_ip worker 0)"
  check "master-to-worker-with-the-internal-key" on_worker "$id" "$user" 0 true
  check "public-page-progress-only,internal-service-members-only" exposure "$id" "$user"
  check "stop-worker0-taskmanager" on_worker "$id" "$user" 0 'sudo systemctl stop flink-taskmanager'
  check "yellow-naming-it" health_is "$id" \
    '.status == "yellow" and any(.reasons[]; .component == "flink" and .daemon == "flink-taskmanager" and .node == "worker0")' 60
  check "start-worker0-taskmanager" on_worker "$id" "$user" 0 'sudo systemctl start flink-taskmanager'
  check "green-again" health_is "$id" '.status == "green"' 60
  check "stop-master-jobmanager" on_master "$id" "$user" 'sudo systemctl stop flink-jobmanager'
  check "red-naming-it" health_is "$id" \
    '.status == "red" and any(.reasons[]; .daemon == "flink-jobmanager" and .node == "master")' 60
  check "check-action-answers-red" test "$(api POST "/api/v1/clusters/$id/actions" '{"action":"check"}' | jq -r .health.status)" = red
  check "start-master-jobmanager" on_master "$id" "$user" 'sudo systemctl start flink-jobmanager'
  check "green-after-master" health_is "$id" '.status == "green"' 180
  check "scale-accepted" scale_cluster "$id" 2
  check "scaled-to-2" wait_cluster "$id" '.state == "ready" and .workers == 2' 900
  check "scaled-worker-from-the-master($(mirror_tally "$id"))" one_download_per_cluster "$id"
  check "new-worker-in-health" health_is "$id" '.status == "green" and ([.nodes[].name] == ["master", "worker0", "worker1"])' 90
  check "deleted" delete_cluster "$id"
}

scenario_zookeeper() {
  local id master
  scenario_services "" "" "user_data = packed"
  id=$(create_cluster rn-zk debian-12 1 '{"zookeeper":{}}')
  check "ready" wait_cluster "$id" '.state == "ready"' 900
  check "installed-on-every-node" installed_on_every_node
  check "heat-signals" heat_signals "$id"
  check "packed-user-data-unpacked-and-filled-in" packed_user_data_ran
  master=$(node_ip master)
  check "zookeeper-ruok=imok" zk_ruok "$master"
  check "deleted" delete_cluster "$id"
}
packed_user_data_ran() {  # every node booted packed user data, unpacked it (root's alone) and ran it with Heat's words filled in
  local n role script
  for n in $(nodes | jq -r '.[] | "\(.role):\(.root)"'); do
    role=${n%%:*} n=${n#*:}
    script=$n/var/lib/disco-install/$role.sh
    # What Nova handed the node (the hypervisor's NoCloud seed).
    head -2 "$n/var/lib/cloud/seed/nocloud/user-data" | grep -q "^# DISCO install script ($role), packed" \
      || { echo "$role: its user data is not the packed form: $(head -2 "$n/var/lib/cloud/seed/nocloud/user-data")"; return 1; }
    if [ "$(stat -c %a "$script" 2>/dev/null)" != 700 ] || [ "$(stat -c %a "${script%/*}")" != 700 ]; then
      echo "$role: $script missing, or it or its directory not root's alone (0700): $(stat -c '%a %n' "${script%/*}" "$script" 2>&1)"
      return 1
    fi
    ! grep -n '__DISCO_[A-Z_]*__\|%index%' "$script" || { echo "$role: Heat's words left in $script"; return 1; }
    grep -q '^#!/bin/bash' "$script" || { echo "$role: $script is not the install script"; return 1; }
  done
}
zk_ruok() {  # IP: the four-letter word a ZooKeeper operator's health check sends
  local answer
  exec 3<>"/dev/tcp/$1/2181" || return 1
  printf 'ruok' >&3
  answer=$(timeout 10 cat <&3)
  exec 3<&-
  [ "$answer" = imok ] || { echo "ruok answered '$answer'"; return 1; }
}

scenario_seed_readme() {  # the original README's create, with Jupyter and no password
  local id location master password
  scenario_services
  location=$(curl -sS -D - -o /dev/null -X POST "$SM/disco/" \
    -H 'Category: disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind";' \
    -H 'Content-type: text/occi' -H "X-Auth-Token: $TOKEN" \
    -H 'X-OCCI-Attribute: icclab.disco.components.heat.masterimage="debian-12", icclab.disco.components.heat.slaveimage="debian-12", icclab.disco.components.heat.masterflavor="m1.large", icclab.disco.components.heat.slaveflavor="m1.medium", icclab.disco.components.heat.slavecount="0", icclab.disco.components.heat.externalnetworkname="public", icclab.disco.name="rn-seed"' \
    -H "X-OCCI-Attribute: icclab.disco.dependencies.inject=\"{'jupyter': ''}\"" | tr -d '\r' | sed -n 's/^Location: //Ip')
  id=${location##*/}
  check "occi-create-201" test -n "$id"
  check "ready" wait_cluster "$id" '.state == "ready"' 1200
  check "installed-on-every-node" installed_on_every_node
  check "heat-signals" heat_signals "$id"
  password=$(occi_attribute "$id" 'icclab.disco.components.jupyter.password')
  check "generated-password-shown-to-owner" test "${#password}" -ge 16
  master=$(cluster "$id" | jq -r .externalIP)
  check "jupyter-login-and-kernel" jupyter_check "https://$master:8888" "$password"
  check "password-not-in-log" not_in_log "$password"
  check "deleted" delete_cluster "$id"
}
occi_attribute() {  # ID NAME: one attribute of the OCCI rendering of the cluster (text/plain: one per line), unquoted
  curl -sS -H 'Accept: text/plain' -H "X-Auth-Token: $TOKEN" "$SM/disco/$1" | tr -d '\r' \
    | sed -n "s/^X-OCCI-Attribute: $2=\"\\(.*\\)\"\$/\\1/p" | head -1
}
not_in_log() { ! grep -qF -- "$1" "$work/sm.log"; }  # the secret stays off every command line
jupyter_check() { printf '%s\n' "$2" | python3 "$here/jupyter_check.py" "$1"; }

scenario_spark() {
  local id user
  scenario_services
  id=$(create_cluster rn-spark debian-12 1 '{"spark":{}}')
  check "ready" wait_cluster "$id" '.state == "ready"' 1200
  check "installed-on-every-node" installed_on_every_node
  check "heat-signals" heat_signals "$id"
  check "one-download-per-cluster($(mirror_tally "$id"), 1 worker)" one_download_per_cluster "$id"
  ssh_key "$id"
  user=$(login_user debian-12)
  # YARN and HDFS need a real Hadoop, which this machine's registries do not carry: SparkPi runs in local mode and
  # writes no event log (spark.eventLog.dir is on the stand-in's HDFS).
  scp -q -i "$work/$id.key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
    "$here/sparkpi.py" "$user@$(cluster "$id" | jq -r .externalIP):/tmp/sparkpi.py"
  check "spark-submit-SparkPi(local; YARN is a stand-in)" on_master "$id" "$user" \
    'out=$(bash -lc "spark-submit --master local[2] --conf spark.eventLog.enabled=false /tmp/sparkpi.py 20" 2>&1); grep -q "Pi is roughly 3.1" <<<"$out" || { grep -E "Exception|Error" <<<"$out" | head -n 6; tail -n 6 <<<"$out"; exit 1; }'
  check "deleted" delete_cluster "$id"
}

scenario_install_failure() {  # an operator component whose install fails at a known line
  local id reason line
  cp -r "$repo/Sources/DiscoCore/Resources/components" "$work/catalog"
  line=$(grep -n '^install -d' "$work/catalog/zookeeper/master.sh" | head -1 | cut -d: -f1)
  sed -i "${line}i false  # injected by the real-node suite" "$work/catalog/zookeeper/master.sh"
  scenario_services "" "" "framework_directory = $work/catalog"
  id=$(create_cluster rn-fail debian-12 0 '{"zookeeper":{}}')
  check "failed" wait_failed "$id" 900
  reason=$(cluster "$id" | jq -r .stateReason)
  echo "reason: $reason"
  check "reason-names-component-and-node" grep -q 'zookeeper failed on master 0' <<<"$reason"
  check "reason-names-the-line" grep -Eq "line [0-9]+: 'false' exited with 1" <<<"$reason"
  check "deleted" delete_cluster "$id"
}
wait_failed() {  # ID SECONDS
  local end=$((SECONDS + $2)) state
  while state=$(cluster "$1" | jq -r .state); [ "$state" != failed ]; do
    [ "$state" != ready ] || { echo "the cluster became ready"; return 1; }
    [ $SECONDS -lt "$end" ] || { echo "not failed after $2 s (state $state)"; return 1; }
    sleep 2
  done
}

scenario_bad_checksum() {
  local id reason path user
  path=$(jq -r '.downloads[0].path' "$repo/Sources/DiscoCore/Resources/components/flink/component.json")
  scenario_services "" "$path"
  id=$(create_cluster rn-badsum debian-12 0 '{"flink":{}}')
  check "failed" wait_failed "$id" 1200
  reason=$(cluster "$id" | jq -r .stateReason)
  echo "reason: $reason"
  check "reason-names-the-checksum" grep -q 'SHA-512' <<<"$reason"
  ssh_key "$id"
  user=$(login_user debian-12)
  check "nothing-started-from-the-bad-file" on_master "$id" "$user" \
    '! test -e /opt/flink/bin && ! systemctl is-active --quiet flink-jobmanager && ! ls /var/cache/disco/*.tgz /var/lib/disco/artifacts/*/*.tgz 2>/dev/null'
  check "deleted" delete_cluster "$id"
}

scenario_apt_lock() {
  local id
  scenario_services apt-lock
  id=$(create_cluster rn-aptlock debian-12 0 '{}')
  check "ready-despite-the-held-lock" wait_cluster "$id" '.state == "ready"' 900
  ssh_key "$id"
  check "the-lock-was-held-at-first-boot" on_master "$id" debian \
    'systemctl show -p ExecMainStatus disco-hold-apt-lists.service | grep -q =0'
  check "deleted" delete_cluster "$id"
}

keystone_token_lifetime() {  # SECONDS: Keystone's [token] expiration, applied by a graceful uwsgi reload
  local conf=/etc/disco-openstack/keystone.conf issued
  python3 - "$conf" "$1" <<'PY'
import configparser, sys
path, seconds = sys.argv[1], sys.argv[2]
text = open(path).read().splitlines()
out, section, done = [], None, False
for line in text:
    if line.startswith("["):
        if section == "token" and not done:
            out.append(f"expiration = {seconds}"); done = True
        section = line.strip("[] ")
    if section == "token" and line.startswith("expiration"):
        continue
    out.append(line)
if not done:
    if section != "token":
        out.append("[token]")
    out.append(f"expiration = {seconds}")
open(path, "w").write("\n".join(out) + "\n")
PY
  kill -HUP "$(cat /run/disco-openstack/keystone.pid)"
  for _ in $(seq 60); do
    issued=$(curl -s -H 'Content-Type: application/json' "$OS_AUTH_URL/auth/tokens" -d "$(jq -n --arg u "$OS_USERNAME" \
      --arg p "$OS_PASSWORD" --arg pr "$OS_PROJECT_NAME" '{auth:{identity:{methods:["password"],password:{user:{name:$u,
      domain:{name:"Default"},password:$p}}},scope:{project:{name:$pr,domain:{name:"Default"}}}}}')" \
      | jq -r '((.token.expires_at | sub("\\.[0-9]+Z$"; "Z") | fromdate) - (.token.issued_at | sub("\\.[0-9]+Z$"; "Z") | fromdate))' 2>/dev/null)
    [ "$issued" = "$1" ] && { echo "Keystone tokens now live $1 s"; return 0; }
    sleep 1
  done
  echo "Keystone did not take the token lifetime $1 (tokens live ${issued:-?} s)"; return 1
}

scenario_token_expiry() {  # Heat's wait-condition credentials must outlive Keystone's token lifetime
  local id
  check "keystone-token-lifetime-150s" keystone_token_lifetime 150
  RESTORE_TOKEN_LIFETIME=3600
  # Every node starts its user data 170 s after boot, so each signal comes after the stack's tokens expired.
  scenario_services slow-first-boot
  id=$(create_cluster rn-tokens debian-12 1 '{}')
  check "ready-after-token-expiry" wait_cluster "$id" '.state == "ready"' 900
  check "install-outlived-a-token" install_longer_than "$id" 150
  check "installed-on-every-node" installed_on_every_node
  check "heat-signals" heat_signals "$id"
  check "deleted" delete_cluster "$id"
}
install_longer_than() {  # ID SECONDS: the last signal came more than SECONDS after the stack was created
  local view created ready
  view=$(api GET "/api/v1/clusters/$1/events")
  created=$(jq -r '.events[0].time' <<<"$view")
  ready=$(jq -r '.events[-1].time' <<<"$view")
  python3 -c 'import sys, datetime as d; f=lambda s: d.datetime.fromisoformat(s.replace("Z","+00:00")); gap=(f(sys.argv[2])-f(sys.argv[1])).total_seconds(); print(f"{gap:.0f} s from the first event to ready"); sys.exit(0 if gap > float(sys.argv[3]) else 1)' "$created" "$ready" "$2"
}

# ---- the benchmark: ready time against the number of workers
scenario_ready_vs_workers() {  # NODES_BENCH_WORKERS (default "1 2 4"), NODES_BENCH_OUT (default: the scenario log only)
  local w id t0 out=${NODES_BENCH_OUT:-$work/ready-vs-workers.txt}
  scenario_services
  : >"$out"
  for w in ${NODES_BENCH_WORKERS:-1 2 4}; do
    MIRROR_FROM=$(($(wc -l <"$work/mirror-requests.log") + 1))
    t0=$(date +%s.%N)
    id=$(create_cluster "rn-bench$w" debian-12 "$w" '{"flink":{}}')
    check "ready-with-$w-workers" wait_cluster "$id" '.state == "ready"' 1500
    check "one-download-per-cluster($(mirror_tally "$id"), $w workers)" one_download_per_cluster "$id"
    bench_rows "$id" "$w" "$t0" >>"$out"
    check "deleted-$w" delete_cluster "$id"
  done
  bench_table "$out"
}
bench_rows() {  # ID WORKERS T0: one JSON line per cluster: DISCO's timeline and every node's install log, seconds after T0
  cluster "$1" >"$work/bench-view.json"
  nodes >"$work/bench-nodes.json"
  python3 - "$work/bench-view.json" "$work/bench-nodes.json" "$2" "$3" "$(uptime | sed 's/.*load average: //')" <<'PY'
import calendar, json, re, sys, time
view, nodes, workers, t0, load = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
line = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) \[([^]]*)\] (.*)$")
def at(stamp):
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")) - t0
marks = {}
for m in view.get("timeline") or []:
    key = m["phase"] + (":" + m["component"] if m.get("component") else "")
    marks[key] = round(m["seconds"], 1)
created = calendar.timegm(time.strptime(view["createdAt"][:19] + "Z", "%Y-%m-%dT%H:%M:%SZ")) - t0
row = {"workers": workers, "load": load, "disco": marks, "createdAfterPost": round(created, 1), "nodes": {}}
for n in nodes:
    name, steps = n["name"], {}
    try:
        text = open(n["root"] + "/var/lib/disco/deployment.log").read().splitlines()
    except OSError:
        text = []
    for l in text:
        m = line.match(l)
        if not m:
            continue
        t, what = at(m.group(1)), m.group(3)
        name = "master" if m.group(2) == "master0" else m.group(2)
        steps.setdefault("start", t)
        for key, pattern in (("base", r"^flink: installing$"), ("flink-unpacked", r"^service flink-(jobmanager|taskmanager) started$"),
                             ("flink-waiting", r"^flink: waiting for"), ("done", r"^all components installed")):
            if re.search(pattern, what):
                steps.setdefault(key, t)
        if what.startswith("waiting for ") and ":" in what:
            steps.setdefault("artefact-wait", t)
    row["nodes"][name] = steps
print(json.dumps(row))
PY
}
bench_table() {  # FILE of bench_rows lines: the table the README quotes
  python3 - "$1" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def g(d, k):
    v = d.get(k)
    return "-" if v is None else ("%.0f" % v if isinstance(v, (int, float)) else str(v))
print("seconds after the POST (node times: whole seconds of the nodes' deployment logs)")
print("%-7s %6s %7s %7s %8s %8s %8s %8s %8s %8s %8s %8s  %s" % ("workers", "ready", "master", "signal", "m.start", "m.base", "m.flink",
      "w.start", "w.base", "w.flink", "w.done", "m.done", "load (1/5/15 min)"))
for r in rows:
    d, n = r["disco"], r["nodes"]
    m = n.get("master", {})
    ws = [v for k, v in n.items() if k != "master"]
    mx = lambda k: max((w[k] for w in ws if k in w), default=None)
    print("%-7d %6s %7s %7s %8s %8s %8s %8s %8s %8s %8s %8s  %s" % (
        r["workers"], "%.1f" % d["ready"] if "ready" in d else "-", g(d, "servers_active"), g(d, "component_signalled:flink"),
        g(m, "start"), g(m, "base"), g(m, "flink-waiting"), g({"v": mx("start")}, "v"), g({"v": mx("base")}, "v"),
        g({"v": mx("flink-unpacked")}, "v"), g({"v": mx("done")}, "v"), g(m, "done"), r["load"]))
print()
print("per node: start (script), base done, flink service started, done; artefact wait logged")
for r in rows:
    for name, s in sorted(r["nodes"].items()):
        print("  %d workers %-8s start %4s  base %4s  flink %4s  done %4s%s" % (r["workers"], name, g(s, "start"), g(s, "base"),
              g(s, "flink-unpacked"), g(s, "done"), "  (waited for the master's artefact)" if "artefact-wait" in s else ""))
PY
}

