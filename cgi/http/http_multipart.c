#include "http_multipart.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "http_spool.h"
#include "http_url.h"
#include "log.h"
#include "util.h"

/* RFC 2046 5.1.1: 1 to 70 characters. */
#define MP_BOUNDARY_MAX 70

const struct multipart_limits multipart_default_limits = {
	.max_parts = 64,
	.max_header_bytes = 2048,
	.max_name_len = 64,
	.max_field_len = 16 * 1024,
	.max_file_len = 16 * 1024 * 1024,
	.max_body_len = 20 * 1024 * 1024,
};

/* The part headers RFC 7578 gives a meaning; any other is ignored. */
enum mp_header {
	MP_DISPOSITION,
	MP_TYPE,
	MP_ENCODING,
	MP__MAX
};

static const char *const mp_header_names[MP__MAX] = {
	/* MP_DISPOSITION */ "Content-Disposition",
	/* MP_TYPE */ "Content-Type",
	/* MP_ENCODING */ "Content-Transfer-Encoding",
};

/* Content-Transfer-Encoding values that leave the bytes as they are. */
static const char *const mp_identity_encodings[] = {
	"binary", "8bit", "7bit",
};

/* Content-Disposition parameters we read; any other is ignored. */
enum mp_param {
	MP_PARAM_NAME,
	MP_PARAM_FILENAME,
	MP_PARAM_FILENAME_EXT,
	MP_PARAM__MAX
};

static const char *const mp_params[MP_PARAM__MAX] = {
	/* MP_PARAM_NAME */ "name",
	/* MP_PARAM_FILENAME */ "filename",
	/* MP_PARAM_FILENAME_EXT */ "filename*",
};

/* The parse in progress: where the arena and limits are, and why it
 * failed. */
struct mp_ctx {
	struct arena *a;
	const struct multipart_limits *lim;
	const char *reason;
};

/* CRLF "--" boundary, from the request's Content-Type. */
struct mp_delim {
	char delim[4 + MP_BOUNDARY_MAX];
	size_t dlen;
};

/* A byte span of the header being read. */
struct mp_span {
	const char *s;
	size_t len;
};

static enum multipart_status
mp_fail(struct mp_ctx *c, enum multipart_status st, const char *why)
{
	c->reason = why;
	return st;
}

/* RFC 7230 tchar. */
static int
mp_tchar(unsigned char ch)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9'))
		return 1;
	return ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL;
}

/* RFC 2046 bcharsnospace. */
static int
mp_bchar(unsigned char ch)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9'))
		return 1;
	return ch != '\0' && strchr("'()+_,-./:=?", ch) != NULL;
}

static int
mp_ows(unsigned char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Case-insensitive match of s[0..len) with the whole of word. */
static int
mp_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

/*
 * Reads the boundary from a request Content-Type header value into sc's
 * delimiter. A type other than multipart/form-data is UNSUPPORTED; that
 * type with a missing, repeated or invalid boundary, or with garbled
 * parameters, is MALFORMED. Parameters other than boundary are skipped.
 */
static enum multipart_status
mp_boundary(struct mp_ctx *c, const char *ct, struct mp_delim *sc)
{
	static const char type[] = "multipart/form-data";
	const char *p = ct, *name, *v, *q;
	size_t nlen, vlen;
	int is_boundary, found = 0;

	if (p == NULL)
		return mp_fail(c, MULTIPART_UNSUPPORTED, "no Content-Type");
	while (mp_ows(*p))
		p++;
	if (strncasecmp(p, type, sizeof(type) - 1) != 0 ||
	    (p[sizeof(type) - 1] != '\0' && p[sizeof(type) - 1] != ';' &&
	    !mp_ows(p[sizeof(type) - 1])))
		return mp_fail(c, MULTIPART_UNSUPPORTED,
		    "Content-Type is not multipart/form-data");
	p += sizeof(type) - 1;
	for (;;) {
		while (mp_ows(*p))
			p++;
		if (*p == '\0')
			break;
		if (*p++ != ';')
			return mp_fail(c, MULTIPART_MALFORMED,
			    "garbled Content-Type parameters");
		while (mp_ows(*p))
			p++;
		for (name = p; mp_tchar(*p); p++)
			;
		nlen = (size_t)(p - name);
		if (nlen == 0 || *p++ != '=')
			return mp_fail(c, MULTIPART_MALFORMED,
			    "garbled Content-Type parameter");
		is_boundary = mp_is(name, nlen, "boundary");
		if (*p == '"') {
			for (v = q = ++p; *q != '"'; q++) {
				if (*q == '\\')
					q++;
				if (*q == '\0' || ((unsigned char)*q < ' ' &&
				    *q != '\t') || *q == 0x7F)
					return mp_fail(c, MULTIPART_MALFORMED,
					    "garbled Content-Type quoted string");
			}
			vlen = (size_t)(q - v);
			p = q + 1;
		} else {
			for (v = p; is_boundary ? mp_bchar(*p) : mp_tchar(*p);
			    p++)
				;
			if ((vlen = (size_t)(p - v)) == 0)
				return mp_fail(c, MULTIPART_MALFORMED,
				    "empty Content-Type parameter");
		}
		if (!is_boundary)
			continue;
		if (found++)
			return mp_fail(c, MULTIPART_MALFORMED,
			    "two boundary parameters");
		if (vlen == 0 || vlen > MP_BOUNDARY_MAX || v[vlen - 1] == ' ')
			return mp_fail(c, MULTIPART_MALFORMED,
			    "boundary is empty, too long or ends in a space");
		for (size_t i = 0; i < vlen; i++)
			if (!mp_bchar(v[i]) && v[i] != ' ')
				return mp_fail(c, MULTIPART_MALFORMED,
				    "boundary has a character RFC 2046 "
				    "does not allow");
		memcpy(sc->delim, "\r\n--", 4);
		memcpy(sc->delim + 4, v, vlen);
		sc->dlen = 4 + vlen;
	}
	if (!found)
		return mp_fail(c, MULTIPART_MALFORMED, "no boundary parameter");
	return MULTIPART_OK;
}

/* 1 if s[0..len) has a C0 control, DEL or (as UTF-8) a C1 control. */
static int
mp_has_control(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7F)
			return 1;
		if (ch == 0xC2 && i + 1 < len &&
		    (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9F)
			return 1;
	}
	return 0;
}

/*
 * Returns an arena-owned, NUL-terminated copy of a name or filename with
 * the browsers' escapes %22, %0D and %0A (hex in either case) decoded, and
 * sets *out_len. Other '%' bytes are copied as they are.
 */
static char *
mp_unescape(struct arena *a, const char *s, size_t len, size_t *out_len)
{
	char *buf = arena_alloc(a, len + 1);
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && len - i >= 3) {
			if (s[i + 1] == '2' && s[i + 2] == '2') {
				buf[n++] = '"';
				i += 2;
				continue;
			}
			if (s[i + 1] == '0' && (s[i + 2] == 'D' ||
			    s[i + 2] == 'd')) {
				buf[n++] = '\r';
				i += 2;
				continue;
			}
			if (s[i + 1] == '0' && (s[i + 2] == 'A' ||
			    s[i + 2] == 'a')) {
				buf[n++] = '\n';
				i += 2;
				continue;
			}
		}
		buf[n++] = s[i];
	}
	buf[n] = '\0';
	*out_len = n;
	return buf;
}

/* RFC 8187 attr-char: the bytes an ext-value carries as they are. */
static int
mp_attr_char(unsigned char ch)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9'))
		return 1;
	return ch != '\0' && strchr("!#$&+-.^_`|~", ch) != NULL;
}

/*
 * Decodes a filename* value, an RFC 8187 ext-value: charset "'" language
 * "'" value-chars. The charset must be UTF-8 (any case); the language
 * (letters, digits, '-') is ignored; in the value, %XX (two hex digits)
 * stands for a byte and every other byte must be an attr-char. Returns
 * the decoded bytes (arena-owned, NUL-terminated) with *out_len, or NULL
 * with the reason set. What it decodes to is checked as a filename.
 */
static char *
mp_ext_value(struct mp_ctx *c, const struct mp_span *v, size_t *out_len)
{
	static const char charset[] = "UTF-8'";
	const char *p = v->s, *end = v->s + v->len;
	char *buf, *o;
	int hi, lo;

	if (v->len < sizeof(charset) - 1 ||
	    strncasecmp(p, charset, sizeof(charset) - 1) != 0) {
		c->reason = "filename* is not in UTF-8";
		return NULL;
	}
	p += sizeof(charset) - 1;
	while (p < end && ((*p >= 'a' && *p <= 'z') ||
	    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'))
		p++;
	if (p == end || *p++ != '\'') {
		c->reason = "garbled filename* language";
		return NULL;
	}
	o = buf = arena_alloc(c->a, (size_t)(end - p) + 1);
	while (p < end) {
		if (*p == '%') {
			if (end - p < 3 || (hi = hex_digit(p[1])) < 0 ||
			    (lo = hex_digit(p[2])) < 0) {
				c->reason = "bad percent-encoding in filename*";
				return NULL;
			}
			*o++ = (char)(hi << 4 | lo);
			p += 3;
			continue;
		}
		if (!mp_attr_char((unsigned char)*p)) {
			c->reason = "a byte filename* must percent-encode";
			return NULL;
		}
		*o++ = *p++;
	}
	*o = '\0';
	*out_len = (size_t)(o - buf);
	return buf;
}

/*
 * Parses a Content-Disposition value: form-data, then parameters, each a
 * token or a quoted string (filename* a token only). Sets the spans of
 * name, filename and filename* (s NULL when absent). Returns MULTIPART_OK
 * or MULTIPART_MALFORMED.
 */
static enum multipart_status
mp_disposition(struct mp_ctx *c, const char *p, const char *end,
    struct mp_span *name, struct mp_span *filename, struct mp_span *ext)
{
	struct mp_span seen[MP_PARAM__MAX];
	const char *pn, *v;
	size_t pnlen, vlen;
	int k, quoted;

	memset(seen, 0, sizeof(seen));
	for (pn = p; p < end && mp_tchar(*p); p++)
		;
	if (!mp_is(pn, (size_t)(p - pn), "form-data"))
		return mp_fail(c, MULTIPART_MALFORMED,
		    "Content-Disposition is not form-data");
	for (;;) {
		while (p < end && mp_ows(*p))
			p++;
		if (p == end)
			break;
		if (*p++ != ';')
			return mp_fail(c, MULTIPART_MALFORMED,
			    "garbled Content-Disposition");
		while (p < end && mp_ows(*p))
			p++;
		for (pn = p; p < end && mp_tchar(*p); p++)
			;
		pnlen = (size_t)(p - pn);
		if (pnlen == 0 || p == end || *p++ != '=')
			return mp_fail(c, MULTIPART_MALFORMED,
			    "garbled Content-Disposition parameter");
		if ((quoted = p < end && *p == '"')) {
			v = ++p;
			if ((p = memchr(p, '"', (size_t)(end - p))) == NULL)
				return mp_fail(c, MULTIPART_MALFORMED,
				    "unterminated quoted string in "
				    "Content-Disposition");
			vlen = (size_t)(p++ - v);
		} else {
			for (v = p; p < end && mp_tchar(*p); p++)
				;
			if ((vlen = (size_t)(p - v)) == 0)
				return mp_fail(c, MULTIPART_MALFORMED,
				    "empty Content-Disposition parameter");
		}
		for (k = 0; k < MP_PARAM__MAX; k++)
			if (mp_is(pn, pnlen, mp_params[k]))
				break;
		if (k == MP_PARAM__MAX)
			continue;
		if (k == MP_PARAM_FILENAME_EXT && quoted)
			return mp_fail(c, MULTIPART_MALFORMED,
			    "filename* is quoted");
		if (seen[k].s != NULL)
			return mp_fail(c, MULTIPART_MALFORMED,
			    "repeated Content-Disposition parameter");
		seen[k].s = v;
		seen[k].len = vlen;
	}
	*name = seen[MP_PARAM_NAME];
	*filename = seen[MP_PARAM_FILENAME];
	*ext = seen[MP_PARAM_FILENAME_EXT];
	if (name->s == NULL || name->len == 0)
		return mp_fail(c, MULTIPART_MALFORMED, "a part without name");
	return MULTIPART_OK;
}

/* Fills part's name and filename from the Content-Disposition spans;
 * filename* wins over filename. */
static enum multipart_status
mp_names(struct mp_ctx *c, const struct mp_span *name,
    const struct mp_span *filename, const struct mp_span *ext,
    struct multipart_part *part)
{
	const char *base;
	char *s;
	size_t n;

	s = mp_unescape(c->a, name->s, name->len, &n);
	if (n > c->lim->max_name_len)
		return mp_fail(c, MULTIPART_MALFORMED, "field name too long");
	if (!url_utf8_valid(s, n) || mp_has_control(s, n))
		return mp_fail(c, MULTIPART_MALFORMED,
		    "field name is not UTF-8 without controls");
	part->name = s;
	if (ext->s != NULL) {
		if ((s = mp_ext_value(c, ext, &n)) == NULL)
			return MULTIPART_MALFORMED;
	} else if (filename->s != NULL) {
		s = mp_unescape(c->a, filename->s, filename->len, &n);
	} else {
		return MULTIPART_OK;
	}
	if (!url_utf8_valid(s, n) || mp_has_control(s, n))
		return mp_fail(c, MULTIPART_MALFORMED,
		    "filename is not UTF-8 without controls");
	for (base = s + n; base > s && base[-1] != '/' && base[-1] != '\\';
	    base--)
		;
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		base = "";
	part->filename = base;
	return MULTIPART_OK;
}

/* Checks a part's Content-Type: type "/" subtype, then nothing or ';'
 * and parameters (not parsed). Keeps the value as sent. */
static enum multipart_status
mp_content_type(struct mp_ctx *c, const struct mp_span *v,
    struct multipart_part *part)
{
	const char *p = v->s, *end = v->s + v->len, *t;

	for (t = p; p < end && mp_tchar(*p); p++)
		;
	if (p == t || p == end || *p++ != '/')
		return mp_fail(c, MULTIPART_MALFORMED, "garbled part Content-Type");
	for (t = p; p < end && mp_tchar(*p); p++)
		;
	if (p == t)
		return mp_fail(c, MULTIPART_MALFORMED, "garbled part Content-Type");
	while (p < end && mp_ows(*p))
		p++;
	if (p < end && *p != ';')
		return mp_fail(c, MULTIPART_MALFORMED, "garbled part Content-Type");
	part->content_type = arena_strndup(c->a, v->s, v->len);
	return MULTIPART_OK;
}

/*
 * Reads the header lines of a part from the avail bytes at p (its first
 * bytes; more: the part goes on past them), up to the empty line, into
 * hv (values trimmed of whitespace; s NULL for absent headers). Sets
 * *data_off to the offset of the first byte after the empty line.
 */
static enum multipart_status
mp_headers(struct mp_ctx *c, const char *p, size_t avail, int more,
    struct mp_span hv[MP__MAX], size_t *data_off)
{
	const char *start = p, *end = p + avail, *hend, *nl, *colon, *v, *ve;
	size_t k;

	/* Nothing past the limit (plus the empty line) is looked at. */
	hend = avail > 2 && avail - 2 > c->lim->max_header_bytes ?
	    p + c->lim->max_header_bytes + 2 : end;
	memset(hv, 0, sizeof(*hv) * MP__MAX);
	for (;;) {
		if (hend - p >= 2 && p[0] == '\r' && p[1] == '\n')
			break;
		if ((nl = memchr(p, '\n', (size_t)(hend - p))) == NULL)
			return hend < end || more ?
			    mp_fail(c, MULTIPART_TOO_LARGE,
			    "part headers over the limit") :
			    mp_fail(c, MULTIPART_MALFORMED,
			    "part headers do not end with an empty line");
		if (nl == p || nl[-1] != '\r')
			return mp_fail(c, MULTIPART_MALFORMED,
			    "part header line does not end in CRLF");
		ve = nl - 1;
		if (mp_ows(*p))
			return mp_fail(c, MULTIPART_MALFORMED,
			    "folded part header line");
		for (v = p; v < ve; v++)
			if (((unsigned char)*v < 0x20 && *v != '\t') ||
			    *v == 0x7F)
				return mp_fail(c, MULTIPART_MALFORMED,
				    "control character in a part header");
		for (colon = p; colon < ve && mp_tchar(*colon); colon++)
			;
		if (colon == p || colon == ve || *colon != ':')
			return mp_fail(c, MULTIPART_MALFORMED,
			    "garbled part header line");
		for (v = colon + 1; v < ve && mp_ows(*v); v++)
			;
		while (ve > v && mp_ows(ve[-1]))
			ve--;
		for (k = 0; k < MP__MAX; k++)
			if (mp_is(p, (size_t)(colon - p), mp_header_names[k]))
				break;
		if (k < MP__MAX) {
			if (hv[k].s != NULL)
				return mp_fail(c, MULTIPART_MALFORMED,
				    "repeated part header");
			hv[k].s = v;
			hv[k].len = (size_t)(ve - v);
		}
		p = nl + 1;
	}
	*data_off = (size_t)(p + 2 - start);
	return MULTIPART_OK;
}

/*
 * Reads a part's headers from the avail bytes at p (more: as in
 * mp_headers) into part: name, filename, type, every header checked.
 * Sets *data_off to where its data starts among those bytes.
 */
static enum multipart_status
mp_part_head(struct mp_ctx *c, const char *p, size_t avail, int more,
    struct multipart_part *part, size_t *data_off)
{
	struct mp_span hv[MP__MAX], name, filename, ext;
	enum multipart_status st;
	size_t k;

	if ((st = mp_headers(c, p, avail, more, hv, data_off)) != MULTIPART_OK)
		return st;
	if (hv[MP_DISPOSITION].s == NULL)
		return mp_fail(c, MULTIPART_MALFORMED,
		    "a part without Content-Disposition");
	if ((st = mp_disposition(c, hv[MP_DISPOSITION].s,
	    hv[MP_DISPOSITION].s + hv[MP_DISPOSITION].len, &name,
	    &filename, &ext)) != MULTIPART_OK)
		return st;
	if (hv[MP_ENCODING].s != NULL) {
		for (k = 0; k < ARRAY_LEN(mp_identity_encodings); k++)
			if (mp_is(hv[MP_ENCODING].s, hv[MP_ENCODING].len,
			    mp_identity_encodings[k]))
				break;
		if (k == ARRAY_LEN(mp_identity_encodings))
			return mp_fail(c, MULTIPART_MALFORMED,
			    "unsupported Content-Transfer-Encoding");
	}
	part->content_type = "text/plain";
	if (hv[MP_TYPE].s != NULL &&
	    (st = mp_content_type(c, &hv[MP_TYPE], part)) != MULTIPART_OK)
		return st;
	return mp_names(c, &name, &filename, &ext, part);
}

/* The bytes of the body looked at together: at most MP_WINDOW, of which
 * only a possible start of the delimiter (fewer than its length) is kept
 * between two feeds. */
#define MP_WINDOW 8192

/* Where the reading of the body is (see the header comment). */
enum mp_state {
	MP_START,	  /* "--boundary" at the very start, or a preamble */
	MP_PREAMBLE,	  /* before the first CRLF "--boundary" */
	MP_BOUNDARY_END,  /* after a "--boundary": CRLF or "--" */
	MP_CLOSE_END,	  /* after the close delimiter: the end, or CRLF */
	MP_PART,	  /* a part's bytes, up to the next delimiter */
	MP_EPILOGUE,	  /* after the close delimiter and CRLF */
	MP_STOPPED,	  /* decided: the rest of the body is not read */
};

/* What the bytes of the current part are going into. */
enum mp_part_state {
	MP_PS_HEADERS,	  /* collected until the empty line is in view */
	MP_PS_TEXT,	  /* a text field's value, into p->text */
	MP_PS_FILE,	  /* a file's bytes, into its spool file */
	MP_PS_SKIP,	  /* not kept: the upload is already refused */
};

struct multipart_parser {
	struct mp_ctx c;
	const char *media_dir;	/* NULL: a file part cannot be kept */
	struct mp_delim d;
	enum mp_state state;
	/* A refusal decided for good (framing, too many parts, the total,
	 * a file that cannot be written): nothing more is read. */
	enum multipart_status final;
	const char *final_reason;
	/* The first refused part: the answer unless the framing or the
	 * count of parts, which are checked to the end, say otherwise. */
	enum multipart_status deferred;
	const char *deferred_reason;
	int ended;		/* finish or abort was called */

	char *win;		/* arena-owned, MP_WINDOW bytes */
	size_t wlen;
	size_t total;		/* body bytes fed */
	size_t started;		/* parts begun */
	size_t closed;		/* parts whose delimiter was found */

	enum mp_part_state ps;
	struct multipart_part cur;
	struct buf head;	/* the current part's header bytes */
	struct buf text;	/* the current text field's value */
	int fd;			/* the current file's spool file, or -1 */
	size_t flen;		/* bytes written to it */

	struct multipart_part *parts; /* arena-owned, the parts read */
	size_t nparts, cap;
};

/* Returns the first occurrence of the delimiter in [p, end), or NULL. The
 * delimiter has one CR, its first byte, so each candidate comparison stops
 * before the next CR: the search is linear. */
static const char *
mp_find(const struct mp_delim *d, const char *p, const char *end)
{
	const char *cr;

	while ((size_t)(end - p) >= d->dlen &&
	    (cr = memchr(p, '\r', (size_t)(end - p) - d->dlen + 1)) != NULL) {
		if (memcmp(cr, d->delim, d->dlen) == 0)
			return cr;
		p = cr + 1;
	}
	return NULL;
}

/* Unlinks every spool file the parser made; the upload will be refused. */
static void
mp_discard(struct multipart_parser *p)
{
	if (p->fd != -1) {
		close(p->fd);
		p->fd = -1;
	}
	if (p->cur.path != NULL) {
		unlink(p->cur.path);
		p->cur.path = NULL;
	}
	for (size_t i = 0; i < p->nparts; i++)
		if (p->parts[i].path != NULL)
			unlink(p->parts[i].path);
	p->nparts = 0;
}

/* Decides the refusal for good; the first decision stands. */
static void
mp_stop(struct multipart_parser *p, enum multipart_status st,
    const char *why)
{
	if (p->state == MP_STOPPED)
		return;
	p->state = MP_STOPPED;
	p->final = st;
	p->final_reason = why;
	mp_discard(p);
}

/* Refuses the current part; the framing is still read to the end. */
static void
mp_defer(struct multipart_parser *p, enum multipart_status st,
    const char *why)
{
	if (p->deferred == MULTIPART_OK) {
		p->deferred = st;
		p->deferred_reason = why;
	}
	p->ps = MP_PS_SKIP;
	mp_discard(p);
}

static void
mp_keep_part(struct multipart_parser *p)
{
	struct multipart_part *grown;

	if (p->nparts == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 8;
		grown = arena_calloc(p->c.a, p->cap, sizeof(*grown));
		if (p->nparts > 0)
			memcpy(grown, p->parts, p->nparts * sizeof(*grown));
		p->parts = grown;
	}
	p->parts[p->nparts++] = p->cur;
	p->cur.path = NULL;
}

static void
mp_part_begin(struct multipart_parser *p)
{
	size_t i = p->started++;

	memset(&p->cur, 0, sizeof(p->cur));
	buf_reset(&p->head);
	buf_reset(&p->text);
	p->flen = 0;
	/* A part past max_parts is only framing: at its delimiter the
	 * upload is refused as too many, before its bytes went anywhere. */
	p->ps = p->deferred != MULTIPART_OK || i >= p->c.lim->max_parts ?
	    MP_PS_SKIP : MP_PS_HEADERS;
}

static void mp_part_data(struct multipart_parser *p, const char *s, size_t n);

/*
 * The header bytes collected so far are enough: read them, and send what
 * followed the empty line on as data. more: the part has bytes past those
 * collected (the limit is reached).
 */
static void
mp_head_done(struct multipart_parser *p, int more)
{
	const char *head = p->head.data != NULL ? p->head.data : "";
	enum multipart_status st;
	size_t off;

	st = mp_part_head(&p->c, head, p->head.len, more, &p->cur, &off);
	if (st != MULTIPART_OK) {
		mp_defer(p, st, p->c.reason);
		return;
	}
	/* Whatever happens next, these headers are read. */
	p->ps = MP_PS_SKIP;
	if (p->cur.filename == NULL) {
		p->ps = MP_PS_TEXT;
	} else if (p->media_dir == NULL) {
		mp_stop(p, MULTIPART_IO_ERROR, "no media folder for files");
		return;
	} else if ((p->fd = spool_create(p->c.a, p->media_dir,
	    &p->cur.path)) == -1) {
		mp_stop(p, MULTIPART_IO_ERROR, "cannot create a spool file");
		return;
	} else {
		p->ps = MP_PS_FILE;
	}
	mp_part_data(p, head + off, p->head.len - off);
}

/* 1 if the empty line after the headers is among the bytes collected;
 * from is where the search may start (bytes before it were looked at). */
static int
mp_head_complete(const struct buf *h, size_t from)
{
	if (h->len >= 2 && h->data[0] == '\r' && h->data[1] == '\n')
		return 1;
	for (size_t i = from; i + 4 <= h->len; i++)
		if (memcmp(h->data + i, "\r\n\r\n", 4) == 0)
			return 1;
	return 0;
}

static void
mp_head_data(struct multipart_parser *p, const char *s, size_t n)
{
	size_t max = p->c.lim->max_header_bytes;
	/* What mp_headers looks at: the lines, and the empty line. */
	size_t cap = max > SIZE_MAX - 2 ? SIZE_MAX : max + 2;
	size_t old = p->head.len, take = n < cap - old ? n : cap - old;

	buf_append(&p->head, s, take);
	if (mp_head_complete(&p->head, old >= 3 ? old - 3 : 0))
		mp_head_done(p, 0);
	else if (take < n)
		mp_head_done(p, 1);
	else
		return;
	if (p->ps != MP_PS_SKIP && p->state != MP_STOPPED)
		mp_part_data(p, s + take, n - take);
}

static void
mp_file_data(struct multipart_parser *p, const char *s, size_t n)
{
	ssize_t w;

	if (n > p->c.lim->max_file_len - p->flen) {
		mp_defer(p, MULTIPART_TOO_LARGE, "file too large");
		return;
	}
	p->flen += n;
	while (n > 0) {
		if ((w = write(p->fd, s, n)) < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_err("%s: %s: %s", __func__, p->cur.path,
			    w < 0 ? strerror(errno) : "nothing written");
			mp_stop(p, MULTIPART_IO_ERROR,
			    "cannot write a spool file");
			return;
		}
		s += w;
		n -= (size_t)w;
	}
}

/* n bytes of the current part, in order. */
static void
mp_part_data(struct multipart_parser *p, const char *s, size_t n)
{
	if (n == 0)
		return;
	switch (p->ps) {
	case MP_PS_HEADERS:
		mp_head_data(p, s, n);
		break;
	case MP_PS_TEXT:
		if (n > p->c.lim->max_field_len - p->text.len)
			mp_defer(p, MULTIPART_TOO_LARGE, "text field too large");
		else
			buf_append(&p->text, s, n);
		break;
	case MP_PS_FILE:
		mp_file_data(p, s, n);
		break;
	case MP_PS_SKIP:
		break;
	}
}

/* The delimiter after the current part was found. */
static void
mp_part_end(struct multipart_parser *p)
{
	if (p->state == MP_STOPPED)
		return;
	if (++p->closed > p->c.lim->max_parts) {
		mp_stop(p, MULTIPART_TOO_MANY, "too many parts");
		return;
	}
	if (p->ps == MP_PS_HEADERS)
		mp_head_done(p, 0);
	if (p->state == MP_STOPPED)
		return;
	switch (p->ps) {
	case MP_PS_HEADERS:
	case MP_PS_SKIP:
		break;
	case MP_PS_TEXT:
		if (!url_utf8_valid(p->text.data ? p->text.data : "",
		    p->text.len)) {
			mp_defer(p, MULTIPART_MALFORMED,
			    "text field is not UTF-8 without NUL");
			break;
		}
		p->cur.data = arena_strndup(p->c.a, p->text.data ?
		    p->text.data : "", p->text.len);
		p->cur.len = p->text.len;
		mp_keep_part(p);
		break;
	case MP_PS_FILE:
		if (close(p->fd) != 0) {
			p->fd = -1;
			log_err("%s: %s: %s", __func__, p->cur.path,
			    strerror(errno));
			mp_stop(p, MULTIPART_IO_ERROR,
			    "cannot write a spool file");
			break;
		}
		p->fd = -1;
		p->cur.len = p->flen;
		mp_keep_part(p);
		break;
	}
	p->ps = MP_PS_SKIP;
}

/*
 * Reads what the window holds as far as it can be decided, and keeps the
 * rest (fewer bytes than the delimiter) for the next feed; at eof, the
 * body ends after the window.
 */
static void
mp_run(struct multipart_parser *p, int eof)
{
	const struct mp_delim *d = &p->d;
	const char *s, *end = p->win + p->wlen, *hit;
	size_t n, keep;

	s = p->win;
	for (;;) {
		n = (size_t)(end - s);
		switch (p->state) {
		case MP_START:
			keep = d->dlen - 2;
			if (n >= keep && memcmp(s, d->delim + 2, keep) == 0) {
				s += keep;
				p->state = MP_BOUNDARY_END;
				continue;
			}
			if (n >= keep || eof || memcmp(s, d->delim + 2, n) != 0) {
				p->state = MP_PREAMBLE;
				continue;
			}
			goto wait;
		case MP_PREAMBLE:
		case MP_PART:
		case MP_EPILOGUE:
			if ((hit = mp_find(d, s, end)) != NULL) {
				if (p->state == MP_EPILOGUE) {
					mp_stop(p, MULTIPART_MALFORMED,
					    "the boundary appears after the "
					    "close delimiter");
					continue;
				}
				if (p->state == MP_PART) {
					mp_part_data(p, s, (size_t)(hit - s));
					mp_part_end(p);
					if (p->state == MP_STOPPED)
						continue;
				}
				s = hit + d->dlen;
				p->state = MP_BOUNDARY_END;
				continue;
			}
			if (eof) {
				if (p->state == MP_PREAMBLE)
					mp_stop(p, MULTIPART_MALFORMED,
					    "no boundary in the body");
				else if (p->state == MP_PART)
					mp_stop(p, MULTIPART_MALFORMED,
					    "missing close delimiter");
				goto wait;
			}
			/* A delimiter may start in the last dlen - 1 bytes. */
			keep = n < d->dlen - 1 ? n : d->dlen - 1;
			if (p->state == MP_PART)
				mp_part_data(p, s, n - keep);
			s += n - keep;
			if (p->state == MP_STOPPED)
				continue;
			goto wait;
		case MP_BOUNDARY_END:
			if (n < 2) {
				if (eof)
					mp_stop(p, MULTIPART_MALFORMED,
					    "body ends at a boundary, without "
					    "close delimiter");
				goto wait;
			}
			if (s[0] == '-' && s[1] == '-') {
				s += 2;
				p->state = MP_CLOSE_END;
			} else if (s[0] == '\r' && s[1] == '\n') {
				s += 2;
				p->state = MP_PART;
				mp_part_begin(p);
			} else {
				mp_stop(p, MULTIPART_MALFORMED, "boundary "
				    "followed by more than CRLF or --");
			}
			continue;
		case MP_CLOSE_END:
			/* The CRLF is the start of the epilogue, where the
			 * delimiter must not appear again. */
			if (n >= 2 && s[0] == '\r' && s[1] == '\n') {
				p->state = MP_EPILOGUE;
				continue;
			}
			if (n == 0 || (n == 1 && !eof && s[0] == '\r'))
				goto wait;
			mp_stop(p, MULTIPART_MALFORMED,
			    "data after the close delimiter");
			continue;
		case MP_STOPPED:
			s = end;
			goto wait;
		}
	}
wait:
	n = (size_t)(end - s);
	memmove(p->win, s, n);
	p->wlen = n;
}

struct multipart_parser *
multipart_parser_new(struct arena *a, const char *content_type,
    const struct multipart_limits *limits, const char *media_dir)
{
	struct multipart_parser *p = arena_calloc(a, 1, sizeof(*p));
	enum multipart_status st;

	p->c.a = a;
	p->c.lim = limits ? limits : &multipart_default_limits;
	p->c.reason = "ok";
	p->media_dir = media_dir;
	p->fd = -1;
	p->win = arena_alloc(a, MP_WINDOW);
	buf_init(&p->head);
	buf_init(&p->text);
	p->state = MP_START;
	if ((st = mp_boundary(&p->c, content_type, &p->d)) != MULTIPART_OK)
		mp_stop(p, st, p->c.reason);
	return p;
}

enum multipart_status
multipart_parser_feed(struct multipart_parser *p, const void *chunk,
    size_t len)
{
	const char *s = chunk;
	size_t take;

	if (p->ended)
		return MULTIPART_MALFORMED;
	while (len > 0 && p->state != MP_STOPPED) {
		/* The bytes up to the limit are read as any others, so where
		 * the body is cut into chunks never changes the answer. */
		if (p->total == p->c.lim->max_body_len) {
			mp_stop(p, MULTIPART_TOO_LARGE, "body too large");
			break;
		}
		take = MP_WINDOW - p->wlen;
		if (take > len)
			take = len;
		if (take > p->c.lim->max_body_len - p->total)
			take = p->c.lim->max_body_len - p->total;
		memcpy(p->win + p->wlen, s, take);
		p->wlen += take;
		p->total += take;
		s += take;
		len -= take;
		mp_run(p, 0);
	}
	return p->state == MP_STOPPED ? p->final : MULTIPART_OK;
}

/* Frees what the parser holds outside the arena, and wipes the body's
 * bytes it kept, as the program wipes a form's body. */
static void
mp_end(struct multipart_parser *p)
{
	p->ended = 1;
	explicit_bzero(p->win, MP_WINDOW);
	if (p->text.data != NULL)
		explicit_bzero(p->text.data, p->text.cap);
	if (p->head.data != NULL)
		explicit_bzero(p->head.data, p->head.cap);
	buf_free(&p->head);
	buf_free(&p->text);
}

enum multipart_status
multipart_parser_finish(struct multipart_parser *p, struct multipart *out)
{
	enum multipart_status st = MULTIPART_MALFORMED;

	out->parts = NULL;
	out->count = 0;
	out->reason = "the parser was already ended";
	if (p->ended)
		return st;
	if (p->state != MP_STOPPED)
		mp_run(p, 1);
	if (p->state == MP_STOPPED) {
		st = p->final;
		out->reason = p->final_reason;
	} else if (p->deferred != MULTIPART_OK) {
		st = p->deferred;
		out->reason = p->deferred_reason;
	} else {
		st = MULTIPART_OK;
		out->reason = "ok";
		out->parts = p->nparts ? p->parts : NULL;
		out->count = p->nparts;
	}
	if (st != MULTIPART_OK)
		mp_discard(p);
	mp_end(p);
	return st;
}

void
multipart_parser_abort(struct multipart_parser *p)
{
	if (p->ended)
		return;
	mp_discard(p);
	mp_end(p);
}

enum multipart_status
multipart_parse(struct arena *a, const char *content_type, const char *body,
    size_t len, const struct multipart_limits *limits, const char *media_dir,
    struct multipart *out)
{
	struct multipart_parser *p;

	p = multipart_parser_new(a, content_type, limits, media_dir);
	multipart_parser_feed(p, body, len);
	return multipart_parser_finish(p, out);
}

/* The HTTP status for a refusal: 400, 413, 415 or 500; 0 for
 * MULTIPART_OK. */
int
multipart_http_status(enum multipart_status st)
{
	switch (st) {
	case MULTIPART_OK:
		return 0;
	case MULTIPART_TOO_MANY:
	case MULTIPART_TOO_LARGE:
		return 413;
	case MULTIPART_UNSUPPORTED:
		return 415;
	case MULTIPART_IO_ERROR:
		return 500;
	case MULTIPART_MALFORMED:
		break;
	}
	return 400;
}

/*
 * Returns the value of the first text field called name (file parts are
 * skipped), NUL-terminated valid UTF-8 without NUL, or NULL if there is
 * none. Owned by the arena the parts came from.
 */
const char *
multipart_field(const struct multipart_part *parts, size_t n,
    const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (parts[i].filename == NULL &&
		    strcmp(parts[i].name, name) == 0)
			return parts[i].data;
	return NULL;
}

/* Returns the first file part called name (text fields are skipped), or
 * NULL. */
const struct multipart_part *
multipart_file(const struct multipart_part *parts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (parts[i].filename != NULL &&
		    strcmp(parts[i].name, name) == 0)
			return &parts[i];
	return NULL;
}
