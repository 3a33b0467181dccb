#include <json-c/json.h>
#include <string.h>

#include "account_validate.h"
#include "program.h"
#include "app_pages.h"
#include "audit.h"
#include "csrf.h"
#include "db_accounts.h"
#include "form.h"
#include "outbox.h"
#include "session.h"
#include "tmpl.h"

/* Why a link cannot be followed, and what the page says about it. */
enum link_state {
	LINK_BROKEN,      /* malformed or unknown */
	LINK_USED,
	LINK_EXPIRED,
	LINK_TAKEN,       /* the new address went to another account */
	LINK__MAX
};

static const struct {
	int status;
	const char *title;
	const char *text;
} link_states[LINK__MAX] = {
	[LINK_BROKEN] = { 400, "This link does not work",
	    "This confirmation link is incomplete or unknown. Open the whole "
	    "link from the mail; if it still does not work, sign in and ask "
	    "for a new one on your account page." },
	[LINK_USED] = { 410, "This link has been used",
	    "This confirmation link has been used already, so the address is "
	    "confirmed. Sign in to continue." },
	[LINK_EXPIRED] = { 410, "This link has expired",
	    "This confirmation link is too old. Sign in and ask for a new one "
	    "on your account page." },
	[LINK_TAKEN] = { 409, "This address is taken",
	    "Another account uses this email address now, so yours keeps its "
	    "old one. Choose another address on your account page." },
};

static int
link_page(struct request *r, enum link_state state)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx = page_context(r, link_states[state].title);
	int rc;

	tv_set_str(a, ctx, "problem", link_states[state].text);
	if ((rc = page_render(r, "verify", ctx)) != 0)
		return rc;
	r->resp.status = link_states[state].status;
	return 0;
}

/* Finds a confirmation link (a new account's or a new address's) that
 * may still be followed. Returns 0, -1 with *state set, or 503. */
static int
find_link(struct request *r, const char *token, int lock,
    struct account_token *t, enum link_state *state)
{
	switch (db_token_find(r->db, r->arena, token, lock, t)) {
	case 0:
		break;
	case 1:
		*state = LINK_BROKEN;
		return -1;
	default:
		return 503;
	}
	if (t->purpose != TOKEN_VERIFY && t->purpose != TOKEN_EMAIL_CHANGE)
		*state = LINK_BROKEN;
	else if (t->used)
		*state = LINK_USED;
	else if (t->expired)
		*state = LINK_EXPIRED;
	else
		return 0;
	return -1;
}

int
account_verify_form(struct request *r)
{
	struct arena *a = r->arena;
	const struct form *f = &account_forms[ACCOUNT_VERIFY];
	struct form_result in;
	struct account_token t;
	struct tmpl_value *ctx;
	enum link_state state;
	int rc;

	if (form_check(a, f, &r->query_params, NULL, &in) != 0)
		return link_page(r, LINK_BROKEN);
	if ((rc = find_link(r, in.field[FIELD_TOKEN].text, 0, &t,
	    &state)) != 0)
		return rc < 0 ? link_page(r, state) : rc;
	ctx = page_context(r, t.purpose == TOKEN_VERIFY ?
	    "Confirm your email address" : "Confirm your new email address");
	tv_set_str(a, ctx, "csrf", csrf_token(r));
	tv_set(a, ctx, "f", form_view(a, f, &in));
	tv_set_str(a, ctx, "email", t.purpose == TOKEN_VERIFY ? t.email :
	    t.new_email);
	tv_set_bool(a, ctx, "change", t.purpose == TOKEN_EMAIL_CHANGE);
	return page_render(r, "verify", ctx);
}

/* Follows an email change link in the open transaction: the account
 * takes the new address and the old one is told. Returns 0, -1 with
 * *state set, or 503. */
static int
change_email(struct request *r, const struct account_token *t,
    enum link_state *state)
{
	struct json_object *vars;
	int rc;

	if ((rc = db_account_email_taken(r->db, r->arena, t->new_email,
	    t->user_id)) != 0) {
		*state = LINK_TAKEN;
		return rc < 0 ? 503 : -1;
	}
	if ((rc = db_account_set_email(r->db, t->user_id, t->new_email)) != 0) {
		*state = LINK_TAKEN;
		return rc < 0 ? 503 : -1;
	}
	vars = json_object_new_object();
	json_object_object_add(vars, "name",
	    json_object_new_string(t->display_name));
	json_object_object_add(vars, "new_email",
	    json_object_new_string(t->new_email));
	rc = outbox_mail(r->db, t->email, "email_changed", vars);
	json_object_put(vars);
	/* Links mailed to the old address stop working with it. */
	if (rc != 0 || db_tokens_retire(r->db, t->user_id,
	    TOKEN_EMAIL_CHANGE) != 0 || db_tokens_retire(r->db, t->user_id,
	    TOKEN_RESET) != 0 || db_tokens_retire(r->db, t->user_id,
	    TOKEN_VERIFY) != 0 || audit_log(r->db, t->user_id,
	    "account.email_change", t->new_email, r->remote_addr,
	    t->email) != 0)
		return 503;
	return 0;
}

/* Follows the link of token *arg, in page_change's transaction; a link
 * that cannot be followed shows the page that says why. */
static int
verify_change(struct request *r, void *arg)
{
	const char *token = arg;
	struct account_token t;
	enum link_state state = LINK_BROKEN;
	int rc, mine;

	if ((rc = find_link(r, token, 1, &t, &state)) != 0)
		goto refused;
	if ((rc = db_token_use(r->db, t.id)) != 0) {
		state = LINK_USED;
		rc = rc < 0 ? 503 : -1;
		goto refused;
	}
	if (t.purpose == TOKEN_EMAIL_CHANGE) {
		if ((rc = change_email(r, &t, &state)) != 0)
			goto refused;
	} else if (db_account_set_verified(r->db, t.user_id) != 0 ||
	    db_tokens_retire(r->db, t.user_id, TOKEN_VERIFY) != 0 ||
	    audit_log(r->db, t.user_id, "account.verify", t.email,
	    r->remote_addr, NULL) != 0) {
		return -1;
	}
	mine = r->session != NULL && r->session->user_id == t.user_id;
	page_change_location(r, arena_printf(r->arena, "%s?done=%s",
	    mine ? "/me" : "/login", t.purpose == TOKEN_EMAIL_CHANGE ?
	    "email_changed" : "verified"));
	return 0;
refused:
	if (rc == 503)
		return -1;
	return link_page(r, state) == 0 ? PAGE_SHOWN : 500;
}

/*
 * Follows a confirmation link: marks the token used and the address
 * confirmed, or for an email change, moves the account to the new
 * address. The token is locked first, so a link followed twice at once
 * works once.
 */
int
account_verify(struct request *r)
{
	struct form_result in;

	if (form_check(r->arena, &account_forms[ACCOUNT_VERIFY], &r->form,
	    NULL, &in) != 0)
		return link_page(r, LINK_BROKEN);
	return page_change(r, verify_change, (void *)in.field[FIELD_TOKEN].text,
	    "/login?done=verified");
}

int
account_verify_mail(struct request *r, const struct account *acc)
{
	struct json_object *vars;
	const char *token;
	int rc;

	if ((token = db_token_new(r->db, r->arena, acc->id, TOKEN_VERIFY,
	    NULL)) == NULL)
		return -1;
	vars = json_object_new_object();
	json_object_object_add(vars, "name",
	    json_object_new_string(acc->display_name));
	json_object_object_add(vars, "verify_url", json_object_new_string(
	    arena_printf(r->arena, "%s/verify?token=%s", request_site_url(r), token)));
	rc = outbox_mail(r->db, acc->email, "verify", vars);
	json_object_put(vars);
	return rc;
}

/* Queues a new confirmation link for the signed-in person, in
 * page_change's transaction, within the limits of db_token_quota. */
static int
resend_change(struct request *r, void *arg)
{
	struct account acc;
	long retry_after;
	int rc;

	(void)arg;
	if ((rc = db_account_by_id(r->db, r->arena, r->session->user_id, 1,
	    &acc)) != 0)
		return rc < 0 ? -1 : 404;
	if ((rc = db_token_quota(r->db, r->arena, acc.id, TOKEN_VERIFY,
	    &retry_after)) != 0)
		return rc < 0 ? -1 : page_too_many(r, retry_after, "We have "
		    "mailed you a confirmation link %s. Look for it in your "
		    "mail (and the spam folder), or ask again in %s.",
		    retry_after > TOKEN_MAIL_INTERVAL_SECONDS ?
		    "several times today" : "a moment ago",
		    page_wait_text(r, retry_after));
	return account_verify_mail(r, &acc);
}

/* Mails the confirmation link again. */
int
account_verify_resend(struct request *r)
{
	if (r->session->verified)
		return page_redirect(r, 303, "/me?done=verified");
	return page_change(r, resend_change, NULL, "/me?done=resent");
}
