#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "cli.h"
#include "util.h"

/*
 * Splits a SQL script into statements at semicolons outside quotes and
 * comments. Comments are dropped. Returns the statements in order, each
 * arena-owned, ending with NULL.
 */
char **
cli_sql_split(struct arena *ar, const char *sql)
{
	char **stmts = NULL;
	size_t n = 0, cap = 0;
	struct buf cur;
	const char *p = sql;

	buf_init(&cur);
	for (;;) {
		char c = *p;

		if (c == '\0' || c == ';') {
			size_t start = 0, end = cur.len;

			while (start < end && strchr(" \t\r\n", cur.data[start]))
				start++;
			while (end > start && strchr(" \t\r\n", cur.data[end - 1]))
				end--;
			if (end > start) {
				if (n + 1 >= cap) {
					cap = cap ? cap * 2 : 16;
					stmts = xrealloc(stmts, cap * sizeof(*stmts));
				}
				stmts[n++] = arena_strndup(ar, cur.data + start,
				    end - start);
			}
			buf_reset(&cur);
			if (c == '\0')
				break;
			p++;
			continue;
		}
		if ((c == '-' && p[1] == '-' && (p[2] == ' ' || p[2] == '\n' ||
		    p[2] == '\t')) || c == '#') {
			while (*p != '\0' && *p != '\n')
				p++;
			continue;
		}
		if (c == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");

			p = end ? end + 2 : p + strlen(p);
			continue;
		}
		if (c == '\'' || c == '"' || c == '`') {
			const char *q = p + 1;

			while (*q != '\0' && *q != c) {
				if (*q == '\\' && q[1] != '\0')
					q++;
				q++;
			}
			if (*q == c)
				q++;
			buf_append(&cur, p, (size_t)(q - p));
			p = q;
			continue;
		}
		buf_putc(&cur, c);
		p++;
	}
	buf_free(&cur);
	char **out = arena_alloc(ar, (n + 1) * sizeof(*out));

	for (size_t i = 0; i < n; i++)
		out[i] = stmts[i];
	out[n] = NULL;
	free(stmts);
	return out;
}

/* The whole file, arena-owned, or NULL (errno says why). */
char *
cli_read_file(struct arena *ar, const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[8192];
	size_t got;
	char *s;

	if (f == NULL)
		return NULL;
	buf_init(&b);
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, got);
	fclose(f);
	s = arena_strndup(ar, b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}
