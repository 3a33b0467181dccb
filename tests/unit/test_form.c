/*
 * Unit tests for form.c: every kind of field at its limits and one past
 * them, money and dates at their edges, date-times across Europe/Berlin's
 * changes of clock, repeated rows, the cross-field check, wiping secrets,
 * the view (values kept, messages, summary) and the one re-render helper,
 * and the big list of naughty strings through every kind.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "dates.h"
#include "form.h"
#include "http_params.h"
#include "http_url.h"
#include "program.h"
#include "tap.h"
#include "blns.h"
#include "tmpl.h"
#include "utf8.h"
#include "util.h"

static struct arena arena;
#define A (&arena)

static struct params
form_of(const char *body)
{
	struct params p;

	if (params_parse(A, body, strlen(body), &params_default_limits,
	    &p) != PARAMS_OK)
		memset(&p, 0, sizeof(p));
	return p;
}

/* The value of one field checked alone. */
static struct form_value
one(const struct form_field *fld, const char *raw)
{
	struct form_value v;

	form_field_check(A, fld, raw, "Europe/Berlin", &v);
	return v;
}

static void
pass(const struct form_field *fld, const char *raw, const char *want,
    const char *why)
{
	struct form_value v = one(fld, raw);

	if (!ok(v.error == NULL && v.text != NULL && strcmp(v.text, want) == 0,
	    "%s: passes", why))
		printf("#   got \"%s\", want \"%s\", error \"%s\"\n",
		    v.text ? v.text : "(null)", want,
		    v.error ? v.error : "(none)");
}

static void
fail(const struct form_field *fld, const char *raw, const char *want,
    const char *why)
{
	struct form_value v = one(fld, raw);

	if (!ok(v.error != NULL && v.text == NULL && (want == NULL ||
	    strcmp(v.error, want) == 0), "%s: refused", why))
		printf("#   got \"%s\", error \"%s\"\n", v.text ? v.text : "(null)",
		    v.error ? v.error : "(none)");
}

static void
test_utf8(void)
{
	const char *p = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";

	is_int(utf8_chars(""), 0, "utf8: no characters in \"\"");
	is_int(utf8_chars(p), 4, "utf8: one, two, three and four bytes count one "
	    "each");
	is_int(utf8_next(&p), 'a', "utf8: reads ASCII");
	is_int(utf8_next(&p), 0xE9, "utf8: reads two bytes");
	is_int(utf8_next(&p), 0x20AC, "utf8: reads three bytes");
	is_int(utf8_next(&p), 0x1F600, "utf8: reads four bytes");
	ok(*p == '\0', "utf8: and stops at the end");
}

static void
test_text(void)
{
	static const struct form_field name = { .name = "n", .kind = FORM_TEXT,
	    .flags = FORM_REQUIRED | FORM_TRIM, .min_chars = 2,
	    .max_chars = 5 };
	static const struct form_field raw = { .name = "r", .kind = FORM_TEXT,
	    .max_bytes = 6 };
	static const struct form_field notes = { .name = "m",
	    .kind = FORM_TEXT, .charset = FORM_MULTILINE, .max_chars = 6 };
	static const struct form_field token = { .name = "t",
	    .kind = FORM_TEXT, .charset = FORM_TOKEN, .max_chars = 4,
	    .invalid = "Bad token." };
	static const struct form_field secret = { .name = "pw",
	    .kind = FORM_TEXT, .charset = FORM_ANY,
	    .flags = FORM_REQUIRED | FORM_TRIM | FORM_SECRET,
	    .missing = "Enter your password." };
	struct form_value v;
	const char *s;

	pass(&name, "ab", "ab", "text: 2 characters, the minimum");
	fail(&name, "a", "Use at least 2 characters.", "text: 1 character");
	pass(&name, "abcde", "abcde", "text: 5 characters, the maximum");
	fail(&name, "abcdef", "Use at most 5 characters.", "text: 6 characters");
	pass(&name, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	    "text: 5 two-byte characters (10 bytes)");
	fail(&name, "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f"
	    "\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80", NULL,
	    "text: 6 emoji");
	pass(&name, "  ab \t\r\n", "ab", "text: trimmed");
	pass(&name, " a b ", "a b", "text: inner spaces stay");
	fail(&name, "", "Fill in this field.", "text: empty and required");
	fail(&name, "   ", "Fill in this field.", "text: blank is empty");
	fail(&name, NULL, "Fill in this field.", "text: absent");
	fail(&name, "a\tb", NULL, "text: a tab on one line");
	fail(&name, "a\nb", NULL, "text: a line break on one line");
	fail(&name, "a\x7f", NULL, "text: DEL");
	fail(&name, "a\x01", NULL, "text: a C0 control");
	fail(&name, "a\xc2\x85", NULL, "text: a C1 control (NEL)");
	fail(&name, "a\xe2\x80\xa8", NULL, "text: a line separator");
	fail(&name, "a\xff", NULL, "text: invalid UTF-8");

	v = one(&raw, "");
	ok(v.error == NULL && v.text == NULL, "text: optional and empty passes "
	    "without a value");
	pass(&raw, " ab ", " ab ", "text: untrimmed keeps the spaces");
	pass(&raw, "abcdef", "abcdef", "text: 6 bytes, the maximum");
	fail(&raw, "abcdefg", NULL, "text: 7 bytes");
	fail(&raw, "abcde\xc3\xa9", NULL, "text: 6 characters in 7 bytes");

	pass(&notes, "a\tb\nc", "a\tb\nc", "multi-line: tab and line feed");
	pass(&notes, "a\r\nb\rc", "a\nb\nc",
	    "multi-line: CR LF and CR come back as LF");
	pass(&notes, "ab\r\ncd\r\n", "ab\ncd\n",
	    "multi-line: a CR LF counts as one character (6)");
	fail(&notes, "ab\r\ncd\r\ne", NULL, "multi-line: 7 characters");
	fail(&notes, "a\x0b", NULL, "multi-line: a vertical tab");
	fail(&notes, "a\x1b[0m", NULL, "multi-line: an escape sequence");

	pass(&token, "aZ9_", "aZ9_", "token: letters, digits and _");
	pass(&token, "a-b", "a-b", "token: and -");
	fail(&token, "a!b", "Bad token.", "token: a !, with the own message");
	fail(&token, "a b", NULL, "token: a space");
	fail(&token, "\xc3\xa9", NULL, "token: non-ASCII");
	fail(&token, "abcde", NULL, "token: 5 characters");

	s = " secret\t";
	v = one(&secret, s);
	ok(v.error == NULL && v.text == s,
	    "secret: taken as sent, never trimmed or copied");
	fail(&secret, "", "Enter your password.", "secret: the own message");
}

/* A check of the owner's: refuses "admin" and upper-cases the rest. */
static const char *
shout(struct arena *a, const char *value, const char **out)
{
	char *up;

	if (strcmp(value, "admin") == 0)
		return "That name is taken.";
	up = arena_strdup(a, value);
	for (char *p = up; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	*out = up;
	return NULL;
}

static void
test_check_hook(void)
{
	static const struct form_field f = { .name = "u", .kind = FORM_TEXT,
	    .flags = FORM_TRIM, .max_chars = 10, .check = shout };
	static const struct form_field quiet = { .name = "next",
	    .kind = FORM_TEXT, .flags = FORM_QUIET, .check = shout };
	struct form_value v;

	pass(&f, " bob ", "BOB", "check: runs after trimming, may normalise");
	fail(&f, "admin", "That name is taken.", "check: its message");
	fail(&f, "abcdefghijk", "Use at most 10 characters.",
	    "check: the kind's limits come first");
	v = one(&quiet, "admin");
	ok(v.error == NULL && v.text == NULL && strcmp(v.raw, "admin") == 0,
	    "quiet: a failing value is dropped without a message");
}

static void
test_int(void)
{
	static const struct form_field qty = { .name = "q", .kind = FORM_INT,
	    .flags = FORM_REQUIRED, .min = 1, .max = 10 };
	static const struct form_field any = { .name = "n", .kind = FORM_INT };
	struct form_value v;

	pass(&qty, "1", "1", "int: the minimum");
	pass(&qty, "10", "10", "int: the maximum");
	fail(&qty, "0", "Enter a whole number from 1 to 10.", "int: one under");
	fail(&qty, "11", "Enter a whole number from 1 to 10.", "int: one over");
	pass(&qty, " 7 ", "7", "int: white space around");
	pass(&qty, "007", "7", "int: leading zeros");
	fail(&qty, "+5", NULL, "int: a plus sign");
	fail(&qty, "5.0", NULL, "int: a decimal point");
	fail(&qty, "1e1", NULL, "int: an exponent");
	fail(&qty, "1 0", NULL, "int: a space inside");
	fail(&qty, "five", NULL, "int: a word");
	fail(&qty, "-", NULL, "int: a lone minus");
	fail(&qty, "", "Enter a number.", "int: empty and required");
	fail(&qty, "99999999999999999999999", "Enter a whole number from 1 to "
	    "10.", "int: too large for any long long");
	v = one(&any, "-9223372036854775807");
	ok(v.error == NULL && v.num == -9223372036854775807LL,
	    "int: without a range, any long long");
	fail(&any, "9223372036854775808", "Enter a whole number, like 12.",
	    "int: one past LLONG_MAX");
	v = one(&any, "-12");
	ok(v.error == NULL && v.num == -12, "int: negative");
}

static void
money_is(const struct form_field *fld, const char *raw, long long want,
    const char *text)
{
	struct form_value v = one(fld, raw);

	ok(v.error == NULL && v.num == want && v.text != NULL &&
	    strcmp(v.text, text) == 0, "money: \"%s\" is %lld (\"%s\")", raw,
	    want, text);
	if (v.error != NULL)
		printf("#   refused: %s\n", v.error);
}

static void
test_money(void)
{
	static const struct form_field price = { .name = "p",
	    .kind = FORM_MONEY, .flags = FORM_REQUIRED, .decimals = 2,
	    .max = 100000, .invalid = "Enter a price like 12.50." };
	static const struct form_field fee = { .name = "f", .kind = FORM_MONEY,
	    .decimals = 2, .min = 50, .max = 1000 };
	static const struct form_field yen = { .name = "y", .kind = FORM_MONEY };
	static const struct form_field dinar = { .name = "d",
	    .kind = FORM_MONEY, .decimals = 3 };
	static const struct form_field big = { .name = "b", .kind = FORM_MONEY,
	    .decimals = 2 };

	money_is(&price, "12", 1200, "12.00");
	money_is(&price, "12.5", 1250, "12.50");
	money_is(&price, "12.50", 1250, "12.50");
	money_is(&price, "0", 0, "0.00");
	money_is(&price, "0.01", 1, "0.01");
	money_is(&price, "0012.05", 1205, "12.05");
	money_is(&price, " 12.50 ", 1250, "12.50");
	money_is(&price, "1000", 100000, "1000.00");
	fail(&price, "1000.01", "Enter an amount of at most 1000.00.",
	    "money: one cent over the maximum");
	fail(&price, "12.505", "Enter a price like 12.50.",
	    "money: three decimals");
	fail(&price, "-1", NULL, "money: negative");
	fail(&price, "-0.50", NULL, "money: negative cents");
	fail(&price, "+12", NULL, "money: a plus sign");
	fail(&price, "1e3", NULL, "money: an exponent");
	fail(&price, "1E3", NULL, "money: an upper-case exponent");
	fail(&price, "1,000", NULL, "money: a thousands comma");
	fail(&price, "1 000", NULL, "money: a thousands space");
	fail(&price, "1'000", NULL, "money: a thousands apostrophe");
	fail(&price, "1.000.00", NULL, "money: two points");
	fail(&price, "12,50", NULL, "money: a decimal comma");
	fail(&price, "12.", NULL, "money: a trailing point");
	fail(&price, ".5", NULL, "money: no whole part");
	fail(&price, "12.5.", NULL, "money: a point after the decimals");
	fail(&price, "$12", NULL, "money: a currency sign");
	fail(&price, "12 EUR", NULL, "money: a currency code");
	fail(&price, "0x10", NULL, "money: hexadecimal");
	fail(&price, "\xd9\xa1\xd9\xa2", NULL, "money: Arabic-Indic digits");
	fail(&price, "inf", NULL, "money: infinity");
	fail(&price, "NaN", NULL, "money: NaN");
	fail(&price, "", "Enter an amount.", "money: empty and required");
	fail(&price, "99999999999999999999", "Enter an amount of at most "
	    "1000.00.", "money: far too many digits");
	money_is(&fee, "0.50", 50, "0.50");
	fail(&fee, "0.49", "Enter an amount from 0.50 to 10.00.",
	    "money: one cent under the minimum");
	money_is(&fee, "10", 1000, "10.00");
	fail(&fee, "10.01", NULL, "money: one cent over");
	money_is(&yen, "1200", 1200, "1200");
	fail(&yen, "12.5", "Enter an amount like 12.", "money: no decimals in "
	    "a currency without them");
	money_is(&dinar, "1.5", 1500, "1.500");
	money_is(&dinar, "1.005", 1005, "1.005");
	fail(&dinar, "1.0005", NULL, "money: four decimals of three");
	money_is(&big, "9999999999999.99", FORM_MONEY_MAX, "9999999999999.99");
	fail(&big, "10000000000000", NULL, "money: one past FORM_MONEY_MAX");
}

static void
test_choice(void)
{
	static const char *const sizes[] = { "small", "medium", "large" };
	static const char *const labels[] = { "Small", "Medium", "Large" };
	static const struct form_field size = { .name = "s",
	    .kind = FORM_CHOICE, .flags = FORM_REQUIRED, .choices = sizes,
	    .choice_labels = labels, .nchoices = 3 };
	static const char *const keys[] = { "name", "password" };
	struct form_value v;

	v = one(&size, "large");
	ok(v.error == NULL && v.num == 2 && v.text == sizes[2],
	    "choice: the index and the listed value");
	pass(&size, " small ", "small", "choice: white space around");
	fail(&size, "Large", "Choose one of the options.",
	    "choice: another case");
	fail(&size, "huge", NULL, "choice: not listed");
	fail(&size, "", NULL, "choice: empty and required");
	is_int(form_choice(keys, 2, "password"), 1, "form_choice: a known flag");
	is_int(form_choice(keys, 2, "<script>"), -1,
	    "form_choice: an unknown flag");
	is_int(form_choice(keys, 2, NULL), -1, "form_choice: no flag");
}

static void
test_date(void)
{
	static const struct form_field day = { .name = "d", .kind = FORM_DATE,
	    .flags = FORM_REQUIRED };
	static const struct form_field window = { .name = "w",
	    .kind = FORM_DATE, .earliest = "2026-01-01",
	    .latest = "2026-12-31" };
	struct form_value v;

	v = one(&day, "2024-02-29");
	ok(v.error == NULL && v.time == 1709164800,
	    "date: 29 February 2024 is 00:00 UTC that day");
	fail(&day, "2026-02-29", "That day does not exist: check the day and "
	    "the month.", "date: 29 February 2026");
	fail(&day, "2100-02-29", NULL, "date: 2100 is no leap year");
	pass(&day, "2000-02-29", "2000-02-29", "date: 2000 is one");
	fail(&day, "2026-04-31", NULL, "date: 31 April");
	fail(&day, "2026-06-00", NULL, "date: day 0");
	fail(&day, "2026-13-01", NULL, "date: month 13");
	fail(&day, "2026-00-10", NULL, "date: month 0");
	pass(&day, "2026-12-31", "2026-12-31", "date: the last day of a year");
	fail(&day, "2026-1-5", "Enter a date like 2026-03-29.",
	    "date: unpadded");
	fail(&day, "05.01.2026", NULL, "date: another order");
	fail(&day, "2026-01-05T10:00", NULL, "date: with a time");
	fail(&day, "2026/01/05", NULL, "date: slashes");
	fail(&day, "", "Enter a date.", "date: empty and required");
	pass(&window, "2026-01-01", "2026-01-01", "date: the earliest");
	pass(&window, "2026-12-31", "2026-12-31", "date: the latest");
	fail(&window, "2025-12-31", "Enter a date from 2026-01-01 to "
	    "2026-12-31.", "date: a day before the earliest");
	fail(&window, "2027-01-01", NULL, "date: a day after the latest");
}

static const char *
utc(const struct form_value *v)
{
	return v->error == NULL && v->text != NULL ? dates_db(A, v->time) :
	    v->error ? v->error : "(none)";
}

static void
test_datetime(void)
{
	static const struct form_field at = { .name = "at",
	    .kind = FORM_DATETIME, .flags = FORM_REQUIRED };
	static const struct form_field season = { .name = "s",
	    .kind = FORM_DATETIME, .earliest = "2026-03-01T00:00",
	    .latest = "2026-10-31T23:59" };
	static const char *const zones[] = { "Europe/Berlin", "Asia/Tokyo",
	    "Mars/Olympus" };
	static const struct form_field fields[] = {
		{ .name = "starts", .kind = FORM_DATETIME,
		    .flags = FORM_REQUIRED, .zone_field = "tz" },
		{ .name = "tz", .kind = FORM_CHOICE, .flags = FORM_REQUIRED,
		    .choices = zones, .nchoices = 3 },
	};
	static const struct form event = { "ev", fields, ARRAY_LEN(fields),
	    NULL };
	struct form_result res;
	struct form_value v;
	struct params p;

	v = one(&at, "2026-07-01T20:00");
	is_str(utc(&v), "2026-07-01 18:00:00", "datetime: summer in Berlin");
	is_str(v.text, "2026-07-01T20:00", "datetime: the text as the input's");
	v = one(&at, "2026-12-01 20:00");
	is_str(utc(&v), "2026-12-01 19:00:00",
	    "datetime: winter, typed with a space");
	is_str(v.text, "2026-12-01T20:00", "datetime: shown back with a T");
	v = one(&at, "2026-07-01T20:00:30");
	is_str(v.text, "2026-07-01T20:00:30", "datetime: seconds are kept");
	v = one(&at, "2026-03-29T01:59");
	is_str(utc(&v), "2026-03-29 00:59:00",
	    "datetime: 29 March 2026 01:59, the last minute of winter time");
	v = one(&at, "2026-03-29T02:30");
	ok(v.error != NULL && v.text == NULL && strstr(v.error,
	    "does not exist in Europe/Berlin") != NULL,
	    "datetime: 02:30 that night never shows, and the message says so");
	v = one(&at, "2026-03-29T02:00");
	ok(v.error != NULL, "datetime: nor 02:00");
	v = one(&at, "2026-03-29T03:00");
	is_str(utc(&v), "2026-03-29 01:00:00",
	    "datetime: 03:00 is the first minute of summer time");
	v = one(&at, "2026-10-25T01:59");
	is_str(utc(&v), "2026-10-24 23:59:00",
	    "datetime: 25 October 01:59, before the hour that repeats");
	v = one(&at, "2026-10-25T02:30");
	is_str(utc(&v), "2026-10-25 00:30:00",
	    "datetime: 02:30 shows twice; the first (summer time) is taken");
	v = one(&at, "2026-10-25T03:00");
	is_str(utc(&v), "2026-10-25 02:00:00",
	    "datetime: 03:00 is winter time again");
	v = one(&at, "2026-02-29T10:00");
	ok(v.error != NULL, "datetime: 29 February 2026");
	v = one(&at, "2026-07-01T24:00");
	ok(v.error != NULL, "datetime: hour 24");
	v = one(&at, "2026-07-01T20:00+02:00");
	ok(v.error != NULL, "datetime: an offset");
	v = one(&at, "2026-07-01");
	is_str(v.error, "Enter a date and time like 2026-03-29 19:30.",
	    "datetime: a date alone");
	v = one(&at, "");
	is_str(v.error, "Enter a date and time.", "datetime: empty");
	form_field_check(A, &at, "2026-07-01T20:00", "Mars/Olympus", &v);
	is_str(v.error, "Choose a time zone for this time.",
	    "datetime: an unknown zone");
	form_field_check(A, &at, "2026-07-01T20:00", NULL, &v);
	ok(v.error != NULL, "datetime: no zone at all");
	v = one(&season, "2026-03-01T00:00");
	ok(v.error == NULL, "datetime: the earliest");
	v = one(&season, "2026-10-31T23:59");
	ok(v.error == NULL, "datetime: the latest");
	v = one(&season, "2026-10-31T23:59:01");
	ok(v.error != NULL, "datetime: a second after the latest");
	v = one(&season, "2026-02-28T23:59");
	is_str(v.error, "Enter a time from 2026-03-01 00:00 to 2026-10-31 "
	    "23:59.", "datetime: a minute before the earliest");

	p = form_of("starts=2026-07-01T20%3A00&tz=Asia%2FTokyo");
	is_int(form_check(A, &event, &p, "Europe/Berlin", &res), 0,
	    "datetime: a zone from another field");
	is_str(utc(&res.field[0]), "2026-07-01 11:00:00",
	    "... which wins over the caller's");
	p = form_of("starts=2026-03-29T02%3A30&tz=Asia%2FTokyo");
	is_int(form_check(A, &event, &p, NULL, &res), 0,
	    "datetime: Berlin's gap is no gap in Tokyo");
	p = form_of("starts=2026-07-01T20%3A00&tz=Europe%2FParis%2F");
	is_int(form_check(A, &event, &p, NULL, &res), 1,
	    "datetime: a zone that fails its own check is one error");
	ok(res.field[0].error == NULL && res.field[0].text == NULL &&
	    res.field[1].error != NULL, "... on the zone; the time has no value");
	p = form_of("starts=2026-07-01T20%3A00&tz=Mars%2FOlympus");
	is_int(form_check(A, &event, &p, NULL, &res), 1,
	    "datetime: a listed zone the system does not know");
	ok(res.field[0].error != NULL, "... is an error on the time");
}

static void
test_checkbox_email(void)
{
	static const struct form_field agree = { .name = "ok",
	    .kind = FORM_CHECKBOX, .flags = FORM_REQUIRED };
	static const struct form_field news = { .name = "news",
	    .kind = FORM_CHECKBOX };
	static const struct form_field mail = { .name = "email",
	    .kind = FORM_EMAIL, .flags = FORM_REQUIRED };
	struct form_value v;
	const char *out;
	char addr[300];

	v = one(&agree, "yes");
	ok(v.error == NULL && v.on == 1, "checkbox: sent is ticked");
	v = one(&agree, "");
	ok(v.error == NULL && v.on == 1, "checkbox: whatever its value");
	v = one(&agree, NULL);
	is_str(v.error, "Tick the box to confirm.",
	    "checkbox: a box that must be ticked");
	v = one(&news, NULL);
	ok(v.error == NULL && v.on == 0 && v.text == NULL,
	    "checkbox: an optional one left alone is off");

	pass(&mail, "  Bob@Example.ORG ", "bob@example.org",
	    "email: trimmed and lower-cased");
	fail(&mail, "", "Enter an email address.", "email: empty");
	fail(&mail, "bob", "Enter a valid email address, like "
	    "name@example.com.", "email: no @");
	memset(addr, 'a', sizeof(addr));
	memcpy(addr, "x@", 2);
	for (size_t i = 50; i < 250; i += 50)
		addr[i] = '.';
	strcpy(addr + 250, ".com");
	is_int(strlen(addr), 254, "(an address of 254 bytes)");
	pass(&mail, addr, addr, "email: 254 bytes, the maximum");
	addr[250] = 'a';
	strcpy(addr + 251, ".com");
	fail(&mail, addr, "An email address has at most 254 characters.",
	    "email: 255 bytes");
	ok(form_email(A, "A@B.CO", &out) == NULL && strcmp(out, "a@b.co") == 0,
	    "form_email: alone");
	ok(form_email(A, "a@b", &out) != NULL && out == NULL,
	    "form_email: a single label is refused");
}

/* Ticket types: rows of a name, a price and a quota; the quota may not
 * exceed 1000 in all. */
static const struct form_field tt_fields[] = {
	{ .name = "name", .kind = FORM_TEXT, .flags = FORM_REQUIRED | FORM_TRIM,
	    .max_chars = 40, .label = "Name" },
	{ .name = "price", .kind = FORM_MONEY, .decimals = 2, .max = 100000,
	    .label = "Price", .invalid = "Enter a price like 12.50." },
	{ .name = "quota", .kind = FORM_INT, .flags = FORM_REQUIRED,
	    .min = 1, .max = 1000, .label = "Seats" },
	{ .name = "code", .kind = FORM_TEXT, .flags = FORM_SECRET,
	    .charset = FORM_ANY, .label = "Door code" },
};
static const struct form tt_form = { "tt", tt_fields, ARRAY_LEN(tt_fields),
	NULL };

static void
event_cross(struct arena *a, struct form_result *res)
{
	const struct form_value *tt = &res->field[2];
	long long seats = 0;

	for (size_t i = 0; i < tt->nrows; i++)
		seats += tt->rows[i].field[2].num;
	if (seats > 1000)
		form_add_error(a, res, "The ticket types have more than 1000 "
		    "seats in all.");
	if (res->field[0].text != NULL && res->field[1].text != NULL &&
	    strcmp(res->field[0].text, res->field[1].text) == 0)
		form_set_error(res, 1, "Choose another title for the listing.");
}

static const struct form_field ev_fields[] = {
	{ .name = "title", .kind = FORM_TEXT, .flags = FORM_REQUIRED | FORM_TRIM,
	    .max_chars = 100, .label = "Title", .hint = "As on the poster." },
	{ .name = "listing", .kind = FORM_TEXT, .flags = FORM_TRIM,
	    .max_chars = 100, .label = "Listing title" },
	{ .name = "tt", .kind = FORM_ROWS, .flags = FORM_REQUIRED,
	    .label = "Ticket type", .rows = &tt_form, .max_rows = 5,
	    .blank_rows = 2, .missing = "Add at least one ticket type." },
	{ .name = "next", .kind = FORM_TEXT, .type = "hidden" },
};
static const struct form ev_form = { "ev", ev_fields, ARRAY_LEN(ev_fields),
	event_cross };

static void
test_rows(void)
{
	struct form_result res;
	const struct form_value *tt;
	struct params p;
	char body[4096];

	p = form_of("title=Gig&tt%5B0%5D%5Bname%5D=Standing&"
	    "tt%5B0%5D%5Bprice%5D=12.5&tt%5B0%5D%5Bquota%5D=100&"
	    "tt%5B1%5D%5Bname%5D=&tt%5B1%5D%5Bprice%5D=+&tt%5B1%5D%5Bquota%5D=&"
	    "tt%5B2%5D%5Bname%5D=Seated&tt%5B2%5D%5Bprice%5D=30&"
	    "tt%5B2%5D%5Bquota%5D=50");
	is_int(form_check(A, &ev_form, &p, NULL, &res), 0,
	    "rows: two rows and a blank one between them pass");
	tt = &res.field[2];
	is_int(tt->nrows, 2, "rows: the blank row is skipped");
	ok(tt->nrows == 2 && tt->rows[0].index == 0 && tt->rows[1].index == 2,
	    "rows: each keeps its number");
	ok(tt->nrows == 2 && tt->rows[0].field[1].num == 1250 &&
	    tt->rows[1].field[2].num == 50 &&
	    strcmp(tt->rows[1].field[0].text, "Seated") == 0,
	    "rows: typed values per row");

	p = form_of("title=Gig&tt%5B0%5D%5Bname%5D=A&tt%5B0%5D%5Bquota%5D=1&"
	    "tt%5B1%5D%5Bname%5D=B&tt%5B1%5D%5Bquota%5D=1&"
	    "tt%5B2%5D%5Bname%5D=C&tt%5B2%5D%5Bprice%5D=12%2C50&"
	    "tt%5B2%5D%5Bquota%5D=1");
	is_int(form_check(A, &ev_form, &p, NULL, &res), 1,
	    "rows: a bad price in row 3 is one error");
	tt = &res.field[2];
	ok(tt->nrows == 3 && tt->rows[2].index == 2 &&
	    tt->rows[2].field[1].error != NULL &&
	    tt->rows[0].nerrors == 0 && tt->rows[1].nerrors == 0 &&
	    tt->rows[2].nerrors == 1, "rows: ... reported on row 3 only");
	is_str(tt->rows[2].field[1].raw, "12,50",
	    "rows: what was typed there is kept");
	ok(tt->error == NULL, "rows: the rows field itself is fine");

	p = form_of("title=Gig&tt%5B3%5D%5Bname%5D=D&tt%5B3%5D%5Bquota%5D=0");
	form_check(A, &ev_form, &p, NULL, &res);
	ok(res.field[2].nrows == 1 && res.field[2].rows[0].index == 3 &&
	    res.field[2].rows[0].field[2].error != NULL,
	    "rows: an error in row 4, the only row, is on row 4");

	p = form_of("title=Gig&tt%5B4%5D%5Bname%5D=E&tt%5B4%5D%5Bquota%5D=1");
	is_int(form_check(A, &ev_form, &p, NULL, &res), 0,
	    "rows: row 5 of 5 is the last allowed");
	p = form_of("title=Gig&tt%5B5%5D%5Bname%5D=F&tt%5B5%5D%5Bquota%5D=1");
	is_int(form_check(A, &ev_form, &p, NULL, &res), 1,
	    "rows: row 6 of 5 is too many");
	is_str(res.field[2].error, "There can be at most 5 rows.",
	    "rows: ... said on the rows field");
	p = form_of("title=Gig&tt%5B0%5D%5Bname%5D=A&tt%5B0%5D%5Bquota%5D=1&"
	    "tt%5B99999999999999999999%5D%5Bname%5D=Z");
	is_int(form_check(A, &ev_form, &p, NULL, &res), 1,
	    "rows: a huge row number is too many, not a crash");
	p = form_of("title=Gig&tt%5B0%5D%5Bname%5D=A&tt%5B0%5D%5Bquota%5D=1&"
	    "tt%5B7%5D%5Bname%5D=");
	is_int(form_check(A, &ev_form, &p, NULL, &res), 0,
	    "rows: a blank row past the last is no matter");
	p = form_of("title=Gig&tt%5B01%5D%5Bname%5D=A&tt%5B-1%5D%5Bname%5D=B&"
	    "tt%5Bx%5D%5Bname%5D=C&tt%5B%5D%5Bname%5D=D&tt%5B0%5D=E&tt=F&"
	    "tt%5B0%5Dname=G");
	is_int(form_check(A, &ev_form, &p, NULL, &res), 1,
	    "rows: names not of the NAME[I][FIELD] shape are ignored");
	is_str(res.field[2].error, "Add at least one ticket type.",
	    "rows: so there is none, and at least one is required");
	p = form_of("title=Gig&tt%5B0%5D%5Bname%5D=A&tt%5B0%5D%5Bname%5D=B&"
	    "tt%5B0%5D%5Bquota%5D=1");
	is_int(form_check(A, &ev_form, &p, NULL, &res), 1,
	    "rows: a row's field sent twice is an error");
	ok(res.field[2].nrows == 1 && res.field[2].rows[0].field[0].error,
	    "rows: ... on that row's field");

	snprintf(body, sizeof(body), "title=Gig");
	for (int i = 0; i < 5; i++)
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
		    "&tt%%5B%d%%5D%%5Bname%%5D=T%d&tt%%5B%d%%5D%%5Bquota%%5D=300",
		    i, i, i);
	p = form_of(body);
	is_int(form_check(A, &ev_form, &p, NULL, &res), 1,
	    "cross: 1500 seats in all is one error");
	ok(res.nform_errors == 1 && strstr(res.errors[0], "1000 seats"),
	    "cross: ... about the form as a whole");
	p = form_of("title=Gig&listing=Gig&tt%5B0%5D%5Bname%5D=A&"
	    "tt%5B0%5D%5Bquota%5D=1");
	is_int(form_check(A, &ev_form, &p, NULL, &res), 1,
	    "cross: may put its message on a field");
	is_str(res.field[1].error, "Choose another title for the listing.",
	    "cross: ... the listing title");
	ok(res.field[1].text == NULL, "cross: which then has no value");

	p = form_of("title=Gig&tt%5B1%5D%5Bname%5D=A&tt%5B1%5D%5Bquota%5D=1");
	form_check(A, &ev_form, &p, NULL, &res);
	form_set_error(&res.field[2].rows[0], 0, "That name is taken.");
	ok(res.field[2].rows[0].nerrors == 1 && res.nerrors == 1,
	    "form_set_error on a row counts in the form too");
	form_set_error(&res.field[2].rows[0], 0, "Still taken.");
	is_int(res.nerrors, 1, "form_set_error: a field is counted once");
	form_add_error(A, &res, "One.");
	form_add_error(A, &res, "Two.");
	ok(res.nerrors == 3 && res.nform_errors == 2 &&
	    strcmp(res.errors[1], "Two.") == 0, "form_add_error adds up");
}

static void
test_form_rules(void)
{
	static const struct form_field fields[] = {
		[0] = { .name = "a", .kind = FORM_TEXT, .flags = FORM_REQUIRED },
		[2] = { .name = "c", .kind = FORM_INT },
		[3] = { .name = "next", .kind = FORM_TEXT, .flags = FORM_QUIET,
		    .charset = FORM_TOKEN },
	};
	static const struct form f = { "f", fields, ARRAY_LEN(fields), NULL };
	struct form_result res;
	struct params p;

	p = form_of("a=x&c=5&csrf=t&extra=1");
	is_int(form_check(A, &f, &p, NULL, &res), 0,
	    "form: other fields in the body are no matter");
	ok(res.field[1].raw == NULL && res.field[1].text == NULL,
	    "form: an unused slot stays empty");
	p = form_of("a=x&a=y");
	is_int(form_check(A, &f, &p, NULL, &res), 1,
	    "form: a field sent twice is an error");
	is_str(res.field[0].error, "This field was sent more than once.",
	    "form: ... saying so");
	p = form_of("a=x&next=ok&next=ok");
	is_int(form_check(A, &f, &p, NULL, &res), 0,
	    "form: a quiet field sent twice is dropped");
	ok(res.field[3].text == NULL, "form: ... without a value");
	p = form_of("a=x&c=z&next=%2F%2Fevil");
	is_int(form_check(A, &f, &p, NULL, &res), 1,
	    "form: a quiet field's failure is not counted");
	form_blank(A, &f, &res);
	ok(res.nerrors == 0 && res.field[0].raw == NULL, "form_blank: empty");
	form_set(&res, 0, "prefilled");
	is_str(res.field[0].text, "prefilled", "form_set fills a value in");
}

static void
test_wipe(void)
{
	static const struct form_field fields[] = {
		{ .name = "pw", .kind = FORM_TEXT, .flags = FORM_SECRET,
		    .charset = FORM_ANY },
		{ .name = "tt", .kind = FORM_ROWS, .rows = &tt_form,
		    .max_rows = 3 },
		{ .name = "user", .kind = FORM_TEXT },
	};
	static const struct form f = { "w", fields, ARRAY_LEN(fields), NULL };
	struct params p = form_of("pw=hunter2hunter2&user=bob&pw=again&"
	    "tt%5B1%5D%5Bcode%5D=1234&tt%5B1%5D%5Bname%5D=VIP&pwx=keep");
	const char *pw = params_get(&p, "pw"), *again = params_get_n(&p, "pw", 1);
	const char *code = params_get(&p, "tt[1][code]");

	form_wipe(&f, &p);
	ok(memcmp(pw, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 14) == 0,
	    "wipe: a secret is zeroed in place");
	ok(again[0] == '\0', "wipe: every copy of it");
	ok(memcmp(code, "\0\0\0\0", 4) == 0, "wipe: and a secret in a row");
	is_str(params_get(&p, "user"), "bob", "wipe: others stay");
	is_str(params_get(&p, "tt[1][name]"), "VIP", "wipe: in rows too");
	is_str(params_get(&p, "pwx"), "keep", "wipe: names are matched whole");
}

/* Renders src with ctx. Arena-owned; NULL when it does not compile. */
static const char *
render(const char *src, const struct tmpl_value *ctx)
{
	struct tmpl_set *set = tmpl_set_new();
	struct tmpl_error err;
	struct buf out;
	const char *s = NULL;

	buf_init(&out);
	if (tmpl_set_add(set, "t", src, strlen(src), &err) == 0 &&
	    tmpl_render(set, "t", ctx, &out) == 0)
		s = arena_strndup(A, out.data ? out.data : "", out.len);
	buf_free(&out);
	tmpl_set_free(set);
	return s;
}

static void
test_view(void)
{
	struct form_result res;
	struct tmpl_value *view;
	struct params p;
	const char *s;

	view = form_view(A, &ev_form, NULL);
	is_str(render("{{id}}:{{invalid}}:{{#list}}{{name}},{{/list}}", view),
	    "ev:false:title,listing,tt,next,", "view: a blank form's fields");
	is_str(render("{{#fields.tt.rows}}{{id}}={{#list}}{{name}} {{/list}};"
	    "{{/fields.tt.rows}}", view), "ev-tt-0=tt[0][name] tt[0][price] "
	    "tt[0][quota] tt[0][code] ;ev-tt-1=tt[1][name] tt[1][price] "
	    "tt[1][quota] tt[1][code] ;", "view: blank rows, named NAME[I][FIELD]");
	is_str(render("{{#fields.title}}{{describedby}}|{{maxlength}}|"
	    "{{required}}{{/fields.title}}", view), "ev-title-hint|100|true",
	    "view: a blank field points to its hint");

	p = form_of("title=%3Cscript%3Ealert(1)%3C%2Fscript%3E" "xxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxx&next=%2Fme&"
	    "tt%5B2%5D%5Bname%5D=VIP&tt%5B2%5D%5Bprice%5D=1e3&"
	    "tt%5B2%5D%5Bquota%5D=10&tt%5B2%5D%5Bcode%5D=s3cret");
	is_int(form_check(A, &ev_form, &p, NULL, &res), 2,
	    "view: a long title and a bad price in row 3");
	view = form_view(A, &ev_form, &res);
	is_str(render("{{invalid}}{{#errors}}|{{href}} {{message}}{{/errors}}",
	    view), "true|#ev-title Use at most 100 characters."
	    "|#ev-tt-2-price Ticket type 3: Enter a price like 12.50.",
	    "view: the summary links every message to its field, rows by number");
	s = render("{{#fields.title}}{{value}}|{{error}}|{{invalid}}|"
	    "{{describedby}}{{/fields.title}}", view);
	ok(s != NULL && strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;xxx") ==
	    s && strstr(s, "<script>") == NULL,
	    "view: what was typed comes back, escaped by the engine");
	ok(s != NULL && strstr(s, "|Use at most 100 characters.|true|"
	    "ev-title-error ev-title-hint") != NULL,
	    "view: with its message, for aria-describedby");
	is_str(render("{{#fields.tt.rows}}{{number}}{{invalid}}:"
	    "{{#fields.price}}{{value}}/{{error}}{{/fields.price}}"
	    "{{#fields.code}}/{{value}}{{/fields.code}};{{/fields.tt.rows}}",
	    view), "1false://;2false://;3true:1e3/Enter a price like 12.50./;"
	    "4false://;5false://;",
	    "view: rows stay in place, the bad one as typed, secrets never, "
	    "then two blank ones");
	is_str(render("{{#fields.next}}{{value}}{{hidden}}{{/fields.next}}",
	    view), "/metrue", "view: a hidden field shows its checked value");

	p = form_of("title=Gig&listing=Gig&tt%5B0%5D%5Bname%5D=A&"
	    "tt%5B0%5D%5Bquota%5D=1");
	form_check(A, &ev_form, &p, NULL, &res);
	form_add_error(A, &res, "The organizer is away.");
	view = form_view(A, &ev_form, &res);
	is_str(render("{{#errors}}[{{href}}]{{message}}{{/errors}}", view),
	    "[]The organizer is away.[#ev-listing]Choose another title for the "
	    "listing.", "view: form-level messages first, without a link");
	is_str(render("{{#fields.listing}}{{value}}{{/fields.listing}}", view),
	    "Gig", "view: a field failed by a check shows what was typed");
}

static void
test_choice_view(void)
{
	static const char *const zones[] = { "Europe/Berlin", "UTC" };
	static const struct form_field fields[] = {
		{ .name = "tz", .kind = FORM_CHOICE, .choices = zones,
		    .nchoices = 2, .label = "Zone" },
		{ .name = "about", .kind = FORM_TEXT,
		    .charset = FORM_MULTILINE },
		{ .name = "agree", .kind = FORM_CHECKBOX },
		{ .name = "when", .kind = FORM_DATE, .earliest = "2026-01-01" },
	};
	static const struct form f = { "c", fields, ARRAY_LEN(fields), NULL };
	struct form_result res;
	struct params p = form_of("tz=UTC&about=a%0D%0Ab&agree=yes");

	form_check(A, &f, &p, NULL, &res);
	is_str(render("{{#fields.tz}}{{select}}{{#options}}|{{value}}"
	    "{{#selected}}*{{/selected}}{{/options}}{{/fields.tz}}",
	    form_view(A, &f, &res)), "true|Europe/Berlin|UTC*",
	    "view: a choice is a select with the chosen option");
	is_str(render("{{#fields.about}}{{textarea}}{{input}}{{/fields.about}}"
	    "{{#fields.agree}}{{checkbox}}{{checked}}{{/fields.agree}}"
	    "{{#fields.when}}{{type}}{{min}}{{/fields.when}}",
	    form_view(A, &f, &res)), "truefalsetruetruedate2026-01-01",
	    "view: a textarea, a ticked checkbox, a date with its bounds");
}

/* The site's own partials, loaded from templates/ beside the tests. */
static void
test_partials(void)
{
	static const char *const zones[] = { "Europe/Berlin", "UTC" };
	static const struct form_field fields[] = {
		{ .name = "tz", .kind = FORM_CHOICE, .choices = zones,
		    .nchoices = 2, .label = "Zone", .flags = FORM_REQUIRED },
		{ .name = "about", .kind = FORM_TEXT, .max_chars = 9,
		    .charset = FORM_MULTILINE, .label = "About" },
		{ .name = "agree", .kind = FORM_CHECKBOX, .label = "I agree",
		    .flags = FORM_REQUIRED },
		{ .name = "when", .kind = FORM_DATE, .earliest = "2026-01-01",
		    .label = "When", .hint = "The first day." },
		{ .name = "seats", .kind = FORM_INT, .min = 1, .max = 9,
		    .label = "Seats" },
	};
	static const struct form f = { "p", fields, ARRAY_LEN(fields), NULL };
	static const char page[] = "{{#f}}{{>form_summary}}{{#list}}"
	    "{{>form_field}}{{/list}}{{/f}}";
	struct tmpl_set *set = tmpl_set_new();
	struct tmpl_value *ctx = tv_object(A);
	struct tmpl_error err;
	struct form_result res;
	struct params p;
	struct buf out;
	char dir[1024];
	const char *slash = strrchr(__FILE__, '/'), *html = "";

	/* __FILE__ is relative to the build directory make check runs in. */
	snprintf(dir, sizeof(dir), "%.*s/../../templates",
	    slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
	if (getenv("TESSERA_TEMPLATES") != NULL)
		snprintf(dir, sizeof(dir), "%s", getenv("TESSERA_TEMPLATES"));
	if (!ok(tmpl_set_load_dir(set, dir, &err) == 0 &&
	    tmpl_set_add(set, "page", page, strlen(page), &err) == 0,
	    "partials: templates/ loads (%s)", dir)) {
		tmpl_set_free(set);
		return;
	}
	p = form_of("tz=UTC&about=%3Ci%3Ea%0D%0Ab&when=2025-12-31&seats=3");
	form_check(A, &f, &p, NULL, &res);
	tv_set(A, ctx, "f", form_view(A, &f, &res));
	buf_init(&out);
	if (tmpl_render(set, "page", ctx, &out) == 0)
		html = arena_strndup(A, out.data ? out.data : "", out.len);
	buf_free(&out);
	tmpl_set_free(set);
	ok(strstr(html, "<div class=\"error-summary\" id=\"p-errors\" "
	    "role=\"alert\" aria-labelledby=\"p-errors-title\">") != NULL,
	    "partials: the summary is an alert, labelled");
	ok(strstr(html, "<li><a href=\"#p-agree\">Tick the box to "
	    "confirm.</a></li>") != NULL && strstr(html, "<li><a href=\"#p-when"
	    "\">Enter a date on or after 2026-01-01.</a></li>") != NULL,
	    "partials: one link per message, to its field");
	ok(strstr(html, "<select id=\"p-tz\" name=\"tz\" required>") !=
	    NULL && strstr(html, "<option value=\"UTC\" selected>UTC"
	    "</option>") != NULL, "partials: a select, its choice selected");
	ok(strstr(html, "<textarea id=\"p-about\" name=\"about\" rows=\"5\" "
	    "maxlength=\"9\">\n&lt;i&gt;a\nb</textarea>") != NULL,
	    "partials: a textarea keeps the text, escaped, its first line too");
	ok(strstr(html, "<input id=\"p-agree\" name=\"agree\" "
	    "type=\"checkbox\" value=\"yes\" required aria-invalid=\"true\" "
	    "aria-describedby=\"p-agree-error\"> I agree</label>") != NULL &&
	    strstr(html, "<p class=\"error-detail\" id=\"p-agree-error\">Tick "
	    "the box to confirm.</p>") != NULL,
	    "partials: a checkbox in its label, described by its message");
	ok(strstr(html, "<input id=\"p-when\" name=\"when\" type=\"date\" "
	    "min=\"2026-01-01\" value=\"2025-12-31\" aria-invalid=\"true\" "
	    "aria-describedby=\"p-when-error p-when-hint\">") != NULL,
	    "partials: a date kept as typed, with its bounds, message and hint");
	ok(strstr(html, "<input id=\"p-seats\" name=\"seats\" "
	    "type=\"number\" min=\"1\" max=\"9\" value=\"3\">") != NULL,
	    "partials: a number with its range, no maxlength");
	if (tap_failed)
		printf("# %s\n", html);
}

static void
test_rerender(void)
{
	static struct program prog;
	struct tmpl_error err;
	struct request r;
	struct form_result res;
	struct buf body;
	struct params p = form_of("listing=x");
	const char *page = "<h1>{{title}}</h1>{{#f}}{{#errors}}<a href=\"{{href}}"
	    "\">{{message}}</a>{{/errors}}{{/f}}";

	prog.templates = tmpl_set_new();
	ok(tmpl_set_add(prog.templates, "page", page, strlen(page), &err) == 0,
	    "rerender: a page template");
	buf_init(&body);
	memset(&r, 0, sizeof(r));
	r.arena = A;
	r.program = &prog;
	response_init(&r.resp, &body);
	form_check(A, &ev_form, &p, NULL, &res);
	{
		struct tmpl_value *ctx = tv_object(A);

		tv_set_str(A, ctx, "title", "New event");
		is_int(form_rerender(&r, "page", ctx, "f", &res), 0,
		    "rerender: renders");
	}
	is_int(r.resp.status, 400, "rerender: with status 400");
	ok(body.len > 0 && strstr(arena_strndup(A, body.data, body.len),
	    "<h1>New event</h1><a href=\"#ev-title\">Fill in this field.</a>") !=
	    NULL, "rerender: the page's own values and the summary");
	is_int(form_rerender(&r, "missing", tv_object(A), "f", &res), 500,
	    "rerender: a missing template is a 500");
	buf_free(&body);
	tmpl_set_free(prog.templates);
}

/* Every naughty string through every kind: nothing crashes, and what
 * passes is what the kind promises. */
static void
test_blns(void)
{
	static const char *const choices[] = { "a", "b" };
	static const struct form_field kinds[] = {
		{ .name = "line", .kind = FORM_TEXT, .flags = FORM_TRIM },
		{ .name = "multi", .kind = FORM_TEXT,
		    .charset = FORM_MULTILINE },
		{ .name = "token", .kind = FORM_TEXT, .charset = FORM_TOKEN },
		{ .name = "int", .kind = FORM_INT },
		{ .name = "money", .kind = FORM_MONEY, .decimals = 2 },
		{ .name = "choice", .kind = FORM_CHOICE, .choices = choices,
		    .nchoices = 2 },
		{ .name = "date", .kind = FORM_DATE },
		{ .name = "at", .kind = FORM_DATETIME },
		{ .name = "box", .kind = FORM_CHECKBOX },
		{ .name = "email", .kind = FORM_EMAIL },
		{ .name = "tt", .kind = FORM_ROWS, .rows = &tt_form,
		    .max_rows = 3 },
	};
	static const struct form f = { "n", kinds, ARRAY_LEN(kinds), NULL };
	struct json_object *list = blns_load();
	size_t n, broken = 0, raw_markup = 0, checked = 0;

	if (list == NULL)
		return;
	n = json_object_array_length(list);
	for (size_t i = 0; i < n; i++) {
		struct json_object *item = json_object_array_get_idx(list, i);
		const char *s = json_object_get_string(item), *enc, *html;
		struct form_result res;
		struct params p;
		struct arena w;

		if (s == NULL || strlen(s) != (size_t)json_object_get_string_len(
		    item))
			continue;
		arena_init(&w, 0);
		enc = url_encode(&w, s, strlen(s));
		enc = arena_printf(&w, "line=%s&multi=%s&token=%s&int=%s&"
		    "money=%s&choice=%s&date=%s&at=%s&box=%s&email=%s&"
		    "tt%%5B0%%5D%%5Bname%%5D=%s&tt%%5B1%%5D%%5Bprice%%5D=%s",
		    enc, enc, enc, enc, enc, enc, enc, enc, enc, enc, enc, enc);
		if (params_parse(&w, enc, strlen(enc), &params_default_limits,
		    &p) != PARAMS_OK) {
			arena_free(&w);
			continue;
		}
		checked++;
		form_check(&w, &f, &p, "Europe/Berlin", &res);
		for (size_t k = 0; k < f.nfields; k++) {
			const char *t = res.field[k].text;

			if (t == NULL)
				continue;
			if (!url_utf8_valid(t, strlen(t)) ||
			    (k != 1 && strpbrk(t, "\t\r\n\x7f") != NULL) ||
			    (k == 1 && strchr(t, '\r') != NULL) ||
			    (k == 2 && strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "abcdefghijklmnopqrstuvwxyz0123456789-_") !=
			    strlen(t)) ||
			    ((k == 3 || k == 4) && strspn(t, "-0123456789.") !=
			    strlen(t)) ||
			    (k == 9 && strpbrk(t, " <>\"'ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
				broken++;
		}
		html = render("{{#list}}{{value}}{{#rows}}{{#list}}{{value}}"
		    "{{/list}}{{/rows}}{{/list}}{{#errors}}{{message}}{{/errors}}",
		    form_view(&w, &f, &res));
		if (html == NULL || strpbrk(html, "<>\"'") != NULL)
			raw_markup++;
		arena_free(&w);
	}
	json_object_put(list);
	ok(checked > 500, "blns: %zu naughty strings in every kind at once",
	    checked);
	is_int(broken, 0, "blns: no value passes that its kind would refuse");
	is_int(raw_markup, 0, "blns: the view never writes their markup raw");
}

int
main(void)
{
	arena_init(&arena, 0);
	test_utf8();
	test_text();
	test_check_hook();
	test_int();
	test_money();
	test_choice();
	test_date();
	test_datetime();
	test_checkbox_email();
	test_rows();
	test_form_rules();
	test_wipe();
	test_view();
	test_choice_view();
	test_partials();
	test_rerender();
	test_blns();
	arena_free(&arena);
	return done_testing();
}
