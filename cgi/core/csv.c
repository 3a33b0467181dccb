#include "csv.h"

#include <string.h>

#include "buf.h"

/* Whether a field starting with c would be read as a formula. */
static int
csv_formula_start(char c)
{
	switch (c) {
	case '=':
	case '+':
	case '-':
	case '@':
	case '\t':
	case '\r':
		return 1;
	}
	return 0;
}

void
csv_field(struct buf *out, const char *text)
{
	int quoted = strpbrk(text, ",\"\r\n") != NULL;

	if (quoted)
		buf_putc(out, '"');
	if (csv_formula_start(text[0]))
		buf_putc(out, '\'');
	if (!quoted) {
		buf_puts(out, text);
		return;
	}
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, *p);
	}
	buf_putc(out, '"');
}

void
csv_row(struct buf *out, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(out, ',');
		csv_field(out, fields[i]);
	}
	buf_puts(out, "\r\n");
}
