-- Buying a picture's original through the order flow of tickets: an order
-- is either an event's (tickets) or pictures' (no event, event_id NULL),
-- and a picture line names its picture. Ticket orders are unchanged.
--
-- picture_purchases is what a paid picture order gives its buyer: one row
-- per picture and buyer, written in the transaction that moves the order
-- to paid (tessera-app's checkout, picture_purchases.c). Its primary key
-- is why one person never pays twice for one picture: a second paid order
-- of the same picture fails its insert and is refunded. The download
-- check, the picture page's "download" and /me/purchases read it with its
-- order, which must still be paid: a refund takes the download back.
--
-- pictures.sales_count and sales_cents are the sales /me/pictures shows,
-- kept by the same transaction (the read model of DESIGN.md).

ALTER TABLE orders
  MODIFY event_id BIGINT UNSIGNED NULL;

-- A deleted picture leaves its lines as the history of the order.
ALTER TABLE order_lines
  ADD COLUMN picture_id BIGINT UNSIGNED NULL AFTER ticket_type_id,
  ADD CONSTRAINT order_lines_picture FOREIGN KEY (picture_id)
    REFERENCES pictures (id) ON DELETE SET NULL,
  ADD KEY order_lines_by_picture (picture_id, order_id);

ALTER TABLE pictures
  ADD COLUMN sales_count INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN sales_cents BIGINT UNSIGNED NOT NULL DEFAULT 0;

CREATE TABLE picture_purchases (
  picture_id   BIGINT UNSIGNED NOT NULL,
  buyer_id     BIGINT UNSIGNED NOT NULL,
  order_id     BIGINT UNSIGNED NOT NULL,
  price_cents  INT UNSIGNED NOT NULL,
  currency     CHAR(3) NOT NULL,
  created_at   DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  PRIMARY KEY (picture_id, buyer_id),
  CONSTRAINT picture_purchases_picture FOREIGN KEY (picture_id)
    REFERENCES pictures (id) ON DELETE CASCADE,
  CONSTRAINT picture_purchases_buyer FOREIGN KEY (buyer_id) REFERENCES users (id),
  CONSTRAINT picture_purchases_order FOREIGN KEY (order_id) REFERENCES orders (id),
  KEY picture_purchases_by_buyer (buyer_id, created_at),
  KEY picture_purchases_by_order (order_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
