-- "Your order is about to expire": the worker tells the buyer of an
-- unpaid order holding seats once, a few minutes before its hold runs
-- out. expiry_warned_at is that once: set in the transaction that writes
-- the notification and queues the mail, on the order locked, so a second
-- worker or a restart finds it set, and a payment or cancellation that
-- came first leaves the order out of the scan (orders_expiry's status).
ALTER TABLE orders
  ADD COLUMN expiry_warned_at DATETIME NULL;

-- Each worker's mails since it started, with its heartbeat: the admin
-- program's /metrics shows them per worker (a counter that starts again
-- with the worker, as Prometheus expects of a restarted process).
ALTER TABLE worker_heartbeat
  ADD COLUMN mails_sent BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN mails_failed BIGINT UNSIGNED NOT NULL DEFAULT 0;
