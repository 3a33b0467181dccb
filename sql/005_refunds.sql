-- An event's refund policy: until when a buyer may cancel a paid order
-- and get the money back (NULL: no refunds by the buyer).
ALTER TABLE events ADD COLUMN refunds_until DATETIME NULL AFTER ends_at;

-- Demo and older events: refunds until a week before they start.
UPDATE events SET refunds_until = starts_at - INTERVAL 7 DAY;
