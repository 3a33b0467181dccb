#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "util.h"

static const struct {
	const char *name;
	int (*run)(int, char **);
	const char *help;
} commands[] = {
	{ "migrate", cli_migrate,
	    "apply the numbered migrations in TESSERA_SQL_DIR not yet applied" },
	{ "render", cli_render,
	    "TEMPLATE DATA.json [PARTIALS_DIR]: print a rendered template" },
	{ "create-admin", cli_create_admin,
	    "EMAIL: make an existing account a site admin" },
	{ "check", cli_check,
	    "check the configuration, templates and every database server" },
	{ "check-config", cli_check,
	    "[--root DIR]: the same and more for a production site, for "
	    "each program of /etc/tessera (or the one of the environment)" },
	{ "setup", cli_script,
	    "--host NAME: make this machine a Tessera site (as root)" },
	{ "backup", cli_script,
	    "DIR: the database, its accounts and the media into DIR" },
	{ "restore", cli_script,
	    "DIR: a backup back, once its checksums match" },
	{ "promote", cli_script,
	    "[--root DIR] [--wait S] [--db-socket PATH] SERVER: a replica "
	    "becomes the primary, the programs' settings name it" },
	{ "rejoin", cli_script,
	    "[--root DIR] [--wait S] [--db-socket PATH] OLD NEW: the old "
	    "primary becomes a read-only replica of the new one" },
	{ "sweep-media", cli_sweep_media,
	    "[--dry-run] [--min-age S]: remove media files of no picture" },
};

static void
usage(void)
{
	fprintf(stderr, "usage: tessera COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		fprintf(stderr, "  %-13s %s\n", commands[i].name, commands[i].help);
}

int
main(int argc, char **argv)
{
	log_set_program("tessera");
	if (argc < 2) {
		usage();
		return 2;
	}
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "tessera: unknown command \"%s\"\n\n", argv[1]);
	usage();
	return 2;
}
