#include "password.h"

#include <errno.h>
#include <libscrypt.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "log.h"

/*
 * scrypt with N = 2^16, r = 8, p = 1: about 0.3 s of CPU and 64 MiB per
 * hash on the machines we measured (DESIGN.md). Raise them here; hashes
 * made with older values are upgraded at the next sign-in.
 */
#define TESSERA_SCRYPT_N 65536
#define TESSERA_SCRYPT_R 8
#define TESSERA_SCRYPT_P 1
/* How long a request waits for a turn before it is answered 503. */
#define TURN_WAIT_SECONDS 10

static sem_t *turns;

int
password_limit_init(int concurrent)
{
	void *p;

	if (concurrent < 1)
		concurrent = 1;
	p = mmap(NULL, sizeof(sem_t), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		log_err("%s: mmap: %s", __func__, strerror(errno));
		return -1;
	}
	if (sem_init(p, 1, (unsigned)concurrent) != 0) {
		log_err("%s: sem_init: %s", __func__, strerror(errno));
		munmap(p, sizeof(sem_t));
		return -1;
	}
	turns = p;
	return 0;
}

static int
take_turn(void)
{
	struct timespec deadline;

	if (turns == NULL)
		return 0;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += TURN_WAIT_SECONDS;
	while (sem_timedwait(turns, &deadline) != 0) {
		if (errno == EINTR)
			continue;
		log_err("%s: no turn to hash a password within %d s", __func__,
		    TURN_WAIT_SECONDS);
		return -1;
	}
	return 0;
}

static void
give_turn(void)
{
	if (turns != NULL)
		sem_post(turns);
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
