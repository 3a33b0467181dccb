/*
 * Unit tests for account_validate.c: email addresses (as the account
 * forms check them, through form.c), display names, passwords and the
 * common-password list, the "next" redirect check, the form tables, and
 * the big list of naughty strings through each check.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_validate.h"
#include "arena.h"
#include "buf.h"
#include "form.h"
#include "http_params.h"
#include "http_url.h"
#include "tap.h"
#include "blns.h"
#include "tmpl.h"
#include "util.h"

static void
email_ok(struct arena *a, const char *in, const char *want)
{
	const char *out = NULL, *err = form_email(a, in, &out);

	ok(err == NULL && out != NULL && strcmp(out, want) == 0,
	    "email \"%s\" is accepted as \"%s\"", in, want);
	if (err != NULL)
		printf("#   refused: %s\n", err);
}

static void
email_bad(struct arena *a, const char *in, const char *why)
{
	const char *out = "unset", *err = form_email(a, in, &out);

	ok(err != NULL && out == NULL, "email refused: %s", why);
}

static void
test_email(struct arena *a)
{
	char local65[80], long_addr[300], label64[100];

	email_ok(a, "alice@example.com", "alice@example.com");
	email_ok(a, "  Alice@Example.COM\t", "alice@example.com");
	email_ok(a, "a.b+tickets@sub.example.co.uk",
	    "a.b+tickets@sub.example.co.uk");
	email_ok(a, "o'brien@example.ie", "o'brien@example.ie");
	email_ok(a, "x@a.io", "x@a.io");
	email_ok(a, "user@xn--bcher-kva.example", "user@xn--bcher-kva.example");
	email_ok(a, "first_last-2@my-host.example", "first_last-2@my-host.example");

	email_bad(a, NULL, "absent");
	email_bad(a, "", "empty");
	email_bad(a, "   ", "blank");
	email_bad(a, "plainaddress", "no @");
	email_bad(a, "@example.com", "no local part");
	email_bad(a, "a@", "no domain");
	email_bad(a, "a@localhost", "a single label");
	email_bad(a, "a@example.c", "a one-letter top-level domain");
	email_bad(a, "a..b@example.com", "two dots in a row");
	email_bad(a, ".a@example.com", "a leading dot");
	email_bad(a, "a.@example.com", "a trailing dot in the local part");
	email_bad(a, "a@-example.com", "a label starting with '-'");
	email_bad(a, "a@example-.com", "a label ending with '-'");
	email_bad(a, "a@example..com", "an empty label");
	email_bad(a, "a@example.com.", "a trailing dot");
	email_bad(a, "a@@example.com", "two @");
	email_bad(a, "a@b@example.com", "an @ in the local part");
	email_bad(a, "a b@example.com", "a space inside");
	email_bad(a, "a\tb@example.com", "a tab inside");
	email_bad(a, "\"a\"@example.com", "a quoted local part");
	email_bad(a, "a@127.0.0.1", "an IP address");
	email_bad(a, "a@[127.0.0.1]", "an address literal");
	email_bad(a, "\xc3\xbc@example.com", "a non-ASCII local part");
	email_bad(a, "a@ex\xc3\xa4mple.com", "a non-ASCII domain");
	email_bad(a, "a@example.com\r\nBcc: x@example.org", "a header break");
	email_bad(a, "a@example.com\nx", "a line break inside");
	email_bad(a, "a@ex_ample.com", "'_' in the domain");
	email_bad(a, "deleted-12@invalid", "a deleted account's placeholder");

	memset(local65, 'a', 65);
	strcpy(local65 + 65, "@example.com");
	email_bad(a, local65, "a local part of 65 characters");
	/* a@ and labels of 60 letters: 251 bytes, then ".com": 255. */
	memset(long_addr, 'b', 251);
	memcpy(long_addr, "a@", 2);
	for (int i = 62; i < 251; i += 61)
		long_addr[i] = '.';
	strcpy(long_addr + 251, ".com");
	email_bad(a, long_addr, "an address of 255 bytes");
	long_addr[250] = '\0';
	strcat(long_addr, ".co");
	is_int(strlen(long_addr), 253, "(an address of 253 bytes)");
	ok(form_email(a, long_addr, &(const char *){ NULL }) == NULL,
	    "an address of 253 bytes passes");
	memset(label64, 'c', 64);
	strcpy(label64, "a@");
	memset(label64 + 2, 'c', 64);
	strcpy(label64 + 66, ".com");
	email_bad(a, label64, "a label of 64 characters");
}

static void
name_ok(struct arena *a, const char *in, const char *want)
{
	const char *out = NULL, *err = validate_display_name(a, in, &out);

	ok(err == NULL && out != NULL && strcmp(out, want) == 0,
	    "display name \"%s\" is accepted", want);
	if (err != NULL)
		printf("#   refused: %s\n", err);
}

static void
name_bad(struct arena *a, const char *in, const char *why)
{
	const char *out = "unset", *err = validate_display_name(a, in, &out);

	ok(err != NULL && out == NULL, "display name refused: %s", why);
}

static void
test_display_name(struct arena *a)
{
	char eighty[100], many[400];

	name_ok(a, "Alice", "Alice");
	name_ok(a, "  Alice Smith ", "Alice Smith");
	name_ok(a, "Jos\xc3\xa9 \xc3\x91\xc3\xba\xc3\xb1" "ez",
	    "Jos\xc3\xa9 \xc3\x91\xc3\xba\xc3\xb1" "ez");
	name_ok(a, "\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x8d",
	    "\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x8d");
	name_ok(a, "<script>alert(1)</script>", "<script>alert(1)</script>");
	name_ok(a, "\xf0\x9f\x98\x80 party", "\xf0\x9f\x98\x80 party");
	name_ok(a, "\xe2\x9d\xa4\xef\xb8\x8f fan", "\xe2\x9d\xa4\xef\xb8\x8f fan");
	memset(eighty, 'x', 80);
	eighty[80] = '\0';
	name_ok(a, eighty, eighty);

	eighty[80] = 'x';
	eighty[81] = '\0';
	name_bad(a, eighty, "81 characters");
	/* 80 characters of two bytes each pass; 81 do not. */
	for (int i = 0; i < 81; i++)
		memcpy(many + 2 * i, "\xc3\xa9", 2);
	many[160] = '\0';
	name_ok(a, many, many);
	memcpy(many + 160, "\xc3\xa9", 2);
	many[162] = '\0';
	name_bad(a, many, "81 two-byte characters");
	name_bad(a, NULL, "absent");
	name_bad(a, "", "empty");
	name_bad(a, "   ", "blank");
	name_bad(a, "\xe3\x80\x80", "only an ideographic space");
	name_bad(a, "a\tb", "a tab");
	name_bad(a, "a\nb", "a line break");
	name_bad(a, "a\x7f", "DEL");
	name_bad(a, "a\xc2\x85", "a C1 control (NEL)");
	name_bad(a, "admin\xe2\x80\xae" "nimda", "a right-to-left override");
	name_bad(a, "a\xe2\x80\x8b" "b", "a zero-width space");
	name_bad(a, "\xef\xbb\xbf" "Bob", "a byte order mark");
	name_bad(a, "a\xe2\x80\xa8" "b", "a line separator");
	name_bad(a, "a\xee\x80\x80", "a private-use character");
	name_bad(a, "a\xf3\xa0\x80\x81", "a tag character");
	name_bad(a, "a\xff", "invalid UTF-8");
	name_bad(a, "a\xed\xa0\x80", "an encoded surrogate");
}

static void
test_password(void)
{
	char pw[1100];

	ok(validate_new_password("correct horse battery staple") == NULL,
	    "a long passphrase is accepted");
	ok(validate_new_password("tr0ub4dor&3x") == NULL,
	    "a 12-character password is accepted");
	ok(validate_new_password(NULL) != NULL, "an absent password is refused");
	ok(validate_new_password("") != NULL, "an empty password is refused");
	ok(validate_new_password("short") != NULL, "5 characters are refused");
	ok(validate_new_password("nine9char") != NULL,
	    "9 characters are refused");
	ok(validate_new_password("ten-chars!") == NULL,
	    "10 characters are accepted");
	ok(validate_new_password("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9") != NULL,
	    "9 two-byte characters (18 bytes) are too short");
	ok(validate_new_password("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9") == NULL,
	    "10 two-byte characters are enough");
	ok(validate_new_password("tab\tinside-it") != NULL,
	    "a control character is refused");
	ok(validate_new_password("line\nbreak-inside") != NULL,
	    "a line break is refused");
	memset(pw, 'k', 1024);
	pw[0] = 'Q';
	pw[1024] = '\0';
	ok(validate_new_password(pw) == NULL, "1024 bytes are accepted");
	pw[1024] = 'k';
	pw[1025] = '\0';
	ok(validate_new_password(pw) != NULL, "1025 bytes are refused");
}

static const char *
data_path(struct arena *a, const char *name)
{
	const char *srcdir = getenv("srcdir");
	const char *tries[] = { "..", "." };
	FILE *f;
	const char *p;

	if (srcdir != NULL) {
		p = arena_printf(a, "%s/data/%s", srcdir, name);
		if ((f = fopen(p, "r")) != NULL) {
			fclose(f);
			return p;
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(tries); i++) {
		p = arena_printf(a, "%s/data/%s", tries[i], name);
		if ((f = fopen(p, "r")) != NULL) {
			fclose(f);
			return p;
		}
	}
	return NULL;
}

static void
test_common(struct arena *a)
{
	const char *path = data_path(a, "common-passwords.txt");
	long n;

	ok(!validate_common("password123"), "nothing is common before a load");
	is_int(validate_common_load("/nonexistent/common.txt"), -1,
	    "a missing list is an error");
	if (!ok(path != NULL, "data/common-passwords.txt is found"))
		return;
	n = validate_common_load(path);
	ok(n >= 1000, "the list has %ld entries", n);
	ok(validate_common("password123"), "password123 is common");
	ok(validate_common("PassWord123"), "... in any case");
	ok(validate_common("qwertyuiop"), "qwertyuiop is common");
	ok(validate_common("1234567890"), "1234567890 is common");
	ok(!validate_common("a-phrase nobody uses 7731"),
	    "a made-up phrase is not");
	ok(validate_new_password("Password123") != NULL,
	    "a common password is refused as a new password");
	ok(validate_new_password("QWERTYUIOP") != NULL,
	    "... whatever its case");
	ok(validate_new_password("a-phrase nobody uses 7731") == NULL,
	    "an uncommon one passes");
	is_int(validate_common_load(path), n, "loading again replaces the list");
}

static void
next_is(struct arena *a, const char *s, int want, const char *why)
{
	is_int(validate_next(a, s), want, "next %s: %s",
	    want ? "accepted" : "refused", why);
}

static void
test_next(struct arena *a)
{
	char big[600];

	next_is(a, "/", 1, "/");
	next_is(a, "/me", 1, "/me");
	next_is(a, "/events?q=jazz&city=Berlin", 1, "a query string");
	next_is(a, "/events/12", 1, "an event page");
	next_is(a, "/events?q=caf%C3%A9", 1, "an escape that decodes to text");
	next_is(a, "/me%2Fx", 1, "an escaped slash after the first");

	next_is(a, NULL, 0, "absent");
	next_is(a, "", 0, "empty");
	next_is(a, "me", 0, "a relative path");
	next_is(a, "//evil.example", 0, "a network path");
	next_is(a, "//evil.example/me", 0, "a network path with a path");
	next_is(a, "/\\evil.example", 0, "slash backslash");
	next_is(a, "\\\\evil.example", 0, "two backslashes");
	next_is(a, "/me\\..\\x", 0, "a backslash anywhere");
	next_is(a, "http://evil.example/", 0, "an absolute URL");
	next_is(a, "https:evil.example", 0, "a scheme without slashes");
	next_is(a, "javascript:alert(1)", 0, "a javascript: URL");
	next_is(a, "/%2F/evil.example", 0, "an escaped second slash");
	next_is(a, "/%2f%2fevil.example", 0, "escaped slashes, lower case");
	next_is(a, "%2F%2Fevil.example", 0, "an escaped first slash");
	next_is(a, "/%5Cevil.example", 0, "an escaped backslash");
	next_is(a, "/%252F%252Fevil.example", 0, "doubly escaped slashes");
	next_is(a, "/%25252F%25252Fevil.example", 0, "triply escaped slashes");
	next_is(a, "/%2525252F%2525252Fevil", 0, "escaped four times");
	next_is(a, "/me%0d%0aSet-Cookie:%20x=1", 0, "an escaped CR LF");
	next_is(a, "/me\r\nSet-Cookie: x=1", 0, "a raw CR LF");
	next_is(a, "/\t/evil.example", 0, "a tab");
	next_is(a, "/%09/evil.example", 0, "an escaped tab");
	next_is(a, "/a b", 0, "a space");
	next_is(a, "/caf\xc3\xa9", 0, "a raw non-ASCII byte");
	next_is(a, "/%", 0, "a bare %");
	next_is(a, "/%zz", 0, "a bad escape");
	next_is(a, "/%00", 0, "an escaped NUL");
	next_is(a, "/me#frag", 0, "a fragment");
	next_is(a, "/\"><script>", 0, "markup");
	memset(big, 'a', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	next_is(a, big, 0, "longer than 512 bytes");
}

static struct params
form_of(struct arena *a, const char *body)
{
	struct params p;

	if (params_parse(a, body, strlen(body), &params_default_limits,
	    &p) != PARAMS_OK)
		memset(&p, 0, sizeof(p));
	return p;
}

/* The number of fields a view shows: form_view lists them. */
static int
view_fields(const struct tmpl_value *view)
{
	static const char src[] = "{{#list}}x{{/list}}";
	struct tmpl_set *set = tmpl_set_new();
	struct tmpl_error err;
	struct buf out;
	int n = -1;

	buf_init(&out);
	if (tmpl_set_add(set, "t", src, strlen(src), &err) == 0 &&
	    tmpl_render(set, "t", view, &out) == 0)
		n = (int)out.len;
	buf_free(&out);
	tmpl_set_free(set);
	return n;
}

static void
test_forms(struct arena *a)
{
	const struct form *reg = &account_forms[ACCOUNT_REGISTER];
	const struct form *login = &account_forms[ACCOUNT_LOGIN];
	struct form_result in;
	struct params p;
	struct tmpl_value *view;
	const char *pw;

	p = form_of(a, "email=+Bob%40Example.org+&display_name=Bob&"
	    "password=a-phrase+nobody+uses+7731&next=%2Fevents%2F3&csrf=x");
	is_int(form_check(a, reg, &p, NULL, &in), 0,
	    "a good sign-up passes");
	is_str(in.field[FIELD_EMAIL].text, "bob@example.org", "email normalised");
	is_str(in.field[FIELD_DISPLAY_NAME].text, "Bob", "display name");
	is_str(in.field[FIELD_NEXT].text, "/events/3", "next kept");
	ok(in.field[FIELD_PASSWORD].text == NULL, "no current password in it");

	p = form_of(a, "csrf=x");
	is_int(form_check(a, reg, &p, NULL, &in), 3,
	    "an empty sign-up has three errors");
	ok(in.field[FIELD_EMAIL].error && in.field[FIELD_DISPLAY_NAME].error &&
	    in.field[FIELD_NEW_PASSWORD].error && !in.field[FIELD_NEXT].error,
	    "... one per required field");

	p = form_of(a, "email=a%40example.com&email=b%40example.com&"
	    "password=x");
	form_check(a, login, &p, NULL, &in);
	ok(in.field[FIELD_EMAIL].error != NULL, "a field sent twice is refused");
	ok(in.field[FIELD_PASSWORD].error == NULL &&
	    in.field[FIELD_PASSWORD].text &&
	    strcmp(in.field[FIELD_PASSWORD].text, "x") == 0,
	    "sign-in takes any existing password");

	p = form_of(a, "email=a%40example.com&password=x&"
	    "next=%2F%2Fevil.example");
	is_int(form_check(a, login, &p, NULL, &in), 0,
	    "an unsafe next is no error");
	ok(in.field[FIELD_NEXT].text == NULL, "... but is dropped");

	{
		char body[700];

		strcpy(body, "email=a%40example.com&password=x&next=%2F");
		memset(body + strlen(body), 'a', 600);
		body[41 + 600] = '\0';
		p = form_of(a, body);
		is_int(form_check(a, login, &p, NULL, &in), 0,
		    "an overlong next is no error either");
		ok(in.field[FIELD_NEXT].text == NULL, "... and is dropped");
	}

	p = form_of(a, "display_name=%3Cb%3E%E2%80%AE");
	is_int(form_check(a, &account_forms[ACCOUNT_NAME], &p, NULL, &in), 1,
	    "a bad display name is one error");
	is_str(in.field[FIELD_DISPLAY_NAME].raw, "<b>\xe2\x80\xae",
	    "... and what was typed is kept to show again");

	p = form_of(a, "password=secret-secret");
	is_int(form_check(a, &account_forms[ACCOUNT_DELETE], &p, NULL, &in), 1,
	    "deleting needs the box ticked");
	ok(in.field[FIELD_CONFIRM].error != NULL, "... the error is on the box");
	p = form_of(a, "password=secret-secret&confirm=yes");
	is_int(form_check(a, &account_forms[ACCOUNT_DELETE], &p, NULL, &in), 0,
	    "ticked, it passes");

	p = form_of(a, "token=abc%21def");
	is_int(form_check(a, &account_forms[ACCOUNT_VERIFY], &p, NULL, &in), 1,
	    "a token with a character outside base64url is refused");
	p = form_of(a, "token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAA");
	is_int(form_check(a, &account_forms[ACCOUNT_VERIFY], &p, NULL, &in), 1,
	    "an overlong token is refused");

	p = form_of(a, "current_password=old-secret-1&new_password=abc");
	is_int(form_check(a, &account_forms[ACCOUNT_PASSWORD], &p, NULL, &in),
	    1, "a short new password is one error");
	ok(in.field[FIELD_NEW_PASSWORD].error != NULL,
	    "... on the new password");
	view = form_view(a, &account_forms[ACCOUNT_PASSWORD], &in);
	is_int(view_fields(view), 2, "the view has both fields");
	pw = params_get(&p, "current_password");
	form_wipe(&account_forms[ACCOUNT_PASSWORD], &p);
	ok(pw[0] == '\0' && memcmp(pw, "\0\0\0\0\0\0\0\0\0\0\0\0", 12) == 0,
	    "the current password is wiped in place");
	ok(params_get(&p, "new_password")[0] == '\0',
	    "the new password is wiped too");

	view = form_view(a, reg, NULL);
	is_int(view_fields(view), 4, "a blank sign-up form has four fields");
}

static void
test_choice(void)
{
	static const char *const keys[] = { "name", "password" };

	is_int(form_choice(keys, 2, "password"), 1, "a known flag");
	is_int(form_choice(keys, 2, "<script>"), -1, "an unknown flag");
	is_int(form_choice(keys, 2, NULL), -1, "no flag");
}

/* 1 when s is what form_email may hand back: printable ASCII, lower
 * case, one @. */
static int
plain_address(const char *s)
{
	const char *at = strchr(s, '@');

	for (const char *p = s; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || (*p >= 'A' && *p <= 'Z'))
			return 0;
	return at != NULL && strchr(at + 1, '@') == NULL;
}

static void
test_blns(void)
{
	struct json_object *list = blns_load();
	size_t n, bad_email = 0, bad_name = 0, bad_next = 0;
	size_t names = 0;

	if (list == NULL)
		return;
	n = json_object_array_length(list);
	ok(n > 500, "blns has %zu strings", n);
	for (size_t i = 0; i < n; i++) {
		struct json_object *item = json_object_array_get_idx(list, i);
		const char *s = json_object_get_string(item), *out;
		struct arena w;

		if (s == NULL || strlen(s) != (size_t)json_object_get_string_len(
		    item))
			continue;
		arena_init(&w, 0);
		if (form_email(&w, s, &out) == NULL && !plain_address(out))
			bad_email++;
		if (validate_display_name(&w, s, &out) == NULL) {
			names++;
			if (!url_utf8_valid(out, strlen(out)) ||
			    strpbrk(out, "\t\r\n\x7f") != NULL)
				bad_name++;
		}
		if (validate_next(&w, s) &&
		    (s[0] != '/' || s[1] == '/' || s[1] == '\\'))
			bad_next++;
		(void)validate_new_password(s);
		arena_free(&w);
	}
	json_object_put(list);
	is_int(bad_email, 0, "no naughty string passes as an odd address");
	is_int(bad_name, 0, "no accepted display name holds a control character");
	ok(names > 100, "ordinary naughty strings are fine names (%zu)", names);
	is_int(bad_next, 0, "no naughty string passes as an off-site next");
}

int
main(void)
{
	struct arena a;

	arena_init(&a, 0);
	test_email(&a);
	test_display_name(&a);
	test_password();
	test_common(&a);
	test_next(&a);
	test_forms(&a);
	test_choice();
	test_blns();
	arena_free(&a);
	return done_testing();
}
