"""Order about to expire: a few minutes before an unpaid order's hold ends
the worker tells its buyer once (a notification linking to the checkout,
and a mail with the link to pay, unless they turned that mail off); not
when the order was paid or cancelled first; still once when the worker
runs again and restarts."""

import time

import tap
from fixtures import hold, mails_to, make_accounts, new_event, pay_with

DB = tap.DB_NAME
TAG = "ox%d" % (int(time.time()) % 100000000)


def value(q):
    return tap.sql_value("primary", q, database=DB)


def order_id(code):
    return int(value("SELECT id FROM orders WHERE code = '%s'" % code))


def warned(code):
    return value("SELECT COUNT(*) FROM notifications WHERE kind = 'order_expiring' "
                 "AND subject_id = %d" % order_id(code))


def ends_soon(code, seconds=120):
    """The hold of order code, made ten minutes ago, ends in seconds."""
    value("UPDATE orders SET hold_expires_at = UTC_TIMESTAMP() + INTERVAL %d SECOND, "
          "created_at = UTC_TIMESTAMP() - INTERVAL 10 MINUTE WHERE code = '%s'"
          % (seconds, code))


def expiring_mails(addr, code):
    return [m for m in mails_to(addr) if ("Order %s expires" % code) in str(m["Subject"])]


def wait_mails(addr, code, n=1, timeout=20):
    deadline = time.time() + timeout
    while len(expiring_mails(addr, code)) < n and time.time() < deadline:
        time.sleep(0.3)
    return expiring_mails(addr, code)


ev, (paid_tt, free_tt) = new_event(TAG + " Expiring", [("Seat", 1500, 100, 5, 0),
                                                       ("Free", 0, 100, 5, 0)])
(u1, c1), (u2, c2), (u3, c3) = make_accounts(TAG, 3)
addr1 = value("SELECT email FROM users WHERE id = %d" % u1)
addr2 = value("SELECT email FROM users WHERE id = %d" % u2)

# ---------------------------------------------------------------- told once
code = hold(c1, ev, paid_tt, 2)
tap.ok(code is not None, "a hold of two seats")
time.sleep(7)   # more than a worker's round (5 s)
tap.is_eq(warned(code), "0", "fifteen minutes left: not told yet")
young = hold(c1, ev, paid_tt, 1)
value("UPDATE orders SET hold_expires_at = UTC_TIMESTAMP() + INTERVAL 120 SECOND "
      "WHERE code = '%s'" % young)
ends_soon(code)
deadline = time.time() + 20
while warned(code) != "1" and time.time() < deadline:
    time.sleep(0.3)
tap.is_eq(warned(code), "1", "two minutes left: one notification")
tap.is_eq(value("SELECT CONCAT(user_id, ' ', link) FROM notifications WHERE kind = "
                "'order_expiring' AND subject_id = %d" % order_id(code)),
          "%d /orders/%s/checkout" % (u1, code), "for the buyer, linking to the checkout")
tap.ok(value("SELECT expiry_warned_at IS NOT NULL FROM orders WHERE code = '%s'" % code) == "1",
       "the order records that it was warned")
mails = wait_mails(addr1, code)
tap.is_eq(len(mails), 1, "one mail")
if mails:
    text = mails[0].get_body(("plain",)).get_content()
    tap.ok("/orders/%s/checkout" % code in text, "the mail links to the checkout")
    tap.ok("30,00" in text or "30.00" in text, "and says what to pay")
    tap.ok(mails[0]["List-Unsubscribe"] is not None, "with the one-click unsubscribe")
page = c1.get("/me/notifications")
tap.ok("/orders/%s/checkout" % code in page.body, "the notifications page links to paying")

time.sleep(7)
tap.is_eq(warned(code), "1", "another round of the worker: still one")
tap.worker_stop()
tap.worker_start()
time.sleep(7)
tap.is_eq(warned(code), "1", "after a restart: still one")
tap.is_eq(len(expiring_mails(addr1, code)), 1, "and one mail")

# ---------------------------------------------------------------- paid or cancelled first
paid = hold(c2, ev, free_tt, 1)
pay_with(c2, paid, "free")
tap.is_eq(value("SELECT status FROM orders WHERE code = '%s'" % paid), "paid", "a free order is paid")
ends_soon(paid)
cancelled = hold(c3, ev, paid_tt, 1)
page = c3.get("/orders/%s/checkout" % cancelled)
r = c3.post("/orders/%s/cancel" % cancelled, {"csrf": tap.form_value(page.body, "csrf")})
tap.is_eq(value("SELECT status FROM orders WHERE code = '%s'" % cancelled), "cancelled",
          "the buyer cancels the other")
ends_soon(cancelled)

# ---------------------------------------------------------------- mail off
value("INSERT INTO notification_prefs (user_id, kind, mail) VALUES (%d, 'order_expiring', 0)" % u2)
quiet = hold(c2, ev, paid_tt, 1)
ends_soon(quiet)
deadline = time.time() + 20
while warned(quiet) != "1" and time.time() < deadline:
    time.sleep(0.3)
tap.is_eq(warned(quiet), "1", "mail turned off: still the notification")
time.sleep(3)
tap.is_eq(len(expiring_mails(addr2, quiet)), 0, "but no mail")
tap.is_eq(warned(young), "0", "an order made a moment ago, however short its hold, is not")
tap.is_eq(warned(paid), "0", "a paid order is not warned")
tap.is_eq(warned(cancelled), "0", "nor a cancelled one")

tap.done()
