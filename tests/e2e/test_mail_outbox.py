#!/usr/bin/env python3
"""End-to-end checks of the outbox and the real tessera-worker: rows the
programs add in their transactions are mailed exactly once when the worker
is stopped and started, a rolled-back row never; two workers side by side
never handle a row twice; bad rows fail visibly with backoff and give up in
the end without holding up the others; leases are honoured; template
values are escaped in the HTML part. Mails arrive as .eml files in
var/test/mail (the stack's worker has no relay)."""

import email
import email.policy
import glob
import json
import os
import re
import time
import uuid

import tap
from fixtures import wait_until

DB = tap.DB_NAME
MAIL_DIR = os.path.join(tap.VAR, "mail")
LOG_DIR = os.path.join(tap.VAR, "log")
TAG = uuid.uuid4().hex[:8]
SUBJECTS = {
    "verify": "Confirm your email address for Tessera",
    "reset": "Reset your Tessera password",
    "password_changed": "Your Tessera password was changed",
}
VARS = {
    "verify": lambda n: {"name": "Person %d" % n,
                         "verify_url": "http://127.0.0.1/verify?t=%s-%d" % (TAG, n)},
    "reset": lambda n: {"name": "Person %d" % n,
                        "reset_url": "http://127.0.0.1/password/reset?t=%s-%d" % (TAG, n)},
    "password_changed": lambda n: {"name": "Person %d" % n},
}

# ------------------------------------------------------------------ helpers


def lit(s):
    """s as an SQL string literal (the server reads backslash escapes)."""
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"


def address(n, what="m"):
    return "%s-%s-%d@example.test" % (what, TAG, n)


def mail_payload(to, template="verify", variables=None):
    return json.dumps({"to": to, "template": template,
                       "vars": variables if variables is not None else VARS[template](0)})


def add_rows(rows, finish="COMMIT", extra=None):
    """Inserts (topic, payload text[, extra columns]) rows in one
    transaction as root, the way a program does; returns their ids."""
    stmts = ["START TRANSACTION;"]
    for row in rows:
        topic, payload = row[0], row[1]
        cols = dict(extra or {})
        names = ", ".join(["topic", "payload"] + list(cols))
        values = ", ".join([lit(topic), lit(payload)] + list(cols.values()))
        stmts.append("INSERT INTO %s.outbox (%s) VALUES (%s);" % (DB, names, values))
        stmts.append("SELECT LAST_INSERT_ID();")
    stmts.append(finish + ";")
    return [int(r[0]) for r in tap.sql("primary", "\n".join(stmts))]


def add_mails(numbers, template="verify", finish="COMMIT"):
    """One transaction queuing a mail to address(n) for each n; returns
    {id: (address, template)}."""
    rows = [("mail", mail_payload(address(n), template, VARS[template](n)))
            for n in numbers]
    ids = add_rows(rows, finish)
    return {i: (address(n), template) for i, n in zip(ids, numbers)}


def id_list(ids):
    return ",".join(str(i) for i in ids) or "0"


def outbox(ids):
    """{id: row dict} of the outbox rows with those ids."""
    rows = tap.sql("primary", "SELECT id, topic, attempts, processed_at IS NOT NULL, "
                   "next_attempt_at > UTC_TIMESTAMP(), "
                   "TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), next_attempt_at), "
                   "next_attempt_at, IFNULL(last_error, '') "
                   "FROM %s.outbox WHERE id IN (%s)" % (DB, id_list(ids)))
    out = {}
    for r in rows:
        out[int(r[0])] = {"topic": r[1], "attempts": int(r[2]),
                          "processed": r[3] == "1", "later": r[4] == "1",
                          "in_seconds": int(r[5]), "next_attempt_at": r[6],
                          "error": r[7]}
    return out


def processed_count(ids):
    return int(tap.sql_value("primary", "SELECT COUNT(*) FROM %s.outbox WHERE id IN (%s) "
                             "AND processed_at IS NOT NULL" % (DB, id_list(ids))))


def wait_processed(ids, timeout=30):
    return wait_until(lambda: processed_count(ids) == len(ids), timeout)


def files_of(i):
    return glob.glob(os.path.join(MAIL_DIR, "*-%010d.eml" % i))


def read_mail(path):
    with open(path, "rb") as f:
        return email.message_from_bytes(f.read(), policy=email.policy.default)


def all_recipients():
    out = []
    for path in glob.glob(os.path.join(MAIL_DIR, "*.eml")):
        out.append(str(read_mail(path)["To"]))
    return out


def check_delivered(expect, label):
    """Every id of expect ({id: (address, template)}) has exactly one .eml,
    to the right address with the right subject, and is processed."""
    bad = []
    for i, (to, template) in sorted(expect.items()):
        files = files_of(i)
        if len(files) != 1:
            bad.append("%d: %d files" % (i, len(files)))
            continue
        m = read_mail(files[0])
        if str(m["To"]) != to or str(m["Subject"]) != SUBJECTS[template]:
            bad.append("%d: To %s, Subject %s" % (i, m["To"], m["Subject"]))
    tap.ok(not bad, "%s: each of the %d mails arrived exactly once, to its "
           "address with its subject" % (label, len(expect)))
    for b in bad[:10]:
        tap.diag(b)
    rows = outbox(expect)
    tap.ok(len(rows) == len(expect) and all(r["processed"] for r in rows.values()),
           "%s: every row is marked processed" % label)


def delivered_by(logname, ids):
    """The ids of ids that log/LOGNAME.log says this worker delivered,
    as a list (an id twice means it delivered it twice)."""
    try:
        with open(os.path.join(LOG_DIR, logname + ".log")) as f:
            text = f.read()
    except OSError:
        return []
    wanted = set(ids)
    return [int(i) for i in re.findall(r"outbox (\d+): mail \w+ delivered", text)
            if int(i) in wanted]

# ------------------------------------------------------------------ 1: stop, queue, start


def test_stop_start():
    tap.ok(tap.worker_stop(), "the worker stops")
    expect = {}
    expect.update(add_mails([1, 2, 3], "verify"))
    expect.update(add_mails([4, 5, 6], "reset"))
    expect.update(add_mails([7, 8], "password_changed"))
    gone = add_mails([99], "verify", finish="ROLLBACK")
    tap.is_eq(len(outbox(expect)), 8, "eight committed rows are in the outbox")
    tap.is_eq(outbox(gone), {}, "the rolled-back row is not")
    time.sleep(2)
    tap.ok(not any(files_of(i) for i in expect),
           "no mail goes out while the worker is stopped")
    tap.ok(tap.worker_start(), "the worker starts again")
    tap.ok(wait_processed(list(expect)), "it catches up with the rows queued meanwhile")
    check_delivered(expect, "stop/start")
    tap.ok(not any(files_of(i) for i in gone) and address(99) not in all_recipients(),
           "the rolled-back mail is never sent")
    rows = outbox(expect)
    tap.ok(all(r["attempts"] == 1 and r["error"] == "" for r in rows.values()),
           "one attempt each, no error")


def test_stop_mid_batch():
    """A stop while the worker is busy: it finishes the row at hand, gives
    back the rest of its batch, and nothing is sent twice or lost."""
    expect = add_mails(list(range(200, 400)), "verify")
    ids = sorted(expect)
    wait_until(lambda: processed_count(ids) > 0, timeout=15, step=0.02)
    tap.ok(tap.worker_stop(), "the worker stops in the middle of a backlog")
    done = processed_count(ids)
    tap.diag("%d of %d rows were done when it stopped" % (done, len(ids)))
    rows = outbox(ids)
    leased = [i for i, r in rows.items() if not r["processed"] and r["later"]]
    tap.is_eq(leased, [], "no row is left leased: the unhandled part of the "
              "batch was given back")
    tap.ok(all(r["attempts"] == 0 for r in rows.values() if not r["processed"]),
           "and given-back rows do not count an attempt")
    mismatched = [i for i, r in rows.items()
                  if len(files_of(i)) != (1 if r["processed"] else 0)]
    tap.is_eq(mismatched, [], "every processed row has its one mail, the others none")
    tap.ok(tap.worker_start(), "the worker starts again")
    tap.ok(wait_processed(ids), "and finishes the backlog")
    check_delivered(expect, "stopped mid-batch")

# ------------------------------------------------------------------ 2: two workers


def test_two_workers():
    tap.ok(tap.worker_start(second=True), "a second worker starts beside the first")
    # Rows keep coming for about five seconds, several of the workers'
    # polls, so both find some.
    expect = {}
    for k in range(20):
        expect.update(add_mails(list(range(1000 + 5 * k, 1005 + 5 * k)), "reset"))
        time.sleep(0.2)
    ids = sorted(expect)
    tap.is_eq(len(ids), 100, "100 rows queued in 20 transactions")
    tap.ok(wait_processed(ids, timeout=60), "the two workers handle them all")
    check_delivered(expect, "two workers")
    one, two = delivered_by("worker", ids), delivered_by("worker2", ids)
    tap.diag("worker delivered %d, worker2 %d" % (len(one), len(two)))
    both = sorted(one + two)
    tap.is_eq(both, ids, "their logs show each row delivered once, by one of them")
    tap.ok(len(one) > 0 and len(two) > 0, "both workers took part")
    tap.ok(tap.worker_stop() and tap.worker_start(),
           "back to one worker")

# ------------------------------------------------------------------ 3: failures


def test_failures():
    bad = {
        "unknown topic": ("no_such_topic", json.dumps({"x": 1}), "unknown topic"),
        "no recipient": ("mail", json.dumps({"to": 5, "template": "verify"}), '"to"'),
        "unknown mail": ("mail", mail_payload(address(2001), "no_such_mail", {}),
                         "no_such_mail"),
        "vars not an object": ("mail", json.dumps({"to": address(2002),
                                                   "template": "verify", "vars": [1]}),
                               "vars"),
        "payload not an object": ("mail", "[1, 2]", "not a JSON object"),
        "header injection": ("mail", mail_payload(
            address(2003) + "\r\nBcc: evil-%s@example.test" % TAG, "verify",
            VARS["verify"](2003)), "injection"),
    }
    names = list(bad)
    ids = add_rows([(bad[n][0], bad[n][1]) for n in names])
    good = add_mails([2100], "verify")
    tap.ok(wait_processed(list(good), timeout=30),
           "a good mail queued after the bad rows still goes out")
    check_delivered(good, "after bad rows")
    tap.ok(wait_until(lambda: all(r["attempts"] == 1 and r["error"]
                                for r in outbox(ids).values()), timeout=15),
           "every bad row has been tried once and has an error")
    rows = outbox(ids)
    for n, i in zip(names, ids):
        r = rows.get(i, {})
        want = bad[n][2]
        tap.ok(r and not r["processed"] and want in r["error"],
               "%s: last_error says so (%s)" % (n, r.get("error")))
        tap.ok(r and r["later"] and 15 <= r["in_seconds"] <= 31,
               "%s: retried after a backoff (in %s s)" % (n, r.get("in_seconds")))
        tap.ok(not files_of(i), "%s: no mail" % n)
    tap.ok(not any("evil" in to for to in all_recipients()),
           "the injected Bcc never became a recipient")

    # Attempt 10 fails for good: the row is dead, not retried.
    dead = ids[names.index("unknown topic")]
    tap.sql("primary", "UPDATE %s.outbox SET attempts = 9, next_attempt_at = "
            "UTC_TIMESTAMP() WHERE id = %d" % (DB, dead))
    tap.ok(wait_until(lambda: outbox([dead])[dead]["attempts"] == 10, timeout=15),
           "a row on its last attempt is tried again")
    r = outbox([dead])[dead]
    tap.ok(r["error"].startswith("gave up after 10 attempts: unknown topic"),
           "after 10 attempts it gives up, saying so (%s)" % r["error"])
    tap.ok(not r["processed"] and r["next_attempt_at"] == "9999-12-31 23:59:59",
           "and stays unprocessed, never due again (%s)" % r["next_attempt_at"])
    # Leave the stack quiet for the scripts after this one.
    tap.sql("primary", "DELETE FROM %s.outbox WHERE id IN (%s)" % (DB, id_list(ids)))

# ------------------------------------------------------------------ leases


def test_leases():
    held = add_rows([("mail", mail_payload(address(3001), "verify", VARS["verify"](3001)))],
                    extra={"attempts": "1",
                           "next_attempt_at": "UTC_TIMESTAMP() + INTERVAL 300 SECOND"})
    lapsed = add_rows([("mail", mail_payload(address(3002), "verify", VARS["verify"](3002)))],
                      extra={"attempts": "1",
                             "next_attempt_at": "UTC_TIMESTAMP() - INTERVAL 1 SECOND"})
    tap.ok(wait_processed(lapsed, timeout=20),
           "a row whose lease ran out (its worker died) is handled again")
    check_delivered({lapsed[0]: (address(3002), "verify")}, "lapsed lease")
    tap.is_eq(outbox(lapsed)[lapsed[0]]["attempts"], 2, "as its second attempt")
    time.sleep(2)
    r = outbox(held)[held[0]]
    tap.ok(not r["processed"] and r["attempts"] == 1 and not files_of(held[0]),
           "a row under another worker's lease is left alone")
    tap.sql("primary", "DELETE FROM %s.outbox WHERE id = %d" % (DB, held[0]))

# ------------------------------------------------------------------ 4: escaping


def test_escaping():
    name = "<script>alert(\"x\")</script> & 'Zoë'"
    url = "http://127.0.0.1:18080/verify?token=a&b=<c>"
    ids = add_rows([("mail", mail_payload(address(4001), "verify",
                                          {"name": name, "verify_url": url}))])
    tap.ok(wait_processed(ids), "a mail with markup in its vars is sent")
    files = files_of(ids[0])
    if not tap.is_eq(len(files), 1, "as one .eml"):
        return
    m = read_mail(files[0])
    tap.is_eq(m.get_content_type(), "multipart/alternative", "multipart/alternative")
    html = m.get_body(preferencelist=("html",))
    text = m.get_body(preferencelist=("plain",))
    html_s = html.get_content() if html else ""
    text_s = text.get_content() if text else ""
    tap.ok(html is not None and html.get_content_charset() == "utf-8",
           "an HTML part in UTF-8")
    tap.ok("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Zoë&#39;"
           in html_s, "the HTML part shows the markup escaped")
    tap.ok("<script" not in html_s, "and has no script element")
    tap.ok("token=a&amp;b=&lt;c&gt;" in html_s, "the link is escaped in the HTML")
    tap.ok(name in text_s and url in text_s,
           "the text part has the name and the link as they are")
    tap.ok(str(m["Message-ID"]).startswith("<outbox-%d." % ids[0]),
           "the Message-ID names the outbox row")


tap.ok(os.path.isdir(MAIL_DIR), "the worker's mail directory exists: %s" % MAIL_DIR)
try:
    test_stop_start()
    test_stop_mid_batch()
    test_two_workers()
    test_failures()
    test_leases()
    test_escaping()
finally:
    # Whatever happened, leave one worker running, as the stack had it.
    tap.worker_stop()
    tap.worker_start()
tap.done()
