/*
 * Door staff (event_staff): accounts an organizer lets check tickets in
 * at one of their events. Being door staff gives the check-in page of
 * that event and nothing more.
 */
#ifndef TESSERA_DOOR_STAFF_H
#define TESSERA_DOOR_STAFF_H

#include <stddef.h>
#include <time.h>

#include "db.h"

struct arena;

#define DOOR_STAFF_MAX 100        /* accounts at one event's door */

struct door_staff {
	long long user_id;
	const char *name;
	const char *email;
	time_t granted_at;
};

/* event_id's door staff, by name. Returns 0, -1 or ROW_BAD. */
int door_staff_list(struct db *db, struct arena *a, long long event_id,
    struct door_staff **out, size_t *n);

enum door_staff_added {
	DOOR_STAFF_ADDED,
	DOOR_STAFF_NO_ACCOUNT,    /* no live account has that address */
	DOOR_STAFF_ALREADY,
	DOOR_STAFF_FULL,          /* DOOR_STAFF_MAX already */
};

/* Lets the account with email check tickets in at event_id, recorded as
 * granted by granted_by, in the caller's transaction; *user_id is the
 * account's id when there is one. Returns an enum door_staff_added, or
 * -1. */
int door_staff_add(struct db *db, struct arena *a, long long event_id,
    const char *email, long long granted_by, long long *user_id);

/* Takes it back: 0; 1 when user_id was not door staff there; -1. */
int door_staff_remove(struct db *db, long long event_id, long long user_id);

/* 1 when user_id is door staff at event_id, 0 when not, -1. */
int door_staff_has(struct db *db, struct arena *a, long long event_id,
    long long user_id);

#endif
