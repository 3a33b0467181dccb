/*
 * Internals shared by the template engine's files: the value
 * representation (tmpl_value.c), the compiled form (tmpl_compile.c) and
 * the set, which the renderer (tmpl_render.c) reads. Callers include
 * tmpl.h only.
 */
#ifndef TESSERA_TMPL_PRIVATE_H
#define TESSERA_TMPL_PRIVATE_H

#include <stddef.h>

#include "arena.h"
#include "tmpl.h"

enum tv_type {
	TV_NULL,
	TV_BOOL,
	TV_INT,
	TV_NUMBER,
	TV_STRING,
	TV_LIST,
	TV_OBJECT,
};

/* One list item or object member; members are kept in insertion order. */
struct tv_entry {
	const char *key; /* NULL in lists */
	size_t keylen;
	const struct tmpl_value *value;
	struct tv_entry *next;
};

struct tmpl_value {
	enum tv_type type;
	union {
		int boolean;
		long long integer;
		double number;
		struct {
			const char *s;
			size_t len;
		} str;
		struct {
			struct tv_entry *head;
			struct tv_entry *tail;
			size_t len;
		} agg; /* TV_LIST and TV_OBJECT */
	} u;
};

/* The member key of obj, or NULL if obj is not an object or lacks it. */
const struct tmpl_value *tv_get(
    const struct tmpl_value *obj, const char *key, size_t keylen);
int tv_truthy(const struct tmpl_value *v);

/*
 * Compiled templates are linked trees of nodes. Every pointer in them
 * (texts, names, indentation) points into the template's own arena, which
 * holds a copy of the source.
 */
enum tmpl_op {
	OP_TEXT,     /* text, len */
	OP_VAR,      /* {{name}}, escaped */
	OP_RAW,      /* {{{name}}} and {{&name}} */
	OP_SECTION,  /* {{#name}} child {{/name}} */
	OP_INVERTED, /* {{^name}} child {{/name}} */
	OP_PARTIAL,  /* {{>text}}, or {{>*name}} when dynamic */
	OP_PARENT,   /* {{<text}} child: its OP_BLOCK arguments {{/text}} */
	OP_BLOCK,    /* {{$text}} child: default content {{/text}} */
};

struct tmpl_part {
	const char *s;
	size_t len;
};

/* A dotted name split at its dots; no parts at all is the implicit
 * iterator ".". */
struct tmpl_name {
	const struct tmpl_part *parts;
	size_t nparts;
};

struct tmpl_node {
	enum tmpl_op op;
	/* OP_TEXT: the text. Partial, parent, block: the name as written. */
	const char *text;
	size_t len;
	struct tmpl_name name; /* variables, sections, dynamic names */
	int dynamic;           /* partial or parent named by name */
	/*
	 * Standalone partial or parent: the indentation put before each line
	 * it renders. Block: the indentation put before each line of an
	 * argument that replaces it. Block argument: strip is how many
	 * leading blanks its lines carry in the source, removed when it is
	 * used.
	 */
	const char *indent;
	size_t indentlen;
	size_t strip;
	struct tmpl_node *child;
	struct tmpl_node *next;
};

struct tmpl {
	char *name; /* arena-owned, NUL-terminated */
	size_t namelen;
	struct arena arena;           /* source copy, nodes, names */
	const struct tmpl_node *root; /* NULL for an empty template */
};

struct tmpl_set {
	struct tmpl **v; /* sorted by name (memcmp order) */
	size_t len;
	size_t cap;
	unsigned long max_steps;
};

/* The template called name (len bytes), or NULL. */
const struct tmpl *tmpl_set_find(
    const struct tmpl_set *set, const char *name, size_t len);

#endif
