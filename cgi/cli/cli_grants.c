#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "cli.h"
#include "db.h"
#include "util.h"

/*
 * check-config's grants check: what the connected account may do, read
 * from information_schema, against what sql/database.sql and
 * sql/grants.sql give it. Both sides become lines "PRIV ON db.table" or
 * "PRIV(column) ON db.table" ("ALL ON db.*" for ALL PRIVILEGES), so a
 * missing grant and one too many are each named.
 */

enum grant_stmt { GRANT_WHO, GRANT_GLOBAL, GRANT_SCHEMA, GRANT_TABLE,
	GRANT_COLUMN, GRANT__MAX };
static const char *const grant_stmts[GRANT__MAX] = {
	/* GRANT_WHO: the grantee as information_schema spells it */
	"SELECT CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''',"
	" SUBSTRING_INDEX(CURRENT_USER(), '@', -1), ''''),"
	" SUBSTRING_INDEX(CURRENT_USER(), '@', 1)",
	/* GRANT_GLOBAL */
	"SELECT CONCAT(privilege_type, ' ON *.*')"
	" FROM information_schema.user_privileges"
	" WHERE grantee = ? AND privilege_type <> 'USAGE'",
	/* GRANT_SCHEMA */
	"SELECT CONCAT(privilege_type, ' ON ', table_schema, '.*')"
	" FROM information_schema.schema_privileges WHERE grantee = ?",
	/* GRANT_TABLE */
	"SELECT CONCAT(privilege_type, ' ON ', table_schema, '.', table_name)"
	" FROM information_schema.table_privileges WHERE grantee = ?",
	/* GRANT_COLUMN */
	"SELECT CONCAT(privilege_type, '(', column_name, ') ON ', table_schema,"
	" '.', table_name) FROM information_schema.column_privileges"
	" WHERE grantee = ?",
};

#define GRANTS_MAX 1024

struct grant_set {
	const char *item[GRANTS_MAX];
	size_t n;
};

static void
set_add(struct grant_set *s, const char *item)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->item[i], item) == 0)
			return;
	if (s->n < GRANTS_MAX)
		s->item[s->n++] = item;
}

static int
set_has(const struct grant_set *s, const char *item)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->item[i], item) == 0)
			return 1;
	return 0;
}

/* Whether s grants item: ALL on an object covers every privilege on it,
 * and is had when any privilege on it is. */
static int
set_covers(const struct grant_set *s, struct arena *ar, const char *item)
{
	const char *on = strstr(item, " ON ");

	if (set_has(s, item))
		return 1;
	if (on == NULL)
		return 0;
	if (strncmp(item, "ALL ON ", 7) == 0) {
		for (size_t i = 0; i < s->n; i++) {
			const char *o = strstr(s->item[i], " ON ");

			if (o != NULL && strcmp(o, on) == 0)
				return 1;
		}
		return 0;
	}
	return set_has(s, arena_printf(ar, "ALL%s", on));
}

/* The text trimmed of spaces, arena-owned. */
static char *
trim(struct arena *ar, const char *s, size_t n)
{
	while (n > 0 && *s == ' ')
		s++, n--;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return arena_strndup(ar, s, n);
}

/* One privilege of a GRANT's list ("SELECT", "UPDATE (a, b)") on object
 * into the set, one line per column. */
static void
add_privilege(struct grant_set *s, struct arena *ar, const char *priv,
    const char *object)
{
	const char *paren = strchr(priv, '(');
	char *name = trim(ar, priv, paren ? (size_t)(paren - priv) :
	    strlen(priv));
	const char *c, *end;

	if (strcmp(name, "ALL PRIVILEGES") == 0 || strcmp(name, "ALL") == 0) {
		set_add(s, arena_printf(ar, "ALL ON %s", object));
		return;
	}
	if (paren == NULL) {
		set_add(s, arena_printf(ar, "%s ON %s", name, object));
		return;
	}
	for (c = paren + 1; *c != '\0' && *c != ')'; c = *end ? end + 1 : end) {
		end = c + strcspn(c, ",)");
		set_add(s, arena_printf(ar, "%s(%s) ON %s", name,
		    trim(ar, c, (size_t)(end - c)), object));
		if (*end == ')')
			break;
	}
}

/* The GRANT statements of one file that name 'user'@ into the set. Returns
 * how many there were, or -1 when the file cannot be read. */
static int
expected_from(struct grant_set *s, struct arena *ar, const char *path,
    const char *user)
{
	char *sql = cli_read_file(ar, path), **stmts;
	char *who = arena_printf(ar, "'%s'@", user);
	int found = 0;

	if (sql == NULL)
		return -1;
	stmts = cli_sql_split(ar, sql);
	for (size_t i = 0; stmts[i] != NULL; i++) {
		const char *st = stmts[i], *on, *to, *p, *start;
		char *object;
		int depth = 0;

		for (char *c = stmts[i]; *c != '\0'; c++)
			if (*c == '\n' || *c == '\t' || *c == '\r')
				*c = ' ';
		if (strncmp(st, "GRANT ", 6) != 0 ||
		    (on = strstr(st, " ON ")) == NULL ||
		    (to = strstr(on, " TO ")) == NULL || strstr(to, who) == NULL)
			continue;
		found++;
		object = trim(ar, on + 4, (size_t)(to - on - 4));
		for (p = start = st + 6; p <= on; p++) {
			if (*p == '(')
				depth++;
			else if (*p == ')')
				depth--;
			else if ((*p == ',' && depth == 0) || p == on)
				add_privilege(s, ar, trim(ar, start,
				    (size_t)(p - start)), object), start = p + 1;
		}
	}
	return found;
}

/* Prints the items of a not covered by b, with what to say about them. */
static int
report(const struct grant_set *a, const struct grant_set *b,
    struct arena *ar, const char *user, const char *what)
{
	int bad = 0;

	for (size_t i = 0; i < a->n; i++) {
		if (set_covers(b, ar, a->item[i]))
			continue;
		printf("grants: %s %s %s\n", user, what, a->item[i]);
		bad = -1;
	}
	return bad;
}

int
cli_check_grants(struct db *db, struct arena *ar, const char *sql_dir,
    const char *user)
{
	static struct grant_set want, have;
	static const char *const files[] = { "database.sql", "grants.sql" };
	struct db_rows rows;
	const char *grantee;
	int found = 0, n, rc;

	want.n = have.n = 0;
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		n = expected_from(&want, ar, arena_printf(ar, "%s/%s", sql_dir,
		    files[i]), user);
		if (n < 0) {
			printf("grants: cannot read %s/%s (TESSERA_SQL_DIR)\n",
			    sql_dir, files[i]);
			return -1;
		}
		found += n;
	}
	if (found == 0) {
		printf("grants: %s/grants.sql gives %s nothing: is "
		    "TESSERA_DB_USER right?\n", sql_dir, user);
		return -1;
	}
	if (db_query(db, ar, DB_PRIMARY, grant_stmts[GRANT_WHO], NULL, 0,
	    &rows) != DB_OK || rows.nrows != 1) {
		printf("grants: cannot ask the primary who this account is\n");
		return -1;
	}
	grantee = db_cell(&rows, 0, 0);
	for (int q = GRANT_GLOBAL; q < GRANT__MAX; q++) {
		struct db_arg arg = DB_STR(grantee);

		if (db_query(db, ar, DB_PRIMARY, grant_stmts[q], &arg, 1,
		    &rows) != DB_OK) {
			printf("grants: cannot read information_schema\n");
			return -1;
		}
		for (size_t i = 0; i < rows.nrows; i++)
			set_add(&have, db_cell(&rows, i, 0));
	}
	rc = report(&want, &have, ar, user,
	    "lacks, though sql/grants.sql gives it (run it again as root):");
	if (report(&have, &want, ar, user, "has more than sql/grants.sql "
	    "gives (run it again as root; it takes the rest back):") != 0)
		rc = -1;
	if (rc == 0)
		printf("grants: ok (%s has what sql/grants.sql gives it, %zu "
		    "privileges, and no more)\n", user, want.n);
	return rc;
}
