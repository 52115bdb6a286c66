#!/usr/bin/env python3
"""Crash safety: concurrent creates, scales and deletes against disco-sm, SIGKILL at a random moment, restart, check.

Run by Benchmarks/crash.sh, which starts the simulated cloud over HTTP and passes its port.
Checks after every restart:
  - every create that got a 2xx has its record (GET → 200), unless a later acknowledged delete removed it;
  - every delete that got a 2xx is gone or deleting (GET → 404, or 200 with state "deleting");
  - every scale that got a 2xx has its worker count recorded (workers or desiredWorkers = N).
After the last round, once everything settled:
  - no DISCO stack in the cloud without a record (Heat GET /stacks vs. the records' stack names);
  - no record pointing at nothing (every listed cluster that has a stack id finds its stack; ready ones must).
Bounded: every request has a timeout, every wait a deadline.
"""
import http.client, json, os, random, signal, subprocess, sys, threading, time

sim_port, sm_port, binary, config, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
rounds = int(os.environ.get("ROUNDS", "20"))
threads_per_round = int(os.environ.get("THREADS", "6"))
seed = int(os.environ.get("SEED", str(int(time.time()))))
rng = random.Random(seed)
print(f"crash: {rounds} rounds, {threads_per_round} client threads, seed {seed}", flush=True)


def call(port, method, path, token=None, body=None, timeout=10, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = dict(headers or {})
    if token:
        h["X-Auth-Token"] = token
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    try:
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        raw = r.read()
        try:
            return r.status, json.loads(raw) if raw else None, dict(r.getheaders())
        except ValueError:
            return r.status, raw, dict(r.getheaders())
    finally:
        c.close()


def start_server():
    log = open(os.path.join(work, "sm-crash.log"), "ab")
    p = subprocess.Popen([binary, "-c", config], stdout=log, stderr=log)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if call(sm_port, "GET", "/healthz", timeout=1)[0] == 200:
                return p
        except OSError:
            pass
        if p.poll() is not None:
            sys.exit(f"FAIL: disco-sm exited with {p.returncode}; see {work}/sm-crash.log")
        time.sleep(0.02)
    p.kill()
    sys.exit("FAIL: disco-sm did not answer /healthz within 30 s")


def login():
    status, body, _ = call(sm_port, "POST", "/api/v1/tokens", body={"username": "demo", "password": "demo"})
    assert status == 201, (status, body)
    return body["token"], body["projectID"]


lock = threading.Lock()
# id → what an acknowledged change promises: {"exists": bool, "workers": int|None}
promised = {}
stats = {"create": 0, "scale": 0, "delete": 0, "refused": 0, "cut": 0}
spec = {"name": "crash", "master": {"image": "ubuntu-22.04", "flavor": "m1.large"}, "workers": 1,
        "externalNetwork": "public", "components": {"spark": {}}}


def client(token, stop, index, round_number):
    r = random.Random(seed * 1000 + round_number * 10 + index)
    # The clusters this thread owns this round (one thread per cluster: no racing changes to one cluster).
    with lock:
        alive = sorted(cid for cid, p in promised.items() if p["exists"] is not False)
    mine = [cid for n, cid in enumerate(alive) if n % threads_per_round == index]
    while not stop.is_set():
        op = r.choice(["create", "create", "scale", "delete"]) if mine else "create"
        cid = None
        try:
            if op == "create":
                body = dict(spec, name=f"crash-{index}-{r.randrange(10**6)}")
                status, answer, _ = call(sm_port, "POST", "/api/v1/clusters", token, body)
                if 200 <= status < 300:
                    with lock:
                        promised[answer["id"]] = {"exists": True, "workers": None}
                        stats["create"] += 1
                    mine.append(answer["id"])
                else:
                    with lock: stats["refused"] += 1
            elif op == "scale":
                cid = r.choice(mine)
                workers = r.randrange(0, 4)
                status, _, _ = call(sm_port, "POST", f"/api/v1/clusters/{cid}/actions", token,
                                    {"action": "scale", "workers": workers})
                if 200 <= status < 300:
                    with lock:
                        promised[cid]["workers"] = workers
                        stats["scale"] += 1
                else:
                    with lock: stats["refused"] += 1  # 409 while not ready is expected
            else:
                cid = mine.pop(r.randrange(len(mine)))
                status, _, _ = call(sm_port, "DELETE", f"/api/v1/clusters/{cid}", token)
                if 200 <= status < 300:
                    with lock:
                        promised[cid] = {"exists": False, "workers": None}
                        stats["delete"] += 1
                else:
                    mine.append(cid)
                    with lock: stats["refused"] += 1
        except (OSError, http.client.HTTPException):
            # The kill cut the request: nothing was promised, and the change may or may not have happened.
            with lock:
                stats["cut"] += 1
                if cid is not None:
                    promised[cid] = {"exists": None, "workers": None}
            return
        time.sleep(r.uniform(0, 0.05))


def check(token, when):
    problems = []
    for cid, promise in sorted(promised.items()):
        status, body, _ = call(sm_port, "GET", f"/api/v1/clusters/{cid}", token)
        if promise["exists"] is None:
            continue  # a change in flight when the server died: either outcome is right
        if promise["exists"]:
            if status != 200:
                problems.append(f"{when}: acknowledged create {cid} → GET {status}")
            elif promise["workers"] is not None and promise["workers"] not in (body.get("workers"), body.get("desiredWorkers")) \
                    and body.get("state") != "failed":
                problems.append(f"{when}: acknowledged scale of {cid} to {promise['workers']} → workers {body.get('workers')}, "
                                f"desired {body.get('desiredWorkers')}, state {body.get('state')}")
        elif status != 404 and not (status == 200 and body.get("state") == "deleting"):
            problems.append(f"{when}: acknowledged delete {cid} → GET {status} {body.get('state') if status == 200 else ''}")
    return problems


problems = []
kill_times = []
for round_number in range(1, rounds + 1):
    server = start_server()
    token, project = login()
    problems += check(token, f"after restart {round_number}")
    stop = threading.Event()
    workers = [threading.Thread(target=client, args=(token, stop, i, round_number), daemon=True) for i in range(threads_per_round)]
    for w in workers: w.start()
    moment = rng.uniform(0.2, 2.5)
    kill_times.append(moment)
    time.sleep(moment)
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    stop.set()
    for w in workers: w.join(timeout=15)
    with lock:
        print(f"round {round_number:2}: SIGKILL after {moment:.2f} s; acknowledged so far: {stats}", flush=True)

# Settle: restart, wait until no cluster is in a transient state and every delete finished.
server = start_server()
token, project = login()
problems += check(token, "final restart")
transient = {"accepted", "provisioning", "installing", "scaling", "suspending", "resuming", "deleting"}
deadline = time.time() + 120
while time.time() < deadline:
    status, listing, _ = call(sm_port, "GET", "/api/v1/clusters", token)
    clusters = listing if isinstance(listing, list) else listing.get("clusters", [])
    health = call(sm_port, "GET", "/healthz")[1]["clusters"]
    if not any(s in transient for s in health) or all(health.get(s, 0) == 0 for s in transient):
        break
    time.sleep(0.5)
else:
    problems.append(f"not settled after 120 s: {health}")
problems += check(token, "settled")

# The cloud's side, through the simulated Heat API with a Keystone token of the same project.
ks = {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "demo", "domain": {"name": "Default"},
      "password": "demo"}}}, "scope": {"project": {"name": "demo", "domain": {"name": "Default"}}}}}
status, _, headers = call(sim_port, "POST", "/identity/v3/auth/tokens", body=ks)
keystone = {k.lower(): v for k, v in headers.items()}["x-subject-token"]
status, stacks, _ = call(sim_port, "GET", f"/heat/v1/{project}/stacks", keystone)
assert status == 200, status
stacks = [s for s in stacks["stacks"] if s["stack_status"] != "DELETE_COMPLETE"]
status, listing, _ = call(sm_port, "GET", "/api/v1/clusters", token)
clusters = listing if isinstance(listing, list) else listing.get("clusters", [])
by_stack = {c["stackName"]: c for c in clusters}
for stack in stacks:
    if stack["stack_name"] not in by_stack:
        problems.append(f"orphan stack {stack['stack_name']} ({stack['stack_status']}) has no record")
live = {s["id"] for s in stacks} | {s["stack_name"] for s in stacks}
for c in clusters:
    if c["state"] in ("ready", "suspended", "scaling") and c.get("stackID") not in live:
        problems.append(f"record {c['id']} ({c['state']}) points at stack {c.get('stackID')} that does not exist")
states = {}
for c in clusters: states[c["state"]] = states.get(c["state"], 0) + 1
server.send_signal(signal.SIGTERM); server.wait(timeout=30)

print(f"crash: {rounds} SIGKILLs (at {min(kill_times):.2f}–{max(kill_times):.2f} s), acknowledged {stats['create']} creates, "
      f"{stats['scale']} scales, {stats['delete']} deletes ({stats['refused']} refused, {stats['cut']} cut by the kill); "
      f"after settling {len(clusters)} clusters {states}, {len(stacks)} live stacks")
if problems:
    print(f"crash: {len(problems)} PROBLEMS", *problems[:40], sep="\n  ")
    sys.exit(1)
print("crash: ok — every acknowledged change survived, no orphan stack, no record without its stack")
