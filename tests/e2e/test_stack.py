#!/usr/bin/env python3
"""End-to-end checks of the infrastructure itself: replication, accounts and
their grants, the demo data's invariants, nginx's routing, static files and
what it refuses, and the site surviving a replica outage."""

import os
import re
import signal
import stat
import time
import uuid

import tap

RUN = os.path.join(tap.VAR, "run")
PORTS = {
    "http": int(tap.URL.rsplit(":", 1)[1].split("/")[0]),
    "primary": int(os.environ.get("TESSERA_TEST_PRIMARY_PORT", "13307")),
    "replica": int(os.environ.get("TESSERA_TEST_REPLICA_PORT", "13308")),
}
DB = tap.DB_NAME
PROBE = "stack_e2e"


def denied(rc, err):
    return rc != 0 and ("denied" in err.lower() or "read-only" in err.lower())

# ------------------------------------------------------------------ processes


def check_processes():
    for name in ("browse", "app", "admin", "fixed"):
        path = os.path.join(RUN, name + ".sock")
        tap.ok(os.path.exists(path) and stat.S_ISSOCK(os.stat(path).st_mode),
               "socket of tessera-%s exists: %s" % (name, path))
    try:
        with open(os.path.join(RUN, "worker.pid")) as f:
            os.kill(int(f.read().strip()), 0)
        tap.ok(True, "tessera-worker is running")
    except (OSError, ValueError) as e:
        tap.ok(False, "tessera-worker is running (%s)" % e)


def listeners():
    """(address hex, port) of every listening TCP socket on the machine."""
    out = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if cols[3] == "0A":
                        addr, port = cols[1].split(":")
                        out.append((addr, int(port, 16)))
        except OSError:
            pass
    return out


def check_listen_addresses():
    found = listeners()
    for what, port in PORTS.items():
        addrs = [a for a, p in found if p == port]
        tap.ok(addrs and all(a == "0100007F" for a in addrs),
               "%s port %d listens on 127.0.0.1 only (%s)" % (what, port, addrs))

# ------------------------------------------------------------------ replication


def check_replication():
    st = tap.sql_dict("replica", "SHOW REPLICA STATUS")
    tap.is_eq(st.get("Slave_IO_Running"), "Yes", "replica IO thread running")
    tap.is_eq(st.get("Slave_SQL_Running"), "Yes", "replica SQL thread running")
    tap.is_eq(st.get("Using_Gtid"), "Slave_Pos", "replica uses GTID (slave_pos)")
    tap.is_eq(st.get("Master_Port"), str(PORTS["primary"]), "replica follows the primary's port")
    tap.is_eq(tap.sql_value("replica", "SELECT @@read_only"), "1", "replica is read-only")
    tap.is_eq(tap.sql_value("primary", "SELECT @@server_id"), "1", "primary server_id 1")
    tap.is_eq(tap.sql_value("replica", "SELECT @@server_id"), "2", "replica server_id 2")
    tap.is_eq(tap.sql_value("primary", "SELECT @@binlog_format"), "ROW", "primary binlog_format ROW")
    tap.is_eq(tap.sql_value("primary", "SELECT @@gtid_strict_mode"), "1", "primary gtid_strict_mode")
    tap.is_eq(tap.sql_value("replica", "SELECT @@log_bin"), "1", "replica keeps a binlog (can be promoted)")

    tap.sql("primary", "CREATE DATABASE IF NOT EXISTS %s; "
            "CREATE TABLE IF NOT EXISTS %s.probe (id INT AUTO_INCREMENT PRIMARY KEY, "
            "token VARCHAR(64) NOT NULL)" % (PROBE, PROBE))
    token = uuid.uuid4().hex
    tap.sql("primary", "INSERT INTO %s.probe (token) VALUES ('%s')" % (PROBE, token))
    tap.ok(tap.wait_replica(10), "replica catches up with the primary's GTID")
    tap.is_eq(tap.sql_value("replica", "SELECT COUNT(*) FROM %s.probe WHERE token = '%s'"
                            % (PROBE, token)), "1", "a row written on the primary is on the replica")
    for table in ("events", "tickets", "users"):
        q = "SELECT COUNT(*) FROM %s.%s" % (DB, table)
        tap.is_eq(tap.sql_value("replica", q), tap.sql_value("primary", q),
                  "replica has the primary's %s" % table)

# ------------------------------------------------------------------ accounts


def privileges(text):
    """{privilege, ...} of a GRANT's list, columns sorted: "SELECT (b, a),
    INSERT" -> {"SELECT (a, b)", "INSERT"}."""
    out, depth, cur = set(), 0, ""
    for ch in text.replace("`", "") + ",":
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            m = re.match(r"\s*([A-Z ]+?)\s*(?:\((.*)\))?\s*$", cur)
            cols = sorted(c.strip() for c in m.group(2).split(",")) if m.group(2) else []
            out.add(m.group(1) + (" (%s)" % ", ".join(cols) if cols else ""))
            cur = ""
        else:
            cur += ch
    return frozenset(out)


def grants_of(server, user, host):
    """{on: privileges} of SHOW GRANTS: on is *.*, tessera.* or a table."""
    rows = tap.sql(server, "SHOW GRANTS FOR '%s'@'%s'" % (user, host))
    out = {}
    for (line,) in rows:
        m = re.match(r"GRANT (.+?) ON (\S+) TO ", line)
        if m:
            on = m.group(2).replace("`", "")
            out[on.split(".", 1)[1] if on.startswith(DB + ".") and on != DB + ".*" else on] = \
                privileges(m.group(1))
    return out


# What each account may do, as sql/database.sql and sql/grants.sql say:
# on *.*, the whole database, or a table (its name alone).
EXPECTED_GRANTS = {
    "tessera_migrate": {"*.*": "USAGE", DB + ".*": "ALL PRIVILEGES"},
    "tessera_browse": {
        "*.*": "SLAVE MONITOR",
        "events": "SELECT", "ticket_types": "SELECT", "reviews": "SELECT",
        "sessions": "SELECT", "pictures": "SELECT", "picture_likes": "SELECT",
        "picture_purchases": "SELECT", "orders": "SELECT (id, status)",
        "users": "SELECT (id, email, display_name, role, email_verified_at, "
                 "disabled_at, deleted_at, unread_notifications)",
    },
    "tessera_app": {
        "*.*": "SLAVE MONITOR",
        "users": "SELECT, INSERT (email, display_name, password_hash, password_changed_at), "
                 "UPDATE (email, display_name, password_hash, password_changed_at, "
                 "email_verified_at, deleted_at, unread_notifications)",
        "sessions": "SELECT, INSERT, UPDATE, DELETE",
        "account_tokens": "SELECT, INSERT, UPDATE, DELETE",
        "login_throttle": "SELECT, INSERT, UPDATE, DELETE",
        "audit_log": "INSERT", "outbox": "INSERT",
        "events": "SELECT, UPDATE (rating_sum, rating_count, rating_1, rating_2, "
                  "rating_3, rating_4, rating_5)",
        "ticket_types": "SELECT, UPDATE", "orders": "SELECT, INSERT, UPDATE",
        "order_lines": "SELECT, INSERT", "order_history": "SELECT, INSERT",
        "tickets": "SELECT, INSERT, UPDATE", "payment_events": "INSERT",
        "reviews": "SELECT, INSERT (event_id, author_id, rating, comment), "
                   "UPDATE (rating, comment, updated_at, reply, replied_at, reports), "
                   "DELETE",
        "review_reports": "INSERT",
        "notifications": "SELECT, UPDATE (read_at, open_subject)",
        "notification_prefs": "SELECT, INSERT, UPDATE",
        "pictures": "SELECT, INSERT, UPDATE (title, description, price_cents, licence, "
                    "like_count, updated_at, sales_count, sales_cents, event_id), DELETE",
        "picture_likes": "SELECT, INSERT, DELETE",
        "picture_reports": "INSERT (picture_id, reporter_id, reason)",
        "picture_purchases": "SELECT, INSERT, DELETE",
    },
    "tessera_admin": {
        "*.*": "SLAVE MONITOR",
        "users": "SELECT (id, email, display_name, role, email_verified_at, disabled_at, "
                 "deleted_at, created_at, unread_notifications), "
                 "UPDATE (role, disabled_at, unread_notifications)",
        "sessions": "SELECT, UPDATE, DELETE", "audit_log": "SELECT, INSERT",
        "outbox": "SELECT, INSERT, UPDATE", "events": "SELECT, INSERT, UPDATE, DELETE",
        "ticket_types": "SELECT, INSERT, UPDATE, DELETE", "orders": "SELECT, UPDATE",
        "order_lines": "SELECT", "order_history": "SELECT, INSERT",
        "tickets": "SELECT, UPDATE (checked_in_at)",
        "event_staff": "SELECT, INSERT, DELETE", "worker_heartbeat": "SELECT",
        "reviews": "SELECT, UPDATE (hidden_at, hidden_by)", "review_reports": "SELECT",
        "notifications": "INSERT", "notification_prefs": "SELECT",
        "pictures": "SELECT, UPDATE (status), DELETE",
        "picture_reports": "SELECT, UPDATE (resolved_at)",
    },
    "tessera_worker": {
        "*.*": "USAGE",
        "outbox": "SELECT, INSERT, UPDATE", "orders": "SELECT, UPDATE",
        "order_history": "INSERT", "tickets": "SELECT", "ticket_types": "SELECT, UPDATE",
        "order_lines": "SELECT", "events": "SELECT, UPDATE (reminded_at)",
        "event_reminders": "SELECT, INSERT", "organizer_digests": "SELECT, INSERT",
        "users": "SELECT (id, email, display_name, disabled_at, unread_notifications), "
                 "UPDATE (unread_notifications)",
        "notifications": "SELECT (id, user_id, kind, open_subject, actors), INSERT, "
                         "UPDATE (actors, updated_at)",
        "notification_prefs": "SELECT",
        "worker_heartbeat": "SELECT, INSERT, UPDATE, DELETE",
        "sessions": "SELECT, DELETE", "account_tokens": "SELECT, DELETE",
        "login_throttle": "SELECT, DELETE",
        "pictures": "SELECT, UPDATE (status, thumb_width, thumb_height, preview_width, "
                    "preview_height)",
    },
}


def check_grants(when):
    for server in ("primary", "replica"):
        for user, want in EXPECTED_GRANTS.items():
            want = {on: privileges(p) for on, p in want.items()}
            for host in ("localhost", "127.0.0.1"):
                try:
                    got = grants_of(server, user, host)
                except tap.SqlError as e:
                    got = str(e)
                tap.is_eq(got, want, "%s: %s@%s has exactly its grants%s"
                          % (server, user, host, when))


def run_accounts_sql(name, pw):
    with open(os.path.join(tap.SRC, "sql", name)) as f:
        text = f.read()
    text = re.sub(r"@([A-Z]+_PASSWORD)@", lambda m: pw[m.group(1)], text)
    rc, _, err = tap.sql_run("primary", text)
    tap.ok(rc == 0, "sql/%s runs again (%s)" % (name, err))


def check_accounts():
    pw = tap.secrets()
    check_grants("")

    def as_(user, server, query):
        key = user.replace("tessera_", "").upper() + "_PASSWORD"
        return tap.sql_run(server, query, user=user, password=pw[key], database=DB)

    def may(user, query, what, server="primary"):
        rc, _, err = as_(user, server, "START TRANSACTION; %s; ROLLBACK" % query)
        tap.ok(rc == 0, "%s may %s (rolled back) (%s)" % (user, what, err))

    def may_not(user, query, what, server="primary"):
        rc, _, err = as_(user, server, query)
        tap.ok(denied(rc, err), "%s cannot %s (%s)" % (user, what, err))

    rc, rows, err = as_("tessera_browse", "replica", "SELECT COUNT(*) FROM events")
    tap.ok(rc == 0 and int(rows[0][0]) > 0, "tessera_browse reads events on the replica")
    rc, rows, err = as_("tessera_browse", "replica",
                        "SELECT display_name FROM users WHERE id = (SELECT MIN(organizer_id) "
                        "FROM events)")
    tap.ok(rc == 0 and rows, "tessera_browse reads an organizer's name (%s)" % err)
    may_not("tessera_browse", "SELECT password_hash FROM users LIMIT 1",
            "read users.password_hash", "replica")
    # Of orders it reads only id and status (whether a purchase is still
    # paid), never who bought what for how much.
    may_not("tessera_browse", "SELECT buyer_id, total_cents FROM orders",
            "read orders' buyers and totals", "replica")
    may_not("tessera_browse", "INSERT INTO audit_log (action) VALUES ('e2e-should-fail')",
            "INSERT")
    may_not("tessera_browse", "UPDATE events SET title = title WHERE id = 0", "UPDATE")
    may_not("tessera_browse", "CREATE TABLE e2e_nope (a INT)", "CREATE TABLE")
    rc, _, err = as_("tessera_browse", "replica", "SHOW REPLICA STATUS")
    tap.ok(rc == 0, "tessera_browse may read SHOW REPLICA STATUS (%s)" % err)

    audit = "INSERT INTO audit_log (action) VALUES ('e2e-grant-probe')"
    may("tessera_app", audit, "append to the audit log")
    may("tessera_admin", audit, "append to the audit log")
    may_not("tessera_worker", audit, "append to the audit log")
    for user in ("tessera_app", "tessera_admin", "tessera_worker"):
        may_not(user, "UPDATE audit_log SET detail = '' WHERE id = 0", "change the audit log")
        may_not(user, "DELETE FROM audit_log WHERE id = 0", "delete from the audit log")
        may_not(user, "DELETE FROM orders WHERE id = 0", "DELETE orders")
        may_not(user, "CREATE TABLE e2e_nope (a INT)", "CREATE TABLE")
        may_not(user, "SELECT COUNT(*) FROM %s.probe" % PROBE, "read another database")
        rc, _, err = as_(user, "replica", "SHOW REPLICA STATUS")
        if user == "tessera_worker":
            tap.ok(denied(rc, err), "%s cannot read replica status (%s)" % (user, err))
        else:
            tap.ok(rc == 0, "%s may read replica status to skip a lagging one (%s)" % (user, err))

    may("tessera_app", "INSERT INTO users (email, display_name, password_hash, "
        "password_changed_at) VALUES ('e2e-grant-probe@tessera.test', 'Probe', '!', "
        "UTC_TIMESTAMP())", "sign someone up")
    may_not("tessera_app", "INSERT INTO users (email, display_name, password_hash, role) "
            "VALUES ('e2e-grant-probe@tessera.test', 'Probe', '!', 'admin')",
            "sign up an admin")
    may_not("tessera_app", "UPDATE users SET role = 'admin' WHERE id = 0",
            "change anyone's role")
    may_not("tessera_app", "SELECT COUNT(*) FROM audit_log", "read the audit log")
    may_not("tessera_app", "SELECT COUNT(*) FROM outbox", "read the outbox")
    may("tessera_admin", "UPDATE users SET role = role WHERE id = 0", "change a role")
    may_not("tessera_admin", "SELECT password_hash FROM users LIMIT 1",
            "read users.password_hash")
    may_not("tessera_admin", "UPDATE users SET password_hash = '!' WHERE id = 0",
            "set a password hash")
    may_not("tessera_admin", "INSERT INTO users (email, display_name, password_hash) "
            "VALUES ('e2e-grant-probe@tessera.test', 'Probe', '!')", "INSERT users")
    may("tessera_admin", "UPDATE tickets SET checked_in_at = UTC_TIMESTAMP() WHERE id = 0",
        "check a ticket in")
    may_not("tessera_admin", "UPDATE tickets SET attendee_name = '' WHERE id = 0",
            "rename a ticket's attendee")
    may("tessera_worker", "DELETE FROM sessions WHERE expires_at < '2000-01-01'",
        "purge expired sessions")
    may_not("tessera_worker", "INSERT INTO users (email, display_name, password_hash) "
            "VALUES ('e2e-grant-probe@tessera.test', 'Probe', '!')", "INSERT users")
    may_not("tessera_worker", "SELECT password_hash FROM users LIMIT 1",
            "read password hashes")
    may_not("tessera_worker", "UPDATE events SET status = status WHERE id = 0",
            "change an event")
    rc, _, err = as_("tessera_app", "replica", audit)
    tap.ok(denied(rc, err), "writes on the read-only replica fail (%s)" % err)
    rc, _, err = as_("tessera_migrate", "primary", "SELECT COUNT(*) FROM mysql.user")
    tap.ok(denied(rc, err), "tessera_migrate cannot read mysql.user (%s)" % err)

    # An install from before the grants per table had these on the whole
    # database; running the files again takes them back.
    tap.sql("primary", "GRANT SELECT, INSERT, UPDATE, DELETE ON %s.* TO "
            "'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1'; "
            "GRANT DELETE ON %s.orders TO 'tessera_app'@'localhost'" % (DB, DB))
    run_accounts_sql("database.sql", pw)
    run_accounts_sql("grants.sql", pw)
    tap.ok(tap.wait_replica(10), "the replica has the grants again")
    check_grants(" after sql/database.sql and sql/grants.sql ran again")

    # The same account over TCP, as a program on another host would connect.
    import subprocess
    p = subprocess.run(["mariadb", "--no-defaults", "--user=tessera_app",
                        "--host=127.0.0.1", "--port=%d" % PORTS["primary"],
                        "--protocol=TCP", "-N", "-B", "-e", "SELECT CURRENT_USER()"],
                       env=dict(os.environ, MYSQL_PWD=pw["APP_PASSWORD"]),
                       capture_output=True, text=True, timeout=30)
    tap.is_eq(p.stdout.strip(), "tessera_app@127.0.0.1",
              "tessera_app connects over TCP 127.0.0.1 (%s)" % p.stderr.strip())

# ------------------------------------------------------------------ demo data


def n(query):
    return int(tap.sql_value("primary", query, database=DB))


def check_demo_data():
    tap.ok(n("SELECT COUNT(*) FROM events") >= 60, "at least 60 demo events")
    tap.ok(n("SELECT COUNT(DISTINCT city) FROM events") >= 6, "events in at least 6 cities")
    tap.ok(n("SELECT COUNT(*) FROM events WHERE status = 'published' "
             "AND starts_at > UTC_TIMESTAMP()") >= 30, "many upcoming published events")
    tap.ok(n("SELECT COUNT(*) FROM events WHERE status = 'published' "
             "AND ends_at < UTC_TIMESTAMP()") >= 10, "past published events")
    tap.ok(n("SELECT COUNT(*) FROM events WHERE status = 'draft'") >= 1, "draft events")
    tap.ok(n("SELECT COUNT(*) FROM events WHERE status = 'cancelled'") >= 1, "cancelled events")
    tap.is_eq(n("SELECT COUNT(*) FROM users WHERE role = 'organizer'") >= 3, True, "3 organizers")
    tap.ok(n("SELECT COUNT(*) FROM users WHERE role = 'attendee'") >= 20, "20+ attendees")
    for email, role in (("admin@tessera.test", "admin"), ("organizer@tessera.test", "organizer"),
                        ("alice@tessera.test", "attendee")):
        tap.is_eq(tap.sql_value("primary", "SELECT role FROM users WHERE email = '%s'" % email,
                                database=DB), role, "%s is %s" % (email, role))
    tap.is_eq(n("SELECT COUNT(*) FROM users WHERE password_hash NOT LIKE '$s1$%' "
                "AND deleted_at IS NULL"), 0,
              "every live account's password is a libscrypt MCF hash")
    tap.is_eq(n("SELECT COUNT(*) FROM ticket_types tt WHERE tt.sold <> "
                "(SELECT COUNT(*) FROM tickets t JOIN orders o ON o.id = t.order_id "
                " WHERE t.ticket_type_id = tt.id AND o.status = 'paid')"), 0,
              "ticket_types.sold equals the recount of paid tickets")
    tap.is_eq(n("SELECT COUNT(*) FROM ticket_types WHERE sold + held > quota"), 0,
              "no ticket type is oversold")
    tap.ok(n("SELECT COUNT(*) FROM ticket_types WHERE sold = quota AND quota > 0") >= 1,
           "some ticket types are sold out")
    tap.is_eq(n("SELECT COUNT(*) FROM events e WHERE (e.rating_sum, e.rating_count, "
                "e.rating_1, e.rating_2, e.rating_3, e.rating_4, e.rating_5) <> "
                "(SELECT COALESCE(SUM(r.rating), 0), COUNT(*), "
                "COALESCE(SUM(r.rating = 1), 0), COALESCE(SUM(r.rating = 2), 0), "
                "COALESCE(SUM(r.rating = 3), 0), COALESCE(SUM(r.rating = 4), 0), "
                "COALESCE(SUM(r.rating = 5), 0) FROM reviews r "
                "WHERE r.event_id = e.id AND r.hidden_at IS NULL)"), 0,
              "events' rating counters equal the recount of shown reviews")
    tap.ok(n("SELECT COUNT(*) FROM reviews WHERE hidden_at IS NOT NULL") >= 1,
           "a reported review is hidden")
    tap.ok(n("SELECT COUNT(*) FROM reviews WHERE reply IS NOT NULL") >= 1,
           "organizers replied to reviews")
    tap.is_eq(n("SELECT COUNT(*) FROM users u WHERE u.unread_notifications <> "
                "(SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id "
                "AND n.read_at IS NULL)"), 0,
              "users.unread_notifications equals the recount of unread notifications")
    tap.ok(n("SELECT COUNT(*) FROM notifications WHERE read_at IS NULL") >= 1 and
           n("SELECT COUNT(*) FROM notifications WHERE read_at IS NOT NULL") >= 1,
           "demo notifications, read and unread")
    tap.ok(n("SELECT COUNT(*) FROM reviews") > 0, "there are reviews")
    tap.is_eq(n("SELECT COUNT(*) FROM reviews r JOIN events e ON e.id = r.event_id "
                "WHERE e.starts_at > UTC_TIMESTAMP()"), 0,
              "reviews only for events that have started")
    tap.is_eq(n("SELECT COUNT(*) FROM orders WHERE code NOT REGEXP BINARY '^[A-Z2-9]{16}$'"), 0,
              "order codes are 16 characters of [A-Z2-9]")
    tap.is_eq(n("SELECT COUNT(*) FROM tickets WHERE code NOT REGEXP BINARY '^[A-Z2-9]{24}$'"), 0,
              "ticket codes are 24 characters of [A-Z2-9]")
    tap.ok(n("SELECT COUNT(*) FROM orders o JOIN users u ON u.id = o.buyer_id "
             "JOIN events e ON e.id = o.event_id WHERE u.email = 'alice@tessera.test' "
             "AND o.status = 'paid' AND e.starts_at > UTC_TIMESTAMP()") >= 1,
           "alice has tickets for upcoming events")
    tap.is_eq(n("SELECT COUNT(*) FROM events WHERE status = 'published' AND title LIKE "
                "'%<script>alert(\"x\")</script> & ''quotes''%'"), 1,
              "the hostile event is there and published")

# ------------------------------------------------------------------ nginx


ROUTES = [
    ("GET", "/", "browse"), ("GET", "/events", "browse"), ("GET", "/events/1", "browse"),
    ("GET", "/events/1.ics", "browse"), ("GET", "/pictures", "browse"),
    ("GET", "/pictures/1", "browse"), ("GET", "/healthz", "browse"),
    ("GET", "/metrics", "browse"), ("GET", "/administrator", "browse"),
    ("GET", "/meetups", "browse"), ("GET", "/events/1/book/extra", "browse"),
    ("GET", "/admin", "admin"), ("GET", "/admin/events/new", "admin"),
    ("GET", "/admin/users", "admin"),
    ("GET", "/register", "app"), ("GET", "/login", "app"), ("POST", "/logout", "app"),
    ("GET", "/verify", "app"), ("GET", "/password/forgot", "app"), ("GET", "/me", "app"),
    ("GET", "/me/tickets", "app"), ("GET", "/orders/ABCDEFGHJKLMNPQR/checkout", "app"),
    ("GET", "/tickets/ABCDEFGHJKLMNPQRSTUVWXYZ", "app"), ("POST", "/events/1/book", "app"),
    ("POST", "/events/1/reviews", "app"), ("POST", "/pictures", "app"),
    ("POST", "/pictures/1/like", "app"), ("POST", "/pictures/1/buy", "app"),
    ("GET", "/pictures/1/original", "app"),
    ("GET", "/bench/fixed", "fixed"),
]


def check_routing():
    tag = uuid.uuid4().hex[:12]
    for i, (method, path, _) in enumerate(ROUTES):
        tap.request(method, "%s?route_probe=%s-%d" % (path, tag, i),
                    body=b"" if method == "POST" else None,
                    headers={"Content-Type": "application/x-www-form-urlencoded"}
                    if method == "POST" else None)
    log = os.path.join(tap.VAR, "log", "nginx-access.log")
    seen = {}
    deadline = time.time() + 5          # the access log is flushed every second
    while time.time() < deadline and len(seen) < len(ROUTES):
        time.sleep(0.5)
        with open(log, errors="replace") as f:
            for line in f:
                m = re.search(r"route_probe=%s-(\d+) .*upstream=(\S+)" % tag, line)
                if m:
                    seen[int(m.group(1))] = m.group(2)
    for i, (method, path, want) in enumerate(ROUTES):
        got = seen.get(i, "(no log line)")
        tap.ok(got.endswith("/%s.sock" % want),
               "%s %s goes to tessera-%s (%s)" % (method, path, want, got))


def check_static():
    r = tap.get("/static/unavailable.html")
    tap.is_eq(r.status, 200, "GET /static/unavailable.html")
    tap.like(r.headers.get("Content-Type", ""), r"^text/html", "static HTML has its type")
    m = re.search(r"max-age=(\d+)", r.headers.get("Cache-Control", ""))
    tap.ok(m and int(m.group(1)) >= 86400,
           "static files are cached long (Cache-Control: %s)" % r.headers.get("Cache-Control"))
    tap.is_eq(r.headers.get("Server"), "nginx", "nginx does not tell its version")
    tap.ok("<script" not in r.body.lower(), "the unavailable page has no script")

    css = os.path.join(tap.SRC, "static", "style.css")
    if os.path.exists(css) and os.path.getsize(css) > 1024:
        r = tap.get("/static/style.css", {"Accept-Encoding": "gzip"})
        tap.is_eq(r.headers.get("Content-Encoding"), "gzip", "CSS is gzipped")
    else:
        tap.skip("CSS is gzipped", "no static/style.css over 1 KB")

    r = tap.get("/static/")
    tap.ok(r.status in (403, 404), "no directory listing of /static/ (%d)" % r.status)

    # A link's token never reaches the access log.
    secret = "LogProbe" + uuid.uuid4().hex
    tap.get("/password/reset?token=" + secret)
    tap.get("/verify?token=%s&x=1" % secret)
    log = os.path.join(tap.VAR, "log", "nginx-access.log")
    deadline, lines = time.time() + 5, []
    while time.time() < deadline and len(lines) < 2:
        time.sleep(0.5)
        with open(log, errors="replace") as f:
            lines = [l for l in f if "token=[hidden]" in l and
                     ("/password/reset" in l or "/verify" in l)]
    with open(log, errors="replace") as f:
        leaked = [l for l in f if secret in l]
    tap.ok(lines and not leaked, "a link's token is hidden in the access log (%d lines, "
           "%d leaked)" % (len(lines), len(leaked)))

    # Static files carry the pages' security headers, word for word.
    page = tap.get("/login")
    for path in ("/static/style.css", "/static/unavailable.html"):
        r = tap.get(path)
        for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
                     "Referrer-Policy", "Cross-Origin-Opener-Policy", "Permissions-Policy"):
            tap.is_eq(r.headers.get(name), page.headers.get(name),
                      "%s has the pages' %s" % (path, name))

    with open(os.path.join(tap.SRC, "stack")) as f:
        marker = f.read(2000).splitlines()[1]  # the script's second line
    for path in ("/static/../stack", "/static/..%2fstack", "/static/%2e%2e/stack",
                 "/static/..%2F..%2Fetc/passwd", "/static/../../../../etc/passwd",
                 "/static//../stack", "/static/.%2e/stack"):
        r = tap.get(path)
        leaked = r.status == 200 and (marker in r.body or "root:x:0:0" in r.body)
        tap.ok(not leaked, "%s is refused (status %d)" % (path, r.status))


def check_pages_and_cache():
    r = tap.get("/events")
    tap.is_eq(r.status, 200, "GET /events through nginx")
    if r.status == 200:
        r2 = tap.get("/events")
        tap.ok(r2.headers.get("X-Micro-Cache") != "HIT",
               "micro-cache is off in the test stack (X-Micro-Cache: %s)"
               % r2.headers.get("X-Micro-Cache"))
        r = tap.get("/events", {"Accept-Encoding": "gzip"})
        tap.is_eq(r.headers.get("Content-Encoding"), "gzip", "HTML pages are gzipped")
    else:
        tap.skip("micro-cache is off in the test stack", "/events is not 200")
        tap.skip("HTML pages are gzipped", "/events is not 200")
    r = tap.get("/metrics")
    tap.ok(r.status != 403, "/metrics is allowed from 127.0.0.1 (%d)" % r.status)
    # Announce a body over the forms' 64 KiB but send none: nginx must
    # answer from the headers.
    r = tap.request("POST", "/login", headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(64 * 1024 + 1)})
    tap.is_eq(r.status, 413, "bodies over 64 KiB are refused by nginx")
    tap.ok("<h1>Too large</h1>" in r.body, "with the site's own page")

# ------------------------------------------------------------------ outages


def check_replica_outage():
    tap.ok(tap.replica_stop(), "./stack replica stop")
    tap.ok(not os.path.exists(tap.SOCKETS["replica"]), "the replica is down")
    for path in ("/", "/events"):
        r = tap.get(path)
        tap.is_eq(r.status, 200, "GET %s is still served with the replica down" % path)
    token = uuid.uuid4().hex
    tap.sql("primary", "INSERT INTO %s.probe (token) VALUES ('%s')" % (PROBE, token))
    tap.ok(tap.replica_start(), "./stack replica start")
    tap.ok(tap.wait_replica(30), "the replica catches up after the outage")
    tap.is_eq(tap.sql_value("replica", "SELECT COUNT(*) FROM %s.probe WHERE token = '%s'"
                            % (PROBE, token)), "1", "a write made during the outage arrives")
    st = tap.sql_dict("replica", "SHOW REPLICA STATUS")
    tap.ok(st.get("Slave_IO_Running") == "Yes" and st.get("Slave_SQL_Running") == "Yes",
           "replication runs again")


def check_program_down():
    """Last: stops tessera-fixed (used only by ./stack bench)."""
    try:
        with open(os.path.join(RUN, "fixed.pid")) as f:
            pid = int(f.read().strip())
        os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError) as e:
        tap.ok(False, "stop tessera-fixed (%s)" % e)
        return
    deadline = time.time() + 15
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.2)
    r = tap.get("/bench/fixed")
    tap.is_eq(r.status, 503, "a program that is down gives 503")
    tap.ok("Temporarily unavailable" in r.body, "... with the static unavailable page")


def main():
    check_processes()
    check_listen_addresses()
    check_replication()
    check_accounts()
    check_demo_data()
    check_routing()
    check_static()
    check_pages_and_cache()
    check_replica_outage()
    check_program_down()
    tap.sql("primary", "DROP DATABASE IF EXISTS %s" % PROBE)
    tap.done()


main()
