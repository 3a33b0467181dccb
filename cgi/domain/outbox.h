/*
 * The transactional outbox (DESIGN.md, "Events between parts"): a domain
 * change that others react to appends a row in the same transaction as the
 * change, so the row commits or rolls back with it; tessera-worker claims
 * due rows, handles them outside any transaction and records the outcome.
 *
 * A row is pending while processed_at is NULL. attempts counts the claims
 * of the row; a claim also pushes next_attempt_at one lease ahead, so the
 * row comes back by itself when the worker holding it dies. A failure
 * records last_error and retries after a backoff; after OUTBOX_MAX_ATTEMPTS
 * the row is dead: processed_at stays NULL, next_attempt_at is
 * OUTBOX_DEAD_AT and last_error starts with "gave up after". Only this
 * module knows these states and runs statements on the outbox table.
 */
#ifndef TESSERA_OUTBOX_H
#define TESSERA_OUTBOX_H

#include <stddef.h>
#include <time.h>

struct arena;
struct db;
struct json_object;

#define OUTBOX_LEASE_SECONDS 300
#define OUTBOX_MAX_ATTEMPTS 10
#define OUTBOX_BACKOFF_BASE 30          /* seconds after the first failure */
#define OUTBOX_BACKOFF_MAX (6 * 3600)
#define OUTBOX_DEAD_AT "9999-12-31 23:59:59"
#define OUTBOX_ERROR_MAX 1000           /* characters of last_error */

/*
 * Appends a row with topic and payload (a JSON object, array or value) in
 * the caller's transaction on the primary (page_change, db_tx), after the
 * change it belongs to. payload is borrowed: the
 * caller keeps its reference and puts it when done. Returns 0, or -1
 * (logged); the caller then rolls back.
 */
int outbox_add(struct db *db, const char *topic, struct json_object *payload);

/*
 * Queues the mail template_name (templates/mail/NAME.*.mustache) to the
 * single address to, as topic "mail" with the payload
 * {"to": to, "template": template_name, "vars": vars}. vars is a JSON
 * object or NULL for none; it is borrowed (outbox_mail takes its own
 * reference while it builds the payload and drops it before returning),
 * so the caller still puts it. Same transaction rule and result as
 * outbox_add().
 */
int outbox_mail(struct db *db, const char *to, const char *template_name,
    struct json_object *vars);
/* The same for a mail one may stop getting: the payload's "unsubscribe"
 * is the one-click URL of its List-Unsubscribe header (RFC 8058). */
int outbox_mail_list(struct db *db, const char *to, const char *template_name,
    struct json_object *vars, const char *unsubscribe_url);

/* A claimed row. Strings are arena-owned. */
struct outbox_row {
	unsigned long long id;
	const char *topic;
	const char *payload;      /* JSON text as stored */
	const char *created_at;   /* "YYYY-MM-DD hh:mm:ss", UTC */
	long long attempts;       /* after this claim; identifies the claim */
};

/*
 * Topics come in two classes, claimed apart so that a queue of slow jobs
 * never holds up the quick ones (a mail behind a hundred uploads' picture
 * sizes): the worker takes a batch of quick rows, then one slow row, and
 * so on. OUTBOX_SLOW_TOPICS lists the slow topics, as SQL strings.
 */
enum outbox_class {
	OUTBOX_QUICK,     /* mail, fan-outs: every topic not listed below */
	OUTBOX_SLOW,      /* decoding images and writing their sizes */
};
#define OUTBOX_SLOW_TOPICS "'picture_derive'"

/*
 * Claims up to max due rows of class cls, oldest first: one short
 * transaction locks
 * them with FOR UPDATE SKIP LOCKED (rows another worker is claiming are
 * skipped, never waited for), counts the attempt, leases them for
 * OUTBOX_LEASE_SECONDS and commits. Returns how many rows it claimed, in
 * *rows (arena-owned), or -1 (logged) having claimed none.
 */
int outbox_claim(struct db *db, struct arena *a, enum outbox_class cls,
    size_t max, struct outbox_row **rows);

/* Marks a claimed row processed. Returns 0, 1 when the claim had been
 * lost (the lease ran out and another worker claimed the row), or -1. */
int outbox_done(struct db *db, const struct outbox_row *row);

/*
 * Marks processed the row id created created_at whose mail was delivered,
 * whatever claim it has now: its own lease may have ended, or its claim
 * not reached the database that now takes the writes (a primary switched
 * in the last moment). A worker that claimed it since loses its mark,
 * which is right: the mail went. Returns 0, 1 when there was no such row
 * pending (marked already, or not of this database), or -1.
 */
int outbox_done_sent(struct db *db, unsigned long long id,
    const char *created_at);

/* Records a failed attempt: error (cut to OUTBOX_ERROR_MAX characters)
 * and a retry after outbox_backoff(), or the dead state once the row has
 * had OUTBOX_MAX_ATTEMPTS. Returns 0, 1 when the claim had been lost, or
 * -1. */
int outbox_fail(struct db *db, const struct outbox_row *row,
    const char *error);

/* Gives a claimed row back unhandled (a worker stopping, or a lease too
 * short to finish it): due now, the attempt not counted. Returns 0, 1 when
 * the claim had been lost, or -1. */
int outbox_release(struct db *db, const struct outbox_row *row);

/* Seconds to wait after failed attempt number attempts (1-based):
 * OUTBOX_BACKOFF_BASE doubled per earlier attempt, at most
 * OUTBOX_BACKOFF_MAX. */
long outbox_backoff(long long attempts);

/* ------------------------------------------------------------ admin */

/* Where a pending row stands. */
enum outbox_state {
	OUTBOX_WAITING,   /* not tried yet, or leased to a worker */
	OUTBOX_FAILED,    /* its last attempt failed; retried after a backoff */
	OUTBOX_DEAD,      /* given up after OUTBOX_MAX_ATTEMPTS */
};

/* The backlog over pending rows. */
struct outbox_counts {
	long long due;       /* due now (dead rows never are) */
	long long failed;    /* whose last attempt failed, dead ones included */
	long long dead;
};

/* A pending row whose last attempt failed. Strings are arena-owned. */
struct outbox_failure {
	long long id;
	const char *topic;
	long long attempts;
	time_t next_attempt_at;   /* OUTBOX_DEAD_AT's time when dead */
	const char *last_error;
	time_t created_at;
	enum outbox_state state;  /* OUTBOX_FAILED or OUTBOX_DEAD */
};

/* Counts the backlog on the primary. Returns 0, -1, or ROW_BAD (row.h)
 * when the answer did not parse (logged). The admin functions read and
 * change rows on the primary, as the worker does. */
int outbox_counts(struct db *db, struct arena *a, struct outbox_counts *out);

/* The latest failing rows on the primary, newest first, at most limit,
 * into *rows (arena-owned) and *n. Returns 0, -1 or ROW_BAD. */
int outbox_failing(struct db *db, struct arena *a, int limit,
    struct outbox_failure **rows, size_t *n);

/* Makes a pending row due now with its attempts reset (a failed or dead
 * row is tried again at once); *changed says whether there was such a
 * row. Runs in the caller's transaction. Returns 0 or -1. */
int outbox_retry(struct db *db, long long id, int *changed);

#endif
