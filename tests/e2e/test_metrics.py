"""Monitoring: every FastCGI program answers its counters at /metrics
(tessera-browse) or /metrics/NAME, in Prometheus' text format (checked by
promtool): requests by route and status, a latency histogram per route,
database errors and which server answered reads, the replicas' lag; the
admin program adds the outbox's backlog and oldest age, the unpaid holds
about to expire and each worker's heartbeat and mail counts. Only
localhost may ask. The scrape config and alert rules in deploy/prometheus
pass promtool."""

import os
import random
import re
import shutil
import subprocess
import time

import tap
from fixtures import CODE_CHARS

DB = tap.DB_NAME
PROM = os.path.join(tap.SRC, "deploy", "prometheus")
SAMPLE = re.compile(r'^([a-z_]+)\{(.*)\} (\S+)$')
PROGRAMS = (("/metrics", "tessera-browse"), ("/metrics/app", "tessera-app"),
            ("/metrics/admin", "tessera-admin"))


def value(q):
    return tap.sql_value("primary", q, database=DB)


def scrape(path):
    """(response, {(name, frozenset of label pairs): value})."""
    r = tap.get(path)
    out = {}
    for line in r.body.splitlines():
        m = SAMPLE.match(line)
        if m:
            labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2)))
            out[(m.group(1), labels)] = float(m.group(3))
    return r, out


def pick(samples, name, **want):
    """The sum of name's samples whose labels include want."""
    return sum(v for (n, labels), v in samples.items()
               if n == name and set(want.items()) <= set(labels))


promtool = shutil.which("promtool")

# ---------------------------------------------------------------- each program
for path, program in PROGRAMS:
    r, s = scrape(path)
    tap.is_eq(r.status, 200, "%s answers localhost" % path)
    tap.ok((r.headers.get("Content-Type") or "").startswith("text/plain; version=0.0.4"),
           "%s is Prometheus' text format" % path)
    tap.ok(s and all(dict(labels).get("program") == program for (_, labels) in s),
           "every sample of %s is %s's" % (path, program))
    if promtool:
        p = subprocess.run([promtool, "check", "metrics"], input=r.body, text=True,
                           capture_output=True, timeout=60)
        # promtool lints names too (counters end in _total...): only
        # errors of the format fail it.
        tap.ok(p.returncode == 0 or "error while linting" not in p.stderr + p.stdout,
               "promtool reads %s (%s)" % (path, (p.stderr + p.stdout).strip()[:200] or "ok"))
    else:
        tap.skip("promtool reads %s" % path, "no promtool (Debian package prometheus)")

# ---------------------------------------------------------------- by route and status
_, before = scrape("/metrics")
for _ in range(3):
    tap.get("/events")
tap.get("/events/999999999")
tap.get("/no/such/page")
_, after = scrape("/metrics")
route = 'GET /events'


def delta(name, **labels):
    return pick(after, name, **labels) - pick(before, name, **labels)


tap.ok(delta("tessera_http_requests_total", route=route, code="200") >= 3,
       "three answers of GET /events counted under their route and code 200")
tap.ok(delta("tessera_http_requests_total", route="GET /events/{id:int}", code="404") >= 1,
       "a missing event: its route, code 404")
tap.ok(delta("tessera_http_requests_total", route="other", code="404") >= 1,
       "an address no route has: route \"other\"")
count = pick(after, "tessera_http_request_duration_seconds_count", route=route)
tap.ok(count >= 3 and pick(after, "tessera_http_request_duration_seconds_bucket",
                           route=route, le="+Inf") == count,
       "the route's latency histogram: its +Inf bucket holds every request")
tap.ok(pick(after, "tessera_http_request_duration_seconds_bucket", route=route, le="0.001") <=
       pick(after, "tessera_http_request_duration_seconds_bucket", route=route, le="0.1") <= count,
       "and its buckets grow with the bound")
tap.ok(delta("tessera_db_reads_total", server="replica") >= 3,
       "tessera-browse's reads went to the replica (%g)"
       % delta("tessera_db_reads_total", server="replica"))
tap.ok(("tessera_db_errors_total", frozenset({("program", "tessera-browse"), ("kind", "connection")}))
       in after, "database errors are counted by kind")
lags = [v for (n, _), v in after.items() if n == "tessera_db_replica_lag_seconds"]
tap.ok(lags and all(0 <= v < 30 for v in lags), "the replica's lag (%s s)" % lags)
tap.is_eq(pick(after, "tessera_db_server_up", server="primary"), 1.0, "the primary is up")

# The counters are the program's, whichever of its workers answered:
# nginx spreads the requests over them, and the sum moves by exactly
# what was sent (two scrapes and ten pages).
_, s1 = scrape("/metrics")
for _ in range(10):
    tap.get("/events")
_, s2 = scrape("/metrics")
n = (pick(s2, "tessera_http_requests_total", route=route) -
     pick(s1, "tessera_http_requests_total", route=route))
tap.is_eq(n, 10.0, "ten requests count ten, across all the workers")

# ---------------------------------------------------------------- the site, on admin's
value("INSERT INTO outbox (topic, payload, next_attempt_at, created_at) VALUES "
      "('metrics_probe', '{}', UTC_TIMESTAMP() + INTERVAL 1 HOUR, "
      "UTC_TIMESTAMP() - INTERVAL 600 SECOND)")
probe = value("SELECT MAX(id) FROM outbox WHERE topic = 'metrics_probe'")
_, a = scrape("/metrics/admin")
tap.ok(pick(a, "tessera_outbox_pending") >= 1, "the outbox's backlog")
tap.ok(pick(a, "tessera_outbox_oldest_seconds") >= 600,
       "the age of its oldest pending row (%g s)" % pick(a, "tessera_outbox_oldest_seconds"))
value("DELETE FROM outbox WHERE id = %s" % probe)
tap.ok(pick(a, "tessera_workers_alive") >= 1, "a worker is alive")
ages = [v for (n, _), v in a.items() if n == "tessera_worker_heartbeat_age_seconds"]
tap.ok(ages and min(ages) <= 60, "its heartbeat is fresh (%s s)" % ages)

held = pick(a, "tessera_orders_expiring")
org = value("SELECT id FROM users WHERE email = 'alice@tessera.test'")
value("INSERT INTO orders (code, event_id, buyer_id, status, total_cents, currency, "
      "hold_expires_at, expiry_warned_at) SELECT '%s', MIN(id), %s, 'held', 0, 'EUR', "
      "UTC_TIMESTAMP() + INTERVAL 2 MINUTE, UTC_TIMESTAMP() FROM events"
      % ("".join(random.choice(CODE_CHARS) for _ in range(16)), org))
_, a2 = scrape("/metrics/admin")
tap.is_eq(pick(a2, "tessera_orders_expiring") - held, 1.0, "a hold ending in two minutes counts")

sent0 = pick(a2, "tessera_worker_mails_sent_total")
value("INSERT INTO outbox (topic, payload) VALUES ('mail', JSON_OBJECT('to', "
      "'metrics@example.com', 'template', 'verify', 'vars', JSON_OBJECT('name', 'M', "
      "'url', 'http://x/verify?token=t')))")
deadline = time.time() + 40
while time.time() < deadline and pick(scrape("/metrics/admin")[1],
                                      "tessera_worker_mails_sent_total") <= sent0:
    time.sleep(1)
tap.ok(pick(scrape("/metrics/admin")[1], "tessera_worker_mails_sent_total") > sent0,
       "a mail sent counts on the worker's heartbeat")
tap.ok(any(n == "tessera_worker_mails_failed_total" for (n, _) in a2), "and mails failed")

# ---------------------------------------------------------------- not from outside
for path, _ in PROGRAMS:
    r = tap.get(path, source="127.0.0.2")
    tap.is_eq(r.status, 403, "%s from another address: 403" % path)
    tap.ok("tessera_" not in r.body, "and no counters")

# ---------------------------------------------------------------- Prometheus' files
if promtool:
    p = subprocess.run([promtool, "check", "config", os.path.join(PROM, "prometheus.yml")],
                       capture_output=True, text=True, timeout=60)
    tap.ok(p.returncode == 0, "promtool check config (%s)" % (p.stdout + p.stderr).strip()[-300:])
    p = subprocess.run([promtool, "check", "rules", os.path.join(PROM, "tessera.rules.yml")],
                       capture_output=True, text=True, timeout=60)
    tap.ok(p.returncode == 0, "promtool check rules (%s)" % (p.stdout + p.stderr).strip()[-300:])
else:
    tap.ok(False, "promtool is installed (./stack installs Debian's prometheus)")

tap.done()
