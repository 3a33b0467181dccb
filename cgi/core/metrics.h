/*
 * Counters for Prometheus, shared by every worker of a program: the master
 * maps them before it forks, workers add to them with atomic operations,
 * and GET /metrics prints them in the text exposition format. nginx lets
 * only localhost ask.
 *
 * One segment per program, summed by construction, rather than a series
 * per worker process: the master restarts a worker that dies, and a new
 * pid would start its series from zero and leave the old one behind; the
 * shared counters outlive any worker, so each series is one monotonic
 * counter for the life of the program, and N workers are N times fewer
 * series to scrape.
 *
 * Requests are counted by route (the index in the program's route table,
 * METRICS_ROUTE_OTHER for what matched none) and status code, with a
 * latency histogram per route; the database layer counts its errors and
 * which server answered each read.
 */
#ifndef TESSERA_METRICS_H
#define TESSERA_METRICS_H

#include <stddef.h>

struct arena;
struct buf;

/* Most routes a program's table may have to be counted one by one; the
 * rest count as "other". */
#define METRICS_ROUTES_MAX 160
#define METRICS_ROUTE_OTHER (-1)

/* The counters that are not per route. */
enum metrics_counter {
	METRICS_DB_ERROR,          /* a statement failed (not a duplicate key) */
	METRICS_DB_CONN_LOST,      /* a server could not be reached */
	METRICS_DB_DEADLOCK,       /* a deadlock or lock wait timeout */
	METRICS_READ_PRIMARY,      /* a read answered by the primary */
	METRICS_READ_REPLICA,      /* a read answered by a replica */
	METRICS__COUNTERS
};

/* Maps the shared counters. Call once in the master, before forking.
 * Returns 0 or -1. Until then (and in programs that never call it: the
 * command line) every count is a no-op. */
int metrics_init(void);
/* Counts one answered request of route (its index in the route table, or
 * METRICS_ROUTE_OTHER) with its status and time taken. */
void metrics_record(int route, int status, double seconds);
/* Counts one of c. */
void metrics_count(enum metrics_counter c);

/* Appends the request counters and histograms of program, its routes
 * named by route_names[0..nroutes) ("GET /events/{id:int}"), and the
 * other counters, in the text exposition format. */
void metrics_format(struct buf *out, const char *program,
    const char *const *route_names, size_t nroutes);

/* Appends one sample of type ("gauge", "counter"): name{program="...",
 * labels} value, where labels (may be NULL) is label="value" text, its
 * values escaped by metrics_escape(); the HELP and TYPE lines go first
 * when help is not NULL. */
void metrics_sample(struct buf *out, const char *type, const char *name,
    const char *help, const char *program, const char *labels,
    double value);
/* v escaped for a label value (backslash, quote, newline). Arena-owned. */
char *metrics_escape(struct arena *a, const char *v);

#endif
