/*
 * Runs the mustache spec (https://github.com/mustache/spec, vendored under
 * ../shared/mustache-spec) against the template engine: every test of every
 * JSON file in $MUSTACHE_SPEC_DIR becomes one TAP line. The optional lambda
 * module is skipped (the engine has no lambdas); every other file must pass
 * in full. A spec directory that cannot be read fails the run.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "tap.h"
#include "tmpl.h"
#include "util.h"

#define DEFAULT_SPEC_DIR "../shared/mustache-spec/specs"
/* Partials in the spec are plain names; this one cannot clash with them. */
#define MAIN_NAME "spec test template"

static const char *const skipped[] = {
    "~lambdas.json",
};

static const char *const required[] = {
    "comments.json",
    "delimiters.json",
    "interpolation.json",
    "inverted.json",
    "partials.json",
    "sections.json",
    "~inheritance.json",
    "~dynamic-names.json",
};

/* Prints s as a TAP diagnostic, newlines and tabs made visible. */
static void
diag_str(const char *label, const char *s)
{
	printf("#   %s \"", label);
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			fputs("\\n", stdout);
		else if (*s == '\r')
			fputs("\\r", stdout);
		else if (*s == '\t')
			fputs("\\t", stdout);
		else
			putchar(*s);
	}
	puts("\"");
}

static const char *
get_str(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Runs one spec test; returns whether it passed. */
static int
run_test(const char *file, struct json_object *test)
{
	const char *name = get_str(test, "name");
	const char *src = get_str(test, "template");
	const char *want = get_str(test, "expected");
	struct json_object *data = NULL, *partials = NULL;
	struct tmpl_set *set = tmpl_set_new();
	struct tmpl_error err;
	struct arena arena;
	struct buf out;
	int compiled = 1, rendered = 0, pass;

	arena_init(&arena, 0);
	buf_init(&out);
	json_object_object_get_ex(test, "data", &data);
	if (json_object_object_get_ex(test, "partials", &partials)) {
		json_object_object_foreach(partials, pname, psrc)
		{
			const char *s = json_object_get_string(psrc);

			if (tmpl_set_add(set, pname, s, strlen(s), &err) == -1)
				compiled = 0;
		}
	}
	if (src == NULL || want == NULL)
		compiled = 0;
	else if (tmpl_set_add(set, MAIN_NAME, src, strlen(src), &err) == -1)
		compiled = 0;
	if (compiled)
		rendered = tmpl_render(set, MAIN_NAME,
			       tmpl_json_to_value(&arena, data), &out) == 0;
	pass = compiled && rendered && strcmp(out.data, want) == 0;
	ok(pass, "%s: %s", file, name != NULL ? name : "(unnamed)");
	if (!compiled)
		printf("#   %s:%d: %s\n", err.file, err.line, err.reason);
	else if (!pass) {
		diag_str("got ", out.data != NULL ? out.data : "");
		diag_str("want", want);
	}
	buf_free(&out);
	arena_free(&arena);
	tmpl_set_free(set);
	return pass;
}

static void
run_file(const char *dir, const char *file)
{
	char path[4096];
	struct json_object *spec, *tests;
	size_t i, n, passed = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((spec = json_object_from_file(path)) == NULL ||
	    !json_object_object_get_ex(spec, "tests", &tests) ||
	    !json_object_is_type(tests, json_type_array)) {
		ok(0, "%s: readable spec file", file);
		printf("#   %s: %s\n", path, json_util_get_last_err());
		json_object_put(spec);
		return;
	}
	n = json_object_array_length(tests);
	for (i = 0; i < n; i++)
		passed += run_test(file, json_object_array_get_idx(tests, i));
	printf("# %s: %zu/%zu passed\n", file, passed, n);
	json_object_put(spec);
}

static int
is_json(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return len > 5 && strcmp(d->d_name + len - 5, ".json") == 0;
}

int
main(void)
{
	const char *dir = getenv("MUSTACHE_SPEC_DIR");
	struct dirent **ents;
	size_t i, k;
	int n, j, seen;

	if (dir == NULL || *dir == '\0')
		dir = DEFAULT_SPEC_DIR;
	if ((n = scandir(dir, &ents, is_json, alphasort)) == -1) {
		ok(0, "spec directory %s can be read", dir);
		perror(dir);
		return done_testing();
	}
	for (j = 0; j < n; j++) {
		for (k = 0; k < ARRAY_LEN(skipped); k++)
			if (strcmp(ents[j]->d_name, skipped[k]) == 0)
				break;
		if (k < ARRAY_LEN(skipped))
			printf("# %s: skipped (optional module, not "
			       "supported)\n",
			    ents[j]->d_name);
		else
			run_file(dir, ents[j]->d_name);
	}
	for (i = 0; i < ARRAY_LEN(required); i++) {
		for (j = 0, seen = 0; j < n; j++)
			seen |= strcmp(ents[j]->d_name, required[i]) == 0;
		if (!seen)
			ok(0, "%s is in %s", required[i], dir);
	}
	for (j = 0; j < n; j++)
		free(ents[j]);
	free(ents);
	return done_testing();
}
