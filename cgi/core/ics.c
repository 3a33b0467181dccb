#include "ics.h"

#include <string.h>

#define ICS_FOLD_AT 75

/* Appends one logical line, folding it: a CRLF and a space are inserted
 * before any octet that would make the physical line longer than 75
 * octets, but never inside a multi-byte UTF-8 character. */
static void
ics_fold(struct buf *out, const char *line, size_t len)
{
	size_t width = 0, i = 0;

	while (i < len) {
		size_t clen = 1;
		unsigned char c = (unsigned char)line[i];

		if (c >= 0xf0)
			clen = 4;
		else if (c >= 0xe0)
			clen = 3;
		else if (c >= 0xc0)
			clen = 2;
		if (i + clen > len)
			clen = len - i;
		if (width + clen > ICS_FOLD_AT) {
			buf_append(out, "\r\n ", 3);
			width = 1;
		}
		buf_append(out, line + i, clen);
		width += clen;
		i += clen;
	}
	buf_append(out, "\r\n", 2);
}

void
ics_line(struct buf *out, const char *name, const char *value)
{
	struct buf line;

	buf_init(&line);
	buf_puts(&line, name);
	buf_putc(&line, ':');
	buf_puts(&line, value);
	ics_fold(out, line.data, line.len);
	buf_free(&line);
}

void
ics_text(struct buf *out, const char *name, const char *value)
{
	struct buf line;

	buf_init(&line);
	buf_puts(&line, name);
	buf_putc(&line, ':');
	for (const char *p = value; *p != '\0'; p++) {
		switch (*p) {
		case '\\':
			buf_puts(&line, "\\\\");
			break;
		case ';':
			buf_puts(&line, "\\;");
			break;
		case ',':
			buf_puts(&line, "\\,");
			break;
		case '\n':
			buf_puts(&line, "\\n");
			break;
		case '\r':
			if (p[1] != '\n')
				buf_puts(&line, "\\n");
			break;
		default:
			if ((unsigned char)*p >= 0x20 && *p != 0x7f)
				buf_putc(&line, *p);
			break;
		}
	}
	ics_fold(out, line.data, line.len);
	buf_free(&line);
}
