-- Booking: what an order is made of (its priced lines, and for tickets one
-- row per seat in tickets), how it got to its state (history), and the
-- limits a ticket type sets on an order and on one account.

-- min_per_order..max_per_order tickets of a type in one order;
-- max_per_account: most tickets of the type one account may hold or have
-- bought at once (0: no cap).
ALTER TABLE ticket_types
  ADD COLUMN min_per_order   INT UNSIGNED NOT NULL DEFAULT 1,
  ADD COLUMN max_per_order   INT UNSIGNED NOT NULL DEFAULT 10,
  ADD COLUMN max_per_account INT UNSIGNED NOT NULL DEFAULT 0,
  ADD CONSTRAINT ticket_types_order_limits
    CHECK (min_per_order >= 1 AND max_per_order >= min_per_order);

-- One priced line of an order: tickets of one type today, a picture later.
-- Amounts are integer minor units of the order's currency.
CREATE TABLE order_lines (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_id         BIGINT UNSIGNED NOT NULL,
  kind             ENUM('ticket','picture') NOT NULL,
  ticket_type_id   BIGINT UNSIGNED NULL,
  description      VARCHAR(200) NOT NULL,
  quantity         INT UNSIGNED NOT NULL,
  unit_price_cents INT UNSIGNED NOT NULL,
  CONSTRAINT order_lines_order FOREIGN KEY (order_id) REFERENCES orders (id),
  CONSTRAINT order_lines_type FOREIGN KEY (ticket_type_id)
    REFERENCES ticket_types (id),
  CONSTRAINT order_lines_quantity CHECK (quantity >= 1),
  CONSTRAINT order_lines_kind CHECK ((kind = 'ticket') = (ticket_type_id IS NOT NULL)),
  KEY order_lines_by_order (order_id),
  KEY order_lines_by_type (ticket_type_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every change of an order's status, with when and why.
CREATE TABLE order_history (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_id    BIGINT UNSIGNED NOT NULL,
  at          DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  from_status VARCHAR(20) NULL,
  to_status   VARCHAR(20) NOT NULL,
  note        VARCHAR(200) NOT NULL DEFAULT '',
  CONSTRAINT order_history_order FOREIGN KEY (order_id) REFERENCES orders (id),
  KEY order_history_by_order (order_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The orders already placed: one line per ticket type, from their tickets.
INSERT INTO order_lines (order_id, kind, ticket_type_id, description, quantity,
  unit_price_cents)
SELECT k.order_id, 'ticket', k.ticket_type_id, tt.name, COUNT(*), tt.price_cents
FROM tickets k JOIN ticket_types tt ON tt.id = k.ticket_type_id
GROUP BY k.order_id, k.ticket_type_id, tt.name, tt.price_cents;

INSERT INTO order_history (order_id, at, from_status, to_status, note)
SELECT id, created_at, NULL, status, 'before order history was kept'
FROM orders;
