#!/bin/bash
# Checks the built-in component catalog: validates every component.json, composes a master and a
# worker script per component (stub variables + prelude + wrapped fragments + readiness + disco_main)
# the way the Swift composer does, runs shellcheck on each, and checks the size of a script with
# every component. Usage: scripts/check-catalog.sh [output dir]
set -Eeuo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
res="$root/Sources/DiscoCore/Resources"
out=${1:-$(mktemp -d)}
mkdir -p "$out"
command -v shellcheck >/dev/null || { echo "shellcheck is not installed (apt-get install -y shellcheck)" >&2; exit 2; }

python3 - "$res" "$out" <<'PY'
import json, os, re, sys
res, out = sys.argv[1], sys.argv[2]
cdir = os.path.join(res, "components")
problems = []
TOP = {"name", "version", "summary", "requires", "conflicts", "properties", "ports", "fragments", "readiness", "ui", "downloads", "implicit", "compatibility", "memory", "daemons"}
PROP = {"type", "summary", "default", "pattern", "secret", "required"}
mans = {}
for name in sorted(os.listdir(cdir)):
    path = os.path.join(cdir, name, "component.json")
    if not os.path.isfile(path):
        problems.append(f"{name}: no component.json"); continue
    with open(path) as f:
        m = json.load(f)
    mans[name] = m
    p = lambda msg: problems.append(f"{name}: {msg}")
    if m.get("name") != name: p("name differs from the folder")
    if not re.fullmatch(r"[a-z][a-z0-9-]*", name): p("bad name")
    for k in ("name", "version", "summary"):
        if not isinstance(m.get(k), str) or not m[k]: p(f"missing {k}")
    for k in set(m) - TOP: p(f"unknown key {k}")
    for pn, pd in m.get("properties", {}).items():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", pn): p(f"bad property name {pn}")
        for k in set(pd) - PROP: p(f"property {pn}: unknown key {k}")
        if pd.get("type", "string") not in ("string", "integer", "boolean"): p(f"property {pn}: bad type")
        if "default" in pd and not isinstance(pd["default"], str): p(f"property {pn}: default must be a string")
        if "default" in pd and "pattern" in pd and not re.fullmatch(pd["pattern"], pd["default"]): p(f"property {pn}: default does not match its pattern")
        if pd.get("secret") and "default" in pd: p(f"property {pn}: a secret has no default")
        if not pd.get("secret") and not pd.get("required") and "default" not in pd: p(f"property {pn}: optional without default")
    for port in m.get("ports", []):
        if port.get("exposure") not in ("public", "internal"): p(f"port {port.get('port')}: bad exposure")
        if not isinstance(port.get("port"), int): p("port without number")
    for role, fn in m.get("fragments", {}).items():
        if role not in ("all", "master", "workers"): p(f"bad fragment role {role}")
        if not os.path.isfile(os.path.join(cdir, name, fn)): p(f"missing fragment {fn}")
    r = m.get("readiness")
    if r is not None and (("port" in r) == ("url" in r)): p("readiness needs exactly one of port/url")
    for d in m.get("downloads", []):
        if not re.fullmatch(r"[a-z][a-z0-9_-]*", d.get("id", "")): p("bad download id")
        if d.get("sha512") is not None and not re.fullmatch(r"[0-9a-f]{128}", d["sha512"]): p("bad sha512")
    for ui in m.get("ui", []):
        if ui["port"] not in [x["port"] for x in m.get("ports", [])]: p(f"ui port {ui['port']} not declared")
    files = set(os.listdir(os.path.join(cdir, name))) - {"component.json"} - set(m.get("fragments", {}).values())
    if files: p(f"unreferenced files {sorted(files)}")
for n, m in mans.items():
    for dep in m.get("requires", []) + m.get("conflicts", []):
        if dep not in mans: problems.append(f"{n}: unknown component {dep}")
# No port may be used by two components that can be installed together.
owner = {}
for n, m in mans.items():
    for port in m.get("ports", []):
        for o in owner.get(port["port"], []):
            if o not in m.get("conflicts", []) and n not in mans[o].get("conflicts", []):
                problems.append(f"port {port['port']} used by {o} and {n}")
        owner.setdefault(port["port"], []).append(n)

def closure(names):
    order, seen = [], set()
    def visit(n):
        if n in seen: return
        seen.add(n)
        for d in sorted(mans[n].get("requires", [])): visit(d)
        order.append(n)
    visit("base")
    for n in names: visit(n)
    return order

def strip_comments(text):
    """Whole-line comments outside here-documents left out, as the Swift composer's ShellComments does."""
    kept, end = [], None
    for line in text.split("\n"):
        if end is not None:
            if (line.lstrip("\t") if end[1] else line) == end[0]: end = None
            kept.append(line); continue
        t = line.lstrip(" \t")
        if t.startswith("#") and not t.startswith("#!") and not t.startswith("# shellcheck"): continue
        m = re.search(r"<<(-?)\s*(?:'([^']+)'|\"([^\"]+)\"|(\w+))", line.replace("<<<", "   "))
        if m: end = (m.group(2) or m.group(3) or m.group(4), m.group(1) == "-")
        kept.append(line)
    return "\n".join(kept)

def role_sections(text, role):
    """Lines between '# disco:master' (or '# disco:workers') and '# disco:end' kept for that role only, as RoleSections does."""
    kept, section = [], None
    for line in text.split("\n"):
        t = line.strip()
        if t in ("# disco:master", "# disco:workers"): section = t[8:]; continue
        if t == "# disco:end": section = None; continue
        if section is None or section == {"worker": "workers"}.get(role, role): kept.append(line)
    return "\n".join(kept)

with open(os.path.join(res, "scripts", "prelude.sh")) as f:
    raw_prelude = f.read()
prelude = strip_comments(raw_prelude)
if prelude.count("__DISCO_WC_SIGNAL__") != 1: problems.append("prelude: __DISCO_WC_SIGNAL__ must occur exactly once")
# The wait condition handle's `signal` (HEAT_SIGNAL), as Heat fills it in.
notify = json.dumps({"auth_url": "https://keystone.example.org:5000/v3", "username": "disco-x-install_handle-abcdefabcdef",
                     "user_id": "0123456789abcdef0123456789abcdef", "password": "Ab1!stub#password%0123456789abcd",
                     "project_id": "fedcba9876543210fedcba9876543210", "domain_id": "89abcdef0123456789abcdef01234567",
                     "region_name": "RegionOne",
                     "alarm_url": "https://heat.example.org:8004/v1/fedcba9876543210fedcba9876543210/stacks/disco-x/0123-4567/resources/install_handle/signal"})

def q(v): return "'" + v.replace("'", "'\\''") + "'"

def compose(comps, role):
    lines = ["#!/bin/bash", "set -Eeuo pipefail", "# shellcheck disable=SC2034,SC2016  # composer-set variables, single-quoted literals: not every fragment uses every one", "{"]
    v = {"DISCO_CLUSTER": "demo", "DISCO_ROLE": role, "DISCO_MASTER_IP": "10.20.0.10", "DISCO_MASTER_NAME": "demo-master",
         "DISCO_NODE_INDEX": "0", "DISCO_WORKER_COUNT": "3", "DISCO_CLUSTER_CIDR": "10.20.0.0/24",
         "DISCO_MIRROR": "https://archive.apache.org/dist", "DISCO_CHECKSUM_BASE": "https://archive.apache.org/dist",
         "DISCO_COMPONENTS": " ".join(comps),
         "DISCO_MASTER_RAM_MB": "8192", "DISCO_MASTER_VCPUS": "4", "DISCO_WORKER_RAM_MB": "8192", "DISCO_WORKER_VCPUS": "4"}
    if "hadoop" in comps:
        v.update({"DISCO_YARN_NODE_MEMORY_MB": "6192", "DISCO_YARN_CONTAINER_MB": "774", "DISCO_YARN_CONTAINERS": "8",
                  "DISCO_MAPREDUCE_REDUCE_MB": "1548", "DISCO_MAPREDUCE_MAP_OPTS": "-Xmx619m", "DISCO_MAPREDUCE_REDUCE_OPTS": "-Xmx1238m",
                  "DISCO_YARN_AM_MB": "1548", "DISCO_YARN_AM_OPTS": "-Xmx619m", "DISCO_YARN_VCORES": "4"})
    for c in comps:
        m = mans[c]
        up = c.upper().replace("-", "_")
        for pn, pd in sorted(m.get("properties", {}).items()):
            var = f"DISCO_{up}_{pn.upper().replace('-', '_')}"
            if pd.get("secret"):
                v[var + "_HASH"] = "argon2:$argon2id$v=19$m=10240,t=10,p=8$MDEyMzQ1Njc4OWFi$" + "A" * 43
            else:
                v[var] = pd.get("default", "x")
        for d in m.get("downloads", []):
            did = d["id"].upper().replace("-", "_")
            v[f"DISCO_DL_{did}_PATH"] = d["path"]
            v[f"DISCO_DL_{did}_SHA512"] = d.get("sha512") or ""
    lines += [f"{k}={q(val)}" for k, val in v.items()]
    lines += ["}", strip_comments(role_sections(raw_prelude, role)).replace("__DISCO_WC_SIGNAL__", notify).rstrip("\n")]
    for c in comps:
        m = mans[c]
        f = c.replace("-", "_")
        for r in ("all", "master", "workers"):
            fn = m.get("fragments", {}).get(r)
            if not fn: continue
            with open(os.path.join(cdir, c, fn)) as fh:
                body = strip_comments(fh.read()).rstrip("\n")
            lines += [f"disco_{f}_{r}() {{", body, "}"]
        rd = m.get("readiness")
        if rd:
            t = rd.get("timeoutSeconds", 900)
            call = f"disco_wait_port {rd['port']} {t}" if "port" in rd else f"disco_wait_url {q(rd['url'])} {t}"
            lines.append(f"disco_{f}_ready() {{ {call}; }}")
    lines.append("disco_main")
    return "\n".join(lines) + "\n"

targets = {n: closure([n]) for n in mans if not mans[n].get("implicit")}
targets["base"] = closure([])
targets["ALL"] = closure(sorted(n for n in mans if not mans[n].get("implicit")))
for t, comps in targets.items():
    for role in ("master", "worker"):
        with open(os.path.join(out, f"{t}.{role}.sh"), "w") as fh:
            fh.write(compose(comps, role))
with open(os.path.join(out, "problems.txt"), "w") as fh:
    fh.write("".join(x + "\n" for x in problems))
PY

status=0
if [[ -s $out/problems.txt ]]; then
  echo "manifest problems:"; sed 's/^/  /' "$out/problems.txt"; status=1
fi
for f in "$res"/components/*/component.json; do
  python3 -m json.tool "$f" >/dev/null || { echo "invalid JSON: $f"; status=1; }
done
for s in "$out"/*.sh; do
  bash -n "$s" || { echo "syntax error: $s"; status=1; }
  if ! shellcheck -s bash -S style "$s" >"$s.shellcheck" 2>&1; then
    echo "shellcheck: $(basename "$s")"; sed 's/^/  /' "$s.shellcheck" | head -60; status=1
  fi
done
# Behaviour of the prelude's pure functions, the signal JSON and the failure path (no root, no systemd).
t=$(mktemp -d)
sed 's|__DISCO_WC_SIGNAL__|{"auth_url": "http://keystone.invalid/v3", "user_id": "u1", "password": "p1", "project_id": "p1", "alarm_url": "http://heat.invalid/signal"}|' \
  "$res/scripts/prelude.sh" >"$t/prelude.sh"
if ! T=$t bash -c '
set -Eeuo pipefail
DISCO_CLUSTER=demo DISCO_ROLE=worker DISCO_NODE_INDEX=2 DISCO_MASTER_IP=127.0.0.1 DISCO_COMPONENTS="base hadoop"
curl() {  # Keystone: a token for the password on stdin; Heat: the signal body is recorded
  local a prev="" data=""
  for a; do [[ $prev != --data-binary ]] || data=$a; prev=$a; done
  if [[ $data == @- ]]; then cat >/dev/null; printf "X-Subject-Token: stub-token\r\n\r\n"; return; fi
  cat >/dev/null; printf "%s\n" "$data" >>"$T/signals"; printf 202
}
sleep() { :; }
. "$T/prelude.sh"
DISCO_WWW=$T DISCO_DEPLOYMENT_LOG=$T/deployment.log
disco_init() { shopt -s inherit_errexit; trap '\''disco_on_err "$?" "$LINENO" "$BASH_COMMAND"'\'' ERR; }
[[ $(disco_json_str $'\''a"b\\c\nd\te\001'\'') == '\''"a\"b\\c\nd\te"'\'' ]] || { echo "disco_json_str"; exit 1; }
h=$(printf "%0128d" 0 | tr 0 a)
[[ $(disco_parse_sha512 "$h  x.tgz") == "$h" ]] || { echo "sha512 format 1"; exit 1; }
[[ $(disco_parse_sha512 "SHA512 (x.tgz) = $h") == "$h" ]] || { echo "sha512 BSD format"; exit 1; }
g=$(printf "%s" "$h" | tr a A | sed "s/.\{8\}/& /g; s/.\{36\}/&\n   /g")
[[ $(disco_parse_sha512 "x.tgz: $g") == "$h" ]] || { echo "sha512 GPG format"; exit 1; }
disco_signal SUCCESS base "base ready" "base ready after 3 s"
disco_base_all() { true; }
disco_hadoop_all() { local x; x=$(false); echo "$x"; }
declare -f >"$T/funcs.sh"
printf "%s\n" "set -Eeuo pipefail" "$(declare -p DISCO_CLUSTER DISCO_ROLE DISCO_NODE_INDEX DISCO_MASTER_IP DISCO_COMPONENTS DISCO_WWW DISCO_DEPLOYMENT_LOG DISCO_WHO T \
    DISCO_WC_SIGNAL DISCO_WC_TOKEN DISCO_WC_TOKEN_AT)" \
  "declare -A DISCO_STATE=()" ". \"\$T/funcs.sh\"" "disco_main" >"$T/run.sh"
if bash "$T/run.sh" >/dev/null 2>&1; then echo "disco_main did not fail"; exit 1; fi
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/progress.json"
grep -q "\"hadoop\":\"failed\"" "$T/progress.json" || { echo "progress.json"; exit 1; }
' >"$t/out" 2>&1; then
  echo "prelude behaviour test failed:"; sed 's/^/  /' "$t/out"; status=1
elif ! python3 - "$t/signals" <<'PY'
import json, sys
sig = [json.loads(l) for l in open(sys.argv[1])]
assert sig[0] == {"status": "SUCCESS", "id": "base", "reason": "base ready", "data": "base ready after 3 s"}, sig[0]
f = sig[-1]
assert f["status"] == "FAILURE" and f["id"] == "hadoop@worker2", f
assert f["reason"].startswith("hadoop failed on worker 2: line "), f
assert len(sig) == 2, sig
PY
then
  echo "prelude signal test failed"; status=1
else
  echo "prelude behaviour OK"
fi
[[ -n ${DISCO_SHOW_SIGNALS:-} ]] && cat "$t/signals"
rm -rf "$t"
limit=47613  # UserDataLimit.maxScriptBytes: Nova's 65,535 bytes of base64 less Heat's substitutions
# A script over the limit goes packed (NodeUserData: gzip and base64 in a ~1 KB unpacker; DISCO's own gzip codes
# a little larger than gzip -9, hence the quarter more).
for s in "$out"/ALL.master.sh "$out"/ALL.worker.sh; do
  size=$(wc -c <"$s")
  packed=$(( $(gzip -9nc <"$s" | base64 -w0 | wc -c) * 5 / 4 + 1024 ))
  if ((size <= limit)); then
    echo "size of $(basename "$s") (every component): $size bytes (limit $limit)"
  else
    echo "size of $(basename "$s") (every component): $size bytes, packed about $packed bytes (limit $limit)"
    ((packed <= limit)) || { echo "  too large, even packed"; status=1; }
  fi
done
((status == 0)) && echo "catalog OK (scripts in $out)"
exit "$status"
