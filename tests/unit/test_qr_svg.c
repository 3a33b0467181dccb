/*
 * Unit tests for qr_svg.c, without a decoder: the SVG's path is read back
 * into modules and compared with libqrencode's own symbol for the same
 * text at level M; the grid size follows the version, the quiet zone is
 * empty, the path holds only M/h/v/z and integers, too long and empty
 * input give NULL, and every naughty string as the label comes out only
 * escaped, changing nothing else.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "arena.h"
#include "buf.h"
#include "qr_svg.h"
#include "tap.h"
#include "blns.h"
#include "tmpl.h"

static struct arena arena;
#define A (&arena)

/* A check-in link as the ticket page will encode it. */
#define CHECKIN_URL \
	"https://tickets.example.org/tickets/7Q2K9M4XW3HB5T8N6PRC2D"

/* The viewBox size of svg ("viewBox=\"0 0 N N\""), or -1. */
static int
svg_size(const char *svg)
{
	const char *p = strstr(svg, "viewBox=\"0 0 ");
	int w, h;

	if (p == NULL || sscanf(p, "viewBox=\"0 0 %d %d\"", &w, &h) != 2 ||
	    w != h)
		return -1;
	return w;
}

/* The d attribute of the one path of svg, arena-owned, or NULL. */
static const char *
svg_path(const char *svg)
{
	const char *p = strstr(svg, " d=\""), *end;

	if (p == NULL || strstr(p + 1, " d=\"") != NULL)
		return NULL;
	p += 4;
	if ((end = strchr(p, '"')) == NULL)
		return NULL;
	return arena_strndup(A, p, (size_t)(end - p));
}

static int
read_int(const char **p, int *out)
{
	char *end;
	long v = strtol(*p, &end, 10);

	if (end == *p || v < -100000 || v > 100000)
		return -1;
	*out = (int)v;
	*p = end;
	return 0;
}

/*
 * Reads d, made of "MX Yh{n}v1h-{n}z" rectangles, into grid (size by size,
 * 1 for dark). Returns the number of rectangles, or -1 when d holds
 * anything else or a rectangle leaves the grid or overlaps another.
 */
static int
path_modules(const char *d, int size, unsigned char *grid)
{
	int rects = 0;

	memset(grid, 0, (size_t)size * (size_t)size);
	while (*d != '\0') {
		int x, y, n, back;

		if (*d++ != 'M' || read_int(&d, &x) == -1 || *d++ != ' ' ||
		    read_int(&d, &y) == -1 || *d++ != 'h' ||
		    read_int(&d, &n) == -1 || strncmp(d, "v1h", 3) != 0)
			return -1;
		d += 3;
		if (read_int(&d, &back) == -1 || back != -n || *d++ != 'z')
			return -1;
		if (x < 0 || y < 0 || n < 1 || x + n > size || y >= size)
			return -1;
		for (int i = x; i < x + n; i++) {
			if (grid[y * size + i])
				return -1;
			grid[y * size + i] = 1;
		}
		rects++;
	}
	return rects;
}

/* Runs of dark modules in libqrencode's symbol: the rectangles a path
 * merged per row must have. */
static int
count_runs(const QRcode *code)
{
	int runs = 0;

	for (int y = 0; y < code->width; y++) {
		const unsigned char *row = code->data + y * code->width;

		for (int x = 0; x < code->width; x++)
			if ((row[x] & 1) && (x == 0 || !(row[x - 1] & 1)))
				runs++;
	}
	return runs;
}

/* The SVG of text against libqrencode's symbol, module by module. */
static void
cross_check(const char *text, const char *why)
{
	QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	const char *svg = qr_svg(A, text, "Ticket");
	const char *d;
	unsigned char *grid;
	int size, rects, same = 1, quiet = 1;

	if (!ok(code != NULL && svg != NULL, "%s: encodes", why)) {
		QRcode_free(code);
		return;
	}
	size = svg_size(svg);
	is_int(size, code->width + 2 * QR_SVG_QUIET,
	    "%s: viewBox is the symbol plus a quiet zone of 4 on each side",
	    why);
	is_int(code->width, 17 + 4 * code->version,
	    "%s: version %d is %d modules wide", why, code->version,
	    17 + 4 * code->version);
	d = svg_path(svg);
	ok(d != NULL, "%s: one path", why);
	if (d == NULL || size <= 0) {
		QRcode_free(code);
		return;
	}
	ok(strspn(d, "Mhvz0123456789 -") == strlen(d),
	    "%s: the path has only M, h, v, z and integers", why);
	grid = arena_alloc(A, (size_t)size * (size_t)size);
	rects = path_modules(d, size, grid);
	is_int(rects, count_runs(code),
	    "%s: one rectangle per run of dark modules in a row", why);
	for (int y = 0; y < size; y++)
		for (int x = 0; x < size; x++) {
			int sx = x - QR_SVG_QUIET, sy = y - QR_SVG_QUIET;
			int inside = sx >= 0 && sy >= 0 && sx < code->width &&
			    sy < code->width;
			int want = inside ?
			    code->data[sy * code->width + sx] & 1 : 0;

			if (!inside && grid[y * size + x])
				quiet = 0;
			if (grid[y * size + x] != want)
				same = 0;
		}
	ok(quiet, "%s: the quiet zone is empty", why);
	ok(same, "%s: every module matches libqrencode's", why);
	QRcode_free(code);
}

static void
test_cross_check(void)
{
	cross_check(CHECKIN_URL, "check-in URL");
	cross_check("A", "one letter");
	cross_check("0123456789012345678901234567890123456789", "digits");
	cross_check("Zoë Ünal – 🎟 Einlass", "UTF-8 text");
	cross_check("TESSERA-7Q2K9M4XW3HB5T8N6PRC2D", "upper-case code");
}

static void
test_versions(void)
{
	char text[2400];
	const char *svg;

	/* Level M, not L or Q: 100 bytes need version 6 at M (5 at L, 8 at
	 * Q), "HELLO WORLD" version 1. */
	memset(text, 'a', 100);
	text[100] = '\0';
	is_int(svg_size(qr_svg(A, text, NULL)), 41 + 8,
	    "100 bytes: version 6 (41 modules) at level M, and the quiet "
	    "zone");
	is_int(svg_size(qr_svg(A, "HELLO WORLD", NULL)), 21 + 8,
	    "HELLO WORLD: version 1 (21 modules)");
	svg = qr_svg(A, "HELLO WORLD", NULL);
	ok(strstr(svg, "M4 4h7v1h-7z") != NULL,
	    "the finder pattern's top row starts at the quiet zone's edge");

	/* Version 40 at M holds 2331 bytes of 8-bit data. */
	memset(text, 'a', 2331);
	text[2331] = '\0';
	is_int(svg_size(qr_svg(A, text, NULL)), 177 + 8,
	    "2331 bytes: version 40 (177 modules)");
	memset(text, 'a', 2332);
	text[2332] = '\0';
	errno = 0;
	ok(qr_svg(A, text, NULL) == NULL && errno == ERANGE,
	    "2332 bytes: too long, NULL with ERANGE");
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	ok(qr_svg(A, text, NULL) == NULL, "2399 bytes: NULL");
	errno = 0;
	ok(qr_svg(A, "", NULL) == NULL && errno == EINVAL,
	    "empty text: NULL with EINVAL");
	ok(qr_svg(A, NULL, NULL) == NULL, "NULL text: NULL");
}

static void
test_markup(void)
{
	const char *svg = qr_svg(A, CHECKIN_URL, NULL);

	ok(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0,
	    "an svg element in the SVG namespace");
	ok(strlen(svg) > 6 && strcmp(svg + strlen(svg) - 6, "</svg>") == 0,
	    "closed at the end");
	ok(strstr(svg, "shape-rendering=\"crispEdges\"") != NULL,
	    "crisp edges");
	ok(strstr(svg, "role=\"img\"") != NULL, "role img");
	ok(strstr(svg, "aria-label=\"QR code\"") != NULL &&
	    strstr(svg, "<title>QR code</title>") != NULL,
	    "a NULL label is \"QR code\"");
	ok(strstr(svg, "<rect width=\"") != NULL &&
	    strstr(svg, "fill=\"#fff\"") != NULL,
	    "a white square behind the modules");
	printf("# a check-in URL (%zu bytes) gives %zu bytes of SVG\n",
	    strlen(CHECKIN_URL), strlen(svg));
	ok(strlen(svg) < 8192, "and it stays small (%zu bytes)", strlen(svg));
}

/*
 * Every naughty string as the label: the SVG equals the one made with a
 * placeholder label, the placeholder replaced by tmpl_escape's text. So
 * the label reaches the SVG only escaped, and changes nothing else.
 */
static void
test_blns(void)
{
	struct json_object *list = blns_load();
	const char *base, *mark = "@LABEL@", *at;
	size_t n, bad = 0, tried = 0;

	if (list == NULL)
		return;
	base = qr_svg(A, "https://t.example/x", mark);
	at = strstr(base, mark);
	ok(at != NULL && (at = strstr(at + 1, mark)) != NULL &&
	    strstr(at + 1, mark) == NULL,
	    "the label is in the SVG twice: aria-label and title");
	n = json_object_array_length(list);
	for (size_t i = 0; i < n; i++) {
		struct json_object *item = json_object_array_get_idx(list, i);
		const char *s = json_object_get_string(item), *svg, *p;
		struct buf esc, want;
		struct arena w;

		if (s == NULL)
			continue;
		arena_init(&w, 0);
		buf_init(&esc);
		buf_init(&want);
		tmpl_escape(&esc, s, strlen(s));
		for (p = base; (at = strstr(p, mark)) != NULL;
		    p = at + strlen(mark)) {
			buf_append(&want, p, (size_t)(at - p));
			if (esc.len > 0)
				buf_append(&want, esc.data, esc.len);
		}
		buf_puts(&want, p);
		svg = qr_svg(&w, "https://t.example/x", s);
		if (svg == NULL || strcmp(svg, want.data) != 0 ||
		    (esc.len > 0 && strpbrk(esc.data, "<>\"'") != NULL)) {
			if (bad++ < 3)
				printf("# label %zu changed the SVG: %s\n", i,
				    svg ? svg : "(null)");
		}
		tried++;
		buf_free(&esc);
		buf_free(&want);
		arena_free(&w);
	}
	ok(tried > 400 && bad == 0,
	    "%zu naughty labels: each reaches the SVG only escaped (%zu bad)",
	    tried, bad);
	json_object_put(list);
}

int
main(void)
{
	arena_init(&arena, 0);
	test_cross_check();
	test_versions();
	test_markup();
	test_blns();
	arena_free(&arena);
	return done_testing();
}
