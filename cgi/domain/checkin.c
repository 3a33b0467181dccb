#include "checkin.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "row.h"
#include "util.h"

enum checkin_stmt {
	CHK_FIND,
	CHK_MARK,
	CHK_WHEN,
	CHK_COUNTS,
	CHK__MAX
};

static const char *const checkin_stmts[CHK__MAX] = {
	/* CHK_FIND: through tickets_code */
	"SELECT k.id, k.code, k.attendee_name, tt.name, o.code, o.status, "
	"e.id, e.title, e.organizer_id, k.checked_in_at FROM tickets k "
	"JOIN orders o ON o.id = k.order_id "
	"JOIN ticket_types tt ON tt.id = k.ticket_type_id "
	"JOIN events e ON e.id = o.event_id WHERE k.code = ?",
	/* CHK_MARK: the guarded update; 0 rows: checked in before */
	"UPDATE tickets SET checked_in_at = UTC_TIMESTAMP() "
	"WHERE id = ? AND checked_in_at IS NULL",
	/* CHK_WHEN: a locking read, which sees the latest commit: after a
	 * door that lost the race, a plain read would see the transaction's
	 * snapshot, from before the winner checked the ticket in */
	"SELECT checked_in_at FROM tickets WHERE id = ? LOCK IN SHARE MODE",
	/* CHK_COUNTS */
	"SELECT COUNT(*), COUNT(k.checked_in_at) FROM tickets k "
	"JOIN orders o ON o.id = k.order_id "
	"WHERE o.event_id = ? AND o.status = 'paid'",
};

int
checkin_find(struct db *db, struct arena *a, const char *code,
    struct checkin_ticket *out)
{
	struct db_arg args[] = { DB_STR(code) };
	struct db_rows rows;
	struct row_reader rd;

	memset(out, 0, sizeof(*out));
	if (strlen(code) != TICKET_CODE_LEN)
		return 1;
	if (db_query(db, a, DB_PRIMARY, checkin_stmts[CHK_FIND], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	if (rows.nrows == 0)
		return 1;
	row_begin(&rd, &rows, 0, "ticket at the door");
	out->id = row_int(&rd, 0, 1, LLONG_MAX);
	out->code = row_text(&rd, 1);
	out->attendee_name = row_text(&rd, 2);
	out->type_name = row_text(&rd, 3);
	out->order_code = row_text(&rd, 4);
	out->order_status = (enum order_status)row_enum(&rd, 5,
	    order_status_names, ORDER__STATUS_MAX);
	out->event_id = row_int(&rd, 6, 1, LLONG_MAX);
	out->event_title = row_text(&rd, 7);
	out->organizer_id = row_int(&rd, 8, 1, LLONG_MAX);
	out->has_checked_in_at = row_time_or_null(&rd, 9, &out->checked_in_at);
	return row_end(&rd);
}

enum checkin_verdict
checkin_verdict(const struct checkin_ticket *t, long long event_id)
{
	if (t->event_id != event_id)
		return CHECKIN_OTHER_EVENT;
	if (t->order_status != ORDER_PAID)
		return CHECKIN_NOT_PAID;
	if (t->has_checked_in_at)
		return CHECKIN_ALREADY;
	return CHECKIN_OK;
}

int
checkin_mark(struct db *db, struct arena *a, struct checkin_ticket *t)
{
	struct db_arg id[] = { DB_INT(t->id) };
	unsigned long long n = 0;
	struct db_rows rows;
	struct row_reader rd;

	if (db_exec(db, checkin_stmts[CHK_MARK], id, 1, &n, NULL) != DB_OK ||
	    db_query(db, a, DB_PRIMARY, checkin_stmts[CHK_WHEN], id, 1,
	    &rows) != DB_OK || rows.nrows != 1)
		return -1;
	row_begin(&rd, &rows, 0, "check-in time");
	t->has_checked_in_at = row_time_or_null(&rd, 0, &t->checked_in_at);
	if (row_end(&rd) != 0 || !t->has_checked_in_at)
		return -1;
	return n == 1 ? 0 : 1;
}

int
checkin_counts(struct db *db, struct arena *a, long long event_id,
    long long *sold, long long *checked_in)
{
	struct db_arg args[] = { DB_INT(event_id) };
	struct db_rows rows;
	struct row_reader rd;

	*sold = *checked_in = 0;
	if (db_query(db, a, DB_PRIMARY, checkin_stmts[CHK_COUNTS], args,
	    ARRAY_LEN(args), &rows) != DB_OK || rows.nrows != 1)
		return -1;
	row_begin(&rd, &rows, 0, "check-in counts");
	*sold = row_int(&rd, 0, 0, LLONG_MAX);
	*checked_in = row_int(&rd, 1, 0, LLONG_MAX);
	return row_end(&rd) == 0 ? 0 : -1;
}

const char *
checkin_normalize_code(struct arena *a, const char *typed)
{
	char code[TICKET_CODE_LEN + 1];
	size_t n = 0;

	for (const char *p = typed; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == ' ' || c == '-' || c == '\t')
			continue;
		if (c > 127 || !isalnum(c) || n == TICKET_CODE_LEN)
			return NULL;
		code[n++] = (char)toupper(c);
	}
	if (n != TICKET_CODE_LEN)
		return NULL;
	code[n] = '\0';
	return arena_strdup(a, code);
}
