/*
 * Subcommands of the `tessera` command line. Each takes the arguments
 * after "tessera" (argv[0] is the subcommand's name) and returns the exit
 * status.
 */
#ifndef TESSERA_CLI_H
#define TESSERA_CLI_H

int cli_migrate(int argc, char **argv);
int cli_render(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_create_admin(int argc, char **argv);
int cli_script(int argc, char **argv);
int cli_sweep_media(int argc, char **argv);

struct arena;
struct db;

/* SQL scripts (cli_sql.c): a file read whole, and its statements split at
 * semicolons outside quotes and comments (comments dropped), NULL-ended;
 * all arena-owned. */
char *cli_read_file(struct arena *ar, const char *path);
char **cli_sql_split(struct arena *ar, const char *sql);

/* check-config's checks: each prints its lines and returns 0 when all is
 * well, -1 when not. */
int cli_check_grants(struct db *db, struct arena *ar, const char *sql_dir,
    const char *user);
int cli_check_cert(const char *path, int warn_days);

#endif
