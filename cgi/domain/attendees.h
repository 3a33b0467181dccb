/*
 * An event's tickets with who holds and who bought them, for its
 * organizer: a page of them at a time for the attendee list, or every
 * one in batches for the CSV export. Both read a replica (DB_READ) and
 * take the same filter: a ticket type, an order status, and a search
 * that finds a text in the attendee's name, the buyer's name or email
 * (LIKE, its wildcards escaped: a search is text, never a pattern), or
 * an order or ticket code, whole.
 *
 * Tickets come by ticket type (in the event's order of types), then by
 * id, the order in which they were booked. The export reads each type's
 * tickets through the (ticket_type_id, id) index after the last id it
 * has (keyset pagination), so every batch is one short range read
 * however far into the event it is, and memory holds one batch.
 *
 * Functions return 0, -1 when no server could answer, or ROW_BAD (row.h)
 * when a row did not parse. Strings and arrays returned are arena-owned.
 */
#ifndef TESSERA_ATTENDEES_H
#define TESSERA_ATTENDEES_H

#include <stddef.h>
#include <time.h>

#include "db.h"
#include "orders.h"
#include "row.h"

/* Characters of a search, at most. */
#define ATTENDEES_SEARCH_MAX 100
/* Tickets one call returns, at most. */
#define ATTENDEES_LIMIT_MAX 1000

struct attendee {
	long long ticket_id;
	const char *ticket_code;
	const char *attendee_name;  /* "" until the buyer names the ticket */
	long long ticket_type_id;
	const char *type_name;
	const char *order_code;
	enum order_status order_status;
	const char *buyer_name;     /* "" when the account is gone */
	const char *buyer_email;    /* "" likewise */
	int has_checked_in_at;
	time_t checked_in_at;
};

struct attendee_filter {
	long long event_id;
	const char *search;         /* NULL, or 1 to ATTENDEES_SEARCH_MAX
	                             * characters */
	long long ticket_type_id;   /* 0: any */
	int has_status;             /* else any status */
	enum order_status status;
};

/* The filter's tickets from the offset-th on, at most limit (1 to
 * ATTENDEES_LIMIT_MAX), by type and id. */
int attendees_page(struct db *db, struct arena *a,
    const struct attendee_filter *f, int limit, int offset,
    struct attendee **out, size_t *n);

/* Of the filter's tickets of type ticket_type_id, those with an id above
 * after_id, at most limit (1 to ATTENDEES_LIMIT_MAX), by id: the next
 * batch of the export after the ticket after_id (0 for the first). */
int attendees_batch(struct db *db, struct arena *a,
    const struct attendee_filter *f, long long ticket_type_id,
    long long after_id, int limit, struct attendee **out, size_t *n);

/* The LIKE pattern that finds text anywhere: "%text%", with '!', '%'
 * and '_' escaped by '!' (the statements' ESCAPE character, chosen
 * because it means nothing to the server's own string syntax).
 * Arena-owned; public for the unit tests. */
const char *attendees_like_pattern(struct arena *a, const char *text);

/* What a search is as a code: letters upper-cased, spaces and dashes
 * left out, as codes are written on tickets and read aloud. Arena-owned;
 * public for the unit tests. */
const char *attendees_code_form(struct arena *a, const char *text);

#endif
