/*
 * tessera-admin: the pages of organizers and site admins. Each route
 * declares the role it needs (admin_main.c); the dispatcher checks it
 * before the handler runs.
 */
#ifndef TESSERA_ADMIN_PAGES_H
#define TESSERA_ADMIN_PAGES_H

#include "request.h"

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
	ADMIN__MAX
};

int admin_home(struct request *r);
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

/* An event's attendees (admin_attendees.c), as a page and as CSV, and
 * its statistics (admin_stats.c). */
int admin_attendees(struct request *r);
int admin_attendees_csv(struct request *r);
int admin_stats(struct request *r);

struct event;
/* The event of the path's {id} for its organizer (or a site admin) into
 * *ev: 0; 404 when there is none or it is somebody else's; 500 or 503. */
int admin_managed_event(struct request *r, struct event *ev);

/* Whether the signed-in person may run what organizer_id organizes: it
 * is theirs, or they are a site admin. Anything else is answered as if
 * it did not exist (404). */
int admin_may_manage(const struct request *r, long long organizer_id);

#endif
