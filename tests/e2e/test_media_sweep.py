"""`tessera sweep-media`: the media store's files that no picture row
names (an original renamed in before a crash undid its upload's
transaction, the sizes of a picture deleted meanwhile) are removed once
older than the grace period; the files of live pictures, young orphans
(an upload may be committing) and files that are no picture's are kept;
--dry-run only counts."""

import hashlib
import os
import subprocess
import time

import tap

DB = tap.DB_NAME
BUILD = os.environ.get("TESSERA_TEST_BUILD", os.path.join(tap.SRC, "build"))
TESSERA = os.path.join(BUILD, "tessera")
MEDIA = os.path.join(tap.VAR, "media")
secrets = tap.secrets()
ENV = dict(os.environ, TESSERA_DB_PRIMARY="unix:" + tap.SOCKETS["primary"],
           TESSERA_DB_NAME=DB, TESSERA_DB_USER="tessera_migrate",
           TESSERA_DB_PASSWORD=secrets["MIGRATE_PASSWORD"], TESSERA_MEDIA_DIR=MEDIA)
OLD = time.time() - 2 * 3600
DERIVED = ("-400.webp", "-400.jpg", "-1600.webp", "-1600.jpg")


def value(q):
    return tap.sql_value("primary", q, database=DB)


def put(area, name, age=None):
    path = os.path.join(MEDIA, area, name)
    with open(path, "wb") as f:
        f.write(b"bytes of " + name.encode())
    if age is not None:
        os.utime(path, (age, age))
    return path


def files(key):
    """The original and derived files of key, written two hours ago."""
    return [put("originals", key, OLD)] + [put("public", key + d, OLD) for d in DERIVED]


def sweep(*args):
    p = subprocess.run([TESSERA, "sweep-media"] + list(args), env=ENV,
                       capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout + p.stderr


owner = int(value("SELECT id FROM users WHERE email = 'alice@tessera.test'"))
live = os.urandom(16).hex()
value("INSERT INTO pictures (owner_id, title, licence, format, width, height, bytes, "
      "sha256, storage_key, status) VALUES (%d, 'Swept around', 'cc0', 'png', 1, 1, 1, "
      "UNHEX('%s'), '%s', 'ready')" % (owner, hashlib.sha256(live.encode()).hexdigest(), live))
live_files = files(live)
orphan = os.urandom(16).hex()
orphan_files = files(orphan)
young = os.urandom(16).hex()
young_files = [put("originals", young), put("public", young + "-400.webp")]
stranger = put("public", "not-a-picture.txt", OLD)

def on_disk():
    return sorted(k for (k,) in tap.sql("primary", "SELECT storage_key FROM pictures",
                                        database=DB)
                  if os.path.exists(os.path.join(MEDIA, "originals", k)))


before = on_disk()
rc, out = sweep("--dry-run")
tap.is_eq(rc, 0, "sweep-media --dry-run (%s)" % out.strip())
tap.like(out, r"would remove \d+ original", "... says what it would remove")
tap.ok(all(os.path.exists(f) for f in orphan_files), "... and removes nothing")

rc, out = sweep()
tap.is_eq(rc, 0, "sweep-media (%s)" % out.strip())
tap.ok(not any(os.path.exists(f) for f in orphan_files),
       "an orphan original and its derived files, two hours old, are removed")
tap.ok(all(os.path.exists(f) for f in live_files), "a live picture's files are kept")
tap.ok(all(os.path.exists(f) for f in young_files), "a young orphan is kept (it may be committing)")
tap.ok(os.path.exists(stranger), "a file that is no picture's is left alone")
tap.is_eq(on_disk(), before, "every picture's original on disk before is still there")
rc, out = sweep("--min-age", "0")
tap.ok(rc == 0 and not any(os.path.exists(f) for f in young_files),
       "with --min-age 0 the young orphan goes too (%s)" % out.strip())
tap.ok(all(os.path.exists(f) for f in live_files), "... and the live files stay")
rc, out = sweep("--min-age", "soon")
tap.is_eq(rc, 2, "a bad --min-age is a usage error")
os.unlink(stranger)
value("DELETE FROM pictures WHERE storage_key = '%s'" % live)
for f in live_files:
    os.unlink(f)

tap.done()
