"""The event's .ics attached: the booking confirmation and the day-before
reminder come as multipart/mixed, the two forms of the text, then the
event as text/calendar (METHOD:PUBLISH), the same calendar entry as
/events/{id}.ics (only its DTSTAMP differs). Read from the .eml files the
worker writes; tests/unit/test_mail.c checks the message's structure."""

import time

import tap
from fixtures import hold, mails_to, make_accounts, new_event, pay_with

DB = tap.DB_NAME
TAG = "ic%d" % (int(time.time()) % 100000000)


def value(q):
    return tap.sql_value("primary", q, database=DB)


def wait_mail(addr, prefix, timeout=30):
    deadline = time.time() + timeout
    while True:
        found = [m for m in mails_to(addr) if str(m["Subject"]).startswith(prefix)]
        if found or time.time() >= deadline:
            return found


def calendar_of(msg):
    """(content type, method param, file name, text) of msg's calendar part."""
    for part in msg.walk():
        if part.get_content_type() == "text/calendar":
            return (part.get_content_type(), part.get_param("method"),
                    part.get_filename(), part.get_content(),
                    part.get_payload(decode=True))
    return None


def unfold(text):
    return text.replace("\r\n ", "").replace("\r\n", "\n").strip()


def without_stamp(text):
    return [l for l in unfold(text).split("\n") if not l.startswith("DTSTAMP:")]


ev, (tt,) = new_event(TAG + " Calendar, night; party", [("Free", 0, 100, 5, 0)])
(uid, c), = make_accounts(TAG, 1)
addr = value("SELECT email FROM users WHERE id = %d" % uid)
code = hold(c, ev, tt, 1)
pay_with(c, code, "free")
tap.is_eq(value("SELECT status FROM orders WHERE code = '%s'" % code), "paid", "a booking")
page = tap.get("/events/%d.ics" % ev)
tap.is_eq(page.status, 200, "the event's .ics page")

mails = wait_mail(addr, "Your tickets")
tap.is_eq(len(mails), 1, "one confirmation mail")
for m in mails[:1]:
    tap.is_eq(m.get_content_type(), "multipart/mixed", "the confirmation is multipart/mixed")
    parts = list(m.iter_parts())
    tap.is_eq([p.get_content_type() for p in parts], ["multipart/alternative", "text/calendar"],
              "the two forms of the text, then the calendar")
    cal = calendar_of(m)
    tap.ok(cal and cal[1] == "PUBLISH", "text/calendar; method=PUBLISH")
    tap.is_eq(cal and cal[2], "event-%d.ics" % ev, "attached as event-%d.ics" % ev)
    tap.ok(cal and "METHOD:PUBLISH" in cal[3] and "BEGIN:VEVENT" in cal[3], "an iCalendar event")
    tap.ok(cal and all(len(l) <= 75 for l in cal[4].splitlines()),
           "its lines folded at 75 octets")
    tap.is_eq(cal and without_stamp(cal[3]), without_stamp(page.body),
              "the same entry as /events/%d.ics" % ev)
    tap.ok(cal and ("SUMMARY:%s Calendar\\, night\\; party" % TAG) in unfold(cal[3]),
           "its title escaped as iCalendar TEXT")
    body = m.get_body(("plain",))
    tap.ok(body is not None and code in body.get_content(), "and the text still reads")

# ---------------------------------------------------------------- the reminder
value("UPDATE events SET starts_at = UTC_TIMESTAMP() + INTERVAL 20 HOUR, "
      "ends_at = UTC_TIMESTAMP() + INTERVAL 22 HOUR WHERE id = %d" % ev)
mails = wait_mail(addr, "Tomorrow:")
tap.is_eq(len(mails), 1, "the reminder mail")
page = tap.get("/events/%d.ics" % ev)
for m in mails[:1]:
    cal = calendar_of(m)
    tap.is_eq(m.get_content_type(), "multipart/mixed", "the reminder is multipart/mixed")
    tap.ok(cal and cal[1] == "PUBLISH" and cal[2] == "event-%d.ics" % ev,
           "with the event's .ics attached")
    tap.is_eq(cal and without_stamp(cal[3]), without_stamp(page.body),
              "the entry as the event is now (tomorrow)")

tap.done()
