"""What the booking and payment tests set up alike: an event of their own
with ticket types, a demo account signed in, and waiting for an order's
status (the worker's expiry). Standard library only."""

import base64
import contextlib
import email
import email.policy
import glob
import hashlib
import os
import random
import re
import signal
import subprocess
import tempfile
import time
import urllib.parse

import tap

DB = tap.DB_NAME
CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def value(q):
    return tap.sql_value("primary", q, database=DB)


def new_event(title, types):
    """A published event a month from now, with ticket types
    [(name, price in cents, quota, max per order, max per account)];
    returns (event id, [type ids])."""
    org = value("SELECT id FROM users WHERE email = 'organizer@tessera.test'")
    value("INSERT INTO events (organizer_id, title, description, venue, city, "
          "timezone, starts_at, ends_at, status) VALUES (%s, '%s', 'Test.', "
          "'Hall', 'Berlin', 'Europe/Berlin', UTC_TIMESTAMP() + INTERVAL 30 DAY, "
          "UTC_TIMESTAMP() + INTERVAL 30 DAY + INTERVAL 2 HOUR, 'published')"
          % (org, title))
    ev = int(value("SELECT MAX(id) FROM events WHERE title = '%s'" % title))
    ids = []
    for i, (name, price, quota, most, cap) in enumerate(types):
        value("INSERT INTO ticket_types (event_id, name, price_cents, currency, "
              "quota, max_per_order, max_per_account, sort_order) VALUES "
              "(%d, '%s', %d, 'EUR', %d, %d, %d, %d)"
              % (ev, name, price, quota, most, cap, i))
        ids.append(int(value("SELECT MAX(id) FROM ticket_types WHERE event_id = %d"
                             % ev)))
    return ev, ids


_made = []


def account(name, role="attendee"):
    """A verified account of this run's own, with the demo password and the
    given role, for a test that changes or locks it: (email, id)."""
    _made.append(name)
    who = "%s-%d-%d-%d@example.com" % (name, os.getpid(), int(time.time()), len(_made))
    value("INSERT INTO users (email, display_name, password_hash, role, email_verified_at) "
          "SELECT '%s', 'Test %s', password_hash, '%s', UTC_TIMESTAMP() FROM users "
          "WHERE email = 'alice@tessera.test'" % (who, name, role))
    return who, int(value("SELECT id FROM users WHERE email = '%s'" % who))


def ready_picture(owner, title, price=0, status="ready", licence="cc_by",
                  preview=(640, 480)):
    """A processed picture of owner's, as an upload and the worker leave
    it, with an original on disk and the preview size given (the original
    twice its size when the preview is 1600 wide, as the worker makes it):
    (id, storage key)."""
    key = os.urandom(16).hex()
    data = b"original bytes of " + key.encode()
    with open(os.path.join(tap.VAR, "media", "originals", key), "wb") as f:
        f.write(data)
    pw, ph = preview
    scale = 2 if pw >= 1600 else 1
    value("INSERT INTO pictures (owner_id, title, price_cents, licence, format, "
          "width, height, bytes, sha256, storage_key, status, thumb_width, "
          "thumb_height, preview_width, preview_height) VALUES (%d, '%s', %d, "
          "'%s', 'jpeg', %d, %d, %d, UNHEX('%s'), '%s', '%s', 400, %d, %d, %d)"
          % (owner, title, price, licence, pw * scale, ph * scale, len(data),
             hashlib.sha256(data).hexdigest(), key, status, 400 * ph // pw, pw, ph))
    return int(value("SELECT id FROM pictures WHERE storage_key = '%s'" % key)), key


def wait_until(cond, timeout=30, step=0.2):
    """Polls cond until it holds or timeout seconds passed; its last
    answer."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(step)
    return cond()


def make_accounts(tag, n):
    """n verified accounts named after tag, each with a session made in the
    database (a sign-in each would cost n password hashes):
    [(user id, Client)]."""
    # The demo password's hash: every live account has a real one.
    value("INSERT INTO users (email, display_name, password_hash, "
          "email_verified_at) SELECT CONCAT('%s-', s.seq, '@buyers.test'), "
          "CONCAT('Buyer ', s.seq), u.password_hash, UTC_TIMESTAMP() "
          "FROM seq_1_to_%d s JOIN users u ON u.email = 'alice@tessera.test'"
          % (tag, n))
    rows = tap.sql("primary", "SELECT id FROM users WHERE email LIKE "
                   "'%s-%%@buyers.test' ORDER BY id" % tag, database=DB)
    accounts, values = [], []
    for (uid,) in rows:
        raw = os.urandom(32)
        token = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        values.append("(UNHEX('%s'), %s, UNHEX('%s'), UTC_TIMESTAMP() + "
                      "INTERVAL 1 DAY)" % (hashlib.sha256(raw).hexdigest(), uid,
                                           os.urandom(32).hex()))
        c = tap.Client()
        c.cookies["tessera_session"] = token
        accounts.append((int(uid), c))
    value("INSERT INTO sessions (token_hash, user_id, csrf_secret, expires_at) "
          "VALUES " + ", ".join(values))
    return accounts


def pay_for(ev, uids):
    """A paid order of event ev for each account of uids, as checkout
    leaves it."""
    rows = ["('%s', %d, %d, 'paid', 0, 'EUR', UTC_TIMESTAMP())"
            % ("".join(random.choice(CODE_CHARS) for _ in range(16)), ev, uid)
            for uid in uids]
    value("INSERT INTO orders (code, event_id, buyer_id, status, total_cents, "
          "currency, paid_at) VALUES " + ", ".join(rows))


def sign_in(email, password="tessera-demo"):
    """A client signed in as a demo account."""
    c = tap.Client()
    token = tap.form_value(c.get("/login").body, "csrf")
    r = c.post("/login", {"email": email, "password": password, "csrf": token})
    tap.is_eq(r.status, 303, "%s signs in" % email)
    return c


def location(r):
    return r.headers.get("Location") or ""


def counters(tt):
    """(held, sold) of ticket type tt, as the database counts them."""
    held, sold = tap.sql("primary", "SELECT held, sold FROM ticket_types WHERE id = %d"
                         % tt, database=DB)[0]
    return int(held), int(sold)


def hold(c, ev, tt, qty=1):
    """Client c holds qty tickets of type tt from the booking form; the new
    order's code, or None when it was refused."""
    q = urllib.parse.urlencode([("tt[0][id]", tt), ("tt[0][qty]", qty)])
    page = c.get("/events/%d/book?%s" % (ev, q))
    r = c.post("/events/%d/book" % ev, urllib.parse.parse_qsl(q) +
               [("csrf", tap.form_value(page.body, "csrf"))])
    m = re.match(r"^/orders/([A-Z2-9]{16})/checkout$", location(r))
    return m.group(1) if m else None


def pay_with(c, code, provider):
    """Posts order code's checkout with a name on every ticket and the way
    to pay: (the checkout page, the response)."""
    page = c.get("/orders/%s/checkout" % code)
    ids = re.findall(r'name="t\[(\d+)\]\[id\]" value="(\d+)"', page.body)
    fields = [("csrf", tap.form_value(page.body, "csrf")), ("provider", provider)]
    for i, tid in ids:
        fields += [("t[%s][id]" % i, tid), ("t[%s][name]" % i, "Guest %s" % i)]
    return page, c.post("/orders/%s/checkout" % code, fields)


def order_status(code):
    return value("SELECT status FROM orders WHERE code = '%s'" % code)


def expire_hold(code, timeout=20):
    """Ends the hold of order code now and waits for the worker to expire
    it; returns its status then."""
    value("UPDATE orders SET hold_expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND "
          "WHERE code = '%s'" % code)
    deadline = time.time() + timeout
    while time.time() < deadline and order_status(code) != "expired":
        time.sleep(0.3)
    return order_status(code)


MAIL_DIR = os.path.join(tap.VAR, "mail")


def mailed_token(to, path, timeout=30, skip=()):
    """The token of the newest link to path ("/verify", "/password/reset")
    in the mails to `to`, as the worker writes them into <var>/mail, waiting
    up to timeout; tokens in skip do not count. None when none came."""
    pattern = re.compile(r"https?://[^\s/]+%s\?token=([A-Za-z0-9_-]+)" % re.escape(path))
    deadline = time.time() + timeout
    while True:
        found = None
        for name in sorted(glob.glob(os.path.join(MAIL_DIR, "*.eml")), key=os.path.getmtime):
            with open(name, "rb") as f:
                msg = email.message_from_binary_file(f, policy=email.policy.default)
            if msg["To"] is None or to not in str(msg["To"]):
                continue
            body = msg.get_body(("plain",))
            for token in pattern.findall(body.get_content() if body else ""):
                if token not in skip:
                    found = token
        if found or time.time() >= deadline:
            return found
        time.sleep(0.3)


def wait_for(query, want, timeout=30):
    """Polls query until it answers want; its last answer."""
    deadline = time.time() + timeout
    while True:
        got = value(query)
        if got == want or time.time() >= deadline:
            return got
        time.sleep(0.3)


def mails_to(addr):
    """The messages the worker wrote for addr, oldest first."""
    out = []
    for name in sorted(glob.glob(os.path.join(MAIL_DIR, "*.eml"))):
        with open(name, "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        if msg["To"] is not None and addr in str(msg["To"]):
            out.append(msg)
    return out


@contextlib.contextmanager
def own_program(name, settings, workers=2):
    """A FastCGI program of the test's own (tessera-NAME), with the stack's
    settings as its running one has them and those of settings over them,
    on a socket of its own: yields the socket's path, and stops the program
    (SIGTERM) when the block ends. Its log: log/NAME-own.log."""
    var, build = os.environ["TESSERA_TEST_VAR"], os.environ["TESSERA_TEST_BUILD"]
    with open(os.path.join(var, "run", "%s.pid" % name)) as f:
        pid = f.read().strip()
    with open("/proc/%s/environ" % pid, "rb") as f:
        env = dict(p.decode().partition("=")[::2] for p in f.read().split(b"\0") if b"=" in p)
    env.update(settings)
    sock = os.path.join(tempfile.mkdtemp(prefix="tessera-%s-" % name), "%s.sock" % name)
    log = open(os.path.join(var, "log", "%s-own.log" % name), "ab")
    prog = subprocess.Popen([os.path.join(build, "tessera-" + name), "--listen", sock,
                             "--workers", str(workers)], env=env, stdout=log, stderr=log,
                            stdin=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if os.path.exists(sock):
                break
            time.sleep(0.1)
        yield sock
    finally:
        prog.send_signal(signal.SIGTERM)
        try:
            prog.wait(timeout=30)
        except subprocess.TimeoutExpired:
            prog.kill()
        log.close()
