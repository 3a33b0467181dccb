"""The public pages end to end: nginx, tessera-browse, primary and replica.
Status codes, content read back from the database, escaping of hostile
event text, search, filters and pages, calendar files, the picture
gallery, security headers, and pages still served with the replica
stopped."""

import re
import os
import time
import urllib.parse

import tap

CSP_NEEDED = ["default-src 'self'", "script-src 'none'", "frame-ancestors 'none'"]


def first(query):
    return tap.sql_value("primary", query, database=tap.DB_NAME)


def rows(query):
    return tap.sql("primary", query, database=tap.DB_NAME)


def card_titles(html):
    return [tap_unescape(t) for t in
            re.findall(r'<h3 class="card-title"><a href="/events/\d+">(.*?)</a>', html)]


def card_ids(html):
    return [int(i) for i in re.findall(r'<h3 class="card-title"><a href="/events/(\d+)">', html)]


def tap_unescape(s):
    return (s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&#39;", "'").replace("&amp;", "&"))


def check_headers(r, what):
    csp = r.headers.get("Content-Security-Policy") or ""
    tap.ok(all(p in csp for p in CSP_NEEDED), what + ": CSP forbids scripts and framing")
    tap.is_eq(r.headers.get("X-Content-Type-Options"), "nosniff", what + ": nosniff")
    tap.ok(r.headers.get("Referrer-Policy"), what + ": Referrer-Policy set")


def check_html_page(r, what, status=200):
    tap.is_eq(r.status, status, what + ": status %d" % status)
    tap.ok((r.headers.get("Content-Type") or "").startswith("text/html"),
           what + ": HTML")
    tap.ok("<script" not in r.body.lower(), what + ": no <script> anywhere")
    tap.ok('<a class="brand" href="/">' in r.body and "</footer>" in r.body,
           what + ": rendered through the layout")
    check_headers(r, what)


# ---------------------------------------------------------------- home
r = tap.get("/")
check_html_page(r, "GET /")
ids = card_ids(r.body)
tap.ok(len(ids) >= 5, "home lists upcoming events (%d)" % len(ids))
if ids:
    starts = rows("SELECT id, starts_at, status, ends_at >= UTC_TIMESTAMP() FROM events WHERE id IN (%s)"
                  % ",".join(map(str, ids)))
    by_id = {int(x[0]): x for x in starts}
    tap.ok(all(by_id[i][2] == "published" and by_id[i][3] == "1" for i in ids),
           "home shows only published events that have not ended")
    order = [by_id[i][1] for i in ids]
    tap.is_eq(order, sorted(order), "home lists the soonest first")
    soonest = first("SELECT id FROM events WHERE status = 'published' AND "
                    "ends_at >= UTC_TIMESTAMP() ORDER BY starts_at, id LIMIT 1")
    tap.is_eq(ids[0], int(soonest), "the first card is the soonest event")

r = tap.request("HEAD", "/")
tap.is_eq((r.status, r.raw), (200, b""), "HEAD / answers headers only")

# ---------------------------------------------------------------- list and pages
r = tap.get("/events")
check_html_page(r, "GET /events")
page1 = card_ids(r.body)
tap.is_eq(len(page1), 20, "a full first page has 20 events")
tap.ok('rel="next" href="/events?page=2"' in r.body, "a link to the next page")
r2 = tap.get("/events?page=2")
page2 = card_ids(r2.body)
tap.ok(page2 and not set(page1) & set(page2), "page 2 holds other events")
tap.ok('rel="prev" href="/events"' in r2.body, "page 2 links back to page 1")
upcoming = int(first("SELECT COUNT(*) FROM events WHERE status = 'published' "
                     "AND ends_at >= UTC_TIMESTAMP() AND starts_at >= UTC_TIMESTAMP() - INTERVAL 14 DAY"))
seen = []
for page in range(1, 6):
    ids_p = card_ids(tap.get("/events?page=%d" % page).body)
    if not ids_p:
        break
    seen += ids_p
tap.is_eq(len(seen), upcoming, "paging through lists every upcoming event once")
tap.is_eq(len(set(seen)), len(seen), "no event appears on two pages")
r = tap.get("/events?page=%d" % (upcoming // 20 + 2))
tap.is_eq(r.status, 200, "a page past the end is an empty page, not an error")
tap.ok("No events match" in r.body, "which says there is nothing there")

# ---------------------------------------------------------------- bad parameters
for q, why in [("page=abc", "page not a number"), ("page=0", "page 0"),
               ("page=-1", "negative page"), ("page=501", "page too far"),
               ("page=1.5", "fractional page"), ("from=2026-02-30", "impossible date"),
               ("from=yesterday", "date not YYYY-MM-DD"), ("to=2026-13-01", "month 13"),
               ("from=2026-06-10&to=2026-06-01", "to before from"),
               ("q=" + "x" * 101, "search text too long"),
               ("q=%ZZ", "malformed escape"), ("q=%C3%28", "invalid UTF-8"),
               ("q=a%00b", "NUL byte"), ("city=" + "y" * 101, "city too long")]:
    r = tap.get("/events?" + q)
    check = r.status == 400 and "<h1>Bad request</h1>" in r.body
    tap.ok(check, "400 page for %s" % why)
r = tap.get("/events?" + "&".join("f%d=1" % i for i in range(300)))
tap.is_eq(r.status, 413, "413 for too many query fields")

# ---------------------------------------------------------------- search and filters
title = first("SELECT title FROM events WHERE status = 'published' AND ends_at >= UTC_TIMESTAMP() "
              "AND title REGEXP '^[A-Za-z]{5,} ' ORDER BY starts_at LIMIT 1")
word = title.split()[0]
r = tap.get("/events?q=" + urllib.parse.quote(word))
tap.is_eq(r.status, 200, "search for %r answers" % word)
tap.ok(title in card_titles(r.body), "search finds %r" % title)
r = tap.get("/events?q=" + urllib.parse.quote(word[:4].lower()))
tap.ok(title in card_titles(r.body), "a word's beginning finds it too")
r = tap.get("/events?q=zzyzxqqnotaword")
tap.ok(r.status == 200 and not card_ids(r.body) and "No events match" in r.body,
       "a search with no match says so")
r = tap.get("/events?q=%2B%2B%2B---%22%28%29%3E%3C*~")
tap.is_eq(r.status, 200, "boolean-mode operators typed as text do not break the search")

cities = [x[0] for x in rows("SELECT DISTINCT city FROM events WHERE status = 'published' "
                             "AND ends_at >= UTC_TIMESTAMP() ORDER BY city")]
tap.ok(len(cities) >= 6, "demo data spans at least 6 cities")
city = cities[0]
r = tap.get("/events?city=" + urllib.parse.quote(city))
wheres = re.findall(r'<p class="card-where">(.*?)</p>', r.body)
tap.ok(wheres and all(w.endswith(", " + city) for w in wheres),
       "city filter keeps only %s (%d events)" % (city, len(wheres)))
tap.ok("<option selected>%s</option>" % city in r.body, "the chosen city stays selected")

past = rows("SELECT id, DATE(starts_at) FROM events WHERE status = 'published' AND "
            "ends_at < UTC_TIMESTAMP() ORDER BY starts_at LIMIT 1")
if past:
    pid, day = int(past[0][0]), past[0][1]
    r = tap.get("/events?from=%s&to=%s" % (day, day))
    tap.ok(pid in card_ids(r.body), "from/to finds a past event on its day")
    r = tap.get("/events")
    tap.ok(pid not in card_ids(r.body), "past events are not in the default list")

# ---------------------------------------------------------------- one event
ev = rows("SELECT id, title, venue, city, rating_sum, rating_count FROM events "
          "WHERE status = 'published' AND rating_count > 0 ORDER BY id LIMIT 1")[0]
eid = int(ev[0])
r = tap.get("/events/%d" % eid)
check_html_page(r, "GET /events/%d" % eid)
tap.ok("<h1>%s</h1>" % ev[1].replace("&", "&amp;") in r.body or ev[1] in tap_unescape(r.body),
       "event page shows the title")
tap.ok(ev[2] in tap_unescape(r.body) and ev[3] in r.body, "and the venue and city")
avg = "%.1f" % (int(ev[4]) / int(ev[5]))
tap.ok("%s out of 5 from %s review" % (avg, ev[5]) in r.body,
       "average rating %s from %s reviews" % (avg, ev[5]))
nrev = int(first("SELECT COUNT(*) FROM reviews WHERE event_id = %d AND hidden_at IS NULL"
                 % eid))
tap.is_eq(r.body.count('<li class="review" id="review-'), min(nrev, 10),
          "latest reviews listed (at most 10)")
over = first("SELECT ends_at < UTC_TIMESTAMP() FROM events WHERE id = %d" % eid) == "1"
for tt in rows("SELECT name, quota - sold - held, price_cents, "
               "IFNULL(sales_end < UTC_TIMESTAMP(), 0) FROM ticket_types WHERE event_id = %d" % eid):
    left = int(tt[1])
    shown = ("Sold out" if left == 0 else "Sales ended" if over or tt[3] == "1"
             else "%d left" % left)
    tap.ok(shown in r.body, "ticket %r shows %s" % (tt[0], shown))
    price = "Free" if tt[2] == "0" else "%d.%02d" % (int(tt[2]) // 100, int(tt[2]) % 100)
    tap.ok(price in r.body, "ticket %r shows price %s" % (tt[0], price))

upcoming_tt = rows("SELECT t.event_id, t.name, t.quota - t.sold - t.held FROM ticket_types t "
                   "JOIN events e ON e.id = t.event_id WHERE e.status = 'published' AND "
                   "e.starts_at > UTC_TIMESTAMP() AND t.sold + t.held < t.quota AND "
                   "(t.sales_end IS NULL OR t.sales_end > UTC_TIMESTAMP()) LIMIT 1")
if upcoming_tt:
    r = tap.get("/events/%s" % upcoming_tt[0][0])
    tap.ok("%s left" % upcoming_tt[0][2] in r.body,
           "seats left shown as quota - sold - held (%s)" % upcoming_tt[0][2])
soldout = first("SELECT event_id FROM ticket_types t JOIN events e ON e.id = t.event_id "
                "WHERE e.status = 'published' AND t.sold + t.held >= t.quota LIMIT 1")
if soldout:
    tap.ok("Sold out" in tap.get("/events/%s" % soldout).body, "a sold-out ticket type says so")

draft = first("SELECT id FROM events WHERE status = 'draft' LIMIT 1")
tap.ok(draft is not None, "demo data has a draft")
r = tap.get("/events/%s" % draft)
check_html_page(r, "draft event", 404)
tap.is_eq(tap.get("/events/%s.ics" % draft).status, 404, "a draft's calendar file is 404 too")
r = tap.get("/events?q=" + urllib.parse.quote(first("SELECT SUBSTRING_INDEX(title, ' ', 1) FROM events WHERE id = %s" % draft)))
tap.ok(int(draft) not in card_ids(r.body), "drafts never show in search results")

cancelled = first("SELECT id FROM events WHERE status = 'cancelled' LIMIT 1")
if cancelled:
    r = tap.get("/events/%s" % cancelled)
    tap.ok(r.status == 200 and "cancelled" in r.body, "a cancelled event is shown as cancelled")

maxid = int(first("SELECT MAX(id) FROM events"))
for path, what in [("/events/%d" % (maxid + 1000), "unknown id"), ("/events/abc", "id not a number"),
                   ("/events/01", "leading zero"), ("/events/1/", "trailing slash"),
                   ("/events/99999999999999999999999", "id too long"), ("/nowhere", "unknown page"),
                   ("/events/%2e%2e/", "encoded dot segment")]:
    r = tap.get(path)
    tap.ok(r.status == 404 and "<h1>Page not found</h1>" in r.body, "404 page for %s" % what)

r = tap.post("/events", {"a": "b"})
tap.is_eq(r.status, 405, "POST /events is 405")
tap.ok("GET" in (r.headers.get("Allow") or ""), "with an Allow header naming GET")

# ---------------------------------------------------------------- pictures
# The demo pictures (data/demo_pictures.py), once the worker made their sizes.
deadline = time.time() + 60
while time.time() < deadline and int(first("SELECT COUNT(*) FROM pictures "
                                           "WHERE status = 'processing'")) > 0:
    time.sleep(0.5)
r = tap.get("/pictures")
check_html_page(r, "GET /pictures")
shown = [int(i) for i in re.findall(r'<li class="card picture-card">\s*<a href="/pictures/(\d+)">',
                                      r.body)]
ready = [int(i) for (i,) in rows("SELECT p.id FROM pictures p JOIN users u ON u.id = p.owner_id "
                                 "WHERE p.status = 'ready' AND u.disabled_at IS NULL "
                                 "ORDER BY p.created_at DESC, p.id DESC LIMIT 24")]
tap.ok(ready and shown == ready, "the gallery shows the ready pictures, newest first")
imgs = re.findall(r"<img [^>]*>", r.body)
tap.ok(imgs and all(re.search(r'\bwidth="\d+" height="\d+" alt="[^"]+"', i) and
                    "srcset=" in i and "sizes=" in i for i in imgs),
       "every picture has srcset, sizes, width, height and alt")
check_html_page(tap.get("/pictures?sort=popular"), "GET /pictures?sort=popular")
if ready:
    r = tap.get("/pictures/%d" % ready[0])
    check_html_page(r, "GET /pictures/%d" % ready[0])
    pic_title = first("SELECT title FROM pictures WHERE id = %d" % ready[0])
    tap.ok("<h1>%s</h1>" % pic_title in r.body, "the picture page shows its title")
# A buyer's pages of pictures: the purchases (empty, then one bought).
from fixtures import make_accounts  # noqa: E402
(buyer_id, buyer), = make_accounts("pages%d" % (int(time.time()) % 10000000), 1)
for path in ("/me/purchases",):
    r = buyer.get(path)
    check_html_page(r, "GET %s (signed in)" % path)
    levels = [int(h) for h in re.findall(r"<h([1-6])\b", r.body)]
    tap.ok(levels and levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])),
           "%s: headings start at h1 and skip no level %s" % (path, levels))
from fixtures import sign_in  # noqa: E402
r = sign_in("alice@tessera.test").get("/me/purchases")
check_html_page(r, "GET /me/purchases (alice, demo)")
tap.is_eq(len(re.findall(r'href="/pictures/\d+/original" download', r.body)), 2,
          "the demo's alice has two pictures to download")
banner = rows("SELECT id FROM events WHERE banner_picture_id IS NOT NULL AND "
              "status = 'published' LIMIT 1")
if banner:
    r = sign_in("organizer@tessera.test").get("/admin/events/%s/banner" % banner[0][0])
    check_html_page(r, "GET /admin/events/%s/banner (organizer)" % banner[0][0])
    tap.like(r.body, r'<input type="radio" id="banner-\d+" name="picture" value="\d+" checked>',
             "... the chosen banner is checked")
tap.ok(banner and 'class="event-banner"' in tap.get("/events/%s" % banner[0][0]).body,
       "a demo event shows its banner")
past = rows("SELECT e.id FROM events e JOIN pictures p ON p.event_id = e.id AND "
            "p.status = 'ready' WHERE e.ends_at < UTC_TIMESTAMP() LIMIT 1")
tap.ok(past and 'class="card picture-card"' in tap.get("/events/%s" % past[0][0]).body,
       "a past demo event shows its gallery")
priced = rows("SELECT p.id FROM pictures p JOIN users u ON u.id = p.owner_id WHERE "
              "p.status = 'ready' AND p.price_cents > 0 AND u.disabled_at IS NULL LIMIT 1")
if priced:
    r = buyer.get("/pictures/%s" % priced[0][0])
    check_html_page(r, "GET /pictures/%s, priced, signed in" % priced[0][0])
    tap.like(r.body, r'<form action="/pictures/%s/buy" method="post">\s*<input type="hidden" '
             r'name="csrf"' % priced[0][0], "... its buy button is a form with its CSRF token")
for path, what in [("/pictures/99999999", "unknown picture"), ("/pictures?page=0", "page 0"),
                   ("/pictures?event=abc", "event not a number"),
                   ("/pictures?event=1&author=1", "event and author")]:
    tap.ok(tap.get(path).status in (400, 404), "%s: %s is refused" % (what, path))

# ---------------------------------------------------------------- hostile text
hostile = rows("SELECT id, title FROM events WHERE title LIKE '%<script>%' AND status = 'published' LIMIT 1")
tap.ok(hostile, "demo data has an event with markup in its title")
if hostile:
    hid, htitle = int(hostile[0][0]), hostile[0][1]
    r = tap.get("/events/%d" % hid)
    tap.ok("<script>" not in r.body and "&lt;script&gt;" in r.body,
           "markup in an event's text is escaped on its page")
    tap.ok("&#39;" in r.body or "'" not in htitle, "quotes are escaped")
    ics = tap.get("/events/%d.ics" % hid)
    tap.ok(ics.status == 200 and "SUMMARY:" in ics.body, "its calendar file is served")
    r = tap.get("/events?q=script")
    tap.ok("<script>" not in r.body, "escaped in search results too")

# ---------------------------------------------------------------- calendar file
r = tap.get("/events/%d.ics" % eid)
tap.is_eq(r.status, 200, "GET /events/%d.ics" % eid)
tap.ok((r.headers.get("Content-Type") or "").startswith("text/calendar"), "served as text/calendar")
tap.ok(r.raw.startswith(b"BEGIN:VCALENDAR\r\n") and r.raw.endswith(b"END:VCALENDAR\r\n"),
       "one VCALENDAR, CRLF line ends")
lines = r.raw.split(b"\r\n")[:-1]
tap.ok(all(len(l) <= 75 for l in lines), "no line longer than 75 octets")
tap.ok(b"\n" not in r.raw.replace(b"\r\n", b""), "no bare LF")
unfolded = r.raw.replace(b"\r\n ", b"").decode()
for prop in ["VERSION:2.0", "PRODID:", "BEGIN:VEVENT", "UID:event-%d@" % eid,
             "DTSTAMP:", "DTSTART:", "DTEND:", "SUMMARY:", "END:VEVENT"]:
    tap.ok(prop in unfolded, "calendar has %s" % prop.rstrip(":"))
start = first("SELECT DATE_FORMAT(starts_at, '%%Y%%m%%dT%%H%%i%%sZ') FROM events WHERE id = %d" % eid)
tap.ok("DTSTART:%s\r\n" % start in unfolded, "DTSTART is the start in UTC (%s)" % start)

# ---------------------------------------------------------------- text browser
import shutil
import subprocess
if shutil.which("w3m"):
    out = subprocess.run(["w3m", "-dump", "-cols", "80", tap.URL + "/events/%d" % eid],
                         capture_output=True, text=True, timeout=60).stdout
    tap.ok(ev[1] in out and "Tickets" in out and "About this event" in out,
           "the event page reads in a text browser (w3m)")
    tap.ok("Skip to content" in out and "Events" in out, "with its navigation")
    out = subprocess.run(["w3m", "-dump", "-cols", "80", tap.URL + "/events?q=" + urllib.parse.quote(word)],
                         capture_output=True, text=True, timeout=60).stdout
    tap.ok(title in out and "Find events" in out, "search results and the filter form read in w3m")
else:
    tap.ok(False, "w3m is installed for the text-browser check")

# ---------------------------------------------------------------- health
r = tap.get("/healthz")
tap.is_eq(r.status, 200, "/healthz is 200 with the primary up")
tap.like(r.body, r"replica \S+ usable", "and says the replica is usable")
r = tap.get("/healthz", source="127.0.0.2")
tap.is_eq((r.status, r.body), (200, "ok\n"),
          "from another address /healthz says only ok: no servers, addresses or errors")

# ---------------------------------------------------------------- connections lost
killed = 0
for server in ("primary", "replica"):
    for (tid,) in tap.sql(server, "SELECT id FROM information_schema.processlist "
                                  "WHERE user = 'tessera_browse'"):
        if tap.sql_run(server, "KILL %s" % tid)[0] == 0:
            killed += 1
tap.ok(killed > 0, "killed tessera-browse's database connections (%d)" % killed)
statuses = [tap.get("/events/%d" % eid).status for _ in range(12)]
tap.is_eq(statuses, [200] * 12, "pages still answer: workers reconnect after the server dropped them")

# ---------------------------------------------------------------- replica behind
# With the replica's SQL thread stopped it falls behind: a new event exists
# only on the primary, and pages must read it from there.
marker = "Zyxwvutsq%d" % int(time.time())
tap.sql("replica", "STOP REPLICA SQL_THREAD")
tap.sql("primary", "INSERT INTO events (organizer_id, title, description, venue, city, timezone, "
        "starts_at, ends_at, status) SELECT MIN(id), 'Lag check %s', 'Only on the primary for now.', "
        "'Hall', 'Berlin', 'Europe/Berlin', UTC_TIMESTAMP() + INTERVAL 3 DAY, "
        "UTC_TIMESTAMP() + INTERVAL 3 DAY + INTERVAL 2 HOUR, 'published' FROM users" % marker,
        database=tap.DB_NAME)
time.sleep(1.2)  # each worker rechecks a replica's state once a second
lag_id = first("SELECT id FROM events WHERE title = 'Lag check %s'" % marker)
r = tap.get("/events/%s" % lag_id)
tap.is_eq(r.status, 200, "an event not yet on a stalled replica is read from the primary")
r = tap.get("/events?q=" + marker)
tap.ok(int(lag_id) in card_ids(r.body), "and found by search")
tap.ok("unusable" in tap.get("/healthz").body, "/healthz says the stalled replica is unusable")
tap.sql("replica", "START REPLICA SQL_THREAD")
tap.ok(tap.wait_replica(), "the replica catches up once its SQL thread runs again")
tap.sql("primary", "DELETE FROM events WHERE id = %s" % lag_id, database=tap.DB_NAME)
tap.wait_replica()

# ---------------------------------------------------------------- replica down
if tap.replica_stop():
    r = tap.get("/")
    tap.ok(r.status == 200 and len(card_ids(r.body)) >= 5, "home still served with the replica stopped")
    r = tap.get("/events/%d" % eid)
    tap.is_eq(r.status, 200, "event page still served with the replica stopped")
    r = tap.get("/events?q=" + urllib.parse.quote(word))
    tap.ok(title in card_titles(r.body), "search still works with the replica stopped")
    r = tap.get("/healthz")
    tap.ok(r.status == 200 and "unusable" in r.body, "/healthz reports the replica unusable")
    # Hit as often as a load balancer likes, /healthz does not try the
    # stopped replica at every hit: each worker asks it again only after
    # the one-second backoff (tessera-browse has 4 workers).
    log = os.path.join(tap.VAR, "log", "browse.log")
    before = os.path.getsize(log)
    t0 = time.time()
    hits = 0
    while time.time() - t0 < 1.5:
        tap.get("/healthz")
        hits += 1
    with open(log, "rb") as f:
        f.seek(before)
        tries = f.read().decode(errors="replace").count("conn_connect: unix:")
    tap.ok(hits >= 20 and tries <= 4 * 4,
           "%d hits of /healthz in 1.5 s tried to connect to the replica %d times "
           "(about once a second per worker; it was twice a hit)" % (hits, tries))
    tap.ok(tap.replica_start(), "replica started again")
    deadline = time.time() + 20
    while time.time() < deadline and "usable lag" not in tap.get("/healthz").body:
        time.sleep(0.5)
    tap.like(tap.get("/healthz").body, r"replica \S+ usable", "/healthz sees the replica back")
else:
    tap.ok(False, "could stop the replica")

# ---------------------------------------------------------------- metrics
def metrics():
    r = tap.get("/metrics")
    vals = {}
    for line in r.body.splitlines():
        # Summed over routes (test_metrics.py reads them one by one).
        m = re.match(r'(tessera_http_\w+)\{program="tessera-browse",route="[^"]*"'
                     r'(?:,code="(\d)\w*")?(?:,le="([^"]+)")?\} (\S+)$', line)
        if m:
            key = (m.group(1), m.group(2) + "xx" if m.group(2) else m.group(3))
            vals[key] = vals.get(key, 0) + float(m.group(4))
    return r, vals


r, before = metrics()
tap.is_eq(r.status, 200, "/metrics answers localhost")
tap.ok((r.headers.get("Content-Type") or "").startswith("text/plain; version=0.0.4"),
       "in Prometheus' text format")
for _ in range(5):
    tap.get("/events")
tap.get("/nowhere")
_, after = metrics()
key2, key4 = ("tessera_http_requests_total", "2xx"), ("tessera_http_requests_total", "4xx")
tap.ok(after.get(key2, 0) - before.get(key2, 0) >= 5, "2xx answers are counted across all workers")
tap.ok(after.get(key4, 0) - before.get(key4, 0) >= 1, "and 4xx answers")
total = sum(v for (k, c), v in after.items() if k == "tessera_http_requests_total")
tap.ok(abs(after.get(("tessera_http_request_duration_seconds_count", None), -1) - total) <= 1,
       "the duration histogram counts the same requests")
tap.ok(after.get(("tessera_http_request_duration_seconds_bucket", "+Inf"), -1) ==
       after.get(("tessera_http_request_duration_seconds_count", None), -2),
       "its +Inf bucket holds them all")

tap.done()
