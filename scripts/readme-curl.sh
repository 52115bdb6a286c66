#!/bin/bash
# The README single-quotes its $OS_* words on purpose: they are sent literally.
# shellcheck disable=SC2016
# Runs the original DISCO README's curl sequence (steps 1-7) against a disco-sm, with real curl:
# list services, create, list, show until ready with external_ip and the SSH keys, delete, list again.
# Usage: scripts/readme-curl.sh <base URL, e.g. http://127.0.0.1:8888> <token> [image] [flavor] [external network]
# Exits non-zero, saying which step failed, if anything is not as the README promises.
set -Eeuo pipefail
base=${1:?base URL}
TOKEN=${2:?token}
image=${3:-ubuntu-22.04}
flavor=${4:-m1.large}   # hadoop + spark on the master need 4 GB of the budget
external=${5:-public}
OS_TENANT_NAME=${OS_TENANT_NAME:-demo}
timeout=${DISCO_README_TIMEOUT:-120}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "1. list the services"
curl -sS -o "$work/1.body" -D "$work/1.head" -X GET "$base/-/" \
  -H 'Accept: text/occi' \
  -H "X-Tenant-Name: $OS_TENANT_NAME" \
  -H "X-Auth-Token: $TOKEN"
grep -q '^HTTP/1.1 200' "$work/1.head" || fail "GET /- did not answer 200"
grep -qi '^Category:.*disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"' "$work/1.head" || fail "the disco kind is not listed"

echo "2. create a cluster"
# As in the README: single quotes, so the $OS_* words are sent literally.
curl -sS -o "$work/2.body" -D "$work/2.head" -X POST "$base/disco/" \
    -H 'Category: disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind";' \
    -H 'Content-type: text/occi' \
    -H 'X-Tenant-Name: $OS_TENANT_NAME' \
    -H 'X-Region-Name: $OS_REGION_NAME' \
    -H 'X-User-Name: $OS_USERNAME' \
    -H 'X-Password: $OS_PASSWORD' \
    -H "X-Auth-Token: $TOKEN" \
    -H 'X-OCCI-Attribute: '\
'icclab.disco.components.heat.networkname="readme-net",'\
'icclab.disco.components.heat.externalnetworkname="'"$external"'",'\
'icclab.disco.components.heat.masterimage="'"$image"'",'\
'icclab.disco.components.heat.slaveimage="'"$image"'",'\
'icclab.disco.components.heat.masterflavor="'"$flavor"'",'\
'icclab.disco.components.heat.slaveflavor="'"$flavor"'",'\
'icclab.disco.components.heat.slavecount="2",'\
'icclab.disco.deployer.username="$OS_USERNAME",'\
'icclab.disco.deployer.password="$OS_PASSWORD",'\
'icclab.disco.deployer.region="$OS_REGION_NAME",'\
'icclab.disco.dependencies.inject="{'"'"'hadoop'"'"': '"'"''"'"', '"'"'spark'"'"': '"'"''"'"'}"'
grep -q '^HTTP/1.1 201' "$work/2.head" || { cat "$work/2.head" "$work/2.body" >&2; fail "create did not answer 201"; }
location=$(grep -i '^Location:' "$work/2.head" | tr -d '\r' | cut -d' ' -f2)
UUID=${location##*/}
[[ $UUID =~ ^[0-9a-f-]{36}$ ]] || fail "no cluster id in Location: '$location'"
echo "   created $UUID"

echo "3. list the clusters"
curl -sS -D "$work/3.head" -o /dev/null -X GET "$base/disco/" \
  -H 'Accept: text/occi' \
  -H "X-Tenant-Name: $OS_TENANT_NAME" \
  -H "X-Auth-Token: $TOKEN"
grep -qi "^X-OCCI-Location:.*/disco/$UUID" "$work/3.head" || fail "the new cluster is not listed"

echo "4. show it until it is ready"
deadline=$((SECONDS + timeout))
while :; do
  curl -sS -D "$work/4.head" -o /dev/null -X GET "$base/disco/$UUID" \
    -H 'Accept: text/occi' \
    -H "X-Tenant-Name: $OS_TENANT_NAME" \
    -H "X-Auth-Token: $TOKEN"
  grep -q 'disco.state="ready"' "$work/4.head" && break
  grep -q 'disco.state="failed"' "$work/4.head" && { grep 'disco.state.reason' "$work/4.head" >&2; fail "the cluster failed"; }
  ((SECONDS < deadline)) || fail "not ready after ${timeout} s"
  sleep 1
done
for attribute in external_ip ssh_key_name ssh_public_key ssh_private_key; do
  grep -q "$attribute=\"[^\"]" "$work/4.head" || fail "$attribute is missing or empty"
done
grep -q 'stack_status="CREATE_COMPLETE"' "$work/4.head" || fail "stack_status is not CREATE_COMPLETE"
grep -q 'OS_PASSWORD' "$work/4.head" && fail "the deployer password was echoed"
ip=$(grep -o 'external_ip="[^"]*"' "$work/4.head" | cut -d'"' -f2)
echo "   ready at $ip"

echo "6. delete it"
curl -sS -D "$work/6.head" -o /dev/null -X DELETE "$base/disco/$UUID" \
    -H 'Category: disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind";' \
    -H 'Content-type: text/occi' \
    -H 'X-Tenant-Name: $OS_TENANT_NAME' \
    -H "X-Auth-Token: $TOKEN"
grep -q '^HTTP/1.1 200' "$work/6.head" || fail "delete did not answer 200"

echo "7. list again"
curl -sS -D "$work/7.head" -o /dev/null -X GET "$base/disco/" \
  -H 'Accept: text/occi' \
  -H "X-Tenant-Name: $OS_TENANT_NAME" \
  -H "X-Auth-Token: $TOKEN"
grep -qi "/disco/$UUID" "$work/7.head" && fail "the deleted cluster is still listed"
echo "README sequence passed"
