-- Payments by an outside provider: what it calls the payment (for
-- refunds), and every event it told us of, once.

ALTER TABLE orders
  ADD COLUMN provider_payment VARCHAR(200) NULL AFTER provider_ref;

-- A provider's event (a webhook), kept by its id so that the same event
-- delivered twice is acted on once.
CREATE TABLE payment_events (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  provider     VARCHAR(40) NOT NULL,
  event_id     VARCHAR(200) NOT NULL,
  type         VARCHAR(100) NOT NULL,
  order_code   CHAR(16) NULL,
  received_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY payment_events_once (provider, event_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
