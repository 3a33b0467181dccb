#include <string.h>

#include "account_validate.h"
#include "program.h"
#include "app_pages.h"
#include "audit.h"
#include "csrf.h"
#include "db_accounts.h"
#include "form.h"
#include "http_url.h"
#include "password.h"
#include "session.h"
#include "tmpl.h"

/*
 * Renders the sign-up form: res is the checked form, shown again with its
 * messages under status 400, or NULL for a blank one that returns to next
 * (may be NULL) after signing in.
 */
static int
register_page(struct request *r, const struct form_result *res,
    const char *next)
{
	struct arena *a = r->arena;
	const struct form *f = &account_forms[ACCOUNT_REGISTER];
	struct tmpl_value *ctx = page_context(r, "Create an account");
	struct form_result blank;

	tv_set_str(a, ctx, "csrf", csrf_token(r));
	tv_set_bool(a, ctx, "nav_register", 1);
	if (res != NULL)
		return form_rerender(r, "register", ctx, "f", res);
	form_blank(a, f, &blank);
	form_set(&blank, FIELD_NEXT, next);
	tv_set(a, ctx, "f", form_view(a, f, &blank));
	return page_render(r, "register", ctx);
}

int
account_register_form(struct request *r)
{
	const char *next = request_query(r, "next");

	if (r->session != NULL)
		return page_redirect(r, 303, "/me");
	if (!validate_next(r->arena, next))
		next = NULL;
	return register_page(r, NULL, next);
}

/*
 * Creates the account and mails the link to confirm its address, in one
 * transaction. An address that is taken gets the same answer as a new
 * one, so the form tells nobody which addresses have accounts; its owner
 * can still sign in or reset the password.
 */
int
account_register(struct request *r)
{
	const struct form *f = &account_forms[ACCOUNT_REGISTER];
	struct form_result in;
	struct account acc;
	char mcf[PASSWORD_MCF_LEN] = "";
	const char *next;
	int status;

	form_check(r->arena, f, &r->form, NULL, &in);
	next = in.field[FIELD_NEXT].text;
	if (r->session != NULL) {
		status = page_redirect(r, 303, "/me");
		goto out;
	}
	if (in.nerrors > 0) {
		status = register_page(r, &in, NULL);
		goto out;
	}
	if ((status = account_hash_password(r,
	    in.field[FIELD_NEW_PASSWORD].text, mcf)) != 0)
		goto out;
	memset(&acc, 0, sizeof(acc));
	acc.email = in.field[FIELD_EMAIL].text;
	acc.display_name = in.field[FIELD_DISPLAY_NAME].text;
	if (db_begin(r->db) != 0) {
		status = 503;
		goto out;
	}
	switch (db_account_insert(r->db, acc.email, acc.display_name, mcf,
	    &acc.id)) {
	case 0:
		if (account_verify_mail(r, &acc) != 0 ||
		    audit_log(r->db, acc.id, "account.register", acc.email,
		    r->remote_addr, NULL) != 0 || db_commit(r->db) != 0)
			goto fail;
		session_sync_after_write(r);
		break;
	case 1:
		db_rollback(r->db);
		break;
	default:
		goto fail;
	}
	status = page_redirect(r, 303, next == NULL ? "/login?done=registered" :
	    arena_printf(r->arena, "/login?done=registered&next=%s",
	    url_encode(r->arena, next, strlen(next))));
	goto out;
fail:
	db_rollback(r->db);
	status = 503;
out:
	explicit_bzero(mcf, sizeof(mcf));
	form_wipe(f, &r->form);
	return status;
}
