/*
 * Passwords: yescrypt through libxcrypt, computed in a bounded pool.
 *
 * A hash costs about 15 ms of one core and runs on the worker thread that asked for it.
 * A semaphore lets at most hash_threads of them run at once, and a worker that cannot get
 * a slot soon gives up (503) instead of queueing, so a login flood ties up at most
 * hash_threads workers and the others keep answering everything else.
 */
#include "config.h"

#include <crypt.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/crypto.h"
#include "auth/password.h"
#include "core/conf.h"
#include "core/log.h"
#include "xalloc.h"

#define PASSWORD_MIN 12		/* characters */
#define PASSWORD_MAX 128	/* characters */
#define SLOT_WAIT_MS 250	/* about sixteen hashes queued ahead of us, then busy */

static sem_t slots;
static pthread_once_t once = PTHREAD_ONCE_INIT;
/* A real hash of a random password: unknown users cost one verify too, so timing says nothing. */
static char dummy_hash[CRYPT_OUTPUT_SIZE];

static void pool_init(void)
{
	long n = srv_cfg.hash_threads;

	if (n <= 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		n = cores / 2 > 1 ? cores / 2 : 1;
	}
	sem_init(&slots, 0, (unsigned)n);
}

/* 0 with a slot taken, -1 when none freed within wait_ms (< 0: wait as long as it takes). */
static int slot_get(int wait_ms)
{
	struct timespec ts;

	pthread_once(&once, pool_init);
	if (wait_ms < 0) {
		while (sem_wait(&slots) < 0 && errno == EINTR)
			;
		return 0;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)wait_ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	while (sem_timedwait(&slots, &ts) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

static void slot_put(void)
{
	sem_post(&slots);
}

/* crypt_rn into out, in a slot. 0, -1 (busy: no slot) or -2 (libxcrypt refused). */
static int crypt_in_slot(const char *password, const char *setting, char *out, size_t outlen,
			 int wait_ms)
{
	struct crypt_data *cd;
	const char *res;
	int rc = -2;

	if (slot_get(wait_ms) < 0)
		return -1;
	cd = xcalloc(1, sizeof(*cd));
	res = crypt_rn(password, setting, cd, sizeof(*cd));
	if (res && res[0] != '*' && strlen(res) < outlen) {
		strcpy(out, res);
		rc = 0;
	}
	OPENSSL_cleanse(cd, sizeof(*cd));
	free(cd);
	slot_put();
	return rc;
}

static int new_hash(const char *password, char *out, size_t outlen, int wait_ms)
{
	char *setting = crypt_gensalt_ra("$y$", 0, NULL, 0);
	int rc;

	if (!setting) {
		srv_log("password: cannot make a yescrypt salt: %s", strerror(errno));
		return -2;
	}
	rc = crypt_in_slot(password, setting, out, outlen, wait_ms);
	free(setting);
	return rc;
}

int srv_password_init(void)
{
	char *pw;
	int rc;

	pthread_once(&once, pool_init);
	if (dummy_hash[0])
		return 0;
	pw = srv_random_token(18);
	rc = new_hash(pw, dummy_hash, sizeof(dummy_hash), -1);
	free(pw);
	if (rc < 0) {
		srv_log("password: yescrypt does not work in this libxcrypt");
		dummy_hash[0] = '\0';
		return -1;
	}
	return 0;
}

int srv_password_hash(const char *password, char *out, size_t outlen)
{
	return new_hash(password, out, outlen, SLOT_WAIT_MS) < 0 ? -1 : 0;
}

static int verify(const char *password, const char *hash, int wait_ms)
{
	char out[CRYPT_OUTPUT_SIZE];
	size_t len;
	int rc, unknown = !hash || !*hash;

	/* no hash (unknown user, not activated): spend the same time, then say no */
	rc = crypt_in_slot(password, unknown ? dummy_hash : hash, out, sizeof(out), wait_ms);
	if (rc == -1)
		return -1;
	if (rc < 0 || unknown)
		return 0;
	len = strlen(hash);
	return strlen(out) == len && CRYPTO_memcmp(out, hash, len) == 0;
}

int srv_password_verify(const char *password, const char *hash)
{
	return verify(password, hash, -1);
}

int srv_password_check(const char *password, const char *hash)
{
	return verify(password, hash, SLOT_WAIT_MS);
}

const char *srv_password_policy(const char *password)
{
	const unsigned char *s = (const unsigned char *)password;
	size_t chars = 0;

	if (!s)
		return "a password is required";
	/* count characters, not bytes, and refuse what is not UTF-8 */
	while (*s) {
		int extra = *s < 0x80 ? 0 : (*s & 0xe0) == 0xc0 ? 1 : (*s & 0xf0) == 0xe0 ? 2
			  : (*s & 0xf8) == 0xf0 ? 3 : -1;

		if (extra < 0 || (extra == 1 && *s < 0xc2))
			return "the password is not valid UTF-8";
		if (*s < 0x20 || *s == 0x7f)
			return "the password may not hold control characters";
		s++;
		for (int i = 0; i < extra; i++, s++)
			if ((*s & 0xc0) != 0x80)
				return "the password is not valid UTF-8";
		chars++;
	}
	if (chars < PASSWORD_MIN)
		return "the password must be at least 12 characters long";
	if (chars > PASSWORD_MAX)
		return "the password must be at most 128 characters long";
	return NULL;
}
