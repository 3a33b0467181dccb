#include "form.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "dates.h"
#include "http_params.h"
#include "http_url.h"
#include "program.h"
#include "tmpl.h"
#include "utf8.h"
#include "util.h"

#define MSG_REPEATED "This field was sent more than once."
#define MSG_ZONE "Choose a time zone for this time."
#define MSG_NO_DAY "That day does not exist: check the day and the month."

/* What each kind says when a field has no message of its own. */
static const struct {
	const char *missing;
	const char *invalid;
	const char *type;       /* the input's type */
} kinds[] = {
	[FORM_TEXT] = { "Fill in this field.", NULL, "text" },
	[FORM_INT] = { "Enter a number.", "Enter a whole number, like 12.",
	    "number" },
	[FORM_MONEY] = { "Enter an amount.", NULL, "text" },
	[FORM_CHOICE] = { "Choose one of the options.",
	    "Choose one of the options.", "" },
	[FORM_DATE] = { "Enter a date.", "Enter a date like 2026-03-29.",
	    "date" },
	[FORM_DATETIME] = { "Enter a date and time.",
	    "Enter a date and time like 2026-03-29 19:30.",
	    "datetime-local" },
	[FORM_CHECKBOX] = { "Tick the box to confirm.", NULL, "checkbox" },
	[FORM_EMAIL] = { "Enter an email address.",
	    "Enter a valid email address, like name@example.com.", "email" },
	[FORM_ROWS] = { "Fill in at least one row.", NULL, "" },
};

static const char *const charset_invalid[] = {
	[FORM_LINE] = "Use one line of text, without control characters.",
	[FORM_MULTILINE] = "Remove the control characters from the text.",
	[FORM_TOKEN] = "Use only letters, digits, '-' and '_'.",
	[FORM_ANY] = "This text cannot be read.",
};

/* An amount in each number of decimals, for the messages. */
static const char *const money_examples[] = { "12", "12.5", "12.50",
	"12.500" };
static const long long money_scale[] = { 1, 10, 100, 1000 };

enum email_status { EMAIL_OK, EMAIL_EMPTY, EMAIL_LONG, EMAIL_BAD };

static const char *
own(const char *mine, const char *kind)
{
	return mine != NULL ? mine : kind;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* 1 when s is empty or only white space. */
static int
is_blank(const char *s)
{
	while (is_space(*s))
		s++;
	return *s == '\0';
}

/* s without white space around it: s itself, a suffix of it, or an
 * arena-owned copy. */
static const char *
trim(struct arena *a, const char *s)
{
	const char *end;

	while (is_space(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_space(end[-1]))
		end--;
	return *end == '\0' ? s : arena_strndup(a, s, (size_t)(end - s));
}

static int
decimals_of(const struct form_field *fld)
{
	return fld->decimals < 0 ? 0 : fld->decimals > 3 ? 3 : fld->decimals;
}

/* ------------------------------------------------------------ email */

static int
is_atext(unsigned char c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c));
}

/* A dot-atom local part (no quoted strings): atext runs joined by single
 * dots. */
static int
local_ok(const char *s, size_t len)
{
	if (len == 0 || len > FORM_EMAIL_LOCAL_MAX_BYTES || s[0] == '.' ||
	    s[len - 1] == '.')
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return 0;
		} else if (!is_atext((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

/* A host name of at least two labels; the last is not all digits, so an
 * IP address never passes for a domain. */
static int
domain_ok(const char *s, size_t len)
{
	size_t start = 0, labels = 0, digits = 0;

	if (len == 0 || len > 253)
		return 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '.') {
			unsigned char c = (unsigned char)s[i];

			if (!(islower(c) || isdigit(c) || c == '-'))
				return 0;
			continue;
		}
		if (i == start || i - start > 63 || s[start] == '-' ||
		    s[i - 1] == '-')
			return 0;
		digits = strspn(s + start, "0123456789");
		labels++;
		if (i == len && (digits >= i - start || i - start < 2))
			return 0;
		start = i + 1;
	}
	return labels >= 2;
}

static enum email_status
email_check(struct arena *a, const char *s, const char **out)
{
	const char *t, *at;
	char *lower;
	size_t len;

	*out = NULL;
	if (s == NULL || *(t = trim(a, s)) == '\0')
		return EMAIL_EMPTY;
	len = strlen(t);
	if (len > FORM_EMAIL_MAX_BYTES)
		return EMAIL_LONG;
	lower = arena_strdup(a, t);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)lower[i];

		if (c <= 0x20 || c >= 0x7F)
			return EMAIL_BAD;
		lower[i] = (char)tolower(c);
	}
	if ((at = strchr(lower, '@')) == NULL || strchr(at + 1, '@') != NULL ||
	    !local_ok(lower, (size_t)(at - lower)) ||
	    !domain_ok(at + 1, strlen(at + 1)))
		return EMAIL_BAD;
	*out = lower;
	return EMAIL_OK;
}

#define MSG_EMAIL_LONG "An email address has at most 254 characters."

const char *
form_email(struct arena *a, const char *s, const char **out)
{
	switch (email_check(a, s, out)) {
	case EMAIL_OK:
		return NULL;
	case EMAIL_EMPTY:
		return kinds[FORM_EMAIL].missing;
	case EMAIL_LONG:
		return MSG_EMAIL_LONG;
	default:
		return kinds[FORM_EMAIL].invalid;
	}
}

int
form_choice(const char *const *keys, size_t n, const char *s)
{
	if (s == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(keys[i], s) == 0)
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------ kinds */

static int
char_allowed(enum form_charset cs, uint32_t c)
{
	switch (cs) {
	case FORM_ANY:
		return 1;
	case FORM_TOKEN:
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_';
	case FORM_MULTILINE:
		if (c == '\t' || c == '\r' || c == '\n')
			return 1;
		/* FALLTHROUGH */
	case FORM_LINE:
		return !(c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 ||
		    c == 0x2029);
	}
	return 0;
}

/* s with CR LF and lone CR as LF. Arena-owned. */
static const char *
lf_only(struct arena *a, const char *s)
{
	char *out = arena_strdup(a, s), *w = out;

	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\r') {
			*w++ = '\n';
			if (p[1] == '\n')
				p++;
		} else
			*w++ = *p;
	}
	*w = '\0';
	return out;
}

static const char *
check_text(struct arena *a, const struct form_field *fld, const char *s,
    struct form_value *v)
{
	size_t len = strlen(s), n;

	if (fld->max_bytes != 0 && len > fld->max_bytes)
		return own(fld->too_long, "This is longer than this field "
		    "allows.");
	if (!url_utf8_valid(s, len))
		return own(fld->invalid, charset_invalid[fld->charset]);
	for (const char *p = s; *p != '\0';)
		if (!char_allowed(fld->charset, utf8_next(&p)))
			return own(fld->invalid, charset_invalid[fld->charset]);
	if (fld->charset == FORM_MULTILINE && !(fld->flags & FORM_SECRET) &&
	    strchr(s, '\r') != NULL)
		s = lf_only(a, s);
	n = utf8_chars(s);
	if (fld->max_chars != 0 && n > fld->max_chars)
		return own(fld->too_long, arena_printf(a, "Use at most %zu "
		    "characters.", fld->max_chars));
	if (fld->min_chars != 0 && n < fld->min_chars)
		return own(fld->too_short, arena_printf(a, "Use at least %zu "
		    "characters.", fld->min_chars));
	v->text = s;
	return NULL;
}

/* Reads an optional '-' and decimal digits. Returns 0, 1 when the number
 * does not fit, or -1 when s is no number. */
static int
parse_int(const char *s, long long *out)
{
	int neg = *s == '-';
	long long v = 0;

	if (neg)
		s++;
	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (!is_digit(*s))
			return -1;
		if (v > (LLONG_MAX - (*s - '0')) / 10)
			return 1;
		v = v * 10 + (*s - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

static const char *
int_range(struct arena *a, const struct form_field *fld)
{
	return own(fld->range, arena_printf(a, "Enter a whole number from "
	    "%lld to %lld.", fld->min, fld->max));
}

static const char *
check_int(struct arena *a, const struct form_field *fld, const char *s,
    struct form_value *v)
{
	int ranged = fld->min != 0 || fld->max != 0;
	long long n = 0;

	switch (parse_int(s, &n)) {
	case 0:
		break;
	case 1:
		return ranged ? int_range(a, fld) : own(fld->invalid,
		    kinds[FORM_INT].invalid);
	default:
		return own(fld->invalid, kinds[FORM_INT].invalid);
	}
	if (ranged && (n < fld->min || n > fld->max))
		return int_range(a, fld);
	v->num = n;
	v->text = arena_printf(a, "%lld", n);
	return NULL;
}

/*
 * Reads digits with at most decimals after a '.', into minor units: no
 * sign, no exponent, no separators, no bare '.' at either end. Returns 0,
 * 1 when it does not fit, or -1 when s is no amount.
 */
static int
parse_money(const char *s, int decimals, long long *out)
{
	long long v = 0;
	int frac = -1;

	if (!is_digit(*s))
		return -1;
	for (; *s != '\0'; s++) {
		if (*s == '.' && frac < 0 && is_digit(s[1])) {
			frac = 0;
			continue;
		}
		if (!is_digit(*s) || (frac >= 0 && ++frac > decimals))
			return -1;
		if (v > (FORM_MONEY_MAX - (*s - '0')) / 10)
			return 1;
		v = v * 10 + (*s - '0');
	}
	for (frac = frac < 0 ? 0 : frac; frac < decimals; frac++) {
		if (v > FORM_MONEY_MAX / 10)
			return 1;
		v *= 10;
	}
	*out = v;
	return 0;
}

static const char *
money_text(struct arena *a, long long v, int decimals)
{
	if (decimals == 0)
		return arena_printf(a, "%lld", v);
	return arena_printf(a, "%lld.%0*lld", v / money_scale[decimals],
	    decimals, v % money_scale[decimals]);
}

static const char *
money_range(struct arena *a, const struct form_field *fld, long long lo,
    long long hi, int d)
{
	if (fld->range != NULL)
		return fld->range;
	if (lo == 0)
		return arena_printf(a, "Enter an amount of at most %s.",
		    money_text(a, hi, d));
	return arena_printf(a, "Enter an amount from %s to %s.",
	    money_text(a, lo, d), money_text(a, hi, d));
}

static const char *
check_money(struct arena *a, const struct form_field *fld, const char *s,
    struct form_value *v)
{
	int d = decimals_of(fld);
	long long lo = fld->min > 0 ? fld->min : 0, hi = fld->max, n = 0;

	if (fld->min == 0 && fld->max == 0)
		hi = FORM_MONEY_MAX;
	switch (parse_money(s, d, &n)) {
	case 0:
		break;
	case 1:
		return money_range(a, fld, lo, hi, d);
	default:
		return own(fld->invalid, arena_printf(a, "Enter an amount like "
		    "%s.", money_examples[d]));
	}
	if (n < lo || n > hi)
		return money_range(a, fld, lo, hi, d);
	v->num = n;
	v->text = money_text(a, n, d);
	return NULL;
}

/* The message for a date or time outside [earliest, latest], shown with
 * a space for the T. */
static const char *
range_text(struct arena *a, const struct form_field *fld, const char *what)
{
	char *lo = fld->earliest ? arena_strdup(a, fld->earliest) : NULL;
	char *hi = fld->latest ? arena_strdup(a, fld->latest) : NULL;

	if (fld->range != NULL)
		return fld->range;
	if (lo != NULL && strchr(lo, 'T') != NULL)
		*strchr(lo, 'T') = ' ';
	if (hi != NULL && strchr(hi, 'T') != NULL)
		*strchr(hi, 'T') = ' ';
	if (lo != NULL && hi != NULL)
		return arena_printf(a, "Enter a %s from %s to %s.", what, lo,
		    hi);
	if (lo != NULL)
		return arena_printf(a, "Enter a %s on or after %s.", what, lo);
	return arena_printf(a, "Enter a %s on or before %s.", what, hi);
}

static int
in_range(const struct form_field *fld, const char *text)
{
	return (fld->earliest == NULL || strcmp(text, fld->earliest) >= 0) &&
	    (fld->latest == NULL || strcmp(text, fld->latest) <= 0);
}

static const char *
check_date(struct arena *a, const struct form_field *fld, const char *s,
    struct form_value *v)
{
	static const char shape[] = "dddd-dd-dd";
	time_t t;

	for (size_t i = 0; i < sizeof(shape) - 1; i++)
		if (s[i] == '\0' || (shape[i] == 'd' ? !is_digit(s[i]) :
		    s[i] != shape[i]))
			return own(fld->invalid, kinds[FORM_DATE].invalid);
	if (s[sizeof(shape) - 1] != '\0')
		return own(fld->invalid, kinds[FORM_DATE].invalid);
	if (dates_parse_day(s, &t) != 0)
		return own(fld->invalid, MSG_NO_DAY);
	if (!in_range(fld, s))
		return range_text(a, fld, "date");
	v->time = t;
	v->text = s;
	return NULL;
}

/* The wall time only: the instant needs the zone (zone_resolve). */
static const char *
check_datetime(struct arena *a, const struct form_field *fld, const char *s,
    struct form_value *v)
{
	struct tm tm;
	const char *text;

	if (dates_parse_local(s, &tm) != 0)
		return own(fld->invalid, kinds[FORM_DATETIME].invalid);
	text = arena_printf(a, "%04d-%02d-%02dT%02d:%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
	if (tm.tm_sec != 0)
		text = arena_printf(a, "%s:%02d", text, tm.tm_sec);
	if (!in_range(fld, text))
		return range_text(a, fld, "time");
	v->text = text;
	return NULL;
}

/* The instant of a checked date-time's wall time in zone. */
static const char *
zone_resolve(struct arena *a, const struct form_field *fld, const char *zone,
    struct form_value *v)
{
	struct tm wall;
	time_t t;

	if (zone == NULL || !dates_zone_valid(zone))
		return MSG_ZONE;
	if (dates_parse_local(v->text, &wall) != 0)
		return own(fld->invalid, kinds[FORM_DATETIME].invalid);
	if (dates_from_local(&wall, zone, &t) < 0)
		return arena_printf(a, "This time does not exist in %s: the "
		    "clocks skip it when they go forward. Choose another time.",
		    zone);
	v->time = t;
	return NULL;
}

static void
value_clear(struct form_value *v)
{
	v->text = NULL;
	v->num = 0;
	v->time = 0;
	v->on = 0;
}

/*
 * Checks raw (NULL: absent) against fld into *v, whose raw is set: the
 * kind's rules, then the owner's. Returns NULL, or the message with *v
 * holding no value.
 */
static const char *
check_value(struct arena *a, const struct form_field *fld, const char *raw,
    struct form_value *v)
{
	const char *s, *err = NULL, *out;

	value_clear(v);
	if (fld->kind == FORM_CHECKBOX) {
		if (raw == NULL && (fld->flags & FORM_REQUIRED))
			return own(fld->missing, kinds[FORM_CHECKBOX].missing);
		if (raw == NULL)
			return NULL;
		v->on = 1;
		v->text = "on";
		return NULL;
	}
	if (raw == NULL)
		s = "";
	else if (fld->kind == FORM_TEXT && (!(fld->flags & FORM_TRIM) ||
	    (fld->flags & FORM_SECRET)))
		s = raw;
	else
		s = trim(a, raw);
	if (*s == '\0')
		return fld->flags & FORM_REQUIRED ?
		    own(fld->missing, kinds[fld->kind].missing) : NULL;
	switch (fld->kind) {
	case FORM_TEXT:
		err = check_text(a, fld, s, v);
		break;
	case FORM_INT:
		err = check_int(a, fld, s, v);
		break;
	case FORM_MONEY:
		err = check_money(a, fld, s, v);
		break;
	case FORM_CHOICE: {
		int i = form_choice(fld->choices, fld->nchoices, s);

		if (i < 0)
			err = own(fld->invalid, kinds[FORM_CHOICE].invalid);
		else {
			v->num = i;
			v->text = fld->choices[i];
		}
		break;
	}
	case FORM_DATE:
		err = check_date(a, fld, s, v);
		break;
	case FORM_DATETIME:
		err = check_datetime(a, fld, s, v);
		break;
	case FORM_EMAIL:
		switch (email_check(a, s, &v->text)) {
		case EMAIL_OK:
			break;
		case EMAIL_LONG:
			err = own(fld->too_long, MSG_EMAIL_LONG);
			break;
		default:
			err = own(fld->invalid, kinds[FORM_EMAIL].invalid);
		}
		break;
	case FORM_CHECKBOX:
	case FORM_ROWS:
		break;
	}
	if (err == NULL && fld->check != NULL && v->text != NULL) {
		out = v->text;
		if ((err = fld->check(a, v->text, &out)) == NULL)
			v->text = out;
	}
	if (err != NULL)
		value_clear(v);
	return err;
}

const char *
form_field_check(struct arena *a, const struct form_field *fld,
    const char *raw, const char *zone, struct form_value *out)
{
	memset(out, 0, sizeof(*out));
	out->raw = raw;
	if (fld->kind == FORM_ROWS)
		return NULL;
	out->error = check_value(a, fld, raw, out);
	if (out->error == NULL && fld->kind == FORM_DATETIME &&
	    out->text != NULL && (out->error = zone_resolve(a, fld, zone,
	    out)) != NULL)
		value_clear(out);
	if (out->error != NULL && (fld->flags & FORM_QUIET))
		out->error = NULL;
	return out->error;
}

/* ------------------------------------------------------------ forms */

static void
result_init(struct arena *a, const struct form *f, struct form_result *out)
{
	memset(out, 0, sizeof(*out));
	out->form = f;
	out->field = arena_calloc(a, f->nfields ? f->nfields : 1,
	    sizeof(*out->field));
}

void
form_blank(struct arena *a, const struct form *f, struct form_result *out)
{
	result_init(a, f, out);
}

void
form_set(struct form_result *res, size_t i, const char *text)
{
	struct form_value *v = &res->field[i];

	v->raw = text;
	v->text = text;
}

/* One more message in res and in every result that holds it. */
static void
count_error(struct form_result *res)
{
	for (; res != NULL; res = res->parent)
		res->nerrors++;
}

void
form_set_error(struct form_result *res, size_t i, const char *message)
{
	struct form_value *v = &res->field[i];

	if (v->error == NULL)
		count_error(res);
	v->error = message;
	value_clear(v);
}

void
form_add_error(struct arena *a, struct form_result *res, const char *message)
{
	const char **list = arena_calloc(a, res->nform_errors + 1,
	    sizeof(*list));

	if (res->nform_errors > 0)
		memcpy(list, res->errors, res->nform_errors * sizeof(*list));
	list[res->nform_errors++] = message;
	res->errors = list;
	count_error(res);
}

/* The field of f called name, or -1. */
static long
field_index(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->nfields; i++)
		if (f->fields[i].name != NULL &&
		    strcmp(f->fields[i].name, name) == 0)
			return (long)i;
	return -1;
}

/*
 * The row number I of a field named BASE[I][...], or -1 when name is no
 * such field. A number too large for any row gives FORM_MAX_ROWS.
 */
static long
row_index(const char *name, const char *base, size_t blen)
{
	const char *p = name + blen + 1;
	long n = 0;

	if (strncmp(name, base, blen) != 0 || name[blen] != '[' ||
	    !is_digit(*p) || (p[0] == '0' && is_digit(p[1])))
		return -1;
	for (; is_digit(*p); p++)
		if (n < FORM_MAX_ROWS)
			n = n * 10 + (*p - '0');
	if (p[0] != ']' || p[1] != '[')
		return -1;
	return n < FORM_MAX_ROWS ? n : FORM_MAX_ROWS;
}

static void check_fields(struct arena *a, const struct params *in,
    const char *prefix, struct form_result *res);

static void
check_rows(struct arena *a, const struct params *in, const char *name,
    size_t i, struct form_result *res)
{
	const struct form_field *fld = &res->form->fields[i];
	struct form_value *v = &res->field[i];
	size_t max = fld->max_rows, blen = strlen(name);
	unsigned char filled[FORM_MAX_ROWS + 1];
	int too_many = 0;

	if (max < 1)
		max = 1;
	if (max > FORM_MAX_ROWS)
		max = FORM_MAX_ROWS;
	memset(filled, 0, sizeof(filled));
	for (size_t j = 0; j < in->count; j++) {
		long k = row_index(in->items[j].name, name, blen);

		if (k < 0 || is_blank(in->items[j].value))
			continue;
		if ((size_t)k >= max)
			too_many = 1;
		else
			filled[k] = 1;
	}
	v->rows = arena_calloc(a, max, sizeof(*v->rows));
	for (size_t k = 0; k < max; k++) {
		struct form_result *row;

		if (!filled[k])
			continue;
		row = &v->rows[v->nrows++];
		result_init(a, fld->rows, row);
		row->index = (int)k;
		row->parent = res;
		row->zone = res->zone;
		check_fields(a, in, arena_printf(a, "%s[%zu]", name, k), row);
	}
	if (too_many)
		v->error = own(fld->too_long, arena_printf(a, "There can be at "
		    "most %zu rows.", max));
	else if (v->nrows == 0 && (fld->flags & FORM_REQUIRED))
		v->error = own(fld->missing, kinds[FORM_ROWS].missing);
	if (v->error != NULL)
		count_error(res);
}

/* The instants of res's checked date-times, once their zones are known. */
static void
resolve_times(struct arena *a, struct form_result *res)
{
	const struct form *f = res->form;

	for (size_t i = 0; i < f->nfields; i++) {
		const struct form_field *fld = &f->fields[i];
		struct form_value *v = &res->field[i];
		const char *zone = res->zone, *err;
		long z;

		if (fld->name == NULL || fld->kind != FORM_DATETIME ||
		    v->text == NULL)
			continue;
		if (fld->zone_field != NULL) {
			z = field_index(f, fld->zone_field);
			zone = z >= 0 ? res->field[z].text : NULL;
			/* The zone's own message says what is wrong. */
			if (z >= 0 && res->field[z].error != NULL) {
				value_clear(v);
				continue;
			}
		}
		if ((err = zone_resolve(a, fld, zone, v)) == NULL)
			continue;
		if (fld->flags & FORM_QUIET)
			value_clear(v);
		else
			form_set_error(res, i, err);
	}
}

/* Checks the fields of res->form, named PREFIX[NAME] when prefix is not
 * NULL (a row), then the form's cross-field check. */
static void
check_fields(struct arena *a, const struct params *in, const char *prefix,
    struct form_result *res)
{
	const struct form *f = res->form;

	for (size_t i = 0; i < f->nfields; i++) {
		const struct form_field *fld = &f->fields[i];
		struct form_value *v = &res->field[i];
		const char *name, *err;

		if (fld->name == NULL)
			continue;
		name = prefix == NULL ? fld->name :
		    arena_printf(a, "%s[%s]", prefix, fld->name);
		if (fld->kind == FORM_ROWS) {
			check_rows(a, in, name, i, res);
			continue;
		}
		v->raw = params_get(in, name);
		if (params_count_name(in, name) > 1)
			err = MSG_REPEATED;
		else
			err = check_value(a, fld, v->raw, v);
		if (err != NULL && !(fld->flags & FORM_QUIET)) {
			v->error = err;
			count_error(res);
		}
	}
	resolve_times(a, res);
	if (f->cross != NULL)
		f->cross(a, res);
}

int
form_check(struct arena *a, const struct form *f, const struct params *in,
    const char *zone, struct form_result *out)
{
	result_init(a, f, out);
	out->zone = zone;
	check_fields(a, in, NULL, out);
	return out->nerrors;
}

/* 1 when the len bytes of name are those of a FORM_SECRET field of f, or
 * of one in its rows. */
static int
secret_name(const struct form *f, const char *name, size_t len)
{
	for (size_t i = 0; i < f->nfields; i++) {
		const struct form_field *fld = &f->fields[i];
		const char *end = name + len, *p;
		size_t n;

		if (fld->name == NULL || (n = strlen(fld->name)) > len ||
		    memcmp(name, fld->name, n) != 0)
			continue;
		if (n == len)
			return (fld->flags & FORM_SECRET) != 0;
		if (fld->kind != FORM_ROWS || name[n] != '[')
			continue;
		for (p = name + n + 1; p < end && is_digit(*p); p++)
			continue;
		if (p == name + n + 1 || end - p < 3 || p[0] != ']' ||
		    p[1] != '[' || end[-1] != ']')
			continue;
		if (secret_name(fld->rows, p + 2, (size_t)(end - 1 - (p + 2))))
			return 1;
	}
	return 0;
}

void
form_wipe(const struct form *f, struct params *in)
{
	for (size_t j = 0; j < in->count; j++) {
		const struct param *it = &in->items[j];

		if (secret_name(f, it->name, strlen(it->name)))
			explicit_bzero((char *)it->value, it->value_len);
	}
}

/* ------------------------------------------------------------ views */

static const char *
field_type(const struct form_field *fld)
{
	return fld->type != NULL ? fld->type : kinds[fld->kind].type;
}

static int
is_hidden(const struct form_field *fld)
{
	return strcmp(field_type(fld), "hidden") == 0;
}

/* What the input shows: nothing for a secret, what was typed where the
 * field failed (but in a hidden field), else the checked value. */
static const char *
shown_value(const struct form_field *fld, const struct form_value *v)
{
	if (v == NULL || (fld->flags & FORM_SECRET))
		return "";
	if (v->error != NULL)
		return is_hidden(fld) || v->raw == NULL ? "" : v->raw;
	return v->text != NULL ? v->text : "";
}

static void
set_bounds(struct arena *a, const struct form_field *fld,
    struct tmpl_value *obj)
{
	const char *lo = "", *hi = "";

	switch (fld->kind) {
	case FORM_INT:
		if (fld->min != 0 || fld->max != 0) {
			lo = arena_printf(a, "%lld", fld->min);
			hi = arena_printf(a, "%lld", fld->max);
		}
		break;
	case FORM_DATE:
	case FORM_DATETIME:
		lo = fld->earliest != NULL ? fld->earliest : "";
		hi = fld->latest != NULL ? fld->latest : "";
		break;
	default:
		break;
	}
	tv_set_str(a, obj, "min", lo);
	tv_set_str(a, obj, "max", hi);
}

static const char *
max_length(struct arena *a, const struct form_field *fld)
{
	size_t n = 0;

	if (fld->kind == FORM_EMAIL)
		n = FORM_EMAIL_MAX_BYTES;
	else if (fld->kind == FORM_TEXT)
		n = fld->max_chars != 0 ? fld->max_chars : fld->max_bytes;
	return n != 0 ? arena_printf(a, "%zu", n) : "";
}

static struct tmpl_value *
options_view(struct arena *a, const struct form_field *fld,
    const char *shown)
{
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; fld->kind == FORM_CHOICE && i < fld->nchoices;
	    i++) {
		struct tmpl_value *o = tv_object(a);

		tv_set_str(a, o, "value", fld->choices[i]);
		tv_set_str(a, o, "label", fld->choice_labels != NULL ?
		    fld->choice_labels[i] : fld->choices[i]);
		tv_set_bool(a, o, "selected", strcmp(fld->choices[i],
		    shown) == 0);
		tv_push(a, list, o);
	}
	return list;
}

static void
push_error(struct arena *a, struct tmpl_value *errors, const char *message,
    const char *href)
{
	struct tmpl_value *e = tv_object(a);

	tv_set_str(a, e, "message", message);
	tv_set_str(a, e, "href", href);
	tv_push(a, errors, e);
}

static void fields_view(struct arena *a, const struct form *f,
    const struct form_result *res, const char *id, const char *prefix,
    const char *label, struct tmpl_value *errors, struct tmpl_value *fields,
    struct tmpl_value *list);

/* The result of the row numbered k of a rows field, or NULL. */
static const struct form_result *
row_of(const struct form_value *v, size_t k)
{
	for (size_t i = 0; v != NULL && i < v->nrows; i++)
		if ((size_t)v->rows[i].index == k)
			return &v->rows[i];
	return NULL;
}

/*
 * The rows a page shows: every row up to the last one sent, at its place
 * (blank ones too, so that row 3 stays the third), then blank_rows empty
 * ones (one when none was sent and blank_rows is 0), up to max_rows.
 * Their messages go to errors after label, the row's name and number.
 */
static struct tmpl_value *
rows_view(struct arena *a, const struct form_field *fld,
    const struct form_value *v, const char *id, const char *name,
    const char *label, struct tmpl_value *errors)
{
	struct tmpl_value *list = tv_list(a);
	size_t max = fld->max_rows < 1 ? 1 : fld->max_rows > FORM_MAX_ROWS ?
	    FORM_MAX_ROWS : fld->max_rows, shown = 0;

	if (v != NULL && v->nrows > 0)
		shown = (size_t)v->rows[v->nrows - 1].index + 1;
	shown += fld->blank_rows > 0 ? fld->blank_rows : shown == 0;
	if (shown > max)
		shown = max;
	for (size_t k = 0; k < shown; k++) {
		const struct form_result *row = row_of(v, k);
		struct tmpl_value *r = tv_object(a), *fields = tv_object(a);
		struct tmpl_value *rlist = tv_list(a);
		const char *rid = arena_printf(a, "%s-%zu", id, k);
		const char *rlabel = arena_printf(a, "%s%s %zu: ", label,
		    fld->label ? fld->label : "Row", k + 1);

		for (size_t e = 0; row != NULL && e < row->nform_errors; e++)
			push_error(a, errors, arena_printf(a, "%s%s", rlabel,
			    row->errors[e]), arena_printf(a, "#%s", rid));
		fields_view(a, fld->rows, row, rid, arena_printf(a, "%s[%zu]",
		    name, k), rlabel, errors, fields, rlist);
		tv_set_str(a, r, "id", rid);
		tv_set_int(a, r, "index", (long long)k);
		tv_set_int(a, r, "number", (long long)k + 1);
		tv_set_bool(a, r, "invalid", row != NULL && row->nerrors > 0);
		tv_set(a, r, "fields", fields);
		tv_set(a, r, "list", rlist);
		tv_push(a, list, r);
	}
	return list;
}

/* The view of one field, its message (after label) pushed on errors. */
static struct tmpl_value *
field_view(struct arena *a, const struct form_field *fld,
    const struct form_value *v, const char *id, const char *name,
    const char *label, struct tmpl_value *errors)
{
	struct tmpl_value *obj = tv_object(a);
	const char *shown = shown_value(fld, v), *error = "", *describedby;
	int has_hint = fld->hint != NULL && *fld->hint != '\0';
	int multiline = fld->kind == FORM_TEXT &&
	    fld->charset == FORM_MULTILINE && fld->type == NULL;

	if (v != NULL && v->error != NULL)
		error = v->error;
	if (*error != '\0' && has_hint)
		describedby = arena_printf(a, "%s-error %s-hint", id, id);
	else if (*error != '\0')
		describedby = arena_printf(a, "%s-error", id);
	else if (has_hint)
		describedby = arena_printf(a, "%s-hint", id);
	else
		describedby = "";
	tv_set_str(a, obj, "id", id);
	tv_set_str(a, obj, "name", name);
	tv_set_str(a, obj, "label", fld->label ? fld->label : "");
	tv_set_str(a, obj, "type", field_type(fld));
	tv_set_str(a, obj, "autocomplete", fld->autocomplete ?
	    fld->autocomplete : "");
	tv_set_str(a, obj, "maxlength", max_length(a, fld));
	set_bounds(a, fld, obj);
	tv_set_bool(a, obj, "required", (fld->flags & FORM_REQUIRED) != 0);
	tv_set_str(a, obj, "hint", has_hint ? fld->hint : "");
	tv_set_str(a, obj, "value", fld->kind == FORM_CHECKBOX ? "" : shown);
	tv_set_bool(a, obj, "checked", fld->kind == FORM_CHECKBOX &&
	    v != NULL && v->error == NULL && v->on);
	tv_set_str(a, obj, "error", error);
	tv_set_bool(a, obj, "invalid", *error != '\0');
	tv_set_str(a, obj, "describedby", describedby);
	tv_set_bool(a, obj, "checkbox", fld->kind == FORM_CHECKBOX);
	tv_set_bool(a, obj, "select", fld->kind == FORM_CHOICE);
	tv_set_bool(a, obj, "textarea", multiline);
	tv_set_bool(a, obj, "input", fld->kind != FORM_CHECKBOX &&
	    fld->kind != FORM_CHOICE && fld->kind != FORM_ROWS && !multiline);
	tv_set_bool(a, obj, "hidden", is_hidden(fld));
	tv_set(a, obj, "options", options_view(a, fld, shown));
	/* A hidden field has nothing to go to; its message stands alone. */
	if (*error != '\0')
		push_error(a, errors, *label != '\0' ? arena_printf(a, "%s%s",
		    label, error) : error, is_hidden(fld) ? "" :
		    arena_printf(a, "#%s", id));
	tv_set(a, obj, "rows", fld->kind == FORM_ROWS ?
	    rows_view(a, fld, v, id, name, label, errors) : tv_list(a));
	return obj;
}

/* The views of f's fields into fields (by name) and list, their messages
 * into errors after label. prefix names a row's fields PREFIX[NAME]. */
static void
fields_view(struct arena *a, const struct form *f,
    const struct form_result *res, const char *id, const char *prefix,
    const char *label, struct tmpl_value *errors, struct tmpl_value *fields,
    struct tmpl_value *list)
{
	for (size_t i = 0; i < f->nfields; i++) {
		const struct form_field *fld = &f->fields[i];
		struct tmpl_value *fv;

		if (fld->name == NULL)
			continue;
		fv = field_view(a, fld, res ? &res->field[i] : NULL,
		    arena_printf(a, "%s-%s", id, fld->name), prefix == NULL ?
		    fld->name : arena_printf(a, "%s[%s]", prefix, fld->name),
		    label, errors);
		tv_set(a, fields, fld->name, fv);
		tv_push(a, list, fv);
	}
}

struct tmpl_value *
form_view(struct arena *a, const struct form *f,
    const struct form_result *res)
{
	struct tmpl_value *obj = tv_object(a), *errors = tv_list(a);
	struct tmpl_value *fields = tv_object(a), *list = tv_list(a);

	for (size_t e = 0; res != NULL && e < res->nform_errors; e++)
		push_error(a, errors, res->errors[e], "");
	fields_view(a, f, res, f->id, NULL, "", errors, fields, list);
	tv_set_str(a, obj, "id", f->id);
	tv_set_bool(a, obj, "invalid", res != NULL && res->nerrors > 0);
	tv_set(a, obj, "errors", errors);
	tv_set(a, obj, "fields", fields);
	tv_set(a, obj, "list", list);
	return obj;
}

int
form_rerender(struct request *r, const char *tmpl, struct tmpl_value *ctx,
    const char *key, const struct form_result *res)
{
	int rc;

	tv_set(r->arena, ctx, key, form_view(r->arena, res->form, res));
	if ((rc = page_render(r, tmpl, ctx)) != 0)
		return rc;
	r->resp.status = 400;
	return 0;
}
