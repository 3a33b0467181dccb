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
int cli_sweep_media(int argc, char **argv);

#endif
