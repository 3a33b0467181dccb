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
#include "password.h"
#include "session.h"
#include "throttle.h"
#include "tmpl.h"
#include "util.h"

#define MSG_WRONG_PASSWORD "This is not your current password."
#define MSG_SAME_EMAIL "This is your address already."

/* ?done= flags that lead back here, and what each says. */
enum profile_done {
	DONE_NAME,
	DONE_EMAIL_SENT,
	DONE_EMAIL_CHANGED,
	DONE_PASSWORD,
	DONE_VERIFIED,
	DONE_RESENT,
	DONE__MAX
};

static const char *const done_keys[DONE__MAX] = {
	"name", "email_sent", "email_changed", "password", "verified",
	"resent",
};

static const char *const done_texts[DONE__MAX] = {
	/* DONE_NAME */
	"Your display name has been changed.",
	/* DONE_EMAIL_SENT */
	"We have mailed a link to your new address. Your account moves to it "
	"once you follow the link; until then it keeps the current one.",
	/* DONE_EMAIL_CHANGED */
	"Your new email address is confirmed.",
	/* DONE_PASSWORD */
	"Your password has been changed, and your other devices signed out.",
	/* DONE_VERIFIED */
	"Your email address is confirmed.",
	/* DONE_RESENT */
	"We have mailed you a new confirmation link.",
};

/* The forms of the page, each shown blank or, for the one just sent,
 * with what was typed and the messages. */
static const struct {
	enum account_form form;
	const char *key;
} me_forms[] = {
	{ ACCOUNT_NAME, "f_name" },
	{ ACCOUNT_EMAIL, "f_email" },
	{ ACCOUNT_PASSWORD, "f_password" },
	{ ACCOUNT_DELETE, "f_delete" },
};

/*
 * Renders /me for the signed-in person: res is the form just sent, shown
 * again with its messages under status 400, or NULL for none.
 */
static int
profile_page(struct request *r, const struct form_result *res)
{
	struct arena *a = r->arena;
	const struct session *s = r->session;
	struct tmpl_value *ctx = page_context(r, "Your account");
	struct form_result name;
	const char *key = NULL;
	int done;

	form_blank(a, &account_forms[ACCOUNT_NAME], &name);
	form_set(&name, FIELD_DISPLAY_NAME, s->display_name);
	done = form_choice(done_keys, DONE__MAX, request_query(r, "done"));
	if (done >= 0 && res == NULL)
		tv_set_str(a, ctx, "done", done_texts[done]);
	tv_set_str(a, ctx, "csrf", csrf_token(r));
	tv_set_str(a, ctx, "email", s->email);
	tv_set_str(a, ctx, "display_name", s->display_name);
	tv_set_bool(a, ctx, "verified", s->verified);
	tv_set_str(a, ctx, "pending_email",
	    db_token_pending_email(r->db, a, s->user_id));
	for (size_t i = 0; i < ARRAY_LEN(me_forms); i++) {
		const struct form *f = &account_forms[me_forms[i].form];

		if (res != NULL && res->form == f)
			key = me_forms[i].key;
		else
			tv_set(a, ctx, me_forms[i].key, form_view(a, f,
			    f == name.form ? &name : NULL));
	}
	tv_set_bool(a, ctx, "nav_me", 1);
	if (res != NULL && key != NULL)
		return form_rerender(r, "me", ctx, key, res);
	return page_render(r, "me", ctx);
}

int
account_profile(struct request *r)
{
	return profile_page(r, NULL);
}

/*
 * Checks the signed-in person's current password before a change that
 * needs it (account_check_password). Fills *acc. Returns 0 when it is
 * right; 400 having shown the form again when it is not; or the status
 * to answer with.
 */
static int
confirm_password(struct request *r, struct form_result *in,
    struct account *acc)
{
	int rc = account_check_password(r, in->field[FIELD_PASSWORD].text, acc);

	if (rc != 1)
		return rc;
	form_set_error(in, FIELD_PASSWORD, MSG_WRONG_PASSWORD);
	if ((rc = profile_page(r, in)) != 0)
		return rc;
	return 400;
}

/* Common start of the /me forms (their routes need a session): the form
 * must pass. Returns 0 to go on, or -1 having answered (*status). */
static int
profile_form(struct request *r, enum account_form form,
    struct form_result *in, int *status)
{
	if (form_check(r->arena, &account_forms[form], &r->form, NULL,
	    in) != 0) {
		*status = profile_page(r, in);
		return -1;
	}
	return 0;
}

static int
name_change(struct request *r, void *name)
{
	return db_account_set_name(r->db, r->session->user_id, name);
}

/* Changes the display name; it takes effect on every page at once. */
int
account_profile_name(struct request *r)
{
	struct form_result in;
	int status;

	if (profile_form(r, ACCOUNT_NAME, &in, &status) != 0)
		return status;
	return page_change(r, name_change,
	    (void *)in.field[FIELD_DISPLAY_NAME].text, "/me?done=name");
}

/* Mails a link to address to, in page_change's transaction, unless the
 * account had enough of them lately (429). */
static int
email_change(struct request *r, void *to)
{
	struct account acc;
	struct json_object *vars;
	const char *token;
	long retry_after;
	int rc;

	if ((rc = db_account_by_id(r->db, r->arena, r->session->user_id, 1,
	    &acc)) != 0)
		return rc < 0 ? -1 : 404;
	if ((rc = db_token_quota(r->db, r->arena, acc.id, TOKEN_EMAIL_CHANGE,
	    &retry_after)) != 0)
		return rc < 0 ? -1 : page_too_many(r, retry_after, "We have "
		    "mailed links for a new address several times lately. Try "
		    "again in %s.", page_wait_text(r, retry_after));
	if ((token = db_token_new(r->db, r->arena, acc.id, TOKEN_EMAIL_CHANGE,
	    to)) == NULL)
		return -1;
	vars = json_object_new_object();
	json_object_object_add(vars, "name",
	    json_object_new_string(acc.display_name));
	json_object_object_add(vars, "new_email", json_object_new_string(to));
	json_object_object_add(vars, "verify_url", json_object_new_string(
	    arena_printf(r->arena, "%s/verify?token=%s", request_site_url(r),
	    token)));
	rc = outbox_mail(r->db, to, "email_change", vars);
	json_object_put(vars);
	if (rc != 0)
		return -1;
	return audit_log(r->db, acc.id, "account.email_change_request", to,
	    r->remote_addr, NULL);
}

/*
 * Starts an email change: mails a link to the new address, which the
 * account takes only once it is followed (account_verify). Whether the
 * new address belongs to another account is not told here; following
 * the link is.
 */
int
account_profile_email(struct request *r)
{
	struct form_result in;
	struct account acc;
	const char *to;
	int status;

	if (profile_form(r, ACCOUNT_EMAIL, &in, &status) != 0)
		goto out;
	to = in.field[FIELD_EMAIL].text;
	if (strcmp(to, r->session->email) == 0) {
		form_set_error(&in, FIELD_EMAIL, MSG_SAME_EMAIL);
		status = profile_page(r, &in);
		goto out;
	}
	if ((status = confirm_password(r, &in, &acc)) != 0) {
		if (status == 400)
			status = 0;
		goto out;
	}
	status = page_change(r, email_change, (void *)to, "/me?done=email_sent");
out:
	form_wipe(&account_forms[ACCOUNT_EMAIL], &r->form);
	return status;
}

/* Sets acc's new password_hash, in page_change's transaction. */
static int
password_change(struct request *r, void *arg)
{
	const struct account *acc = arg;
	struct json_object *vars = json_object_new_object();
	int rc;

	json_object_object_add(vars, "name",
	    json_object_new_string(acc->display_name));
	rc = db_account_set_password(r->db, acc->id, acc->password_hash) != 0 ||
	    session_end_all(r->db, acc->id, r->session->id) != 0 ||
	    outbox_mail(r->db, acc->email, "password_changed", vars) != 0 ||
	    audit_log(r->db, acc->id, "password.change", NULL, r->remote_addr,
	    NULL) != 0;
	json_object_put(vars);
	return rc ? -1 : 0;
}

/* Changes the password, signs out the account's other sessions and tells
 * its owner by mail. */
int
account_profile_password(struct request *r)
{
	struct form_result in;
	struct account acc;
	char mcf[PASSWORD_MCF_LEN] = "";
	int status;

	if (profile_form(r, ACCOUNT_PASSWORD, &in, &status) != 0)
		goto out;
	if ((status = confirm_password(r, &in, &acc)) != 0) {
		if (status == 400)
			status = 0;
		goto out;
	}
	if ((status = account_hash_password(r,
	    in.field[FIELD_NEW_PASSWORD].text, mcf)) != 0)
		goto out;
	acc.password_hash = mcf;
	status = page_change(r, password_change, &acc, "/me?done=password");
out:
	explicit_bzero(mcf, sizeof(mcf));
	form_wipe(&account_forms[ACCOUNT_PASSWORD], &r->form);
	return status;
}

static int
delete_change(struct request *r, void *arg)
{
	const struct account *acc = arg;

	return db_account_anonymise(r->db, acc->id) != 0 ||
	    session_end_all(r->db, acc->id, 0) != 0 ||
	    throttle_clear(r->db, acc->email) != 0 ||
	    audit_log(r->db, acc->id, "account.delete", NULL, r->remote_addr,
	    NULL) != 0 ? -1 : 0;
}

/*
 * Deletes the account (db_account_anonymise) and signs out all of its
 * sessions, this one included.
 */
int
account_profile_delete(struct request *r)
{
	struct form_result in;
	struct account acc;
	int status;

	if (profile_form(r, ACCOUNT_DELETE, &in, &status) != 0)
		goto out;
	if ((status = confirm_password(r, &in, &acc)) != 0) {
		if (status == 400)
			status = 0;
		goto out;
	}
	status = page_change(r, delete_change, &acc, "/login?done=deleted");
	/* Its sessions are gone with it; the browser forgets its cookie. */
	if (status == 0 && r->resp.status == 303)
		session_end(r);
out:
	form_wipe(&account_forms[ACCOUNT_DELETE], &r->form);
	return status;
}
