"""The read-your-writes cookie (tessera_sync) cannot be used to make pages
slow: it is signed with the site key and carries its expiry, so a forged,
altered or expired one is ignored; a genuine one for a GTID a replica has
not applied makes a page wait for that replica once, not once per query.
Counted on the replica by MariaDB's Master_gtid_wait_* status."""

import base64
import hashlib
import hmac
import time

import tap

DB = tap.DB_NAME
KEY = tap.secrets()["SESSION_PASSWORD"]     # TESSERA_SECRET_KEY of the stack
FUTURE = "0-1-999999999"                     # a GTID no server has written


def waits():
    rows = tap.sql("replica", "SHOW GLOBAL STATUS LIKE 'Master_gtid_wait_%'")
    got = {name: int(v) for name, v in rows}
    return got["Master_gtid_wait_count"], got["Master_gtid_wait_timeouts"]


def signed(gtid, expires):
    mac = hmac.new(KEY.encode(), ("sync|%s|%d" % (gtid, expires)).encode(),
                   hashlib.sha256).digest()
    return "%s.%d.%s" % (gtid, expires,
                         base64.urlsafe_b64encode(mac).decode().rstrip("="))


event = tap.sql_value("primary", "SELECT MIN(id) FROM events WHERE status = 'published' "
                      "AND ends_at > UTC_TIMESTAMP()", database=DB)
# The event page reads the event, its ticket types and its reviews: three
# queries on the replica. The session cookie keeps the micro-cache out.
path = "/events/%s" % event


def page_with(sync):
    before = waits()
    r = tap.get(path, headers={"Cookie": "tessera_session=x; tessera_sync=" + sync})
    after = waits()
    return r.status, after[0] - before[0], after[1] - before[1]


tap.wait_replica()
now = int(time.time())
tap.is_eq(page_with(FUTURE), (200, 0, 0), "an unsigned GTID is ignored: no wait")
tap.is_eq(page_with(signed(FUTURE, now + 60)[:-2] + "AA"), (200, 0, 0),
          "so is one with a wrong signature")
tap.is_eq(page_with(signed("0-1-999999998", now + 60).replace("999999998", FUTURE[4:], 1)),
          (200, 0, 0), "or with its GTID changed")
tap.is_eq(page_with(signed(FUTURE, now - 5)), (200, 0, 0), "or expired")
tap.is_eq(page_with(signed(FUTURE, now + 3600)), (200, 0, 0),
          "or claiming to last longer than the site makes them")
st, count, timeouts = page_with(signed(FUTURE, now + 60))
tap.is_eq((st, count, timeouts), (200, 1, 1),
          "a signed one the replica has not reached waits once for the page, "
          "not once per query")
gtid = tap.sql_value("primary", "SELECT @@gtid_binlog_pos")
tap.wait_replica()
st, count, timeouts = page_with(signed(gtid, now + 60))
tap.is_eq((st, count, timeouts), (200, 1, 0), "one the replica has applied returns at once")

tap.done()
