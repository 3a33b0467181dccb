#include <stdlib.h>
#include <time.h>

#include "admin_pages.h"
#include "program.h"
#include "audit.h"
#include "dates.h"
#include "db.h"
#include "heartbeat.h"
#include "outbox.h"
#include "row.h"
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

/* The workers' heartbeats: how long ago each said it was alive. */
static struct tmpl_value *
worker_values(struct arena *a, const struct heartbeat *b, size_t n)
{
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; i < n; i++) {
		struct tmpl_value *v = tv_object(a);

		tv_set_str(a, v, "name", b[i].worker);
		tv_set_str(a, v, "since", dates_local(a, b[i].started_at, "UTC",
		    "%Y-%m-%d %H:%M UTC"));
		tv_set_int(a, v, "age", b[i].age < 0 ? 0 : b[i].age);
		tv_set_bool(a, v, "ok", b[i].age <= HEARTBEAT_STALE_SECONDS);
		tv_push(a, list, v);
	}
	return list;
}

/* GET /admin/status — the database servers as this program sees them,
 * the workers' heartbeats, and the outbox: what waits, what failed and
 * why, what was given up. */
int
admin_status(struct request *r)
{
	struct db_server_health primary, replicas[CONFIG_MAX_REPLICAS];
	struct arena *a = r->arena;
	struct tmpl_value *ctx, *servers, *failing;
	struct outbox_counts counts;
	struct outbox_failure *rows;
	struct heartbeat *beats;
	size_t nrows, nbeats;
	int rc, n;

	n = db_health(r->db, &primary, replicas);
	if ((rc = outbox_counts(r->db, a, &counts)) == 0)
		rc = outbox_failing(r->db, a, FAILING_ROWS, &rows, &nrows);
	if (rc == 0)
		rc = heartbeat_list(r->db, a, &beats, &nbeats);
	if (rc != 0)
		return rc == ROW_BAD ? 500 : 503;
	servers = tv_list(a);
	tv_push(a, servers, server_value(a, &primary, 0));
	for (int i = 0; i < n; i++)
		tv_push(a, servers, server_value(a, &replicas[i], 1));
	failing = tv_list(a);
	for (size_t i = 0; i < nrows; i++) {
		const struct outbox_failure *f = &rows[i];
		struct tmpl_value *v = tv_object(a);

		tv_set_int(a, v, "id", f->id);
		tv_set_str(a, v, "topic", f->topic);
		tv_set_int(a, v, "attempts", f->attempts);
		tv_set_str(a, v, "error", f->last_error);
		tv_set_str(a, v, "created", dates_local(a, f->created_at, "UTC",
		    "%Y-%m-%d %H:%M UTC"));
		tv_set_bool(a, v, "dead", f->state == OUTBOX_DEAD);
		tv_set_str(a, v, "next", dates_local(a, f->next_attempt_at, "UTC",
		    "%Y-%m-%d %H:%M UTC"));
		tv_push(a, failing, v);
	}
	ctx = page_context(r, "Status");
	tv_set(a, ctx, "workers", worker_values(a, beats, nbeats));
	tv_set_bool(a, ctx, "has_workers", nbeats > 0);
	tv_set(a, ctx, "servers", servers);
	tv_set_int(a, ctx, "due", counts.due);
	tv_set_int(a, ctx, "failed", counts.failed);
	tv_set_int(a, ctx, "dead", counts.dead);
	tv_set(a, ctx, "failing", failing);
	tv_set_bool(a, ctx, "has_failing", nrows > 0);
	tv_set_bool(a, ctx, "retried", request_query(r, "done") != NULL);
	return page_render(r, "admin_status", ctx);
}

/* Retries outbox row *arg, in page_change's transaction. */
static int
outbox_retry_change(struct request *r, void *arg)
{
	long long id = *(long long *)arg;
	int changed = 0;

	if (outbox_retry(r->db, id, &changed) != 0)
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
