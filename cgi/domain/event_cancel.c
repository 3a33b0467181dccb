#include "event_cancel.h"

#include <json-c/json.h>

#include "outbox.h"
#include "util.h"

enum cancel_stmt { EC_MARK, EC__MAX };

static const char *const cancel_stmts[EC__MAX] = {
	/* EC_MARK: only a published event; waits for payments in flight,
	 * which hold the row shared (orders_event_open) */
	"UPDATE events SET status = 'cancelled' "
	"WHERE id = ? AND status = 'published'",
};

int
event_cancel(struct db *db, long long event_id, const char *reason)
{
	struct db_arg args[] = { DB_INT(event_id) };
	unsigned long long n = 0;
	struct json_object *payload;
	int rc;

	if (db_exec(db, cancel_stmts[EC_MARK], args, ARRAY_LEN(args), &n,
	    NULL) != DB_OK)
		return -1;
	if (n == 0)
		return 1;
	payload = json_object_new_object();
	json_object_object_add(payload, "event_id",
	    json_object_new_int64(event_id));
	json_object_object_add(payload, "reason",
	    json_object_new_string(reason ? reason : ""));
	rc = outbox_add(db, "event_cancelled", payload);
	json_object_put(payload);
	return rc == 0 ? 0 : -1;
}
