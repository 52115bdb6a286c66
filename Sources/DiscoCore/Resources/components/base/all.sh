# base: OS, Java, host names, internal SSH, status page (all nodes).
local host pub ssh key=/etc/disco/cluster-key jdk internal=/var/lib/disco/internal only='' group=''
local jail=$'DynamicUser=yes\nProtectSystem=strict\nProtectHome=yes\nPrivateTmp=yes\nNoNewPrivileges=yes'
disco_step base "preparing the operating system"

# The node's read-only HTTP services, the public status page and the internal service:
# serve.py PORT ADDRESS ROOT-ONLY DIR... serves the regular files directly in the DIRs by name (GET and HEAD; ADDRESS
# an IPv4 address, or '' for every address, IPv6 too): no other paths, dot files, subdirectories or symbolic links, no
# versions in its headers; "/" lists the first DIR. The files of ROOT-ONLY (a DIR, or '') go only to a peer connecting
# from a port below 1024, which only root binds on a stock node.
install -d -m 0755 /usr/local/lib/disco "$internal"
cat >/usr/local/lib/disco/serve.py <<'PY'
import http.server as h, os, sys, urllib.parse
port, bind, only, dirs = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]

def names(d):
    try:
        return sorted(n for n in os.listdir(d) if n[0] != "." and os.path.isfile(f"{d}/{n}") and not os.path.islink(f"{d}/{n}"))
    except OSError:
        return []

class Handler(h.SimpleHTTPRequestHandler):
    timeout = 30

    def version_string(self):
        return "disco"

    def translate_path(self, path):
        return self.found

    def send_head(self):
        name, self.found = urllib.parse.unquote(self.path.split("?")[0])[1:], dirs[0] + "/"
        for d in [only] + dirs:
            if name in names(d):
                if d == only and self.client_address[1] > 1023:
                    return self.send_error(403)
                self.found = f"{d}/{name}"
                break
        else:
            if name:
                return self.send_error(404)
        return super().send_head()

class Server(h.ThreadingHTTPServer):
    daemon_threads, address_family = True, h.socket.AF_INET if bind else h.socket.AF_INET6

try:
    server = Server((bind or "::", port), Handler)
except OSError:
    if bind:
        raise
    Server.address_family = h.socket.AF_INET
    server = Server(("", port), Handler)
print("serving on port", server.server_address[1], flush=True)
server.serve_forever()
PY

# Every node serves, on port $DISCO_ART_PORT of its cluster address (the security group admits members only), its
# health report (node.json); the master also the cluster's (health.json), the artefacts it fetches once (disco_prefetch,
# beside this install) and, to root alone, the cluster's internal SSH key (made below; only this unit's group reads it).
if [[ $DISCO_ROLE == master ]]; then
  mkdir -p "$DISCO_ART/pub" "$DISCO_ART/tmp"
  rm -f "$DISCO_ART/pub/master.failed"
  getent group disco-key >/dev/null || groupadd --system disco-key
  install -d -m 0750 -g disco-key "$key"
  only=$key group=$'\nSupplementaryGroups=disco-key'
  disco_prefetch &
  # shellcheck disable=SC2034  # the master's disco_artifact waits for it
  DISCO_PREFETCH=$!
fi
DISCO_UNIT_EXTRA=$jail$group disco_service disco-internal disco-internal /usr/bin/python3 /usr/local/lib/disco/serve.py \
  "$DISCO_ART_PORT" "$DISCO_NODE_IP" "$only" "$internal" ${only:+"$DISCO_ART/pub"}

# The master's name resolves to its cluster address (never 127.0.1.1), ours to our address; cloud-init keeps it.
if [[ $DISCO_ROLE == master ]]; then hostnamectl set-hostname "$DISCO_MASTER_NAME" || hostname "$DISCO_MASTER_NAME"; fi
host=$(hostname)
mkdir -p /etc/cloud/cloud.cfg.d
printf 'manage_etc_hosts: false\npreserve_hostname: true\n' >/etc/cloud/cloud.cfg.d/99-disco.cfg
sed -i -E "/^[0-9a-fA-F.:]+[[:space:]].*# disco\$/d; /^127\.[0-9.]+[[:space:]]+(.*[[:space:]])?(${DISCO_MASTER_NAME//./\\.}|${host//./\\.})([[:space:]]|\$)/d" /etc/hosts
printf '%s %s # disco\n' "$DISCO_MASTER_IP" "$DISCO_MASTER_NAME" >>/etc/hosts
if [[ $host != "$DISCO_MASTER_NAME" ]]; then printf '%s %s # disco\n' "$DISCO_NODE_IP" "$host" >>/etc/hosts; fi

# Java 17: the one LTS that Ubuntu 22.04/24.04 and Debian 12 all ship.
disco_apt_update
disco_apt ca-certificates curl python3 python3-yaml openjdk-17-jdk-headless procps iproute2 openssh-client
printf 'LANG=C.UTF-8\n' >/etc/default/locale
jdk=$(find /usr/lib/jvm -maxdepth 1 -name "java-17-openjdk-*" | head -n1)
disco_env_set JAVA_HOME "${jdk:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
cat >/etc/profile.d/disco.sh <<'PROFILE'
# DISCO: cluster environment for login shells
if [ -r /etc/disco/env ]; then set -a; . /etc/disco/env; set +a; fi
for d in /opt/*/bin; do case ":$PATH:" in *":$d:"*) ;; *) [ -d "$d" ] && PATH="$PATH:$d" ;; esac; done
export PATH
PROFILE

# Transparent huge pages off now and at boot (JVM/Hadoop workloads). IPv6 stays as it is.
cat >/etc/systemd/system/disco-thp.service <<'UNIT'
[Unit]
Description=DISCO: THP off
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'for f in /sys/kernel/mm/transparent_hugepage/enabled /sys/kernel/mm/transparent_hugepage/defrag; do [ -w "$$f" ] && echo never >"$$f"; done; true'
[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
# A tuning: a node whose systemd refuses the unit installs on, and says so.
systemctl enable --now disco-thp.service >/dev/null 2>&1 || disco_log "base: disco-thp.service refused; THP as it was"

# Node-to-node SSH with the cluster's internal key, only from the cluster network. The master makes the key pair at its
# first boot and the workers copy it from the master's internal service: DISCO, Heat and the metadata service never see it.
ssh=$DISCO_HOME/.ssh
install -d -m 0700 -o "$DISCO_USER" -g "$DISCO_USER" "$ssh"
umask 077
if [[ $DISCO_ROLE == master ]]; then
  if [[ ! -s $key/id_ed25519 ]]; then
    rm -f "$key/.new"*
    ssh-keygen -q -t ed25519 -N '' -C "disco-$DISCO_CLUSTER-internal" -f "$key/.new"
    chgrp disco-key "$key/.new"; chmod 0640 "$key/.new"; mv -f "$key/.new" "$key/id_ed25519"; rm -f "$key/.new.pub"
  fi
  cp "$key/id_ed25519" "$ssh/id_ed25519"
else
  disco_from_master id_ed25519 "$ssh/id_ed25519" "the master has not made it yet" --local-port 600-1023
fi
umask 022
ssh-keygen -y -f "$ssh/id_ed25519" >"$ssh/id_ed25519.pub" || disco_die "the cluster's internal SSH key is not a key"
pub=$(cut -d' ' -f1,2 "$ssh/id_ed25519.pub")
touch "$ssh/authorized_keys"
grep -qF "$pub" "$ssh/authorized_keys" || printf 'from="%s" %s disco-internal\n' "$DISCO_CLUSTER_CIDR" "$pub" >>"$ssh/authorized_keys"
printf 'Host *\n  StrictHostKeyChecking accept-new\n  IdentityFile ~/.ssh/id_ed25519\n' >"$ssh/config"
chmod 0600 "$ssh/authorized_keys" "$ssh/config" "$ssh/id_ed25519"
chown -R "$DISCO_USER:$DISCO_USER" "$ssh"

# The public status page on port 8084: progress only (progress.json, progress.log and, on the master, health.json
# without the nodes' addresses). What names addresses or versions is not on it: the deployment log stays on the node,
# node.json and the full health.json go to members only (the internal service).
chmod -R a+rX /var/lib/disco
DISCO_UNIT_EXTRA=$jail$'\nWorkingDirectory=/var/lib/disco/www' \
  disco_service disco-status disco-status /usr/bin/python3 /usr/local/lib/disco/serve.py 8084 '' '' "$DISCO_WWW"

# Health: every 15 s each node writes node.json (its daemons, readiness probes, disk, memory) for the internal service; a
# worker registers its address with the master over the internal SSH, and the master gathers the workers' reports into
# health.json, and the same without addresses onto the status page, where DISCO reads it. Facts only: no secret reaches
# these files.
if [[ $DISCO_ROLE == master ]]; then install -d -m 0755 -o "$DISCO_USER" -g "$DISCO_USER" /var/lib/disco/peers; fi
python3 -c 'import json, sys; print(json.dumps(dict(zip(["cluster", "role", "index", "address", "master", "port", "user", "home"], sys.argv[1:]))))' \
  "$DISCO_CLUSTER" "$DISCO_ROLE" "$DISCO_NODE_INDEX" "$DISCO_NODE_IP" "$DISCO_MASTER_IP" "$DISCO_ART_PORT" "$DISCO_USER" "$DISCO_HOME" \
  >/etc/disco/health-node.json
cat >/usr/local/lib/disco/health.py <<'PY'
import calendar, ipaddress, json, os, shutil, socket, ssl, subprocess, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
WWW, INTERNAL, ETC, STATE = "/var/lib/disco/www", "/var/lib/disco/internal", "/etc/disco", "/var/lib/disco"
PEERS = STATE + "/peers"
conf = json.load(open(ETC + "/health-node.json"))

def stamp():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

def why(e):
    return str(getattr(e, "reason", None) or e)[:200]

def entries(kind):
    try:
        with open(f"{ETC}/health-{kind}") as f:
            return [line.split(None, 2) for line in f.read().splitlines() if line.strip()]
    except OSError:
        return []

def publish(folder, name, document):
    tmp = f"{folder}/.{name}.tmp"
    with open(tmp, "w") as f:
        json.dump(document, f, separators=(",", ":"))
    os.chmod(tmp, 0o644)
    os.replace(tmp, f"{folder}/{name}")

def daemons():
    units = [u for u in entries("units") if len(u) == 2]
    if not units:
        return []
    shown = subprocess.run(["systemctl", "show", "-p", "LoadState,ActiveState,SubState", "--"] + [u[1] + ".service" for u in units],
                           capture_output=True, text=True, timeout=20).stdout.strip().split("\n\n")
    out = []
    for (component, unit), block in zip(units, shown):
        p = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
        state = "missing" if p.get("LoadState") == "not-found" else p.get("ActiveState", "unknown")
        out.append({"component": component, "unit": unit, "state": state, "subState": p.get("SubState", "")})
    return out

def probe(component, kind, target):
    entry = {"component": component, "target": target if kind == "url" else f"port {target}", "ok": True}
    try:
        if kind == "url":
            urllib.request.urlopen(target, timeout=5, context=ssl._create_unverified_context()).close()
        else:
            socket.create_connection(("127.0.0.1", int(target)), 5).close()
    except Exception as e:
        entry.update(ok=False, error=why(e))
    return entry

def report():
    disk, memory = shutil.disk_usage("/"), {}
    with open("/proc/meminfo") as f:
        for line in f:
            key, value = line.split(":", 1)
            memory[key] = int(value.split()[0]) * 1024
    index = int(conf["index"])
    return {"name": "master" if conf["role"] == "master" else f"worker{index}", "role": conf["role"], "index": index,
            "address": conf["address"], "reachable": True, "checkedAt": stamp(), "daemons": daemons(),
            "probes": [probe(*p) for p in entries("probes") if len(p) == 3],
            "disk": {"path": "/", "totalBytes": disk.total, "freeBytes": disk.free},
            "memory": {"totalBytes": memory.get("MemTotal", 0), "availableBytes": memory.get("MemAvailable", 0)}}

def register(me):
    mark = STATE + "/registered"
    try:
        if time.time() - os.stat(mark).st_mtime < 300:
            return
    except OSError:
        pass
    peer = f"{PEERS}/{me['name']}"
    done = subprocess.run(["runuser", "-u", conf["user"], "--", "ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5",
                           conf["master"], f"printf '%s\\n' {me['address']} >{peer}.tmp && mv -f {peer}.tmp {peer}"],
                          capture_output=True, timeout=30, env={"HOME": conf["home"], "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")})
    if done.returncode == 0:
        open(mark, "w").close()

def gather(name, address):
    worker = {"name": name, "role": "worker", "index": int(name[6:]), "address": address}
    try:
        host = ipaddress.ip_address(address)
        with urllib.request.urlopen(f"http://{f'[{host}]' if host.version == 6 else host}:{conf['port']}/node.json", timeout=5) as r:
            document = json.load(r)
        age = time.time() - calendar.timegm(time.strptime(document["checkedAt"], "%Y-%m-%dT%H:%M:%SZ"))
        if age > 180:
            raise ValueError(f"its last report is {int(age)} s old")
        return document
    except Exception as e:
        return dict(worker, reachable=False, error=why(e))

me = report()
publish(INTERNAL, "node.json", me)
if conf["role"] != "master":
    register(me)
else:
    peers = {}
    for name in os.listdir(PEERS):
        if name.startswith("worker") and name[6:].isdigit():
            with open(f"{PEERS}/{name}") as f:
                peers[name] = f.read().strip()
    with ThreadPoolExecutor(16) as pool:
        workers = list(pool.map(lambda p: gather(*p), sorted(peers.items(), key=lambda p: int(p[0][6:]))))
    document = {"version": 1, "cluster": conf["cluster"], "checkedAt": stamp(), "nodes": [me] + workers}
    publish(INTERNAL, "health.json", document)
    publish(WWW, "health.json", dict(document, nodes=[{k: v for k, v in n.items() if k != "address"} for n in document["nodes"]]))
PY
cat >/etc/systemd/system/disco-health.service <<'UNIT'
[Unit]
Description=DISCO: health report
[Service]
Type=oneshot
ExecStart=/usr/bin/python3 /usr/local/lib/disco/health.py
TimeoutStartSec=90
UNIT
cat >/etc/systemd/system/disco-health.timer <<'UNIT'
[Unit]
Description=DISCO: health report every 15 s
[Timer]
OnActiveSec=1s
OnUnitActiveSec=15s
AccuracySec=1s
[Install]
WantedBy=timers.target
UNIT
systemctl daemon-reload
systemctl enable --now disco-health.timer >/dev/null 2>&1
