/* edud's configuration: defaults, file, environment and flags, in that order of strength. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/conf.h"
#include "tap.h"

static char path[64];

static void write_conf(const char *text)
{
	int fd;
	FILE *f;

	strcpy(path, "/tmp/edu-test-conf-XXXXXX");
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
}

static int load(int argc, const char **args)
{
	char *argv[16];

	for (int i = 0; i < argc; i++)
		argv[i] = (char *)args[i];
	argv[argc] = NULL;
	srv_config_free();
	return srv_config_load(&argc, argv);
}

static void test_defaults(void)
{
	const char *args[] = { "edud", "--config", "/nonexistent/edu.conf" };

	unsetenv("EDU_LISTEN");
	/* an explicit file that does not exist is an error... */
	CU_ASSERT_EQUAL(load(3, args), -1);
	{
		const char *none[] = { "edud", "--config", "/dev/null" };
		CU_ASSERT_EQUAL(load(3, none), 0);
	}
	CU_ASSERT_STRING_EQUAL(srv_cfg.listen_s, "127.0.0.1:8080");
	CU_ASSERT_EQUAL(srv_cfg.access_ttl, 900);
	CU_ASSERT_EQUAL(srv_cfg.refresh_ttl, 2592000);
	CU_ASSERT_EQUAL(srv_cfg.login_max_failures, 100);
	CU_ASSERT_EQUAL(srv_cfg.log_requests, 1);
}

static void test_order_of_strength(void)
{
	const char *args[] = { "edud", "--config", path, "--access-ttl", "30", "serve" };
	int argc = 6;
	char *argv[8];

	write_conf("# comment\nlisten = 127.0.0.1:9000\naccess_ttl = 60\nrefresh_ttl=120\n\n");
	setenv("EDU_REFRESH_TTL", "240", 1);
	for (int i = 0; i < argc; i++)
		argv[i] = (char *)args[i];
	argv[argc] = NULL;
	srv_config_free();
	CU_ASSERT_EQUAL_FATAL(srv_config_load(&argc, argv), 0);
	CU_ASSERT_STRING_EQUAL(srv_cfg.listen_s, "127.0.0.1:9000");	/* file */
	CU_ASSERT_EQUAL(srv_cfg.refresh_ttl, 240);			/* env beats file */
	CU_ASSERT_EQUAL(srv_cfg.access_ttl, 30);			/* flag beats file */
	/* the flags it knows are consumed; the command stays */
	CU_ASSERT_EQUAL(argc, 2);
	CU_ASSERT_STRING_EQUAL(argv[1], "serve");
	unsetenv("EDU_REFRESH_TTL");
	unlink(path);
}

static void test_bad_file(void)
{
	const char *args[] = { "edud", "--config", path };

	write_conf("listen = 127.0.0.1:1\nno_such_key = 1\n");
	CU_ASSERT_EQUAL(load(3, args), -1);
	unlink(path);
	write_conf("access_ttl = soon\n");
	CU_ASSERT_EQUAL(load(3, args), -1);
	unlink(path);
	write_conf("just words\n");
	CU_ASSERT_EQUAL(load(3, args), -1);
	unlink(path);
}

static void test_set(void)
{
	char err[128];

	CU_ASSERT_EQUAL(srv_config_set("log-requests", "no", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(srv_cfg.log_requests, 0);
	CU_ASSERT_EQUAL(srv_config_set("log_requests", "maybe", err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "log_requests"));
	CU_ASSERT_EQUAL(srv_config_set("threads", "-1", err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(srv_config_set("bogus", "1", err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "bogus"));
}

static void test_short_secret(void)
{
	const char *args[] = { "edud", "--config", "/dev/null", "--jwt-secret", "short" };

	CU_ASSERT_EQUAL(load(5, args), -1);
	srv_config_free();
}

static CU_TestInfo conf_tests[] = {
	{ "defaults, and an explicit missing file is an error", test_defaults },
	{ "file < environment < flags", test_order_of_strength },
	{ "bad keys, values and lines are errors", test_bad_file },
	{ "setting one key checks its type", test_set },
	{ "a short jwt_secret is refused", test_short_secret },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "conf", NULL, NULL, NULL, NULL, conf_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	return tap_main(argc, argv, suites);
}
