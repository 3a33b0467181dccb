/* semtimedop(2) is a GNU extension of glibc's <sys/sem.h>. */
#define _GNU_SOURCE
#include "password.h"

#include <errno.h>
#include <libscrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/*
 * scrypt with N = 2^16, r = 8, p = 1: about 0.3 s of CPU and 64 MiB per
 * hash on the machines we measured (DESIGN.md). Raise them here; hashes
 * made with older values are upgraded at the next sign-in.
 */
#define TESSERA_SCRYPT_N 65536
#define TESSERA_SCRYPT_R 8
#define TESSERA_SCRYPT_P 1
/* How long a request waits for a turn before it is answered 503. Only
 * TURN_QUEUE_PER_TURN requests per turn wait (the rest are answered at
 * once), so a flood of sign-ups parks at most that many workers, each
 * this long; nginx meters hashes per address before that. */
#define TURN_WAIT_SECONDS 2
#define TURN_QUEUE_PER_TURN 4

/*
 * The turns are one System V semaphore, made by the master before it forks
 * and inherited by every worker. Workers take and give back a turn with
 * SEM_UNDO, so when a worker dies holding one (SIGKILL, a crash, the OOM
 * killer) the kernel gives it back as the process goes: a process-shared
 * sem_t in shared memory would stay taken until the program restarts. The
 * master removes the set as it exits; a master killed with SIGKILL leaves
 * it behind (ipcs -s shows it; PrivateIPC= in the systemd unit confines
 * it to the unit).
 */
static int turns_id = -1;
static int turns_total;     /* hashes that may run at once */
static pid_t turns_owner;   /* the master, the only one to remove the set */

/* semctl(2)'s fourth argument; the caller defines it. */
union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

/* At the master's exit. Workers leave with _exit, which runs no atexit
 * handler, and a fork of a worker would not be the owner. */
static void
password_limit_remove(void)
{
	if (turns_id != -1 && getpid() == turns_owner) {
		if (semctl(turns_id, 0, IPC_RMID) != 0)
			log_err("%s: semctl IPC_RMID: %s", __func__,
			    strerror(errno));
		turns_id = -1;
	}
}

int
password_limit_init(int concurrent)
{
	static int remove_registered;
	union semun arg;
	int id;

	if (concurrent < 1)
		concurrent = 1;
	if (turns_id != -1) {
		log_err("%s: called twice", __func__);
		return -1;
	}
	if (!remove_registered) {
		if (atexit(password_limit_remove) != 0) {
			log_err("%s: atexit failed", __func__);
			return -1;
		}
		remove_registered = 1;
	}
	id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	if (id == -1) {
		log_err("%s: semget: %s", __func__, strerror(errno));
		return -1;
	}
	arg.val = concurrent;
	if (semctl(id, 0, SETVAL, arg) != 0) {
		log_err("%s: semctl SETVAL %d: %s", __func__, concurrent,
		    strerror(errno));
		semctl(id, 0, IPC_RMID);
		return -1;
	}
	turns_id = id;
	turns_total = concurrent;
	turns_owner = getpid();
	return 0;
}

int
password_turns_free(void)
{
	int n;

	if (turns_id == -1)
		return -1;
	if ((n = semctl(turns_id, 0, GETVAL)) == -1)
		log_err("%s: semctl GETVAL: %s", __func__, strerror(errno));
	return n;
}

int
password_turns_waiting(void)
{
	int n;

	if (turns_id == -1)
		return -1;
	if ((n = semctl(turns_id, 0, GETNCNT)) == -1)
		log_err("%s: semctl GETNCNT: %s", __func__, strerror(errno));
	return n;
}

/* Waits up to TURN_WAIT_SECONDS for a turn: 0 once this process holds one
 * (or when there is no limit), -1 when none came in time or the set is
 * gone. */
static int
take_turn(void)
{
	struct sembuf op = { .sem_num = 0, .sem_op = -1, .sem_flg = SEM_UNDO };
	struct timespec deadline, now, left;

	if (turns_id == -1)
		return 0;
	/* A queue of a few hashes per turn already: answer at once. */
	if (semctl(turns_id, 0, GETVAL) == 0 &&
	    password_turns_waiting() >= TURN_QUEUE_PER_TURN * turns_total) {
		log_info("%s: every turn taken and a full queue waiting", __func__);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += TURN_WAIT_SECONDS;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left.tv_sec = deadline.tv_sec - now.tv_sec;
		left.tv_nsec = deadline.tv_nsec - now.tv_nsec;
		if (left.tv_nsec < 0) {
			left.tv_sec--;
			left.tv_nsec += 1000000000L;
		}
		if (left.tv_sec < 0)
			left.tv_sec = left.tv_nsec = 0;
		if (semtimedop(turns_id, &op, 1, &left) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN)
			log_err("%s: no turn to hash a password within %d s",
			    __func__, TURN_WAIT_SECONDS);
		else
			log_err("%s: semtimedop: %s", __func__, strerror(errno));
		return -1;
	}
}

static void
give_turn(void)
{
	struct sembuf op = { .sem_num = 0, .sem_op = 1, .sem_flg = SEM_UNDO };

	if (turns_id != -1 && semop(turns_id, &op, 1) != 0)
		log_err("%s: semop: %s", __func__, strerror(errno));
}

enum password_result
password_hash(const char *pw, char out[PASSWORD_MCF_LEN])
{
	int rc;

	if (take_turn() != 0)
		return PASSWORD_BUSY;
	rc = libscrypt_hash(out, pw, TESSERA_SCRYPT_N, TESSERA_SCRYPT_R, TESSERA_SCRYPT_P);
	give_turn();
	if (rc != 1) {
		log_err("%s: libscrypt_hash failed", __func__);
		return PASSWORD_ERROR;
	}
	return PASSWORD_OK;
}

enum password_result
password_verify(const char *pw, const char *mcf)
{
	char copy[PASSWORD_MCF_LEN];
	int rc;

	/* libscrypt_check writes into the string it is given. */
	if (mcf == NULL || strlen(mcf) >= sizeof(copy) ||
	    strncmp(mcf, "$s1$", 4) != 0)
		return PASSWORD_ERROR;
	snprintf(copy, sizeof(copy), "%s", mcf);
	if (take_turn() != 0)
		return PASSWORD_BUSY;
	rc = libscrypt_check(copy, pw);
	give_turn();
	explicit_bzero(copy, sizeof(copy));
	if (rc < 0)
		return PASSWORD_ERROR;
	return rc > 0 ? PASSWORD_OK : PASSWORD_MISMATCH;
}

int
password_needs_rehash(const char *mcf)
{
	char want[32];
	int log2n = 0;

	for (unsigned long n = TESSERA_SCRYPT_N; n > 1; n >>= 1)
		log2n++;
	/* libscrypt's MCF: $s1$ then log2(N), r and p as two hex digits each. */
	snprintf(want, sizeof(want), "$s1$%02x%02x%02x$", log2n, TESSERA_SCRYPT_R,
	    TESSERA_SCRYPT_P);
	return mcf == NULL || strncmp(mcf, want, strlen(want)) != 0;
}
