#include "account_validate.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "form.h"
#include "http_url.h"
#include "log.h"
#include "password.h"
#include "utf8.h"
#include "util.h"

#define MSG_NAME_CHARS "A display name cannot contain control characters " \
	"or invisible formatting characters."
#define MSG_NAME_BLANK "A display name needs at least one visible character."
#define MSG_PW_MISSING "Choose a password."
#define MSG_PW_LONG "A password can have at most 1024 bytes."
#define MSG_PW_SHORT "Use at least 10 characters."
#define MSG_PW_CONTROL "A password cannot contain control characters such " \
	"as tabs or line breaks."
#define MSG_PW_COMMON "This password is on a list of commonly used " \
	"passwords. Choose one that is harder to guess."
#define MSG_LINK_INCOMPLETE "This link is incomplete: open the whole link " \
	"from the mail, or ask for a new one."
#define MSG_LINK_DAMAGED "This link is damaged: open the whole link from " \
	"the mail, or ask for a new one."
#define HINT_NEW_PASSWORD "At least 10 characters. A few unrelated words " \
	"make a good one."

static char **common_list;
static size_t common_count;

/*
 * Characters a display name may not hold: controls, and the invisible
 * ones that let a name pass for another or reorder the text around it
 * (bidirectional overrides, zero-width characters, tags), plus private-use
 * and unassigned-forever code points.
 */
static int
name_char_refused(uint32_t c)
{
	static const struct { uint32_t lo, hi; } refused[] = {
		{ 0x0000, 0x001F }, { 0x007F, 0x009F }, { 0x00AD, 0x00AD },
		{ 0x034F, 0x034F }, { 0x061C, 0x061C }, { 0x115F, 0x1160 },
		{ 0x17B4, 0x17B5 }, { 0x180B, 0x180F }, { 0x200B, 0x200F },
		{ 0x2028, 0x202E }, { 0x2060, 0x206F }, { 0x3164, 0x3164 },
		{ 0xE000, 0xF8FF }, { 0xFDD0, 0xFDEF }, { 0xFEFF, 0xFEFF },
		{ 0xFFA0, 0xFFA0 }, { 0xFFF0, 0xFFFB }, { 0xE0000, 0xE007F },
		{ 0xF0000, 0x10FFFF },
	};

	if ((c & 0xFFFE) == 0xFFFE)
		return 1;
	for (size_t i = 0; i < ARRAY_LEN(refused); i++)
		if (c >= refused[i].lo && c <= refused[i].hi)
			return 1;
	return 0;
}

static int
is_space_char(uint32_t c)
{
	return c == 0x20 || c == 0xA0 || c == 0x1680 ||
	    (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F ||
	    c == 0x3000;
}

/* The display name's own rule, on the trimmed text of one line. */
static const char *
name_check(struct arena *a, const char *value, const char **out)
{
	int visible = 0;

	(void)a;
	(void)out;
	for (const char *p = value; *p != '\0';) {
		uint32_t c = utf8_next(&p);

		if (name_char_refused(c))
			return MSG_NAME_CHARS;
		if (!is_space_char(c))
			visible = 1;
	}
	return visible ? NULL : MSG_NAME_BLANK;
}

static const char *
new_password_check(struct arena *a, const char *value, const char **out)
{
	(void)a;
	(void)out;
	return validate_new_password(value);
}

/* An unsafe place to return to is no fault of the person: the field is
 * quiet, so this only drops it. */
static const char *
next_check(struct arena *a, const char *value, const char **out)
{
	(void)out;
	return validate_next(a, value) ? NULL : "unsafe";
}

/*
 * The kinds of account field; the tables below add their names, labels,
 * hints and autocomplete tokens. Passwords are secrets: never shown again,
 * wiped once handled, any character allowed in the current one (it is
 * only compared), the rules of validate_new_password for a new one.
 */
#define EMAIL_RULES .kind = FORM_EMAIL, .flags = FORM_REQUIRED, \
	.type = "email"
#define NAME_RULES .kind = FORM_TEXT, .flags = FORM_REQUIRED | FORM_TRIM, \
	.max_chars = DISPLAY_NAME_MAX_CHARS, .check = name_check, \
	.type = "text", .autocomplete = "nickname", \
	.missing = "Enter a display name.", .invalid = MSG_NAME_CHARS, \
	.too_long = "A display name has at most 80 characters."
#define PASSWORD_RULES .kind = FORM_TEXT, .charset = FORM_ANY, \
	.flags = FORM_REQUIRED | FORM_SECRET, .max_bytes = PASSWORD_MAX_BYTES, \
	.type = "password", .autocomplete = "current-password", \
	.missing = "Enter your password.", .too_long = MSG_PW_LONG
#define NEW_PASSWORD_RULES .kind = FORM_TEXT, .charset = FORM_ANY, \
	.flags = FORM_REQUIRED | FORM_SECRET, .max_bytes = PASSWORD_MAX_BYTES, \
	.check = new_password_check, .type = "password", \
	.autocomplete = "new-password", .missing = MSG_PW_MISSING, \
	.too_long = MSG_PW_LONG, .invalid = MSG_PW_CONTROL
#define TOKEN_RULES .name = "token", .kind = FORM_TEXT, \
	.charset = FORM_TOKEN, .flags = FORM_REQUIRED, \
	.max_chars = TOKEN_MAX_BYTES, .type = "hidden", \
	.missing = MSG_LINK_INCOMPLETE, .too_long = MSG_LINK_DAMAGED, \
	.invalid = MSG_LINK_DAMAGED
#define NEXT_RULES .name = "next", .kind = FORM_TEXT, .flags = FORM_QUIET, \
	.max_bytes = NEXT_MAX_BYTES, .check = next_check, .type = "hidden"

static const struct form_field register_fields[FIELD__MAX] = {
	[FIELD_EMAIL] = { .name = "email", EMAIL_RULES,
	    .label = "Email address", .autocomplete = "email",
	    .hint = "We send a link to it to confirm it is yours." },
	[FIELD_DISPLAY_NAME] = { .name = "display_name", NAME_RULES,
	    .label = "Display name",
	    .hint = "Shown with your reviews and pictures; up to 80 "
	    "characters." },
	[FIELD_NEW_PASSWORD] = { .name = "password", NEW_PASSWORD_RULES,
	    .label = "Password", .hint = HINT_NEW_PASSWORD },
	[FIELD_NEXT] = { NEXT_RULES },
};

static const struct form_field login_fields[FIELD__MAX] = {
	[FIELD_EMAIL] = { .name = "email", EMAIL_RULES,
	    .label = "Email address", .autocomplete = "username" },
	[FIELD_PASSWORD] = { .name = "password", PASSWORD_RULES,
	    .label = "Password" },
	[FIELD_NEXT] = { NEXT_RULES },
};

static const struct form_field forgot_fields[FIELD__MAX] = {
	[FIELD_EMAIL] = { .name = "email", EMAIL_RULES,
	    .label = "Email address", .autocomplete = "email",
	    .hint = "The address you signed up with." },
};

static const struct form_field reset_fields[FIELD__MAX] = {
	[FIELD_NEW_PASSWORD] = { .name = "password", NEW_PASSWORD_RULES,
	    .label = "New password", .hint = HINT_NEW_PASSWORD },
	[FIELD_TOKEN] = { TOKEN_RULES },
};

static const struct form_field verify_fields[FIELD__MAX] = {
	[FIELD_TOKEN] = { TOKEN_RULES },
};

static const struct form_field name_fields[FIELD__MAX] = {
	[FIELD_DISPLAY_NAME] = { .name = "display_name", NAME_RULES,
	    .label = "Display name", .hint = "Up to 80 characters." },
};

static const struct form_field email_fields[FIELD__MAX] = {
	[FIELD_EMAIL] = { .name = "email", EMAIL_RULES,
	    .label = "New email address", .autocomplete = "email",
	    .hint = "We send a link to the new address; it replaces the old "
	    "one once you follow it." },
	[FIELD_PASSWORD] = { .name = "password", PASSWORD_RULES,
	    .label = "Current password" },
};

static const struct form_field password_fields[FIELD__MAX] = {
	[FIELD_PASSWORD] = { .name = "current_password", PASSWORD_RULES,
	    .label = "Current password" },
	[FIELD_NEW_PASSWORD] = { .name = "new_password", NEW_PASSWORD_RULES,
	    .label = "New password",
	    .hint = "At least 10 characters. Your other devices are signed "
	    "out." },
};

static const struct form_field delete_fields[FIELD__MAX] = {
	[FIELD_PASSWORD] = { .name = "password", PASSWORD_RULES,
	    .label = "Current password" },
	[FIELD_CONFIRM] = { .name = "confirm", .kind = FORM_CHECKBOX,
	    .flags = FORM_REQUIRED,
	    .label = "I understand that this cannot be undone",
	    .missing = "Tick the box to confirm." },
};

static const struct form_field confirm_fields[FIELD__MAX] = {
	[FIELD_PASSWORD] = { .name = "password", PASSWORD_RULES,
	    .label = "Your password" },
	[FIELD_NEXT] = { NEXT_RULES },
};

/* The id of each form prefixes its element ids, unique on a page that
 * shows several forms (/me). */
const struct form account_forms[ACCOUNT__MAX] = {
	[ACCOUNT_REGISTER] = { "register", register_fields, FIELD__MAX, NULL },
	[ACCOUNT_LOGIN] = { "login", login_fields, FIELD__MAX, NULL },
	[ACCOUNT_FORGOT] = { "forgot", forgot_fields, FIELD__MAX, NULL },
	[ACCOUNT_RESET] = { "reset", reset_fields, FIELD__MAX, NULL },
	[ACCOUNT_VERIFY] = { "verify", verify_fields, FIELD__MAX, NULL },
	[ACCOUNT_NAME] = { "name", name_fields, FIELD__MAX, NULL },
	[ACCOUNT_EMAIL] = { "email", email_fields, FIELD__MAX, NULL },
	[ACCOUNT_PASSWORD] = { "password", password_fields, FIELD__MAX, NULL },
	[ACCOUNT_DELETE] = { "delete", delete_fields, FIELD__MAX, NULL },
	[ACCOUNT_CONFIRM] = { "confirm", confirm_fields, FIELD__MAX, NULL },
};

const char *
validate_display_name(struct arena *a, const char *s, const char **out)
{
	struct form_value v;

	form_field_check(a, &name_fields[FIELD_DISPLAY_NAME], s, NULL, &v);
	*out = v.text;
	return v.error;
}

const char *
validate_new_password(const char *s)
{
	size_t len;

	if (s == NULL || *s == '\0')
		return MSG_PW_MISSING;
	len = strlen(s);
	if (len > PASSWORD_MAX_BYTES)
		return MSG_PW_LONG;
	if (!url_utf8_valid(s, len))
		return MSG_PW_CONTROL;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
			return MSG_PW_CONTROL;
	if (utf8_chars(s) < PASSWORD_MIN_CHARS)
		return MSG_PW_SHORT;
	if (validate_common(s))
		return MSG_PW_COMMON;
	return NULL;
}

/* 1 when s may appear in a redirect target as is: RFC 3986 unreserved,
 * reserved but '#', and '%' (checked separately). */
static int
next_bytes_ok(const char *s)
{
	static const char allowed[] = "-._~!$&'()*+,;=:@/?%";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (!isalnum(c) && strchr(allowed, c) == NULL)
			return 0;
	}
	return 1;
}

static int
next_shape_ok(const char *s)
{
	for (const char *p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F || *p == '\\')
			return 0;
	return s[0] == '/' && s[1] != '/' && s[1] != '\\';
}

int
validate_next(struct arena *a, const char *s)
{
	const char *cur = s;
	char *dec;
	size_t declen;

	if (s == NULL || strlen(s) > NEXT_MAX_BYTES || !next_bytes_ok(s) ||
	    !next_shape_ok(s))
		return 0;
	/* Whatever later decodes it, how often, must still see a local path. */
	for (int round = 0; strchr(cur, '%') != NULL; round++) {
		if (round == 3 || url_decode(a, cur, strlen(cur), 0, &dec,
		    &declen) != 0 || !next_shape_ok(dec))
			return 0;
		cur = dec;
	}
	return 1;
}

static int
common_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

long
validate_common_load(const char *path)
{
	FILE *f;
	char line[PASSWORD_MAX_BYTES + 2];
	char **list = NULL;
	size_t n = 0, cap = 0;

	if ((f = fopen(path, "r")) == NULL) {
		log_err("%s: %s: cannot open", __func__, path);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t len = strcspn(line, "\r\n");

		line[len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		for (size_t i = 0; i < len; i++)
			line[i] = (char)tolower((unsigned char)line[i]);
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			list = xrealloc(list, cap * sizeof(*list));
		}
		list[n++] = xstrdup(line);
	}
	fclose(f);
	qsort(list, n, sizeof(*list), common_cmp);
	for (size_t i = 0; i < common_count; i++)
		free(common_list[i]);
	free(common_list);
	common_list = list;
	common_count = n;
	return (long)n;
}

int
validate_common(const char *s)
{
	char lower[PASSWORD_MAX_BYTES + 1], *key = lower;
	size_t len = strlen(s);
	int found;

	if (common_count == 0 || len > PASSWORD_MAX_BYTES)
		return 0;
	for (size_t i = 0; i <= len; i++)
		lower[i] = (char)tolower((unsigned char)s[i]);
	found = bsearch(&key, common_list, common_count, sizeof(*common_list),
	    common_cmp) != NULL;
	explicit_bzero(lower, len);
	return found;
}
