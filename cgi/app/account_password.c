#include <errno.h>
#include <json-c/json.h>
#include <string.h>
#include <time.h>

#include "account_validate.h"
#include "program.h"
#include "app_pages.h"
#include "audit.h"
#include "csrf.h"
#include "db_accounts.h"
#include "form.h"
#include "outbox.h"
#include "password.h"
#include "session.h"
#include "throttle.h"
#include "tmpl.h"

static const char *const forgot_done_keys[] = { "sent" };

/* Every answer to a reset request takes at least this long, far more than
 * the work for a known address takes, so timing tells nothing. */
#define FORGOT_ANSWER_MS 200

#define MSG_SENT "If an account uses that address, we have mailed it a " \
	"link to choose a new password. The link works once, for one hour. " \
	"No mail after a few minutes? Look in the spam folder, or check the " \
	"address and ask again."
#define MSG_LINK_BAD "This password reset link does not work: it may be " \
	"incomplete, used already or more than an hour old. Ask for a new one " \
	"below."

/*
 * Renders the form asking for a reset link: res is the checked form, shown
 * again with its messages under status 400, or NULL for a blank one under
 * status, with problem (may be NULL) above it.
 */
static int
forgot_page(struct request *r, const struct form_result *res,
    const char *problem, int status)
{
	struct arena *a = r->arena;
	const struct form *f = &account_forms[ACCOUNT_FORGOT];
	struct tmpl_value *ctx = page_context(r, "Forgot your password?");
	int rc;

	if (status == 200 && form_choice(forgot_done_keys, 1,
	    request_query(r, "done")) == 0)
		tv_set_str(a, ctx, "done", MSG_SENT);
	if (problem != NULL)
		tv_set_str(a, ctx, "problem", problem);
	tv_set_str(a, ctx, "csrf", csrf_token(r));
	if (res != NULL)
		return form_rerender(r, "password_forgot", ctx, "f", res);
	tv_set(a, ctx, "f", form_view(a, f, NULL));
	if ((rc = page_render(r, "password_forgot", ctx)) != 0)
		return rc;
	r->resp.status = status;
	return 0;
}

/* Counts a sign-up, reset request or new password against the client's
 * network, before its hash or mail. Returns 0 to go on, or the status to
 * answer with: 429 when the network had its share, 503. */
static int
costly_turn(struct request *r)
{
	long retry_after;

	switch (throttle_costly(r->db, r->arena, r->remote_addr,
	    r->cfg->signups_per_network, &retry_after)) {
	case 0:
		return 0;
	case 1:
		return page_too_many(r, retry_after, "Too many new accounts, "
		    "passwords or reset links have been asked for from your "
		    "network. Try again in %s.", page_wait_text(r, retry_after));
	default:
		return 503;
	}
}

int
account_password_forgot_form(struct request *r)
{
	return forgot_page(r, NULL, NULL, 200);
}

struct reset_request {
	const char *email;
	struct account acc;
	int known;           /* an account uses email */
};

/*
 * Mails a reset link, unless the account had its share of them lately,
 * in page_change's transaction. Every case writes the audit log, so the
 * answer (cookies included) is the same whether or not the address has
 * an account.
 */
static int
reset_request_change(struct request *r, void *arg)
{
	struct reset_request *q = arg;
	struct json_object *vars;
	struct account locked;
	const char *token;
	long retry_after;
	int rc;

	if (!q->known)
		return audit_log(r->db, 0, "password.reset_request", q->email,
		    r->remote_addr, "no account");
	if ((rc = db_account_by_id(r->db, r->arena, q->acc.id, 1,
	    &locked)) != 0 || (rc = db_token_quota(r->db, r->arena, q->acc.id,
	    TOKEN_RESET, &retry_after)) != 0)
		return rc < 0 ? -1 : audit_log(r->db, q->acc.id,
		    "password.reset_request", NULL, r->remote_addr,
		    "no mail: enough links lately");
	if ((token = db_token_new(r->db, r->arena, q->acc.id, TOKEN_RESET,
	    NULL)) == NULL)
		return -1;
	vars = json_object_new_object();
	json_object_object_add(vars, "name",
	    json_object_new_string(q->acc.display_name));
	json_object_object_add(vars, "reset_url", json_object_new_string(
	    arena_printf(r->arena, "%s/password/reset?token=%s",
	    request_site_url(r), token)));
	rc = outbox_mail(r->db, q->acc.email, "reset", vars);
	json_object_put(vars);
	if (rc != 0)
		return -1;
	return audit_log(r->db, q->acc.id, "password.reset_request", NULL,
	    r->remote_addr, NULL);
}

/* Sleeps until FORGOT_ANSWER_MS have passed since started. */
static void
answer_at_floor(const struct timespec *started)
{
	struct timespec now, left;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (long long)FORGOT_ANSWER_MS * 1000000LL -
	    ((long long)(now.tv_sec - started->tv_sec) * 1000000000LL +
	    (now.tv_nsec - started->tv_nsec));
	if (ns <= 0)
		return;
	left.tv_sec = (time_t)(ns / 1000000000LL);
	left.tv_nsec = (long)(ns % 1000000000LL);
	while (nanosleep(&left, &left) != 0 && errno == EINTR)
		;
}

/*
 * Gives the same answer whether or not the address has an account, in
 * the same time: a known address costs a few more statements (a token, a
 * mail in the outbox), so every answer waits until FORGOT_ANSWER_MS after
 * the form came in. The network is counted first, so the wait cannot be
 * asked for more than its share.
 */
int
account_password_forgot(struct request *r)
{
	struct form_result in;
	struct reset_request q;
	struct timespec started;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &started);
	if (form_check(r->arena, &account_forms[ACCOUNT_FORGOT], &r->form,
	    NULL, &in) != 0)
		return forgot_page(r, &in, NULL, 400);
	if ((rc = costly_turn(r)) != 0)
		return rc;
	q.email = in.field[FIELD_EMAIL].text;
	rc = db_account_by_email(r->db, r->arena, q.email, &q.acc);
	if (rc < 0)
		return 503;
	q.known = rc == 0 && !q.acc.disabled;
	rc = page_change(r, reset_request_change, &q,
	    "/password/forgot?done=sent");
	answer_at_floor(&started);
	return rc;
}

/* Finds a reset link that may still be followed. Returns 0, 1 when it
 * cannot, or -1. */
static int
find_reset(struct request *r, const char *token, int lock,
    struct account_token *t)
{
	int rc = db_token_find(r->db, r->arena, token, lock, t);

	if (rc != 0)
		return rc;
	return t->purpose != TOKEN_RESET || t->used || t->expired;
}

/*
 * Renders the form choosing a new password: res is the checked form, shown
 * again with its messages under status 400, or NULL for a blank one that
 * carries token.
 */
static int
reset_page(struct request *r, const struct form_result *res,
    const char *token)
{
	struct arena *a = r->arena;
	const struct form *f = &account_forms[ACCOUNT_RESET];
	struct tmpl_value *ctx = page_context(r, "Choose a new password");
	struct form_result blank;

	tv_set_str(a, ctx, "csrf", csrf_token(r));
	if (res != NULL)
		return form_rerender(r, "password_reset", ctx, "f", res);
	form_blank(a, f, &blank);
	form_set(&blank, FIELD_TOKEN, token);
	tv_set(a, ctx, "f", form_view(a, f, &blank));
	return page_render(r, "password_reset", ctx);
}

int
account_password_reset_form(struct request *r)
{
	struct form_result in;
	struct account_token t;
	const char *token;
	int rc;

	form_check(r->arena, &account_forms[ACCOUNT_RESET], &r->query_params,
	    NULL, &in);
	if ((token = in.field[FIELD_TOKEN].text) == NULL)
		return forgot_page(r, NULL, MSG_LINK_BAD, 400);
	if ((rc = find_reset(r, token, 0, &t)) != 0)
		return rc < 0 ? 503 : forgot_page(r, NULL, MSG_LINK_BAD, 410);
	return reset_page(r, NULL, token);
}

struct reset {
	const char *token;
	const char *mcf;
};

/*
 * Sets the new password, uses the link, signs out every other session of
 * the account, lifts a sign-in lock and tells its owner by mail, in
 * page_change's transaction. Following the link also proves the address,
 * so it counts as confirmed. A link that cannot be followed (any more)
 * shows the page that says so.
 */
static int
reset_change(struct request *r, void *arg)
{
	const struct reset *c = arg;
	struct account_token t;
	struct json_object *vars;
	long long keep;
	int rc;

	if ((rc = find_reset(r, c->token, 1, &t)) != 0 ||
	    (rc = db_token_use(r->db, t.id)) != 0) {
		if (rc < 0)
			return -1;
		return forgot_page(r, NULL, MSG_LINK_BAD, 410) == 0 ?
		    PAGE_SHOWN : 500;
	}
	keep = r->session != NULL && r->session->user_id == t.user_id ?
	    r->session->id : 0;
	vars = json_object_new_object();
	json_object_object_add(vars, "name",
	    json_object_new_string(t.display_name));
	rc = db_account_set_password(r->db, t.user_id, c->mcf) != 0 ||
	    db_account_set_verified(r->db, t.user_id) != 0 ||
	    db_tokens_retire(r->db, t.user_id, TOKEN_RESET) != 0 ||
	    session_end_all(r->db, t.user_id, keep) != 0 ||
	    outbox_mail(r->db, t.email, "password_changed", vars) != 0 ||
	    audit_log(r->db, t.user_id, "password.reset", NULL, r->remote_addr,
	    NULL) != 0 ||
	    /* The lock protected the old password; the owner may sign in. */
	    throttle_clear(r->db, t.email) != 0;
	json_object_put(vars);
	return rc ? -1 : 0;
}

int
account_password_reset(struct request *r)
{
	const struct form *f = &account_forms[ACCOUNT_RESET];
	struct form_result in;
	struct account_token t;
	char mcf[PASSWORD_MCF_LEN] = "";
	int status;

	form_check(r->arena, f, &r->form, NULL, &in);
	if (in.field[FIELD_TOKEN].text == NULL) {
		status = forgot_page(r, NULL, MSG_LINK_BAD, 400);
		goto out;
	}
	/* A dead link is told before the cost of a hash. */
	if ((status = find_reset(r, in.field[FIELD_TOKEN].text, 0, &t)) != 0) {
		status = status < 0 ? 503 :
		    forgot_page(r, NULL, MSG_LINK_BAD, 410);
		goto out;
	}
	if (in.nerrors > 0) {
		status = reset_page(r, &in, NULL);
		goto out;
	}
	if ((status = account_hash_password(r,
	    in.field[FIELD_NEW_PASSWORD].text, mcf)) != 0)
		goto out;
	struct reset c = { in.field[FIELD_TOKEN].text, mcf };

	status = page_change(r, reset_change, &c, r->session != NULL &&
	    r->session->user_id == t.user_id ? "/me?done=password" :
	    "/login?done=reset");
out:
	explicit_bzero(mcf, sizeof(mcf));
	form_wipe(f, &r->form);
	return status;
}

int
account_hash_password(struct request *r, const char *pw,
    char mcf[PASSWORD_MCF_LEN])
{
	int rc;

	if ((rc = costly_turn(r)) != 0)
		return rc;
	switch (password_hash(pw, mcf)) {
	case PASSWORD_OK:
		return 0;
	case PASSWORD_BUSY:
		return page_busy(r);
	default:
		return 500;
	}
}
