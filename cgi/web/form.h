/*
 * Forms: what people type, checked before any handler reads it.
 *
 * The module that owns a form declares it as a static const table of
 * fields (kind, limits, messages, how it is shown) and an optional
 * cross-field check. form_check() turns a parsed body or query into one
 * result per field: the text as sent (to show it again), the checked,
 * typed value, and the message to show beside it. form_view() makes the
 * template values of a form (every field with its value and message, and
 * an error summary linking to the fields); form_rerender() answers 400
 * with the page shown again.
 *
 * Rules every kind follows:
 * - Empty is absent: an optional field left empty passes without a value,
 *   a required one gets its "missing" message. White space around the
 *   value is ignored by every kind but FORM_TEXT, which trims it only with
 *   FORM_TRIM.
 * - A field sent more than once is an error (a FORM_QUIET one is dropped):
 *   nothing the site renders sends a name twice.
 * - Repeated rows (FORM_ROWS) are named NAME[I][FIELD], I from 0 to
 *   max_rows - 1 in decimal without leading zeros: "tt[0][name]",
 *   "tt[2][price]". The page renders the rows it wants filled in (the ones
 *   sent and blank_rows empty ones), so adding a row needs no script: send
 *   the form, get one more empty row. A row whose fields are all empty or
 *   white space is skipped; rows keep their I, so an error in the third
 *   row of the page is reported on the third row. A non-blank row at
 *   max_rows or beyond is an error on the rows field.
 * - Date-times (FORM_DATETIME) are the value of an HTML datetime-local
 *   input ("2026-03-29T19:30") read as the wall-clock time of a zone: the
 *   one named by the field zone_field of the same form or row, else the
 *   one given to form_check. A time the zone's clocks skip (02:30 when
 *   Europe/Berlin goes to summer time) is refused with a message saying
 *   so; a time they show twice (02:30 when it goes back) is the first of
 *   the two, the one still in summer time, as RFC 5545 reads it.
 *
 * Everything a result points to is arena-owned, or static, or (for
 * FORM_SECRET fields, never copied) the parsed params' own strings.
 */
#ifndef TESSERA_FORM_H
#define TESSERA_FORM_H

#include <stddef.h>
#include <time.h>

struct arena;
struct form;
struct form_result;
struct params;
struct request;
struct tmpl_value;

#define FORM_EMAIL_MAX_BYTES 254        /* RFC 5321's path limit */
#define FORM_EMAIL_LOCAL_MAX_BYTES 64
#define FORM_MAX_ROWS 100               /* the cap on any max_rows */
#define FORM_MONEY_MAX 999999999999999LL /* minor units, when no max */

enum form_kind {
	FORM_TEXT,      /* text: charset, min_chars, max_chars, max_bytes */
	FORM_INT,       /* a whole number in [min, max] */
	FORM_MONEY,     /* "12", "12.5", "12.50": minor units in [min, max] */
	FORM_CHOICE,    /* one of choices; num is its index */
	FORM_DATE,      /* YYYY-MM-DD of a real day in [earliest, latest] */
	FORM_DATETIME,  /* datetime-local in a zone; time is the instant */
	FORM_CHECKBOX,  /* ticked when sent, whatever its value */
	FORM_EMAIL,     /* an address, trimmed and lower-cased */
	FORM_ROWS,      /* repeated rows of the form rows */
};

/* What a FORM_TEXT may hold (code points). */
enum form_charset {
	FORM_LINE,      /* one line: no control character (C0, DEL, C1), no
	                 * line or paragraph separator */
	FORM_MULTILINE, /* FORM_LINE plus TAB, CR and LF; line breaks (CR LF,
	                 * CR) come back as LF, as browsers count them */
	FORM_TOKEN,     /* ASCII letters, digits, '-' and '_' (base64url) */
	FORM_ANY,       /* anything: for passwords, which the owner's check
	                 * rules on, or which are only compared */
};

/* Flags of a field. */
#define FORM_REQUIRED 0x01 /* empty is an error; a checkbox must be ticked,
                            * rows need at least one */
#define FORM_TRIM 0x02     /* FORM_TEXT: drop white space around it */
#define FORM_SECRET 0x04   /* never shown again, wiped by form_wipe, never
                            * trimmed or copied */
#define FORM_QUIET 0x08    /* a value that fails is dropped without a
                            * message (a hidden "where to go next") */

struct form_field {
	const char *name;       /* NULL: an unused slot, in a table indexed
	                         * by an enum that several forms share */
	enum form_kind kind;
	unsigned flags;
	/* How form_view shows it. */
	const char *label;
	const char *hint;       /* a line under the input, or NULL */
	const char *type;       /* the input's type; NULL: the kind's own
	                         * ("text", "email", "number", "date", ...; a
	                         * choice is a select, multi-line text a
	                         * textarea) */
	const char *autocomplete;
	/* FORM_TEXT. Characters are code points; 0 is no limit. */
	enum form_charset charset;
	size_t min_chars, max_chars;
	size_t max_bytes;
	/* FORM_INT and FORM_MONEY (in minor units): the inclusive range; both
	 * 0 for any (money: 0 to FORM_MONEY_MAX; it is never negative). */
	long long min, max;
	int decimals;           /* FORM_MONEY: 0 to 3 */
	/* FORM_CHOICE */
	const char *const *choices;
	const char *const *choice_labels; /* parallel, or NULL: the values */
	size_t nchoices;
	/* FORM_DATE, FORM_DATETIME: inclusive bounds in the input's format
	 * ("2026-01-01", "2026-01-01T00:00"), wall-clock; NULL for none. */
	const char *earliest, *latest;
	const char *zone_field; /* FORM_DATETIME: the field naming the zone,
	                         * NULL for form_check's */
	/* FORM_ROWS */
	const struct form *rows;
	size_t max_rows;        /* 1 to FORM_MAX_ROWS */
	size_t blank_rows;      /* empty rows form_view adds, up to max_rows */
	/*
	 * The owner's own rule, run on a value that passed the kind's checks
	 * (text after trimming): returns NULL, or the message. *out starts as
	 * the value; it may be replaced by a normalised one (arena-owned).
	 */
	const char *(*check)(struct arena *a, const char *value,
	    const char **out);
	/* Messages; NULL for the kind's own wording. */
	const char *missing;    /* empty but required */
	const char *invalid;    /* wrong shape or characters */
	const char *too_long;   /* over max_chars or max_bytes; too many rows */
	const char *too_short;  /* under min_chars */
	const char *range;      /* a number or date outside its bounds */
};

/* A form: its fields and, optionally, a check across them that runs once
 * every field is checked (it must look at which fields have a value). */
struct form {
	const char *id;         /* element ids are ID-NAME: unique on a page */
	const struct form_field *fields;
	size_t nfields;
	void (*cross)(struct arena *a, struct form_result *res);
};

/* One field after checking. */
struct form_value {
	const char *raw;        /* as sent (the first of several); NULL when
	                         * absent */
	const char *error;      /* the message; NULL when it passed */
	/* The checked text, normalised (trimmed, a lower-cased address,
	 * "12.50", the choice as listed, the canonical date, "on" for a
	 * ticked box): NULL unless the field passed with a value. The typed
	 * values below hold only then. */
	const char *text;
	long long num;          /* INT; MONEY in minor units; CHOICE index */
	time_t time;            /* DATE: 00:00 UTC that day; DATETIME */
	int on;                 /* CHECKBOX: 1 when ticked */
	struct form_result *rows; /* ROWS: the rows not blank, by index */
	size_t nrows;
};

struct form_result {
	const struct form *form;
	struct form_value *field;   /* form->nfields of them */
	const char *zone;           /* as given to form_check */
	int index;                  /* a row: its I; 0 for a form */
	struct form_result *parent; /* a row: the result holding it */
	const char **errors;        /* form-level messages */
	size_t nform_errors;
	int nerrors;                /* messages in all, rows' included */
};

/*
 * Checks the fields of f in in (a parsed urlencoded body or query); zone
 * (an IANA name, may be NULL) is for date-times without a zone field.
 * Fills *out, runs the cross-field checks (each row's, then the form's)
 * and returns out->nerrors: 0 when all is good. Never fails otherwise.
 */
int form_check(struct arena *a, const struct form *f, const struct params *in,
    const char *zone, struct form_result *out);

/*
 * Checks raw (NULL when absent) against the field alone, as form_check
 * does but for rows (FORM_ROWS needs the form) and zone fields (zone is
 * used). Fills *out; returns out->error.
 */
const char *form_field_check(struct arena *a, const struct form_field *fld,
    const char *raw, const char *zone, struct form_value *out);

/* An unchecked, empty result for f, to show a blank form or one filled
 * in with form_set. */
void form_blank(struct arena *a, const struct form *f,
    struct form_result *out);
/* Puts text (kept as given, not copied) in field i as its value, as if
 * typed and checked: to show a form filled in with what is known. */
void form_set(struct form_result *res, size_t i, const char *text);

/* Marks field i of res with message (kept as given), as a handler does
 * after its own checks ("this is not your current password"); the value
 * typed is shown again as typed. Counts in res and the results around a
 * row. */
void form_set_error(struct form_result *res, size_t i, const char *message);
/* Adds a message about the form as a whole, shown first in the summary
 * (a wrong address or password, a check across fields). */
void form_add_error(struct arena *a, struct form_result *res,
    const char *message);

/* Overwrites, in place, the values of f's FORM_SECRET fields in the parsed
 * params in, once the handler is done with them. */
void form_wipe(const struct form *f, struct params *in);

/*
 * The template value of form f as checked in res (NULL: blank). An object:
 *   id       the form's id
 *   invalid  true when there is any message
 *   errors   the summary: { message, href } for every message, form-level
 *            ones first, then by field (a row's prefixed with the rows'
 *            label and number); href is "#ID" of the field ("" for the
 *            form's own and hidden fields'; a rows field's own message
 *            links to its id, for the element around its rows)
 *   fields   by name, each { id, name, label, type, autocomplete,
 *            maxlength, min, max, required, hint, value, checked, error,
 *            invalid, describedby (the ids of its message and hint, for
 *            aria-describedby), input, textarea, select, checkbox, hidden
 *            (which control it is), options ({ value, label, selected }),
 *            rows ({ id, index, number, invalid, fields, list } each) }
 *   list     the same fields in table order
 * Values: as typed where the field failed, else as checked; never for
 * FORM_SECRET fields, and only checked ones for hidden fields. Templates
 * render them with templates/form_field.mustache and the summary with
 * templates/form_summary.mustache. Arena-owned.
 */
struct tmpl_value *form_view(struct arena *a, const struct form *f,
    const struct form_result *res);

/*
 * The page again after a form failed: sets ctx[key] to the form's view
 * of res (ctx from page_context, with the page's own values) and renders
 * template tmpl with status 400. Returns 0, or the status of a failed
 * render.
 */
int form_rerender(struct request *r, const char *tmpl, struct tmpl_value *ctx,
    const char *key, const struct form_result *res);

/*
 * An email address as FORM_EMAIL checks it: trimmed, at most 254 bytes, a
 * dot-atom local part of at most 64 and a host name of two labels or
 * more, ASCII only, lower-cased into *out (arena-owned; NULL on failure).
 * Returns NULL, or the message.
 */
const char *form_email(struct arena *a, const char *s, const char **out);

/* The index of s in keys[0..n), or -1 when it is none of them (or NULL):
 * for FORM_CHOICE, and for flags such as ?done=name that pick one of a
 * page's fixed texts. */
int form_choice(const char *const *keys, size_t n, const char *s);

#endif
