# base: OS, Java, host names, internal SSH, status page (all nodes).
local host pub jdk jail=$'DynamicUser=yes\nProtectSystem=strict\nProtectHome=yes\nPrivateTmp=yes\nNoNewPrivileges=yes'
disco_step base "preparing the operating system"

# The master serves the artefacts it fetches once (disco_prefetch, beside this install) to the workers.
if [[ $DISCO_ROLE == master ]]; then
  mkdir -p "$DISCO_ART/pub" "$DISCO_ART/tmp"
  rm -f "$DISCO_ART/pub/master.failed"
  DISCO_UNIT_EXTRA=$jail disco_service disco-artifacts disco-artifacts /usr/bin/python3 -m http.server "$DISCO_ART_PORT" --bind "$DISCO_NODE_IP" --directory "$DISCO_ART/pub"
  disco_prefetch &
  # shellcheck disable=SC2034  # the master's disco_artifact waits for it
  DISCO_PREFETCH=$!
fi

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
systemctl enable --now disco-thp.service >/dev/null 2>&1

# Node-to-node SSH with the internal key, only from the cluster network.
install -d -m 0700 -o "$DISCO_USER" -g "$DISCO_USER" "$DISCO_HOME/.ssh"
(umask 077; printf '%s\n' "$DISCO_INTERNAL_KEY" >"$DISCO_HOME/.ssh/id_ed25519")
printf '%s\n' "$DISCO_INTERNAL_KEY_PUB" >"$DISCO_HOME/.ssh/id_ed25519.pub"
pub=${DISCO_INTERNAL_KEY_PUB%$'\n'}
touch "$DISCO_HOME/.ssh/authorized_keys"
if ! grep -qF "$pub" "$DISCO_HOME/.ssh/authorized_keys"; then
  printf 'from="%s" %s\n' "$DISCO_CLUSTER_CIDR" "$pub" >>"$DISCO_HOME/.ssh/authorized_keys"
fi
printf 'Host *\n  StrictHostKeyChecking accept-new\n  IdentityFile ~/.ssh/id_ed25519\n' >"$DISCO_HOME/.ssh/config"
chmod 0600 "$DISCO_HOME/.ssh/authorized_keys" "$DISCO_HOME/.ssh/config" "$DISCO_HOME/.ssh/id_ed25519"
chown -R "$DISCO_USER:$DISCO_USER" "$DISCO_HOME/.ssh"

# The status page: a read-only directory listing of /var/lib/disco/www (deployment.log, progress.json, progress.log).
chmod -R a+rX /var/lib/disco
DISCO_UNIT_EXTRA=$jail$'\nWorkingDirectory=/var/lib/disco/www' \
  disco_service disco-status disco-status /usr/bin/python3 -m http.server 8084 --directory /var/lib/disco/www

# Health: every 15 s each node writes node.json (its daemons, readiness probes, disk, memory) beside the status page; a
# worker registers its address with the master over the internal SSH, and the master gathers the workers' reports into
# health.json, which DISCO reads. Facts only: no secret reaches these files.
install -d -m 0755 /usr/local/lib/disco
if [[ $DISCO_ROLE == master ]]; then install -d -m 0755 -o "$DISCO_USER" -g "$DISCO_USER" /var/lib/disco/peers; fi
python3 -c 'import json, sys; print(json.dumps(dict(zip(["cluster", "role", "index", "address", "master", "user", "home"], sys.argv[1:]))))' \
  "$DISCO_CLUSTER" "$DISCO_ROLE" "$DISCO_NODE_INDEX" "$DISCO_NODE_IP" "$DISCO_MASTER_IP" "$DISCO_USER" "$DISCO_HOME" \
  >/etc/disco/health-node.json
cat >/usr/local/lib/disco/health.py <<'PY'
import calendar, ipaddress, json, os, shutil, socket, ssl, subprocess, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
WWW, ETC, STATE = "/var/lib/disco/www", "/etc/disco", "/var/lib/disco"
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

def publish(name, document):
    tmp = f"{WWW}/.{name}.tmp"
    with open(tmp, "w") as f:
        json.dump(document, f, separators=(",", ":"))
    os.chmod(tmp, 0o644)
    os.replace(tmp, f"{WWW}/{name}")

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
        with urllib.request.urlopen(f"http://{f'[{host}]' if host.version == 6 else host}:8084/node.json", timeout=5) as r:
            document = json.load(r)
        age = time.time() - calendar.timegm(time.strptime(document["checkedAt"], "%Y-%m-%dT%H:%M:%SZ"))
        if age > 180:
            raise ValueError(f"its last report is {int(age)} s old")
        return document
    except Exception as e:
        return dict(worker, reachable=False, error=why(e))

me = report()
publish("node.json", me)
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
    publish("health.json", {"version": 1, "cluster": conf["cluster"], "checkedAt": stamp(), "nodes": [me] + workers})
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
