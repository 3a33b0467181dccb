/*
 * What an event has sold, for its organizer's statistics: the money of
 * its paid orders per ticket type and currency, and its paid tickets per
 * day in the event's own time zone. Seats sold, held and offered are the
 * ticket types' own counters (events_ticket_types); this module adds up
 * paid orders, so its reads are aggregates over one event's orders, run
 * on a replica (DB_READ) for its organizer's page only, never for a
 * public one.
 *
 * Functions that read return 0, -1 when no server could answer, or
 * ROW_BAD (row.h) when a row did not parse. Arrays are arena-owned.
 */
#ifndef TESSERA_SALES_H
#define TESSERA_SALES_H

#include <stddef.h>
#include <time.h>

#include "db.h"
#include "row.h"

/* The paid orders' lines of one ticket type in one currency. */
struct sales_revenue {
	long long ticket_type_id;
	const char *currency;
	long long amount;          /* minor units */
	long long tickets;
};

/* Paid tickets in one quarter of an hour. */
struct sales_slot {
	time_t start;              /* UTC, a multiple of 15 minutes */
	long long tickets;
};

/* Paid tickets on one day of the event's calendar. */
struct sales_day {
	long long day;             /* days since 1970-01-01 of that date */
	long long tickets;
};

/* Seconds in a sales_slot: every zone's offset from UTC is a whole
 * number of quarter hours, so no slot straddles two local days. */
#define SALES_SLOT_SECONDS (15 * 60)

/* The event's paid revenue per ticket type and currency, by type id. */
int sales_revenue(struct db *db, struct arena *a, long long event_id,
    struct sales_revenue **out, size_t *n);

/* The event's paid tickets per quarter hour of their payment, oldest
 * first; quarters without sales are left out. */
int sales_slots(struct db *db, struct arena *a, long long event_id,
    struct sales_slot **out, size_t *n);

/* The n slots added up per calendar day in zone tz (IANA name), in date
 * order; days without sales are left out. Never fails. */
void sales_days(struct arena *a, const struct sales_slot *slots, size_t n,
    const char *tz, struct sales_day **out, size_t *ndays);

#endif
