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
import subprocess
import time

import fcgi
import tap

BUILD = os.environ.get("TESSERA_TEST_BUILD", os.path.join(tap.SRC, "build"))
SOCK = os.path.join(tap.VAR, "run", "stream-test.sock")
BYTES = 50000


def request(path):
    """One FastCGI GET: (head, body, STDOUT records, whether the request
    was ended with FCGI_END_REQUEST before the connection closed)."""
    return fcgi.get(SOCK, path)


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
