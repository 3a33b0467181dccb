"""Check-in at the door (/admin/events/{id}/checkin): a ticket's QR code
URL (/checkin/{code}) leads its organizer to the event's door with the
ticket shown; one button checks it in, once; a second scan says when it
was checked in; unknown codes, another event's tickets and unpaid orders'
tickets are refused, each with its reason; typed codes may be lower case
with spaces; only the event's organizer and the door staff they name
have the door (404 for everyone else; door staff see nothing more of the
event: no addresses, no money); two doors scanning one ticket at once:
exactly one lets it in."""

import concurrent.futures
import re
import time

import tap
from fixtures import hold, location, new_event, pay_with, sign_in

DB = tap.DB_NAME
TAG = "chk%d" % (int(time.time()) % 100000000)


def value(q):
    return tap.sql_value("primary", q, database=DB)


def paid_tickets(c, ev, tt, qty):
    """qty free tickets of type tt bought by c; their codes."""
    code = hold(c, ev, tt, qty)
    _, r = pay_with(c, code, "free")
    tap.is_eq(r.status, 303, "order %s is confirmed" % code)
    rows = tap.sql("primary", "SELECT k.code FROM tickets k JOIN orders o ON o.id = "
                   "k.order_id WHERE o.code = '%s' ORDER BY k.id" % code, database=DB)
    return code, [x[0] for x in rows]


def checked_in_at(ticket):
    return value("SELECT checked_in_at FROM tickets WHERE code = '%s'" % ticket)


def door(ev):
    return "/admin/events/%d/checkin" % ev


def check_in(c, ev, ticket):
    page = c.get(door(ev))
    return c.post(door(ev), {"csrf": tap.form_value(page.body, "csrf") or "",
                             "code": ticket})


alice = sign_in("alice@tessera.test")
org = sign_in("organizer@tessera.test")
other = sign_in("organizer2@tessera.test")

ev, (tt,) = new_event(TAG + " door", [("Entry", 0, 20, 10, 0)])
order, tickets = paid_tickets(alice, ev, tt, 3)
ev2, (tt2,) = new_event(TAG + " other night", [("Entry", 0, 5, 10, 0)])
_, (elsewhere,) = paid_tickets(alice, ev2, tt2, 1)

page = org.get(door(ev))
tap.is_eq(page.status, 200, "the organizer opens the event's door")
tap.like(page.body, r"<strong>0</strong> of 3 tickets checked in", "with the count")

# The QR code's URL leads to the door with the ticket shown.
r = org.get("/checkin/%s" % tickets[0])
tap.is_eq((r.status, location(r)), (303, "%s?code=%s" % (door(ev), tickets[0])),
          "the ticket's QR code URL leads to its event's door")
page = org.get(location(r))
tap.ok(page.status == 200 and "Valid ticket" in page.body and "Check in" in page.body,
       "which shows it valid, with the button")

r = org.post(door(ev), {"code": tickets[0]})
tap.is_eq((r.status, checked_in_at(tickets[0])), (403, "NULL"),
          "checking in without the CSRF token is refused")
r = check_in(org, ev, tickets[0])
tap.is_eq((r.status, location(r)), (303, "%s?checked=%s" % (door(ev), tickets[0])),
          "the button checks it in")
tap.ok(checked_in_at(tickets[0]) != "NULL", "the ticket is checked in")
page = org.get(location(r))
tap.ok(page.status == 200 and "checkin-welcome" in page.body and "Checked in" in page.body,
       "the door says so, in green")
tap.like(page.body, r"<strong>1</strong> of 3 tickets checked in", "and counts it")
tap.is_eq(int(value("SELECT COUNT(*) FROM audit_log WHERE action = 'ticket.checkin' "
                    "AND target = '%s'" % tickets[0])), 1, "the audit log has it")

# A second scan.
first = checked_in_at(tickets[0])
r = check_in(org, ev, tickets[0])
tap.is_eq((r.status, location(r)), (303, "%s?code=%s" % (door(ev), tickets[0])),
          "checking it in again goes back to the ticket")
tap.is_eq(checked_in_at(tickets[0]), first, "and does not change when it was checked in")
page = org.get(location(r))
tap.ok(page.status == 409 and "checkin-refused" in page.body and
       re.search(r"Already checked in at \d\d:\d\d", page.body) is not None,
       "a second scan says when it was checked in, in red (409)")

# Typed codes, and what is refused.
typed = " ".join(tickets[1][i:i + 4] for i in range(0, 24, 4)).lower()
page = org.get("%s?code=%s" % (door(ev), typed.replace(" ", "+")))
tap.ok(page.status == 200 and "Valid ticket" in page.body,
       "a code typed in lower case with spaces is found")
page = org.get("%s?code=%s" % (door(ev), "A" * 24))
tap.ok(page.status == 404 and "Not a ticket" in page.body, "an unknown code is refused (404)")
page = org.get("%s?code=%s" % (door(ev), "%3Cscript%3E"))
tap.ok(page.status == 404 and "<script>" not in page.body,
       "so is anything that is not a code, shown escaped")
page = org.get("%s?code=%s" % (door(ev), elsewhere))
tap.ok(page.status == 409 and "Wrong event" in page.body and TAG + " other night" in page.body,
       "another event's ticket is refused, naming its event")
r = check_in(org, ev, elsewhere)
tap.is_eq((r.status, checked_in_at(elsewhere)), (303, "NULL"), "and is not checked in")
value("UPDATE orders SET status = 'refunded' WHERE code = '%s'" % order)
page = org.get("%s?code=%s" % (door(ev), tickets[2]))
tap.ok(page.status == 409 and "its order is not paid" in page.body and "refunded" in page.body,
       "a refunded order's ticket is refused, saying why")
r = check_in(org, ev, tickets[2])
tap.is_eq(checked_in_at(tickets[2]), "NULL", "and is not checked in")
value("UPDATE orders SET status = 'paid' WHERE code = '%s'" % order)

# Only the event's organizer has the door.
for path in (door(ev), "%s?code=%s" % (door(ev), tickets[1]), "/checkin/%s" % tickets[1]):
    tap.is_eq(other.get(path).status, 404, "another organizer gets 404 for %s" % path)
r = check_in(other, ev, tickets[1])
tap.is_eq((r.status, checked_in_at(tickets[1])), (404, "NULL"),
          "and cannot check its tickets in")
tap.is_eq(alice.get(door(ev)).status, 404, "an attendee gets 404 at the door")
tap.is_eq(alice.get("/checkin/%s" % tickets[1]).status, 404,
          "even with their own ticket's QR code")

# Door staff: an attendee given the door of one event.
staff_page = "/admin/events/%d/staff" % ev


def staff_post(c, path, fields):
    page = c.get(staff_page)
    return c.post(path, dict(fields, csrf=tap.form_value(page.body, "csrf") or ""))


bob = sign_in("bob@tessera.test")
tap.is_eq(bob.get(door(ev)).status, 404, "an attendee without the door gets 404 there")
r = staff_post(org, staff_page, {"email": "nobody-%s@example.com" % TAG})
tap.ok(r.status == 400 and "No account has this address" in r.body,
       "door staff must have an account")
r = staff_post(org, staff_page, {"email": "BOB@tessera.test"})
tap.is_eq((r.status, location(r)), (303, staff_page + "?done=added"),
          "the organizer gives bob the door")
page = org.get(staff_page)
tap.ok("bob@tessera.test" in page.body, "the staff page lists him")
r = staff_post(org, staff_page, {"email": "bob@tessera.test"})
tap.ok(r.status == 400 and "door staff here already" in r.body, "twice is refused")
tap.is_eq(other.get(staff_page).status, 404, "another organizer gets 404 on the staff page")
r = staff_post(other, staff_page, {"email": "alice@tessera.test"})
tap.is_eq(r.status, 404, "and cannot add door staff")
tap.is_eq(bob.get(staff_page).status, 403, "door staff do not see the staff page")

page = bob.get(door(ev))
tap.ok(page.status == 200 and "Door staff" not in page.body and "/admin\"" not in page.body,
       "bob opens the door, without the organizer's links")
fresh = paid_tickets(alice, ev, tt, 1)[1][0]
r = bob.get("/checkin/%s" % fresh)
tap.is_eq((r.status, location(r)), (303, "%s?code=%s" % (door(ev), fresh)),
          "a ticket's QR code leads him to the door")
page = bob.get(location(r))
tap.ok("alice@tessera.test" not in page.body and "€" not in page.body,
       "the door shows no buyer's address and no money")
r = check_in(bob, ev, fresh)
tap.is_eq((r.status, location(r)), (303, "%s?checked=%s" % (door(ev), fresh)),
          "and checks it in")
tap.is_eq(bob.get(door(ev2)).status, 404, "another event's door stays closed to him")
tap.is_eq(bob.get("/checkin/%s" % elsewhere).status, 404,
          "as do that event's tickets")
tap.is_eq(bob.get("/admin").status, 403, "and the rest of /admin")
uid = value("SELECT id FROM users WHERE email = 'bob@tessera.test'")
r = staff_post(org, "%s/%s/remove" % (staff_page, uid), {})
tap.is_eq((r.status, location(r)), (303, staff_page + "?done=removed"),
          "the organizer takes the door back")
tap.is_eq(bob.get(door(ev)).status, 404, "and it is closed to him at once")
tap.is_eq(int(value("SELECT COUNT(*) FROM audit_log WHERE action IN "
                    "('event.staff_add', 'event.staff_remove') AND detail = 'event %d'"
                    % ev)), 2, "both are in the audit log")

# Two doors, one ticket, at once: several times, as the loser's path is
# the one a race can break.
doors = [sign_in("organizer@tessera.test") for _ in range(6)]
_, contested = paid_tickets(alice, ev, tt, 3)
tokens = [tap.form_value(d.get(door(ev)).body, "csrf") for d in doors]
for ticket in contested:
    with concurrent.futures.ThreadPoolExecutor(len(doors)) as pool:
        results = list(pool.map(lambda i: doors[i].post(door(ev), {
            "csrf": tokens[i], "code": ticket}), range(len(doors))))
    won = [r for r in results if "checked=" in location(r)]
    tap.is_eq(len(won), 1, "six doors scan one ticket at once: exactly one lets it in")
    tap.ok(all(r.status == 303 for r in results), "and every door is answered (%s)"
           % sorted(r.status for r in results))
    tap.is_eq(int(value("SELECT COUNT(*) FROM audit_log WHERE action = 'ticket.checkin' "
                        "AND target = '%s'" % ticket)), 1, "one check-in is recorded")

tap.done()
