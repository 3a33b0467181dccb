"""A FastCGI client for the tests that talk to a program's socket
directly, without nginx: one request, and what came back. Standard library
only."""

import socket
import struct

BEGIN_REQUEST, PARAMS, STDIN, STDOUT, END_REQUEST = 1, 4, 5, 6, 3


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


def get(sock, path="/", timeout=20):
    """One GET on the unix socket sock: (head text, body bytes, how many
    STDOUT records carried it, whether FCGI_END_REQUEST came before the
    connection closed)."""
    return request(sock, "GET", path, timeout=timeout)


def request(sock, method, path, params=None, body=b"", timeout=20):
    """One request as nginx would send it, with extra FastCGI params
    (REMOTE_ADDR, HTTPS, HTTP_COOKIE, CONTENT_TYPE...) over the defaults;
    returns what get() does."""
    p = {"REQUEST_METHOD": method, "REQUEST_URI": path,
         "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1"}
    if body:
        p["CONTENT_LENGTH"] = str(len(body))
    p.update(params or {})
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(sock)
    try:
        stdin = b"".join(record(STDIN, body[i:i + 32768])
                         for i in range(0, len(body), 32768))
        s.sendall(record(BEGIN_REQUEST, struct.pack(">HB5x", 1, 0)) + record(PARAMS, pairs(p)) +
                  record(PARAMS, b"") + stdin + record(STDIN, b""))
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
        if rtype == STDOUT and clen > 0:
            stdout += data[8:8 + clen]
            pieces += 1
        data = data[8 + clen + pad:]
        if rtype == END_REQUEST:
            ended = True
            break
    head, _, body = stdout.partition(b"\r\n\r\n")
    return head.decode(), body, pieces, ended
