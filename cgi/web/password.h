/*
 * Password hashing with scrypt (libscrypt), its parameters in one place.
 * Hashes are MCF strings that record their parameters, so they can be
 * raised later and old hashes upgraded at the next sign-in
 * (password_needs_rehash).
 *
 * Each hash costs a few hundred milliseconds of CPU and 64 MiB, so the
 * number running at once across all workers of a program is bounded by a
 * System V semaphore shared by the workers (password_limit_init, called in
 * the master before it forks). Turns are taken with SEM_UNDO: a worker that
 * dies mid-hash gives its turn back as it dies. A caller that cannot get a
 * turn in time gets PASSWORD_BUSY and answers 503.
 */
#ifndef TESSERA_PASSWORD_H
#define TESSERA_PASSWORD_H

#define PASSWORD_MCF_LEN 128
#define PASSWORD_MIN_CHARS 10
#define PASSWORD_MAX_BYTES 1024

enum password_result {
	PASSWORD_OK = 0,
	PASSWORD_MISMATCH = 1,
	PASSWORD_BUSY = -1,   /* no turn within the wait: 503 */
	PASSWORD_ERROR = -2,
};

/* Sets how many hashes may run at once in this program. Call once, in the
 * master, before forking workers; the master removes the semaphore as it
 * exits. Returns 0 or -1. */
int password_limit_init(int concurrent);
/* Turns free right now, for tests and monitoring; -1 when there is no
 * limit (password_limit_init was not called) or on error. */
int password_turns_free(void);
/* Requests waiting for a turn right now; -1 as password_turns_free. */
int password_turns_waiting(void);
/* Hashes pw into out (an MCF string). PASSWORD_OK, _BUSY or _ERROR. */
enum password_result password_hash(const char *pw,
    char out[PASSWORD_MCF_LEN]);
/* Checks pw against an MCF string: PASSWORD_OK, _MISMATCH, _BUSY or
 * _ERROR (a malformed hash). */
enum password_result password_verify(const char *pw, const char *mcf);
/* 1 when mcf was made with other parameters than today's. */
int password_needs_rehash(const char *mcf);

#endif
