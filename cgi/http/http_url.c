#include "http_url.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "log.h"
#include "util.h"

/*
 * Returns 1 if s[0..len) is well-formed UTF-8 containing no NUL byte, else
 * 0. Well-formed follows RFC 3629: no overlong forms, no UTF-16 surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF. The second-byte ranges below
 * are the table from RFC 3629 section 4; each rules out one of those cases.
 */
int
url_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len;
	unsigned char lo, hi;
	size_t need;

	while (p < end) {
		if (*p == 0)
			return 0;
		if (*p < 0x80) {
			p++;
			continue;
		}
		lo = 0x80;
		hi = 0xBF;
		if (*p >= 0xC2 && *p <= 0xDF)
			need = 1;
		else if (*p == 0xE0) {
			need = 2;
			lo = 0xA0;		/* overlong */
		} else if (*p == 0xED) {
			need = 2;
			hi = 0x9F;		/* surrogates */
		} else if (*p >= 0xE1 && *p <= 0xEF)
			need = 2;
		else if (*p == 0xF0) {
			need = 3;
			lo = 0x90;		/* overlong */
		} else if (*p >= 0xF1 && *p <= 0xF3)
			need = 3;
		else if (*p == 0xF4) {
			need = 3;
			hi = 0x8F;		/* above U+10FFFF */
		} else
			return 0;		/* 80..C1, F5..FF */
		if ((size_t)(end - p) <= need)
			return 0;
		if (p[1] < lo || p[1] > hi)
			return 0;
		for (size_t i = 2; i <= need; i++)
			if (p[i] < 0x80 || p[i] > 0xBF)
				return 0;
		p += need + 1;
	}
	return 1;
}

/*
 * Decodes len bytes of s, turning %XX into the byte XX and, if
 * plus_is_space is set (query strings and form bodies), '+' into a space.
 * On success sets *out to an arena-owned NUL-terminated copy, sets *out_len
 * (if not NULL) to its length, and returns 0. Returns -1, leaving *out and
 * *out_len alone, if an escape is malformed ("%G1", a trailing "%" or "%4")
 * or the result is not valid UTF-8 or contains a NUL byte, raw or escaped.
 * The arena cannot fail, so -1 always means bad input.
 */
int
url_decode(struct arena *a, const char *s, size_t len, int plus_is_space,
    char **out, size_t *out_len)
{
	char *buf;
	size_t i, n = 0;
	int hi, lo;

	buf = arena_alloc(a, len + 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			if (len - i < 3)
				return -1;
			hi = hex_digit((unsigned char)s[i + 1]);
			lo = hex_digit((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			buf[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '+' && plus_is_space)
			buf[n++] = ' ';
		else
			buf[n++] = s[i];
	}
	if (!url_utf8_valid(buf, n))
		return -1;
	buf[n] = '\0';
	*out = buf;
	if (out_len != NULL)
		*out_len = n;
	return 0;
}

/* RFC 3986 unreserved characters: safe anywhere in a path or query. */
static int
url_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') ||
	    c == '-' || c == '.' || c == '_' || c == '~';
}

/*
 * Returns an arena-owned, NUL-terminated copy of s[0..len) in which every
 * byte but the unreserved ones is written as %XX (upper-case hex), so the
 * result is safe as a path segment, a query name or a query value. A space
 * becomes %20, which both path and form decoding read back as a space.
 * Never fails.
 */
char *
url_encode(struct arena *a, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t i, n = 0, extra = 0;
	char *buf;

	if (len > SIZE_MAX / 4) {
		log_err("%s: absurd length %zu", __func__, len);
		abort();
	}
	for (i = 0; i < len; i++)
		if (!url_unreserved(p[i]))
			extra += 2;
	buf = arena_alloc(a, len + extra + 1);
	for (i = 0; i < len; i++) {
		if (url_unreserved(p[i]))
			buf[n++] = (char)p[i];
		else {
			buf[n++] = '%';
			buf[n++] = hex[p[i] >> 4];
			buf[n++] = hex[p[i] & 0x0F];
		}
	}
	buf[n] = '\0';
	return buf;
}

const char *
url_with_query(struct arena *a, const char *path, const char *const *names,
    const char *const *values, size_t n, int page)
{
	struct buf b;
	char sep = '?';
	const char *url;

	buf_init(&b);
	buf_puts(&b, path);
	for (size_t i = 0; i < n; i++) {
		if (values[i] == NULL)
			continue;
		buf_printf(&b, "%c%s=%s", sep, names[i],
		    url_encode(a, values[i], strlen(values[i])));
		sep = '&';
	}
	if (page > 1)
		buf_printf(&b, "%cpage=%d", sep, page);
	url = arena_strdup(a, b.data);
	buf_free(&b);
	return url;
}
