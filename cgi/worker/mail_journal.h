/*
 * The worker's journal of mails sent but not yet marked processed: a file
 * of its own state directory (TESSERA_STATE_DIR), one line per outbox row,
 * written and fsync'd after the relay accepted the message and before the
 * row is marked. It is what makes a mail go once across a database that
 * stops or is replaced at that moment: the row keeps its lease and comes
 * back later, but a row in the journal is marked, never sent again, and
 * the marks are retried, also after a restart, until the database
 * answers them.
 *
 * Each worker has its own file (one worker per directory: a second one is
 * refused by a lock); rows another worker has leased are not due for it
 * until the lease ends, so the journals never need to meet.
 */
#ifndef TESSERA_MAIL_JOURNAL_H
#define TESSERA_MAIL_JOURNAL_H

#include <stddef.h>

#define MAIL_JOURNAL_FILE "mail-sent.journal"
/* "YYYY-MM-DD hh:mm:ss", the row's created_at as the database gives it */
#define MAIL_JOURNAL_STAMP_LEN 19

/* A row sent and not yet marked. The id alone may come again in a new
 * database (a restore, a test's fresh one); with its creation time it is
 * that row only. */
struct mail_journal_entry {
	unsigned long long id;
	long long attempts;      /* the claim that sent it, for the log */
	char created_at[MAIL_JOURNAL_STAMP_LEN + 1];
};

struct mail_journal {
	int fd;                  /* -1: no journal (no state directory) */
	char path[4096];
	struct mail_journal_entry *pending;   /* owned; n of cap */
	size_t n, cap;
};

/*
 * Opens dir/MAIL_JOURNAL_FILE (created mode 0600), takes its lock and
 * reads the rows it holds into j->pending: those of a worker that stopped
 * or died before it could mark them. A last line cut short (a crash while
 * it was written) is ignored. dir NULL: an empty journal that records
 * nothing (j->fd -1). Returns 0, or -1 with the reason in err (the
 * directory is missing or not writable, another worker holds the lock,
 * the file holds something else).
 */
int mail_journal_open(struct mail_journal *j, const char *dir, char *err,
    size_t errlen);

/* Records that row id (created created_at) was sent by claim attempts:
 * appends its line and fsyncs the file. Returns 0 (also with no journal),
 * or -1 (logged): the mail may then go twice. */
int mail_journal_add(struct mail_journal *j, unsigned long long id,
    long long attempts, const char *created_at);

/* The entry of row id created created_at, or NULL. */
const struct mail_journal_entry *mail_journal_find(const struct mail_journal *j,
    unsigned long long id, const char *created_at);

/* Forgets row id, marked or found settled; once no row is left the file
 * is emptied, so it never grows past the rows of one outage. */
void mail_journal_settle(struct mail_journal *j, unsigned long long id);

void mail_journal_close(struct mail_journal *j);

#endif
