#!/usr/bin/env python3
"""Stand-in for Apache Storm's `storm` command and daemons (see DISCO-STAND-IN).

Nimbus and the Supervisors wait until the configured ZooKeeper answers `ruok` (as the real
daemons need ZooKeeper); Supervisors then heartbeat to Nimbus over the stand-in's HTTP on the
Nimbus port, and the UI reports what Nimbus counts. No topology runs.
"""
import os
import socket
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import disco_standin as s  # noqa: E402

s.COMPONENT = "storm"
SUPERVISOR_TIMEOUT = 60  # nimbus.supervisor.timeout.secs


def load_conf():
    import yaml
    path = os.path.join(os.environ.get("STORM_CONF_DIR") or os.path.join(s.HOME, "conf"), "storm.yaml")
    try:
        with open(path) as f:
            conf = yaml.safe_load(f) or {}
    except yaml.YAMLError as e:
        s.fail(f"{path}: not valid YAML: {e}")
    except FileNotFoundError:
        conf = {}
    defaults = {"storm.zookeeper.servers": ["localhost"], "storm.zookeeper.port": 2181, "nimbus.seeds": ["localhost"],
                "nimbus.thrift.port": 6627, "ui.port": 8080, "logviewer.port": 8000, "storm.local.dir": "storm-local",
                "supervisor.slots.ports": [6700, 6701, 6702, 6703], "supervisor.cpu.capacity": 400,
                "supervisor.memory.capacity.mb": 4096}
    return dict(defaults, **conf)


CONF = load_conf()
NIMBUS = f"http://{CONF['nimbus.seeds'][0]}:{CONF['nimbus.thrift.port']}"


def wait_for_zookeeper(who):
    host, port = CONF["storm.zookeeper.servers"][0], int(CONF["storm.zookeeper.port"])
    told = 0
    while True:
        try:
            with socket.create_connection((host, port), timeout=5) as c:
                c.sendall(b"ruok")
                if c.recv(16) == b"imok":
                    s.log(f"{who}: ZooKeeper at {host}:{port} answers")
                    return
        except OSError:
            pass
        if time.time() - told > 30:
            s.log(f"{who}: waiting for ZooKeeper at {host}:{port}")
            told = time.time()
        time.sleep(3)


def nimbus():
    s.stop_on_sigterm()
    wait_for_zookeeper("Nimbus")
    supervisors = {}
    started = time.time()

    def live():
        now = time.time()
        return {k: v for k, v in supervisors.items() if now - v["seen"] < SUPERVISOR_TIMEOUT}

    def heartbeat(req):
        d = req.json()
        if d["id"] not in supervisors:
            s.log(f"Supervisor {d['id']} on {d['host']} ({req.client}) registered: {len(d['slots'])} slot(s)")
        supervisors[d["id"]] = dict(d, seen=time.time(), since=supervisors.get(d["id"], {}).get("since", time.time()))
        return 200, {"ok": True}

    def cluster(req):
        return 200, {"nimbusUptime": int(time.time() - started), "nimbus": f"{CONF['nimbus.seeds'][0]}:{CONF['nimbus.thrift.port']}",
                     "supervisors": [dict(v, uptime=int(time.time() - v["since"])) for v in live().values()]}

    s.log(f"Nimbus {s.version()} starting on port {CONF['nimbus.thrift.port']}")
    s.http_server(int(CONF["nimbus.thrift.port"]), {("POST", "/supervisor/heartbeat"): heartbeat, ("GET", "/cluster"): cluster},
                  quiet={"/supervisor/heartbeat", "/cluster"})
    s.forever()


def supervisor():
    s.stop_on_sigterm()
    wait_for_zookeeper("Supervisor")
    local = os.path.join(CONF["storm.local.dir"], "supervisor")
    os.makedirs(local, exist_ok=True)
    id_file = os.path.join(local, "disco-standin-id")
    if not os.path.exists(id_file):
        with open(id_file, "w") as f:
            f.write(str(uuid.uuid4()))
    with open(id_file) as f:
        ident = f.read().strip()
    host = CONF.get("storm.local.hostname") or socket.gethostname()
    body = {"id": ident, "host": host, "slots": [int(p) for p in CONF["supervisor.slots.ports"]],
            "cpu": CONF["supervisor.cpu.capacity"], "memoryMB": CONF["supervisor.memory.capacity.mb"]}
    s.log(f"Supervisor {s.version()} {ident} on {host}: slots {body['slots']}, Nimbus {NIMBUS}")
    joined = False
    while True:
        try:
            s.call(f"{NIMBUS}/supervisor/heartbeat", body)
            if not joined:
                s.log(f"Supervisor registered with Nimbus at {NIMBUS}")
            joined = True
        except OSError as e:
            if joined or int(time.time()) % 30 < 3:
                s.log(f"cannot reach Nimbus at {NIMBUS} ({e}); retrying")
            joined = False
        time.sleep(3)


def ui():
    s.stop_on_sigterm()

    def from_nimbus():
        try:
            return s.call(f"{NIMBUS}/cluster")
        except OSError as e:
            raise RuntimeError(f"Nimbus at {NIMBUS} is not reachable: {e}")

    def summary(req):
        try:
            c = from_nimbus()
        except RuntimeError as e:
            return 500, {"error": "Internal Server Error", "errorMessage": str(e)}
        sups = c["supervisors"]
        slots = sum(len(v["slots"]) for v in sups)
        return 200, {"stormVersion": f"{s.version()} (DISCO stand-in)", "nimbusUptime": f"{c['nimbusUptime']}s",
                     "nimbusUptimeSeconds": c["nimbusUptime"], "supervisors": len(sups), "slotsTotal": slots,
                     "slotsUsed": 0, "slotsFree": slots, "executorsTotal": 0, "tasksTotal": 0, "topologies": 0,
                     "totalCpu": sum(v["cpu"] for v in sups), "totalMem": sum(v["memoryMB"] for v in sups)}

    def sup_summary(req):
        try:
            c = from_nimbus()
        except RuntimeError as e:
            return 500, {"error": "Internal Server Error", "errorMessage": str(e)}
        return 200, {"supervisors": [{"id": v["id"], "host": v["host"], "uptimeSeconds": v["uptime"], "slotsTotal": len(v["slots"]),
                                      "slotsUsed": 0, "totalCpu": v["cpu"], "totalMem": v["memoryMB"], "standIn": True}
                                     for v in c["supervisors"]]}

    def home(req):
        code, body = summary(req)
        text = f"{body['supervisors']} Supervisor(s), {body['slotsTotal']} slot(s), no topologies" if code == 200 else body["errorMessage"]
        return 200, s.page("Storm UI", f"<p>{text}.</p>")

    port = int(CONF["ui.port"])
    s.log(f"Storm UI {s.version()} starting on port {port}")
    s.http_server(port, {("GET", "/"): home, ("GET", "/api/v1/cluster/summary"): summary,
                         ("GET", "/api/v1/supervisor/summary"): sup_summary,
                         ("GET", "/api/v1/topology/summary"): lambda r: (200, {"topologies": []}),
                         ("GET", "/api/v1/nimbus/summary"): lambda r: (200, {"nimbuses": [{"host": CONF["nimbus.seeds"][0],
                                                                              "port": CONF["nimbus.thrift.port"], "status": "Leader"}]})},
                  quiet={"/api/v1/cluster/summary"})
    s.forever()


def logviewer():
    s.stop_on_sigterm()
    port = int(CONF["logviewer.port"])
    s.http_server(port, {("GET", "/"): lambda r: (200, s.page("Storm log viewer", "<p>No worker logs (no topology runs).</p>"))})
    s.forever()


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else "help"
    if cmd == "version":
        s.say(f"Storm {s.version()} (DISCO stand-in: python3, no Storm code; see {s.HOME}/DISCO-STAND-IN)")
        return 0
    if cmd == "list":
        c = s.call(f"{NIMBUS}/cluster")
        s.say(f"No topologies running. ({len(c['supervisors'])} Supervisor(s) registered)")
        return 0
    table = {"nimbus": nimbus, "supervisor": supervisor, "ui": ui, "logviewer": logviewer}
    fn = table.get(cmd) or s.fail(f"storm {cmd}: not emulated by the DISCO stand-in (it runs no topologies; "
                                  "it knows nimbus, supervisor, ui, logviewer, list, version)")
    return fn()


if __name__ == "__main__":
    s.run(main)
