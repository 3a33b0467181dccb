#include "tmpl_private.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "util.h"

#define NPOS SIZE_MAX
/* Templates are written by people; anything this big is a mistake. */
#define TMPL_MAX_FILE (16 * 1024 * 1024)
#define TMPL_SUFFIX ".mustache"

enum tok_kind {
	TOK_TEXT,
	TOK_VAR,
	TOK_RAW,
	TOK_SECTION,
	TOK_INVERTED,
	TOK_CLOSE,
	TOK_COMMENT,
	TOK_DELIM,
	TOK_PARTIAL,
	TOK_PARENT,
	TOK_BLOCK,
};

/*
 * The source is compiled in four passes over a token list: scan (tags and
 * text, following delimiter changes), match (open and close tags), trim
 * (standalone lines) and build (the node tree). Trimming needs to see whole
 * lines and matched pairs, which is why it is not done while scanning.
 */
struct tok {
	enum tok_kind kind;
	size_t start; /* the whole token in the source */
	size_t end;
	size_t lo;        /* TOK_TEXT: the part kept once standalone */
	size_t hi;        /* lines are removed */
	const char *name; /* tag content without sigil and padding */
	size_t namelen;
	int line;
	size_t match;       /* open and close tags point at each other */
	int in_call;        /* directly inside a parent call */
	const char *indent; /* see struct tmpl_node */
	size_t indentlen;
	size_t strip;
};

struct comp {
	const char *src; /* arena copy: nodes point into it */
	size_t len;
	struct tok *t; /* heap, freed once compiled */
	size_t n;
	size_t cap;
	struct arena *arena;
	struct tmpl_error *err;
};

/* What the character after the opening delimiter makes of a tag; pre is
 * the character that must precede the closing delimiter. Anything else
 * starts a variable name. */
static const struct {
	char sigil;
	enum tok_kind kind;
	char pre;
} sigils[] = {
    {'#', TOK_SECTION, '\0'},
    {'^', TOK_INVERTED, '\0'},
    {'/', TOK_CLOSE, '\0'},
    {'!', TOK_COMMENT, '\0'},
    {'>', TOK_PARTIAL, '\0'},
    {'<', TOK_PARENT, '\0'},
    {'$', TOK_BLOCK, '\0'},
    {'&', TOK_RAW, '\0'},
    {'{', TOK_RAW, '}'},
    {'=', TOK_DELIM, '='},
};

/* The node each tag kind compiles to. */
static const enum tmpl_op ops[] = {
    [TOK_VAR] = OP_VAR,
    [TOK_RAW] = OP_RAW,
    [TOK_SECTION] = OP_SECTION,
    [TOK_INVERTED] = OP_INVERTED,
    [TOK_PARTIAL] = OP_PARTIAL,
    [TOK_PARENT] = OP_PARENT,
    [TOK_BLOCK] = OP_BLOCK,
};

/* How much of a name error messages quote. */
static int
shown(size_t len)
{
	return len > 64 ? 64 : (int)len;
}

static int
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static int
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	    ch == '\v' || ch == '\f';
}

static int comp_error(struct comp *c, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
comp_error(struct comp *c, int line, const char *fmt, ...)
{
	va_list ap;

	c->err->line = line;
	va_start(ap, fmt);
	vsnprintf(c->err->reason, sizeof(c->err->reason), fmt, ap);
	va_end(ap);
	return -1;
}

/* Offset of the first pat (patlen > 0) at or after from, or NPOS. */
static size_t
comp_find(const struct comp *c, size_t from, const char *pat, size_t patlen)
{
	const char *p;

	while (from < c->len && c->len - from >= patlen) {
		p = memchr(c->src + from, pat[0], c->len - from - patlen + 1);
		if (p == NULL)
			break;
		from = (size_t)(p - c->src);
		if (memcmp(p, pat, patlen) == 0)
			return from;
		from++;
	}
	return NPOS;
}

/*
 * Offset where the tag that began before from ends: at the closing
 * delimiter, or at the '}' or '=' in front of it for triple mustaches and
 * delimiter changes (pre). NPOS if the tag is never closed.
 */
static size_t
comp_find_close(
    const struct comp *c, size_t from, char pre, const char *ctag, size_t clen)
{
	size_t q;

	for (q = from; (q = comp_find(c, q, ctag, clen)) != NPOS; q++) {
		if (pre == '\0')
			return q;
		if (q > from && c->src[q - 1] == pre)
			return q - 1;
	}
	return NPOS;
}

static int
count_lines(const char *s, size_t len)
{
	int n = 0;
	const char *p;

	while ((p = memchr(s, '\n', len)) != NULL) {
		n++;
		len -= (size_t)(p - s) + 1;
		s = p + 1;
	}
	return n;
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && is_space((*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_space((*s)[*len - 1]))
		(*len)--;
}

/* A name for variables and sections: "." or dot-separated parts, none
 * empty, without spaces. */
static int
valid_dotted(const char *s, size_t len)
{
	size_t i, part = 0;

	if (len == 1 && s[0] == '.')
		return 1;
	for (i = 0; i < len; i++) {
		if (is_space(s[i]))
			return 0;
		if (s[i] == '.') {
			if (part == 0)
				return 0;
			part = 0;
		} else
			part++;
	}
	return part > 0;
}

static int
valid_plain(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (is_space(s[i]))
			return 0;
	return len > 0;
}

/* For "*name" (dynamic names) skips the star and the padding after it. */
static int
unstar(const char **s, size_t *len)
{
	if (*len == 0 || (*s)[0] != '*')
		return 0;
	(*s)++;
	(*len)--;
	trim(s, len);
	return 1;
}

static int
check_name(struct comp *c, const struct tok *t)
{
	const char *s = t->name;
	size_t len = t->namelen;
	int ok;

	switch (t->kind) {
	case TOK_VAR:
	case TOK_RAW:
	case TOK_SECTION:
	case TOK_INVERTED:
		ok = valid_dotted(s, len);
		break;
	case TOK_PARTIAL:
	case TOK_PARENT:
		ok = unstar(&s, &len) ? valid_dotted(s, len)
				      : valid_plain(s, len);
		break;
	case TOK_BLOCK:
		ok = valid_plain(s, len);
		break;
	case TOK_CLOSE:
		ok = 1;
		break;
	default:
		return 0;
	}
	if (t->namelen == 0)
		return comp_error(c, t->line, "empty tag name");
	if (!ok)
		return comp_error(c, t->line, "invalid tag name \"%.*s\"",
		    shown(t->namelen), t->name);
	return 0;
}

static struct tok *
comp_push(
    struct comp *c, enum tok_kind kind, size_t start, size_t end, int line)
{
	struct tok *t;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->t = xrealloc(c->t, c->cap * sizeof(*c->t));
	}
	t = &c->t[c->n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->start = t->lo = start;
	t->end = t->hi = end;
	t->line = line;
	return t;
}

/* Splits "{{=open close=}}" content into the new delimiters. */
static int
parse_delims(const char *s, size_t len, const char **otag, size_t *olen,
    const char **ctag, size_t *clen)
{
	size_t i = 0, j;

	while (i < len && !is_space(s[i]))
		i++;
	for (j = i; j < len && is_space(s[j]); j++)
		continue;
	if (i == 0 || j == i || j == len)
		return -1;
	if (memchr(s, '=', len) != NULL)
		return -1;
	if (!valid_plain(s + j, len - j))
		return -1;
	*otag = s;
	*olen = i;
	*ctag = s + j;
	*clen = len - j;
	return 0;
}

/* Splits the source into text and tag tokens, following delimiter changes
 * and checking tag names. */
static int
comp_scan(struct comp *c)
{
	const char *otag = "{{", *ctag = "}}";
	size_t olen = 2, clen = 2, pos = 0, at, p, q, end, i;
	int line = 1;
	char pre;
	enum tok_kind kind;
	struct tok *t;

	while (pos < c->len) {
		if ((at = comp_find(c, pos, otag, olen)) == NPOS)
			at = c->len;
		if (at > pos) {
			comp_push(c, TOK_TEXT, pos, at, line);
			line += count_lines(c->src + pos, at - pos);
		}
		if (at == c->len)
			break;
		p = at + olen;
		for (i = 0; i < ARRAY_LEN(sigils); i++)
			if (p < c->len && c->src[p] == sigils[i].sigil)
				break;
		kind = i < ARRAY_LEN(sigils) ? sigils[i].kind : TOK_VAR;
		pre = i < ARRAY_LEN(sigils) ? sigils[i].pre : '\0';
		if (kind != TOK_VAR)
			p++;
		/* The message shows pre, if any, before the delimiter. */
		if ((q = comp_find_close(c, p, pre, ctag, clen)) == NPOS)
			return comp_error(c, line,
			    "unclosed tag (no \"%.*s%.*s\")", pre != '\0', &pre,
			    shown(clen), ctag);
		end = q + (pre != '\0') + clen;
		t = comp_push(c, kind, at, end, line);
		line += count_lines(c->src + at, end - at);
		t->name = c->src + p;
		t->namelen = q - p;
		trim(&t->name, &t->namelen);
		if (kind == TOK_DELIM) {
			if (parse_delims(t->name, t->namelen, &otag, &olen,
				&ctag, &clen) == -1)
				return comp_error(
				    c, t->line, "invalid set-delimiter tag");
		} else if (check_name(c, t) == -1)
			return -1;
		pos = end;
	}
	return 0;
}

/* Whether a close tag's name matches its open tag; "* a" and "*a" are the
 * same dynamic name. */
static int
same_name(const struct tok *o, const struct tok *e)
{
	const char *a = o->name, *b = e->name;
	size_t alen = o->namelen, blen = e->namelen;

	if (unstar(&a, &alen) != unstar(&b, &blen))
		return 0;
	return alen == blen && memcmp(a, b, alen) == 0;
}

static const char *
kind_word(enum tok_kind kind)
{
	switch (kind) {
	case TOK_PARENT:
		return "parent";
	case TOK_BLOCK:
		return "block";
	default:
		return "section";
	}
}

/* Pairs open and close tags, and rejects what cannot nest: unclosed or
 * mismatched sections, tags other than blocks directly in a parent call,
 * nesting deeper than TMPL_MAX_DEPTH. */
static int
comp_match(struct comp *c)
{
	size_t stack[TMPL_MAX_DEPTH];
	size_t depth = 0, i, o;
	struct tok *t, *open;

	for (i = 0; i < c->n; i++) {
		t = &c->t[i];
		open = depth > 0 ? &c->t[stack[depth - 1]] : NULL;
		t->in_call = open != NULL && open->kind == TOK_PARENT;
		switch (t->kind) {
		case TOK_TEXT:
		case TOK_COMMENT:
		case TOK_DELIM:
		case TOK_BLOCK:
		case TOK_CLOSE:
			break;
		default:
			if (t->in_call)
				return comp_error(c, t->line,
				    "only blocks may appear inside parent "
				    "\"%.*s\"",
				    shown(open->namelen), open->name);
			break;
		}
		switch (t->kind) {
		case TOK_SECTION:
		case TOK_INVERTED:
		case TOK_PARENT:
		case TOK_BLOCK:
			if (depth == TMPL_MAX_DEPTH)
				return comp_error(c, t->line,
				    "sections nested more than %d deep",
				    TMPL_MAX_DEPTH);
			stack[depth++] = i;
			break;
		case TOK_CLOSE:
			if (open == NULL)
				return comp_error(c, t->line,
				    "closing tag "
				    "\"%.*s\" without an open section",
				    shown(t->namelen), t->name);
			if (!same_name(open, t))
				return comp_error(c, t->line,
				    "closing tag "
				    "\"%.*s\" does not match %s \"%.*s\" "
				    "opened on line %d",
				    shown(t->namelen), t->name,
				    kind_word(open->kind), shown(open->namelen),
				    open->name, open->line);
			o = stack[--depth];
			c->t[o].match = i;
			t->match = o;
			break;
		default:
			break;
		}
	}
	if (depth > 0) {
		open = &c->t[stack[depth - 1]];
		return comp_error(c, open->line, "unclosed %s \"%.*s\"",
		    kind_word(open->kind), shown(open->namelen), open->name);
	}
	return 0;
}

/* Whether only blanks separate tag i from the start of its line. */
static int
clear_start(const struct comp *c, size_t i)
{
	const struct tok *prev;
	size_t p;

	if (i == 0)
		return 1;
	prev = &c->t[i - 1];
	if (prev->kind != TOK_TEXT)
		return 0;
	for (p = prev->end; p > prev->start; p--) {
		if (c->src[p - 1] == '\n')
			return 1;
		if (!is_blank(c->src[p - 1]))
			return 0;
	}
	return i == 1;
}

/* Whether only blanks separate tag i from the end of its line. */
static int
clear_end(const struct comp *c, size_t i)
{
	const struct tok *next;
	size_t p;

	if (i + 1 == c->n)
		return 1;
	next = &c->t[i + 1];
	if (next->kind != TOK_TEXT)
		return 0;
	for (p = next->start; p < next->end; p++) {
		if (c->src[p] == '\n')
			return 1;
		if (c->src[p] == '\r' && p + 1 < next->end &&
		    c->src[p + 1] == '\n')
			return 1;
		if (!is_blank(c->src[p]))
			return 0;
	}
	return i + 2 == c->n;
}

static size_t
line_start(const struct comp *c, size_t p)
{
	while (p > 0 && c->src[p - 1] != '\n')
		p--;
	return p;
}

/* Start of the line after the one holding p, or the source length. */
static size_t
next_line(const struct comp *c, size_t p)
{
	const char *nl = memchr(c->src + p, '\n', c->len - p);

	return nl == NULL ? c->len : (size_t)(nl - c->src) + 1;
}

static size_t
blanks_at(const struct comp *c, size_t p)
{
	size_t n = 0;

	while (p + n < c->len && is_blank(c->src[p + n]))
		n++;
	return n;
}

/* Removes the blanks in front of tag i (which must be clear_start) and
 * records them as its indentation. */
static void
trim_before(struct comp *c, size_t i)
{
	struct tok *t = &c->t[i], *prev;
	size_t ls = line_start(c, t->start);

	t->indent = c->src + ls;
	t->indentlen = t->start - ls;
	if (i == 0)
		return;
	prev = &c->t[i - 1];
	prev->hi = ls > prev->lo ? ls : prev->lo;
}

/* Removes the rest of the line after tag i (which must be clear_end),
 * newline included. */
static void
trim_after(struct comp *c, size_t i)
{
	struct tok *next;
	size_t p;

	if (i + 1 == c->n)
		return;
	next = &c->t[i + 1];
	p = next_line(c, next->start);
	if (p > next->end)
		p = next->end;
	next->lo = p < next->hi ? p : next->hi;
}

static void
trim_block(struct comp *c, size_t i, int alone)
{
	struct tok *t = &c->t[i];
	size_t nl, ls;

	if (t->in_call) {
		/* An argument: what shares its line is ignored parent-call
		 * text, so only the end of the line decides where its
		 * content starts. */
		if (clear_end(c, i)) {
			trim_after(c, i);
			t->strip = blanks_at(c, next_line(c, t->end));
		}
		if (alone)
			trim_before(c, i);
		return;
	}
	if (!alone) {
		ls = line_start(c, t->start);
		t->indent = c->src + ls;
		t->indentlen = blanks_at(c, ls);
		if (t->indentlen > t->start - ls)
			t->indentlen = t->start - ls;
		return;
	}
	trim_before(c, i);
	trim_after(c, i);
	/* Arguments replacing a standalone block line up with its default
	 * content, or with the tag itself when there is none. */
	nl = next_line(c, t->end);
	if (nl < c->len && line_start(c, c->t[t->match].start) != nl) {
		t->indent = c->src + nl;
		t->indentlen = blanks_at(c, nl);
	}
}

/*
 * Removes standalone lines: a line holding one section, inverted section,
 * close, comment, delimiter, partial, parent or block tag and blanks
 * disappears with its newline. As the inheritance spec asks, a parent call
 * whose open tag starts a line and whose close tag ends one is standalone
 * as a whole, and an argument block's content starts on the line after its
 * tag when nothing follows the tag.
 */
static void
comp_trim(struct comp *c)
{
	size_t i, o;
	struct tok *t;
	int alone;

	for (i = 0; i < c->n; i++) {
		t = &c->t[i];
		if (t->kind == TOK_TEXT || t->kind == TOK_VAR ||
		    t->kind == TOK_RAW)
			continue;
		alone = clear_start(c, i) && clear_end(c, i);
		switch (t->kind) {
		case TOK_PARENT:
			if (alone ||
			    (clear_start(c, i) && clear_end(c, t->match))) {
				trim_before(c, i);
				if (clear_end(c, i))
					trim_after(c, i);
			}
			break;
		case TOK_BLOCK:
			trim_block(c, i, alone);
			break;
		case TOK_CLOSE:
			o = t->match;
			if (c->t[o].kind == TOK_PARENT)
				alone = alone ||
				    (clear_start(c, o) && clear_end(c, i));
			if (c->t[o].kind == TOK_BLOCK && c->t[o].in_call &&
			    clear_start(c, i))
				trim_before(c, i);
			if (alone) {
				if (clear_start(c, i))
					trim_before(c, i);
				trim_after(c, i);
			}
			break;
		default:
			if (alone) {
				trim_before(c, i);
				trim_after(c, i);
			}
			break;
		}
	}
}

static void
split_name(struct comp *c, const char *s, size_t len, struct tmpl_name *name)
{
	struct tmpl_part *parts;
	const char *dot;
	size_t n = 1, i;

	if (len == 1 && s[0] == '.') {
		name->parts = NULL;
		name->nparts = 0;
		return;
	}
	for (i = 0; i < len; i++)
		n += s[i] == '.';
	parts = arena_alloc(c->arena, n * sizeof(*parts));
	for (i = 0; i < n; i++) {
		dot = memchr(s, '.', len);
		parts[i].s = s;
		parts[i].len = dot == NULL ? len : (size_t)(dot - s);
		if (dot != NULL) {
			len -= parts[i].len + 1;
			s = dot + 1;
		}
	}
	name->parts = parts;
	name->nparts = n;
}

static struct tmpl_node *
comp_node(struct comp *c, enum tmpl_op op, const struct tok *t)
{
	struct tmpl_node *n = arena_calloc(c->arena, 1, sizeof(*n));
	const char *s;
	size_t len;

	n->op = op;
	n->text = t->name;
	n->len = t->namelen;
	n->indent = t->indent;
	n->indentlen = t->indentlen;
	n->strip = t->strip;
	switch (op) {
	case OP_VAR:
	case OP_RAW:
	case OP_SECTION:
	case OP_INVERTED:
		split_name(c, t->name, t->namelen, &n->name);
		break;
	case OP_PARTIAL:
	case OP_PARENT:
		s = t->name;
		len = t->namelen;
		if ((n->dynamic = unstar(&s, &len)))
			split_name(c, s, len, &n->name);
		break;
	default:
		break;
	}
	return n;
}

/* Turns the checked and trimmed tokens into the node tree; cannot fail.
 * Text directly inside a parent call is dropped. */
static struct tmpl_node *
comp_build(struct comp *c)
{
	struct tmpl_node *root = NULL, *n;
	struct tmpl_node **tail[TMPL_MAX_DEPTH + 1];
	size_t depth = 0, i;
	const struct tok *t;

	tail[0] = &root;
	for (i = 0; i < c->n; i++) {
		t = &c->t[i];
		switch (t->kind) {
		case TOK_TEXT:
			if (t->in_call || t->hi <= t->lo)
				continue;
			n = comp_node(c, OP_TEXT, t);
			n->text = c->src + t->lo;
			n->len = t->hi - t->lo;
			break;
		case TOK_VAR:
		case TOK_RAW:
		case TOK_PARTIAL:
			n = comp_node(c, ops[t->kind], t);
			break;
		case TOK_SECTION:
		case TOK_INVERTED:
		case TOK_PARENT:
		case TOK_BLOCK:
			n = comp_node(c, ops[t->kind], t);
			*tail[depth] = n;
			tail[depth] = &n->next;
			tail[++depth] = &n->child;
			continue;
		case TOK_CLOSE:
			depth--;
			continue;
		default:
			continue;
		}
		*tail[depth] = n;
		tail[depth] = &n->next;
	}
	return root;
}

static int
name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int r = memcmp(a, b, alen < blen ? alen : blen);

	if (r != 0)
		return r;
	return alen < blen ? -1 : alen > blen;
}

/* Index of name in set->v if *found, else where it belongs. */
static size_t
set_search(const struct tmpl_set *set, const char *name, size_t len, int *found)
{
	size_t lo = 0, hi = set->len, mid;
	int r;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = name_cmp(
		    name, len, set->v[mid]->name, set->v[mid]->namelen);
		if (r == 0) {
			*found = 1;
			return mid;
		}
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

const struct tmpl *
tmpl_set_find(const struct tmpl_set *set, const char *name, size_t len)
{
	size_t i;
	int found;

	i = set_search(set, name, len, &found);
	return found ? set->v[i] : NULL;
}

static void
tmpl_free(struct tmpl *t)
{
	arena_free(&t->arena);
	free(t);
}

struct tmpl_set *
tmpl_set_new(void)
{
	struct tmpl_set *set = xcalloc(1, sizeof(*set));

	set->max_steps = TMPL_MAX_STEPS;
	return set;
}

void
tmpl_set_free(struct tmpl_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->len; i++)
		tmpl_free(set->v[i]);
	free(set->v);
	free(set);
}

void
tmpl_set_max_steps(struct tmpl_set *set, unsigned long steps)
{
	set->max_steps = steps;
}

static void
set_insert(struct tmpl_set *set, struct tmpl *t)
{
	size_t i;
	int found;

	i = set_search(set, t->name, t->namelen, &found);
	if (found) {
		tmpl_free(set->v[i]);
		set->v[i] = t;
		return;
	}
	if (set->len == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->v = xrealloc(set->v, set->cap * sizeof(*set->v));
	}
	memmove(&set->v[i + 1], &set->v[i], (set->len - i) * sizeof(*set->v));
	set->v[i] = t;
	set->len++;
}

/* Names the file of an error; a long path keeps its end, which names the
 * file itself. */
static void
err_file(struct tmpl_error *err, const char *file)
{
	size_t len = strlen(file), room = sizeof(err->file) - 1;

	if (len > room) {
		memcpy(err->file, "...", 3);
		memcpy(err->file + 3, file + len - (room - 3), room - 3 + 1);
	} else
		memcpy(err->file, file, len + 1);
}

int
tmpl_set_add(struct tmpl_set *set, const char *name, const char *src,
    size_t len, struct tmpl_error *err)
{
	struct tmpl *t = xcalloc(1, sizeof(*t));
	struct comp c;
	int rc = -1;

	err_file(err, name);
	err->line = 0;
	err->reason[0] = '\0';
	arena_init(&t->arena, 4096);
	t->namelen = strlen(name);
	t->name = arena_strndup(&t->arena, name, t->namelen);

	memset(&c, 0, sizeof(c));
	c.src = len > 0 ? arena_strndup(&t->arena, src, len) : "";
	c.len = len;
	c.arena = &t->arena;
	c.err = err;
	if (comp_scan(&c) == -1 || comp_match(&c) == -1)
		goto out;
	comp_trim(&c);
	t->root = comp_build(&c);
	set_insert(set, t);
	t = NULL;
	rc = 0;
out:
	free(c.t);
	if (t != NULL)
		tmpl_free(t);
	return rc;
}

static int
load_error(struct tmpl_error *err, const char *path, const char *reason)
{
	err_file(err, path);
	err->line = 0;
	snprintf(err->reason, sizeof(err->reason), "%s", reason);
	return -1;
}

/* Reads and adds path as template name; a path that is not a regular file
 * is skipped. */
static int
load_file(struct tmpl_set *set, const char *path, const char *name,
    struct tmpl_error *err)
{
	struct stat st;
	char *src = NULL;
	size_t got = 0;
	ssize_t r;
	int fd = -1, rc = -1;

	if (stat(path, &st) == -1)
		return load_error(err, path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return 0;
	if (st.st_size > TMPL_MAX_FILE)
		return load_error(err, path, "file too large");
	if ((fd = open(path, O_RDONLY)) == -1)
		return load_error(err, path, strerror(errno));
	src = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		r = read(fd, src + got, (size_t)st.st_size - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			load_error(err, path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (tmpl_set_add(set, name, src, got, err) == -1) {
		err_file(err, path);
		goto out;
	}
	rc = 0;
out:
	free(src);
	close(fd);
	return rc;
}

int
tmpl_set_load_dir(struct tmpl_set *set, const char *dir, struct tmpl_error *err)
{
	struct dirent **ents = NULL;
	char path[PATH_MAX], name[256];
	size_t slen = strlen(TMPL_SUFFIX), nlen;
	int n, i, rc = -1;

	if ((n = scandir(dir, &ents, NULL, alphasort)) == -1)
		return load_error(err, dir, strerror(errno));
	for (i = 0; i < n; i++) {
		nlen = strlen(ents[i]->d_name);
		if (ents[i]->d_name[0] == '.' || nlen <= slen ||
		    nlen - slen >= sizeof(name) ||
		    strcmp(ents[i]->d_name + nlen - slen, TMPL_SUFFIX) != 0)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
			ents[i]->d_name) >= sizeof(path)) {
			load_error(err, dir, "path too long");
			goto out;
		}
		memcpy(name, ents[i]->d_name, nlen - slen);
		name[nlen - slen] = '\0';
		if (load_file(set, path, name, err) == -1)
			goto out;
	}
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return rc;
}
