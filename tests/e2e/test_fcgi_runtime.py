"""The prefork FastCGI runtime itself, spoken to directly over its unix
socket: it answers, restarts a worker that dies, and on SIGTERM stops
accepting but finishes the requests in flight. Uses tessera-fixed (the
runtime with a fixed page) with each request made slow on purpose."""

import os
import signal
import socket
import struct
import subprocess
import threading
import time

import tap

BUILD = os.environ.get("TESSERA_TEST_BUILD", os.path.join(tap.SRC, "build"))
SOCK = os.path.join(tap.VAR, "run", "runtime-test.sock")
BYTES = 3000
DELAY_MS = 1500


def fcgi_record(rtype, content, req_id=1):
    pad = (8 - len(content) % 8) % 8
    return struct.pack(">BBHHBB", 1, rtype, req_id, len(content), pad, 0) + content + b"\0" * pad


def fcgi_pairs(params):
    out = b""
    for k, v in params.items():
        k, v = k.encode(), v.encode()
        for n in (len(k), len(v)):
            out += struct.pack(">B", n) if n < 128 else struct.pack(">I", n | 0x80000000)
        out += k + v
    return out


def fcgi_get(path="/", timeout=20):
    """One FastCGI request; returns (headers text, body bytes) or raises."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(SOCK)
    try:
        params = fcgi_pairs({"REQUEST_METHOD": "GET", "REQUEST_URI": path,
                             "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1"})
        s.sendall(fcgi_record(1, struct.pack(">HB5x", 1, 0)) + fcgi_record(4, params) +
                  fcgi_record(4, b"") + fcgi_record(5, b""))
        data, stdout = b"", b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        while len(data) >= 8:
            _, rtype, _, clen, pad, _ = struct.unpack(">BBHHBB", data[:8])
            if rtype == 6:
                stdout += data[8:8 + clen]
            data = data[8 + clen + pad:]
            if rtype == 3:
                break
        head, _, body = stdout.partition(b"\r\n\r\n")
        return head.decode(), body
    finally:
        s.close()




def start_master(workers=2):
    env = dict(os.environ, TESSERA_FIXED_BYTES=str(BYTES), TESSERA_FIXED_DELAY_MS=str(DELAY_MS))
    log = open(os.path.join(tap.VAR, "log", "runtime-test.log"), "a")
    p = subprocess.Popen([os.path.join(BUILD, "tessera-fixed"), "--listen", SOCK,
                          "--workers", str(workers)], env=env, stdin=subprocess.DEVNULL,
                         stdout=log, stderr=log, start_new_session=True)
    deadline = time.time() + 10
    while time.time() < deadline and not (os.path.exists(SOCK) and len(tap.children(p.pid)) == workers):
        time.sleep(0.05)
    return p


def wait_for(cond, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(0.1)
    return cond()


master = start_master()
try:
    tap.ok(os.path.exists(SOCK), "the runtime listens on its unix socket")
    kids = tap.children(master.pid)
    tap.is_eq(len(kids), 2, "it preforked the configured number of workers")

    head, body = fcgi_get()
    tap.ok(head.startswith("Status: 200"), "a request gets a 200")
    tap.is_eq(len(body), BYTES, "with the whole body")
    tap.ok("script-src 'none'" in head, "and the security headers")

    # A worker that dies is replaced; the site keeps answering meanwhile.
    victim = kids[0]
    time.sleep(2.1)  # past the quick-death pause, so the restart is immediate
    os.kill(victim, signal.SIGKILL)
    wait_for(lambda: victim not in tap.children(master.pid), 5)
    head, body = fcgi_get()
    tap.ok(head.startswith("Status: 200"), "requests are answered while a worker is dead")
    tap.ok(wait_for(lambda: len(tap.children(master.pid)) == 2 and victim not in tap.children(master.pid), 8),
           "the master starts a new worker in place of the killed one")
    head, body = fcgi_get()
    tap.ok(head.startswith("Status: 200") and len(body) == BYTES, "the new worker answers")

    # SIGTERM with two requests in flight: both finish, then everything stops.
    results = []

    def slow():
        try:
            results.append(fcgi_get())
        except OSError as e:
            results.append(("error: %s" % e, b""))

    threads = [threading.Thread(target=slow) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.4)
    os.kill(master.pid, signal.SIGTERM)
    for t in threads:
        t.join(30)
    tap.is_eq(len(results), 2, "both requests in flight at SIGTERM returned")
    tap.ok(all(h.startswith("Status: 200") and len(b) == BYTES for h, b in results),
           "and both were answered in full")
    try:
        rc = master.wait(10)
    except subprocess.TimeoutExpired:
        rc = None
    tap.is_eq(rc, 0, "the master exits cleanly once they are done")
    tap.ok(not os.path.exists(SOCK), "and removes its socket")
    refused = False
    try:
        fcgi_get(timeout=3)
    except OSError:
        refused = True
    tap.ok(refused, "no new request is accepted after the stop")
finally:
    if master.poll() is None:
        os.killpg(master.pid, signal.SIGKILL)
        master.wait()

tap.done()
