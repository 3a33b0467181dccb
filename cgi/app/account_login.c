#include <stdio.h>
#include <string.h>

#include "account_validate.h"
#include "program.h"
#include "app_pages.h"
#include "audit.h"
#include "csrf.h"
#include "db_accounts.h"
#include "form.h"
#include "http_url.h"
#include "log.h"
#include "password.h"
#include "session.h"
#include "throttle.h"
#include "tmpl.h"
#include "util.h"

#define DEFAULT_NEXT "/me"
#define MSG_WRONG "The email address or the password is not right. Check " \
	"both and try again."

/* ?done= flags that lead here, and what each says. */
enum login_done {
	DONE_REGISTERED,
	DONE_VERIFIED,
	DONE_EMAIL_CHANGED,
	DONE_SIGNED_OUT,
	DONE_RESET,
	DONE_DELETED,
	DONE__MAX
};

static const char *const done_keys[DONE__MAX] = {
	"registered", "verified", "email_changed", "signed_out", "reset",
	"deleted",
};

static const char *const done_texts[DONE__MAX] = {
	/* DONE_REGISTERED */
	"Thank you for signing up. We have mailed you a link to confirm your "
	"address; you can sign in already.",
	/* DONE_VERIFIED */
	"Your email address is confirmed. Sign in to continue.",
	/* DONE_EMAIL_CHANGED */
	"Your new email address is confirmed. Sign in with it from now on.",
	/* DONE_SIGNED_OUT */
	"You have signed out.",
	/* DONE_RESET */
	"Your password has been changed and every other device signed out. "
	"Sign in with the new password.",
	/* DONE_DELETED */
	"Your account has been deleted. Thank you for having been with us.",
};

/*
 * Renders the sign-in form: res is the checked form, shown again with its
 * messages under status 400, or NULL for a blank one that returns to next
 * (may be NULL) after signing in.
 */
static int
login_page(struct request *r, const struct form_result *res,
    const char *next)
{
	struct arena *a = r->arena;
	const struct form *f = &account_forms[ACCOUNT_LOGIN];
	struct tmpl_value *ctx = page_context(r, "Sign in");
	struct form_result blank;
	int done;

	if (res == NULL) {
		done = form_choice(done_keys, DONE__MAX,
		    request_query(r, "done"));
		if (done >= 0)
			tv_set_str(a, ctx, "done", done_texts[done]);
		form_blank(a, f, &blank);
		form_set(&blank, FIELD_NEXT, next);
	}
	next = (res != NULL ? res : &blank)->field[FIELD_NEXT].text;
	if (next != NULL)
		tv_set_str(a, ctx, "next_q", url_encode(a, next, strlen(next)));
	tv_set_str(a, ctx, "csrf", csrf_token(r));
	tv_set_bool(a, ctx, "nav_login", 1);
	if (res != NULL)
		return form_rerender(r, "login", ctx, "f", res);
	tv_set(a, ctx, "f", form_view(a, f, &blank));
	return page_render(r, "login", ctx);
}

int
account_login_form(struct request *r)
{
	const char *next = request_query(r, "next");

	if (!validate_next(r->arena, next))
		next = NULL;
	if (r->session != NULL)
		return page_redirect(r, 303, next ? next : DEFAULT_NEXT);
	return login_page(r, NULL, next);
}

/* A hash of no password, checked when the address has no account so that
 * the answer takes as long as for one that has. Made once per worker. */
static const char *
dummy_hash(void)
{
	static char mcf[PASSWORD_MCF_LEN];

	if (mcf[0] == '\0' && password_hash("tessera: no such account",
	    mcf) != PASSWORD_OK)
		mcf[0] = '\0';
	return mcf;
}

/* Answers 429 for a locked sign-in, saying for how long. */
static int
too_many(struct request *r, long retry_after)
{
	return page_too_many(r, retry_after, "There have been too many failed "
	    "attempts to sign in to this account or from your network. Try "
	    "again in %s, or reset your password from the \"Forgot your "
	    "password?\" link.", page_wait_text(r, retry_after));
}

struct sign_in {
	const struct account *acc;
	const char *email;
};

/* Starts the session, in page_change's transaction. */
static int
sign_in_change(struct request *r, void *arg)
{
	const struct sign_in *c = arg;

	return throttle_succeeded(r->db, r->arena, c->email,
	    r->remote_addr) != 0 ||
	    session_start(r, c->acc->id) != 0 ||
	    audit_log(r->db, c->acc->id, "login", NULL, r->remote_addr,
	    NULL) != 0 ? -1 : 0;
}

/*
 * Signs in. The attempt is counted before any hash is computed, so a
 * locked account costs nothing and guesses sent at once get no more hashes
 * than the limit; an unknown address costs a hash all the same, so
 * the answer's timing does not tell which addresses have accounts. On
 * success: a new session (a new cookie) and 303 to next, else /me.
 */
int
account_login(struct request *r)
{
	const struct form *f = &account_forms[ACCOUNT_LOGIN];
	struct form_result in;
	struct account acc;
	enum password_result pw;
	const char *email, *next;
	long retry_after;
	int found, status;

	form_check(r->arena, f, &r->form, NULL, &in);
	next = in.field[FIELD_NEXT].text;
	if (r->session != NULL) {
		status = page_redirect(r, 303, next ? next : DEFAULT_NEXT);
		goto out;
	}
	if (in.nerrors > 0) {
		status = login_page(r, &in, NULL);
		goto out;
	}
	email = in.field[FIELD_EMAIL].text;
	switch (throttle_attempt(r->db, r->arena, email, r->remote_addr,
	    &retry_after)) {
	case 0:
		break;
	case 1:
		status = too_many(r, retry_after);
		goto out;
	default:
		status = 503;
		goto out;
	}
	if ((found = db_account_by_email(r->db, r->arena, email, &acc)) < 0) {
		status = 503;
		goto out;
	}
	pw = password_verify(in.field[FIELD_PASSWORD].text,
	    found == 0 ? acc.password_hash : dummy_hash());
	if (pw == PASSWORD_BUSY) {
		status = page_busy(r);
		goto out;
	}
	if (found != 0 || pw != PASSWORD_OK) {
		if (audit_log(r->db, found == 0 ? acc.id : 0, "login.failed",
		    email, r->remote_addr, NULL) != 0) {
			status = 503;
			goto out;
		}
		form_add_error(r->arena, &in, MSG_WRONG);
		status = login_page(r, &in, NULL);
		goto out;
	}
	if (acc.disabled) {
		r->error_detail = "This account has been disabled. If you think "
		    "that is a mistake, write to the site's team.";
		status = 403;
		goto out;
	}
	if (password_needs_rehash(acc.password_hash)) {
		char mcf[PASSWORD_MCF_LEN];

		if (password_hash(in.field[FIELD_PASSWORD].text,
		    mcf) == PASSWORD_OK)
			db_account_rehash(r->db, acc.id, acc.password_hash, mcf);
		explicit_bzero(mcf, sizeof(mcf));
	}
	struct sign_in c = { &acc, email };

	status = page_change(r, sign_in_change, &c, next ? next : DEFAULT_NEXT);
out:
	form_wipe(f, &r->form);
	return status;
}

/* Ends the session *arg, in page_change's transaction. */
static int
sign_out_change(struct request *r, void *arg)
{
	/* A run after a deadlock starts from the session it ended. */
	r->session = arg;
	if (r->session != NULL &&
	    audit_log(r->db, r->session->user_id, "logout", NULL,
	    r->remote_addr, NULL) != 0)
		return -1;
	return session_end(r);
}

int
account_login_logout(struct request *r)
{
	return page_change(r, sign_out_change, r->session,
	    "/login?done=signed_out");
}
