/*
 * The workers' heartbeats (worker_heartbeat): each tessera-worker says
 * every few seconds that it is alive, with how many mails it has sent and
 * failed to send since it started; the status page shows how long ago
 * each one last did, and the admin program's /metrics all of it.
 */
#ifndef TESSERA_HEARTBEAT_H
#define TESSERA_HEARTBEAT_H

#include <stddef.h>
#include <time.h>

struct arena;
struct db;

#define HEARTBEAT_NAME_MAX 100
/* A worker silent for longer than this is shown as not answering. */
#define HEARTBEAT_STALE_SECONDS 60

struct heartbeat {
	const char *worker;       /* host:pid */
	time_t started_at;
	time_t beat_at;
	long long age;            /* seconds since beat_at, by the server */
	long long mails_sent;     /* since started_at */
	long long mails_failed;   /* attempts that failed, since started_at */
};

/* Records that worker (started at started) is alive now, with its mail
 * counts, and clears the rows of workers a day silent. Returns 0 or -1. */
int heartbeat_beat(struct db *db, const char *worker, time_t started,
    long long mails_sent, long long mails_failed);
/* Removes worker's row, as it stops. Returns 0 or -1. */
int heartbeat_stop(struct db *db, const char *worker);
/* Every worker's last beat, latest first. Returns 0, -1 or ROW_BAD. */
int heartbeat_list(struct db *db, struct arena *a, struct heartbeat **out,
    size_t *n);

#endif
