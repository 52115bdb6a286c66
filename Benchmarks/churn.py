#!/usr/bin/env python3
"""Fault soak against a separate disco-sm process: cluster lifecycles (create → ready or failed → delete → gone)
through the REST API, with about one lifecycle in ten bringing a fault injected into the simulated cloud through its
control routes (simulate-cloud --control). The disco-sm process's RSS (/proc) and malloc heap in use (its /metrics)
are sampled after every batch.

Ready clusters are then scaled to two workers, suspended and resumed (CHANGES=0 leaves that out), with faults drawn
again for that phase (503 bursts, slow Heat, token expiry); every change must end in its state.

Run by Benchmarks/churn.sh. Faults: a 503 burst from Heat, a 503 burst from Keystone, Heat answering slowly (2 s a
request for a while), CREATE_FAILED of the master, a DELETE_FAILED that sticks until cleared, every token expiring.
Checks: every cluster reaches ready or failed with a reason, failures only the injected ones; every delete ends in
404; the cloud ends with no stack and no application credential; disco-sm lists no cluster; from the first tenth of
the batches to the last its RSS grows at most RSS_GROWTH_MIB (default 10) more than its heap, and its heap in use at most 1 KiB a
lifecycle plus what FoundationNetworking is known to keep of each request (REQUEST_LEAK_BYTES, default 512; 2 MiB at
least): URLSession on Linux leaks the parsed URL of every request (CFURLSessionCurlHostIsEqual frees its CURLU with
curl_free, not curl_url_cleanup), ~400 bytes of heap a request here (heaptrack: the URL parts strdup'd by curl_url_set).
Bounded: every request has a timeout, every wait a deadline.
"""
import http.client, json, os, random, sys, threading, time

sim_port, sm_port, sm_pid, lifecycles = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
batch_size = int(os.environ.get("BATCH", "25"))
seed = int(os.environ.get("SEED", str(int(time.time()))))
rng = random.Random(seed)
FAULTS = ["heat 503 burst", "keystone 503 burst", "slow heat", "CREATE_FAILED", "DELETE_FAILED", "token expiry"]
# FAULTS="slow heat,token expiry" narrows the kinds; FAULT_EVERY=N brings one about every N lifecycles (0: none).
if os.environ.get("FAULTS"):
    FAULTS = [f.strip() for f in os.environ["FAULTS"].split(",")]
    unknown = [f for f in FAULTS if f not in ("heat 503 burst", "keystone 503 burst", "slow heat", "CREATE_FAILED",
                                              "DELETE_FAILED", "token expiry")]
    if unknown:
        sys.exit(f"churn: unknown FAULTS {unknown}")
fault_every = int(os.environ.get("FAULT_EVERY", "10"))
SPEC = {"master": {"image": "ubuntu-22.04", "flavor": "m1.large"}, "workers": 1, "externalNetwork": "public",
        "components": {"spark": {}}}


class Client:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, port):
        self.port, self.conn = port, None

    def call(self, method, path, body=None, headers=None, timeout=30):
        data = json.dumps(body).encode() if body is not None else None
        h = dict(headers or {})
        if data is not None:
            h["Content-Type"] = "application/json"
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            try:
                self.conn.request(method, path, body=data, headers=h)
                r = self.conn.getresponse()
                raw = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close(); self.conn = None
                try:
                    return r.status, json.loads(raw) if raw else None
                except ValueError:
                    return r.status, raw.decode(errors="replace")
            except (OSError, http.client.HTTPException):
                self.conn.close(); self.conn = None
                if attempt == 1:
                    raise


sm, sim = Client(sm_port), Client(sim_port)
token = None


def login():
    global token
    status, body = sm.call("POST", "/api/v1/tokens", {"username": "demo", "password": "demo"})
    if status not in (200, 201):
        sys.exit(f"churn: login answered {status}: {body}")
    token = body["token"]


def api(method, path, body=None):
    """A REST call; a 401 (the token expired) logs in again once, as a client would."""
    status, answer = sm.call(method, path, body, {"X-Auth-Token": token})
    if status == 401:
        login()
        status, answer = sm.call(method, path, body, {"X-Auth-Token": token})
    return status, answer


def fault(**body):
    status, answer = sim.call("POST", "/_simulator/faults", body)
    if status != 204:
        sys.exit(f"churn: the simulator refused {body}: {status} {answer}")


def rss_kib():
    with open(f"/proc/{sm_pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def heap_in_use():
    status, text = sm.call("GET", "/metrics")
    for line in (text if isinstance(text, str) else "").splitlines():
        if line.startswith("disco_heap_in_use_bytes "):
            return int(line.split()[1])
    sys.exit(f"churn: /metrics ({status}) has no disco_heap_in_use_bytes")


def inject(chosen):
    for f in chosen:
        if f == "heat 503 burst": fault(fault="unavailable", service="orchestration", count=5)
        elif f == "keystone 503 burst": fault(fault="unavailable", service="identity", count=3)
        elif f == "slow heat":
            # Heat takes 2 s a request for 3 s (its own connection: the timer runs on another thread).
            fault(fault="slow", service="orchestration", seconds=2)
            threading.Timer(3, lambda: Client(sim_port).call("POST", "/_simulator/faults",
                                                             {"fault": "slow", "service": "orchestration", "seconds": 0})).start()
        elif f == "CREATE_FAILED": fault(fault="resource-failure", resource="master", reason="No valid host was found (churn)")
        elif f == "token expiry": fault(fault="expire-tokens")


def act(cid, body):
    """A suspend/resume/scale; a 503 (the cloud refused it for now, nothing changed) is tried again, as a client would."""
    for attempt in range(20):
        status, answer = api("POST", f"/api/v1/clusters/{cid}/actions", body)
        if status != 503:
            break
        changes["answered 503, tried again"] = changes.get("answered 503, tried again", 0) + 1
        time.sleep(0.25)
    if status not in (200, 202):
        problems.append(f"{cid}: {body} answered {status} {str(answer)[:200]}")
        return False
    return True


def change_all(ready, body, want, check=lambda view: True):
    """The change on every cluster of `ready`, then waits until each is `want` (and passes `check`)."""
    acted = [i for i in ready if act(i, body)]
    seen = {}

    def settled():
        for i in acted:
            if i in seen and seen[i]["state"] == want and check(seen[i]):
                continue
            status, view = api("GET", f"/api/v1/clusters/{i}")
            if status != 200:
                problems.append(f"{i}: GET answered {status} during {body['action']}"); seen[i] = None
                return False
            seen[i] = view
            if view["state"] == "failed":
                problems.append(f"{i}: {body['action']} ended failed: {view.get('stateReason')}")
                acted.remove(i)
                return False
            if view["state"] != want or not check(view):
                return False
        return True

    wait(f"batch {batch}: {body['action']} → {want}", settled, 120)
    changes[body["action"]] = changes.get(body["action"], 0) + len(acted)


def wait(what, predicate, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    problems.append(f"{what}: not within {seconds} s")
    return False


login()
problems, faults, outcomes, changes, rss, heap, answered = [], {}, {}, {}, [], [], []
CHANGE_FAULTS = [f for f in FAULTS if f in ("heat 503 burst", "keystone 503 burst", "slow heat", "token expiry")]
with_changes = os.environ.get("CHANGES", "1") != "0"
started, done, batch = time.time(), 0, 0
print(f"churn: {lifecycles} lifecycles in batches of {batch_size}, seed {seed}; disco-sm pid {sm_pid}", flush=True)
while done < lifecycles:
    batch += 1
    count = min(batch_size, lifecycles - done)
    chosen = [rng.choice(FAULTS) for _ in range(count) if fault_every and rng.randrange(fault_every) == 0]
    for f in chosen:
        faults[f] = faults.get(f, 0) + 1
    inject(chosen)
    expect_failed = 1 if "CREATE_FAILED" in chosen else 0  # one pending failure per resource name

    ids = []
    for n in range(count):
        status, body = api("POST", "/api/v1/clusters", dict(SPEC, name=f"churn-{batch}-{n}"))
        if status == 201 and isinstance(body, dict) and "id" in body:
            ids.append(body["id"])
        else:
            problems.append(f"batch {batch}: create answered {status} {str(body)[:200]}")

    views = {}

    def all_terminal():
        for i in ids:
            if i in views and views[i]["state"] in ("ready", "failed"):
                continue
            status, body = api("GET", f"/api/v1/clusters/{i}")
            if status != 200:
                problems.append(f"{i}: GET answered {status} {str(body)[:200]}"); views[i] = {"state": "failed", "stateReason": "lost"}
                continue
            views[i] = body
            if body["state"] not in ("ready", "failed"):
                return False
        return True

    wait(f"batch {batch}: ready or failed", all_terminal, 120)
    failed = 0
    for i in ids:
        v = views.get(i, {"state": "?", "stateReason": ""})
        outcomes[v["state"]] = outcomes.get(v["state"], 0) + 1
        if not v.get("stateReason"):
            problems.append(f"{i}: {v['state']} without a reason")
        if v["state"] == "failed":
            failed += 1
            if "(churn)" not in v["stateReason"]:
                problems.append(f"{i}: failed for an unexpected reason: {v['stateReason']}")
    if failed != expect_failed:
        problems.append(f"batch {batch}: {failed} failed, {expect_failed} CREATE_FAILED injected")

    if with_changes:
        # Ready clusters are scaled to 2 workers, suspended and resumed, with faults of their own.
        ready = [i for i in ids if views.get(i, {}).get("state") == "ready"]
        during = [rng.choice(CHANGE_FAULTS) for _ in ready if CHANGE_FAULTS and fault_every and rng.randrange(fault_every) == 0]
        for f in during:
            faults[f + " (changes)"] = faults.get(f + " (changes)", 0) + 1
        inject(during)
        change_all(ready, {"action": "scale", "workers": 2}, "ready", lambda view: view.get("workers") == 2)
        change_all(ready, {"action": "suspend"}, "suspended")
        change_all(ready, {"action": "resume"}, "ready")

    stuck = ids[0] if ids and "DELETE_FAILED" in chosen else None
    if stuck:
        fault(fault="delete-failure", stack=views[stuck]["stackName"])
    for i in ids:
        status, body = api("DELETE", f"/api/v1/clusters/{i}")
        if status != 202:
            problems.append(f"{i}: delete answered {status} {str(body)[:200]}")
    if stuck:
        def delete_failed_seen():
            status, body = api("GET", f"/api/v1/clusters/{stuck}")
            return status == 200 and body.get("stackStatus") == "DELETE_FAILED"
        wait(f"{stuck}: DELETE_FAILED", delete_failed_seen, 60)
        fault(fault="clear-delete-failures")
    wait(f"batch {batch}: deletes", lambda: all(api("GET", f"/api/v1/clusters/{i}")[0] == 404 for i in ids), 180)
    done += count
    rss.append(rss_kib())
    heap.append(heap_in_use())
    answered.append(sim.call("GET", "/_simulator/state")[1]["requestsAnswered"])
    if batch % 10 == 0:
        print(f"churn: {done} lifecycles, {time.time() - started:.0f} s, RSS {rss[-1] // 1024} MiB, "
              f"heap in use {heap[-1] / 2**20:.1f} MiB", flush=True)

# Deleted clusters leave the API at once; their stacks and credentials go in the background. Wait for that, bounded.
settle_started = time.time()
while True:
    status, state = sim.call("GET", "/_simulator/state")
    if (not state["stacks"] and not state["credentials"]) or time.time() - settle_started > 60:
        break
    time.sleep(0.1)
settled_in = time.time() - settle_started
if state["stacks"]:
    problems.append(f"{len(state['stacks'])} stacks left in the cloud: {state['stacks'][:5]}")
if state["credentials"]:
    problems.append(f"{state['credentials']} application credentials left in the cloud: {state['credentialNames'][:5]}")
status, listing = api("GET", "/api/v1/clusters")
left = listing.get("clusters", listing) if isinstance(listing, dict) else listing
if status != 200 or left:
    problems.append(f"disco-sm still lists {len(left) if isinstance(left, list) else '?'} clusters ({status})")

tenth = max(1, len(rss) // 10)
early, late = sum(rss[:tenth]) // tenth, sum(rss[-tenth:]) // tenth
samples = [rss[min(len(rss) - 1, k * len(rss) // 10)] // 1024 for k in range(10)]
heap_early, heap_late = sum(heap[:tenth]) // tenth, sum(heap[-tenth:]) // tenth
heap_samples = [f"{heap[min(len(heap) - 1, k * len(heap) // 10)] / 2**20:.1f}" for k in range(10)]
# Between the two windows: lifecycles and the cloud requests disco-sm made.
window_lifecycles = (len(heap) - tenth) * batch_size
window_requests = (sum(answered[-tenth:]) - sum(answered[:tenth])) // tenth
request_leak = int(os.environ.get("REQUEST_LEAK_BYTES", "512"))
print(f"churn: {lifecycles} lifecycles in {time.time() - started:.1f} s; faults injected {sum(faults.values())} "
      f"({', '.join(f'{k} {v}' for k, v in sorted(faults.items()))}); terminal states before delete "
      f"{dict(sorted(outcomes.items()))}; changes {dict(sorted(changes.items()))}; after {settled_in:.1f} s stacks left {len(state['stacks'])}, credentials left {state['credentials']}; "
      f"disco-sm RSS first tenth {early // 1024} MiB, last tenth {late // 1024} MiB, max {max(rss) // 1024} MiB "
      f"(samples: {' '.join(map(str, samples))}); heap in use, MiB: {' '.join(heap_samples)}; "
      f"{answered[-1]} cloud requests ({answered[-1] / lifecycles:.1f} a lifecycle); heap growth "
      f"{heap_late - heap_early} bytes over {window_lifecycles} lifecycles and {window_requests} requests "
      f"({(heap_late - heap_early) / max(1, window_requests):.0f} a request)")
# RSS may grow with the heap (checked below) and by at most RSS_GROWTH_MIB besides (fragmentation, arenas, stacks).
limit_mib = int(os.environ.get("RSS_GROWTH_MIB", "10"))
beside_heap_kib = (late - early) - (heap_late - heap_early) // 1024
if beside_heap_kib > limit_mib * 1024:
    problems.append(f"disco-sm RSS grew from {early // 1024} to {late // 1024} MiB, {beside_heap_kib // 1024} MiB more than "
                    f"its heap (at most {limit_mib} MiB)")
heap_allowed = max(2 << 20, 1024 * window_lifecycles + request_leak * window_requests)
if heap_late - heap_early > heap_allowed:
    problems.append(f"disco-sm heap in use grew {(heap_late - heap_early) / 2**20:.1f} MiB, more than the "
                    f"{heap_allowed / 2**20:.1f} MiB allowed for {window_lifecycles} lifecycles and {window_requests} "
                    f"cloud requests (1 KiB a lifecycle, {request_leak} bytes a request)")
if problems:
    print(f"churn: FAIL — {len(problems)} problems:", *problems[:20], sep="\n  ")
    sys.exit(1)
print("churn: ok — every cluster ended ready or failed with a reason, every delete finished, nothing left, "
      f"RSS beside the heap within {limit_mib} MiB, heap growth within {heap_allowed / 2**20:.1f} MiB")
