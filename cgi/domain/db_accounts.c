#include "db_accounts.h"

#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "util.h"

enum account_stmt {
	ACC_INSERT,
	ACC_BY_EMAIL,
	ACC_BY_ID,
	ACC_BY_ID_LOCK,
	ACC_EMAIL_TAKEN,
	ACC_SET_NAME,
	ACC_SET_PASSWORD,
	ACC_SET_VERIFIED,
	ACC_REHASH,
	ACC_SET_EMAIL,
	ACC_ANONYMISE,
	ACC_TOKENS_DELETE,
	ACC_TOKEN_INSERT,
	ACC_TOKEN_FIND,
	ACC_TOKEN_FIND_LOCK,
	ACC_TOKEN_USE,
	ACC_TOKENS_RETIRE,
	ACC_TOKENS_RETIRE_ALL,
	ACC_TOKEN_QUOTA,
	ACC_TOKEN_PENDING_EMAIL,
	ACC__MAX
};

#define ACCOUNT_COLS \
	"id, email, display_name, password_hash, " \
	"email_verified_at IS NOT NULL, disabled_at IS NOT NULL "

#define TOKEN_COLS \
	"t.id, t.user_id, t.purpose, t.new_email, t.used_at IS NOT NULL, " \
	"t.expires_at <= UTC_TIMESTAMP(), u.email, u.display_name "

static const char *const account_stmts[ACC__MAX] = {
	/* ACC_INSERT: a taken address fails on the unique key */
	"INSERT INTO users (email, display_name, password_hash, "
	"password_changed_at) VALUES (?, ?, ?, UTC_TIMESTAMP())",
	/* ACC_BY_EMAIL */
	"SELECT " ACCOUNT_COLS "FROM users "
	"WHERE email = ? AND deleted_at IS NULL",
	/* ACC_BY_ID */
	"SELECT " ACCOUNT_COLS "FROM users WHERE id = ? AND deleted_at IS NULL",
	/* ACC_BY_ID_LOCK */
	"SELECT " ACCOUNT_COLS "FROM users WHERE id = ? AND deleted_at IS NULL "
	"FOR UPDATE",
	/* ACC_EMAIL_TAKEN */
	"SELECT id FROM users WHERE email = ? AND id <> ? FOR UPDATE",
	/* ACC_SET_NAME */
	"UPDATE users SET display_name = ? WHERE id = ? AND deleted_at IS NULL",
	/* ACC_SET_PASSWORD */
	"UPDATE users SET password_hash = ?, password_changed_at = "
	"UTC_TIMESTAMP() WHERE id = ? AND deleted_at IS NULL",
	/* ACC_SET_VERIFIED */
	"UPDATE users SET email_verified_at = UTC_TIMESTAMP() "
	"WHERE id = ? AND email_verified_at IS NULL AND deleted_at IS NULL",
	/* ACC_REHASH */
	"UPDATE users SET password_hash = ? "
	"WHERE id = ? AND password_hash = ? AND deleted_at IS NULL",
	/* ACC_SET_EMAIL: a taken address fails on the unique key */
	"UPDATE users SET email = ?, email_verified_at = UTC_TIMESTAMP() "
	"WHERE id = ? AND deleted_at IS NULL",
	/* ACC_ANONYMISE */
	"UPDATE users SET email = CONCAT('deleted-', id, '@invalid'), "
	"display_name = 'Deleted user', password_hash = '!', "
	"email_verified_at = NULL, deleted_at = UTC_TIMESTAMP() "
	"WHERE id = ? AND deleted_at IS NULL",
	/* ACC_TOKENS_DELETE */
	"DELETE FROM account_tokens WHERE user_id = ?",
	/* ACC_TOKEN_INSERT */
	"INSERT INTO account_tokens (user_id, purpose, token_hash, new_email, "
	"expires_at) VALUES (?, ?, ?, ?, UTC_TIMESTAMP() + INTERVAL ? SECOND)",
	/* ACC_TOKEN_FIND */
	"SELECT " TOKEN_COLS "FROM account_tokens t "
	"JOIN users u ON u.id = t.user_id "
	"WHERE t.token_hash = ? AND u.deleted_at IS NULL",
	/* ACC_TOKEN_FIND_LOCK */
	"SELECT " TOKEN_COLS "FROM account_tokens t "
	"JOIN users u ON u.id = t.user_id "
	"WHERE t.token_hash = ? AND u.deleted_at IS NULL FOR UPDATE",
	/* ACC_TOKEN_USE */
	"UPDATE account_tokens SET used_at = UTC_TIMESTAMP() "
	"WHERE id = ? AND used_at IS NULL AND expires_at > UTC_TIMESTAMP()",
	/* ACC_TOKENS_RETIRE */
	"UPDATE account_tokens SET used_at = UTC_TIMESTAMP() "
	"WHERE user_id = ? AND purpose = ? AND used_at IS NULL",
	/* ACC_TOKENS_RETIRE_ALL */
	"UPDATE account_tokens SET used_at = UTC_TIMESTAMP() "
	"WHERE user_id = ? AND used_at IS NULL",
	/*
	 * ACC_TOKEN_QUOTA: args interval, user, purpose. The number of mails
	 * of the last day, the seconds until the interval after the latest
	 * has passed, and until the oldest leaves the day.
	 */
	"SELECT COUNT(*), "
	"COALESCE(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), "
	"MAX(created_at) + INTERVAL ? SECOND), 0), "
	"COALESCE(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), "
	"MIN(created_at) + INTERVAL 1 DAY), 0) "
	"FROM account_tokens WHERE user_id = ? AND purpose = ? "
	"AND created_at > UTC_TIMESTAMP() - INTERVAL 1 DAY",
	/* ACC_TOKEN_PENDING_EMAIL */
	"SELECT new_email FROM account_tokens "
	"WHERE user_id = ? AND purpose = 'email_change' AND used_at IS NULL "
	"AND expires_at > UTC_TIMESTAMP() ORDER BY created_at DESC, id DESC "
	"LIMIT 1",
};

/* The purposes as the account_tokens.purpose ENUM spells them, and how
 * long each link works. */
static const struct {
	const char *name;
	long seconds;
} purposes[TOKEN__MAX] = {
	[TOKEN_VERIFY] = { "verify", TOKEN_VERIFY_SECONDS },
	[TOKEN_RESET] = { "reset", TOKEN_RESET_SECONDS },
	[TOKEN_EMAIL_CHANGE] = { "email_change", TOKEN_EMAIL_CHANGE_SECONDS },
};

static long long
cell_ll(const struct db_rows *rows, size_t row, size_t col)
{
	const char *s = db_cell(rows, row, col);

	return s ? strtoll(s, NULL, 10) : 0;
}

static int
cell_true(const struct db_rows *rows, size_t row, size_t col)
{
	const char *s = db_cell(rows, row, col);

	return s != NULL && strcmp(s, "1") == 0;
}

/* Runs an UPDATE or DELETE by id (and more args). Returns the rows it
 * changed, or -1. */
static long long
exec_count(struct db *db, enum account_stmt stmt, const struct db_arg *args,
    size_t nargs)
{
	unsigned long long affected = 0;

	if (db_exec(db, account_stmts[stmt], args, nargs, &affected, NULL) != 0)
		return -1;
	return (long long)affected;
}

/* Runs a one-argument account query. Returns 0 with *out filled, 1 when
 * no row matched, or -1. */
static int
read_account(struct db *db, struct arena *a, enum account_stmt stmt,
    const struct db_arg *arg, struct account *out)
{
	struct db_rows rows;

	memset(out, 0, sizeof(*out));
	if (db_query(db, a, DB_PRIMARY, account_stmts[stmt], arg, 1,
	    &rows) != 0)
		return -1;
	if (rows.nrows != 1)
		return 1;
	out->id = cell_ll(&rows, 0, 0);
	out->email = db_cell(&rows, 0, 1);
	out->display_name = db_cell(&rows, 0, 2);
	out->password_hash = db_cell(&rows, 0, 3);
	out->verified = cell_true(&rows, 0, 4);
	out->disabled = cell_true(&rows, 0, 5);
	return 0;
}

int
db_account_insert(struct db *db, const char *email, const char *name,
    const char *password_hash, long long *id)
{
	struct db_arg args[] = {
		DB_STR(email), DB_STR(name), DB_STR(password_hash),
	};
	unsigned long long insert_id = 0;

	switch (db_exec(db, account_stmts[ACC_INSERT], args, ARRAY_LEN(args),
	    NULL, &insert_id)) {
	case DB_OK:
		*id = (long long)insert_id;
		return 0;
	case DB_DUPLICATE:
		return 1;
	default:
		return -1;
	}
}

int
db_account_by_email(struct db *db, struct arena *a, const char *email,
    struct account *out)
{
	struct db_arg arg = DB_STR(email);

	return read_account(db, a, ACC_BY_EMAIL, &arg, out);
}

int
db_account_by_id(struct db *db, struct arena *a, long long id, int lock,
    struct account *out)
{
	struct db_arg arg = DB_INT(id);

	return read_account(db, a, lock ? ACC_BY_ID_LOCK : ACC_BY_ID, &arg,
	    out);
}

int
db_account_email_taken(struct db *db, struct arena *a, const char *email,
    long long except_id)
{
	struct db_arg args[] = { DB_STR(email), DB_INT(except_id) };
	struct db_rows rows;

	if (db_query(db, a, DB_PRIMARY, account_stmts[ACC_EMAIL_TAKEN], args,
	    ARRAY_LEN(args), &rows) != 0)
		return -1;
	return rows.nrows > 0;
}

int
db_account_set_name(struct db *db, long long id, const char *name)
{
	struct db_arg args[] = { DB_STR(name), DB_INT(id) };

	return exec_count(db, ACC_SET_NAME, args, ARRAY_LEN(args)) < 0 ? -1 : 0;
}

int
db_account_set_password(struct db *db, long long id, const char *hash)
{
	struct db_arg args[] = { DB_STR(hash), DB_INT(id) };
	struct db_arg user[] = { DB_INT(id) };

	/* A new password ends every link mailed before it: an email change
	 * started by whoever knew the old one must not outlive it. */
	if (exec_count(db, ACC_SET_PASSWORD, args, ARRAY_LEN(args)) < 0 ||
	    exec_count(db, ACC_TOKENS_RETIRE_ALL, user, ARRAY_LEN(user)) < 0)
		return -1;
	return 0;
}

int
db_account_set_verified(struct db *db, long long id)
{
	struct db_arg args[] = { DB_INT(id) };

	return exec_count(db, ACC_SET_VERIFIED, args, ARRAY_LEN(args)) < 0 ?
	    -1 : 0;
}

int
db_account_rehash(struct db *db, long long id, const char *old_hash,
    const char *new_hash)
{
	struct db_arg args[] = {
		DB_STR(new_hash), DB_INT(id), DB_STR(old_hash),
	};

	return exec_count(db, ACC_REHASH, args, ARRAY_LEN(args)) < 0 ? -1 : 0;
}

int
db_account_set_email(struct db *db, long long id, const char *email)
{
	struct db_arg args[] = { DB_STR(email), DB_INT(id) };
	unsigned long long n = 0;

	switch (db_exec(db, account_stmts[ACC_SET_EMAIL], args, ARRAY_LEN(args),
	    &n, NULL)) {
	case DB_OK:
		/* No row: the account was deleted meanwhile. */
		return n == 0 ? 1 : 0;
	case DB_DUPLICATE:
		return 1;
	default:
		return -1;
	}
}

int
db_account_anonymise(struct db *db, long long id)
{
	struct db_arg args[] = { DB_INT(id) };

	if (exec_count(db, ACC_ANONYMISE, args, ARRAY_LEN(args)) < 0 ||
	    exec_count(db, ACC_TOKENS_DELETE, args, ARRAY_LEN(args)) < 0)
		return -1;
	return 0;
}

const char *
db_token_new(struct db *db, struct arena *a, long long user_id,
    enum token_purpose purpose, const char *new_email)
{
	unsigned char hash[CRYPTO_HASH_BYTES];
	const char *token = crypto_new_token(a, hash);
	struct db_arg args[] = {
		DB_INT(user_id),
		DB_STR(purposes[purpose].name),
		DB_BLOB(hash, sizeof(hash)),
		new_email ? DB_STR(new_email) : DB_NULL,
		DB_INT(purposes[purpose].seconds),
	};

	if (db_exec(db, account_stmts[ACC_TOKEN_INSERT], args,
	    ARRAY_LEN(args), NULL, NULL) != 0)
		return NULL;
	return token;
}

int
db_token_find(struct db *db, struct arena *a, const char *token, int lock,
    struct account_token *out)
{
	unsigned char hash[CRYPTO_HASH_BYTES];
	struct db_rows rows;
	const char *purpose;

	memset(out, 0, sizeof(*out));
	if (token == NULL || crypto_token_hash(token, hash) != 0)
		return 1;
	struct db_arg args[] = { DB_BLOB(hash, sizeof(hash)) };

	if (db_query(db, a, DB_PRIMARY, account_stmts[lock ?
	    ACC_TOKEN_FIND_LOCK : ACC_TOKEN_FIND], args, ARRAY_LEN(args),
	    &rows) != 0)
		return -1;
	if (rows.nrows != 1 || (purpose = db_cell(&rows, 0, 2)) == NULL)
		return 1;
	out->purpose = TOKEN__MAX;
	for (int p = 0; p < TOKEN__MAX; p++)
		if (strcmp(purpose, purposes[p].name) == 0)
			out->purpose = (enum token_purpose)p;
	if (out->purpose == TOKEN__MAX)
		return 1;
	out->id = cell_ll(&rows, 0, 0);
	out->user_id = cell_ll(&rows, 0, 1);
	out->new_email = db_cell(&rows, 0, 3);
	out->used = cell_true(&rows, 0, 4);
	out->expired = cell_true(&rows, 0, 5);
	out->email = db_cell(&rows, 0, 6);
	out->display_name = db_cell(&rows, 0, 7);
	return 0;
}

int
db_token_use(struct db *db, long long id)
{
	struct db_arg args[] = { DB_INT(id) };
	long long n = exec_count(db, ACC_TOKEN_USE, args, ARRAY_LEN(args));

	if (n < 0)
		return -1;
	return n == 1 ? 0 : 1;
}

int
db_tokens_retire(struct db *db, long long user_id,
    enum token_purpose purpose)
{
	struct db_arg args[] = {
		DB_INT(user_id), DB_STR(purposes[purpose].name),
	};

	return exec_count(db, ACC_TOKENS_RETIRE, args, ARRAY_LEN(args)) < 0 ?
	    -1 : 0;
}

int
db_token_quota(struct db *db, struct arena *a, long long user_id,
    enum token_purpose purpose, long *retry_after)
{
	struct db_arg args[] = {
		DB_INT(TOKEN_MAIL_INTERVAL_SECONDS), DB_INT(user_id),
		DB_STR(purposes[purpose].name),
	};
	struct db_rows rows;
	long long count, until_interval, until_day;

	*retry_after = 0;
	if (db_query(db, a, DB_PRIMARY, account_stmts[ACC_TOKEN_QUOTA], args,
	    ARRAY_LEN(args), &rows) != 0)
		return -1;
	if (rows.nrows != 1)
		return 0;
	count = cell_ll(&rows, 0, 0);
	until_interval = cell_ll(&rows, 0, 1);
	until_day = cell_ll(&rows, 0, 2);
	if (count >= TOKEN_MAIL_DAILY_MAX)
		*retry_after = (long)(until_day > 1 ? until_day : 1);
	else if (count > 0 && until_interval > 0)
		*retry_after = (long)until_interval;
	return *retry_after > 0;
}

const char *
db_token_pending_email(struct db *db, struct arena *a, long long user_id)
{
	struct db_arg args[] = { DB_INT(user_id) };
	struct db_rows rows;

	if (db_query(db, a, DB_PRIMARY, account_stmts[ACC_TOKEN_PENDING_EMAIL],
	    args, ARRAY_LEN(args), &rows) != 0 || rows.nrows != 1)
		return NULL;
	return db_cell(&rows, 0, 0);
}
