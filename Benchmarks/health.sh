#!/usr/bin/env bash
# Health monitor cost: a release disco-sm on its embedded simulated cloud with CLUSTERS ready clusters, every one's
# health document read every INTERVAL seconds. Over WINDOW seconds it prints the reads per second (requests to the
# clusters' status services), their failures, disco-sm's CPU (share of one core) and RSS, and the clusters by health.
#
#   Benchmarks/health.sh                          # 10,000 clusters, 60 s interval, 120 s window
#   CLUSTERS=1000 WINDOW=60 Benchmarks/health.sh  # smaller
#   SKIP_BUILD=1 Benchmarks/health.sh             # use the existing .build/release/disco-sm
# shellcheck source=Benchmarks/lib.sh
source "$(dirname "$0")/lib.sh"
CLUSTERS=${CLUSTERS:-10000}
INTERVAL=${INTERVAL:-60}
WINDOW=${WINDOW:-120}
# One master (m1.small: 1 vCPU, 2 GiB, one floating IP) a cluster; the simulated project has 10 floating IPs, 20
# instances, 40 vCPUs and 100 GiB times quota_scale: twice what CLUSTERS need.
QUOTA_SCALE=$(( (CLUSTERS + 4) / 5 ))
((QUOTA_SCALE >= 1)) || QUOTA_SCALE=1
build disco-sm

SM_PORT=$(free_port)
cat >"$WORK/sm.cfg" <<CFG
[service_manager]
port = $SM_PORT
state_directory = $WORK/state
[disco]
cloud = simulated
poll_interval = 0.5
health_interval = $INTERVAL
max_clusters_per_project = 0
creates_per_minute = 0
[simulation]
ready_seconds = 0.2
quota_scale = $QUOTA_SCALE
CFG
start_sm "$WORK/sm.cfg" "$SM_PORT"
TOKEN=$(token "$SM_PORT")
log "creating $CLUSTERS clusters (base + zookeeper, no workers); load $(loadavg)"
python3 - "$SM_PORT" "$TOKEN" "$CLUSTERS" <<'PY'
import http.client, json, sys, time
from concurrent.futures import ThreadPoolExecutor
port, token, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
body = lambda i: json.dumps({"name": f"h{i}", "master": {"image": "ubuntu-22.04", "flavor": "m1.small"}, "workers": 0,
                             "externalNetwork": "public", "components": {"zookeeper": {}}})
def create(i):
    for attempt in range(5):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        c.request("POST", "/api/v1/clusters", body(i), {"X-Auth-Token": token, "Content-Type": "application/json"})
        r = c.getresponse(); text = r.read()
        if r.status == 201: return
        time.sleep(1)
    raise SystemExit(f"create {i}: {r.status} {text[:300]}")
start = time.time()
with ThreadPoolExecutor(8) as pool: list(pool.map(create, range(count)))
print(f"{count} creates in {time.time() - start:.0f} s", file=sys.stderr)
deadline = time.time() + 600
while time.time() < deadline:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10); c.request("GET", "/healthz")
    ready = json.loads(c.getresponse().read()).get("clusters", {}).get("ready", 0)
    if ready >= count: break
    time.sleep(1)
else:
    raise SystemExit(f"only {ready} of {count} clusters ready after 600 s")
PY

sample() {  # prints: utime+stime ticks, RSS KiB, reads, failed reads
  local stat metrics
  stat=$(cut -d' ' -f14,15 "/proc/$SM_PID/stat")
  metrics=$(curl -s "http://127.0.0.1:$SM_PORT/metrics")
  echo "$(( ${stat% *} + ${stat#* } )) $(rss_kib "$SM_PID") $(awk '/^disco_health_reads_total /{print $2}' <<<"$metrics") $(awk '/^disco_health_read_failures_total /{print $2}' <<<"$metrics")"
}
# The first reads are spread over one interval after the clusters became ready: measure after it.
log "all $CLUSTERS ready; waiting one interval ($INTERVAL s) for the reads to spread, then measuring for $WINDOW s"
sleep "$INTERVAL"
read -r cpu0 rss0 reads0 failed0 < <(sample)
sleep "$WINDOW"
read -r cpu1 rss1 reads1 failed1 < <(sample)
ticks=$(getconf CLK_TCK)
echo "== health monitor, $CLUSTERS ready clusters, health_interval $INTERVAL s, window $WINDOW s; load $(loadavg)"
python3 - "$cpu0" "$cpu1" "$ticks" "$WINDOW" "$reads0" "$reads1" "$failed0" "$failed1" "$rss0" "$rss1" "$CLUSTERS" "$INTERVAL" <<'PY'
import sys
c0, c1, tck, w, r0, r1, f0, f1, m0, m1, n, i = map(float, sys.argv[1:])
print(f"   reads: {r1 - r0:.0f} in {w:.0f} s = {(r1 - r0) / w:.1f}/s (one per cluster per interval: {n / i:.1f}/s), failed {f1 - f0:.0f}")
print(f"   disco-sm CPU: {(c1 - c0) / tck:.2f} s in {w:.0f} s = {100 * (c1 - c0) / tck / w:.1f} % of one core")
print(f"   disco-sm RSS: {m0 / 1024:.0f} MiB before, {m1 / 1024:.0f} MiB after")
PY
curl -s "http://127.0.0.1:$SM_PORT/metrics" | grep '^disco_clusters_health' | sed 's/^/   /'
stop_sm "$SM_PID"
