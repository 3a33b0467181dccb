#include "outbox.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "log.h"
#include "row.h"
#include "util.h"

#define OUTBOX_TOPIC_MAX 64

/* SQL: the pending row is dead (OUTBOX_DEAD_AT is the latest DATETIME). */
#define OUTBOX_IS_DEAD "next_attempt_at >= '" OUTBOX_DEAD_AT "'"

enum outbox_stmt {
	OB_INSERT,
	OB_CLAIM_QUICK,
	OB_CLAIM_SLOW,
	OB_CLAIM_LEASE,
	OB_DONE,
	OB_DONE_SENT,
	OB_RETRY,
	OB_GIVE_UP,
	OB_RELEASE,
	OB_COUNTS,
	OB_FAILING,
	OB_ADMIN_RETRY,
	OB__MAX
};

/* Every statement of the worker after the insert carries "AND attempts =
 * ?": a worker only changes a row while its claim is the latest one. The
 * one exception is the mark of a mail the relay accepted
 * (OB_DONE_SENT): that is true whoever holds the row now. */
static const char *const outbox_stmts[OB__MAX] = {
	/* OB_INSERT */
	"INSERT INTO outbox (topic, payload) VALUES (?, ?)",
	/* OB_CLAIM_QUICK */
	"SELECT id, topic, payload, created_at, attempts FROM outbox "
	"WHERE processed_at IS NULL AND next_attempt_at <= UTC_TIMESTAMP() "
	"AND topic NOT IN (" OUTBOX_SLOW_TOPICS ") "
	"ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
	/* OB_CLAIM_SLOW */
	"SELECT id, topic, payload, created_at, attempts FROM outbox "
	"WHERE processed_at IS NULL AND next_attempt_at <= UTC_TIMESTAMP() "
	"AND topic IN (" OUTBOX_SLOW_TOPICS ") "
	"ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
	/* OB_CLAIM_LEASE: every row of a claim in one statement, from a JSON
	 * array of {"i": id, "a": attempts} */
	"UPDATE outbox o JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
	"id BIGINT UNSIGNED PATH '$.i', a BIGINT PATH '$.a')) j "
	"ON j.id = o.id AND j.a = o.attempts "
	"SET o.attempts = o.attempts + 1, "
	"o.next_attempt_at = UTC_TIMESTAMP() + INTERVAL ? SECOND",
	/* OB_DONE */
	"UPDATE outbox SET processed_at = UTC_TIMESTAMP() "
	"WHERE id = ? AND attempts = ? AND processed_at IS NULL",
	/* OB_DONE_SENT: whatever claim the row has now (outbox_done_sent) */
	"UPDATE outbox SET processed_at = UTC_TIMESTAMP() "
	"WHERE id = ? AND created_at = ? AND processed_at IS NULL",
	/* OB_RETRY */
	"UPDATE outbox SET last_error = ?, "
	"next_attempt_at = UTC_TIMESTAMP() + INTERVAL ? SECOND "
	"WHERE id = ? AND attempts = ? AND processed_at IS NULL",
	/* OB_GIVE_UP */
	"UPDATE outbox SET last_error = ?, next_attempt_at = '" OUTBOX_DEAD_AT
	"' WHERE id = ? AND attempts = ? AND processed_at IS NULL",
	/* OB_RELEASE */
	"UPDATE outbox SET attempts = attempts - 1, "
	"next_attempt_at = UTC_TIMESTAMP() "
	"WHERE id = ? AND attempts = ? AND processed_at IS NULL",
	/* OB_COUNTS: over pending rows only (outbox_pending) */
	"SELECT COALESCE(SUM(next_attempt_at <= UTC_TIMESTAMP()), 0), "
	"COALESCE(SUM(last_error IS NOT NULL), 0), "
	"COALESCE(SUM(" OUTBOX_IS_DEAD "), 0) "
	"FROM outbox WHERE processed_at IS NULL",
	/* OB_FAILING */
	"SELECT id, topic, attempts, next_attempt_at, last_error, created_at, "
	OUTBOX_IS_DEAD " FROM outbox "
	"WHERE processed_at IS NULL AND last_error IS NOT NULL "
	"ORDER BY id DESC LIMIT ?",
	/* OB_ADMIN_RETRY */
	"UPDATE outbox SET attempts = 0, next_attempt_at = UTC_TIMESTAMP() "
	"WHERE id = ? AND processed_at IS NULL",
};

int
outbox_add(struct db *db, const char *topic, struct json_object *payload)
{
	const char *json;
	size_t len;

	len = topic != NULL ? strlen(topic) : 0;
	if (len == 0 || len > OUTBOX_TOPIC_MAX) {
		log_err("%s: bad topic \"%s\"", __func__, topic ? topic : "");
		return -1;
	}
	/* The string belongs to payload and lives as long as it does. */
	json = json_object_to_json_string_ext(payload,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (json == NULL) {
		log_err("%s: %s: cannot serialise the payload", __func__, topic);
		return -1;
	}
	struct db_arg args[] = { DB_STR(topic), DB_STR(json) };

	return db_exec(db, outbox_stmts[OB_INSERT], args, 2, NULL, NULL);
}

int
outbox_mail(struct db *db, const char *to, const char *template_name,
    struct json_object *vars)
{
	return outbox_mail_list(db, to, template_name, vars, NULL);
}

int
outbox_mail_list(struct db *db, const char *to, const char *template_name,
    struct json_object *vars, const char *unsubscribe_url)
{
	struct json_object *payload;
	int rc;

	if (to == NULL || template_name == NULL ||
	    (vars != NULL && !json_object_is_type(vars, json_type_object))) {
		log_err("%s: a mail needs an address, a template and an object "
		    "of vars", __func__);
		return -1;
	}
	payload = json_object_new_object();
	json_object_object_add(payload, "to", json_object_new_string(to));
	json_object_object_add(payload, "template",
	    json_object_new_string(template_name));
	/* object_add steals a reference: take one so the caller's stays. */
	json_object_object_add(payload, "vars", vars != NULL ?
	    json_object_get(vars) : json_object_new_object());
	if (unsubscribe_url != NULL)
		json_object_object_add(payload, "unsubscribe",
		    json_object_new_string(unsubscribe_url));
	rc = outbox_add(db, "mail", payload);
	json_object_put(payload);
	return rc;
}

long
outbox_backoff(long long attempts)
{
	long delay = OUTBOX_BACKOFF_BASE;

	for (long long i = 1; i < attempts && delay < OUTBOX_BACKOFF_MAX; i++)
		delay *= 2;
	return delay < OUTBOX_BACKOFF_MAX ? delay : OUTBOX_BACKOFF_MAX;
}

struct claim {
	struct arena *arena;
	enum outbox_stmt select;
	size_t max;
	struct outbox_row *rows;
	size_t nrows;
};

/* Takes up to c->max due rows under a lease, in db_tx's transaction. */
static enum db_status
claim_rows(struct db *db, void *arg)
{
	struct claim *c = arg;
	struct db_arg limit[] = { DB_INT(c->max) };
	struct json_object *leases;
	struct db_rows r;
	enum db_status st;

	c->rows = NULL;
	c->nrows = 0;
	if ((st = db_query(db, c->arena, DB_PRIMARY,
	    outbox_stmts[c->select], limit, 1, &r)) != DB_OK)
		return st;
	if (r.nrows == 0)
		return DB_OK;
	c->rows = arena_calloc(c->arena, r.nrows, sizeof(*c->rows));
	leases = json_object_new_array();
	for (size_t i = 0; i < r.nrows; i++) {
		struct outbox_row *row = &c->rows[i];
		struct json_object *l = json_object_new_object();

		row->id = strtoull(db_cell(&r, i, 0), NULL, 10);
		row->topic = db_cell(&r, i, 1);
		row->payload = db_cell(&r, i, 2);
		row->created_at = db_cell(&r, i, 3);
		row->attempts = strtoll(db_cell(&r, i, 4), NULL, 10);
		json_object_object_add(l, "i",
		    json_object_new_uint64(row->id));
		json_object_object_add(l, "a",
		    json_object_new_int64(row->attempts));
		json_object_array_add(leases, l);
		row->attempts++;
	}
	/* The string belongs to leases, which outlives the statement. */
	struct db_arg args[] = { DB_STR(json_object_to_json_string_ext(leases,
		JSON_C_TO_STRING_PLAIN)), DB_INT(OUTBOX_LEASE_SECONDS) };

	st = db_exec(db, outbox_stmts[OB_CLAIM_LEASE], args, ARRAY_LEN(args),
	    NULL, NULL);
	json_object_put(leases);
	if (st != DB_OK)
		return st;
	c->nrows = r.nrows;
	return DB_OK;
}

int
outbox_claim(struct db *db, struct arena *a, enum outbox_class cls,
    size_t max, struct outbox_row **rows)
{
	struct claim c = { a, cls == OUTBOX_SLOW ? OB_CLAIM_SLOW :
	    OB_CLAIM_QUICK, max, NULL, 0 };

	*rows = NULL;
	/* The claim needs no gap locks, which would hold up the inserts of
	 * the programs while it runs. */
	if (db_tx_read_committed(db, claim_rows, &c) != DB_OK)
		return -1;
	*rows = c.rows;
	return (int)c.nrows;
}

/* Runs one of the guarded updates. Returns 0, 1 when no row matched (the
 * claim is no longer ours), or -1. */
static int
outbox_update(struct db *db, enum outbox_stmt stmt,
    const struct db_arg *args, size_t nargs, const struct outbox_row *row)
{
	unsigned long long affected = 0;

	if (db_exec(db, outbox_stmts[stmt], args, nargs, &affected, NULL) != 0)
		return -1;
	if (affected == 0) {
		log_err("outbox %llu: the claim was lost (lease over?)",
		    row->id);
		return 1;
	}
	return 0;
}

int
outbox_done(struct db *db, const struct outbox_row *row)
{
	struct db_arg args[] = { DB_INT(row->id), DB_INT(row->attempts) };

	return outbox_update(db, OB_DONE, args, 2, row);
}

int
outbox_done_sent(struct db *db, unsigned long long id, const char *created_at)
{
	struct db_arg args[] = { DB_INT(id), DB_STR(created_at) };
	unsigned long long affected = 0;

	if (db_exec(db, outbox_stmts[OB_DONE_SENT], args, ARRAY_LEN(args),
	    &affected, NULL) != DB_OK)
		return -1;
	return affected == 0;
}

int
outbox_release(struct db *db, const struct outbox_row *row)
{
	struct db_arg args[] = { DB_INT(row->id), DB_INT(row->attempts) };

	return outbox_update(db, OB_RELEASE, args, 2, row);
}

/* Copies at most max characters of s into a (arena-owned), never cutting
 * a UTF-8 sequence, so the text fits last_error's VARCHAR. */
static const char *
outbox_cut(struct arena *a, const char *s, size_t max)
{
	size_t i = 0, chars = 0;

	while (s[i] != '\0' && chars < max) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	return arena_strndup(a, s, i);
}

int
outbox_fail(struct db *db, const struct outbox_row *row, const char *error)
{
	struct arena a;
	const char *text;
	int rc;

	arena_init(&a, 0);
	if (row->attempts >= OUTBOX_MAX_ATTEMPTS) {
		text = outbox_cut(&a, arena_printf(&a, "gave up after %lld "
		    "attempts: %s", row->attempts, error), OUTBOX_ERROR_MAX);
		struct db_arg args[] = { DB_STR(text), DB_INT(row->id),
		    DB_INT(row->attempts) };

		rc = outbox_update(db, OB_GIVE_UP, args, 3, row);
	} else {
		text = outbox_cut(&a, error, OUTBOX_ERROR_MAX);
		struct db_arg args[] = { DB_STR(text),
		    DB_INT(outbox_backoff(row->attempts)), DB_INT(row->id),
		    DB_INT(row->attempts) };

		rc = outbox_update(db, OB_RETRY, args, 4, row);
	}
	arena_free(&a);
	return rc;
}

/* ------------------------------------------------------------ admin */

int
outbox_counts(struct db *db, struct arena *a, struct outbox_counts *out)
{
	struct db_rows rows;
	struct row_reader rd;

	memset(out, 0, sizeof(*out));
	if (db_query(db, a, DB_PRIMARY, outbox_stmts[OB_COUNTS], NULL, 0,
	    &rows) != 0)
		return -1;
	row_begin(&rd, &rows, 0, "outbox counts");
	out->due = row_int(&rd, 0, 0, LLONG_MAX);
	out->failed = row_int(&rd, 1, 0, LLONG_MAX);
	out->dead = row_int(&rd, 2, 0, LLONG_MAX);
	return row_end(&rd);
}

int
outbox_failing(struct db *db, struct arena *a, int limit,
    struct outbox_failure **rows, size_t *n)
{
	struct db_arg args[] = { DB_INT(limit) };
	struct db_rows r;
	struct outbox_failure *out;

	*rows = NULL;
	*n = 0;
	if (db_query(db, a, DB_PRIMARY, outbox_stmts[OB_FAILING], args,
	    ARRAY_LEN(args), &r) != 0)
		return -1;
	out = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof(*out));
	for (size_t i = 0; i < r.nrows; i++) {
		struct outbox_failure *f = &out[i];
		struct row_reader rd;

		row_begin(&rd, &r, i, "outbox row");
		f->id = row_int(&rd, 0, 1, LLONG_MAX);
		f->topic = row_text(&rd, 1);
		f->attempts = row_int(&rd, 2, 0, LLONG_MAX);
		f->next_attempt_at = row_time(&rd, 3);
		f->last_error = row_text(&rd, 4);
		f->created_at = row_time(&rd, 5);
		f->state = row_bool(&rd, 6) ? OUTBOX_DEAD : OUTBOX_FAILED;
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*rows = out;
	*n = r.nrows;
	return 0;
}

int
outbox_retry(struct db *db, long long id, int *changed)
{
	struct db_arg args[] = { DB_INT(id) };
	unsigned long long n = 0;

	*changed = 0;
	if (db_exec(db, outbox_stmts[OB_ADMIN_RETRY], args, ARRAY_LEN(args),
	    &n, NULL) != 0)
		return -1;
	*changed = n > 0;
	return 0;
}
