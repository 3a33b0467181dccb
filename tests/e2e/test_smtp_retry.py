"""The mail relay down: with the worker sending to a fake relay that
refuses (fake_smtp.py), a booking's notification is still written once,
its mail fails and is retried with backoff, the failure shows on
/admin/status, and once the mail can go (the worker back on its mail
directory, the row retried from the status page) it is delivered, once."""

import os
import re
import time

import fake_smtp
import tap
from fixtures import hold, mails_to, make_accounts, new_event, pay_with, sign_in, wait_for

DB = tap.DB_NAME
TAG = "sm%d" % (int(time.time()) % 100000000)


def value(q):
    return tap.sql_value("primary", q, database=DB)


ev, (tt,) = new_event(TAG + " Relay down", [("Free", 0, 100, 5, 0)])
(uid, c), = make_accounts(TAG, 1)
addr = value("SELECT email FROM users WHERE id = %d" % uid)

relay = fake_smtp.start()
tap.worker_stop()
os.environ["STACK_SMTP_URL"] = relay.url
tap.ok(tap.worker_start(), "the worker starts with the fake relay, which refuses")
del os.environ["STACK_SMTP_URL"]

code = hold(c, ev, tt)
_, r = pay_with(c, code, "free")
tap.is_eq(r.status, 303, "a booking is confirmed")
tap.is_eq(wait_for("SELECT COUNT(*) FROM notifications WHERE user_id = %d" % uid, "1"), "1",
          "its notification is written: it needs no relay")
row = "SELECT id FROM outbox WHERE topic = 'mail' AND payload LIKE '%%%s%%'" % addr
tap.is_eq(wait_for("SELECT COUNT(*) FROM outbox WHERE topic = 'mail' AND payload LIKE '%%%s%%' "
                   "AND last_error IS NOT NULL" % addr, "1"), "1",
          "its mail fails: the relay refused")
mail_id = int(value(row))
tap.ok(relay.connections() >= 1, "the worker did try the relay (%d)" % relay.connections())
attempts, wait, err = tap.sql("primary", "SELECT attempts, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), "
                              "next_attempt_at), last_error FROM outbox WHERE id = %d" % mail_id,
                              database=DB)[0]
tap.is_eq(attempts, "1", "one attempt")
tap.ok(20 <= int(wait) <= 30, "the next one after a backoff (%s s)" % wait)
tap.ok("421" in err or "smtp" in err.lower(), "the relay's answer is recorded: %s" % err)
tap.is_eq(mails_to(addr), [], "nothing delivered")

admin = sign_in("admin@tessera.test")
status = admin.get("/admin/status").body
tap.ok(re.search(r"<th scope=\"row\">%d<br>" % mail_id, status) is not None,
       "/admin/status lists the failing mail")
tap.ok('action="/admin/outbox/%d/retry"' % mail_id in status, "with a button to retry it")

# The relay stays down; the worker goes back to its mail directory.
tap.worker_stop()
relay.stop()
tap.worker_start()
token = tap.form_value(status, "csrf")
r = admin.post("/admin/outbox/%d/retry" % mail_id, {"csrf": token})
tap.is_eq(r.status, 303, "the admin retries it now")
tap.is_eq(wait_for("SELECT processed_at IS NOT NULL FROM outbox WHERE id = %d" % mail_id, "1"),
          "1", "the mail is delivered later")
deadline = time.time() + 10
while not mails_to(addr) and time.time() < deadline:
    time.sleep(0.3)
tap.is_eq(len(mails_to(addr)), 1, "once")
tap.is_eq(value("SELECT COUNT(*) FROM notifications WHERE user_id = %d" % uid), "1",
          "and the notification stayed one")

tap.done()
