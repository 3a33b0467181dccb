/*
 * Mail for tessera-worker: rendering a mail from its templates, building
 * the MIME message, and handing it over, to an SMTP relay (libcurl) or,
 * without one, as an .eml file in a directory for a person to open.
 *
 * A mail NAME is three templates in templates/mail: NAME.subject (one
 * line), NAME.txt (the text/plain part) and NAME.html (the text/html part,
 * usually extending mail_layout). The message is multipart/alternative,
 * UTF-8, both parts quoted-printable, with an RFC 2047 Subject when it is
 * not plain ASCII; with a calendar to attach, that goes into a
 * multipart/mixed with the .ics after it (text/calendar, METHOD PUBLISH). Header values never carry CR or LF: a value with one is
 * refused, so no input can add a header or a recipient.
 */
#ifndef TESSERA_MAIL_H
#define TESSERA_MAIL_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

struct config;
struct json_object;
struct tmpl_set;

/* Longest address accepted (RFC 5321's path limit less the brackets). */
#define MAIL_ADDRESS_MAX 254

/* A rendered mail; the owner frees it with mail_content_free(). */
struct mail_content {
	struct buf subject;
	struct buf text;
	struct buf html;
};

/* What mail_build() needs; every string is borrowed. */
struct mail_message {
	const char *from;        /* "Display Name <addr>" or a bare addr */
	const char *to;          /* one bare address */
	const char *subject;     /* UTF-8, one line */
	const char *text;        /* UTF-8, lines end in LF or CRLF */
	const char *html;        /* UTF-8 */
	const char *message_id;  /* unique, without the angle brackets */
	time_t date;
	const char *unsubscribe; /* the one-click http(s) URL, or NULL */
	const char *calendar;    /* an iCalendar file to attach, or NULL */
	const char *calendar_name; /* its file name: "event-12.ics" */
};

/* curl's global set-up, once per process before any other thread runs.
 * Returns 0 or -1. */
int mail_init(void);
void mail_cleanup(void);

/* Compiles every template of dir into a new set (the caller frees it with
 * tmpl_set_free()). Returns NULL with the reason in err. */
struct tmpl_set *mail_templates_load(const char *dir, char *err,
    size_t errlen);

void mail_content_init(struct mail_content *c);
void mail_content_free(struct mail_content *c);

/*
 * Renders mail name with vars (a JSON object, borrowed; NULL for none)
 * plus site_name and base_url from cfg into c, which must be initialised.
 * The subject is trimmed to its one line. Returns 0, or -1 with the reason
 * in err (no such mail, a template that fails to render, vars not an
 * object).
 */
int mail_render(const struct tmpl_set *set, const struct config *cfg,
    const char *name, struct json_object *vars, struct mail_content *c,
    char *err, size_t errlen);

/* Copies the address of from ("Name <addr>" or addr) into addr. Returns
 * 0, or -1 when from holds no single plain address. */
int mail_from_address(const char *from, char *addr, size_t len);

/*
 * Appends the whole message, headers and body, CRLF line ends, to out.
 * Returns 0, or -1 with the reason in err, out then unspecified: a CR or
 * LF (or another control character) in from, to, subject or the
 * message id, or a from or to that is not one plain address.
 */
int mail_build(const struct mail_message *m, struct buf *out, char *err,
    size_t errlen);

/*
 * Hands the built message msg for to over: by SMTP through cfg->smtp_url
 * when set, else as an .eml file in cfg->mail_dir (see mail_write_eml();
 * id names it). Returns 0, or -1 with the reason in err; nothing was
 * delivered then, as far as this side can tell.
 */
int mail_deliver(const struct config *cfg, const char *to,
    const struct buf *msg, unsigned long long id, char *err, size_t errlen);

/*
 * Writes msg atomically as dir/TIME-ID.eml (TIME the UTC time as
 * YYYYMMDDThhmmssZ, ID zero-padded, so names sort by time, then id): a
 * hidden temporary file, fsync, rename, fsync of the directory. A reader
 * never sees a partial file. Returns 0, or -1 with the reason in err.
 */
int mail_write_eml(const char *dir, unsigned long long id,
    const struct buf *msg, char *err, size_t errlen);

/*
 * Sends msg from the address of cfg->mail_from to to through
 * cfg->smtp_url (smtp:// must upgrade with STARTTLS, smtps:// is TLS from
 * the start; plain text is refused), logging in when cfg->smtp_user is
 * set. Returns 0 once the relay accepted the message, or -1 with curl's
 * reason in err.
 */
int mail_send_smtp(const struct config *cfg, const char *to,
    const struct buf *msg, char *err, size_t errlen);

#endif
