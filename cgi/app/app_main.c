#include <limits.h>
#include <stdio.h>

#include "account_validate.h"
#include "program.h"
#include "app_pages.h"
#include "picture_image.h"
#include "stripe_api.h"
#include "util.h"

/*
 * tessera-app: what a signed-in person does (accounts, booking, orders,
 * reviews, pictures). nginx sends it those paths only.
 */

static const struct route routes[] = {
	PAGE_GET("/register", PAGE_REGISTER_FORM, ACCESS_ANYONE),
	PAGE_POST("/register", PAGE_REGISTER, ACCESS_ANYONE),
	PAGE_GET("/login", PAGE_LOGIN_FORM, ACCESS_ANYONE),
	PAGE_POST("/login", PAGE_LOGIN, ACCESS_ANYONE),
	PAGE_POST("/logout", PAGE_LOGOUT, ACCESS_ANYONE),
	PAGE_GET("/verify", PAGE_VERIFY_FORM, ACCESS_ANYONE),
	PAGE_POST("/verify", PAGE_VERIFY, ACCESS_ANYONE),
	PAGE_GET("/password/forgot", PAGE_FORGOT_FORM, ACCESS_ANYONE),
	PAGE_POST("/password/forgot", PAGE_FORGOT, ACCESS_ANYONE),
	PAGE_GET("/password/reset", PAGE_RESET_FORM, ACCESS_ANYONE),
	PAGE_POST("/password/reset", PAGE_RESET, ACCESS_ANYONE),
	PAGE_GET("/me", PAGE_ME, ACCESS_SIGNED_IN),
	PAGE_POST("/me/verify", PAGE_VERIFY_RESEND, ACCESS_SIGNED_IN),
	PAGE_POST("/me/name", PAGE_ME_NAME, ACCESS_SIGNED_IN),
	PAGE_POST("/me/email", PAGE_ME_EMAIL, ACCESS_SIGNED_IN),
	PAGE_POST("/me/password", PAGE_ME_PASSWORD, ACCESS_SIGNED_IN),
	PAGE_POST("/me/delete", PAGE_ME_DELETE, ACCESS_SIGNED_IN),
	PAGE_GET("/me/confirm", PAGE_ME_CONFIRM_FORM, ACCESS_SIGNED_IN),
	PAGE_POST("/me/confirm", PAGE_ME_CONFIRM, ACCESS_SIGNED_IN),
	PAGE_GET("/me/orders", PAGE_ME_ORDERS, ACCESS_SIGNED_IN),
	PAGE_GET("/me/orders/{code}", PAGE_ORDER, ACCESS_SIGNED_IN),
	PAGE_GET("/me/tickets", PAGE_ME_TICKETS, ACCESS_SIGNED_IN),
	PAGE_GET("/me/notifications", PAGE_NOTIFICATIONS, ACCESS_SIGNED_IN),
	PAGE_POST("/me/notifications/{id:int}/read", PAGE_NOTIFICATION_READ,
	    ACCESS_SIGNED_IN),
	PAGE_POST("/me/notifications/read-all", PAGE_NOTIFICATIONS_READ_ALL,
	    ACCESS_SIGNED_IN),
	PAGE_GET("/me/notifications/settings", PAGE_NOTIFICATION_SETTINGS,
	    ACCESS_SIGNED_IN),
	PAGE_POST("/me/notifications/settings", PAGE_NOTIFICATION_SETTINGS_POST,
	    ACCESS_SIGNED_IN),
	PAGE_GET("/unsubscribe", PAGE_UNSUBSCRIBE_FORM, ACCESS_ANYONE),
	/* A mail client's one-click POST (RFC 8058) has no session and no
	 * CSRF token: the link's own token is checked instead. */
	PAGE_POST_BODY("/unsubscribe", PAGE_UNSUBSCRIBE, ACCESS_ANYONE,
	    BODY_RAW, 1024),
	PAGE_GET("/tickets/{code}", PAGE_TICKET, ACCESS_SIGNED_IN),
	PAGE_GET("/events/{id:int}/book", PAGE_BOOK_FORM, ACCESS_VERIFIED),
	PAGE_POST("/events/{id:int}/book", PAGE_BOOK, ACCESS_VERIFIED),
	PAGE_GET("/orders/{code}/checkout", PAGE_CHECKOUT, ACCESS_SIGNED_IN),
	PAGE_POST("/orders/{code}/checkout", PAGE_CHECKOUT_POST,
	    ACCESS_SIGNED_IN),
	PAGE_GET("/orders/{code}/sandbox", PAGE_SANDBOX, ACCESS_SIGNED_IN),
	PAGE_POST("/orders/{code}/sandbox", PAGE_SANDBOX_POST, ACCESS_SIGNED_IN),
	PAGE_POST("/orders/{code}/cancel", PAGE_CANCEL, ACCESS_SIGNED_IN),
	PAGE_GET("/events/{id:int}/reviews", PAGE_REVIEW_FORM, ACCESS_SIGNED_IN),
	PAGE_POST("/events/{id:int}/reviews", PAGE_REVIEW_SAVE, ACCESS_SIGNED_IN),
	PAGE_POST("/events/{id:int}/reviews/delete", PAGE_REVIEW_DELETE,
	    ACCESS_SIGNED_IN),
	PAGE_GET("/reviews/{id:int}/reply", PAGE_REVIEW_REPLY_FORM,
	    ACCESS_SIGNED_IN),
	PAGE_POST("/reviews/{id:int}/reply", PAGE_REVIEW_REPLY,
	    ACCESS_SIGNED_IN),
	PAGE_GET("/reviews/{id:int}/report", PAGE_REVIEW_REPORT_FORM,
	    ACCESS_SIGNED_IN),
	PAGE_POST("/reviews/{id:int}/report", PAGE_REVIEW_REPORT,
	    ACCESS_SIGNED_IN),
	PAGE_GET("/me/pictures", PAGE_ME_PICTURES, ACCESS_SIGNED_IN),
	PAGE_GET("/me/pictures/{id:int}", PAGE_ME_PICTURE, ACCESS_SIGNED_IN),
	PAGE_POST("/me/pictures/{id:int}", PAGE_ME_PICTURE_EDIT,
	    ACCESS_SIGNED_IN),
	PAGE_POST("/me/pictures/{id:int}/delete", PAGE_ME_PICTURE_DELETE,
	    ACCESS_SIGNED_IN),
	/* An upload: nginx's location = /pictures takes as much (20m). */
	PAGE_POST_BODY("/pictures", PAGE_PICTURE_UPLOAD, ACCESS_VERIFIED,
	    BODY_MULTIPART, 20 * 1024 * 1024),
	PAGE_POST("/pictures/{id:int}/like", PAGE_PICTURE_LIKE,
	    ACCESS_SIGNED_IN),
	PAGE_GET("/pictures/{id:int}/original", PAGE_PICTURE_ORIGINAL,
	    ACCESS_SIGNED_IN),
	PAGE_POST("/pictures/{id:int}/report", PAGE_PICTURE_REPORT,
	    ACCESS_SIGNED_IN),
	PAGE_POST("/pictures/{id:int}/buy", PAGE_PICTURE_BUY, ACCESS_VERIFIED),
	PAGE_GET("/me/purchases", PAGE_ME_PURCHASES, ACCESS_SIGNED_IN),
	PAGE_POST("/me/pictures/{id:int}/event", PAGE_ME_PICTURE_EVENT,
	    ACCESS_SIGNED_IN),
	/* Stripe's signed events: the exact bytes, no CSRF (it is not a
	 * browser), up to 256 KiB. */
	PAGE_POST_BODY("/payments/stripe/webhook", PAGE_STRIPE_WEBHOOK,
	    ACCESS_ANYONE, BODY_RAW, 256 * 1024),
};

static const handler_fn handlers[PAGE__MAX] = {
	[PAGE_REGISTER_FORM] = account_register_form,
	[PAGE_REGISTER] = account_register,
	[PAGE_LOGIN_FORM] = account_login_form,
	[PAGE_LOGIN] = account_login,
	[PAGE_LOGOUT] = account_login_logout,
	[PAGE_VERIFY_FORM] = account_verify_form,
	[PAGE_VERIFY] = account_verify,
	[PAGE_VERIFY_RESEND] = account_verify_resend,
	[PAGE_FORGOT_FORM] = account_password_forgot_form,
	[PAGE_FORGOT] = account_password_forgot,
	[PAGE_RESET_FORM] = account_password_reset_form,
	[PAGE_RESET] = account_password_reset,
	[PAGE_ME] = account_profile,
	[PAGE_ME_NAME] = account_profile_name,
	[PAGE_ME_EMAIL] = account_profile_email,
	[PAGE_ME_PASSWORD] = account_profile_password,
	[PAGE_ME_DELETE] = account_profile_delete,
	[PAGE_ME_CONFIRM_FORM] = account_confirm_form,
	[PAGE_ME_CONFIRM] = account_confirm,
	[PAGE_BOOK_FORM] = booking_form,
	[PAGE_BOOK] = booking_hold,
	[PAGE_CHECKOUT] = checkout,
	[PAGE_CHECKOUT_POST] = checkout_post,
	[PAGE_SANDBOX] = checkout_sandbox,
	[PAGE_SANDBOX_POST] = checkout_sandbox_post,
	[PAGE_ORDER] = order_page,
	[PAGE_CANCEL] = checkout_cancel,
	[PAGE_STRIPE_WEBHOOK] = stripe_webhook,
	[PAGE_ME_ORDERS] = me_orders,
	[PAGE_ME_TICKETS] = me_tickets,
	[PAGE_TICKET] = ticket_page,
	[PAGE_REVIEW_FORM] = review_form_page,
	[PAGE_REVIEW_SAVE] = review_save,
	[PAGE_REVIEW_DELETE] = review_delete,
	[PAGE_REVIEW_REPLY_FORM] = review_reply_form,
	[PAGE_REVIEW_REPLY] = review_reply,
	[PAGE_REVIEW_REPORT_FORM] = review_report_form,
	[PAGE_REVIEW_REPORT] = review_report,
	[PAGE_NOTIFICATIONS] = me_notifications,
	[PAGE_NOTIFICATION_READ] = me_notification_read,
	[PAGE_NOTIFICATIONS_READ_ALL] = me_notifications_read_all,
	[PAGE_NOTIFICATION_SETTINGS] = me_notification_settings,
	[PAGE_NOTIFICATION_SETTINGS_POST] = me_notification_settings_post,
	[PAGE_UNSUBSCRIBE_FORM] = unsubscribe_form,
	[PAGE_UNSUBSCRIBE] = unsubscribe,
	[PAGE_ME_PICTURES] = me_pictures,
	[PAGE_ME_PICTURE] = me_picture,
	[PAGE_ME_PICTURE_EDIT] = me_picture_edit,
	[PAGE_ME_PICTURE_DELETE] = me_picture_delete,
	[PAGE_PICTURE_UPLOAD] = picture_upload,
	[PAGE_PICTURE_LIKE] = picture_like,
	[PAGE_PICTURE_ORIGINAL] = picture_original,
	[PAGE_PICTURE_REPORT] = picture_report,
	[PAGE_PICTURE_BUY] = picture_buy,
	[PAGE_ME_PURCHASES] = me_purchases,
	[PAGE_ME_PICTURE_EVENT] = me_picture_event,
};

/* Loads the common passwords that sign-up and password changes refuse;
 * without the list the program would accept them, so it does not start. */
static int
app_init(struct program *p)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/common-passwords.txt",
	    p->cfg.data_dir);
	if (validate_common_load(path) <= 0) {
		fprintf(stderr, "%s: %s: no list of common passwords\n",
		    p->name, path);
		return -1;
	}
	if (picture_image_init() != 0) {
		fprintf(stderr, "%s: cannot start libvips\n", p->name);
		return -1;
	}
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
		.name = "tessera-app",
		.routes = routes,
		.nroutes = ARRAY_LEN(routes),
		.handlers = handlers,
		.default_workers = 8,
		.writes = 1,
		.hashes_passwords = 1,
		.init = app_init,
	};

	return program_main(&program, argc, argv);
}
