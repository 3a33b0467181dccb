#include "metrics.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "buf.h"
#include "log.h"
#include "util.h"

/* Upper bounds of the duration buckets, in seconds. */
static const double bucket_bounds[] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
};
#define NBUCKETS (sizeof(bucket_bounds) / sizeof(bucket_bounds[0]))

struct metrics {
	unsigned long requests[6];            /* by status class, 1xx..5xx */
	unsigned long buckets[NBUCKETS + 1];  /* last: +Inf */
	unsigned long micros_total;
};

static struct metrics *shared;

int
metrics_init(void)
{
	void *p = mmap(NULL, sizeof(struct metrics), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		log_err("%s: mmap: %s", __func__, strerror(errno));
		return -1;
	}
	memset(p, 0, sizeof(struct metrics));
	shared = p;
	return 0;
}

void
metrics_record(int status, double seconds)
{
	size_t class = (size_t)(status / 100), b = 0;

	if (shared == NULL)
		return;
	if (class > 5)
		class = 0;
	while (b < NBUCKETS && seconds > bucket_bounds[b])
		b++;
	__atomic_fetch_add(&shared->requests[class], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&shared->buckets[b], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&shared->micros_total,
	    (unsigned long)(seconds * 1e6), __ATOMIC_RELAXED);
}

static unsigned long
load(const unsigned long *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

void
metrics_format(struct buf *out, const char *program)
{
	unsigned long count = 0;

	if (shared == NULL)
		return;
	buf_puts(out, "# HELP tessera_http_requests_total Requests answered, "
	    "by status class.\n# TYPE tessera_http_requests_total counter\n");
	for (int c = 1; c <= 5; c++)
		buf_printf(out, "tessera_http_requests_total{program=\"%s\","
		    "code=\"%dxx\"} %lu\n", program, c, load(&shared->requests[c]));
	buf_puts(out, "# HELP tessera_http_request_duration_seconds Time from "
	    "the request's arrival in the program to its answer.\n"
	    "# TYPE tessera_http_request_duration_seconds histogram\n");
	for (size_t b = 0; b <= NBUCKETS; b++) {
		count += load(&shared->buckets[b]);
		if (b < NBUCKETS)
			buf_printf(out, "tessera_http_request_duration_seconds_bucket"
			    "{program=\"%s\",le=\"%g\"} %lu\n", program,
			    bucket_bounds[b], count);
		else
			buf_printf(out, "tessera_http_request_duration_seconds_bucket"
			    "{program=\"%s\",le=\"+Inf\"} %lu\n", program, count);
	}
	buf_printf(out, "tessera_http_request_duration_seconds_sum"
	    "{program=\"%s\"} %.6f\n", program,
	    (double)load(&shared->micros_total) / 1e6);
	buf_printf(out, "tessera_http_request_duration_seconds_count"
	    "{program=\"%s\"} %lu\n", program, count);
}
