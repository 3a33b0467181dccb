#include "attendees.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "util.h"

enum attendees_stmt {
	ATT_PAGE,
	ATT_BATCH,
	ATT__MAX
};

#define ATTENDEE_COLS \
	"SELECT k.id, k.code, k.attendee_name, k.ticket_type_id, tt.name, " \
	"o.code, o.status, COALESCE(u.display_name, ''), " \
	"COALESCE(u.email, ''), k.checked_in_at "

/* The filter, in the order of filter_args(): each part is switched on
 * or off by a flag, so one prepared statement serves every combination
 * (the server sees the flags' values when it plans each execution). */
#define ATTENDEE_FILTER \
	"AND (? = 0 OR k.ticket_type_id = ?) " \
	"AND (? = 0 OR o.status = ?) " \
	"AND (? = 0 OR k.attendee_name LIKE ? ESCAPE '!' " \
	"OR u.display_name LIKE ? ESCAPE '!' OR u.email LIKE ? ESCAPE '!' " \
	"OR o.code = ? OR k.code = ?) "

#define FILTER_ARGS 10

static const char *const attendees_stmts[ATT__MAX] = {
	/* ATT_PAGE: the event's orders through orders_by_event, their
	 * tickets through tickets_order; sorted, as a page of a list is */
	ATTENDEE_COLS
	"FROM orders o JOIN tickets k ON k.order_id = o.id "
	"JOIN ticket_types tt ON tt.id = k.ticket_type_id "
	"LEFT JOIN users u ON u.id = o.buyer_id "
	"WHERE o.event_id = ? " ATTENDEE_FILTER
	"ORDER BY tt.sort_order, tt.id, k.id LIMIT ? OFFSET ?",
	/* ATT_BATCH: one type's tickets after an id, a range of the
	 * (ticket_type_id, id) index; the orders by their key */
	ATTENDEE_COLS
	"FROM tickets k JOIN orders o ON o.id = k.order_id "
	"JOIN ticket_types tt ON tt.id = k.ticket_type_id "
	"LEFT JOIN users u ON u.id = o.buyer_id "
	"WHERE k.ticket_type_id = ? AND k.id > ? AND o.event_id = ? "
	ATTENDEE_FILTER
	"ORDER BY k.id LIMIT ?",
};

enum attendee_col {
	AT_ID, AT_CODE, AT_NAME, AT_TYPE_ID, AT_TYPE_NAME, AT_ORDER_CODE,
	AT_ORDER_STATUS, AT_BUYER_NAME, AT_BUYER_EMAIL, AT_CHECKED_IN_AT
};

const char *
attendees_like_pattern(struct arena *a, const char *text)
{
	struct buf b;
	const char *pattern;

	buf_init(&b);
	buf_putc(&b, '%');
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '!' || *p == '%' || *p == '_')
			buf_putc(&b, '!');
		buf_putc(&b, *p);
	}
	buf_putc(&b, '%');
	pattern = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return pattern;
}

const char *
attendees_code_form(struct arena *a, const char *text)
{
	char *code = arena_strdup(a, text), *w = code;

	for (const char *p = text; *p != '\0'; p++) {
		if (*p == ' ' || *p == '-' || *p == '\t')
			continue;
		*w++ = (char)toupper((unsigned char)*p);
	}
	*w = '\0';
	return code;
}

/* The filter's FILTER_ARGS arguments into args, in ATTENDEE_FILTER's
 * order. */
static void
filter_args(struct arena *a, const struct attendee_filter *f,
    struct db_arg *args)
{
	int search = f->search != NULL && *f->search != '\0';
	const char *like = search ? attendees_like_pattern(a, f->search) : "";
	const char *code = search ? attendees_code_form(a, f->search) : "";
	size_t i = 0;

	args[i++] = DB_INT(f->ticket_type_id != 0);
	args[i++] = DB_INT(f->ticket_type_id);
	args[i++] = DB_INT(f->has_status);
	args[i++] = DB_STR(f->has_status ? order_status_names[f->status] : "");
	args[i++] = DB_INT(search);
	args[i++] = DB_STR(like);
	args[i++] = DB_STR(like);
	args[i++] = DB_STR(like);
	args[i++] = DB_STR(code);
	args[i++] = DB_STR(code);
}

static int
parse_attendee(const struct db_rows *rows, size_t i, struct attendee *out)
{
	struct row_reader rd;

	row_begin(&rd, rows, i, "attendee");
	out->ticket_id = row_int(&rd, AT_ID, 1, LLONG_MAX);
	out->ticket_code = row_text(&rd, AT_CODE);
	out->attendee_name = row_text(&rd, AT_NAME);
	out->ticket_type_id = row_int(&rd, AT_TYPE_ID, 1, LLONG_MAX);
	out->type_name = row_text(&rd, AT_TYPE_NAME);
	out->order_code = row_text(&rd, AT_ORDER_CODE);
	out->order_status = (enum order_status)row_enum(&rd, AT_ORDER_STATUS,
	    order_status_names, ORDER__STATUS_MAX);
	out->buyer_name = row_text(&rd, AT_BUYER_NAME);
	out->buyer_email = row_text(&rd, AT_BUYER_EMAIL);
	out->has_checked_in_at = row_time_or_null(&rd, AT_CHECKED_IN_AT,
	    &out->checked_in_at);
	return row_end(&rd);
}

static int
run(struct db *db, struct arena *a, enum attendees_stmt stmt,
    const struct db_arg *args, size_t nargs, struct attendee **out,
    size_t *n)
{
	struct db_rows rows;

	*out = NULL;
	*n = 0;
	if (db_query(db, a, DB_READ, attendees_stmts[stmt], args, nargs,
	    &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows ? rows.nrows : 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++)
		if (parse_attendee(&rows, i, &(*out)[i]) != 0)
			return ROW_BAD;
	*n = rows.nrows;
	return 0;
}

static int
clamp_limit(int limit)
{
	return limit < 1 ? 1 : limit > ATTENDEES_LIMIT_MAX ?
	    ATTENDEES_LIMIT_MAX : limit;
}

int
attendees_page(struct db *db, struct arena *a, const struct attendee_filter *f,
    int limit, int offset, struct attendee **out, size_t *n)
{
	struct db_arg args[1 + FILTER_ARGS + 2];

	args[0] = DB_INT(f->event_id);
	filter_args(a, f, args + 1);
	args[1 + FILTER_ARGS] = DB_INT(clamp_limit(limit));
	args[2 + FILTER_ARGS] = DB_INT(offset > 0 ? offset : 0);
	return run(db, a, ATT_PAGE, args, ARRAY_LEN(args), out, n);
}

int
attendees_batch(struct db *db, struct arena *a,
    const struct attendee_filter *f, long long ticket_type_id,
    long long after_id, int limit, struct attendee **out, size_t *n)
{
	struct db_arg args[3 + FILTER_ARGS + 1];

	args[0] = DB_INT(ticket_type_id);
	args[1] = DB_INT(after_id);
	args[2] = DB_INT(f->event_id);
	filter_args(a, f, args + 3);
	args[3 + FILTER_ARGS] = DB_INT(clamp_limit(limit));
	return run(db, a, ATT_BATCH, args, ARRAY_LEN(args), out, n);
}
