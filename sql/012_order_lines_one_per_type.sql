-- An order has one line per ticket type: the seat counters move by a join
-- of ticket_types with the order's lines (orders.c), which must meet each
-- type once. Picture lines (ticket_type_id NULL) are not limited.
ALTER TABLE order_lines
  ADD UNIQUE KEY order_lines_one_per_type (order_id, ticket_type_id);
