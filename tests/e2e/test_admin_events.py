"""Organizers run their events from /admin: a new event (a bad form first:
every message at once, what was typed kept), its edit page, ticket types
added, changed and removed, publishing (refused without a ticket type),
the public page and a booking, a quota never below the seats sold and
held, an ordered ticket type kept, a published event with orders kept
(not back to draft, not deleted), a copy for a series, deleting a draft;
times in the event's zone, prices in the currency's minor units, one
currency per event. Another organizer gets 404 on every URL, GET and
POST, an attendee 403, a post without the CSRF token 403; every change
is in the audit log; hostile text is shown escaped and only http(s)
addresses in a description become links."""

import concurrent.futures
import html
import json
import os
import re
import time

import tap
from fixtures import counters, hold, location, new_event, pay_with, sign_in

DB = tap.DB_NAME
TAG = "adm%d" % (int(time.time()) % 100000000)
BLNS = os.path.join(tap.SRC, "..", "shared", "big-list-of-naughty-strings", "blns.json")


def value(q):
    return tap.sql_value("primary", q, database=DB)


def csrf(c, path="/admin"):
    return tap.form_value(c.get(path).body, "csrf") or ""


def post(c, path, fields, token=None):
    f = dict(fields)
    f["csrf"] = token if token is not None else csrf(c)
    return c.post(path, f)


def summary(body):
    """The messages of a page's error summary."""
    box = body.split('class="error-summary"', 1)[-1].split("</div>", 1)[0]
    return [html.unescape(re.sub(r"<[^>]+>", "", m)).strip()
            for m in re.findall(r"<li>(.*?)</li>", box, re.S)]


def input_value(body, name):
    """The value of input name=NAME (unescaped), or of textarea NAME."""
    v = tap.form_value(body, name)
    if v is not None:
        return html.unescape(v)
    m = re.search(r'<textarea[^>]*name="%s"[^>]*>\n?(.*?)</textarea>' % re.escape(name),
                  body, re.S)
    return html.unescape(m.group(1)) if m else None


def audited(action, target, user_id):
    return int(value("SELECT COUNT(*) FROM audit_log WHERE action = '%s' AND target = '%s' "
                     "AND user_id = %d AND ip = '127.0.0.1'" % (action, target, user_id)))


def all_labelled(body, what):
    """Every visible input, select and textarea has a <label for> its id."""
    ids = re.findall(r'<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', body)
    labels = set(re.findall(r'<label for="([^"]+)"', body))
    missing = [i for i in ids if i not in labels]
    tap.ok(ids and not missing, "%s: every field is labelled (%s)" % (what, ", ".join(missing)))


org = sign_in("organizer@tessera.test")
other = sign_in("organizer2@tessera.test")
alice = sign_in("alice@tessera.test")
bob = sign_in("bob@tessera.test")
admin = sign_in("admin@tessera.test")
org_id = int(value("SELECT id FROM users WHERE email = 'organizer@tessera.test'"))
admin_id = int(value("SELECT id FROM users WHERE email = 'admin@tessera.test'"))

# ---------------------------------------------------------------- a new event
r = org.get("/admin")
tap.ok(r.status == 200 and 'href="/admin/events/new"' in r.body, "/admin links to a new event")
tap.ok(re.search(r'<th scope="row"><a href="/admin/events/\d+/edit">', r.body),
       "and each event's title to its edit page")
tap.ok(re.search(r'action="/admin/events/\d+/duplicate"', r.body), "with a button to copy it")
r = org.get("/admin/events/new")
tap.is_eq(r.status, 200, "GET /admin/events/new")
all_labelled(r.body, "the new-event form")

bad = {"title": "  ", "summary": TAG + ' kept <b>"x"</b>', "venue": "", "city": "",
       "timezone": "Mars/Olympus_Mons", "starts_at": "2031-02-30T19:00", "ends_at": "soon",
       "offline_payment_days": "400", "description": "Kept\r\n\r\ntoo"}
r = post(org, "/admin/events/new", bad)
tap.is_eq(r.status, 400, "a bad new event is 400")
got = summary(r.body)
for want in ("Give the event a title.", "Say where the event takes place.",
             "Enter the city: visitors find events by it.",
             "Enter a time zone of the IANA database",
             "Enter a date and time like 2026-03-29 19:30.",
             "Enter a whole number from 1 to 365."):
    tap.ok(any(m.startswith(want) for m in got), "the summary says: %s" % want)
tap.ok(len(got) >= 7, "every message at once (%d)" % len(got))
tap.is_eq(input_value(r.body, "summary"), bad["summary"], "what was typed is kept, escaped")
tap.ok("<b>" not in r.body, "and no markup of it gets through")
tap.is_eq(input_value(r.body, "description"), "Kept\n\ntoo", "the description too")
tap.is_eq(input_value(r.body, "timezone"), bad["timezone"], "and the zone as typed")
tap.is_eq(value("SELECT COUNT(*) FROM events WHERE summary LIKE '%s%%'" % TAG), "0",
          "nothing is saved")

good = {"title": TAG + " Fado night", "summary": "Songs by the river",
        "description": "First paragraph.\n\nMap: https://example.org/map?a=1&b=2. "
                       "Not a link: javascript:alert(1)",
        "venue": "Clube", "address": "Rua 1", "city": "Lisbon", "timezone": "Europe/Lisbon",
        "starts_at": "2031-06-10T20:00", "ends_at": "2031-06-10T19:00",
        "refunds_until": "2031-06-11T12:00", "offline_payment_days": "5",
        "offline_instructions": " "}
r = post(org, "/admin/events/new", good)
got = summary(r.body)
tap.is_eq(r.status, 400, "an end before the start is 400")
tap.ok("Ends: The end must be after the start." in got or "The end must be after the start." in got,
       "saying the end must be after the start (%s)" % got)
tap.ok(any("Refunds can run until the event ends" in m for m in got), "refunds after the end refused")
tap.ok(any("Tell buyers how to pay offline" in m for m in got), "offline days without instructions refused")
r = post(org, "/admin/events/new", dict(good, starts_at="2020-01-01T10:00", ends_at="2020-01-01T12:00",
                                         refunds_until="", offline_payment_days=""))
tap.ok(r.status == 400 and any("past" in m for m in summary(r.body)), "a new event in the past is refused")
r = post(org, "/admin/events/new", dict(good, starts_at="2031-03-30T02:30", ends_at="2031-03-30T04:00",
                                         refunds_until="", offline_payment_days="",
                                         timezone="Europe/Berlin"))
tap.ok(r.status == 400 and any("does not exist in Europe/Berlin" in m for m in summary(r.body)),
       "a time the zone's clocks skip is refused")

good.update(ends_at="2031-06-10T23:30", refunds_until="2031-06-01T12:00",
            offline_instructions="IBAN PT50 0000, reference: the order code")
r = post(org, "/admin/events/new", good)
m = re.match(r"^/admin/events/(\d+)/edit\?done=created$", location(r))
tap.ok(r.status == 303 and m, "a good new event is saved (%d %s)" % (r.status, location(r)))
ev = int(m.group(1)) if m else 0
edit = "/admin/events/%d/edit" % ev
row = tap.sql("primary", "SELECT status, organizer_id, DATE_FORMAT(starts_at, '%%Y-%%m-%%d %%H:%%i'), "
              "DATE_FORMAT(ends_at, '%%H:%%i'), DATE_FORMAT(refunds_until, '%%Y-%%m-%%d %%H:%%i'), "
              "offline_payment_days, timezone, description FROM events WHERE id = %d" % ev,
              database=DB)[0]
tap.is_eq(row[:7], ["draft", str(org_id), "2031-06-10 19:00", "22:30", "2031-06-01 11:00", "5",
                    "Europe/Lisbon"], "as the organizer's draft, times read in Lisbon (UTC+1 in June)")
tap.ok(row[7].startswith("First paragraph.\\n\\nMap:"), "the description as typed")
tap.is_eq(audited("event.create", "event %d" % ev, org_id), 1, "the audit log has who made it, from where")
page = org.get(location(r))
tap.ok(page.status == 200 and "saved as a draft" in page.body, "the edit page says it is a draft")
tap.is_eq(input_value(page.body, "starts_at"), "2031-06-10T20:00", "and shows its start in its zone")
tap.is_eq(input_value(page.body, "refunds_until"), "2031-06-01T12:00", "and the refund deadline")
all_labelled(page.body, "the edit page")
tap.ok(re.search(r'<th scope="row"><a href="%s">' % edit, org.get("/admin").body),
       "/admin links the new event's title to its edit page")
tap.is_eq(tap.get("/events/%d" % ev).status, 404, "a draft has no public page")

# ---------------------------------------------------------------- editing, status
fields = dict(good, title=TAG + " Fado nights", status="draft")
r = post(org, edit, fields)
tap.is_eq((r.status, location(r)), (303, edit + "?done=saved"), "the edit is saved")
tap.is_eq(value("SELECT title FROM events WHERE id = %d" % ev), TAG + " Fado nights", "with the new title")
tap.is_eq(audited("event.update", "event %d" % ev, org_id), 1, "and audited")
r = post(org, edit, dict(fields, ends_at="2031-06-10T18:00", title=""))
tap.is_eq(r.status, 400, "a bad edit is 400")
tap.ok(len(summary(r.body)) == 2 and input_value(r.body, "ends_at") == "2031-06-10T18:00",
       "with both messages and the values kept")
r = post(org, edit, dict(fields, status="published", title=TAG + " kept title"))
tap.is_eq(r.status, 409, "publishing without a ticket type is refused (409)")
tap.ok(any("Add a ticket type before you publish" in m for m in summary(r.body)),
       "saying why, at the status")
tap.is_eq(input_value(r.body, "title"), TAG + " kept title", "with what was typed kept")
tap.is_eq(value("SELECT CONCAT(status, ' ', title) FROM events WHERE id = %d" % ev),
          "draft %s Fado nights" % TAG, "and nothing saved")

# ---------------------------------------------------------------- ticket types
types_new = "/admin/events/%d/types/new" % ev
page = org.get(types_new)
tap.is_eq(page.status, 200, "GET the new ticket type form")
all_labelled(page.body, "the ticket type form")
tap.ok(re.search(r'<option value="EUR" selected>', page.body) and 'value="JPY"' in page.body,
       "the currency is a choice of the known ones, EUR first")
r = post(org, types_new, {"name": "", "price": "12.345", "currency": "XXX", "quota": "-1",
                          "min_per_order": "5", "max_per_order": "2", "max_per_account": "0",
                          "sales_start": "2031-06-01T10:00", "sales_end": "2031-05-01T10:00"})
tap.is_eq(r.status, 400, "a bad ticket type is 400")
got = summary(r.body)
tap.ok(len(got) == 6, "with every message at once: %s" % got)
tap.ok(any("Name the ticket type" in m for m in got) and any("Enter an amount like 12.50" in m for m in got)
       and any("Enter a whole number from 0 to 1000000" in m for m in got)
       and any("cannot be less than the least" in m for m in got)
       and any("Choose one of the options" in m for m in got)
       and any("The sale must end after it starts" in m for m in got),
       "name, price, currency, seats, the per-order limits and the sale window")
tap.is_eq(input_value(r.body, "price"), "12.345", "the price as typed is kept")
r = post(org, types_new, {"name": "Standard", "description": "Unreserved <seats>", "price": "12.50",
                          "currency": "EUR", "quota": "5", "min_per_order": "1",
                          "max_per_order": "4", "max_per_account": "0", "sort_order": "1",
                          "sales_end": "2031-06-10T18:00"})
tap.is_eq((r.status, location(r)), (303, edit + "?done=type_added"), "a ticket type is added")
std = int(value("SELECT MAX(id) FROM ticket_types WHERE event_id = %d" % ev))
tap.is_eq(tap.sql("primary", "SELECT price_cents, currency, quota, max_per_order, "
                  "DATE_FORMAT(sales_end, '%%H:%%i'), sold, held FROM ticket_types WHERE id = %d"
                  % std, database=DB)[0], ["1250", "EUR", "5", "4", "17:00", "0", "0"],
          "in minor units, its sale end read in the event's zone, nothing sold")
tap.is_eq(audited("ticket_type.create", "event %d" % ev, org_id), 1, "audited")
r = post(org, types_new, {"name": "Yen", "price": "1200", "currency": "JPY", "quota": "5",
                          "min_per_order": "1", "max_per_order": "4", "max_per_account": "0"})
tap.is_eq(r.status, 409, "a second currency in one event is refused")
tap.ok(any("priced in EUR" in m for m in summary(r.body)), "naming the event's currency")
r = post(org, types_new, {"name": "Guest list", "price": "0", "currency": "EUR", "quota": "4",
                          "min_per_order": "1", "max_per_order": "4", "max_per_account": "2",
                          "sort_order": "0"})
tap.is_eq(r.status, 303, "a free ticket type is added")
guest = int(value("SELECT MAX(id) FROM ticket_types WHERE event_id = %d" % ev))
r = post(org, types_new, {"name": "Spare", "price": "5", "currency": "EUR", "quota": "1",
                          "min_per_order": "1", "max_per_order": "1", "max_per_account": "0"})
spare = int(value("SELECT MAX(id) FROM ticket_types WHERE event_id = %d" % ev))
type_edit = "/admin/events/%d/types/%%d/edit" % ev
page = org.get(type_edit % std)
tap.ok(page.status == 200 and input_value(page.body, "price") == "12.50"
       and input_value(page.body, "sales_end") == "2031-06-10T18:00",
       "a ticket type's page shows its price and sale end as entered")
r = post(org, type_edit % std, {"name": "Standard seat", "price": "14", "currency": "EUR",
                                "quota": "6", "min_per_order": "1", "max_per_order": "4",
                                "max_per_account": "0", "sort_order": "1"})
tap.is_eq((r.status, location(r)), (303, edit + "?done=type_saved"), "a ticket type is changed")
tap.is_eq(tap.sql("primary", "SELECT name, price_cents, quota, sales_end FROM ticket_types "
                  "WHERE id = %d" % std, database=DB)[0], ["Standard seat", "1400", "6", "NULL"],
          "name, price, seats and an emptied sale end")
r = post(org, "/admin/events/%d/types/%d/delete" % (ev, spare), {})
tap.is_eq((r.status, location(r)), (303, edit + "?done=type_removed"), "a ticket type nobody ordered is removed")
tap.is_eq(value("SELECT COUNT(*) FROM ticket_types WHERE id = %d" % spare), "0", "it is gone")
tap.is_eq(audited("ticket_type.delete", "event %d" % ev, org_id), 1, "audited")
page = org.get(edit)
tap.ok(page.body.index("Guest list") < page.body.index("Standard seat"),
       "the edit page lists the types by their display order")

# ---------------------------------------------------------------- publish, book
r = post(org, edit, dict(fields, status="published"))
tap.is_eq((r.status, location(r)), (303, edit + "?done=saved"), "with ticket types it is published")
tap.is_eq(audited("event.publish", "event %d" % ev, org_id), 1, "publishing is audited")
tap.ok(tap.wait_replica(), "replica caught up")
page = tap.get("/events/%d" % ev)
tap.ok(page.status == 200 and TAG + " Fado nights" in page.body, "the public page shows it")
tap.ok('<a href="https://example.org/map?a=1&amp;b=2" rel="nofollow">https://example.org/map?a=1&amp;b=2</a>.'
       in page.body, "its description's address is a link, the full stop after it is not")
tap.ok('href="javascript' not in page.body and "javascript:alert(1)" in page.body,
       "a javascript: text stays text")
code = hold(alice, ev, guest, 2)
tap.ok(code, "alice books two guest-list seats")
_, r = pay_with(alice, code, "free")
tap.is_eq(r.status, 303, "and confirms them")
tap.ok(hold(bob, ev, guest, 1), "bob holds one more")
tap.is_eq(counters(guest), (1, 2), "2 sold and 1 held")

# ---------------------------------------------------------------- quota, ordered types
guest_fields = {"name": "Guest list", "price": "0", "currency": "EUR", "min_per_order": "1",
                "max_per_order": "4", "max_per_account": "2", "sort_order": "0"}
r = post(org, type_edit % guest, dict(guest_fields, quota="2"))
tap.is_eq(r.status, 409, "seats below those sold and held are refused (409)")
tap.ok(any("2 sold and 1 held" in m and "fewer than 3" in m for m in summary(r.body)),
       "saying how many are sold and held")
tap.is_eq(value("SELECT quota FROM ticket_types WHERE id = %d" % guest), "4", "the quota stays")
r = post(org, type_edit % guest, dict(guest_fields, quota="3"))
tap.is_eq(r.status, 303, "seats equal to those sold and held are fine")
tap.is_eq(counters(guest), (1, 2), "and the counters are untouched")
r = post(org, "/admin/events/%d/types/%d/delete" % (ev, guest), {})
tap.ok(r.status == 409 and "have been ordered" in r.body, "an ordered ticket type is not removed")
tap.is_eq(value("SELECT COUNT(*) FROM ticket_types WHERE id = %d" % guest), "1", "it stays")

# Lowering seats while people book: the guarded update and the bookings'
# own guard leave no more seats taken than there are.
race_ev, (race_tt,) = new_event(TAG + " race", [("Entry", 0, 10, 10, 0)])
buyers = [sign_in("alice@tessera.test") for _ in range(8)]
pages = [b.get("/events/%d/book?tt%%5B0%%5D%%5Bid%%5D=%d&tt%%5B0%%5D%%5Bqty%%5D=1"
               % (race_ev, race_tt)) for b in buyers]
race_token = csrf(org, "/admin/events/%d/types/%d/edit" % (race_ev, race_tt))
race_fields = {"name": "Entry", "price": "0", "currency": "EUR", "quota": "4",
               "min_per_order": "1", "max_per_order": "10", "max_per_account": "0",
               "csrf": race_token}


def race(i):
    """The organizer's change goes first, among the bookings."""
    if i == 0:
        return org.post("/admin/events/%d/types/%d/edit" % (race_ev, race_tt), race_fields)
    i -= 1
    return buyers[i].post("/events/%d/book" % race_ev, [
        ("tt[0][id]", race_tt), ("tt[0][qty]", 1),
        ("csrf", tap.form_value(pages[i].body, "csrf"))])


with concurrent.futures.ThreadPoolExecutor(len(buyers) + 1) as pool:
    results = list(pool.map(race, range(len(buyers) + 1)))
change, results = results[0], results[1:]
booked = sum(1 for r in results if "/checkout" in location(r))
quota = int(value("SELECT quota FROM ticket_types WHERE id = %d" % race_tt))
held, sold = counters(race_tt)
tap.ok(held + sold == booked <= quota, "8 bookings racing a lower quota: %d booked, %d seats"
       % (booked, quota))
tap.ok((quota == 4 and change.status == 303) or
       (quota == 10 and change.status == 409 and booked > 4),
       "the quota is lowered, or refused because more were taken (%d)" % change.status)

# ---------------------------------------------------------------- back to draft, delete
r = post(org, edit, dict(fields, status="draft"))
tap.ok(r.status == 409 and any("neither go back to draft" in m for m in summary(r.body)),
       "a published event with orders cannot go back to draft")
r = post(org, "/admin/events/%d/delete" % ev, {})
tap.ok(r.status == 409 and "Only a draft can be deleted" in r.body, "nor be deleted")
tap.is_eq(value("SELECT status FROM events WHERE id = %d" % ev), "published", "it stays published")

# ---------------------------------------------------------------- duplicate
r = post(org, "/admin/events/%d/duplicate" % ev, {})
m = re.match(r"^/admin/events/(\d+)/edit\?done=copied$", location(r))
tap.ok(r.status == 303 and m, "duplicating goes to the copy's edit page (%s)" % location(r))
copy = int(m.group(1)) if m else 0
tap.is_eq(tap.sql("primary", "SELECT status, title, organizer_id, starts_at = (SELECT starts_at "
                  "FROM events WHERE id = %d), rating_count FROM events WHERE id = %d"
                  % (ev, copy), database=DB)[0],
          ["draft", TAG + " Fado nights", str(org_id), "1", "0"], "the copy is a draft like the original")
tap.is_eq(tap.sql("primary", "SELECT GROUP_CONCAT(CONCAT(name, ':', price_cents, ':', quota, ':', "
                  "sold, ':', held) ORDER BY sort_order, id) FROM ticket_types WHERE event_id = %d"
                  % copy, database=DB)[0][0], "Guest list:0:3:0:0,Standard seat:1400:6:0:0",
          "with its ticket types, nothing sold or held")
tap.is_eq(audited("event.duplicate", "event %d" % copy, org_id), 1, "audited")
page = org.get(location(r))
tap.ok(page.status == 200 and "This is a copy" in page.body, "the copy's page says it is a copy")

copy_del = "/admin/events/%d/delete" % copy
r = post(other, copy_del, {})
tap.is_eq(r.status, 404, "another organizer cannot delete it")
r = post(org, copy_del, {})
tap.is_eq((r.status, location(r)), (303, "/admin?done=deleted"), "a draft is deleted")
tap.is_eq(value("SELECT COUNT(*) FROM events WHERE id = %d" % copy) +
          value("SELECT COUNT(*) FROM ticket_types WHERE event_id = %d" % copy), "00",
          "with its ticket types")
tap.is_eq(audited("event.delete", "event %d" % copy, org_id), 1, "audited")
tap.ok("The draft is deleted." in org.get("/admin?done=deleted").body, "/admin says so")

# A draft with orders (one taken back to draft in the database) is kept.
ord_ev, (ord_tt,) = new_event(TAG + " ordered", [("Entry", 0, 5, 5, 0)])
tap.ok(hold(alice, ord_ev, ord_tt, 1), "an order for another event")
value("UPDATE events SET status = 'draft' WHERE id = %d" % ord_ev)
r = post(org, "/admin/events/%d/delete" % ord_ev, {})
tap.ok(r.status == 409 and "ordered" in r.body, "a draft with orders is not deleted")
tap.is_eq(value("SELECT COUNT(*) FROM events WHERE id = %d" % ord_ev), "1", "it stays")
value("UPDATE events SET status = 'published' WHERE id = %d" % ord_ev)

# Whole units: a yen price has no decimals.
r = post(org, "/admin/events/new", dict(good, title=TAG + " yen", offline_payment_days=""))
yen = int(re.match(r"^/admin/events/(\d+)/", location(r)).group(1))
yen_new = "/admin/events/%d/types/new" % yen
yen_fields = {"name": "Seat", "currency": "JPY", "quota": "5", "min_per_order": "1",
              "max_per_order": "4", "max_per_account": "0"}
r = post(org, yen_new, dict(yen_fields, price="1200.50"))
tap.ok(r.status == 400 and any("Enter an amount like 12." in m for m in summary(r.body)),
       "a yen price with decimals is refused")
r = post(org, yen_new, dict(yen_fields, price="1200"))
tap.is_eq(value("SELECT CONCAT(price_cents, currency) FROM ticket_types WHERE event_id = %d" % yen),
          "1200JPY", "and 1200 yen is 1200 minor units")
yen_tt = int(value("SELECT id FROM ticket_types WHERE event_id = %d" % yen))
tap.is_eq(input_value(org.get("/admin/events/%d/types/%d/edit" % (yen, yen_tt)).body, "price"),
          "1200", "shown again without decimals")

# ---------------------------------------------------------------- who may
gets = [edit, types_new, type_edit % std]
posts = [(edit, dict(fields, title="hijacked")), ("/admin/events/%d/duplicate" % ev, {}),
         ("/admin/events/%d/delete" % yen, {}), (types_new, yen_fields),
         (type_edit % std, dict(guest_fields, quota="1", name="hijacked")),
         ("/admin/events/%d/types/%d/delete" % (yen, yen_tt), {})]
for path in gets:
    tap.is_eq(other.get(path).status, 404, "another organizer gets 404 for GET %s" % path)
    tap.is_eq(alice.get(path).status, 403, "an attendee gets 403 for GET %s" % path)
tap.is_eq(alice.get("/admin/events/new").status, 403, "an attendee gets 403 for a new event")
events_before = value("SELECT COUNT(*) FROM events")
audit_before = value("SELECT COUNT(*) FROM audit_log")
token = csrf(other)
for path, f in posts:
    tap.is_eq(post(other, path, f, token).status, 404, "another organizer gets 404 for POST %s" % path)
    tap.is_eq(post(alice, path, f).status, 403, "an attendee gets 403 for POST %s" % path)
    tap.is_eq(org.post(path, f).status, 403, "a POST %s without a CSRF token is refused" % path)
    tap.is_eq(post(org, path, f, "x" * 43).status, 403, "and with a wrong one")
tap.is_eq(post(alice, "/admin/events/new", good).status, 403, "an attendee cannot make an event")
tap.is_eq(org.post("/admin/events/new", good).status, 403, "nor anyone without the CSRF token")
tap.is_eq((value("SELECT COUNT(*) FROM events"), value("SELECT COUNT(*) FROM audit_log")),
          (events_before, audit_before), "none of those changed anything")
tap.is_eq(value("SELECT title FROM events WHERE id = %d" % ev), TAG + " Fado nights", "the title stays")
for path in ("/admin/events/999999999/edit", "/admin/events/%d/types/999999999/edit" % ev,
             "/admin/events/%d/types/%d/edit" % (yen, std)):
    tap.is_eq(org.get(path).status, 404, "an unknown or mismatched id is 404: %s" % path)
tap.is_eq(admin.get(edit).status, 200, "a site admin may manage any organizer's event")
r = post(admin, edit, dict(fields, summary="by the site admin", status="published"))
tap.is_eq(r.status, 303, "and save it")
tap.is_eq(audited("event.update", "event %d" % ev, admin_id), 1, "audited as the admin")

# ---------------------------------------------------------------- hostile text
with open(BLNS) as f:
    naughty = [s for s in json.load(f) if s.strip() and "\x00" not in s]
sample = [s for s in naughty if re.search(r"[<>\"'&]", s)][:12] + naughty[::60]
escaped, made = 0, []
for i, s in enumerate(sample):
    title = s[:150]
    r = post(org, "/admin/events/new", dict(good, title=title, description=s + "\n\n<script>x</script>",
                                            offline_payment_days=""))
    body = r.body if r.status == 400 else org.get(location(r)).body
    if r.status == 303:
        made.append(re.match(r"^(/admin/events/\d+)/", location(r)).group(1))
    want = title.strip() if r.status == 303 else title
    shown = input_value(body, "title")
    if "<script" not in body.lower() and "<img" not in body.lower() and shown == want:
        escaped += 1
    else:
        tap.diag("not shown as typed (%d): %r -> %r" % (r.status, title, shown))
tap.is_eq(escaped, len(sample), "%d naughty strings as titles are shown as typed, escaped" % len(sample))
page = org.get("/admin")
tap.ok("<script" not in page.body.lower() and "<img" not in page.body.lower(),
       "and /admin lists them escaped")

hostile = '<script>alert(1)</script> & "quotes" <img src=x onerror=alert(1)>'
value("UPDATE events SET title = '%s', description = 'Go https://example.org/\"><b>x</b> "
      "or javascript:alert(1)' WHERE id = %d" % (hostile.replace("'", "''"), ev))
tap.ok(tap.wait_replica(), "replica caught up")
page = tap.get("/events/%d" % ev)
tap.ok(page.status == 200 and "<script>alert" not in page.body and "<img" not in page.body
       and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in page.body,
       "the public page escapes a hostile title")
tap.ok('<a href="https://example.org/" rel="nofollow">https://example.org/</a>&quot;&gt;&lt;b&gt;'
       in page.body, "and a link stops before markup, which stays text")
page = org.get(edit)
tap.ok("<script>alert" not in page.body and html.unescape(tap.form_value(page.body, "title")) == hostile,
       "the edit page shows it escaped, as it is")


# The drafts made above go again; the hostile event leaves the public pages.
token = csrf(org)
gone = [post(org, path + "/delete", {}, token).status for path in made]
tap.ok(made and gone == [303] * len(made), "the %d naughty drafts are deleted" % len(made))
value("UPDATE events SET status = 'draft' WHERE id = %d" % ev)

tap.done()
