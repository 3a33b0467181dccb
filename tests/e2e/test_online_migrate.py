"""Online migrations: `tessera migrate` applies additive changes (a table,
an instant column, an index built online; tests/e2e/online_migrations/)
while browsers and buyers use the site, with 0 failed requests; and when
a long transaction holds a table it alters, it gives the lock up after
TESSERA_MIGRATE_LOCK_WAIT and tries again, so the site's queries never
queue behind it for longer. The probe is taken back afterwards."""

import os
import shutil
import subprocess
import threading
import time

import fixtures
import tap

BUILD = os.environ.get("TESSERA_TEST_BUILD", os.path.join(tap.SRC, "build"))
TESSERA = os.path.join(BUILD, "tessera")
DIR = os.path.join(tap.VAR, "scratch", "online-migrations")
PROBE = os.path.join(tap.SRC, "tests", "e2e", "online_migrations")

shutil.rmtree(DIR, ignore_errors=True)
os.makedirs(DIR)
for src in (os.path.join(tap.SRC, "sql"), PROBE):
    for n in sorted(os.listdir(src)):
        if n[:3].isdigit() and n.endswith(".sql"):
            os.symlink(os.path.join(src, n), os.path.join(DIR, n))

secrets = tap.secrets()
ENV = dict(os.environ, TESSERA_DB_PRIMARY="unix:" + tap.SOCKETS["primary"],
           TESSERA_DB_NAME=tap.DB_NAME, TESSERA_DB_USER="tessera_migrate",
           TESSERA_DB_PASSWORD=secrets["MIGRATE_PASSWORD"], TESSERA_SQL_DIR=DIR)

ev, (tt,) = fixtures.new_event("Online migration", [("Standing", 0, 100000, 1, 1000)])
buyers = fixtures.make_accounts("online-%d" % os.getpid(), 300)


class Load:
    """Three browsers (the event list and the event page) and one buyer
    (a hold of one seat, a new account each: writes on the primary to the
    tables being altered), until stopped. Counts requests, failures and
    the slowest answer."""

    def __init__(self):
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.n = self.failed = 0
        self.slowest = 0.0
        self.errors = []
        self.threads = [threading.Thread(target=self.browse) for _ in range(3)]
        self.threads.append(threading.Thread(target=self.book))

    def count(self, ok, took, what):
        with self.lock:
            self.n += 1
            self.slowest = max(self.slowest, took)
            if not ok:
                self.failed += 1
                self.errors.append(what)

    def browse(self):
        while not self.stop.is_set():
            for path in ("/events", "/events/%d" % ev):
                t = time.time()
                try:
                    r = tap.get(path)
                    ok, what = r.status == 200, "%s %d" % (path, r.status)
                except Exception as e:          # a refused or dropped connection
                    ok, what = False, "%s %s" % (path, e)
                self.count(ok, time.time() - t, what)
            time.sleep(0.01)    # bounded: a few hundred requests a second

    def book(self):
        while not self.stop.is_set() and buyers:
            _, c = buyers.pop()
            t = time.time()
            try:
                code = fixtures.hold(c, ev, tt)
                ok, what = code is not None, "hold refused"
            except Exception as e:
                ok, what = False, "hold %s" % e
            self.count(ok, time.time() - t, what)
            time.sleep(0.05)

    def __enter__(self):
        for t in self.threads:
            t.start()
        time.sleep(1)           # the load is running before the migration starts
        return self

    def __exit__(self, *exc):
        time.sleep(1)
        self.stop.set()
        for t in self.threads:
            t.join()


def migrate():
    return subprocess.run([TESSERA, "migrate"], env=ENV, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


def columns():
    return [r[0] for r in tap.sql("primary", "SELECT column_name FROM information_schema.columns "
                                  "WHERE table_schema = '%s' AND table_name = 'ticket_types' "
                                  "AND column_name LIKE 'online_probe%%' ORDER BY 1" % tap.DB_NAME)]


try:
    # Only 901 first: 902 waits for the second part.
    os.unlink(os.path.join(DIR, "902_online_probe_wait.sql"))
    with Load() as load:
        t = time.time()
        p = migrate()
        took = time.time() - t
    tap.ok(p.returncode == 0 and "applied 901_online_probe.sql" in p.stdout,
           "tessera migrate applies the additive migration while the site serves (%.2f s; %s)"
           % (took, (p.stdout + p.stderr).strip()))
    tap.ok(load.n > 50, "under load: %d requests, %d of them bookings' holds"
           % (load.n, 300 - len(buyers)))
    tap.is_eq(load.failed, 0, "with 0 failed requests (slowest %.3f s; %s)"
              % (load.slowest, load.errors[:3]))
    tap.is_eq(columns(), ["online_probe"], "the column is there")
    tap.ok(tap.wait_replica(30) and tap.sql("replica", "SELECT COUNT(*) FROM %s.online_probe"
                                            % tap.DB_NAME) == [["0"]],
           "and the replica has the change too")

    # A report holding ticket_types in a transaction for 4 s.
    os.symlink(os.path.join(PROBE, "902_online_probe_wait.sql"),
               os.path.join(DIR, "902_online_probe_wait.sql"))
    with Load() as load:
        report = subprocess.Popen(tap.ROOT_SQL + ["--socket=" + tap.SOCKETS["primary"], "-e",
                                  "BEGIN; SELECT COUNT(*) FROM %s.ticket_types; SELECT SLEEP(4); "
                                  "COMMIT;" % tap.DB_NAME],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        t = time.time()
        p = migrate()
        took = time.time() - t
        report.wait()
    tap.ok(p.returncode == 0 and "applied 902_online_probe_wait.sql" in p.stdout
           and "a lock is held" in p.stderr and took >= 2,
           "behind a long transaction, migrate gives the lock up and tries again until it "
           "has it (%.1f s; %s)" % (took, ((p.stderr + p.stdout).strip().splitlines() or [""])[-1]))
    tap.is_eq(load.failed, 0, "0 failed requests meanwhile (%d requests; %s)"
              % (load.n, load.errors[:3]))
    tap.ok(load.slowest < 2.5, "no request waited much longer than one lock wait (1 s): slowest "
           "%.2f s" % load.slowest)
    tap.is_eq(columns(), ["online_probe", "online_probe_2"], "the second column is there")
finally:
    # Contract: take the probe back, so the stack's schema is the real one.
    tap.sql_run("primary", "ALTER TABLE ticket_types DROP COLUMN IF EXISTS online_probe, "
                "DROP COLUMN IF EXISTS online_probe_2; ALTER TABLE orders DROP INDEX IF EXISTS "
                "orders_online_probe; DROP TABLE IF EXISTS online_probe; DELETE FROM "
                "schema_migrations WHERE version >= 900", database=tap.DB_NAME)
    shutil.rmtree(DIR, ignore_errors=True)
tap.is_eq(columns(), [], "the probe is taken back")
tap.done()
