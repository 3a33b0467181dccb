#include "http_spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "crypto.h"
#include "log.h"

/* Every spool file's name starts so; a sweep touches nothing else. */
#define SPOOL_PREFIX "upload-"
/* 128 random bits: a name nobody can guess or race to create first. */
#define SPOOL_RANDOM_BYTES 16

int
spool_create(struct arena *a, const char *media_dir, const char **path)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char rnd[SPOOL_RANDOM_BYTES];
	char name[2 * SPOOL_RANDOM_BYTES + 1];
	const char *p;
	int fd;

	crypto_random(rnd, sizeof(rnd));
	for (size_t i = 0; i < sizeof(rnd); i++) {
		name[2 * i] = hex[rnd[i] >> 4];
		name[2 * i + 1] = hex[rnd[i] & 0xF];
	}
	name[sizeof(name) - 1] = '\0';
	p = arena_printf(a, "%s/" CONFIG_MEDIA_TMP "/" SPOOL_PREFIX "%s", media_dir,
	    name);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1) {
		log_err("%s: %s: %s", __func__, p, strerror(errno));
		return -1;
	}
	*path = p;
	return fd;
}

int
spool_sweep(const char *media_dir, time_t max_age)
{
	char dir[PATH_MAX];
	time_t now = time(NULL);
	struct dirent *de;
	struct stat st;
	int dfd, removed = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/" CONFIG_MEDIA_TMP, media_dir);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1 || (d = fdopendir(dfd)) == NULL) {
		log_err("%s: %s: %s", __func__, dir, strerror(errno));
		if (dfd != -1)
			close(dfd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, SPOOL_PREFIX,
		    sizeof(SPOOL_PREFIX) - 1) != 0)
			continue;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || now - st.st_mtime <= max_age)
			continue;
		if (unlinkat(dfd, de->d_name, 0) == 0)
			removed++;
		else if (errno != ENOENT)
			log_err("%s: %s/%s: %s", __func__, dir, de->d_name,
			    strerror(errno));
	}
	closedir(d);
	if (removed > 0)
		log_info("%s: removed %d upload%s left in %s by a worker that "
		    "died", __func__, removed, removed == 1 ? "" : "s", dir);
	return removed;
}
