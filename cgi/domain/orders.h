/*
 * Orders and the seats they hold (DESIGN.md, "Never oversell"). An order
 * in status 'held' keeps seats of its tickets' types until its
 * hold_expires_at; paying turns them into sold seats, and an unpaid hold
 * expires and gives them back.
 *
 * This module is the only writer of the seat counters
 * ticket_types.sold and ticket_types.held (events.c reads them, and owns
 * quota): each change to them happens here, in the same transaction as
 * the change of the order that explains it.
 *
 * Lock order, for every transaction here: the order rows first (FOR
 * UPDATE), then the ticket_types rows of their tickets; never an order
 * while holding ticket types. Then a transaction that holds an order is
 * never waited for by one holding its ticket types, and the guarded
 * counter updates serialise on the ticket_types rows. Two transactions
 * taking several ticket types in different orders can still deadlock;
 * InnoDB then rolls one back whole, it changed nothing, and db_tx runs it
 * again.
 */
#ifndef TESSERA_ORDERS_H
#define TESSERA_ORDERS_H

struct arena;
struct db;

/* Most overdue holds orders_expire_holds() takes at once. */
#define ORDERS_EXPIRE_BATCH 100

/*
 * Expires one batch of overdue holds in one transaction on the primary:
 * locks up to ORDERS_EXPIRE_BATCH 'held' orders past their
 * hold_expires_at, oldest first, with FOR UPDATE SKIP LOCKED (orders
 * another transaction holds, a payment or another worker, are left for
 * the next run), gives the seats of each order's tickets back to their
 * ticket types (held goes down) and marks the order 'expired'. Opens and
 * commits its own transaction. Returns how many orders it expired (a full
 * batch means more may be waiting), or -1 (logged) having changed
 * nothing.
 */
int orders_expire_holds(struct db *db, struct arena *a);

#endif
