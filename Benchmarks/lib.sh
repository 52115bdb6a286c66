# shellcheck shell=bash
# Shared helpers for the benchmark and reliability scripts (sourced, not run).
# Everything talks to 127.0.0.1 only; every wait is bounded.
set -Eeuo pipefail
export PATH=/opt/swift/usr/bin:$PATH
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIGURATION="${CONFIGURATION:-release}"
BIN="$ROOT/.build/$CONFIGURATION"
WORK="$(mktemp -d /tmp/disco-bench.XXXXXX)"
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    [[ -n "${KEEP_WORK:-}" ]] || rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf '%s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

build() {
    [[ -n "${SKIP_BUILD:-}" ]] && return 0
    log "building $CONFIGURATION: $*"
    local product
    for product in "$@"; do
        (cd "$ROOT" && swift build -c "$CONFIGURATION" --product "$product" 2>&1 | tail -n 3 >&2)
    done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# wait_http URL [tries=400] — polls every 25 ms until the URL answers at all.
wait_http() {
    local url=$1 tries=${2:-400} i
    for ((i = 0; i < tries; i++)); do
        curl -s -o /dev/null --max-time 1 "$url" && return 0
        sleep 0.025
    done
    return 1
}

# rss_kib PID — resident set of a process in KiB.
# stop_sm PID [seconds=30] — SIGTERM, then waits (bounded) for a graceful exit; a process still there is dumped
# (thread backtraces to $WORK/stuck-PID.txt when gdb is installed), SIGKILLed and reported as a failure.
stop_sm() {
    local pid=$1 limit=${2:-30} i
    kill "$pid" 2>/dev/null || return 0
    for ((i = 0; i < limit * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    if command -v gdb >/dev/null; then gdb -p "$pid" -batch -ex 'thread apply all bt' >"$WORK/stuck-$pid.txt" 2>&1 || true; fi
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    KEEP_WORK=1  # keep the logs and the dump
    log "FAIL: disco-sm (pid $pid) did not stop within $limit s of SIGTERM; backtraces in $WORK/stuck-$pid.txt"
    return 1
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# rss_sample_start PID — samples PID's resident set every 50 ms until rss_sample_stop, which prints the largest (KiB).
rss_sample_start() {
    local pid=$1
    : >"$WORK/rss.samples"
    while kill -0 "$pid" 2>/dev/null; do rss_kib "$pid" >>"$WORK/rss.samples"; sleep 0.05; done &
    RSS_SAMPLER=$!
    PIDS+=("$RSS_SAMPLER")
}
rss_sample_stop() {
    kill "$RSS_SAMPLER" 2>/dev/null || true
    wait "$RSS_SAMPLER" 2>/dev/null || true
    sort -n "$WORK/rss.samples" | tail -1
}

# start_sim PORT [extra args…] — the simulated cloud over HTTP; sets SIM_PID.
start_sim() {
    local port=$1; shift
    "$BIN/disco-sm" simulate-cloud --port "$port" "$@" >"$WORK/sim-$port.log" 2>&1 &
    SIM_PID=$!
    PIDS+=("$SIM_PID")
    wait_http "http://127.0.0.1:$port/identity/v3" || die "simulated cloud did not start: $(tail -5 "$WORK/sim-$port.log")"
}

# write_sm_config SIM_PORT SM_PORT STATE_DIR [extra INI lines…] — $WORK/sm.cfg for a disco-sm on the simulated cloud
# served at SIM_PORT, polling every 0.05 s, without the per-project cluster cap and create rate (MAX_CLUSTERS=,
# CREATES_PER_MINUTE= set them); extra lines (whole sections) are appended.
write_sm_config() {
    local sim=$1 port=$2 state=$3; shift 3
    {
        printf '[service_manager]\ndesign_uri = http://127.0.0.1:%s/identity/v3\nport = %s\nstate_directory = %s\n' \
            "$sim" "$port" "$state"
        printf '[disco]\npoll_interval = 0.05\nmax_clusters_per_project = %s\ncreates_per_minute = %s\n' \
            "${MAX_CLUSTERS:-0}" "${CREATES_PER_MINUTE:-0}"
        if (($#)); then printf '%s\n' "$@"; fi
    } >"$WORK/sm.cfg"
}

# start_sm CONFIG PORT — disco-sm with a config file; sets SM_PID.
start_sm() {
    local config=$1 port=$2
    "$BIN/disco-sm" -c "$config" >>"$WORK/sm-$port.log" 2>&1 &
    SM_PID=$!
    PIDS+=("$SM_PID")
    wait_http "http://127.0.0.1:$port/healthz" || die "disco-sm did not start: $(tail -5 "$WORK/sm-$port.log")"
}

# start_sm_timed CONFIG PORT COUNT — disco-sm on a state directory of COUNT clusters; sets SM_PID and READY_MS,
# the milliseconds from process start to /healthz answering with all COUNT clusters loaded.
# shellcheck disable=SC2034 # READY_MS is read by the calling script
start_sm_timed() {
    local config=$1 port=$2 count=$3 start_ns
    start_ns=$(date +%s%N)
    "$BIN/disco-sm" -c "$config" >>"$WORK/sm-$port.log" 2>&1 &
    SM_PID=$!
    PIDS+=("$SM_PID")
    READY_MS=$(python3 - "$port" "$count" "$start_ns" <<'PY'
import http.client, json, sys, time
port, want, start = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
deadline = time.time() + 30
while time.time() < deadline:
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        c.request("GET", "/healthz")
        body = json.loads(c.getresponse().read())
        if sum(body.get("clusters", {}).values()) >= want:
            print(int((time.time_ns() - start) / 1e6)); sys.exit(0)
    except (OSError, ValueError, http.client.HTTPException):
        pass
    time.sleep(0.005)
print("timeout"); sys.exit(1)
PY
) || die "disco-sm did not come up with $count clusters: $(tail -5 "$WORK/sm-$port.log")"
}

# token PORT [user] [password] — a token from disco-sm's /api/v1/tokens.
token() {
    curl -s --max-time 10 -X POST "http://127.0.0.1:$1/api/v1/tokens" -H 'Content-Type: application/json' \
        -d "{\"username\":\"${2:-demo}\",\"password\":\"${3:-demo}\"}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# keystone_token SIMPORT [user] [password] [project] — a token straight from the simulated Keystone.
keystone_token() {
    curl -s -D - -o /dev/null --max-time 10 -X POST "http://127.0.0.1:$1/identity/v3/auth/tokens" \
        -H 'Content-Type: application/json' \
        -d "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"${2:-demo}\",\"domain\":{\"name\":\"Default\"},\"password\":\"${3:-demo}\"}}},\"scope\":{\"project\":{\"name\":\"${4:-demo}\",\"domain\":{\"name\":\"Default\"}}}}}" \
        | awk 'tolower($1) == "x-subject-token:" {print $2}' | tr -d '\r'
}

SPEC_JSON='{"name":"bench","master":{"image":"ubuntu-22.04","flavor":"m1.large"},"workers":2,"externalNetwork":"public","components":{"spark":{}}}'

# create_cluster PORT TOKEN [name] [workers] — prints the new cluster's id.
create_cluster() {
    local body=${SPEC_JSON/\"bench\"/\"${3:-bench}\"}
    body=${body/\"workers\":2/\"workers\":${4:-2}}
    curl -s --max-time 30 -X POST "http://127.0.0.1:$1/api/v1/clusters" -H "X-Auth-Token: $2" \
        -H 'Content-Type: application/json' -d "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}

# cluster_state PORT TOKEN ID
cluster_state() {
    curl -s --max-time 10 "http://127.0.0.1:$1/api/v1/clusters/$3" -H "X-Auth-Token: $2" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin).get("state","?"))' 2>/dev/null || echo "?"
}

# wait_state PORT TOKEN ID STATE [seconds=60]
wait_state() {
    local deadline=$((SECONDS + ${5:-60})) state
    while ((SECONDS < deadline)); do
        state=$(cluster_state "$1" "$2" "$3")
        [[ $state == "$4" ]] && return 0
        sleep 0.1
    done
    die "cluster $3 is '$state', not '$4', after ${5:-60} s"
}

# wrk_summary NAME FILE — one table row from wrk --latency output: req/s, p50, p99, non-2xx, socket errors.
wrk_summary() {
    python3 - "$1" "$2" <<'EOF'
import re, sys
name, path = sys.argv[1], sys.argv[2]
text = open(path).read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    if not m: return float("nan")
    x = float(m.group(1)); return x / 1000 if m.group(2) == "us" else (x * 1000 if m.group(2) == "s" else x)
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
total = re.search(r"(\d+) requests in", text)
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = sum(int(x) for x in sock.groups()) if sock else 0
print(f"{name:<34} {float(rps.group(1)) if rps else 0:>10.0f} {ms(p50.group(1)) if p50 else float('nan'):>9.2f} "
      f"{ms(p99.group(1)) if p99 else float('nan'):>9.2f} {int(total.group(1)) if total else 0:>9} "
      f"{int(non2xx.group(1)) if non2xx else 0:>8} {errors:>7}")
EOF
}
WRK_HEADER="$(printf '%-34s %10s %9s %9s %9s %8s %7s' 'endpoint' 'req/s' 'p50 ms' 'p99 ms' 'requests' 'non-2xx' 'sockerr')"
export WRK_HEADER
