"""Streamed responses (response_stream_begin in cgi/http/response.h) in
the real prefork runtime, spoken to over its own unix socket with
tessera-fixed: /stream sends its page in pieces, with a head that has no
Content-Length, and ends the request; /stream-cut stops half-way as a
handler that failed would, and the runtime then closes the connection
without the end-of-request record, so a web server cannot take the
short body for a whole one. The worker answers the next request as
usual."""

import os
import signal
import socket
import struct
import subprocess
import time

import tap

BUILD = os.environ.get("TESSERA_TEST_BUILD", os.path.join(tap.SRC, "build"))
SOCK = os.path.join(tap.VAR, "run", "stream-test.sock")
BYTES = 50000
FCGI_STDOUT, FCGI_END_REQUEST = 6, 3


def record(rtype, content, req_id=1):
    pad = (8 - len(content) % 8) % 8
    return struct.pack(">BBHHBB", 1, rtype, req_id, len(content), pad, 0) + content + b"\0" * pad


def pairs(params):
    out = b""
    for k, v in params.items():
        k, v = k.encode(), v.encode()
        for n in (len(k), len(v)):
            out += struct.pack(">B", n) if n < 128 else struct.pack(">I", n | 0x80000000)
        out += k + v
    return out


def request(path):
    """One FastCGI GET: (head, body, STDOUT records, whether the request
    was ended with FCGI_END_REQUEST before the connection closed)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(20)
    s.connect(SOCK)
    try:
        params = pairs({"REQUEST_METHOD": "GET", "REQUEST_URI": path,
                        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1"})
        s.sendall(record(1, struct.pack(">HB5x", 1, 0)) + record(4, params) +
                  record(4, b"") + record(5, b""))
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    stdout, pieces, ended = b"", 0, False
    while len(data) >= 8:
        _, rtype, _, clen, pad, _ = struct.unpack(">BBHHBB", data[:8])
        if rtype == FCGI_STDOUT and clen > 0:
            stdout += data[8:8 + clen]
            pieces += 1
        if rtype == FCGI_END_REQUEST:
            ended = True
        data = data[8 + clen + pad:]
    head, _, body = stdout.partition(b"\r\n\r\n")
    return head.decode(), body, pieces, ended


env = dict(os.environ, TESSERA_FIXED_BYTES=str(BYTES))
log = open(os.path.join(tap.VAR, "log", "stream-test.log"), "a")
master = subprocess.Popen([os.path.join(BUILD, "tessera-fixed"), "--listen", SOCK,
                           "--workers", "1"], env=env, stdin=subprocess.DEVNULL,
                          stdout=log, stderr=log, start_new_session=True)
try:
    deadline = time.time() + 10
    while time.time() < deadline and not (os.path.exists(SOCK) and tap.children(master.pid)):
        time.sleep(0.05)
    worker = tap.children(master.pid)

    head, page, _, ended = request("/")
    tap.ok(head.startswith("Status: 200") and "Content-Length: %d" % BYTES in head and ended,
           "an ordinary response has its Content-Length and ends its request")

    head, body, pieces, ended = request("/stream")
    tap.ok(head.startswith("Status: 200") and "script-src 'none'" in head,
           "a streamed response has the status and the security headers")
    tap.ok("Content-Length" not in head, "but no Content-Length")
    tap.is_eq(body, page, "its body is the whole page, in order")
    tap.ok(pieces > 10, "sent in pieces as they were made (%d records)" % pieces)
    tap.ok(ended, "and the request is ended")

    head, body, _, ended = request("/stream-cut")
    tap.ok(head.startswith("Status: 200") and body == page[:len(body)] and
           0 < len(body) < BYTES, "a stream cut off sends what was made before it failed")
    tap.ok(not ended, "then the connection closes without ending the request")

    head, body, _, ended = request("/")
    tap.ok(head.startswith("Status: 200") and body == page and ended,
           "and the worker answers the next request in full")
    tap.is_eq(tap.children(master.pid), worker, "the same worker: it did not die")
finally:
    master.send_signal(signal.SIGTERM)
    try:
        master.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(master.pid, signal.SIGKILL)
        master.wait()

tap.done()
