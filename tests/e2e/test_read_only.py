#!/usr/bin/env python3
"""The primary stopped (./stack primary stop): pages are read from the
replica and say that booking is paused; signing in and booking answer a
503 page that says why; once the primary is back, the notice goes and
signing in works again. The primary is started again whatever happens,
so the scripts after this one find the stack whole."""

import re

import fixtures
import tap

NOTICE = "Booking is paused for a moment"

ev = int(tap.sql_value("primary", "SELECT MIN(id) FROM %s.events WHERE "
                       "status = 'published' AND starts_at > UTC_TIMESTAMP()"
                       % tap.DB_NAME))
tt = int(tap.sql_value("primary", "SELECT MIN(id) FROM %s.ticket_types "
                       "WHERE event_id = %d" % (tap.DB_NAME, ev)))
r = tap.get("/events/%d" % ev)
tap.ok(r.status == 200 and NOTICE not in r.body,
       "with the primary up, no notice on the event page")
anon = tap.Client()
login_token = tap.form_value(anon.get("/login").body, "csrf")
buyer = fixtures.sign_in("alice@tessera.test")
book_token = tap.form_value(buyer.get("/events/%d/book?tt%%5B0%%5D%%5Bid%%5D="
                                      "%d&tt%%5B0%%5D%%5Bqty%%5D=1" % (ev, tt))
                            .body, "csrf")
paid_before = tap.sql_value("primary", "SELECT COUNT(*) FROM %s.orders"
                            % tap.DB_NAME)

stopped = tap._stack("primary", "stop")
tap.ok(stopped, "./stack primary stop")
try:
    r = tap.get("/events/%d" % ev)
    tap.is_eq(r.status, 200, "primary down: the event page is still served")
    tap.ok(NOTICE in r.body, "... and says \"%s\"" % NOTICE)
    tap.ok(re.search(r'<p class="notice" role="status">Booking is paused',
                     r.body), "... as a status notice inside main")
    r = tap.get("/events")
    tap.ok(r.status == 200 and NOTICE in r.body, "the event list too")

    r = anon.post("/login", {"email": "alice@tessera.test",
                             "password": "tessera-demo", "csrf": login_token})
    tap.is_eq(r.status, 503, "signing in answers 503")
    tap.ok("paused for a moment" in r.body and r.headers.get("Retry-After"),
           "... a page that says writing is paused, with Retry-After")

    r = buyer.post("/events/%d/book" % ev, {"tt[0][id]": tt, "tt[0][qty]": 1,
                                             "csrf": book_token or ""})
    tap.is_eq(r.status, 503, "booking answers 503")
finally:
    started = tap._stack("primary", "start")
tap.ok(started, "./stack primary start (replication running again)")

tap.is_eq(tap.sql_value("primary", "SELECT COUNT(*) FROM %s.orders"
                        % tap.DB_NAME), paid_before,
          "no order was half-made while the primary was down")
fixtures.wait_until(lambda: NOTICE not in tap.get("/events/%d" % ev).body,
                    timeout=20)
tap.ok(NOTICE not in tap.get("/events/%d" % ev).body,
       "the primary back: the notice is gone")
fixtures.sign_in("alice@tessera.test")
tap.done()
