/*
 * What an organizer's dashboard (/admin) adds up over all their events:
 * the money their paid orders brought in, per event and currency, and
 * what needs them: events on sale without a ticket type to sell, and
 * holds about to run out at a checkout. Read on a replica (DB_READ).
 * Functions return 0, -1 when no server could answer, or ROW_BAD.
 */
#ifndef TESSERA_DASHBOARD_H
#define TESSERA_DASHBOARD_H

#include <stddef.h>

#include "db.h"
#include "row.h"

/* Holds ending within this many minutes count as about to run out. */
#define DASHBOARD_HOLDS_SOON_MINUTES 5

struct dashboard_revenue {
	long long event_id;
	const char *currency;
	long long amount;         /* minor units */
};

struct dashboard_event {
	long long id;
	const char *title;
	long long count;          /* holds about to end; 0 for "no types" */
};

/* The paid revenue of each of organizer_id's events, per currency, by
 * event id. */
int dashboard_revenue(struct db *db, struct arena *a, long long organizer_id,
    struct dashboard_revenue **out, size_t *n);
/* organizer_id's published events not over yet that have no ticket type,
 * soonest first. */
int dashboard_without_types(struct db *db, struct arena *a,
    long long organizer_id, struct dashboard_event **out, size_t *n);
/* organizer_id's events with holds ending within
 * DASHBOARD_HOLDS_SOON_MINUTES, and how many. */
int dashboard_holds_ending(struct db *db, struct arena *a,
    long long organizer_id, struct dashboard_event **out, size_t *n);

#endif
