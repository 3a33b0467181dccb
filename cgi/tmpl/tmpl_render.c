#include "tmpl_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"

/* The context stack, innermost first; it lives on the C stack. */
struct ctx {
	const struct tmpl_value *v;
	const struct ctx *up;
};

/* The parent calls being expanded, innermost first: their arguments
 * replace the blocks of the templates they call. */
struct args {
	const struct tmpl_node *call;
	const struct args *up;
};

/*
 * Indentation of the lines being rendered, innermost first. A standalone
 * partial or parent puts its indentation before each line it renders; a
 * block argument loses the indentation it had where it was written (strip
 * blanks) and takes the one of the block it replaces.
 */
struct frame {
	const char *prefix;
	size_t prefixlen;
	size_t strip;
	const struct frame *up;
};

struct render {
	const struct tmpl_set *set;
	struct buf *out;
	const struct frame *frames;
	int bol; /* the last template text ended a line */
	int depth;
	unsigned long steps;
	int too_deep;
	int too_long;
};

static void render_nodes(struct render *, const struct tmpl_node *,
    const struct ctx *, const struct args *);

void
tmpl_escape(struct buf *out, const char *s, size_t len)
{
	const char *rep;
	size_t i, run = 0;

	if (len == 0)
		return;
	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		buf_append(out, s + run, i - run);
		buf_puts(out, rep);
		run = i + 1;
	}
	buf_append(out, s + run, len - run);
}

/*
 * Writes the indentation of a line that starts with s (len bytes of
 * template text, possibly none), applying the frames from the innermost
 * out, and returns how many leading blanks of s it consumed. The result is
 * a run of pieces (prefixes and the blanks of s) built front first.
 */
static size_t
render_indent(struct render *r, const char *s, size_t len)
{
	struct tmpl_part seg[TMPL_MAX_DEPTH + 2];
	const size_t nseg = TMPL_MAX_DEPTH + 2;
	const struct frame *f;
	size_t own = 0, first = nseg - 1, strip, take, i;

	while (own < len && (s[own] == ' ' || s[own] == '\t'))
		own++;
	seg[first].s = s;
	seg[first].len = own;
	for (f = r->frames; f != NULL; f = f->up) {
		for (strip = f->strip; strip > 0 && first < nseg; first++) {
			take = seg[first].len < strip ? seg[first].len : strip;
			seg[first].s += take;
			seg[first].len -= take;
			strip -= take;
			if (seg[first].len > 0)
				break;
		}
		if (f->prefixlen > 0 && first > 0) {
			first--;
			seg[first].s = f->prefix;
			seg[first].len = f->prefixlen;
		}
	}
	for (i = first; i < nseg; i++)
		buf_append(r->out, seg[i].s, seg[i].len);
	return own;
}

static void
render_text(struct render *r, const char *s, size_t len)
{
	const char *nl;
	size_t n;

	if (r->frames == NULL) {
		buf_append(r->out, s, len);
		if (len > 0)
			r->bol = s[len - 1] == '\n';
		return;
	}
	while (len > 0) {
		if (r->bol) {
			n = render_indent(r, s, len);
			s += n;
			len -= n;
			r->bol = 0;
			if (len == 0)
				break;
		}
		nl = memchr(s, '\n', len);
		n = nl == NULL ? len : (size_t)(nl - s) + 1;
		buf_append(r->out, s, n);
		s += n;
		len -= n;
		r->bol = nl != NULL;
	}
}

/* Data is written as is: newlines inside a value start no indented line. */
static void
render_data(struct render *r, const char *s, size_t len, int escape)
{
	if (len == 0)
		return;
	if (r->bol && r->frames != NULL)
		render_indent(r, "", 0);
	r->bol = 0;
	if (escape)
		tmpl_escape(r->out, s, len);
	else
		buf_append(r->out, s, len);
}

static unsigned long long
magnitude(long long i)
{
	return i < 0 ? 0ULL - (unsigned long long)i : (unsigned long long)i;
}

/* Writes u in decimal, preceded by '-' if neg, ending just before end;
 * returns where it starts. */
static char *
fmt_int(char *end, unsigned long long u, int neg)
{
	do
		*--end = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (neg)
		*--end = '-';
	return end;
}

/*
 * Formats a double in num (at least 32 bytes): integral values as
 * integers, others in the fewest digits that read back as the same double.
 * Values with at most six decimals, the usual case, avoid printf: d * 1e6
 * is then an integer m, and m / 1e6 == d proves the decimal reads back as
 * d (both are correctly rounded).
 */
static size_t
fmt_number(char *num, size_t size, double d)
{
	char digits[32], *p, *end = digits + sizeof(digits);
	unsigned long long u, frac;
	double m = d * 1e6;
	int i, n;

	if (d > -1e9 && d < 1e9 && m == (double)(long long)m &&
	    (double)(long long)m / 1e6 == d) {
		u = magnitude((long long)m);
		frac = u % 1000000;
		p = end;
		if (frac != 0) {
			for (i = 6; frac % 10 == 0; i--)
				frac /= 10;
			for (; i > 0; i--, frac /= 10)
				*--p = (char)('0' + frac % 10);
			*--p = '.';
		}
		p = fmt_int(p, u / 1000000, m < 0 && u != 0);
		memcpy(num, p, (size_t)(end - p));
		return (size_t)(end - p);
	}
	if (d >= -1e17 && d <= 1e17 && d == (double)(long long)d) {
		p = fmt_int(end, magnitude((long long)d), d < 0);
		memcpy(num, p, (size_t)(end - p));
		return (size_t)(end - p);
	}
	/* Any double with a 15-digit decimal form prints in it; 17 digits
	 * always read back. */
	for (i = 15; i <= 17; i++) {
		n = snprintf(num, size, "%.*g", i, d);
		if (strtod(num, NULL) == d)
			break;
	}
	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

static void
render_value(struct render *r, const struct tmpl_value *v, int escape)
{
	char num[64], *p, *end = num + sizeof(num);
	long long i;
	size_t n;

	switch (v->type) {
	case TV_STRING:
		render_data(r, v->u.str.s, v->u.str.len, escape);
		break;
	case TV_BOOL:
		render_data(r, v->u.boolean ? "true" : "false",
		    v->u.boolean ? 4 : 5, 0);
		break;
	case TV_INT:
		i = v->u.integer;
		p = fmt_int(end, magnitude(i), i < 0);
		render_data(r, p, (size_t)(end - p), 0);
		break;
	case TV_NUMBER:
		n = fmt_number(num, sizeof(num), v->u.number);
		render_data(r, num, n, 0);
		break;
	default:
		break;
	}
}

/* Resolves a dotted name: the first part against the whole context stack,
 * the others each against the value found before it. NULL if unresolved. */
static const struct tmpl_value *
lookup(const struct ctx *c, const struct tmpl_name *name)
{
	const struct tmpl_part *first = name->parts;
	const struct tmpl_value *v = NULL;
	size_t i;

	if (c == NULL)
		return NULL;
	if (name->nparts == 0)
		return c->v;
	for (; c != NULL; c = c->up)
		if ((v = tv_get(c->v, first->s, first->len)) != NULL)
			break;
	for (i = 1; v != NULL && i < name->nparts; i++)
		v = tv_get(v, name->parts[i].s, name->parts[i].len);
	return v;
}

static int
render_step(struct render *r)
{
	if (r->too_long || ++r->steps > r->set->max_steps) {
		r->too_long = 1;
		return -1;
	}
	return 0;
}

static int
render_enter(struct render *r)
{
	if (r->depth >= TMPL_MAX_DEPTH) {
		r->too_deep = 1;
		return -1;
	}
	r->depth++;
	return 0;
}

static void
render_framed(struct render *r, const char *prefix, size_t prefixlen,
    size_t strip, const struct tmpl_node *n, const struct ctx *c,
    const struct args *a)
{
	const struct frame *saved = r->frames;
	struct frame f;

	if (prefixlen > 0 || strip > 0) {
		f.prefix = prefix;
		f.prefixlen = prefixlen;
		f.strip = strip;
		f.up = saved;
		r->frames = &f;
	}
	render_nodes(r, n, c, a);
	r->frames = saved;
}

static void
render_section(struct render *r, const struct tmpl_node *n, const struct ctx *c,
    const struct args *a)
{
	const struct tmpl_value *v = lookup(c, &n->name);
	const struct tv_entry *e;
	struct ctx sub;

	if (v == NULL || !tv_truthy(v) || render_enter(r) == -1)
		return;
	sub.up = c;
	if (v->type == TV_LIST) {
		for (e = v->u.agg.head; e != NULL; e = e->next) {
			if (render_step(r) == -1)
				break;
			sub.v = e->value;
			render_nodes(r, n->child, &sub, a);
		}
	} else {
		sub.v = v;
		render_nodes(r, n->child, &sub, a);
	}
	r->depth--;
}

static void
render_inverted(struct render *r, const struct tmpl_node *n,
    const struct ctx *c, const struct args *a)
{
	const struct tmpl_value *v = lookup(c, &n->name);

	if ((v != NULL && tv_truthy(v)) || render_enter(r) == -1)
		return;
	render_nodes(r, n->child, c, a);
	r->depth--;
}

/* A partial is a parent call without arguments: blocks in it still see
 * the arguments of the calls around it. */
static void
render_include(struct render *r, const struct tmpl_node *n, const struct ctx *c,
    const struct args *a)
{
	const struct tmpl *t;
	const struct tmpl_value *v;
	struct args call;

	if (n->dynamic) {
		v = lookup(c, &n->name);
		if (v == NULL || v->type != TV_STRING)
			return;
		t = tmpl_set_find(r->set, v->u.str.s, v->u.str.len);
	} else
		t = tmpl_set_find(r->set, n->text, n->len);
	if (t == NULL || render_enter(r) == -1)
		return;
	if (n->op == OP_PARENT) {
		call.call = n;
		call.up = a;
		a = &call;
	}
	render_framed(r, n->indent, n->indentlen, 0, t->root, c, a);
	r->depth--;
}

/*
 * A block renders the argument of the outermost call that has one of its
 * name (the template furthest from the layout has the last word), else its
 * own content. The argument sees the calls that were open where it was
 * written, and the context stack of the block.
 */
static void
render_block(struct render *r, const struct tmpl_node *n, const struct ctx *c,
    const struct args *a)
{
	const struct tmpl_node *arg = NULL, *m;
	const struct args *where = NULL, *call;

	for (call = a; call != NULL; call = call->up)
		for (m = call->call->child; m != NULL; m = m->next)
			if (m->len == n->len &&
			    memcmp(m->text, n->text, n->len) == 0) {
				arg = m;
				where = call;
				break;
			}
	if (render_enter(r) == -1)
		return;
	if (arg == NULL)
		render_nodes(r, n->child, c, a);
	else
		render_framed(r, n->indent, n->indentlen, arg->strip,
		    arg->child, c, where->up);
	r->depth--;
}

static void
render_nodes(struct render *r, const struct tmpl_node *n, const struct ctx *c,
    const struct args *a)
{
	const struct tmpl_value *v;

	for (; n != NULL; n = n->next) {
		if (render_step(r) == -1)
			return;
		switch (n->op) {
		case OP_TEXT:
			render_text(r, n->text, n->len);
			break;
		case OP_VAR:
		case OP_RAW:
			if ((v = lookup(c, &n->name)) != NULL)
				render_value(r, v, n->op == OP_VAR);
			break;
		case OP_SECTION:
			render_section(r, n, c, a);
			break;
		case OP_INVERTED:
			render_inverted(r, n, c, a);
			break;
		case OP_PARTIAL:
		case OP_PARENT:
			render_include(r, n, c, a);
			break;
		case OP_BLOCK:
			render_block(r, n, c, a);
			break;
		}
	}
}

int
tmpl_render(const struct tmpl_set *set, const char *name,
    const struct tmpl_value *ctx, struct buf *out)
{
	const struct tmpl *t = tmpl_set_find(set, name, strlen(name));
	struct render r;
	struct ctx root;

	if (t == NULL) {
		log_err("%s: no template \"%s\"", __func__, name);
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.set = set;
	r.out = out;
	r.bol = 1;
	root.v = ctx;
	root.up = NULL;
	render_nodes(&r, t->root, ctx != NULL ? &root : NULL, NULL);
	/* Callers may read out->data as a string even when nothing was
	 * written. */
	buf_append(out, "", 0);
	if (r.too_long) {
		log_err("%s: %s: over %lu steps, output cut", __func__, name,
		    set->max_steps);
		return -1;
	}
	if (r.too_deep) {
		log_err("%s: %s: nested over %d deep, output cut", __func__,
		    name, TMPL_MAX_DEPTH);
		return -1;
	}
	return 0;
}
