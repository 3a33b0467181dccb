"""Booking: the event page's form, the hold, the checkout, free and
sandbox payment, the order page; who may see an order; and races of many
buyers for few seats, counted in the database afterwards (never
oversold: sold + held equals a recount of the seats of live orders, and
every refused buyer got 409)."""

import concurrent.futures
import re
import shutil
import subprocess
import time
import urllib.parse

import tap
from fixtures import counters, expire_hold, location, make_accounts, new_event, sign_in

DB = tap.DB_NAME
TAG = "bk%d" % (int(time.time()) % 100000000)


def value(q):
    return tap.sql_value("primary", q, database=DB)


def sql(q):
    return tap.sql("primary", q, database=DB)


def recount(tt):
    """Seats of live orders of type tt, from the orders themselves."""
    rows = sql("SELECT o.status, COUNT(*) FROM tickets k JOIN orders o ON o.id = "
               "k.order_id WHERE k.ticket_type_id = %d GROUP BY o.status" % tt)
    n = {s: int(c) for s, c in rows}
    return (n.get("held", 0) + n.get("pending_payment", 0), n.get("paid", 0))


def lines_recount(tt):
    return int(value("SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l "
                     "JOIN orders o ON o.id = l.order_id WHERE l.ticket_type_id = %d "
                     "AND o.status IN ('held', 'pending_payment', 'paid')" % tt))


def book_query(items):
    """The event page form's query for [(type id, quantity)]."""
    q = []
    for i, (tt, qty) in enumerate(items):
        q += [("tt[%d][id]" % i, str(tt)), ("tt[%d][qty]" % i, str(qty))]
    return urllib.parse.urlencode(q)


def book(c, ev, items):
    """Opens the booking page and places the hold: the POST's response."""
    q = book_query(items)
    page = c.get("/events/%d/book?%s" % (ev, q))
    if page.status != 200:
        return page
    fields = urllib.parse.parse_qsl(q)
    fields.append(("csrf", tap.form_value(page.body, "csrf")))
    return c.post("/events/%d/book" % ev, fields)


def mails_of(code):
    """Confirmations queued for order code: the checkout queues a
    notification with its mail (topic notify), which the worker turns
    into the mail row."""
    return int(value("SELECT COUNT(*) FROM outbox WHERE topic = 'notify' AND "
                     "payload LIKE '%%order_confirmed%%' AND payload LIKE '%%%s%%'"
                     % code))


def order_code(r):
    m = re.match(r"^/orders/([A-Z2-9]{16})/checkout$", location(r))
    return m.group(1) if m else None


def checkout(c, code, names):
    page = c.get("/orders/%s/checkout" % code)
    ids = re.findall(r'name="t\[(\d+)\]\[id\]" value="(\d+)"', page.body)
    fields = [("csrf", tap.form_value(page.body, "csrf"))]
    if 'name="provider" value="sandbox"' in page.body:
        fields.append(("provider", "sandbox"))
    for (i, tid), name in zip(ids, names):
        fields += [("t[%s][id]" % i, tid), ("t[%s][name]" % i, name)]
    return page, c.post("/orders/%s/checkout" % code, fields)


# ------------------------------------------------------------------ the flow

def test_flow():
    ev, (free, paid) = new_event(TAG + " flow", [("Standing", 0, 20, 4, 0),
                                                 ("Seated", 2500, 5, 4, 0)])
    page = tap.get("/events/%d" % ev)
    tap.ok('action="/events/%d/book"' % ev in page.body and "<select" in page.body,
           "the event page has a booking form (a GET, no script)")
    tap.ok("<script" not in page.body, "and no script")

    r = tap.get("/events/%d/book?%s" % (ev, book_query([(free, 2)])))
    tap.is_eq(r.status, 303, "somebody not signed in is sent to sign in")
    tap.ok(location(r).startswith("/login?next=%2Fevents%2F"), "and back afterwards")

    alice = sign_in("alice@tessera.test")
    r = alice.post("/events/%d/book" % ev, urllib.parse.parse_qsl(book_query([(free, 2)])))
    tap.is_eq(r.status, 403, "a booking without the form's token is refused")
    tap.is_eq(counters(free), (0, 0), "and holds nothing")

    page = alice.get("/events/%d/book?%s" % (ev, book_query([(free, 2), (paid, 0)])))
    tap.is_eq(page.status, 200, "the booking page shows the choice")
    tap.ok("Standing" in page.body and "Seated" not in page.body,
           "with only the types chosen")
    r = book(alice, ev, [(free, 2)])
    code = order_code(r)
    tap.ok(r.status == 303 and code, "the hold leads to the checkout (%d %s)"
           % (r.status, location(r)))
    tap.is_eq(counters(free), (2, 0), "two seats are held")
    tap.is_eq(value("SELECT status FROM orders WHERE code = '%s'" % code), "held",
              "the order is held")
    page, r = checkout(alice, code, ["Alice A", "Bob B"])
    tap.ok("held until" in page.body and "<time" in page.body,
           "the checkout says until when the seats are held")
    tap.is_eq((r.status, location(r)), (303, "/me/orders/%s?done=paid" % code),
              "free tickets are confirmed at once")
    tap.is_eq(counters(free), (0, 2), "the held seats are now sold")
    tap.is_eq(sql("SELECT attendee_name FROM tickets k JOIN orders o ON o.id = "
                  "k.order_id WHERE o.code = '%s' ORDER BY k.id" % code),
              [["Alice A"], ["Bob B"]], "each ticket carries its attendee")
    r = alice.get("/me/orders/%s" % code)
    tap.ok(r.status == 200 and "Paid" in r.body and "Alice A" in r.body,
           "the order page shows it paid, with its tickets")
    tap.ok(len(re.findall(r"<code>[A-Z2-9]{24}</code>", r.body)) == 2,
           "and the two ticket codes")
    tap.ok(r.body.count("<li><time") >= 2, "and its history")
    tap.ok("your receipt" in r.body and "(free)" in r.body and 'class="no-print"' in r.body,
           "it is the receipt: when and how it was paid, the rest left out in print")
    tap.is_eq(mails_of(code), 1, "one confirmation mail is queued")
    tickets = [t for (t,) in sql("SELECT k.code FROM tickets k JOIN orders o ON "
                                 "o.id = k.order_id WHERE o.code = '%s' ORDER BY k.id"
                                 % code)]
    r = alice.get("/me/tickets")
    tap.ok(r.status == 200 and all("/tickets/%s" % t in r.body for t in tickets),
           "/me/tickets lists both tickets")
    tap.ok("/events/%d.ics" % ev in r.body, "each with a calendar link")
    r = alice.get("/tickets/%s" % tickets[1])
    tap.ok(r.status == 200 and "Bob B" in r.body and code in r.body,
           "a ticket's page shows its attendee and order")
    tap.ok(re.search(r'<svg[^>]*role="img"[^>]*>.*<path fill="#000" d="M[0-9 Mhvz-]+"', r.body, re.S),
           "and its QR code as inline SVG")
    tap.ok("<script" not in r.body, "with no script")
    tap.ok(code in alice.get("/me/orders").body, "/me/orders lists the order")

    # Paid tickets through the sandbox.
    r = book(alice, ev, [(paid, 1)])
    code2 = order_code(r)
    _, r = checkout(alice, code2, ["Alice A"])
    tap.is_eq((r.status, location(r)), (303, "/orders/%s/sandbox" % code2),
              "a paid order goes to the payment provider (the sandbox here)")
    page = alice.get("/orders/%s/sandbox" % code2)
    r = alice.post("/orders/%s/sandbox" % code2,
                   {"csrf": tap.form_value(page.body, "csrf"), "action": "pay"})
    tap.is_eq((r.status, location(r)), (303, "/me/orders/%s?done=paid" % code2),
              "paying in the sandbox confirms the order")
    tap.is_eq(counters(paid), (0, 1), "its seat is sold")
    tap.is_eq(value("SELECT CONCAT(provider, ' ', total_cents) FROM orders WHERE "
                    "code = '%s'" % code2), "sandbox 2500", "for its price")
    r = alice.post("/orders/%s/sandbox" % code2,
                   {"csrf": tap.form_value(page.body, "csrf"), "action": "pay"})
    tap.is_eq((r.status, location(r)), (303, "/me/orders/%s" % code2),
              "paying twice leads to the order page")
    tap.is_eq((counters(paid), mails_of(code2)), ((0, 1), 1),
              "and changes nothing: one seat sold, one mail")

    # A hold given up, and one that runs out.
    r = book(alice, ev, [(free, 3)])
    code3 = order_code(r)
    tap.is_eq(counters(free), (3, 2), "a new hold holds three seats")
    page = alice.get("/orders/%s/checkout" % code3)
    r = alice.post("/orders/%s/cancel" % code3, {"csrf": tap.form_value(page.body, "csrf")})
    tap.is_eq((r.status, location(r)), (303, "/me/orders/%s?done=cancelled" % code3),
              "the buyer can give up a hold")
    tap.is_eq(counters(free), (0, 2), "and its seats are back on sale at once")
    r = alice.post("/orders/%s/cancel" % code, {"csrf": tap.form_value(page.body, "csrf")})
    tap.is_eq(r.status, 409, "a paid order is not cancelled that way")
    tap.is_eq(counters(free), (0, 2), "and keeps its seats")

    r = book(alice, ev, [(paid, 1)])
    code4 = order_code(r)
    tap.is_eq(expire_hold(code4), "expired", "a hold past its time expires (the worker)")
    tap.is_eq(counters(paid), (0, 1), "and its seat is back on sale")
    page = alice.get("/me/orders/%s" % code4)
    r = alice.post("/orders/%s/sandbox" % code4,
                   {"csrf": tap.form_value(page.body, "csrf"), "action": "pay"})
    tap.is_eq((r.status, location(r)), (303, "/me/orders/%s" % code4),
              "paying an expired hold leads to the order page")
    tap.is_eq((value("SELECT status FROM orders WHERE code = '%s'" % code4),
               counters(paid)), ("expired", (0, 1)), "and pays nothing, takes no seat")

    # The same pages in a text browser.
    if shutil.which("w3m"):
        cookie = "Cookie: " + "; ".join("%s=%s" % kv for kv in alice.cookies.items())

        def dump(path):
            return subprocess.run(["w3m", "-dump", "-cols", "80", "-header", cookie,
                                   tap.URL + path], capture_output=True, text=True,
                                  timeout=30).stdout
        out = dump("/events/%d" % ev)
        tap.ok("Book tickets" in out and "Standing" in out,
               "the event's booking form reads in w3m")
        out = dump("/events/%d/book?%s" % (ev, book_query([(free, 1)])))
        tap.ok("Hold these tickets" in out and "Total" in out,
               "the booking page reads in w3m")
        out = dump("/me/orders/%s" % code)
        tap.ok("Paid" in out and "Alice A" in out, "the order page reads in w3m")
        out = dump("/tickets/%s" % tickets[0])
        tap.ok("Alice A" in out and code in out, "the ticket reads in w3m")
    else:
        tap.skip("the booking pages read in w3m", "no w3m")

    # Another person's order is no order.
    bob = sign_in("bob@tessera.test")
    tap.ok(code not in bob.get("/me/orders").body, "bob's orders do not list alice's")
    for path in ("/me/orders/%s" % code, "/orders/%s/checkout" % code2,
                 "/tickets/%s" % tickets[0], "/tickets/" + "A" * 24,
                 "/orders/%s/sandbox" % code2, "/me/orders/AAAAAAAAAAAAAAAA"):
        tap.is_eq(bob.get(path).status, 404, "another account gets 404 for %s" % path)
    page = bob.get("/me")
    r = bob.post("/orders/%s/sandbox" % code2,
                 {"csrf": tap.form_value(page.body, "csrf"), "action": "pay"})
    tap.is_eq(r.status, 404, "and cannot pay it either")

    # What is left, and the limits.
    r = book(alice, ev, [(paid, 5)])
    tap.ok(r.status == 400 and "at most 4" in r.body,
           "more than a type's per-order maximum is refused (%d)" % r.status)
    r = book(bob, ev, [(paid, 4)])
    r2 = book(alice, ev, [(paid, 2)])
    tap.is_eq(r.status, 303, "bob holds the last four seats")
    tap.ok(r2.status == 409 and "sold out" in r2.body,
           "then there is nothing left: 409 (%d)" % r2.status)
    tap.ok('name="tt[0][qty]" value="2"' in r2.body, "and the form keeps the choice")
    tap.is_eq(recount(paid), counters(paid), "the counters match the tickets")


# ------------------------------------------------------------------ races

def race(ev, buyers, items_of, what):
    """Every buyer books at once; returns the statuses."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=48) as pool:
        futures = [pool.submit(book, c, ev, items_of(i))
                   for i, (_, c) in enumerate(buyers)]
        statuses = [f.result().status for f in futures]
    tap.diag("%s: %s" % (what, {s: statuses.count(s) for s in set(statuses)}))
    return statuses


def innodb_deadlocks():
    """Deadlocks the primary has seen since it started."""
    return int(tap.sql("primary", "SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'")[0][1])


def test_races():
    buyers = make_accounts(TAG, 240)

    ev, (tt,) = new_event(TAG + " race", [("General", 0, 50, 10, 0)])
    t0 = time.time()
    statuses = race(ev, buyers[:200], lambda i: [(tt, 1)], "200 buyers, 50 seats")
    tap.ok(time.time() - t0 < 120, "the race ends in time")
    tap.is_eq(statuses.count(303), 50, "exactly 50 of 200 buyers get a seat")
    tap.is_eq(statuses.count(409), 150, "every other one gets 409")
    tap.is_eq(counters(tt), (50, 0), "50 seats are held, none more")
    tap.is_eq(recount(tt), (50, 0), "as the tickets of the live orders count")
    tap.is_eq(lines_recount(tt), 50, "and their order lines")

    ev, (tt,) = new_event(TAG + " last seat", [("Last", 0, 1, 10, 0)])
    statuses = race(ev, buyers[200:240], lambda i: [(tt, 1)], "40 buyers, 1 seat")
    tap.is_eq((statuses.count(303), statuses.count(409)), (1, 39),
              "the last seat goes to one buyer")
    tap.is_eq(counters(tt), (1, 0), "and is held once")

    ev, (tt,) = new_event(TAG + " few", [("Few", 0, 10, 3, 0)])
    qty = lambda i: [(tt, 1 + i % 3)]
    statuses = race(ev, buyers[:60], qty, "60 buyers of 1-3 tickets, 10 seats")
    won = sum(1 + i % 3 for i, s in enumerate(statuses) if s == 303)
    held, sold = counters(tt)
    tap.ok(won <= 10 and held == won, "orders of several tickets never overfill "
           "(%d seats held by the winners, counter %d)" % (won, held))
    tap.is_eq(recount(tt), (held, sold), "the counters match the tickets")
    tap.ok(all(s in (303, 409) for s in statuses), "every answer is 303 or 409")

    ev, (tt,) = new_event(TAG + " cap", [("Capped", 0, 100, 5, 2)])
    uid, c = buyers[0]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        statuses = [f.result().status for f in
                    [pool.submit(book, c, ev, [(tt, 1)]) for _ in range(8)]]
    tap.is_eq(statuses.count(303), 2, "one account booking 8 times at once gets "
              "only its cap of 2")
    tap.is_eq(counters(tt), (2, 0), "and holds 2 seats")

    # Many accounts at once on a type with a cap per account: each one's
    # count of what it holds must not lock other buyers' new tickets out.
    ev, (tt,) = new_event(TAG + " cap, many", [("Capped", 0, 1000, 5, 2)])
    deadlocks = innodb_deadlocks()
    statuses = race(ev, buyers[:160], lambda i: [(tt, 1)],
                    "160 accounts with a cap of 2, plenty of seats")
    tap.is_eq(statuses.count(303), 160, "every one of 160 accounts gets its seat")
    tap.is_eq(innodb_deadlocks() - deadlocks, 0,
              "and the primary saw no deadlock among them")
    tap.is_eq(counters(tt), (160, 0), "and 160 seats are held")


test_flow()
test_races()
tap.done()
