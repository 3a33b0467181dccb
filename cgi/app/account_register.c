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

/* Creates the account and queues the mail that confirms its address, in
 * page_change's transaction. A taken address is only logged, which is a
 * write too, so both answers carry the same cookies. */
static int
register_change(struct request *r, void *arg)
{
	struct account *acc = arg;

	switch (db_account_insert(r->db, acc->email, acc->display_name,
	    acc->password_hash, &acc->id)) {
	case 0:
		if (account_verify_mail(r, acc) != 0 ||
		    audit_log(r->db, acc->id, "account.register", acc->email,
		    r->remote_addr, NULL) != 0)
			return -1;
		return 0;
	case 1:
		return audit_log(r->db, 0, "account.register_taken", acc->email,
		    r->remote_addr, NULL);
	default:
		return -1;
	}
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
	acc.password_hash = mcf;
	status = page_change(r, register_change, &acc, next == NULL ?
	    "/login?done=registered" :
	    arena_printf(r->arena, "/login?done=registered&next=%s",
	    url_encode(r->arena, next, strlen(next))));
out:
	explicit_bzero(mcf, sizeof(mcf));
	form_wipe(f, &r->form);
	return status;
}
