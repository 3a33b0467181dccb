"""Request ids: nginx's $request_id reaches the programs (REQUEST_ID), is in
every line a program logs while it answers that request, and error pages
show it as their reference, so what a person quotes finds the log lines of
their request. nginx's own error pages (a program that is not there, a
limit exceeded, a body too large, a request it cannot read) show it too,
the X-Request-Id nginx sends with them, in a well-formed page of the
site's with its security headers."""

import html.parser
import http.client
import os
import re
import threading
import time
import urllib.parse

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


# ---------------------------------------------------------------- nginx's own pages
VOID = {"meta", "link", "br", "hr", "img", "input"}


class Balance(html.parser.HTMLParser):
    """Every element closed, in order; the page's problems in .errors."""

    def __init__(self):
        super().__init__()
        self.open, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag:
            self.errors.append("</%s> out of place" % tag)


def well_formed(body):
    b = Balance()
    b.feed(body)
    b.close()
    return body.startswith("<!doctype html>\n<html lang=\"en\">") and not b.open and not b.errors


def nginx_page(r, status, title, what):
    """The checks of one of nginx's own error pages; its reference."""
    ref = reference(r.body)
    tap.is_eq(r.status, status, "%s: nginx answers %d" % (what, status))
    tap.ok(ref is not None and ref == r.headers.get("X-Request-Id"),
           "%s: its page shows the reference, the X-Request-Id nginx sent (%s, %s)"
           % (what, ref, r.headers.get("X-Request-Id")))
    tap.ok(well_formed(r.body) and "<title>%s · Tessera</title>" % title in r.body
           and "<h1>%s</h1>" % title in r.body,
           "%s: a well-formed page of the site's, \"%s\"" % (what, title))
    tap.ok(r.headers.get("Content-Type") == "text/html; charset=utf-8"
           and "script-src 'none'" in r.headers.get("Content-Security-Policy", "")
           and r.headers.get("X-Frame-Options") == "DENY"
           and r.headers.get("Cache-Control") == "no-store",
           "%s: with the pages' security headers, never cached (%s)"
           % (what, r.headers.get("Content-Type")))
    return ref


def bare(method, path, headers=(), host=True):
    """One request as given, without the Host header when host is false."""
    u = urllib.parse.urlsplit(tap.URL)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        conn.putrequest(method, path, skip_host=not host, skip_accept_encoding=True)
        for k, v in headers:
            conn.putheader(k, v)
        conn.endheaders()
        resp = conn.getresponse()
        return tap.Response(resp, resp.read())
    finally:
        conn.close()


# A program that is not there (its socket missing): 502 in nginx, 503 to
# the visitor, as when a program is down.
r = tap.get("/test/upstream-down")
refs = [nginx_page(r, 503, "Temporarily unavailable", "a program that is down")]
tap.ok("cannot answer this page right now" in r.body, "... saying to try again in a minute")

# A body over client_max_body_size (64k for a form): 413 before any program.
r = tap.request("POST", "/login", body=b"x" * (65 * 1024),
                headers={"Content-Type": "application/x-www-form-urlencoded"})
refs.append(nginx_page(r, 413, "Too large", "a form too large"))

# Sign-in's limit per address (2 a second, 10 more waiting): 20 at once
# from an address of this test's own; what is over is 429, from nginx.
answers = []


def sign_in():
    answers.append(tap.post("/login", {"csrf": "forged"}, source="127.0.4.13"))


threads = [threading.Thread(target=sign_in) for _ in range(20)]
for t in threads:
    t.start()
for t in threads:
    t.join()
limited = [a for a in answers if a.status == 429]
tap.ok(limited, "20 sign-ins at once from one address: %d answered 429 by nginx (%s)"
       % (len(limited), sorted(a.status for a in answers)))
if limited:
    refs.append(nginx_page(limited[0], 429, "Too many requests", "a limit exceeded"))

# Requests nginx cannot take: no Host (400), headers over its buffers
# (494, shown as 400), an address too long (414), a form sent to a file (405).
refs.append(nginx_page(bare("GET", "/events", host=False), 400, "Bad request", "no Host header"))
refs.append(nginx_page(bare("GET", "/events", [("Cookie", "c=" + "x" * 40000)]), 400,
                       "Bad request", "a cookie too large"))
refs.append(nginx_page(bare("GET", "/events?" + "q" * 20000), 414, "Address too long",
                       "an address too long"))
refs.append(nginx_page(tap.request("POST", "/static/style.css", body=b"a=1"), 405,
                       "Not allowed", "a form sent to a file"))
tap.ok(None not in refs and len(set(refs)) == len(refs), "each of those has its own reference")

# nginx's access log has each of them under its reference, as the
# programs' logs have theirs: what a person quotes finds the line.
refs = [r for r in refs if r]
logged = {}
deadline = time.time() + 5              # the access log is flushed every second
while len(logged) < len(refs) and time.time() < deadline:
    time.sleep(0.5)
    with open(os.path.join(LOG, "nginx-access.log"), errors="replace") as f:
        for line in f:
            m = re.search(r'" (\d{3}) .* req=([0-9a-f]{32})$', line.rstrip("\n"))
            if m and m.group(2) in refs:
                logged[m.group(2)] = m.group(1)
tap.is_eq(sorted(logged), sorted(refs),
          "nginx's access log has a line under each of those references (statuses %s)"
          % sorted(logged.values()))

tap.done()
