"""`tessera backup` and `tessera restore`: a backup of the test stack,
restored into an empty MariaDB of this test's own, has every table
identical (CHECKSUM TABLE: accounts, events, orders, tickets, pictures,
outbox, all of them) and every picture file; its accounts sign in; a
backup whose checksums do not match is refused before anything changes;
and a replica seeded from a backup taken while rows are written follows
the primary from the backup's GTID position, every row there once."""

import hashlib
import os
import shutil
import subprocess
import time

import fixtures
import tap
import scratch_db
from scratch_db import ScratchDB

WORK = os.path.join(tap.VAR, "scratch", "backup")
MEDIA = os.path.join(tap.VAR, "media")
PRIMARY_PORT = int(os.environ.get("TESSERA_TEST_PRIMARY_PORT", "13307"))

tessera = scratch_db.deploy_command(WORK, ("backup", "restore"))


def tables_of(rows):
    return [r[0] for r in rows]


def checksums(sql):
    """{table: CHECKSUM TABLE} of every table of the database."""
    names = tables_of(sql("SELECT table_name FROM information_schema.tables WHERE "
                          "table_schema = '%s' AND table_type = 'BASE TABLE' ORDER BY 1"
                          % tap.DB_NAME))
    rows = sql("CHECKSUM TABLE " + ", ".join("%s.%s" % (tap.DB_NAME, n) for n in names))
    return {r[0].split(".", 1)[1]: r[1] for r in rows}


def primary_sql(q):
    return [list(r) for r in tap.sql("primary", q)]


def files_of(root):
    """{relative path: sha256} of originals/ and public/."""
    out = {}
    for sub in ("originals", "public"):
        for top, _, files in os.walk(os.path.join(root, sub)):
            for n in files:
                path = os.path.join(top, n)
                with open(path, "rb") as f:
                    out[os.path.relpath(path, root)] = hashlib.sha256(f.read()).hexdigest()
    return out


# Nothing writes while the snapshot is compared: the worker stopped, a
# paid order and an outbox row of this run's own.
tap.ok(tap.worker_stop(), "the worker stops, so the source keeps still")
email, uid = fixtures.account("backup")
ev, _ = fixtures.new_event("Backup test", [("Standing", 0, 10, 4, 4)])
fixtures.pay_for(ev, [uid])
# Processed already: the worker, once it runs again, leaves it alone.
fixtures.value("INSERT INTO outbox (topic, payload, processed_at) VALUES ('backup_test', '{}', "
               "UTC_TIMESTAMP())")
counts = {t: int(fixtures.value("SELECT COUNT(*) FROM %s" % t))
          for t in ("users", "events", "orders", "tickets", "pictures", "outbox")}
tap.ok(all(counts.values()), "the source has accounts, events, orders, tickets, pictures and "
       "outbox rows (%s)" % counts)

DEST = os.path.join(WORK, "b1")
p = tessera("backup", "--db-socket", tap.SOCKETS["primary"], "--media", MEDIA, DEST)
tap.ok(p.returncode == 0, "tessera backup (%s)" % (p.stdout + p.stderr).strip())
source = checksums(primary_sql)
source_files = files_of(MEDIA)
with open(os.path.join(DEST, "backup.info")) as f:
    info = dict(l.strip().split("=", 1) for l in f if "=" in l)
tap.like(info.get("gtid", ""), r"^\d+-\d+-\d+", "the backup records its GTID position (%s)"
         % info.get("gtid"))
with open(os.path.join(DEST, "MANIFEST")) as f:
    listed = sorted(l.split()[1] for l in f)
tap.is_eq(listed, ["accounts.sql", "backup.info", "database.sql", "media.tar"],
          "its MANIFEST has a checksum of every part")
tap.ok(len(source_files) > 0, "the media folder has picture files (%d)" % len(source_files))

# ---------------------------------------------------------------- round trip
a = ScratchDB("restore", 31, 1).start()
media_a = os.path.join(WORK, "media-a")
p = tessera("restore", "--db-socket", a.sock, "--media", media_a, DEST)
tap.ok(p.returncode == 0, "tessera restore into an empty server (%s)" % (p.stdout + p.stderr).strip())
restored = checksums(a.sql)
tap.is_eq(sorted(restored), sorted(source), "every table is there")
differ = [t for t in source if restored.get(t) != source[t]]
tap.ok(not differ and len(source) > 10, "every table's rows are identical (CHECKSUM TABLE of %d "
       "tables; differ: %s)" % (len(source), differ))
tap.ok(a.sql("SELECT email FROM %s.users WHERE id = %d" % (tap.DB_NAME, uid)) == [[email]],
       "the account made before the backup is there")
tap.ok(files_of(media_a) == source_files, "every picture file is identical (%d files)"
       % len(source_files))
secrets = tap.secrets()
p = subprocess.run(["mariadb", "--no-defaults", "--socket=" + a.sock, "-utessera_browse", "-N",
                    "-e", "SELECT COUNT(*) FROM events", tap.DB_NAME],
                   env=dict(os.environ, MYSQL_PWD=secrets["BROWSE_PASSWORD"]),
                   capture_output=True, text=True)
tap.ok(p.returncode == 0 and p.stdout.strip() == str(counts["events"]),
       "the programs' accounts sign in with their passwords and their grants (%s)"
       % (p.stdout + p.stderr).strip())

p = tessera("restore", "--db-socket", a.sock, "--media", media_a, DEST)
tap.ok(p.returncode != 0 and "--force" in p.stderr, "a restore over a database with tables is "
       "refused without --force (%s)" % p.stderr.strip())

bad = os.path.join(WORK, "b1-damaged")
shutil.copytree(DEST, bad)
with open(os.path.join(bad, "database.sql"), "r+b") as f:
    f.seek(-200, os.SEEK_END)
    byte = f.read(1)
    f.seek(-200, os.SEEK_END)
    f.write(bytes([byte[0] ^ 1]))
a.sql("INSERT INTO %s.outbox (topic, payload) VALUES ('after_restore', '{}')" % tap.DB_NAME)
marker = checksums(a.sql)["outbox"]
p = tessera("restore", "--db-socket", a.sock, "--media", media_a, "--force", bad)
tap.ok(p.returncode != 0 and "database.sql: FAILED" in p.stderr and "damaged" in p.stderr,
       "a backup whose checksum does not match is refused (%s)" % p.stderr.strip())
tap.is_eq(checksums(a.sql)["outbox"], marker, "and nothing was changed")
os.unlink(os.path.join(bad, "media.tar"))
p = tessera("restore", "--db-socket", a.sock, "--media", media_a, "--force", bad)
tap.ok(p.returncode != 0 and "media.tar" in p.stderr, "so is one with a part missing")
a.stop()

# ---------------------------------------------------------------- replica
# A second backup, taken while rows are written one commit at a time: the
# snapshot and its GTID position must be the same instant, or the seeded
# replica would miss rows or meet them twice (a duplicate key stops it).
LOAD = "backup_load_%d" % os.getpid()
writer = subprocess.Popen(tap.ROOT_SQL + ["--socket=" + tap.SOCKETS["primary"], tap.DB_NAME],
                          stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, text=True)
writer.stdin.write("".join("INSERT INTO audit_log (action, target) VALUES ('%s', '%d'); "
                           "DO SLEEP(0.002);\n" % (LOAD, i) for i in range(1500)))
writer.stdin.close()
time.sleep(0.5)
DEST2 = os.path.join(WORK, "b2")
p = tessera("backup", "--db-socket", tap.SOCKETS["primary"], "--media", MEDIA, DEST2)
writer.wait()
tap.ok(p.returncode == 0, "a second backup, while rows are written (%s)" % p.stdout.strip())
with open(os.path.join(DEST2, "backup.info")) as f:
    info2 = dict(l.strip().split("=", 1) for l in f if "=" in l)
load_count = "SELECT COUNT(*) FROM %s.audit_log WHERE action = '%s'" % (tap.DB_NAME, LOAD)

b = ScratchDB("seeded", 32, 2).start()
p = tessera("restore", "--db-socket", b.sock, "--media", os.path.join(WORK, "media-b"),
            "--replica", DEST2)
tap.ok(p.returncode == 0 and info2["gtid"] in p.stdout,
       "restore --replica seeds a server at the backup's position (%s)" % p.stdout.strip())
tap.is_eq(b.sql("SELECT @@gtid_slave_pos"), [[info2["gtid"]]], "its gtid_slave_pos is the backup's")
in_backup = int(b.sql(load_count)[0][0])
tap.ok(0 < in_backup < 1500, "the backup caught the writes half-way (%d of 1500 rows)" % in_backup)
b.sql("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=%d, MASTER_USER='tessera_repl', "
      "MASTER_PASSWORD='%s', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE"
      % (PRIMARY_PORT, secrets["REPL_PASSWORD"]))
# Written after the backup: only replication brings it.
later, later_id = fixtures.account("after-backup")
pos = fixtures.value("SELECT @@gtid_binlog_pos")
got = b.sql("SELECT MASTER_GTID_WAIT('%s', 30)" % pos)
tap.is_eq(got, [["0"]], "the seeded replica catches up with the primary by GTID")
tap.ok(b.sql("SELECT email FROM %s.users WHERE id = %d" % (tap.DB_NAME, later_id)) == [[later]],
       "and has the account made after the backup")
tap.is_eq(b.sql(load_count), [["1500"]], "and every row written during it, once")
now = checksums(primary_sql)
seeded = checksums(b.sql)
differ = [t for t in now if seeded.get(t) != now[t]]
tap.ok(not differ, "every table matches the primary's (%d tables; differ: %s)" % (len(now), differ))
status = b.sql("SHOW SLAVE STATUS")
tap.ok(status and status[0][10] == "Yes" and status[0][11] == "Yes",
       "both replication threads run")
b.sql("STOP SLAVE")
b.stop()

tap.ok(tap.worker_start(), "the worker starts again")
shutil.rmtree(WORK, ignore_errors=True)
tap.done()
