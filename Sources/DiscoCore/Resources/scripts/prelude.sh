# ---- DISCO prelude: shared functions; nothing runs before disco_main (the last line) ----
: "${DISCO_MIRROR:=https://archive.apache.org/dist}" "${DISCO_CHECKSUM_BASE:=https://archive.apache.org/dist}"
# The status page's files (public: progress only) and the deployment log (kept on the node: it names addresses and
# versions).
DISCO_WWW=/var/lib/disco/www DISCO_DEPLOYMENT_LOG=/var/lib/disco/deployment.log DISCO_ENV_FILE=/etc/disco/env DISCO_CURRENT=base
DISCO_USER='' DISCO_HOME='' DISCO_NODE_IP='' DISCO_APT_WHY='' DISCO_WHO="${DISCO_ROLE}${DISCO_NODE_INDEX}"
declare -A DISCO_STATE=()

disco_log() {
  local line
  line="$(date -u +%FT%TZ) [${DISCO_WHO}] $*"
  printf '%s\n' "$line"
  printf '%s\n' "$line" >>"$DISCO_DEPLOYMENT_LOG" 2>/dev/null || true
}
disco_step() { local c=$1; shift; disco_log "$c: $*"; }

# A JSON string literal for any text.
disco_json_str() {
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\r'/\\r}; s=${s//$'\t'/\\t}
  s=$(printf '%s' "$s" | tr -d '\000-\037\177')
  printf '"%s"' "$s"
}

# The wait condition's credentials (Heat's HEAT_SIGNAL map: auth_url, user_id, password, project_id, alarm_url…),
# filled in by Heat. Tokens are minted from them as needed: a token minted once with the stack expires (after an
# hour by Keystone's default) before a long install ends.
DISCO_WC_TOKEN='' DISCO_WC_TOKEN_AT=0
read -r -d '' DISCO_WC_SIGNAL <<'DISCO_WC_SIGNAL_END' || true
__DISCO_WC_SIGNAL__
DISCO_WC_SIGNAL_END

# disco_wc_field KEY: one field of the wait condition's credentials.
disco_wc_field() {
  python3 -c 'import json, sys; print(json.loads(sys.stdin.read()).get(sys.argv[1]) or "")' "$1" <<<"$DISCO_WC_SIGNAL"
}

# disco_wc_token: a token of the wait condition's user in DISCO_WC_TOKEN, minted when there is none or it is ten
# minutes old. The password reaches curl on its standard input, never on a command line or in the log.
disco_wc_token() {
  local url
  if [[ -n $DISCO_WC_TOKEN ]] && ((SECONDS - DISCO_WC_TOKEN_AT < 600)); then return 0; fi
  url=$(disco_wc_field auth_url) || return 1
  url=${url%/}
  [[ $url == */v3 ]] || url+=/v3
  DISCO_WC_TOKEN=$(python3 -c '
import json, sys
c = json.loads(sys.stdin.read())
user = {"id": c["user_id"]} if c.get("user_id") else {"name": c["username"], "domain": {"id": c["domain_id"]}}
user["password"] = c["password"]
print(json.dumps({"auth": {"identity": {"methods": ["password"], "password": {"user": user}},
                           "scope": {"project": {"id": c["project_id"]}}}}))' <<<"$DISCO_WC_SIGNAL" \
    | curl -fsS --max-time 30 -o /dev/null -D - -H 'Content-Type: application/json' --data-binary @- "$url/auth/tokens" \
    | tr -d '\r' | awk 'tolower($1) == "x-subject-token:" { print $2 }') || DISCO_WC_TOKEN=''
  [[ -n $DISCO_WC_TOKEN ]] || return 1
  DISCO_WC_TOKEN_AT=$SECONDS
}

# disco_signal STATUS ID REASON DATA: signals Heat's wait condition; never fails.
disco_signal() {
  local json i code url why
  json="{\"status\":$(disco_json_str "$1"),\"id\":$(disco_json_str "$2"),\"reason\":$(disco_json_str "$3"),\"data\":$(disco_json_str "$4")}"
  url=$(disco_wc_field alarm_url) || url=''
  for i in 1 2 3 4 5 6; do
    why='no token from Keystone'
    if disco_wc_token; then
      code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 30 -K - -H 'Content-Type: application/json' \
        -H 'Accept: application/json' --data-binary "$json" "$url" <<<"header = \"X-Auth-Token: $DISCO_WC_TOKEN\"") || code=000
      [[ $code != 2?? ]] || return 0
      [[ $code != 401 ]] || DISCO_WC_TOKEN=''
      why="HTTP $code from Heat"
    fi
    disco_log "the $1 signal for $2 was not delivered ($why); trying again in $((i * 5)) s"
    sleep $((i * 5))
  done
  disco_log "WARNING: could not deliver the $1 signal for $2"
}

disco_progress() {
  local c json sep=""
  DISCO_STATE[$1]=$2
  json="{\"cluster\":$(disco_json_str "$DISCO_CLUSTER"),\"node\":\"${DISCO_WHO}\",\"updated\":\"$(date -u +%FT%TZ)\",\"components\":{"
  for c in $DISCO_COMPONENTS; do json+="${sep}\"${c}\":\"${DISCO_STATE[$c]:-pending}\""; sep=","; done
  printf '%s}}\n' "$json" >"$DISCO_WWW/progress.json.tmp"
  mv -f "$DISCO_WWW/progress.json.tmp" "$DISCO_WWW/progress.json"
}

# disco_fail COMPONENT WHAT: reports this node's failure and stops its script.
disco_fail() {
  trap - ERR
  set +e
  disco_progress "$1" failed
  disco_log "FAILED $1: $2"
  [[ $DISCO_ROLE != master || ! -d $DISCO_ART/pub ]] || printf '%s failed on the master: %s\n' "$1" "$2" >"$DISCO_ART/pub/master.failed"
  disco_signal FAILURE "$1@${DISCO_ROLE}${DISCO_NODE_INDEX}" "$1 failed on ${DISCO_ROLE} ${DISCO_NODE_INDEX}: $2" \
    "see /var/log/disco-install.log on ${DISCO_ROLE} ${DISCO_NODE_INDEX} (${DISCO_NODE_IP:-?})"
  exit 1
}
disco_die() { disco_fail "$DISCO_CURRENT" "$*"; }

disco_on_err() {
  local what="line $2: '${3:0:200}' exited with $1"
  if [[ $BASHPID != "$$" ]]; then printf '%s\n' "$what" >/run/disco-suberr 2>/dev/null; exit "$1"; fi
  if [[ -s /run/disco-suberr ]]; then what+=" (in a subshell: $(head -c 300 /run/disco-suberr))"; fi
  disco_fail "$DISCO_CURRENT" "$what"
}

# The ERR trap, the log, the cluster user (ubuntu, debian or a new 'disco') and this node's address.
disco_init() {
  umask 022
  export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=C.UTF-8
  shopt -s inherit_errexit
  trap 'disco_on_err "$?" "$LINENO" "$BASH_COMMAND"' ERR
  mkdir -p "$DISCO_WWW" /etc/disco /var/cache/disco
  touch /var/log/disco-install.log "$DISCO_ENV_FILE"
  chmod 0640 /var/log/disco-install.log
  exec > >(tee -a /var/log/disco-install.log) 2>&1
  echo 0 >"$DISCO_WWW/progress.log"
  if id ubuntu >/dev/null 2>&1; then DISCO_USER=ubuntu
  elif id debian >/dev/null 2>&1; then DISCO_USER=debian
  else
    DISCO_USER=disco
    id disco >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --user-group disco
  fi
  DISCO_HOME=$(getent passwd "$DISCO_USER" | cut -d: -f6)
  DISCO_NODE_IP=$(ip -4 -o route get "$DISCO_MASTER_IP" 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' || true)
  [[ -n $DISCO_NODE_IP ]] || DISCO_NODE_IP=$(hostname -I | awk '{print $1}')
  disco_log "cluster ${DISCO_CLUSTER}: ${DISCO_ROLE} ${DISCO_NODE_INDEX} at ${DISCO_NODE_IP}, user ${DISCO_USER}, components: ${DISCO_COMPONENTS}"
}

# disco_env_set KEY VALUE: for services (EnvironmentFile), login shells and this script.
disco_env_set() {
  sed -i "/^$1=/d" "$DISCO_ENV_FILE"
  printf '%s="%s"\n' "$1" "$2" >>"$DISCO_ENV_FILE"
  export "$1=$2"
}

# disco_as_user CMD...: runs CMD as the cluster user with the DISCO environment.
disco_as_user() {
  runuser -u "$DISCO_USER" -- env -i HOME="$DISCO_HOME" USER="$DISCO_USER" LANG=C.UTF-8 \
    PATH=/usr/local/bin:/usr/bin:/bin bash -c 'set -a; . /etc/disco/env; set +a; exec "$@"' disco "$@"
}

# disco_apt_get COMMAND ARGS...: apt-get, retried with growing pauses for up to $DISCO_APT_WAIT seconds. apt-get
# gives up at once (exit 100) while another apt holds the lists lock (cloud-init's own apt, unattended-upgrades):
# DPkg::Lock::Timeout waits for the dpkg lock only. A failed install refreshes the lists before its next try.
# A node that cannot resolve the archive's name says so and gives up after $DISCO_APT_DNS_WAIT seconds; the reason of
# the last failure is left in DISCO_APT_WHY.
disco_apt_get() {
  local start=$SECONDS pause=5 rc why out host limit
  out=$(mktemp)
  while :; do
    rc=0
    apt-get -o DPkg::Lock::Timeout=600 "$@" 2>&1 | tee "$out" || rc=$?
    if ((rc == 0)); then rm -f "$out"; return 0; fi
    why=$(grep -E '^E: ' "$out" | tail -n 1 || true)
    limit=${DISCO_APT_WAIT:-1200}
    host=$(grep -oE "(Temporary failure resolving|Could not resolve) '[^']+'" "$out" | head -n 1 | cut -d"'" -f2 || true)
    if [[ -n $host ]]; then
      why="this node cannot resolve '$host': no working DNS server (check the DNS servers of the cluster's subnet)"
      limit=${DISCO_APT_DNS_WAIT:-180}
    fi
    DISCO_APT_WHY=${why:-exit $rc}
    if ((SECONDS + pause > start + limit)); then
      disco_log "apt-get $1 failed (exit $rc: ${why:-no error message}); giving up after $((SECONDS - start)) s"
      rm -f "$out"
      return "$rc"
    fi
    disco_log "apt-get $1 failed (exit $rc: ${why:-no error message}); retrying in $pause s"
    sleep "$pause"
    pause=$((pause * 2 > 60 ? 60 : pause * 2))
    if [[ $1 == install ]]; then apt-get -o DPkg::Lock::Timeout=600 -q update >/dev/null 2>&1 || true; fi
  done
}
disco_apt_update() { disco_apt_get update -q || disco_die "apt-get update failed: $DISCO_APT_WHY"; }
disco_apt() { disco_apt_get install -yq --no-install-recommends "$@" || disco_die "apt-get install $* failed: $DISCO_APT_WHY"; }

# '<hash>  <file>', 'SHA512 (<file>) = <hash>' or GPG style 'file: ABCD EF01 ...' -> lower-case hex.
disco_parse_sha512() {
  local h=${1%%[[:space:]]*}
  if [[ ! $h =~ ^[0-9a-fA-F]{128}$ ]]; then
    if [[ $1 == *"= "* ]]; then h=${1##*= }; else h=${1#*:}; fi
    h=${h//[[:space:]]/}
  fi
  printf '%s' "${h,,}"
}

# One download per cluster: the master fetches every artefact from the mirror once, beside its install, checks its
# SHA-512 (the pinned or else the published one) and leaves it in $DISCO_ART/pub with its SHA-512 beside it, or a
# .failed file saying why; its internal service (disco-internal) serves that directory on port $DISCO_ART_PORT of its
# cluster address (the security group admits members only).
# disco_artifact ID DEST puts the verified artefact at DEST. Sections marked disco:master / disco:workers reach only
# that role's script.
DISCO_ART=/var/lib/disco/artifacts DISCO_ART_PORT=8086
# disco:master
disco_prefetch() {
  local v p b want got i
  trap - ERR
  set +e
  cd "$DISCO_ART/tmp" || return
  for v in $(compgen -v DISCO_DL_ | grep '_PATH$'); do
    p=${!v} want=${v%_PATH}_SHA512 b=${p##*/}
    want=${!want}
    [[ ! -f ../pub/$b ]] || continue
    rm -f "../pub/$b.failed"
    [[ -n $want ]] || want=$(disco_parse_sha512 "$(curl -fsSL --retry 5 --retry-delay 5 --retry-all-errors "$DISCO_CHECKSUM_BASE/$p.sha512")")
    for i in 1 2 3; do
      [[ $want =~ ^[0-9a-f]{128}$ ]] || { echo "no usable SHA-512 at $DISCO_CHECKSUM_BASE/$p.sha512" >"../pub/$b.failed"; continue 2; }
      curl -fsSL --retry 5 --retry-delay 10 --retry-all-errors -Y 10240 -y 120 -o "$b" "$DISCO_MIRROR/$p"
      got=$(sha512sum "$b")
      if [[ ${got%% *} == "$want" ]]; then echo "$want" >"../pub/$b.sha512"; mv -f "$b" ../pub/; continue 2; fi
      disco_log "download $i of $DISCO_MIRROR/$p failed or its SHA-512 is not $want"
      rm -f "$b"
      sleep $((i * 15))
    done
    echo "$DISCO_MIRROR/$p: download failed or SHA-512 mismatch" >"../pub/$b.failed"
  done
}

# The master links its own copy once its prefetch is done.
disco_artifact() {
  local id=${1^^} v
  v=DISCO_DL_${id//-/_}_PATH
  wait "${DISCO_PREFETCH-}" || true
  ln -f "$DISCO_ART/pub/${!v##*/}" "$2" || disco_die "$(cat "$DISCO_ART/pub/${!v##*/}.failed")"
}
# disco:end
# disco:workers
# disco_from_master FILE DEST NOT-YET [CURL-OPTION...]: copies FILE from the master's port $DISCO_ART_PORT, waiting for
# the master at most $DISCO_ARTIFACT_WAIT s (NOT-YET says why while it answers without the file); it stops at once,
# saying why, when the master could not provide it (FILE.failed) or its install failed.
disco_from_master() {
  local why rc said=0 end src=http://$DISCO_MASTER_IP:$DISCO_ART_PORT
  end=$((SECONDS + ${DISCO_ARTIFACT_WAIT:=3600}))
  until rc=0; curl -fs -Y 10240 -y 60 "${@:4}" -o "$2" "$src/$1" || rc=$?; ((rc == 0)); do
    ! why=$(curl -fs "$src/$1.failed" || curl -fs "$src/master.failed") || disco_die "the master cannot provide $1: $why"
    why=$3
    ((rc != 7)) || why="no answer from the master yet"
    ((SECONDS < end)) || disco_die "$1: not provided by the master within $DISCO_ARTIFACT_WAIT s ($why)"
    if ((SECONDS >= said)); then disco_log "waiting for $1: $why"; said=$((SECONDS + 60)); fi
    sleep 2
  done
}

# A worker copies the master's and checks its SHA-512 again.
disco_artifact() {
  local id=${1^^} b want got src=http://$DISCO_MASTER_IP:$DISCO_ART_PORT
  id=${id//-/_}
  local pv="DISCO_DL_${id}_PATH" sv="DISCO_DL_${id}_SHA512"
  b=${!pv##*/}
  disco_from_master "$b" "$2" "the master has not downloaded it yet"
  want=${!sv:-$(curl -fs "$src/$b.sha512" || true)} got=$(sha512sum "$2")
  [[ -n $want && ${got%% *} == "$want" ]] || disco_die "the master's copy of $b has another SHA-512 than ${want:-it published}"
}
# disco:end

# disco_unpack ID NAME: fetches a .tgz/.tar.gz once, unpacks it to /opt/<archive name>, links /opt/NAME.
disco_unpack() {
  local id=${1^^} base dir
  id=${id//-/_}
  local pv="DISCO_DL_${id}_PATH"
  base=${!pv:-}; base=${base##*/}; dir=${base%.tgz}; dir="/opt/${dir%.tar.gz}"
  [[ -n $base ]] || disco_die "no download path for $1"
  if [[ ! -f $dir/.disco-unpacked ]]; then
    disco_artifact "$1" "/var/cache/disco/$base"
    rm -rf "$dir"; mkdir -p "$dir"
    tar -xzf "/var/cache/disco/$base" -C "$dir" --strip-components=1 --no-same-owner
    touch "$dir/.disco-unpacked"
    rm -f "/var/cache/disco/$base"
  fi
  ln -sfn "$dir" "/opt/$2"
}

# disco_service NAME USER CMD...: a systemd unit, restarted on failure and started at boot.
# Extra [Service] lines: DISCO_UNIT_EXTRA=$'Key=value\n...' disco_service ...
disco_service() {
  local name=$1 user=$2 a exec=""
  shift 2
  for a in "$@"; do a=${a//\\/\\\\}; a=${a//\"/\\\"}; a=${a//%/%%}; exec+=" \"${a//\$/\$\$}\""; done
  cat >"/etc/systemd/system/$name.service" <<EOF
[Unit]
Description=DISCO $name
After=network-online.target
Wants=network-online.target
StartLimitIntervalSec=0
[Service]
User=$user
EnvironmentFile=-$DISCO_ENV_FILE
${DISCO_UNIT_EXTRA:-}
ExecStart=${exec# }
Restart=on-failure
RestartSec=10
SuccessExitStatus=143
LimitNOFILE=65536
[Install]
WantedBy=multi-user.target
EOF
  systemctl daemon-reload
  systemctl enable "$name.service" >/dev/null 2>&1
  systemctl restart "$name.service"
  disco_health_add units "$DISCO_CURRENT $name"
  disco_log "service $name started"
}

# disco_health_add units|probes LINE: the health gatherer watches a daemon ('component unit') or a readiness probe
# ('component url URL' / 'component port N') from now on.
disco_health_add() {
  grep -qxF -- "$2" "/etc/disco/health-$1" 2>/dev/null || printf '%s\n' "$2" >>"/etc/disco/health-$1"
}

# The waits below are on the way to a component's signal: they look often (a probe costs little; a count may start a
# JVM, so it looks a little less often).
# disco_wait_port PORT TIMEOUT [HOST]
disco_wait_port() {
  local end=$((SECONDS + $2))
  until timeout 5 bash -c "exec 3<>/dev/tcp/${3:-127.0.0.1}/$1" 2>/dev/null; do
    ((SECONDS < end)) || { disco_log "port ${3:-127.0.0.1}:$1 not open after $2 s"; return 1; }
    sleep 2
  done
}

# disco_wait_url URL TIMEOUT: waits for a 2xx/3xx answer.
disco_wait_url() {
  local end=$((SECONDS + $2))
  until curl -fsSk -o /dev/null --max-time 10 "$1" 2>/dev/null; do
    ((SECONDS < end)) || { disco_log "$1 not answering after $2 s"; return 1; }
    sleep 2
  done
}

# disco_wait_count TIMEOUT WANT WHAT CMD...: waits until CMD prints a number >= WANT.
disco_wait_count() {
  local end=$(($1 + SECONDS)) want=$2 what=$3 n=0
  shift 3
  while ((SECONDS < end)); do
    n=$("$@" 2>/dev/null || true)
    [[ $n =~ ^[0-9]+$ ]] || n=0
    ((n < want)) || { disco_log "$what: $n of $want"; return 0; }
    sleep 3
  done
  disco_log "$what: only $n of $want"
  return 1
}

# disco_json_field URL KEY.PATH: prints one field of a JSON document.
disco_json_field() {
  curl -fsS --max-time 10 "$1" | python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v)' "$2"
}

disco_has() { [[ " $DISCO_COMPONENTS " == *" $1 "* ]]; }

disco_main() {
  local c f t0=$SECONDS
  disco_init
  for c in $DISCO_COMPONENTS; do
    f=${c//-/_} DISCO_CURRENT=$c
    rm -f /run/disco-suberr
    disco_progress "$c" installing
    disco_step "$c" installing
    if declare -F "disco_${f}_all" >/dev/null; then "disco_${f}_all"; fi
    if [[ $DISCO_ROLE == master ]]; then
      if declare -F "disco_${f}_master" >/dev/null; then "disco_${f}_master"; fi
      if declare -F "disco_${f}_ready" >/dev/null && ! "disco_${f}_ready"; then
        disco_fail "$c" "readiness check timed out"
      fi
      disco_progress "$c" ready
      disco_step "$c" "ready after $((SECONDS - t0)) s"
      disco_signal SUCCESS "$c" "$c ready" "$c ready after $((SECONDS - t0)) s"
    else
      if declare -F "disco_${f}_workers" >/dev/null; then "disco_${f}_workers"; fi
      disco_progress "$c" ready
    fi
  done
  echo 1 >"$DISCO_WWW/progress.log"
  disco_log "all components installed after $((SECONDS - t0)) s"
  if [[ $DISCO_ROLE != master ]]; then
    # Counted by the install wait: a create, and a scale that adds workers, completes once every worker is installed.
    disco_signal SUCCESS "worker@$(disco_instance_id)" "worker ${DISCO_NODE_INDEX} installed" \
      "worker ${DISCO_NODE_INDEX} (${DISCO_NODE_IP:-?}) installed after $((SECONDS - t0)) s"
  fi
}

# disco_instance_id: this server's id (cloud-init's instance id, else the machine id): one per server, so a worker
# that takes the place of a removed one signals anew, and a second run of the user data does not.
disco_instance_id() {
  local id=''
  id=$(cat /var/lib/cloud/data/instance-id 2>/dev/null) || id=''
  [[ -n $id ]] || id=$(cat /etc/machine-id 2>/dev/null) || id=''
  printf '%s' "${id:-$(hostname)}"
}
