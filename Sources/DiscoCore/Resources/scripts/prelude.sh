# ---------------------------------------------------------------------------
# DISCO prelude: the shared library of every node's install script.
# Defining functions only; nothing runs before disco_main (the last line).
# ---------------------------------------------------------------------------
: "${DISCO_MIRROR:=https://archive.apache.org/dist}"
: "${DISCO_CHECKSUM_BASE:=https://archive.apache.org/dist}"
DISCO_WWW=/var/lib/disco/www
DISCO_ENV_FILE=/etc/disco/env
DISCO_CURRENT=base
DISCO_USER=
DISCO_HOME=
DISCO_NODE_IP=
DISCO_WHO="${DISCO_ROLE}${DISCO_NODE_INDEX}"
declare -A DISCO_STATE=()

disco_log() {
  local line
  line="$(date -u +%Y-%m-%dT%H:%M:%SZ) [${DISCO_WHO}] $*"
  printf '%s\n' "$line"
  printf '%s\n' "$line" >>"$DISCO_WWW/deployment.log" 2>/dev/null || true
}

disco_step() { local c=$1; shift; disco_log "$c: $*"; }

# A JSON string literal (quotes included) for any text.
disco_json_str() {
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}; s=${s//$'\r'/\\r}; s=${s//$'\t'/\\t}
  s=$(printf '%s' "$s" | tr -d '\000-\037\177')
  printf '"%s"' "$s"
}

# disco_signal STATUS ID REASON DATA: tells Heat's wait condition; never fails the script.
disco_signal() {
  local json i
  json="{\"status\":$(disco_json_str "$1"),\"id\":$(disco_json_str "$2"),\"reason\":$(disco_json_str "$3"),\"data\":$(disco_json_str "$4")}"
  for i in 1 2 3 4 5 6; do
    if __DISCO_WC_NOTIFY__ --fail --silent --show-error --max-time 30 --data-binary "$json" >/dev/null; then
      return 0
    fi
    sleep $((i * 5))
  done
  disco_log "WARNING: could not deliver the $1 signal for $2"
  return 0
}

disco_progress() {
  local c json sep=""
  DISCO_STATE[$1]=$2
  json="{\"cluster\":$(disco_json_str "$DISCO_CLUSTER"),\"node\":\"${DISCO_WHO}\",\"updated\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",\"components\":{"
  for c in $DISCO_COMPONENTS; do
    json+="${sep}\"${c}\":\"${DISCO_STATE[$c]:-pending}\""
    sep=","
  done
  printf '%s}}\n' "$json" >"$DISCO_WWW/progress.json.tmp"
  mv -f "$DISCO_WWW/progress.json.tmp" "$DISCO_WWW/progress.json"
}

# disco_fail COMPONENT WHAT: report a failure of this node and stop its script.
disco_fail() {
  local c=$1 what=$2
  trap - ERR
  set +e
  DISCO_STATE[$c]=failed
  disco_progress "$c" failed
  disco_log "FAILED $c: $what"
  disco_signal FAILURE "${c}@${DISCO_ROLE}${DISCO_NODE_INDEX}" \
    "${c} failed on ${DISCO_ROLE} ${DISCO_NODE_INDEX}: ${what}" \
    "see /var/log/disco-install.log on ${DISCO_ROLE} ${DISCO_NODE_INDEX} (${DISCO_NODE_IP:-unknown address})"
  exit 1
}

disco_die() { disco_fail "$DISCO_CURRENT" "$*"; }

disco_on_err() {
  local rc=$1 line=$2 cmd=$3
  if [[ $BASHPID != "$$" ]]; then
    printf 'line %s: %s (exit %s)\n' "$line" "${cmd:0:200}" "$rc" >/run/disco-suberr 2>/dev/null || true
    exit "$rc"
  fi
  local what="line ${line}: '${cmd:0:200}' exited with ${rc}"
  if [[ -s /run/disco-suberr ]]; then
    what+=" (in a subshell: $(head -c 300 /run/disco-suberr))"
    rm -f /run/disco-suberr
  fi
  disco_fail "$DISCO_CURRENT" "$what"
}

# Installs the ERR trap, the log redirection, the user and the node's address.
disco_init() {
  umask 022
  export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=C.UTF-8
  shopt -s inherit_errexit
  trap 'disco_on_err "$?" "$LINENO" "$BASH_COMMAND"' ERR
  mkdir -p "$DISCO_WWW" /etc/disco /var/cache/disco
  touch /var/log/disco-install.log
  chmod 0640 /var/log/disco-install.log
  exec > >(tee -a /var/log/disco-install.log) 2>&1
  echo 0 >"$DISCO_WWW/progress.log"
  rm -f /run/disco-suberr
  if id ubuntu >/dev/null 2>&1; then DISCO_USER=ubuntu
  elif id debian >/dev/null 2>&1; then DISCO_USER=debian
  else
    DISCO_USER=disco
    id disco >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --user-group disco
  fi
  DISCO_HOME=$(getent passwd "$DISCO_USER" | cut -d: -f6)
  DISCO_NODE_IP=$(ip -4 -o route get "$DISCO_MASTER_IP" 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -n1 || true)
  if [[ -z $DISCO_NODE_IP ]]; then DISCO_NODE_IP=$(hostname -I | awk '{print $1}'); fi
  [[ -f $DISCO_ENV_FILE ]] || touch "$DISCO_ENV_FILE"
  disco_log "DISCO node script for cluster ${DISCO_CLUSTER} started: ${DISCO_ROLE} ${DISCO_NODE_INDEX}, address ${DISCO_NODE_IP}, user ${DISCO_USER}, components: ${DISCO_COMPONENTS}"
}

# disco_env_set KEY VALUE: a variable for services (EnvironmentFile) and login shells.
disco_env_set() {
  local k=$1 v=$2
  sed -i "/^${k}=/d" "$DISCO_ENV_FILE"
  printf '%s="%s"\n' "$k" "$v" >>"$DISCO_ENV_FILE"
  export "$k=$v"
}

# disco_as_user CMD...: runs a command as the cluster user with the DISCO environment.
disco_as_user() {
  runuser -u "$DISCO_USER" -- env -i HOME="$DISCO_HOME" USER="$DISCO_USER" LANG=C.UTF-8 \
    PATH=/usr/local/bin:/usr/bin:/bin bash -c 'set -a; . /etc/disco/env; set +a; exec "$@"' disco "$@"
}

disco_apt() {
  local i
  for i in 1 2 3 4 5 6 7 8; do
    if apt-get -o DPkg::Lock::Timeout=600 -y -q install --no-install-recommends "$@"; then return 0; fi
    disco_log "apt-get install $* failed (attempt $i); retrying"
    sleep $((i * 10))
    apt-get -o DPkg::Lock::Timeout=600 -q update || true
  done
  disco_die "apt-get install $* failed"
}

# Accepts '<hash>  <file>', 'SHA512 (<file>) = <hash>' and the GPG style 'file: ABCD EF01 ...'.
disco_parse_sha512() {
  local raw=$1 h
  h=${raw%%[[:space:]]*}
  if [[ ! $h =~ ^[0-9a-fA-F]{128}$ ]]; then
    if [[ $raw == *"= "* ]]; then h=${raw##*= }; else h=${raw#*:}; fi
    h=${h//[[:space:]]/}
  fi
  printf '%s' "${h,,}"
}

# disco_fetch ID DEST: downloads $DISCO_MIRROR/<path of ID> and checks its SHA-512.
disco_fetch() {
  local id=${1^^} dest=$2 pv sv path want got raw i
  id=${id//-/_}
  pv="DISCO_DL_${id}_PATH"; sv="DISCO_DL_${id}_SHA512"
  path=${!pv:-}; want=${!sv:-}
  [[ -n $path ]] || disco_die "no download path for $1"
  if [[ -z $want ]]; then
    raw=$(curl -fsSL --retry 5 --retry-delay 5 --retry-all-errors --connect-timeout 20 "$DISCO_CHECKSUM_BASE/$path.sha512") \
      || disco_die "cannot fetch $DISCO_CHECKSUM_BASE/$path.sha512"
    want=$(disco_parse_sha512 "$raw")
  fi
  want=${want,,}
  [[ $want =~ ^[0-9a-f]{128}$ ]] || disco_die "no usable SHA-512 for $path"
  if [[ -f $dest ]]; then
    got=$(sha512sum "$dest"); got=${got%% *}
    [[ $got == "$want" ]] && return 0
  fi
  mkdir -p "${dest%/*}"
  for i in 1 2 3; do
    disco_log "downloading $DISCO_MIRROR/$path (attempt $i)"
    if curl -fSL --retry 5 --retry-delay 10 --retry-all-errors --connect-timeout 30 \
      --speed-limit 10240 --speed-time 120 -sS -o "$dest.part" "$DISCO_MIRROR/$path"; then
      got=$(sha512sum "$dest.part"); got=${got%% *}
      if [[ $got == "$want" ]]; then mv -f "$dest.part" "$dest"; return 0; fi
      disco_log "SHA-512 mismatch for $path: expected $want, got $got"
    fi
    rm -f "$dest.part"
    sleep $((i * 15))
  done
  disco_die "download of $path failed or did not match its SHA-512"
}

# disco_unpack ID NAME: fetches a .tgz/.tar.gz once, unpacks it to /opt/<dir> and links /opt/NAME.
disco_unpack() {
  local id=${1^^} name=$2 pv path base dir
  id=${id//-/_}
  pv="DISCO_DL_${id}_PATH"; path=${!pv:-}
  [[ -n $path ]] || disco_die "no download path for $1"
  base=${path##*/}; dir=${base%.tgz}; dir="/opt/${dir%.tar.gz}"
  if [[ ! -f $dir/.disco-unpacked ]]; then
    disco_fetch "$id" "/var/cache/disco/$base"
    rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
    tar -xzf "/var/cache/disco/$base" -C "$dir.tmp" --strip-components=1 --no-same-owner
    rm -rf "$dir"; mv "$dir.tmp" "$dir"
    touch "$dir/.disco-unpacked"
    rm -f "/var/cache/disco/$base"
  fi
  ln -sfn "$dir" "/opt/$name"
}

# disco_service NAME USER CMD...: a systemd unit that restarts on failure and at boot.
# Extra [Service] lines may be passed as DISCO_UNIT_EXTRA=$'Key=value\n...' disco_service ...
disco_service() {
  local name=$1 user=$2 a q exec=""
  shift 2
  for a in "$@"; do
    q=${a//\\/\\\\}; q=${q//\"/\\\"}; q=${q//%/%%}; q=${q//\$/\$\$}
    exec+=" \"$q\""
  done
  cat >"/etc/systemd/system/$name.service" <<EOF
[Unit]
Description=DISCO $name
After=network-online.target
Wants=network-online.target
StartLimitIntervalSec=0

[Service]
Type=simple
User=$user
EnvironmentFile=-$DISCO_ENV_FILE
${DISCO_UNIT_EXTRA:-}
ExecStart=${exec# }
Restart=on-failure
RestartSec=10
SuccessExitStatus=143
TimeoutStopSec=90
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
EOF
  systemctl daemon-reload
  systemctl enable "$name.service" >/dev/null 2>&1
  systemctl restart "$name.service"
  disco_log "service $name (re)started"
}

# disco_wait_port PORT TIMEOUT [HOST]
disco_wait_port() {
  local port=$1 timeout=$2 host=${3:-127.0.0.1} end=$((SECONDS + $2))
  until timeout 5 bash -c "exec 3<>/dev/tcp/${host}/${port}" 2>/dev/null; do
    if ((SECONDS >= end)); then disco_log "port ${host}:${port} not open after ${timeout} s"; return 1; fi
    sleep 5
  done
}

# disco_wait_url URL TIMEOUT: waits for a 2xx/3xx answer.
disco_wait_url() {
  local url=$1 timeout=$2 end=$((SECONDS + $2))
  until curl -fsSk -o /dev/null --max-time 10 "$url" 2>/dev/null; do
    if ((SECONDS >= end)); then disco_log "$url not answering after ${timeout} s"; return 1; fi
    sleep 5
  done
}

# disco_wait_count TIMEOUT WANT WHAT CMD...: waits until CMD prints a number >= WANT.
disco_wait_count() {
  local timeout=$1 want=$2 what=$3 end=$(($1 + SECONDS)) n=0
  shift 3
  while ((SECONDS < end)); do
    n=$("$@" 2>/dev/null || true)
    [[ $n =~ ^[0-9]+$ ]] || n=0
    if ((n >= want)); then disco_log "$what: $n of $want"; return 0; fi
    sleep 10
  done
  disco_log "$what: only $n of $want after ${timeout} s"
  return 1
}

# disco_json_field URL KEY.PATH: prints one field of a JSON document (for wait loops).
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
  for c in $DISCO_COMPONENTS; do DISCO_STATE[$c]=pending; done
  for c in $DISCO_COMPONENTS; do
    f=${c//-/_}
    DISCO_CURRENT=$c
    disco_progress "$c" installing
    disco_step "$c" "installing"
    if declare -F "disco_${f}_all" >/dev/null; then "disco_${f}_all"; fi
    if [[ $DISCO_ROLE == master ]]; then
      if declare -F "disco_${f}_master" >/dev/null; then "disco_${f}_master"; fi
      if declare -F "disco_${f}_ready" >/dev/null; then
        disco_step "$c" "waiting until ready"
        if ! "disco_${f}_ready"; then disco_fail "$c" "readiness check timed out"; fi
      fi
      disco_progress "$c" ready
      disco_step "$c" "ready after $((SECONDS - t0)) s"
      disco_signal SUCCESS "$c" "$c ready" "$c ready after $((SECONDS - t0)) s"
    else
      if declare -F "disco_${f}_workers" >/dev/null; then "disco_${f}_workers"; fi
      disco_progress "$c" ready
      disco_step "$c" "installed after $((SECONDS - t0)) s"
    fi
  done
  echo 1 >"$DISCO_WWW/progress.log"
  disco_log "all components installed in $((SECONDS - t0)) s"
}
