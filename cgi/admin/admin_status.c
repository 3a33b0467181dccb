#include <stdlib.h>
#include <time.h>

#include "admin_pages.h"
#include "program.h"
#include "audit.h"
#include "dates.h"
#include "db.h"
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

/* GET /admin/status — the database servers as this program sees them, and
 * the outbox: what waits, what failed and why, what was given up. */
int
admin_status(struct request *r)
{
	struct db_server_health primary, replicas[CONFIG_MAX_REPLICAS];
	struct arena *a = r->arena;
	struct tmpl_value *ctx, *servers, *failing;
	struct outbox_counts counts;
	struct outbox_failure *rows;
	size_t nrows;
	int rc, status, n;

	if (!admin_require(r, NEED_ADMIN, &status))
		return status;
	n = db_health(r->db, &primary, replicas);
	if ((rc = outbox_counts(r->db, a, &counts)) == 0)
		rc = outbox_failing(r->db, a, FAILING_ROWS, &rows, &nrows);
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
	tv_set(a, ctx, "servers", servers);
	tv_set_int(a, ctx, "due", counts.due);
	tv_set_int(a, ctx, "failed", counts.failed);
	tv_set_int(a, ctx, "dead", counts.dead);
	tv_set(a, ctx, "failing", failing);
	tv_set_bool(a, ctx, "has_failing", nrows > 0);
	tv_set_bool(a, ctx, "retried", request_query(r, "done") != NULL);
	return page_render(r, "admin_status", ctx);
}

/* POST /admin/outbox/{id}/retry — try a failed or given-up row again now. */
int
admin_outbox_retry(struct request *r)
{
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	int status, changed = 0;

	if (!admin_require(r, NEED_ADMIN, &status))
		return status;
	if (db_begin(r->db) != 0)
		return 503;
	if (outbox_retry(r->db, id, &changed) != 0)
		goto fail;
	if (!changed) {
		db_rollback(r->db);
		return 404;
	}
	if (audit_log(r->db, r->session->user_id, "outbox.retry",
	    arena_printf(r->arena, "outbox %lld", id), r->remote_addr,
	    NULL) != 0)
		goto fail;
	if (db_commit(r->db) != 0)
		return 503;
	session_sync_after_write(r);
	return page_redirect(r, 303, "/admin/status?done=retry");
fail:
	db_rollback(r->db);
	return 503;
}
