"""Shared parts of DISCO's stand-in daemons and commands (see DISCO-STAND-IN at the archive's top).

Every line a stand-in prints starts with "[stand-in <component>]"; every HTTP answer carries the
header X-DISCO-Stand-In: true, JSON objects a "standIn": true field and HTML pages the words
"stand-in". Raw TCP ports that stand for a binary protocol answer one "stand-in" line and close.
"""
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMPONENT = "?"
HOME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def version():
    with open(os.path.join(HOME, "disco-standin", "VERSION")) as f:
        return f.read().strip()


def say(*lines, err=False):
    """Prints lines (each may hold several), every one marked as the stand-in's."""
    stream = sys.stderr if err else sys.stdout
    for text in lines:
        for line in str(text).split("\n"):
            stream.write(f"[stand-in {COMPONENT}] {line}\n")
    stream.flush()


def log(text):
    say(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {text}")


def fail(text, code=1):
    say(text, err=True)
    sys.exit(code)


def stop_on_sigterm():
    def stop(signum, _frame):
        log(f"stopping on signal {signum}")
        os._exit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


# ---- state files ----

def load_json(path, default):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def save_json(path, value):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(value, f, indent=1, sort_keys=True)
    os.replace(tmp, path)


# ---- HTTP ----

def page(title, body_html):
    """An HTML page that says it is a stand-in."""
    return (f"<!DOCTYPE html><html><head><title>{title} (DISCO stand-in)</title></head><body>"
            f"<h1>{title} &mdash; DISCO stand-in</h1><p>This is a stand-in for {title}, not the real "
            f"software: it answers what DISCO's install scripts and smoke checks ask.</p>{body_html}</body></html>")


class Request:
    def __init__(self, handler, method):
        parsed = urllib.parse.urlsplit(handler.path)
        self.method = method
        self.path = urllib.parse.unquote(parsed.path)
        self.query = {k: v[-1] for k, v in urllib.parse.parse_qs(parsed.query, keep_blank_values=True).items()}
        self.client = handler.client_address[0]
        self.length = int(handler.headers.get("Content-Length") or 0)
        self._rfile, self._body = handler.rfile, None

    @property
    def body(self):
        if self._body is None:
            self._body = self._rfile.read(self.length) if self.length else b""
        return self._body

    def save_body(self, path):
        """Streams the request body into a file (large uploads never sit in memory)."""
        left = self.length
        with open(path, "wb") as f:
            while left > 0:
                block = self._rfile.read(min(left, 1 << 20))
                if not block:
                    raise OSError(f"the upload ended after {self.length - left} of {self.length} bytes")
                f.write(block)
                left -= len(block)
        self._body = b""
        return self.length

    def json(self):
        return json.loads(self.body or b"{}")


def http_server(port, routes, host="0.0.0.0", quiet=()):
    """Serves routes {(METHOD, path prefix): fn(Request) -> (status, body)} on host:port in a thread.

    The longest matching prefix wins. body is a dict/list (JSON), str starting with '<' (HTML),
    other str (text) or bytes (raw). Requests to a path in quiet are not logged.
    """
    ordered = sorted(routes.items(), key=lambda kv: -len(kv[0][1]))

    class Handler(BaseHTTPRequestHandler):
        server_version = f"DISCO-stand-in-{COMPONENT}"

        def handle_any(self, method):
            req = Request(self, method)
            for (m, prefix), fn in ordered:
                if m == method and (req.path == prefix or req.path.startswith(prefix.rstrip("/") + "/") or prefix == "/"):
                    try:
                        status, body = fn(req)
                    except Exception as e:  # the stand-in's own bug: say so, keep serving
                        status, body = 500, {"error": f"stand-in {COMPONENT}: {type(e).__name__}: {e}"}
                    break
            else:
                status, body = 404, {"error": f"stand-in {COMPONENT}: no {method} {req.path}"}
            self.reply(status, body)
            if req.path not in quiet:
                log(f"HTTP {method} {self.path} from {req.client}: {status}")

        def reply(self, status, body):
            if isinstance(body, dict):
                body = dict(body, standIn=True)
            if isinstance(body, (dict, list)):
                data, ctype = json.dumps(body).encode(), "application/json"
            elif isinstance(body, str) and body.startswith("<"):
                data, ctype = body.encode(), "text/html; charset=utf-8"
            elif isinstance(body, str):
                data, ctype = "".join(f"[stand-in {COMPONENT}] {l}\n" for l in body.splitlines()).encode(), "text/plain"
            else:
                data, ctype = body, "application/octet-stream"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-DISCO-Stand-In", "true")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def do_GET(self):
            self.handle_any("GET")

        def do_HEAD(self):
            self.handle_any("GET")

        def do_POST(self):
            self.handle_any("POST")

        def do_PUT(self):
            self.handle_any("PUT")

        def do_DELETE(self):
            self.handle_any("DELETE")

        def log_message(self, *args):
            pass

    server = bind(lambda: ThreadingHTTPServer((host, port), Handler), port)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log(f"HTTP on {host}:{port}")
    return server


def tcp_placeholder(port, protocol, host="0.0.0.0"):
    """Holds a port whose real protocol is binary RPC: answers one line and closes."""
    sock = bind(lambda: socket.create_server((host, port), reuse_port=False), port)

    def loop():
        while True:
            conn, _ = sock.accept()
            try:
                conn.sendall(f"stand-in {COMPONENT}: {protocol} is not emulated on this port\n".encode())
            except OSError:
                pass
            conn.close()
    threading.Thread(target=loop, daemon=True).start()
    log(f"port {port} held for {protocol} (not emulated)")
    return sock


def bind(make, port):
    try:
        return make()
    except OSError as e:
        fail(f"cannot listen on port {port}: {e}")


def call(url, data=None, method=None, timeout=10):
    """A JSON request to another stand-in; returns the decoded answer or raises OSError."""
    body = None if data is None else json.dumps(data).encode()
    req = urllib.request.Request(url, data=body, method=method or ("POST" if body is not None else "GET"),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = {"error": raw.decode(errors="replace")}
        raise RemoteError(e.code, answer) from None
    return json.loads(raw) if raw else {}


class RemoteError(OSError):
    def __init__(self, status, answer):
        super().__init__(f"HTTP {status}: {answer.get('error') or answer}")
        self.status = status
        self.answer = answer


def run(main):
    """Runs a stand-in's main: an OSError (permission, missing file, refused port) becomes a marked message."""
    try:
        sys.exit(main() or 0)
    except OSError as e:
        fail(f"{type(e).__name__}: {e}")
    except KeyboardInterrupt:
        sys.exit(130)


def forever():
    while True:
        time.sleep(3600)


def local_ip_towards(host):
    """This node's address on the route to host (what a real daemon would register with)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect((host, 9))
            return s.getsockname()[0]
    except OSError:
        return "127.0.0.1"
