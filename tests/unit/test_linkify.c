/*
 * Unit tests for linkify.c: which part of a text is a web address, where
 * it ends (white space, markup characters, sentence punctuation,
 * unbalanced brackets), and what never is one (other schemes, a scheme
 * without a host, a scheme glued to a word).
 */
#include <stdio.h>
#include <string.h>

#include "linkify.h"
#include "tap.h"

/* The first address of s as found, or "" for none. */
static const char *
found(const char *s)
{
	static char out[512];
	size_t len, at = linkify_find(s, &len);

	snprintf(out, sizeof(out), "%.*s", (int)len, s + at);
	return out;
}

static void
is_link(const char *s, const char *want)
{
	is_str(found(s), want, "the address in \"%s\"", s);
}

static void
test_found(void)
{
	is_link("https://example.org", "https://example.org");
	is_link("see http://example.org/a?b=1&c=2#d now",
	    "http://example.org/a?b=1&c=2#d");
	is_link("HTTPS://Example.ORG/X", "HTTPS://Example.ORG/X");
	is_link("Parking: https://example.org/parking.",
	    "https://example.org/parking");
	is_link("(https://example.org/a)", "https://example.org/a");
	is_link("(see https://en.wikipedia.org/wiki/A_(b)).",
	    "https://en.wikipedia.org/wiki/A_(b)");
	is_link("[https://example.org/x]", "https://example.org/x");
	is_link("'https://example.org/it's'", "https://example.org/it's");
	is_link("https://example.org/?!,;:", "https://example.org/");
	is_link("https://example.org/<script>", "https://example.org/");
	is_link("<https://example.org/a>", "https://example.org/a");
	is_link("\"https://example.org/a\"", "https://example.org/a");
	is_link("https://example.org/a`b", "https://example.org/a");
	is_link("https://example.org/a\tb", "https://example.org/a");
	is_link("https://example.org/a\nb", "https://example.org/a");
	is_link("https://de.wikipedia.org/wiki/K\xc3\xb6ln und mehr",
	    "https://de.wikipedia.org/wiki/K\xc3\xb6ln");
	is_link("https://example.org/a\xc2\xa0next", "https://example.org/a");
	is_link("https://example.org/a\xe2\x80\xaf" "b", "https://example.org/a");
	is_link("https://example.org/a\xe3\x80\x80" "b", "https://example.org/a");
	is_link("https://\xc3\xa9t\xc3\xa9.example/", "https://\xc3\xa9t\xc3\xa9.example/");
	is_link("x http:// https://example.org", "https://example.org");
	is_link("_https://example.org", "https://example.org");
}

static void
test_not_found(void)
{
	is_link("", "");
	is_link("no address here", "");
	is_link("javascript:alert(1)", "");
	is_link("data:text/html,<b>x</b>", "");
	is_link("mailto:a@example.org", "");
	is_link("www.example.org", "");
	is_link("ftp://example.org", "");
	is_link("http://", "");
	is_link("https:// example.org", "");
	is_link("https://.", "");
	is_link("https://<script>", "");
	is_link("https://\xc2\xa0x", "");
	is_link("xhttps://example.org", "");
	is_link("9http://example.org", "");
	is_link("http:/example.org", "");
}

static void
test_offsets(void)
{
	const char *s = "a https://x.example b https://y.example";
	size_t len, at = linkify_find(s, &len);

	is_int(at, 2, "the first address is at its offset");
	is_int(len, 17, "with its length");
	at += len + linkify_find(s + at + len, &len);
	is_str(s + at, "https://y.example", "the rest of the text has the second");
	is_int(linkify_find("plain", &len), 5, "none: the text's length");
	is_int(len, 0, "and no length");
}

int
main(void)
{
	test_found();
	test_not_found();
	test_offsets();
	return done_testing();
}
