"""Request ids: nginx's $request_id reaches the programs (REQUEST_ID), is in
every line a program logs while it answers that request, and error pages
show it as their reference, so what a person quotes finds the log lines of
their request."""

import os
import re
import time

import tap

LOG = os.path.join(tap.VAR, "log")


def reference(body):
    m = re.search(r"Reference: <code>([0-9a-f]{32})</code>", body)
    return m.group(1) if m else None


def log_lines(program, ref, timeout=5):
    deadline = time.time() + timeout
    while True:
        with open(os.path.join(LOG, program + ".log"), errors="replace") as f:
            lines = [l for l in f if ("req=" + ref) in l]
        if lines or time.time() >= deadline:
            return lines


# A forged form (no CSRF token): 403 from tessera-app.
r = tap.post("/login", {"email": "alice@tessera.test", "password": "x", "csrf": "forged"})
tap.is_eq(r.status, 403, "a forged sign-in is refused")
ref = reference(r.body)
tap.ok(ref is not None, "the error page shows a reference (32 hex digits)")
if ref:
    lines = log_lines("app", ref)
    tap.ok(any("POST /login answered 403" in l for l in lines),
           "tessera-app's log has the request under that reference")
    tap.is_eq(len(log_lines("browse", ref, timeout=0)), 0, "and no other program's")

# Two requests, two references.
r2 = tap.post("/login", {"email": "alice@tessera.test", "password": "x", "csrf": "forged"})
ref2 = reference(r2.body)
tap.ok(ref2 is not None and ref2 != ref, "each request has its own")

# A page that is not there (tessera-browse): the reference too.
r = tap.get("/events/999999999")
tap.is_eq(r.status, 404, "a missing event is 404")
tap.ok(reference(r.body) is not None, "its page shows a reference")

# What a client sends as Request-Id is not taken: nginx makes its own.
r = tap.post("/login", {"csrf": "forged"}, headers={"Request-Id": "0" * 32,
                                                    "X-Request-Id": "0" * 32})
tap.ok(reference(r.body) not in (None, "0" * 32), "a client cannot choose its reference")

# Every line logged while answering carries it: a Stripe webhook without
# a valid signature logs why it was refused, under the request's id.
r = tap.request("POST", "/payments/stripe/webhook", body=b"{}",
                headers={"Content-Type": "application/json"})
ref3 = reference(r.body)
if r.status == 400 and ref3:
    lines = log_lines("app", ref3)
    tap.ok(any("webhook refused" in l for l in lines) and
           all(("req=" + ref3) in l for l in lines),
           "the handler's own log line carries the reference")
else:
    tap.skip("the handler's own log line carries the reference",
             "no Stripe webhook secret in this stack (%d)" % r.status)

tap.done()
