"""A mail goes once when its row cannot be marked after it was sent (the
primary stopped or switched at that moment): the worker records it in
its journal (<var>/state/worker/mail-sent.journal), keeps it across a
stop and a start made while the primary is down (as `tessera promote`
restarts it), does not send it again when the row comes back to it (its
claim lost with the old primary), and marks it once the database takes
the mark. The mark is made to fail by a trigger on the primary that
refuses it for this test's mail; the primary is also stopped while the
worker restarts. Counted in <var>/mail, where the stack's worker
delivers."""

import os
import time

import tap
from fixtures import hold, mails_to, make_accounts, new_event, pay_with, wait_for

DB = tap.DB_NAME
TAG = "mo%d" % (int(time.time()) % 100000000)
JOURNAL = os.path.join(tap.VAR, "state", "worker", "mail-sent.journal")
WORKER_LOG = os.path.join(tap.VAR, "log", "worker.log")
TRIGGER = "test_mail_once_no_mark"


def value(q):
    return tap.sql_value("primary", q, database=DB)


def journal():
    """The journal's lines, [] when empty or absent."""
    try:
        with open(JOURNAL) as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def worker_said(text, since):
    with open(WORKER_LOG, errors="replace") as f:
        f.seek(since)
        return text in f.read()


def drop_trigger():
    # Kept off the binlog, as it was made: the replica never had it.
    tap.sql("primary", "SET sql_log_bin = 0; DROP TRIGGER IF EXISTS %s" % TRIGGER,
            database=DB)


tap.ok(os.path.isdir(os.path.dirname(JOURNAL)) and
       os.stat(os.path.dirname(JOURNAL)).st_mode & 0o777 == 0o700,
       "the worker has a state directory of its own (mode 0700)")
ev, (tt,) = new_event(TAG + " Mail once", [("Free", 0, 100, 5, 0)])
(uid, c), = make_accounts(TAG, 1)
addr = value("SELECT email FROM users WHERE id = %d" % uid)
log_from = os.path.getsize(WORKER_LOG)

tap.sql("primary", """SET sql_log_bin = 0;
DELIMITER //
CREATE TRIGGER %s BEFORE UPDATE ON outbox FOR EACH ROW
IF OLD.topic = 'mail' AND OLD.payload LIKE '%%%s%%'
   AND NEW.processed_at IS NOT NULL THEN
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the mark is refused (test_mail_once)';
END IF//
DELIMITER ;
""" % (TRIGGER, addr), database=DB)
primary_up = True
try:
    code = hold(c, ev, tt)
    _, r = pay_with(c, code, "free")
    tap.is_eq(r.status, 303, "a booking is confirmed")
    row = "SELECT id FROM outbox WHERE topic = 'mail' AND payload LIKE '%%%s%%'" % addr
    tap.ok(wait_for("SELECT COUNT(*) FROM outbox WHERE topic = 'mail' AND payload LIKE "
                    "'%%%s%%'" % addr, "1") == "1", "its mail is queued")
    mail_id = int(value(row))
    deadline = time.time() + 30
    while not mails_to(addr) and time.time() < deadline:
        time.sleep(0.3)
    tap.is_eq(len(mails_to(addr)), 1, "the mail is delivered")
    deadline = time.time() + 10
    while not any(l.startswith("%d " % mail_id) for l in journal()) and time.time() < deadline:
        time.sleep(0.2)
    lines = journal()
    tap.ok(any(l.startswith("%d 1 " % mail_id) for l in lines),
           "the journal names the row and its claim: %s" % lines)
    tap.is_eq(tap.sql("primary", "SELECT attempts, processed_at FROM outbox WHERE id = %d"
                      % mail_id, database=DB), [["1", "NULL"]],
              "the row could not be marked: it keeps its lease")
    tap.ok(os.stat(JOURNAL).st_mode & 0o777 == 0o600, "the journal is mode 0600")

    # The primary goes away; the worker is restarted meanwhile, as
    # `tessera promote` does.
    tap.ok(tap._stack("primary", "stop"), "./stack primary stop")
    primary_up = False
    t = time.time()
    tap.ok(tap.worker_stop(), "the worker stops on SIGTERM with the primary down")
    tap.ok(time.time() - t < 20, "... within %.1f s" % (time.time() - t))
    tap.ok(tap.worker_start(), "it starts again with the primary down")
    time.sleep(2)
    tap.ok(any(l.startswith("%d " % mail_id) for l in journal()),
           "the journal still holds the row")
    tap.ok(tap._stack("primary", "start"), "./stack primary start")
    primary_up = True

    # The row comes back to the worker: due again, its claim undone, as
    # when the claim never reached the primary that takes the writes now.
    tap.sql("primary", "UPDATE outbox SET attempts = attempts - 1, next_attempt_at = "
            "UTC_TIMESTAMP() WHERE id = %d" % mail_id, database=DB)
    deadline = time.time() + 30
    while not worker_said("outbox %d: mail delivered before (journal), not sent again"
                          % mail_id, log_from) and time.time() < deadline:
        time.sleep(0.3)
    tap.ok(worker_said("outbox %d: mail delivered before (journal), not sent again"
                       % mail_id, log_from),
           "the worker claimed the row again and did not send it")
    time.sleep(1)
    tap.is_eq(len(mails_to(addr)), 1, "still one message")
    tap.is_eq(value("SELECT processed_at IS NULL FROM outbox WHERE id = %d" % mail_id), "1",
              "the mark is still refused")

    drop_trigger()
    tap.is_eq(wait_for("SELECT processed_at IS NOT NULL FROM outbox WHERE id = %d" % mail_id,
                       "1"), "1", "the database takes the mark again: the row is processed")
    deadline = time.time() + 10
    while journal() and time.time() < deadline:
        time.sleep(0.2)
    tap.is_eq(journal(), [], "the journal is empty again")
    tap.ok(worker_said("outbox %d: mail sent by attempt" % mail_id, log_from),
           "the worker's log says it marked a mail sent before")
    time.sleep(1)
    tap.is_eq(len(mails_to(addr)), 1, "the mail was delivered exactly once")
    tap.is_eq(value("SELECT COUNT(*) FROM outbox WHERE processed_at IS NULL AND payload LIKE "
                    "'%%%s%%'" % addr), "0", "nothing of the booking is left pending")
finally:
    if not primary_up:
        tap._stack("primary", "start")
    drop_trigger()

tap.done()
