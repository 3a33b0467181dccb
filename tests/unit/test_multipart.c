/*
 * Unit tests for http_multipart.c and the upload side of request.c: the
 * request Content-Type, bodies as Chromium, Firefox and curl send them,
 * binary data, names, filenames and filename*, every limit at and one
 * past its edge, every truncation of a valid body, malformed framing and
 * headers, the naughty strings as values, names and filenames; bodies fed
 * in two chunks split at every byte and byte by byte, answering as whole
 * ones; a 64 MiB file in constant memory; the spool (files written,
 * found, discarded, swept) and empty after every refusal.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include "arena.h"
#include "buf.h"
#include "http_multipart.h"
#include "http_spool.h"
#include "http_url.h"
#include "request.h"
#include "tap.h"
#include "blns.h"
#include "config.h"
#include "util.h"

#define CT "multipart/form-data; boundary=B"
#define DELIM "--B\r\n"
#define CLOSE "--B--\r\n"
#define CD(name) "Content-Disposition: form-data; name=\"" name "\"\r\n"
#define CDF(name, file)							\
	"Content-Disposition: form-data; name=\"" name "\"; filename=\""	\
	file "\"\r\n"
/* A whole body with one part: its headers, then its data. */
#define ONE(headers, data) DELIM headers "\r\n" data "\r\n" CLOSE

/* The Chromium shape, with a boundary as Chromium makes them. */
#define CR_B "----WebKitFormBoundaryePkpFF7tjBAqx29L"
#define CR_CT "multipart/form-data; boundary=" CR_B

/* Returns s[0..len) with non-printable bytes as \xHH, for test names. */
static const char *
show(struct arena *a, const char *s, size_t len)
{
	char *out = arena_alloc(a, len * 4 + 1), *p = out;

	if (len > 60)
		len = 60;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7F && c != '\\')
			*p++ = (char)c;
		else
			p += sprintf(p, "\\x%02X", c);
	}
	*p = '\0';
	return out;
}

/* The media root of every parse, and what a parse left in its spool. */
static char media[] = "/tmp/tessera-multipart-XXXXXX";
static const char *spool;
static size_t spool_leaks;

static int files_in(const char *dir);
static size_t bytewise_differ(struct arena *a, const char *ct,
    const char *body, size_t len, const struct multipart_limits *lim);

/* Unlinks what a failed check left in dir, so the next starts clean. */
static void
clear_dir(struct arena *a, const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d != NULL && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			unlink(arena_printf(a, "%s/%s", dir, de->d_name));
	if (d != NULL)
		closedir(d);
}

/* Reads a spool file into the arena (NUL-terminated) and unlinks it, as
 * the end of a request would. */
static const char *
take_file(struct arena *a, const struct multipart_part *p)
{
	char *data = arena_alloc(a, p->len + 1);
	FILE *f = fopen(p->path, "rb");
	size_t got = 0;

	if (f != NULL) {
		got = fread(data, 1, p->len + 1, f);
		fclose(f);
	}
	unlink(p->path);
	if (got != p->len)
		printf("# %s holds %zu bytes, not %zu\n", p->path, got, p->len);
	data[got < p->len ? got : p->len] = '\0';
	return data;
}

/* Moves the files of a parsed body from the spool into the arena, so the
 * tests compare bytes; counts a refusal that left a file behind. */
static void
settle(struct arena *a, enum multipart_status st, struct multipart *m)
{
	if (st == MULTIPART_OK)
		for (size_t i = 0; i < m->count; i++) {
			struct multipart_part *p = &m->parts[i];

			if ((p->filename != NULL) != (p->path != NULL) ||
			    (p->path != NULL && p->data != NULL))
				spool_leaks++;
			if (p->path != NULL)
				p->data = take_file(a, p);
		}
	if (files_in(spool) != 0) {
		spool_leaks++;
		printf("# the spool is not empty after a parse (%d)\n", st);
		clear_dir(a, spool);
	}
}

/* Parses body[0..len) from its own heap copy of exactly that size, so
 * the sanitizers see any read past the end. */
static enum multipart_status
parse(struct arena *a, const char *ct, const char *body, size_t len,
    const struct multipart_limits *lim, struct multipart *m)
{
	enum multipart_status st;
	char *copy = xmalloc(len ? len : 1);

	if (len > 0)
		memcpy(copy, body, len);
	st = multipart_parse(a, ct, body != NULL ? copy : NULL, len, lim,
	    media, m);
	free(copy);
	settle(a, st, m);
	return st;
}

/* One test line for the status; on a refusal a second one for the empty
 * output and the reason. */
static void
status_is(struct arena *a, const char *ct, const char *body, size_t len,
    const struct multipart_limits *lim, enum multipart_status want,
    const char *what)
{
	struct multipart m = { (struct multipart_part *)1, 99, NULL };
	enum multipart_status st;

	st = parse(a, ct, body, len, lim, &m);
	if (!ok(st == want, "%s", what))
		printf("#   got %d (%s), want %d\n", st, m.reason, want);
	if (want != MULTIPART_OK)
		ok(m.parts == NULL && m.count == 0 && m.reason != NULL &&
		    strcmp(m.reason, "ok") != 0,
		    "%s: output is empty, reason \"%s\"", what,
		    m.reason ? m.reason : "(null)");
}

#define BODY_IS(a, body, want, what)					\
	status_is((a), CT, (body), sizeof(body) - 1, NULL, (want), (what))

/* Checks one part against what is wanted, in one test line. */
static void
part_is(const struct multipart *m, size_t i, const char *name,
    const char *filename, const char *ctype, const char *data, size_t len,
    const char *what)
{
	const struct multipart_part *p = i < m->count ? &m->parts[i] : NULL;
	int same;

	same = p != NULL && strcmp(p->name, name) == 0 &&
	    (filename == NULL ? p->filename == NULL :
	    p->filename != NULL && strcmp(p->filename, filename) == 0) &&
	    strcmp(p->content_type, ctype) == 0 && p->len == len &&
	    memcmp(p->data, data, len) == 0 &&
	    (p->filename != NULL || (p->data[len] == '\0' &&
	    strlen(p->data) == len));
	if (!ok(same, "%s", what) && p != NULL)
		printf("#   got name \"%s\" filename \"%s\" type \"%s\" "
		    "len %zu\n", p->name, p->filename ? p->filename : "(null)",
		    p->content_type, p->len);
}

static void
add_part(struct buf *b, const char *bnd, const char *headers,
    const void *data, size_t len)
{
	buf_printf(b, "--%s\r\n%s\r\n", bnd, headers);
	buf_append(b, data, len);
	buf_puts(b, "\r\n");
}

static void
add_close(struct buf *b, const char *bnd)
{
	buf_printf(b, "--%s--\r\n", bnd);
}

static void
test_content_type(struct arena *a)
{
	static const char body[] = ONE(CD("a"), "1");
	static const char *const good[] = {
		"multipart/form-data; boundary=B",
		"Multipart/Form-Data; Boundary=B",
		"MULTIPART/FORM-DATA; BOUNDARY=B",
		"multipart/form-data;boundary=B",
		"multipart/form-data; boundary=\"B\"",
		"  multipart/form-data ; charset=utf-8; boundary=B  ",
		"multipart/form-data; boundary=B; charset=\"utf-8\"",
		"multipart/form-data; x=\"a;b=\\\"c\\\"\"; boundary=B",
		"multipart/form-data;\tboundary=B",
	};
	static const char *const bad[] = {
		"multipart/form-data",
		"multipart/form-data;",
		"multipart/form-data; ",
		"multipart/form-data; charset=utf-8",
		"multipart/form-data; boundary=",
		"multipart/form-data; boundary=\"\"",
		"multipart/form-data; boundary=\"B",
		"multipart/form-data; boundary = B",
		"multipart/form-data; boundary =B",
		"multipart/form-data; boundary= B",
		"multipart/form-data; boundary=B; boundary=B",
		"multipart/form-data; boundary=B; BOUNDARY=C",
		"multipart/form-data; boundary=B;",
		"multipart/form-data; boundary=B x",
		"multipart/form-data; boundary=a@b",
		"multipart/form-data; boundary=\"a@b\"",
		"multipart/form-data; boundary=\"a\\b\"",
		"multipart/form-data; boundary=\"a\\\"b\"",
		"multipart/form-data; boundary=\"B \"",
		"multipart/form-data; boundary=\"B\"x",
		"multipart/form-data; boundary=a\"b\"",
		"multipart/form-data; ; boundary=B",
		"multipart/form-data; =B",
		"multipart/form-data; boundary=B; x=\"unterminated",
		"multipart/form-data; boundary=B; x=\"a\x01\"",
		"multipart/form-data; boundary=B; x=",
		"multipart/form-data boundary=B",
	};
	static const char *const other[] = {
		"", "   ", "text/plain", "application/x-www-form-urlencoded",
		"multipart/mixed; boundary=B", "multipart/form-datax; boundary=B",
		"multipart/form-data-x; boundary=B", "multipart/form",
		"multipart/form-dat", "form-data; boundary=B",
		"multipart/form-data,text/plain; boundary=B",
	};
	char ct[200], bnd[80];
	struct buf b;

	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		status_is(a, good[i], body, sizeof(body) - 1, NULL,
		    MULTIPART_OK, good[i]);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		status_is(a, bad[i], body, sizeof(body) - 1, NULL,
		    MULTIPART_MALFORMED, bad[i]);
	for (size_t i = 0; i < ARRAY_LEN(other); i++)
		status_is(a, other[i], body, sizeof(body) - 1, NULL,
		    MULTIPART_UNSUPPORTED, other[i]);
	status_is(a, NULL, body, sizeof(body) - 1, NULL,
	    MULTIPART_UNSUPPORTED, "no Content-Type");
	status_is(a, "text/plain", "", 0, NULL, MULTIPART_UNSUPPORTED,
	    "the type is checked before the body");

	/* Boundaries: every RFC 2046 character, 1 and 70 long, spaces only
	 * inside quotes. Each is used in a body to show the parser found it
	 * whole. */
	buf_init(&b);
	static const char *const bounds[] = {
		"b", "'()+_,-./:=?", "0123456789", "a b",
		"---------------------------9051914041544843365972754266",
		"----geckoformboundary9a6ef1d2b4c3e5f60718293a4b5c6d7e",
		"--------------------------d74496d66958873e",
		"==_Part_0_1234567890.1234567890123",
	};
	for (size_t i = 0; i < ARRAY_LEN(bounds); i++) {
		buf_reset(&b);
		add_part(&b, bounds[i], CD("a"), "1", 1);
		add_close(&b, bounds[i]);
		snprintf(ct, sizeof(ct), "multipart/form-data; boundary=\"%s\"",
		    bounds[i]);
		status_is(a, ct, b.data, b.len, NULL, MULTIPART_OK, ct);
		if (strchr(bounds[i], ' ') != NULL)
			continue;
		snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s",
		    bounds[i]);
		status_is(a, ct, b.data, b.len, NULL, MULTIPART_OK, ct);
	}
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=\"a  b c\"");
	status_is(a, ct, b.data, b.len, NULL, MULTIPART_MALFORMED,
	    "a different boundary is not found in the body");

	memset(bnd, 'x', 71);
	bnd[70] = '\0';
	buf_reset(&b);
	add_part(&b, bnd, CD("a"), "1", 1);
	add_close(&b, bnd);
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", bnd);
	status_is(a, ct, b.data, b.len, NULL, MULTIPART_OK,
	    "70-character boundary");
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=\"%s\"", bnd);
	status_is(a, ct, b.data, b.len, NULL, MULTIPART_OK,
	    "70-character quoted boundary");
	bnd[70] = 'x';
	bnd[71] = '\0';
	buf_reset(&b);
	add_part(&b, bnd, CD("a"), "1", 1);
	add_close(&b, bnd);
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", bnd);
	status_is(a, ct, b.data, b.len, NULL, MULTIPART_MALFORMED,
	    "71-character boundary refused");
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=\"%s\"", bnd);
	status_is(a, ct, b.data, b.len, NULL, MULTIPART_MALFORMED,
	    "71-character quoted boundary refused");
	buf_free(&b);

	/* The boundary is case-sensitive. */
	status_is(a, "multipart/form-data; boundary=b", body, sizeof(body) - 1,
	    NULL, MULTIPART_MALFORMED, "boundary case matters");
}

/* A form as Chromium sends it: a CSRF token, a text field, a picture. */
static void
test_chromium(struct arena *a)
{
	static const char jpeg[] = "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01"
	    "\r\n\r\n--\r\n-" CR_B "\n--" CR_B "\r\n\r--" CR_B "--\r\n"
	    "\x00\xFF\xD9";
	struct multipart m;
	struct buf b;

	buf_init(&b);
	add_part(&b, CR_B, CD("csrf"), "q8dZ1yG3m0WtJ5sX", 16);
	add_part(&b, CR_B, CD("title"), "Sunset over the Tagus", 21);
	add_part(&b, CR_B, CD("caption"), "", 0);
	add_part(&b, CR_B, CDF("picture", "sunset.jpg")
	    "Content-Type: image/jpeg\r\n", jpeg, sizeof(jpeg) - 1);
	add_part(&b, CR_B, CD("price"), "0", 1);
	add_close(&b, CR_B);

	is_int(parse(a, CR_CT, b.data, b.len, NULL, &m), MULTIPART_OK,
	    "Chromium form");
	is_str(m.reason, "ok", "reason is \"ok\"");
	is_int(m.count, 5, "five parts");
	part_is(&m, 0, "csrf", NULL, "text/plain", "q8dZ1yG3m0WtJ5sX", 16,
	    "csrf field");
	part_is(&m, 1, "title", NULL, "text/plain", "Sunset over the Tagus",
	    21, "title field");
	part_is(&m, 2, "caption", NULL, "text/plain", "", 0, "empty field");
	part_is(&m, 3, "picture", "sunset.jpg", "image/jpeg", jpeg,
	    sizeof(jpeg) - 1, "picture with boundary-like fragments");
	part_is(&m, 4, "price", NULL, "text/plain", "0", 1,
	    "field after the file");
	is_str(multipart_field(m.parts, m.count, "csrf"), "q8dZ1yG3m0WtJ5sX",
	    "multipart_field finds the token");
	ok(multipart_file(m.parts, m.count, "picture") == &m.parts[3],
	    "multipart_file finds the picture");
	buf_free(&b);
}

/* Firefox: its two boundary shapes, an empty file input, a UTF-8 name. */
static void
test_firefox(struct arena *a)
{
	static const char *const bounds[] = {
		"---------------------------9051914041544843365972754266",
		"----geckoformboundary9a6ef1d2b4c3e5f60718293a4b5c6d7e",
	};
	struct multipart m;
	char ct[160];
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < ARRAY_LEN(bounds); i++) {
		buf_reset(&b);
		add_part(&b, bounds[i], CD("csrf"), "tok", 3);
		add_part(&b, bounds[i], CDF("picture", "")
		    "Content-Type: application/octet-stream\r\n", "", 0);
		add_part(&b, bounds[i], CDF("doc", "\xC3\xA9t\xC3\xA9 2024.txt")
		    "Content-Type: text/plain\r\n", "hello\r\n", 7);
		add_close(&b, bounds[i]);
		snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s",
		    bounds[i]);
		is_int(parse(a, ct, b.data, b.len, NULL, &m), MULTIPART_OK,
		    "Firefox form #%zu", i);
		is_int(m.count, 3, "three parts");
		part_is(&m, 1, "picture", "", "application/octet-stream", "", 0,
		    "empty file input: a file part named \"\"");
		part_is(&m, 2, "doc", "\xC3\xA9t\xC3\xA9 2024.txt",
		    "text/plain", "hello\r\n", 7,
		    "UTF-8 filename, data ending in CRLF");
		is_str(multipart_field(m.parts, m.count, "picture"), NULL,
		    "a file is not a field");
		ok(multipart_file(m.parts, m.count, "picture") != NULL,
		    "the empty file input is a file");
	}
	buf_free(&b);
}

/* curl -F, and other clients' habits that are still in the rules. */
static void
test_clients(struct arena *a)
{
	static const char curl[] =
	    "--------------------------d74496d66958873e\r\n"
	    "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
	    "Content-Type: text/plain\r\n"
	    "\r\n"
	    "line 1\nline 2\n\r\n"
	    "--------------------------d74496d66958873e\r\n"
	    "Content-Disposition: form-data; name=\"note\"\r\n"
	    "\r\n"
	    "hi\r\n"
	    "--------------------------d74496d66958873e--\r\n";
	static const char loose[] =
	    "This is the preamble.\r\nIt is ignored.\r\n"
	    "--B\r\n"
	    "content-disposition:FORM-DATA;NAME=a;Filename=x.bin\r\n"
	    "CONTENT-TYPE: Application/Octet-Stream; x=1  \r\n"
	    "Content-Transfer-Encoding: BINARY\r\n"
	    "Content-Length: 3\r\n"
	    "X-Empty:\r\n"
	    "\r\n"
	    "abc\r\n"
	    "--B\r\n"
	    "Content-Disposition: form-data ; name=\"b\" ; foo=bar; x=\"y\"\t\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "\r\n"
	    "2\r\n"
	    "--B\r\n"
	    "Content-Disposition: form-data; name=\"c\"\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "\r\n"
	    "3\r\n"
	    "--B--\r\n"
	    "This is the epilogue.\r\n-- B is ignored\r\n";
	struct multipart m;

	is_int(parse(a, "multipart/form-data; boundary="
	    "------------------------d74496d66958873e", curl, sizeof(curl) - 1,
	    NULL, &m), MULTIPART_OK, "curl -F form");
	part_is(&m, 0, "file", "a.txt", "text/plain", "line 1\nline 2\n", 14,
	    "curl file with LF inside the data");
	part_is(&m, 1, "note", NULL, "text/plain", "hi", 2, "curl field");

	is_int(parse(a, CT, loose, sizeof(loose) - 1, NULL, &m), MULTIPART_OK,
	    "preamble, epilogue, header case, unknown headers, tokens");
	is_int(m.count, 3, "three parts");
	part_is(&m, 0, "a", "x.bin", "Application/Octet-Stream; x=1", "abc",
	    3, "unquoted name and filename, type kept as sent");
	part_is(&m, 1, "b", NULL, "text/plain", "2", 1,
	    "spaces around ';', ignored parameters");
	part_is(&m, 2, "c", NULL, "text/plain; charset=UTF-8", "3", 1,
	    "text field with its own Content-Type");

	is_int(parse(a, CT, "--B--", 5, NULL, &m), MULTIPART_OK,
	    "a form without fields");
	ok(m.count == 0 && m.parts == NULL, "has no parts");
	is_int(parse(a, CT, "--B--\r\n", 7, NULL, &m), MULTIPART_OK,
	    "a form without fields, CRLF");
	BODY_IS(a, DELIM CD("a") "\r\nv\r\n--B--", MULTIPART_OK,
	    "close delimiter at the very end");
	BODY_IS(a, DELIM CD("a") "\r\nv\r\n--B--\r\n\r\n\r\n", MULTIPART_OK,
	    "empty epilogue lines");
	BODY_IS(a, "\r\n" DELIM CD("a") "\r\nv\r\n" CLOSE, MULTIPART_OK,
	    "empty preamble");
	is_int(parse(a, CT, "junk--B\r\n" CD("a") "\r\nv\r\n" CLOSE,
	    sizeof("junk--B\r\n" CD("a") "\r\nv\r\n" CLOSE) - 1, NULL, &m),
	    MULTIPART_OK, "a delimiter not at a line start is preamble");
	ok(m.count == 0, "so the form has no parts");
	BODY_IS(a, "--B\r\n--B\r\n" DELIM CD("a") "\r\nv\r\n" CLOSE,
	    MULTIPART_MALFORMED, "a part without headers");
}

/* Binary file data: every byte, and fragments that look like delimiters
 * but are not one. */
static void
test_binary(struct arena *a)
{
	static const char *const fragments[] = {
		"\r\n", "\r", "\n", "--", "\r\n--", "\r\n-", "-B", "--B",
		"\r\n--\r\n", "\n--B\r\n", "\r--B\r\n", "x--B--\r\n",
		"\r\r\n\r\n", "--B\r\n", "\r\n\r\n--", "\r\n",
	};
	static const char *const breaking[] = {
		"\r\n--B", "\r\n--B\r\n", "\r\n--B--", "\r\n--BB",
		"\r\n--B ", "\r\n--B-", "\r\n--B\n", "\r\n--B\r",
	};
	unsigned char every[512];
	struct multipart m;
	struct buf b;
	size_t i;

	for (i = 0; i < sizeof(every); i++)
		every[i] = (unsigned char)(i % 256);
	buf_init(&b);
	add_part(&b, "B", CDF("f", "all.bin"), every, sizeof(every));
	add_close(&b, "B");
	is_int(parse(a, CT, b.data, b.len, NULL, &m), MULTIPART_OK,
	    "every byte value");
	part_is(&m, 0, "f", "all.bin", "text/plain", (char *)every,
	    sizeof(every), "every byte value survives");

	/* After one byte: at the very start, "--B" would follow the CRLF
	 * of the empty line and be a delimiter. */
	for (i = 0; i < ARRAY_LEN(fragments); i++) {
		char *d = arena_printf(a, "a%s", fragments[i]);
		size_t n = strlen(d);

		buf_reset(&b);
		add_part(&b, "B", CDF("f", "x"), d, n);
		add_part(&b, "B", CDF("g", "y"), "a", 1);
		add_close(&b, "B");
		ok(parse(a, CT, b.data, b.len, NULL, &m) == MULTIPART_OK &&
		    m.count == 2 && m.parts[0].len == n &&
		    memcmp(m.parts[0].data, d, n) == 0,
		    "data \"%s\" at the end of a file", show(a, d, n));
		d = arena_printf(a, "a%stail", fragments[i]);
		n = strlen(d);
		buf_reset(&b);
		add_part(&b, "B", CD("t"), d, n);
		buf_puts(&b, "--B--");
		ok(parse(a, CT, b.data, b.len, NULL, &m) == MULTIPART_OK &&
		    m.count == 1 && strcmp(m.parts[0].data, d) == 0,
		    "data \"%s\" inside a text field", show(a, d, n));
	}
	BODY_IS(a, ONE(CDF("f", "x"), "--B"), MULTIPART_MALFORMED,
	    "data starting with --B: the empty line's CRLF makes a delimiter");
	for (i = 0; i < ARRAY_LEN(breaking); i++) {
		buf_reset(&b);
		buf_puts(&b, "--B\r\n" CDF("f", "x") "\r\nab");
		buf_puts(&b, breaking[i]);
		buf_puts(&b, "cd\r\n--B--\r\n");
		status_is(a, CT, b.data, b.len, NULL, MULTIPART_MALFORMED,
		    show(a, breaking[i], strlen(breaking[i])));
	}

	/* A text field must be text; a file may hold anything. */
	BODY_IS(a, ONE(CDF("f", "x"), "a\0b"), MULTIPART_OK, "NUL in a file");
	BODY_IS(a, ONE(CD("f"), "a\0b"), MULTIPART_MALFORMED,
	    "NUL in a text field");
	BODY_IS(a, ONE(CD("f"), "\xC3\x28"), MULTIPART_MALFORMED,
	    "invalid UTF-8 in a text field");
	BODY_IS(a, ONE(CD("f"), "\xED\xA0\x80"), MULTIPART_MALFORMED,
	    "a surrogate in a text field");
	BODY_IS(a, ONE(CD("f"), "\xE2\x82"), MULTIPART_MALFORMED,
	    "truncated UTF-8 in a text field");
	BODY_IS(a, ONE(CD("f") "Content-Type: application/octet-stream\r\n",
	    "\xFF"), MULTIPART_MALFORMED,
	    "a text field is text whatever its type");
	BODY_IS(a, ONE(CD("f"), "line\r\nline\ttab"), MULTIPART_OK,
	    "CR, LF and tab in a text field");
	buf_free(&b);
}

/* filename* (RFC 8187): UTF-8 only, %XX decoded, winning over filename,
 * then held to the same rules as any filename. */
static void
test_filename_ext(struct arena *a)
{
	static const struct {
		const char *params, *want;
	} good[] = {
		{ "filename*=UTF-8''a.txt", "a.txt" },
		{ "filename*=utf-8''a.txt", "a.txt" },
		{ "filename*=UTF-8'en'a.txt", "a.txt" },
		{ "filename*=UTF-8'en-GB'a.txt", "a.txt" },
		{ "filename*=UTF-8''%E2%82%AC%20rates.txt",
		    "\xE2\x82\xAC rates.txt" },
		{ "filename*=UTF-8''caf%c3%a9.png", "caf\xC3\xA9.png" },
		{ "filename*=UTF-8''%22q%22.txt", "\"q\".txt" },
		{ "filename*=UTF-8''a%2Fb%5Cc.txt", "c.txt" },
		{ "filename*=UTF-8''..", "" },
		{ "filename*=UTF-8''%2E%2E", "" },
		{ "filename*=UTF-8''", "" },
		{ "filename*=UTF-8''!#$&+-.^_`|~", "!#$&+-.^_`|~" },
		{ "filename=\"plain.txt\"; filename*=UTF-8''ext.txt", "ext.txt" },
		{ "filename*=UTF-8''ext.txt; filename=\"plain.txt\"", "ext.txt" },
		{ "filename=plain.txt; FILENAME*=UTF-8''ext.txt", "ext.txt" },
	};
	static const char *const bad[] = {
		"filename*=ISO-8859-1''a.txt",
		"filename*=''a.txt",
		"filename*=UTF-8'a.txt",
		"filename*=UTF-8",
		"filename*=UTF-8'en_GB'a.txt",
		"filename*=\"UTF-8''a.txt\"",
		"filename*=UTF-8''a%2",
		"filename*=UTF-8''a%zz.txt",
		"filename*=UTF-8''a%0A.txt",
		"filename*=UTF-8''a%00.txt",
		"filename*=UTF-8''%C2%85",
		"filename*=UTF-8''%FF.txt",
		"filename*=UTF-8''%C3",
		"filename*=UTF-8''a'b.txt",
		"filename*=UTF-8''a*b.txt",
		"filename*=UTF-8''a%b.txt",
		"filename*=UTF-8''a.txt; filename*=UTF-8''b.txt",
		"filename*=",
		"filename=\"a.txt\"; filename*=latin1''a.txt",
	};
	struct multipart m;
	const char *body;

	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		body = arena_printf(a, DELIM "Content-Disposition: form-data; "
		    "name=\"f\"; %s\r\n\r\nx\r\n" CLOSE, good[i].params);
		ok(parse(a, CT, body, strlen(body), NULL, &m) == MULTIPART_OK &&
		    m.count == 1 && strcmp(m.parts[0].filename,
		    good[i].want) == 0,
		    "%s is the file \"%s\"", good[i].params,
		    show(a, good[i].want, strlen(good[i].want)));
	}
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		body = arena_printf(a, DELIM "Content-Disposition: form-data; "
		    "name=\"f\"; %s\r\n\r\nx\r\n" CLOSE, bad[i]);
		status_is(a, CT, body, strlen(body), NULL, MULTIPART_MALFORMED,
		    arena_printf(a, "%s refused", bad[i]));
	}
}

/* Names and filenames: browser escapes, paths, control characters. */
static void
test_names(struct arena *a)
{
	static const struct {
		const char *sent, *want;
	} files[] = {
		{ "photo.jpg", "photo.jpg" },
		{ "C:\\Users\\me\\Pictures\\photo.jpg", "photo.jpg" },
		{ "/home/me/photo.jpg", "photo.jpg" },
		{ "../../etc/passwd", "passwd" },
		{ "..\\..\\boot.ini", "boot.ini" },
		{ "a/b\\c/d.png", "d.png" },
		{ "dir/", "" },
		{ "dir\\", "" },
		{ "..", "" },
		{ ".", "" },
		{ "a/..", "" },
		{ "...", "..." },
		{ ".profile", ".profile" },
		{ "a%22b.jpg", "a\"b.jpg" },
		{ "%22quoted%22.txt", "\"quoted\".txt" },
		{ "100%.jpg", "100%.jpg" },
		{ "%41.jpg", "%41.jpg" },
		{ "%2522.txt", "%2522.txt" },
		{ "%%22", "%\"" },
		{ "%2", "%2" },
		{ "a%2Fb", "a%2Fb" },
		{ "%22/x", "x" },
		{ "x/%22", "\"" },
		{ "caf\xC3\xA9 \xF0\x9F\x8E\xAB.png", "caf\xC3\xA9 \xF0\x9F\x8E\xAB.png" },
		{ "\xE2\x80\xAEgpj.exe", "\xE2\x80\xAEgpj.exe" },
		{ "a b  c.txt", "a b  c.txt" },
		{ "semi;colon=eq.txt", "semi;colon=eq.txt" },
	};
	static const char *const bad_files[] = {
		"a%0Ab", "a%0ab", "a%0Db", "a%0d%0ab", "a\tb", "a\x7F", "\xC2\x85",
		"\xC2\x9F", "\xFF.jpg", "\xC3", "\xED\xA0\x80", "\xC0\xAF",
	};
	static const struct {
		const char *sent, *want;
	} names[] = {
		{ "a", "a" },
		{ "csrf", "csrf" },
		{ "a%22b", "a\"b" },
		{ "100%", "100%" },
		{ "%41", "%41" },
		{ "a/b\\c", "a/b\\c" },
		{ "x[]", "x[]" },
		{ "\xC3\xA9t\xC3\xA9", "\xC3\xA9t\xC3\xA9" },
		{ " ", " " },
		{ "a;b=c", "a;b=c" },
	};
	static const char *const bad_names[] = {
		"", "%0A", "a%0Db", "a\tb", "\x7F", "\xC2\x80", "\xFF", "\xC3",
		"\xF4\x90\x80\x80",
	};
	struct multipart m;
	const char *body;

	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		body = arena_printf(a, DELIM "Content-Disposition: form-data; "
		    "name=\"f\"; filename=\"%s\"\r\n\r\nx\r\n" CLOSE,
		    files[i].sent);
		ok(parse(a, CT, body, strlen(body), NULL, &m) == MULTIPART_OK &&
		    strcmp(m.parts[0].filename, files[i].want) == 0,
		    "filename \"%s\" is \"%s\"", show(a, files[i].sent,
		    strlen(files[i].sent)), show(a, files[i].want,
		    strlen(files[i].want)));
	}
	for (size_t i = 0; i < ARRAY_LEN(bad_files); i++) {
		body = arena_printf(a, DELIM "Content-Disposition: form-data; "
		    "name=\"f\"; filename=\"%s\"\r\n\r\nx\r\n" CLOSE,
		    bad_files[i]);
		status_is(a, CT, body, strlen(body), NULL, MULTIPART_MALFORMED,
		    arena_printf(a, "filename \"%s\" refused",
		    show(a, bad_files[i], strlen(bad_files[i]))));
	}
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		body = arena_printf(a, DELIM "Content-Disposition: form-data; "
		    "name=\"%s\"\r\n\r\nx\r\n" CLOSE, names[i].sent);
		ok(parse(a, CT, body, strlen(body), NULL, &m) == MULTIPART_OK &&
		    strcmp(m.parts[0].name, names[i].want) == 0 &&
		    strcmp(multipart_field(m.parts, m.count, names[i].want),
		    "x") == 0,
		    "name \"%s\" is \"%s\"", show(a, names[i].sent,
		    strlen(names[i].sent)), show(a, names[i].want,
		    strlen(names[i].want)));
	}
	for (size_t i = 0; i < ARRAY_LEN(bad_names); i++) {
		body = arena_printf(a, DELIM "Content-Disposition: form-data; "
		    "name=\"%s\"\r\n\r\nx\r\n" CLOSE, bad_names[i]);
		status_is(a, CT, body, strlen(body), NULL, MULTIPART_MALFORMED,
		    arena_printf(a, "name \"%s\" refused",
		    show(a, bad_names[i], strlen(bad_names[i]))));
	}

	/* Quoted strings have no quoted-pair: a backslash is a byte, and an
	 * old-style \" escape ends the string early. */
	BODY_IS(a, ONE("Content-Disposition: form-data; name=\"f\"; "
	    "filename=\"a\\\"b\"\r\n", "x"), MULTIPART_MALFORMED,
	    "backslash-escaped quote in a filename is refused");
	test_filename_ext(a);
}

static void
test_malformed(struct arena *a)
{
	static const struct {
		const char *body, *what;
	} bad[] = {
		{ "", "empty body" },
		{ "hello", "no delimiter at all" },
		{ "--B\n" "Content-Disposition: form-data; name=\"a\"\n\nv\n"
		    "--B--\n", "LF-only line endings" },
		{ "--B\r\n" "Content-Disposition: form-data; name=\"a\"\n\r\nv"
		    "\r\n--B--\r\n", "header line ending in LF" },
		{ "--B\r\n" "Content-Disposition: form-data; name=\"a\"\r\n\n"
		    "v\r\n--B--\r\n", "empty line that is a bare LF" },
		{ "--B\r\n" "Content-Disposition: form-data;\r name=\"a\"\r\n"
		    "\r\nv\r\n--B--\r\n", "bare CR in a header" },
		{ "--B\r\n" CD("a") "\r\nv", "no close delimiter" },
		{ "--B\r\n" CD("a") "\r\nv\r\n", "body ends after data" },
		{ "--B\r\n" CD("a") "\r\nv\r\n--B", "body ends at a boundary" },
		{ "--B\r\n" CD("a") "\r\nv\r\n--B-", "half a close delimiter" },
		{ "--B\r\n" CD("a") "\r\nv\r\n--B--x", "data after close" },
		{ "--B\r\n" CD("a") "\r\nv\r\n--B-- \r\n", "space after close" },
		{ "--B\r\n" CD("a") "\r\nv\r\n--B--\r", "CR after close" },
		{ "--B\r\n" CD("a") "\r\nv\r\n--B--\n", "LF after close" },
		{ "--B\r\n" CD("a") "\r\nv\r\n--B--\r\nepilogue\r\n--B\r\n"
		    CD("b") "\r\nw\r\n--B--\r\n", "a part in the epilogue" },
		{ "--B\r\n" CD("a") "\r\nv\r\n--B--\r\n--B--\r\n",
		    "two close delimiters" },
		{ "--B \r\n" CD("a") "\r\nv\r\n--B--\r\n", "transport padding" },
		{ "--B\t\r\n" CD("a") "\r\nv\r\n--B--\r\n", "tab padding" },
		{ "--BB\r\n" CD("a") "\r\nv\r\n--B--\r\n",
		    "the boundary as a prefix of the first line" },
		{ "--B\r\n" CD("a") "\r\nv\r\n--Bx\r\n" CD("b") "\r\nw\r\n"
		    "--B--\r\n", "the boundary as a prefix of a later line" },
		{ "--B\r\n" CD("a") "\r\nv\r\n--B--x\r\n",
		    "close delimiter as a prefix" },
		{ "--B\r\n\r\nv\r\n--B--\r\n", "a part without headers" },
		{ "--B\r\n" CD("a") "\r\n--B--\r\n",
		    "headers without the empty line" },
		{ "--B\r\n" "Content-Disposition: form-data; name=\"a\"\r\n--B--\r\n",
		    "headers run into the delimiter" },
		{ "--B\r\n" "Content-Disposition: form-data; name=\"a\"--B--\r\n",
		    "header line without CRLF" },
		{ ONE("Content-Type: text/plain\r\n", "v"),
		    "no Content-Disposition" },
		{ ONE("Content-Disposition: attachment; name=\"a\"\r\n", "v"),
		    "disposition attachment" },
		{ ONE("Content-Disposition: inline\r\n", "v"), "inline" },
		{ ONE("Content-Disposition: form-datax; name=\"a\"\r\n", "v"),
		    "disposition form-datax" },
		{ ONE("Content-Disposition: \r\n", "v"), "empty disposition" },
		{ ONE("Content-Disposition: form-data\r\n", "v"), "no name" },
		{ ONE("Content-Disposition: form-data; filename=\"a\"\r\n", "v"),
		    "filename without name" },
		{ ONE("Content-Disposition: form-data; name=\"\"\r\n", "v"),
		    "empty name" },
		{ ONE("Content-Disposition: form-data; name=\r\n", "v"),
		    "name= with nothing" },
		{ ONE("Content-Disposition: form-data; name=\"a\"; "
		    "name=\"b\"\r\n", "v"), "name twice" },
		{ ONE("Content-Disposition: form-data; name=\"a\"; "
		    "NAME=\"a\"\r\n", "v"), "name twice, other case" },
		{ ONE("Content-Disposition: form-data; name=\"a\"; "
		    "filename=\"x\"; filename=\"y\"\r\n", "v"), "filename twice" },
		{ ONE("Content-Disposition: form-data; name=\"a\r\n", "v"),
		    "unterminated quoted name" },
		{ ONE("Content-Disposition: form-data; name=\"a\"x\r\n", "v"),
		    "garbage after the quoted name" },
		{ ONE("Content-Disposition: form-data; name=\"a\";\r\n", "v"),
		    "trailing ';'" },
		{ ONE("Content-Disposition: form-data;; name=\"a\"\r\n", "v"),
		    "empty parameter" },
		{ ONE("Content-Disposition: form-data name=\"a\"\r\n", "v"),
		    "missing ';'" },
		{ ONE("Content-Disposition: form-data; name = \"a\"\r\n", "v"),
		    "spaces around '='" },
		{ ONE("Content-Disposition: form-data; name=a b\r\n", "v"),
		    "space in a token" },
		{ ONE("Content-Disposition: form-data; =\"a\"\r\n", "v"),
		    "parameter without name" },
		{ ONE(CD("a") CD("a"), "v"), "Content-Disposition twice" },
		{ ONE(CD("a") CD("b"), "v"), "two different dispositions" },
		{ ONE(CD("a") "Content-Type: text/plain\r\ncontent-type: "
		    "text/html\r\n", "v"), "Content-Type twice" },
		{ ONE(CD("a") "Content-Transfer-Encoding: binary\r\n"
		    "Content-Transfer-Encoding: binary\r\n", "v"),
		    "Content-Transfer-Encoding twice" },
		{ ONE(CD("a") "Content-Transfer-Encoding: base64\r\n", "dg=="),
		    "base64 transfer encoding" },
		{ ONE(CD("a") "Content-Transfer-Encoding: quoted-printable\r\n",
		    "v"), "quoted-printable transfer encoding" },
		{ ONE(CD("a") "Content-Transfer-Encoding: binary, 8bit\r\n",
		    "v"), "two transfer encodings" },
		{ ONE(CD("a") "Content-Transfer-Encoding:\r\n", "v"),
		    "empty transfer encoding" },
		{ ONE("Content-Disposition: form-data;\r\n name=\"a\"\r\n", "v"),
		    "folded header line" },
		{ ONE(CD("a") "\tX-Fold: y\r\n", "v"), "line starting with tab" },
		{ ONE("Content-Disposition form-data; name=\"a\"\r\n", "v"),
		    "header without colon" },
		{ ONE("Content-Disposition : form-data; name=\"a\"\r\n", "v"),
		    "space before the colon" },
		{ ONE(CD("a") ": x\r\n", "v"), "empty header name" },
		{ ONE(CD("a") "X(y): z\r\n", "v"), "header name not a token" },
		{ ONE(CD("a") "X-A: b\x01\r\n", "v"), "control char in a header" },
		{ ONE(CD("a") "X-A: b\x7F\r\n", "v"), "DEL in a header" },
		{ ONE(CD("a") "Content-Type: image\r\n", "v"), "type only" },
		{ ONE(CD("a") "Content-Type: /jpeg\r\n", "v"), "subtype only" },
		{ ONE(CD("a") "Content-Type: image/\r\n", "v"), "empty subtype" },
		{ ONE(CD("a") "Content-Type: image/jpeg x\r\n", "v"),
		    "garbage after the type" },
		{ ONE(CD("a") "Content-Type: image/jp\"eg\r\n", "v"),
		    "quote in the type" },
		{ ONE(CD("a") "Content-Type:\r\n", "v"), "empty type" },
	};
	struct multipart m;

	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		status_is(a, CT, bad[i].body, strlen(bad[i].body), NULL,
		    MULTIPART_MALFORMED, bad[i].what);
	BODY_IS(a, ONE(CD("a"), "v\0"), MULTIPART_MALFORMED,
	    "NUL before the delimiter of a text field");
	BODY_IS(a, ONE("Content-Disposition: form-data; name=\"a\0\"\r\n", "v"),
	    MULTIPART_MALFORMED, "NUL in a name");
	BODY_IS(a, ONE(CD("a") "X-A: \0\r\n", "v"), MULTIPART_MALFORMED,
	    "NUL in an ignored header");
	is_int(parse(a, CT, NULL, 0, NULL, &m), MULTIPART_MALFORMED,
	    "NULL body of length 0");
}

/* Every limit at its edge and one past, with small limits and with the
 * defaults. */
static void
test_limits(struct arena *a)
{
	struct multipart_limits lim = multipart_default_limits;
	static const char hdr[] = CD("a");
	struct multipart m;
	struct buf b;
	char *big;
	size_t i;

	is_int(multipart_default_limits.max_parts, 64, "default parts");
	is_int(multipart_default_limits.max_header_bytes, 2048,
	    "default header bytes");
	is_int(multipart_default_limits.max_name_len, 64, "default name len");
	is_int(multipart_default_limits.max_field_len, 16 * 1024,
	    "default field len");
	is_int(multipart_default_limits.max_file_len, 16 * 1024 * 1024,
	    "default file len");
	is_int(multipart_default_limits.max_body_len, 20 * 1024 * 1024,
	    "default body len");

	buf_init(&b);
	/* max_parts counts files and fields. */
	for (i = 0; i < 4; i++)
		add_part(&b, "B", i % 2 ? CD("a") : CDF("f", "x"), "v", 1);
	buf_puts(&b, "--B--");
	lim.max_parts = 4;
	status_is(a, CT, b.data, b.len, &lim, MULTIPART_OK, "parts at max");
	lim.max_parts = 3;
	status_is(a, CT, b.data, b.len, &lim, MULTIPART_TOO_MANY,
	    "parts over max");
	b.data[b.len - 1] = 'x';
	status_is(a, CT, b.data, b.len, &lim, MULTIPART_TOO_MANY,
	    "parts are counted before the close is checked");
	lim.max_parts = 0;
	status_is(a, CT, "--B--", 5, &lim, MULTIPART_OK, "max_parts 0, none");
	status_is(a, CT, b.data, b.len, &lim, MULTIPART_TOO_MANY,
	    "max_parts 0, four");
	buf_reset(&b);
	add_part(&b, "B", "X: y\r\n", "v", 1);
	add_part(&b, "B", CD("a"), "v", 1);
	add_close(&b, "B");
	lim.max_parts = 1;
	status_is(a, CT, b.data, b.len, &lim, MULTIPART_TOO_MANY,
	    "parts are counted before any is read");
	lim = multipart_default_limits;

	/* max_header_bytes: the lines with their CRLFs, not the empty line. */
	lim.max_header_bytes = sizeof(hdr) - 1;
	status_is(a, CT, ONE(CD("a"), "v"), sizeof(ONE(CD("a"), "v")) - 1,
	    &lim, MULTIPART_OK, "headers at max");
	status_is(a, CT, ONE(CD("a"), ""), sizeof(ONE(CD("a"), "")) - 1, &lim,
	    MULTIPART_OK, "headers at max, empty data");
	lim.max_header_bytes = sizeof(hdr) - 2;
	status_is(a, CT, ONE(CD("a"), "v"), sizeof(ONE(CD("a"), "v")) - 1,
	    &lim, MULTIPART_TOO_LARGE, "headers one over max");
	status_is(a, CT, ONE(CD("a"), ""), sizeof(ONE(CD("a"), "")) - 1, &lim,
	    MULTIPART_TOO_LARGE, "headers one over max, empty data");
	lim.max_header_bytes = sizeof(hdr) - 1 + 26;
	status_is(a, CT, ONE(CD("a") "Content-Type: image/jpeg\r\n", "v"),
	    sizeof(ONE(CD("a") "Content-Type: image/jpeg\r\n", "v")) - 1, &lim,
	    MULTIPART_OK, "two header lines at max");
	status_is(a, CT, ONE(CD("a") "Content-Type: image/jpegg\r\n", "v"),
	    sizeof(ONE(CD("a") "Content-Type: image/jpegg\r\n", "v")) - 1,
	    &lim, MULTIPART_TOO_LARGE, "two header lines one over max");
	lim.max_header_bytes = 0;
	status_is(a, CT, ONE("", "v"), sizeof(ONE("", "v")) - 1, &lim,
	    MULTIPART_MALFORMED, "max_header_bytes 0: no headers, no name");
	status_is(a, CT, ONE(CD("a"), "v"), sizeof(ONE(CD("a"), "v")) - 1,
	    &lim, MULTIPART_TOO_LARGE, "max_header_bytes 0");
	lim = multipart_default_limits;

	/* max_name_len: bytes after %22 decoding. */
	lim.max_name_len = 4;
	status_is(a, CT, ONE(CD("abcd"), "v"), sizeof(ONE(CD("abcd"), "v")) -
	    1, &lim, MULTIPART_OK, "name at max");
	status_is(a, CT, ONE(CD("abcde"), "v"), sizeof(ONE(CD("abcde"), "v")) -
	    1, &lim, MULTIPART_MALFORMED, "name one over max");
	status_is(a, CT, ONE(CD("%22%22%22%22"), "v"),
	    sizeof(ONE(CD("%22%22%22%22"), "v")) - 1, &lim, MULTIPART_OK,
	    "name limit counts decoded bytes");
	status_is(a, CT, ONE(CD("\xC3\xA9\xC3\xA9x"), "v"),
	    sizeof(ONE(CD("\xC3\xA9\xC3\xA9x"), "v")) - 1, &lim,
	    MULTIPART_MALFORMED, "name limit is in bytes");
	lim = multipart_default_limits;

	/* max_field_len: text fields only. */
	lim.max_field_len = 3;
	status_is(a, CT, ONE(CD("a"), "abc"), sizeof(ONE(CD("a"), "abc")) - 1,
	    &lim, MULTIPART_OK, "field at max");
	status_is(a, CT, ONE(CD("a"), "abcd"), sizeof(ONE(CD("a"), "abcd")) -
	    1, &lim, MULTIPART_TOO_LARGE, "field one over max");
	status_is(a, CT, ONE(CDF("a", "f"), "abcdefgh"),
	    sizeof(ONE(CDF("a", "f"), "abcdefgh")) - 1, &lim, MULTIPART_OK,
	    "files are not held to max_field_len");
	status_is(a, CT, ONE(CD("a"), "ab\xFF\xFF"),
	    sizeof(ONE(CD("a"), "ab\xFF\xFF")) - 1, &lim, MULTIPART_TOO_LARGE,
	    "size is checked before UTF-8");
	lim.max_field_len = 0;
	status_is(a, CT, ONE(CD("a"), ""), sizeof(ONE(CD("a"), "")) - 1, &lim,
	    MULTIPART_OK, "max_field_len 0, empty field");
	status_is(a, CT, ONE(CD("a"), "x"), sizeof(ONE(CD("a"), "x")) - 1,
	    &lim, MULTIPART_TOO_LARGE, "max_field_len 0, one byte");
	lim = multipart_default_limits;

	/* The defaults, at and one past each edge. */
	buf_reset(&b);
	for (i = 0; i < 64; i++)
		add_part(&b, "B", CD("a"), "v", 1);
	add_close(&b, "B");
	is_int(parse(a, CT, b.data, b.len, NULL, &m), MULTIPART_OK,
	    "64 parts by default");
	is_int(m.count, 64, "all 64 kept");
	buf_reset(&b);
	for (i = 0; i < 65; i++)
		add_part(&b, "B", CD("a"), "v", 1);
	add_close(&b, "B");
	status_is(a, CT, b.data, b.len, NULL, MULTIPART_TOO_MANY,
	    "65 parts refused");

	big = arena_alloc(a, 16 * 1024 + 2);
	memset(big, 'x', 16 * 1024 + 1);
	for (i = 0; i < 2; i++) {
		buf_reset(&b);
		add_part(&b, "B", CD("a"), big, 16 * 1024 + i);
		add_close(&b, "B");
		status_is(a, CT, b.data, b.len, NULL,
		    i ? MULTIPART_TOO_LARGE : MULTIPART_OK,
		    i ? "16 KiB + 1 field refused" : "16 KiB field");
	}
	for (i = 0; i < 2; i++) {
		big[64 + i] = '\0';
		buf_reset(&b);
		buf_printf(&b, "--B\r\nContent-Disposition: form-data; "
		    "name=\"%s\"\r\n\r\nv\r\n--B--", big);
		status_is(a, CT, b.data, b.len, NULL,
		    i ? MULTIPART_MALFORMED : MULTIPART_OK,
		    i ? "65-byte name refused" : "64-byte name");
		big[64 + i] = 'x';
	}
	for (i = 0; i < 2; i++) {
		/* One header line padded to 2048 bytes with its CRLF. */
		static const char pre[] = "Content-Disposition: form-data; "
		    "name=\"a\"; pad=\"";
		size_t pad = 2048 - (sizeof(pre) - 1) - 3 + i;

		buf_reset(&b);
		buf_printf(&b, "--B\r\n%s%.*s\"\r\n\r\nv\r\n--B--", pre,
		    (int)pad, big);
		status_is(a, CT, b.data, b.len, NULL,
		    i ? MULTIPART_TOO_LARGE : MULTIPART_OK,
		    i ? "2049 header bytes refused" : "2048 header bytes");
	}
	/* A huge file part with huge headers is refused on its headers. */
	buf_reset(&b);
	buf_puts(&b, "--B\r\nX-Long: ");
	for (i = 0; i < 100; i++)
		buf_append(&b, big, 1000);
	buf_puts(&b, "\r\n" CDF("f", "x") "\r\nv\r\n--B--");
	status_is(a, CT, b.data, b.len, NULL, MULTIPART_TOO_LARGE,
	    "100 KB header line refused");
	buf_free(&b);
}

/*
 * Every prefix of a valid body is refused as malformed, and never read
 * past: the one ending just after the close delimiter is the whole form
 * without its last CRLF.
 */
static void
test_truncated(struct arena *a)
{
	static const char png[] = "\x89PNG\r\n\x1A\n\0\0\0\rIHDR\r\n-"
	    CR_B "--\r\n";
	struct multipart m;
	struct buf b;
	size_t i, bad = 0, closed;

	buf_init(&b);
	add_part(&b, CR_B, CD("csrf"), "q8dZ1yG3m0WtJ5sX", 16);
	add_part(&b, CR_B, CD("empty"), "", 0);
	add_part(&b, CR_B, CDF("picture", "a.png")
	    "Content-Type: image/png\r\n", png, sizeof(png) - 1);
	add_close(&b, CR_B);
	closed = b.len - 2;
	for (i = 0; i < b.len; i++) {
		enum multipart_status st;

		m.reason = NULL;
		st = parse(a, CR_CT, b.data, i, NULL, &m);
		if (i == closed ? st != MULTIPART_OK || m.count != 3 :
		    st != MULTIPART_MALFORMED || m.count != 0 ||
		    m.parts != NULL || m.reason == NULL) {
			if (bad++ < 5)
				printf("# prefix of %zu bytes: %d (%s)\n", i,
				    st, m.reason);
		}
	}
	is_int(bad, 0, "each of %zu prefixes refused, but the closed one",
	    b.len);
	is_int(parse(a, CR_CT, b.data, b.len, NULL, &m), MULTIPART_OK,
	    "the whole body parses");
	part_is(&m, 2, "picture", "a.png", "image/png", png, sizeof(png) - 1,
	    "with its picture");

	/* Also cut inside a delimiter of a body whose data is all CRLFs. */
	buf_reset(&b);
	add_part(&b, "B", CDF("f", "x"), "\r\n\r\n\r\n\r\n", 8);
	add_close(&b, "B");
	for (i = bad = 0; i < b.len - 2; i++)
		if (parse(a, CT, b.data, i, NULL, &m) != MULTIPART_MALFORMED)
			bad++;
	is_int(bad, 0, "each prefix of a CRLF-only file refused");
	buf_free(&b);
}

static void
test_lookup(struct arena *a)
{
	static const char body[] =
	    DELIM CDF("csrf", "csrf.txt") "\r\nfile\r\n"
	    DELIM CD("csrf") "\r\nfirst\r\n"
	    DELIM CD("csrf") "\r\nsecond\r\n"
	    DELIM CD("picture") "\r\nnot a file\r\n"
	    DELIM CDF("picture", "p.jpg") "\r\nJPEG\r\n"
	    DELIM CDF("picture", "q.jpg") "\r\nJPEG2\r\n"
	    DELIM CD("Empty") "\r\n\r\n"
	    CLOSE;
	struct multipart m;
	const struct multipart_part *f;

	is_int(parse(a, CT, body, sizeof(body) - 1, NULL, &m), MULTIPART_OK,
	    "lookup body");
	is_int(m.count, 7, "seven parts, duplicates kept");
	is_str(multipart_field(m.parts, m.count, "csrf"), "first",
	    "field: first text field, the file of that name skipped");
	is_str(multipart_field(m.parts, m.count, "picture"), "not a file",
	    "field: the text field named like a file");
	is_str(multipart_field(m.parts, m.count, "Empty"), "", "empty field");
	is_str(multipart_field(m.parts, m.count, "empty"), NULL,
	    "names are case-sensitive");
	is_str(multipart_field(m.parts, m.count, "csr"), NULL,
	    "no prefix match");
	is_str(multipart_field(m.parts, m.count, ""), NULL, "empty name");
	f = multipart_file(m.parts, m.count, "picture");
	ok(f != NULL && strcmp(f->filename, "p.jpg") == 0 && f->len == 4 &&
	    memcmp(f->data, "JPEG", 4) == 0,
	    "file: the first file part, the text field skipped");
	f = multipart_file(m.parts, m.count, "csrf");
	ok(f != NULL && strcmp(f->filename, "csrf.txt") == 0,
	    "file: a file named like a field");
	ok(multipart_file(m.parts, m.count, "Empty") == NULL,
	    "file: a text field is not a file");
	ok(multipart_file(m.parts, m.count, "nope") == NULL, "file: absent");
	is_str(multipart_field(NULL, 0, "csrf"), NULL, "field in no parts");
	ok(multipart_file(NULL, 0, "csrf") == NULL, "file in no parts");
}

static void
test_status(void)
{
	is_int(multipart_http_status(MULTIPART_OK), 0, "OK is 0");
	is_int(multipart_http_status(MULTIPART_MALFORMED), 400,
	    "malformed is 400");
	is_int(multipart_http_status(MULTIPART_TOO_MANY), 413,
	    "too many is 413");
	is_int(multipart_http_status(MULTIPART_TOO_LARGE), 413,
	    "too large is 413");
	is_int(multipart_http_status(MULTIPART_UNSUPPORTED), 415,
	    "unsupported is 415");
}

/* s as a browser writes it in a quoted name: '"', CR, LF escaped. */
static char *
browser_escape(struct arena *a, const char *s, size_t len)
{
	char *out = arena_alloc(a, len * 3 + 1), *p = out;

	for (size_t i = 0; i < len; i++) {
		const char *e = s[i] == '"' ? "%22" : s[i] == '\r' ? "%0D" :
		    s[i] == '\n' ? "%0A" : NULL;

		if (e != NULL) {
			memcpy(p, e, 3);
			p += 3;
		} else
			*p++ = s[i];
	}
	*p = '\0';
	return out;
}

/* 1 if s holds a C0 control, DEL or a C1 control (as UTF-8). */
static int
has_control(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F ||
		    ((unsigned char)s[i] == 0xC2 && i + 1 < len &&
		    (unsigned char)s[i + 1] <= 0x9F))
			return 1;
	return 0;
}

/*
 * The naughty strings as a text field's value (round trip when valid
 * UTF-8 without NUL, else refused), as a name and as a filename (round
 * trip when clean, else a clean refusal; the only change allowed is a
 * literal "%22" read as '"', the browsers' own ambiguity, and a filename
 * cut after its last slash).
 */
static void
test_blns(void)
{
	static const char bnd[] = "----TesseraBoundaryq8dZ1yG3m0WtJ5sX";
	struct json_object *list = blns_load();
	struct multipart_limits lim = multipart_default_limits;
	struct multipart m;
	struct arena w;
	struct buf b;
	char ct[100];
	size_t count, vals = 0, names = 0, files = 0, fed = 0;

	if (list == NULL)
		return;
	lim.max_name_len = 1024;
	lim.max_header_bytes = 4096;
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", bnd);
	count = json_object_array_length(list);
	ok(count > 500, "blns has %zu strings", count);
	arena_init(&w, 0);
	buf_init(&b);
	for (size_t i = 0; i < count; i++) {
		struct json_object *item = json_object_array_get_idx(list, i);
		const char *s = json_object_get_string(item);
		size_t len = (size_t)json_object_get_string_len(item);
		int clean = url_utf8_valid(s, len);
		int clean_name = clean && len > 0 && !has_control(s, len);
		enum multipart_status st;
		const char *esc = browser_escape(&w, s, len), *want, *base;
		char *dec;

		/* As a value. */
		buf_reset(&b);
		add_part(&b, bnd, CD("v"), s, len);
		add_close(&b, bnd);
		st = parse(&w, ct, b.data, b.len, &lim, &m);
		fed += bytewise_differ(&w, ct, b.data, b.len, &lim);
		if (clean ? st == MULTIPART_OK && m.parts[0].len == len &&
		    memcmp(m.parts[0].data, s, len) == 0 &&
		    strcmp(multipart_field(m.parts, m.count, "v"), s) == 0 :
		    st == MULTIPART_MALFORMED && m.count == 0)
			vals++;
		else
			printf("# blns %zu as a value: %d (%s)\n", i, st,
			    m.reason);

		/* What a browser-escaped name decodes to. */
		dec = arena_strdup(&w, esc);
		for (char *p = dec; (p = strstr(p, "%22")) != NULL; p++)
			memmove(p + 1, p + 3, strlen(p + 3) + 1), *p = '"';
		want = dec;
		if (strstr(esc, "%0D") || strstr(esc, "%0A") ||
		    strstr(esc, "%0d") || strstr(esc, "%0a"))
			clean_name = 0;

		/* As a name. */
		buf_reset(&b);
		buf_printf(&b, "--%s\r\nContent-Disposition: form-data; "
		    "name=\"%s\"\r\n\r\nv\r\n--%s--\r\n", bnd, esc, bnd);
		st = parse(&w, ct, b.data, b.len, &lim, &m);
		fed += bytewise_differ(&w, ct, b.data, b.len, &lim);
		if (clean_name ? st == MULTIPART_OK &&
		    strcmp(m.parts[0].name, want) == 0 &&
		    strcmp(multipart_field(m.parts, m.count, want), "v") == 0 :
		    st == MULTIPART_MALFORMED && m.count == 0)
			names++;
		else
			printf("# blns %zu as a name: %d (%s)\n", i, st,
			    m.reason);

		/* As a filename. */
		buf_reset(&b);
		buf_printf(&b, "--%s\r\nContent-Disposition: form-data; "
		    "name=\"f\"; filename=\"%s\"\r\n\r\nv\r\n--%s--\r\n", bnd,
		    esc, bnd);
		st = parse(&w, ct, b.data, b.len, &lim, &m);
		fed += bytewise_differ(&w, ct, b.data, b.len, &lim);
		for (base = want + strlen(want); base > want &&
		    base[-1] != '/' && base[-1] != '\\'; base--)
			;
		if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
			base = "";
		if (clean_name || (clean && len == 0) ?
		    st == MULTIPART_OK &&
		    strcmp(m.parts[0].filename, base) == 0 &&
		    multipart_file(m.parts, m.count, "f") == &m.parts[0] :
		    st == MULTIPART_MALFORMED && m.count == 0)
			files++;
		else
			printf("# blns %zu as a filename: %d (%s)\n", i, st,
			    m.reason);
		arena_reset(&w);
	}
	is_int(vals, count, "every naughty value round-trips or is refused");
	is_int(names, count, "every naughty name round-trips or is refused");
	is_int(files, count,
	    "every naughty filename round-trips or is refused");
	is_int(fed, 0, "and each of those bodies fed byte by byte, or in "
	    "7-byte chunks, answers the same");
	buf_free(&b);
	arena_free(&w);
	json_object_put(list);
}

/* What the dispatcher hands a handler: the text fields as its form, the
 * files apart. */
static void
test_request_form(struct arena *a)
{
	static const char body[] =
	    DELIM CD("csrf") "\r\n" "tok" "\r\n"
	    DELIM CDF("picture", "cat.jpg") "Content-Type: image/jpeg\r\n\r\n"
	    "\xff\xd8\xff" "\r\n"
	    DELIM CD("title") "\r\n" "A cat" "\r\n" CLOSE;
	struct multipart mp, files;
	struct params form;

	if (!ok(parse(a, CT, body, sizeof(body) - 1,
	    &multipart_default_limits, &mp) == MULTIPART_OK,
	    "a form with a file and two fields parses"))
		return;
	request_multipart_form(a, &mp, &form, &files);
	is_int(form.count, 2, "its two text fields become the form");
	is_str(params_get(&form, "csrf"), "tok", "with the token");
	is_str(params_get(&form, "title"), "A cat", "and the title");
	is_int(params_get(&form, "picture") == NULL, 1, "but not the file");
	is_int(files.count, 1, "the file stays apart");
	is_str(files.parts[0].filename, "cat.jpg", "with its name");
	is_int(files.parts[0].len, 3, "and its bytes");
}

/* Files in dir, "." and ".." aside. */
static int
files_in(const char *dir)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(dir);

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* The spool: exclusive private files under random names, the handler's
 * lookup of one upload, the discard at the end of a request and the sweep
 * of what a dead worker left. */
static void
test_spool(struct arena *a)
{
	char root[] = "/tmp/tessera-spool-XXXXXX";
	const char *p1, *p2, *tmp;
	struct multipart_part parts[3];
	struct request r;
	struct utimbuf old;
	struct stat st;
	int fd1, fd2;

	if (!ok(mkdtemp(root) != NULL, "a media folder"))
		return;
	tmp = arena_printf(a, "%s/" SPOOL_DIR, root);
	ok(spool_create(a, root, &p1) == -1, "no tmp/ folder: no file");
	mkdir(tmp, 0700);
	fd1 = spool_create(a, root, &p1);
	fd2 = spool_create(a, root, &p2);
	ok(fd1 >= 0 && fd2 >= 0 && strcmp(p1, p2) != 0,
	    "two spool files, two names");
	ok(strncmp(p1, tmp, strlen(tmp)) == 0 && p1[strlen(tmp)] == '/',
	    "in <media>/tmp");
	ok(stat(p1, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "mode 0600");
	close(fd1);
	close(fd2);

	memset(parts, 0, sizeof(parts));
	parts[0] = (struct multipart_part){ "picture", "a.jpg", "image/jpeg",
		NULL, p1, 0 };
	parts[1] = (struct multipart_part){ "other", "b.jpg", "image/jpeg",
		NULL, p2, 0 };
	memset(&r, 0, sizeof(r));
	r.upload.parts = parts;
	r.upload.count = 2;
	ok(request_upload(&r, "picture") == &parts[0], "request_upload finds it");
	ok(request_upload(&r, "nope") == NULL, "none of that name: NULL");
	parts[2] = parts[0];
	r.upload.count = 3;
	ok(request_upload(&r, "picture") == NULL, "two of that name: NULL");
	r.upload.count = 2;
	/* A handler keeps a file by renaming it away. */
	ok(rename(p2, arena_printf(a, "%s/kept", root)) == 0, "one kept");
	request_discard_uploads(&r);
	is_int(files_in(tmp), 0, "the end of the request empties the spool");
	is_int(r.upload.count, 0, "and forgets the files");
	unlink(arena_printf(a, "%s/kept", root));

	fd1 = spool_create(a, root, &p1);
	fd2 = spool_create(a, root, &p2);
	close(fd1);
	close(fd2);
	old.actime = old.modtime = time(NULL) - SPOOL_MAX_AGE_SECONDS - 10;
	utime(p1, &old);
	fd1 = open(arena_printf(a, "%s/other", tmp), O_CREAT | O_WRONLY, 0600);
	close(fd1);
	utime(arena_printf(a, "%s/other", tmp), &old);
	is_int(spool_sweep(root, SPOOL_MAX_AGE_SECONDS), 1,
	    "the sweep removes the old spool file");
	ok(access(p1, F_OK) != 0 && access(p2, F_OK) == 0,
	    "and leaves the fresh one");
	ok(access(arena_printf(a, "%s/other", tmp), F_OK) == 0,
	    "and files that are not spool files");
	unlink(p2);
	unlink(arena_printf(a, "%s/other", tmp));
	rmdir(tmp);
	is_int(spool_sweep(root, SPOOL_MAX_AGE_SECONDS), -1,
	    "a missing spool: -1");
	rmdir(root);
}

/* A parse's result with its files read back, to compare two parses. */
struct outcome {
	enum multipart_status st;
	const char *reason;
	struct multipart m;
};

static void
outcome_settle(struct arena *a, struct outcome *o)
{
	settle(a, o->st, &o->m);
}

/* 1 if two parses gave the same answer, parts and bytes. */
static int
same_outcome(const struct outcome *x, const struct outcome *y)
{
	if (x->st != y->st || strcmp(x->reason, y->reason) != 0 ||
	    x->m.count != y->m.count)
		return 0;
	for (size_t i = 0; i < x->m.count; i++) {
		const struct multipart_part *p = &x->m.parts[i], *q = &y->m.parts[i];

		if (strcmp(p->name, q->name) != 0 ||
		    (p->filename == NULL) != (q->filename == NULL) ||
		    (p->filename && strcmp(p->filename, q->filename) != 0) ||
		    strcmp(p->content_type, q->content_type) != 0 ||
		    p->len != q->len || memcmp(p->data, q->data, p->len) != 0)
			return 0;
	}
	return 1;
}

/* Feeds body[0..len) in chunks of the sizes in cuts (the last repeated),
 * each from a heap copy of exactly its size. */
static void
feed_chunks(struct arena *a, const char *ct, const char *body, size_t len,
    const struct multipart_limits *lim, const size_t *cuts, size_t ncuts,
    struct outcome *o)
{
	struct multipart_parser *p = multipart_parser_new(a, ct, lim, media);
	size_t off = 0, k = 0;

	while (off < len) {
		size_t n = cuts[k < ncuts ? k : ncuts - 1];
		char *copy;

		k++;
		if (n > len - off)
			n = len - off;
		copy = xmalloc(n ? n : 1);
		memcpy(copy, body + off, n);
		multipart_parser_feed(p, copy, n);
		free(copy);
		off += n;
	}
	o->st = multipart_parser_finish(p, &o->m);
	o->reason = o->m.reason;
	outcome_settle(a, o);
}

/*
 * body fed in two chunks split at every offset, and one byte at a time,
 * gives what the whole body gives. Returns the number of feedings that
 * differed (0), after a diagnostic line for the first.
 */
static size_t
chunks_differ(struct arena *a, const char *ct, const char *body, size_t len,
    const struct multipart_limits *lim)
{
	struct outcome whole, split;
	size_t cuts[2], one = 1, bad = 0;

	whole.st = multipart_parse(a, ct, body, len, lim, media, &whole.m);
	whole.reason = whole.m.reason;
	outcome_settle(a, &whole);
	for (size_t i = 0; i <= len; i++) {
		cuts[0] = i;
		cuts[1] = len;
		feed_chunks(a, ct, body, len, lim, cuts, 2, &split);
		if (!same_outcome(&whole, &split) && bad++ == 0)
			printf("# split at %zu of %zu: %d (%s), whole: %d (%s)\n",
			    i, len, split.st, split.reason, whole.st,
			    whole.reason);
	}
	feed_chunks(a, ct, body, len, lim, &one, 1, &split);
	if (!same_outcome(&whole, &split) && bad++ == 0)
		printf("# byte by byte: %d (%s), whole: %d (%s)\n", split.st,
		    split.reason, whole.st, whole.reason);
	return bad;
}

/* body fed one byte at a time and in 7-byte chunks answers as the whole
 * body does: 0, or 1 after a diagnostic line. */
static size_t
bytewise_differ(struct arena *a, const char *ct, const char *body,
    size_t len, const struct multipart_limits *lim)
{
	static const size_t sizes[] = { 1, 7 };
	struct outcome whole, fed;

	whole.st = multipart_parse(a, ct, body, len, lim, media, &whole.m);
	whole.reason = whole.m.reason;
	outcome_settle(a, &whole);
	for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
		feed_chunks(a, ct, body, len, lim, &sizes[i], 1, &fed);
		if (!same_outcome(&whole, &fed)) {
			printf("# in %zu-byte chunks: %d (%s), whole: %d (%s)\n",
			    sizes[i], fed.st, fed.reason, whole.st, whole.reason);
			return 1;
		}
	}
	return 0;
}

/*
 * The streaming parser: every body of a set, good and bad, cut in two at
 * every byte and fed byte by byte, answers as the whole body does; with
 * tight limits too, so each limit is crossed at every chunk edge.
 */
static void
test_chunks(struct arena *a)
{
	static const char *const bodies[] = {
		ONE(CD("a"), "v"),
		ONE(CDF("f", "x.bin") "Content-Type: image/png\r\n",
		    "\r\n--B-\r\n--\r\r\n-B--"),
		DELIM CD("csrf") "\r\ntok\r\n" DELIM CDF("p", "a.jpg")
		    "\r\n\xFF\xD8\r\n\r\n" DELIM CD("t") "\r\nA cat\r\n" CLOSE,
		"preamble\r\n--B\r\n" CD("a") "\r\nv\r\n--B--\r\nepilogue",
		"\r\n--B\r\n" CD("a") "\r\n\r\n--B--",
		"--B--",
		"--B--\r\n\r\n",
		DELIM CD("a") "\r\nv\r\n--B--\r\n--B--\r\n",
		DELIM CD("a") "\r\nv\r\n--Bx\r\n" CD("b") "\r\nw\r\n--B--\r\n",
		DELIM "X: y\r\n\r\nv\r\n" DELIM CD("a") "\r\nw\r\n" CLOSE,
		DELIM CD("a") "\r\nv\r\n" DELIM CD("b") "\r\nw\r\n"
		    DELIM CD("c") "\r\nx\r\n" DELIM CDF("d", "y") "\r\nz\r\n"
		    DELIM CD("e") "\r\n\xFF\r\n--B-x",
		DELIM CD("a") "\r\nv\r\n--B",
		DELIM CD("a") "\r\nv\r\n--B-",
		DELIM CD("a") "\r\n\xC3\r\n" CLOSE,
		DELIM "Content-Disposition: form-data; name=\"f\"; "
		    "filename*=UTF-8''%E2%82%AC.txt\r\n\r\neuro\r\n" CLOSE,
		DELIM "Content-Disposition: form-data; name=\"averyveryverylongname\"\r\n"
		    "\r\nv\r\n" CLOSE,
		DELIM CD("a") "Content-Type: text/plain; charset=utf-8\r\n"
		    "X-Pad: 0123456789012345678901234567890123456789\r\n"
		    "\r\nv\r\n" CLOSE,
		DELIM CDF("f", "big") "\r\n0123456789abcdefghijklmnopqrstuvwxyz"
		    "0123456789abcdefghijklmnopqrstuvwxyz\r\n" CLOSE,
		DELIM CD("a") "\r\n0123456789abcdefghijklmnopqrstuvwxyz\r\n"
		    CLOSE,
		DELIM CD("a") "\r\n\r\n--B\r\n" CD("b") "\r\n\r\n--B--\r\n",
		DELIM "Content-Disposition: form-data; name=\"a\"\r\n--B--\r\n",
		"--B\n" CD("a") "\r\nv\r\n" CLOSE,
		"--B \r\n" CD("a") "\r\nv\r\n" CLOSE,
		"no boundary here at all",
		"--",
		"",
	};
	/* Each limit small enough that some body above crosses it. */
	static const struct multipart_limits tight = {
		.max_parts = 3,
		.max_header_bytes = 60,
		.max_name_len = 8,
		.max_field_len = 20,
		.max_file_len = 40,
		.max_body_len = 150,
	};
	size_t bad = 0, bad_tight = 0;

	for (size_t i = 0; i < ARRAY_LEN(bodies); i++) {
		bad += chunks_differ(a, CT, bodies[i], strlen(bodies[i]), NULL);
		bad_tight += chunks_differ(a, CT, bodies[i], strlen(bodies[i]),
		    &tight);
	}
	is_int(bad, 0, "%zu bodies, split at every byte and byte by byte, "
	    "answer as whole ones", ARRAY_LEN(bodies));
	is_int(bad_tight, 0, "and so with tight limits");
	bad = chunks_differ(a, CR_CT, "--" CR_B "\r\n" CDF("f", "a.png")
	    "\r\n\r\n-" CR_B "\r\n--" CR_B "-\r\n--" CR_B "--",
	    strlen("--" CR_B "\r\n" CDF("f", "a.png") "\r\n\r\n-" CR_B
	    "\r\n--" CR_B "-\r\n--" CR_B "--"), NULL);
	is_int(bad, 0, "a long boundary split at every byte");
}

/* Limits of files and of the whole body, and what a cut or abandoned
 * body leaves behind: nothing. */
static void
test_stream_limits(struct arena *a)
{
	struct multipart_limits lim = multipart_default_limits;
	static const char file8[] = ONE(CDF("f", "x"), "12345678");
	static const char two[] = DELIM CDF("f", "x") "\r\n1234\r\n"
	    DELIM CDF("g", "y") "\r\n123456789\r\n" CLOSE;
	static const char *const cuts[] = {
		"mid-file", "mid-header", "mid-boundary", "mid-close",
	};
	static const char cutme[] = DELIM CDF("f", "x") "\r\nabcdef\r\n"
	    DELIM "Content-Disposition: form-data; name=\"g\"\r\n\r\nv\r\n"
	    CLOSE;
	size_t at[ARRAY_LEN(cuts)];
	struct multipart_parser *p;
	struct multipart m;

	lim.max_file_len = 8;
	status_is(a, CT, file8, sizeof(file8) - 1, &lim, MULTIPART_OK,
	    "a file at max_file_len");
	lim.max_file_len = 7;
	status_is(a, CT, file8, sizeof(file8) - 1, &lim, MULTIPART_TOO_LARGE,
	    "a file one over max_file_len");
	lim.max_file_len = 8;
	status_is(a, CT, two, sizeof(two) - 1, &lim, MULTIPART_TOO_LARGE,
	    "a second file over the limit: the first one is unlinked too");
	status_is(a, CT, ONE(CD("a"), "123456789"),
	    sizeof(ONE(CD("a"), "123456789")) - 1, &lim, MULTIPART_OK,
	    "text fields are held to max_field_len, not max_file_len");
	lim = multipart_default_limits;

	lim.max_body_len = sizeof(file8) - 1;
	status_is(a, CT, file8, sizeof(file8) - 1, &lim, MULTIPART_OK,
	    "a body at max_body_len");
	lim.max_body_len = sizeof(file8) - 2;
	status_is(a, CT, file8, sizeof(file8) - 1, &lim, MULTIPART_TOO_LARGE,
	    "a body one over max_body_len");
	lim = multipart_default_limits;

	/* Cut short where a client that went away would cut it. */
	at[0] = (size_t)(strstr(cutme, "abcdef") - cutme) + 6;
	at[1] = (size_t)(strstr(cutme, "name=\"g") - cutme) + 4;
	at[2] = (size_t)(strstr(cutme, "--B\r\nContent-Disposition: form-data; "
	    "name=\"g") - cutme) + 2;
	at[3] = sizeof(cutme) - 1 - 4;
	for (size_t i = 0; i < ARRAY_LEN(cuts); i++) {
		struct outcome o;
		size_t sizes[1] = { 3 };

		p = multipart_parser_new(a, CT, NULL, media);
		is_int(multipart_parser_feed(p, cutme, at[i]), MULTIPART_OK,
		    "%s: nothing wrong yet", cuts[i]);
		ok(i > 0 || files_in(spool) == 1, "%s: the file is being "
		    "written", cuts[i]);
		is_int(multipart_parser_finish(p, &m), MULTIPART_MALFORMED,
		    "%s: the body ends: malformed (%s)", cuts[i], m.reason);
		is_int(files_in(spool), 0, "%s: no file left", cuts[i]);
		ok(m.count == 0 && m.parts == NULL, "%s: no parts", cuts[i]);

		p = multipart_parser_new(a, CT, NULL, media);
		multipart_parser_feed(p, cutme, at[i]);
		multipart_parser_abort(p);
		is_int(files_in(spool), 0, "%s: the client is gone: no file "
		    "left", cuts[i]);

		feed_chunks(a, CT, cutme, at[i], NULL, sizes, 1, &o);
		is_int(o.st, MULTIPART_MALFORMED, "%s: in 3-byte chunks too",
		    cuts[i]);
	}
	p = multipart_parser_new(a, CT, NULL, media);
	multipart_parser_feed(p, cutme, sizeof(cutme) - 1);
	is_int(multipart_parser_finish(p, &m), MULTIPART_OK, "the whole body");
	is_int(files_in(spool), 1, "its file is in the spool");
	ok(m.parts[0].data == NULL && m.parts[0].path != NULL &&
	    m.parts[0].len == 6, "a file part has a path and its length, no data");
	ok(m.parts[1].path == NULL && strcmp(m.parts[1].data, "v") == 0,
	    "a text part has data, no path");
	unlink(m.parts[0].path);

	/* No media folder: a text-only form is fine, a file is not. */
	is_int(multipart_parse(a, CT, ONE(CD("a"), "v"),
	    sizeof(ONE(CD("a"), "v")) - 1, NULL, NULL, &m), MULTIPART_OK,
	    "no media folder, no file: fine");
	is_int(multipart_parse(a, CT, file8, sizeof(file8) - 1, NULL, NULL, &m),
	    MULTIPART_IO_ERROR, "no media folder for a file: an I/O error");
	is_int(multipart_http_status(MULTIPART_IO_ERROR), 500,
	    "which is 500");
	is_int(multipart_parse(a, CT, file8, sizeof(file8) - 1, NULL,
	    "/nonexistent/tessera", &m), MULTIPART_IO_ERROR,
	    "a media folder without tmp/: an I/O error");
}

/* A FastCGI stdin that hands out the body a few bytes at a time, as a
 * slow client's would arrive, then ends (maybe before CONTENT_LENGTH). */
struct slow_in {
	FCGX_Stream stream;
	unsigned char *body;
	size_t len, off, piece;
};

static void
slow_fill(FCGX_Stream *s)
{
	struct slow_in *in = s->data;
	size_t n = in->len - in->off < in->piece ? in->len - in->off : in->piece;

	if (n == 0) {
		s->isClosed = 1;
		return;
	}
	s->rdNext = s->stopUnget = in->body + in->off;
	s->stop = in->body + in->off + n;
	in->off += n;
}

/* request_read_multipart over a FastCGI stdin of body[0..len), with
 * CONTENT_LENGTH clen; r is left for the checks. */
static int
read_upload(struct arena *a, struct request *r, struct config *cfg,
    const char *ctype, const char *body, size_t len, size_t clen,
    size_t max)
{
	static FCGX_Request fcgi;
	static struct slow_in in;
	static char *env[3];

	memset(&in, 0, sizeof(in));
	in.body = (unsigned char *)arena_strndup(a, body, len);
	in.len = len;
	in.piece = 5;
	in.stream.isReader = 1;
	in.stream.fillBuffProc = slow_fill;
	in.stream.data = &in;
	in.stream.rdNext = in.stream.stop = in.stream.stopUnget = in.body;
	env[0] = arena_printf(a, "CONTENT_TYPE=%s", ctype);
	env[1] = arena_printf(a, "CONTENT_LENGTH=%zu", clen);
	env[2] = NULL;
	memset(&fcgi, 0, sizeof(fcgi));
	fcgi.in = &in.stream;
	fcgi.envp = env;
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->fcgi = &fcgi;
	r->cfg = cfg;
	r->method = "POST";
	r->path = "/pictures";
	return request_read_multipart(r, max);
}

/* The request's side: a body read from FastCGI in pieces, its fields as
 * the form, its file in the spool until the request ends; every refusal
 * with its status and an empty spool. */
static void
test_request_read(struct arena *a)
{
	static const char body[] = DELIM CD("csrf") "\r\ntok\r\n"
	    DELIM CDF("picture", "cat.jpg") "Content-Type: image/jpeg\r\n\r\n"
	    "\xff\xd8\xff\r\n--A-\xff\xd9" "\r\n"
	    DELIM CD("title") "\r\nA cat\r\n" CLOSE;
	static const char bad[] = DELIM CDF("picture", "cat.jpg") "\r\n"
	    "\xff\xd8\r\n--Bx\r\n" CLOSE;
	const struct multipart_part *f;
	struct config cfg;
	struct request r;
	size_t n = sizeof(body) - 1;

	memset(&cfg, 0, sizeof(cfg));
	cfg.media_dir = media;
	is_int(read_upload(a, &r, &cfg, CT, body, n, n, 1024), 0,
	    "an upload read from FastCGI 5 bytes at a time");
	is_str(params_get(&r.form, "title"), "A cat", "its field is in the form");
	f = request_upload(&r, "picture");
	ok(f != NULL && f->path != NULL && f->data == NULL && f->len == 11 &&
	    strcmp(f->filename, "cat.jpg") == 0, "its file is a spool file");
	is_int(files_in(spool), 1, "in the spool");
	request_discard_uploads(&r);
	is_int(files_in(spool), 0, "until the request ends");

	is_int(read_upload(a, &r, &cfg, CT, body, n - 20, n, 1024), 400,
	    "a body that ends before its Content-Length: 400");
	is_str(r.error_detail, "The request arrived incomplete.",
	    "saying it arrived incomplete");
	is_int(files_in(spool), 0, "and leaves no file");
	is_int(read_upload(a, &r, &cfg, CT, body, n, n, n - 1), 413,
	    "a Content-Length over the route's limit: 413");
	is_int(read_upload(a, &r, &cfg, CT, bad, sizeof(bad) - 1,
	    sizeof(bad) - 1, 1024), 400, "a malformed upload: 400");
	is_int(files_in(spool), 0, "and leaves no file");
	is_int(read_upload(a, &r, &cfg, "text/plain", body, n, n, 1024), 415,
	    "not multipart: 415");
	is_int(read_upload(a, &r, &cfg, "multipart/form-data; boundary=B; "
	    "boundary=C", body, n, n, 1024), 400, "two boundaries: 400");
	is_int(files_in(spool), 0, "no file left by any of them");
	cfg.media_dir = NULL;
	is_int(read_upload(a, &r, &cfg, CT, body, n, n, 1024), 500,
	    "no media folder: 500");
}

/* Resident memory now, in KiB (/proc/self/statm), or 0. */
static long
rss_kib(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f != NULL) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/*
 * A 64 MiB file, fed in 64 KiB chunks as the request reads them, goes to
 * its spool file whole, while the process's resident memory grows by
 * under 4 MiB: memory does not depend on the file's size.
 */
static void
test_big_file(struct arena *a)
{
	static const char head[] = DELIM CDF("f", "big.bin") "\r\n";
	static const char tail[] = "\r\n" CLOSE;
	enum { CHUNK = 64 * 1024, CHUNKS = 1024 };
	struct multipart_limits lim = multipart_default_limits;
	struct multipart_parser *p;
	struct multipart m;
	struct arena small;
	struct stat st;
	char *chunk = xmalloc(CHUNK);
	long before, grown;

	lim.max_file_len = (size_t)CHUNK * CHUNKS;
	lim.max_body_len = SIZE_MAX;
	/* Bytes that look like a delimiter's start all through the file. */
	for (size_t i = 0; i < CHUNK; i++)
		chunk[i] = "\r\n-\r\n--x"[i % 7];
	arena_init(&small, 0);
	p = multipart_parser_new(&small, CT, &lim, media);
	multipart_parser_feed(p, head, sizeof(head) - 1);
	multipart_parser_feed(p, chunk, CHUNK);
	before = rss_kib();
	grown = 0;
	for (int i = 1; i < CHUNKS; i++) {
		multipart_parser_feed(p, chunk, CHUNK);
		if (i % 64 == 0 && rss_kib() - before > grown)
			grown = rss_kib() - before;
	}
	multipart_parser_feed(p, tail, sizeof(tail) - 1);
	is_int(multipart_parser_finish(p, &m), MULTIPART_OK,
	    "a 64 MiB file in 64 KiB chunks");
	ok(before > 0 && grown < 4096, "the process grew by %ld KiB while "
	    "it was read (under 4 MiB; %ld KiB resident)", grown, before);
	ok(m.count == 1 && stat(m.parts[0].path, &st) == 0 &&
	    (size_t)st.st_size == (size_t)CHUNK * CHUNKS &&
	    m.parts[0].len == (size_t)CHUNK * CHUNKS,
	    "its spool file holds all of it");
	if (m.count == 1)
		unlink(m.parts[0].path);
	lim.max_file_len = (size_t)CHUNK * CHUNKS - 1;
	p = multipart_parser_new(&small, CT, &lim, media);
	multipart_parser_feed(p, head, sizeof(head) - 1);
	for (int i = 0; i < CHUNKS; i++)
		multipart_parser_feed(p, chunk, CHUNK);
	multipart_parser_feed(p, tail, sizeof(tail) - 1);
	is_int(multipart_parser_finish(p, &m), MULTIPART_TOO_LARGE,
	    "one byte over max_file_len: 413");
	is_int(files_in(spool), 0, "and no file left");
	arena_free(&small);
	free(chunk);
	(void)a;
}

int
main(void)
{
	struct arena a;

	arena_init(&a, 0);
	if (mkdtemp(media) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	spool = arena_printf(&a, "%s/" SPOOL_DIR, media);
	mkdir(spool, 0700);
	test_content_type(&a);
	test_chromium(&a);
	test_firefox(&a);
	test_clients(&a);
	test_binary(&a);
	test_names(&a);
	test_malformed(&a);
	test_limits(&a);
	test_truncated(&a);
	test_lookup(&a);
	test_status();
	test_blns();
	test_request_form(&a);
	test_chunks(&a);
	test_stream_limits(&a);
	test_big_file(&a);
	test_request_read(&a);
	is_int(spool_leaks, 0, "every parse left the spool empty, and every "
	    "file part has a path and no data");
	rmdir(spool);
	rmdir(media);
	test_spool(&a);
	arena_free(&a);
	return done_testing();
}
