#!/usr/bin/env bash
# The real-node suite: DISCO's clusters booted as real Linux userlands through real Heat, and checked the way a
# user would check them after "ready".
#
#   bash scripts/nodes/run.sh [--list] [scenario...]        (root; calls scripts/openstack/up.sh when needed)
#
# disco-sm runs against the loopback OpenStack of scripts/openstack/up.sh. Nova's fake driver boots nothing, so
# scripts/nodes/hypervisor.py boots a systemd-nspawn container for every server Nova was asked for, with the user
# data Nova received and the address Neutron gave its port; cloud-init runs the install scripts from cloud-final
# and their signals go to real Heat. Framework artefacts come from a loopback mirror (scripts/nodes/mirror.sh).
# Prints one line per scenario and ends with "N passed, N failed" (exit 1 when any failed). Skips visibly (exit 0)
# where the machine cannot run it: not root, no systemd-nspawn, debootstrap, iptables or overlayfs.
#
# Environment: SKIP_BUILD=1 (use .build/debug as built), NODES_CACHE (default /var/cache/disco-nodes),
# NODES_KEEP=1 (keep the work directory: logs of disco-sm, the hypervisor, the mirror and each scenario),
# DISCO_SM_BIN (default .build/debug/disco-sm).
# shellcheck disable=SC2031  # OS_* come from the sourced openrc; subshells only read them
set -Eeuo pipefail
export PATH=/opt/swift/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=./scenarios.sh
. "$here/scenarios.sh"

usage() {
  cat <<EOF
usage: bash scripts/nodes/run.sh [--list] [scenario...]

Scenarios (default: all, in this order):
$(for s in "${SCENARIOS[@]}"; do printf '  %-16s %s\n' "$s" "$(scenario_about "$s")"; done)
EOF
}
case ${1:-} in
  -h|--help) usage; exit 0 ;;
  --list) printf '%s\n' "${SCENARIOS[@]}"; exit 0 ;;
esac
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=("${SCENARIOS[@]}")
for s in "${wanted[@]}"; do
  [[ " ${SCENARIOS[*]} " == *" $s "* ]] || { echo "run.sh: unknown scenario '$s'" >&2; usage >&2; exit 64; }
done

# ---- can this machine run it?
missing=()
[ "$(id -u)" = 0 ] || missing+=("root")
for tool in systemd-nspawn debootstrap iptables ip jq curl python3 ssh ssh-keygen; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
grep -qw overlay /proc/filesystems || missing+=("overlayfs")
if [ ${#missing[@]} -gt 0 ]; then
  echo "real-node suite skipped: this machine lacks ${missing[*]} (Debian: apt-get install systemd-container debootstrap iptables jq curl openssh-client)"
  exit 0
fi

T0=$SECONDS
cache=${NODES_CACHE:-/var/cache/disco-nodes}
mkdir -p "$cache"
# One run at a time (one bridge, one cluster subnet); then sweep what a killed run left behind.
exec 9>"$cache/run.lock"  # daemons started below close fd 9, so a killed run leaves no lock behind
flock -n 9 || { echo "run.sh: another real-node run holds $cache/run.lock" >&2; exit 1; }
pkill -f -- '--machine=disco-node-' 2>/dev/null || true
awk '$2 ~ "^/tmp/disco-nodes[.]" {print $2}' /proc/mounts | while read -r m; do umount -l "$m" 2>/dev/null || true; done
for ns in $(ip netns list | awk '$1 ~ /^dn[0-9]+$/ {print $1}'); do ip netns del "$ns"; done
ip link del discobr0 2>/dev/null || true
work=$(mktemp -d /tmp/disco-nodes.XXXXXX)
chmod 700 "$work"
pids=()
cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ "${NODES_KEEP:-0}" = 1 ] || rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
say() { printf '[nodes %4ss] %s\n' "$((SECONDS - T0))" "$*"; }

# ---- the cloud, the build, the userlands, the mirror
if ! curl -s -o /dev/null -m 5 http://127.0.0.1:5000/v3; then
  say "no OpenStack on 127.0.0.1: starting scripts/openstack/up.sh"
  bash "$repo/scripts/openstack/up.sh" 9>&-  # the cloud outlives the run: it must not hold the lock
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then (cd "$repo" && swift build --product disco-sm >/dev/null); fi
SM_BIN=${DISCO_SM_BIN:-$repo/.build/debug/disco-sm}
[ -x "$SM_BIN" ] || { echo "run.sh: no $SM_BIN (build it, or unset SKIP_BUILD)" >&2; exit 1; }

declare -A ROOTFS=()
for u in $(scenario_userlands "${wanted[@]}"); do
  rc=0; dir=$(bash "$here/rootfs.sh" "$u" "$cache") || rc=$?
  if [ $rc = 0 ]; then ROOTFS[$u]=$dir
  elif [ $rc = 3 ] && [ "$u" != debian-12 ]; then say "userland $u unavailable: its archive does not answer"
  elif [ "$u" != debian-12 ]; then say "userland $u unavailable: debootstrap failed (log: $cache/rootfs/$u.log)"
  else echo "run.sh: cannot build the $u userland" >&2; exit 1; fi
done
bash "$here/mirror.sh" build "$cache/mirror" >"$work/mirror-build.log" 2>&1 \
  || { tail -20 "$work/mirror-build.log"; echo "run.sh: the mirror could not be built" >&2; exit 1; }
NODES_OPENRC=$(nodes_cloud_objects)
# shellcheck disable=SC1090
. "$NODES_OPENRC"
left=$(remove_leftovers "an earlier run") || true
[ -z "$left" ] || say "$left"

# ---- the hypervisor (bridge 10.42.0.1/24 = the gateway of DISCO's cluster subnet), the mirror server, disco-sm
GATEWAY=10.42.0.1 MIRROR_PORT=8099
rootfs_map=$(for u in "${!ROOTFS[@]}"; do printf '%s=%s,' "$u" "${ROOTFS[$u]}"; done)
start_hypervisor() {  # [fault]
  python3 "$here/hypervisor.py" --rootfs-map "${rootfs_map%,}" --state "$work/nodes" --prefix rn \
    ${1:+--fault "$1"} >>"$work/hypervisor.log" 2>&1 9>&- &
  HYPERVISOR_PID=$!
  pids+=("$HYPERVISOR_PID")
  for _ in $(seq 100); do ip -4 addr show discobr0 2>/dev/null | grep -q "$GATEWAY" && return; sleep 0.1; done
  tail -20 "$work/hypervisor.log"; echo "run.sh: the hypervisor did not bring up discobr0" >&2; exit 1
}
stop_hypervisor() {
  kill "$HYPERVISOR_PID" 2>/dev/null || true
  wait "$HYPERVISOR_PID" 2>/dev/null || true
}
start_mirror() {  # [wrong-checksum path]
  bash "$here/mirror.sh" serve "$cache/mirror" "$GATEWAY" "$MIRROR_PORT" "$work/mirror-requests.log" \
    ${1:+--wrong-checksum "$1"} >>"$work/mirror.log" 2>&1 9>&- &
  MIRROR_PID=$!
  pids+=("$MIRROR_PID")
  for _ in $(seq 100); do curl -s -o /dev/null "http://$GATEWAY:$MIRROR_PORT/" && return; sleep 0.1; done
  tail -20 "$work/mirror.log"; echo "run.sh: the mirror server did not start" >&2; exit 1
}
stop_mirror() { kill "$MIRROR_PID" 2>/dev/null || true; wait "$MIRROR_PID" 2>/dev/null || true; }
start_sm() {  # [extra sm.cfg lines for [disco]]
  SM_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$work/sm.cfg" <<EOF
[service_manager]
design_uri = $OS_AUTH_URL
port = $SM_PORT
state_directory = $work/state
[disco]
cloud = openstack
poll_interval = 1
download_mirror = http://$GATEWAY:$MIRROR_PORT
checksum_base = http://$GATEWAY:$MIRROR_PORT
default_external_network = public
${1:-}
EOF
  "$SM_BIN" -c "$work/sm.cfg" >>"$work/sm.log" 2>&1 9>&- &
  SM_PID=$!
  pids+=("$SM_PID")
  SM=http://127.0.0.1:$SM_PORT
  for _ in $(seq 200); do curl -s -o /dev/null "$SM/healthz" && break; sleep 0.1; done
  sign_in
}
sign_in() {  # the suite's user signs in through disco-sm, as the dashboard and CLI do
  TOKEN=$(curl -sf -H 'Content-Type: application/json' "$SM/api/v1/tokens" -d "$(jq -n --arg u "$OS_USERNAME" \
    --arg p "$OS_PASSWORD" --arg pr "$OS_PROJECT_NAME" '{username:$u,password:$p,project:$pr}')" | jq -r .token)
  if [ -z "$TOKEN" ] || [ "$TOKEN" = null ]; then tail -20 "$work/sm.log"; echo "run.sh: no token from disco-sm" >&2; exit 1; fi
}
stop_sm() { kill "$SM_PID" 2>/dev/null || true; wait "$SM_PID" 2>/dev/null || true; }

say "ready to run ${#wanted[@]} scenario(s): userlands ${!ROOTFS[*]}; mirror $(mirror_summary)"
passed=0 failed=0
for s in "${wanted[@]}"; do
  t=$SECONDS
  : >"$work/checks"
  rc=0
  (scenario_run "$s") >"$work/$s.log" 2>&1 || rc=$?
  checks=$(paste -sd ';' "$work/checks" | sed 's/;/; /g')
  if [ $rc = 0 ]; then
    passed=$((passed + 1)); printf 'PASS %-16s %4ss  %s\n' "$s" "$((SECONDS - t))" "$checks"
  elif [ $rc = 77 ]; then
    printf 'SKIP %-16s %4ss  %s\n' "$s" "$((SECONDS - t))" "$(tail -1 "$work/$s.log")"
  else
    failed=$((failed + 1)); printf 'FAIL %-16s %4ss  %s\n' "$s" "$((SECONDS - t))" "$checks"
    # Why first (a failed check's own words), then the end of the scenario's log (the nodes' install logs).
    grep -m1 -A4 "^FAILED check" "$work/$s.log" | cut -c1-400 | sed 's/^/  why: /' || true
    sed 's/^/    /' "$work/$s.log" | tail -40
  fi
  left=$(remove_leftovers "scenario $s") || true
  [ -z "$left" ] || printf '  %s\n' "$left"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
