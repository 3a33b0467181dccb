/*
 * The site's gauges on tessera-admin's /metrics, after its own counters:
 * the outbox, unpaid holds, and each worker's heartbeat and mail counts.
 * The worker is no FastCGI program; it reports through its heartbeat row
 * every few seconds (heartbeat.h) and is scraped here, on the program
 * whose account may read what the worker writes.
 */
#include <stdio.h>

#include "admin_pages.h"
#include "arena.h"
#include "buf.h"
#include "heartbeat.h"
#include "log.h"
#include "metrics.h"
#include "order_expiring.h"
#include "outbox.h"
#include "program.h"
#include "site_gauges.h"
#include "util.h"

static void
gauge(struct request *r, struct buf *out, const char *name,
    const char *help, double value)
{
	metrics_sample(out, "gauge", name, help, r->program->name, NULL, value);
}

static void
workers(struct request *r, struct buf *out)
{
	static const struct {
		const char *type, *name, *help;
	} series[] = {
		{ "gauge", "tessera_worker_heartbeat_age_seconds",
		    "Seconds since the worker last said it is alive." },
		{ "counter", "tessera_worker_mails_sent_total",
		    "Mails the worker delivered since it started." },
		{ "counter", "tessera_worker_mails_failed_total",
		    "Mail deliveries that failed (retried later) since the "
		    "worker started." },
	};
	struct heartbeat *beats;
	size_t n;
	long long fresh = 0;

	if (heartbeat_list(r->db, r->arena, &beats, &n) != 0) {
		log_err("%s: the heartbeats cannot be read", __func__);
		return;
	}
	for (size_t i = 0; i < n; i++)
		fresh += beats[i].age <= HEARTBEAT_STALE_SECONDS;
	gauge(r, out, "tessera_workers_alive", "Workers whose heartbeat is "
	    "at most a minute old.", (double)fresh);
	for (size_t s = 0; s < ARRAY_LEN(series); s++)
		for (size_t i = 0; i < n; i++) {
			const char *labels = arena_printf(r->arena,
			    "worker=\"%s\"", metrics_escape(r->arena,
			    beats[i].worker));
			double v = s == 0 ? (double)beats[i].age : s == 1 ?
			    (double)beats[i].mails_sent :
			    (double)beats[i].mails_failed;

			metrics_sample(out, series[s].type, series[s].name,
			    i == 0 ? series[s].help : NULL, r->program->name,
			    labels, v);
		}
}

/* The site's gauges, in the order of their values in admin_metrics(). */
static const struct {
	const char *name, *help;
} site_series[] = {
	{ "tessera_outbox_pending", "Outbox rows not processed yet." },
	{ "tessera_outbox_oldest_seconds", "Age of the oldest outbox row not "
	    "processed yet; 0 when there is none." },
	{ "tessera_outbox_failing", "Pending outbox rows whose last attempt "
	    "failed." },
	{ "tessera_outbox_dead", "Outbox rows given up after their last "
	    "attempt." },
	{ "tessera_orders_holding", "Unpaid orders holding seats (at the "
	    "checkout, or waiting for an offline payment)." },
	{ "tessera_orders_expiring", "Of those, the ones whose hold ends "
	    "within five minutes." },
};

void
admin_metrics(struct request *r, struct buf *out)
{
	struct site_gauges g;
	struct outbox_counts c;
	int ok = site_gauges_read(r->db, r->arena, ORDER_EXPIRING_WARN_SECONDS,
	    &g) == 0 && outbox_counts(r->db, r->arena, &c) == 0;

	gauge(r, out, "tessera_site_gauges_up", "1 when the site's gauges "
	    "below could be read.", ok);
	if (!ok) {
		log_err("%s: the site's gauges cannot be read", __func__);
		return;
	}
	{
		const long long values[ARRAY_LEN(site_series)] = {
			g.outbox_pending, g.outbox_oldest_seconds, c.failed,
			c.dead, g.holds, g.holds_expiring,
		};

		for (size_t i = 0; i < ARRAY_LEN(site_series); i++)
			gauge(r, out, site_series[i].name, site_series[i].help,
			    (double)values[i]);
	}
	workers(r, out);
}
