#include "audit.h"

#include "db.h"
#include "util.h"

enum audit_stmt { AUDIT_INSERT, AUDIT__MAX };

static const char *const audit_stmts[AUDIT__MAX] = {
	/* AUDIT_INSERT */
	"INSERT INTO audit_log (user_id, action, target, ip, detail) "
	"VALUES (?, ?, LEFT(?, 200), LEFT(?, 45), LEFT(?, 1000))",
};

int
audit_log(struct db *db, long long user_id, const char *action,
    const char *target, const char *ip, const char *detail)
{
	struct db_arg args[] = {
		user_id > 0 ? DB_INT(user_id) : DB_NULL,
		DB_STR(action),
		DB_STR(target ? target : ""),
		DB_STR(ip ? ip : ""),
		DB_STR(detail ? detail : ""),
	};

	return db_exec(db, audit_stmts[AUDIT_INSERT], args, ARRAY_LEN(args),
	    NULL, NULL);
}
