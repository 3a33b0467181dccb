/*
 * The Big List of Naughty Strings (../shared/big-list-of-naughty-strings)
 * for the unit tests: found through $BLNS_JSON, which `make check` sets,
 * or next to the source tree, and read with json-c. A test that cannot
 * find it fails: hostile input is not optional.
 */
#ifndef TESSERA_TESTS_BLNS_H
#define TESSERA_TESTS_BLNS_H

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

/* The list as a json-c array of strings (the caller puts it), or NULL
 * after a failed TAP line saying why. */
static inline struct json_object *
blns_load(void)
{
	static const char *const tries[] = {
		"../shared/big-list-of-naughty-strings/blns.json",
		"../../shared/big-list-of-naughty-strings/blns.json",
	};
	const char *path = getenv("BLNS_JSON");
	struct json_object *list;

	for (size_t i = 0; (path == NULL || *path == '\0') &&
	    i < sizeof(tries) / sizeof(tries[0]); i++) {
		FILE *f = fopen(tries[i], "r");

		if (f != NULL) {
			fclose(f);
			path = tries[i];
		}
	}
	list = path ? json_object_from_file(path) : NULL;
	if (!ok(list != NULL && json_object_is_type(list, json_type_array),
	    "the naughty strings are readable (%s; set BLNS_JSON)",
	    path ? path : "not found")) {
		json_object_put(list);
		return NULL;
	}
	return list;
}

#endif
