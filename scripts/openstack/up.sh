#!/usr/bin/env bash
# Real OpenStack on 127.0.0.1 for DISCO's integration tests (Debian 12 packages, OpenStack Zed):
# MariaDB, RabbitMQ, Keystone, Heat, Placement, Glance, Neutron (ML2, no agents) and Nova with
# the fake virt driver. No systemd: every daemon is started here and its PID recorded.
#
#   sudo scripts/openstack/up.sh       # install (first time), configure, start, bootstrap, wait
#   . /etc/disco-openstack/demo-openrc.sh   # OS_* for user demo + DISCO_OPENSTACK_OPENRC
#   sudo scripts/openstack/down.sh     # stop exactly what up.sh started
#
# Idempotent: a rerun starts only what is not running and re-applies configs, DB schemas and
# cloud objects. Environment: DISCO_OS_PASSWORD (service/DB/rabbit users), DISCO_OS_DEMO_PASSWORD,
# DISCO_OS_ADMIN_PASSWORD, DISCO_OS_SKIP_INSTALL=1.
#
# Cloud objects: project+user demo (roles member, heat_stack_owner), admin, image ubuntu-22.04
# (1 KiB, never read by the fake driver), flavors m1.small/medium/large, external network public
# (203.0.113.0/24, TEST-NET-3: rows in the DB only, there is no data plane; the allocation pool leaves out any
# address of this host's package registries, which the real-node suite's floating IP routes would shadow).
# Paths: configs and openrc files in /etc/disco-openstack, logs in /var/log/disco-openstack,
# PIDs in /run/disco-openstack/<name>.pid (+ <name>.match, a command-line fragment down.sh checks).
# $K/$N/$missing are option and package lists split on purpose; /proc children files are one line of PIDs.
# shellcheck disable=SC2086,SC2013,SC2012,SC2155
set -Eeuo pipefail

PW=${DISCO_OS_PASSWORD:-disco-os-secret}
ADMIN_PW=${DISCO_OS_ADMIN_PASSWORD:-admin-secret}
DEMO_PW=${DISCO_OS_DEMO_PASSWORD:-demo-secret}
ETC=/etc/disco-openstack LOG=/var/log/disco-openstack RUN=/run/disco-openstack
IP=127.0.0.1 KS=http://127.0.0.1:5000 REGION=RegionOne
RABBIT=rabbit://openstack:$PW@$IP:5672/
NOVA_HOST=host-ovs-no_filter   # the ML2 "test" mechanism driver binds ports of this host only
export DEBIAN_FRONTEND=noninteractive PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

T0=$(date +%s)
say() { printf '[up %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
die() { say "ERROR: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root"
install -d -m 755 "$ETC" "$LOG" "$RUN"

# ---- 1. packages (never nova-compute: it pulls libvirt and qemu; the fake driver needs python3-nova only)
PKGS="mariadb-server python3-pymysql rabbitmq-server keystone heat-api heat-engine placement-api
 glance-api neutron-server nova-api nova-conductor nova-scheduler python3-openstackclient
 python3-heatclient curl jq openssh-client"
missing=$(for p in $PKGS; do dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || echo "$p"; done)
if [ -n "$missing" ] && [ "${DISCO_OS_SKIP_INSTALL:-0}" != 1 ]; then
  say "installing $(echo "$missing" | wc -w) packages (and their dependencies)"
  # no init system: keep maintainer scripts from starting daemons
  [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d
                                    trap 'rm -f /usr/sbin/policy-rc.d' EXIT; }
  apt-get update -qq
  t=$(date +%s)
  # shellcheck disable=SC2086  # one word per package
  apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold $missing \
    >>"$LOG/apt.log" 2>&1 || { tail -20 "$LOG/apt.log"; die "apt-get install failed (see $LOG/apt.log)"; }
  say "apt-get install took $(( $(date +%s) - t ))s"
fi

# ---- helpers
running() {  # name: is the recorded PID alive and still the command we started?
  local pid; pid=$(cat "$RUN/$1.pid" 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null && grep -qaF "$(cat "$RUN/$1.match")" "/proc/$pid/cmdline" 2>/dev/null
}
start() {  # name user match command...   (setsid/setpriv/env exec, so $! is the daemon itself)
  local name=$1 user=$2 match=$3; shift 3
  if running "$name"; then say "$name already running (pid $(cat "$RUN/$name.pid"))"; return; fi
  setsid setpriv --reuid="$user" --regid="$user" --init-groups -- "$@" >>"$LOG/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"; printf '%s' "$match" >"$RUN/$name.match"
  say "started $name (pid $!)"
}
wait_http() {  # name url
  local t=$(date +%s) code
  until code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$2") && [[ $code =~ ^(2|3|401|404) ]]; do
    running "$1" || { tail -20 "$LOG/$1.log"; die "$1 died"; }
    [ $(( $(date +%s) - t )) -lt 240 ] || { tail -20 "$LOG/$1.log"; die "$1 does not answer at $2"; }
    sleep 1
  done
}
as() { local u=$1; shift; setpriv --reuid="$u" --regid="$u" --init-groups -- "$@" >>"$LOG/manage.log" 2>&1 \
         || { tail -20 "$LOG/manage.log"; die "failed: $*"; }; }
db() { echo "mysql+pymysql://${1%%_*}:$PW@$IP/$1?charset=utf8"; }
conf() {  # file owner-group: write stdin as a config readable by the service group only
  install -d -m 755 "$(dirname "$1")"; cat >"$1"; chmod 640 "$1"; chgrp "$2" "$1"
}
creds() {  # section user: keystone password credentials of a service user
  printf '[%s]\nauth_url = %s\nauth_type = password\nproject_domain_name = Default\nuser_domain_name = Default\nproject_name = service\nusername = %s\npassword = %s\nregion_name = %s\n' "$1" "$KS" "$2" "$PW" "$REGION"
}
authtoken() { creds keystone_authtoken "$1"; printf 'www_authenticate_uri = %s\nservice_token_roles_required = true\n' "$KS"; }

# ---- 2. MariaDB and RabbitMQ
install -d -o mysql -g mysql /run/mysqld
[ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql --datadir=/var/lib/mysql >>"$LOG/manage.log"
start mariadb root mariadbd /usr/sbin/mariadbd --user=mysql --datadir=/var/lib/mysql --bind-address=$IP \
  --port=3306 --socket=/run/mysqld/mysqld.sock --skip-name-resolve --max-connections=1000 \
  --innodb-buffer-pool-size=64M --character-set-server=utf8mb4 --log-error=
for _ in $(seq 60); do mariadb-admin -uroot ping >/dev/null 2>&1 && break; sleep 1; done
for d in keystone heat placement glance neutron nova_api nova nova_cell0; do u=${d%%_*}
  mariadb -uroot -e "CREATE DATABASE IF NOT EXISTS $d; CREATE USER IF NOT EXISTS '$u'@'127.0.0.1';
    ALTER USER '$u'@'127.0.0.1' IDENTIFIED BY '$PW'; GRANT ALL ON $d.* TO '$u'@'127.0.0.1';"
done
OLD_HOME=${HOME:-/root}
export RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=$IP RABBITMQ_NODE_PORT=5672 \
  RABBITMQ_DIST_PORT=25672 ERL_EPMD_ADDRESS=$IP RABBITMQ_LOGS=- HOME=/var/lib/rabbitmq \
  RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
  RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
start epmd rabbitmq epmd /usr/bin/epmd -address $IP
start rabbitmq rabbitmq rabbit /usr/lib/rabbitmq/bin/rabbitmq-server
# await_startup fails at once while the node is not reachable yet, so ask again
for _ in $(seq 60); do
  setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmqctl -q await_startup --timeout 60 \
    >/dev/null 2>&1 && break
  running rabbitmq || { tail -20 "$LOG/rabbitmq.log"; die "rabbitmq died"; }
  sleep 1
done
as rabbitmq /usr/lib/rabbitmq/bin/rabbitmqctl -q await_startup --timeout 10
as rabbitmq sh -c "/usr/lib/rabbitmq/bin/rabbitmqctl -q add_user openstack '$PW' || /usr/lib/rabbitmq/bin/rabbitmqctl -q change_password openstack '$PW'"
as rabbitmq /usr/lib/rabbitmq/bin/rabbitmqctl -q set_permissions openstack '.*' '.*' '.*'
export HOME=$OLD_HOME
say "mariadb and rabbitmq ready"

# ---- 3. Keystone (uwsgi; "Connection: close" because uwsgi closes kept-alive sockets anyway)
conf $ETC/keystone.conf keystone <<EOF
[DEFAULT]
use_stderr = true
[database]
connection = $(db keystone)
[token]
provider = fernet
[identity]
password_hash_rounds = 4
[security_compliance]
# Unrestricted application credentials may manage trusts (DISCO's unrestricted_credentials; restricted ones still may not).
allow_insecure_application_credential_trust_escalation = true
EOF
K="--config-file $ETC/keystone.conf"
as keystone keystone-manage $K db_sync
as root keystone-manage $K fernet_setup --keystone-user keystone --keystone-group keystone
as root keystone-manage $K credential_setup --keystone-user keystone --keystone-group keystone
as keystone keystone-manage $K bootstrap --bootstrap-password "$ADMIN_PW" --bootstrap-region-id $REGION \
  --bootstrap-admin-url $KS/v3/ --bootstrap-internal-url $KS/v3/ --bootstrap-public-url $KS/v3/
start keystone keystone keystone-wsgi-public env OS_KEYSTONE_CONFIG_FILES=$ETC/keystone.conf \
  /usr/bin/uwsgi --plugins python3 --http-socket $IP:5000 --wsgi-file /usr/bin/keystone-wsgi-public \
  --master --processes 2 --threads 4 --enable-threads --lazy-apps --die-on-term --need-app \
  --buffer-size 65535 --add-header "Connection: close"
wait_http keystone $KS/v3

openrc() {  # user password project
  cat <<EOF
export OS_AUTH_URL=$KS/v3
export OS_IDENTITY_API_VERSION=3
export OS_REGION_NAME=$REGION
export OS_INTERFACE=public
export OS_USERNAME=$1
export OS_PASSWORD=$2
export OS_PROJECT_NAME=$3
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
EOF
  [ "$1" != demo ] || echo "export DISCO_OPENSTACK_OPENRC=$ETC/demo-openrc.sh   # DISCO's integration tests run when set"
}
openrc admin "$ADMIN_PW" admin >$ETC/admin-openrc.sh
openrc demo "$DEMO_PW" demo >$ETC/demo-openrc.sh.new
chmod 644 $ETC/admin-openrc.sh $ETC/demo-openrc.sh.new   # test passwords; the tests run as any user
say "keystone answers; creating users, roles, services and endpoints"
ADMIN_PW=$ADMIN_PW DEMO_PW=$DEMO_PW PW=$PW KS=$KS REGION=$REGION python3 - <<'PY' >>"$LOG/manage.log" 2>&1 || die "identity bootstrap failed (see $LOG/manage.log)"
import os
from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client
e = os.environ
ks = client.Client(session=session.Session(auth=v3.Password(auth_url=e["KS"] + "/v3", username="admin",
    password=e["ADMIN_PW"], project_name="admin", user_domain_id="default", project_domain_id="default")))
first = lambda xs: xs[0] if xs else None
role = lambda n: first(ks.roles.list(name=n)) or ks.roles.create(n)
domain = lambda n: first(ks.domains.list(name=n)) or ks.domains.create(n)
project = lambda n: first(ks.projects.list(name=n, domain="default")) or ks.projects.create(n, "default")
def user(name, pw, dom="default"):
    u = first(ks.users.list(name=name, domain=dom))
    return ks.users.update(u, password=pw) if u else ks.users.create(name, domain=dom, password=pw)
admin, member, service_role, owner = role("admin"), role("member"), role("service"), role("heat_stack_owner")
role("heat_stack_user")
service, demo = project("service"), project("demo")
demo_user = user("demo", e["DEMO_PW"])
for r in (member, owner):
    ks.roles.grant(r, user=demo_user, project=demo)
ks.roles.grant(owner, user=first(ks.users.list(name="admin")), project=first(ks.projects.list(name="admin")))
heat_domain = domain("heat")   # Heat's stack users (the wait condition handles' signal tokens) live here
ks.roles.grant(admin, user=user("heat_domain_admin", e["PW"], heat_domain), domain=heat_domain)
for name, kind, url in (("heat", "orchestration", ":8004/v1/%(tenant_id)s"), ("placement", "placement", ":8778"),
                        ("glance", "image", ":9292"), ("neutron", "network", ":9696"), ("nova", "compute", ":8774/v2.1")):
    u = user(name, e["PW"])
    for r in (admin, service_role):
        ks.roles.grant(r, user=u, project=service)
    svc = first(ks.services.list(type=kind)) or ks.services.create(name, kind)
    for iface in ("public", "internal", "admin"):
        ep = first(ks.endpoints.list(service=svc, interface=iface, region=e["REGION"]))
        if ep is None:
            ks.endpoints.create(svc, "http://127.0.0.1" + url, interface=iface, region=e["REGION"])
print("identity ok")
PY

# ---- 4. Heat
install -d -o heat -g heat /var/lib/heat/lock
conf $ETC/heat.conf heat <<EOF
[DEFAULT]
use_stderr = true
transport_url = $RABBIT
region_name_for_services = $REGION
num_engine_workers = 1
graceful_shutdown_timeout = 5
auth_encryption_key = $(printf %s "$PW" | md5sum | cut -c1-32)
stack_user_domain_name = heat
stack_domain_admin = heat_domain_admin
stack_domain_admin_password = $PW
heat_metadata_server_url = http://$IP:8000
heat_waitcondition_server_url = http://$IP:8000/v1/waitcondition
[database]
connection = $(db heat)
[heat_api]
bind_host = $IP
bind_port = 8004
workers = 1
[clients_keystone]
auth_uri = $KS
[clients]
endpoint_type = publicURL
[trustee]
# no project here: Heat adds the trust id, and a project as well would be two scopes
auth_type = password
auth_url = $KS
username = heat
password = $PW
user_domain_name = Default
[oslo_messaging_notifications]
driver = noop
[oslo_concurrency]
lock_path = /var/lib/heat/lock
$(authtoken heat)
EOF
as heat heat-manage --config-file $ETC/heat.conf db_sync
start heat-engine heat heat-engine /usr/bin/heat-engine --config-file $ETC/heat.conf
start heat-api heat heat-api /usr/bin/heat-api --config-file $ETC/heat.conf

# ---- 5. Placement and Glance
conf $ETC/placement/placement.conf placement <<EOF
[DEFAULT]
use_stderr = true
[api]
auth_strategy = keystone
[placement_database]
connection = $(db placement)
$(authtoken placement)
EOF
as placement placement-manage --config-file $ETC/placement/placement.conf db sync
start placement placement placement-api env OS_PLACEMENT_CONFIG_DIR=$ETC/placement \
  /usr/bin/uwsgi --plugins python3 --http-socket $IP:8778 --wsgi-file /usr/bin/placement-api \
  --master --processes 1 --threads 4 --enable-threads --lazy-apps --die-on-term --need-app \
  --buffer-size 65535 --add-header "Connection: close"
install -d -o glance -g glance /var/lib/glance/images /var/lib/glance/staging /var/lib/glance/lock
conf $ETC/glance-api.conf glance <<EOF
[DEFAULT]
use_stderr = true
bind_host = $IP
bind_port = 9292
workers = 1
graceful_shutdown_timeout = 5
node_staging_uri = file:///var/lib/glance/staging
[database]
connection = $(db glance)
[glance_store]
stores = file
default_store = file
filesystem_store_datadir = /var/lib/glance/images/
[paste_deploy]
flavor = keystone
config_file = /etc/glance/glance-api-paste.ini
[oslo_concurrency]
lock_path = /var/lib/glance/lock
$(authtoken glance)
EOF
as glance glance-manage --config-file $ETC/glance-api.conf db_sync
start glance-api glance glance-api /usr/bin/glance-api --config-file $ETC/glance-api.conf

# ---- 6. Neutron: ML2 without agents. Ports are bound by the "test" mechanism driver shipped in
# python3-neutron; its bookkeeping asserts assume a unit-test process, so PYTHONOPTIMIZE=1 drops them.
install -d -o neutron -g neutron /var/lib/neutron/lock /var/lib/neutron/pycache
conf $ETC/neutron.conf neutron <<EOF
[DEFAULT]
use_stderr = true
bind_host = $IP
bind_port = 9696
core_plugin = ml2
service_plugins = router
transport_url = $RABBIT
api_workers = 1
rpc_workers = 1
rpc_state_report_workers = 0
graceful_shutdown_timeout = 5
dhcp_agent_notification = false
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = true
state_path = /var/lib/neutron
api_paste_config = /etc/neutron/api-paste.ini
[database]
connection = $(db neutron)
[ml2]
type_drivers = flat,vxlan
tenant_network_types = vxlan
mechanism_drivers = test
extension_drivers = port_security
[ml2_type_vxlan]
vni_ranges = 1:1000
[ml2_type_flat]
flat_networks = public
$(creds nova nova)
[oslo_concurrency]
lock_path = /var/lib/neutron/lock
[oslo_messaging_notifications]
driver = noop
$(authtoken neutron)
EOF
as neutron neutron-db-manage --config-file $ETC/neutron.conf upgrade heads
start neutron-server neutron neutron-server env PYTHONOPTIMIZE=1 PYTHONPYCACHEPREFIX=/var/lib/neutron/pycache \
  /usr/bin/neutron-server --config-file $ETC/neutron.conf

# ---- 7. Nova: api, conductor, scheduler, and compute with the fake driver (no DB access for compute)
install -d -o nova -g nova /var/lib/nova/instances /var/lib/nova/lock
conf $ETC/nova-compute.conf nova <<EOF
[DEFAULT]
use_stderr = true
transport_url = $RABBIT
my_ip = $IP
host = $NOVA_HOST
state_path = /var/lib/nova
compute_driver = fake.FakeDriver
enabled_apis = osapi_compute
osapi_compute_listen = $IP
osapi_compute_workers = 1
graceful_shutdown_timeout = 5
[wsgi]
api_paste_config = /etc/nova/api-paste.ini
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 5
[glance]
region_name = $REGION
$(creds placement nova)
$(creds neutron neutron)
$(creds service_user nova)
send_service_user_token = true
[vnc]
enabled = false
[oslo_concurrency]
lock_path = /var/lib/nova/lock
[oslo_messaging_notifications]
driver = noop
$(authtoken nova)
EOF
{ cat $ETC/nova-compute.conf; printf '[api_database]\nconnection = %s\n[database]\nconnection = %s\n' "$(db nova_api)" "$(db nova)"; } \
  | conf $ETC/nova.conf nova
N="--config-file $ETC/nova.conf"
as nova nova-manage $N api_db sync
cells=$(setpriv --reuid=nova --regid=nova --init-groups nova-manage $N cell_v2 list_cells 2>/dev/null || true)
grep -q ' cell0 ' <<<"$cells" || as nova nova-manage $N cell_v2 map_cell0 --database_connection "$(db nova_cell0)"
grep -q ' cell1 ' <<<"$cells" || as nova nova-manage $N cell_v2 create_cell --name=cell1
as nova nova-manage $N db sync
start nova-conductor nova nova-conductor /usr/bin/nova-conductor $N
start nova-scheduler nova nova-scheduler /usr/bin/nova-scheduler $N
start nova-compute nova nova.cmd.compute /usr/bin/python3 -c \
  'import sys; sys.argv[0] = "nova-compute"; from nova.cmd.compute import main; sys.exit(main())' \
  --config-file $ETC/nova-compute.conf
start nova-api nova nova-api /usr/bin/nova-api $N
wait_http heat-api http://$IP:8004/
wait_http placement http://$IP:8778/
wait_http glance-api http://$IP:9292/
wait_http neutron-server http://$IP:9696/
wait_http nova-api http://$IP:8774/
say "all APIs answer; waiting for the compute host, then creating image, flavors, network, quotas"

# ---- 8. cloud objects (as admin, openstacksdk): the fake driver never reads the image
ADMIN_PW=$ADMIN_PW KS=$KS REGION=$REGION python3 - <<'PY' >>"$LOG/manage.log" 2>&1 || die "cloud objects failed (see $LOG/manage.log)"
import io, os, socket, time, openstack
e = os.environ
c = openstack.connect(auth_url=e["KS"] + "/v3", username="admin", password=e["ADMIN_PW"], project_name="admin",
                      user_domain_name="Default", project_domain_name="Default", region_name=e["REGION"])
for _ in range(180):   # the scheduler maps new compute hosts to cell1 every 5 s
    if list(c.compute.hypervisors()):
        break
    time.sleep(1)
else:
    raise SystemExit("nova-compute never showed up as a hypervisor")
for fid, name, ram, vcpus, disk in (("2", "m1.small", 2048, 1, 20), ("3", "m1.medium", 4096, 2, 40),
                                    ("4", "m1.large", 8192, 4, 80)):
    c.compute.find_flavor(name) or c.compute.create_flavor(id=fid, name=name, ram=ram, vcpus=vcpus, disk=disk)
img = c.image.find_image("ubuntu-22.04")
if img is not None and img.status != "active":
    c.image.delete_image(img); img = None
img or c.image.create_image(name="ubuntu-22.04", disk_format="raw", container_format="bare",
                            visibility="public", data=io.BytesIO(b"\0" * 1024))
net = c.network.find_network("public") or c.network.create_network(
    name="public", is_router_external=True, provider_network_type="flat", provider_physical_network="public")
# The real-node suite routes each floating IP to its container on this host (scripts/nodes/hypervisor.py): the pool
# leaves out every address this host's package registries resolve to (an egress proxy in 203.0.113.0/24 answered for
# all of them here), else a node given one cuts the host and the nodes off from Debian's and PyPI's packages.
registries = set()
for host in ("deb.debian.org", "security.debian.org", "snapshot.debian.org", "pypi.org", "files.pythonhosted.org"):
    try:
        registries.update(socket.gethostbyname_ex(host)[2])
    except OSError:
        pass
pools, first = [], 10
for last in range(10, 251):
    if f"203.0.113.{last}" in registries:
        if last > first:
            pools.append({"start": f"203.0.113.{first}", "end": f"203.0.113.{last - 1}"})
        first = last + 1
if first <= 250:
    pools.append({"start": f"203.0.113.{first}", "end": "203.0.113.250"})
subnet = c.network.find_subnet("public-subnet")
if subnet is None:
    c.network.create_subnet(name="public-subnet", network_id=net.id, ip_version=4, cidr="203.0.113.0/24",
                            gateway_ip="203.0.113.1", is_dhcp_enabled=False, allocation_pools=pools)
elif subnet.allocation_pools != pools:
    c.network.update_subnet(subnet, allocation_pools=pools)
print("public pool:", pools, "(registries at", sorted(registries), ")")
demo = c.identity.find_project("demo", domain_id="default")
c.set_compute_quotas(demo.id, instances=40, cores=200, ram=400000, key_pairs=100)
c.set_network_quotas(demo.id, network=50, subnet=50, port=200, router=50, floatingip=50, security_group=50,
                     security_group_rule=500)
print("cloud objects ok")
PY

# ---- 9. ready: a demo token through the full stack, then publish the openrc
tok=$(curl -sf -D - -o /dev/null -H 'Content-Type: application/json' $KS/v3/auth/tokens -d "$(jq -n --arg p "$DEMO_PW" \
  '{auth:{identity:{methods:["password"],password:{user:{name:"demo",domain:{id:"default"},password:$p}}},
    scope:{project:{name:"demo",domain:{id:"default"}}}}}')" | awk 'tolower($1)=="x-subject-token:"{print $2}' | tr -d '\r')
[ -n "$tok" ] || die "no demo token"
curl -sf -H "X-Auth-Token: $tok" http://$IP:8774/v2.1/flavors >/dev/null || die "nova refuses the demo token"
curl -sf -H "X-Auth-Token: $tok" "http://$IP:9696/v2.0/networks?name=public" | grep -q public || die "no public network"
mv $ETC/demo-openrc.sh.new $ETC/demo-openrc.sh
tree() { echo "$1"; local c; for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree "$c"; done; }
rss=0; for f in "$RUN"/*.pid; do for q in $(tree "$(cat "$f")"); do
  rss=$(( rss + $(awk '/^VmRSS/{print $2}' /proc/"$q"/status 2>/dev/null || echo 0) )); done; done
say "ready: $(ls "$RUN"/*.pid | wc -l) daemons, RSS $(( rss / 1024 )) MiB; . $ETC/demo-openrc.sh (logs $LOG, PIDs $RUN)"
