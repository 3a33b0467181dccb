#!/usr/bin/env python3
"""The faults of ./stack cluster test, each under a bounded load, each
reported as failed requests and seconds to recover. Standard library only;
the buyers are tests/bench/booking.py's.

  faults.py SRC VAR URL [FAULT...]

FAULT: host-kill, partition, replica-stop, replica-lag, primary-stop,
mail-relay, bot-flood (all, in that order, by default). Each prints TAP lines (what
must hold) and one table row; the table comes last.

The load: 16 visitors, each from its own address (127.0.15.N), read the
event list, an event and the home page about 10 times a second, half of
them with a cookie that bypasses nginx's micro-cache (so the programs
answer); 8 buyers book and confirm a free ticket, each about twice a
second. Every
request is bounded (booking.py's REQUEST_TIMEOUT) and every run lasts a
fixed number of seconds.
"""

import asyncio
import os
import re
import socket
import struct
import subprocess
import sys
import time
import urllib.parse

SRC = sys.argv[1]
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(SRC, "tests", "bench"))
import booking  # noqa: E402

VAR, URL = sys.argv[2], sys.argv[3]
U = urllib.parse.urlsplit(URL)
HOST, PORT = U.hostname, U.port
STACK = os.path.join(SRC, "stack")
VISITORS, BUYERS = 16, 8
ROWS, RESULTS, NOTES = [], [], []


def sql(query, server="primary"):
    out = subprocess.run(
        ["mariadb", "--no-defaults", "--user=root", "-N", "-B",
         "--socket=%s/run/%s.sock" % (VAR, server), "tessera", "-e", query],
        capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError("%s: %s" % (server, out.stderr.strip()))
    return out.stdout.strip()


def stack(*args):
    """./stack cluster ARGS: a fault or a repair; seconds it took."""
    t = time.monotonic()
    subprocess.run([STACK, "cluster"] + list(args), check=True,
                   stdout=subprocess.DEVNULL, timeout=300,
                   env=dict(os.environ, STACK_VAR=VAR))
    return time.monotonic() - t


def ok(cond, what):
    RESULTS.append(bool(cond))
    print("%sok %d - %s" % ("" if cond else "not ", len(RESULTS), what),
          flush=True)


class Client(booking.Buyer):
    """booking.py's browser, from a source address of its own."""

    def __init__(self, token, number, source="127.0.0.1"):
        super().__init__(HOST, PORT, token, number)
        self.source = source

    async def _request(self, method, path, fields):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                self.host, self.port, local_addr=(self.source, 0))
        return await super()._request(method, path, fields)


class Log:
    """Every request: when it ended, what it was, how it went."""

    def __init__(self):
        self.t0 = time.monotonic()
        self.rows = []      # (t, kind, status or 0 for no answer, ms)

    def add(self, kind, status, started):
        now = time.monotonic()
        self.rows.append((now - self.t0, kind, status,
                          (now - started) * 1000))

    def now(self):
        return time.monotonic() - self.t0


def failed(status):
    return status == 0 or status >= 500 or status == 429


async def visitor(n, log, pages, deadline, pause=0.1, source=None,
                  kind="get"):
    c = Client("cluster-visitor-%d" % n if n % 2 else "", n,
               source or "127.0.15.%d" % (n + 1))
    if n % 2 == 0:
        c.cookies = {}
    i = 0
    while time.monotonic() < deadline:
        path = pages[i % len(pages)]
        i += 1
        started = time.monotonic()
        try:
            status, _, _ = await c.request("GET", path)
        except booking.HttpError:
            status = 0
        log.add(kind, status, started)
        if pause:
            await asyncio.sleep(pause)
    await c.close()


class BookingTally(booking.Tally):
    """booking.py's tally, which also logs each step's answer in time."""

    def __init__(self, log):
        super().__init__()
        self.log = log

    def note(self, step, status, started):
        super().note(step, status, started)
        self.log.add(step, status, started)

    def problem(self, what):
        self.errors[what.split(":")[0]] += 1


async def buyer(b, ev, tt, tally, deadline):
    while time.monotonic() < deadline:
        try:
            if b.csrf is None:
                await booking.get_token(b, ev, tt)
            await booking.one_booking(b, ev, tt, tally)
        except booking.HttpError:
            tally.log.add("book", 0, time.monotonic())
            await asyncio.sleep(0.2)
        # About 2 bookings a second each: the worker's mail (one SMTP
        # session a mail) keeps up, so the mail fault's backlog is its own.
        await asyncio.sleep(0.5)


def new_event(title, quota=100000):
    out = sql("""INSERT INTO events (organizer_id, title, description, venue,
        city, timezone, starts_at, ends_at, status) SELECT id, '%s', 'Faults.',
        'Hall', 'Berlin', 'Europe/Berlin', UTC_TIMESTAMP() + INTERVAL 30 DAY,
        UTC_TIMESTAMP() + INTERVAL 30 DAY + INTERVAL 2 HOUR, 'published'
        FROM users WHERE email = 'organizer@tessera.test';
        SET @ev = LAST_INSERT_ID();
        INSERT INTO ticket_types (event_id, name, price_cents, currency, quota,
        min_per_order, max_per_order, max_per_account, sort_order)
        VALUES (@ev, 'Free', 0, 'EUR', %d, 1, 1, 0, 0);
        SELECT @ev, LAST_INSERT_ID()""" % (title, quota))
    ev, tt = out.split()
    return int(ev), int(tt)


def buyer_tokens(tag, n):
    sql("""INSERT IGNORE INTO users (email, display_name, password_hash,
        email_verified_at) SELECT CONCAT('%s-', s.seq, '@cluster.test'),
        CONCAT('Buyer ', s.seq), u.password_hash, UTC_TIMESTAMP()
        FROM seq_1_to_%d s JOIN users u ON u.email = 'alice@tessera.test'"""
        % (tag, n))
    ids = sql("SELECT id FROM users WHERE email LIKE '%s-%%@cluster.test' "
              "ORDER BY id" % tag)
    path = os.path.join(VAR, "%s.tokens" % tag)
    made = subprocess.run([sys.executable, os.path.join(
        SRC, "tests", "bench", "booking.py"), "sessions", "tessera", path],
        input=ids + "\n", capture_output=True, text=True, check=True)
    sql(made.stdout)
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def seats_consistent(tt):
    """The oversell check of ./stack bench: the type's counters against
    a recount of its live orders' lines and tickets."""
    row = sql("""SELECT t.quota, t.sold, t.held,
        (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN orders o
         ON o.id = l.order_id WHERE l.ticket_type_id = t.id
         AND o.status IN ('held', 'pending_payment')),
        (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN orders o
         ON o.id = l.order_id WHERE l.ticket_type_id = t.id
         AND o.status = 'paid'),
        (SELECT COUNT(*) FROM tickets k JOIN orders o ON o.id = k.order_id
         WHERE k.ticket_type_id = t.id
         AND o.status IN ('held', 'pending_payment', 'paid'))
        FROM ticket_types t WHERE t.id = %d""" % tt)
    quota, sold, held, lheld, lpaid, tickets = map(int, row.split())
    return (sold == lpaid and held == lheld and sold + held == tickets
            and sold + held <= quota), row


async def run_load(seconds, actions, pages, ev, tt, tokens, extra=()):
    """The load for SECONDS; ACTIONS are (at second, function) run in a
    thread meanwhile. Returns the log and what each action returned."""
    log = Log()
    deadline = time.monotonic() + seconds
    tally = BookingTally(log)
    buyers = [Client(t, i + 1) for i, t in enumerate(tokens)]
    tasks = [asyncio.ensure_future(visitor(i, log, pages, deadline))
             for i in range(VISITORS)]
    tasks += [asyncio.ensure_future(buyer(b, ev, tt, tally, deadline))
              for b in buyers]
    tasks += [asyncio.ensure_future(x(log, deadline)) for x in extra]
    done = {}
    for at, name, fn in actions:
        await asyncio.sleep(max(0, at - log.now()))
        done[name] = (log.now(), await asyncio.get_running_loop()
                      .run_in_executor(None, fn))
    await asyncio.wait_for(asyncio.gather(*tasks),
                           seconds + booking.REQUEST_TIMEOUT + 10)
    for b in buyers:
        await b.close()
    return log, tally, done


def summary(log, since, kinds=("get",)):
    rows = [r for r in log.rows if r[1] in kinds]
    bad = [r for r in rows if failed(r[2])]
    after = [r[0] for r in bad if r[0] >= since]
    recover = (max(after) - since) if after else 0.0
    return len(rows), len(bad), recover


def row(name, gets, bad, recover, bookings, note, log):
    pct = 100.0 * bad / gets if gets else 0.0
    ms = sorted(r[3] for r in log.rows if r[1] == "get")
    p99 = ms[int(len(ms) * 0.99)] if ms else 0
    ROWS.append("| %s | %d of %d (%.2f %%) | %.1f s | %.0f ms | %s | %s |"
                % (name, bad, gets, pct, recover, p99, bookings, note))


def booking_words(tally):
    s = tally.statuses
    answered = sum(n for (step, st), n in s.items() if step == "book")
    e503 = sum(n for (step, st), n in s.items() if st == 503)
    return "%d confirmed, %d holds asked, %d answered 503" % (
        tally.confirmed, answered, e503)


def pages_for(ev):
    return ["/events", "/events/%d" % ev, "/"]


def fault_host_kill(ev, tt, tokens):
    log, tally, done = asyncio.run(run_load(
        14, [(3, "kill", lambda: stack("kill", "host1"))],
        pages_for(ev), ev, tt, tokens))
    t_kill = done["kill"][0]
    gets, bad, recover = summary(log, t_kill)
    ok(gets and bad <= gets / 1000, "host1 killed: failed GETs %d of %d "
       "(at most 0.1 %%)" % (bad, gets))
    odd = {st for (step, st) in tally.statuses if st not in (200, 303, 503)}
    ok(not odd, "every booking step was answered, completed or 503 "
       "(others: %s)" % sorted(odd))
    good, counts = seats_consistent(tt)
    ok(good, "no booking half-written: counters match the orders (%s)"
       % counts)
    host2 = sum(1 for r in log.rows if r[0] > t_kill + 1 and not failed(r[2]))
    ok(host2 > 0, "the front served on from host2 (%d answers after)" % host2)
    row("app host killed (SIGKILL to host1's process groups)", gets, bad,
        recover, booking_words(tally), "nginx max_fails=1, GETs retried "
        "on host2", log)
    stack("start", "host1")


def fault_partition(ev, tt, tokens):
    log, tally, done = asyncio.run(run_load(
        16, [(3, "drop", lambda: stack("drop", "front", "host1")),
             (10, "heal", lambda: stack("heal"))],
        pages_for(ev), ev, tt, tokens))
    gets, bad, recover = summary(log, done["drop"][0])
    ok(bad <= gets / 1000, "front and host1 cut apart by nft: failed GETs "
       "%d of %d (at most 0.1 %%)" % (bad, gets))
    good, counts = seats_consistent(tt)
    ok(good, "no booking half-written across the cut (%s)" % counts)
    row("front cut from host1 (nft drop, 7 s)", gets, bad, recover,
        booking_words(tally), "connect timeout 1 s, then host2", log)


def left_on_page(body):
    m = re.search(r"(\d+) left", body)
    return int(m.group(1)) if m else None


def fault_replica(ev, tt, tokens):
    name = cluster_roles()[1][0]
    log, tally, done = asyncio.run(run_load(
        14, [(3, "stop", lambda: stack("stop-db", name)),
             (9, "start", lambda: stack("start-db", name))],
        pages_for(ev), ev, tt, tokens))
    gets, bad, recover = summary(log, done["stop"][0])
    ok(bad <= gets / 1000, "replica %s stopped: failed GETs %d of %d"
       % (name, bad, gets))
    row("replica %s stopped for 6 s, then started" % name, gets, bad,
        recover, booking_words(tally), "reads moved to the other replica "
        "and the primary", log)


def fault_replica_lag(ev, tt, tokens):
    """A replica applies 30 s late. Bookings go on; a checker reads the
    event page and the primary's count of seats left in turn: a page is
    as old as the first moment the primary had fewer seats left than it
    shows. The lagging replica would make pages about 30 s old; the other
    one, a fraction of a second (replication is asynchronous)."""
    ages = []

    async def checker(log, deadline):
        c = Client("cluster-checker", 99, "127.0.16.1")
        history = []        # (second, seats left on the primary)
        loop = asyncio.get_running_loop()
        while time.monotonic() < deadline:
            left = int(await loop.run_in_executor(None, sql, (
                "SELECT quota - sold - held FROM ticket_types WHERE id = %d"
                % tt)))
            history.append((log.now(), left))
            started = time.monotonic()
            try:
                status, _, body = await c.request("GET", "/events/%d" % ev)
            except booking.HttpError:
                status, body = 0, ""
            log.add("check", status, started)
            shown = left_on_page(body)
            if shown is not None and log.now() > 8:
                fewer = [t for t, n in history if n < shown]
                ages.append(log.now() - fewer[0] if fewer else 0.0)
            await asyncio.sleep(0.2)
        await c.close()

    name = cluster_roles()[1][-1]
    stack("lag", name, "30")
    log, tally, done = asyncio.run(run_load(
        20, [], pages_for(ev), ev, tt, tokens, extra=(checker,)))
    stack("lag", name, "0")
    gets, bad, recover = summary(log, 0)
    oldest = max(ages) if ages else -1
    ok(ages and oldest <= 6, "%s 30 s behind: the oldest of %d event pages "
       "read after 8 s showed the seats of %.1f s before (at most the lag "
       "limit, 5 s, and the 1 s between checks)" % (name, len(ages), oldest))
    row("replica %s lagging 30 s (MASTER_DELAY)" % name, gets, bad, recover,
        booking_words(tally), "event pages at most %.1f s old: reads left "
        "the lagging replica" % oldest, log)


def counts(server, limits=None):
    """Paid orders, tickets and outbox rows (up to the given ids): count
    and checksum each."""
    q = []
    for table, where, key in (("orders", "status = 'paid'", "code"),
                              ("tickets", "1", "code"),
                              ("outbox", "1", "topic")):
        lim = "" if limits is None else " AND id <= %d" % limits[table]
        q.append("SELECT '%s', COALESCE(MAX(id), 0), COUNT(*), "
                 "COALESCE(SUM(CRC32(CONCAT(id, %s))), 0) FROM %s WHERE %s%s"
                 % (table, key, table, where, lim))
    out = {}
    for line in sql(" UNION ALL ".join(q), server).splitlines():
        table, top, n, crc = line.split("\t")
        out[table] = (int(top), int(n), int(crc))
    return out


def cluster_roles():
    """(primary, [replicas]) as cluster.env says now."""
    env = dict(line.strip().split("=", 1) for line in
               open(os.path.join(VAR, "cluster.env")) if "=" in line)
    return env["CLUSTER_PRIMARY"], env["CLUSTER_REPLICAS"].strip('"').split()


def fault_primary(ev, tt, tokens):
    notice = {}
    old_name, replicas = cluster_roles()
    new_name = replicas[0]

    def probe():
        c = subprocess.run(["curl", "-s", "--interface", "127.0.16.2",
                            "-H", "Cookie: tessera_session=probe",
                            URL + "/events/%d" % ev], capture_output=True,
                           text=True, timeout=30)
        notice["page"] = "Booking is paused for a moment" in c.stdout
        notice["login"] = asyncio.run(sign_in())
        return 0

    async def sign_in():
        """The sign-in form, then its POST, as a browser sends them."""
        c = Client("", 98, "127.0.16.3")
        c.cookies = {}
        try:
            _, _, body = await c.request("GET", "/login")
            m = re.search(r'name="csrf" value="([^"]+)"', body)
            status, _, body = await c.request("POST", "/login", [
                ("csrf", m.group(1) if m else ""),
                ("email", "alice@tessera.test"),
                ("password", "tessera-demo")])
        finally:
            await c.close()
        return status, "paused for a moment" in body

    def stop():
        return stack("stop-db", old_name)

    log, tally, done = asyncio.run(run_load(
        30, [(3, "stop", stop), (6, "probe", probe),
             (8, "promote", lambda: stack("promote", new_name))],
        pages_for(ev), ev, tt, tokens))
    t_stop = done["stop"][0]
    gets, bad, recover = summary(log, t_stop)
    ok(notice.get("page"), "primary stopped: an event page says "
       "\"Booking is paused for a moment\"")
    ok(notice.get("login") == (503, True), "... sign-in answers 503, and "
       "its page says why (got %s)" % (notice.get("login"),))
    writes = [r[0] for r in log.rows if r[1] == "confirm" and r[2] == 303
              and r[0] > done["promote"][0]]
    t_promote = done["promote"][0]
    resumed = (min(writes) - t_promote) if writes else None
    ok(resumed is not None and resumed <= 30,
       "writes resumed %s s after tessera promote began (it took %.1f s)"
       % ("%.1f" % resumed if resumed is not None else "never",
          done["promote"][1]))
    ok(bad <= gets / 1000, "failed GETs %d of %d while the primary was "
       "replaced" % (bad, gets))
    # The old primary's own data, before it follows anyone: everything it
    # committed must be on the new primary.
    stack("start-db-alone", old_name)
    old = counts(old_name)
    new = counts(new_name, {t: v[0] for t, v in old.items()})
    ok(old == new, "no paid order, ticket or outbox row lost: old primary "
       "%s, new primary %s" % (old, new))
    stack("rejoin", old_name)
    ok(sql("SELECT @@read_only", old_name) == "1", "the old primary %s "
       "rejoined as a read-only replica of %s" % (old_name, new_name))
    good, c = seats_consistent(tt)
    ok(good, "seats consistent after the switch (%s)" % c)
    row("primary %s stopped, %s promoted 5 s later, %s rejoined"
        % (old_name, new_name, old_name), gets,
        bad, resumed if resumed is not None else -1, booking_words(tally),
        "recovered = writes again after promote began; pages read-only "
        "with the notice meanwhile", log)


def relay_messages():
    """Message-IDs of every mail the relay has received, as a list."""
    ids = []
    folder = os.path.join(VAR, "relay")
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if name.endswith(".eml"):
            with open(os.path.join(folder, name), "rb") as f:
                m = re.search(rb"^Message-ID: *(<[^>]+>)", f.read(), re.M | re.I)
            ids.append(m.group(1).decode() if m else name)
    return ids


def outbox_id(message_id):
    """The outbox row of a Message-ID <outbox-ROW.STAMP@domain>; 0 if none."""
    m = re.match(r"<outbox-(\d+)\.", message_id)
    return int(m.group(1)) if m else 0


def fault_mail(ev, tt, tokens):
    """The relay down for 7 s while bookings queue their confirmation
    mails; then every mail must arrive once, however often it was tried."""
    # The mails of the faults before, first: the run counts its own.
    backlog = "SELECT COUNT(*) FROM outbox WHERE processed_at IS NULL"
    t = time.monotonic()
    while int(sql(backlog)) > 0 and time.monotonic() < t + 300:
        time.sleep(1)
    drained = time.monotonic() - t
    print("# the earlier faults' mail sent after %.0f s more" % drained,
          flush=True)
    NOTES.append("The mail of the faults before the relay's was all sent "
                 "%.0f s after they ended." % drained)
    mark = int(sql("SELECT COALESCE(MAX(id), 0) FROM outbox"))
    log, tally, done = asyncio.run(run_load(
        12, [(2, "stop", lambda: stack("relay-stop")),
             (9, "start", lambda: stack("relay-start"))],
        pages_for(ev), ev, tt, tokens))
    t_up = time.monotonic()
    pending = "SELECT COUNT(*) FROM outbox WHERE id > %d AND processed_at " \
        "IS NULL" % mark
    deadline = t_up + 180
    while int(sql(pending)) > 0 and time.monotonic() < deadline:
        time.sleep(1)
    caught_up = time.monotonic() - t_up
    left = int(sql(pending))
    retried = int(sql("SELECT COUNT(*) FROM outbox WHERE id > %d AND topic "
                      "= 'mail' AND attempts > 1" % mark))
    mails = int(sql("SELECT COUNT(*) FROM outbox WHERE topic = 'mail' AND "
                    "processed_at IS NOT NULL AND id > %d" % mark))
    every = relay_messages()
    got = [m for m in every if outbox_id(m) > mark]
    ok(left == 0, "relay down 7 s: every outbox row of the run processed "
       "%.0f s after it came back (%d left)" % (caught_up, left))
    ok(retried > 0, "... %d mails had to be tried again" % retried)
    ok(len(got) == len(set(got)) == mails, "every mail of the run "
       "delivered exactly once: %d messages, %d different, %d mail rows "
       "sent" % (len(got), len(set(got)), mails))
    twice = len(every) - len(set(every))
    print("# over the whole run, %d mails arrived twice with the same "
          "Message-ID (sent, then not marked sent: the primary switch)"
          % twice, flush=True)
    NOTES.append("%d mails of the whole run arrived twice, each with the "
                 "same Message-ID" % twice)
    row("mail relay down for 7 s", *summary(log, done["stop"][0]),
        booking_words(tally), "all mail delivered once, %.0f s after the "
        "relay was back (retry after 30 s); %d mails retried"
        % (caught_up, retried), log)


async def bots(seconds):
    """The flood, in a process of its own so that its busy loop does not
    delay the visitors' measurements: 48 connections from 3 addresses,
    each asking for a page as soon as the last one came back."""
    log = Log()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(visitor(
        100 + i, log, ["/events?bot=%d" % i], deadline, pause=0,
        source="127.0.14.%d" % (1 + i % 3), kind="bot") for i in range(48)))
    refused = sum(1 for r in log.rows if r[2] == 429)
    print("%d %d" % (len(log.rows), refused))


def fault_bot_flood(ev, tt, tokens):
    flood = subprocess.Popen([sys.executable, __file__, SRC, VAR, URL,
                              "--bots", "10"], stdout=subprocess.PIPE,
                             text=True)
    log, tally, done = asyncio.run(run_load(
        12, [], pages_for(ev), ev, tt, tokens))
    out, _ = flood.communicate(timeout=120)
    nbots, refused = map(int, out.split())
    real = sorted(r[3] for r in log.rows if r[1] == "get" and 1 < r[0] < 11)
    p99 = real[int(len(real) * 0.99)] if real else 0
    gets, bad, _ = summary(log, 0)
    ok(p99 < 100, "bot flood from 3 addresses (48 connections): the "
       "visitors' p99 %.1f ms (under 100)" % p99)
    ok(bad == 0, "no visitor refused (%d failed of %d)" % (bad, gets))
    ok(refused > nbots / 2, "nginx answered most of the flood 429 itself "
       "(%d of %d)" % (refused, nbots))
    row("bot flood: 3 addresses, 48 connections, no pause", gets, bad, 0.0,
        booking_words(tally), "visitors' p99 %.1f ms; %d of %d bot "
        "requests answered 429" % (p99, refused, nbots), log)


def fastcgi_answers(source, host="127.0.11.2", port=9001):
    """Whether a host's tessera-browse answers a FastCGI GET /healthz sent
    from the address source."""
    def record(kind, content):
        return struct.pack("!BBHHBB", 1, kind, 1, len(content), 0, 0) + content
    params = b"".join(bytes([len(k), len(v)]) + k + v for k, v in (
        (b"REQUEST_METHOD", b"GET"), (b"REQUEST_URI", b"/healthz"),
        (b"DOCUMENT_URI", b"/healthz"), (b"QUERY_STRING", b""),
        (b"REMOTE_ADDR", b"127.0.0.1"), (b"HTTP_HOST", b"cluster")))
    with socket.socket() as s:
        s.bind((source, 0))
        s.settimeout(5)
        s.connect((host, port))
        s.sendall(record(1, struct.pack("!HB5x", 1, 0)) + record(4, params) +
                  record(4, b"") + record(5, b""))
        try:
            return len(s.recv(100)) > 0
        except OSError:
            return False


FAULTS = {
    "host-kill": fault_host_kill,
    "partition": fault_partition,
    "replica-stop": fault_replica,
    "replica-lag": fault_replica_lag,
    "primary-stop": fault_primary,
    "mail-relay": fault_mail,
    "bot-flood": fault_bot_flood,
}


def main():
    if sys.argv[4:5] == ["--bots"]:
        asyncio.run(bots(float(sys.argv[5])))
        return 0
    names = sys.argv[4:] or list(FAULTS)
    for n in names:
        if n not in FAULTS:
            print("faults.py: no fault %s (%s)" % (n, ", ".join(FAULTS)),
                  file=sys.stderr)
            return 2
    tokens = buyer_tokens("cluster-buyer", BUYERS)
    ok(fastcgi_answers("127.0.10.1") and not fastcgi_answers("127.0.0.1"),
       "a host's FastCGI port answers the front's address and no other "
       "(FCGI_WEB_SERVER_ADDRS)")
    for n in names:
        ev, tt = new_event("Cluster: %s" % n)
        print("# %s" % n, flush=True)
        FAULTS[n](ev, tt, tokens)
    print("1..%d" % len(RESULTS))
    print()
    print("| fault | failed GETs | recovered after | visitors' p99 | "
          "bookings | notes |")
    print("|---|---|---|---|---|---|")
    print("\n".join(ROWS))
    for note in NOTES:
        print("\n" + note)
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
