#!/usr/bin/env python3
"""Stand-in for Apache Hadoop's hdfs, yarn, mapred and hadoop commands (see DISCO-STAND-IN).

Daemons: the NameNode keeps the namespace (and, unlike HDFS, the file contents) in its name
directory and counts DataNodes that heartbeat to it over HTTP; the ResourceManager counts the
NodeManagers that heartbeat to its resource-tracker port. Both answer the JMX and REST queries
DISCO's scripts poll. Binary RPC ports are held but not spoken; nothing runs YARN applications.
"""
import os
import pwd
import re
import sys
import time
import uuid
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import disco_standin as s  # noqa: E402
import hadoop_ipc  # noqa: E402

s.COMPONENT = "hadoop"
DN_DEAD_AFTER = 630    # dfs.namenode.heartbeat.recheck-interval * 2 + 10 * dfs.heartbeat.interval
NM_LOST_AFTER = 600    # yarn.nm.liveness-monitor.expiry-interval-ms


# ---- configuration ----

def load_conf():
    conf_dir = os.environ.get("HADOOP_CONF_DIR") or os.path.join(s.HOME, "etc", "hadoop")
    conf = {}
    for name in ("core-site.xml", "hdfs-site.xml", "yarn-site.xml", "mapred-site.xml"):
        path = os.path.join(conf_dir, name)
        if not os.path.exists(path):
            continue
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as e:
            s.fail(f"{path}: not valid XML: {e}")
        for prop in root.iter("property"):
            key, value = prop.findtext("name"), prop.findtext("value")
            if key:
                conf[key.strip()] = (value or "").strip()
    return conf


CONF = load_conf()
USER = pwd.getpwuid(os.getuid()).pw_name  # as Hadoop: the login user, not $USER


def get(key, default=""):
    return CONF.get(key, default).replace("${user.name}", USER)


def host_port(value, default_port):
    value = re.sub(r"^[a-z]+://", "", value).split("/")[0]
    host, _, port = value.partition(":")
    return host or "0.0.0.0", int(port or default_port)


def local_dir(key, default):
    first = get(key, default).split(",")[0]
    return re.sub(r"^file://", "", first)


TMP = get("hadoop.tmp.dir", f"/tmp/hadoop-{USER}")
NN_HOST, NN_RPC = host_port(get("fs.defaultFS", "hdfs://localhost:8020"), 8020)
NN_HTTP = host_port(get("dfs.namenode.http-address", "0.0.0.0:9870"), 9870)[1]
NAME_DIR = local_dir("dfs.namenode.name.dir", f"{TMP}/dfs/name")
DATA_DIR = local_dir("dfs.datanode.data.dir", f"{TMP}/dfs/data")
RM_HOST = get("yarn.resourcemanager.hostname", "0.0.0.0")
RM_WEB = host_port(get("yarn.resourcemanager.webapp.address", f"{RM_HOST}:8088"), 8088)[1]
RM_TRACKER = host_port(get("yarn.resourcemanager.resource-tracker.address", f"{RM_HOST}:8031"), 8031)[1]
NN_URL = f"http://{'127.0.0.1' if NN_HOST in ('0.0.0.0', '') else NN_HOST}:{NN_HTTP}"
RM_URL = f"http://{'127.0.0.1' if RM_HOST in ('0.0.0.0', '') else RM_HOST}:{RM_WEB}"


# ---- NameNode ----

class Namespace:
    """The file system tree: path -> entry; file contents beside it in the name directory."""

    def __init__(self, current):
        self.file = os.path.join(current, "disco-namespace.json")
        self.data = os.path.join(current, "disco-data")
        os.makedirs(self.data, exist_ok=True)
        self.tree = s.load_json(self.file, None) or {"/": self.entry("DIRECTORY", USER, "755")}
        self.lock = s.threading.Lock()

    @staticmethod
    def entry(kind, owner, perm, length=0):
        return {"type": kind, "owner": owner, "group": get("dfs.permissions.superusergroup", "supergroup"),
                "permission": perm, "length": length, "modificationTime": int(time.time() * 1000), "blob": None}

    def save(self):
        s.save_json(self.file, self.tree)

    def status(self, path, e):
        name = "" if path == "/" else path.rsplit("/", 1)[1]
        return {"pathSuffix": name, "type": e["type"], "length": e["length"], "owner": e["owner"], "group": e["group"],
                "permission": e["permission"], "modificationTime": e["modificationTime"],
                "accessTime": e["modificationTime"], "replication": 0 if e["type"] == "DIRECTORY" else 1,
                "blockSize": 134217728, "childrenNum": len(self.children(path)), "fileId": abs(hash(path)) % 10**9}

    def children(self, path):
        pre = path.rstrip("/") + "/"
        return sorted(p for p in self.tree if p.startswith(pre) and "/" not in p[len(pre):] and p != "/")

    def files(self):
        return sum(1 for e in self.tree.values() if e["type"] == "FILE")

    def mkdirs(self, path, user, perm):
        """Makes path and its parents (the caller holds the lock); returns an error text or None."""
        cur = ""
        for part in [p for p in path.split("/") if p]:
            cur += "/" + part
            if cur in self.tree and self.tree[cur]["type"] == "FILE":
                return f"Path is not a directory: {cur}"
            self.tree.setdefault(cur, self.entry("DIRECTORY", user, perm))
        self.save()
        return None


def nn_remote(status, exception, message):
    return status, {"RemoteException": {"exception": exception, "message": message,
                                        "javaClassName": f"java.io.{exception}", "standIn": True}}


def namenode(args):
    current = os.path.join(NAME_DIR, "current")
    if not os.path.exists(os.path.join(current, "VERSION")):
        s.fail(f"NameNode is not formatted: {current}/VERSION is missing (run hdfs namenode -format)")
    s.stop_on_sigterm()
    ns = Namespace(current)
    datanodes = {}
    started = time.time()

    def live():
        now = time.time()
        return {k: v for k, v in datanodes.items() if now - v["lastHeartbeat"] < DN_DEAD_AFTER}

    def safemode():
        # As HDFS: blocks exist but no DataNode has reported them yet.
        return ns.files() > 0 and not live()
    ns.safemode = safemode

    def heartbeat(req):
        d = req.json()
        new = d["uuid"] not in datanodes
        datanodes[d["uuid"]] = dict(d, ip=req.client, lastHeartbeat=time.time())
        if new:
            s.log(f"DataNode {d.get('hostname')} at {req.client} registered ({len(live())} live)")
        return 200, {"registered": True, "clusterID": version_file(current).get("clusterID")}

    def beans(req):
        n_live = len(live())
        cap = sum(v.get("capacity", 0) for v in live().values())
        all_beans = [
            {"name": "Hadoop:service=NameNode,name=FSNamesystemState", "modelerType": "org.apache.hadoop.hdfs.server.namenode.FSNamesystem",
             "FSState": "safeMode" if safemode() else "Operational", "NumLiveDataNodes": n_live,
             "NumDeadDataNodes": len(datanodes) - n_live, "CapacityTotal": cap, "CapacityRemaining": cap,
             "FilesTotal": len(ns.tree), "BlocksTotal": ns.files(), "standIn": True},
            {"name": "Hadoop:service=NameNode,name=NameNodeInfo", "Version": f"{s.version()} (DISCO stand-in)",
             "ClusterId": version_file(current).get("clusterID"), "Safemode": "ON" if safemode() else "",
             "LiveNodes": s.json.dumps({f"{v.get('hostname')}:9866": {"infoAddr": f"{v['ip']}:9864", "xferaddr": f"{v['ip']}:9866"}
                                       for v in live().values()}), "standIn": True},
            {"name": "Hadoop:service=NameNode,name=NameNodeStatus", "State": "active", "HostAndPort": f"{NN_HOST}:{NN_RPC}", "standIn": True},
        ]
        qry = req.query.get("qry")
        if qry:
            all_beans = [b for b in all_beans if b["name"] == qry]
        return 200, {"beans": all_beans}

    def hdfs_path(req):
        p = "/" + req.path[len("/webhdfs/v1"):].strip("/")
        return os.path.normpath(p) if p != "/" else "/"

    def webhdfs(req):
        path, op, user = hdfs_path(req), req.query.get("op", "").upper(), req.query.get("user.name", "dr.who")
        blob = None
        if req.method == "PUT" and op == "CREATE":
            # The upload goes to its own file first, without holding the namespace.
            blob = uuid.uuid4().hex
            size = req.save_body(os.path.join(ns.data, blob))
        try:
            with ns.lock:
                answer = webhdfs_locked(req, path, op, user, blob, size if blob else 0)
            if blob and answer[0] != 201:
                os.unlink(os.path.join(ns.data, blob))
            return answer
        except BaseException:
            if blob:
                os.unlink(os.path.join(ns.data, blob))
            raise

    def webhdfs_locked(req, path, op, user, blob, size):
        e = ns.tree.get(path)
        if req.method == "GET" and op == "GETFILESTATUS":
            return (200, {"FileStatus": ns.status(path, e)}) if e else nn_remote(404, "FileNotFoundException", f"File does not exist: {path}")
        if req.method == "GET" and op == "LISTSTATUS":
            if not e:
                return nn_remote(404, "FileNotFoundException", f"File {path} does not exist.")
            kids = [path] if e["type"] == "FILE" else ns.children(path)
            return 200, {"FileStatuses": {"FileStatus": [ns.status(k, ns.tree[k]) for k in kids]}}
        if req.method == "GET" and op == "OPEN":
            if not e or e["type"] != "FILE":
                return nn_remote(404, "FileNotFoundException", f"File does not exist: {path}")
            with open(os.path.join(ns.data, e["blob"]), "rb") as f:
                return 200, f.read()
        if req.method == "GET" and op == "GETSAFEMODE":
            return 200, {"safemode": safemode()}
        if safemode() and req.method in ("PUT", "POST", "DELETE"):
            return nn_remote(403, "SafeModeException", f"Cannot {op} {path}. Name node is in safe mode.")
        if req.method == "PUT" and op == "MKDIRS":
            error = ns.mkdirs(path, user, req.query.get("permission", "755"))
            return nn_remote(403, "FileAlreadyExistsException", error) if error else (200, {"boolean": True})
        if req.method == "PUT" and op == "CREATE":
            parent = os.path.dirname(path)
            if parent not in ns.tree:
                return nn_remote(404, "FileNotFoundException", f"Parent directory does not exist: {parent}")
            if e and req.query.get("overwrite", "false") != "true":
                return nn_remote(403, "FileAlreadyExistsException", f"{path} for client {req.client} already exists")
            if e and e.get("blob"):
                os.unlink(os.path.join(ns.data, e["blob"]))
            ns.tree[path] = dict(ns.entry("FILE", user, req.query.get("permission", "644"), size), blob=blob)
            ns.save()
            return 201, {"created": path}
        if req.method == "PUT" and op in ("SETPERMISSION", "SETOWNER"):
            if not e:
                return nn_remote(404, "FileNotFoundException", f"File does not exist: {path}")
            if op == "SETPERMISSION":
                e["permission"] = req.query.get("permission", "755")
            else:
                e["owner"] = req.query.get("owner") or e["owner"]
                e["group"] = req.query.get("group") or e["group"]
            ns.save()
            return 200, {}
        if req.method == "DELETE" and op == "DELETE":
            if not e:
                return 200, {"boolean": False}
            doomed = [path] + [p for p in ns.tree if p.startswith(path.rstrip("/") + "/")]
            if len(doomed) > 1 and req.query.get("recursive") != "true":
                return nn_remote(403, "PathIsNotEmptyDirectoryException", f"`{path} is non empty': Directory is not empty")
            for p in doomed:
                if ns.tree[p].get("blob"):
                    os.unlink(os.path.join(ns.data, ns.tree[p]["blob"]))
                del ns.tree[p]
            ns.save()
            return 200, {"boolean": True}
        return nn_remote(400, "UnsupportedOperationException", f"op={op} ({req.method}) is not emulated by the stand-in")

    def home(req):
        rows = "".join(f"<tr><td>{v.get('hostname')}</td><td>{v['ip']}</td></tr>" for v in live().values())
        return 200, s.page("Hadoop NameNode", f"<p>{len(live())} live DataNode(s), safe mode "
                           f"{'ON' if safemode() else 'off'}, up {int(time.time() - started)} s.</p><table>{rows}</table>")

    s.log(f"NameNode {s.version()} starting: name dir {NAME_DIR}, fs.defaultFS hdfs://{NN_HOST}:{NN_RPC}")
    hadoop_ipc.serve(NN_RPC, get("dfs.namenode.rpc-bind-host", "0.0.0.0"), ns)
    s.http_server(NN_HTTP, {("GET", "/"): home, ("GET", "/jmx"): beans, ("POST", "/disco-standin/datanode"): heartbeat,
                            ("GET", "/webhdfs/v1"): webhdfs, ("PUT", "/webhdfs/v1"): webhdfs,
                            ("DELETE", "/webhdfs/v1"): webhdfs},
                  get("dfs.namenode.http-bind-host", "0.0.0.0"), quiet={"/disco-standin/datanode", "/jmx"})
    s.forever()


def version_file(current):
    out = {}
    try:
        with open(os.path.join(current, "VERSION")) as f:
            for line in f:
                k, _, v = line.strip().partition("=")
                if v and not k.startswith("#"):
                    out[k] = v
    except FileNotFoundError:
        pass
    return out


def format_namenode(args):
    current = os.path.join(NAME_DIR, "current")
    cluster = args[args.index("-clusterid") + 1] if "-clusterid" in args else f"CID-{uuid.uuid4()}"
    if os.path.exists(os.path.join(current, "VERSION")) and "-force" not in args:
        if "-nonInteractive" in args:
            s.fail(f"Running in non-interactive mode, and data appears to exist in Storage Directory {NAME_DIR}. Not formatting.")
        if input(f"[stand-in hadoop] Re-format filesystem in Storage Directory {NAME_DIR} ? (Y or N) ").strip() not in ("Y", "y"):
            s.fail("Format aborted")
    if os.path.isdir(current):
        for root, dirs, files in os.walk(current, topdown=False):
            for n in files:
                os.unlink(os.path.join(root, n))
            for n in dirs:
                os.rmdir(os.path.join(root, n))
    os.makedirs(current, exist_ok=True)
    with open(os.path.join(current, "VERSION"), "w") as f:
        f.write(f"#{time.ctime()}\nnamespaceID={uuid.uuid4().int % 2**31}\nclusterID={cluster}\ncTime={int(time.time() * 1000)}\n"
                f"storageType=NAME_NODE\nblockpoolID=BP-{uuid.uuid4().int % 2**31}-disco-standin\nlayoutVersion=-66\n")
    Namespace(current).save()
    s.say(f"Storage directory {NAME_DIR} has been successfully formatted (cluster id {cluster}).")


# ---- DataNode / NodeManager: heartbeat to the master, like the real daemons, forever ----

def heartbeat_loop(what, url, payload, every):
    registered = False
    while True:
        try:
            s.call(url, payload(), timeout=10)
            if not registered:
                s.log(f"{what} registered with {url}")
            registered = True
        except OSError as e:
            if registered or int(time.time()) % 30 < every:
                s.log(f"{what}: cannot reach {url} ({e}); retrying")
            registered = False
        time.sleep(every)


def datanode(args):
    s.stop_on_sigterm()
    current = os.path.join(DATA_DIR, "current")
    os.makedirs(current, exist_ok=True)
    ident = version_file(current).get("datanodeUuid")
    if not ident:
        ident = str(uuid.uuid4())
        with open(os.path.join(current, "VERSION"), "w") as f:
            f.write(f"#{time.ctime()}\ndatanodeUuid={ident}\nstorageType=DATA_NODE\nlayoutVersion=-57\n")
    host = os.uname().nodename
    s.log(f"DataNode {s.version()} starting: data dir {DATA_DIR}, NameNode {NN_URL}")
    s.http_server(host_port(get("dfs.datanode.http.address", "0.0.0.0:9864"), 9864)[1],
                  {("GET", "/"): lambda r: (200, s.page("Hadoop DataNode", f"<p>{host}, uuid {ident}</p>"))})
    s.tcp_placeholder(host_port(get("dfs.datanode.address", "0.0.0.0:9866"), 9866)[1], "HDFS data transfer")
    s.tcp_placeholder(host_port(get("dfs.datanode.ipc.address", "0.0.0.0:9867"), 9867)[1], "Hadoop IPC (DataNode)")

    def payload():
        st = os.statvfs(DATA_DIR)
        return {"uuid": ident, "hostname": host, "capacity": st.f_blocks * st.f_frsize, "remaining": st.f_bavail * st.f_frsize}
    heartbeat_loop("DataNode", f"{NN_URL}/disco-standin/datanode", payload, 3)


def resourcemanager(args):
    s.stop_on_sigterm()
    nodes = {}
    started = int(time.time() * 1000)

    def active():
        now = time.time()
        return {k: v for k, v in nodes.items() if now - v["lastHeartbeat"] < NM_LOST_AFTER}

    def heartbeat(req):
        d = req.json()
        new = d["nodeId"] not in nodes
        nodes[d["nodeId"]] = dict(d, ip=req.client, lastHeartbeat=time.time())
        if new:
            s.log(f"NodeManager {d['nodeId']} from {req.client} registered: {d['memoryMB']} MB, {d['vcores']} vcores ({len(active())} active)")
        return 200, {"registered": True}

    def info(req):
        return 200, {"clusterInfo": {"id": started, "startedOn": started, "state": "STARTED", "haState": "ACTIVE",
                                     "resourceManagerVersion": f"{s.version()} (DISCO stand-in)",
                                     "hadoopVersion": f"{s.version()} (DISCO stand-in)", "standIn": True}}

    def metrics(req):
        act = active()
        mb, vc = sum(v["memoryMB"] for v in act.values()), sum(v["vcores"] for v in act.values())
        return 200, {"clusterMetrics": {"activeNodes": len(act), "totalNodes": len(act), "lostNodes": len(nodes) - len(act),
                                        "unhealthyNodes": 0, "decommissionedNodes": 0, "rebootedNodes": 0,
                                        "totalMB": mb, "availableMB": mb, "allocatedMB": 0, "totalVirtualCores": vc,
                                        "availableVirtualCores": vc, "allocatedVirtualCores": 0, "appsSubmitted": 0,
                                        "appsRunning": 0, "appsPending": 0, "containersAllocated": 0, "standIn": True}}

    def node_list(req):
        now = time.time()
        return 200, {"nodes": {"node": [{"id": k, "state": "RUNNING" if now - v["lastHeartbeat"] < NM_LOST_AFTER else "LOST",
                                          "nodeHostName": v["host"], "nodeHTTPAddress": f"{v['host']}:8042",
                                          "totalResource": {"memory": v["memoryMB"], "vCores": v["vcores"]},
                                          "lastHealthUpdate": int(v["lastHeartbeat"] * 1000), "standIn": True}
                                         for k, v in sorted(nodes.items())]}}

    def home(req):
        rows = "".join(f"<tr><td>{k}</td><td>{v['memoryMB']} MB</td><td>{v['vcores']} vcores</td></tr>" for k, v in active().items())
        return 200, s.page("YARN ResourceManager", f"<p>{len(active())} active NodeManager(s); no applications "
                           f"(the stand-in runs none).</p><table>{rows}</table>")

    s.log(f"ResourceManager {s.version()} starting: web {RM_WEB}, resource tracker {RM_TRACKER}")
    bind = get("yarn.resourcemanager.bind-host", "0.0.0.0")
    web = {("GET", "/"): home, ("GET", "/cluster"): home, ("GET", "/ws/v1/cluster"): info,
           ("GET", "/ws/v1/cluster/info"): info, ("GET", "/ws/v1/cluster/metrics"): metrics,
           ("GET", "/ws/v1/cluster/nodes"): node_list,
           ("GET", "/ws/v1/cluster/apps"): lambda r: (200, {"apps": None})}
    s.http_server(RM_WEB, web, bind, quiet={"/ws/v1/cluster/metrics", "/ws/v1/cluster/info"})
    s.http_server(RM_TRACKER, {("POST", "/disco-standin/nodemanager"): heartbeat}, bind, quiet={"/disco-standin/nodemanager"})
    for port, proto in ((8030, "YARN scheduler RPC"), (8032, "YARN client RPC (ApplicationClientProtocol)"), (8033, "YARN admin RPC")):
        s.tcp_placeholder(port, proto, bind)
    s.forever()


def nodemanager(args):
    s.stop_on_sigterm()
    host = get("yarn.nodemanager.hostname") or os.uname().nodename
    mem, vcores = int(get("yarn.nodemanager.resource.memory-mb", "8192")), int(get("yarn.nodemanager.resource.cpu-vcores", "8"))
    node_id = f"{host}:45454"
    tracker = f"http://{'127.0.0.1' if RM_HOST in ('0.0.0.0', '') else RM_HOST}:{RM_TRACKER}/disco-standin/nodemanager"
    s.log(f"NodeManager {s.version()} starting: {node_id}, {mem} MB, {vcores} vcores, ResourceManager {tracker}")
    bind = get("yarn.nodemanager.bind-host", "0.0.0.0")
    s.http_server(8042, {("GET", "/"): lambda r: (200, s.page("YARN NodeManager", f"<p>{node_id}</p>")),
                         ("GET", "/ws/v1/node/info"): lambda r: (200, {"nodeInfo": {"id": node_id, "nodeHostName": host,
                                                                       "totalVmemAllocatedContainersMB": mem, "standIn": True}})}, bind)
    s.tcp_placeholder(8040, "YARN localizer RPC", bind)
    s.tcp_placeholder(13562, "MapReduce shuffle", bind)
    heartbeat_loop("NodeManager", tracker, lambda: {"nodeId": node_id, "host": host, "memoryMB": mem, "vcores": vcores}, 1)


def historyserver(args):
    s.stop_on_sigterm()
    web = host_port(get("mapreduce.jobhistory.webapp.address", "0.0.0.0:19888"), 19888)[1]
    rpc = host_port(get("mapreduce.jobhistory.address", "0.0.0.0:10020"), 10020)[1]
    bind = get("mapreduce.jobhistory.bind-host", "0.0.0.0")
    s.log(f"JobHistory server {s.version()} starting: web {web}")
    info = lambda r: (200, {"historyInfo": {"hadoopVersion": f"{s.version()} (DISCO stand-in)", "startedOn": int(time.time() * 1000), "standIn": True}})
    s.http_server(web, {("GET", "/"): lambda r: (200, s.page("MapReduce JobHistory", "<p>No jobs (the stand-in runs none).</p>")),
                        ("GET", "/ws/v1/history"): info, ("GET", "/ws/v1/history/info"): info,
                        ("GET", "/ws/v1/history/mapreduce/jobs"): lambda r: (200, {"jobs": {"job": []}})}, bind)
    s.tcp_placeholder(rpc, "MapReduce JobHistory RPC", bind)
    s.forever()


# ---- client commands ----

def nn_call(path, op, method="GET", data=None, **params):
    """A WebHDFS call to the NameNode stand-in; data may be bytes or an open file (streamed)."""
    from urllib.parse import quote, urlencode
    q = urlencode(dict(params, op=op, **{"user.name": USER}))
    headers = {"Content-Length": str(os.fstat(data.fileno()).st_size)} if hasattr(data, "fileno") else {}
    req = s.urllib.request.Request(f"{NN_URL}/webhdfs/v1{quote(path)}?{q}", data=data, method=method, headers=headers)
    try:
        with s.urllib.request.urlopen(req, timeout=60) as r:
            raw = r.read()
            return raw if op == "OPEN" else s.json.loads(raw or b"{}")
    except s.urllib.error.HTTPError as e:
        try:
            err = s.json.loads(e.read())["RemoteException"]
        except (ValueError, KeyError):
            err = {"exception": f"HTTP {e.code}", "message": ""}
        raise HdfsError(err["exception"], err["message"]) from None
    except OSError as e:
        s.fail(f"Call From {os.uname().nodename} to {NN_HOST}:{NN_HTTP} failed on connection exception: {e}")


class HdfsError(Exception):
    def __init__(self, exception, message):
        super().__init__(f"{message}")
        self.exception = exception


def hdfs_path(p):
    p = re.sub(r"^hdfs://[^/]*", "", p)
    if not p.startswith("/"):
        p = f"/user/{USER}/{p}"
    return os.path.normpath(p)


def mode_of(perm):
    bits, out = int(perm, 8), ""
    for shift in (6, 3, 0):
        b = (bits >> shift) & 7
        out += ("r" if b & 4 else "-") + ("w" if b & 2 else "-") + ("x" if b & 1 else "-")
    if bits & 0o1000:
        out = out[:-1] + ("t" if bits & 1 else "T")
    return out


def dfs(args):
    if not args:
        s.fail("Usage: hadoop fs [generic options] -ls|-mkdir|-put|-cat|-get|-rm|-chmod|-chown|-test ...")
    cmd, rest = args[0], args[1:]
    flags = [a for a in rest if re.fullmatch(r"-[a-zA-Z]+", a)]
    paths = [a for a in rest if a not in flags]
    status = 0
    try:
        if cmd == "-mkdir":
            for p in paths:
                if "-p" not in flags:
                    try:
                        nn_call(hdfs_path(p), "GETFILESTATUS")
                        s.say(f"mkdir: `{p}': File exists", err=True)
                        status = 1
                        continue
                    except HdfsError:
                        pass
                nn_call(hdfs_path(p), "MKDIRS", "PUT")
        elif cmd in ("-chmod", "-chown"):
            value, targets = paths[0], paths[1:]
            for p in targets:
                if cmd == "-chmod":
                    if not re.fullmatch(r"[0-7]{3,4}", value):
                        s.fail(f"chmod: {value} is not an octal mode (the stand-in takes octal modes only)")
                    nn_call(hdfs_path(p), "SETPERMISSION", "PUT", permission=value.lstrip("0") or "0")
                else:
                    owner, _, group = value.partition(":")
                    nn_call(hdfs_path(p), "SETOWNER", "PUT", owner=owner, group=group)
        elif cmd == "-test":
            try:
                st = nn_call(hdfs_path(paths[0]), "GETFILESTATUS")["FileStatus"]
            except HdfsError:
                return 1
            if "-d" in flags and st["type"] != "DIRECTORY" or "-f" in flags and st["type"] != "FILE" \
                    or "-z" in flags and st["length"] != 0 or "-s" in flags and st["length"] == 0:
                return 1
        elif cmd in ("-put", "-copyFromLocal"):
            *sources, dest = paths
            for src in sources:
                target = hdfs_path(dest)
                try:
                    if nn_call(target, "GETFILESTATUS")["FileStatus"]["type"] == "DIRECTORY":
                        target = f"{target.rstrip('/')}/{os.path.basename(src)}"
                except HdfsError:
                    pass
                with open(src, "rb") as f:
                    nn_call(target, "CREATE", "PUT", f, overwrite="true" if "-f" in flags else "false")
        elif cmd in ("-cat", "-text"):
            for p in paths:
                sys.stdout.buffer.write(nn_call(hdfs_path(p), "OPEN"))
            sys.stdout.flush()
        elif cmd in ("-get", "-copyToLocal"):
            src, dest = paths
            if os.path.isdir(dest):
                dest = os.path.join(dest, os.path.basename(src))
            with open(dest, "wb") as f:
                f.write(nn_call(hdfs_path(src), "OPEN"))
        elif cmd == "-ls":
            for p in paths or [f"/user/{USER}"]:
                entries = nn_call(hdfs_path(p), "LISTSTATUS")["FileStatuses"]["FileStatus"]
                s.say(f"Found {len(entries)} items")
                for e in entries:
                    full = hdfs_path(p) if e["pathSuffix"] == "" else f"{hdfs_path(p).rstrip('/')}/{e['pathSuffix']}"
                    kind = "d" if e["type"] == "DIRECTORY" else "-"
                    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(e["modificationTime"] / 1000))
                    s.say(f"{kind}{mode_of(e['permission'])}   {e['replication'] or '-'} {e['owner']} {e['group']} "
                          f"{e['length']:>10} {when} {full}")
        elif cmd == "-rm":
            for p in paths:
                recursive = "true" if "-r" in flags or "-R" in flags else "false"
                if nn_call(hdfs_path(p), "DELETE", "DELETE", recursive=recursive)["boolean"]:
                    s.say(f"Deleted {p}")
                elif "-f" not in flags:
                    s.say(f"rm: `{p}': No such file or directory", err=True)
                    status = 1
        else:
            s.fail(f"{cmd}: Unknown command (the stand-in emulates -ls -mkdir -put -cat -get -rm -chmod -chown -test)")
    except HdfsError as e:
        s.fail(f"{cmd[1:]}: {e} ({e.exception})")
    return status


def dfsadmin(args):
    if args[:1] == ["-safemode"]:
        action = args[1] if len(args) > 1 else "get"
        while True:
            on = nn_call("/", "GETSAFEMODE")["safemode"]
            if action != "wait" or not on:
                break
            time.sleep(5)
        s.say(f"Safe mode is {'ON' if on else 'OFF'}")
        return 0
    if args[:1] == ["-report"]:
        bean = s.call(f"{NN_URL}/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo")["beans"][0]
        live = s.json.loads(bean["LiveNodes"])
        s.say(f"Live datanodes ({len(live)}):")
        for name, v in sorted(live.items()):
            s.say(f"Name: {v['xferaddr']} ({name.split(':')[0]})")
        return 0
    s.fail(f"dfsadmin {' '.join(args)}: not emulated by the stand-in (it knows -safemode and -report)")


def yarn_client(args):
    if args[:1] == ["node"]:
        nodes = s.call(f"{RM_URL}/ws/v1/cluster/nodes")["nodes"]["node"]
        shown = [n for n in nodes if "-all" in args or n["state"] == "RUNNING"]
        s.say(f"Total Nodes:{len(shown)}", "         Node-Id\t     Node-State\tNode-Http-Address\tNumber-of-Running-Containers")
        for n in shown:
            s.say(f"{n['id']:>16}\t{n['state']:>15}\t{n['nodeHTTPAddress']}\t0")
        return 0
    if args[:1] == ["application"] and "-list" in args:
        s.say("Total number of applications (application-types: [], states: [SUBMITTED, ACCEPTED, RUNNING] and tags: []):0")
        return 0
    s.fail(f"yarn {' '.join(args)}: the stand-in runs no YARN applications (this needs real Hadoop)")


def main():
    if len(sys.argv) < 2:
        s.fail("usage: hadoop.py hdfs|yarn|mapred|hadoop COMMAND ...")
    tool, args = sys.argv[1], sys.argv[2:]
    cmd, rest = (args[0], args[1:]) if args else ("", [])
    if cmd == "version":
        s.say(f"Hadoop {s.version()} (DISCO stand-in: python3, no Java; see {s.HOME}/DISCO-STAND-IN)")
        return 0
    table = {
        ("hdfs", "namenode"): lambda a: format_namenode(a) if "-format" in a else namenode(a),
        ("hdfs", "datanode"): datanode, ("hdfs", "dfs"): dfs, ("hadoop", "fs"): dfs, ("hdfs", "dfsadmin"): dfsadmin,
        ("yarn", "resourcemanager"): resourcemanager, ("yarn", "nodemanager"): nodemanager,
        ("yarn", "node"): lambda a: yarn_client(["node"] + a), ("yarn", "application"): lambda a: yarn_client(["application"] + a),
        ("mapred", "historyserver"): historyserver,
    }
    fn = table.get((tool, cmd))
    if fn is None:
        s.fail(f"{tool} {cmd}: not emulated by the DISCO stand-in (MapReduce and YARN applications need real Hadoop)")
    return fn(rest) or 0


if __name__ == "__main__":
    s.run(main)
