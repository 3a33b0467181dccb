/*
 * The worker's side of what happened to a picture that its owner should
 * hear of: outbox topic "picture_moderated" (picture_reports.h) becomes a
 * mail to the owner (template picture_moderated). The payload also
 * carries what an in-app notification needs (picture id, recipient);
 * and topic "picture_liked", the likes counted into one notification.
 */
#ifndef TESSERA_PICTURE_NOTICE_H
#define TESSERA_PICTURE_NOTICE_H

#include <stddef.h>

struct arena;
struct config;
struct db;
struct json_object;

/* The owner's notification and, as they chose, mail, in the caller's
 * transaction. Returns 0 when the row is done (also when the owner is
 * gone), or -1 with the reason in err. */
int picture_notice_moderated(struct db *db, const struct config *cfg,
    struct arena *a, struct json_object *payload, char *err, size_t errlen);

/* Topic "picture_liked" (pictures_like_toggle): one more person liked
 * the owner's picture, counted into their open notification of it
 * (notify_aggregate: "12 people liked ..."); the like that opens it is
 * mailed (template picture_liked) to an owner who asked for these mails
 * (off by default). In the caller's transaction; 0, or -1 with the
 * reason in err. */
int picture_notice_liked(struct db *db, const struct config *cfg,
    struct arena *a, struct json_object *payload, char *err, size_t errlen);

#endif
