/*
 * The Stripe API client against tests/e2e/fake_stripe.py, which this test
 * starts on 127.0.0.1 (python3, standard library only) and stops: the
 * session and its page, the Idempotency-Key sent and honoured, failures
 * (500, 429, a closed connection, a hang past the timeout, a reply too
 * large or not JSON) as temporary, 4xx as declined with Stripe's message,
 * refunds, expiry, and the webhook the fake signs checked by
 * stripe_sig_verify(). Also the Stripe settings of config_load().
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "stripe_api.h"
#include "stripe_sig.h"
#include "tap.h"

#define KEY "sk_test_tessera_unit_0123456789"
#define WHSEC "whsec_tessera_unit"
#define ORDER "TST-0001"

static struct config cfg;
static char fake_url[256];
static pid_t fake_pid = -1;
static int fake_stdin = -1;

/* ------------------------------------------------------------ helpers */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A TCP port on 127.0.0.1 that nothing listens on (bound, then closed). */
static int
closed_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
		return 9;
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* Starts the fake with its webhook pointing at webhook; reads the URL it
 * prints. Returns 0 or -1. */
static int
fake_start(const char *webhook)
{
	const char *srcdir = getenv("srcdir");
	char script[1024], line[256];
	int in[2], out[2];
	size_t got = 0;

	snprintf(script, sizeof(script), "%s/tests/e2e/fake_stripe.py",
	    srcdir != NULL && *srcdir != '\0' ? srcdir : ".");
	if (pipe(in) != 0 || pipe(out) != 0)
		return -1;
	if ((fake_pid = fork()) == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execlp("python3", "python3", script, "--port", "0",
		    "--stop-on-eof", "--webhook", webhook, "--webhook-secret",
		    WHSEC, "--api-key", KEY, (char *)NULL);
		fprintf(stderr, "exec python3 %s: %s\n", script,
		    strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	fake_stdin = in[1];
	while (got + 1 < sizeof(line)) {
		struct pollfd p = { .fd = out[0], .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 15000) != 1)
			break;
		if ((n = read(out[0], line + got, 1)) != 1)
			break;
		if (line[got] == '\n')
			break;
		got++;
	}
	line[got] = '\0';
	close(out[0]);
	if (strncmp(line, "http://127.0.0.1:", 17) != 0)
		return -1;
	snprintf(fake_url, sizeof(fake_url), "%s", line);
	return 0;
}

static void
fake_stop(void)
{
	if (fake_pid <= 0)
		return;
	close(fake_stdin);
	kill(fake_pid, SIGTERM);
	waitpid(fake_pid, NULL, 0);
	fake_pid = -1;
}

static size_t
collect(char *data, size_t size, size_t n, void *arg)
{
	buf_append(arg, data, size * n);
	return size * n;
}

/* One request to the fake, outside the client under test. Returns the
 * body as JSON (the caller puts it), or NULL; status and location, when
 * given, get the reply's. */
static struct json_object *
fake_http(const char *method, const char *path, const char *json,
    long *status, char *location, size_t loclen)
{
	struct curl_slist *h = NULL;
	struct json_object *o;
	char url[512];
	struct buf b;
	CURL *c = curl_easy_init();
	char *loc = NULL;

	buf_init(&b);
	buf_puts(&b, "");
	snprintf(url, sizeof(url), "%s%s", fake_url, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, json ? json : "");
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	}
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	if (curl_easy_perform(c) != CURLE_OK)
		printf("# %s %s failed\n", method, path);
	if (status != NULL)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	if (location != NULL) {
		curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc);
		snprintf(location, loclen, "%s", loc != NULL ? loc : "");
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	o = json_tokener_parse(b.data);
	buf_free(&b);
	return o;
}

static void
fake_fail(const char *mode, int count, double seconds)
{
	char body[128];
	struct json_object *o;

	snprintf(body, sizeof(body), "{\"mode\": \"%s\", \"count\": %d, "
	    "\"seconds\": %g}", mode, count, seconds);
	o = fake_http("POST", "/_control/fail", body, NULL, NULL, 0);
	json_object_put(o);
}

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o != NULL)
		json_object_object_get_ex(o, key, &v);
	return v;
}

static const char *
get_str(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	return v != NULL ? json_object_get_string(v) : NULL;
}

/* The recorded API requests (the caller puts the result), and the last. */
static struct json_object *
requests(struct json_object **last, size_t *count)
{
	struct json_object *o = fake_http("GET", "/_control/requests", NULL,
	    NULL, NULL, 0), *list = get(o, "requests");
	size_t n = list != NULL ? json_object_array_length(list) : 0;

	*count = n;
	*last = n > 0 ? json_object_array_get_idx(list, n - 1) : NULL;
	return o;
}

static size_t
request_count(void)
{
	struct json_object *last, *o;
	size_t n;

	o = requests(&last, &n);
	json_object_put(o);
	return n;
}

/* ------------------------------------------------------------ tests */

static void
test_config(void)
{
	static const char *const good[] = { "https://api.stripe.com",
		"https://api.stripe.com/", "http://127.0.0.1:12111",
		"http://localhost", "http://[::1]:8080/stripe" };
	static const char *const bad[] = { "http://api.stripe.com",
		"ftp://api.stripe.com", "api.stripe.com", "https://",
		"https:///x", "http://127.0.0.1.example.com",
		"http://localhost.example.com",
		"http://127.0.0.1:80@example.com",
		"https://user:pw@api.stripe.com", "http://127.0.0.1:",
		"http://127.0.0.1:123456", "https://api.stripe.com/ x",
		"http://localhost\r\nX: y" };
	struct config c;
	char err[256];

	unsetenv("TESSERA_STRIPE_API_BASE");
	unsetenv("TESSERA_STRIPE_SECRET_KEY");
	unsetenv("TESSERA_STRIPE_WEBHOOK_SECRET");
	ok(config_load(&c, err, sizeof(err)) == 0 &&
	    strcmp(c.stripe_api_base, "https://api.stripe.com") == 0 &&
	    c.stripe_secret_key == NULL && c.stripe_webhook_secret == NULL,
	    "config: Stripe's API by default, no keys");
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		setenv("TESSERA_STRIPE_API_BASE", good[i], 1);
		ok(config_load(&c, err, sizeof(err)) == 0,
		    "config: base %s accepted", good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("TESSERA_STRIPE_API_BASE", bad[i], 1);
		char shown[64];

		snprintf(shown, sizeof(shown), "%s", bad[i]);
		for (char *p = shown; *p != '\0'; p++)
			if ((unsigned char)*p < ' ')
				*p = '?';
		ok(config_load(&c, err, sizeof(err)) != 0 &&
		    strstr(err, "TESSERA_STRIPE_API_BASE") != NULL,
		    "config: base \"%s\" refused", shown);
	}
	unsetenv("TESSERA_STRIPE_API_BASE");
	setenv("TESSERA_STRIPE_SECRET_KEY", "pk_test_publishable", 1);
	ok(config_load(&c, err, sizeof(err)) != 0,
	    "config: a publishable key is no secret key");
	setenv("TESSERA_STRIPE_SECRET_KEY", "rk_live_x", 1);
	setenv("TESSERA_STRIPE_WEBHOOK_SECRET", "sk_live_pasted_here", 1);
	ok(config_load(&c, err, sizeof(err)) != 0 &&
	    strstr(err, "WEBHOOK") != NULL && strstr(err, "sk_live") == NULL,
	    "config: a webhook secret must be whsec_ (and the error does not "
	    "repeat it)");
	setenv("TESSERA_STRIPE_WEBHOOK_SECRET", WHSEC, 1);
	ok(config_load(&c, err, sizeof(err)) == 0 &&
	    strcmp(c.stripe_secret_key, "rk_live_x") == 0 &&
	    strcmp(c.stripe_webhook_secret, WHSEC) == 0,
	    "config: restricted key and webhook secret read");
	unsetenv("TESSERA_STRIPE_SECRET_KEY");
	unsetenv("TESSERA_STRIPE_WEBHOOK_SECRET");
}

static const struct stripe_line lines[] = {
	{ "Concert \xe2\x80\x94 front row & <VIP> =%+", 2500, 2 },
	{ "Parking", 750, 3 },
};

static struct stripe_checkout
checkout(void)
{
	struct stripe_checkout req = {
		.order_code = ORDER,
		.currency = "eur",
		.lines = lines,
		.nlines = 2,
		.success_url = "http://127.0.0.1:9/me/orders/" ORDER
		    "?session={CHECKOUT_SESSION_ID}",
		.cancel_url = "http://127.0.0.1:9/orders/" ORDER "/checkout",
		.expires_at = time(NULL) + 3600,
	};

	return req;
}

static void
test_session(struct stripe_session *s)
{
	struct stripe_checkout req = checkout();
	struct stripe_session again, other;
	struct stripe_api_reply r;
	struct json_object *o, *last, *p, *prev;
	char want[1024], expires[32];
	size_t n;

	is_int(stripe_api_checkout_create(&cfg, ORDER "-checkout-1", &req, s,
	    &r), STRIPE_API_OK, "a Checkout Session is created");
	ok(strncmp(s->id, "cs_test_", 8) == 0, "its id is cs_test_...: %s",
	    s->id);
	snprintf(want, sizeof(want), "%s/pay/%s", fake_url, s->id);
	is_str(s->url, want, "its url is the hosted page");
	is_int(r.status, 200, "HTTP 200");
	ok(strncmp(r.request_id, "req_", 4) == 0, "Stripe's request id kept: "
	    "%s", r.request_id);
	is_str(r.message, "", "no message");

	o = requests(&last, &n);
	p = get(last, "params");
	is_str(get_str(last, "idempotency_key"), ORDER "-checkout-1",
	    "the Idempotency-Key header was sent");
	is_str(get_str(last, "auth"), "ok", "with the secret key");
	is_str(get_str(p, "mode"), "payment", "mode=payment");
	is_str(get_str(p, "client_reference_id"), ORDER,
	    "client_reference_id is the order code");
	is_str(get_str(p, "metadata[order_code]"), ORDER,
	    "and so is metadata[order_code]");
	is_str(get_str(p, "payment_intent_data[metadata][order_code]"), ORDER,
	    "and the payment's metadata[order_code]");
	is_str(get_str(p, "success_url"), req.success_url, "success_url");
	is_str(get_str(p, "cancel_url"), req.cancel_url, "cancel_url");
	is_str(get_str(p, "line_items[0][price_data][product_data][name]"),
	    lines[0].name, "a name with UTF-8, & = %% + and markup arrives "
	    "intact");
	is_str(get_str(p, "line_items[0][price_data][currency]"), "eur",
	    "currency");
	is_str(get_str(p, "line_items[0][price_data][unit_amount]"), "2500",
	    "unit_amount");
	is_str(get_str(p, "line_items[1][quantity]"), "3", "quantity");
	snprintf(expires, sizeof(expires), "%lld", (long long)req.expires_at);
	is_str(get_str(p, "expires_at"), expires, "expires_at");
	is_int(json_object_object_length(p), 15, "and nothing else");
	json_object_put(o);

	is_int(stripe_api_checkout_create(&cfg, ORDER "-checkout-1", &req,
	    &again, &r), STRIPE_API_OK, "the same key again");
	is_str(again.id, s->id, "gives the same session, not a second one");
	o = requests(&last, &n);
	ok(json_object_get_boolean(get(last, "replayed")),
	    "the fake replayed its first reply");
	prev = json_object_array_get_idx(get(o, "requests"), n - 2);
	is_int(json_object_get_int(get(last, "client_port")),
	    json_object_get_int(get(prev, "client_port")),
	    "over the same connection (one handle per process)");
	json_object_put(o);

	is_int(stripe_api_checkout_create(&cfg, ORDER "-checkout-2", &req,
	    &other, &r), STRIPE_API_OK, "another key");
	ok(strcmp(other.id, s->id) != 0, "makes another session");

	req.nlines = 1;
	is_int(stripe_api_checkout_create(&cfg, ORDER "-checkout-1", &req,
	    &other, &r), STRIPE_API_DECLINED,
	    "the first key with other parameters is declined");
	is_str(r.type, "idempotency_error", "as an idempotency error");
	ok(strstr(r.message, "same parameters") != NULL, "with Stripe's "
	    "message: %s", r.message);
	is_str(other.id, "", "and no session");
}

static void
test_failures(void)
{
	struct stripe_checkout req = checkout();
	struct stripe_session s;
	struct stripe_api_reply r;
	double t0, took;
	size_t before;

	fake_fail("500", 1, 0);
	is_int(stripe_api_checkout_create(&cfg, ORDER "-fail-500", &req, &s,
	    &r), STRIPE_API_TEMPORARY, "500: temporary");
	is_int(r.status, 500, "  HTTP 500");
	is_str(r.message, "fake_stripe: injected failure",
	    "  Stripe's message");
	is_int(stripe_api_checkout_create(&cfg, ORDER "-fail-500", &req, &s,
	    &r), STRIPE_API_OK, "then the same key goes through");

	fake_fail("429", 1, 0);
	is_int(stripe_api_checkout_create(&cfg, ORDER "-fail-429", &req, &s,
	    &r), STRIPE_API_TEMPORARY, "429: temporary");
	is_int(r.status, 429, "  HTTP 429");
	is_str(r.code, "rate_limit", "  code rate_limit");

	before = request_count();
	fake_fail("close", 1, 0);
	is_int(stripe_api_checkout_create(&cfg, ORDER "-fail-close", &req, &s,
	    &r), STRIPE_API_OK, "a kept-alive connection closed without a "
	    "reply: curl sends again once, on a new one");
	is_int(request_count(), before + 2, "  (two requests, the same key: "
	    "safe)");
	fake_fail("close", 2, 0);
	is_int(stripe_api_checkout_create(&cfg, ORDER "-fail-close2", &req,
	    &s, &r), STRIPE_API_TEMPORARY, "closed twice: temporary");
	is_int(r.status, 0, "  no status");
	ok(r.message[0] != '\0', "  says why: %s", r.message);

	fake_fail("hang", 1, 8);
	t0 = now_s();
	is_int(stripe_api_checkout_create(&cfg, ORDER "-fail-hang", &req, &s,
	    &r), STRIPE_API_TEMPORARY, "a hanging server: temporary");
	took = now_s() - t0;
	ok(took >= STRIPE_API_TIMEOUT_MS / 1000.0 - 0.2 &&
	    took < STRIPE_API_TIMEOUT_MS / 1000.0 + 1.0,
	    "  after the %ld ms timeout (%.2f s)", STRIPE_API_TIMEOUT_MS, took);
	ok(strstr(r.message, "timed out") != NULL, "  says so: %s", r.message);
	is_int(stripe_api_checkout_create(&cfg, ORDER "-fail-hang", &req, &s,
	    &r), STRIPE_API_OK, "the next call works again");

	fake_fail("huge", 1, 0);
	is_int(stripe_api_checkout_create(&cfg, ORDER "-fail-huge", &req, &s,
	    &r), STRIPE_API_TEMPORARY, "a 1 MiB reply: temporary");
	ok(strstr(r.message, "larger than") != NULL, "  refused for its "
	    "size: %s", r.message);
	fake_fail("garbage", 1, 0);
	is_int(stripe_api_checkout_create(&cfg, ORDER "-fail-garbage", &req,
	    &s, &r), STRIPE_API_TEMPORARY, "a 200 that is not JSON: "
	    "temporary");
	is_str(s.id, "", "  and no session");
}

static void
test_declined(void)
{
	struct stripe_checkout req = checkout();
	struct config wrong = cfg, none = cfg, down = cfg;
	struct stripe_session s;
	struct stripe_api_reply r;
	char base[64], longkey[STRIPE_API_KEY_MAX + 2];
	struct stripe_line neg = { "x", -1, 1 };
	size_t before;
	double t0;

	req.expires_at = time(NULL) + 60;
	is_int(stripe_api_checkout_create(&cfg, ORDER "-soon", &req, &s, &r),
	    STRIPE_API_DECLINED, "expires_at in one minute: declined");
	is_int(r.status, 400, "  HTTP 400");
	ok(strstr(r.message, "30 minutes") != NULL, "  with Stripe's "
	    "message: %s", r.message);
	is_str(r.type, "invalid_request_error", "  invalid_request_error");

	wrong.stripe_secret_key = "sk_test_not_this_one";
	req = checkout();
	is_int(stripe_api_checkout_create(&wrong, ORDER "-wrong-key", &req, &s,
	    &r), STRIPE_API_TEMPORARY, "a refused secret key (401) leaves the "
	    "order retryable");
	is_int(r.status, 401, "  HTTP 401");

	before = request_count();
	none.stripe_secret_key = NULL;
	is_int(stripe_api_checkout_create(&none, ORDER "-no-key", &req, &s,
	    &r), STRIPE_API_TEMPORARY, "no secret key configured: temporary");
	ok(strstr(r.message, "TESSERA_STRIPE_SECRET_KEY") != NULL, "  says "
	    "which setting");
	is_int(stripe_api_checkout_create(&cfg, "bad\r\nX-Injected: 1", &req,
	    &s, &r), STRIPE_API_DECLINED, "a key with CR LF is refused here");
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	is_int(stripe_api_checkout_create(&cfg, longkey, &req, &s, &r),
	    STRIPE_API_DECLINED, "a key of 256 characters is refused");
	longkey[STRIPE_API_KEY_MAX] = '\0';
	is_int(stripe_api_checkout_create(&cfg, "", &req, &s, &r),
	    STRIPE_API_DECLINED, "an empty key is refused");
	req.currency = "EUR";
	is_int(stripe_api_checkout_create(&cfg, ORDER "-x", &req, &s, &r),
	    STRIPE_API_DECLINED, "an upper-case currency is refused");
	req = checkout();
	req.nlines = 0;
	is_int(stripe_api_checkout_create(&cfg, ORDER "-x", &req, &s, &r),
	    STRIPE_API_DECLINED, "no lines is refused");
	req = checkout();
	req.lines = &neg;
	req.nlines = 1;
	is_int(stripe_api_checkout_create(&cfg, ORDER "-x", &req, &s, &r),
	    STRIPE_API_DECLINED, "a negative amount is refused");
	ok(strstr(r.message, "negative") != NULL, "  saying so: %s",
	    r.message);
	is_int(stripe_api_refund_create(&cfg, ORDER "-x", "pi_x/../../v1",
	    0, &(struct stripe_refund){ .amount = 0 }, &r),
	    STRIPE_API_DECLINED, "a payment intent id with / is refused");
	is_int(stripe_api_checkout_expire(&cfg, ORDER "-x", "cs_x?y=1", &r),
	    STRIPE_API_DECLINED, "a session id with ? is refused");
	is_int(request_count(), before, "none of these was sent");

	snprintf(base, sizeof(base), "http://127.0.0.1:%d", closed_port());
	down.stripe_api_base = base;
	req = checkout();
	t0 = now_s();
	is_int(stripe_api_checkout_create(&down, ORDER "-down", &req, &s, &r),
	    STRIPE_API_TEMPORARY, "connection refused: temporary");
	ok(now_s() - t0 < 1.0, "  at once (%.3f s)", now_s() - t0);
	is_int(r.status, 0, "  no status");
}

/* Pays session s on the fake's page, as a browser would; returns the
 * payment intent from the signed event, checked with stripe_sig_verify. */
static void
test_pay(const struct stripe_session *s, char *pi, size_t pilen)
{
	struct json_object *o, *list, *d, *ev, *obj;
	char path[512], loc[1024], want[1024];
	const char *payload, *sig;
	long status = 0;
	size_t n;

	pi[0] = '\0';
	snprintf(path, sizeof(path), "/pay/%s", s->id);
	json_object_put(fake_http("GET", path, NULL, &status, NULL, 0));
	is_int(status, 200, "the hosted page shows");
	snprintf(path, sizeof(path), "/pay/%s/pay", s->id);
	json_object_put(fake_http("POST", path, NULL, &status, loc,
	    sizeof(loc)));
	is_int(status, 303, "Pay answers 303");
	snprintf(want, sizeof(want), "http://127.0.0.1:9/me/orders/" ORDER
	    "?session=%s", s->id);
	is_str(loc, want, "  to success_url, the session id filled in");

	o = fake_http("GET", "/_control/deliveries", NULL, NULL, NULL, 0);
	list = get(o, "deliveries");
	n = list != NULL ? json_object_array_length(list) : 0;
	d = n > 0 ? json_object_array_get_idx(list, n - 1) : NULL;
	is_str(get_str(d, "type"), "checkout.session.completed",
	    "the fake sent checkout.session.completed");
	payload = get_str(d, "payload");
	sig = get_str(d, "signature");
	ok(payload != NULL && sig != NULL, "  with a body and a signature");
	if (payload == NULL || sig == NULL) {
		json_object_put(o);
		return;
	}
	is_int(stripe_sig_verify(payload, strlen(payload), sig, WHSEC,
	    time(NULL), STRIPE_SIG_TOLERANCE), STRIPE_SIG_OK,
	    "  which stripe_sig_verify accepts (%s)", sig);
	is_int(stripe_sig_verify(payload, strlen(payload), sig, "whsec_other",
	    time(NULL), STRIPE_SIG_TOLERANCE), STRIPE_SIG_BAD,
	    "  and refuses under another secret");
	ev = json_tokener_parse(payload);
	obj = get(get(ev, "data"), "object");
	is_str(get_str(obj, "id"), s->id, "  about our session");
	is_str(get_str(obj, "client_reference_id"), ORDER,
	    "  client_reference_id");
	is_str(get_str(get(obj, "metadata"), "order_code"), ORDER,
	    "  metadata.order_code");
	is_int(json_object_get_int64(get(obj, "amount_total")),
	    2 * 2500 + 3 * 750, "  amount_total");
	ok(get_str(obj, "payment_intent") != NULL &&
	    strncmp(get_str(obj, "payment_intent"), "pi_", 3) == 0,
	    "  with its payment intent");
	if (get_str(obj, "payment_intent") != NULL)
		snprintf(pi, pilen, "%s", get_str(obj, "payment_intent"));
	json_object_put(ev);
	json_object_put(o);
}

static void
test_refund(const char *pi)
{
	struct stripe_refund f, again;
	struct stripe_api_reply r;
	long long total = 2 * 2500 + 3 * 750;

	is_int(stripe_api_refund_create(&cfg, ORDER "-refund-1", pi, 1000, &f,
	    &r), STRIPE_API_OK, "a partial refund");
	ok(strncmp(f.id, "re_", 3) == 0, "  re_...: %s", f.id);
	is_str(f.status, "succeeded", "  succeeded");
	is_int(f.amount, 1000, "  of 1000");
	is_int(stripe_api_refund_create(&cfg, ORDER "-refund-1", pi, 1000,
	    &again, &r), STRIPE_API_OK, "the same key again");
	is_str(again.id, f.id, "  is the same refund");
	is_int(stripe_api_refund_create(&cfg, ORDER "-refund-2", pi, 0, &f,
	    &r), STRIPE_API_OK, "the rest (amount 0)");
	is_int(f.amount, total - 1000, "  is what was left");
	is_int(stripe_api_refund_create(&cfg, ORDER "-refund-3", pi, 0, &f,
	    &r), STRIPE_API_DECLINED, "nothing left: declined");
	is_str(r.code, "charge_already_refunded", "  charge_already_refunded");
	is_str(f.id, "", "  and no refund");
	is_int(stripe_api_refund_create(&cfg, ORDER "-refund-4",
	    "pi_test_nosuchthing", 0, &f, &r), STRIPE_API_DECLINED,
	    "an unknown payment intent: declined");
	ok(strstr(r.message, "No such payment_intent") != NULL, "  %s",
	    r.message);
}

static void
test_expire(const struct stripe_session *paid)
{
	struct stripe_checkout req = checkout();
	struct stripe_session s;
	struct stripe_api_reply r;

	req.order_code = "TST-0002";
	ok(stripe_api_checkout_create(&cfg, "TST-0002-checkout-1", &req, &s,
	    &r) == STRIPE_API_OK, "another session");
	is_int(stripe_api_checkout_expire(&cfg, "TST-0002-expire-1", s.id,
	    &r), STRIPE_API_OK, "expires");
	is_int(stripe_api_checkout_expire(&cfg, "TST-0002-expire-2", s.id,
	    &r), STRIPE_API_DECLINED, "expiring it again is declined");
	ok(strstr(r.message, "open") != NULL, "  %s", r.message);
	is_int(stripe_api_checkout_expire(&cfg, ORDER "-expire-1", paid->id,
	    &r), STRIPE_API_DECLINED, "a paid session cannot expire");
}

/* Reads what was logged to the file at fd. */
static char *
slurp(int fd)
{
	struct buf b;
	char chunk[4096];
	ssize_t n;

	buf_init(&b);
	buf_puts(&b, "");
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_append(&b, chunk, (size_t)n);
	return b.data;
}

int
main(void)
{
	struct stripe_session s;
	char webhook[128], logname[] = "/tmp/test_stripe_api.XXXXXX", pi[256];
	char *logged;
	int logfd, saved;

	test_config();
	ok(stripe_api_init() == 0, "curl set up");
	snprintf(webhook, sizeof(webhook),
	    "http://127.0.0.1:%d/payments/stripe/webhook", closed_port());
	if (!ok(fake_start(webhook) == 0, "fake_stripe.py runs: %s",
	    fake_url)) {
		fake_stop();
		return done_testing();
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.stripe_api_base = fake_url;
	cfg.stripe_secret_key = KEY;

	/* What the client logs goes to a file, to be searched for the key. */
	logfd = mkstemp(logname);
	unlink(logname);
	fflush(stderr);
	saved = dup(2);
	dup2(logfd, 2);

	test_session(&s);
	test_failures();
	test_declined();
	test_pay(&s, pi, sizeof(pi));
	if (pi[0] != '\0')
		test_refund(pi);
	test_expire(&s);

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	logged = slurp(logfd);
	close(logfd);
	ok(strstr(logged, "stripe checkout: POST /v1/checkout/sessions: "
	    "HTTP 500") != NULL, "failures are logged");
	ok(strstr(logged, KEY) == NULL && strstr(logged, "sk_test_not") ==
	    NULL, "and the secret key never is");
	fputs(logged, stderr);
	free(logged);

	fake_stop();
	stripe_api_cleanup();
	return done_testing();
}
