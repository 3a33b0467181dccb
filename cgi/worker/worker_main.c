#include <json-c/json.h>
#include <mysql.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "event_fanout.h"
#include "event_ics.h"
#include "events.h"
#include "heartbeat.h"
#include "log.h"
#include "mail.h"
#include "mail_journal.h"
#include "notify.h"
#include "order_expiring.h"
#include "orders.h"
#include "outbox.h"
#include "digest.h"
#include "picture_derive.h"
#include "picture_image.h"
#include "picture_notice.h"
#include "purge.h"
#include "reminders.h"
#include "stripe_api.h"
#include "tmpl.h"
#include "util.h"

/*
 * tessera-worker: the background daemon. Its jobs, on the primary:
 *
 * - the outbox (outbox.h): due rows are claimed in small batches by a
 *   short transaction that leases them, then handled one by one outside
 *   any transaction (sending mail is slow) and their outcome recorded.
 *   Several workers may run at once: the claim skips rows another worker
 *   has locked, and a claimed row is not due again until its lease ends.
 *   Topics: "mail" (one message), "event_cancelled" (undoing a
 *   cancelled event's orders, a slice of batches at a time: the row goes
 *   back between slices, keeping its place ahead of the mails it queued)
 *   and "event_changed" (telling its ticket
 *   holders it moved), event_fanout.h; "notify" (a notification and its
 *   mail, notify.h), written in one transaction with the row's mark;
 *   "picture_derive" (an upload's sizes, picture_derive.h), of the slow
 *   class (outbox.h): a
 *   batch of quick rows, then one slow row, and again, so a mail waits
 *   behind at most one picture whatever the queue of uploads; and
 *   "picture_moderated" (its owner's mail) and "picture_liked" (its
 *   owner's aggregated notification), picture_notice.h.
 * - warning the buyers of unpaid orders a few minutes before their hold
 *   runs out (order_expiring.h), on the same schedule as releasing them.
 * - releasing the seats of holds that were never paid and of offline
 *   orders past their payment deadline (orders.h), every few seconds,
 *   and closing the Stripe Checkout Session of each, so nobody pays for
 *   seats that went back on sale. A session that cannot be closed (Stripe
 *   unreachable) still ends at its own expiry, and a payment that comes
 *   before is a late payment: its seats taken again if free, else
 *   refunded (stripe.c).
 * - deleting expired sessions and tokens (purge.h), at start and every few
 *   minutes.
 * - the day-before reminders of events starting within 24 hours
 *   (reminders.h), every few seconds, a batch of holders per transaction,
 *   and the organizers' daily digests of new bookings (digest.h).
 * - saying it is alive (heartbeat.h) every few seconds, for the status
 *   page, and taking that back when it stops.
 *
 * A mail goes once. A row is marked processed after its handler
 * succeeded; between the two the worker records a mail the relay
 * accepted in its journal (mail_journal.h, fsync'd, in TESSERA_STATE_DIR).
 * When the mark fails (the primary stopped or switched at that moment)
 * the row keeps its lease, and the worker retries the marks of its
 * journal before every claim, reconnecting, and again after a restart
 * (the one `tessera promote` does) before it claims anything; a row in
 * the journal that comes back to it anyway (its claim had not reached the
 * new primary, or its lease ended first) is marked, not sent. What is
 * left at least once: a worker killed between the relay's answer and the
 * journal's fsync, and a row that another worker, with a journal of its
 * own, claims before this one has marked it: its lease (300 s) ended
 * before the database came back, or its claim never reached the new
 * primary (asynchronous replication may lose the last milliseconds before
 * a crash; a clean stop loses nothing). A second copy carries the same
 * Message-ID, so mail readers can fold the two. Without a state
 * directory the journal is off and every failed mark is such a case. A
 * worker asked to stop (SIGTERM, SIGINT) finishes the row at hand,
 * records it, gives back the rest of its batch and exits.
 *
 * The stop signals stay blocked all the time and are taken with
 * sigtimedwait() between rows and while idle, so no database or SMTP call
 * is ever cut short by one.
 */

/* Idle wait for new outbox rows: POLL_MS give or take a quarter, so that
 * workers started together do not poll in step. */
#define POLL_MS 1000
#define HOLDS_EVERY 5           /* seconds between hold-expiry runs */
#define PURGE_EVERY 300         /* seconds between purges */
#define BEAT_EVERY 10           /* seconds between heartbeats */
#define REMIND_EVERY 10         /* seconds between scans for reminders */
#define OUTBOX_BATCH 10
/* The longest one row may take (an SMTP transaction times out at 20 s),
 * with room to spare: a row is only started while at least this much of
 * its lease is left. */
#define ROW_MAX_SECONDS 60

struct worker {
	struct config cfg;
	struct db *db;
	struct arena arena;           /* reset before each batch */
	struct tmpl_set *mail_tmpl;
	struct mail_journal journal;  /* mails sent, not yet marked */
	int journal_failing;          /* its last marks failed (logged once) */
	sigset_t stop_signals;
	int stopping;
	long long mails_sent;         /* since start, for the heartbeat */
	long long mails_failed;
};

/* A topic's handler: 0 when the row is done, HANDLED_IN_TX when it is
 * done and marked processed in the handler's own transaction (rows it
 * wrote commit with that mark, so a crash never writes them twice),
 * HANDLED_IN_PART when it did part and the row goes back, due at once,
 * keeping its place in the queue, or -1 with the reason in err (the row
 * is retried later). */
#define HANDLED_IN_TX 1
#define HANDLED_IN_PART 2
typedef int (*topic_handler)(struct worker *, const struct outbox_row *,
    struct json_object *, char *, size_t);

static int handle_mail(struct worker *, const struct outbox_row *,
    struct json_object *, char *, size_t);
static int handle_event_cancelled(struct worker *, const struct outbox_row *,
    struct json_object *, char *, size_t);
static int handle_event_changed(struct worker *, const struct outbox_row *,
    struct json_object *, char *, size_t);
static int handle_notify(struct worker *, const struct outbox_row *,
    struct json_object *, char *, size_t);
static int handle_picture_derive(struct worker *, const struct outbox_row *,
    struct json_object *, char *, size_t);
static int handle_picture_moderated(struct worker *,
    const struct outbox_row *, struct json_object *, char *, size_t);
static int handle_picture_liked(struct worker *, const struct outbox_row *,
    struct json_object *, char *, size_t);

static const struct {
	const char *topic;
	topic_handler handle;
} topics[] = {
	{ "mail", handle_mail },
	{ "event_cancelled", handle_event_cancelled },
	{ "event_changed", handle_event_changed },
	{ "notify", handle_notify },
	{ "picture_derive", handle_picture_derive },
	{ "picture_moderated", handle_picture_moderated },
	{ "picture_liked", handle_picture_liked },
};

/* Waits up to ms milliseconds for SIGTERM or SIGINT (0: only looks).
 * Returns 1 once one has come; it stays that way. */
static int
stop_requested(struct worker *w, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	if (!w->stopping && sigtimedwait(&w->stop_signals, NULL, &ts) > 0)
		w->stopping = 1;
	return w->stopping;
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ mail */

/* The string member key of obj, or NULL when it is missing or not a
 * string. */
static const char *
json_str(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/*
 * The calendar of the event vars name as "ics_event_id" (the booking
 * confirmation's, the reminder's), into cal; its file name into *name.
 * Returns 1 when there is one, 0 when the mail has none (or the event is
 * gone: the mail goes without), -1 when it cannot be read now.
 */
static int
mail_calendar(struct worker *w, struct json_object *vars, struct buf *cal,
    const char **name)
{
	struct json_object *id;
	struct event ev;
	int rc;

	if (vars == NULL || !json_object_object_get_ex(vars, "ics_event_id",
	    &id) || !json_object_is_type(id, json_type_int))
		return 0;
	if ((rc = events_get(w->db, &w->arena, json_object_get_int64(id),
	    &ev)) != 0)
		return rc == 1 ? 0 : -1;
	event_ics_write(cal, &w->arena, &ev, w->cfg.base_url ?
	    w->cfg.base_url : "", time(NULL));
	*name = arena_printf(&w->arena, "event-%lld.ics", ev.id);
	return 1;
}

/*
 * Topic "mail", payload {"to": address, "template": name, "vars": {...}}
 * (outbox_mail()): renders the mail, builds the message and delivers it.
 * The Message-ID comes from the row, so a mail sent again after a crash
 * is recognisably the same one.
 */
static int
handle_mail(struct worker *w, const struct outbox_row *row,
    struct json_object *payload, char *err, size_t errlen)
{
	struct mail_content content;
	struct mail_message m;
	struct json_object *vars = NULL;
	struct buf msg, cal;
	char from[MAIL_ADDRESS_MAX + 1], stamp[16];
	const char *to, *name, *domain;
	size_t n = 0;
	int rc = -1;

	to = json_str(payload, "to");
	name = json_str(payload, "template");
	if (to == NULL || name == NULL) {
		snprintf(err, errlen, "mail payload needs string members \"to\" "
		    "and \"template\"");
		return -1;
	}
	if (json_object_object_get_ex(payload, "vars", &vars) &&
	    !json_object_is_type(vars, json_type_object)) {
		snprintf(err, errlen, "mail payload: \"vars\" is not an object");
		return -1;
	}
	if (w->mail_tmpl == NULL) {
		snprintf(err, errlen, "the mail templates are not loaded");
		return -1;
	}
	/* Sent before, its mark lost: run_outbox marks it now. */
	if (mail_journal_find(&w->journal, row->id, row->created_at) != NULL) {
		log_info("outbox %llu: mail delivered before (journal), not "
		    "sent again", row->id);
		return 0;
	}
	if (mail_from_address(w->cfg.mail_from, from, sizeof(from)) != 0) {
		snprintf(err, errlen, "TESSERA_MAIL_FROM has no plain address");
		return -1;
	}
	domain = strchr(from, '@') + 1;
	for (const char *p = row->created_at; *p && n < sizeof(stamp) - 1; p++)
		if (*p >= '0' && *p <= '9')
			stamp[n++] = *p;
	stamp[n] = '\0';

	mail_content_init(&content);
	buf_init(&msg);
	buf_init(&cal);
	if (mail_render(w->mail_tmpl, &w->cfg, name, vars, &content, err,
	    errlen) != 0)
		goto out;
	memset(&m, 0, sizeof(m));
	switch (mail_calendar(w, vars, &cal, &m.calendar_name)) {
	case 1:
		m.calendar = cal.data;
		break;
	case -1:
		snprintf(err, errlen, "the event of the mail's calendar cannot "
		    "be read");
		goto out;
	}
	m.from = w->cfg.mail_from;
	m.to = to;
	m.subject = content.subject.data;
	m.text = content.text.data;
	m.html = content.html.data;
	m.message_id = arena_printf(&w->arena, "outbox-%llu.%s@%s", row->id,
	    stamp, domain);
	m.date = time(NULL);
	m.unsubscribe = json_str(payload, "unsubscribe");
	if (mail_build(&m, &msg, err, errlen) != 0 ||
	    mail_deliver(&w->cfg, to, &msg, row->id, err, errlen) != 0)
		goto out;
	log_info("outbox %llu: mail %s delivered", row->id, name);
	/* Failing (logged), the mail is still sent: it only may go twice. */
	mail_journal_add(&w->journal, row->id, row->attempts, row->created_at);
	rc = 0;
out:
	if (rc == 0)
		w->mails_sent++;
	else
		w->mails_failed++;
	buf_free(&msg);
	buf_free(&cal);
	mail_content_free(&content);
	return rc;
}

/* Topic "event_cancelled" (event_cancel.h): event_fanout.c. */
static int
handle_event_cancelled(struct worker *w, const struct outbox_row *row,
    struct json_object *payload, char *err, size_t errlen)
{
	int rc;

	(void)row;
	rc = event_fanout_cancelled(w->db, &w->cfg, &w->arena, payload, err,
	    errlen);
	return rc == 1 ? HANDLED_IN_PART : rc;
}

/* Topic "event_changed" (event_notice.h): event_fanout.c. */
static int
handle_event_changed(struct worker *w, const struct outbox_row *row,
    struct json_object *payload, char *err, size_t errlen)
{
	(void)row;
	return event_fanout_changed(w->db, &w->cfg, &w->arena, payload, err,
	    errlen);
}

/* A topic whose work is only rows: done in the transaction that marks
 * its outbox row, so a crash between the two never doubles it. */
typedef int (*rows_fn)(struct worker *, struct db *, struct json_object *,
    char *, size_t);

struct rows_job {
	struct worker *w;
	const struct outbox_row *row;
	struct json_object *payload;
	rows_fn fn;
	char *err;
	size_t errlen;
};

static enum db_status
rows_tx(struct db *db, void *arg)
{
	struct rows_job *j = arg;
	enum db_status st;

	if (j->fn(j->w, db, j->payload, j->err, j->errlen) != 0)
		return (st = db_last_status(db)) != DB_OK ? st : DB_ABORTED;
	switch (outbox_done(db, j->row)) {
	case 0:
		return DB_OK;
	case 1:
		snprintf(j->err, j->errlen, "the claim was lost: another "
		    "worker has the row");
		return DB_ABORTED;
	default:
		return db_last_status(db) != DB_OK ? db_last_status(db) :
		    DB_ERROR;
	}
}

static int
handle_rows_in_tx(struct worker *w, const struct outbox_row *row,
    struct json_object *payload, rows_fn fn, char *err, size_t errlen)
{
	struct rows_job j = { w, row, payload, fn, err, errlen };
	enum db_status st = db_tx(w->db, rows_tx, &j);

	if (st == DB_OK)
		return HANDLED_IN_TX;
	if (err[0] == '\0')
		snprintf(err, errlen, "%s: %s", row->topic, db_status_name(st));
	return -1;
}

static int
notify_rows(struct worker *w, struct db *db, struct json_object *payload,
    char *err, size_t errlen)
{
	return notify_handle(db, w->cfg.base_url, w->cfg.secret_key, payload,
	    err, errlen);
}

/* Topic "notify" (notify.h): a notification and, as its recipient
 * wants, its mail. */
static int
handle_notify(struct worker *w, const struct outbox_row *row,
    struct json_object *payload, char *err, size_t errlen)
{
	return handle_rows_in_tx(w, row, payload, notify_rows, err, errlen);
}

/* Topic "picture_derive" (pictures.h): picture_derive.c. */
static int
handle_picture_derive(struct worker *w, const struct outbox_row *row,
    struct json_object *payload, char *err, size_t errlen)
{
	return picture_derive(w->db, &w->cfg, &w->arena, payload, row->attempts,
	    err, errlen);
}

static int
picture_moderated_rows(struct worker *w, struct db *db,
    struct json_object *payload, char *err, size_t errlen)
{
	return picture_notice_moderated(db, &w->cfg, &w->arena, payload, err,
	    errlen);
}

/* Topic "picture_moderated" (picture_reports.h): the owner's
 * notification and mail, picture_notice.c. */
static int
handle_picture_moderated(struct worker *w, const struct outbox_row *row,
    struct json_object *payload, char *err, size_t errlen)
{
	return handle_rows_in_tx(w, row, payload, picture_moderated_rows, err,
	    errlen);
}

static int
picture_liked_rows(struct worker *w, struct db *db,
    struct json_object *payload, char *err, size_t errlen)
{
	return picture_notice_liked(db, &w->cfg, &w->arena, payload, err,
	    errlen);
}

/* Topic "picture_liked" (pictures_like_toggle): the like counted into
 * the owner's notification, marked done in the same transaction, so a
 * retry never counts it twice. */
static int
handle_picture_liked(struct worker *w, const struct outbox_row *row,
    struct json_object *payload, char *err, size_t errlen)
{
	return handle_rows_in_tx(w, row, payload, picture_liked_rows, err,
	    errlen);
}

/* ------------------------------------------------------------ outbox */

/* Finds the topic's handler, parses the payload and runs the handler.
 * Returns 0 or -1 with the reason in err. */
static int
handle_row(struct worker *w, const struct outbox_row *row, char *err,
    size_t errlen)
{
	enum json_tokener_error jerr;
	struct json_object *payload;
	topic_handler handle = NULL;
	int rc = -1;

	for (size_t i = 0; i < ARRAY_LEN(topics); i++)
		if (strcmp(row->topic, topics[i].topic) == 0)
			handle = topics[i].handle;
	if (handle == NULL) {
		snprintf(err, errlen, "unknown topic \"%.64s\"", row->topic);
		return -1;
	}
	payload = json_tokener_parse_verbose(row->payload, &jerr);
	if (payload == NULL)
		snprintf(err, errlen, "payload is not JSON: %s",
		    json_tokener_error_desc(jerr));
	else if (!json_object_is_type(payload, json_type_object))
		snprintf(err, errlen, "payload is not a JSON object");
	else
		rc = handle(w, row, payload, err, errlen);
	json_object_put(payload);
	return rc;
}

/*
 * Marks processed the rows of the journal, the mails sent whose mark
 * failed, whatever their claim now (outbox_done_sent). A row the database
 * does not have pending any more is forgotten too. Stops at the first
 * mark without an answer: the database is away, next time. Returns 0 once
 * the journal is empty, else -1.
 */
static int
journal_flush(struct worker *w)
{
	struct mail_journal *j = &w->journal;

	while (j->n > 0) {
		struct mail_journal_entry e = j->pending[j->n - 1];

		switch (outbox_done_sent(w->db, e.id, e.created_at)) {
		case 0:
			log_info("outbox %llu: mail sent by attempt %lld, marked "
			    "processed now", e.id, e.attempts);
			break;
		case 1:
			log_info("outbox %llu: mail sent by attempt %lld, found "
			    "processed already", e.id, e.attempts);
			break;
		default:
			if (!w->journal_failing)
				log_err("%zu mails sent wait for their mark (%s); "
				    "retried before each claim", j->n,
				    j->path);
			w->journal_failing = 1;
			return -1;
		}
		mail_journal_settle(j, e.id);
	}
	w->journal_failing = 0;
	return 0;
}

/*
 * Claims one batch of up to max rows of class cls and handles it. Before
 * each row it checks for a stop request and for enough lease left; rows it does not get to are given
 * back. Returns how many rows it claimed, or -1.
 */
static int
run_outbox(struct worker *w, enum outbox_class cls, int max)
{
	struct outbox_row *rows;
	double claimed_at;
	char err[1024];
	int n, i, rc;

	arena_reset(&w->arena);
	journal_flush(w);
	claimed_at = now_seconds();
	if ((n = outbox_claim(w->db, &w->arena, cls, (size_t)max, &rows)) <= 0)
		return n;
	for (i = 0; i < n; i++) {
		if (stop_requested(w, 0) || now_seconds() - claimed_at >
		    OUTBOX_LEASE_SECONDS - ROW_MAX_SECONDS)
			break;
		err[0] = '\0';
		if ((rc = handle_row(w, &rows[i], err, sizeof(err))) ==
		    HANDLED_IN_TX)
			continue;
		if (rc == HANDLED_IN_PART) {
			if (outbox_release(w->db, &rows[i]) == -1)
				log_err("outbox %llu: part done, not given back; "
				    "it comes back after its lease", rows[i].id);
			continue;
		}
		if (rc == 0) {
			/* Not marked, a mail stays in the journal:
			 * journal_flush() marks it. */
			int done = outbox_done(w->db, &rows[i]);

			if (done == 0)
				mail_journal_settle(&w->journal, rows[i].id);
			else if (done == -1 && mail_journal_find(&w->journal,
			    rows[i].id, rows[i].created_at) == NULL)
				log_err("outbox %llu: handled but not marked "
				    "processed; it comes back after its lease",
				    rows[i].id);
		} else {
			log_err("outbox %llu (%s), attempt %lld: %s", rows[i].id,
			    rows[i].topic, rows[i].attempts, err);
			outbox_fail(w->db, &rows[i], err);
		}
	}
	for (; i < n; i++)
		outbox_release(w->db, &rows[i]);
	return n;
}

/* ------------------------------------------------------------ main */

static int
worker_init(struct worker *w)
{
	char err[512], dir[4096];

	memset(w, 0, sizeof(*w));
	if (config_load(&w->cfg, err, sizeof(err)) != 0 ||
	    config_require_site(&w->cfg, err, sizeof(err)) != 0) {
		log_err("%s", err);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s/mail", w->cfg.templates_dir);
	if ((w->mail_tmpl = mail_templates_load(dir, err, sizeof(err))) ==
	    NULL) {
		log_err("mail templates: %s", err);
		return -1;
	}
	if (w->cfg.smtp_url == NULL && w->cfg.mail_dir == NULL)
		log_err("neither TESSERA_SMTP_URL nor TESSERA_MAIL_DIR is set: "
		    "mails wait in the outbox");
	if (mail_journal_open(&w->journal, w->cfg.state_dir, err,
	    sizeof(err)) != 0) {
		log_err("the journal of mails sent: %s", err);
		return -1;
	}
	if (w->cfg.state_dir == NULL)
		log_err("TESSERA_STATE_DIR is not set: a mail whose mark fails "
		    "(the database gone at that moment) is sent again");
	else if (w->journal.n > 0)
		log_info("%zu mails were sent before the restart and not "
		    "marked: marking them before any claim", w->journal.n);
	if (mail_init() != 0) {
		log_err("cannot initialise libcurl");
		return -1;
	}
	if (mysql_library_init(0, NULL, NULL) != 0) {
		log_err("cannot initialise the MySQL client library");
		mail_cleanup();
		return -1;
	}
	if (picture_image_init() != 0) {
		mysql_library_end();
		mail_cleanup();
		return -1;
	}
	if (w->cfg.media_dir == NULL)
		log_err("TESSERA_MEDIA_DIR is not set: uploads stay processing");
	/* Every job reads what it then writes, and mail tells of what was
	 * just committed: all of it on the primary. Replicas would only be
	 * polled for their status, which this account may not read. */
	w->cfg.nreplicas = 0;
	w->db = db_open(&w->cfg);
	arena_init(&w->arena, 0);
	return 0;
}

/* Closes the Stripe Checkout Sessions of the n orders just expired. */
static void
close_checkouts(const struct worker *w, const struct expired_order *list,
    int n)
{
	struct stripe_api_reply reply;
	char key[STRIPE_API_KEY_MAX + 1];

	if (w->cfg.stripe_secret_key == NULL)
		return;
	for (int i = 0; i < n; i++) {
		const struct expired_order *e = &list[i];

		if (e->provider == NULL || strcmp(e->provider, "stripe") != 0 ||
		    e->provider_ref == NULL)
			continue;
		snprintf(key, sizeof(key), "%s-expire-%s", e->code,
		    e->provider_ref);
		/* Declined: already paid or closed; the webhook says which. */
		if (stripe_api_checkout_expire(&w->cfg, key, e->provider_ref,
		    &reply) == STRIPE_API_OK)
			log_info("order %s: closed its Stripe checkout %s",
			    e->code, e->provider_ref);
	}
}

int
main(void)
{
	static struct worker w;
	struct arena holds;
	double next_holds = 0, next_purge = 0, next_beat = 0, next_remind = 0;
	char name[HEARTBEAT_NAME_MAX + 1], host[64] = "";
	time_t started = time(NULL);

	log_set_program("tessera-worker");
	if (worker_init(&w) != 0) {
		tmpl_set_free(w.mail_tmpl);
		return 1;
	}
	sigemptyset(&w.stop_signals);
	sigaddset(&w.stop_signals, SIGTERM);
	sigaddset(&w.stop_signals, SIGINT);
	sigprocmask(SIG_BLOCK, &w.stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);
	arena_init(&holds, 0);
	if (stripe_api_init() != 0)
		log_err("curl's set-up failed: Stripe checkouts stay open "
		    "until they expire");
	srandom((unsigned)getpid() ^ (unsigned)time(NULL));
	gethostname(host, sizeof(host) - 1);
	snprintf(name, sizeof(name), "%s:%ld", host, (long)getpid());
	log_info("started; mail %s", w.cfg.smtp_url != NULL ? "by SMTP" :
	    w.cfg.mail_dir != NULL ? "into files" : "not configured");

	while (!stop_requested(&w, 0)) {
		int n, slow, warned;

		if (now_seconds() >= next_holds) {
			arena_reset(&holds);
			struct expired_order *expired;

			n = orders_expire_holds(w.db, &holds, &expired);
			if (n > 0) {
				log_info("expired %d unpaid orders", n);
				close_checkouts(&w, expired, n);
			}
			arena_reset(&holds);
			warned = order_expiring_run(w.db, &w.cfg, &holds);
			if (warned > 0)
				log_info("warned %d buyers of orders about to "
				    "expire", warned);
			next_holds = now_seconds() +
			    (n == ORDERS_EXPIRE_BATCH ||
			    warned == ORDER_EXPIRING_BATCH ? 0 : HOLDS_EVERY);
		}
		if (now_seconds() >= next_beat) {
			if (heartbeat_beat(w.db, name, started, w.mails_sent,
			    w.mails_failed) != 0)
				log_err("the heartbeat was not recorded");
			next_beat = now_seconds() + BEAT_EVERY;
		}
		if (now_seconds() >= next_purge) {
			long gone = purge_expired(w.db);

			if (gone > 0)
				log_info("purged %ld expired sessions and tokens",
				    gone);
			next_purge = now_seconds() + PURGE_EVERY;
		}
		if (now_seconds() >= next_remind) {
			arena_reset(&holds);
			n = reminders_run(w.db, &w.cfg, &holds);
			if (n > 0)
				log_info("reminded %d ticket holders of "
				    "tomorrow's events", n);
			arena_reset(&holds);
			if ((n = digest_run(w.db, &w.cfg, &holds)) > 0)
				log_info("sent %d organizers' daily digests", n);
			next_remind = now_seconds() + REMIND_EVERY;
		}
		n = run_outbox(&w, OUTBOX_QUICK, OUTBOX_BATCH);
		slow = run_outbox(&w, OUTBOX_SLOW, 1);
		if (n < OUTBOX_BATCH && slow < 1)
			stop_requested(&w, POLL_MS * 3 / 4 +
			    random() % (POLL_MS / 2));
	}
	heartbeat_stop(w.db, name);
	log_info("stopped");
	arena_free(&holds);
	arena_free(&w.arena);
	tmpl_set_free(w.mail_tmpl);
	db_close(w.db);
	mail_journal_close(&w.journal);
	mysql_library_end();
	mail_cleanup();
	stripe_api_cleanup();
	picture_image_shutdown();
	return 0;
}
