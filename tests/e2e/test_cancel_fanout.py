"""Cancelling an event with many ticket holders: the worker undoes their
orders in batches (EVENT_CANCEL_BATCH orders per transaction, locked with
SKIP LOCKED), each order's notification and mail written with it. Killed
(SIGKILL) in the middle of the fan-out and started again, it still
gives every holder exactly one notification and one mail, and leaves no
order half-undone: the batch it was in rolls back whole."""

import glob
import os
import random
import signal
import time

import tap
from fixtures import CODE_CHARS, MAIL_DIR, new_event

DB = tap.DB_NAME
TAG = "kf%d" % (int(time.time()) % 100000000)
N = 2000


def value(q):
    return tap.sql_value("primary", q, database=DB)


def count(q):
    return int(value(q))


def undone():
    return count("SELECT COUNT(*) FROM orders WHERE event_id = %d AND status = 'refunded'" % ev)


ev, (tt,) = new_event(TAG + " Stadium", [("Entry", 0, N, 10, 0)])
value("INSERT INTO users (email, display_name, password_hash, email_verified_at) "
      "SELECT CONCAT('%s-', s.seq, '@example.com'), CONCAT('Holder ', s.seq), password_hash, "
      "UTC_TIMESTAMP() FROM seq_1_to_%d s JOIN users u ON u.email = 'alice@tessera.test'"
      % (TAG, N))
first = count("SELECT MIN(id) FROM users WHERE email LIKE '%s-%%'" % TAG)
codes = ["".join(random.choice(CODE_CHARS) for _ in range(16)) for _ in range(N)]
for i in range(0, N, 500):
    value("INSERT INTO orders (code, event_id, buyer_id, status, total_cents, currency, "
          "provider, paid_at) VALUES %s" % ", ".join(
              "('%s', %d, %d, 'paid', 0, 'EUR', 'free', UTC_TIMESTAMP())"
              % (c, ev, first + i + k) for k, c in enumerate(codes[i:i + 500])))
value("INSERT INTO order_lines (order_id, kind, ticket_type_id, description, quantity, "
      "unit_price_cents) SELECT o.id, 'ticket', %d, 'Entry', 1, 0 FROM orders o "
      "WHERE o.event_id = %d" % (tt, ev))
value("INSERT INTO tickets (order_id, ticket_type_id, code) SELECT o.id, %d, "
      "CONCAT(o.code, 'TICKETZZ') FROM orders o WHERE o.event_id = %d" % (tt, ev))
value("UPDATE ticket_types SET sold = %d WHERE id = %d" % (N, tt))
tap.is_eq(count("SELECT COUNT(*) FROM orders WHERE event_id = %d AND status = 'paid'" % ev), N,
          "%d holders of paid orders" % N)

# As /admin/events/{id}/cancel does it (event_cancel.c).
value("UPDATE events SET status = 'cancelled' WHERE id = %d" % ev)
value("INSERT INTO outbox (topic, payload) VALUES ('event_cancelled', "
      "JSON_OBJECT('event_id', %d, 'reason', 'The stadium is closed.'))" % ev)
started = time.time()
deadline = time.time() + 60
while undone() < 100 and time.time() < deadline:
    time.sleep(0.05)
with open(os.path.join(tap.VAR, "run", "worker.pid")) as f:
    pid = int(f.read().strip())
os.kill(pid, signal.SIGKILL)
at_kill = undone()
tap.ok(100 <= at_kill < N, "the worker is killed in the middle of the fan-out (%d of %d undone)"
       % (at_kill, N))
while os.path.exists("/proc/%d" % pid) and open("/proc/%d/stat" % pid).read().split()[2] != "Z":
    time.sleep(0.05)
time.sleep(0.5)
after = undone()
tap.is_eq(after % 50, 0, "whole batches only: %d orders undone, a multiple of 50" % after)
tap.is_eq(count("SELECT COUNT(*) FROM notifications WHERE kind = 'event_cancelled' AND "
                "subject_id IN (SELECT id FROM orders WHERE event_id = %d)" % ev), after,
          "a notification for each order undone, none for the others")
tap.is_eq(count("SELECT COUNT(*) FROM outbox WHERE topic = 'mail' AND payload LIKE "
                "'%%\"event_cancelled\"%%' AND payload LIKE '%%%s-%%'" % TAG), after,
          "and a mail queued for each")

# Its claim on the row ends (the lease, shortened here), and it starts again.
value("UPDATE outbox SET next_attempt_at = UTC_TIMESTAMP() WHERE topic = 'event_cancelled' "
      "AND processed_at IS NULL AND JSON_EXTRACT(payload, '$.event_id') = %d" % ev)
tap.ok(tap.worker_start(), "the worker starts again")
deadline = time.time() + 180
while undone() < N and time.time() < deadline:
    time.sleep(0.3)
tap.is_eq(undone(), N, "every order is undone")
tap.is_eq(count("SELECT sold FROM ticket_types WHERE id = %d" % tt), 0, "every seat is free")
tap.is_eq(count("SELECT COUNT(*) FROM (SELECT subject_id FROM notifications WHERE kind = "
                "'event_cancelled' AND user_id >= %d AND user_id < %d GROUP BY subject_id "
                "HAVING COUNT(*) = 1) x" % (first, first + N)), N,
          "every holder has exactly one notification")
tap.is_eq(count("SELECT COUNT(*) FROM notifications WHERE kind = 'event_cancelled' AND "
                "user_id >= %d AND user_id < %d" % (first, first + N)), N, "and no more")
tap.is_eq(count("SELECT SUM(unread_notifications) FROM users WHERE id >= %d AND id < %d"
                % (first, first + N)), N, "each counts one unread")
tap.is_eq(count("SELECT COUNT(*) FROM outbox WHERE topic = 'mail' AND payload LIKE "
                "'%%\"event_cancelled\"%%' AND payload LIKE '%%%s-%%'" % TAG), N,
          "exactly one mail queued per holder")

# The mails themselves: one .eml per holder once the worker has sent them.
deadline = time.time() + 240
pending = None
while time.time() < deadline:
    pending = count("SELECT COUNT(*) FROM outbox WHERE topic = 'mail' AND processed_at IS NULL "
                    "AND payload LIKE '%%%s-%%'" % TAG)
    if pending == 0:
        break
    time.sleep(1)
tap.is_eq(pending, 0, "every mail is sent")
elapsed = time.time() - started
per = {}
for name in glob.glob(os.path.join(MAIL_DIR, "*.eml")):
    with open(name, "rb") as f:
        head = f.read(2048).decode("utf-8", "replace")
    for line in head.splitlines():
        if line.startswith("To: %s-" % TAG):
            addr = line[4:].strip()
            per[addr] = per.get(addr, 0) + 1
            break
tap.is_eq(len(per), N, "a mail file for every holder")
tap.is_eq(sorted(set(per.values())), [1], "exactly one each")
tap.diag("%d holders: undone, told and mailed in %.0f s, a kill and restart included"
         % (N, elapsed))

tap.done()
