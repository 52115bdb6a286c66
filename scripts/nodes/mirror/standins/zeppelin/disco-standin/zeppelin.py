#!/usr/bin/env python3
"""Stand-in for the Apache Zeppelin server (see DISCO-STAND-IN).

Serves Zeppelin's REST API subset a user's first checks touch: the version, the interpreter
settings read from interpreter/*/interpreter-setting.json (which DISCO edits), and notes kept as
JSON files in the notebook directory. Paragraphs are refused: no interpreter runs.
"""
import glob
import os
import sys
import time
import uuid
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import disco_standin as s  # noqa: E402

s.COMPONENT = "zeppelin"


def site(key, default):
    path = os.path.join(os.environ.get("ZEPPELIN_CONF_DIR") or os.path.join(s.HOME, "conf"), "zeppelin-site.xml")
    if os.path.exists(path):
        for prop in ET.parse(path).getroot().iter("property"):
            if prop.findtext("name") == key:
                return (prop.findtext("value") or "").strip()
    return default


def ok(body, message=""):
    return 200, {"status": "OK", "message": message, "body": body}


def server():
    s.stop_on_sigterm()
    port = int(os.environ.get("ZEPPELIN_PORT") or site("zeppelin.server.port", "8080"))
    addr = os.environ.get("ZEPPELIN_ADDR") or site("zeppelin.server.addr", "127.0.0.1")
    notebooks = os.environ.get("ZEPPELIN_NOTEBOOK_DIR") or site("zeppelin.notebook.dir", os.path.join(s.HOME, "notebook"))
    os.makedirs(notebooks, exist_ok=True)

    def settings(req):
        out = []
        for path in sorted(glob.glob(os.path.join(s.HOME, "interpreter", "*", "interpreter-setting.json"))):
            group = os.path.basename(os.path.dirname(path))
            with open(path) as f:
                items = s.json.load(f)
            out.append({"id": group, "name": group, "group": group,
                        "properties": {k: {"name": k, "value": v.get("defaultValue"), "type": v.get("type", "string")}
                                       for it in items for k, v in it.get("properties", {}).items()},
                        "interpreterGroup": [{"name": it["name"], "class": it.get("className", "")} for it in items],
                        "status": "READY"})
        return ok(out)

    def note_path(ident):
        if not ident.replace("-", "").isalnum():
            raise ValueError(f"bad note id {ident}")
        return os.path.join(notebooks, f"{ident}.zpln")

    def notes(req):
        if req.path.rstrip("/") != "/api/notebook":
            return note(req)
        found = [s.load_json(p, {}) for p in sorted(glob.glob(os.path.join(notebooks, "*.zpln")))]
        return ok([{"id": n.get("id"), "path": "/" + n.get("name", "")} for n in found])

    def note(req):
        ident = req.path.rstrip("/").rsplit("/", 1)[1]
        if req.method == "POST" and req.path.rstrip("/") == "/api/notebook":
            d = req.json()
            ident = uuid.uuid4().hex[:9].upper()
            s.save_json(note_path(ident), {"id": ident, "name": d.get("name", f"Untitled {ident}").lstrip("/"),
                                           "paragraphs": d.get("paragraphs", []), "created": int(time.time())})
            s.log(f"created note {ident}")
            return ok(ident)
        if not os.path.exists(note_path(ident)):
            return 404, {"status": "NOT_FOUND", "message": f"No such note: {ident}"}
        if req.method == "DELETE":
            os.unlink(note_path(ident))
            return ok(None)
        return ok(s.load_json(note_path(ident), {}))

    def run(req):
        return 500, {"status": "INTERNAL_SERVER_ERROR",
                     "message": "stand-in: Zeppelin's interpreters do not run here (this needs real Zeppelin)"}

    version = lambda r: ok({"version": s.version(), "git-commit-id": "DISCO stand-in", "git-timestamp": ""}, "Zeppelin version")
    s.log(f"Zeppelin {s.version()} starting on {addr}:{port}, notebooks in {notebooks}")
    s.http_server(port, {("GET", "/"): lambda r: (200, s.page("Apache Zeppelin", "<p>Notebooks are listed by /api/notebook; "
                                                                 "paragraphs do not run.</p>")),
                         ("GET", "/api/version"): version, ("GET", "/api/interpreter/setting"): settings,
                         ("GET", "/api/notebook"): notes, ("POST", "/api/notebook"): note,
                         ("DELETE", "/api/notebook"): note, ("POST", "/api/notebook/job"): run,
                         ("POST", "/api/notebook/run"): run}, addr)
    s.forever()


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "--version":
        s.say(f"Zeppelin {s.version()} (DISCO stand-in; see {s.HOME}/DISCO-STAND-IN)")
        return 0
    if cmd == "server":
        return server()
    s.fail(f"zeppelin.py {cmd}: unknown (the stand-in knows server and --version)")


if __name__ == "__main__":
    s.run(main)
