#!/usr/bin/env python3
"""A small fake of the parts of Stripe's API that Tessera uses, for tests.
Standard library only; listens on 127.0.0.1 only.

    python3 tests/e2e/fake_stripe.py [--port N] [--webhook URL]
        [--webhook-secret whsec_...] [--api-key sk_test_...] [--stop-on-eof]
        [--verbose]

It prints its base URL (http://127.0.0.1:PORT) as the first line of its
standard output once it listens; --port 0 (the default) picks a free port.
With --stop-on-eof it exits when its standard input closes, so a test that
starts it as a subprocess with a pipe there cannot leave it behind.

Stripe's side (form-encoded POSTs, JSON replies, Stripe's error shape,
`Request-Id` on every reply; auth with the secret key as Basic user or
Bearer token, any sk_/rk_ key unless --api-key names one):

    POST /v1/checkout/sessions              mode=payment, success_url,
                                            cancel_url, client_reference_id,
                                            expires_at (30 min to 24 h ahead),
                                            metadata[...], line_items[N]
                                            [price_data][currency|unit_amount|
                                            product_data][name]], [quantity]
    GET  /v1/checkout/sessions/{id}
    POST /v1/checkout/sessions/{id}/expire  sends checkout.session.expired
    POST /v1/refunds                        payment_intent, amount (optional);
                                            sends charge.refunded

Unknown parameters are refused as Stripe refuses them. Idempotency-Key works
as Stripe's: the same key with the same parameters replays the first reply
(with `Idempotent-Replayed: true`), with other parameters it is a 400
idempotency_error, while the first is still running a 409. Replies to
parameters that fail validation, and injected faults, are not saved, so a
retry with the same key after a fault really runs.

The hosted page, for a browser without JavaScript:

    GET  /pay/{session}          the order, a "Pay" and a "Decline" form
    POST /pay/{session}/pay      completes the session (payment_intent pi_...),
                                 POSTs checkout.session.completed to the
                                 webhook, signed as Stripe signs
                                 (Stripe-Signature: t=...,v1=...,v0=...),
                                 then 303 to success_url
    POST /pay/{session}/decline  303 to cancel_url; the session stays open

Control endpoints for tests (JSON in, JSON out, no auth):

    GET  /_control/requests      every API request: method, path,
                                 idempotency_key, body, params, status,
                                 replayed, fault, auth, client_port
    GET  /_control/deliveries    every webhook delivery: event_id, type, url,
                                 payload (the exact body), signature, status,
                                 error
    GET  /_control/state         sessions, payment intents, refunds
    POST /_control/fail          {"mode": "500"|"429"|"hang"|"close"|"huge"|
                                 "garbage", "count": N, "seconds": S}: the
                                 next N API calls fail so (hang: no reply for
                                 S seconds, default 10, then a 500)
    POST /_control/events        send an event to the webhook: {"type": T,
                                 "session": ID | "object": {...}, "id": EVT
                                 (reuse it to duplicate), "timestamp": T (to
                                 make it stale), "secret": S (forged),
                                 "signature": HEADER (verbatim), "body": RAW
                                 (instead of the event), "times": N, "url":
                                 U}; returns the deliveries
    POST /_control/webhook       {"url": U, "secret": S, "hold": bool}: while
                                 held, events queue; un-holding sends them
    POST /_control/reset         forgets requests, deliveries and faults

From a Python test, start(...) runs it as a subprocess and returns a
Process with its url and helpers for the control endpoints:

    import fake_stripe
    with fake_stripe.start(webhook="http://127.0.0.1:18080/payments/"
                           "stripe/webhook") as fake:
        fake.fail("hang", seconds=8)
        fake.requests(); fake.deliveries(); fake.pay(session_id)
"""

import argparse
import base64
import hashlib
import hmac
import html
import http.client
import http.server
import json
import os
import re
import secrets
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

MAX_BODY = 1 << 20
WEBHOOK_TIMEOUT = 10

SESSION_PARAMS = re.compile(
    r"^(mode|success_url|cancel_url|client_reference_id|expires_at|"
    r"customer_email|locale|metadata\[[^\[\]]{1,40}\]|"
    r"payment_intent_data\[metadata\]\[[^\[\]]{1,40}\]|"
    r"line_items\[\d{1,3}\]\[(quantity|price_data\]\[(currency|unit_amount|"
    r"product_data\]\[(name|description)))\])$")
REFUND_PARAMS = re.compile(
    r"^(payment_intent|amount|reason|metadata\[[^\[\]]{1,40}\])$")
LINE_KEY = re.compile(r"^line_items\[(\d+)\]\[(.*)\]$")


def new_id(prefix, n=24):
    return prefix + secrets.token_hex(n // 2)


class StripeError(Exception):
    """An error reply. saved: whether the idempotency layer keeps it."""

    def __init__(self, status, message, type_="invalid_request_error",
                 code=None, param=None, saved=False):
        super().__init__(message)
        self.status = status
        self.body = {"error": {"type": type_, "message": message}}
        if code:
            self.body["error"]["code"] = code
        if param:
            self.body["error"]["param"] = param
        self.saved = saved


def missing(param):
    return StripeError(400, "Missing required param: %s." % param,
                       code="parameter_missing", param=param)


def invalid(param, message):
    return StripeError(400, message, code="parameter_invalid_string",
                       param=param)


def as_int(params, name, minimum=None, maximum=None):
    v = params.get(name)
    if v is None:
        return None
    if not re.fullmatch(r"-?\d{1,18}", v):
        raise StripeError(400, "Invalid integer: %s" % v,
                          code="parameter_invalid_integer", param=name)
    n = int(v)
    if minimum is not None and n < minimum:
        raise StripeError(400, "This value must be greater than or equal "
                          "to %d." % minimum,
                          code="parameter_invalid_integer", param=name)
    if maximum is not None and n > maximum:
        raise StripeError(400, "This value must be less than or equal to "
                          "%d." % maximum,
                          code="parameter_invalid_integer", param=name)
    return n


def valid_url(u):
    p = urllib.parse.urlsplit(u)
    return p.scheme in ("http", "https") and bool(p.netloc)


class Fake:
    """All state, behind one lock."""

    def __init__(self, args):
        self.lock = threading.Lock()
        self.api_key = args.api_key
        self.webhook_url = args.webhook
        self.webhook_secret = args.webhook_secret
        self.hold = False
        self.held = []
        self.base = None
        self.requests = []
        self.deliveries = []
        self.faults = []
        self.idem = {}
        self.sessions = {}
        self.lines = {}
        self.intents = {}
        self.refunds = {}

    # ---------------------------------------------------------- webhooks

    def sign(self, payload, timestamp=None, secret=None):
        t = int(time.time()) if timestamp is None else int(timestamp)
        key = (secret or self.webhook_secret).encode()
        v1 = hmac.new(key, ("%d." % t).encode() + payload,
                      hashlib.sha256).hexdigest()
        # Test-mode events also carry a v0 signature, under another key.
        v0 = hmac.new(b"fake-v0", payload, hashlib.sha256).hexdigest()
        return "t=%d,v1=%s,v0=%s" % (t, v1, v0)

    def event(self, type_, obj, event_id=None):
        return {
            "id": event_id or new_id("evt_test_"),
            "object": "event",
            "api_version": "2024-06-20",
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": type_,
            "data": {"object": obj},
        }

    def deliver(self, payload, signature, url=None, event_id=None,
                type_=None):
        """POSTs payload (bytes) to the webhook; returns the record."""
        url = url or self.webhook_url
        rec = {"event_id": event_id, "type": type_, "url": url,
               "payload": payload.decode("utf-8", "replace"),
               "signature": signature, "status": None, "response": None,
               "error": None, "time": time.time()}
        if not url:
            rec["error"] = "no webhook URL"
        else:
            req = urllib.request.Request(url, data=payload, method="POST")
            req.add_header("Content-Type", "application/json; charset=utf-8")
            req.add_header("User-Agent",
                           "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
            if signature is not None:
                req.add_header("Stripe-Signature", signature)
            try:
                with urllib.request.urlopen(req, timeout=WEBHOOK_TIMEOUT) as r:
                    rec["status"] = r.status
                    rec["response"] = r.read(1000).decode("utf-8", "replace")
            except urllib.error.HTTPError as e:
                rec["status"] = e.code
                rec["response"] = e.read(1000).decode("utf-8", "replace")
            except Exception as e:  # refused, timeout, bad URL
                rec["error"] = "%s: %s" % (type(e).__name__, e)
        with self.lock:
            rec["seq"] = len(self.deliveries) + 1
            self.deliveries.append(rec)
        return rec

    def send_event(self, ev):
        """Signs and sends a real event now, or queues it while held."""
        payload = json.dumps(ev, indent=2).encode()
        with self.lock:
            if self.hold:
                self.held.append(ev)
                return None
        return self.deliver(payload, self.sign(payload), event_id=ev["id"],
                            type_=ev["type"])

    # ---------------------------------------------------------- API

    def check_params(self, params, pattern):
        for name in params:
            if not pattern.match(name):
                raise StripeError(400, "Received unknown parameter: %s" %
                                  name, code="parameter_unknown", param=name)

    def create_session(self, params):
        self.check_params(params, SESSION_PARAMS)
        mode = params.get("mode")
        if mode is None:
            raise missing("mode")
        if mode != "payment":
            raise invalid("mode", "Invalid mode: must be one of payment, "
                          "setup, or subscription (this fake: payment)")
        for name in ("success_url", "cancel_url"):
            if name in params and not valid_url(params[name]):
                raise invalid(name, "Not a valid URL")
        if "success_url" not in params:
            raise missing("success_url")
        ref = params.get("client_reference_id")
        if ref is not None and not 1 <= len(ref) <= 200:
            raise invalid("client_reference_id", "client_reference_id must "
                          "be 1 to 200 characters")
        now = int(time.time())
        expires = as_int(params, "expires_at")
        if expires is not None and not (now + 1800 - 10 <= expires <=
                                        now + 86400 + 10):
            raise invalid("expires_at", "The `expires_at` timestamp must be "
                          "between 30 minutes and 24 hours after Checkout "
                          "Session creation.")
        metadata = {}
        for name, v in params.items():
            m = re.fullmatch(r"metadata\[(.+)\]", name)
            if m:
                if len(v) > 500:
                    raise invalid(name, "Metadata values can have up to "
                                  "500 characters")
                metadata[m.group(1)] = v
        raw = {}
        for name, v in params.items():
            m = LINE_KEY.match(name)
            if m:
                raw.setdefault(int(m.group(1)), {})[m.group(2)] = (name, v)
        if not raw:
            raise missing("line_items")
        if sorted(raw) != list(range(len(raw))):
            raise invalid("line_items", "line_items must be numbered from 0 "
                          "without gaps")
        lines, currency, total = [], None, 0
        for i in range(len(raw)):
            item = raw[i]
            prefix = "line_items[%d]" % i

            def need(sub):
                if sub not in item:
                    raise missing("%s[%s]" % (prefix, sub))
                return item[sub]
            cname, cur = need("price_data][currency")
            if not re.fullmatch(r"[a-z]{3}", cur):
                raise invalid(cname, "Invalid currency: %s" % cur)
            if currency not in (None, cur):
                raise invalid(cname, "All line items must use the same "
                              "currency")
            currency = cur
            aname, amount = need("price_data][unit_amount")
            amount = as_int({aname: amount}, aname, 0, 99999999)
            nname, pname = need("price_data][product_data][name")
            if pname == "":
                raise invalid(nname, "You passed an empty string for '%s'. "
                              "We assume empty values are an attempt to "
                              "unset a parameter; however '%s' cannot be "
                              "unset." % (nname, nname))
            qname, qty = need("quantity")
            qty = as_int({qname: qty}, qname, 1, 999999)
            lines.append({"name": pname, "unit_amount": amount,
                          "quantity": qty, "currency": cur})
            total += amount * qty
        sid = new_id("cs_test_", 58)
        session = {
            "id": sid, "object": "checkout.session", "mode": "payment",
            "status": "open", "payment_status": "unpaid",
            "url": "%s/pay/%s" % (self.base, sid),
            "success_url": params.get("success_url"),
            "cancel_url": params.get("cancel_url"),
            "client_reference_id": ref, "metadata": metadata,
            "amount_subtotal": total, "amount_total": total,
            "currency": currency, "created": now,
            "expires_at": expires if expires is not None else now + 86400,
            "payment_intent": None, "livemode": False,
        }
        with self.lock:
            self.sessions[sid] = session
            self.lines[sid] = lines
        return 200, dict(session)

    def get_session(self, sid):
        with self.lock:
            s = self.sessions.get(sid)
            if s is None:
                raise StripeError(404, "No such checkout.session: '%s'" % sid,
                                  code="resource_missing", param="session")
            self.expire_if_due(s)
            return 200, dict(s)

    def expire_if_due(self, s):
        """Under the lock: an open session past expires_at expires."""
        if s["status"] == "open" and s["expires_at"] < time.time():
            s["status"] = "expired"
            return True
        return False

    def expire_session(self, sid, params):
        self.check_params(params, re.compile(r"^$"))
        with self.lock:
            s = self.sessions.get(sid)
            if s is None:
                raise StripeError(404, "No such checkout.session: '%s'" % sid,
                                  code="resource_missing", param="session")
            self.expire_if_due(s)
            if s["status"] != "open":
                raise StripeError(400, "Only Checkout Sessions with a status "
                                  "in [\"open\"] can be expired.",
                                  saved=True)
            s["status"] = "expired"
            obj = dict(s)
        self.send_event(self.event("checkout.session.expired", obj))
        return 200, obj

    def create_refund(self, params):
        self.check_params(params, REFUND_PARAMS)
        pid = params.get("payment_intent")
        if pid is None:
            raise missing("payment_intent")
        amount = as_int(params, "amount", 1)
        reason = params.get("reason")
        if reason is not None and reason not in (
                "duplicate", "fraudulent", "requested_by_customer"):
            raise invalid("reason", "Invalid reason")
        with self.lock:
            pi = self.intents.get(pid)
            if pi is None:
                raise StripeError(400, "No such payment_intent: '%s'" % pid,
                                  code="resource_missing",
                                  param="payment_intent")
            left = pi["amount"] - pi["amount_refunded"]
            if left == 0:
                raise StripeError(400, "Charge %s has already been refunded."
                                  % pi["charge"],
                                  code="charge_already_refunded", saved=True)
            if amount is None:
                amount = left
            if amount > left:
                raise StripeError(400, "Refund amount (%d) is greater than "
                                  "unrefunded amount on charge (%d)" %
                                  (amount, left), param="amount", saved=True)
            pi["amount_refunded"] += amount
            refund = {"id": new_id("re_test_"), "object": "refund",
                      "amount": amount, "currency": pi["currency"],
                      "payment_intent": pid, "charge": pi["charge"],
                      "reason": reason, "status": "succeeded",
                      "created": int(time.time()), "metadata": {}}
            self.refunds[refund["id"]] = refund
            charge = self.charge_object(pi)
        self.send_event(self.event("charge.refunded", charge))
        return 200, dict(refund)

    def charge_object(self, pi):
        return {"id": pi["charge"], "object": "charge",
                "payment_intent": pi["id"], "amount": pi["amount"],
                "amount_refunded": pi["amount_refunded"],
                "refunded": pi["amount_refunded"] == pi["amount"],
                "currency": pi["currency"], "metadata": pi["metadata"]}

    # ---------------------------------------------------------- hosted page

    def pay(self, sid):
        """Completes the session; returns (session, delivery) or raises
        KeyError (no such session) / ValueError (not open)."""
        with self.lock:
            s = self.sessions[sid]
            self.expire_if_due(s)
            if s["status"] != "open":
                raise ValueError(s["status"])
            pid = new_id("pi_test_")
            self.intents[pid] = {
                "id": pid, "amount": s["amount_total"],
                "currency": s["currency"], "amount_refunded": 0,
                "charge": new_id("ch_test_"), "session": sid,
                "metadata": dict(s["metadata"])}
            s.update(status="complete", payment_status="paid",
                     payment_intent=pid)
            obj = dict(s)
        return obj, self.send_event(self.event("checkout.session.completed",
                                               obj))


FAKE = None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-stripe/1"
    verbose = False

    def log_message(self, fmt, *args):
        if self.verbose:
            sys.stderr.write("fake_stripe: %s\n" % (fmt % args))

    # ---------------------------------------------------------- plumbing

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(n) if n > 0 else b""

    def reply(self, status, body, ctype="application/json", headers=()):
        if isinstance(body, (dict, list)):
            body = json.dumps(body, indent=2) + "\n"
        if isinstance(body, str):
            body = body.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def redirect(self, url):
        self.reply(303, "", "text/plain", [("Location", url)])

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def route(self, method):
        path = urllib.parse.urlsplit(self.path).path
        try:
            body = self.read_body()
        except ValueError:
            self.close_connection = True
            return self.reply(413, {"error": {"message": "too large"}})
        if path.startswith("/v1/"):
            return self.api(method, path, body)
        if path.startswith("/_control/"):
            return self.control(method, path, body)
        if path.startswith("/pay/"):
            return self.page(method, path)
        if path == "/":
            return self.reply(200, __doc__, "text/plain; charset=utf-8")
        self.reply(404, "not found\n", "text/plain")

    # ---------------------------------------------------------- API

    def auth_ok(self):
        h = self.headers.get("Authorization") or ""
        key = None
        if h.startswith("Bearer "):
            key = h[7:].strip()
        elif h.startswith("Basic "):
            try:
                key = base64.b64decode(h[6:].strip()).decode().split(":")[0]
            except Exception:
                key = None
        if not key:
            return "missing"
        if FAKE.api_key is not None:
            return "ok" if hmac.compare_digest(key, FAKE.api_key) else "wrong"
        return "ok" if re.fullmatch(r"(sk|rk)_\w+", key) else "wrong"

    def api(self, method, path, body):
        text = body.decode("utf-8", "replace")
        pairs = urllib.parse.parse_qsl(text, keep_blank_values=True)
        params = dict(pairs)
        key = self.headers.get("Idempotency-Key")
        rec = {"method": method, "path": path, "idempotency_key": key,
               "body": text, "params": params, "status": None,
               "replayed": False, "fault": None, "auth": self.auth_ok(),
               "client_port": self.client_address[1], "time": time.time()}
        with FAKE.lock:
            rec["seq"] = len(FAKE.requests) + 1
            FAKE.requests.append(rec)
            fault = FAKE.faults.pop(0) if FAKE.faults else None
        rid = [("Request-Id", new_id("req_", 14))]
        if fault is not None:
            return self.fault(rec, fault, rid)
        if rec["auth"] != "ok":
            rec["status"] = 401
            return self.reply(401, {"error": {
                "type": "invalid_request_error",
                "message": "Invalid API Key provided." if rec["auth"] ==
                "wrong" else "You did not provide an API key."}}, headers=rid)
        slot = None
        if method == "POST" and key:
            fingerprint = (path, sorted(pairs))
            with FAKE.lock:
                slot = FAKE.idem.get(key)
                if slot is None:
                    slot = {"fingerprint": fingerprint, "done": False}
                    FAKE.idem[key] = slot
                    first = True
                else:
                    first = False
            if not first:
                if slot["fingerprint"] != fingerprint:
                    rec["status"] = 400
                    return self.reply(400, {"error": {
                        "type": "idempotency_error",
                        "message": "Keys for idempotent requests can only be "
                        "used with the same parameters they were first used "
                        "with. Try using a key other than '%s' if you meant "
                        "to execute a different request." % key}},
                        headers=rid)
                if not slot["done"]:
                    rec["status"] = 409
                    return self.reply(409, {"error": {
                        "type": "idempotency_error",
                        "message": "There is currently another in-progress "
                        "request using this Idempotent Key (that probably "
                        "means you submitted twice, and the other request "
                        "is still going through): %s. Please try again "
                        "later." % key}}, headers=rid)
                rec["status"] = slot["status"]
                rec["replayed"] = True
                return self.reply(slot["status"], slot["body"],
                                  headers=rid + [("Idempotent-Replayed",
                                                  "true")])
        saved = True
        try:
            status, obj = self.dispatch(method, path, params)
        except StripeError as e:
            status, obj, saved = e.status, e.body, e.saved
        rec["status"] = status
        if slot is not None:
            with FAKE.lock:
                if saved:
                    slot.update(done=True, status=status, body=obj)
                else:
                    FAKE.idem.pop(key, None)
        self.reply(status, obj, headers=rid)

    def dispatch(self, method, path, params):
        m = re.fullmatch(r"/v1/checkout/sessions/([A-Za-z0-9_]+)(/expire)?",
                         path)
        if method == "POST" and path == "/v1/checkout/sessions":
            return FAKE.create_session(params)
        if m and method == "GET" and not m.group(2):
            return FAKE.get_session(m.group(1))
        if m and method == "POST" and m.group(2):
            return FAKE.expire_session(m.group(1), params)
        if method == "POST" and path == "/v1/refunds":
            return FAKE.create_refund(params)
        raise StripeError(404, "Unrecognized request URL (%s: %s)." %
                          (method, path))

    def fault(self, rec, fault, rid):
        mode = fault["mode"]
        rec["fault"] = mode
        if mode == "close":
            self.close_connection = True
            return
        if mode == "hang":
            time.sleep(fault.get("seconds", 10))
            self.close_connection = True
            mode = "500"
        if mode == "huge":
            rec["status"] = 200
            return self.reply(200, '{"id": "%s"}' % ("x" * MAX_BODY),
                              headers=rid)
        if mode == "garbage":
            rec["status"] = 200
            return self.reply(200, "<html>not json</html>", headers=rid)
        if mode == "429":
            rec["status"] = 429
            return self.reply(429, {"error": {
                "type": "invalid_request_error", "code": "rate_limit",
                "message": "Too many requests hit the API too quickly."}},
                headers=rid)
        rec["status"] = 500
        self.reply(500, {"error": {
            "type": "api_error", "message": "fake_stripe: injected failure"}},
            headers=rid)

    # ---------------------------------------------------------- page

    def page(self, method, path):
        m = re.fullmatch(r"/pay/([A-Za-z0-9_]+)(?:/(pay|decline))?", path)
        if not m or (method == "POST") != bool(m.group(2)):
            return self.reply(404, "not found\n", "text/plain")
        sid, action = m.group(1), m.group(2)
        with FAKE.lock:
            s = FAKE.sessions.get(sid)
            if s is not None:
                FAKE.expire_if_due(s)
                s = dict(s)
            lines = list(FAKE.lines.get(sid, []))
        if s is None:
            return self.html(404, "No such session", "<p>No such session.</p>")
        if action == "decline":
            if s.get("cancel_url"):
                return self.redirect(s["cancel_url"])
            return self.html(200, "Declined", "<p>Your card was declined.</p>")
        if action == "pay":
            try:
                s, _ = FAKE.pay(sid)
            except ValueError as e:
                return self.html(409, "Not open", "<p>This checkout is %s.</p>"
                                 % html.escape(str(e)))
            return self.redirect(s["success_url"].replace(
                "{CHECKOUT_SESSION_ID}", sid))
        if s["status"] != "open":
            return self.html(410 if s["status"] == "expired" else 200,
                             "Checkout " + s["status"],
                             "<p>This checkout is %s.</p>" %
                             html.escape(s["status"]))
        rows = "".join(
            "<tr><td>%s</td><td>%d</td><td>%s</td></tr>" % (
                html.escape(l["name"]), l["quantity"],
                money(l["unit_amount"], l["currency"])) for l in lines)
        e = html.escape
        body = (
            "<p>Order <code>%s</code></p>\n"
            "<table><tr><th>Item</th><th>Quantity</th><th>Price</th></tr>"
            "%s</table>\n<p>Total: <strong>%s</strong></p>\n"
            "<form method=\"post\" action=\"/pay/%s/pay\">"
            "<button type=\"submit\">Pay</button></form>\n"
            "<form method=\"post\" action=\"/pay/%s/decline\">"
            "<button type=\"submit\">Decline</button></form>\n" % (
                e(s.get("client_reference_id") or ""), rows,
                money(s["amount_total"], s["currency"]), e(sid), e(sid)))
        self.html(200, "Fake Stripe Checkout", body)

    def html(self, status, title, body):
        self.reply(status, "<!doctype html>\n<html lang=\"en\"><head>"
                   "<meta charset=\"utf-8\"><title>%s</title></head>\n"
                   "<body><h1>%s</h1>\n%s</body></html>\n" % (
                       html.escape(title), html.escape(title), body),
                   "text/html; charset=utf-8")

    # ---------------------------------------------------------- control

    def control(self, method, path, body):
        try:
            arg = json.loads(body) if body.strip() else {}
            if not isinstance(arg, dict):
                raise ValueError("a JSON object, please")
        except ValueError as e:
            return self.reply(400, {"error": str(e)})
        name = path[len("/_control/"):]
        if method == "GET" and name == "requests":
            with FAKE.lock:
                return self.reply(200, {"requests": list(FAKE.requests)})
        if method == "GET" and name == "deliveries":
            with FAKE.lock:
                return self.reply(200, {"deliveries": list(FAKE.deliveries)})
        if method == "GET" and name == "state":
            with FAKE.lock:
                return self.reply(200, {"sessions": FAKE.sessions,
                                        "payment_intents": FAKE.intents,
                                        "refunds": FAKE.refunds})
        if method != "POST":
            return self.reply(404, {"error": "no such control"})
        if name == "reset":
            with FAKE.lock:
                FAKE.requests.clear()
                FAKE.deliveries.clear()
                FAKE.faults.clear()
            return self.reply(200, {"ok": True})
        if name == "fail":
            mode = str(arg.get("mode", "500"))
            if mode not in ("500", "429", "hang", "close", "huge", "garbage"):
                return self.reply(400, {"error": "unknown mode %r" % mode})
            f = {"mode": mode, "seconds": float(arg.get("seconds", 10))}
            with FAKE.lock:
                FAKE.faults.extend(dict(f) for _ in
                                   range(int(arg.get("count", 1))))
                return self.reply(200, {"pending": len(FAKE.faults)})
        if name == "webhook":
            with FAKE.lock:
                if "url" in arg:
                    FAKE.webhook_url = arg["url"]
                if "secret" in arg:
                    FAKE.webhook_secret = arg["secret"]
                release = []
                if "hold" in arg:
                    FAKE.hold = bool(arg["hold"])
                    if not FAKE.hold:
                        release, FAKE.held = FAKE.held, []
            sent = [FAKE.send_event(ev) for ev in release]
            return self.reply(200, {"delivered": sent})
        if name == "events":
            return self.control_events(arg)
        self.reply(404, {"error": "no such control"})

    def control_events(self, arg):
        if "body" in arg:
            payload = str(arg["body"]).encode()
            ev = {"id": arg.get("id"), "type": arg.get("type")}
        else:
            if "object" in arg:
                obj = arg["object"]
            elif "session" in arg:
                with FAKE.lock:
                    s = FAKE.sessions.get(arg["session"])
                    obj = dict(s) if s else None
                if obj is None:
                    return self.reply(404, {"error": "no such session"})
            else:
                return self.reply(400, {"error": "object, session or body"})
            ev = FAKE.event(arg.get("type", "checkout.session.completed"), obj,
                            arg.get("id"))
            payload = json.dumps(ev, indent=2).encode()
        out = []
        for _ in range(int(arg.get("times", 1))):
            if "signature" in arg:
                sig = arg["signature"]
            else:
                sig = FAKE.sign(payload, arg.get("timestamp"),
                                arg.get("secret"))
            out.append(FAKE.deliver(payload, sig, arg.get("url"),
                                    ev.get("id"), ev.get("type")))
        self.reply(200, {"deliveries": out})


def money(minor, currency):
    return "%d.%02d %s" % (minor // 100, minor % 100, (currency or "").upper())


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Process:
    """A fake_stripe.py subprocess; see start()."""

    def __init__(self, args):
        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--stop-on-eof"] +
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.url = self.proc.stdout.readline().decode().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.stop()
            raise RuntimeError("fake_stripe.py did not start")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=5)
            except Exception:
                self.proc.kill()
                self.proc.wait()

    def http(self, method, path, body=None, headers=None):
        """(status, headers, body bytes), never following redirects."""
        u = urllib.parse.urlsplit(self.url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.headers, r.read()
        finally:
            conn.close()

    def control(self, name, obj=None):
        """GET /_control/NAME, or POST obj there as JSON; the reply."""
        if obj is None:
            status, _, body = self.http("GET", "/_control/" + name)
        else:
            status, _, body = self.http(
                "POST", "/_control/" + name, json.dumps(obj).encode(),
                {"Content-Type": "application/json"})
        return json.loads(body)

    def requests(self):
        return self.control("requests")["requests"]

    def deliveries(self):
        return self.control("deliveries")["deliveries"]

    def fail(self, mode="500", count=1, seconds=10):
        return self.control("fail", {"mode": mode, "count": count,
                                     "seconds": seconds})

    def send_event(self, **kw):
        return self.control("events", kw)["deliveries"]

    def pay(self, session_id, action="pay"):
        """Presses Pay (or Decline) on the hosted page: (status, Location)."""
        status, headers, _ = self.http("POST", "/pay/%s/%s" % (session_id,
                                                               action))
        return status, headers.get("Location")


def start(webhook=None, webhook_secret="whsec_fake_tessera", api_key=None,
          port=0):
    """Runs the fake as a subprocess (stopped when the Process is, or
    when this process exits and its pipe closes)."""
    args = ["--port", str(port), "--webhook-secret", webhook_secret]
    if webhook:
        args += ["--webhook", webhook]
    if api_key:
        args += ["--api-key", api_key]
    return Process(args)


def main():
    global FAKE
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--webhook", default=None,
                    help="where events are POSTed")
    ap.add_argument("--webhook-secret", default="whsec_fake_tessera")
    ap.add_argument("--api-key", default=None,
                    help="the only secret key accepted (default: any sk_/rk_)")
    ap.add_argument("--stop-on-eof", action="store_true",
                    help="exit when standard input closes")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    FAKE = Fake(args)
    Handler.verbose = args.verbose
    server = Server(("127.0.0.1", args.port), Handler)
    FAKE.base = "http://127.0.0.1:%d" % server.server_address[1]
    print(FAKE.base, flush=True)
    if args.stop_on_eof:
        def watch():
            while sys.stdin.buffer.read(4096):
                pass
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
