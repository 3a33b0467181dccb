#include "metrics.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "arena.h"
#include "buf.h"
#include "log.h"
#include "util.h"

/* Upper bounds of the duration buckets, in seconds. */
static const double bucket_bounds[] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
};
#define NBUCKETS ARRAY_LEN(bucket_bounds)

/* The statuses the programs answer with, each its own series; anything
 * else counts under its class ("5xx"). */
static const int codes[] = {
	200, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405, 409, 410, 413,
	415, 422, 429, 500, 502, 503, 504,
};
#define NCODES ARRAY_LEN(codes)
#define NCLASSES 6                   /* 0 (none), 1xx .. 5xx */

/* Samples of one name are adjacent, under the HELP of the first. */
static const struct {
	const char *name;
	const char *labels;
	const char *help;
} counters[METRICS__COUNTERS] = {
	[METRICS_DB_ERROR] = { "tessera_db_errors_total", "kind=\"error\"",
	    "Statements that failed, by kind (a duplicate key is no error)." },
	[METRICS_DB_CONN_LOST] = { "tessera_db_errors_total",
	    "kind=\"connection\"", NULL },
	[METRICS_DB_DEADLOCK] = { "tessera_db_errors_total",
	    "kind=\"deadlock\"", NULL },
	[METRICS_READ_PRIMARY] = { "tessera_db_reads_total",
	    "server=\"primary\"", "Reads, by the server that answered them." },
	[METRICS_READ_REPLICA] = { "tessera_db_reads_total",
	    "server=\"replica\"", NULL },
};

struct metrics_route {
	unsigned long by_code[NCODES];
	unsigned long by_class[NCLASSES];
	unsigned long buckets[NBUCKETS + 1];  /* last: +Inf */
	unsigned long micros_total;
};

struct metrics {
	struct metrics_route routes[METRICS_ROUTES_MAX + 1]; /* last: other */
	unsigned long counters[METRICS__COUNTERS];
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

static void
add(unsigned long *p, unsigned long n)
{
	__atomic_fetch_add(p, n, __ATOMIC_RELAXED);
}

static unsigned long
load(const unsigned long *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

void
metrics_record(int route, int status, double seconds)
{
	struct metrics_route *m;
	size_t b = 0, c;

	if (shared == NULL)
		return;
	m = &shared->routes[route >= 0 && route < METRICS_ROUTES_MAX ? route :
	    METRICS_ROUTES_MAX];
	for (c = 0; c < NCODES && codes[c] != status; c++)
		;
	if (c < NCODES)
		add(&m->by_code[c], 1);
	else
		add(&m->by_class[status >= 100 && status < 600 ?
		    status / 100 : 0], 1);
	while (b < NBUCKETS && seconds > bucket_bounds[b])
		b++;
	add(&m->buckets[b], 1);
	add(&m->micros_total, (unsigned long)(seconds * 1e6));
}

void
metrics_count(enum metrics_counter c)
{
	if (shared != NULL && c < METRICS__COUNTERS)
		add(&shared->counters[c], 1);
}

/* Prometheus label values escape backslash, quote and newline; route
 * patterns have none, but a name is a name. */
static void
put_label(struct buf *out, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			buf_putc(out, '\\');
		if (*v == '\n') {
			buf_puts(out, "\\n");
			continue;
		}
		buf_putc(out, *v);
	}
}

static void
series(struct buf *out, const char *name, const char *program,
    const char *route)
{
	buf_printf(out, "%s{program=\"", name);
	put_label(out, program);
	buf_puts(out, "\",route=\"");
	put_label(out, route);
	buf_putc(out, '"');
}

static unsigned long
route_count(const struct metrics_route *m)
{
	unsigned long n = 0;

	for (size_t b = 0; b <= NBUCKETS; b++)
		n += load(&m->buckets[b]);
	return n;
}

static void
format_route(struct buf *out, const char *program, const char *route,
    const struct metrics_route *m)
{
	for (size_t c = 0; c < NCODES; c++)
		if (load(&m->by_code[c]) > 0) {
			series(out, "tessera_http_requests_total", program, route);
			buf_printf(out, ",code=\"%d\"} %lu\n", codes[c],
			    load(&m->by_code[c]));
		}
	for (size_t c = 0; c < NCLASSES; c++)
		if (load(&m->by_class[c]) > 0) {
			series(out, "tessera_http_requests_total", program, route);
			buf_printf(out, ",code=\"%zuxx\"} %lu\n", c,
			    load(&m->by_class[c]));
		}
}

static void
format_histogram(struct buf *out, const char *program, const char *route,
    const struct metrics_route *m)
{
	unsigned long count = 0;

	for (size_t b = 0; b <= NBUCKETS; b++) {
		count += load(&m->buckets[b]);
		series(out, "tessera_http_request_duration_seconds_bucket",
		    program, route);
		if (b < NBUCKETS)
			buf_printf(out, ",le=\"%g\"} %lu\n", bucket_bounds[b],
			    count);
		else
			buf_printf(out, ",le=\"+Inf\"} %lu\n", count);
	}
	series(out, "tessera_http_request_duration_seconds_sum", program, route);
	buf_printf(out, "} %.6f\n", (double)load(&m->micros_total) / 1e6);
	series(out, "tessera_http_request_duration_seconds_count", program,
	    route);
	buf_printf(out, "} %lu\n", count);
}

/* The route of slot i: its name, or "other". */
static const char *
route_name(size_t i, const char *const *names, size_t n)
{
	return i < n && i < METRICS_ROUTES_MAX ? names[i] : "other";
}

void
metrics_format(struct buf *out, const char *program,
    const char *const *route_names, size_t nroutes)
{
	size_t slots = nroutes < METRICS_ROUTES_MAX ? nroutes :
	    METRICS_ROUTES_MAX;
	const char *last = NULL;

	if (shared == NULL)
		return;
	/* Routes nobody asked for yet have no series: a table of a hundred
	 * routes by twenty codes would be mostly zeros. */
	buf_puts(out, "# HELP tessera_http_requests_total Requests answered, "
	    "by route and status.\n# TYPE tessera_http_requests_total "
	    "counter\n");
	for (size_t i = 0; i <= slots; i++) {
		size_t s = i < slots ? i : METRICS_ROUTES_MAX;

		format_route(out, program, route_name(s, route_names, nroutes),
		    &shared->routes[s]);
	}
	buf_puts(out, "# HELP tessera_http_request_duration_seconds Time from "
	    "the request's arrival in the program to its answer, by route.\n"
	    "# TYPE tessera_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i <= slots; i++) {
		size_t s = i < slots ? i : METRICS_ROUTES_MAX;

		if (route_count(&shared->routes[s]) > 0)
			format_histogram(out, program, route_name(s,
			    route_names, nroutes), &shared->routes[s]);
	}
	for (size_t c = 0; c < METRICS__COUNTERS; c++) {
		if (last == NULL || strcmp(last, counters[c].name) != 0)
			buf_printf(out, "# HELP %s %s\n# TYPE %s counter\n",
			    counters[c].name, counters[c].help, counters[c].name);
		last = counters[c].name;
		buf_printf(out, "%s{program=\"", counters[c].name);
		put_label(out, program);
		buf_printf(out, "\",%s} %lu\n", counters[c].labels,
		    load(&shared->counters[c]));
	}
}

void
metrics_sample(struct buf *out, const char *type, const char *name,
    const char *help, const char *program, const char *labels, double value)
{
	if (help != NULL)
		buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help,
		    name, type);
	buf_printf(out, "%s{program=\"", name);
	put_label(out, program);
	buf_printf(out, "\"%s%s} %.17g\n", labels != NULL ? "," : "",
	    labels != NULL ? labels : "", value);
}

char *
metrics_escape(struct arena *a, const char *v)
{
	struct buf b;
	char *out;

	buf_init(&b);
	put_label(&b, v);
	out = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return out;
}
