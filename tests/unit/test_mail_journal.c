#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail_journal.h"
#include "tap.h"

#define T1 "2026-12-07 23:10:01"
#define T2 "2026-12-07 23:10:02"

static char dir[] = "/tmp/tessera-journal-XXXXXX";
static char file[4200];

static long
file_size(void)
{
	struct stat st;

	return stat(file, &st) == 0 ? (long)st.st_size : -1;
}

static void
write_file(const char *text)
{
	FILE *f = fopen(file, "w");

	fputs(text, f);
	fclose(f);
}

int
main(void)
{
	struct mail_journal j, other;
	const struct mail_journal_entry *e;
	struct stat st;
	char err[512] = "";

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(file, sizeof(file), "%s/%s", dir, MAIL_JOURNAL_FILE);

	/* No state directory: a journal that records nothing. */
	is_int(mail_journal_open(&j, NULL, err, sizeof(err)), 0,
	    "no directory: opens");
	is_int(mail_journal_add(&j, 7, 1, T1), 0, "... adding is a no-op");
	ok(mail_journal_find(&j, 7, T1) == NULL, "... and remembers nothing");
	mail_journal_close(&j);

	/* Sent, then the worker stops before the mark: the next one knows. */
	is_int(mail_journal_open(&j, dir, err, sizeof(err)), 0, "opens: %s",
	    err);
	ok(stat(file, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "the file is the worker's alone (0600)");
	is_int(j.n, 0, "a new journal is empty");
	is_int(mail_journal_add(&j, 41, 1, T1), 0, "row 41 recorded");
	is_int(mail_journal_add(&j, 42, 3, T2), 0, "row 42 recorded");
	ok(mail_journal_add(&j, 43, 1, "yesterday") == -1,
	    "a creation time that is no DATETIME is refused");
	ok(mail_journal_find(&j, 41, T1) != NULL, "row 41 is pending");
	ok(mail_journal_find(&j, 41, T2) == NULL,
	    "... only with its own creation time (a row 41 of another "
	    "database is not it)");

	is_int(mail_journal_open(&other, dir, err, sizeof(err)), -1,
	    "a second worker on the same directory is refused");
	ok(strstr(err, "another tessera-worker") != NULL, "... saying why: %s",
	    err);
	mail_journal_close(&j);

	err[0] = '\0';
	is_int(mail_journal_open(&j, dir, err, sizeof(err)), 0,
	    "after a restart it opens again%s", err);
	is_int(j.n, 2, "both rows are still pending");
	e = mail_journal_find(&j, 42, T2);
	ok(e != NULL && e->attempts == 3, "row 42 with the claim that sent it");

	mail_journal_settle(&j, 41);
	is_int(j.n, 1, "row 41 marked: one left");
	ok(file_size() > 0, "the file keeps its lines while one is pending");
	mail_journal_settle(&j, 999);
	is_int(j.n, 1, "settling a row it does not hold changes nothing");
	mail_journal_settle(&j, 42);
	is_int(j.n, 0, "row 42 marked: none left");
	is_int(file_size(), 0, "the file is emptied once every row is marked");
	is_int(mail_journal_add(&j, 44, 1, T1), 0, "a new row after that");
	mail_journal_close(&j);
	is_int(mail_journal_open(&j, dir, err, sizeof(err)), 0, "reopened");
	ok(j.n == 1 && mail_journal_find(&j, 44, T1) != NULL,
	    "only the new row is pending");
	mail_journal_close(&j);

	/* A crash while a line was written leaves it without its newline. */
	write_file("45 1 " T1 "\n46 2 2026-12-0");
	is_int(mail_journal_open(&j, dir, err, sizeof(err)), 0,
	    "a last line cut short: opens");
	ok(j.n == 1 && mail_journal_find(&j, 45, T1) != NULL,
	    "... with the whole lines only");
	mail_journal_close(&j);

	write_file("45 1 " T1 "\nhello\n");
	err[0] = '\0';
	is_int(mail_journal_open(&j, dir, err, sizeof(err)), -1,
	    "a file of something else is refused");
	ok(strstr(err, "line 2") != NULL, "... naming the line: %s", err);

	unlink(file);
	rmdir(dir);
	return done_testing();
}
