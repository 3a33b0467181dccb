-- Paying offline (a bank transfer, cash at the door): an event may let a
-- buyer reserve and pay later. The order then waits as pending_payment,
-- keeping its seats until its deadline (orders.hold_expires_at): the
-- order time plus offline_payment_days, but never after the event ends.
-- offline_instructions tell the buyer how to pay (account, reference).
ALTER TABLE events
  ADD COLUMN offline_payment_days SMALLINT UNSIGNED NULL AFTER refunds_until,
  ADD COLUMN offline_instructions VARCHAR(1000) NOT NULL DEFAULT ''
    AFTER offline_payment_days,
  ADD CONSTRAINT events_offline_days
    CHECK (offline_payment_days IS NULL OR offline_payment_days BETWEEN 1 AND 365);

-- A paid offline order the buyer cancelled: the seats are back on sale
-- and the organizer owes the money, until they record it paid back.
ALTER TABLE orders MODIFY status
  ENUM('held','pending_payment','paid','cancelled','expired','refunded',
       'refund_due') NOT NULL;
