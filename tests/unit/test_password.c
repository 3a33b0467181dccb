/*
 * The bound on concurrent password hashes across processes: a holder that
 * is alive but stuck keeps its turn (others get PASSWORD_BUSY after the
 * wait), a holder that dies gives it back at once (SEM_UNDO), and the set
 * goes away when the process that made it exits, not when a child does.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "password.h"
#include "tap.h"

#define PW "correct horse battery"
/* An unusual count, to tell our set from others in /proc/sysvipc/sem. */
#define MARK_TURNS 37

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The semaphore set ids in /proc/sysvipc/sem, into ids; how many. */
static int
sem_ids(int *ids, int max)
{
	char line[512];
	FILE *f = fopen("/proc/sysvipc/sem", "r");
	int n = 0, key, id;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL && n < max)
		if (sscanf(line, "%d %d", &key, &id) == 2)
			ids[n++] = id;
	fclose(f);
	return n;
}

static int
has_id(const int *ids, int n, int id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* In a child: makes a limit of MARK_TURNS, finds its set (new since
 * before, with that count), writes its id to fd, and exits normally so
 * that the exit handlers run. */
static void
child_make_and_exit(int fd)
{
	int before[256], after[256], nb, na, id = -1;

	nb = sem_ids(before, 256);
	if (password_limit_init(MARK_TURNS) != 0)
		exit(2);
	na = sem_ids(after, 256);
	for (int i = 0; i < na; i++)
		if ((nb < 0 || !has_id(before, nb, after[i])) &&
		    semctl(after[i], 0, GETVAL) == MARK_TURNS)
			id = after[i];
	if (write(fd, &id, sizeof(id)) != (ssize_t)sizeof(id))
		exit(3);
	exit(0);
}

/* A child that hashes for ever, holding the only turn almost always; it
 * dies with the test, however the test ends. */
static void
child_hash_forever(void)
{
	char mcf[PASSWORD_MCF_LEN];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(1);
	for (;;)
		password_hash(PW, mcf);
}

/* Stops child while it holds the turn; 0 when it does, -1 if it would not
 * (it is then still running). */
static int
stop_while_holding(pid_t child)
{
	int status;

	for (int tries = 0; tries < 50; tries++) {
		double deadline = now() + 20;

		while (password_turns_free() != 0 && now() < deadline)
			usleep(1000);
		kill(child, SIGSTOP);
		if (waitpid(child, &status, WUNTRACED) != child ||
		    !WIFSTOPPED(status))
			return -1;
		if (password_turns_free() == 0)
			return 0;
		/* Stopped between two hashes: let it take the next one. */
		kill(child, SIGCONT);
	}
	return -1;
}

/* A test stopped by make (SIGHUP, SIGINT, SIGTERM) still runs the exit
 * handlers, which remove its semaphore set. Not async-signal-safe, and
 * acceptable in a test that is being abandoned anyway. */
static void
on_stop(int sig)
{
	(void)sig;
	exit(1);
}

int
main(void)
{
	char mcf[PASSWORD_MCF_LEN];
	int fds[2], id = -1, status;
	double t;
	pid_t child;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGHUP, on_stop);
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	is_int(password_turns_free(), -1, "no limit before password_limit_init");

	/* The set disappears when its maker exits. */
	if (pipe(fds) != 0)
		return 1;
	fflush(stdout);
	if ((child = fork()) == 0) {
		close(fds[0]);
		child_make_and_exit(fds[1]);
	}
	close(fds[1]);
	if (read(fds[0], &id, sizeof(id)) != (ssize_t)sizeof(id))
		id = -1;
	close(fds[0]);
	waitpid(child, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 && id >= 0,
	    "a process makes its limit as a System V semaphore set");
	errno = 0;
	ok(id >= 0 && semctl(id, 0, GETVAL) == -1 &&
	    (errno == EINVAL || errno == EIDRM),
	    "and the set is removed when that process exits");

	ok(password_limit_init(1) == 0, "a limit of one hash at a time");
	is_int(password_turns_free(), 1, "one turn free");
	ok(password_limit_init(1) != 0, "a second password_limit_init is refused");
	ok(password_hash(PW, mcf) == PASSWORD_OK, "a hash takes the turn");
	is_int(password_turns_free(), 1, "and gives it back");

	/* A child's exit leaves the parent's set alone. */
	fflush(stdout);
	if ((child = fork()) == 0)
		exit(0);
	waitpid(child, &status, 0);
	is_int(password_turns_free(), 1,
	    "a forked worker's exit does not remove the master's set");

	/* A holder that is stuck keeps its turn; others wait, then give up. */
	fflush(stdout);
	if ((child = fork()) == 0)
		child_hash_forever();
	if (!ok(stop_while_holding(child) == 0,
	    "a worker is stopped in the middle of a hash, holding the turn")) {
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
		return done_testing();
	}
	t = now();
	is_int(password_verify(PW, mcf), PASSWORD_BUSY,
	    "meanwhile another hash gets PASSWORD_BUSY");
	t = now() - t;
	ok(t >= 1.5 && t < 6, "after waiting about 2 s (%.1f s)", t);

	/* Four waiting per turn at most: the fifth is answered at once, so a
	 * flood parks few workers. */
	pid_t waiters[4];

	fflush(stdout);
	for (int i = 0; i < 4; i++)
		if ((waiters[i] = fork()) == 0)
			_exit(password_verify(PW, mcf) == PASSWORD_BUSY ? 0 : 1);
	while (password_turns_waiting() < 4)
		usleep(10000);
	t = now();
	is_int(password_verify(PW, mcf), PASSWORD_BUSY,
	    "with four waiting for the one turn, a fifth hash is refused");
	t = now() - t;
	ok(t < 0.5, "at once (%.2f s)", t);
	for (int i = 0; i < 4; i++) {
		waitpid(waiters[i], &status, 0);
		ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "waiter %d gave up after its wait", i + 1);
	}

	/* A holder that dies gives its turn back as it dies. */
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	    "the holder is killed with SIGKILL");
	is_int(password_turns_free(), 1, "the kernel gave its turn back");
	t = now();
	is_int(password_verify(PW, mcf), PASSWORD_OK,
	    "the next hash gets a turn");
	t = now() - t;
	ok(t < 5, "without waiting for the dead holder (%.2f s)", t);
	return done_testing();
}
