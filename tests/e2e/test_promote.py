"""`tessera promote` and `tessera rejoin`, on three scratch MariaDB servers in
GTID replication (a primary, replicas b and c) and a settings tree of their
own (--root): promote refuses b while c holds rows b never received,
naming c; the primary stopped with rows b received but has not applied yet
(b applies 6 s late): promote refuses while b's applier is stopped,
changing nothing, and once it runs b promoted keeps every one of them and
takes writes, and c follows b (GTID, slave_pos) and gets what is written on
b, nothing lost; a replica that cannot be reached is named with the
command that repoints it; every settings file that names the primary
names the new one, the old one out of the replicas; promoting again
changes nothing; the old primary, started again, is refused as a replica
to promote, rejoins read-only and gets the rows written meanwhile."""

import os
import shutil
import stat
import subprocess
import time

import tap
import scratch_db
from scratch_db import ScratchDB

WORK = os.path.join(tap.VAR, "scratch", "promote")
ETC = os.path.join(WORK, "root", "etc", "tessera")
REPL_PASSWORD = "repl-%d-'quoted'" % os.getpid()

RUN = scratch_db.deploy_command(WORK, ("promote", "rejoin"))


def tessera(*args):
    p = RUN(*args)
    p.out = (p.stdout + p.stderr).strip()
    return p


def promote(*args):
    return tessera("promote", "--root", os.path.join(WORK, "root"), *args)


def rejoin(old, new):
    return tessera("rejoin", "--root", os.path.join(WORK, "root"), old, new)


def write_settings(files):
    os.makedirs(ETC, exist_ok=True)
    for name, text in files.items():
        path = os.path.join(ETC, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o600)


def settings():
    """{file: (mode, text)} of the tree's settings."""
    out = {}
    for name in sorted(os.listdir(ETC)):
        path = os.path.join(ETC, name)
        with open(path) as f:
            out[name] = (stat.S_IMODE(os.stat(path).st_mode), f.read())
    return out


def status(db, field):
    """FIELD of the server's SHOW REPLICA STATUS, or None."""
    out = subprocess.run(["mariadb", "--no-defaults", "--user=root", "--socket=" + db.sock,
                          "-E", "-e", "SHOW REPLICA STATUS"], capture_output=True, text=True,
                         timeout=30).stdout
    for line in out.splitlines():
        key, _, value = line.strip().partition(": ")
        if key == field:
            return value
    return None


def count(db):
    return int(db.sql("SELECT COUNT(*) FROM promo.t")[0][0])


def rows(db):
    return db.sql("SELECT id, what FROM promo.t ORDER BY id")


def insert(db, what, n):
    db.sql("INSERT INTO promo.t (what) SELECT CONCAT('%s', seq) FROM promo.seq_1_to_%d" % (what, n))


a = ScratchDB("promote-a", 41, 0).start()
b = ScratchDB("promote-b", 42, 1).start()
c = ScratchDB("promote-c", 43, 2).start()
A, B, C = "unix:" + a.sock, "unix:" + b.sock, "unix:" + c.sock
B_TCP = "127.0.0.1:%d" % b.port
GONE = "127.0.0.1:1"     # a replica listed whose server does not answer

# b and c follow a from its first transaction, so the replication account
# (REPLICATION SLAVE only, as tessera setup makes it) and the schema
# replicate too, as on a site set up with its replicas.
for r in (b, c):
    r.sql("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=%d, MASTER_USER='tessera_repl', "
          "MASTER_PASSWORD='%s', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE"
          % (a.port, REPL_PASSWORD.replace("'", "''")))
a.sql("CREATE USER 'tessera_repl'@'127.0.0.1' IDENTIFIED BY '%s'; "
      "GRANT REPLICATION SLAVE ON *.* TO 'tessera_repl'@'127.0.0.1'; "
      "CREATE DATABASE promo; CREATE TABLE promo.t (id INT AUTO_INCREMENT PRIMARY KEY, "
      "what VARCHAR(40) NOT NULL)" % REPL_PASSWORD.replace("'", "''"))
insert(a, "before", 200)
pos = a.sql("SELECT @@gtid_binlog_pos")[0][0]
tap.ok(all(r.sql("SELECT MASTER_GTID_WAIT('%s', 30)" % pos) == [["0"]] for r in (b, c)),
       "the replicas follow the primary")
tap.is_eq((count(b), count(c)), (200, 200), "and have its 200 rows")

write_settings({
    "common.env": "TESSERA_DB_NAME=promo\n# the primary\nTESSERA_DB_PRIMARY=%s\n"
                  "TESSERA_DB_REPLICAS=%s,%s,%s\nTESSERA_REPLICA_MAX_LAG=5\n" % (A, B, C, GONE),
    "app.env": "TESSERA_DB_USER=tessera_app\nTESSERA_WORKERS=4\n",
    "migrate.env": "TESSERA_DB_USER=tessera_migrate\nTESSERA_DB_PRIMARY=%s\n" % A,
    "replication.env": "TESSERA_REPL_PASSWORD=%s\n" % REPL_PASSWORD,
})
before = settings()

# ---------------------------------------------------------------- the replica that has the most
# c has 10 rows b never received (b's receiver stopped): promoting b would
# lose them, and promote says to promote c.
b.sql("STOP SLAVE IO_THREAD")
insert(a, "ahead", 10)
pos = a.sql("SELECT @@gtid_binlog_pos")[0][0]
c.sql("SELECT MASTER_GTID_WAIT('%s', 30)" % pos)
p = promote("--address", B_TCP, B)
tap.ok(p.returncode != 0 and "applied transactions %s never received" % B in p.out
       and "promote %s instead" % C in p.out,
       "promote refuses a replica another one is ahead of, naming that one (%s)" % p.out)
tap.ok(settings() == before and status(b, "Master_Host") == "127.0.0.1"
       and status(c, "Master_Port") == str(a.port),
       "and changes nothing: the settings, both replicas")
b.sql("START SLAVE IO_THREAD")
tap.is_eq(b.sql("SELECT MASTER_GTID_WAIT('%s', 30)" % pos), [["0"]], "b gets the 10 rows later")

# The last rows reach b but wait 6 s there before they are applied: the
# primary stops in between, as a crash leaves a replica behind.
b.sql("STOP SLAVE; CHANGE MASTER TO MASTER_DELAY=6; START SLAVE")
insert(a, "last", 50)
pos = a.sql("SELECT @@gtid_binlog_pos")[0][0]
deadline = time.time() + 30
while status(b, "Gtid_IO_Pos") != pos and time.time() < deadline:
    time.sleep(0.1)
tap.ok(status(b, "Gtid_IO_Pos") == pos and count(b) == 210,
       "the replica received the last 50 rows and has not applied them yet")
tap.is_eq(c.sql("SELECT MASTER_GTID_WAIT('%s', 30)" % pos), [["0"]], "c applied them")
a.stop()

# ---------------------------------------------------------------- promote
# Its applier stopped, the replica cannot catch up: promote waits as long
# as it is told, then refuses, and the replica stays one.
b.sql("STOP SLAVE SQL_THREAD")
p = promote("--wait", "1", "--address", B_TCP, B)
tap.ok(p.returncode != 0 and "has not applied" in p.out and "applier runs: No" in p.out,
       "promote refuses a replica that has not applied what it received, saying why (%s)" % p.out)
tap.ok(settings() == before and status(b, "Master_Host") == "127.0.0.1" and count(b) == 210,
       "and changes nothing: the settings, the replica")
b.sql("START SLAVE SQL_THREAD")

p = promote(B)
tap.ok(p.returncode != 0 and "--address HOST:PORT" in p.out and settings() == before,
       "with other replicas to repoint and SERVER a socket, promote asks how they reach it, "
       "changing nothing (%s)" % p.out)

t0 = time.time()
p = promote("--address", B_TCP, B)
took = time.time() - t0
tap.ok(p.returncode == 0 and "takes writes" in p.out and "not restarted" in p.out,
       "tessera promote makes the replica the primary, saying what it did (%.1f s: %s)"
       % (took, p.out.replace("\n", " | ")))
tap.is_eq(count(b), 260, "the new primary applied every row it had received before it stopped "
          "replicating")
tap.ok(status(b, "Master_Host") is None, "it replicates nothing any more (RESET SLAVE ALL)")
tap.is_eq(b.sql("SELECT @@read_only"), [["0"]], "it is not read-only")
tap.ok(status(c, "Master_Port") == str(b.port) and status(c, "Using_Gtid") == "Slave_Pos"
       and status(c, "Slave_IO_Running") == "Yes" and status(c, "Slave_SQL_Running") == "Yes",
       "the other replica follows the new primary by GTID (slave_pos), both threads running")
tap.ok("the replica %s follows %s" % (C, B_TCP) in p.out, "and promote says so")
tap.ok("the replica %s still follows" % GONE in p.out
       and "tessera rejoin %s %s" % (GONE, B_TCP) in p.out,
       "a replica it cannot reach is named, with the command that repoints it")
insert(b, "after", 30)
tap.is_eq(count(b), 290, "it takes writes")
pos = b.sql("SELECT @@gtid_binlog_pos")[0][0]
tap.is_eq(c.sql("SELECT MASTER_GTID_WAIT('%s', 30)" % pos), [["0"]],
          "what is written on the new primary reaches the other replica")
tap.ok(rows(c) == rows(b) and count(c) == 290,
       "which has every row of the new primary, each once, nothing lost (%d rows)" % count(c))

now = settings()
tap.ok("TESSERA_DB_PRIMARY=%s\n" % B in now["common.env"][1]
       and "TESSERA_DB_REPLICAS=%s,%s\n" % (C, GONE) in now["common.env"][1]
       and "# the primary\n" in now["common.env"][1],
       "common.env names the new primary and keeps the old one and the new one out of the "
       "replicas, the rest of the file as it was (%r)" % now["common.env"][1])
tap.ok("TESSERA_DB_PRIMARY=%s\n" % B in now["migrate.env"][1],
       "so does a program's file that names the primary itself")
tap.is_eq(now["app.env"], before["app.env"], "a file that names no server is left alone")
tap.ok(all(mode == 0o600 for mode, _ in now.values()), "every file keeps its mode 0600")

p = promote(B)
tap.ok(p.returncode == 0 and "nothing to do" in p.out,
       "promote again: the primary already, nothing to do (%s)" % p.out)
tap.is_eq(settings(), now, "and the settings are unchanged")

# ---------------------------------------------------------------- the old primary back
a.run()
p = promote(A)
tap.ok(p.returncode != 0 and "not a replica" in p.out,
       "promoting the old primary, which replicates nothing, is refused (%s)" % p.out)
tap.is_eq(settings(), now, "and changes no setting")

p = rejoin(B, "127.0.0.1:%d" % a.port)
tap.ok(p.returncode != 0 and "refused" in p.out,
       "rejoin of the server the settings name as the primary is refused (%s)" % p.out)

p = rejoin(A, B_TCP)
tap.ok(p.returncode == 0 and "replicates" in p.out,
       "tessera rejoin makes the old primary a replica of the new one (%s)"
       % p.out.replace("\n", " | "))
tap.is_eq(a.sql("SELECT @@read_only"), [["1"]], "it is read-only")
tap.ok(status(a, "Slave_IO_Running") == "Yes" and status(a, "Slave_SQL_Running") == "Yes",
       "both its replication threads run")
insert(b, "rejoined", 20)
pos = b.sql("SELECT @@gtid_binlog_pos")[0][0]
tap.is_eq(a.sql("SELECT MASTER_GTID_WAIT('%s', 30)" % pos), [["0"]], "it catches up with the new "
          "primary by GTID")
tap.is_eq(a.sql("SELECT REGEXP_REPLACE(what, '[0-9]+$', '') AS k, COUNT(*), COUNT(DISTINCT what) "
                "FROM promo.t GROUP BY k ORDER BY k"),
          [["after", "30", "30"], ["ahead", "10", "10"], ["before", "200", "200"],
           ["last", "50", "50"], ["rejoined", "20", "20"]],
          "and has every row: its own, and those written on the new primary meanwhile, once")

p = rejoin(A, B_TCP)
tap.ok(p.returncode == 0 and "nothing to do" in p.out, "rejoin again: nothing to do (%s)" % p.out)

tap.is_eq(c.sql("SELECT MASTER_GTID_WAIT('%s', 30)" % pos), [["0"]],
          "and so does the replica that followed the new primary")
tap.ok(rows(c) == rows(b) == rows(a), "the three servers hold the same rows")

a.sql("STOP SLAVE")
c.sql("STOP SLAVE")
a.stop()
b.stop()
c.stop()
shutil.rmtree(WORK, ignore_errors=True)
tap.done()
