#include "tmpl_private.h"

#include <json-c/json.h>

#include "arena.h"

struct tmpl_value *
tmpl_json_to_value(struct arena *a, struct json_object *obj)
{
	struct tmpl_value *v;
	size_t i, n;

	switch (json_object_get_type(obj)) {
	case json_type_boolean:
		return tv_bool(a, json_object_get_boolean(obj));
	case json_type_int:
		return tv_int(a, (long long)json_object_get_int64(obj));
	case json_type_double:
		return tv_number(a, json_object_get_double(obj));
	case json_type_string:
		return tv_stringn_copy(a, json_object_get_string(obj),
		    (size_t)json_object_get_string_len(obj));
	case json_type_array:
		v = tv_list(a);
		n = json_object_array_length(obj);
		for (i = 0; i < n; i++)
			tv_push(a, v,
			    tmpl_json_to_value(
				a, json_object_array_get_idx(obj, i)));
		return v;
	case json_type_object:
		v = tv_object(a);
		json_object_object_foreach(obj, key, val) tv_set(
		    a, v, arena_strdup(a, key), tmpl_json_to_value(a, val));
		return v;
	case json_type_null:
		break;
	}
	return tv_null(a);
}
