#include "event_notice.h"

#include <json-c/json.h>
#include <string.h>

#include "outbox.h"

/* Whether a and b differ, either may be NULL. */
static int
differ(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") != 0;
}

int
event_notice_queue(struct db *db, long long event_id, long long after)
{
	struct json_object *payload = json_object_new_object();
	int rc;

	json_object_object_add(payload, "event_id",
	    json_object_new_int64(event_id));
	json_object_object_add(payload, "after", json_object_new_int64(after));
	rc = outbox_add(db, "event_changed", payload);
	json_object_put(payload);
	return rc == 0 ? 0 : -1;
}

int
event_notice_change(struct db *db, const struct event *before,
    const struct event *after)
{
	if (before->status != EVENT_PUBLISHED ||
	    after->status != EVENT_PUBLISHED)
		return 1;
	/* To the minute: the form has no seconds, so saving it unchanged
	 * may drop some the event was created with. */
	if (before->starts_at / 60 == after->starts_at / 60 &&
	    before->ends_at / 60 == after->ends_at / 60 &&
	    !differ(before->timezone, after->timezone) &&
	    !differ(before->venue, after->venue) &&
	    !differ(before->address, after->address) &&
	    !differ(before->city, after->city))
		return 1;
	return event_notice_queue(db, before->id, 0);
}
