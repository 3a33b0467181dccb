"""tessera-admin end to end: who may see the admin pages, granting and
taking back the organizer role (with CSRF and the audit log), the audit
log page, and `tessera create-admin` on the command line."""

import os
import re
import subprocess
import time
import urllib.parse
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import tap

DB = tap.DB_NAME
BUILD = os.environ.get("TESSERA_TEST_BUILD", os.path.join(tap.SRC, "build"))


def value(q):
    return tap.sql_value("primary", q, database=DB)


def sign_in(email):
    c = tap.Client()
    token = tap.form_value(c.get("/login").body, "csrf")
    r = c.post("/login", {"email": email, "password": "tessera-demo", "csrf": token})
    tap.ok(r.status == 303, "%s signs in (%d)" % (email, r.status))
    return c


def csrf_of(c, path):
    return tap.form_value(c.get(path).body, "csrf")


alice_id = int(value("SELECT id FROM users WHERE email = 'alice@tessera.test'"))
value("UPDATE users SET role = 'attendee' WHERE id = %d" % alice_id)

# ---------------------------------------------------------------- who may enter
r = tap.get("/admin")
tap.is_eq(r.status, 303, "anonymous /admin is sent to sign in")
tap.is_eq(r.headers.get("Location"), "/login?next=%2Fadmin", "and comes back afterwards")
tap.is_eq(tap.get("/admin/users").status, 303, "anonymous /admin/users too")

alice = sign_in("alice@tessera.test")
alice_name = value("SELECT display_name FROM users WHERE id = %d" % alice_id)
r = alice.get("/")
tap.ok(r.status == 200 and alice_name in r.body and "Sign out" in r.body,
       "right after signing in, the public pages (replica) know who is there")
tap.ok("private" in (r.headers.get("Cache-Control") or ""),
       "and such a page is private to that person")
tap.ok("public" in (tap.get("/").headers.get("Cache-Control") or ""),
       "while the anonymous page may be cached")
r = alice.get("/admin")
tap.ok(r.status == 403 and "<h1>Forbidden</h1>" in r.body, "an attendee gets 403 on /admin")
tap.is_eq(alice.get("/admin/users").status, 403, "and on /admin/users")

org = sign_in("organizer@tessera.test")
r = org.get("/admin")
tap.is_eq(r.status, 200, "an organizer sees /admin")
org_id = int(value("SELECT id FROM users WHERE email = 'organizer@tessera.test'"))
mine = int(value("SELECT COUNT(*) FROM events WHERE organizer_id = %d" % org_id))
events_table = r.body.split('id="your-events"', 1)[-1].split("</section>", 1)[0]
tap.is_eq(len(re.findall(r"<tr>\s*<th scope=\"row\">", events_table)), mine,
          "with exactly their %d events" % mine)
awaiting = r.body.split('id="awaiting"', 1)[-1].split("</section>", 1)[0]
want = int(value("SELECT COUNT(*) FROM orders o JOIN events e ON e.id = o.event_id "
                 "WHERE e.organizer_id = %d AND o.status IN ('pending_payment', "
                 "'refund_due')" % org_id))
tap.ok(want > 0 and len(re.findall(r'href="/admin/orders/[A-Z2-9]{16}"', awaiting)) == want,
       "and the %d demo orders waiting for them (offline payments, refunds)" % want)
# Revenue per event, from the paid orders.
best, cents = tap.sql("primary", "SELECT o.event_id, SUM(o.total_cents) FROM orders o JOIN events e "
                      "ON e.id = o.event_id WHERE e.organizer_id = %d AND o.status = 'paid' "
                      "AND o.currency = 'EUR' GROUP BY o.event_id ORDER BY 2 DESC LIMIT 1"
                      % org_id, database=DB)[0]
row = re.search(r'<a href="/events/%s">.*?</tr>' % best, r.body, re.S)
euros = "{:,.2f}".format(int(cents) / 100)
tap.ok(row is not None and ("€" + euros) in row.group(0),
       "each event shows its paid revenue (€%s)" % euros)
# What needs the organizer: an event on sale with nothing to sell, and a
# hold about to end.
value("INSERT INTO events (organizer_id, title, description, venue, city, timezone, starts_at, "
      "ends_at, status) VALUES (%d, 'Dashboard nothing to sell', 'x', 'Hall', 'Berlin', "
      "'Europe/Berlin', UTC_TIMESTAMP() + INTERVAL 9 DAY, UTC_TIMESTAMP() + INTERVAL 10 DAY, "
      "'published')" % org_id)
held = value("SELECT o.code FROM orders o JOIN events e ON e.id = o.event_id WHERE "
             "e.organizer_id = %d AND o.status = 'held' LIMIT 1" % org_id)
value("UPDATE orders SET hold_expires_at = UTC_TIMESTAMP() + INTERVAL 2 MINUTE "
      "WHERE code = '%s'" % held)
r = org.get("/admin")
attention = r.body.split('id="attention"', 1)[-1].split("</section>", 1)[0]
tap.ok("Dashboard nothing to sell is on sale with no ticket types" in attention,
       "the dashboard flags an event on sale without ticket types")
tap.ok("holds at the checkout ending within 5 minutes" in attention,
       "and holds about to end")
value("UPDATE orders SET hold_expires_at = UTC_TIMESTAMP() + INTERVAL 1 DAY WHERE code = '%s'" % held)
value("DELETE FROM events WHERE title = 'Dashboard nothing to sell'")
other = value("SELECT title FROM events WHERE organizer_id <> %d AND title NOT LIKE '%%<%%' "
              "ORDER BY id LIMIT 1" % org_id)
tap.ok(other.replace("&", "&amp;").replace("'", "&#39;") not in r.body,
       "and none of another organizer's")
tap.is_eq(org.get("/admin/users").status, 403, "an organizer gets 403 on /admin/users")
tap.is_eq(org.get("/admin/audit").status, 403, "and on the audit log")

# ---------------------------------------------------------------- times in the event's zone
def when_in_zone(utc, zone):
    """The public pages' way of writing a start: in the event's zone."""
    t = datetime.strptime(utc, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)
    return t.astimezone(ZoneInfo(zone)).strftime("%a %-d %b %Y, %H:%M %Z")


# A draft late in the UTC evening in Tokyo, where it is already the next day.
value("INSERT INTO events (organizer_id, title, description, venue, city, timezone, "
      "starts_at, ends_at, status) VALUES (%d, 'Zone check', '', 'Hall', 'Tokyo', 'Asia/Tokyo', "
      "'2031-03-04 22:30:00', '2031-03-05 00:30:00', 'draft')" % org_id)
tap.ok(tap.wait_replica(), "replica caught up")
r = org.get("/admin")
tap.ok('<time datetime="2031-03-04T22:30:00Z">Wed 5 Mar 2031, 07:30 JST</time>' in r.body,
       "the admin home shows an event's start in the event's zone, date included")
starts = tap.sql("primary", "SELECT DATE_FORMAT(starts_at, '%%Y-%%m-%%d %%H:%%i:%%s'), timezone "
                 "FROM events WHERE organizer_id = %d" % org_id, database=DB)
shown = [(utc, zone) for utc, zone in starts
         if '<time datetime="%sZ">%s</time>' % (utc.replace(" ", "T"), when_in_zone(utc, zone)) in r.body]
tap.is_eq(len(shown), len(starts), "every one of the organizer's %d events in its own zone" % len(starts))
tap.ok(any(zone not in ("UTC", "Etc/UTC") for _, zone in starts), "zones other than UTC among them")
value("DELETE FROM events WHERE title = 'Zone check' AND organizer_id = %d" % org_id)

# ---------------------------------------------------------------- granting a role
admin = sign_in("admin@tessera.test")
# Changing roles and access needs the password again (test_admin_confirm.py).
r = admin.post("/me/confirm", {"password": "tessera-demo", "next": "/admin/users",
                               "csrf": csrf_of(admin, "/me/confirm")})
tap.is_eq(r.status, 303, "the admin confirms the password for the changes below")
r = admin.get("/admin/users?q=alice")
tap.ok(r.status == 200 and "alice@tessera.test" in r.body, "an admin finds alice")
path = "/admin/users/%d/role" % alice_id

r = admin.post(path, {"role": "organizer"})
tap.is_eq(r.status, 403, "a role change without a CSRF token is refused")
tap.is_eq(value("SELECT role FROM users WHERE id = %d" % alice_id), "attendee", "and changes nothing")
token = csrf_of(admin, "/admin/users")
r = admin.post(path, {"role": "organizer", "csrf": token}, headers={"Origin": "http://evil.example"})
tap.is_eq(r.status, 403, "a cross-origin role change is refused")
r = alice.post(path, {"role": "organizer", "csrf": csrf_of(alice, "/")})
tap.is_eq(r.status, 403, "alice cannot make herself an organizer")
tap.is_eq(value("SELECT role FROM users WHERE id = %d" % alice_id), "attendee", "still an attendee")

r = admin.post(path, {"role": "admin", "csrf": token})
tap.is_eq(r.status, 400, "the admin role cannot be given from the page")
r = admin.post(path, {"role": "organizer", "csrf": token})
tap.is_eq(r.status, 303, "an admin grants the organizer role")
tap.is_eq(value("SELECT role FROM users WHERE id = %d" % alice_id), "organizer", "alice is an organizer")
admin_id = int(value("SELECT id FROM users WHERE email = 'admin@tessera.test'"))
row = tap.sql("primary", "SELECT user_id, action, target, ip FROM audit_log "
              "WHERE action = 'role.organizer' ORDER BY id DESC LIMIT 1", database=DB)
tap.is_eq(row and row[0][:3], [str(admin_id), "role.organizer", "alice@tessera.test"],
          "the audit log records who granted what to whom")
tap.ok(row and row[0][3] == "127.0.0.1", "and from where")
tap.ok(tap.wait_replica(), "replica caught up")
tap.is_eq(alice.get("/admin").status, 200, "alice now sees /admin")
r = admin.get("/admin/audit")
tap.ok(r.status == 200 and "role.organizer" in r.body, "the audit log page shows it")
r = admin.get("/admin/audit?account=ADMIN%40tessera.test&action=role.")
tap.ok(r.status == 200 and "role.organizer" in r.body, "filtered by account and action, it is there")
r = admin.get("/admin/audit?account=alice%40tessera.test&action=role.")
tap.ok(r.status == 200 and "role.organizer" not in r.body and "Nothing recorded matches" in r.body,
       "another account's entries are not")
r = admin.get("/admin/audit?action=role.&from=2000-01-01&to=2000-01-02")
tap.ok("Nothing recorded matches" in r.body, "nor entries outside the days asked for")
today = value("SELECT UTC_DATE()")
r = admin.get("/admin/audit?action=role.organizer&from=%s&to=%s" % (today, today))
tap.ok("role.organizer" in r.body, "today's are, with the day's bounds included")
r = admin.get("/admin/audit?action=role%25")
tap.ok("Nothing recorded matches" in r.body, "a % in the action is a character, not a wildcard")
r = admin.get("/admin/audit?from=2026-02-30")
tap.ok(r.status == 400 and "There is a problem" in r.body, "a day that does not exist is a 400")
r = admin.get("/admin/audit?from=2026-03-02&to=2026-03-01")
tap.ok(r.status == 400 and "ends before it starts" in r.body, "so is a period that ends first")

r = admin.post("/admin/users/%d/role" % admin_id, {"role": "attendee", "csrf": token})
tap.is_eq(r.status, 403, "an admin cannot change their own role")
r = admin.post("/admin/users/999999999/role", {"role": "organizer", "csrf": token})
tap.is_eq(r.status, 404, "an unknown account is 404")
r = admin.post(path, {"role": "attendee", "csrf": token})
tap.is_eq(value("SELECT role FROM users WHERE id = %d" % alice_id), "attendee",
          "the role can be taken back")

r = admin.get("/admin/users?q=" + urllib.parse.quote("%"))
tap.ok(r.status == 200 and "alice@tessera.test" not in r.body,
       "'%' in the search matches only itself")
tap.is_eq(admin.get("/admin/users?q=" + "x" * 101).status, 400, "an overlong search is 400")
tap.is_eq(admin.get("/admin/users?page=0").status, 400, "page 0 is 400")

# ---------------------------------------------------------------- status
tap.sql("primary", "INSERT INTO outbox (topic, payload, attempts, next_attempt_at, last_error) "
        "VALUES ('e2e.unknown', '{}', 10, '9999-12-31 23:59:59', "
        "'gave up after 10 attempts: <b>no handler</b>')", database=DB)
dead_id = value("SELECT MAX(id) FROM outbox WHERE topic = 'e2e.unknown'")
r = admin.get("/admin/status")
tap.is_eq(r.status, 200, "an admin sees /admin/status")
tap.like(r.body, r"<td>\d+ s ago</td>", "with the worker's heartbeat")
tap.ok(re.search(r"ok, \d+ s behind", r.body) is not None, "and the replica's lag in seconds")
tap.ok(tap.worker_stop(), "the worker is stopped")
r = admin.get("/admin/status")
tap.ok("No worker is running" in r.body, "and the status page says no worker is running")
tap.ok(tap.worker_start(), "the worker is started again")
deadline = time.time() + 15
while time.time() < deadline and "No worker is running" in admin.get("/admin/status").body:
    time.sleep(0.3)
tap.ok("No worker is running" not in admin.get("/admin/status").body,
       "and the status page hears from it")
tap.ok(re.search(r"primary</td>\s*<td>ok", r.body), "with the primary ok")
tap.ok(re.search(r"replica</td>\s*<td>ok, \d+ s behind", r.body), "and the replica usable")
tap.ok("&lt;b&gt;no handler&lt;/b&gt;" in r.body and "given up" in r.body,
       "a given-up outbox row is shown with its error, escaped")
tap.is_eq(org.get("/admin/status").status, 403, "an organizer may not see it")
retry = "/admin/outbox/%s/retry" % dead_id
tap.is_eq(admin.post(retry, {}).status, 403, "a retry without a CSRF token is refused")
r = admin.post(retry, {"csrf": csrf_of(admin, "/admin/status")})
tap.is_eq(r.status, 303, "an admin retries the row")
tap.is_eq(value("SELECT next_attempt_at < '9999-01-01' FROM outbox WHERE id = %s" % dead_id), "1",
          "which is no longer given up")
tap.is_eq(value("SELECT COUNT(*) FROM audit_log WHERE action = 'outbox.retry' "
                "AND target = 'outbox %s'" % dead_id), "1", "and the audit log says who retried it")
tap.is_eq(admin.post("/admin/outbox/999999999/retry", {"csrf": csrf_of(admin, "/admin/status")}).status,
          404, "an unknown row is 404")
value("DELETE FROM outbox WHERE id = %s" % dead_id)

# ---------------------------------------------------------------- create-admin
secrets = tap.secrets()
env = dict(os.environ, TESSERA_DB_PRIMARY="unix:" + tap.SOCKETS["primary"], TESSERA_DB_NAME=DB,
           TESSERA_DB_USER="tessera_admin", TESSERA_DB_PASSWORD=secrets["ADMIN_PASSWORD"])
p = subprocess.run([os.path.join(BUILD, "tessera"), "create-admin", "Bob@Tessera.test"], env=env,
                   capture_output=True, text=True, timeout=60)
tap.is_eq((p.returncode, p.stdout.strip()), (0, "bob@tessera.test is now an admin"),
          "tessera create-admin makes an account an admin")
tap.is_eq(value("SELECT role FROM users WHERE email = 'bob@tessera.test'"), "admin", "bob is an admin")
tap.ok(value("SELECT COUNT(*) FROM audit_log WHERE action = 'role.admin' AND target = 'bob@tessera.test'") == "1",
       "and the audit log says so")
p = subprocess.run([os.path.join(BUILD, "tessera"), "create-admin", "nobody@tessera.test"], env=env,
                   capture_output=True, text=True, timeout=60)
tap.ok(p.returncode == 1 and "no account" in p.stderr, "an unknown address is refused clearly")
bob_id = int(value("SELECT id FROM users WHERE email = 'bob@tessera.test'"))
admin.post("/admin/users/%d/role" % bob_id, {"role": "attendee", "csrf": token})
tap.is_eq(value("SELECT role FROM users WHERE id = %d" % bob_id), "admin",
          "another admin cannot be demoted from the page")
value("UPDATE users SET role = 'attendee' WHERE id = %d" % bob_id)

# ---------------------------------------------------------------- disabling
NO_CACHE = {"Cookie": "tessera_session=not-signed-in"}   # past the micro-cache
org2 = sign_in("organizer2@tessera.test")
org2_id = int(value("SELECT id FROM users WHERE email = 'organizer2@tessera.test'"))
their_event = int(value("SELECT MIN(id) FROM events WHERE organizer_id = %d AND status = "
                        "'published' AND ends_at > UTC_TIMESTAMP()" % org2_id))
their_city = value("SELECT city FROM events WHERE id = %d" % their_event)
listing = "/events?city=%s" % urllib.parse.quote(their_city)
tap.is_eq(tap.get("/events/%d" % their_event, headers=NO_CACHE).status, 200,
          "organizer2's event is public")
link = 'href="/events/%d"' % their_event
tap.ok(link in tap.get(listing, headers=NO_CACHE).body, "and listed in its city")
r = admin.post("/admin/users/%d/access" % org2_id, {"action": "disable"})
tap.is_eq((r.status, value("SELECT disabled_at IS NULL FROM users WHERE id = %d" % org2_id)),
          (403, "1"), "disabling without the CSRF token is refused")
token = csrf_of(admin, "/admin/users")
r = admin.post("/admin/users/%d/access" % org2_id, {"action": "disable", "csrf": token})
tap.is_eq((r.status, r.headers.get("Location")), (303, "/admin/users?done=disabled"),
          "a site admin disables organizer2")
tap.is_eq(int(value("SELECT COUNT(*) FROM sessions WHERE user_id = %d" % org2_id)), 0,
          "their sessions are gone")
tap.ok(org2.get("/admin").status in (302, 303), "their browser is signed out at once")
tap.wait_replica()
c = tap.Client()
r = c.post("/login", {"email": "organizer2@tessera.test", "password": "tessera-demo",
                      "csrf": tap.form_value(c.get("/login").body, "csrf")})
tap.ok(r.status != 303 and "disabled" in r.body, "and cannot sign in (%d)" % r.status)
tap.is_eq(tap.get("/events/%d" % their_event, headers=NO_CACHE).status, 404,
          "their events are hidden")
tap.ok(link not in tap.get(listing, headers=NO_CACHE).body, "and left out of the list")
page = admin.get("/admin/users?q=organizer2")
tap.ok("<strong>disabled</strong>" in page.body, "the accounts page shows them disabled")
tap.is_eq(int(value("SELECT COUNT(*) FROM audit_log WHERE action = 'account.disable' "
                    "AND target = 'organizer2@tessera.test'")), 1, "the audit log has it")
r = admin.post("/admin/users/%d/access" % admin_id, {"action": "disable", "csrf": token})
tap.is_eq(r.status, 403, "an admin cannot disable their own account")
r = admin.post("/admin/users/%d/access" % org2_id, {"action": "enable", "csrf": token})
tap.is_eq(r.status, 303, "and enables organizer2 again")
tap.wait_replica()
tap.is_eq(tap.get("/events/%d" % their_event, headers=NO_CACHE).status, 200,
          "whose events are back")
tap.is_eq(alice.post("/admin/users/%d/access" % org2_id,
                     {"action": "disable", "csrf": csrf_of(alice, "/me")}).status, 403,
          "an attendee cannot disable anyone")

tap.done()
