"""Paying with Stripe, against the fake of tests/e2e/fake_stripe.py on the
port the stack configured tessera-app with: checkout -> Checkout Session ->
the hosted page -> the signed webhook confirms the order, once; forged,
stale and replayed events are refused or ignored; the provider failing or
hanging leaves the order held and retryable; a declined or abandoned
payment sells nothing and frees the seats at expiry; a payment after the
hold ran out takes its seats back if they are free and is refunded if
not; a buyer's refund within the policy."""

import os
import time

import tap
import fake_stripe
from fixtures import (counters, expire_hold, hold, location, new_event, order_status,
                      pay_with, sign_in)

DB = tap.DB_NAME
TAG = "st%d" % (int(time.time()) % 100000000)
PORT = int(os.environ.get("TESSERA_TEST_STRIPE_PORT", "18081"))
WEBHOOK = tap.URL + "/payments/stripe/webhook"
SECRET = "whsec_tessera_stack"


def value(q):
    return tap.sql_value("primary", q, database=DB)


def new_stripe_event(quota):
    """An event of one 30-euro ticket type of quota seats."""
    ev, (tt,) = new_event("%s %d" % (TAG, quota), [("Standard", 3000, quota, 10, 0)])
    return ev, tt


def pay_with_stripe(c, code):
    """Posts the checkout choosing Stripe; the response."""
    return pay_with(c, code, "stripe")[1]


status = order_status


def mails(code):
    # The page queues one row "notify", which the worker turns into a
    # row "mail" of the same template: count the first only.
    return int(value("SELECT COUNT(*) FROM outbox WHERE topic = 'notify' AND payload LIKE "
                     "'%%order_confirmed%%' AND payload LIKE '%%%s%%'" % code))


def session_of(code):
    return value("SELECT provider_ref FROM orders WHERE code = '%s'" % code)


with fake_stripe.start(webhook=WEBHOOK, webhook_secret=SECRET, port=PORT) as fake:
    tap.ok(fake.url.endswith(":%d" % PORT), "the fake Stripe listens on %d" % PORT)
    ev, tt = new_stripe_event(3)
    alice = sign_in("alice@tessera.test")

    # The whole flow.
    code = hold(alice, ev, tt, 2)
    r = pay_with_stripe(alice, code)
    tap.ok(r.status == 303 and location(r).startswith(fake.url + "/pay/cs_"),
           "the checkout sends the buyer to the Checkout Session (%d %s)"
           % (r.status, location(r)))
    sid = session_of(code)
    tap.like(sid or "", r"^cs_", "the order keeps the session's id")
    reqs = [q for q in fake.requests() if q.get("path") == "/v1/checkout/sessions"]
    tap.ok(reqs and reqs[-1].get("idempotency_key") ==
           "checkout-" + code, "the call carries an Idempotency-Key")
    tap.is_eq(status(code), "held", "until Stripe says so, the order is held")
    st, where = fake.pay(sid)
    tap.ok(st == 303 and "/me/orders/%s" % code in (where or ""),
           "paying on the hosted page comes back to the order")
    tap.is_eq(status(code), "paid", "the signed webhook confirmed it")
    tap.is_eq(counters(tt), (0, 2), "its two seats are sold")
    tap.is_eq(mails(code), 1, "one confirmation mail")
    tap.like(value("SELECT provider_payment FROM orders WHERE code = '%s'" % code)
             or "", r"^pi_", "the payment's id is kept, for refunds")

    # The same event again, forged and stale ones.
    d = fake.send_event(session=sid, id="evt_dup_%s" % TAG, times=2)
    tap.ok(all(x["status"] == 200 for x in d), "a duplicated event is answered 200")
    tap.is_eq((status(code), mails(code), counters(tt)), ("paid", 1, (0, 2)),
              "and acted on once at most")
    d = fake.send_event(session=sid, id="evt_forged_%s" % TAG,
                        secret="whsec_not_ours")
    tap.is_eq(d[0]["status"], 400, "an event signed with another secret is refused")
    d = fake.send_event(session=sid, id="evt_stale_%s" % TAG,
                        timestamp=int(time.time()) - 3600)
    tap.is_eq(d[0]["status"], 400, "a stale event is refused")
    d = fake.send_event(session=sid, id="evt_nosig_%s" % TAG, signature="")
    tap.is_eq(d[0]["status"], 400, "an unsigned event is refused")
    tap.is_eq(int(value("SELECT COUNT(*) FROM payment_events WHERE event_id LIKE "
                        "'evt\\_%%\\_%s'" % TAG)), 1,
              "only the genuine one is recorded")

    # The provider failing leaves the order held and retryable.
    code2 = hold(alice, ev, tt, 1)
    fake.fail("500", count=1)
    r = pay_with_stripe(alice, code2)
    tap.is_eq(r.status, 503, "Stripe failing answers 503")
    tap.is_eq((status(code2), session_of(code2)), ("held", "NULL"),
              "the order stays held, with no session")
    r = pay_with_stripe(alice, code2)
    tap.ok(r.status == 303 and "/pay/cs_" in location(r), "trying again works")

    # The buyer cancels a paid order while the organizer allows refunds.
    page = alice.get("/me/orders/%s" % code)
    tap.ok("Cancel and get" not in page.body, "without a refund policy, no refund button")
    value("UPDATE events SET refunds_until = UTC_TIMESTAMP() + INTERVAL 1 DAY "
          "WHERE id = %d" % ev)
    page = alice.get("/me/orders/%s" % code)
    tap.ok("Cancel and get" in page.body, "within the policy the order offers a refund")
    held0, sold0 = counters(tt)
    fake.fail("500", count=1)
    r = alice.post("/orders/%s/cancel" % code, {"csrf": tap.form_value(page.body, "csrf")})
    tap.is_eq((r.status, status(code), counters(tt)), (503, "paid", (held0, sold0)),
              "Stripe failing to refund changes nothing")
    r = alice.post("/orders/%s/cancel" % code, {"csrf": tap.form_value(page.body, "csrf")})
    tap.is_eq((r.status, status(code)), (303, "refunded"),
              "trying again cancels and refunds it")
    tap.is_eq(counters(tt), (held0, sold0 - 2), "its seats go back on sale")
    tap.ok(any(q.get("path") == "/v1/refunds" and
               q.get("idempotency_key") == "refund-" + code for q in fake.requests()),
           "through Stripe's refunds, with an Idempotency-Key")
    tap.is_eq(int(value("SELECT COUNT(*) FROM outbox WHERE topic = 'notify' AND payload LIKE "
                        "'%%order_refunded%%' AND payload LIKE '%%%s%%'" % code)), 1,
              "and the buyer is mailed")

    # Declined on the hosted page: back to the checkout, nothing paid.
    ev5, tt5 = new_stripe_event(2)
    code5 = hold(alice, ev5, tt5, 1)
    pay_with_stripe(alice, code5)
    st, where = fake.pay(session_of(code5), "decline")
    tap.ok(st == 303 and (where or "").endswith("/orders/%s/checkout" % code5),
           "declining on Stripe's page comes back to the checkout")
    tap.is_eq((status(code5), counters(tt5)), ("held", (1, 0)),
              "the order stays held, nothing is sold")
    sid5 = session_of(code5)
    tap.is_eq(expire_hold(code5), "expired", "an abandoned payment's hold expires")
    tap.is_eq(counters(tt5), (0, 0), "and its seat is back on sale")
    closed = []
    deadline = time.time() + 10
    while not closed and time.time() < deadline:
        closed = [q for q in fake.requests() if q.get("path") ==
                  "/v1/checkout/sessions/%s/expire" % sid5]
        time.sleep(0.2)
    tap.ok(closed and closed[-1].get("status") == 200 and
           code5 in (closed[-1].get("idempotency_key") or ""),
           "the worker closes its Checkout Session, with an Idempotency-Key")
    st, _ = fake.pay(sid5)
    tap.ok(st != 303, "so nobody can pay for the seat any more (%d)" % st)
    tap.is_eq(status(code5), "expired", "and the order stays expired")

    # Stripe hanging: the call gives up within its timeout, the order waits.
    code6 = hold(alice, ev5, tt5, 1)
    fake.fail("hang", count=1, seconds=10)
    t0 = time.time()
    r = pay_with_stripe(alice, code6)
    took = time.time() - t0
    tap.ok(r.status == 503 and took < 8, "a hanging Stripe answers 503 within the "
           "client's timeout (%.1f s)" % took)
    tap.is_eq(status(code6), "held", "and the order stays held, to try again")

    # Paid after the hold ran out: seats free -> taken again; gone -> refund.
    # Stripe refusing to close the session stands for a payment already
    # under way when the hold ended.
    sid2 = session_of(code2)
    fake.fail("500", count=1)
    expire_hold(code2)
    tap.is_eq(status(code2), "expired", "the unpaid hold expires")
    fake.pay(sid2)
    tap.is_eq((status(code2), counters(tt)), ("paid", (0, 1)),
              "a late payment takes its seat again while it is free")

    ev3, tt3 = new_stripe_event(1)
    code3 = hold(alice, ev3, tt3, 1)
    pay_with_stripe(alice, code3)
    sid3 = session_of(code3)
    fake.fail("500", count=1)
    expire_hold(code3)
    bob = sign_in("bob@tessera.test")
    code4 = hold(bob, ev3, tt3, 1)
    tap.ok(code4, "meanwhile another buyer takes the last seat")
    fake.pay(sid3)
    tap.is_eq(status(code3), "refunded", "the late payment finds it gone and is refunded")
    tap.ok(any(q.get("path") == "/v1/refunds" for q in fake.requests()),
           "through Stripe's refunds")
    tap.is_eq(counters(tt3), (1, 0), "never oversold: one seat, held by the other buyer")

tap.done()
