#include "picture_reports.h"

#include <json-c/json.h>
#include <limits.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "db.h"
#include "outbox.h"
#include "row.h"
#include "util.h"

enum report_stmt {
	PR_INSERT,
	PR_OPEN,
	PR_LOCK,
	PR_HIDE,
	PR_RESOLVE,
	PR_DELETE,
	PR_OWNER,
	PR__MAX
};

static const char *const report_stmts[PR__MAX] = {
	/* PR_INSERT: only a shown picture can be reported. */
	"INSERT INTO picture_reports (picture_id, reporter_id, reason) "
	"SELECT id, ?, ? FROM pictures WHERE id = ? AND status = 'ready'",
	/* PR_OPEN */
	"SELECT r.id, r.picture_id, p.title, "
	"IF(u.deleted_at IS NULL, u.display_name, ''), p.status = 'hidden', "
	"r.reason, r.created_at FROM picture_reports r "
	"JOIN pictures p ON p.id = r.picture_id JOIN users u ON u.id = p.owner_id "
	"WHERE r.resolved_at IS NULL ORDER BY r.picture_id, r.id LIMIT ?",
	/* PR_LOCK */
	"SELECT owner_id, title, storage_key, status FROM pictures "
	"WHERE id = ? FOR UPDATE",
	/* PR_HIDE */
	"UPDATE pictures SET status = 'hidden' WHERE id = ?",
	/* PR_RESOLVE */
	"UPDATE picture_reports SET resolved_at = UTC_TIMESTAMP() "
	"WHERE picture_id = ? AND resolved_at IS NULL",
	/* PR_DELETE: its likes and reports go with it (ON DELETE CASCADE). */
	"DELETE FROM pictures WHERE id = ?",
	/* PR_OWNER */
	"SELECT email, display_name FROM users WHERE id = ?",
};

enum picture_report_added
picture_report_add(struct db *db, long long picture_id, long long reporter_id,
    const char *reason)
{
	struct db_arg args[] = { DB_INT(reporter_id), DB_STR(reason),
	    DB_INT(picture_id) };
	unsigned long long added = 0;
	enum db_status st;

	st = db_exec(db, report_stmts[PR_INSERT], args, ARRAY_LEN(args), &added,
	    NULL);
	if (st == DB_DUPLICATE)
		return REPORT_AGAIN;
	if (st != DB_OK)
		return REPORT_FAILED;
	return added == 1 ? REPORT_ADDED : REPORT_NO_PICTURE;
}

int
picture_reports_open(struct db *db, struct arena *a, int limit,
    struct picture_report **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(limit) };
	struct picture_report *list;
	struct db_rows rows;

	*out = NULL;
	*n = 0;
	if (db_query(db, a, DB_PRIMARY, report_stmts[PR_OPEN], args,
	    ARRAY_LEN(args), &rows) != 0)
		return -1;
	list = arena_calloc(a, rows.nrows ? rows.nrows : 1, sizeof(*list));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct row_reader rd;

		row_begin(&rd, &rows, i, "picture report");
		list[i].id = row_int(&rd, 0, 1, LLONG_MAX);
		list[i].picture_id = row_int(&rd, 1, 1, LLONG_MAX);
		list[i].title = row_text(&rd, 2);
		list[i].owner_name = row_text(&rd, 3);
		list[i].hidden = row_bool(&rd, 4);
		list[i].reason = row_text(&rd, 5);
		list[i].created_at = row_time(&rd, 6);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*out = list;
	*n = rows.nrows;
	return 0;
}

int
picture_moderate(struct db *db, struct arena *a, long long picture_id,
    enum picture_moderation what, long long admin_id, const char *ip,
    const char **key)
{
	static const char *const actions[] = { "hidden", "deleted" };
	static const char *const audit_actions[] = { "picture.hide",
	    "picture.delete" };
	struct db_arg pic[] = { DB_INT(picture_id) };
	struct json_object *payload;
	struct db_rows rows;
	const char *title;
	long long owner;
	int rc;

	if (db_query(db, a, DB_PRIMARY, report_stmts[PR_LOCK], pic,
	    ARRAY_LEN(pic), &rows) != 0)
		return -1;
	if (rows.nrows == 0 || (what == MODERATE_HIDE &&
	    strcmp(db_cell(&rows, 0, 3), "hidden") == 0))
		return 1;
	owner = strtoll(db_cell(&rows, 0, 0), NULL, 10);
	title = db_cell(&rows, 0, 1);
	*key = db_cell(&rows, 0, 2);
	if (db_exec(db, report_stmts[PR_RESOLVE], pic, ARRAY_LEN(pic), NULL,
	    NULL) != DB_OK ||
	    db_exec(db, report_stmts[what == MODERATE_HIDE ? PR_HIDE :
	    PR_DELETE], pic, ARRAY_LEN(pic), NULL, NULL) != DB_OK)
		return -1;
	payload = json_object_new_object();
	json_object_object_add(payload, "picture_id",
	    json_object_new_int64(picture_id));
	json_object_object_add(payload, "owner_id", json_object_new_int64(owner));
	json_object_object_add(payload, "title", json_object_new_string(title));
	json_object_object_add(payload, "action",
	    json_object_new_string(actions[what]));
	rc = outbox_add(db, "picture_moderated", payload);
	json_object_put(payload);
	if (rc != 0)
		return -1;
	return audit_log(db, admin_id, audit_actions[what],
	    arena_printf(a, "picture %lld", picture_id), ip, title) == 0 ? 0 : -1;
}

int
picture_owner_contact(struct db *db, struct arena *a, long long user_id,
    const char **email, const char **name)
{
	struct db_arg args[] = { DB_INT(user_id) };
	struct db_rows rows;
	struct row_reader rd;

	if (db_query(db, a, DB_PRIMARY, report_stmts[PR_OWNER], args,
	    ARRAY_LEN(args), &rows) != 0)
		return -1;
	if (rows.nrows == 0)
		return 1;
	row_begin(&rd, &rows, 0, "picture owner");
	*email = row_text(&rd, 0);
	*name = row_text(&rd, 1);
	return row_end(&rd);
}
