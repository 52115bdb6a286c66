#!/usr/bin/env python3
"""Stand-in for Apache Kafka's KRaft server and command-line tools (see DISCO-STAND-IN).

The controller keeps the cluster's metadata (brokers, topics and, unlike Kafka, every record) in
its metadata directory and answers on its CONTROLLER listener; brokers heartbeat to it every 2 s
and proxy the tools' requests to it. The listeners speak the stand-in's HTTP, not Kafka's protocol.
"""
import os
import re
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import disco_standin as s  # noqa: E402

s.COMPONENT = "kafka"
SESSION_TIMEOUT = 9  # broker.session.timeout.ms


def read_properties(path):
    props = {}
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith(("#", "!")):
                    k, _, v = line.partition("=")
                    props[k.strip()] = v.strip()
    except OSError as e:
        s.fail(f"cannot read {path}: {e}")
    return props


def listeners(value):
    """'NAME://host:port,...' -> {NAME: (host, port)}."""
    out = {}
    for item in filter(None, (x.strip() for x in value.split(","))):
        m = re.fullmatch(r"([A-Za-z_]+)://\[?([^\]]*)\]?:(\d+)", item)
        if not m:
            s.fail(f"listener '{item}' is not NAME://host:port")
        out[m.group(1)] = (m.group(2) or "0.0.0.0", int(m.group(3)))
    return out


def controller_addresses(props):
    voters = props.get("controller.quorum.voters", "")
    boot = props.get("controller.quorum.bootstrap.servers", "")
    if voters:
        return [v.split("@", 1)[1] for v in voters.split(",") if "@" in v]
    if boot:
        return [b.strip() for b in boot.split(",") if b.strip()]
    s.fail("neither controller.quorum.voters nor controller.quorum.bootstrap.servers is set")


def log_dirs(props):
    dirs = [d for d in (props.get("log.dirs") or props.get("log.dir") or "/tmp/kafka-logs").split(",") if d]
    meta = props.get("metadata.log.dir")
    return dirs + ([meta] if meta and meta not in dirs else [])


# ---- kafka-storage.sh ----

def storage(args):
    if args[:1] == ["random-uuid"]:
        print(uuid.uuid4().bytes.hex()[:22])
        s.say("(a random cluster id from the stand-in)", err=True)
        return 0
    if not args or args[0] not in ("format", "info"):
        s.fail("usage: kafka-storage.sh format -t CLUSTER_ID -c CONFIG [--ignore-formatted] "
               "[--standalone|--initial-controllers LIST|--no-initial-controllers] | info -c CONFIG | random-uuid")
    opt = options(args[1:], flags={"--ignore-formatted", "-g", "--standalone", "-s", "--no-initial-controllers", "-N"})
    cfg = opt.get("-c") or opt.get("--config") or s.fail("--config is required")
    props = read_properties(cfg)
    dirs = log_dirs(props)
    if args[0] == "info":
        for d in dirs:
            meta = os.path.join(d, "meta.properties")
            s.say(f"{d}: {'formatted: ' + open(meta).read().replace(chr(10), ' ') if os.path.exists(meta) else 'not formatted'}")
        return 0
    cluster = opt.get("-t") or opt.get("--cluster-id") or s.fail("--cluster-id is required")
    roles = {r.strip() for r in props.get("process.roles", "").split(",") if r.strip()}
    node = props.get("node.id") or s.fail("node.id is required")
    static = bool(props.get("controller.quorum.voters"))
    standalone = "--standalone" in opt or "-s" in opt
    initial = opt.get("--initial-controllers") or opt.get("-I")
    none = "--no-initial-controllers" in opt or "-N" in opt
    if static and (standalone or initial):
        s.fail("You cannot use --standalone or --initial-controllers with controller.quorum.voters (a static quorum).")
    if "controller" in roles and not static and not (standalone or initial or none):
        s.fail("Because controller.quorum.voters is not set on this controller, you must specify one of the "
               "following: --standalone, --initial-controllers, or --no-initial-controllers.")
    done = 0
    for d in dirs:
        meta = os.path.join(d, "meta.properties")
        if os.path.exists(meta):
            if "--ignore-formatted" in opt or "-g" in opt:
                continue
            s.fail(f"Log directory {d} is already formatted. Use --ignore-formatted to ignore this directory and format the others.")
        os.makedirs(d, exist_ok=True)
        with open(meta, "w") as f:
            f.write(f"#\n#{time.ctime()}\nnode.id={node}\ndirectory.id={uuid.uuid4().bytes.hex()[:22]}\nversion=1\ncluster.id={cluster}\n")
        s.save_json(os.path.join(d, "disco-bootstrap.json"),
                    {"kraftVersion": 0 if static else 1, "standalone": standalone, "initialControllers": initial or ""})
        s.say(f"Formatting metadata directory {d} with metadata.version (kraft.version {0 if static else 1}).")
        done += 1
    if not done:
        s.say("All of the log directories are already formatted.")
    return 0


def options(args, flags=()):
    out, i = {}, 0
    while i < len(args):
        a = args[i]
        if a in flags:
            out[a] = True
            i += 1
        elif a.startswith("-") and i + 1 < len(args):
            out[a] = args[i + 1]
            i += 2
        elif a.startswith("-"):
            out[a] = True
            i += 1
        else:
            out.setdefault("_", []).append(a)
            i += 1
    return out


# ---- the server ----

def server(args):
    if not args:
        s.fail("USAGE: kafka-server-start.sh [-daemon] server.properties")
    props = read_properties(args[-1])
    roles = {r.strip() for r in props.get("process.roles", "").split(",") if r.strip()}
    if not roles:
        s.fail("process.roles is not set: the stand-in, like Kafka 4, runs only in KRaft mode")
    node = int(props.get("node.id", "-1"))
    dirs = log_dirs(props)
    for d in dirs:
        meta = os.path.join(d, "meta.properties")
        if not os.path.exists(meta):
            s.fail(f"No `meta.properties` found in {d} (have you run `kafka-storage.sh` to format the directory?)")
        if read_properties(meta).get("node.id") != str(node):
            s.fail(f"{meta} has another node.id than {node}")
    cluster = read_properties(os.path.join(dirs[0], "meta.properties"))["cluster.id"]
    lst = listeners(props.get("listeners", "PLAINTEXT://:9092"))
    ctl_names = [n.strip() for n in props.get("controller.listener.names", "CONTROLLER").split(",")]
    s.stop_on_sigterm()
    s.log(f"Kafka {s.version()} starting: node.id={node}, roles={','.join(sorted(roles))}, cluster {cluster}")
    if "controller" in roles:
        name = next((n for n in ctl_names if n in lst), None) or s.fail(f"no listener named {ctl_names[0]} in listeners")
        Controller(node, cluster, dirs[-1], props).serve(*lst[name])
    if "broker" in roles:
        broker_lst = {n: hp for n, hp in lst.items() if n not in ctl_names}
        name, (host, port) = next(iter(broker_lst.items()), (None, (None, None)))
        if not name:
            s.fail("a broker needs a listener besides the controller's")
        adv = listeners(props.get("advertised.listeners", "")).get(name)
        advertised = f"{adv[0]}:{adv[1]}" if adv else f"{s.local_ip_towards(controller_addresses(props)[0].split(':')[0])}:{port}"
        Broker(node, props, advertised).serve(host, port)
    s.forever()


class Controller:
    def __init__(self, node, cluster, meta_dir, props):
        self.node, self.cluster, self.props = node, cluster, props
        self.file = os.path.join(meta_dir, "disco-metadata.json")
        self.state = s.load_json(self.file, {"topics": {}, "records": {}})
        self.brokers = {}
        self.lock = s.threading.Lock()
        self.dir_id = read_properties(os.path.join(meta_dir, "meta.properties")).get("directory.id", "")
        self.started = int(time.time() * 1000)

    def live(self):
        now = time.time()
        return {k: v for k, v in self.brokers.items() if now - v["seen"] < SESSION_TIMEOUT}

    def serve(self, host, port):
        self.endpoint = f"{host}:{port}" if host not in ("0.0.0.0", "") else controller_addresses(self.props)[0]
        s.http_server(port, {("POST", "/broker/heartbeat"): self.heartbeat, ("GET", "/quorum"): self.quorum,
                             ("GET", "/topics"): self.topics, ("POST", "/topics"): self.create,
                             ("DELETE", "/topics"): self.delete, ("POST", "/records"): self.produce,
                             ("GET", "/records"): self.fetch},
                      host, quiet={"/broker/heartbeat"})
        s.log(f"KRaft controller {self.node} active on {host}:{port}")

    def save(self):
        s.save_json(self.file, self.state)

    def heartbeat(self, req):
        d = req.json()
        with self.lock:
            if str(d["node"]) not in self.brokers:
                s.log(f"broker {d['node']} at {d['endpoint']} registered")
            self.brokers[str(d["node"])] = {"endpoint": d["endpoint"], "seen": time.time(), "dirId": d.get("dirId", "")}
        return 200, {"clusterId": self.cluster}

    def quorum(self, req):
        now = int(time.time() * 1000)
        return 200, {"clusterId": self.cluster, "leaderId": self.node, "leaderEpoch": 1, "now": now, "started": self.started,
                     "voters": [{"id": self.node, "directoryId": self.dir_id, "endpoints": [f"CONTROLLER://{self.endpoint}"]}],
                     "observers": [{"id": int(k), "directoryId": v["dirId"], "lastFetch": int(v["seen"] * 1000)}
                                   for k, v in sorted(self.live().items(), key=lambda kv: int(kv[0]))]}

    def topics(self, req):
        brokers = sorted(int(b) for b in self.live())
        return 200, {"topics": self.state["topics"], "brokers": brokers, "clusterId": self.cluster}

    def create(self, req):
        with self.lock:
            return self.create_locked(req.json())

    def create_locked(self, d):
        name = d["topic"]
        if name in self.state["topics"]:
            return 409, {"error": f"Topic '{name}' already exists."}
        if not re.fullmatch(r"[a-zA-Z0-9._-]{1,249}", name):
            return 400, {"error": f"Topic name \"{name}\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'"}
        brokers = sorted(int(b) for b in self.live())
        rf = int(d.get("replicationFactor") or self.props.get("default.replication.factor", "1"))
        parts = int(d.get("partitions") or self.props.get("num.partitions", "1"))
        if rf > len(brokers):
            return 400, {"error": f"Replication factor: {rf} larger than available brokers: {len(brokers)}."}
        self.state["topics"][name] = {"id": uuid.uuid4().bytes.hex()[:22], "partitions": parts, "replicationFactor": rf,
                                      "replicas": [[brokers[(p + i) % len(brokers)] for i in range(rf)] for p in range(parts)]}
        self.state["records"][name] = []
        self.save()
        s.log(f"created topic {name}: {parts} partition(s), replication factor {rf}")
        return 201, {"created": name}

    def delete(self, req):
        name = req.path.rsplit("/", 1)[1]
        with self.lock:
            if self.state["topics"].pop(name, None) is None:
                return 404, {"error": f"Topic '{name}' does not exist as expected"}
            self.state["records"].pop(name, None)
            self.save()
        return 200, {"deleted": name}

    def produce(self, req):
        d = req.json()
        with self.lock:
            if d["topic"] not in self.state["topics"]:
                if self.props.get("auto.create.topics.enable", "true") != "true":
                    return 404, {"error": f"Topic {d['topic']} not present in metadata"}
                status, body = self.create_locked({"topic": d["topic"]})
                if status != 201:
                    return status, body
            self.state["records"][d["topic"]].extend(d["values"])
            self.save()
            return 200, {"offset": len(self.state["records"][d["topic"]])}

    def fetch(self, req):
        topic, offset = req.query.get("topic", ""), int(req.query.get("offset", "0"))
        if topic not in self.state["topics"]:
            return 404, {"error": f"Topic {topic} not present in metadata"}
        recs = self.state["records"][topic]
        return 200, {"values": recs[offset:] if offset >= 0 else [], "end": len(recs)}


class Broker:
    def __init__(self, node, props, advertised):
        self.node, self.props, self.advertised = node, props, advertised
        self.controllers = controller_addresses(props)

    def controller_url(self):
        return f"http://{self.controllers[0]}"

    def proxy(self, req):
        url = f"{self.controller_url()}{req.path}" + (f"?{s.urllib.parse.urlencode(req.query)}" if req.query else "")
        try:
            return 200, s.call(url, req.json() if req.body else None, method=req.method)
        except s.RemoteError as e:
            return e.status, e.answer
        except OSError as e:
            return 503, {"error": f"the controller at {self.controllers[0]} is not reachable: {e}"}

    def serve(self, host, port):
        routes = {(m, p): self.proxy for m in ("GET", "POST", "DELETE") for p in ("/quorum", "/topics", "/records")}
        s.http_server(port, routes, host)
        s.log(f"broker {self.node} listening on {host}:{port}, advertised as {self.advertised}")
        dir_id = read_properties(os.path.join(log_dirs(self.props)[0], "meta.properties")).get("directory.id", "")

        def beat():
            joined = False
            while True:
                try:
                    s.call(f"{self.controller_url()}/broker/heartbeat", {"node": self.node, "endpoint": self.advertised, "dirId": dir_id})
                    if not joined:
                        s.log(f"broker {self.node} registered with the controller at {self.controllers[0]}")
                    joined = True
                except OSError as e:
                    if joined or int(time.time()) % 30 < 2:
                        s.log(f"cannot reach the controller at {self.controllers[0]} ({e}); retrying")
                    joined = False
                time.sleep(2)
        s.threading.Thread(target=beat, daemon=True).start()


# ---- tools ----

def endpoint(opt):
    ep = opt.get("--bootstrap-server") or opt.get("--bootstrap-controller")
    if not ep or ep is True:
        s.fail("one of --bootstrap-server or --bootstrap-controller must be specified")
    return f"http://{ep.split(',')[0]}"


def ask(opt, path, data=None, method=None):
    try:
        return s.call(endpoint(opt) + path, data, method=method, timeout=30)
    except s.RemoteError as e:
        s.fail(f"Error: {e.answer.get('error', e)}")
    except OSError as e:
        s.fail(f"Error: cannot reach {endpoint(opt)[7:]}: {e}")


def metadata_quorum(args):
    opt = options(args, flags={"--status", "--replication", "describe"})
    q = ask(opt, "/quorum")
    if "--replication" in opt:
        s.say("NodeId\tDirectoryId           \tLogEndOffset\tLag\tLastFetchTimestamp\tLastCaughtUpTimestamp\tStatus")
        s.say(f"{q['leaderId']}\t{q['voters'][0]['directoryId']}\t{len(q['observers']) + 1}\t0\t{q['now']}\t{q['now']}\tLeader")
        for o in q["observers"]:
            s.say(f"{o['id']}\t{o['directoryId']}\t{len(q['observers']) + 1}\t0\t{o['lastFetch']}\t{o['lastFetch']}\tObserver")
    else:
        s.say(f"ClusterId:              {q['clusterId']}", f"LeaderId:               {q['leaderId']}",
              "LeaderEpoch:            1", "HighWatermark:          1", "MaxFollowerLag:         0",
              "MaxFollowerLagTimeMs:   0", f"CurrentVoters:          {s.json.dumps(q['voters'])}",
              f"CurrentObservers:       {s.json.dumps(q['observers'])}")
    return 0


def topics(args):
    opt = options(args, flags={"--create", "--list", "--describe", "--delete", "--if-not-exists", "--if-exists"})
    if "--create" in opt:
        topic = opt.get("--topic") or s.fail("--topic is required")
        existing = ask(opt, "/topics")["topics"]
        if topic in existing and "--if-not-exists" in opt:
            return 0
        ask(opt, "/topics", {"topic": topic, "partitions": opt.get("--partitions"), "replicationFactor": opt.get("--replication-factor")})
        s.say(f"Created topic {topic}.")
    elif "--list" in opt:
        for t in sorted(ask(opt, "/topics")["topics"]):
            s.say(t)
    elif "--describe" in opt:
        all_topics = ask(opt, "/topics")["topics"]
        for name, t in sorted(all_topics.items()):
            if opt.get("--topic") not in (None, name):
                continue
            s.say(f"Topic: {name}\tTopicId: {t['id']}\tPartitionCount: {t['partitions']}\tReplicationFactor: {t['replicationFactor']}\tConfigs: ")
            for p, reps in enumerate(t["replicas"]):
                r = ",".join(map(str, reps))
                s.say(f"\tTopic: {name}\tPartition: {p}\tLeader: {reps[0]}\tReplicas: {r}\tIsr: {r}")
    elif "--delete" in opt:
        ask(opt, f"/topics/{opt.get('--topic')}", method="DELETE")
    else:
        s.fail("Exactly one of --create, --list, --describe or --delete must be given (the stand-in knows these)")
    return 0


def producer(args):
    opt = options(args)
    topic = opt.get("--topic") or s.fail("--topic is required")
    values = [line.rstrip("\n") for line in sys.stdin]
    if values:
        ask(opt, "/records", {"topic": topic, "values": values})
    s.say(f"sent {len(values)} record(s) to {topic}", err=True)
    return 0


def consumer(args):
    opt = options(args, flags={"--from-beginning"})
    topic = opt.get("--topic") or s.fail("--topic is required")
    limit = int(opt.get("--max-messages", "0"))
    timeout = int(opt.get("--timeout-ms", "0")) / 1000
    offset = 0 if "--from-beginning" in opt else ask(opt, f"/records?topic={topic}&offset=-1")["end"]
    seen, last = 0, time.time()
    while True:
        got = ask(opt, f"/records?topic={topic}&offset={offset}")["values"]
        for v in got:
            print(v, flush=True)
            seen += 1
            if limit and seen >= limit:
                break
        offset += len(got)
        if got:
            last = time.time()
        if limit and seen >= limit or timeout and time.time() - last > timeout:
            break
        time.sleep(0.5)
    s.say(f"Processed a total of {seen} messages", err=True)
    return 0


def cluster_tool(args):
    opt = options(args, flags={"cluster-id"})
    s.say(f"Cluster ID: {ask(opt, '/topics')['clusterId']}")
    return 0


def main():
    tool, args = sys.argv[1], sys.argv[2:]
    if "--version" in args or tool == "version":
        s.say(f"{s.version()} (DISCO stand-in: python3, no Kafka code; see {s.HOME}/DISCO-STAND-IN)")
        return 0
    table = {"storage": storage, "server": server, "metadata-quorum": metadata_quorum, "topics": topics,
             "console-producer": producer, "console-consumer": consumer, "cluster": cluster_tool}
    fn = table.get(tool) or s.fail(f"kafka-{tool}.sh is not emulated by the DISCO stand-in")
    return fn(args) or 0


if __name__ == "__main__":
    s.run(main)
