#!/usr/bin/env python3
"""Serves a mirror directory over HTTP (GET and HEAD), one log line per request.

Usage: serve.py DIR ADDRESS PORT LOGFILE [--wrong-checksum PATH]

Each request appends "METHOD PATH STATUS BYTES CLIENT TIME" to LOGFILE (BYTES: body bytes sent).
--wrong-checksum PATH (or DISCO_MIRROR_WRONG_CHECKSUM=PATH) answers PATH.sha512 with a
well-formed SHA-512 that is not the artefact's, for the suite's fault scenario; PATH is the
artefact's path below DIR (with or without .sha512). Hidden files (the build's stamps) are not served.
"""
import hashlib
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    args = sys.argv[1:]
    wrong = os.environ.get("DISCO_MIRROR_WRONG_CHECKSUM", "")
    if "--wrong-checksum" in args:
        i = args.index("--wrong-checksum")
        if i + 1 >= len(args):
            sys.exit("serve.py: --wrong-checksum needs the artefact's path")
        wrong = args[i + 1]
        del args[i:i + 2]
    if len(args) != 4:
        sys.exit("usage: serve.py DIR ADDRESS PORT LOGFILE [--wrong-checksum PATH]")
    root, address, port, logfile = os.path.realpath(args[0]), args[1], int(args[2]), args[3]
    wrong = wrong.strip("/")
    wrong = wrong if not wrong or wrong.endswith(".sha512") else wrong + ".sha512"
    if wrong and not os.path.isfile(os.path.join(root, wrong)):
        sys.exit(f"serve.py: --wrong-checksum {wrong}: no such file in {root}")
    lock = threading.Lock()
    log = open(logfile, "a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        server_version = "DISCO-mirror"
        protocol_version = "HTTP/1.1"

        def serve(self, head):
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).lstrip("/")
            full = os.path.realpath(os.path.join(root, path))
            sent, status = 0, 200
            if any(p.startswith(".") for p in path.split("/")) or not full.startswith(root + os.sep) or not os.path.isfile(full):
                status, body = 404, b"not found\n"
                self.answer(status, len(body), "text/plain")
                if not head:
                    self.wfile.write(body)
                    sent = len(body)
            elif path == wrong:
                name = os.path.basename(path)[:-len(".sha512")]
                body = f"{hashlib.sha512(b'DISCO mirror: a wrong checksum for ' + name.encode()).hexdigest()}  {name}\n".encode()
                self.answer(status, len(body), "text/plain")
                if not head:
                    self.wfile.write(body)
                    sent = len(body)
            else:
                size = os.path.getsize(full)
                self.answer(status, size, "text/plain" if path.endswith(".sha512") else "application/octet-stream")
                if not head:
                    with open(full, "rb") as f:
                        try:
                            while block := f.read(1 << 20):
                                self.wfile.write(block)
                                sent += len(block)
                        except (BrokenPipeError, ConnectionResetError):
                            pass
            with lock:
                log.write(f"{self.command} /{path} {status} {sent} {self.client_address[0]} "
                          f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n")

        def answer(self, status, length, ctype):
            self.send_response_only(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(length))
            self.end_headers()

        def do_GET(self):
            self.serve(False)

        def do_HEAD(self):
            self.serve(True)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((address, port), Handler)
    server.daemon_threads = True
    print(f"mirror: serving {root} on http://{address}:{port}/, requests logged to {logfile}"
          + (f", wrong checksum for {wrong}" if wrong else ""), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
