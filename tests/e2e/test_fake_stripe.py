"""The fake Stripe (fake_stripe.py) that the payment tests rely on: run as
a subprocess on 127.0.0.1, with a webhook receiver here standing in for
Tessera's. The signatures it sends are checked with hmac here, apart from
the fake's own code; its hosted page works with plain HTML forms; its
control endpoints forge, age, repeat and hold events and inject faults.
The C client is tested against it by tests/unit/test_stripe_api.
"""

import base64
import hashlib
import hmac
import http.server
import json
import re
import threading
import time
import urllib.parse

import fake_stripe
import tap

SECRET = "whsec_e2e_fake"
KEY = "sk_test_e2e_fake"


class Receiver:
    """A webhook endpoint on 127.0.0.1 that keeps every POST."""

    def __init__(self):
        self.got = []
        self.status = 200
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                outer.got.append({"headers": self.headers,
                                  "body": self.rfile.read(n)})
                self.send_response(outer.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = "http://127.0.0.1:%d/payments/stripe/webhook" % (
            self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever,
                         daemon=True).start()


def verify(body, header, secret=SECRET, tolerance=300):
    """Stripe's scheme, written again here: 'ok', 'bad' or 'stale'."""
    parts = [p.split("=", 1) for p in header.split(",")]
    t = [v for k, v in parts if k == "t"]
    v1 = [v for k, v in parts if k == "v1"]
    if len(t) != 1 or not v1:
        return "malformed"
    want = hmac.new(secret.encode(), t[0].encode() + b"." + body,
                    hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(want, v) for v in v1):
        return "bad"
    if abs(time.time() - int(t[0])) > tolerance:
        return "stale"
    return "ok"


def api(fake, path, fields=None, key=KEY, idem=None, method="POST"):
    """(status, headers, JSON) of one API call."""
    h = {"Content-Type": "application/x-www-form-urlencoded"}
    if key:
        h["Authorization"] = "Basic " + base64.b64encode(
            (key + ":").encode()).decode()
    if idem:
        h["Idempotency-Key"] = idem
    body = urllib.parse.urlencode(fields or {}).encode() if fields else None
    status, headers, raw = fake.http(method, path, body, h)
    try:
        return status, headers, json.loads(raw)
    except ValueError:
        return status, headers, None


def session_fields(code="ORD-1", name="Ticket <b>&amp;</b>", expires=None):
    f = {
        "mode": "payment",
        "success_url": "http://127.0.0.1:9/me/orders/%s"
        "?s={CHECKOUT_SESSION_ID}" % code,
        "cancel_url": "http://127.0.0.1:9/orders/%s/checkout" % code,
        "client_reference_id": code,
        "metadata[order_code]": code,
        "line_items[0][price_data][currency]": "eur",
        "line_items[0][price_data][unit_amount]": "1250",
        "line_items[0][price_data][product_data][name]": name,
        "line_items[0][quantity]": "2",
    }
    if expires is not None:
        f["expires_at"] = str(expires)
    return f


def wait_for(cond, seconds=5):
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def main():
    rx = Receiver()
    with fake_stripe.start(webhook=rx.url, webhook_secret=SECRET,
                           api_key=KEY) as fake:
        tap.like(fake.url, r"^http://127\.0\.0\.1:\d+$",
                 "the fake prints its URL: %s" % fake.url)
        check_api(fake)
        sid = check_page(fake, rx)
        check_events(fake, rx, sid)
        check_hold_refund_expire(fake, rx)
        proc = fake.proc
    tap.ok(wait_for(lambda: proc.poll() is not None),
           "it exits when its standard input closes")
    tap.done()


def check_api(fake):
    st, _, body = api(fake, "/v1/checkout/sessions", session_fields(),
                      key=None)
    tap.is_eq(st, 401, "no key: 401")
    st, _, body = api(fake, "/v1/checkout/sessions", session_fields(),
                      key="sk_test_other")
    tap.is_eq(st, 401, "another key: 401")
    st, h, body = api(fake, "/v1/checkout/sessions", session_fields(),
                      idem="ORD-1-checkout")
    tap.is_eq(st, 200, "a session is created")
    tap.like(body["id"], r"^cs_test_\w+$", "  cs_test_...")
    tap.is_eq(body["url"], "%s/pay/%s" % (fake.url, body["id"]),
              "  its url is the fake's page")
    tap.is_eq(body["amount_total"], 2500, "  amount_total")
    tap.like(h.get("Request-Id") or "", r"^req_", "  Request-Id")
    st2, h2, again = api(fake, "/v1/checkout/sessions", session_fields(),
                         idem="ORD-1-checkout")
    tap.is_eq((st2, again["id"]), (200, body["id"]),
              "the same key and parameters: the same session")
    tap.is_eq(h2.get("Idempotent-Replayed"), "true", "  marked as replayed")
    st3, _, other = api(fake, "/v1/checkout/sessions",
                        session_fields(name="Other"), idem="ORD-1-checkout")
    tap.is_eq((st3, other["error"]["type"]), (400, "idempotency_error"),
              "the same key, other parameters: 400 idempotency_error")
    f = session_fields()
    f["line_items[0][price_data][tax_behavior]"] = "inclusive"
    st, _, err = api(fake, "/v1/checkout/sessions", f)
    tap.is_eq((st, err["error"].get("code")), (400, "parameter_unknown"),
              "an unknown parameter: 400")
    f = session_fields()
    del f["success_url"]
    st, _, err = api(fake, "/v1/checkout/sessions", f)
    tap.is_eq((st, err["error"].get("param")), (400, "success_url"),
              "a missing parameter: 400 naming it")
    st, _, err = api(fake, "/v1/checkout/sessions",
                     session_fields(expires=int(time.time()) + 900))
    tap.is_eq(st, 400, "expires_at 15 minutes ahead: 400 (Stripe wants "
              "30 minutes to 24 hours)")
    st, _, ok = api(fake, "/v1/checkout/sessions",
                    session_fields(expires=int(time.time()) + 1800))
    tap.is_eq(st, 200, "30 minutes ahead: accepted")

    fake.fail("500")
    st, _, err = api(fake, "/v1/checkout/sessions", session_fields("ORD-2"),
                     idem="ORD-2-checkout")
    tap.is_eq(st, 500, "an injected 500")
    st, _, body = api(fake, "/v1/checkout/sessions", session_fields("ORD-2"),
                      idem="ORD-2-checkout")
    tap.is_eq(st, 200, "is not saved: the retry with the key runs")
    fake.fail("429")
    st, _, _ = api(fake, "/v1/refunds", {"payment_intent": "pi_x"})
    tap.is_eq(st, 429, "an injected 429")
    fake.fail("hang", seconds=1.5)
    t0 = time.time()
    st, _, _ = api(fake, "/v1/refunds", {"payment_intent": "pi_x"})
    tap.ok(time.time() - t0 >= 1.4, "a hang holds the reply back (%.1f s)"
           % (time.time() - t0))
    reqs = fake.requests()
    tap.is_eq(reqs[-1]["fault"], "hang", "requests record their fault")
    tap.ok(any(r["idempotency_key"] == "ORD-1-checkout" and r["replayed"]
               for r in reqs), "and their key and replay")


def check_page(fake, rx):
    st, _, s = api(fake, "/v1/checkout/sessions", session_fields("ORD-3"))
    sid = s["id"]
    status, headers, raw = fake.http("GET", "/pay/" + sid)
    page = raw.decode()
    tap.is_eq(status, 200, "the hosted page")
    tap.like(headers.get("Content-Type"), r"^text/html", "  is HTML")
    tap.is_eq(len(re.findall(r'<form method="post" action="/pay/%s/(pay|'
                             r'decline)">' % sid, page)), 2,
              "  with a Pay and a Decline form")
    tap.ok("<script" not in page.lower(), "  and no script")
    tap.ok("Ticket &lt;b&gt;&amp;amp;&lt;/b&gt;" in page,
           "  the product name escaped")
    tap.ok("25.00 EUR" in page, "  the total")

    status, where = fake.pay(sid, "decline")
    tap.is_eq((status, where), (303, s["cancel_url"]),
              "Decline: 303 to cancel_url")
    tap.is_eq(rx.got, [], "  no event")
    status, where = fake.pay(sid)
    tap.is_eq(status, 303, "Pay: 303")
    tap.is_eq(where, s["success_url"].replace("{CHECKOUT_SESSION_ID}", sid),
              "  to success_url, the session id filled in")
    tap.is_eq(len(rx.got), 1, "  after one webhook POST")
    got = rx.got[0]
    sig = got["headers"].get("Stripe-Signature") or ""
    tap.like(sig, r"^t=\d+,v1=[0-9a-f]{64},v0=[0-9a-f]{64}$",
             "  with Stripe-Signature t, v1 and v0: %s" % sig)
    tap.is_eq(verify(got["body"], sig), "ok", "  which verifies here")
    tap.is_eq(verify(got["body"] + b" ", sig), "bad",
              "  and not for another body")
    tap.like(got["headers"].get("Content-Type"), r"^application/json",
             "  JSON")
    ev = json.loads(got["body"])
    obj = ev["data"]["object"]
    tap.is_eq((ev["type"], ev["object"]), ("checkout.session.completed",
                                           "event"), "  the event")
    tap.like(ev["id"], r"^evt_", "  evt_...")
    tap.is_eq((obj["id"], obj["client_reference_id"],
               obj["metadata"]["order_code"], obj["amount_total"],
               obj["payment_status"]), (sid, "ORD-3", "ORD-3", 2500, "paid"),
              "  about the session, paid")
    tap.like(obj["payment_intent"] or "", r"^pi_", "  with a payment intent")
    d = fake.deliveries()[-1]
    tap.is_eq((d["status"], d["payload"].encode(), d["signature"]),
              (200, got["body"], sig), "the delivery is recorded as sent")
    status, _ = fake.pay(sid)
    tap.is_eq(status, 409, "Pay again: 409, nothing sent")
    tap.is_eq(len(rx.got), 1, "  still one event")
    return sid


def check_events(fake, rx, sid):
    rx.got.clear()
    fake.send_event(session=sid, id="evt_test_dup", times=2)
    tap.is_eq([json.loads(g["body"])["id"] for g in rx.got],
              ["evt_test_dup", "evt_test_dup"],
              "an event sent twice, with the same id")
    tap.ok(all(verify(g["body"], g["headers"]["Stripe-Signature"]) == "ok"
               for g in rx.got), "  both signed")
    rx.got.clear()
    fake.send_event(session=sid, secret="whsec_forged")
    tap.is_eq(verify(rx.got[0]["body"], rx.got[0]["headers"]
                     ["Stripe-Signature"]), "bad",
              "a forged event does not verify")
    rx.got.clear()
    fake.send_event(session=sid, timestamp=int(time.time()) - 3600)
    tap.is_eq(verify(rx.got[0]["body"], rx.got[0]["headers"]
                     ["Stripe-Signature"]), "stale",
              "an hour-old signature is genuine but stale")
    rx.got.clear()
    fake.send_event(body="not json", signature="t=1,v1=00")
    tap.is_eq((rx.got[0]["body"], rx.got[0]["headers"]["Stripe-Signature"]),
              (b"not json", "t=1,v1=00"), "raw body and header, verbatim")
    rx.status = 500
    d = fake.send_event(session=sid)
    tap.is_eq(d[0]["status"], 500, "the webhook's answer is recorded")
    rx.status = 200


def check_hold_refund_expire(fake, rx):
    rx.got.clear()
    fake.control("webhook", {"hold": True})
    _, _, s = api(fake, "/v1/checkout/sessions", session_fields("ORD-4"))
    fake.pay(s["id"])
    tap.is_eq(rx.got, [], "held: the payment sends nothing yet")
    fake.control("webhook", {"hold": False})
    tap.is_eq([json.loads(g["body"])["type"] for g in rx.got],
              ["checkout.session.completed"], "released: now it comes")
    pi = json.loads(rx.got[0]["body"])["data"]["object"]["payment_intent"]
    rx.got.clear()
    st, _, r = api(fake, "/v1/refunds", {"payment_intent": pi,
                                         "amount": "500"}, idem="ORD-4-r1")
    tap.is_eq((st, r["amount"], r["status"]), (200, 500, "succeeded"),
              "a partial refund")
    tap.is_eq(json.loads(rx.got[-1]["body"])["type"], "charge.refunded",
              "  sends charge.refunded")
    st, _, r = api(fake, "/v1/refunds", {"payment_intent": pi})
    tap.is_eq((st, r["amount"]), (200, 2000), "the rest")
    st, _, r = api(fake, "/v1/refunds", {"payment_intent": pi})
    tap.is_eq((st, r["error"].get("code")), (400, "charge_already_refunded"),
              "nothing left: charge_already_refunded")
    _, _, s = api(fake, "/v1/checkout/sessions", session_fields("ORD-5"))
    rx.got.clear()
    st, _, e = api(fake, "/v1/checkout/sessions/%s/expire" % s["id"])
    tap.is_eq((st, e["status"]), (200, "expired"), "a session expires")
    tap.is_eq(json.loads(rx.got[-1]["body"])["type"],
              "checkout.session.expired", "  sends checkout.session.expired")
    status, _, _ = fake.http("GET", "/pay/" + s["id"])
    tap.is_eq(status, 410, "  and its page is gone")


main()
