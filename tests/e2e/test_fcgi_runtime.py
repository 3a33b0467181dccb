"""The prefork FastCGI runtime itself, spoken to directly over its unix
socket: it answers, restarts a worker that dies, and on SIGTERM stops
accepting but finishes the requests in flight. Uses tessera-fixed (the
runtime with a fixed page) with each request made slow on purpose."""

import os
import signal
import subprocess
import threading
import time

import fcgi
import tap

BUILD = os.environ.get("TESSERA_TEST_BUILD", os.path.join(tap.SRC, "build"))
SOCK = os.path.join(tap.VAR, "run", "runtime-test.sock")
BYTES = 3000
DELAY_MS = 1500


def fcgi_get(path="/", timeout=20):
    """One FastCGI request; returns (headers text, body bytes) or raises."""
    head, body, _, _ = fcgi.get(SOCK, path, timeout)
    return head, body


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
