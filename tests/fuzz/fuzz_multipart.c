/*
 * libFuzzer target for the streaming multipart parser. The input is read
 * three ways: as a body with boundary "B"; as a body whose bytes
 * 0x01..0x07 stand for the pieces of a form (delimiters, header names,
 * quotes), so short inputs reach deep; and as a Content-Type line, a
 * '\n', then a body. Each body is parsed whole, then fed again in chunks
 * whose sizes are the input's last bytes (0 to 31, a 0 an empty feed), and
 * both must give the same answer: status, reason, parts and file bytes.
 * Besides the sanitizers' checks (each body sits in a buffer of exactly
 * its size), it asserts what handlers rely on: limits hold, names and
 * text are clean UTF-8, filenames carry no path, a file is a spool file
 * of exactly its length under this run's own media folder, a refusal
 * leaves nothing behind (the spool is empty after every parse), and a
 * parsed form written out again the way a browser would parses the same.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "http_multipart.h"
#include "http_spool.h"
#include "http_url.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small limits, so short inputs reach every refusal. */
static const struct multipart_limits tight = {
	.max_parts = 4,
	.max_header_bytes = 128,
	.max_name_len = 8,
	.max_field_len = 32,
	.max_file_len = 48,
	.max_body_len = 512,
};

/* The media root of every parse: a folder of this run's own. */
static const char *media;
static char spool[64];

static void
media_init(void)
{
	static char root[] = "/tmp/fuzz-multipart-XXXXXX";
	if (media != NULL)
		return;
	if (mkdtemp(root) == NULL)
		abort();
	snprintf(spool, sizeof(spool), "%s/" SPOOL_DIR, root);
	if (mkdir(spool, 0700) != 0)
		abort();
	media = root;
}

/* Nothing may be left in the spool once a parse's files are taken. */
static void
spool_must_be_empty(void)
{
	struct dirent *de;
	DIR *d = opendir(spool);

	if (d == NULL)
		abort();
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			abort();
	closedir(d);
}

/* Reads a part's spool file into the arena and unlinks it, as the end of
 * a request would; the file must hold exactly len bytes. */
static void
take_file(struct arena *a, struct multipart_part *p)
{
	char *data = arena_alloc(a, p->len + 1);
	FILE *f = fopen(p->path, "rb");

	if (f == NULL || fread(data, 1, p->len + 1, f) != p->len)
		abort();
	fclose(f);
	if (unlink(p->path) != 0)
		abort();
	p->data = data;
}

/* What the bytes 0x01..0x07 stand for in the second reading. */
static const char *const pieces[] = {
	"\r\n--B\r\n",
	"\r\n--B--",
	"Content-Disposition: form-data; name=\"",
	"\"; filename=\"",
	"\"\r\n",
	"Content-Type: ",
	"\r\n\r\n",
};

static int
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F ||
		    ((unsigned char)*s == 0xC2 && (unsigned char)s[1] >= 0x80 &&
		    (unsigned char)s[1] <= 0x9F))
			return 1;
	return 0;
}

/* Writes s into b as a browser writes a quoted name: '"' as %22. */
static void
put_escaped(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '"')
			buf_puts(b, "%22");
		else
			buf_putc(b, *s);
}

static void
fuzz_check(struct arena *a, const struct multipart *m, size_t size,
    const struct multipart_limits *lim)
{
	const struct multipart_part *p;

	if (m->count > lim->max_parts || (m->count == 0) != (m->parts == NULL) ||
	    strcmp(m->reason, "ok") != 0)
		abort();
	for (size_t i = 0; i < m->count; i++) {
		p = &m->parts[i];
		if (p->name[0] == '\0' || strlen(p->name) > lim->max_name_len ||
		    !url_utf8_valid(p->name, strlen(p->name)) ||
		    has_control(p->name) || p->content_type == NULL ||
		    p->content_type[0] == '\0' ||
		    strpbrk(p->content_type, "\r\n") != NULL)
			abort();
		if (p->filename == NULL) {
			if (strlen(p->data) != p->len ||
			    p->len > lim->max_field_len ||
			    !url_utf8_valid(p->data, p->len) ||
			    multipart_field(m->parts, m->count, p->name) == NULL)
				abort();
			continue;
		}
		if (!url_utf8_valid(p->filename, strlen(p->filename)) ||
		    has_control(p->filename) ||
		    strpbrk(p->filename, "/\\") != NULL ||
		    strcmp(p->filename, ".") == 0 ||
		    strcmp(p->filename, "..") == 0 ||
		    p->data != NULL || p->path == NULL || p->len > size ||
		    p->len > lim->max_file_len ||
		    strncmp(p->path, media, strlen(media)) != 0 ||
		    multipart_file(m->parts, m->count, p->name) == NULL)
			abort();
		take_file(a, (struct multipart_part *)p);
	}
}

/* Writes m out again with boundary "B" and checks it parses the same. */
static void
fuzz_again(struct arena *a, const struct multipart *m,
    const struct multipart_limits *lim)
{
	struct multipart_limits roomy = *lim;
	const struct multipart_part *p, *q;
	struct multipart again;
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < m->count; i++) {
		p = &m->parts[i];
		buf_puts(&b, "--B\r\nContent-Disposition: form-data; name=\"");
		put_escaped(&b, p->name);
		if (p->filename != NULL) {
			buf_puts(&b, "\"; filename=\"");
			put_escaped(&b, p->filename);
		}
		buf_printf(&b, "\"\r\nContent-Type: %s\r\n\r\n",
		    p->content_type);
		buf_append(&b, p->data, p->len);
		buf_puts(&b, "\r\n");
	}
	buf_puts(&b, "--B--\r\n");
	/* Names written quoted may be longer than they were sent. */
	roomy.max_header_bytes = SIZE_MAX;
	roomy.max_body_len = SIZE_MAX;
	if (multipart_parse(a, "multipart/form-data; boundary=B", b.data,
	    b.len, &roomy, media, &again) != MULTIPART_OK ||
	    again.count != m->count)
		abort();
	for (size_t i = 0; i < again.count; i++)
		if (again.parts[i].path != NULL)
			take_file(a, &again.parts[i]);
	for (size_t i = 0; i < m->count; i++) {
		p = &m->parts[i];
		q = &again.parts[i];
		if (strcmp(p->name, q->name) != 0 ||
		    (p->filename == NULL) != (q->filename == NULL) ||
		    (p->filename && strcmp(p->filename, q->filename) != 0) ||
		    strcmp(p->content_type, q->content_type) != 0 ||
		    p->len != q->len || memcmp(p->data, q->data, p->len) != 0)
			abort();
	}
	buf_free(&b);
}

/* The chunk sizes of the second parse: the input's last bytes. */
struct cuts {
	const uint8_t *sizes;
	size_t n;
};

/* Feeds body in the chunks of cuts (cycled) and finishes; the file parts
 * are taken into the arena. */
static enum multipart_status
fuzz_chunked(struct arena *a, const char *ct, const char *body, size_t size,
    const struct multipart_limits *lim, const struct cuts *cuts,
    struct multipart *m)
{
	struct multipart_parser *p = multipart_parser_new(a, ct, lim, media);
	enum multipart_status st;
	size_t off = 0, k = 0, n;

	while (off < size) {
		n = cuts->n ? cuts->sizes[k++ % cuts->n] % 32 : size;
		if (n > size - off)
			n = size - off;
		multipart_parser_feed(p, body + off, n);
		off += n;
		/* Empty feeds all the way would never end. */
		if (n == 0 && k % cuts->n == 0)
			multipart_parser_feed(p, body + off++, 1);
	}
	st = multipart_parser_finish(p, m);
	if (st == MULTIPART_OK)
		for (size_t i = 0; i < m->count; i++)
			if (m->parts[i].path != NULL)
				take_file(a, &m->parts[i]);
	return st;
}

static void
fuzz_same(const struct multipart *x, const struct multipart *y)
{
	if (strcmp(x->reason, y->reason) != 0 || x->count != y->count)
		abort();
	for (size_t i = 0; i < x->count; i++) {
		const struct multipart_part *p = &x->parts[i], *q = &y->parts[i];

		if (strcmp(p->name, q->name) != 0 ||
		    (p->filename == NULL) != (q->filename == NULL) ||
		    (p->filename && strcmp(p->filename, q->filename) != 0) ||
		    strcmp(p->content_type, q->content_type) != 0 ||
		    p->len != q->len || memcmp(p->data, q->data, p->len) != 0)
			abort();
	}
}

static void
fuzz_one(struct arena *a, const char *ct, const char *body, size_t size,
    const struct multipart_limits *lim, int again, const struct cuts *cuts)
{
	struct multipart m, fed;
	enum multipart_status st;

	st = multipart_parse(a, ct, body, size, lim, media, &m);
	if (m.reason == NULL || multipart_http_status(st) == -1)
		abort();
	if (st != MULTIPART_OK) {
		if (m.count != 0 || m.parts != NULL ||
		    multipart_http_status(st) < 400 ||
		    st == MULTIPART_IO_ERROR)
			abort();
	} else {
		fuzz_check(a, &m, size, lim);
	}
	spool_must_be_empty();
	if (fuzz_chunked(a, ct, body, size, lim, cuts, &fed) != st)
		abort();
	fuzz_same(&m, &fed);
	spool_must_be_empty();
	if (st == MULTIPART_OK && again)
		fuzz_again(a, &m, lim);
	spool_must_be_empty();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char ct[] = "multipart/form-data; boundary=B";
	const char *in = (const char *)data, *nl;
	struct arena a;
	struct buf b;
	struct cuts cuts = { data + (size > 16 ? size - 16 : 0),
		size > 16 ? 16 : size };
	char *body, *line;
	size_t n;

	media_init();
	arena_init(&a, 4096);
	fuzz_one(&a, ct, in, size, &multipart_default_limits, 1, &cuts);
	fuzz_one(&a, ct, in, size, &tight, 1, &cuts);

	buf_init(&b);
	buf_puts(&b, "--B\r\n");
	for (size_t i = 0; i < size; i++)
		if (data[i] >= 1 && data[i] <= ARRAY_LEN(pieces))
			buf_puts(&b, pieces[data[i] - 1]);
		else
			buf_putc(&b, in[i]);
	body = malloc(b.len ? b.len : 1);
	memcpy(body, b.data, b.len);
	fuzz_one(&a, ct, body, b.len, &multipart_default_limits, 1, &cuts);
	fuzz_one(&a, ct, body, b.len, &tight, 1, &cuts);
	free(body);
	buf_free(&b);

	if ((nl = memchr(in, '\n', size)) != NULL) {
		line = arena_strndup(&a, in, (size_t)(nl - in));
		n = size - (size_t)(nl + 1 - in);
		body = malloc(n ? n : 1);
		memcpy(body, nl + 1, n);
		fuzz_one(&a, line, body, n, &tight, 0, &cuts);
		free(body);
	}
	arena_free(&a);
	return 0;
}
