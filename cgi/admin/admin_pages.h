/*
 * tessera-admin: the pages of organizers and site admins. Each route
 * declares the role it needs (admin_main.c); the dispatcher checks it
 * before the handler runs.
 */
#ifndef TESSERA_ADMIN_PAGES_H
#define TESSERA_ADMIN_PAGES_H

#include "request.h"

struct arena;
struct event;
struct events_outcome;
struct form_result;

enum admin_page {
	ADMIN_HOME,
	ADMIN_USERS,
	ADMIN_USER_ROLE,
	ADMIN_USER_ACCESS,
	ADMIN_AUDIT,
	ADMIN_STATUS,
	ADMIN_OUTBOX_RETRY,
	ADMIN_ORDER,
	ADMIN_ORDER_PAID,
	ADMIN_ORDER_REFUNDED,
	ADMIN_ORDER_CANCEL,
	ADMIN_CHECKIN,
	ADMIN_CHECKIN_POST,
	ADMIN_CHECKIN_SCAN,
	ADMIN_EVENT_CANCEL_FORM,
	ADMIN_EVENT_CANCEL,
	ADMIN_STAFF,
	ADMIN_STAFF_ADD,
	ADMIN_STAFF_REMOVE,
	/* An event's attendees, their export and its statistics. */
	ADMIN_ATTENDEES,
	ADMIN_ATTENDEES_CSV,
	ADMIN_STATS,
	ADMIN_EVENT_NEW,
	ADMIN_EVENT_CREATE,
	ADMIN_EVENT_EDIT,
	ADMIN_EVENT_SAVE,
	ADMIN_EVENT_DUPLICATE,
	ADMIN_EVENT_DELETE,
	ADMIN_TYPE_NEW,
	ADMIN_TYPE_CREATE,
	ADMIN_TYPE_EDIT,
	ADMIN_TYPE_SAVE,
	ADMIN_TYPE_DELETE,
	ADMIN_MODERATION,
	ADMIN_REVIEW_HIDE,
	ADMIN_REVIEW_SHOW,
	ADMIN_PICTURE_REPORTS,
	ADMIN_PICTURE_HIDE,
	ADMIN_PICTURE_DELETE,
	ADMIN_BANNER,
	ADMIN_BANNER_SET,
	ADMIN__MAX
};

int admin_home(struct request *r);
/* admin_picture_reports.c: moderation of pictures */
int admin_picture_reports(struct request *r);
int admin_picture_hide(struct request *r);
int admin_picture_delete(struct request *r);
/* admin_banner.c: GET and POST /admin/events/{id}/banner */
int admin_banner(struct request *r);
int admin_banner_set(struct request *r);
int admin_users(struct request *r);
int admin_user_role(struct request *r);
int admin_user_access(struct request *r);
int admin_audit(struct request *r);
int admin_status(struct request *r);
int admin_outbox_retry(struct request *r);
int admin_order(struct request *r);
int admin_order_paid(struct request *r);
int admin_order_refunded(struct request *r);
int admin_order_cancel(struct request *r);
int admin_checkin(struct request *r);
int admin_checkin_post(struct request *r);
int admin_checkin_scan(struct request *r);
int admin_event_cancel_form(struct request *r);
int admin_event_cancel(struct request *r);
int admin_staff(struct request *r);
int admin_staff_add(struct request *r);
int admin_staff_remove(struct request *r);
/* Reported reviews (admin_moderation.c): the queue, hiding, showing. */
int admin_moderation(struct request *r);
int admin_review_hide(struct request *r);
int admin_review_show(struct request *r);

/* An event's attendees (admin_attendees.c), as a page and as CSV, and
 * its statistics (admin_stats.c). */
int admin_attendees(struct request *r);
int admin_attendees_csv(struct request *r);
int admin_stats(struct request *r);
int admin_event_new(struct request *r);
int admin_event_create(struct request *r);
int admin_event_edit(struct request *r);
int admin_event_save(struct request *r);
int admin_event_duplicate(struct request *r);
int admin_event_delete(struct request *r);
int admin_type_new(struct request *r);
int admin_type_create(struct request *r);
int admin_type_edit(struct request *r);
int admin_type_save(struct request *r);
int admin_type_delete(struct request *r);

/* Whether the signed-in person may run what organizer_id organizes: it
 * is theirs, or they are a site admin. Anything else is answered as if
 * it did not exist (404). */
int admin_may_manage(const struct request *r, long long organizer_id);

/* The event of the path's {id}, any status, if the signed-in person may
 * manage it: 0, else the status to answer with (404 for another
 * organizer's, as for none; 503; 500). */
int admin_managed_event(struct request *r, struct event *ev);
/* The same inside page_change's function, the event locked for the
 * change (events_admin.h): 0, 404, 500, or -1 when the database failed. */
int admin_locked_event(struct request *r, struct event *ev);
/* Records action on event event_id in the audit log: who, from where,
 * and detail (what). 0 or -1. */
int admin_audit_event(struct request *r, const char *action,
    long long event_id, const char *detail);
/* The sentence that tells an organizer why a change was refused. */
const char *admin_refusal_text(struct arena *a,
    const struct events_outcome *out);
/* A copy of res (a form without rows) that messages can be added to
 * while res stays as checked, for a change that may run again. */
struct form_result *admin_form_copy(struct arena *a,
    const struct form_result *res);

/* tessera-admin's gauges on its /metrics (program.h's metrics hook):
 * admin_metrics.c. */
struct buf;
void admin_metrics(struct request *r, struct buf *out);

#endif
