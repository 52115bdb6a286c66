#!/usr/bin/env python3
"""The real-node suite's hypervisor: a systemd-nspawn container for every server Nova was asked for.

The loopback OpenStack runs Nova's fake driver, which boots nothing. This process watches Nova through the admin
API and, for each server, boots a container from a cloud-image-like root filesystem with what a VM would get:
the user_data Nova received (cloud-init's NoCloud seed, run from cloud-final), the key pair's public key, the
fixed address Neutron gave its port (its own network namespace on a bridge whose address is the subnet's gateway)
and its floating IP. A server that goes away (scale down, delete) loses its container.

Each node's namespace maps 127.0.0.1:5000 (Keystone) and :8004 (Heat), the loopback cloud's public endpoints
that Heat put in the user data, to the bridge, where the host forwards them to its own loopback: the nodes
signal real Heat, and the traffic stays on this machine.

    hypervisor.py --rootfs-map IMAGE=DIR[,IMAGE=DIR...] --state DIR [--admin-openrc FILE] [--bridge discobr0]
                  [--gateway 10.42.0.1/24] [--prefix NAME] [--fault apt-lock|slow-first-boot]

The server's Glance image name picks the userland (debian-12, ubuntu-22.04, ubuntu-24.04).

It writes STATE/nodes.json (one entry per node: name, server id, role, address, floating IP, namespace, pid)
after each change, and stops every container on SIGTERM.

With NODES_CPU_QUOTA set (a fraction of one CPU, e.g. 0.35), each container runs in a CPU cgroup of its own capped
at that share: every node gets the same CPU however many there are, as every VM of a cloud has its own vCPUs
(without it, the nodes share this machine's cores and a bigger cluster installs slower for that reason alone).
"""
import argparse
import base64
import datetime
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

KEYSTONE_PORTS = (5000, 8004)


def cpu_cgroup(name):
    """A CPU cgroup capped at NODES_CPU_QUOTA of one CPU for a node (cgroup v1 or v2), or None without the setting."""
    quota = os.environ.get("NODES_CPU_QUOTA", "")
    if not quota:
        return None
    period = 100000
    limit = max(1000, int(float(quota) * period))
    if os.path.isdir("/sys/fs/cgroup/cpu"):  # v1
        path = f"/sys/fs/cgroup/cpu/disco-nodes/{name}"
        os.makedirs(path, exist_ok=True)
        # The nodes' group as a whole outweighs whatever else runs (each process outside it weighs 1024).
        with open("/sys/fs/cgroup/cpu/disco-nodes/cpu.shares", "w") as f:
            f.write("262144")
        for key, value in (("cpu.cfs_period_us", period), ("cpu.cfs_quota_us", limit)):
            with open(os.path.join(path, key), "w") as f:
                f.write(str(value))
        return path
    path = f"/sys/fs/cgroup/disco-nodes/{name}"  # v2: the cpu controller enabled down to the node's group
    os.makedirs(path, exist_ok=True)
    for parent in ("/sys/fs/cgroup", "/sys/fs/cgroup/disco-nodes"):
        with open(os.path.join(parent, "cgroup.subtree_control"), "w") as f:
            f.write("+cpu")
    with open("/sys/fs/cgroup/disco-nodes/cpu.weight", "w") as f:
        f.write("10000")
    with open(os.path.join(path, "cpu.max"), "w") as f:
        f.write(f"{limit} {period}")
    return path


def log(message):
    print(f"{time.strftime('%H:%M:%S')} hypervisor: {message}", flush=True)


def run(*argv, check=True, quiet=False):
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {result.returncode}: {result.stdout.strip()[:400]}")
    if not quiet and result.returncode != 0:
        log(f"note: {' '.join(argv)} exited {result.returncode}")
    return result.stdout


def created_at(server):
    """When Nova created the server (seconds since the epoch); +inf (new) when it does not say."""
    try:
        return datetime.datetime.strptime(server.get("created", ""), "%Y-%m-%dT%H:%M:%SZ") \
            .replace(tzinfo=datetime.timezone.utc).timestamp()
    except ValueError:
        return float("inf")


def read_openrc(path):
    values = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("export "):
                line = line[7:]
            if "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                values[key] = value.split("   #")[0].strip().strip("'\"")
    return values


class Cloud:
    """The admin's view of Nova and Neutron (endpoints from the token's catalog)."""

    def __init__(self, openrc):
        self.openrc = openrc
        self.token, self.expires, self.catalog = None, 0, {}

    def _login(self):
        o = self.openrc
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": o["OS_USERNAME"], "domain": {"name": o.get("OS_USER_DOMAIN_NAME", "Default")},
            "password": o["OS_PASSWORD"]}}}, "scope": {"project": {
                "name": o["OS_PROJECT_NAME"], "domain": {"name": o.get("OS_PROJECT_DOMAIN_NAME", "Default")}}}}}
        request = urllib.request.Request(o["OS_AUTH_URL"].rstrip("/") + "/auth/tokens", json.dumps(body).encode(),
                                         {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            self.token = answer.headers["X-Subject-Token"]
            catalog = json.load(answer)["token"]["catalog"]
        self.catalog = {entry["type"]: next(e["url"] for e in entry["endpoints"] if e["interface"] == "public")
                        for entry in catalog}
        self.expires = time.time() + 1800

    def get(self, service, path, headers=None):
        if self.token is None or time.time() > self.expires:
            self._login()
        url = self.catalog[service].rstrip("/") + path
        request = urllib.request.Request(url, headers={"X-Auth-Token": self.token, "Accept": "application/json",
                                                       **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.load(answer)
        except urllib.error.HTTPError as error:
            if error.code == 401:
                self.token = None
            raise

    def servers(self):
        # Microversion 2.3 shows user_data; 2.47 would hide the flavor id, which the suite does not need.
        return self.get("compute", "/servers/detail?all_tenants=1",
                        {"X-OpenStack-Nova-API-Version": "2.3"})["servers"]

    def public_key(self, name, user_id):
        keypair = self.get("compute", f"/os-keypairs/{name}?user_id={user_id}",
                           {"X-OpenStack-Nova-API-Version": "2.10"})
        return keypair["keypair"]["public_key"]

    def image_name(self, image_id):
        return self.get("image", f"/v2/images/{image_id}")["name"]

    def port_addresses(self, server_id):
        ports = self.get("network", f"/v2.0/ports?device_id={server_id}")["ports"]
        fixed = [ip["ip_address"] for p in ports for ip in p["fixed_ips"] if ":" not in ip["ip_address"]]
        floating = []
        for p in ports:
            floating += [f["floating_ip_address"]
                         for f in self.get("network", f"/v2.0/floatingips?port_id={p['id']}")["floatingips"]]
        return fixed, floating


class Node:
    def __init__(self, server, short):
        self.server_id = server["id"]
        self.name = server["name"]
        self.short = short
        self.namespace = f"dn{short}"
        self.address = None
        self.floating = None
        self.process = None
        self.root = None

    @property
    def role(self):
        return "master" if self.name.endswith("-master") else "worker"

    def summary(self):
        return {"name": self.name, "serverId": self.server_id, "role": self.role, "address": self.address,
                "floatingIP": self.floating, "namespace": self.namespace, "root": self.root,
                "pid": self.process.pid if self.process else None,
                "running": self.process is not None and self.process.poll() is None}


class Hypervisor:
    def __init__(self, args):
        self.args = args
        self.cloud = Cloud(read_openrc(args.admin_openrc))
        self.nodes = {}
        self.refused = set()
        # A server older than this process is not its own: one a killed run or an earlier scenario left behind.
        self.since = time.time() - 2
        self.counter = 0
        # Servers boot side by side, as on a cloud's computes: a boot waits for Neutron, Nova and Glance answers.
        self.booting = {}
        self.pool = ThreadPoolExecutor(8)
        self.gateway, self.prefix_length = args.gateway.split("/")
        os.makedirs(args.state, exist_ok=True)

    # ---- the host side: one bridge, NAT to the registries, Keystone and Heat forwarded to loopback
    def host_up(self):
        b, gw = self.args.bridge, self.gateway
        if subprocess.run(["ip", "link", "show", b], capture_output=True).returncode != 0:
            run("ip", "link", "add", b, "type", "bridge")
        run("ip", "addr", "replace", f"{gw}/{self.prefix_length}", "dev", b)
        run("ip", "link", "set", b, "up")
        run("sysctl", "-qw", "net.ipv4.ip_forward=1")
        run("sysctl", "-qw", f"net.ipv4.conf.{b}.route_localnet=1")
        subnet = self.args.subnet
        rules = [("nat", "POSTROUTING", "-s", subnet, "!", "-o", b, "-j", "MASQUERADE")]
        for port in KEYSTONE_PORTS:
            rules.append(("nat", "PREROUTING", "-i", b, "-d", gw, "-p", "tcp", "--dport", str(port),
                          "-j", "DNAT", "--to-destination", f"127.0.0.1:{port}"))
        for table, chain, *rule in rules:
            if subprocess.run(["iptables", "-t", table, "-C", chain, *rule], capture_output=True).returncode != 0:
                run("iptables", "-t", table, "-A", chain, *rule)
        self.host_rules = rules

    def host_down(self):
        for table, chain, *rule in getattr(self, "host_rules", []):
            subprocess.run(["iptables", "-t", table, "-D", chain, *rule], capture_output=True)
        subprocess.run(["ip", "link", "del", self.args.bridge], capture_output=True)

    # ---- one node
    def boot(self, server, short):
        started = time.monotonic()
        fixed, floating = self.cloud.port_addresses(server["id"])
        if not fixed:
            return None  # Neutron has not bound the port yet; next round
        node = Node(server, short)
        node.address = fixed[0]
        node.floating = floating[0] if floating else None
        key = ""
        if server.get("key_name"):
            key = self.cloud.public_key(server["key_name"], server["user_id"])
        image = self.cloud.image_name((server.get("image") or {}).get("id", ""))
        rootfs = self.args.rootfs_map.get(image)
        if rootfs is None:
            log(f"{node.name}: no userland for image '{image}' (have: {', '.join(self.args.rootfs_map)}); not booted")
            self.refused.add(node.server_id)
            return None
        user_data = base64.b64decode(server.get("OS-EXT-SRV-ATTR:user_data") or "")
        base = os.path.join(self.args.state, node.short)
        for sub in ("upper", "work", "root"):
            os.makedirs(os.path.join(base, sub), exist_ok=True)
        node.root = os.path.join(base, "root")
        run("mount", "-t", "overlay", "overlay", "-o",
            f"lowerdir={rootfs},upperdir={base}/upper,workdir={base}/work", node.root)
        seed = os.path.join(node.root, "var/lib/cloud/seed/nocloud")
        os.makedirs(seed, exist_ok=True)
        hostname = server.get("OS-EXT-SRV-ATTR:hostname") or node.name
        with open(os.path.join(seed, "meta-data"), "w") as f:  # YAML; JSON strings are YAML scalars
            f.write(f"instance-id: {json.dumps(node.server_id)}\nlocal-hostname: {json.dumps(hostname)}\n")
            if key:
                f.write("public-keys:\n  - " + json.dumps(key.strip()) + "\n")
        with open(os.path.join(seed, "user-data"), "wb") as f:
            f.write(user_data)
        # Ubuntu's resolv.conf links to systemd-resolved's stub (127.0.0.53), which has no upstream here:
        # the node gets the host's resolvers, as a VM gets its subnet's DNS servers.
        resolv = os.path.join(node.root, "etc/resolv.conf")
        if os.path.islink(resolv):
            os.unlink(resolv)
        with open(resolv, "w") as f:
            f.write(open("/etc/resolv.conf").read())
        if self.args.fault == "apt-lock":  # a cloud image's own apt run holding the lists lock for 40 s
            self.first_boot_job(node.root, "disco-hold-apt-lists", "simple",
                                "/usr/bin/flock /var/lib/apt/lists/lock /bin/sleep 40")
        elif self.args.fault == "slow-first-boot":  # a slow cloud: user data starts 170 s after boot
            self.first_boot_job(node.root, "disco-slow-first-boot", "oneshot", "/bin/sleep 170")
        self.network_up(node)
        console = open(os.path.join(base, "console.log"), "ab")
        command = ["systemd-nspawn", "--boot", "--register=no", "--keep-unit", "--console=pipe", "--quiet",
                   f"--machine={self.args.machine_prefix}{node.short}", "-D", node.root,
                   f"--network-namespace-path=/run/netns/{node.namespace}", "--resolv-conf=off", "--timezone=off",
                   "--link-journal=no"]
        cgroup = cpu_cgroup(f"{self.args.machine_prefix}{node.short}")
        if cgroup:  # the container and all it starts, from its first instruction
            command = ["sh", "-c", 'echo $$ >"$0/cgroup.procs" && exec "$@"', cgroup] + command
        node.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=console, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        log(f"booted {node.name} ({node.role}) at {node.address}"
            + (f", floating {node.floating}" if node.floating else "") + f", {image}, user_data {len(user_data)} bytes"
            + f", in {time.monotonic() - started:.1f} s")
        return node

    @staticmethod
    def first_boot_job(root, name, kind, command):
        """A job of the real-node faults that runs at first boot, before cloud-final runs the user data."""
        with open(os.path.join(root, f"etc/systemd/system/{name}.service"), "w") as f:
            f.write(f"[Unit]\nDescription=Real-node fault {name}\nBefore=cloud-final.service\n"
                    f"[Service]\nType={kind}\nTimeoutStartSec=600\nExecStart={command}\n"
                    "[Install]\nWantedBy=multi-user.target\n")
        wants = os.path.join(root, "etc/systemd/system/multi-user.target.wants")
        os.makedirs(wants, exist_ok=True)
        link = os.path.join(wants, f"{name}.service")
        if not os.path.lexists(link):
            os.symlink(f"/etc/systemd/system/{name}.service", link)

    def network_up(self, node):
        ns, host_if, node_if = node.namespace, f"vh{node.short}", f"vn{node.short}"
        run("ip", "netns", "add", ns)
        run("ip", "link", "add", host_if, "type", "veth", "peer", "name", node_if)
        run("ip", "link", "set", host_if, "master", self.args.bridge, "up")
        run("ip", "link", "set", node_if, "netns", ns)
        inside = ["ip", "netns", "exec", ns]
        run(*inside, "ip", "link", "set", node_if, "name", "eth0")
        run(*inside, "ip", "addr", "add", f"{node.address}/{self.prefix_length}", "dev", "eth0")
        run(*inside, "ip", "link", "set", "eth0", "up")
        run(*inside, "ip", "link", "set", "lo", "up")
        run(*inside, "ip", "route", "add", "default", "via", self.gateway)
        if node.floating:
            self.add_floating(node)
        run(*inside, "sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1")
        for port in KEYSTONE_PORTS:
            run(*inside, "iptables", "-t", "nat", "-A", "OUTPUT", "-d", "127.0.0.1", "-p", "tcp", "--dport",
                str(port), "-j", "DNAT", "--to-destination", f"{self.gateway}:{port}")
        run(*inside, "iptables", "-t", "nat", "-A", "POSTROUTING", "-s", "127.0.0.0/8", "-o", "eth0",
            "-j", "MASQUERADE")

    def add_floating(self, node):
        """The floating IP answers at the node, as Neutron's NAT makes it; the host routes it over the bridge."""
        run("ip", "netns", "exec", node.namespace, "ip", "addr", "add", f"{node.floating}/32", "dev", "eth0")
        run("ip", "route", "replace", f"{node.floating}/32", "via", node.address, "dev", self.args.bridge)
        log(f"{node.name}: floating IP {node.floating}")

    def stop(self, node, reason):
        if node.process and node.process.poll() is None:
            node.process.send_signal(signal.SIGTERM)  # nspawn asks the container's systemd to power off
            try:
                node.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(node.process.pid, signal.SIGKILL)
                node.process.wait()
        if node.floating:
            subprocess.run(["ip", "route", "del", f"{node.floating}/32"], capture_output=True)
        subprocess.run(["ip", "link", "del", f"vh{node.short}"], capture_output=True)
        subprocess.run(["ip", "netns", "del", node.namespace], capture_output=True)
        if node.root:
            subprocess.run(["umount", "-l", node.root], capture_output=True)
            subprocess.run(["rm", "-rf", os.path.dirname(node.root)], capture_output=True)
        if os.environ.get("NODES_CPU_QUOTA"):
            for tree in ("/sys/fs/cgroup/cpu/disco-nodes", "/sys/fs/cgroup/disco-nodes"):
                try:
                    os.rmdir(os.path.join(tree, f"{self.args.machine_prefix}{node.short}"))
                except OSError:
                    pass
        log(f"stopped {node.name} ({reason})")

    def write_state(self):
        path = os.path.join(self.args.state, "nodes.json")
        with open(path + ".tmp", "w") as f:
            json.dump([n.summary() for n in self.nodes.values()], f, indent=1)
        os.replace(path + ".tmp", path)

    def round(self):
        servers = [s for s in self.cloud.servers() if s["name"].startswith(self.args.prefix)
                   and s.get("status") not in ("DELETED", "ERROR")]
        changed = False
        live = {s["id"] for s in servers}
        for server in servers:
            if server["id"] in self.nodes or server["id"] in self.refused or server["id"] in self.booting:
                continue
            if created_at(server) < self.since:
                log(f"{server['name']} ({server['id']}): created {server.get('created')}, before this hypervisor "
                    "started: left by an earlier run, not booted")
                self.refused.add(server["id"])
            else:
                self.counter += 1
                self.booting[server["id"]] = self.pool.submit(self.boot, server, f"{self.counter:03d}")
        for server_id, boot in list(self.booting.items()):
            if not boot.done():
                continue
            del self.booting[server_id]
            if boot.exception() is not None:  # a cloud blip or a failed mount: tried again next round
                log(f"boot of server {server_id} failed: {boot.exception()}")
            elif boot.result():
                self.nodes[server_id] = boot.result()
                changed = True
        for node in self.nodes.values():  # a floating IP associated after the boot
            if node.floating is None and node.role == "master":
                _, floating = self.cloud.port_addresses(node.server_id)
                if floating:
                    node.floating = floating[0]
                    self.add_floating(node)
                    changed = True
        for server_id in list(self.nodes):
            if server_id not in live:
                self.stop(self.nodes.pop(server_id), "its server was deleted")
                changed = True
        if changed:
            self.write_state()

    def serve(self):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
        signal.signal(signal.SIGINT, lambda *_: stopping.append(1))
        self.host_up()
        self.write_state()
        log(f"watching Nova for servers named {self.args.prefix}* (bridge {self.args.bridge} {self.args.gateway})")
        while not stopping:
            try:
                self.round()
            except Exception as error:  # a cloud blip: try again next round
                log(f"round failed: {error}")
            for _ in range(10):
                if stopping:
                    break
                time.sleep(0.1)
        self.pool.shutdown(wait=True)  # a boot under way ends before everything is stopped
        for server_id, boot in self.booting.items():
            if boot.exception() is None and boot.result():
                self.nodes[server_id] = boot.result()
        for node in list(self.nodes.values()):
            self.stop(node, "the suite ends")
        self.nodes.clear()
        self.write_state()
        self.host_down()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-openrc", default="/etc/disco-openstack/admin-openrc.sh")
    parser.add_argument("--rootfs-map", required=True, type=lambda text: dict(
        pair.split("=", 1) for pair in text.split(",") if pair), help="IMAGE=DIR,... (Glance image name → rootfs)")
    parser.add_argument("--state", required=True)
    parser.add_argument("--bridge", default="discobr0")
    parser.add_argument("--gateway", default="10.42.0.1/24")
    parser.add_argument("--subnet", default="10.42.0.0/24")
    parser.add_argument("--prefix", default="", help="only servers whose name starts with this")
    parser.add_argument("--machine-prefix", default="disco-node-")
    parser.add_argument("--fault", choices=["apt-lock", "slow-first-boot"], default=None)
    Hypervisor(parser.parse_args()).serve()


if __name__ == "__main__":
    sys.exit(main())
