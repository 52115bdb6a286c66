#!/usr/bin/env bash
# disco-sm behind Debian's nginx terminating TLS, end to end on loopback (issue 19, item 4):
#   a throwaway CA and a certificate for 127.0.0.1/localhost; a debug disco-sm on its embedded simulated cloud with
#   `trusted_proxies = 127.0.0.1`; nginx in the foreground with etc/nginx/disco-sm.conf (ports and paths replaced).
# Checks, each failing with what it saw:
#   1. scripts/readme-curl.sh (the seed README's curl sequence) passes over https, curl trusting the CA only;
#   2. links as a client resolves them are https://127.0.0.1:<nginx port>/…: OCCI Location, X-OCCI-Location, the
#      kind's location and entity links; REST Location and `next` and the OpenAPI `servers` entry (these are relative);
#   3. disco-cli refuses the certificate until the CA is in the system store it reads (/etc/ssl/certs, here in a
#      mount namespace of its own), then creates, shows and deletes a cluster over https;
#   4. straight to disco-sm from 127.0.0.2, a peer it does not trust, forged X-Forwarded-Proto/-Host and Forwarded
#      change nothing: links stay http://127.0.0.1:<disco-sm port>; from 127.0.0.1 the same headers count (control).
# Usage: scripts/tls-proxy.sh [folder holding disco-sm and disco-cli, default .build/debug]  (it does not build)
# Needs nginx, openssl, curl, jq, python3 and unshare (util-linux).
set -Eeuo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/debug}
bin=$(cd "$bin" && pwd)
for tool in nginx openssl curl jq python3 unshare; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed" >&2; exit 1; }
done
[[ -x $bin/disco-sm && -x $bin/disco-cli ]] || { echo "FAIL: no disco-sm and disco-cli in $bin (swift build first)" >&2; exit 1; }

work=$(mktemp -d)
sm_pid=
nginx_pid=
cleanup() {
  # nginx with one process keeps the signal mask it inherits, and a test runner may hand down SIGTERM blocked.
  for pid in $nginx_pid; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  for pid in $sm_pid; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  echo "--- disco-sm log (tail) ---" >&2; tail -n 20 "$work/sm.log" >&2 || true
  echo "--- nginx error log (tail) ---" >&2; tail -n 20 "$work/nginx/error.log" >&2 || true
  exit 1
}

# Two ports free a moment ago (both held while the second is picked).
read -r sm_port nginx_port < <(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
https=https://127.0.0.1:$nginx_port
direct=http://127.0.0.1:$sm_port

echo "certificates: a throwaway CA, a server certificate for IP:127.0.0.1 and DNS:localhost"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "/CN=DISCO test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\n' >"$work/server.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 1 \
  -extfile "$work/server.ext" -out "$work/server.pem" 2>/dev/null
export CURL_CA_BUNDLE=$work/ca.pem  # curl (here and in readme-curl.sh) trusts this CA and nothing else

echo "disco-sm on $direct (trusted_proxies = 127.0.0.1)"
printf '[service_manager]\ntrusted_proxies = 127.0.0.1\n[simulation]\nready_seconds = 2\n[disco]\npoll_interval = 0.3\n' \
  >"$work/sm.cfg"
"$bin/disco-sm" -c "$work/sm.cfg" --host 127.0.0.1 --port "$sm_port" --state-dir "$work/state" >"$work/sm.log" 2>&1 &
sm_pid=$!

echo "nginx on $https with etc/nginx/disco-sm.conf"
mkdir -p "$work/nginx"
site=$work/nginx/disco-sm.conf
sed -e "s|listen 443 ssl;|listen 127.0.0.1:$nginx_port ssl;|" \
    -e "s|/etc/ssl/certs/disco.pem;|$work/server.pem;|" \
    -e "s|/etc/ssl/private/disco.key;|$work/server.key;|" \
    -e "s|proxy_pass http://127.0.0.1:8888;|proxy_pass $direct;|" etc/nginx/disco-sm.conf >"$site"
for line in "listen 127.0.0.1:$nginx_port ssl;" "$work/server.pem;" "$work/server.key;" "proxy_pass $direct;"; do
  grep -qF "$line" "$site" || fail "etc/nginx/disco-sm.conf changed: '$line' could not be put in (update this script)"
done
[[ $(<README.md) == *"$(<etc/nginx/disco-sm.conf)"* ]] || fail "README.md does not show etc/nginx/disco-sm.conf as it is"
# Foreground, one process (no user switch: the temp paths are in this run's folder), nothing outside $work.
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
master_process off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    include $site;
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" >"$work/nginx/out.log" 2>&1 &
nginx_pid=$!

for _ in $(seq 150); do
  curl -sf -o /dev/null "$https/healthz" && break
  kill -0 "$sm_pid" 2>/dev/null || fail "disco-sm exited"
  kill -0 "$nginx_pid" 2>/dev/null || fail "nginx exited"
  sleep 0.1
done
curl -sSf -o /dev/null "$https/healthz" || fail "disco-sm did not answer through nginx within 15 s"
token=$(curl -sSf -X POST "$https/api/v1/tokens" -H 'Content-Type: application/json' \
  -d '{"username": "demo", "password": "demo"}' | jq -r .token) || fail "no token through nginx"

echo "== 1. the seed README's curl sequence over https (at ${SECONDS} s)"
bash scripts/readme-curl.sh "$https" "$token" 2>&1 | sed 's/^/   /' || fail "the README sequence failed over https"

echo "== 2. links through nginx (at ${SECONDS} s)"
# A link as a client resolves it against the URL it fetched (RFC 3986, for the forms DISCO serves).
resolve() {
  case $1 in
    http://* | https://*) printf '%s\n' "$1" ;;
    /*) printf '%s%s\n' "$https" "$1" ;;
    *) fail "'$1' is neither an absolute nor a root-relative link" ;;
  esac
}
expect_ours() {  # what, link
  local url
  url=$(resolve "$2")
  [[ $url == "$https/"* ]] || fail "$1 is '$2': it resolves to $url, not under $https/"
  echo "   $1: $2"
}
occi=(-H 'Accept: text/occi' -H 'X-Tenant-Name: demo' -H "X-Auth-Token: $token")
kind=(-H 'Category: disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind";' -H 'Content-Type: text/occi')
curl -sS -o /dev/null -D "$work/occi-create" -X POST "$https/disco/" "${occi[@]}" "${kind[@]}" \
  -H 'X-OCCI-Attribute: icclab.disco.components.heat.slavecount="0"'
location=$(sed -n 's/^Location: \(.*\)\r$/\1/Ip' "$work/occi-create")
[[ $location =~ ^$https/disco/[0-9a-f-]{36}$ ]] || fail "OCCI create: Location is '$location', not $https/disco/<id>"
echo "   OCCI Location: $location"
curl -sS -o /dev/null -D "$work/occi-list" "$https/disco/" "${occi[@]}"
grep -qiF "X-OCCI-Location: $location" "$work/occi-list" || fail "the OCCI listing does not name $location"
# Its action links come once it is ready.
for _ in $(seq 60); do
  curl -sS -o /dev/null -D "$work/occi-entity" "$location" "${occi[@]}"
  grep -q 'disco.state="ready"' "$work/occi-entity" && break
  sleep 0.5
done
curl -sS -o /dev/null -D "$work/occi-query" "$https/-/" "${occi[@]}"
grep -qF "location=\"$https/disco/\"" "$work/occi-query" || fail "the query interface's disco kind has no location $https/disco/"
grep -o '^Link: .*' "$work/occi-entity" | grep -o '<[^>]*>' | tr -d '<>' >"$work/entity-links" || true
[[ -s $work/entity-links ]] || fail "the OCCI entity has no Link"
while read -r link; do expect_ours "OCCI entity link" "$link"; done <"$work/entity-links"
# Every URL on this host in the OCCI answers, whatever header carries it.
cat "$work"/occi-* | grep -oE '[a-z]+://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?[^ ">,;]*' | sort -u >"$work/occi-urls" || true
(($(wc -l <"$work/occi-urls") >= 2)) || fail "too few absolute links in the OCCI answers: $(tr '\n' ' ' <"$work/occi-urls")"
while read -r url; do [[ $url == "$https/"* ]] || fail "an OCCI answer through nginx names $url"; done <"$work/occi-urls"
echo "   every absolute OCCI URL ($(wc -l <"$work/occi-urls")) is under $https/"

rest=(-H "X-Auth-Token: $token" -H 'Content-Type: application/json')
for name in tls-a tls-b; do
  curl -sS -o /dev/null -D "$work/rest-$name" -X POST "$https/api/v1/clusters" "${rest[@]}" \
    -d '{"name": "'$name'", "master": {"image": "ubuntu-22.04", "flavor": "m1.small"}, "workers": 0, "externalNetwork": "public"}'
  grep -q '^HTTP/1.1 201' "$work/rest-$name" || fail "REST create of $name: $(head -1 "$work/rest-$name")"
done
rest_location=$(sed -n 's/^Location: \(.*\)\r$/\1/Ip' "$work/rest-tls-b")
expect_ours "REST Location" "$rest_location"
[[ $(curl -sS "$(resolve "$rest_location")" "${rest[@]}" | jq -r .name) == tls-b ]] || fail "GET $(resolve "$rest_location") is not tls-b"
next=$(curl -sS "$https/api/v1/clusters?limit=1" "${rest[@]}" | jq -r '.next // empty')
[[ -n $next ]] || fail "a listing of one per page has no next link"
expect_ours "REST next" "$next"
curl -sSf -o /dev/null "$(resolve "$next")" "${rest[@]}" || fail "GET $(resolve "$next") failed"
servers=$(curl -sS "$https/api/v1/openapi.json" | jq -r '.servers[0].url')
expect_ours "OpenAPI servers" "$servers"
curl -sSf -o /dev/null "$(resolve "$servers")/components" || fail "GET $(resolve "$servers")/components failed"

echo "== 3. disco-cli over https (at ${SECONDS} s)"
cli=(env -i "PATH=$PATH" "HOME=$work/home" "$bin/disco-cli" --url "$https" --no-color)
if "${cli[@]}" list >"$work/cli-untrusted" 2>&1; then fail "disco-cli accepted a certificate of a CA it does not trust"; fi
grep -q 'update-ca-certificates' "$work/cli-untrusted" || fail "disco-cli without the CA: $(cat "$work/cli-untrusted")"
echo "   without the CA: $(cat "$work/cli-untrusted")"
# disco-cli (URLSession on libcurl) reads the system store only; it gets one with just the CA, for itself alone.
mkdir -p "$work/trust"
cp "$work/ca.pem" "$work/trust/ca-certificates.crt"
trusting() {
  # shellcheck disable=SC2016  # expanded by the inner bash
  unshare --mount --map-root-user bash -c 'mount --bind "$1" /etc/ssl/certs && shift && exec "$@"' _ "$work/trust" "${cli[@]}" "$@"
}
id=$(trusting --json create tls-cli --workers 0 --wait | jq -r .id) || fail "disco-cli create failed"
[[ $id =~ ^[0-9a-f-]{36}$ ]] || fail "disco-cli create printed no cluster id"
echo "   created $id"
state=$(trusting --json show tls-cli | jq -r .state) || fail "disco-cli show failed"
[[ $state == ready ]] || fail "disco-cli show: the cluster is '$state', not ready"
echo "   show: $state"
trusting delete tls-cli --yes --wait >"$work/cli-delete" 2>&1 || fail "disco-cli delete: $(cat "$work/cli-delete")"
trusting --json list | jq -e --arg id "$id" 'all(.clusters[]; .id != $id)' >/dev/null || fail "disco-cli list still shows $id"
echo "   deleted"

echo "== 4. forwarded headers from a peer disco-sm does not trust (at ${SECONDS} s)"
forged=(-H 'X-Forwarded-Proto: https' -H 'X-Forwarded-Host: evil.example' -H 'Forwarded: proto=https;host=evil.example')
for headers in "X-Forwarded-Proto: https|X-Forwarded-Host: evil.example" "Forwarded: proto=https;host=evil.example" both; do
  if [[ $headers == both ]]; then set -- "${forged[@]}"; else IFS='|' read -r a b <<<"$headers"; set -- -H "$a" ${b:+-H "$b"}; fi
  curl -sS --interface 127.0.0.2 -o /dev/null -D "$work/untrusted" -X POST "$direct/disco/" "${occi[@]}" "${kind[@]}" "$@" \
    -H 'X-OCCI-Attribute: icclab.disco.components.heat.slavecount="0"'
  location=$(sed -n 's/^Location: \(.*\)\r$/\1/Ip' "$work/untrusted")
  [[ $location =~ ^$direct/disco/[0-9a-f-]{36}$ ]] || fail "from 127.0.0.2 with ${headers//|/ + }: Location is '$location'"
  curl -sS --interface 127.0.0.2 -o /dev/null -D "$work/untrusted-list" "$direct/disco/" "${occi[@]}" "$@"
  curl -sS --interface 127.0.0.2 -o /dev/null -D "$work/untrusted-query" "$direct/-/" "${occi[@]}" "$@"
  if grep -iE 'https://|evil' "$work/untrusted-list" "$work/untrusted-query" | grep -v 'schemas\.'; then
    fail "from 127.0.0.2 with ${headers//|/ + }, links changed (above)"
  fi
  grep -qF "location=\"$direct/disco/\"" "$work/untrusted-query" || fail "from 127.0.0.2 with ${headers//|/ + }: the kind's location is not $direct/disco/"
  echo "   with ${headers//|/ + }: Location $location; listing and kind under $direct/"
done
curl -sS -o /dev/null -D "$work/trusted" -X POST "$direct/disco/" "${occi[@]}" "${kind[@]}" "${forged[@]}" \
  -H 'X-OCCI-Attribute: icclab.disco.components.heat.slavecount="0"'
location=$(sed -n 's/^Location: \(.*\)\r$/\1/Ip' "$work/trusted")
[[ $location == https://evil.example/disco/* ]] || fail "control: from 127.0.0.1 (trusted) the forged headers do not count: '$location'"
echo "   control, from 127.0.0.1 (trusted): Location $location"
echo "TLS proxy checks passed in ${SECONDS} s"
