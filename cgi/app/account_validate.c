#include "account_validate.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "http_params.h"
#include "http_url.h"
#include "log.h"
#include "password.h"
#include "tmpl.h"
#include "utf8.h"
#include "util.h"

/* How a field's text is checked. */
enum field_kind {
	KIND_EMAIL,
	KIND_DISPLAY_NAME,
	KIND_NEW_PASSWORD,
	KIND_PASSWORD,
	KIND_NEXT,
	KIND_TOKEN,
	KIND_CONFIRM,
};

/* One field of one form: what it means, what it is called, how it is
 * checked and how it is shown. */
struct field_rule {
	enum field field;
	const char *name;          /* the form field's name */
	enum field_kind kind;
	int required;
	size_t max_bytes;          /* checked before anything else */
	const char *label;
	const char *type;          /* the input's type */
	const char *autocomplete;
	const char *hint;
};

#define RULES(t) t, ARRAY_LEN(t)

static const struct field_rule register_rules[] = {
	{ FIELD_EMAIL, "email", KIND_EMAIL, 1, EMAIL_MAX_BYTES,
	    "Email address", "email", "email",
	    "We send a link to it to confirm it is yours." },
	{ FIELD_DISPLAY_NAME, "display_name", KIND_DISPLAY_NAME, 1,
	    DISPLAY_NAME_MAX_CHARS * 4, "Display name", "text", "nickname",
	    "Shown with your reviews and pictures; up to 80 characters." },
	{ FIELD_NEW_PASSWORD, "password", KIND_NEW_PASSWORD, 1,
	    PASSWORD_MAX_BYTES, "Password", "password", "new-password",
	    "At least 10 characters. A few unrelated words make a good one." },
	{ FIELD_NEXT, "next", KIND_NEXT, 0, NEXT_MAX_BYTES,
	    "", "hidden", "", "" },
};

static const struct field_rule login_rules[] = {
	{ FIELD_EMAIL, "email", KIND_EMAIL, 1, EMAIL_MAX_BYTES,
	    "Email address", "email", "username", "" },
	{ FIELD_PASSWORD, "password", KIND_PASSWORD, 1, PASSWORD_MAX_BYTES,
	    "Password", "password", "current-password", "" },
	{ FIELD_NEXT, "next", KIND_NEXT, 0, NEXT_MAX_BYTES,
	    "", "hidden", "", "" },
};

static const struct field_rule forgot_rules[] = {
	{ FIELD_EMAIL, "email", KIND_EMAIL, 1, EMAIL_MAX_BYTES,
	    "Email address", "email", "email",
	    "The address you signed up with." },
};

static const struct field_rule reset_rules[] = {
	{ FIELD_TOKEN, "token", KIND_TOKEN, 1, TOKEN_MAX_BYTES,
	    "", "hidden", "", "" },
	{ FIELD_NEW_PASSWORD, "password", KIND_NEW_PASSWORD, 1,
	    PASSWORD_MAX_BYTES, "New password", "password", "new-password",
	    "At least 10 characters. A few unrelated words make a good one." },
};

static const struct field_rule verify_rules[] = {
	{ FIELD_TOKEN, "token", KIND_TOKEN, 1, TOKEN_MAX_BYTES,
	    "", "hidden", "", "" },
};

static const struct field_rule name_rules[] = {
	{ FIELD_DISPLAY_NAME, "display_name", KIND_DISPLAY_NAME, 1,
	    DISPLAY_NAME_MAX_CHARS * 4, "Display name", "text", "nickname",
	    "Up to 80 characters." },
};

static const struct field_rule email_rules[] = {
	{ FIELD_EMAIL, "email", KIND_EMAIL, 1, EMAIL_MAX_BYTES,
	    "New email address", "email", "email",
	    "We send a link to the new address; it replaces the old one once "
	    "you follow it." },
	{ FIELD_PASSWORD, "password", KIND_PASSWORD, 1, PASSWORD_MAX_BYTES,
	    "Current password", "password", "current-password", "" },
};

static const struct field_rule password_rules[] = {
	{ FIELD_PASSWORD, "current_password", KIND_PASSWORD, 1,
	    PASSWORD_MAX_BYTES, "Current password", "password",
	    "current-password", "" },
	{ FIELD_NEW_PASSWORD, "new_password", KIND_NEW_PASSWORD, 1,
	    PASSWORD_MAX_BYTES, "New password", "password", "new-password",
	    "At least 10 characters. Your other devices are signed out." },
};

static const struct field_rule delete_rules[] = {
	{ FIELD_PASSWORD, "password", KIND_PASSWORD, 1, PASSWORD_MAX_BYTES,
	    "Current password", "password", "current-password", "" },
	{ FIELD_CONFIRM, "confirm", KIND_CONFIRM, 1, 3,
	    "I understand that this cannot be undone", "checkbox", "", "" },
};

/* The one validation table per form; id_prefix keeps element ids unique
 * on a page that shows several forms. */
static const struct {
	const char *id_prefix;
	const struct field_rule *rules;
	size_t nrules;
} forms[FORM__MAX] = {
	[FORM_REGISTER] = { "register", RULES(register_rules) },
	[FORM_LOGIN] = { "login", RULES(login_rules) },
	[FORM_FORGOT] = { "forgot", RULES(forgot_rules) },
	[FORM_RESET] = { "reset", RULES(reset_rules) },
	[FORM_VERIFY] = { "verify", RULES(verify_rules) },
	[FORM_NAME] = { "name", RULES(name_rules) },
	[FORM_EMAIL] = { "email", RULES(email_rules) },
	[FORM_PASSWORD] = { "password", RULES(password_rules) },
	[FORM_DELETE] = { "delete", RULES(delete_rules) },
};

static const char *const msg_missing[] = {
	[KIND_EMAIL] = "Enter an email address.",
	[KIND_DISPLAY_NAME] = "Enter a display name.",
	[KIND_NEW_PASSWORD] = "Choose a password.",
	[KIND_PASSWORD] = "Enter your password.",
	[KIND_NEXT] = "",
	[KIND_TOKEN] = "This link is incomplete: open the whole link from the "
	    "mail, or ask for a new one.",
	[KIND_CONFIRM] = "Tick the box to confirm.",
};

static const char *const msg_too_long[] = {
	[KIND_EMAIL] = "An email address has at most 254 characters.",
	[KIND_DISPLAY_NAME] = "A display name has at most 80 characters.",
	[KIND_NEW_PASSWORD] = "A password can have at most 1024 bytes.",
	[KIND_PASSWORD] = "A password can have at most 1024 bytes.",
	[KIND_NEXT] = "",
	[KIND_TOKEN] = "This link is damaged: open the whole link from the "
	    "mail, or ask for a new one.",
	[KIND_CONFIRM] = "Tick the box to confirm.",
};

#define MSG_REPEATED "This field was sent more than once."
#define MSG_EMAIL "Enter a valid email address, like name@example.com."
#define MSG_NAME_CHARS "A display name cannot contain control characters " \
	"or invisible formatting characters."
#define MSG_NAME_BLANK "A display name needs at least one visible character."
#define MSG_PW_SHORT "Use at least 10 characters."
#define MSG_PW_CONTROL "A password cannot contain control characters such " \
	"as tabs or line breaks."
#define MSG_PW_COMMON "This password is on a list of commonly used " \
	"passwords. Choose one that is harder to guess."
#define MSG_TOKEN "This link is damaged: open the whole link from the mail, " \
	"or ask for a new one."

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

/* s without leading and trailing ASCII white space. Arena-owned. */
static const char *
trim(struct arena *a, const char *s)
{
	const char *end;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r' || end[-1] == '\n'))
		end--;
	return arena_strndup(a, s, (size_t)(end - s));
}

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
	if (len == 0 || len > EMAIL_LOCAL_MAX_BYTES || s[0] == '.' ||
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

const char *
validate_email(struct arena *a, const char *s, const char **out)
{
	const char *t, *at;
	char *lower;
	size_t len;

	*out = NULL;
	if (s == NULL || *(t = trim(a, s)) == '\0')
		return msg_missing[KIND_EMAIL];
	len = strlen(t);
	if (len > EMAIL_MAX_BYTES)
		return msg_too_long[KIND_EMAIL];
	lower = arena_strdup(a, t);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)lower[i];

		if (c <= 0x20 || c >= 0x7F)
			return MSG_EMAIL;
		lower[i] = (char)tolower(c);
	}
	if ((at = strchr(lower, '@')) == NULL || strchr(at + 1, '@') != NULL ||
	    !local_ok(lower, (size_t)(at - lower)) ||
	    !domain_ok(at + 1, strlen(at + 1)))
		return MSG_EMAIL;
	*out = lower;
	return NULL;
}

const char *
validate_display_name(struct arena *a, const char *s, const char **out)
{
	const char *p, *t;
	int visible = 0;

	*out = NULL;
	if (s == NULL || *(t = trim(a, s)) == '\0')
		return msg_missing[KIND_DISPLAY_NAME];
	if (!url_utf8_valid(t, strlen(t)))
		return MSG_NAME_CHARS;
	if (utf8_chars(t) > DISPLAY_NAME_MAX_CHARS)
		return msg_too_long[KIND_DISPLAY_NAME];
	for (p = t; *p != '\0';) {
		uint32_t c = utf8_next(&p);

		if (name_char_refused(c))
			return MSG_NAME_CHARS;
		if (!is_space_char(c))
			visible = 1;
	}
	if (!visible)
		return MSG_NAME_BLANK;
	*out = t;
	return NULL;
}

const char *
validate_new_password(const char *s)
{
	size_t len;

	if (s == NULL || *s == '\0')
		return msg_missing[KIND_NEW_PASSWORD];
	len = strlen(s);
	if (len > PASSWORD_MAX_BYTES)
		return msg_too_long[KIND_NEW_PASSWORD];
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

int
validate_choice(const char *const *keys, size_t n, const char *s)
{
	if (s == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(keys[i], s) == 0)
			return (int)i;
	return -1;
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

/* Checks one field's text against its rule: returns NULL with *value
 * set to the checked text (NULL when empty), or the message. */
static const char *
check_field(struct arena *a, const struct field_rule *rule, const char *raw,
    const char **value)
{
	const char *v = raw;

	*value = NULL;
	/* An unsafe place to return to is no fault of the person: drop it. */
	if (rule->kind == KIND_NEXT) {
		if (validate_next(a, raw))
			*value = raw;
		return NULL;
	}
	if (raw == NULL || *raw == '\0')
		return rule->required ? msg_missing[rule->kind] : NULL;
	if (strlen(raw) > rule->max_bytes)
		return msg_too_long[rule->kind];
	switch (rule->kind) {
	case KIND_EMAIL:
		return validate_email(a, raw, value);
	case KIND_DISPLAY_NAME:
		return validate_display_name(a, raw, value);
	case KIND_NEW_PASSWORD:
		if ((v = validate_new_password(raw)) != NULL)
			return v;
		v = raw;
		break;
	case KIND_PASSWORD:
	case KIND_NEXT:
		break;
	case KIND_TOKEN:
		if (strspn(raw, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
		    "vwxyz0123456789-_") != strlen(raw))
			return MSG_TOKEN;
		break;
	case KIND_CONFIRM:
		if (strcmp(raw, "yes") != 0)
			return msg_missing[KIND_CONFIRM];
		break;
	}
	*value = v;
	return NULL;
}

int
validate_form(struct arena *a, enum form form, const struct params *in,
    struct form_input *out)
{
	memset(out, 0, sizeof(*out));
	out->form = form;
	for (size_t i = 0; i < forms[form].nrules; i++) {
		const struct field_rule *rule = &forms[form].rules[i];
		const char *err;

		out->raw[rule->field] = params_get(in, rule->name);
		if (params_count_name(in, rule->name) > 1)
			err = rule->kind == KIND_NEXT ? NULL : MSG_REPEATED;
		else
			err = check_field(a, rule, params_get(in, rule->name),
			    &out->value[rule->field]);
		if (err != NULL) {
			out->error[rule->field] = err;
			out->nerrors++;
		}
	}
	return out->nerrors;
}

struct tmpl_value *
validate_view(struct arena *a, enum form form, const struct form_input *in)
{
	struct tmpl_value *obj = tv_object(a);

	for (size_t i = 0; i < forms[form].nrules; i++) {
		const struct field_rule *rule = &forms[form].rules[i];
		struct tmpl_value *f = tv_object(a);
		const char *value = NULL, *error = NULL;
		int secret = rule->kind == KIND_PASSWORD ||
		    rule->kind == KIND_NEW_PASSWORD;
		/* What failed is shown again as typed, so it can be corrected;
		 * a hidden field only ever carries a checked value. */
		int reshow = !secret && strcmp(rule->type, "hidden") != 0;

		if (in != NULL && in->form == form) {
			value = in->value[rule->field];
			if (value == NULL && reshow)
				value = in->raw[rule->field];
			error = in->error[rule->field];
		}
		tv_set_str(a, f, "id", arena_printf(a, "%s-%s",
		    forms[form].id_prefix, rule->name));
		tv_set_str(a, f, "name", rule->name);
		tv_set_str(a, f, "label", rule->label);
		tv_set_str(a, f, "type", rule->type);
		tv_set_str(a, f, "autocomplete", rule->autocomplete);
		tv_set_int(a, f, "maxlength", (long long)(rule->kind ==
		    KIND_DISPLAY_NAME ? DISPLAY_NAME_MAX_CHARS : rule->max_bytes));
		tv_set_bool(a, f, "required", rule->required);
		tv_set_str(a, f, "hint", rule->hint);
		tv_set_str(a, f, "value", secret || value == NULL ? "" : value);
		tv_set_bool(a, f, "checked", rule->kind == KIND_CONFIRM &&
		    value != NULL);
		tv_set_str(a, f, "error", error ? error : "");
		tv_set(a, obj, rule->name, f);
	}
	return obj;
}

void
validate_wipe(enum form form, struct params *p)
{
	for (size_t i = 0; i < forms[form].nrules; i++) {
		const struct field_rule *rule = &forms[form].rules[i];

		if (rule->kind != KIND_PASSWORD &&
		    rule->kind != KIND_NEW_PASSWORD)
			continue;
		for (size_t j = 0; j < p->count; j++)
			if (strcmp(p->items[j].name, rule->name) == 0)
				explicit_bzero((char *)p->items[j].value,
				    p->items[j].value_len);
	}
}
