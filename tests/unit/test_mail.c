#include <arpa/inet.h>
#include <dirent.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "mail.h"
#include "tap.h"
#include "tmpl.h"

#define FROM "Tessera <no-reply@tessera.test>"

/* ------------------------------------------------------------ helpers */

/* The value of header name in msg, continuation lines joined (the CRLF
 * removed, the folding space kept), or NULL. Caller frees. */
static char *
header(const char *msg, const char *name)
{
	const char *end = strstr(msg, "\r\n\r\n"), *p = msg;
	size_t nlen = strlen(name);
	struct buf v;

	while (p < end) {
		if (strncmp(p, name, nlen) == 0 && p[nlen] == ':') {
			p += nlen + 1;
			while (*p == ' ')
				p++;
			buf_init(&v);
			buf_puts(&v, "");
			for (;;) {
				const char *eol = strstr(p, "\r\n");

				buf_append(&v, p, (size_t)(eol - p));
				p = eol + 2;
				if (*p != ' ' && *p != '\t')
					break;
			}
			return v.data;
		}
		p = strstr(p, "\r\n") + 2;
	}
	return NULL;
}

static int
hexval(char c)
{
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : c - '0';
}

/* Decodes quoted-printable text s of len bytes. Caller frees. */
static char *
qp_decode(const char *s, size_t len)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '=' && i + 2 < len && s[i + 1] == '\r' &&
		    s[i + 2] == '\n') {
			i += 2;
		} else if (s[i] == '=' && i + 2 < len) {
			buf_putc(&b, (char)(hexval(s[i + 1]) * 16 +
			    hexval(s[i + 2])));
			i += 2;
		} else {
			buf_putc(&b, s[i]);
		}
	}
	return b.data;
}

static int
b64val(char c)
{
	const char *d = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/";
	const char *p = strchr(d, c);

	return p != NULL && c != '\0' ? (int)(p - d) : -1;
}

/* Decodes a header value made of UTF-8 B encoded-words separated by
 * white space into out; returns 0, or -1 if it is not that, or a word
 * does not hold whole UTF-8 characters or is longer than 75. */
static int
words_decode(const char *v, char *out, size_t outlen)
{
	size_t o = 0;

	while (*v != '\0') {
		const char *end;
		unsigned acc = 0;
		int bits = 0;
		size_t start = o;

		while (*v == ' ')
			v++;
		if (strncmp(v, "=?UTF-8?B?", 10) != 0)
			return -1;
		end = strstr(v + 10, "?=");
		if (end == NULL || end + 2 - v > 75)
			return -1;
		for (const char *p = v + 10; p < end && *p != '='; p++) {
			int d = b64val(*p);

			if (d < 0)
				return -1;
			acc = (acc << 6) | (unsigned)d;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				if (o + 1 >= outlen)
					return -1;
				out[o++] = (char)((acc >> bits) & 0xff);
			}
		}
		/* A word must not start in the middle of a character. */
		if (o > start && ((unsigned char)out[start] & 0xc0) == 0x80)
			return -1;
		v = end + 2;
	}
	out[o] = '\0';
	return 0;
}

/* Every line ends in CRLF, none is longer than max, no bare CR or LF. */
static int
lines_ok(const char *msg, size_t max)
{
	const char *p = msg;

	while (*p != '\0') {
		const char *eol = strstr(p, "\r\n");

		if (eol == NULL || (size_t)(eol - p) > max ||
		    memchr(p, '\n', (size_t)(eol - p)) != NULL ||
		    memchr(p, '\r', (size_t)(eol - p)) != NULL)
			return 0;
		p = eol + 2;
	}
	return 1;
}

/* The decoded body of the part whose Content-Type starts with type.
 * Caller frees; NULL when there is no such part. */
static char *
part_body(const char *msg, const char *type)
{
	char needle[128];
	const char *p, *body, *end;

	snprintf(needle, sizeof(needle), "Content-Type: %s;", type);
	if ((p = strstr(msg, needle)) == NULL ||
	    (body = strstr(p, "\r\n\r\n")) == NULL)
		return NULL;
	body += 4;
	if ((end = strstr(body, "\r\n--=_tessera_alternative")) == NULL)
		return NULL;
	return qp_decode(body, (size_t)(end - body));
}

static int
build(struct buf *out, const char *from, const char *to, const char *subject,
    const char *text, const char *html, char *err)
{
	struct mail_message m = {
		.from = from, .to = to, .subject = subject, .text = text,
		.html = html, .message_id = "outbox-42.20240101120000@tessera.test",
		.date = 1704067200,  /* 2024-01-01 00:00:00 UTC, a Monday */
	};

	buf_reset(out);
	err[0] = '\0';
	return mail_build(&m, out, err, 256);
}

/* ------------------------------------------------------------ tests */

static void
test_structure(void)
{
	const char *text = "Hello Zoë,\n\na=b and tabs\tand trailing space \n"
	    "A line that is quite a lot longer than seventy-six characters, so "
	    "it must be broken softly somewhere.\r\nLast line";
	const char *html = "<p>Hello Zo&euml;</p>\n<p>=</p>\n";
	char err[256], *v, *body, *want;
	struct buf b;

	buf_init(&b);
	is_int(build(&b, FROM, "alice@tessera.test", "Welcome to Tessera", text,
	    html, err), 0, "a plain message builds");
	ok(lines_ok(b.data, 78), "every line ends in CRLF and has at most "
	    "78 characters");
	ok(strstr(b.data, "\r\n\r\n") != NULL, "headers end with an empty line");
	v = header(b.data, "Date");
	is_str(v, "Mon, 01 Jan 2024 00:00:00 +0000", "Date in RFC 5322 form");
	free(v);
	v = header(b.data, "From");
	is_str(v, FROM, "From");
	free(v);
	v = header(b.data, "To");
	is_str(v, "alice@tessera.test", "To");
	free(v);
	v = header(b.data, "Subject");
	is_str(v, "Welcome to Tessera", "an ASCII subject is written as is");
	free(v);
	v = header(b.data, "Message-ID");
	is_str(v, "<outbox-42.20240101120000@tessera.test>", "Message-ID");
	free(v);
	v = header(b.data, "MIME-Version");
	is_str(v, "1.0", "MIME-Version");
	free(v);
	v = header(b.data, "Content-Type");
	is_str(v, "multipart/alternative; boundary=\"=_tessera_alternative\"",
	    "multipart/alternative with a quoted boundary");
	free(v);
	ok(strstr(b.data, "\r\n--=_tessera_alternative\r\nContent-Type: "
	    "text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: "
	    "quoted-printable\r\n\r\n") != NULL,
	    "a text/plain part, UTF-8, quoted-printable");
	ok(strstr(b.data, "\r\n--=_tessera_alternative\r\nContent-Type: "
	    "text/html; charset=UTF-8\r\nContent-Transfer-Encoding: "
	    "quoted-printable\r\n\r\n") != NULL,
	    "a text/html part, UTF-8, quoted-printable");
	ok(strstr(b.data, "text/plain") < strstr(b.data, "text/html"),
	    "plain text first, HTML last (the preferred form)");
	ok(b.len > 29 && strcmp(b.data + b.len - 29,
	    "\r\n--=_tessera_alternative--\r\n") == 0,
	    "the message ends with the closing boundary");
	ok(strstr(b.data, "Zo=C3=AB") != NULL, "UTF-8 bytes are encoded");
	ok(strstr(b.data, "a=3Db") != NULL, "= is encoded");
	ok(strstr(b.data, "space=20\r\n") != NULL,
	    "white space before a line break is encoded");
	ok(strstr(b.data, "=\r\n") != NULL, "a long line has a soft break");

	body = part_body(b.data, "text/plain");
	want = "Hello Zoë,\r\n\r\na=b and tabs\tand trailing space \r\n"
	    "A line that is quite a lot longer than seventy-six characters, so "
	    "it must be broken softly somewhere.\r\nLast line";
	is_str(body, want, "the text part decodes to the text, CRLF line ends");
	free(body);
	body = part_body(b.data, "text/html");
	is_str(body, "<p>Hello Zo&euml;</p>\r\n<p>=</p>\r\n",
	    "the HTML part decodes to the HTML");
	free(body);
	buf_free(&b);
}

static void
test_subject(void)
{
	char err[256], dec[1024], *v;
	const char *de = "Bestätigung für Zoë: Ihre Tickets für das Konzert "
	    "im Großen Saal 🎫 sind da — viel Spaß!";
	const char *long_ascii = "An ASCII subject that is much too long for "
	    "one header line of seventy-eight characters";
	struct buf b;

	buf_init(&b);
	is_int(build(&b, FROM, "a@b.test", "Bestätigung für Zoë", "t", "h",
	    err), 0, "a non-ASCII subject builds");
	v = header(b.data, "Subject");
	ok(v != NULL && strncmp(v, "=?UTF-8?B?", 10) == 0,
	    "a non-ASCII subject is an RFC 2047 encoded-word");
	ok(v != NULL && words_decode(v, dec, sizeof(dec)) == 0 &&
	    strcmp(dec, "Bestätigung für Zoë") == 0, "and decodes back");
	free(v);

	is_int(build(&b, FROM, "a@b.test", de, "t", "h", err), 0,
	    "a long non-ASCII subject builds");
	ok(lines_ok(b.data, 78), "its header is folded into short lines");
	v = header(b.data, "Subject");
	ok(v != NULL && strstr(v, "?= =?UTF-8?B?") != NULL,
	    "into several encoded-words");
	ok(v != NULL && words_decode(v, dec, sizeof(dec)) == 0 &&
	    strcmp(dec, de) == 0,
	    "each at most 75 characters, none splitting a character, "
	    "together the subject");
	free(v);

	build(&b, FROM, "a@b.test", long_ascii, "t", "h", err);
	v = header(b.data, "Subject");
	ok(v != NULL && words_decode(v, dec, sizeof(dec)) == 0 &&
	    strcmp(dec, long_ascii) == 0 && lines_ok(b.data, 78),
	    "a long ASCII subject is folded as encoded-words too");
	free(v);

	build(&b, FROM, "a@b.test", "Pay =?UTF-8?B?eA==?= now", "t", "h", err);
	v = header(b.data, "Subject");
	ok(v != NULL && words_decode(v, dec, sizeof(dec)) == 0 &&
	    strcmp(dec, "Pay =?UTF-8?B?eA==?= now") == 0,
	    "text that looks like an encoded-word is encoded");
	free(v);
	buf_free(&b);
}

static void
test_from(void)
{
	char err[256], addr[MAIL_ADDRESS_MAX + 1], dec[256], *v;
	struct buf b;

	buf_init(&b);
	build(&b, "no-reply@tessera.test", "a@b.test", "s", "t", "h", err);
	v = header(b.data, "From");
	is_str(v, "no-reply@tessera.test", "a bare From address");
	free(v);
	build(&b, "Tessera, Inc. <no-reply@tessera.test>", "a@b.test", "s",
	    "t", "h", err);
	v = header(b.data, "From");
	is_str(v, "\"Tessera, Inc.\" <no-reply@tessera.test>",
	    "a display name with specials is quoted");
	free(v);
	build(&b, "\"Tëssera Tickets\" <no-reply@tessera.test>", "a@b.test",
	    "s", "t", "h", err);
	v = header(b.data, "From");
	ok(v != NULL && strlen(v) > 24 &&
	    strcmp(v + strlen(v) - 24, " <no-reply@tessera.test>") == 0,
	    "a non-ASCII display name keeps the address");
	if (v != NULL && strlen(v) > 24)
		v[strlen(v) - 24] = '\0';
	ok(v != NULL && words_decode(v, dec, sizeof(dec)) == 0 &&
	    strcmp(dec, "Tëssera Tickets") == 0,
	    "and is an encoded-word");
	free(v);

	is_int(mail_from_address(FROM, addr, sizeof(addr)), 0,
	    "mail_from_address finds the address");
	is_str(addr, "no-reply@tessera.test", "the envelope sender");
	is_int(mail_from_address("Tessera <not an address>", addr,
	    sizeof(addr)), -1, "mail_from_address refuses a bad address");
	buf_free(&b);
}

static void
test_injection(void)
{
	static const struct {
		const char *from, *to, *subject, *why;
	} bad[] = {
		{ FROM, "alice@tessera.test", "Hi\r\nBcc: evil@example.test",
		    "CRLF in the subject" },
		{ FROM, "alice@tessera.test", "Hi\nBcc: evil@example.test",
		    "LF in the subject" },
		{ FROM, "alice@tessera.test", "Hi\rthere", "CR in the subject" },
		{ FROM, "alice@tessera.test\r\nBcc: evil@example.test", "Hi",
		    "CRLF in the recipient" },
		{ FROM, "alice@tessera.test\n", "Hi", "LF in the recipient" },
		{ "Tessera <no-reply@tessera.test>\r\nBcc: evil@example.test",
		    "alice@tessera.test", "Hi", "CRLF in the sender" },
		{ FROM, "alice@tessera.test, evil@example.test", "Hi",
		    "two recipients" },
		{ FROM, "Alice <alice@tessera.test>", "Hi",
		    "a display name as recipient" },
		{ FROM, "", "Hi", "an empty recipient" },
		{ FROM, "alice", "Hi", "a recipient without a domain" },
		{ FROM, "alice@tessera.test@evil", "Hi", "two @" },
		{ FROM, "alice @tessera.test", "Hi", "a space in the address" },
		{ FROM, "alice@tessera.test>", "Hi", "a bracket" },
		{ "Tessera", "alice@tessera.test", "Hi", "a sender without an "
		    "address" },
	};
	char err[256];
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(build(&b, bad[i].from, bad[i].to, bad[i].subject, "t",
		    "h", err), -1, "refused: %s (%s)", bad[i].why, err);
	build(&b, FROM, "a@b.test", "Hi\r\nBcc: evil@example.test", "t", "h",
	    err);
	ok(strstr(err, "Subject") != NULL && strstr(err, "injection") != NULL,
	    "the reason names the header and the injection");

	struct mail_message m = { .from = FROM, .to = "a@b.test",
		.subject = "s", .text = "t", .html = "h",
		.message_id = "x@y\r\nBcc: evil@example.test" };
	is_int(mail_build(&m, &b, err, sizeof(err)), -1,
	    "refused: CRLF in the Message-ID");
	buf_free(&b);
}

/* Counts the entries of dir (-1 if it cannot be read), copying the first
 * one's name into first. */
static int
list_dir(const char *dir, char *first, size_t len)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n++ == 0)
			snprintf(first, len, "%s", e->d_name);
	}
	closedir(d);
	return n;
}

static int
name_ok(const char *name)
{
	/* YYYYMMDDThhmmssZ-0000000042.eml */
	if (strlen(name) != 31 || name[8] != 'T' || name[15] != 'Z' ||
	    name[16] != '-' || strcmp(name + 17, "0000000042.eml") != 0)
		return 0;
	for (int i = 0; i < 15; i++)
		if (i != 8 && (name[i] < '0' || name[i] > '9'))
			return 0;
	return 1;
}

static void
test_eml(void)
{
	char dir[] = "/tmp/test_mail.XXXXXX", err[256], name[256] = "";
	char path[512], *got;
	struct config cfg;
	struct stat st;
	struct buf b;
	FILE *f;

	buf_init(&b);
	build(&b, FROM, "alice@tessera.test", "Welcome", "text", "<p>html</p>",
	    err);
	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.mail_from = FROM;
	is_int(mail_deliver(&cfg, "alice@tessera.test", &b, 42, err,
	    sizeof(err)), -1, "no relay and no mail directory: not delivered");
	ok(strstr(err, "TESSERA_MAIL_DIR") != NULL, "and the reason says what "
	    "to set (%s)", err);
	cfg.mail_dir = dir;
	is_int(mail_deliver(&cfg, "alice@tessera.test", &b, 42, err,
	    sizeof(err)), 0, "without a relay the mail is written to the "
	    "directory");
	is_int(list_dir(dir, name, sizeof(name)), 1,
	    "exactly one file, no temporary file left");
	ok(name_ok(name), "named TIME-ID.eml: %s", name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "readable by the owner only");
	got = calloc(1, b.len + 2);
	f = fopen(path, "rb");
	ok(f != NULL && fread(got, 1, b.len + 1, f) == b.len &&
	    memcmp(got, b.data, b.len) == 0, "holding the message byte for "
	    "byte");
	if (f != NULL)
		fclose(f);
	free(got);
	unlink(path);
	rmdir(dir);
	is_int(mail_write_eml(dir, 42, &b, err, sizeof(err)), -1,
	    "a missing directory is an error");
	ok(strstr(err, dir) != NULL, "naming it (%s)", err);
	buf_free(&b);
}

static void
test_render_inline(void)
{
	static const struct {
		const char *name, *src;
	} srcs[] = {
		{ "mail_layout", "<html>{{$content}}{{/content}}</html>\n" },
		{ "hi.subject", "{{! a comment line }}\nHello {{{name}}} "
		    "from {{{site_name}}}\n" },
		{ "hi.txt", "Hi {{{name}}}, see {{{url}}} at {{base_url}}\n" },
		{ "hi.html", "{{<mail_layout}}{{$content}}<p>{{name}}</p>"
		    "{{/content}}{{/mail_layout}}" },
	};
	struct tmpl_set *set = tmpl_set_new();
	struct mail_content c;
	struct tmpl_error te;
	struct config cfg;
	struct json_object *vars;
	char err[256];

	for (size_t i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++)
		tmpl_set_add(set, srcs[i].name, srcs[i].src,
		    strlen(srcs[i].src), &te);
	memset(&cfg, 0, sizeof(cfg));
	cfg.site_name = "Tessera";
	cfg.base_url = "https://tickets.example";
	vars = json_tokener_parse("{\"name\": \"<script>alert(1)</script> & "
	    "Zoë\", \"url\": \"https://tickets.example/x?a=1&b=2\"}");
	mail_content_init(&c);
	is_int(mail_render(set, &cfg, "hi", vars, &c, err, sizeof(err)), 0,
	    "mail_render renders a mail");
	is_str(c.subject.data, "Hello <script>alert(1)</script> & Zoë from "
	    "Tessera", "the subject is trimmed to its line, site_name added");
	is_str(c.text.data, "Hi <script>alert(1)</script> & Zoë, see "
	    "https://tickets.example/x?a=1&b=2 at https://tickets.example\n",
	    "the text keeps the values as they are, base_url added");
	is_str(c.html.data, "<html><p>&lt;script&gt;alert(1)&lt;/script&gt; "
	    "&amp; Zoë</p></html>\n", "the HTML escapes them, through the "
	    "layout");
	is_int(mail_render(set, &cfg, "nope", vars, &c, err, sizeof(err)), -1,
	    "an unknown mail is an error");
	ok(strstr(err, "nope.subject") != NULL, "naming the template (%s)",
	    err);
	is_int(mail_render(set, &cfg, "../hi", vars, &c, err, sizeof(err)), -1,
	    "a name that is not a word is refused");
	json_object_put(vars);
	vars = json_object_new_array();
	is_int(mail_render(set, &cfg, "hi", vars, &c, err, sizeof(err)), -1,
	    "vars that are not an object are refused");
	json_object_put(vars);
	mail_content_free(&c);
	tmpl_set_free(set);
}

/* The mails of templates/mail, each with its documented vars. */
static void
test_render_templates(void)
{
	static const struct {
		const char *name, *vars, *url;
	} mails[] = {
		{ "verify", "{\"name\":\"Zoë <b>\",\"verify_url\":"
		    "\"https://t.example/verify?token=abc&x=1\"}",
		    "https://t.example/verify?token=abc&x=1" },
		{ "reset", "{\"name\":\"Zoë <b>\",\"reset_url\":"
		    "\"https://t.example/password/reset?token=abc\"}",
		    "https://t.example/password/reset?token=abc" },
		{ "email_change", "{\"name\":\"Zoë <b>\",\"new_email\":"
		    "\"new@t.example\",\"verify_url\":"
		    "\"https://t.example/verify?token=def\"}",
		    "https://t.example/verify?token=def" },
		{ "email_changed", "{\"name\":\"Zoë <b>\",\"new_email\":"
		    "\"new@t.example\"}", "new@t.example" },
		{ "password_changed", "{\"name\":\"Zoë <b>\"}",
		    "https://t.example/password/forgot" },
	};
	char dir[1024], err[256];
	const char *slash;
	struct tmpl_set *set;
	struct config cfg;

	/* __FILE__ is this file's path as the compiler was given it,
	 * relative to the build directory that make check runs in. */
	slash = strrchr(__FILE__, '/');
	snprintf(dir, sizeof(dir), "%.*s/../../templates/mail",
	    slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
	if (getenv("TESSERA_TEMPLATES") != NULL)
		snprintf(dir, sizeof(dir), "%s/mail", getenv("TESSERA_TEMPLATES"));
	set = mail_templates_load(dir, err, sizeof(err));
	if (!ok(set != NULL, "templates/mail loads (%s)", set ? dir : err))
		return;
	memset(&cfg, 0, sizeof(cfg));
	cfg.site_name = "Tessera";
	cfg.base_url = "https://t.example";
	cfg.mail_from = FROM;
	for (size_t i = 0; i < sizeof(mails) / sizeof(mails[0]); i++) {
		struct json_object *vars = json_tokener_parse(mails[i].vars);
		struct mail_content c;
		struct buf msg;
		struct mail_message m;
		int rc;

		mail_content_init(&c);
		buf_init(&msg);
		rc = mail_render(set, &cfg, mails[i].name, vars, &c, err,
		    sizeof(err));
		if (!ok(rc == 0, "%s: renders", mails[i].name))
			printf("#   %s\n", err);
		ok(c.subject.len > 0 && c.subject.len < 70 &&
		    strpbrk(c.subject.data, "\r\n{}") == NULL,
		    "%s: one short subject line: %s", mails[i].name,
		    c.subject.data);
		ok(strstr(c.text.data, "Hello Zoë <b>,") != NULL &&
		    strstr(c.text.data, mails[i].url) != NULL &&
		    strstr(c.text.data, "{{") == NULL &&
		    strstr(c.text.data, "&amp;") == NULL,
		    "%s: the text greets by name and has the link, unescaped",
		    mails[i].name);
		ok(strncmp(c.html.data, "<!doctype html>", 15) == 0 &&
		    strstr(c.html.data, "Hello Zoë &lt;b&gt;,") != NULL &&
		    strstr(c.html.data, "<b>") == NULL &&
		    strstr(c.html.data, "<script") == NULL &&
		    strstr(c.html.data, "<img") == NULL &&
		    strstr(c.html.data, "{{") == NULL &&
		    strstr(c.html.data, "https://t.example") != NULL,
		    "%s: the HTML is the layout, escaped, with full links",
		    mails[i].name);
		memset(&m, 0, sizeof(m));
		m.from = FROM;
		m.to = "zoe@t.example";
		m.subject = c.subject.data;
		m.text = c.text.data;
		m.html = c.html.data;
		m.message_id = "x@t.example";
		is_int(mail_build(&m, &msg, err, sizeof(err)), 0,
		    "%s: builds into a message", mails[i].name);
		ok(lines_ok(msg.data, 78), "%s: with short CRLF lines",
		    mails[i].name);
		json_object_put(vars);
		buf_free(&msg);
		mail_content_free(&c);
	}
	tmpl_set_free(set);
}

/* A relay on 127.0.0.1 that offers no STARTTLS: greets, answers EHLO,
 * then reads until the client hangs up. Exits 1 if the client went on to
 * MAIL FROM in plain text. */
static void
fake_relay(int lfd)
{
	char line[512];
	int fd = accept(lfd, NULL, NULL);
	FILE *in;

	if (fd < 0)
		_exit(2);
	in = fdopen(fd, "r+");
	fputs("220 fake ESMTP\r\n", in);
	fflush(in);
	while (fgets(line, sizeof(line), in) != NULL) {
		if (strncmp(line, "EHLO", 4) == 0 ||
		    strncmp(line, "HELO", 4) == 0)
			fputs("250-fake\r\n250 AUTH PLAIN\r\n", in);
		else if (strncmp(line, "MAIL FROM", 9) == 0)
			_exit(1);
		else if (strncmp(line, "QUIT", 4) == 0) {
			fputs("221 bye\r\n", in);
			fflush(in);
			break;
		} else
			fputs("502 no\r\n", in);
		fflush(in);
	}
	_exit(0);
}

static void
test_smtp(void)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	char url[64], err[256];
	struct config cfg;
	struct buf b;
	int lfd, status = -1;
	pid_t pid;

	buf_init(&b);
	build(&b, FROM, "alice@tessera.test", "s", "t", "h", err);
	memset(&cfg, 0, sizeof(cfg));
	cfg.mail_from = FROM;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(lfd, 1) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &salen) != 0) {
		ok(0, "a listening socket for the fake relay");
		buf_free(&b);
		return;
	}
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", ntohs(sa.sin_port));
	cfg.smtp_url = url;

	is_int(mail_send_smtp(&cfg, "alice@tessera.test\r\nRCPT TO:<e@x.test>",
	    &b, err, sizeof(err)), -1,
	    "a CR or LF in the recipient never reaches an SMTP command");
	ok(strstr(err, "injection") != NULL, "refused as injection (%s)", err);

	fflush(stdout);
	if ((pid = fork()) == 0)
		fake_relay(lfd);
	close(lfd);
	is_int(mail_deliver(&cfg, "alice@tessera.test", &b, 42, err,
	    sizeof(err)), -1, "a relay without STARTTLS is refused");
	printf("# curl said: %s\n", err);
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the message was not sent in plain text (no MAIL FROM)");

	/* The port is closed now. */
	is_int(mail_send_smtp(&cfg, "alice@tessera.test", &b, err,
	    sizeof(err)), -1, "a relay that is down: not delivered");
	ok(strncmp(err, "smtp: ", 6) == 0, "with curl's reason (%s)", err);
	buf_free(&b);
}

/* A calendar to attach: the two forms go into a multipart/mixed, the .ics
 * after them as text/calendar with METHOD PUBLISH, CRLF lines kept. */
static void
test_calendar(void)
{
	const char *ics = "BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\n"
	    "SUMMARY:Zoë's night\r\nEND:VCALENDAR\r\n";
	struct mail_message m = {
		.from = "tessera@tessera.test", .to = "alice@tessera.test",
		.subject = "Booked", .text = "Hi", .html = "<p>Hi</p>",
		.message_id = "outbox-7.1@tessera.test", .date = 1704067200,
		.calendar = ics, .calendar_name = "event-12.ics",
	};
	char err[256];
	struct buf b;
	const char *mixed, *alt, *cal, *end;

	buf_init(&b);
	is_int(mail_build(&m, &b, err, sizeof(err)), 0, "a mail with a calendar");
	mixed = strstr(b.data, "Content-Type: multipart/mixed; "
	    "boundary=\"=_tessera_mixed\"\r\n");
	alt = strstr(b.data, "\r\n--=_tessera_mixed\r\nContent-Type: "
	    "multipart/alternative; boundary=\"=_tessera_alternative\"");
	cal = strstr(b.data, "\r\n--=_tessera_mixed\r\nContent-Type: "
	    "text/calendar; method=PUBLISH; charset=UTF-8; "
	    "name=\"event-12.ics\"\r\nContent-Disposition: attachment; "
	    "filename=\"event-12.ics\"\r\n");
	end = strstr(b.data, "\r\n--=_tessera_mixed--\r\n");
	ok(mixed != NULL, "the message is multipart/mixed");
	ok(alt != NULL && mixed < alt, "its first part the two forms");
	ok(cal != NULL && alt < cal && cal < end, "then the calendar, attached");
	ok(cal != NULL && strstr(cal, "BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\n"
	    "SUMMARY:Zo=C3=ABs night") == NULL && strstr(cal,
	    "SUMMARY:Zo=C3=AB's night\r\nEND:VCALENDAR") != NULL,
	    "its lines kept, quoted-printable");
	m.calendar_name = "../x\r\nBcc: y";
	is_int(mail_build(&m, &b, err, sizeof(err)), -1,
	    "a file name that is not a plain name is refused");
	m.calendar = NULL;
	buf_reset(&b);
	is_int(mail_build(&m, &b, err, sizeof(err)), 0, "without a calendar");
	ok(strstr(b.data, "multipart/mixed") == NULL,
	    "the message stays multipart/alternative");
	buf_free(&b);
}

int
main(void)
{
	if (mail_init() != 0) {
		printf("Bail out! curl_global_init failed\n");
		return 1;
	}
	test_structure();
	test_subject();
	test_from();
	test_injection();
	test_eml();
	test_render_inline();
	test_render_templates();
	test_smtp();
	test_calendar();
	mail_cleanup();
	return done_testing();
}
