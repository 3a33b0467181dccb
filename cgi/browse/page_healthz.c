#include <string.h>

#include "program.h"
#include "browse.h"
#include "db.h"

/*
 * GET /healthz — for load balancers and operators: 200 "ok" when the
 * primary answers, 503 "unavailable" when it does not. Asked from this
 * machine, it also gives a line per server (addresses, errors, replicas'
 * lag), which are nobody else's business. Plain text.
 */
int
page_healthz(struct request *r)
{
	struct db_server_health primary, replicas[CONFIG_MAX_REPLICAS];
	struct buf *out = r->resp.body;
	int n;

	n = db_health(r->db, &primary, replicas);
	buf_reset(out);
	r->resp.status = primary.reachable ? 200 : 503;
	r->resp.content_type = "text/plain; charset=utf-8";
	if (strcmp(r->remote_addr, "127.0.0.1") != 0 &&
	    strcmp(r->remote_addr, "::1") != 0) {
		buf_puts(out, primary.reachable ? "ok\n" : "unavailable\n");
		return 0;
	}
	buf_printf(out, "primary %s %s%s%s\n", primary.address,
	    primary.reachable ? "ok" : "down", primary.reachable ? "" : ": ",
	    primary.error);
	for (int i = 0; i < n; i++) {
		const struct db_server_health *h = &replicas[i];

		if (h->usable)
			buf_printf(out, "replica %s usable lag=%lds\n", h->address,
			    h->lag);
		else
			buf_printf(out, "replica %s unusable: %s\n", h->address,
			    h->reachable ? h->error : "down");
	}
	return 0;
}
