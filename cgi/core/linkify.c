#include "linkify.h"

#include <string.h>
#include <strings.h>

static int
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* 1 when s starts with a character that ends an address: ASCII white
 * space and controls, the characters a URL never holds unescaped, and
 * the Unicode spaces people paste (no-break, thin, ideographic, the line
 * and paragraph separators). */
static int
ends_address(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] <= 0x20 || u[0] == 0x7f)
		return 1;
	if (u[0] < 0x80)
		return strchr("<>\"`{}|\\^", u[0]) != NULL;
	if (u[0] == 0xc2)
		return u[1] == 0xa0;
	if (u[0] == 0xe2 && u[1] == 0x80)
		return u[2] <= 0x8b || u[2] == 0xa8 || u[2] == 0xa9 ||
		    u[2] == 0xaf;
	if (u[0] == 0xe2 && u[1] == 0x81)
		return u[2] == 0x9f;
	return u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80;
}

/* Punctuation that ends a sentence more often than an address. */
static int
is_trailing(unsigned char c)
{
	return c != '\0' && strchr(".,;:!?'*", c) != NULL;
}

static size_t
count(const char *s, size_t n, char c)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

/* The bytes of "http://" or "https://" at s, or 0. */
static size_t
scheme_len(const char *s)
{
	if (strncasecmp(s, "http://", 7) == 0)
		return 7;
	if (strncasecmp(s, "https://", 8) == 0)
		return 8;
	return 0;
}

/* The length of the address at s, whose scheme takes skip bytes, or 0
 * when no host follows it. */
static size_t
address_len(const char *s, size_t skip)
{
	unsigned char host = (unsigned char)s[skip];
	size_t n = skip;

	if (!is_alnum(host) && host < 0x80)
		return 0;
	if (ends_address(s + skip))
		return 0;
	while (!ends_address(s + n))
		n++;
	/* The host's first character is none of these, so n stays past it. */
	for (;;) {
		unsigned char c = (unsigned char)s[n - 1];

		if (is_trailing(c) ||
		    (c == ')' && count(s, n, '(') < count(s, n, ')')) ||
		    (c == ']' && count(s, n, '[') < count(s, n, ']')))
			n--;
		else
			break;
	}
	return n;
}

size_t
linkify_find(const char *s, size_t *len)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		size_t skip, n;

		if ((s[i] != 'h' && s[i] != 'H') ||
		    (i > 0 && is_alnum((unsigned char)s[i - 1])) ||
		    (skip = scheme_len(s + i)) == 0 ||
		    (n = address_len(s + i, skip)) == 0)
			continue;
		*len = n;
		return i;
	}
	*len = 0;
	return i;
}
