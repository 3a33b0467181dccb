/*
 * Reading one result row (struct db_rows: text cells as the server wrote
 * them) into a domain struct, once, in the module that owns the statement.
 *
 * Each row_* call converts one cell. The first cell that does not convert
 * (SQL NULL where a value is needed, a missing column, text that is not a
 * whole number in range, not a DATETIME, not one of an ENUM's names) marks
 * the reader failed; later calls return zero or NULL. row_end() then
 * reports the failure once (the entity, the row, the column and its text)
 * and returns ROW_BAD, so a parser reads every field and checks once:
 *
 *	row_begin(&rd, rows, i, "event");
 *	ev->id = row_int(&rd, 0, 1, LLONG_MAX);
 *	ev->title = row_text(&rd, 1);
 *	return row_end(&rd);
 */
#ifndef TESSERA_ROW_H
#define TESSERA_ROW_H

#include <stddef.h>
#include <time.h>

#include "db.h"

/* What a domain read returns when a row could not be read (logged); the
 * page answers 500. -1 stays "no server could answer" (503). */
#define ROW_BAD (-2)

struct row_reader {
	const struct db_rows *rows;
	size_t row;
	const char *what;     /* the entity, for the log: "event" */
	int failed;
	size_t col;           /* the first cell that did not convert */
	const char *why;
};

void row_begin(struct row_reader *rd, const struct db_rows *rows, size_t row,
    const char *what);

/* Text of a NOT NULL column (row-owned, i.e. arena-owned). */
const char *row_text(struct row_reader *rd, size_t col);
/* Text, or NULL for SQL NULL. */
const char *row_text_or_null(struct row_reader *rd, size_t col);
/* A whole number written in decimal, min <= n <= max. */
long long row_int(struct row_reader *rd, size_t col, long long min,
    long long max);
/* "0" or "1", as the server writes a boolean expression. */
int row_bool(struct row_reader *rd, size_t col);
/* A DATETIME in UTC ("YYYY-MM-DD hh:mm:ss"). */
time_t row_time(struct row_reader *rd, size_t col);
/* A nullable DATETIME: 1 with *out set, 0 for SQL NULL (*out = 0). */
int row_time_or_null(struct row_reader *rd, size_t col, time_t *out);
/* The index i of names[i] (n names) equal to the cell's text. */
int row_enum(struct row_reader *rd, size_t col, const char *const *names,
    size_t n);

/* Marks the cell invalid for a reason of the parser's own (a value the
 * column may hold but the domain does not accept). */
void row_invalid(struct row_reader *rd, size_t col, const char *why);

/* 0 when every cell converted, else ROW_BAD after logging the first
 * failure. */
int row_end(struct row_reader *rd);

#endif
