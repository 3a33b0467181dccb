/*
 * The account forms, declared for form.h: one table of fields per form
 * (names, labels, limits, messages, hints), and the rules only accounts
 * know: which characters a display name may hold, what a new password
 * must be (long enough, not on the list of common passwords, loaded once
 * at start-up) and where a sign-in may lead afterwards ("next").
 */
#ifndef TESSERA_ACCOUNT_VALIDATE_H
#define TESSERA_ACCOUNT_VALIDATE_H

#include "form.h"

struct arena;

#define DISPLAY_NAME_MAX_CHARS 80   /* users.display_name */
#define NEXT_MAX_BYTES 512
#define TOKEN_MAX_BYTES 64

/* The account forms, indexing account_forms. */
enum account_form {
	ACCOUNT_REGISTER,
	ACCOUNT_LOGIN,
	ACCOUNT_FORGOT,
	ACCOUNT_RESET,
	ACCOUNT_VERIFY,
	ACCOUNT_NAME,
	ACCOUNT_EMAIL,
	ACCOUNT_PASSWORD,
	ACCOUNT_DELETE,
	ACCOUNT_CONFIRM,        /* the password again, before an admin's change */
	ACCOUNT__MAX
};

/*
 * What a field means, whatever it is called in a given form. Every
 * account form's table is indexed by it (the fields a form lacks are
 * unused slots), so res.field[FIELD_EMAIL] is the address in any of them;
 * the order is the order of the fields on the pages.
 */
enum account_field {
	FIELD_EMAIL,            /* an address: trimmed and lower-cased */
	FIELD_DISPLAY_NAME,
	FIELD_PASSWORD,         /* the account's current password */
	FIELD_NEW_PASSWORD,     /* a password being chosen */
	FIELD_CONFIRM,          /* a box that must be ticked */
	FIELD_TOKEN,            /* a mailed link's token */
	FIELD_NEXT,             /* where to go after signing in; an unsafe
	                         * one is dropped without a message */
	FIELD__MAX
};

extern const struct form account_forms[ACCOUNT__MAX];

/*
 * The single rules, for the tables above and for the unit tests. Each
 * returns NULL when s passes, else the message for the person.
 * validate_display_name also puts the trimmed name (arena-owned) in
 * *out, NULL when it fails.
 */
const char *validate_display_name(struct arena *a, const char *s,
    const char **out);
const char *validate_new_password(const char *s);

/*
 * 1 when s is a path on this site that is safe to redirect to after
 * signing in: it starts with a single '/', holds only URL characters
 * (no backslash, space, control character or non-ASCII byte), and
 * percent-decoding it, once or repeatedly, never turns it into
 * something else ("//host", "/\host", a control character). 0 otherwise.
 */
int validate_next(struct arena *a, const char *s);

/*
 * Loads the list of common passwords (one per line, '#' starts a comment
 * line) to refuse them as new passwords, case-insensitively. Call once,
 * before forking workers; it replaces a list loaded before. Returns the
 * number of entries loaded, or -1 when the file cannot be read.
 */
long validate_common_load(const char *path);
/* 1 when s is on the list, compared without regard to ASCII case. */
int validate_common(const char *s);

#endif
