"""The worker releases the seats of unpaid holds: an order held past its
hold_expires_at becomes expired and its tickets' seats go back to their
ticket types, exactly once, while holds still running keep theirs, also
with two workers at once and more overdue holds than one batch."""

import time

import tap

DB = tap.DB_NAME
TAG = "H%07d" % (int(time.time()) % 10000000)   # order codes: TAG + 8 digits


def value(q):
    return tap.sql_value("primary", q, database=DB)


def held(tt):
    return int(value("SELECT held FROM ticket_types WHERE id = %d" % tt))


def add_holds(first, count, tt, seats, expires):
    """count held orders of seats tickets of type tt each, numbered from
    first, whose hold ends at expires (SQL)."""
    value("INSERT INTO orders (code, event_id, buyer_id, status, total_cents, currency, "
          "hold_expires_at) SELECT CONCAT('%s', LPAD(s.seq, 8, '0')), t.event_id, %d, 'held', "
          "%d * t.price_cents, t.currency, %s FROM seq_%d_to_%d s JOIN ticket_types t ON t.id = %d"
          % (TAG, buyer, seats, expires, first, first + count - 1, tt))
    value("INSERT INTO tickets (order_id, ticket_type_id, code) "
          "SELECT o.id, %d, CONCAT(o.code, LPAD(k.seq, 8, '0')) FROM orders o "
          "JOIN seq_1_to_%d k WHERE o.code BETWEEN '%s%08d' AND '%s%08d'"
          % (tt, seats, TAG, first, TAG, first + count - 1))
    value("INSERT INTO order_lines (order_id, kind, ticket_type_id, description, quantity, "
          "unit_price_cents) SELECT o.id, 'ticket', %d, 'Held', %d, 0 FROM orders o "
          "WHERE o.code BETWEEN '%s%08d' AND '%s%08d'"
          % (tt, seats, TAG, first, TAG, first + count - 1))
    value("UPDATE ticket_types SET held = held + %d WHERE id = %d" % (count * seats, tt))


def status_count(status):
    return int(value("SELECT COUNT(*) FROM orders WHERE code LIKE '%s%%' AND status = '%s'"
                     % (TAG, status)))


def wait_expired(n, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline and status_count("expired") < n:
        time.sleep(0.5)
    return status_count("expired")


buyer = int(value("SELECT id FROM users WHERE email = 'dmitri@tessera.test'"))
types = tap.sql("primary", "SELECT t.id, t.held FROM ticket_types t JOIN events e ON e.id = t.event_id "
                "WHERE e.status = 'published' AND e.starts_at > UTC_TIMESTAMP() "
                "AND t.quota - t.sold - t.held >= 200 ORDER BY t.id LIMIT 2", database=DB)
tap.is_eq(len(types), 2, "two ticket types with room for the holds")
(a, a_held), (b, b_held) = [(int(t), int(h)) for t, h in types]

# ---------------------------------------------------------------- one worker
tap.ok(tap.worker_stop(), "worker stopped")
add_holds(1, 1, a, 2, "UTC_TIMESTAMP() - INTERVAL 1 MINUTE")
add_holds(2, 1, a, 3, "UTC_TIMESTAMP() + INTERVAL 1 HOUR")
add_holds(3, 1, b, 1, "UTC_TIMESTAMP() - INTERVAL 1 MINUTE")
tap.is_eq((held(a), held(b)), (a_held + 5, b_held + 1), "the holds hold their seats")
tap.ok(tap.worker_start(), "worker started")
tap.is_eq(wait_expired(2), 2, "both overdue holds expire")
tap.is_eq(status_count("held"), 1, "the running hold stays held")
tap.is_eq(value("SELECT status FROM orders WHERE code = '%s%08d'" % (TAG, 2)), "held",
          "and it is the one still running")
tap.is_eq((held(a), held(b)), (a_held + 3, b_held),
          "the overdue holds' seats are back, the running one's kept")
time.sleep(6)   # one more run of the worker's hold expiry
tap.is_eq((held(a), held(b)), (a_held + 3, b_held), "an expired hold is released only once")

# ---------------------------------------------------------------- two workers, several batches
tap.ok(tap.worker_stop(), "worker stopped again")
add_holds(101, 90, a, 1, "UTC_TIMESTAMP() - INTERVAL 2 MINUTE")
add_holds(201, 90, b, 2, "UTC_TIMESTAMP() - INTERVAL 2 MINUTE")
tap.is_eq((held(a), held(b)), (a_held + 93, b_held + 180), "180 overdue holds wait")
tap.ok(tap.worker_start() and tap.worker_start(second=True), "two workers start")
tap.is_eq(wait_expired(182, timeout=60), 182, "every overdue hold expires")
tap.is_eq((held(a), held(b)), (a_held + 3, b_held),
          "each released exactly once, with two workers at it")
tap.is_eq(status_count("held"), 1, "the running hold is untouched")
recount = value("SELECT COUNT(*) FROM tickets k JOIN orders o ON o.id = k.order_id "
                "WHERE o.status = 'held' AND k.ticket_type_id = %d AND o.code LIKE '%s%%'" % (a, TAG))
tap.is_eq(int(recount), 3, "held seats match a recount of the held orders' tickets")

tap.ok(int(value("SELECT COUNT(*) FROM order_history h JOIN orders o ON o.id = "
                 "h.order_id WHERE o.code LIKE '%s%%' AND h.to_status = 'expired'"
                 % TAG)) == status_count("expired"),
       "every expiry is in the orders' history, once")

# ---------------------------------------------------------------- clean up
tap.ok(tap.worker_stop() and tap.worker_start(), "back to one worker")
value("UPDATE ticket_types SET held = held - 3 WHERE id = %d" % a)
value("DELETE k FROM tickets k JOIN orders o ON o.id = k.order_id WHERE o.code LIKE '%s%%'" % TAG)
value("DELETE h FROM order_history h JOIN orders o ON o.id = h.order_id "
      "WHERE o.code LIKE '%s%%'" % TAG)
value("DELETE l FROM order_lines l JOIN orders o ON o.id = l.order_id "
      "WHERE o.code LIKE '%s%%'" % TAG)
value("DELETE FROM orders WHERE code LIKE '%s%%'" % TAG)
tap.is_eq((held(a), held(b)), (a_held, b_held), "the ticket types are as they were")
tap.done()
