#include "db_admin.h"

#include "util.h"

enum admin_stmt {
	ADM_USERS,
	ADM_USERS_MATCHING,
	ADM_SET_ROLE,
	ADM_USER_EMAIL,
	ADM_AUDIT,
	ADM__MAX
};

static const char *const admin_stmts[ADM__MAX] = {
	/* ADM_USERS */
	"SELECT id, email, display_name, role, email_verified_at IS NOT NULL, "
	"created_at FROM users WHERE deleted_at IS NULL "
	"ORDER BY id DESC LIMIT ? OFFSET ?",
	/* ADM_USERS_MATCHING */
	"SELECT id, email, display_name, role, email_verified_at IS NOT NULL, "
	"created_at FROM users WHERE deleted_at IS NULL "
	"AND (email LIKE CONCAT(?, '%') OR display_name LIKE CONCAT(?, '%')) "
	"ORDER BY id DESC LIMIT ? OFFSET ?",
	/* ADM_SET_ROLE: admins are made only from the command line */
	"UPDATE users SET role = ? WHERE id = ? AND role <> 'admin' "
	"AND deleted_at IS NULL",
	/* ADM_USER_EMAIL */
	"SELECT email FROM users WHERE id = ?",
	/* ADM_AUDIT */
	"SELECT a.at, a.action, a.target, a.ip, a.detail, u.email "
	"FROM audit_log a LEFT JOIN users u ON u.id = a.user_id "
	"ORDER BY a.id DESC LIMIT ?",
};

int
db_admin_users(struct db *db, struct arena *a, const char *q, int limit,
    int offset, struct db_rows *out)
{
	if (q == NULL) {
		struct db_arg args[] = { DB_INT(limit), DB_INT(offset) };

		return db_query(db, a, DB_READ, admin_stmts[ADM_USERS], args,
		    ARRAY_LEN(args), out);
	}
	struct db_arg args[] = { DB_STR(q), DB_STR(q), DB_INT(limit),
		DB_INT(offset) };

	return db_query(db, a, DB_READ, admin_stmts[ADM_USERS_MATCHING], args,
	    ARRAY_LEN(args), out);
}

int
db_admin_set_role(struct db *db, long long user_id, const char *role,
    int *changed)
{
	struct db_arg args[] = { DB_STR(role), DB_INT(user_id) };
	unsigned long long n = 0;

	if (db_exec(db, admin_stmts[ADM_SET_ROLE], args, ARRAY_LEN(args), &n,
	    NULL) != 0)
		return -1;
	*changed = n > 0;
	return 0;
}

int
db_admin_user_email(struct db *db, struct arena *a, long long user_id,
    struct db_rows *out)
{
	struct db_arg args[] = { DB_INT(user_id) };

	return db_query(db, a, DB_PRIMARY, admin_stmts[ADM_USER_EMAIL], args,
	    ARRAY_LEN(args), out);
}

int
db_admin_audit(struct db *db, struct arena *a, int limit, struct db_rows *out)
{
	struct db_arg args[] = { DB_INT(limit) };

	return db_query(db, a, DB_READ, admin_stmts[ADM_AUDIT], args,
	    ARRAY_LEN(args), out);
}
