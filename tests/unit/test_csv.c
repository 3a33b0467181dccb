/*
 * Unit tests for csv.c: fields quoted exactly when RFC 4180 needs it,
 * quotes doubled, rows ended by CRLF; formulas neutralised (a leading =,
 * + , -, @, TAB or CR gets a single quote, nothing else does); and every
 * naughty string, alone and with each formula character in front, read
 * back by a strict RFC 4180 reader as one field, intact behind the
 * quote it may have been given.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "tap.h"
#include "blns.h"

/* csv_field(text) as a string, for the table below. Caller frees. */
static char *
field(const char *text)
{
	struct buf b;

	buf_init(&b);
	csv_field(&b, text);
	return b.data ? b.data : calloc(1, 1);
}

static void
test_fields(void)
{
	static const struct {
		const char *in, *out, *why;
	} cases[] = {
		{ "Alice Martin", "Alice Martin", "plain text is written as is" },
		{ "", "", "an empty field is empty" },
		{ "Martin, Alice", "\"Martin, Alice\"", "a comma is quoted" },
		{ "Alice \"Al\" Martin", "\"Alice \"\"Al\"\" Martin\"",
		    "quotes are quoted and doubled" },
		{ "two\nlines", "\"two\nlines\"", "LF is quoted" },
		{ "two\r\nlines", "\"two\r\nlines\"", "CRLF is quoted" },
		{ "a\rb", "\"a\rb\"", "a lone CR is quoted" },
		{ "=1+1", "'=1+1", "a leading = is neutralised" },
		{ "+33 6 12", "'+33 6 12", "a leading + too" },
		{ "-2", "'-2", "a leading - too" },
		{ "@SUM(A1)", "'@SUM(A1)", "a leading @ too" },
		{ "\tx", "'\tx", "a leading TAB too" },
		{ "\rx", "\"'\rx\"", "a leading CR too, inside the quotes" },
		{ "=HYPERLINK(\"http://x\",\"y\")",
		    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
		    "a quoted formula gets the quote inside the field's quotes" },
		{ "a=b", "a=b", "= elsewhere is left alone" },
		{ "Anne-Marie", "Anne-Marie", "- elsewhere too" },
		{ " =1", " =1", "a formula behind a space is text already" },
		{ "'=1", "'=1", "a leading quote is left as it is" },
		{ "Zoë Ångström 東京", "Zoë Ångström 東京", "UTF-8 passes through" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = field(cases[i].in);

		is_str(got, cases[i].out, "%s", cases[i].why);
		free(got);
	}
}

static void
test_rows(void)
{
	const char *row[] = { "Ticket", "Name, first", "=cmd" };
	struct buf b;

	buf_init(&b);
	csv_row(&b, row, 3);
	csv_row(&b, row, 1);
	is_str(b.data, "Ticket,\"Name, first\",'=cmd\r\nTicket\r\n",
	    "rows: fields separated by commas, each row ended by CRLF");
	buf_free(&b);
	is_int(strlen(CSV_BOM), 3, "the byte order mark is three bytes");
	is_str(CSV_BOM, "\xef\xbb\xbf", "the UTF-8 one");
}

/*
 * A strict RFC 4180 reader of one row: its fields into fields (at most
 * max, each malloc'd), *end past its CRLF. Returns the number of fields,
 * or -1 when the text is not one well-formed row.
 */
static int
read_row(const char *p, const char **end, char **fields, int max)
{
	int n = 0;

	for (;;) {
		struct buf f;

		if (n == max)
			return -1;
		buf_init(&f);
		buf_puts(&f, "");
		if (*p == '"') {
			for (p++;; p++) {
				if (*p == '\0')
					return -1;
				if (*p == '"' && p[1] == '"')
					p++;
				else if (*p == '"')
					break;
				buf_putc(&f, *p);
			}
			p++;
		} else {
			for (; *p != ',' && *p != '\r' && *p != '\0'; p++) {
				if (*p == '"' || *p == '\n')
					return -1;
				buf_putc(&f, *p);
			}
		}
		fields[n++] = f.data;
		if (*p == ',') {
			p++;
			continue;
		}
		if (p[0] != '\r' || p[1] != '\n')
			return -1;
		*end = p + 2;
		return n;
	}
}

/* The field csv.c should write for s, read back: s, with a quote in
 * front when it starts with a formula character. Caller frees. */
static char *
neutralised(const char *s)
{
	int quote = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
	char *out = malloc(strlen(s) + 2);

	strcpy(out, quote ? "'" : "");
	strcat(out, s);
	return out;
}

static void
test_naughty(void)
{
	static const char *const leads[] = { "", "=", "+", "-", "@", "\t", "\r" };
	struct json_object *list = blns_load();
	size_t total = 0, intact = 0, rows_ok = 0;

	if (list == NULL)
		return;
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		const char *s = json_object_get_string(
		    json_object_array_get_idx(list, i));

		for (size_t l = 0; s != NULL && l < sizeof(leads) / sizeof(leads[0]);
		    l++) {
			char *text = malloc(strlen(leads[l]) + strlen(s) + 1);
			const char *row[2] = { NULL, "end" };
			char *fields[3] = { NULL, NULL, NULL };
			const char *end = NULL;
			struct buf b;
			char *want;
			int n;

			strcpy(text, leads[l]);
			strcat(text, s);
			row[0] = text;
			want = neutralised(text);
			buf_init(&b);
			csv_row(&b, row, 2);
			n = read_row(b.data, &end, fields, 3);
			total++;
			if (n == 2 && *end == '\0' && strcmp(fields[1], "end") == 0)
				rows_ok++;
			if (n == 2 && strcmp(fields[0], want) == 0)
				intact++;
			for (int k = 0; k < 3; k++)
				free(fields[k]);
			free(want);
			free(text);
			buf_free(&b);
		}
	}
	ok(total > 3000, "naughty strings tried: %zu, with and without each "
	    "formula character in front", total);
	is_int(rows_ok, total, "each is one field of one well-formed row");
	is_int(intact, total, "and reads back as it was, behind a quote when "
	    "it would start a formula");
	json_object_put(list);
}

int
main(void)
{
	test_fields();
	test_rows();
	test_naughty();
	return done_testing();
}
