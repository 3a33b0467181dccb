/*
 * What the whole site is doing, for the admin program's /metrics: the
 * outbox's backlog and the age of its oldest pending row (the worker
 * falling behind, or stopped), the unpaid orders holding seats and those
 * whose hold ends soon. Read on the primary, where the worker works; two
 * queries through the outbox's and the orders' pending indexes.
 */
#ifndef TESSERA_SITE_GAUGES_H
#define TESSERA_SITE_GAUGES_H

struct arena;
struct db;

struct site_gauges {
	long long outbox_pending;          /* not processed yet */
	long long outbox_oldest_seconds;   /* age of the oldest of them; 0 */
	long long holds;                   /* held or waiting for payment */
	long long holds_expiring;          /* of which ending within soon */
};

/* Reads them; soon is in seconds. Returns 0, -1 or ROW_BAD (row.h). */
int site_gauges_read(struct db *db, struct arena *a, long long soon,
    struct site_gauges *out);

#endif
