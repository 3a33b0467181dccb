#include <string.h>

#include "buf.h"
#include "ics.h"
#include "tap.h"

/* Every physical line is at most 75 octets and ends in CRLF. */
static int
lines_ok(const struct buf *b)
{
	const char *p = b->data, *end = b->data + b->len;

	while (p < end) {
		const char *nl = strstr(p, "\r\n");

		if (nl == NULL || nl - p > 75)
			return 0;
		p = nl + 2;
	}
	return 1;
}

/* Unfolding (removing CRLF + space) gives back the logical line. */
static void
unfold(const struct buf *b, char *out)
{
	const char *p = b->data;

	while (*p) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 3;
			continue;
		}
		*out++ = *p++;
	}
	*out = '\0';
}

int
main(void)
{
	struct buf b;
	char text[2048], unfolded[4096], want[4096];

	buf_init(&b);
	ics_text(&b, "SUMMARY", "Jazz, blues; and \\ more\nNext line");
	is_str(b.data, "SUMMARY:Jazz\\, blues\\; and \\\\ more\\nNext line\r\n",
	    "TEXT escapes comma, semicolon, backslash and newline");

	buf_reset(&b);
	ics_text(&b, "X", "a\r\nb\x01" "c");
	is_str(b.data, "X:a\\nbc\r\n", "CRLF becomes one \\n, controls dropped");

	buf_reset(&b);
	memset(text, 'a', 200);
	text[200] = '\0';
	ics_text(&b, "DESCRIPTION", text);
	ok(lines_ok(&b), "long lines are folded at 75 octets");
	unfold(&b, unfolded);
	snprintf(want, sizeof(want), "DESCRIPTION:%s\r\n", text);
	is_str(unfolded, want, "unfolding restores the line");

	buf_reset(&b);
	text[0] = '\0';
	for (int i = 0; i < 60; i++)
		strcat(text, "é€");
	ics_text(&b, "SUMMARY", text);
	ok(lines_ok(&b), "folded lines with multi-byte text stay short");
	{
		int split = 0;
		for (const char *p = b.data; *p; p++)
			if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ' &&
			    ((unsigned char)p[3] & 0xc0) == 0x80)
				split = 1;
		ok(!split, "folding never splits a UTF-8 character");
	}
	unfold(&b, unfolded);
	snprintf(want, sizeof(want), "SUMMARY:%s\r\n", text);
	is_str(unfolded, want, "unfolding restores multi-byte text");

	buf_reset(&b);
	ics_line(&b, "DTSTART", "20261205T183000Z");
	is_str(b.data, "DTSTART:20261205T183000Z\r\n", "plain values as-is");
	buf_free(&b);
	return done_testing();
}
