/*
 * Unit tests for metrics.c: nothing counts before metrics_init(); requests
 * count by route and exact status (others by class) with a histogram per
 * route whose buckets grow and end in +Inf; counts made in a child
 * process (a prefork worker) are the parent's too; samples and label
 * values are written as Prometheus' text format wants them.
 */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "metrics.h"
#include "tap.h"

static const char *const routes[] = { "GET /events", "POST /login" };

static char *
format(struct buf *b)
{
	buf_reset(b);
	metrics_format(b, "tessera-test", routes, 2);
	return b->data ? b->data : "";
}

int
main(void)
{
	struct buf b;
	struct arena a;
	pid_t pid;
	int status;
	char *out;

	buf_init(&b);
	arena_init(&a, 0);
	metrics_record(0, 200, 0.01);
	is_str(format(&b), "", "before metrics_init nothing is counted or shown");

	is_int(metrics_init(), 0, "the shared counters are mapped");
	metrics_record(0, 200, 0.0005);
	metrics_record(0, 200, 0.03);
	metrics_record(1, 303, 0.2);
	metrics_record(1, 418, 0.2);
	metrics_record(METRICS_ROUTE_OTHER, 404, 0.001);
	metrics_record(999, 404, 0.001);
	metrics_count(METRICS_READ_REPLICA);
	out = format(&b);
	ok(strstr(out, "tessera_http_requests_total{program=\"tessera-test\","
	    "route=\"GET /events\",code=\"200\"} 2\n") != NULL,
	    "requests by route and exact code");
	ok(strstr(out, "route=\"POST /login\",code=\"4xx\"} 1\n") != NULL,
	    "a code outside the table counts under its class");
	ok(strstr(out, "route=\"other\",code=\"404\"} 2\n") != NULL,
	    "no route, or one past the table: \"other\"");
	ok(strstr(out, "route=\"POST /login\",code=\"200\"") == NULL,
	    "no series for what never happened");
	ok(strstr(out, "tessera_http_request_duration_seconds_bucket{program="
	    "\"tessera-test\",route=\"GET /events\",le=\"0.001\"} 1\n") != NULL &&
	    strstr(out, "route=\"GET /events\",le=\"0.05\"} 2\n") != NULL &&
	    strstr(out, "route=\"GET /events\",le=\"+Inf\"} 2\n") != NULL,
	    "the route's histogram is cumulative up to +Inf");
	ok(strstr(out, "tessera_http_request_duration_seconds_count{program="
	    "\"tessera-test\",route=\"GET /events\"} 2\n") != NULL,
	    "with its count");
	ok(strstr(out, "tessera_db_reads_total{program=\"tessera-test\","
	    "server=\"replica\"} 1\n") != NULL, "reads by server");
	ok(strstr(out, "# HELP tessera_db_errors_total ") != NULL &&
	    strstr(out, "kind=\"deadlock\"} 0\n") != NULL,
	    "database errors by kind, zero too");

	if ((pid = fork()) == 0) {
		metrics_record(0, 200, 0.01);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ok(strstr(format(&b), "route=\"GET /events\",code=\"200\"} 3\n") != NULL,
	    "a worker's count is the program's");

	is_str(metrics_escape(&a, "a\"b\\c\nd"), "a\\\"b\\\\c\\nd",
	    "label values escape quote, backslash and newline");
	buf_reset(&b);
	metrics_sample(&b, "gauge", "tessera_x", "What x is.", "p",
	    "worker=\"h:1\"", 2.5);
	is_str(b.data, "# HELP tessera_x What x is.\n# TYPE tessera_x gauge\n"
	    "tessera_x{program=\"p\",worker=\"h:1\"} 2.5\n",
	    "a sample with its HELP and TYPE");
	buf_reset(&b);
	metrics_sample(&b, "counter", "tessera_y_total", NULL, "p", NULL, 7);
	is_str(b.data, "tessera_y_total{program=\"p\"} 7\n",
	    "and one without labels or help");
	buf_free(&b);
	arena_free(&a);
	return done_testing();
}
