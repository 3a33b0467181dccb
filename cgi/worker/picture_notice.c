#include "picture_notice.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "notify.h"
#include "picture_reports.h"

int
picture_notice_moderated(struct db *db, const struct config *cfg,
    struct arena *a, struct json_object *payload, char *err, size_t errlen)
{
	struct json_object *owner, *title, *action, *picture, *vars;
	const char *email, *name, *link, *text;
	long long picture_id;
	int rc, deleted;

	if (!json_object_object_get_ex(payload, "owner_id", &owner) ||
	    !json_object_is_type(owner, json_type_int) ||
	    !json_object_object_get_ex(payload, "title", &title) ||
	    !json_object_is_type(title, json_type_string) ||
	    !json_object_object_get_ex(payload, "action", &action) ||
	    !json_object_is_type(action, json_type_string)) {
		snprintf(err, errlen, "picture_moderated needs owner_id, title "
		    "and action");
		return -1;
	}
	rc = picture_owner_contact(db, a, json_object_get_int64(owner), &email,
	    &name);
	if (rc == 1 || (rc == 0 && strchr(email, '@') == NULL))
		return 0;
	if (rc != 0) {
		snprintf(err, errlen, "cannot read the picture's owner");
		return -1;
	}
	deleted = strcmp(json_object_get_string(action), "deleted") == 0;
	picture_id = json_object_object_get_ex(payload, "picture_id", &picture) ?
	    json_object_get_int64(picture) : 0;
	/* A deleted picture has no page left: the owner's list instead. */
	link = deleted ? "/me/pictures" : arena_printf(a, "/me/pictures/%lld",
	    picture_id);
	text = arena_printf(a, "The moderators %s your picture “%s”",
	    deleted ? "removed" : "hid", json_object_get_string(title));
	vars = json_object_new_object();
	json_object_object_add(vars, "name", json_object_new_string(name));
	json_object_object_add(vars, "title",
	    json_object_new_string(json_object_get_string(title)));
	json_object_object_add(vars, "deleted", json_object_new_boolean(deleted));
	rc = notify_deliver(db, cfg->base_url, cfg->secret_key,
	    json_object_get_int64(owner), NOTIFY_PICTURE_HIDDEN, picture_id,
	    link, text, email, "picture_moderated", vars);
	json_object_put(vars);
	if (rc != 0) {
		snprintf(err, errlen, "cannot tell the owner");
		return -1;
	}
	log_info("picture %lld: its owner is told it was %s",
	    (long long)json_object_get_int64(json_object_object_get(payload,
	    "picture_id")), deleted ? "deleted" : "hidden");
	return 0;
}

int
picture_notice_liked(struct db *db, const struct config *cfg,
    struct arena *a, struct json_object *payload, char *err, size_t errlen)
{
	struct json_object *owner, *title, *picture, *vars;
	const char *email, *name;
	long long picture_id;
	int rc;

	if (!json_object_object_get_ex(payload, "owner_id", &owner) ||
	    !json_object_is_type(owner, json_type_int) ||
	    !json_object_object_get_ex(payload, "picture_id", &picture) ||
	    !json_object_is_type(picture, json_type_int) ||
	    !json_object_object_get_ex(payload, "title", &title) ||
	    !json_object_is_type(title, json_type_string)) {
		snprintf(err, errlen, "picture_liked needs owner_id, picture_id "
		    "and title");
		return -1;
	}
	picture_id = json_object_get_int64(picture);
	if ((rc = notify_aggregate(db, json_object_get_int64(owner),
	    NOTIFY_PICTURE_LIKED, picture_id, arena_printf(a, "/pictures/%lld",
	    picture_id), json_object_get_string(title))) < 0) {
		snprintf(err, errlen, "cannot count the like");
		return -1;
	}
	/* A mail, for those who asked for it, only for the like that opened
	 * the notification: not one per like. */
	if (rc == 0)
		return 0;
	rc = picture_owner_contact(db, a, json_object_get_int64(owner), &email,
	    &name);
	if (rc == 1 || (rc == 0 && strchr(email, '@') == NULL))
		return 0;
	vars = json_object_new_object();
	json_object_object_add(vars, "name", json_object_new_string(name));
	json_object_object_add(vars, "title",
	    json_object_new_string(json_object_get_string(title)));
	json_object_object_add(vars, "picture_url", json_object_new_string(
	    arena_printf(a, "%s/pictures/%lld", cfg->base_url ? cfg->base_url :
	    "", picture_id)));
	rc = rc != 0 ? -1 : notify_mail(db, cfg->base_url, cfg->secret_key,
	    json_object_get_int64(owner), NOTIFY_PICTURE_LIKED, email,
	    "picture_liked", vars);
	json_object_put(vars);
	if (rc != 0) {
		snprintf(err, errlen, "cannot mail the owner");
		return -1;
	}
	return 0;
}
