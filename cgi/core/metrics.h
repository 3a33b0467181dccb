/*
 * Request counters for Prometheus, shared by every worker of a program:
 * the master maps them before it forks, workers add to them with atomic
 * operations, and GET /metrics prints them in the text exposition format.
 * nginx lets only localhost ask.
 */
#ifndef TESSERA_METRICS_H
#define TESSERA_METRICS_H

struct buf;

/* Maps the shared counters. Call once in the master, before forking.
 * Returns 0 or -1. */
int metrics_init(void);
/* Counts one answered request with its status and time taken. */
void metrics_record(int status, double seconds);
/* Appends the counters of program in the text exposition format. */
void metrics_format(struct buf *out, const char *program);

#endif
