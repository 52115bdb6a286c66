#!/usr/bin/env python3
"""What a JupyterLab user does first, as checks: a wrong password is refused, the right one logs in, and a kernel
started through the server's API runs code (over the kernel's WebSocket channel, as the browser does).

    jupyter_check.py BASE-URL        (the password comes on standard input, never on the command line)

Prints one line per check and exits non-zero at the first failure. Self-signed certificates are accepted.
"""
import base64
import http.cookiejar
import json
import os
import socket
import ssl
import struct
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

TLS = ssl.create_default_context()
TLS.check_hostname = False
TLS.verify_mode = ssl.CERT_NONE


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


class Session:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=TLS),
                                                  urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def xsrf(self):
        return next((c.value for c in self.jar if c.name == "_xsrf"), "")

    def request(self, method, path, data=None, headers=None):
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def login(self, password):
        self.request("GET", "/login")
        form = urllib.parse.urlencode({"password": password, "_xsrf": self.xsrf()}).encode()
        return self.request("POST", "/login?next=%2Flab", form, {"Content-Type": "application/x-www-form-urlencoded"})


def websocket_execute(session, kernel_id, code):
    """Runs code in the kernel over /api/kernels/ID/channels and returns what it printed."""
    url = urllib.parse.urlparse(session.base)
    raw = socket.create_connection((url.hostname, url.port or (443 if url.scheme == "https" else 80)), timeout=60)
    sock = TLS.wrap_socket(raw, server_hostname=url.hostname) if url.scheme == "https" else raw
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.jar)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET {url.path}/api/kernels/{kernel_id}/channels HTTP/1.1\r\nHost: {url.netloc}\r\n"
                  f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  f"Sec-WebSocket-Version: 13\r\nCookie: {cookies}\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            fail("the kernel channel closed during the handshake")
        head += chunk
    status_line = head.split(b"\r\n", 1)[0]
    if b" 101 " not in status_line:
        fail(f"no WebSocket upgrade: {status_line.decode(errors='replace')}")
    buffer = head.split(b"\r\n\r\n", 1)[1]

    def send(text):
        payload = text.encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        n = len(payload)
        header += bytes([0x80 | n]) if n < 126 else (bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536
                                                      else bytes([0x80 | 127]) + struct.pack(">Q", n))
        sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def receive():
        nonlocal buffer
        while True:
            if len(buffer) >= 2:
                n, offset = buffer[1] & 0x7F, 2
                if n == 126:
                    n, offset = struct.unpack(">H", buffer[2:4])[0], 4
                elif n == 127:
                    n, offset = struct.unpack(">Q", buffer[2:10])[0], 10
                if len(buffer) >= offset + n:
                    opcode, payload, buffer = buffer[0] & 0x0F, buffer[offset:offset + n], buffer[offset + n:]
                    if opcode == 1:
                        return json.loads(payload)
                    if opcode == 8:
                        fail("the kernel channel was closed")
                    continue
            chunk = sock.recv(65536)
            if not chunk:
                fail("the kernel channel closed")
            buffer += chunk

    msg_id = uuid.uuid4().hex
    send(json.dumps({"header": {"msg_id": msg_id, "username": "disco-check", "session": uuid.uuid4().hex,
                                "msg_type": "execute_request", "version": "5.3"},
                     "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                     "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                                 "allow_stdin": False, "stop_on_error": True}}))
    printed, status = "", None
    while status is None or printed == "":
        message = receive()
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = message.get("msg_type") or message.get("header", {}).get("msg_type")
        if kind == "stream":
            printed += message["content"].get("text", "")
        elif kind == "error":
            fail(f"the kernel raised {message['content'].get('ename')}")
        elif kind == "execute_reply":
            status = message["content"].get("status")
            if status != "ok":
                fail(f"execute_reply status {status}")
    sock.close()
    return printed


def main():
    base = sys.argv[1]
    password = sys.stdin.readline().rstrip("\n")
    wrong = Session(base)
    status, headers, _ = wrong.login(password + "-wrong")
    if status in (301, 302, 303) and "/lab" in headers.get("Location", ""):
        fail("a wrong password was let in")
    status, _, _ = wrong.request("GET", "/api/kernels")
    if status not in (401, 403):
        fail(f"the API answered {status} without a session")
    print(f"ok: wrong password refused, API without a session {status}")

    user = Session(base)
    status, headers, _ = user.login(password)
    if status not in (301, 302, 303) or "/lab" not in headers.get("Location", ""):
        fail(f"the right password did not log in (HTTP {status})")
    print("ok: the right password logs in (redirect to /lab)")
    xsrf = {"X-XSRFToken": user.xsrf(), "Content-Type": "application/json"}
    status, _, body = user.request("POST", "/api/kernels", b"{}", xsrf)
    if status != 201:
        fail(f"starting a kernel answered {status}: {body[:200]!r}")
    kernel = json.loads(body)["id"]
    printed = websocket_execute(user, kernel, "print(6 * 7)")
    user.request("DELETE", f"/api/kernels/{kernel}", None, xsrf)
    if printed.strip() != "42":
        fail(f"the kernel printed {printed!r}, not 42")
    print("ok: a kernel ran print(6 * 7) and printed 42")


if __name__ == "__main__":
    main()
