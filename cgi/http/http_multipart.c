#include "http_multipart.h"

#include <string.h>
#include <strings.h>

#include "arena.h"
#include "http_url.h"
#include "util.h"

/* RFC 2046 5.1.1: 1 to 70 characters. */
#define MP_BOUNDARY_MAX 70

const struct multipart_limits multipart_default_limits = {
	.max_parts = 64,
	.max_header_bytes = 2048,
	.max_name_len = 64,
	.max_field_len = 16 * 1024,
	.max_file_len = 16 * 1024 * 1024,
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

/* Walks the delimiters of one body (see mp_scan_next). */
struct mp_scan {
	const char *p;		/* just after the last "--boundary" */
	const char *end;	/* end of the body */
	char delim[4 + MP_BOUNDARY_MAX]; /* CRLF "--" boundary */
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

/* Returns the first occurrence of the delimiter in [p, end), or NULL. The
 * delimiter has one CR, its first byte, so each candidate comparison stops
 * before the next CR in the body: the search is linear. */
static const char *
mp_find(const struct mp_scan *sc, const char *p)
{
	const char *cr;

	while ((size_t)(sc->end - p) >= sc->dlen &&
	    (cr = memchr(p, '\r', (size_t)(sc->end - p) - sc->dlen + 1)) !=
	    NULL) {
		if (memcmp(cr, sc->delim, sc->dlen) == 0)
			return cr;
		p = cr + 1;
	}
	return NULL;
}

/*
 * Reads the boundary from a request Content-Type header value into sc's
 * delimiter. A type other than multipart/form-data is UNSUPPORTED; that
 * type with a missing, repeated or invalid boundary, or with garbled
 * parameters, is MALFORMED. Parameters other than boundary are skipped.
 */
static enum multipart_status
mp_boundary(struct mp_ctx *c, const char *ct, struct mp_scan *sc)
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

/*
 * Finds the first "--boundary": at the very start of the body or after a
 * preamble and CRLF. Returns 0 with sc->p just after it, or -1.
 */
static int
mp_scan_init(struct mp_scan *sc, const char *body, size_t len)
{
	const char *d;

	sc->end = body + len;
	if (len >= sc->dlen - 2 &&
	    memcmp(body, sc->delim + 2, sc->dlen - 2) == 0) {
		sc->p = body + sc->dlen - 2;
		return 0;
	}
	if ((d = mp_find(sc, body)) == NULL)
		return -1;
	sc->p = d + sc->dlen;
	return 0;
}

/*
 * Steps over the line end after a "--boundary". Returns 1 with [*s, *e)
 * the next part (headers, empty line, data), 0 at a well-formed close
 * delimiter, -1 (reason set) otherwise.
 */
static int
mp_scan_next(struct mp_ctx *c, struct mp_scan *sc, const char **s,
    const char **e)
{
	const char *p = sc->p, *d;

	if (sc->end - p < 2) {
		c->reason = "body ends at a boundary, without close delimiter";
		return -1;
	}
	if (p[0] == '-' && p[1] == '-') {
		p += 2;
		if (p == sc->end)
			return 0;
		if (sc->end - p < 2 || p[0] != '\r' || p[1] != '\n') {
			c->reason = "data after the close delimiter";
			return -1;
		}
		if (mp_find(sc, p) != NULL) {
			c->reason = "the boundary appears after the close "
			    "delimiter";
			return -1;
		}
		return 0;
	}
	if (p[0] != '\r' || p[1] != '\n') {
		c->reason = "boundary followed by more than CRLF or --";
		return -1;
	}
	p += 2;
	if ((d = mp_find(sc, p)) == NULL) {
		c->reason = "missing close delimiter";
		return -1;
	}
	*s = p;
	*e = d;
	sc->p = d + sc->dlen;
	return 1;
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

/*
 * Parses a Content-Disposition value: form-data, then parameters, each a
 * token or a quoted string. Sets the spans of name and filename (filename
 * s NULL when absent). Returns MULTIPART_OK or MULTIPART_MALFORMED.
 */
static enum multipart_status
mp_disposition(struct mp_ctx *c, const char *p, const char *end,
    struct mp_span *name, struct mp_span *filename)
{
	struct mp_span seen[MP_PARAM__MAX];
	const char *pn, *v;
	size_t pnlen, vlen;
	int k;

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
		if (p < end && *p == '"') {
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
		if (k == MP_PARAM_FILENAME_EXT)
			return mp_fail(c, MULTIPART_MALFORMED,
			    "filename* is not allowed (RFC 7578 4.2)");
		if (seen[k].s != NULL)
			return mp_fail(c, MULTIPART_MALFORMED,
			    "repeated Content-Disposition parameter");
		seen[k].s = v;
		seen[k].len = vlen;
	}
	*name = seen[MP_PARAM_NAME];
	*filename = seen[MP_PARAM_FILENAME];
	if (name->s == NULL || name->len == 0)
		return mp_fail(c, MULTIPART_MALFORMED, "a part without name");
	return MULTIPART_OK;
}

/* Fills part's name and filename from the Content-Disposition spans. */
static enum multipart_status
mp_names(struct mp_ctx *c, const struct mp_span *name,
    const struct mp_span *filename, struct multipart_part *part)
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
	if (filename->s == NULL)
		return MULTIPART_OK;
	s = mp_unescape(c->a, filename->s, filename->len, &n);
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
 * Reads the header lines of a part starting at p, up to the empty line,
 * into hv (values trimmed of whitespace; s NULL for absent headers).
 * Sets *data to the first byte after the empty line.
 */
static enum multipart_status
mp_headers(struct mp_ctx *c, const char *p, const char *end,
    struct mp_span hv[MP__MAX], const char **data)
{
	const char *hend, *nl, *colon, *v, *ve;
	size_t k, avail;

	/* Nothing past the limit (plus the empty line) is looked at. */
	avail = (size_t)(end - p);
	hend = avail > 2 && avail - 2 > c->lim->max_header_bytes ?
	    p + c->lim->max_header_bytes + 2 : end;
	memset(hv, 0, sizeof(*hv) * MP__MAX);
	for (;;) {
		if (hend - p >= 2 && p[0] == '\r' && p[1] == '\n')
			break;
		if ((nl = memchr(p, '\n', (size_t)(hend - p))) == NULL)
			return hend < end ?
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
	*data = p + 2;
	return MULTIPART_OK;
}

/* Parses one part, [p, end) without the CRLF before the next delimiter. */
static enum multipart_status
mp_part(struct mp_ctx *c, const char *p, const char *end,
    struct multipart_part *part)
{
	struct mp_span hv[MP__MAX], name, filename;
	enum multipart_status st;
	const char *data;
	size_t k, len;

	if ((st = mp_headers(c, p, end, hv, &data)) != MULTIPART_OK)
		return st;
	if (hv[MP_DISPOSITION].s == NULL)
		return mp_fail(c, MULTIPART_MALFORMED,
		    "a part without Content-Disposition");
	if ((st = mp_disposition(c, hv[MP_DISPOSITION].s,
	    hv[MP_DISPOSITION].s + hv[MP_DISPOSITION].len, &name,
	    &filename)) != MULTIPART_OK)
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
	if ((st = mp_names(c, &name, &filename, part)) != MULTIPART_OK)
		return st;
	len = (size_t)(end - data);
	if (part->filename != NULL) {
		if (len > c->lim->max_file_len)
			return mp_fail(c, MULTIPART_TOO_LARGE,
			    "file too large");
		part->data = data;
		part->len = len;
		return MULTIPART_OK;
	}
	if (len > c->lim->max_field_len)
		return mp_fail(c, MULTIPART_TOO_LARGE, "text field too large");
	if (!url_utf8_valid(data, len))
		return mp_fail(c, MULTIPART_MALFORMED,
		    "text field is not UTF-8 without NUL");
	part->data = arena_strndup(c->a, data, len);
	part->len = len;
	return MULTIPART_OK;
}

/*
 * Parses body[0..len), sent with the request Content-Type header value
 * content_type (NULL when absent), into out. limits NULL means
 * multipart_default_limits. body may be NULL if len is 0.
 *
 * Returns MULTIPART_OK with out filled (parts arena-owned, NULL when
 * count is 0; file data points into body, which must outlive them), or
 * another status with out empty: nothing half-parsed reaches a handler.
 * out->reason is always a static string. The framing is checked and the
 * parts counted first, so a body with too many parts is refused before
 * any part is read; parts are then read in order and the first bad one
 * decides the status.
 */
enum multipart_status
multipart_parse(struct arena *a, const char *content_type, const char *body,
    size_t len, const struct multipart_limits *limits, struct multipart *out)
{
	struct mp_ctx c = { a, limits ? limits : &multipart_default_limits,
		"ok" };
	struct multipart_part *parts;
	enum multipart_status st;
	struct mp_scan sc;
	const char *s, *e;
	size_t n;
	int r;

	out->parts = NULL;
	out->count = 0;
	if ((st = mp_boundary(&c, content_type, &sc)) != MULTIPART_OK)
		goto out;
	if (body == NULL)
		body = "";
	if (mp_scan_init(&sc, body, len) == -1) {
		st = mp_fail(&c, MULTIPART_MALFORMED, "no boundary in the body");
		goto out;
	}
	for (n = 0; (r = mp_scan_next(&c, &sc, &s, &e)) == 1; n++)
		if (n == c.lim->max_parts) {
			st = mp_fail(&c, MULTIPART_TOO_MANY, "too many parts");
			goto out;
		}
	if (r == -1) {
		st = MULTIPART_MALFORMED;
		goto out;
	}
	if (n == 0)
		goto out;

	parts = arena_calloc(a, n, sizeof(*parts));
	mp_scan_init(&sc, body, len);
	for (size_t i = 0; i < n; i++) {
		mp_scan_next(&c, &sc, &s, &e);
		if ((st = mp_part(&c, s, e, &parts[i])) != MULTIPART_OK)
			goto out;
	}
	out->parts = parts;
	out->count = n;
out:
	out->reason = c.reason;
	return st;
}

/* The HTTP status for a refusal: 400, 413 or 415; 0 for MULTIPART_OK. */
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
 * NULL. Its data points into the body that was parsed. */
const struct multipart_part *
multipart_file(const struct multipart_part *parts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (parts[i].filename != NULL &&
		    strcmp(parts[i].name, name) == 0)
			return &parts[i];
	return NULL;
}
