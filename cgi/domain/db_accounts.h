/*
 * The statements of the account pages (sign-up, mailed links, sign-in,
 * profile, deletion) and thin functions that run them, all on the
 * primary: these pages must see their own writes at once.
 *
 * Mailed links are account_tokens rows: a random token goes into the
 * link, only its SHA-256 is stored; each is single-use (used_at) and
 * expires. How many a person may have mailed is limited by counting the
 * rows of the last day, so the site cannot be used to flood a mailbox.
 */
#ifndef TESSERA_DB_ACCOUNTS_H
#define TESSERA_DB_ACCOUNTS_H

#include "db.h"

enum token_purpose {
	TOKEN_VERIFY,
	TOKEN_RESET,
	TOKEN_EMAIL_CHANGE,
	TOKEN__MAX
};

#define TOKEN_VERIFY_SECONDS (2 * 86400)
#define TOKEN_RESET_SECONDS 3600
#define TOKEN_EMAIL_CHANGE_SECONDS 86400
/* Mails of one purpose per account: one per interval, so many a day. */
#define TOKEN_MAIL_INTERVAL_SECONDS 120
#define TOKEN_MAIL_DAILY_MAX 5

/* An account that has not been deleted. Strings are arena-owned. */
struct account {
	long long id;
	const char *email;
	const char *display_name;
	const char *password_hash;
	int verified;
	int disabled;
};

/* A mailed link's row and its account. Strings are arena-owned. */
struct account_token {
	long long id;
	long long user_id;
	enum token_purpose purpose;
	const char *new_email;     /* TOKEN_EMAIL_CHANGE: the address to use */
	int used;
	int expired;
	const char *email;         /* the account's current address */
	const char *display_name;
};

/* Creates an account. Returns 0 with *id set, 1 when the address is
 * taken, or -1. */
int db_account_insert(struct db *db, const char *email, const char *name,
    const char *password_hash, long long *id);

/* Find a live account by (normalised) address or by id; lock takes the
 * row for update in the open transaction. Each returns 0 with *out
 * filled, 1 when there is no such account, or -1. */
int db_account_by_email(struct db *db, struct arena *a, const char *email,
    struct account *out);
int db_account_by_id(struct db *db, struct arena *a, long long id, int lock,
    struct account *out);

/* 1 when an account other than except_id (0: any) has email, whether
 * deleted or not; 0 when none has; -1. Locks what it reads in an open
 * transaction, so nobody takes the address before the caller's update. */
int db_account_email_taken(struct db *db, struct arena *a, const char *email,
    long long except_id);

/* Updates of a live account. Each returns 0, or -1. Setting the password
 * also retires every link of the account not used yet (verification,
 * reset, email change), in the same transaction. */
int db_account_set_name(struct db *db, long long id, const char *name);
int db_account_set_password(struct db *db, long long id, const char *hash);
int db_account_set_verified(struct db *db, long long id);
/* Stores a fresher hash of the same password (new scrypt parameters),
 * unless the password changed meanwhile. */
int db_account_rehash(struct db *db, long long id, const char *old_hash,
    const char *new_hash);
/* Replaces the address (and marks it verified). Returns 0, 1 when another
 * account has it (or this one was deleted meanwhile), or -1. */
int db_account_set_email(struct db *db, long long id, const char *email);

/*
 * Deletes an account as far as the books allow: the address becomes
 * deleted-ID@invalid, the name "Deleted user", the password hash one no
 * password matches, deleted_at is set, and its tokens go. Its orders,
 * tickets, reviews and pictures stay, now credited to "Deleted user".
 * Sessions are the caller's (session_end_all). Returns 0, or -1.
 */
int db_account_anonymise(struct db *db, long long id);

/*
 * Stores a new token of purpose for user_id (new_email for
 * TOKEN_EMAIL_CHANGE, else NULL), expiring after the purpose's lifetime.
 * Returns the token's text for the link (arena-owned), or NULL on error.
 */
const char *db_token_new(struct db *db, struct arena *a, long long user_id,
    enum token_purpose purpose, const char *new_email);

/* Finds the token whose text is token, with its account (live accounts
 * only); lock takes it for update. Returns 0, 1 when there is none (a
 * malformed token included), or -1. */
int db_token_find(struct db *db, struct arena *a, const char *token,
    int lock, struct account_token *out);

/* Uses the token: returns 0 when this call used it, 1 when it was used or
 * had expired already, or -1. */
int db_token_use(struct db *db, long long id);

/* Marks every unused token of purpose of the account used, so an older
 * link stops working once a newer one has been followed. Returns 0 or
 * -1. */
int db_tokens_retire(struct db *db, long long user_id,
    enum token_purpose purpose);

/*
 * Whether another mail of purpose may go to user_id now: at most one per
 * TOKEN_MAIL_INTERVAL_SECONDS and TOKEN_MAIL_DAILY_MAX a day. Returns 0
 * when it may, 1 when not (*retry_after: seconds to wait), or -1. Run it
 * in the transaction that adds the token, after locking the account, so
 * two requests at once cannot both pass.
 */
int db_token_quota(struct db *db, struct arena *a, long long user_id,
    enum token_purpose purpose, long *retry_after);

/* The new address of the account's pending email change (the latest
 * unused, unexpired one), or NULL when there is none or on error. */
const char *db_token_pending_email(struct db *db, struct arena *a,
    long long user_id);

#endif
