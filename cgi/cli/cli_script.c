#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/*
 * The subcommands that drive other programs (useradd, systemctl, nginx,
 * certbot, mariadb-dump, tar) are shell scripts in TESSERA_LIBEXECDIR:
 * each is a sequence of those tools' own invocations, which a script keeps
 * readable and a C wrapper would only hide. TESSERA_LIBEXEC_DIR replaces
 * the folder, for a tree installed with DESTDIR. Returns only on failure.
 */
int
cli_script(int argc, char **argv)
{
	const char *dir = getenv("TESSERA_LIBEXEC_DIR");
	char path[4096];

	(void)argc;
	if (dir == NULL || *dir == '\0')
		dir = TESSERA_LIBEXECDIR;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, argv[0]) >=
	    sizeof(path)) {
		fprintf(stderr, "tessera %s: the path is too long\n", argv[0]);
		return 2;
	}
	execv(path, argv);
	fprintf(stderr, "tessera %s: %s: %s\n", argv[0], path, strerror(errno));
	return 127;
}
