#include "session_confirm.h"

#include <string.h>

#include "db.h"
#include "http_url.h"
#include "program.h"
#include "request.h"
#include "session.h"
#include "util.h"

enum confirm_stmt {
	CONFIRM_SET,
	CONFIRM_RECENT,
	CONFIRM__MAX
};

static const char *const confirm_stmts[CONFIRM__MAX] = {
	/* CONFIRM_SET */
	"UPDATE sessions SET confirmed_at = UTC_TIMESTAMP() WHERE id = ?",
	/* CONFIRM_RECENT: args id, seconds */
	"SELECT COUNT(*) FROM sessions "
	"WHERE id = ? "
	"AND confirmed_at > UTC_TIMESTAMP() - INTERVAL ? SECOND",
};

int
session_confirm(struct request *r)
{
	struct db_arg args[] = { DB_INT(r->session->id) };

	return db_exec(r->db, confirm_stmts[CONFIRM_SET], args,
	    ARRAY_LEN(args), NULL, NULL) != 0 ? -1 : 0;
}

int
session_confirmed(struct request *r)
{
	struct db_arg args[] = {
		DB_INT(r->session->id), DB_INT(SESSION_CONFIRM_SECONDS),
	};
	struct db_rows rows;

	/* On the primary: the confirmation was written a moment ago. */
	if (db_query(r->db, r->arena, DB_PRIMARY, confirm_stmts[CONFIRM_RECENT],
	    args, ARRAY_LEN(args), &rows) != 0 || rows.nrows != 1)
		return -1;
	return strcmp(db_cell(&rows, 0, 0), "0") != 0;
}

int
session_confirm_redirect(struct request *r, const char *next)
{
	return page_redirect(r, 303, arena_printf(r->arena, "%s?next=%s",
	    SESSION_CONFIRM_PATH, url_encode(r->arena, next, strlen(next))));
}
