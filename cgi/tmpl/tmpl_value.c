#include "tmpl_private.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "log.h"

static struct tmpl_value *
tv_new(struct arena *a, enum tv_type type)
{
	struct tmpl_value *v = arena_calloc(a, 1, sizeof(*v));

	v->type = type;
	return v;
}

struct tmpl_value *
tv_null(struct arena *a)
{
	return tv_new(a, TV_NULL);
}

struct tmpl_value *
tv_bool(struct arena *a, int b)
{
	struct tmpl_value *v = tv_new(a, TV_BOOL);

	v->u.boolean = b != 0;
	return v;
}

struct tmpl_value *
tv_int(struct arena *a, long long n)
{
	struct tmpl_value *v = tv_new(a, TV_INT);

	v->u.integer = n;
	return v;
}

struct tmpl_value *
tv_number(struct arena *a, double n)
{
	struct tmpl_value *v = tv_new(a, TV_NUMBER);

	v->u.number = n;
	return v;
}

struct tmpl_value *
tv_stringn(struct arena *a, const char *s, size_t len)
{
	struct tmpl_value *v;

	if (s == NULL)
		return tv_null(a);
	v = tv_new(a, TV_STRING);
	v->u.str.s = s;
	v->u.str.len = len;
	return v;
}

struct tmpl_value *
tv_string(struct arena *a, const char *s)
{
	return tv_stringn(a, s, s == NULL ? 0 : strlen(s));
}

struct tmpl_value *
tv_stringn_copy(struct arena *a, const char *s, size_t len)
{
	if (s == NULL)
		return tv_null(a);
	return tv_stringn(a, arena_strndup(a, s, len), len);
}

struct tmpl_value *
tv_string_copy(struct arena *a, const char *s)
{
	return tv_stringn_copy(a, s, s == NULL ? 0 : strlen(s));
}

struct tmpl_value *
tv_list(struct arena *a)
{
	return tv_new(a, TV_LIST);
}

struct tmpl_value *
tv_object(struct arena *a)
{
	return tv_new(a, TV_OBJECT);
}

static struct tv_entry *
tv_find(const struct tmpl_value *obj, const char *key, size_t keylen)
{
	struct tv_entry *e;

	for (e = obj->u.agg.head; e != NULL; e = e->next)
		if (e->keylen == keylen && memcmp(e->key, key, keylen) == 0)
			return e;
	return NULL;
}

static void
tv_append(struct arena *a, struct tmpl_value *agg, const char *key,
    size_t keylen, const struct tmpl_value *v)
{
	struct tv_entry *e = arena_alloc(a, sizeof(*e));

	e->key = key;
	e->keylen = keylen;
	e->value = v != NULL ? v : tv_null(a);
	e->next = NULL;
	if (agg->u.agg.tail == NULL)
		agg->u.agg.head = e;
	else
		agg->u.agg.tail->next = e;
	agg->u.agg.tail = e;
	agg->u.agg.len++;
}

/*
 * Building a context is program logic, not input handling: a wrong type
 * here is a bug in the handler, so it aborts rather than rendering a page
 * with silently missing data.
 */
void
tv_set(struct arena *a, struct tmpl_value *obj, const char *key,
    const struct tmpl_value *v)
{
	size_t keylen = strlen(key);
	struct tv_entry *e;

	if (obj->type != TV_OBJECT) {
		log_err("%s: \"%s\" set on a value that is not an object",
		    __func__, key);
		abort();
	}
	if ((e = tv_find(obj, key, keylen)) != NULL)
		e->value = v != NULL ? v : tv_null(a);
	else
		tv_append(a, obj, key, keylen, v);
}

void
tv_set_str(
    struct arena *a, struct tmpl_value *obj, const char *key, const char *s)
{
	tv_set(a, obj, key, tv_string(a, s));
}

void
tv_set_int(
    struct arena *a, struct tmpl_value *obj, const char *key, long long n)
{
	tv_set(a, obj, key, tv_int(a, n));
}

void
tv_set_bool(struct arena *a, struct tmpl_value *obj, const char *key, int b)
{
	tv_set(a, obj, key, tv_bool(a, b));
}

void
tv_push(struct arena *a, struct tmpl_value *list, const struct tmpl_value *v)
{
	if (list->type != TV_LIST) {
		log_err("%s: push on a value that is not a list", __func__);
		abort();
	}
	tv_append(a, list, NULL, 0, v);
}

size_t
tv_len(const struct tmpl_value *v)
{
	if (v->type != TV_LIST && v->type != TV_OBJECT)
		return 0;
	return v->u.agg.len;
}

const struct tmpl_value *
tv_get(const struct tmpl_value *obj, const char *key, size_t keylen)
{
	const struct tv_entry *e;

	if (obj->type != TV_OBJECT)
		return NULL;
	if ((e = tv_find(obj, key, keylen)) == NULL)
		return NULL;
	return e->value;
}

int
tv_truthy(const struct tmpl_value *v)
{
	switch (v->type) {
	case TV_NULL:
		return 0;
	case TV_BOOL:
		return v->u.boolean;
	case TV_STRING:
		return v->u.str.len > 0;
	case TV_LIST:
		return v->u.agg.len > 0;
	case TV_INT:
	case TV_NUMBER:
	case TV_OBJECT:
		return 1;
	}
	return 1;
}
