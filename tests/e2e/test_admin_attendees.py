"""An event's attendees, their CSV export and its statistics, for its
organizer (/admin/events/{id}/attendees, attendees.csv, stats): tickets
bought by several accounts are listed with their buyers, orders, states
and check-ins, in pages; the search finds names, email addresses and
whole codes, and takes its text literally (% and _ included); the
filters by ticket type and order state work, and bad ones are a 400.
The CSV file is streamed with a byte order mark, parses into the same
rows (well past one batch of the export), and hostile names (formulas,
quotes, naughty strings) come out neutralised and otherwise intact. The
statistics count sold, held and paid revenue per type, and draw one bar
per day with sales, in the event's zone, with a table of the same
numbers. Another organizer gets 404 on every URL, an attendee 403."""

import csv
import io
import json
import os
import re
import secrets
import time
import urllib.parse
import xml.etree.ElementTree as ET

import tap
from fixtures import hold, location, new_event, pay_with, sign_in

DB = tap.DB_NAME
TAG = "att%d" % (int(time.time()) % 100000000)
SVG = "{http://www.w3.org/2000/svg}"


def value(q):
    return tap.sql_value("primary", q, database=DB)


def new_code(n):
    """A random code of n characters, of the alphabet the site's are of."""
    return "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(n))


def html_escaped(s):
    """s as the template engine writes it."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def neutralised(s):
    """s as a spreadsheet should get it from the CSV file."""
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def sql_text(s):
    """s as an SQL expression, whatever it holds."""
    return "CONVERT(UNHEX('%s') USING utf8mb4)" % s.encode("utf-8").hex()


def buy(c, ev, tt, names, paid=False):
    """c books len(names) tickets of type tt, names them and pays (free,
    or through the sandbox); the order's code."""
    code = hold(c, ev, tt, len(names))
    page = c.get("/orders/%s/checkout" % code)
    ids = re.findall(r'name="t\[(\d+)\]\[id\]" value="(\d+)"', page.body)
    fields = [("csrf", tap.form_value(page.body, "csrf")),
              ("provider", "sandbox" if paid else "free")]
    for (i, tid), name in zip(ids, names):
        fields += [("t[%s][id]" % i, tid), ("t[%s][name]" % i, name)]
    r = c.post("/orders/%s/checkout" % code, fields)
    if paid:
        page = c.get("/orders/%s/sandbox" % code)
        r = c.post("/orders/%s/sandbox" % code,
                   {"csrf": tap.form_value(page.body, "csrf"), "action": "pay"})
    tap.is_eq(value("SELECT status FROM orders WHERE code = '%s'" % code), "paid",
              "order %s of %d ticket(s) is paid" % (code, len(names)))
    return code


def rows_of(body):
    """The attendee table's rows as lists of cell texts (tags dropped)."""
    table = body.split('<table class="attendees">', 1)[-1].split("</table>", 1)[0]
    out = []
    for tr in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[-1], re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        out.append([re.sub(r"<[^>]+>", " ", c).strip() for c in cells])
    return out if "<tbody>" in table else []


def read_csv(r):
    """(raw bytes, rows) of a CSV response."""
    return r.raw, list(csv.reader(io.StringIO(r.raw.decode("utf-8-sig"), newline="")))


org = sign_in("organizer@tessera.test")
other = sign_in("organizer2@tessera.test")
admin = sign_in("admin@tessera.test")
alice = sign_in("alice@tessera.test")
bob = sign_in("bob@tessera.test")
carla = sign_in("carla@tessera.test")
dmitri = sign_in("dmitri@tessera.test")
# A buyer whose display name is a formula (the site's own forms would not
# stop one either: it is just text).
EVIL_NAME = '=HYPERLINK("http://evil.example/","Click me")'
# (No "evil" in the address: test_mail_outbox looks for that word among
# every recipient, and this buyer's order is mailed.)
evil_email = "formula-%s@example.com" % TAG
value("INSERT INTO users (email, display_name, password_hash, role, email_verified_at) "
      "SELECT '%s', %s, password_hash, 'attendee', UTC_TIMESTAMP() FROM users "
      "WHERE email = 'alice@tessera.test'" % (evil_email, sql_text(EVIL_NAME)))
evil = sign_in(evil_email)

ev, (std, vip, bulk) = new_event(TAG + " festival", [
    ("Standing", 0, 200, 10, 0), ("VIP", 2500, 50, 10, 0), ("Bulk", 0, 100, 10, 0)])
base = "/admin/events/%d" % ev
o_alice = buy(alice, ev, std, ["Alice Attendee", "Zoë Ångström"])
o_bob = buy(bob, ev, vip, ["Bob Builder"], paid=True)
o_carla = buy(carla, ev, std, ["=1+1", "+33 6 12 34 56 78", "-2"])
o_evil = buy(evil, ev, std, ["@SUM(A1:A9)", 'Quote "this", please', "100%_real_"])
held = hold(alice, ev, vip, 1)
o_bulk = [buy(dmitri, ev, bulk, ["Guest %d-%d" % (k, i) for i in range(10)]) for k in range(6)]
TOTAL = 2 + 1 + 3 + 3 + 1 + 60

# Naughty strings as the names of the bulk tickets, straight into the
# database (the site's forms refuse control characters, a database need not).
blns_path = os.path.join(tap.SRC, "..", "shared", "big-list-of-naughty-strings", "blns.json")
with open(blns_path) as f:
    pool = [s for s in json.load(f) if s and "\x00" not in s and len(s) <= 100 and
            not any(0xD800 <= ord(ch) <= 0xDFFF for ch in s)]
# Those the search tests below would also find are left out.
naughty = [s for s in pool if re.search(r"[<>&\"'=+@,\r\n\t]|^-", s) and
           not re.search(r"[%_\\]|alice|tessera", s, re.I)][:40]
naughty += ["\tTabbed", "\rReturned", "Two\nlines", "Three\r\nlines"]
bulk_ids = [int(x[0]) for x in tap.sql("primary", "SELECT k.id FROM tickets k WHERE "
                                       "k.ticket_type_id = %d ORDER BY k.id" % bulk, database=DB)]
for tid, s in zip(bulk_ids, naughty):
    value("UPDATE tickets SET attendee_name = %s WHERE id = %d" % (sql_text(s), tid))
named = dict(zip(bulk_ids, naughty))
# One ticket checked in at a known time: 18:30 UTC is 19:30 in Berlin in January.
checked = value("SELECT k.code FROM tickets k JOIN orders o ON o.id = k.order_id "
                "WHERE o.code = '%s' ORDER BY k.id LIMIT 1" % o_bob)
value("UPDATE tickets SET checked_in_at = '2030-01-15 18:30:00' WHERE code = '%s'" % checked)
tap.ok(tap.wait_replica(), "the replica has caught up")

# ---------------------------------------------------------------- the list
r = org.get(base + "/attendees")
tap.is_eq(r.status, 200, "the organizer sees the attendees")
rows = rows_of(r.body)
tap.is_eq(len(rows), 50, "a page of 50 of the %d tickets" % TOTAL)
tap.like(r.body, r'<div class="table-scroll" role="region" aria-label="[^"]+" tabindex="0">',
         "the table scrolls inside its own labelled region")
first = rows[0]
tap.is_eq(first[:3], ["Alice Attendee", "Standing", value(
    "SELECT k.code FROM tickets k JOIN orders o ON o.id = k.order_id WHERE o.code = '%s' "
    "ORDER BY k.id LIMIT 1" % o_alice)], "by ticket type, then as booked: name, type, code")
tap.ok("Alice Martin" in first[3] and "alice@tessera.test" in first[3],
       "with the buyer's name and email")
tap.ok('<a class="code" href="/admin/orders/%s">%s</a>' % (o_alice, o_alice) in r.body,
       "the order links to the organizer's order page")
tap.is_eq(first[5], "Paid", "its state in words")
tap.is_eq([x[0] for x in rows[5:9]], ["@SUM(A1:A9)", "Quote &quot;this&quot;, please",
                                      "100%_real_", "Bob Builder"],
          "names shown as typed, escaped")
vip_rows = [x for x in rows if x[1] == "VIP"]
tap.ok(any(x[6].startswith("19:30, Tue 15 Jan 2030") for x in vip_rows),
       "a check-in shows its time in the event's zone")
tap.ok(any(x[0] == "(not named yet)" and x[5] == "Held for you" for x in vip_rows),
       "a hold's unnamed ticket is listed with its state")
tap.ok(html_escaped(EVIL_NAME) in r.body and EVIL_NAME not in r.body,
       "a hostile buyer name is escaped")
nxt = re.search(r'<a rel="next" href="([^"]+)">', r.body)
tap.ok(nxt and nxt.group(1) == base + "/attendees?page=2", "a link to the next page")
r = org.get(nxt.group(1).replace("&amp;", "&") if nxt else base + "/attendees?page=2")
rows2 = rows_of(r.body)
tap.is_eq(len(rows2), TOTAL - 50, "the second page has the other %d" % (TOTAL - 50))
tap.ok('rel="prev" href="%s/attendees"' % base in r.body and 'rel="next"' not in r.body,
       "with a link back and none further")
bulk_pages = org.get(base + "/attendees?type=%d" % bulk).body + \
    org.get(base + "/attendees?type=%d&page=2" % bulk).body
missing = [s for s in naughty if html_escaped(s) not in bulk_pages]
tap.is_eq(missing, [], "every naughty name is listed, escaped")
tap.ok("<script>" not in bulk_pages and "<img" not in bulk_pages.split("<main", 1)[-1],
       "no markup of theirs gets through")
r = org.get(base + "/attendees?page=3")
tap.ok(r.status == 200 and rows_of(r.body) == [] and "past the last ticket" in r.body,
       "a page past the end is empty, and says so")

# ---------------------------------------------------------------- search and filters


def found(query):
    r = org.get(base + "/attendees?" + urllib.parse.urlencode(query))
    return r.status, rows_of(r.body)


st, got = found({"q": "alice"})
tap.ok(st == 200 and len(got) == 3 and all("alice@tessera.test" in x[3] for x in got),
       "searching a name finds its buyer's tickets, the held one too (%d)" % len(got))
st, got = found({"q": "zoe ANG"})
tap.is_eq([x[0] for x in got], ["Zoë Ångström"], "without regard to case and accents")
st, got = found({"q": "carla@tessera"})
tap.is_eq(len(got), 3, "an email address finds its buyer's tickets")
st, got = found({"q": " " + " ".join(o_carla[i:i + 4] for i in range(0, 16, 4)).lower() + " "})
tap.is_eq(len(got), 3, "a whole order code, typed in lower case with spaces")
st, got = found({"q": o_carla[:8]})
tap.is_eq(len(got), 0, "half an order code finds nothing: codes are matched whole")
st, got = found({"q": checked})
tap.is_eq([x[2] for x in got], [checked], "a ticket code finds its ticket")
st, got = found({"q": "%"})
tap.is_eq([x[0] for x in got], ["100%_real_"], "% is a percent sign, not a wildcard")
st, got = found({"q": "_"})
tap.is_eq([x[0] for x in got], ["100%_real_"], "and _ an underscore")
st, got = found({"q": "\\"})
tap.ok(st == 200 and all("\\" in x[0] for x in got), "a backslash is a backslash")
st, got = found({"type": vip})
tap.is_eq(sorted(x[0] for x in got), ["(not named yet)", "Bob Builder"], "filter by ticket type")
st, got = found({"state": "held"})
tap.is_eq([(x[1], x[5]) for x in got], [("VIP", "Held for you")], "filter by order state")
st, got = found({"state": "paid", "type": std, "q": "tessera.test"})
tap.is_eq(len(got), 5, "search and filters together")
r = org.get(base + "/attendees?q=alice&state=paid")
tap.ok('<option value="paid" selected>Paid</option>' in r.body and 'value="alice"' in r.body,
       "the form keeps what was chosen")
tap.ok('href="%s/attendees.csv?q=alice&amp;state=paid"' % base in r.body,
       "and the CSV link has the same filters")
other_ev, (other_tt,) = new_event(TAG + " elsewhere", [("Entry", 0, 5, 5, 0)])
for query, why in (({"type": "999999999"}, "an unknown ticket type"),
                   ({"type": other_tt}, "another event's ticket type"),
                   ({"type": "1 OR 1=1"}, "a ticket type that is no number"),
                   ({"state": "shipped"}, "an unknown order state"),
                   ({"q": "x" * 101}, "a search of 101 characters"),
                   ({"page": "0"}, "page 0")):
    r = org.get(base + "/attendees?" + urllib.parse.urlencode(query))
    tap.is_eq(r.status, 400, "%s is a 400" % why)
    tap.is_eq(org.get(base + "/attendees.csv?" + urllib.parse.urlencode(query)).status, 400,
              "for the CSV file too")

# ---------------------------------------------------------------- CSV
r = org.get(base + "/attendees.csv")
tap.is_eq(r.status, 200, "the CSV file downloads")
tap.is_eq(r.headers.get("Content-Type"), "text/csv; charset=utf-8", "as UTF-8 CSV")
tap.is_eq(r.headers.get("Content-Disposition"),
          'attachment; filename="attendees-event-%d.csv"' % ev, "as an attachment with a safe name")
tap.ok(r.headers.get("Content-Length") is None and
       r.headers.get("Transfer-Encoding") == "chunked", "streamed: no length, chunked")
tap.ok("script-src 'none'" in (r.headers.get("Content-Security-Policy") or "") and
       "no-store" in (r.headers.get("Cache-Control") or ""), "with the site's headers, never cached")
raw, table = read_csv(r)
tap.ok(raw.startswith(b"\xef\xbb\xbf"), "it starts with the UTF-8 byte order mark")
tap.is_eq(table[0], ["Ticket code", "Attendee", "Ticket type", "Buyer", "Buyer email",
                     "Order", "Order state", "Checked in (Europe/Berlin)"], "a header row")
body = table[1:]
tap.is_eq(len(body), TOTAL, "a row per ticket")
tap.ok(raw[3:].startswith(b"Ticket code,") and raw.split(b"\r\n", 1)[0].endswith(b")") and
       raw.endswith(b"\r\n") and raw.count(b"\r\n") >= TOTAL + 1, "rows end with CRLF")
tap.ok(b'"Two\nlines"' in raw and b'"Three\r\nlines"' in raw,
       "line breaks inside a name are quoted")
by_code = {x[0]: x for x in body}
tap.is_eq(by_code.get(checked, [])[1:], ["Bob Builder", "VIP", "Bob Okafor", "bob@tessera.test",
                                         o_bob, "Paid", "2030-01-15 19:30"],
          "a row: attendee, type, buyer, email, order, state, check-in in the event's zone")
attendee_col = [x[1] for x in body]
for name, want in (("=1+1", "'=1+1"), ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
                   ("-2", "'-2"), ("@SUM(A1:A9)", "'@SUM(A1:A9)")):
    tap.ok(want in attendee_col and name not in attendee_col,
           "a name starting a formula is neutralised: %s" % want)
tap.ok('Quote "this", please' in attendee_col and "100%_real_" in attendee_col,
       "quotes and commas come back intact")
evil_rows = [x for x in body if x[4] == evil_email]
tap.ok(len(evil_rows) == 3 and all(x[3] == "'" + EVIL_NAME for x in evil_rows),
       "a buyer name that is a formula is neutralised too")
tap.ok("Zoë Ångström" in attendee_col, "UTF-8 names intact")
bulk_rows = {x[0]: x[1] for x in body if x[2] == "Bulk"}
codes = dict(tap.sql("primary", "SELECT id, code FROM tickets WHERE ticket_type_id = %d" % bulk,
                     database=DB))
bad = [s for t, s in named.items() if bulk_rows.get(codes[str(t)]) != neutralised(s)]
tap.is_eq(bad, [], "%d naughty names come out neutralised and otherwise intact" % len(named))
tap.ok(any(s.startswith("\t") for s in named.values()) and
       any(s.startswith("\r") for s in named.values()), "TAB and CR among them")
tap.is_eq([x[2] for x in body], sorted([x[2] for x in body],
                                       key=["Standing", "VIP", "Bulk"].index),
          "rows by ticket type in the event's order")

r = tap.request("HEAD", base + "/attendees.csv", headers=org._headers(None))
tap.ok(r.status == 200 and r.headers.get("Content-Type") == "text/csv; charset=utf-8" and
       r.raw == b"", "HEAD: the head only")
r = org.get(base + "/attendees.csv?" + urllib.parse.urlencode({"q": "alice", "state": "paid"}))
_, table = read_csv(r)
tap.is_eq(sorted(x[1] for x in table[1:]), ["Alice Attendee", "Zoë Ångström"],
          "the same filters give the same tickets")
r = org.get(base + "/attendees.csv?type=%d" % vip)
_, table = read_csv(r)
tap.is_eq(len(table), 3, "one type: its tickets and the header")

# Well past one batch (500) of the export: 1,203 tickets of one type,
# straight into the database, with codes as the site makes them and the
# type's counter kept equal to its paid tickets.
big, (big_tt,) = new_event(TAG + " stadium", [("Seat", 0, 2000, 10, 0)])
buyer = value("SELECT id FROM users WHERE email = 'farid@tessera.test'")
value("INSERT INTO orders (code, event_id, buyer_id, status, total_cents, currency, paid_at) "
      "VALUES " + ",".join("('%s', %d, %s, 'paid', 0, 'EUR', UTC_TIMESTAMP())"
                           % (new_code(16), big, buyer) for _ in range(401)))
value("INSERT INTO tickets (order_id, ticket_type_id, attendee_name, code) VALUES " +
      ",".join("(%s, %d, 'Seat holder %s.%d', '%s')" % (o, big_tt, o, k, new_code(24))
               for (o,) in tap.sql("primary", "SELECT id FROM orders WHERE event_id = %d"
                                   % big, database=DB) for k in range(3)))
value("UPDATE ticket_types SET sold = 1203 WHERE id = %d" % big_tt)
tap.ok(tap.wait_replica(), "the replica has the stadium")
r = org.get("/admin/events/%d/attendees.csv" % big)
_, table = read_csv(r)
want = [x[0] for x in tap.sql("primary", "SELECT code FROM tickets WHERE ticket_type_id = %d "
                              "ORDER BY id" % big_tt, database=DB)]
tap.is_eq(len(table) - 1, 1203, "1,203 tickets: three batches and a bit")
tap.ok([x[0] for x in table[1:]] == want, "each once, in order, across the batches")
r = org.get("/admin/events/%d/attendees?page=25" % big)
tap.ok(r.status == 200 and len(rows_of(r.body)) == 3 and 'rel="next"' not in r.body,
       "and the list's last page has the last 3")

# ---------------------------------------------------------------- statistics
# Paid on three days, one of them late in the evening UTC: the next day in Berlin.
for codes_, when in (([o_alice] + o_bulk, "2030-02-01 09:00:00"),
                     ([o_bob, o_carla], "2030-02-03 12:00:00"),
                     ([o_evil], "2030-02-04 23:30:00")):
    value("UPDATE orders SET paid_at = '%s' WHERE code IN (%s)"
          % (when, ",".join("'%s'" % c for c in codes_)))
tap.ok(tap.wait_replica(), "the replica has the payment days")
r = org.get(base + "/stats")
tap.is_eq(r.status, 200, "the organizer sees the statistics")
types = {}
for tr in re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>",
                     r.body.split('id="by-type"', 1)[-1].split("</table>", 1)[0], re.S):
    cells = [re.sub(r"<[^>]+>", " ", c).strip() for c in re.split(r"</t[hd]>", tr)]
    types[cells[0]] = cells[1:7]
nbsp = "\u00a0"
tap.is_eq(types.get("Standing"), ["Free", "8", "0", "192", "200", "€0.00"],
          "Standing: price, sold, held, left, quota, revenue")
tap.is_eq(types.get("VIP"), ["€25.00", "1", "1", "48", "50", "€25.00"],
          "VIP: one sold, one held, one paid €25.00")
tap.is_eq(types.get("All types"), ["", "69", "1", "", "350", "€25.00"], "and the totals")
m = re.search(r"<svg.*?</svg>", r.body, re.S)
svg = ET.fromstring(m.group(0)) if m else None
tap.ok(svg is not None and svg.tag == SVG + "svg", "the chart is SVG that parses as XML")
rects = svg.findall(".//" + SVG + "rect") if svg is not None else []
tap.is_eq(len(rects), 3, "one bar per day with sales")
tap.ok(svg is not None and svg.get("role") == "img" and
       svg.find(SVG + "title") is not None and svg.find(SVG + "desc") is not None,
       "an image with a title and a description")
tap.is_eq(sorted(b.find(SVG + "title").text for b in rects),
          ["1 Feb: 62 tickets", "3 Feb: 4 tickets", "5 Feb: 3 tickets"],
          "each bar says its day (in Berlin) and count")
labels = [t.text for t in svg.iter(SVG + "text")] if svg is not None else []
tap.ok("1 Feb" in labels and "0" in labels, "axis labels are text")
days = re.findall(r'<th scope="row"><time datetime="(\d{4}-\d\d-\d\d)">[^<]+</time></th><td>(\d+)</td>',
                  r.body)
tap.is_eq(days, [("2030-02-01", "62"), ("2030-02-03", "4"), ("2030-02-05", "3")],
          "the table beside it has the same numbers")
tap.like(r.body, r"<strong>1</strong> of 69 paid tickets checked in \(1%\)",
         "check-in progress")
tap.ok('<progress value="1" max="69"' in r.body, "as a progress bar too")
r = org.get("/admin/events/%d/attendees" % other_ev)
tap.ok(r.status == 200 and "No tickets have been booked yet." in r.body,
       "an event without tickets says so")
r = org.get("/admin/events/%d/stats" % other_ev)
tap.ok(r.status == 200 and "No ticket has been paid yet." in r.body and "<svg" not in r.body,
       "an event without sales has no chart")

# ---------------------------------------------------------------- who may see them
urls = [base + "/attendees", base + "/attendees?q=alice&page=2", base + "/attendees.csv",
        base + "/attendees.csv?type=%d" % vip, base + "/stats"]
for u in urls:
    tap.is_eq(other.get(u).status, 404, "another organizer gets 404: %s" % u)
    tap.is_eq(alice.get(u).status, 403, "an attendee gets 403: %s" % u)
    tap.is_eq(admin.get(u).status, 200, "a site admin sees it: %s" % u)
    r = tap.get(u)
    tap.ok(r.status == 303 and location(r).startswith("/login?next="),
           "anonymous: sent to sign in: %s" % u)
missing = int(value("SELECT MAX(id) FROM events")) + 1000
draft = int(value("SELECT id FROM events WHERE status = 'draft' AND organizer_id = "
                  "(SELECT id FROM users WHERE email = 'organizer@tessera.test') LIMIT 1"))
for tail in ("/attendees", "/attendees.csv", "/stats"):
    tap.is_eq(org.get("/admin/events/%d%s" % (missing, tail)).status, 404,
              "a missing event: 404 for %s" % tail)
    tap.is_eq(org.get("/admin/events/%d%s" % (draft, tail)).status, 200,
              "a draft of one's own: %s is there, with nothing sold yet" % tail)
body = other.get(base + "/attendees").body
tap.ok(TAG not in body and "Alice Attendee" not in body, "and the 404 says nothing of it")

# The admin home links to both pages of each public event.
r = org.get("/admin")
tap.ok('href="%s/attendees"' % base in r.body and 'href="%s/stats"' % base in r.body,
       "the admin home links to the event's attendees and statistics")
tap.ok(draft and ('/admin/events/%d/attendees' % draft) not in r.body,
       "but not a draft's, which has none")

tap.done()
