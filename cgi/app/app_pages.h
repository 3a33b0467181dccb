/*
 * tessera-app: the pages of a person's own account, and the few helpers
 * that other pages of the program (booking, uploads) share with them.
 */
#ifndef TESSERA_APP_PAGES_H
#define TESSERA_APP_PAGES_H

#include "password.h"
#include "request.h"

struct account;
struct order_view;

enum app_page {
	PAGE_REGISTER_FORM,
	PAGE_REGISTER,
	PAGE_LOGIN_FORM,
	PAGE_LOGIN,
	PAGE_LOGOUT,
	PAGE_VERIFY_FORM,
	PAGE_VERIFY,
	PAGE_VERIFY_RESEND,
	PAGE_FORGOT_FORM,
	PAGE_FORGOT,
	PAGE_RESET_FORM,
	PAGE_RESET,
	PAGE_ME,
	PAGE_ME_NAME,
	PAGE_ME_EMAIL,
	PAGE_ME_PASSWORD,
	PAGE_ME_DELETE,
	PAGE_ME_CONFIRM_FORM,
	PAGE_ME_CONFIRM,
	PAGE_BOOK_FORM,
	PAGE_BOOK,
	PAGE_CHECKOUT,
	PAGE_CHECKOUT_POST,
	PAGE_SANDBOX,
	PAGE_SANDBOX_POST,
	PAGE_ORDER,
	PAGE_CANCEL,
	PAGE_STRIPE_WEBHOOK,
	PAGE_ME_ORDERS,
	PAGE_ME_TICKETS,
	PAGE_TICKET,
	PAGE_REVIEW_FORM,
	PAGE_REVIEW_SAVE,
	PAGE_REVIEW_DELETE,
	PAGE_REVIEW_REPLY_FORM,
	PAGE_REVIEW_REPLY,
	PAGE_REVIEW_REPORT_FORM,
	PAGE_REVIEW_REPORT,
	PAGE_NOTIFICATIONS,
	PAGE_NOTIFICATION_READ,
	PAGE_NOTIFICATIONS_READ_ALL,
	PAGE_NOTIFICATION_SETTINGS,
	PAGE_NOTIFICATION_SETTINGS_POST,
	PAGE_UNSUBSCRIBE_FORM,
	PAGE_UNSUBSCRIBE,
	PAGE_ME_PICTURES,
	PAGE_ME_PICTURE,
	PAGE_ME_PICTURE_EDIT,
	PAGE_ME_PICTURE_DELETE,
	PAGE_PICTURE_UPLOAD,
	PAGE_PICTURE_LIKE,
	PAGE_PICTURE_ORIGINAL,
	PAGE_PICTURE_REPORT,
	PAGE_PICTURE_BUY,
	PAGE_ME_PURCHASES,
	PAGE_ME_PICTURE_EVENT,
	PAGE__MAX
};

/* account_register.c: GET and POST /register */
int account_register_form(struct request *r);
int account_register(struct request *r);

/* account_login.c: GET and POST /login, POST /logout */
int account_login_form(struct request *r);
int account_login(struct request *r);
int account_login_logout(struct request *r);

/* Hashes a new password into mcf. Returns 0, or the status to answer:
 * 503 (with r->error_detail) when no hashing turn came in time, 500 on
 * a hashing failure. */
int account_hash_password(struct request *r, const char *pw,
    char mcf[PASSWORD_MCF_LEN]);

/* account_verify.c: GET and POST /verify (the mailed link, for a new
 * account's address and for a changed one), POST /me/verify (mail the
 * link again) */
int account_verify_form(struct request *r);
int account_verify(struct request *r);
int account_verify_resend(struct request *r);
/*
 * Adds a verification link for acc to the open transaction and queues the
 * mail with it. Returns 0, or -1 (the caller rolls back).
 */
int account_verify_mail(struct request *r, const struct account *acc);

/* account_password.c: /password/forgot and /password/reset */
int account_password_forgot_form(struct request *r);
int account_password_forgot(struct request *r);
int account_password_reset_form(struct request *r);
int account_password_reset(struct request *r);

/* account_profile.c: GET /me and its forms */
int account_profile(struct request *r);
int account_profile_name(struct request *r);
int account_profile_email(struct request *r);
int account_profile_password(struct request *r);
int account_profile_delete(struct request *r);

/* account_confirm.c: GET and POST /me/confirm (the password again, before
 * an admin's change of an account's role or access) */
int account_confirm_form(struct request *r);
int account_confirm(struct request *r);
/* Checks pw, the signed-in person's password, before a change that needs
 * it, throttled as a sign-in (the attempt counted before its hash) so a
 * stolen session cannot be used to guess it; fills *acc. Returns 0 when
 * it is right, 1 when it is not (logged; the caller shows its form
 * again), or the status to answer with (404, 429, 503). */
int account_check_password(struct request *r, const char *pw,
    struct account *acc);

/* Booking (booking.c) and checkout (checkout.c). */
int booking_form(struct request *r);
int booking_hold(struct request *r);
int checkout(struct request *r);
int checkout_post(struct request *r);
int checkout_sandbox(struct request *r);
int checkout_sandbox_post(struct request *r);
int checkout_cancel(struct request *r);
int order_page(struct request *r);
/* Stripe Checkout (stripe.c): whether it is configured; sending the
 * locked held order of v to a Checkout Session, in the checkout's
 * transaction (0 with the session's page as the place to go, or the
 * status to answer: 502, 503; -1); and the webhook. */
int stripe_enabled(const struct request *r);
int stripe_checkout_start(struct request *r, struct order_view *v);
int stripe_webhook(struct request *r);
/* Refunds payment in full (idempotent per order code): 0, or 502/503
 * with r->error_detail set. */
int stripe_refund(struct request *r, const char *code, const char *payment);

/* A person's orders and tickets (tickets.c). */
int me_orders(struct request *r);
int me_tickets(struct request *r);
int ticket_page(struct request *r);

/* Reviews (reviews.c): one's own review of an event, the organizer's
 * reply, a report. */
int review_form_page(struct request *r);
int review_save(struct request *r);
int review_delete(struct request *r);
int review_reply_form(struct request *r);
int review_reply(struct request *r);
int review_report_form(struct request *r);
int review_report(struct request *r);

/* Notifications (notifications.c): the list, marking read, the mail
 * settings and the mailed unsubscribe link. */
int me_notifications(struct request *r);
int me_notification_read(struct request *r);
int me_notifications_read_all(struct request *r);
int me_notification_settings(struct request *r);
int me_notification_settings_post(struct request *r);
int unsubscribe_form(struct request *r);
int unsubscribe(struct request *r);
/* Pictures: a person's own (pictures_upload.c, pictures_own.c) and
 * likes (picture_like.c). */
int me_pictures(struct request *r);
int picture_upload(struct request *r);
int me_picture(struct request *r);
int me_picture_edit(struct request *r);
int me_picture_delete(struct request *r);
int picture_like(struct request *r);
/* picture_original.c */
int picture_original(struct request *r);
/* picture_report.c */
int picture_report(struct request *r);
/* picture_buy.c: POST /pictures/{id}/buy, GET /me/purchases */
int picture_buy(struct request *r);
int me_purchases(struct request *r);
/* picture_gallery.c: who may file a picture under an event, and POST
 * /me/pictures/{id}/event. picture_event_allowed: 1 when the signed-in
 * person may file under event_id, 0 when not (answer 403 with
 * picture_event_refusal), -1 for a database failure. */
#define PICTURE_EVENT_CHOICES_MAX 50
extern const char *const picture_event_refusal;
int picture_event_allowed(struct request *r, long long event_id);
int me_picture_event(struct request *r);
/* The template values of the person's events for a select of them,
 * chosen selected: a list of { id, title, selected }. */
struct picture_event;
struct tmpl_value *picture_event_options(struct arena *a,
    const struct picture_event *ev, size_t n, long long chosen);

#endif
