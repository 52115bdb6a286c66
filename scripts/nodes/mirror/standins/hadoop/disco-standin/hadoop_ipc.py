"""The NameNode stand-in's Hadoop IPC: enough of ClientProtocol for Java clients that only read
the namespace and make directories (Spark's history server on hdfs://), over protocol version 9
with SIMPLE authentication (no SASL). Other methods answer RpcNoSuchMethodException.

Wire format (org.apache.hadoop.ipc.Client / ProtobufRpcEngine2): the client sends "hrpc", the
version, the service class and the auth protocol, then frames of a 4-byte length followed by
varint-delimited protobuf messages: RpcRequestHeaderProto, RequestHeaderProto (method name) and
the request; the server answers a length, RpcResponseHeaderProto and the response message.
"""
import os
import socket
import struct
import threading

import disco_standin as s

CONNECTION_CONTEXT_CALL_ID, PING_CALL_ID = -3, -4
SUCCESS, ERROR, FATAL = 0, 1, 2
IS_DIR, IS_FILE = 1, 2
SAFEMODE_GET = 3


# ---- protobuf, by hand: varints, zigzag sint32, length-delimited fields ----

def varint(n):
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def read_varint(buf, i):
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def parse(buf):
    """A message -> {field number: [values]}: ints for varints, bytes for everything else."""
    out, i = {}, 0
    while i < len(buf):
        key, i = read_varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = read_varint(buf, i)
        elif wire == 2:
            n, i = read_varint(buf, i)
            value, i = buf[i:i + n], i + n
        elif wire in (1, 5):
            n = 8 if wire == 1 else 4
            value, i = buf[i:i + n], i + n
        else:
            raise ValueError(f"protobuf wire type {wire} is not supported")
        out.setdefault(number, []).append(value)
    return out


def message(*fields):
    """Encodes (number, value) pairs; None values are left out; ints and bools as varints."""
    out = b""
    for number, value in fields:
        if value is None:
            continue
        if isinstance(value, (bool, int)):
            out += varint(number << 3) + varint(int(value))
        else:
            data = value.encode() if isinstance(value, str) else value
            out += varint(number << 3 | 2) + varint(len(data)) + data
    return out


def delimited(data):
    return varint(len(data)) + data


def unzigzag(n):
    return (n >> 1) ^ -(n & 1)


def zigzag(n):
    return (n << 1) ^ (n >> 63)


def first(fields, number, default=None):
    return fields.get(number, [default])[0]


# ---- ClientProtocol ----

def file_status(name, e):
    """HdfsFileStatusProto of a namespace entry; name is the local name (empty for getFileInfo)."""
    return message((1, IS_DIR if e["type"] == "DIRECTORY" else IS_FILE), (2, name.encode()), (3, e["length"]),
                   (4, message((1, int(e["permission"], 8)))), (5, e["owner"]), (6, e["group"]),
                   (7, e["modificationTime"]), (8, e["modificationTime"]),
                   (10, 0 if e["type"] == "DIRECTORY" else 1), (11, 0 if e["type"] == "DIRECTORY" else 134217728))


class RpcError(Exception):
    def __init__(self, exception, text):
        super().__init__(text)
        self.exception = exception


def call(ns, method, req):
    """Runs one ClientProtocol method on the namespace; returns the response message."""
    if method == "setSafeMode":
        return message((1, ns.safemode() if first(req, 1, SAFEMODE_GET) == SAFEMODE_GET else False))
    if method == "getServerDefaults":
        return message((1, message((1, 134217728), (2, 512), (3, 65536), (4, 1), (5, 4096), (6, False), (7, 0), (8, 2))))
    if method == "msync":
        return b""
    src = first(req, 1, b"/")
    src = os.path.normpath(src.decode() if isinstance(src, bytes) and src else "/")
    if method in ("getFileInfo", "getFileLinkInfo"):
        e = ns.tree.get(src)
        return message((1, file_status("", e) if e else None))
    if method == "getListing":
        e = ns.tree.get(src)
        if not e:
            return b""
        after = first(req, 2, b"").decode()
        names = [src] if e["type"] == "FILE" else ns.children(src)
        entries = [file_status("" if p == src else p.rsplit("/", 1)[1], ns.tree[p]) for p in names
                   if p == src or p.rsplit("/", 1)[1] > after]
        return message((1, message(*[(1, x) for x in entries], (2, 0))))
    if method == "mkdirs":
        perm = first(parse(first(req, 2, b"")), 1, 0o755)
        error = ns.mkdirs(src, "dr.who", format(perm & 0o7777, "o"))
        if error:
            raise RpcError("org.apache.hadoop.fs.FileAlreadyExistsException", error)
        return message((1, True))
    raise RpcError("org.apache.hadoop.ipc.RpcNoSuchMethodException",
                   f"stand-in NameNode: ClientProtocol.{method} is not emulated (the DISCO stand-in serves reads and mkdirs only)")


def recv_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def handle(conn, ns):
    with conn:
        head = recv_exact(conn, 7)
        if head[:4] != b"hrpc":
            conn.sendall(b"stand-in hadoop: this port speaks Hadoop IPC only\n")
            return
        if head[6] != 0:
            s.log(f"IPC: refused a client that asks for SASL (auth protocol {head[6]}); the stand-in knows SIMPLE only")
            return
        while True:
            frame = recv_exact(conn, struct.unpack(">i", recv_exact(conn, 4))[0])
            n, i = read_varint(frame, 0)
            header = parse(frame[i:i + n])
            call_id = unzigzag(first(header, 3, 0))
            if call_id in (CONNECTION_CONTEXT_CALL_ID, PING_CALL_ID):
                continue
            n, j = read_varint(frame, i + n)
            method = first(parse(frame[j:j + n]), 1, b"?").decode()
            n, k = read_varint(frame, j + n)
            status, body, exception, text = SUCCESS, b"", None, None
            try:
                with ns.lock:
                    body = call(ns, method, parse(frame[k:k + n]))
            except RpcError as e:
                status, exception, text = ERROR, e.exception, str(e)
            except (ValueError, KeyError, IndexError, TypeError) as e:
                status, exception, text = ERROR, "org.apache.hadoop.ipc.RpcServerException", f"stand-in NameNode: {method}: {e!r}"
            reply = message((1, call_id), (2, status), (3, 9), (4, exception), (5, text),
                            (6, 2 if exception and "NoSuchMethod" in exception else (1 if exception else None)),
                            (7, first(header, 4)), (8, zigzag(unzigzag(first(header, 5, 1)))))
            out = delimited(reply) + (delimited(body) if status == SUCCESS else b"")
            conn.sendall(struct.pack(">i", len(out)) + out)
            if status != SUCCESS:
                s.log(f"IPC {method}: {exception}")


def serve(port, bind, ns):
    sock = s.bind(lambda: socket.create_server((bind, port)), port)

    def loop():
        while True:
            conn, _ = sock.accept()
            threading.Thread(target=lambda: _guard(conn, ns), daemon=True).start()
    threading.Thread(target=loop, daemon=True).start()
    s.log(f"Hadoop IPC (ClientProtocol subset) on {bind}:{port}")


def _guard(conn, ns):
    try:
        handle(conn, ns)
    except (EOFError, OSError, ValueError, IndexError):
        pass
