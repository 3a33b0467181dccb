#include <stdlib.h>
#include <time.h>

#include "admin_pages.h"
#include "program.h"
#include "audit.h"
#include "dates.h"
#include "db.h"
#include "db_admin.h"
#include "session.h"
#include "tmpl.h"

#define FAILING_ROWS 50

static struct tmpl_value *
server_value(struct arena *a, const struct db_server_health *h, int replica)
{
	struct tmpl_value *v = tv_object(a);

	tv_set_str(a, v, "address", h->address);
	tv_set_bool(a, v, "replica", replica);
	tv_set_bool(a, v, "ok", replica ? h->usable : h->reachable);
	if (replica && h->usable)
		tv_set_int(a, v, "lag", h->lag);
	tv_set_str(a, v, "error", arena_strdup(a, h->error));
	return v;
}

/* GET /admin/status — the database servers as this program sees them, and
 * the outbox: what waits, what failed and why, what was given up. */
int
admin_status(struct request *r)
{
	struct db_server_health primary, replicas[CONFIG_MAX_REPLICAS];
	struct arena *a = r->arena;
	struct tmpl_value *ctx, *servers, *failing;
	struct db_rows counts, rows;
	int n;

	n = db_health(r->db, &primary, replicas);
	if (db_admin_outbox_counts(r->db, a, &counts) != 0 ||
	    db_admin_outbox_failing(r->db, a, FAILING_ROWS, &rows) != 0)
		return 503;
	servers = tv_list(a);
	tv_push(a, servers, server_value(a, &primary, 0));
	for (int i = 0; i < n; i++)
		tv_push(a, servers, server_value(a, &replicas[i], 1));
	failing = tv_list(a);
	for (size_t i = 0; i < rows.nrows; i++) {
		struct tmpl_value *v = tv_object(a);
		time_t next = 0, created = 0;

		dates_parse_db(db_cell(&rows, i, AO_NEXT), &next);
		dates_parse_db(db_cell(&rows, i, AO_CREATED), &created);
		tv_set_str(a, v, "id", db_cell(&rows, i, AO_ID));
		tv_set_str(a, v, "topic", db_cell(&rows, i, AO_TOPIC));
		tv_set_str(a, v, "attempts", db_cell(&rows, i, AO_ATTEMPTS));
		tv_set_str(a, v, "error", db_cell(&rows, i, AO_ERROR));
		tv_set_str(a, v, "created", dates_local(a, created, "UTC",
		    "%Y-%m-%d %H:%M UTC"));
		tv_set_bool(a, v, "dead",
		    *db_cell(&rows, i, AO_DEAD) == '1');
		tv_set_str(a, v, "next", dates_local(a, next, "UTC",
		    "%Y-%m-%d %H:%M UTC"));
		tv_push(a, failing, v);
	}
	ctx = page_context(r, "Status");
	tv_set(a, ctx, "servers", servers);
	tv_set_str(a, ctx, "due", db_cell(&counts, 0, 0));
	tv_set_str(a, ctx, "failed", db_cell(&counts, 0, 1));
	tv_set_str(a, ctx, "dead", db_cell(&counts, 0, 2));
	tv_set(a, ctx, "failing", failing);
	tv_set_bool(a, ctx, "has_failing", rows.nrows > 0);
	tv_set_bool(a, ctx, "retried", request_query(r, "done") != NULL);
	return page_render(r, "admin_status", ctx);
}

/* Retries outbox row *arg, in page_change's transaction. */
static int
outbox_retry_change(struct request *r, void *arg)
{
	long long id = *(long long *)arg;
	int changed = 0;

	if (db_admin_outbox_retry(r->db, id, &changed) != 0)
		return -1;
	if (!changed)
		return 404;
	return audit_log(r->db, r->session->user_id, "outbox.retry",
	    arena_printf(r->arena, "outbox %lld", id), r->remote_addr, NULL);
}

/* POST /admin/outbox/{id}/retry — try a failed or given-up row again now. */
int
admin_outbox_retry(struct request *r)
{
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);

	return page_change(r, outbox_retry_change, &id,
	    "/admin/status?done=retry");
}
