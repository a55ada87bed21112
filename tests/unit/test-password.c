/*
 * Unit tests of server/auth/password.c: yescrypt hashes that verify, other libxcrypt formats
 * accepted, the length and content policy, the time an unknown user costs, and the
 * bounded pool turning a flood away instead of queueing it.
 */
#include "config.h"

#include <crypt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/password.h"
#include "core/conf.h"
#include "tap.h"
#include "xalloc.h"

#define PW "correct horse battery staple"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int suite_init(void)
{
	/* one hash at a time, so the flood test can fill the pool */
	srv_cfg.hash_threads = 1;
	return srv_password_init() == 0 ? 0 : -1;
}

static void test_hash_verify(void)
{
	char h[128], h2[128];

	CU_ASSERT_EQUAL_FATAL(srv_password_hash(PW, h, sizeof(h)), 0);
	CU_ASSERT_EQUAL(strncmp(h, "$y$", 3), 0);
	CU_ASSERT_EQUAL(srv_password_verify(PW, h), 1);
	CU_ASSERT_EQUAL(srv_password_check(PW, h), 1);
	CU_ASSERT_EQUAL(srv_password_verify("correct horse battery stapl", h), 0);
	CU_ASSERT_EQUAL(srv_password_verify(PW "!", h), 0);
	CU_ASSERT_EQUAL(srv_password_verify("", h), 0);
	/* a fresh salt every time */
	CU_ASSERT_EQUAL_FATAL(srv_password_hash(PW, h2, sizeof(h2)), 0);
	CU_ASSERT_STRING_NOT_EQUAL(h, h2);
	CU_ASSERT_EQUAL(srv_password_verify(PW, h2), 1);
}

static void test_long_passwords_not_truncated(void)
{
	char a[129], b[129], h[128];

	/* bcrypt would stop at 72 bytes; yescrypt must tell these apart */
	memset(a, 'a', 128);
	a[128] = '\0';
	memcpy(b, a, sizeof(b));
	b[100] = 'b';
	CU_ASSERT_EQUAL_FATAL(srv_password_hash(a, h, sizeof(h)), 0);
	CU_ASSERT_EQUAL(srv_password_verify(a, h), 1);
	CU_ASSERT_EQUAL(srv_password_verify(b, h), 0);
}

static void test_no_hash(void)
{
	CU_ASSERT_EQUAL(srv_password_verify(PW, NULL), 0);
	CU_ASSERT_EQUAL(srv_password_verify(PW, ""), 0);
	CU_ASSERT_EQUAL(srv_password_check(PW, NULL), 0);
	/* a locked or broken hash never matches */
	CU_ASSERT_EQUAL(srv_password_verify(PW, "!"), 0);
	CU_ASSERT_EQUAL(srv_password_verify(PW, "*"), 0);
	CU_ASSERT_EQUAL(srv_password_verify("", "$y$"), 0);
}

static void test_other_formats(void)
{
	static const char *const prefixes[] = { "$2b$", "$6$", "$5$" };
	struct crypt_data *cd = xcalloc(1, sizeof(*cd));

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		char *setting = crypt_gensalt_ra(prefixes[i], 0, NULL, 0);
		char *h;

		CU_ASSERT_PTR_NOT_NULL_FATAL(setting);
		h = crypt_rn(PW, setting, cd, sizeof(*cd));
		CU_ASSERT_PTR_NOT_NULL_FATAL(h);
		h = xstrdup(h);
		CU_ASSERT_EQUAL(srv_password_verify(PW, h), 1);
		CU_ASSERT_EQUAL(srv_password_verify("not " PW, h), 0);
		free(h);
		free(setting);
	}
	free(cd);
}

static void test_unknown_user_costs_a_verify(void)
{
	char h[128];
	double t0, real, unknown;

	CU_ASSERT_EQUAL_FATAL(srv_password_hash(PW, h, sizeof(h)), 0);
	t0 = now();
	for (int i = 0; i < 4; i++)
		srv_password_verify("wrong password here", h);
	real = now() - t0;
	t0 = now();
	for (int i = 0; i < 4; i++)
		srv_password_verify("wrong password here", NULL);
	unknown = now() - t0;
	/* the same work, so about the same time; a third is far from "no work at all" */
	CU_ASSERT(unknown > real / 3);
}

static void test_policy(void)
{
	char s[200];

	CU_ASSERT_PTR_NULL(srv_password_policy("twelve chars"));
	CU_ASSERT_PTR_NOT_NULL(srv_password_policy("eleven char"));
	CU_ASSERT_PTR_NOT_NULL(srv_password_policy(""));
	CU_ASSERT_PTR_NOT_NULL(srv_password_policy(NULL));
	memset(s, 'x', 128);
	s[128] = '\0';
	CU_ASSERT_PTR_NULL(srv_password_policy(s));
	s[128] = 'x';
	s[129] = '\0';
	CU_ASSERT_PTR_NOT_NULL(srv_password_policy(s));
	/* characters, not bytes: six two-byte letters are too few, twelve are enough */
	CU_ASSERT_PTR_NOT_NULL(srv_password_policy("éééééé"));
	CU_ASSERT_PTR_NULL(srv_password_policy("éééééééééééé"));
	CU_ASSERT_PTR_NULL(srv_password_policy("пароль-пароль"));
	/* not UTF-8, or control characters */
	CU_ASSERT_PTR_NOT_NULL(srv_password_policy("abcdefghijkl\xff"));
	CU_ASSERT_PTR_NOT_NULL(srv_password_policy("abcdefghijkl\xc3"));
	CU_ASSERT_PTR_NOT_NULL(srv_password_policy("abcdef\x1b[31mghijkl"));
	CU_ASSERT_PTR_NOT_NULL(srv_password_policy("abcdefghijkl\n"));
}

struct flood {
	const char *hash;
	int result;
};

static void *flood_one(void *arg)
{
	struct flood *f = arg;

	f->result = srv_password_check(PW, f->hash);
	return NULL;
}

static void test_pool_turns_a_flood_away(void)
{
	enum { N = 64 };
	struct flood f[N];
	pthread_t th[N];
	char h[128];
	int ok = 0, busy = 0, other = 0;

	CU_ASSERT_EQUAL_FATAL(srv_password_hash(PW, h, sizeof(h)), 0);
	for (int i = 0; i < N; i++) {
		f[i].hash = h;
		f[i].result = 99;
		pthread_create(&th[i], NULL, flood_one, &f[i]);
	}
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		if (f[i].result == 1)
			ok++;
		else if (f[i].result == -1)
			busy++;
		else
			other++;
	}
	/* one slot, 64 hashes at once: some got through, the rest were told "busy" at once */
	CU_ASSERT(ok > 0);
	CU_ASSERT(busy > 0);
	CU_ASSERT_EQUAL(other, 0);
	/* and afterwards the pool is free again */
	CU_ASSERT_EQUAL(srv_password_check(PW, h), 1);
}

static CU_TestInfo password_tests[] = {
	{ "a yescrypt hash verifies its password only", test_hash_verify },
	{ "long passwords are not truncated", test_long_passwords_not_truncated },
	{ "no hash, or a broken one, never verifies", test_no_hash },
	{ "bcrypt and sha-crypt hashes verify", test_other_formats },
	{ "an unknown user costs a real verify", test_unknown_user_costs_a_verify },
	{ "policy: 12 to 128 characters of UTF-8", test_policy },
	{ "the pool turns a flood away", test_pool_turns_a_flood_away },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "password", suite_init, NULL, NULL, NULL, password_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	return tap_main(argc, argv, suites);
}
