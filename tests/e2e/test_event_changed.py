"""Ticket holders hear when a published event moves: changing its date,
time or place on the organizer's edit page queues the notice in the same
transaction, and the worker mails each buyer of a paid order once (not
those with only a hold), a batch per outbox row; a change of title alone
tells nobody."""

import html
import random
import re
import time

import tap
from fixtures import hold, new_event, pay_with, sign_in

DB = tap.DB_NAME
TAG = "mv%d" % (int(time.time()) % 100000000)
FIELDS = ("title", "summary", "description", "venue", "address", "city", "timezone",
          "starts_at", "ends_at", "refunds_until", "offline_payment_days",
          "offline_instructions", "status")
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def value(q):
    return tap.sql_value("primary", q, database=DB)


def form_of(c, path):
    """The edit form's fields as the page shows them, and its CSRF token."""
    body = c.get(path).body
    out = {}
    for name in FIELDS:
        m = re.search(r'<input[^>]*name="%s"[^>]*value="([^"]*)"' % name, body)
        if m:
            out[name] = html.unescape(m.group(1))
            continue
        m = re.search(r'<textarea[^>]*name="%s"[^>]*>\n?(.*?)</textarea>' % name, body, re.S)
        if m:
            out[name] = html.unescape(m.group(1))
            continue
        m = re.search(r'<select[^>]*name="%s".*?</select>' % name, body, re.S)
        if m:
            sel = re.search(r'<option value="([^"]*)" selected', m.group(0))
            out[name] = sel.group(1) if sel else ""
    out["csrf"] = tap.form_value(body, "csrf")
    return out


def notices(code):
    return int(value("SELECT COUNT(*) FROM outbox WHERE topic = 'mail' AND payload LIKE "
                     "'%%\"event_changed\"%%' AND payload LIKE '%%%s%%'" % code))


def rows_of(ev):
    return int(value("SELECT COUNT(*) FROM outbox WHERE topic = 'event_changed' AND "
                     "payload LIKE '{\"event_id\":%d,%%'" % ev))


def wait_done(ev, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if int(value("SELECT COUNT(*) FROM outbox WHERE topic = 'event_changed' AND "
                     "processed_at IS NULL AND payload LIKE '{\"event_id\":%d,%%'" % ev)) == 0:
            return True
        time.sleep(0.3)
    return False


alice = sign_in("alice@tessera.test")
bob = sign_in("bob@tessera.test")
org = sign_in("organizer@tessera.test")
ev, (tt,) = new_event(TAG + " moves", [("Entry", 0, 20, 10, 0)])
paid = []
for c in (alice, bob):
    code = hold(c, ev, tt, 1)
    pay_with(c, code, "free")
    paid.append(code)
held = hold(bob, ev, tt, 1)
edit = "/admin/events/%d/edit" % ev

f = form_of(org, edit)
tap.is_eq(f.get("status"), "published", "the organizer's edit page shows the published event")
r = org.post(edit, dict(f, title=TAG + " moves, renamed"))
tap.is_eq(r.status, 303, "a new title is saved")
tap.is_eq(rows_of(ev), 0, "and tells nobody")

f = form_of(org, edit)
day, hour = f["starts_at"].split("T")
later = "%sT%02d:%s" % (day, (int(hour[:2]) + 1) % 24, hour[3:])
r = org.post(edit, dict(f, starts_at=later, venue="Another Hall"))
tap.is_eq(r.status, 303, "moving the start an hour and the venue is saved")
tap.is_eq(rows_of(ev), 1, "with the notice queued in the same change")
tap.ok(wait_done(ev), "the worker sends it")
tap.is_eq([notices(c) for c in paid], [1, 1], "each paid order's buyer is told once")
tap.is_eq(notices(held), 0, "a hold's buyer is not")
tap.like(value("SELECT payload FROM outbox WHERE topic = 'mail' AND payload LIKE "
               "'%%\"event_changed\"%%' AND payload LIKE '%%%s%%'" % paid[0]) or "",
         r"Another Hall", "with the new place")

# More buyers than a row takes: the rest is handed on.
ev2, (tt2,) = new_event(TAG + " big", [("Entry", 0, 200, 10, 0)])
buyer = int(value("SELECT id FROM users WHERE email = 'carla@tessera.test'"))
n = 62
codes = ["".join(random.choice(ALPHABET) for _ in range(16)) for _ in range(n)]
value("INSERT INTO orders (code, event_id, buyer_id, status, total_cents, currency, provider, "
      "paid_at) VALUES %s" % ", ".join("('%s', %d, %d, 'paid', 0, 'EUR', 'free', "
                                       "UTC_TIMESTAMP())" % (c, ev2, buyer) for c in codes))
edit2 = "/admin/events/%d/edit" % ev2
f = form_of(org, edit2)
r = org.post(edit2, dict(f, city="Hamburg"))
tap.is_eq(r.status, 303, "a bigger event moves to another city")
tap.ok(wait_done(ev2, timeout=60), "the worker sends every notice")
tap.is_eq(rows_of(ev2), 2, "over two outbox rows")
tap.is_eq(sum(notices(c) for c in codes), n, "one notice per paid order, %d in all" % n)
value("DELETE FROM orders WHERE event_id = %d" % ev2)

tap.done()
