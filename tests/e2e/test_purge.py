"""The worker deletes what has expired: sessions past their end or idle
too long, mailed tokens a day after they stopped working, and old sign-in
failure counts, while everything still live stays."""

import time

import tap

DB = tap.DB_NAME


def value(q):
    return tap.sql_value("primary", q, database=DB)


uid = int(value("SELECT id FROM users WHERE email = 'carla@tessera.test'"))
tag = "purge-%d" % int(time.time())


def add_session(expires, seen):
    value("INSERT INTO sessions (token_hash, user_id, csrf_secret, expires_at, last_seen_at, user_agent) "
          "VALUES (UNHEX(SHA2(UUID(), 256)), %d, UNHEX(SHA2(UUID(), 256)), %s, %s, '%s')"
          % (uid, expires, seen, tag))


tap.ok(tap.worker_stop(), "worker stopped")
add_session("UTC_TIMESTAMP() - INTERVAL 1 HOUR", "UTC_TIMESTAMP() - INTERVAL 2 HOUR")
add_session("UTC_TIMESTAMP() + INTERVAL 1 DAY", "UTC_TIMESTAMP() - INTERVAL 8 DAY")
add_session("UTC_TIMESTAMP() + INTERVAL 1 DAY", "UTC_TIMESTAMP()")
value("INSERT INTO account_tokens (user_id, purpose, token_hash, expires_at) VALUES "
      "(%d, 'reset', UNHEX(SHA2(UUID(), 256)), UTC_TIMESTAMP() - INTERVAL 2 DAY), "
      "(%d, 'reset', UNHEX(SHA2(UUID(), 256)), UTC_TIMESTAMP() + INTERVAL 1 HOUR)" % (uid, uid))
value("INSERT INTO login_throttle (scope, subject, failures, last_failure, locked_until) VALUES "
      "('ip', '%s-old', 3, UTC_TIMESTAMP() - INTERVAL 2 DAY, NULL), "
      "('ip', '%s-new', 3, UTC_TIMESTAMP(), NULL)" % (tag, tag))
tap.ok(tap.worker_start(), "worker started")

deadline = time.time() + 20
while time.time() < deadline and value(
        "SELECT COUNT(*) FROM sessions WHERE user_agent = '%s'" % tag) != "1":
    time.sleep(0.5)
tap.is_eq(value("SELECT COUNT(*) FROM sessions WHERE user_agent = '%s'" % tag), "1",
          "expired and idle sessions are deleted, the live one stays")
tap.is_eq(value("SELECT COUNT(*) FROM sessions WHERE user_agent = '%s' "
                "AND expires_at > UTC_TIMESTAMP() AND last_seen_at > UTC_TIMESTAMP() - INTERVAL 1 HOUR" % tag),
          "1", "the one left is the live one")
tap.is_eq(value("SELECT COUNT(*) FROM account_tokens WHERE user_id = %d "
                "AND expires_at < UTC_TIMESTAMP() - INTERVAL 1 DAY" % uid), "0",
          "a token dead for a day is deleted")
tap.ok(int(value("SELECT COUNT(*) FROM account_tokens WHERE user_id = %d "
                 "AND expires_at > UTC_TIMESTAMP()" % uid)) >= 1, "a live token stays")
tap.is_eq(value("SELECT GROUP_CONCAT(subject) FROM login_throttle WHERE subject LIKE '%s-%%'" % tag),
          "%s-new" % tag, "old failure counts go, recent ones stay")
value("DELETE FROM sessions WHERE user_agent = '%s'" % tag)
value("DELETE FROM account_tokens WHERE user_id = %d" % uid)
value("DELETE FROM login_throttle WHERE subject LIKE '%s-%%'" % tag)
tap.done()
