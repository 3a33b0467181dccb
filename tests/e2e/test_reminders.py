"""Reminders: the day before a published event, the worker tells every
ticket holder once (a notification, and a mail with their ticket links,
the .ics and the one-click unsubscribe) and its organizer once ("starts
in 24 h: N sold, M checked in"); with two workers at once, one of them
stopped in the middle and the scan run again, still once each; and the
organizers' daily digest of new bookings, once a day for those who ask."""

import time

import tap
from fixtures import hold, mails_to, make_accounts, new_event, pay_for, pay_with, sign_in, wait_for

DB = tap.DB_NAME
TAG = "rm%d" % (int(time.time()) % 100000000)


def value(q):
    return tap.sql_value("primary", q, database=DB)


def tomorrow(ev):
    value("UPDATE events SET starts_at = UTC_TIMESTAMP() + INTERVAL 20 HOUR, "
          "ends_at = UTC_TIMESTAMP() + INTERVAL 22 HOUR WHERE id = %d" % ev)


org_id = int(value("SELECT id FROM users WHERE email = 'organizer@tessera.test'"))

# ---------------------------------------------------------------- one event
ev, (tt,) = new_event(TAG + " Day before", [("Free", 0, 100, 5, 0)])
buyers = make_accounts(TAG, 3)
codes = []
for _, c in buyers[:2]:
    code = hold(c, ev, tt, 2)
    pay_with(c, code, "free")
    codes.append(code)
tap.is_eq(value("SELECT COUNT(*) FROM orders WHERE event_id = %d AND status = 'paid'" % ev),
          "2", "two holders of two tickets each")
value("UPDATE tickets k JOIN orders o ON o.id = k.order_id SET k.checked_in_at = "
      "UTC_TIMESTAMP() WHERE o.code = '%s' LIMIT 1" % codes[0])
tap.is_eq(value("SELECT reminded_at IS NULL FROM events WHERE id = %d" % ev), "1",
          "a month away: no reminder")
tomorrow(ev)
tap.is_eq(wait_for("SELECT reminded_at IS NOT NULL FROM events WHERE id = %d" % ev, "1"), "1",
          "once it is within 24 hours the worker reminds")
for uid, _ in buyers[:2]:
    tap.is_eq(value("SELECT COUNT(*) FROM notifications WHERE user_id = %d AND kind = "
                    "'event_reminder' AND subject_id = %d" % (uid, ev)), "1",
              "holder %d: one notification" % uid)
tap.is_eq(value("SELECT COUNT(*) FROM notifications WHERE user_id = %d AND kind = "
                "'event_reminder'" % buyers[2][0]), "0", "nobody without a ticket")
tap.is_eq(value("SELECT COUNT(*) FROM notifications WHERE user_id = %d AND kind = "
                "'event_starts_soon' AND subject_id = %d AND text LIKE '%%4 sold, 1 checked in%%'"
                % (org_id, ev)), "1", "the organizer: starts in 24 h, 4 sold, 1 checked in")
addr = value("SELECT email FROM users WHERE id = %d" % buyers[0][0])
deadline = time.time() + 20
while not [m for m in mails_to(addr) if str(m["Subject"]).startswith("Tomorrow:")] and time.time() < deadline:
    time.sleep(0.3)
mails = [m for m in mails_to(addr) if str(m["Subject"]).startswith("Tomorrow:")]
tap.is_eq(len(mails), 1, "the holder's reminder mail, once")
if mails:
    text = mails[0].get_body(("plain",)).get_content()
    tickets = value("SELECT GROUP_CONCAT(k.code ORDER BY k.id) FROM tickets k JOIN orders o "
                    "ON o.id = k.order_id WHERE o.code = '%s'" % codes[0]).split(",")
    tap.ok(all("/tickets/%s" % t in text for t in tickets), "with links to both tickets")
    tap.ok("/events/%d.ics" % ev in text, "and the .ics")
    tap.ok(mails[0]["List-Unsubscribe"] is not None, "and one-click unsubscribe")

# ---------------------------------------------------------------- two workers, a restart
ev2, _ = new_event(TAG + " Crowded", [("Free", 0, 1000, 5, 0)])
many = make_accounts(TAG + "m", 160)
pay_for(ev2, [uid for uid, _ in many])
tap.worker_start(second=True)
tomorrow(ev2)
time.sleep(1.5)
tap.worker_stop()   # both, each in the middle of what it does
tap.worker_start()
tap.is_eq(wait_for("SELECT reminded_at IS NOT NULL FROM events WHERE id = %d" % ev2, "1", 60),
          "1", "160 holders reminded, two workers, one of them stopped and started")
ids = ",".join(str(u) for u, _ in many)
tap.is_eq(value("SELECT COUNT(*) FROM notifications WHERE kind = 'event_reminder' AND "
                "subject_id = %d AND user_id IN (%s)" % (ev2, ids)), "160",
          "one notification each")
tap.is_eq(value("SELECT COUNT(*) FROM (SELECT user_id FROM notifications WHERE kind = "
                "'event_reminder' AND subject_id = %d GROUP BY user_id HAVING COUNT(*) > 1) d"
                % ev2), "0", "nobody twice")
tap.is_eq(value("SELECT COUNT(*) FROM outbox WHERE topic = 'mail' AND payload LIKE "
                "'%%event_reminder%%' AND payload LIKE '%%/events/%d.ics%%'" % ev2), "160",
          "one mail each")
value("UPDATE events SET reminded_at = NULL WHERE id = %d" % ev2)
time.sleep(12)
tap.is_eq(value("SELECT COUNT(*) FROM notifications WHERE kind = 'event_reminder' AND "
                "subject_id = %d" % ev2), "160", "a scan run again reminds nobody twice")

# ---------------------------------------------------------------- the daily digest
org = sign_in("organizer@tessera.test")
page = org.get("/me/notifications/settings").body
r = org.post("/me/notifications/settings", {"csrf": tap.form_value(page, "csrf"),
                                            "new_bookings": "yes", "event_starts_soon": "yes"})
tap.is_eq(r.status, 303, "the organizer asks for the daily digest of new bookings")
tap.is_eq(wait_for("SELECT COUNT(*) FROM notifications WHERE user_id = %d AND kind = "
                   "'new_bookings'" % org_id, "1"), "1", "the worker sends today's digest")
tap.ok(value("SELECT text FROM notifications WHERE user_id = %d AND kind = 'new_bookings'"
             % org_id).endswith("in the last day."), "counting the day's bookings")
org_addr = "organizer@tessera.test"
deadline = time.time() + 20
while not [m for m in mails_to(org_addr) if "new bookings" in str(m["Subject"])] and \
        time.time() < deadline:
    time.sleep(0.3)
digests = [m for m in mails_to(org_addr) if "new bookings" in str(m["Subject"])]
tap.is_eq(len(digests), 1, "one digest mail")
tap.ok(digests and digests[0]["List-Unsubscribe"] is not None, "which one may unsubscribe from")
time.sleep(12)
tap.is_eq(value("SELECT COUNT(*) FROM notifications WHERE user_id = %d AND kind = 'new_bookings'"
                % org_id), "1", "and only one a day")

tap.done()
