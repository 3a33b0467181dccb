#include <string.h>

#include "account_validate.h"
#include "program.h"
#include "app_pages.h"
#include "audit.h"
#include "csrf.h"
#include "db_accounts.h"
#include "form.h"
#include "password.h"
#include "session.h"
#include "session_confirm.h"
#include "throttle.h"
#include "tmpl.h"

#define MSG_WRONG_PASSWORD "This is not your password."
/* Where a confirmation leads without a (safe) next. */
#define CONFIRM_DEFAULT_NEXT "/me"

/*
 * Renders the form asking for the password again: res is the checked
 * form, shown again with its messages under status 400, or NULL for a
 * blank one that leads to next (may be NULL) afterwards.
 */
static int
confirm_page(struct request *r, const struct form_result *res,
    const char *next)
{
	struct arena *a = r->arena;
	const struct form *f = &account_forms[ACCOUNT_CONFIRM];
	struct tmpl_value *ctx = page_context(r, "Confirm your password");
	struct form_result blank;

	tv_set_str(a, ctx, "csrf", csrf_token(r));
	if (res != NULL)
		return form_rerender(r, "me_confirm", ctx, "f", res);
	form_blank(a, f, &blank);
	form_set(&blank, FIELD_NEXT, next);
	tv_set(a, ctx, "f", form_view(a, f, &blank));
	return page_render(r, "me_confirm", ctx);
}

/* GET /me/confirm?next=PATH */
int
account_confirm_form(struct request *r)
{
	const char *next = request_query(r, "next");

	if (!validate_next(r->arena, next))
		next = NULL;
	return confirm_page(r, NULL, next);
}

/* Records the confirmation, in page_change's transaction. */
static int
confirm_change(struct request *r, void *arg)
{
	const struct account *acc = arg;

	return session_confirm(r) != 0 ||
	    audit_log(r->db, acc->id, "password.confirm", NULL,
	    r->remote_addr, NULL) != 0 ? -1 : 0;
}

int
account_check_password(struct request *r, const char *pw,
    struct account *acc)
{
	long retry_after;
	enum password_result res;
	int rc;

	if ((rc = db_account_by_id(r->db, r->arena, r->session->user_id, 0,
	    acc)) != 0)
		return rc < 0 ? 503 : 404;
	switch (throttle_attempt(r->db, r->arena, acc->email, r->remote_addr,
	    &retry_after)) {
	case 0:
		break;
	case 1:
		return page_too_many(r, retry_after, "Too many wrong passwords. "
		    "Try again in %s.", page_wait_text(r, retry_after));
	default:
		return 503;
	}
	res = password_verify(pw, acc->password_hash);
	if (res == PASSWORD_OK)
		return throttle_succeeded(r->db, r->arena, acc->email,
		    r->remote_addr) != 0 ? 503 : 0;
	if (res == PASSWORD_BUSY)
		return page_busy(r);
	if (audit_log(r->db, acc->id, "password.confirm_failed", NULL,
	    r->remote_addr, NULL) != 0)
		return 503;
	return 1;
}

/*
 * POST /me/confirm: the signed-in person's password again
 * (account_check_password). Right: the session counts as confirmed for
 * SESSION_CONFIRM_SECONDS and the browser goes on to next.
 */
int
account_confirm(struct request *r)
{
	const struct form *f = &account_forms[ACCOUNT_CONFIRM];
	struct form_result in;
	struct account acc;
	const char *next;
	int status;

	form_check(r->arena, f, &r->form, NULL, &in);
	next = in.field[FIELD_NEXT].text;
	if (in.nerrors > 0) {
		status = confirm_page(r, &in, NULL);
		goto out;
	}
	switch ((status = account_check_password(r,
	    in.field[FIELD_PASSWORD].text, &acc))) {
	case 0:
		status = page_change(r, confirm_change, &acc,
		    next ? next : CONFIRM_DEFAULT_NEXT);
		break;
	case 1:
		form_set_error(&in, FIELD_PASSWORD, MSG_WRONG_PASSWORD);
		status = confirm_page(r, &in, NULL);
		break;
	}
out:
	form_wipe(f, &r->form);
	return status;
}
