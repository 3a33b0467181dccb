#include "mail.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "tmpl.h"

/* quoted-printable lines: at most 76 characters, the soft break's "="
 * included. */
#define QP_LINE_MAX 75
/* Bytes of text per RFC 2047 encoded-word: 39 bytes make 52 of base64, so
 * a word is 64 characters, under the limit of 75. */
#define WORD_BYTES 39
/* Header lines longer than this are written as encoded-words, which fold. */
#define HEADER_LINE_MAX 78
#define NAME_MAX_LEN 64
/*
 * Giving up on the relay: connecting, and the whole transaction, in
 * milliseconds. Every call a Tessera process makes to a server outside it
 * sets both, explicitly, with CURLOPT_NOSIGNAL (README.md, "Process
 * model"): a relay that hangs costs this much and no more. The mail runs
 * in tessera-worker, off the request path, so it may take longer than a
 * call made inside a request; with ROW_MAX_SECONDS and OUTBOX_LEASE_SECONDS
 * these bound how long a claimed row can take.
 */
#define SMTP_CONNECT_TIMEOUT_MS 5000L
#define SMTP_TIMEOUT_MS 20000L
/* "=_" never occurs in quoted-printable text ("=" is always written as
 * =3D there), so this boundary cannot collide with a body (RFC 2045,
 * 6.7, note 8). */
#define BOUNDARY "=_tessera_alternative"
#define MIXED_BOUNDARY "=_tessera_mixed"

static const char b64_digits[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char hex_digits[] = "0123456789ABCDEF";
static const char *const day_names[7] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	"Fri", "Sat" };
static const char *const month_names[12] = { "Jan", "Feb", "Mar", "Apr",
	"May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* The three templates of a mail, as NAME.suffix. */
enum mail_part { PART_SUBJECT, PART_TEXT, PART_HTML, PART__MAX };
static const char *const part_suffix[PART__MAX] = { "subject", "txt",
	"html" };

int
mail_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void
mail_cleanup(void)
{
	curl_global_cleanup();
}

/* ------------------------------------------------------------ rendering */

struct tmpl_set *
mail_templates_load(const char *dir, char *err, size_t errlen)
{
	struct tmpl_set *set = tmpl_set_new();
	struct tmpl_error te;

	if (tmpl_set_load_dir(set, dir, &te) != 0) {
		snprintf(err, errlen, "%s:%d: %s", te.file, te.line, te.reason);
		tmpl_set_free(set);
		return NULL;
	}
	return set;
}

void
mail_content_init(struct mail_content *c)
{
	buf_init(&c->subject);
	buf_init(&c->text);
	buf_init(&c->html);
}

void
mail_content_free(struct mail_content *c)
{
	buf_free(&c->subject);
	buf_free(&c->text);
	buf_free(&c->html);
}

/* Cuts leading and trailing white space (the newline that ends the
 * subject template, above all) off b. */
static void
mail_trim(struct buf *b)
{
	size_t start = 0, end = b->len;

	while (start < end && strchr(" \t\r\n", b->data[start]) != NULL)
		start++;
	while (end > start && strchr(" \t\r\n", b->data[end - 1]) != NULL)
		end--;
	memmove(b->data, b->data + start, end - start);
	b->len = end - start;
	b->data[b->len] = '\0';
}

/* Mail names are plain words: they only select templates. */
static int
mail_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > NAME_MAX_LEN)
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

int
mail_render(const struct tmpl_set *set, const struct config *cfg,
    const char *name, struct json_object *vars, struct mail_content *c,
    char *err, size_t errlen)
{
	struct buf *out[PART__MAX] = { &c->subject, &c->text, &c->html };
	struct tmpl_value *ctx;
	struct arena a;
	char tname[NAME_MAX_LEN + 16];
	int rc = -1;

	if (!mail_name_ok(name)) {
		snprintf(err, errlen, "bad mail template name \"%.64s\"", name);
		return -1;
	}
	if (vars != NULL && !json_object_is_type(vars, json_type_object)) {
		snprintf(err, errlen, "mail %s: vars is not an object", name);
		return -1;
	}
	arena_init(&a, 0);
	ctx = vars != NULL ? tmpl_json_to_value(&a, vars) : tv_object(&a);
	tv_set_str(&a, ctx, "site_name", cfg->site_name);
	tv_set(&a, ctx, "base_url", tv_string(&a, cfg->base_url));
	for (int i = 0; i < PART__MAX; i++) {
		snprintf(tname, sizeof(tname), "%s.%s", name, part_suffix[i]);
		buf_reset(out[i]);
		if (tmpl_render(set, tname, ctx, out[i]) != 0) {
			snprintf(err, errlen, "mail %s: template %s is missing "
			    "or does not render", name, tname);
			goto out;
		}
	}
	mail_trim(&c->subject);
	rc = 0;
out:
	arena_free(&a);
	return rc;
}

/* ------------------------------------------------------------ headers */

/* Refuses CR and LF (header injection) and other control characters in a
 * header value. Returns 0 or -1 with err naming the header. */
static int
mail_check_value(const char *what, const char *s, char *err, size_t errlen)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\r' || *p == '\n') {
			snprintf(err, errlen, "%s: CR or LF in a header value "
			    "(header injection refused)", what);
			return -1;
		}
		if (*p < 0x20 || *p == 0x7f) {
			snprintf(err, errlen, "%s: control character in a header "
			    "value", what);
			return -1;
		}
	}
	return 0;
}

/* One plain ASCII address local@domain: no display name, no brackets,
 * no list, nothing SMTP or a header would read as syntax. */
static int
mail_check_address(const char *what, const char *addr, char *err,
    size_t errlen)
{
	static const char local_ok[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~.";
	static const char domain_ok[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.";
	const char *at;
	size_t local;

	if (mail_check_value(what, addr, err, errlen) != 0)
		return -1;
	at = strchr(addr, '@');
	local = at != NULL ? (size_t)(at - addr) : 0;
	if (at == NULL || local == 0 || at[1] == '\0' ||
	    strlen(addr) > MAIL_ADDRESS_MAX ||
	    strspn(addr, local_ok) != local ||
	    strspn(at + 1, domain_ok) != strlen(at + 1)) {
		snprintf(err, errlen, "%s: \"%.80s\" is not one plain address",
		    what, addr);
		return -1;
	}
	return 0;
}

/* Splits from into its display name (possibly empty, quotes removed) and
 * address, each copied into a buffer of MAIL_ADDRESS_MAX + 1. */
static int
mail_split_from(const char *from, char *name, char *addr)
{
	const char *lt = strrchr(from, '<'), *gt;
	size_t n;

	name[0] = '\0';
	if (lt == NULL) {
		if (strlen(from) > MAIL_ADDRESS_MAX)
			return -1;
		strcpy(addr, from);
		return 0;
	}
	gt = strchr(lt, '>');
	if (gt == NULL || gt[1] != '\0' || (size_t)(gt - lt - 1) >
	    MAIL_ADDRESS_MAX)
		return -1;
	memcpy(addr, lt + 1, (size_t)(gt - lt - 1));
	addr[gt - lt - 1] = '\0';
	while (*from == ' ')
		from++;
	n = (size_t)(lt - from);
	while (n > 0 && from[n - 1] == ' ')
		n--;
	if (n >= 2 && from[0] == '"' && from[n - 1] == '"') {
		from++;
		n -= 2;
	}
	if (n > MAIL_ADDRESS_MAX)
		return -1;
	memcpy(name, from, n);
	name[n] = '\0';
	return 0;
}

int
mail_from_address(const char *from, char *addr, size_t len)
{
	char name[MAIL_ADDRESS_MAX + 1], a[MAIL_ADDRESS_MAX + 1], err[160];

	if (from == NULL || mail_split_from(from, name, a) != 0 ||
	    mail_check_address("From", a, err, sizeof(err)) != 0 ||
	    strlen(a) >= len)
		return -1;
	strcpy(addr, a);
	return 0;
}

static void
mail_base64(struct buf *out, const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)s[i] << 16;

		if (i + 1 < len)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < len)
			v |= s[i + 2];
		buf_putc(out, b64_digits[(v >> 18) & 63]);
		buf_putc(out, b64_digits[(v >> 12) & 63]);
		buf_putc(out, i + 1 < len ? b64_digits[(v >> 6) & 63] : '=');
		buf_putc(out, i + 2 < len ? b64_digits[v & 63] : '=');
	}
}

/* Appends s as RFC 2047 encoded-words, folded onto continuation lines;
 * no word splits a UTF-8 character, so each decodes on its own. */
static void
mail_put_words(struct buf *out, const char *s)
{
	size_t len = strlen(s), i = 0;

	while (i < len) {
		size_t n = len - i < WORD_BYTES ? len - i : WORD_BYTES;

		/* Back off to the start of a character. */
		while (i + n < len && n > 1 &&
		    ((unsigned char)s[i + n] & 0xc0) == 0x80)
			n--;
		if (i > 0)
			buf_puts(out, "\r\n ");
		buf_puts(out, "=?UTF-8?B?");
		mail_base64(out, (const unsigned char *)s + i, n);
		buf_puts(out, "?=");
		i += n;
	}
}

/* True when s may be written as it is after a header name of namelen
 * characters: printable ASCII that fits the line and has no "=?" a reader
 * could take for an encoded-word. */
static int
mail_plain_ok(const char *s, size_t namelen)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			return 0;
	return strstr(s, "=?") == NULL && namelen + 2 + strlen(s) <=
	    HEADER_LINE_MAX;
}

static void
mail_put_from(struct buf *out, const char *name, const char *addr)
{
	buf_puts(out, "From: ");
	if (name[0] == '\0') {
		buf_puts(out, addr);
	} else if (!mail_plain_ok(name, 4)) {
		mail_put_words(out, name);
	} else if (strpbrk(name, "()<>[]:;@\\,.\"") != NULL) {
		buf_putc(out, '"');
		for (const char *p = name; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_putc(out, '\\');
			buf_putc(out, *p);
		}
		buf_putc(out, '"');
	} else {
		buf_puts(out, name);
	}
	if (name[0] != '\0')
		buf_printf(out, " <%s>", addr);
	buf_puts(out, "\r\n");
}

static void
mail_put_date(struct buf *out, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    day_names[tm.tm_wday], tm.tm_mday, month_names[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* ------------------------------------------------------------ bodies */

/* Appends text as quoted-printable with CRLF line ends: LF and CRLF in
 * text are line breaks, white space before a break is encoded, lines are
 * broken softly before 76 characters. */
static void
mail_put_qp(struct buf *out, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t col = 0;

	while (*p != '\0') {
		char tok[3];
		size_t n;

		if (*p == '\n' || (p[0] == '\r' && p[1] == '\n')) {
			buf_puts(out, "\r\n");
			col = 0;
			p += *p == '\r' ? 2 : 1;
			continue;
		}
		int at_end = p[1] == '\0' || p[1] == '\n' ||
		    (p[1] == '\r' && p[2] == '\n');

		if ((*p >= 33 && *p <= 126 && *p != '=') ||
		    ((*p == ' ' || *p == '\t') && !at_end)) {
			tok[0] = (char)*p;
			n = 1;
		} else {
			tok[0] = '=';
			tok[1] = hex_digits[*p >> 4];
			tok[2] = hex_digits[*p & 15];
			n = 3;
		}
		if (col + n > QP_LINE_MAX) {
			buf_puts(out, "=\r\n");
			col = 0;
		}
		buf_append(out, tok, n);
		col += n;
		p++;
	}
}

static void
mail_put_part(struct buf *out, const char *type, const char *body)
{
	buf_printf(out, "\r\n--" BOUNDARY "\r\n"
	    "Content-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", type);
	mail_put_qp(out, body);
}

int
mail_build(const struct mail_message *m, struct buf *out, char *err,
    size_t errlen)
{
	char name[MAIL_ADDRESS_MAX + 1], addr[MAIL_ADDRESS_MAX + 1];

	if (mail_check_value("From", m->from, err, errlen) != 0 ||
	    mail_check_address("To", m->to, err, errlen) != 0 ||
	    mail_check_value("Subject", m->subject, err, errlen) != 0 ||
	    mail_check_value("Message-ID", m->message_id, err, errlen) != 0 ||
	    (m->unsubscribe != NULL && mail_check_value("List-Unsubscribe",
	    m->unsubscribe, err, errlen) != 0))
		return -1;
	if (m->unsubscribe != NULL && (strncmp(m->unsubscribe, "http", 4) != 0 ||
	    strpbrk(m->unsubscribe, " <>") != NULL)) {
		snprintf(err, errlen, "List-Unsubscribe: \"%.80s\" is not a URL",
		    m->unsubscribe);
		return -1;
	}
	if (m->calendar != NULL && (m->calendar_name == NULL ||
	    m->calendar_name[strspn(m->calendar_name,
	    "abcdefghijklmnopqrstuvwxyz0123456789-.")] != '\0')) {
		snprintf(err, errlen, "the calendar's file name is not a plain "
		    "name");
		return -1;
	}
	if (mail_split_from(m->from, name, addr) != 0) {
		snprintf(err, errlen, "From: \"%.80s\" is not an address",
		    m->from);
		return -1;
	}
	if (mail_check_address("From", addr, err, errlen) != 0)
		return -1;
	if (strchr(m->message_id, '@') == NULL ||
	    strpbrk(m->message_id, " <>") != NULL) {
		snprintf(err, errlen, "Message-ID: \"%.80s\" is not an id",
		    m->message_id);
		return -1;
	}
	mail_put_date(out, m->date);
	mail_put_from(out, name, addr);
	buf_printf(out, "To: %s\r\n", m->to);
	buf_puts(out, "Subject: ");
	if (mail_plain_ok(m->subject, 7))
		buf_puts(out, m->subject);
	else
		mail_put_words(out, m->subject);
	buf_printf(out, "\r\nMessage-ID: <%s>\r\n", m->message_id);
	/* RFC 8058: a mail client's one-click unsubscribe POSTs to the URL. */
	if (m->unsubscribe != NULL)
		buf_printf(out, "List-Unsubscribe: <%s>\r\n"
		    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
		    m->unsubscribe);
	buf_puts(out, "MIME-Version: 1.0\r\n"
	    "Auto-Submitted: auto-generated\r\n");
	/* An attachment wraps the two forms in a mixed part of its own. */
	if (m->calendar != NULL)
		buf_puts(out, "Content-Type: multipart/mixed; boundary=\""
		    MIXED_BOUNDARY "\"\r\n\r\n"
		    "This is a message with a calendar file attached.\r\n"
		    "\r\n--" MIXED_BOUNDARY "\r\n");
	buf_puts(out,
	    "Content-Type: multipart/alternative; boundary=\"" BOUNDARY "\"\r\n"
	    "\r\n"
	    "This is a message in two forms, plain text and HTML.\r\n");
	mail_put_part(out, "text/plain", m->text);
	mail_put_part(out, "text/html", m->html);
	buf_puts(out, "\r\n--" BOUNDARY "--\r\n");
	if (m->calendar != NULL) {
		buf_printf(out, "\r\n--" MIXED_BOUNDARY "\r\n"
		    "Content-Type: text/calendar; method=PUBLISH; "
		    "charset=UTF-8; name=\"%s\"\r\n"
		    "Content-Disposition: attachment; filename=\"%s\"\r\n"
		    "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
		    m->calendar_name, m->calendar_name);
		mail_put_qp(out, m->calendar);
		buf_puts(out, "\r\n--" MIXED_BOUNDARY "--\r\n");
	}
	return 0;
}

/* ------------------------------------------------------------ delivery */

int
mail_deliver(const struct config *cfg, const char *to,
    const struct buf *msg, unsigned long long id, char *err, size_t errlen)
{
	if (cfg->smtp_url != NULL)
		return mail_send_smtp(cfg, to, msg, err, errlen);
	if (cfg->mail_dir != NULL)
		return mail_write_eml(cfg->mail_dir, id, msg, err, errlen);
	snprintf(err, errlen, "no way to send mail: set TESSERA_SMTP_URL or "
	    "TESSERA_MAIL_DIR");
	return -1;
}

static int
mail_write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
mail_write_eml(const char *dir, unsigned long long id,
    const struct buf *msg, char *err, size_t errlen)
{
	char name[64], tmp[96];
	const char *step;
	time_t now = time(NULL);
	struct tm tm;
	int dfd, fd = -1, rc = -1;

	gmtime_r(&now, &tm);
	snprintf(name, sizeof(name), "%04d%02d%02dT%02d%02d%02dZ-%010llu.eml",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, id);
	/* Hidden and without the .eml suffix: no reader takes it for mail. */
	snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", name, (long)getpid());
	step = "open the directory";
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		goto out;
	/* Mails carry sign-in links: only the owner may read them. */
	step = "create";
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (fd == -1)
		goto out;
	step = "write";
	if (mail_write_all(fd, msg->data, msg->len) != 0)
		goto out;
	step = "fsync";
	if (fsync(fd) != 0)
		goto out;
	step = "close";
	if (close(fd) != 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	step = "rename";
	if (renameat(dfd, tmp, dfd, name) != 0)
		goto out;
	/* The rename itself must reach the disk too. */
	step = "fsync the directory";
	if (fsync(dfd) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		snprintf(err, errlen, "%s/%s: cannot %s: %s", dir, name, step,
		    strerror(errno));
	if (fd != -1)
		close(fd);
	if (rc != 0 && dfd != -1)
		unlinkat(dfd, tmp, 0);
	if (dfd != -1)
		close(dfd);
	return rc;
}

struct mail_upload {
	const char *data;
	size_t left;
};

/* curl's read callback: the next piece of the message. */
static size_t
mail_upload_read(char *ptr, size_t size, size_t nmemb, void *userp)
{
	struct mail_upload *u = userp;
	size_t n = size * nmemb < u->left ? size * nmemb : u->left;

	memcpy(ptr, u->data, n);
	u->data += n;
	u->left -= n;
	return n;
}

int
mail_send_smtp(const struct config *cfg, const char *to,
    const struct buf *msg, char *err, size_t errlen)
{
	char from[MAIL_ADDRESS_MAX + 1], path[MAIL_ADDRESS_MAX + 3];
	char cerr[CURL_ERROR_SIZE] = "";
	struct mail_upload up = { msg->data, msg->len };
	struct curl_slist *rcpt = NULL;
	CURLcode cc;
	CURL *c;

	/* Both go into SMTP commands: a CR or LF there would add one. */
	if (mail_from_address(cfg->mail_from, from, sizeof(from)) != 0) {
		snprintf(err, errlen, "TESSERA_MAIL_FROM: no plain address in "
		    "\"%.80s\"", cfg->mail_from);
		return -1;
	}
	if (mail_check_address("To", to, err, errlen) != 0)
		return -1;
	if ((c = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "smtp: curl_easy_init failed");
		return -1;
	}
	snprintf(path, sizeof(path), "<%s>", to);
	rcpt = curl_slist_append(NULL, path);
	snprintf(path, sizeof(path), "<%s>", from);
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, CURLPROTO_SMTP | CURLPROTO_SMTPS);
#endif
	/* smtp:// must upgrade with STARTTLS or fail; never plain text. */
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	/* A relay with a certificate of a private CA (a company's, or a
	 * test's) is still verified, against that CA. */
	if (cfg->smtp_ca != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, cfg->smtp_ca);
	if (cfg->smtp_user != NULL) {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD,
		    cfg->smtp_password != NULL ? cfg->smtp_password : "");
	}
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, path);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, mail_upload_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg->len);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, SMTP_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, SMTP_TIMEOUT_MS);
	/* No SIGALRM for name lookups: the timeouts hold without signals. */
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	cc = curl_easy_perform(c);
	if (cc != CURLE_OK)
		snprintf(err, errlen, "smtp: %s", cerr[0] != '\0' ? cerr :
		    curl_easy_strerror(cc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return cc == CURLE_OK ? 0 : -1;
}
