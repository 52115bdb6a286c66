# base: OS, Java, host names, internal SSH, status page (all nodes).
local host pub jdk
disco_step base "preparing the operating system"

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
DISCO_UNIT_EXTRA=$'DynamicUser=yes\nProtectSystem=strict\nProtectHome=yes\nPrivateTmp=yes\nNoNewPrivileges=yes\nWorkingDirectory=/var/lib/disco/www' \
  disco_service disco-status disco-status /usr/bin/python3 -m http.server 8084 --directory /var/lib/disco/www
