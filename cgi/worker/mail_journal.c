#include "mail_journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

/* A line: "ID ATTEMPTS YYYY-MM-DD hh:mm:ss\n". */
#define MAIL_JOURNAL_LINE_MAX 80

/* Whether s is "YYYY-MM-DD hh:mm:ss". */
static int
mail_journal_stamp_ok(const char *s, size_t len)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd";

	if (len != MAIL_JOURNAL_STAMP_LEN)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
			return 0;
	return 1;
}

static void
mail_journal_remember(struct mail_journal *j, unsigned long long id,
    long long attempts, const char *created_at)
{
	struct mail_journal_entry *e;

	if (mail_journal_find(j, id, created_at) != NULL)
		return;
	if (j->n == j->cap) {
		j->cap = j->cap ? j->cap * 2 : 8;
		j->pending = xrealloc(j->pending, j->cap * sizeof(*j->pending));
	}
	e = &j->pending[j->n++];
	e->id = id;
	e->attempts = attempts;
	memcpy(e->created_at, created_at, MAIL_JOURNAL_STAMP_LEN);
	e->created_at[MAIL_JOURNAL_STAMP_LEN] = '\0';
}

/* One line without its newline into j->pending. Returns 0, or -1 when it
 * is not a journal line. */
static int
mail_journal_parse(struct mail_journal *j, const char *line, size_t len)
{
	char copy[MAIL_JOURNAL_LINE_MAX + 1], *p, *end;
	unsigned long long id;
	long long attempts;

	if (len > MAIL_JOURNAL_LINE_MAX)
		return -1;
	memcpy(copy, line, len);
	copy[len] = '\0';
	p = copy;
	if (*p < '1' || *p > '9')
		return -1;
	errno = 0;
	id = strtoull(p, &end, 10);
	if (errno != 0 || *end != ' ')
		return -1;
	p = end + 1;
	if (*p < '0' || *p > '9')
		return -1;
	attempts = strtoll(p, &end, 10);
	if (errno != 0 || *end != ' ')
		return -1;
	p = end + 1;
	if (!mail_journal_stamp_ok(p, strlen(p)))
		return -1;
	mail_journal_remember(j, id, attempts, p);
	return 0;
}

/* Reads the whole file into j->pending. Returns 0, or -1 with the reason
 * in err. */
static int
mail_journal_load(struct mail_journal *j, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0, cap = 0, start = 0, lineno = 1;
	ssize_t got;
	int rc = -1;

	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			text = xrealloc(text, cap);
		}
		if ((got = pread(j->fd, text + len, cap - len, (off_t)len)) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "%s: cannot read: %s", j->path,
			    strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	/* Only whole lines: one without its newline was being written. */
	for (size_t i = 0; i < len; i++) {
		if (text[i] != '\n')
			continue;
		if (mail_journal_parse(j, text + start, i - start) != 0) {
			snprintf(err, errlen, "%s: line %zu is not \"ID ATTEMPTS "
			    "CREATED_AT\"", j->path, lineno);
			goto out;
		}
		start = i + 1;
		lineno++;
	}
	if (start < len)
		log_err("%s: its last line was cut short (a crash while it was "
		    "written): that mail may go again", j->path);
	rc = 0;
out:
	free(text);
	return rc;
}

int
mail_journal_open(struct mail_journal *j, const char *dir, char *err,
    size_t errlen)
{
	memset(j, 0, sizeof(*j));
	j->fd = -1;
	if (dir == NULL)
		return 0;
	if ((size_t)snprintf(j->path, sizeof(j->path), "%s/%s", dir,
	    MAIL_JOURNAL_FILE) >= sizeof(j->path)) {
		snprintf(err, errlen, "TESSERA_STATE_DIR is too long");
		return -1;
	}
	/* It names the rows of mails sent: the worker's alone. */
	j->fd = open(j->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (j->fd == -1) {
		snprintf(err, errlen, "%s: cannot open: %s", j->path,
		    strerror(errno));
		return -1;
	}
	/* Two workers on one journal would each mark the other's rows and
	 * empty the file under it. */
	if (flock(j->fd, LOCK_EX | LOCK_NB) != 0) {
		snprintf(err, errlen, "%s: %s", j->path, errno == EWOULDBLOCK ?
		    "another tessera-worker uses this state directory" :
		    strerror(errno));
		goto fail;
	}
	if (mail_journal_load(j, err, errlen) != 0)
		goto fail;
	if (j->n == 0 && ftruncate(j->fd, 0) != 0) {
		snprintf(err, errlen, "%s: cannot empty: %s", j->path,
		    strerror(errno));
		goto fail;
	}
	return 0;
fail:
	mail_journal_close(j);
	return -1;
}

int
mail_journal_add(struct mail_journal *j, unsigned long long id,
    long long attempts, const char *created_at)
{
	char line[MAIL_JOURNAL_LINE_MAX + 2];
	int len;

	if (j->fd == -1)
		return 0;
	if (!mail_journal_stamp_ok(created_at, strlen(created_at))) {
		log_err("%s: outbox %llu: created_at \"%s\" is not a DATETIME",
		    j->path, id, created_at);
		return -1;
	}
	len = snprintf(line, sizeof(line), "%llu %lld %s\n", id, attempts,
	    created_at);
	/* One write of a short line on an O_APPEND file: whole or torn at
	 * the end, where the reader ignores it. */
	if (write(j->fd, line, (size_t)len) != len || fdatasync(j->fd) != 0) {
		log_err("%s: outbox %llu: cannot record the mail sent: %s",
		    j->path, id, strerror(errno));
		return -1;
	}
	mail_journal_remember(j, id, attempts, created_at);
	return 0;
}

const struct mail_journal_entry *
mail_journal_find(const struct mail_journal *j, unsigned long long id,
    const char *created_at)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->pending[i].id == id &&
		    strcmp(j->pending[i].created_at, created_at) == 0)
			return &j->pending[i];
	return NULL;
}

void
mail_journal_settle(struct mail_journal *j, unsigned long long id)
{
	size_t i;

	for (i = 0; i < j->n && j->pending[i].id != id; i++)
		;
	if (i == j->n)
		return;
	j->pending[i] = j->pending[--j->n];
	/* Not fsync'd: a journal left full by a crash only costs marks that
	 * find their rows processed already. */
	if (j->n == 0 && ftruncate(j->fd, 0) != 0)
		log_err("%s: cannot empty: %s", j->path, strerror(errno));
}

void
mail_journal_close(struct mail_journal *j)
{
	if (j->fd != -1)
		close(j->fd);
	j->fd = -1;
	free(j->pending);
	j->pending = NULL;
	j->n = j->cap = 0;
}
