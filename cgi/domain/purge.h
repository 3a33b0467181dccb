/*
 * Deleting what has expired and no one will read again: sessions past
 * their end, used or stale mailed tokens, and old sign-in failure counts.
 * tessera-worker runs it at start and every few minutes.
 */
#ifndef TESSERA_PURGE_H
#define TESSERA_PURGE_H

struct db;

/* Deletes one bounded batch of each kind. Returns the rows deleted, or -1
 * when the database could not be reached. */
long purge_expired(struct db *db);

#endif
