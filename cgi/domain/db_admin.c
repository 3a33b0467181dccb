#include "db_admin.h"

#include <limits.h>

#include "buf.h"
#include "row.h"
#include "util.h"

enum admin_stmt {
	ADM_USERS,
	ADM_USERS_MATCHING,
	ADM_SET_ROLE,
	ADM_USER_EMAIL,
	ADM_AUDIT,
	ADM_AUDIT_OF,
	ADM_DISABLE,
	ADM_ENABLE,
	ADM_END_SESSIONS,
	ADM__MAX
};

static const char *const admin_stmts[ADM__MAX] = {
	/* ADM_USERS */
	"SELECT id, email, display_name, role, email_verified_at IS NOT NULL, "
	"created_at, disabled_at IS NOT NULL FROM users "
	"WHERE deleted_at IS NULL ORDER BY id DESC LIMIT ? OFFSET ?",
	/* ADM_USERS_MATCHING */
	"SELECT id, email, display_name, role, email_verified_at IS NOT NULL, "
	"created_at, disabled_at IS NOT NULL FROM users "
	"WHERE deleted_at IS NULL AND (email LIKE CONCAT(?, '%') OR display_name LIKE CONCAT(?, '%')) "
	"ORDER BY id DESC LIMIT ? OFFSET ?",
	/* ADM_SET_ROLE: admins are made only from the command line */
	"UPDATE users SET role = ? WHERE id = ? AND role <> 'admin' "
	"AND deleted_at IS NULL",
	/* ADM_USER_EMAIL */
	"SELECT email FROM users WHERE id = ? FOR UPDATE",
	/* ADM_AUDIT: through audit_by_time (at) */
	"SELECT a.at, a.action, a.target, a.ip, a.detail, u.email "
	"FROM audit_log a LEFT JOIN users u ON u.id = a.user_id "
	"WHERE a.action LIKE CONCAT(?, '%') AND a.at >= ? AND a.at < ? "
	"ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?",
	/* ADM_AUDIT_OF: one account's, through audit_by_user (user_id, at) */
	"SELECT a.at, a.action, a.target, a.ip, a.detail, u.email "
	"FROM audit_log a JOIN users u ON u.id = a.user_id "
	"WHERE u.email = ? AND a.action LIKE CONCAT(?, '%') "
	"AND a.at >= ? AND a.at < ? "
	"ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?",
	/* ADM_DISABLE: site admins are made and unmade from the command line
	 * only, so none can lock another out */
	"UPDATE users SET disabled_at = UTC_TIMESTAMP() WHERE id = ? "
	"AND role <> 'admin' AND disabled_at IS NULL AND deleted_at IS NULL",
	/* ADM_ENABLE */
	"UPDATE users SET disabled_at = NULL WHERE id = ? "
	"AND disabled_at IS NOT NULL AND deleted_at IS NULL",
	/* ADM_END_SESSIONS */
	"DELETE FROM sessions WHERE user_id = ?",
};

/* s with LIKE's wildcards and escape character escaped, to match as a
 * prefix: "50%_off" finds "50%_off..." only. Arena-owned. */
static const char *
like_escape(struct arena *a, const char *s)
{
	struct buf b;
	const char *out;

	buf_init(&b);
	for (; *s != '\0'; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *s);
	}
	out = arena_strdup(a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

int
db_admin_users(struct db *db, struct arena *a, const char *q, int limit,
    int offset, struct admin_user **out, size_t *n)
{
	struct db_rows rows;
	int rc;

	*out = NULL;
	*n = 0;
	if (q == NULL) {
		struct db_arg args[] = { DB_INT(limit), DB_INT(offset) };

		rc = db_query(db, a, DB_READ, admin_stmts[ADM_USERS], args,
		    ARRAY_LEN(args), &rows);
	} else {
		const char *prefix = like_escape(a, q);
		struct db_arg args[] = { DB_STR(prefix), DB_STR(prefix),
			DB_INT(limit), DB_INT(offset) };

		rc = db_query(db, a, DB_READ, admin_stmts[ADM_USERS_MATCHING],
		    args, ARRAY_LEN(args), &rows);
	}
	if (rc != 0)
		return -1;
	*out = arena_calloc(a, rows.nrows + 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct admin_user *u = &(*out)[i];
		struct row_reader rd;

		row_begin(&rd, &rows, i, "account");
		u->id = row_int(&rd, 0, 1, LLONG_MAX);
		u->email = row_text(&rd, 1);
		u->display_name = row_text(&rd, 2);
		u->role = (enum role)row_enum(&rd, 3, role_names, ROLE__MAX);
		u->verified = row_bool(&rd, 4);
		u->created_at = row_time(&rd, 5);
		u->disabled = row_bool(&rd, 6);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*n = rows.nrows;
	return 0;
}

int
db_admin_set_role(struct db *db, long long user_id, enum role role,
    int *changed)
{
	struct db_arg args[] = { DB_STR(role_name(role)), DB_INT(user_id) };
	unsigned long long n = 0;

	if (db_exec(db, admin_stmts[ADM_SET_ROLE], args, ARRAY_LEN(args), &n,
	    NULL) != 0)
		return -1;
	*changed = n > 0;
	return 0;
}

int
db_admin_user_email(struct db *db, struct arena *a, long long user_id,
    const char **email)
{
	struct db_arg args[] = { DB_INT(user_id) };
	struct db_rows rows;

	if (db_query(db, a, DB_PRIMARY, admin_stmts[ADM_USER_EMAIL], args,
	    ARRAY_LEN(args), &rows) != 0)
		return -1;
	if (rows.nrows == 0 || db_cell(&rows, 0, 0) == NULL)
		return 1;
	*email = db_cell(&rows, 0, 0);
	return 0;
}

int
db_admin_audit(struct db *db, struct arena *a, const struct audit_filter *f,
    struct audit_entry **out, size_t *n)
{
	const char *from = f->from ? f->from : "1000-01-01 00:00:00";
	const char *before = f->before ? f->before : "9999-12-31 23:59:59";
	const char *action = like_escape(a, f->action ? f->action : "");
	struct db_arg all[] = { DB_STR(action), DB_STR(from), DB_STR(before),
		DB_INT(f->limit), DB_INT(f->offset) };
	struct db_arg of[] = { DB_STR(f->email ? f->email : ""), DB_STR(action),
		DB_STR(from), DB_STR(before), DB_INT(f->limit),
		DB_INT(f->offset) };
	struct db_rows rows;
	enum db_status st;

	*out = NULL;
	*n = 0;
	st = f->email != NULL ?
	    db_query(db, a, DB_READ, admin_stmts[ADM_AUDIT_OF], of,
	    ARRAY_LEN(of), &rows) :
	    db_query(db, a, DB_READ, admin_stmts[ADM_AUDIT], all,
	    ARRAY_LEN(all), &rows);
	if (st != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows + 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct audit_entry *e = &(*out)[i];
		struct row_reader rd;

		row_begin(&rd, &rows, i, "audit entry");
		e->at = row_time(&rd, 0);
		e->action = row_text(&rd, 1);
		e->target = row_text_or_null(&rd, 2);
		e->ip = row_text_or_null(&rd, 3);
		e->detail = row_text_or_null(&rd, 4);
		e->email = row_text_or_null(&rd, 5);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*n = rows.nrows;
	return 0;
}

int
db_admin_set_disabled(struct db *db, long long user_id, int disabled,
    int *changed)
{
	struct db_arg args[] = { DB_INT(user_id) };
	unsigned long long n = 0;

	*changed = 0;
	if (db_exec(db, admin_stmts[disabled ? ADM_DISABLE : ADM_ENABLE], args,
	    ARRAY_LEN(args), &n, NULL) != DB_OK)
		return -1;
	*changed = n > 0;
	/* Its sessions stop working at once (session.c reads disabled_at);
	 * dropping them is so they cannot come back with it. */
	if (disabled && n > 0 && db_exec(db, admin_stmts[ADM_END_SESSIONS],
	    args, ARRAY_LEN(args), NULL, NULL) != DB_OK)
		return -1;
	return 0;
}
