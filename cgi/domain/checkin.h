/*
 * Checking tickets in at the door: finding a ticket by its code with what
 * decides whether it may enter (its event, its order's status, whether it
 * was checked in already), marking it checked in once, and the count of
 * an event's tickets checked in of those sold.
 *
 * Marking is one guarded update ("... WHERE checked_in_at IS NULL"): two
 * doors scanning the same ticket at once both run it, one changes the row
 * and the other finds it done, so exactly one is told "checked in".
 */
#ifndef TESSERA_CHECKIN_H
#define TESSERA_CHECKIN_H

#include <time.h>

#include "db.h"
#include "orders.h"

struct arena;

struct checkin_ticket {
	long long id;
	const char *code;
	const char *attendee_name;
	const char *type_name;
	const char *order_code;
	enum order_status order_status;
	long long event_id;
	const char *event_title;
	long long organizer_id;
	int has_checked_in_at;
	time_t checked_in_at;
};

/* Why a ticket may not enter; CHECKIN_OK when it may. */
enum checkin_verdict {
	CHECKIN_OK,
	CHECKIN_UNKNOWN,         /* no ticket has this code */
	CHECKIN_OTHER_EVENT,     /* a ticket of another event */
	CHECKIN_NOT_PAID,        /* its order is not paid (cancelled, ...) */
	CHECKIN_ALREADY,         /* checked in before, at checked_in_at */
};

/* The ticket with code (TICKET_CODE_LEN characters) on the primary:
 * 0; 1 when there is none; -1; ROW_BAD. */
int checkin_find(struct db *db, struct arena *a, const char *code,
    struct checkin_ticket *out);

/* What a door of event_id says of t. */
enum checkin_verdict checkin_verdict(const struct checkin_ticket *t,
    long long event_id);

/* Marks t checked in now, if nobody did before: 0 done (t updated); 1 it
 * was checked in already (t->checked_in_at is when); -1. */
int checkin_mark(struct db *db, struct arena *a, struct checkin_ticket *t);

/* Of event_id's tickets of paid orders, how many there are and how many
 * have been checked in (on the primary: the door sees its own counts).
 * Returns 0 or -1. */
int checkin_counts(struct db *db, struct arena *a, long long event_id,
    long long *sold, long long *checked_in);

/* A ticket code as typed at a door, in the arena: letters upper-cased,
 * spaces and dashes dropped. NULL when it cannot be a code. */
const char *checkin_normalize_code(struct arena *a, const char *typed);

#endif
