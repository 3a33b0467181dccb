/*
 * What people type into the account forms, checked before any handler
 * reads it: one table of rules per form (field names, labels, lengths,
 * which rules apply), one result per field with the message to show next
 * to it. Everything here is a pure function of its input, but for the
 * list of common passwords, loaded once at start-up.
 */
#ifndef TESSERA_ACCOUNT_VALIDATE_H
#define TESSERA_ACCOUNT_VALIDATE_H

#include <stddef.h>

struct arena;
struct params;
struct tmpl_value;

#define EMAIL_MAX_BYTES 254         /* users.email, RFC 5321's path limit */
#define EMAIL_LOCAL_MAX_BYTES 64
#define DISPLAY_NAME_MAX_CHARS 80   /* users.display_name */
#define NEXT_MAX_BYTES 512
#define TOKEN_MAX_BYTES 64

/* The account forms. */
enum form {
	FORM_REGISTER,
	FORM_LOGIN,
	FORM_FORGOT,
	FORM_RESET,
	FORM_VERIFY,
	FORM_NAME,
	FORM_EMAIL,
	FORM_PASSWORD,
	FORM_DELETE,
	FORM__MAX
};

/* What a field means, whatever it is called in a given form. */
enum field {
	FIELD_EMAIL,            /* an address: trimmed and lower-cased */
	FIELD_DISPLAY_NAME,
	FIELD_NEW_PASSWORD,     /* a password being chosen */
	FIELD_PASSWORD,         /* the account's current password */
	FIELD_NEXT,             /* where to go after signing in */
	FIELD_TOKEN,            /* a mailed link's token */
	FIELD_CONFIRM,          /* a box that must be ticked */
	FIELD__MAX
};

/*
 * A form after checking. value[f] is the checked, normalised text of
 * field f (arena-owned, or the parsed form's own string for passwords),
 * NULL when the form has no such field, it was left empty, or it failed;
 * error[f] is the message to show beside it, NULL when it passed. An
 * unsafe "next" is dropped without an error: the visitor simply lands on
 * the default page. raw[f] is the text as sent (NULL when absent).
 */
struct form_input {
	enum form form;
	const char *raw[FIELD__MAX];    /* as sent, to show it again */
	const char *value[FIELD__MAX];
	const char *error[FIELD__MAX];
	int nerrors;
};

/*
 * Checks the fields of form in in (a parsed urlencoded body or query)
 * against the form's table. Returns the number of fields in error (0: all
 * good). Never fails otherwise.
 */
int validate_form(struct arena *a, enum form form, const struct params *in,
    struct form_input *out);

/*
 * The fields of a checked form (or of a blank one, when in is NULL) for
 * its template: an object with one entry per field, keyed by the field's
 * name in that form, each holding id, name, label, type, autocomplete,
 * maxlength, required, hint, value and error. Passwords are never sent
 * back. Arena-owned.
 */
struct tmpl_value *validate_view(struct arena *a, enum form form,
    const struct form_input *in);

/*
 * Overwrites, in place, the value of every password field of form in the
 * parsed body p, once the handler is done with them.
 */
void validate_wipe(enum form form, struct params *p);

/*
 * The single checks, for the tables above and for the unit tests. Each
 * returns NULL when s passes, else the message for the person.
 * validate_email and validate_display_name also put the normalised text
 * (arena-owned) in *out.
 */
const char *validate_email(struct arena *a, const char *s, const char **out);
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

/* The index of s in keys[0..n), or -1 when it is none of them (or NULL):
 * for flags such as ?done=name that pick one of a page's fixed texts. */
int validate_choice(const char *const *keys, size_t n, const char *s);

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
