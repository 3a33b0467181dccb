#include <stdio.h>

#include "admin_pages.h"
#include "program.h"
#include "stripe_api.h"
#include "roles.h"
#include "session.h"
#include "util.h"

static const struct route routes[] = {
	PAGE_GET("/admin", ADMIN_HOME, ACCESS_ORGANIZER),
	PAGE_GET("/admin/users", ADMIN_USERS, ACCESS_ADMIN),
	PAGE_POST("/admin/users/{id:int}/role", ADMIN_USER_ROLE, ACCESS_ADMIN),
	PAGE_POST("/admin/users/{id:int}/access", ADMIN_USER_ACCESS, ACCESS_ADMIN),
	PAGE_GET("/admin/audit", ADMIN_AUDIT, ACCESS_ADMIN),
	PAGE_GET("/admin/status", ADMIN_STATUS, ACCESS_ADMIN),
	PAGE_GET("/admin/moderation", ADMIN_MODERATION, ACCESS_ADMIN),
	PAGE_POST("/admin/moderation/reviews/{id:int}/hide", ADMIN_REVIEW_HIDE,
	    ACCESS_ADMIN),
	PAGE_POST("/admin/moderation/reviews/{id:int}/show", ADMIN_REVIEW_SHOW,
	    ACCESS_ADMIN),
	PAGE_POST("/admin/outbox/{id:int}/retry", ADMIN_OUTBOX_RETRY, ACCESS_ADMIN),
	PAGE_GET("/admin/orders/{code}", ADMIN_ORDER, ACCESS_ORGANIZER),
	PAGE_POST("/admin/orders/{code}/paid", ADMIN_ORDER_PAID, ACCESS_ORGANIZER),
	PAGE_POST("/admin/orders/{code}/refunded", ADMIN_ORDER_REFUNDED,
	    ACCESS_ORGANIZER),
	PAGE_POST("/admin/orders/{code}/cancel", ADMIN_ORDER_CANCEL,
	    ACCESS_ORGANIZER),
	/* The door: organizers and their door staff, who may be attendees. */
	PAGE_GET("/admin/events/{id:int}/checkin", ADMIN_CHECKIN, ACCESS_SIGNED_IN),
	PAGE_POST("/admin/events/{id:int}/checkin", ADMIN_CHECKIN_POST,
	    ACCESS_SIGNED_IN),
	PAGE_GET("/checkin/{code}", ADMIN_CHECKIN_SCAN, ACCESS_SIGNED_IN),
	PAGE_GET("/admin/events/{id:int}/staff", ADMIN_STAFF, ACCESS_ORGANIZER),
	PAGE_POST("/admin/events/{id:int}/staff", ADMIN_STAFF_ADD, ACCESS_ORGANIZER),
	PAGE_POST("/admin/events/{id:int}/staff/{user:int}/remove",
	    ADMIN_STAFF_REMOVE, ACCESS_ORGANIZER),
	PAGE_GET("/admin/events/{id:int}/cancel", ADMIN_EVENT_CANCEL_FORM,
	    ACCESS_ORGANIZER),
	PAGE_POST("/admin/events/{id:int}/cancel", ADMIN_EVENT_CANCEL,
	    ACCESS_ORGANIZER),
	/* An event's attendees, their export and its statistics. */
	PAGE_GET("/admin/events/{id:int}/attendees", ADMIN_ATTENDEES,
	    ACCESS_ORGANIZER),
	PAGE_GET("/admin/events/{id:int}/attendees.csv", ADMIN_ATTENDEES_CSV,
	    ACCESS_ORGANIZER),
	PAGE_GET("/admin/events/{id:int}/stats", ADMIN_STATS, ACCESS_ORGANIZER),
	PAGE_GET("/admin/events/new", ADMIN_EVENT_NEW, ACCESS_ORGANIZER),
	PAGE_POST("/admin/events/new", ADMIN_EVENT_CREATE, ACCESS_ORGANIZER),
	PAGE_GET("/admin/events/{id:int}/edit", ADMIN_EVENT_EDIT, ACCESS_ORGANIZER),
	PAGE_POST("/admin/events/{id:int}/edit", ADMIN_EVENT_SAVE, ACCESS_ORGANIZER),
	PAGE_POST("/admin/events/{id:int}/duplicate", ADMIN_EVENT_DUPLICATE,
	    ACCESS_ORGANIZER),
	PAGE_POST("/admin/events/{id:int}/delete", ADMIN_EVENT_DELETE,
	    ACCESS_ORGANIZER),
	PAGE_GET("/admin/events/{id:int}/types/new", ADMIN_TYPE_NEW,
	    ACCESS_ORGANIZER),
	PAGE_POST("/admin/events/{id:int}/types/new", ADMIN_TYPE_CREATE,
	    ACCESS_ORGANIZER),
	PAGE_GET("/admin/events/{id:int}/types/{tid:int}/edit", ADMIN_TYPE_EDIT,
	    ACCESS_ORGANIZER),
	PAGE_POST("/admin/events/{id:int}/types/{tid:int}/edit", ADMIN_TYPE_SAVE,
	    ACCESS_ORGANIZER),
	PAGE_POST("/admin/events/{id:int}/types/{tid:int}/delete",
	    ADMIN_TYPE_DELETE, ACCESS_ORGANIZER),
	PAGE_GET("/admin/moderation/pictures", ADMIN_PICTURE_REPORTS,
	    ACCESS_ADMIN),
	PAGE_POST("/admin/moderation/pictures/{id:int}/hide", ADMIN_PICTURE_HIDE,
	    ACCESS_ADMIN),
	PAGE_POST("/admin/moderation/pictures/{id:int}/delete",
	    ADMIN_PICTURE_DELETE, ACCESS_ADMIN),
	PAGE_GET("/admin/events/{id:int}/banner", ADMIN_BANNER, ACCESS_ORGANIZER),
	PAGE_POST("/admin/events/{id:int}/banner", ADMIN_BANNER_SET,
	    ACCESS_ORGANIZER),
};

static const handler_fn handlers[ADMIN__MAX] = {
	[ADMIN_HOME] = admin_home,
	[ADMIN_USERS] = admin_users,
	[ADMIN_USER_ROLE] = admin_user_role,
	[ADMIN_USER_ACCESS] = admin_user_access,
	[ADMIN_AUDIT] = admin_audit,
	[ADMIN_STATUS] = admin_status,
	[ADMIN_PICTURE_REPORTS] = admin_picture_reports,
	[ADMIN_PICTURE_HIDE] = admin_picture_hide,
	[ADMIN_PICTURE_DELETE] = admin_picture_delete,
	[ADMIN_BANNER] = admin_banner,
	[ADMIN_BANNER_SET] = admin_banner_set,
	[ADMIN_OUTBOX_RETRY] = admin_outbox_retry,
	[ADMIN_ORDER] = admin_order,
	[ADMIN_ORDER_PAID] = admin_order_paid,
	[ADMIN_ORDER_REFUNDED] = admin_order_refunded,
	[ADMIN_ORDER_CANCEL] = admin_order_cancel,
	[ADMIN_CHECKIN] = admin_checkin,
	[ADMIN_CHECKIN_POST] = admin_checkin_post,
	[ADMIN_CHECKIN_SCAN] = admin_checkin_scan,
	[ADMIN_EVENT_CANCEL_FORM] = admin_event_cancel_form,
	[ADMIN_EVENT_CANCEL] = admin_event_cancel,
	[ADMIN_STAFF] = admin_staff,
	[ADMIN_STAFF_ADD] = admin_staff_add,
	[ADMIN_STAFF_REMOVE] = admin_staff_remove,
	/* An event's attendees, their export and its statistics. */
	[ADMIN_ATTENDEES] = admin_attendees,
	[ADMIN_ATTENDEES_CSV] = admin_attendees_csv,
	[ADMIN_STATS] = admin_stats,
	[ADMIN_EVENT_NEW] = admin_event_new,
	[ADMIN_EVENT_CREATE] = admin_event_create,
	[ADMIN_EVENT_EDIT] = admin_event_edit,
	[ADMIN_EVENT_SAVE] = admin_event_save,
	[ADMIN_EVENT_DUPLICATE] = admin_event_duplicate,
	[ADMIN_EVENT_DELETE] = admin_event_delete,
	[ADMIN_TYPE_NEW] = admin_type_new,
	[ADMIN_TYPE_CREATE] = admin_type_create,
	[ADMIN_TYPE_EDIT] = admin_type_edit,
	[ADMIN_TYPE_SAVE] = admin_type_save,
	[ADMIN_TYPE_DELETE] = admin_type_delete,
	[ADMIN_MODERATION] = admin_moderation,
	[ADMIN_REVIEW_HIDE] = admin_review_hide,
	[ADMIN_REVIEW_SHOW] = admin_review_show,
};

int
admin_may_manage(const struct request *r, long long organizer_id)
{
	return organizer_id == r->session->user_id ||
	    role_includes(r->session->role, ROLE_ADMIN);
}

/* Before the workers fork: curl, for the refunds of orders an organizer
 * cancels. */
static int
admin_init(struct program *p)
{
	if (p->cfg.stripe_secret_key != NULL && stripe_api_init() != 0) {
		fprintf(stderr, "%s: cannot set up the Stripe client\n", p->name);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct program program = {
		.name = "tessera-admin",
		.routes = routes,
		.nroutes = ARRAY_LEN(routes),
		.handlers = handlers,
		.default_workers = 2,
		.writes = 1,
		.init = admin_init,
		.metrics = admin_metrics,
	};

	return program_main(&program, argc, argv);
}
