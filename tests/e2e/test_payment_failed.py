"""Payment failed: when Stripe says a payment of an order still unpaid did
not go through (payment_intent.payment_failed, naming the order in the
PaymentIntent's metadata, or checkout.session.async_payment_failed), its
buyer is told once per failed attempt: the same event delivered twice is
one notification and one mail, another attempt another; each links to
the checkout to try again; nothing once the order is paid."""

import os
import time

import tap
import fake_stripe
from fixtures import hold, mails_to, make_accounts, new_event, pay_with

DB = tap.DB_NAME
TAG = "pf%d" % (int(time.time()) % 100000000)
PORT = int(os.environ.get("TESSERA_TEST_STRIPE_PORT", "18081"))
WEBHOOK = tap.URL + "/payments/stripe/webhook"
SECRET = "whsec_tessera_stack"


def value(q):
    return tap.sql_value("primary", q, database=DB)


def told(code):
    return int(value("SELECT COUNT(*) FROM notifications n JOIN orders o ON o.id = "
                     "n.subject_id WHERE n.kind = 'payment_failed' AND o.code = '%s'" % code))


def failed_mails(addr, code):
    return [m for m in mails_to(addr)
            if ("payment for order %s failed" % code) in str(m["Subject"])]


def wait(cond, timeout=20):
    deadline = time.time() + timeout
    while not cond() and time.time() < deadline:
        time.sleep(0.3)
    return cond()


def intent_failed(code, evt, message="Your card was declined."):
    return fake.send_event(type="payment_intent.payment_failed", id=evt, times=2, object={
        "id": "pi_failed_%s" % evt, "object": "payment_intent", "status": "requires_payment_method",
        "metadata": {"order_code": code},
        "last_payment_error": {"code": "card_declined", "message": message}})


with fake_stripe.start(webhook=WEBHOOK, webhook_secret=SECRET, port=PORT) as fake:
    ev, (tt,) = new_event(TAG + " Failing", [("Standard", 3000, 10, 5, 0)])
    (uid, c), (uid2, c2) = make_accounts(TAG, 2)
    addr = value("SELECT email FROM users WHERE id = %d" % uid)
    code = hold(c, ev, tt, 1)
    r = pay_with(c, code, "stripe")[1]
    tap.ok(r.status == 303 and "/pay/cs_" in (r.headers.get("Location") or ""),
           "the buyer is sent to Stripe's checkout")
    sid = value("SELECT provider_ref FROM orders WHERE code = '%s'" % code)
    reqs = [q for q in fake.requests() if q.get("path") == "/v1/checkout/sessions"]
    tap.is_eq(reqs[-1]["params"].get("payment_intent_data[metadata][order_code]") if reqs else None,
              code, "the payment carries the order's code for its own events")

    d = intent_failed(code, "evt_pf1_" + TAG)
    tap.ok(len(d) == 2 and all(x["status"] == 200 for x in d),
           "a failed payment, delivered twice, is answered 200 both times")
    tap.ok(wait(lambda: told(code) >= 1), "the buyer is told")
    time.sleep(2)
    tap.is_eq(told(code), 1, "once for the one event")
    tap.is_eq(value("SELECT CONCAT(user_id, ' ', link) FROM notifications WHERE kind = "
                    "'payment_failed' AND user_id = %d" % uid),
              "%d /orders/%s/checkout" % (uid, code), "linking to the checkout, to try again")
    tap.ok("card was declined" in value("SELECT text FROM notifications WHERE kind = "
                                        "'payment_failed' AND user_id = %d" % uid),
           "saying what the provider said")
    tap.ok(wait(lambda: len(failed_mails(addr, code)) >= 1), "a mail")
    mails = failed_mails(addr, code)
    tap.is_eq(len(mails), 1, "one mail for one failed attempt")
    if mails:
        text = mails[0].get_body(("plain",)).get_content()
        tap.ok("/orders/%s/checkout" % code in text, "the mail links to the checkout")

    intent_failed(code, "evt_pf2_" + TAG, "Your card has insufficient funds.")
    tap.ok(wait(lambda: told(code) == 2), "a second failed attempt: a second notification")
    tap.ok(wait(lambda: len(failed_mails(addr, code)) == 2), "and a second mail")
    tap.is_eq(value("SELECT status FROM orders WHERE code = '%s'" % code), "held",
              "the order stays held, to try again")

    st, _ = fake.pay(sid)
    tap.is_eq(value("SELECT status FROM orders WHERE code = '%s'" % code), "paid",
              "then the payment goes through")
    intent_failed(code, "evt_pf3_" + TAG)
    time.sleep(3)
    tap.is_eq(told(code), 2, "a failure reported after the payment tells nobody")

    # A Checkout Session's own failure (a delayed payment method).
    code2 = hold(c2, ev, tt, 1)
    pay_with(c2, code2, "stripe")
    sid2 = value("SELECT provider_ref FROM orders WHERE code = '%s'" % code2)
    d = fake.send_event(type="checkout.session.async_payment_failed", session=sid2,
                        id="evt_pf4_" + TAG)
    tap.ok(d and d[0]["status"] == 200, "checkout.session.async_payment_failed is answered 200")
    tap.ok(wait(lambda: told(code2) == 1), "and tells its buyer")
    tap.is_eq(told(code), 2, "nobody else")

tap.done()
