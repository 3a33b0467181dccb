-- An event's orders by status and time of payment, for its organizer's
-- pages: the attendee list and its export read every order of one event
-- (or those of one status), the statistics its paid orders and when they
-- were paid (from the index alone), the door its paid tickets. Without it
-- they read every order of the event through the foreign key's index and
-- look each one up to test its status.
--
-- The foreign key orders_event needs an index that starts with event_id:
-- this one does, so the one InnoDB made for it (event_id alone) goes.
ALTER TABLE orders
  ADD KEY orders_by_event (event_id, status, paid_at),
  DROP KEY orders_event;
