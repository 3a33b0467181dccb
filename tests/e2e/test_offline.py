"""Paying offline (bank transfer, at the door): the buyer reserves, the
order waits as pending payment holding its seats until the event's
deadline, and the organizer records the payment from the order's admin
page; unpaid by the deadline it expires and the seats come back; a payment
recorded after that takes the seats again only while they are free, else
it is refused and nothing changes; a paid offline order the buyer cancels
is a refund the organizer owes and records. Only the event's organizer
(or a site admin) sees or changes the order there; everyone else gets
404, an attendee 403."""

import re
import time

import tap
from fixtures import (counters, expire_hold, hold, location, new_event, order_status,
                      pay_with, sign_in)

DB = tap.DB_NAME
TAG = "off%d" % (int(time.time()) % 100000000)
INSTRUCTIONS = "IBAN DE00 1234 5678 9012 3456 78, reference: the order code"


def value(q):
    return tap.sql_value("primary", q, database=DB)


def offline_event(quota, days=3):
    """A published event with one 20-euro type of quota seats, paid offline
    within days."""
    ev, (tt,) = new_event("%s %d" % (TAG, quota), [("Standard", 2000, quota, 10, 0)])
    value("UPDATE events SET offline_payment_days = %d, offline_instructions = '%s', "
          "refunds_until = UTC_TIMESTAMP() + INTERVAL 1 DAY WHERE id = %d"
          % (days, INSTRUCTIONS, ev))
    return ev, tt


def reserve(c, ev, tt, qty=1):
    """Holds qty seats and chooses to pay offline; the order's code."""
    code = hold(c, ev, tt, qty)
    _, r = pay_with(c, code, "offline")
    tap.is_eq((r.status, order_status(code)), (303, "pending_payment"),
              "%s waits for an offline payment" % code)
    return code


def mails(code, template):
    """The mails of template about order code that its page queued: a
    notification with its mail (topic notify), which the worker turns into
    the mail row."""
    return int(value("SELECT COUNT(*) FROM outbox WHERE topic = 'notify' AND "
                     "payload LIKE '%%\"%s\"%%' AND payload LIKE '%%%s%%'" % (template, code)))


def admin_post(c, code, action):
    page = c.get("/admin/orders/%s" % code)
    return c.post("/admin/orders/%s/%s" % (code, action),
                  {"csrf": tap.form_value(page.body, "csrf") or ""})


alice = sign_in("alice@tessera.test")
bob = sign_in("bob@tessera.test")
org = sign_in("organizer@tessera.test")
other_org = sign_in("organizer2@tessera.test")

# Reserving: the checkout offers it, the order waits with its seats held.
ev, tt = offline_event(2)
code = hold(alice, ev, tt)
page, r = pay_with(alice, code, "offline")
tap.ok('value="offline"' in page.body, "the checkout offers paying offline")
tap.ok(r.status == 303 and location(r) == "/me/orders/%s?done=pending" % code,
       "choosing it goes to the order (%d %s)" % (r.status, location(r)))
tap.is_eq(order_status(code), "pending_payment", "the order waits for the payment")
tap.is_eq(counters(tt), (1, 0), "its seat stays held")
due = int(value("SELECT TIMESTAMPDIFF(HOUR, UTC_TIMESTAMP(), hold_expires_at) "
                "FROM orders WHERE code = '%s'" % code))
tap.ok(70 <= due <= 72, "until the deadline the event sets: 3 days (%d h)" % due)
page = alice.get(r.headers["Location"])
tap.ok("Your seats are reserved" in page.body and INSTRUCTIONS in page.body and
       "Pay <strong>€20.00</strong> by" in page.body,
       "the order page says what to pay, by when and how")
tap.is_eq(mails(code, "order_pending"), 1, "one mail with the instructions")
tap.is_eq(mails(code, "order_confirmed"), 0, "and no tickets yet")

# The organizer's side: the order in the admin list and on its page.
page = org.get("/admin")
tap.ok("/admin/orders/%s" % code in page.body, "the organizer's admin lists it as waiting")
page = org.get("/admin/orders/%s" % code)
tap.ok(page.status == 200 and "Record payment of €20.00 received" in page.body,
       "the organizer's order page offers to record the payment")
tap.is_eq(other_org.get("/admin/orders/%s" % code).status, 404,
          "another organizer gets 404 for it")
tap.is_eq(other_org.get("/admin/orders/%s" % ("Z" * 16)).status, 404,
          "as for a code that does not exist")
r = admin_post(other_org, code, "paid")
tap.is_eq((r.status, order_status(code)), (404, "pending_payment"),
          "and cannot record its payment")
tap.is_eq(alice.get("/admin/orders/%s" % code).status, 403,
          "an attendee, its buyer included, gets 403 there")
r = org.post("/admin/orders/%s/paid" % code, {})
tap.is_eq((r.status, order_status(code)), (403, "pending_payment"),
          "recording without the CSRF token is refused")

r = admin_post(org, code, "paid")
tap.ok(r.status == 303 and location(r) == "/admin/orders/%s?done=paid" % code,
       "the organizer records the payment (%d %s)" % (r.status, location(r)))
tap.is_eq((order_status(code), counters(tt)), ("paid", (0, 1)), "the order is paid, its seat sold")
tap.is_eq(value("SELECT provider FROM orders WHERE code = '%s'" % code), "offline",
          "paid offline")
tap.is_eq(mails(code, "order_confirmed"), 1, "the buyer gets the tickets by mail")
tap.is_eq(int(value("SELECT COUNT(*) FROM audit_log WHERE action = 'order.paid_offline' "
                    "AND target = '%s'" % code)), 1, "the audit log has who recorded it")
r = admin_post(org, code, "paid")
tap.is_eq((r.status, counters(tt), mails(code, "order_confirmed")), (409, (0, 1), 1),
          "recording it twice is refused and changes nothing")
page = alice.get("/me/orders/%s" % code)
tap.ok(re.search(r"<code>[A-Z2-9]{24}</code>", page.body) is not None,
       "the buyer's order shows the tickets")

# Cancelled by the buyer within the refund policy: a refund the organizer owes.
page = alice.get("/me/orders/%s" % code)
r = alice.post("/orders/%s/cancel" % code, {"csrf": tap.form_value(page.body, "csrf")})
tap.is_eq((r.status, order_status(code)), (303, "refund_due"),
          "the buyer cancels the paid order: a refund is due")
tap.is_eq(counters(tt), (0, 0), "its seat is back on sale at once")
tap.is_eq(mails(code, "order_refund_due"), 1, "the buyer is told the organizer pays it back")
page = org.get("/admin")
tap.ok("/admin/orders/%s" % code in page.body, "the organizer's admin lists the refund due")
r = admin_post(org, code, "refunded")
tap.is_eq((r.status, order_status(code)), (303, "refunded"),
          "the organizer records the refund paid back")
tap.is_eq(mails(code, "order_refunded"), 1, "and the buyer is told")
r = admin_post(org, code, "refunded")
tap.is_eq(r.status, 409, "recording it twice is refused")

# Unpaid by the deadline: it expires, the seats come back; a late payment
# takes them again while they are free.
code2 = reserve(bob, ev, tt, 2)
tap.is_eq(counters(tt), (2, 0), "two seats held for it")
tap.is_eq(expire_hold(code2), "expired", "unpaid by the deadline, the worker expires it")
tap.is_eq(counters(tt), (0, 0), "and its seats are back on sale")
note = value("SELECT note FROM order_history o JOIN orders r ON r.id = o.order_id "
             "WHERE r.code = '%s' ORDER BY o.id DESC LIMIT 1" % code2)
tap.is_eq(note, "no payment by the deadline", "its history says why")
page = org.get("/admin/orders/%s" % code2)
tap.ok("not paid by its deadline" in page.body, "the admin page warns the payment is late")
r = admin_post(org, code2, "paid")
tap.is_eq((r.status, order_status(code2), counters(tt)), (303, "paid", (0, 2)),
          "a late payment is accepted while the seats are free")

# A late payment when the seats are gone: refused, nothing changes.
ev3, tt3 = offline_event(1)
code3 = reserve(alice, ev3, tt3)
tap.is_eq(expire_hold(code3), "expired", "the unpaid order expires")
code4 = hold(bob, ev3, tt3)
tap.ok(code4, "another buyer takes the last seat")
r = admin_post(org, code3, "paid")
tap.is_eq((r.status, order_status(code3)), (409, "expired"),
          "the late payment is refused: its seat is gone")
tap.ok("cannot be accepted" in r.body, "the page says why and what to do")
tap.is_eq(counters(tt3), (1, 0), "never oversold: one seat, held by the other buyer")
tap.is_eq(mails(code3, "order_confirmed"), 0, "no tickets go out")

# The buyer gives up a reservation: the seats come back.
ev5, tt5 = offline_event(3)
code5 = reserve(alice, ev5, tt5, 2)
page = alice.get("/me/orders/%s" % code5)
r = alice.post("/orders/%s/cancel" % code5, {"csrf": tap.form_value(page.body, "csrf")})
tap.is_eq((r.status, order_status(code5), counters(tt5)), (303, "cancelled", (0, 0)),
          "the buyer cancels the reservation and its seats are back")

# The deadline never passes the event's end.
ev6, tt6 = offline_event(2, days=60)
code6 = reserve(alice, ev6, tt6)
tap.is_eq(int(value("SELECT o.hold_expires_at = e.ends_at FROM orders o JOIN events e "
                    "ON e.id = o.event_id WHERE o.code = '%s'" % code6)), 1,
          "60 days to pay for an event in 30: due when the event ends")

# An event that does not take offline payments.
ev7, (tt7,) = new_event("%s online only" % TAG, [("Standard", 2000, 2, 10, 0)])
code7 = hold(alice, ev7, tt7)
page, r = pay_with(alice, code7, "offline")
tap.ok('value="offline"' not in page.body, "an event without it does not offer paying offline")
tap.is_eq((r.status, order_status(code7)), (400, "held"),
          "and choosing it anyway is refused, the order still held")

tap.done()
