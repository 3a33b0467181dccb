/*
 * Mustache templates.
 *
 * Templates are compiled once, at start-up, into a set owned by the worker;
 * each request builds a view context of tmpl values in its arena and renders
 * a template of the set into a buffer. A compiled set is never changed by
 * rendering, so threads may render from one set at once.
 *
 * The language is mustache as its spec (v1.4) defines it: variables,
 * sections, inverted sections, comments, partials, set delimiters, and the
 * optional inheritance ({{<parent}} {{$block}}) and dynamic name
 * ({{>*name}}) modules. Lambdas are not supported.
 *
 * Rendering rules the spec leaves open:
 * - Falsey are null, false, the empty list, the empty string and names that
 *   resolve to nothing; everything else, the number 0 included, is truthy.
 * - {{x}} writes null, lists and objects as nothing, booleans as "true" and
 *   "false", integers in decimal and other numbers in their shortest form
 *   that reads back exactly (1.21 as "1.21").
 * - {{x}} goes through tmpl_escape(); {{{x}}} and {{&x}} write x raw and
 *   are only for HTML the program produced itself.
 * - A partial or parent missing from the set renders as nothing.
 * - Inside a parent call ({{<p}}...{{/p}}) only blocks and comments may
 *   appear; other tags there are compile errors, text is ignored.
 * - A block whose tags share their line with other text is filled in
 *   place; the lines after the first of an argument replacing it take the
 *   indentation of that line. A block on lines of its own is indented like
 *   its default content, as the inheritance spec asks.
 */
#ifndef TESSERA_TMPL_H
#define TESSERA_TMPL_H

#include <stddef.h>

struct arena;
struct buf;
struct json_object;
struct tmpl_set;
struct tmpl_value;

/* Nesting of sections, partials, parents and blocks, at compile time within
 * one template and at render time across templates. */
#define TMPL_MAX_DEPTH 64
/* Default cap on the work of one render, counted in template nodes visited,
 * so a runaway template cannot keep a worker busy forever. */
#define TMPL_MAX_STEPS 10000000UL

struct tmpl_error {
	char file[256]; /* template name, or file path when loading */
	int line;       /* 1-based; 0 when the error has no line */
	char reason[256];
};

/* Returns an empty set; never fails. The caller frees it with
 * tmpl_set_free(). */
struct tmpl_set *tmpl_set_new(void);
void tmpl_set_free(struct tmpl_set *set);

/*
 * Compiles src (len bytes, need not be NUL-terminated) as template name,
 * replacing any template of that name. The set keeps its own copies of name
 * and src. Returns 0, or -1 with err filled in (file is name) if src does
 * not compile; the set is then unchanged.
 */
int tmpl_set_add(struct tmpl_set *set, const char *name, const char *src,
    size_t len, struct tmpl_error *err);

/*
 * Adds every regular file NAME.mustache in dir, as template NAME. Returns
 * 0, or -1 with err naming the file (path), the line and the reason at the
 * first file that cannot be read or compiled; templates added before it
 * stay in the set.
 */
int tmpl_set_load_dir(
    struct tmpl_set *set, const char *dir, struct tmpl_error *err);

/* Replaces the TMPL_MAX_STEPS cap for renders from this set. */
void tmpl_set_max_steps(struct tmpl_set *set, unsigned long steps);

/*
 * Renders template name with ctx (NULL for an empty context) as the root of
 * the context stack, appending the output to out. Returns 0, or -1 if there
 * is no such template, or if a branch went deeper than TMPL_MAX_DEPTH or the
 * render took more than the step cap; such branches are cut, out holds an
 * incomplete page that must not be sent, and the cause is logged.
 */
int tmpl_render(const struct tmpl_set *set, const char *name,
    const struct tmpl_value *ctx, struct buf *out);

/* Appends s with & < > " ' written as HTML character references. This is
 * the one place that knows which characters HTML needs escaped. */
void tmpl_escape(struct buf *out, const char *s, size_t len);

/*
 * View context values. All are allocated from the arena given (never fail)
 * and live as long as it does. Strings are not copied unless the function
 * says so: the caller keeps them alive until rendering is done. Keys given
 * to tv_set() are not copied either (string literals are the usual keys).
 */
struct tmpl_value *tv_null(struct arena *a);
struct tmpl_value *tv_bool(struct arena *a, int b);
struct tmpl_value *tv_int(struct arena *a, long long n);
struct tmpl_value *tv_number(struct arena *a, double n);
/* A NULL s gives a null value, so a nullable column can be passed as is. */
struct tmpl_value *tv_string(struct arena *a, const char *s);
struct tmpl_value *tv_stringn(struct arena *a, const char *s, size_t len);
struct tmpl_value *tv_string_copy(struct arena *a, const char *s);
struct tmpl_value *tv_stringn_copy(struct arena *a, const char *s, size_t len);
struct tmpl_value *tv_list(struct arena *a);
struct tmpl_value *tv_object(struct arena *a);

/*
 * Sets key of obj to v; keys keep their first-set order and setting a key
 * again replaces its value. A NULL v is stored as null. obj must be an
 * object and list a list: anything else is a bug in the caller and aborts.
 */
void tv_set(struct arena *a, struct tmpl_value *obj, const char *key,
    const struct tmpl_value *v);
void tv_set_str(
    struct arena *a, struct tmpl_value *obj, const char *key, const char *s);
void tv_set_int(
    struct arena *a, struct tmpl_value *obj, const char *key, long long n);
void tv_set_bool(
    struct arena *a, struct tmpl_value *obj, const char *key, int b);
void tv_push(
    struct arena *a, struct tmpl_value *list, const struct tmpl_value *v);
/* Items of a list or keys of an object; 0 for other values. */
size_t tv_len(const struct tmpl_value *v);

/* Converts a json-c value (NULL is JSON null) into an arena-owned tmpl
 * value, copying strings and keys, so obj may be released afterwards. */
struct tmpl_value *tmpl_json_to_value(struct arena *a, struct json_object *obj);

#endif
