/*
 * multipart/form-data request bodies (RFC 7578, framed as in RFC 2046
 * section 5.1): the forms that upload files. The body is read as it
 * arrives, in chunks of any size (a delimiter or a header may be split
 * across two at any byte), by a state machine that holds a few KiB
 * whatever the body's size: text fields go into the arena, files
 * straight to a temporary file each in the spool (http_spool.h). Parts
 * come back in body order, duplicates kept, every one checked: a handler
 * never sees raw headers. Where the body is cut into chunks never changes
 * the answer.
 *
 * What is accepted, on purpose narrower than the RFCs where browsers
 * never go and two parsers could disagree:
 * - A delimiter is CRLF "--" boundary followed by CRLF (a part follows)
 *   or "--" (the close delimiter). The boundary as the prefix of any
 *   other line is refused, not taken as data, and so is transport padding
 *   after it. Lines end in CRLF; a bare LF or CR is refused.
 * - A preamble before the first delimiter is ignored. After the close
 *   delimiter only the end of the body, or CRLF and an epilogue that does
 *   not contain the delimiter again, may follow; the epilogue is ignored.
 * - A part's headers: Content-Disposition (required: form-data, a
 *   non-empty name, optionally a filename), Content-Type (default
 *   text/plain) and Content-Transfer-Encoding (only binary, 8bit, 7bit).
 *   Each at most once. Other headers are ignored (RFC 7578 4.8) but must
 *   be well-formed; folded lines are refused.
 * - Names and filenames are quoted strings as the HTML standard writes
 *   them: a backslash is an ordinary byte (no quoted-pair), and '"', CR
 *   and LF arrive as %22, %0D and %0A. %22 is decoded back to '"'; %0D
 *   and %0A decode to control characters, which are refused. Any other
 *   '%' is literal, since browsers do not escape '%' itself (so a name
 *   typed with a literal "%22" reads as '"': the browsers' ambiguity).
 *   Unquoted, they are tokens.
 * - filename* (RFC 8187 ext-value, as curl and some libraries send it)
 *   is accepted unquoted: UTF-8'language'value with %XX escapes, every
 *   other byte an attr-char; it wins over filename when both are there.
 *   Another charset, a bad escape or a byte it should have escaped is
 *   malformed. Each parameter at most once.
 * - A part with a filename parameter is a file, even with filename=""
 *   (a file input left empty). Its filename is a display hint only:
 *   valid UTF-8 without control characters (C0, DEL, C1), cut after the
 *   last '/' or '\', and "." or ".." become "". Never use it as a path.
 * - Every other part is a text field: its value must be valid UTF-8
 *   without NUL, like urlencoded form fields (http_params.h).
 *
 * A refused body leaves nothing in the spool, whenever it is refused:
 * on its framing, a limit, a part, the body cut short, or the client
 * gone (multipart_parser_abort).
 */
#ifndef TESSERA_HTTP_MULTIPART_H
#define TESSERA_HTTP_MULTIPART_H

#include <stddef.h>

struct arena;

/* All strings are arena-owned. */
struct multipart_part {
	const char *name;	  /* non-empty UTF-8, NUL-terminated */
	const char *filename;	  /* NULL for a text field; may be "" */
	const char *content_type; /* as sent, trimmed, or "text/plain" */
	/* Text fields: a NUL-terminated arena copy of len bytes, path NULL.
	 * Files: data NULL, path the absolute name of a temporary file in
	 * the spool (http_spool.h) holding the part's len bytes, binary. The
	 * request unlinks it when it ends; a handler keeps it only by
	 * rename(2) elsewhere. */
	const char *data;
	const char *path;
	size_t len;
};

struct multipart {
	struct multipart_part *parts; /* arena-owned, NULL when count is 0 */
	size_t count;
	const char *reason;	      /* static, for logs: "ok" or the cause */
};

/*
 * A zero limit allows nothing, so start from multipart_default_limits and
 * change what differs.
 */
struct multipart_limits {
	size_t max_parts;	 /* files and text fields together */
	size_t max_header_bytes; /* one part's header lines with their CRLFs,
				  * not counting the empty line after them */
	size_t max_name_len;	 /* field name in bytes, after %22 decoding */
	size_t max_field_len;	 /* a text field's value */
	size_t max_file_len;	 /* one file's bytes */
	size_t max_body_len;	 /* the whole body: the route's body_max */
};

/* 64 parts, 2 KiB of headers per part, 64-byte names, 16 KiB text fields,
 * 16 MiB files, 20 MiB bodies. */
extern const struct multipart_limits multipart_default_limits;

enum multipart_status {
	MULTIPART_OK,
	MULTIPART_MALFORMED,	/* bad framing, headers, names or text, or
				 * the body cut short; a name over
				 * max_name_len: 400 */
	MULTIPART_TOO_MANY,	/* more than max_parts: 413 */
	MULTIPART_TOO_LARGE,	/* headers, a text field, a file or the
				 * body over a limit: 413 */
	MULTIPART_UNSUPPORTED,	/* not multipart/form-data at all: 415 */
	MULTIPART_IO_ERROR,	/* a file could not be spooled: 500 */
};

/*
 * The parser of one body, arena-allocated. content_type is the request's
 * Content-Type header value (NULL when absent); limits NULL means
 * multipart_default_limits; file parts are spooled under media_dir (NULL:
 * a file part is MULTIPART_IO_ERROR). Every parser is ended by exactly
 * one call of multipart_parser_finish or multipart_parser_abort.
 *
 * The checks and their order are the same whatever the chunks: framing
 * and the count of parts are checked to the end of the body (a body
 * with too many parts is refused as such, however bad a part before),
 * and otherwise the first bad part decides the status.
 */
struct multipart_parser;
struct multipart_parser *multipart_parser_new(struct arena *a,
    const char *content_type, const struct multipart_limits *limits,
    const char *media_dir);
/* The next len bytes of the body (chunk may be NULL if len is 0). Returns
 * MULTIPART_OK while the body may still be good, else the refusal, which
 * is then final: the rest of the body need not be read (finish says the
 * same). */
enum multipart_status multipart_parser_feed(struct multipart_parser *p,
    const void *chunk, size_t len);
/*
 * The body has ended. Returns MULTIPART_OK with out filled (parts
 * arena-owned, NULL when count is 0; their files in the spool, which the
 * caller unlinks when the request ends), or another status with out
 * empty and no file left: nothing half-parsed reaches a handler.
 * out->reason is always a static string, "ok" or the cause.
 */
enum multipart_status multipart_parser_finish(struct multipart_parser *p,
    struct multipart *out);
/* The body will not end (the client went away): unlinks every file. */
void multipart_parser_abort(struct multipart_parser *p);

/* A whole body at once: new, one feed, finish. body may be NULL if len
 * is 0. */
enum multipart_status multipart_parse(struct arena *a,
    const char *content_type, const char *body, size_t len,
    const struct multipart_limits *limits, const char *media_dir,
    struct multipart *out);
int multipart_http_status(enum multipart_status st);
const char *multipart_field(const struct multipart_part *parts, size_t n,
    const char *name);
const struct multipart_part *multipart_file(const struct multipart_part *parts,
    size_t n, const char *name);

#endif
