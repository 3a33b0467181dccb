/*
 * `tessera render TEMPLATE DATA.json [PARTIALS_DIR]`: renders one template
 * file against JSON data and prints the result, so templates can be checked
 * by hand and from scripts without the web stack. Partials and parents are
 * the NAME.mustache files of PARTIALS_DIR, by default the directory of
 * TEMPLATE.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "tmpl.h"
#include "util.h"

#define RENDER_USAGE "usage: tessera render TEMPLATE DATA.json [PARTIALS_DIR]"
#define RENDER_SUFFIX ".mustache"

/* Reads all of path into b; on failure prints why and returns -1. */
static int
render_read(const char *path, struct buf *b)
{
	char chunk[8192];
	size_t n;
	FILE *f;
	int rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(
		    stderr, "tessera render: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(b, chunk, n);
	if (ferror(f)) {
		fprintf(stderr, "tessera render: %s: read error\n", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

/* Parses path as one JSON document into an arena-owned value, or prints
 * why it cannot and returns NULL. */
static struct tmpl_value *
render_data(struct arena *a, const char *path)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *obj = NULL;
	struct tmpl_value *v = NULL;
	enum json_tokener_error jerr;
	struct buf b;
	size_t end;

	buf_init(&b);
	if (tok == NULL || render_read(path, &b) == -1)
		goto out;
	if (b.len == 0) {
		fprintf(stderr, "tessera render: %s: empty file\n", path);
		goto out;
	}
	/* The terminating NUL goes in too: it tells the tokener the input
	 * ended, which a bare number at the end of the file needs. */
	obj = json_tokener_parse_ex(tok, b.data, (int)b.len + 1);
	jerr = json_tokener_get_error(tok);
	if (jerr == json_tokener_continue) {
		fprintf(stderr, "tessera render: %s: unexpected end of JSON\n",
		    path);
		goto out;
	}
	if (jerr != json_tokener_success) {
		fprintf(stderr, "tessera render: %s: %s\n", path,
		    json_tokener_error_desc(jerr));
		goto out;
	}
	for (end = json_tokener_get_parse_end(tok); end < b.len; end++)
		if (strchr(" \t\r\n", b.data[end]) == NULL) {
			fprintf(stderr,
			    "tessera render: %s: data after the "
			    "JSON value\n",
			    path);
			goto out;
		}
	v = tmpl_json_to_value(a, obj);
out:
	json_object_put(obj);
	if (tok != NULL)
		json_tokener_free(tok);
	buf_free(&b);
	return v;
}

/* The template name of path: its file name without ".mustache". */
static char *
render_name(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len, slen = strlen(RENDER_SUFFIX);
	char *name;

	name = xstrdup(base != NULL ? base + 1 : path);
	len = strlen(name);
	if (len > slen && strcmp(name + len - slen, RENDER_SUFFIX) == 0)
		name[len - slen] = '\0';
	return name;
}

int
cli_render(int argc, char **argv)
{
	struct tmpl_set *set = tmpl_set_new();
	struct tmpl_value *data;
	struct tmpl_error err;
	struct arena arena;
	struct buf src, out;
	char *dircopy = NULL, *name = NULL;
	const char *tpath, *dir;
	int rc = 1;

	arena_init(&arena, 0);
	buf_init(&src);
	buf_init(&out);
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "%s\n", RENDER_USAGE);
		goto out;
	}
	tpath = argv[1];
	if (argc == 4)
		dir = argv[3];
	else {
		dircopy = xstrdup(tpath);
		dir = dirname(dircopy);
	}
	if (render_read(tpath, &src) == -1)
		goto out;
	if (tmpl_set_load_dir(set, dir, &err) == -1) {
		if (err.line > 0)
			fprintf(stderr, "%s:%d: %s\n", err.file, err.line,
			    err.reason);
		else
			fprintf(stderr, "tessera render: %s: %s\n", err.file,
			    err.reason);
		goto out;
	}
	name = render_name(tpath);
	if (tmpl_set_add(set, name, src.data != NULL ? src.data : "", src.len,
		&err) == -1) {
		fprintf(stderr, "%s:%d: %s\n", tpath, err.line, err.reason);
		goto out;
	}
	if ((data = render_data(&arena, argv[2])) == NULL)
		goto out;
	if (tmpl_render(set, name, data, &out) == -1) {
		fprintf(
		    stderr, "tessera render: %s: rendering failed\n", tpath);
		goto out;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) == EOF) {
		fprintf(stderr, "tessera render: writing output: %s\n",
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(name);
	free(dircopy);
	buf_free(&out);
	buf_free(&src);
	arena_free(&arena);
	tmpl_set_free(set);
	return rc;
}
