/*
 * What an account may do beyond booking: the users.role column, as an
 * enum. Each role includes the ones before it (an admin is also an
 * organizer).
 */
#ifndef TESSERA_ROLES_H
#define TESSERA_ROLES_H

enum role {
	ROLE_ATTENDEE,     /* books, reviews, buys pictures */
	ROLE_ORGANIZER,    /* also publishes events and checks tickets in */
	ROLE_ADMIN,        /* also manages accounts and the site */
	ROLE__MAX
};

/* users.role's values, by role. */
extern const char *const role_names[ROLE__MAX];

/* The role of a users.role value; ROLE_ATTENDEE for anything unknown, so
 * a bad value never grants more. */
enum role role_from_name(const char *name);
/* "attendee", "organizer" or "admin". */
const char *role_name(enum role role);
/* 1 when has includes need. */
int role_includes(enum role has, enum role need);

#endif
