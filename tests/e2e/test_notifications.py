"""Notifications: a confirmed booking, a new review and a reply each make
one notification (written by the worker with its mail in the same
transaction as the outbox row's mark), the unread count in the page
header, /me/notifications with marking one or all read, nobody else's;
the mail settings; the one-click unsubscribe (RFC 8058 headers, a token
link that needs no sign-in, for that kind only); and with the worker
stopped, then started, every notification and mail exactly once."""

import re
import time
import urllib.parse

import tap
from fixtures import hold, location, mails_to, make_accounts, new_event, pay_with, sign_in, wait_for

DB = tap.DB_NAME
TAG = "nt%d" % (int(time.time()) % 100000000)


def value(q):
    return tap.sql_value("primary", q, database=DB)


def post(c, path, fields, page="/me/notifications"):
    f = dict(fields)
    f["csrf"] = tap.form_value(c.get(page).body, "csrf")
    return c.post(path, f)


def count(uid, kind):
    return value("SELECT COUNT(*) FROM notifications WHERE user_id = %d AND kind = '%s'"
                 % (uid, kind))


def unread(uid):
    return value("SELECT unread_notifications FROM users WHERE id = %d" % uid)


def book(c, ev, tt):
    code = hold(c, ev, tt)
    _, r = pay_with(c, code, "free")
    return code if r.status == 303 else None


ev, (tt,) = new_event(TAG + " Notified", [("Free", 0, 100, 5, 0)])
buyers = make_accounts(TAG, 5)
(uid, c), (uid2, c2) = buyers[0], buyers[1]
addr = value("SELECT email FROM users WHERE id = %d" % uid)

# ---------------------------------------------------------------- a booking
tap.ok('href="/me/notifications">Notifications</a>' in c.get("/me").body,
       "the header links to the notifications, with no count while none is unread")
code = book(c, ev, tt)
tap.ok(code, "a free booking is confirmed")
tap.is_eq(wait_for("SELECT COUNT(*) FROM notifications WHERE user_id = %d" % uid, "1"), "1",
          "the worker writes its notification")
tap.is_eq(count(uid, "booking_confirmed"), "1", "of kind booking_confirmed")
tap.is_eq(unread(uid), "1", "the unread counter counts it")
me = c.get("/me").body
tap.ok(re.search(r'Notifications <span class="badge-count">1<span class="visually-hidden"> unread',
                 me) is not None, "the page header shows 1 unread")
page = c.get("/me/notifications").body
tap.ok('href="/me/orders/%s"' % code in page and "Your booking for" in page,
       "the notifications page lists it, linking to the order")
deadline = time.time() + 20
while not mails_to(addr) and time.time() < deadline:
    time.sleep(0.3)
msgs = mails_to(addr)
tap.is_eq(len(msgs), 1, "its mail is written once")
tap.ok(msgs and msgs[0]["List-Unsubscribe"] is None,
       "a booking's mail is essential: no unsubscribe")
nid = int(value("SELECT id FROM notifications WHERE user_id = %d" % uid))

r = post(c2, "/me/notifications/%d/read" % nid, {})
tap.is_eq(r.status, 404, "someone else's notification: 404")
tap.is_eq(c2.get("/me/notifications").body.count('<li class="notification'), 0,
          "and nobody else sees it")
r = post(c, "/me/notifications/%d/read" % nid, {})
tap.is_eq((r.status, location(r)), (303, "/me/notifications"), "marked read")
tap.is_eq(unread(uid), "0", "the counter goes down")
tap.ok("badge-count" not in c.get("/me").body, "the header shows no count")
r = post(c, "/me/notifications/%d/read" % nid, {})
tap.is_eq(r.status, 404, "reading it again: 404, the counter stays")
tap.is_eq(unread(uid), "0", "at 0")

# ---------------------------------------------------------------- a review and a reply
value("UPDATE events SET starts_at = UTC_TIMESTAMP() - INTERVAL 3 HOUR, "
      "ends_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE id = %d" % ev)
org_id = int(value("SELECT id FROM users WHERE email = 'organizer@tessera.test'"))
before = int(unread(org_id))
r = post(c, "/events/%d/reviews" % ev, {"rating": "5", "comment": "Loved it."},
         page="/events/%d/reviews" % ev)
tap.is_eq(r.status, 303, "the buyer reviews the event")
tap.is_eq(wait_for("SELECT COUNT(*) FROM notifications WHERE user_id = %d AND kind = "
                   "'review_new' AND subject_id = %d" % (org_id, ev), "1"), "1",
          "the organizer is told of the new review")
tap.is_eq(int(unread(org_id)), before + 1, "their counter counts it")
rid = int(value("SELECT id FROM reviews WHERE event_id = %d AND author_id = %d" % (ev, uid)))
org = sign_in("organizer@tessera.test")
r = post(org, "/reviews/%d/reply" % rid, {"text": "Thank you!"}, page="/reviews/%d/reply" % rid)
tap.is_eq(r.status, 303, "the organizer replies")
tap.is_eq(wait_for("SELECT COUNT(*) FROM notifications WHERE user_id = %d AND kind = "
                   "'review_reply'" % uid, "1"), "1", "the reviewer is told of the reply")
tap.ok('href="/events/%d#review-%d"' % (ev, rid) in c.get("/me/notifications").body,
       "linking to the review")
deadline = time.time() + 20
while len(mails_to(addr)) < 2 and time.time() < deadline:
    time.sleep(0.3)
reply_mail = [m for m in mails_to(addr) if "replied" in str(m["Subject"])]
tap.is_eq(len(reply_mail), 1, "the reply is mailed once")
unsub = ""
if reply_mail:
    m = reply_mail[0]
    tap.is_eq(m["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click",
              "with RFC 8058's List-Unsubscribe-Post")
    hm = re.match(r"^<(https?://[^>]+)>$", str(m["List-Unsubscribe"] or ""))
    tap.ok(hm, "and a List-Unsubscribe URL")
    unsub = hm.group(1) if hm else ""
    tap.ok(unsub and unsub in m.get_body(("plain",)).get_content(),
           "the same link is in the mail's text")

# ---------------------------------------------------------------- unsubscribe
parts = urllib.parse.urlsplit(unsub)
path = parts.path + "?" + parts.query
r = tap.get(path)
tap.ok(r.status == 200 and "replied to my review" in r.body,
       "the link opens without signing in, naming the kind")
tap.is_eq(value("SELECT COUNT(*) FROM notification_prefs WHERE user_id = %d" % uid), "0",
          "opening it changes nothing")
q = urllib.parse.parse_qs(parts.query)
bad = "/unsubscribe?u=%s&k=review_reply&t=%s" % (uid2, q["t"][0])
tap.is_eq(tap.post(bad, {"List-Unsubscribe": "One-Click"}).status, 404,
          "another account's link with this token: 404")
tap.is_eq(tap.post("/unsubscribe?u=%d&k=booking_confirmed&t=%s" % (uid, q["t"][0]),
                   {"List-Unsubscribe": "One-Click"}).status, 404,
          "an essential kind cannot be unsubscribed")
r = tap.request("POST", path, body=b"List-Unsubscribe=One-Click",
                headers={"Content-Type": "application/x-www-form-urlencoded"})
tap.is_eq(r.status, 200, "a mail client's one-click POST, no cookie, no CSRF token: 200")
tap.is_eq(value("SELECT GROUP_CONCAT(CONCAT(kind, '=', mail)) FROM notification_prefs "
                "WHERE user_id = %d" % uid), "review_reply=0", "only that kind is off")
settings = c.get("/me/notifications/settings").body
tap.ok(re.search(r'name="review_reply" value="yes">', settings) is not None,
       "the settings page shows it off")
tap.ok(re.search(r'name="review_new" value="yes" checked>', settings) is not None,
       "and the others as they were")
r = post(c, "/me/notifications/settings", {"review_reply": "yes", "review_new": "yes",
                                          "event_reminder": "yes"},
         page="/me/notifications/settings")
tap.is_eq((r.status, location(r)), (303, "/me/notifications?done=settings"), "settings saved")
tap.is_eq(value("SELECT mail FROM notification_prefs WHERE user_id = %d AND kind = 'review_reply'"
                % uid), "1", "the reply mails are on again")
tap.is_eq(value("SELECT mail FROM notification_prefs WHERE user_id = %d AND kind = "
                "'order_expiring'" % uid), "0", "what was not ticked is off")

r = post(c, "/me/notifications/read-all", {})
tap.is_eq(r.status, 303, "mark all as read")
tap.is_eq((unread(uid), value("SELECT COUNT(*) FROM notifications WHERE user_id = %d AND "
                              "read_at IS NULL" % uid)), ("0", "0"), "none is unread")

# ---------------------------------------------------------------- worker stopped
ev2, (tt2,) = new_event(TAG + " While stopped", [("Free", 0, 100, 5, 0)])
tap.worker_stop()
codes = [book(bc, ev2, tt2) for _, bc in buyers[1:]]
tap.ok(all(codes), "%d bookings while the worker is stopped" % len(codes))
tap.is_eq(value("SELECT COUNT(*) FROM notifications n JOIN orders o ON o.id = n.subject_id "
                "WHERE o.event_id = %d" % ev2), "0", "no notification yet")
tap.worker_start()
ids = ", ".join(str(u) for u, _ in buyers[1:])
tap.is_eq(wait_for("SELECT COUNT(*) FROM notifications WHERE kind = 'booking_confirmed' AND "
                   "user_id IN (%s)" % ids, str(len(codes))), str(len(codes)),
          "once started, every notification is written")
time.sleep(3)
tap.is_eq(value("SELECT COUNT(*) FROM notifications WHERE kind = 'booking_confirmed' AND "
                "user_id IN (%s)" % ids), str(len(codes)), "each exactly once")
for u, _ in buyers[1:]:
    a = value("SELECT email FROM users WHERE id = %d" % u)
    deadline = time.time() + 20
    while not mails_to(a) and time.time() < deadline:
        time.sleep(0.3)
tap.is_eq(sorted(len(mails_to(value("SELECT email FROM users WHERE id = %d" % u)))
                 for u, _ in buyers[1:]), [1] * len(codes), "and every mail exactly once")
tap.is_eq(value("SELECT COUNT(*) FROM outbox WHERE topic = 'notify' AND processed_at IS NULL"),
          "0", "no notify row is left")

tap.done()
