#include "row.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "log.h"

void
row_begin(struct row_reader *rd, const struct db_rows *rows, size_t row,
    const char *what)
{
	memset(rd, 0, sizeof(*rd));
	rd->rows = rows;
	rd->row = row;
	rd->what = what;
}

/* Records the first failure; returns 0 so callers can return it. */
static int
row_fail(struct row_reader *rd, size_t col, const char *why)
{
	if (!rd->failed) {
		rd->failed = 1;
		rd->col = col;
		rd->why = why;
	}
	return 0;
}

/* The cell, or NULL (SQL NULL, a missing cell or a reader that failed
 * already: *usable says which). */
static const char *
row_cell(struct row_reader *rd, size_t col, int *usable)
{
	*usable = 0;
	if (rd->failed)
		return NULL;
	if (rd->row >= rd->rows->nrows || col >= rd->rows->ncols) {
		row_fail(rd, col, rd->row >= rd->rows->nrows ? "no such row" :
		    "no such column");
		return NULL;
	}
	*usable = 1;
	return db_cell(rd->rows, rd->row, col);
}

/* A NOT NULL cell, or NULL after recording why not. */
static const char *
row_value(struct row_reader *rd, size_t col)
{
	int usable;
	const char *s = row_cell(rd, col, &usable);

	if (usable && s == NULL)
		row_fail(rd, col, "NULL where a value is needed");
	return s;
}

const char *
row_text(struct row_reader *rd, size_t col)
{
	return row_value(rd, col);
}

const char *
row_text_or_null(struct row_reader *rd, size_t col)
{
	int usable;

	return row_cell(rd, col, &usable);
}

long long
row_int(struct row_reader *rd, size_t col, long long min, long long max)
{
	const char *s = row_value(rd, col), *p;
	char *end;
	long long n;

	if (s == NULL)
		return 0;
	/* strtoll would also take spaces, a plus sign and an empty string. */
	p = s[0] == '-' ? s + 1 : s;
	if (*p < '0' || *p > '9')
		return row_fail(rd, col, "not a whole number");
	errno = 0;
	n = strtoll(s, &end, 10);
	if (*end != '\0')
		return row_fail(rd, col, "not a whole number");
	if (errno == ERANGE || n < min || n > max)
		return row_fail(rd, col, "out of range");
	return n;
}

int
row_bool(struct row_reader *rd, size_t col)
{
	const char *s = row_value(rd, col);

	if (s == NULL)
		return 0;
	if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0)
		return row_fail(rd, col, "not 0 or 1");
	return s[0] == '1';
}

time_t
row_time(struct row_reader *rd, size_t col)
{
	const char *s = row_value(rd, col);
	time_t t;

	if (s == NULL)
		return 0;
	if (dates_parse_db(s, &t) != 0)
		return row_fail(rd, col, "not a DATETIME");
	return t;
}

int
row_time_or_null(struct row_reader *rd, size_t col, time_t *out)
{
	int usable;
	const char *s = row_cell(rd, col, &usable);

	*out = 0;
	if (s == NULL)
		return 0;
	if (dates_parse_db(s, out) != 0) {
		*out = 0;
		return row_fail(rd, col, "not a DATETIME");
	}
	return 1;
}

int
row_enum(struct row_reader *rd, size_t col, const char *const *names,
    size_t n)
{
	const char *s = row_value(rd, col);

	if (s == NULL)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (names[i] != NULL && strcmp(s, names[i]) == 0)
			return (int)i;
	return row_fail(rd, col, "not a known name");
}

void
row_invalid(struct row_reader *rd, size_t col, const char *why)
{
	row_fail(rd, col, why);
}

int
row_end(struct row_reader *rd)
{
	const char *name = "?", *text;

	if (!rd->failed)
		return 0;
	if (rd->row >= rd->rows->nrows || rd->col >= rd->rows->ncols) {
		log_err("%s row %zu, column %zu: %s", rd->what, rd->row, rd->col,
		    rd->why);
		return ROW_BAD;
	}
	if (rd->rows->names != NULL && rd->rows->names[rd->col] != NULL)
		name = rd->rows->names[rd->col];
	text = db_cell(rd->rows, rd->row, rd->col);
	log_err("%s row %zu, column %zu (%s) = %s%.40s%s: %s", rd->what,
	    rd->row, rd->col, name, text ? "\"" : "", text ? text : "NULL",
	    text ? "\"" : "", rd->why);
	return ROW_BAD;
}
