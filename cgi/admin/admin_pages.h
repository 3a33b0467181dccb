/*
 * tessera-admin: the pages of organizers and site admins. Every handler
 * checks the role it needs before anything else (admin_require).
 */
#ifndef TESSERA_ADMIN_PAGES_H
#define TESSERA_ADMIN_PAGES_H

#include "request.h"

enum admin_page {
	ADMIN_HOME,
	ADMIN_USERS,
	ADMIN_USER_ROLE,
	ADMIN_AUDIT,
	ADMIN_STATUS,
	ADMIN_OUTBOX_RETRY,
	ADMIN__MAX
};

enum admin_need { NEED_ORGANIZER, NEED_ADMIN };

/* 1 when the signed-in person has the role. Else 0, with *status set to
 * what the handler returns: 0 after answering with a redirect to the
 * sign-in page (nobody signed in), or 403. */
int admin_require(struct request *r, enum admin_need need, int *status);

int admin_home(struct request *r);
int admin_users(struct request *r);
int admin_user_role(struct request *r);
int admin_audit(struct request *r);
int admin_status(struct request *r);
int admin_outbox_retry(struct request *r);

#endif
