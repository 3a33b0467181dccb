"""Calling off a published event (/admin/events/{id}/cancel): sales stop
at once; the worker then undoes every order, a batch of them per
transaction: a free order and a card payment (through the fake Stripe,
with an idempotency key) are refunded, an offline payment becomes a refund
the organizer owes, holds and unpaid reservations are cancelled, the seats
come free, and every buyer gets one mail with the organizer's message. A
card payment that arrives after the cancellation is refunded, never sold.
More orders than one batch are undone batch after batch by the same row. Only
the event's organizer may do it: another organizer gets 404, an attendee
403; it needs the CSRF token and a message. The organizer also cancels a
single order: refunded through Stripe (nothing changed when Stripe
fails), or a hold given up, the buyer mailed with the reason."""

import os
import random
import time

import tap
import fake_stripe
from fixtures import counters, hold, location, new_event, order_status, pay_with, sign_in

DB = tap.DB_NAME
TAG = "cx%d" % (int(time.time()) % 100000000)
PORT = int(os.environ.get("TESSERA_TEST_STRIPE_PORT", "18081"))
WEBHOOK = tap.URL + "/payments/stripe/webhook"
BATCH = 50   # EVENT_CANCEL_BATCH
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # of order and ticket codes


def value(q):
    return tap.sql_value("primary", q, database=DB)


def post_with_token(c, path, fields, form_page=None):
    """POSTs fields to path with the CSRF token of the page form_page
    (default: path itself)."""
    page = c.get(form_page or path)
    return c.post(path, dict(fields, csrf=tap.form_value(page.body, "csrf") or ""))


def mails(code):
    return int(value("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%%\"event_cancelled\"%%' "
                     "AND payload LIKE '%%%s%%'" % code))


def wait_undone(ev, timeout=40):
    """Waits until no order of ev is held, waiting for payment or paid."""
    deadline = time.time() + timeout
    left = None
    while time.time() < deadline:
        left = int(value("SELECT COUNT(*) FROM orders WHERE event_id = %d AND status IN "
                         "('held', 'pending_payment', 'paid')" % ev))
        if left == 0:
            break
        time.sleep(0.3)
    return left


with fake_stripe.start(webhook=WEBHOOK, webhook_secret="whsec_tessera_stack",
                       port=PORT) as fake:
    alice = sign_in("alice@tessera.test")
    bob = sign_in("bob@tessera.test")
    org = sign_in("organizer@tessera.test")
    other = sign_in("organizer2@tessera.test")

    ev, (free, paid) = new_event(TAG + " called off", [("Free", 0, 20, 10, 0),
                                                       ("Seat", 3000, 20, 10, 0)])
    value("UPDATE events SET offline_payment_days = 5 WHERE id = %d" % ev)

    free_order = hold(alice, ev, free, 2)
    pay_with(alice, free_order, "free")
    card = hold(alice, ev, paid, 1)
    pay_with(alice, card, "stripe")
    fake.pay(value("SELECT provider_ref FROM orders WHERE code = '%s'" % card))
    offline_paid = hold(bob, ev, paid, 2)
    pay_with(bob, offline_paid, "offline")
    post_with_token(org, "/admin/orders/%s/paid" % offline_paid, {},
                    form_page="/admin/orders/%s" % offline_paid)
    reserved = hold(bob, ev, paid, 1)
    pay_with(bob, reserved, "offline")
    held = hold(alice, ev, paid, 1)
    late = hold(bob, ev, paid, 1)
    pay_with(bob, late, "stripe")
    late_session = value("SELECT provider_ref FROM orders WHERE code = '%s'" % late)
    tap.is_eq([order_status(c) for c in (free_order, card, offline_paid, reserved, held, late)],
              ["paid", "paid", "paid", "pending_payment", "held", "held"],
              "the event has orders in every live state")
    tap.is_eq((counters(free), counters(paid)), ((0, 2), (3, 3)), "and seats held and sold")

    path = "/admin/events/%d/cancel" % ev
    page = org.get(path)
    tap.ok(page.status == 200 and "<strong>3</strong> paid orders" in page.body and
           "<strong>3</strong> held or unpaid" in page.body,
           "the organizer's cancel page says what will happen to its orders")
    tap.is_eq(other.get(path).status, 404, "another organizer gets 404 there")
    r = post_with_token(other, path, {"reason": "no"}, form_page="/admin")
    tap.is_eq((r.status, value("SELECT status FROM events WHERE id = %d" % ev)),
              (404, "published"), "and cannot cancel it")
    tap.is_eq(alice.get(path).status, 403, "an attendee gets 403")
    r = org.post(path, {"reason": "The hall is flooded."})
    tap.is_eq((r.status, value("SELECT status FROM events WHERE id = %d" % ev)),
              (403, "published"), "cancelling without the CSRF token is refused")
    r = post_with_token(org, path, {"reason": "  "})
    tap.ok(r.status == 400 and "Tell the ticket holders why" in r.body,
           "a message to the ticket holders is required (400)")

    r = post_with_token(org, path, {"reason": "The hall is flooded. We are so sorry."})
    tap.is_eq((r.status, location(r)), (303, path + "?done=1"), "the organizer cancels it")
    tap.is_eq(value("SELECT status FROM events WHERE id = %d" % ev), "cancelled",
              "the event is cancelled at once")
    tap.ok(hold(alice, ev, free, 1) is None, "and nothing can be booked any more")
    tap.is_eq(int(value("SELECT COUNT(*) FROM audit_log WHERE action = 'event.cancel' "
                        "AND target = 'event %d'" % ev)), 1, "the audit log has it")

    tap.is_eq(wait_undone(ev), 0, "the worker undoes every live order")
    tap.is_eq([order_status(c) for c in (free_order, card, offline_paid, reserved, held, late)],
              ["refunded", "refunded", "refund_due", "cancelled", "cancelled", "cancelled"],
              "paid ones refunded or owed, the others cancelled")
    refunds = [q for q in fake.requests() if q.get("path") == "/v1/refunds" and
               q.get("idempotency_key") == "refund-" + card]
    tap.ok(refunds and refunds[-1].get("status") == 200,
           "the card payment is refunded through Stripe, with an idempotency key")
    tap.is_eq((counters(free), counters(paid)), ((0, 0), (0, 0)), "no seat is held or sold")
    tap.is_eq([mails(c) for c in (free_order, card, offline_paid, reserved, held, late)],
              [1] * 6, "every buyer gets one mail")
    tap.like(value("SELECT payload FROM outbox WHERE payload LIKE '%%\"event_cancelled\"%%' "
                   "AND payload LIKE '%%%s%%'" % card), r"The hall is flooded",
             "with the organizer's message")
    page = org.get(path)
    tap.ok("Every order has been undone" in page.body, "the cancel page says it is done")
    r = post_with_token(org, path, {"reason": "again"})
    tap.is_eq(r.status, 409, "cancelling it again is refused")

    # A card payment that arrives after the event was called off.
    fake.pay(late_session)
    tap.is_eq(order_status(late), "refunded", "a payment after the cancellation is refunded")
    tap.is_eq(counters(paid), (0, 0), "and sells nothing")

    # The organizer cancels one order of an event that goes on.
    ev3, (tt3,) = new_event(TAG + " goes on", [("Seat", 2500, 10, 10, 0)])
    one = hold(alice, ev3, tt3, 2)
    pay_with(alice, one, "stripe")
    fake.pay(value("SELECT provider_ref FROM orders WHERE code = '%s'" % one))
    kept = hold(bob, ev3, tt3, 1)
    tap.is_eq((order_status(one), counters(tt3)), ("paid", (1, 2)), "a paid and a held order")
    page = org.get("/admin/orders/%s" % one)
    tap.ok("Cancel and refund €50.00" in page.body, "the order's admin page offers to cancel it")
    r = post_with_token(other, "/admin/orders/%s/cancel" % one, {}, form_page="/admin")
    tap.is_eq((r.status, order_status(one)), (404, "paid"), "another organizer cannot")
    fake.fail("500", count=1)
    r = post_with_token(org, "/admin/orders/%s/cancel" % one, {"reason": "Double booking."},
                        form_page="/admin/orders/%s" % one)
    tap.is_eq((r.status, order_status(one), counters(tt3)), (503, "paid", (1, 2)),
              "Stripe failing to refund changes nothing")
    r = post_with_token(org, "/admin/orders/%s/cancel" % one, {"reason": "Double booking."},
                        form_page="/admin/orders/%s" % one)
    tap.is_eq((r.status, location(r)), (303, "/admin/orders/%s?done=cancelled" % one),
              "trying again cancels it")
    tap.is_eq((order_status(one), counters(tt3)), ("refunded", (1, 0)),
              "refunded, its seats back on sale")
    tap.ok(any(q.get("path") == "/v1/refunds" and q.get("idempotency_key") == "refund-" + one
               and q.get("status") == 200 for q in fake.requests()),
           "through Stripe, with the order's refund key")
    tap.like(value("SELECT payload FROM outbox WHERE payload LIKE '%%\"order_cancelled\"%%' "
                   "AND payload LIKE '%%%s%%'" % one) or "", r"Double booking",
             "the buyer is mailed, with the reason")
    r = post_with_token(org, "/admin/orders/%s/cancel" % kept, {},
                        form_page="/admin/orders/%s" % kept)
    tap.is_eq((r.status, order_status(kept), counters(tt3)), (303, "cancelled", (0, 0)),
              "a held order is cancelled, its seat back")
    r = post_with_token(org, "/admin/orders/%s/cancel" % kept, {},
                        form_page="/admin/orders/%s" % kept)
    tap.is_eq(r.status, 409, "cancelling it again is refused")
    tap.is_eq(int(value("SELECT COUNT(*) FROM audit_log WHERE action = 'order.cancel' "
                        "AND target IN ('%s', '%s')" % (one, kept))), 2, "both are audited")

    # More orders than one row takes: handed on to the next.
    ev2, (tt2,) = new_event(TAG + " big", [("Entry", 0, 200, 10, 0)])
    buyer = int(value("SELECT id FROM users WHERE email = 'carla@tessera.test'"))
    n = BATCH + 12
    codes = ["".join(random.choice(ALPHABET) for _ in range(16)) for _ in range(n)]
    value("INSERT INTO orders (code, event_id, buyer_id, status, total_cents, currency, "
          "provider, paid_at) VALUES %s" % ", ".join(
              "('%s', %d, %d, 'paid', 0, 'EUR', 'free', UTC_TIMESTAMP())" % (c, ev2, buyer)
              for c in codes))
    value("INSERT INTO tickets (order_id, ticket_type_id, code) SELECT o.id, %d, "
          "CONCAT(o.code, 'TICKETZZ') FROM orders o WHERE o.event_id = %d" % (tt2, ev2))
    value("INSERT INTO order_lines (order_id, kind, ticket_type_id, description, quantity, "
          "unit_price_cents) SELECT o.id, 'ticket', %d, 'Entry', 1, 0 FROM orders o "
          "WHERE o.event_id = %d" % (tt2, ev2))
    value("UPDATE ticket_types SET sold = %d WHERE id = %d" % (n, tt2))
    r = post_with_token(org, "/admin/events/%d/cancel" % ev2, {"reason": "Called off."})
    tap.is_eq(r.status, 303, "a bigger event is cancelled")
    tap.is_eq(wait_undone(ev2, timeout=60), 0,
              "all %d of its orders are undone, in more than one batch" % n)
    tap.is_eq(counters(tt2), (0, 0), "and its seats are free")
    tap.is_eq(int(value("SELECT COUNT(*) FROM outbox WHERE topic = 'event_cancelled' AND "
                        "payload LIKE '%%\"event_id\":%d,%%'" % ev2)), 1,
              "one outbox row takes them all, a batch per transaction")

tap.done()
