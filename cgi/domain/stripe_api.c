#include "stripe_api.h"

#include <curl/curl.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "log.h"

static const char *const result_names[STRIPE_API__MAX] = {
	/* STRIPE_API_OK */ "ok",
	/* STRIPE_API_DECLINED */ "declined",
	/* STRIPE_API_TEMPORARY */ "temporary failure",
};

/* This process's handle, and which process made it: a forked child must
 * not use, or close, its parent's connections. */
static CURL *api_curl;
static pid_t api_curl_pid;

/* One POST and what came back. */
struct api_call {
	const char *what;           /* for logs: "checkout", "refund", ... */
	char path[STRIPE_API_ID_MAX + 64];
	struct buf form;            /* the request body */
	struct buf body;            /* the reply, at most RESPONSE_MAX */
	int too_big;
	int should_retry;           /* Stripe-Should-Retry: -1 absent, 0, 1 */
	struct stripe_api_reply *reply;
};

const char *
stripe_api_result_str(enum stripe_api_result r)
{
	return (unsigned)r < STRIPE_API__MAX ? result_names[r] : "unknown";
}

int
stripe_api_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void
stripe_api_cleanup(void)
{
	if (api_curl != NULL && api_curl_pid == getpid())
		curl_easy_cleanup(api_curl);
	api_curl = NULL;
	curl_global_cleanup();
}

/* The process's handle, reset to no options but keeping its connections
 * and caches; NULL when curl cannot make one. */
static CURL *
api_handle(void)
{
	if (api_curl != NULL && api_curl_pid != getpid())
		api_curl = NULL;        /* the parent's; left alone */
	if (api_curl != NULL) {
		curl_easy_reset(api_curl);
		return api_curl;
	}
	api_curl = curl_easy_init();
	api_curl_pid = getpid();
	return api_curl;
}

/* ------------------------------------------------------------ arguments */

/* Copies s into dst of size n, control characters as spaces, cut to fit. */
static void
copy_text(char *dst, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0' && i + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];

		dst[i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	dst[i] = '\0';
}

static int
printable_ascii(const char *s, size_t max)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (n >= max || s[n] <= ' ' || s[n] >= 0x7f)
			return 0;
	return n > 0;
}

/* A Stripe object id: letters, digits and '_' ("cs_test_a1B2..."). */
static int
object_id_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	return n > 0 && n <= STRIPE_API_ID_MAX &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_") == n;
}

static enum stripe_api_result
refuse(struct stripe_api_reply *reply, const char *what, const char *why)
{
	snprintf(reply->message, sizeof(reply->message), "%s", why);
	log_err("stripe %s: not sent: %s", what, why);
	return STRIPE_API_DECLINED;
}

/* Appends name=value to a form body, both percent-encoded but for the
 * unreserved characters. */
static void
form_add(struct buf *b, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	static const char unreserved[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";
	const char *parts[2] = { name, value };

	if (b->len > 0)
		buf_putc(b, '&');
	for (int i = 0; i < 2; i++) {
		for (const unsigned char *p = (const unsigned char *)parts[i];
		    *p != '\0'; p++) {
			if (strchr(unreserved, *p) != NULL)
				buf_putc(b, (char)*p);
			else {
				buf_putc(b, '%');
				buf_putc(b, hex[*p >> 4]);
				buf_putc(b, hex[*p & 15]);
			}
		}
		if (i == 0)
			buf_putc(b, '=');
	}
}

static void
form_addf(struct buf *b, const char *value, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
form_addf(struct buf *b, const char *value, const char *fmt, ...)
{
	char name[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	form_add(b, name, value);
}

/* ------------------------------------------------------------ transport */

static size_t
api_write(char *data, size_t size, size_t n, void *arg)
{
	struct api_call *call = arg;

	if (n * size > STRIPE_API_RESPONSE_MAX - call->body.len) {
		call->too_big = 1;
		return 0;               /* curl stops with CURLE_WRITE_ERROR */
	}
	buf_append(&call->body, data, n * size);
	return n * size;
}

/* The value of header line (name: value CRLF) when it is name, trimmed
 * into dst; 0 when it is another header. */
static int
header_value(const char *line, size_t len, const char *name, char *dst,
    size_t dstlen)
{
	size_t nlen = strlen(name), end;

	if (len <= nlen || line[nlen] != ':' ||
	    strncasecmp(line, name, nlen) != 0)
		return 0;
	line += nlen + 1;
	len -= nlen + 1;
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	end = len;
	while (end > 0 && strchr(" \t\r\n", line[end - 1]) != NULL)
		end--;
	if (end >= dstlen)
		end = dstlen - 1;
	memcpy(dst, line, end);
	dst[end] = '\0';
	for (size_t i = 0; i < end; i++)
		if ((unsigned char)dst[i] < 0x20 || dst[i] == 0x7f)
			dst[i] = ' ';
	return 1;
}

static size_t
api_header(char *line, size_t size, size_t n, void *arg)
{
	struct api_call *call = arg;
	char v[16];

	/* A new status line (after a 100 Continue) starts the headers over. */
	if (n * size >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		call->should_retry = -1;
		call->reply->request_id[0] = '\0';
	}
	header_value(line, n * size, "Request-Id", call->reply->request_id,
	    sizeof(call->reply->request_id));
	if (header_value(line, n * size, "Stripe-Should-Retry", v, sizeof(v)))
		call->should_retry = strcasecmp(v, "true") == 0 ? 1 :
		    strcasecmp(v, "false") == 0 ? 0 : -1;
	return n * size;
}

/* The reply body as a JSON object (the caller puts it), or NULL when it
 * is anything else, white space after it aside. */
static struct json_object *
api_json(const struct api_call *call)
{
	struct json_tokener *tok;
	struct json_object *o;
	size_t end;

	if (call->body.len == 0)
		return NULL;
	tok = json_tokener_new();
	o = json_tokener_parse_ex(tok, call->body.data, (int)call->body.len);
	end = json_tokener_get_parse_end(tok);
	if (o != NULL && (json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(o, json_type_object) ||
	    strspn(call->body.data + end, " \t\r\n") !=
	    call->body.len - end)) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

static const char *
json_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Stripe's {"error": {"type", "code", "decline_code", "message"}}. */
static void
api_error_fields(struct api_call *call, struct json_object *o)
{
	struct stripe_api_reply *r = call->reply;
	struct json_object *e = NULL;
	const char *code;

	if (o != NULL)
		json_object_object_get_ex(o, "error", &e);
	copy_text(r->type, sizeof(r->type), json_str(e, "type"));
	code = json_str(e, "code");
	copy_text(r->code, sizeof(r->code),
	    code != NULL ? code : json_str(e, "decline_code"));
	copy_text(r->message, sizeof(r->message), json_str(e, "message"));
	if (r->message[0] == '\0')
		snprintf(r->message, sizeof(r->message),
		    "Stripe answered HTTP %ld", r->status);
}

/* What a non-2xx status means (stripe_api.h, enum stripe_api_result). */
static enum stripe_api_result
api_classify(long status, int should_retry)
{
	if (status >= 500 || status < 400)
		return STRIPE_API_TEMPORARY;
	if (should_retry == 1)
		return STRIPE_API_TEMPORARY;
	if (should_retry == 0)
		return STRIPE_API_DECLINED;
	if (status == 401 || status == 403 || status == 409 || status == 429)
		return STRIPE_API_TEMPORARY;
	return STRIPE_API_DECLINED;
}

/*
 * POSTs call->form to call->path. Returns STRIPE_API_OK with the reply
 * as a JSON object in *json (the caller puts it), or another result with
 * call->reply saying why (logged).
 */
static enum stripe_api_result
api_post(const struct config *cfg, const char *key, struct api_call *call,
    struct json_object **json)
{
	struct stripe_api_reply *r = call->reply;
	char url[1024], hdr[STRIPE_API_KEY_MAX + 32];
	char cerr[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = NULL;
	struct json_object *o = NULL;
	enum stripe_api_result rc;
	size_t blen;
	CURLcode cc;
	CURL *c;

	*json = NULL;
	if (cfg->stripe_secret_key == NULL) {
		snprintf(r->message, sizeof(r->message),
		    "payments are not configured (TESSERA_STRIPE_SECRET_KEY)");
		log_err("stripe %s: not sent: %s", call->what, r->message);
		return STRIPE_API_TEMPORARY;
	}
	blen = strlen(cfg->stripe_api_base);
	while (blen > 0 && cfg->stripe_api_base[blen - 1] == '/')
		blen--;
	if ((size_t)snprintf(url, sizeof(url), "%.*s%s", (int)blen,
	    cfg->stripe_api_base, call->path) >= sizeof(url))
		return refuse(r, call->what, "TESSERA_STRIPE_API_BASE is too "
		    "long");
	if ((c = api_handle()) == NULL) {
		snprintf(r->message, sizeof(r->message),
		    "curl_easy_init failed");
		log_err("stripe %s: %s", call->what, r->message);
		return STRIPE_API_TEMPORARY;
	}
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: %s", key);
	headers = curl_slist_append(headers, hdr);
	/* No 100-continue round trip before the body. */
	headers = curl_slist_append(headers, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS,
	    CURLPROTO_HTTPS | CURLPROTO_HTTP);
#endif
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "Tessera");
	/* Stripe's API takes the secret key as the Basic user name. */
	curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(c, CURLOPT_USERNAME, cfg->stripe_secret_key);
	curl_easy_setopt(c, CURLOPT_PASSWORD, "");
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, call->form.data != NULL ?
	    call->form.data : "");
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)call->form.len);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    STRIPE_API_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, STRIPE_API_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)STRIPE_API_RESPONSE_MAX);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, api_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, call);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, api_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, call);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);

	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	/* The options point into this frame, and curl's copy of the key
	 * goes with them; the connection stays open. */
	curl_easy_reset(c);
	curl_slist_free_all(headers);
	if (cc != CURLE_OK) {
		if (call->too_big || cc == CURLE_FILESIZE_EXCEEDED)
			snprintf(r->message, sizeof(r->message), "the reply "
			    "was larger than %d bytes",
			    STRIPE_API_RESPONSE_MAX);
		else
			snprintf(r->message, sizeof(r->message), "%s",
			    cerr[0] != '\0' ? cerr : curl_easy_strerror(cc));
		log_err("stripe %s: POST %s: %s (key %s)", call->what,
		    call->path, r->message, key);
		return STRIPE_API_TEMPORARY;
	}
	o = api_json(call);
	if (r->status >= 200 && r->status < 300) {
		if (o == NULL) {
			snprintf(r->message, sizeof(r->message),
			    "HTTP %ld with a reply that is no JSON object",
			    r->status);
			log_err("stripe %s: POST %s: %s (request %s, key %s)",
			    call->what, call->path, r->message, r->request_id,
			    key);
			return STRIPE_API_TEMPORARY;
		}
		*json = o;
		return STRIPE_API_OK;
	}
	api_error_fields(call, o);
	json_object_put(o);
	rc = api_classify(r->status, call->should_retry);
	log_err("stripe %s: POST %s: HTTP %ld, %s: %s%s%s%s%s (request %s, "
	    "key %s)", call->what, call->path, r->status,
	    stripe_api_result_str(rc), r->message,
	    r->type[0] != '\0' ? "; " : "", r->type,
	    r->code[0] != '\0' ? "/" : "", r->code, r->request_id, key);
	return rc;
}

static void
call_init(struct api_call *call, const char *what,
    struct stripe_api_reply *reply)
{
	memset(call, 0, sizeof(*call));
	call->what = what;
	call->should_retry = -1;
	call->reply = reply;
	buf_init(&call->form);
	buf_init(&call->body);
	memset(reply, 0, sizeof(*reply));
}

static void
call_free(struct api_call *call)
{
	buf_free(&call->form);
	buf_free(&call->body);
}

/* Copies the string key of o into dst when it is 1..dstlen-1 characters
 * that ok accepts; returns 0, or -1. */
static int
take_str(struct json_object *o, const char *key, char *dst, size_t dstlen,
    int (*ok)(const char *))
{
	const char *s = json_str(o, key);

	if (s == NULL || strlen(s) >= dstlen || !ok(s))
		return -1;
	strcpy(dst, s);
	return 0;
}

static int
page_url_ok(const char *s)
{
	return (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0)
	    && printable_ascii(s, STRIPE_API_URL_MAX);
}

static int
word_ok(const char *s)
{
	return *s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz_") ==
	    strlen(s);
}

static enum stripe_api_result
unreadable(struct api_call *call, const char *key, const char *what)
{
	snprintf(call->reply->message, sizeof(call->reply->message),
	    "the reply has no valid %s", what);
	log_err("stripe %s: POST %s: %s (request %s, key %s)", call->what,
	    call->path, call->reply->message, call->reply->request_id, key);
	return STRIPE_API_TEMPORARY;
}

static const char *
key_problem(const char *key)
{
	if (key == NULL || !printable_ascii(key, STRIPE_API_KEY_MAX))
		return "the idempotency key must be 1 to 255 printable ASCII "
		    "characters";
	return NULL;
}

/* ------------------------------------------------------------ calls */

static const char *
checkout_problem(const struct stripe_checkout *req)
{
	size_t n;

	if (req->order_code == NULL || (n = strlen(req->order_code)) == 0 ||
	    n > STRIPE_API_ORDER_CODE_MAX)
		return "the order code must be 1 to 200 characters";
	if (req->currency == NULL || strlen(req->currency) != 3 ||
	    strspn(req->currency, "abcdefghijklmnopqrstuvwxyz") != 3)
		return "the currency must be three lowercase letters";
	if (req->lines == NULL || req->nlines == 0 ||
	    req->nlines > STRIPE_API_LINES_MAX)
		return "a session has 1 to 100 lines";
	for (size_t i = 0; i < req->nlines; i++) {
		const struct stripe_line *l = &req->lines[i];

		if (l->name == NULL || l->name[0] == '\0')
			return "every line needs a name";
		if (l->unit_amount < 0)
			return "a unit amount cannot be negative";
		if (l->quantity < 1)
			return "a quantity is at least 1";
	}
	if (req->success_url == NULL || req->success_url[0] == '\0' ||
	    req->cancel_url == NULL || req->cancel_url[0] == '\0')
		return "the success and cancel URLs are required";
	if (req->expires_at < 0)
		return "expires_at cannot be negative";
	return NULL;
}

enum stripe_api_result
stripe_api_checkout_create(const struct config *cfg,
    const char *idempotency_key, const struct stripe_checkout *req,
    struct stripe_session *out, struct stripe_api_reply *reply)
{
	struct json_object *o = NULL;
	struct api_call call;
	enum stripe_api_result rc;
	const char *why;
	char num[32];

	call_init(&call, "checkout", reply);
	memset(out, 0, sizeof(*out));
	if ((why = key_problem(idempotency_key)) != NULL ||
	    (why = checkout_problem(req)) != NULL) {
		rc = refuse(reply, call.what, why);
		goto out;
	}
	snprintf(call.path, sizeof(call.path), "/v1/checkout/sessions");
	form_add(&call.form, "mode", "payment");
	form_add(&call.form, "success_url", req->success_url);
	form_add(&call.form, "cancel_url", req->cancel_url);
	form_add(&call.form, "client_reference_id", req->order_code);
	form_add(&call.form, "metadata[order_code]", req->order_code);
	/* On the PaymentIntent too: payment_intent.payment_failed names the
	 * order by it (stripe.c). */
	form_add(&call.form, "payment_intent_data[metadata][order_code]",
	    req->order_code);
	for (size_t i = 0; i < req->nlines; i++) {
		const struct stripe_line *l = &req->lines[i];

		form_addf(&call.form, req->currency,
		    "line_items[%zu][price_data][currency]", i);
		snprintf(num, sizeof(num), "%lld", l->unit_amount);
		form_addf(&call.form, num,
		    "line_items[%zu][price_data][unit_amount]", i);
		form_addf(&call.form, l->name,
		    "line_items[%zu][price_data][product_data][name]", i);
		snprintf(num, sizeof(num), "%ld", l->quantity);
		form_addf(&call.form, num, "line_items[%zu][quantity]", i);
	}
	if (req->expires_at > 0) {
		snprintf(num, sizeof(num), "%lld", (long long)req->expires_at);
		form_add(&call.form, "expires_at", num);
	}
	if ((rc = api_post(cfg, idempotency_key, &call, &o)) != STRIPE_API_OK)
		goto out;
	if (take_str(o, "id", out->id, sizeof(out->id), object_id_ok) != 0 ||
	    take_str(o, "url", out->url, sizeof(out->url), page_url_ok) != 0) {
		memset(out, 0, sizeof(*out));
		rc = unreadable(&call, idempotency_key, "session id and url");
	}
out:
	json_object_put(o);
	call_free(&call);
	return rc;
}

enum stripe_api_result
stripe_api_checkout_expire(const struct config *cfg,
    const char *idempotency_key, const char *session_id,
    struct stripe_api_reply *reply)
{
	struct json_object *o = NULL;
	struct api_call call;
	enum stripe_api_result rc;
	const char *why;

	call_init(&call, "expire", reply);
	if ((why = key_problem(idempotency_key)) != NULL) {
		rc = refuse(reply, call.what, why);
		goto out;
	}
	if (!object_id_ok(session_id)) {
		rc = refuse(reply, call.what, "not a session id");
		goto out;
	}
	snprintf(call.path, sizeof(call.path),
	    "/v1/checkout/sessions/%s/expire", session_id);
	rc = api_post(cfg, idempotency_key, &call, &o);
out:
	json_object_put(o);
	call_free(&call);
	return rc;
}

enum stripe_api_result
stripe_api_refund_create(const struct config *cfg,
    const char *idempotency_key, const char *payment_intent,
    long long amount, struct stripe_refund *out,
    struct stripe_api_reply *reply)
{
	struct json_object *o = NULL, *v;
	struct api_call call;
	enum stripe_api_result rc;
	const char *why;
	char num[32];

	call_init(&call, "refund", reply);
	memset(out, 0, sizeof(*out));
	if ((why = key_problem(idempotency_key)) != NULL) {
		rc = refuse(reply, call.what, why);
		goto out;
	}
	if (!object_id_ok(payment_intent)) {
		rc = refuse(reply, call.what, "not a payment intent id");
		goto out;
	}
	if (amount < 0) {
		rc = refuse(reply, call.what, "a refund amount cannot be "
		    "negative");
		goto out;
	}
	snprintf(call.path, sizeof(call.path), "/v1/refunds");
	form_add(&call.form, "payment_intent", payment_intent);
	if (amount > 0) {
		snprintf(num, sizeof(num), "%lld", amount);
		form_add(&call.form, "amount", num);
	}
	if ((rc = api_post(cfg, idempotency_key, &call, &o)) != STRIPE_API_OK)
		goto out;
	if (take_str(o, "id", out->id, sizeof(out->id), object_id_ok) != 0 ||
	    take_str(o, "status", out->status, sizeof(out->status),
	    word_ok) != 0 || !json_object_object_get_ex(o, "amount", &v) ||
	    !json_object_is_type(v, json_type_int)) {
		memset(out, 0, sizeof(*out));
		rc = unreadable(&call, idempotency_key, "refund id, status and "
		    "amount");
		goto out;
	}
	out->amount = json_object_get_int64(v);
out:
	json_object_put(o);
	call_free(&call);
	return rc;
}
