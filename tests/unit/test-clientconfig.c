/*
 * Unit tests of the clients' files: the configuration file with its profiles
 * (shared/clientconfig.c) and the stored sessions (shared/creds.c), read and written in a
 * temporary directory.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clientconfig.h"
#include "creds.h"
#include "tap.h"
#include "xalloc.h"

#define TMP_TEMPLATE "/tmp/edu-test-clientconfig.XXXXXX"
static char tmpdir[sizeof(TMP_TEMPLATE)];

/* Each suite gets a fresh directory. */
static int suite_init(void)
{
	memcpy(tmpdir, TMP_TEMPLATE, sizeof(TMP_TEMPLATE));
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int suite_cleanup(void)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int r = system(cmd);

	free(cmd);
	return r;
}

static char *path_of(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

/* The whole file as a string (caller frees). */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = xcalloc(1, 65536);

	if (f) {
		size_t n = fread(buf, 1, 65535, f);

		buf[n] = '\0';
		fclose(f);
	}
	return buf;
}

/* Files in tmpdir whose name contains part. */
static int count_files(const char *part)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		if (strstr(e->d_name, part))
			n++;
	if (d)
		closedir(d);
	return n;
}

static const char sample[] =
	"# my profiles\n"
	"profile = work\n"
	"\n"
	"[profile work]\n"
	"server = https://edu.example.org\n"
	"school = \"hillside\"\n"
	"; a comment inside\n"
	"user=ada\n"
	"\n"
	"[profile  home ]\n"
	"server = http://127.0.0.1:8080\n"
	"color = never\n";

static void test_read(void)
{
	struct edu_clientcfg c;
	struct edu_errinfo ei;
	char *path = path_of("read.conf");
	const char **names;
	size_t n;

	write_file(path, sample);
	edu_clientcfg_init(&c);
	CU_ASSERT_EQUAL_FATAL(edu_clientcfg_load(&c, path, &ei), EDU_ERR_OK);
	CU_ASSERT_STRING_EQUAL(edu_clientcfg_current(&c), "work");
	CU_ASSERT_STRING_EQUAL(edu_clientcfg_get(&c, "work", "server"), "https://edu.example.org");
	CU_ASSERT_STRING_EQUAL(edu_clientcfg_get(&c, "work", "school"), "hillside");
	CU_ASSERT_STRING_EQUAL(edu_clientcfg_get(&c, "work", "user"), "ada");
	CU_ASSERT_STRING_EQUAL(edu_clientcfg_get(&c, "home", "color"), "never");
	CU_ASSERT_PTR_NULL(edu_clientcfg_get(&c, "home", "user"));
	CU_ASSERT_PTR_NULL(edu_clientcfg_get(&c, "nope", "server"));
	CU_ASSERT(edu_clientcfg_has_profile(&c, "home"));
	CU_ASSERT(!edu_clientcfg_has_profile(&c, "nope"));
	names = edu_clientcfg_profiles(&c, &n);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_STRING_EQUAL(names[0], "work");
	CU_ASSERT_STRING_EQUAL(names[1], "home");
	CU_ASSERT_PTR_NULL(names[2]);
	free(names);
	edu_clientcfg_release(&c);
	free(path);
}

static void test_missing_file(void)
{
	struct edu_clientcfg c;
	char *path = path_of("does-not-exist.conf");

	edu_clientcfg_init(&c);
	CU_ASSERT_EQUAL(edu_clientcfg_load(&c, path, NULL), EDU_ERR_OK);
	CU_ASSERT_EQUAL(c.n, 0);
	CU_ASSERT_PTR_NULL(edu_clientcfg_current(&c));
	edu_clientcfg_release(&c);
	free(path);
}

/* Loads text and expects a syntax error naming line. */
static void expect_error(const char *text, int line, const char *words)
{
	struct edu_clientcfg c;
	struct edu_errinfo ei;
	char *path = path_of("bad.conf"), *where = xasprintf("bad.conf:%d: ", line);

	write_file(path, text);
	edu_clientcfg_init(&c);
	CU_ASSERT_EQUAL(edu_clientcfg_load(&c, path, &ei), EDU_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(ei.message, where));
	CU_ASSERT_PTR_NOT_NULL(strstr(ei.message, words));
	edu_clientcfg_release(&c);
	free(where);
	free(path);
}

static void test_syntax_errors(void)
{
	expect_error("[profile a]\nserver = http://x\nnonsense\n", 3, "expected 'key = value'");
	expect_error("[profile a]\nfavourite = 1\n", 2, "unknown key 'favourite'");
	expect_error("server = http://x\n", 1, "outside a [profile NAME] section");
	expect_error("\n[work]\n", 2, "expected '[profile NAME]'");
	expect_error("[profile ../../etc]\n", 1, "bad profile name");
	expect_error("[profile a]\ncolor = sometimes\n", 2, "auto, always or never");
	expect_error("[profile a]\nserver = ftp://x\n", 2, "http:// or https://");
	expect_error("profile = ../x\n", 1, "bad profile name");
}

static void test_set_keeps_the_rest(void)
{
	struct edu_clientcfg c;
	struct edu_errinfo ei;
	char *path = path_of("set.conf"), *text;

	write_file(path, sample);
	edu_clientcfg_init(&c);
	CU_ASSERT_EQUAL_FATAL(edu_clientcfg_load(&c, path, &ei), EDU_ERR_OK);
	edu_clientcfg_set(&c, "work", "school", "riverside");	/* replaced where it is */
	edu_clientcfg_set(&c, "work", "color", "always");	/* added after the last key */
	edu_clientcfg_set(&c, "home", "color", NULL);		/* removed */
	edu_clientcfg_set(&c, "lab", "server", "https://lab.example.org");	/* new section */
	edu_clientcfg_set(&c, NULL, "profile", "lab");
	CU_ASSERT_EQUAL_FATAL(edu_clientcfg_save(&c, &ei), EDU_ERR_OK);
	edu_clientcfg_release(&c);

	text = read_file(path);
	CU_ASSERT_STRING_EQUAL(text,
		"# my profiles\n"
		"profile = lab\n"
		"\n"
		"[profile work]\n"
		"server = https://edu.example.org\n"
		"school = riverside\n"
		"; a comment inside\n"
		"user=ada\n"
		"color = always\n"
		"\n"
		"[profile  home ]\n"
		"server = http://127.0.0.1:8080\n"
		"\n"
		"[profile lab]\n"
		"server = https://lab.example.org\n");
	free(text);
	/* what was written reads back */
	CU_ASSERT_EQUAL_FATAL(edu_clientcfg_load(&c, path, &ei), EDU_ERR_OK);
	CU_ASSERT_STRING_EQUAL(edu_clientcfg_current(&c), "lab");
	CU_ASSERT_STRING_EQUAL(edu_clientcfg_get(&c, "work", "school"), "riverside");
	CU_ASSERT_PTR_NULL(edu_clientcfg_get(&c, "home", "color"));
	edu_clientcfg_release(&c);
	/* no temporary file is left behind */
	CU_ASSERT_EQUAL(count_files("set.conf.tmp"), 0);
	free(path);
}

static void test_set_on_empty(void)
{
	struct edu_clientcfg c;
	struct edu_errinfo ei;
	char *dir = path_of("new/edu"), *path = xasprintf("%s/config", dir), *text;
	struct stat st;

	edu_clientcfg_init(&c);
	CU_ASSERT_EQUAL_FATAL(edu_clientcfg_load(&c, path, &ei), EDU_ERR_OK);
	edu_clientcfg_set(&c, "default", "server", "http://h:1");
	edu_clientcfg_set(&c, "default", "user", "ada");
	edu_clientcfg_set(&c, "default", "server", "http://h:2");
	/* the directories are made on save */
	CU_ASSERT_EQUAL_FATAL(edu_clientcfg_save(&c, &ei), EDU_ERR_OK);
	edu_clientcfg_release(&c);
	text = read_file(path);
	CU_ASSERT_STRING_EQUAL(text, "[profile default]\nserver = http://h:2\nuser = ada\n");
	free(text);
	CU_ASSERT_EQUAL(stat(dir, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0700);
	free(dir);
	free(path);
}

static void test_duplicates_collapse(void)
{
	struct edu_clientcfg c;
	struct edu_errinfo ei;
	char *path = path_of("dup.conf"), *text;

	write_file(path, "[profile a]\nuser = x\n[profile a]\nuser = y\n");
	edu_clientcfg_init(&c);
	CU_ASSERT_EQUAL_FATAL(edu_clientcfg_load(&c, path, &ei), EDU_ERR_OK);
	/* the last definition counts, as when reading */
	CU_ASSERT_STRING_EQUAL(edu_clientcfg_get(&c, "a", "user"), "y");
	edu_clientcfg_set(&c, "a", "user", "z");
	CU_ASSERT_EQUAL_FATAL(edu_clientcfg_save(&c, &ei), EDU_ERR_OK);
	edu_clientcfg_release(&c);
	text = read_file(path);
	CU_ASSERT_STRING_EQUAL(text, "[profile a]\n[profile a]\nuser = z\n");
	free(text);
	free(path);
}

static void test_names_and_values(void)
{
	struct edu_errinfo ei;

	CU_ASSERT(edu_profile_name_valid("default"));
	CU_ASSERT(edu_profile_name_valid("work-2.school_a"));
	CU_ASSERT(!edu_profile_name_valid(""));
	CU_ASSERT(!edu_profile_name_valid(".hidden"));
	CU_ASSERT(!edu_profile_name_valid("../x"));
	CU_ASSERT(!edu_profile_name_valid("a/b"));
	CU_ASSERT(!edu_profile_name_valid("a b"));
	CU_ASSERT(edu_cc_key_valid("ca_file"));
	CU_ASSERT(!edu_cc_key_valid("profile"));
	CU_ASSERT_EQUAL(edu_cc_check_value("color", "auto", &ei), EDU_ERR_OK);
	CU_ASSERT_EQUAL(edu_cc_check_value("server", "https://x", &ei), EDU_ERR_OK);
	CU_ASSERT_EQUAL(edu_cc_check_value("user", "a\nb", &ei), EDU_ERR_INVALID);
}

static void test_xdg_paths(void)
{
	char *old_state = getenv("XDG_STATE_HOME") ? xstrdup(getenv("XDG_STATE_HOME")) : NULL;
	char *old_home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
	char *p;

	setenv("HOME", "/home/ada", 1);
	setenv("XDG_STATE_HOME", "/var/state", 1);
	p = edu_creds_path("work");
	CU_ASSERT_STRING_EQUAL(p, "/var/state/edu/credentials/work.json");
	free(p);
	/* a relative XDG directory is ignored, as the specification says */
	setenv("XDG_STATE_HOME", "relative", 1);
	p = edu_creds_path("work");
	CU_ASSERT_STRING_EQUAL(p, "/home/ada/.local/state/edu/credentials/work.json");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	p = edu_clientcfg_default_path();
	CU_ASSERT_STRING_EQUAL(p, "/home/ada/.config/edu/config");
	free(p);
	if (old_state)
		setenv("XDG_STATE_HOME", old_state, 1);
	else
		unsetenv("XDG_STATE_HOME");
	if (old_home)
		setenv("HOME", old_home, 1);
	free(old_state);
	free(old_home);
}

static void test_creds_private(void)
{
	struct edu_creds c = { 0 }, back;
	struct edu_errinfo ei;
	char *dir = path_of("state/edu/credentials"), *path = xasprintf("%s/p.json", dir);
	cJSON *session = cJSON_Parse("{\"access_token\": \"acc\", \"refresh_token\": \"ref\", "
				     "\"expires_in\": 900, \"user\": {\"id\": \"u1\", "
				     "\"username\": \"ada\", \"role\": \"teacher\"}}");
	mode_t old_mask = umask(0);	/* the modes must not depend on the umask */
	struct stat st;
	int fd;

	CU_ASSERT_EQUAL_FATAL(edu_creds_from_session(&c, session, "http://h", "hill"), 0);
	CU_ASSERT_EQUAL(edu_creds_save(&c, path, &ei), EDU_ERR_OK);
	umask(old_mask);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
	CU_ASSERT_EQUAL(stat(dir, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0700);

	CU_ASSERT_EQUAL_FATAL(edu_creds_load(&back, path, &ei), EDU_ERR_OK);
	CU_ASSERT_STRING_EQUAL(back.access_token, "acc");
	CU_ASSERT_STRING_EQUAL(back.refresh_token, "ref");
	CU_ASSERT_STRING_EQUAL(back.username, "ada");
	CU_ASSERT_STRING_EQUAL(back.user_id, "u1");
	CU_ASSERT_STRING_EQUAL(back.school, "hill");
	CU_ASSERT_STRING_EQUAL(back.server, "http://h");
	CU_ASSERT(back.expires_at > 0);
	edu_creds_release(&back);

	/* the refresh lock can be taken, released and taken again */
	fd = edu_creds_lock(path, &ei);
	CU_ASSERT(fd >= 0);
	edu_creds_unlock(fd);
	fd = edu_creds_lock(path, &ei);
	CU_ASSERT(fd >= 0);
	edu_creds_unlock(fd);

	CU_ASSERT_EQUAL(edu_creds_remove(path, &ei), EDU_ERR_OK);
	CU_ASSERT_EQUAL(edu_creds_load(&back, path, &ei), EDU_ERR_AUTH);
	CU_ASSERT_EQUAL(edu_creds_remove(path, &ei), EDU_ERR_OK);
	edu_creds_release(&c);
	cJSON_Delete(session);
	free(dir);
	free(path);
}

static void test_atomic_replace(void)
{
	struct edu_errinfo ei;
	char *path = path_of("atomic"), *text;
	struct stat st;

	write_file(path, "old contents that are longer\n");
	CU_ASSERT_EQUAL(edu_write_atomic(path, "new\n", 4, 0600, &ei), EDU_ERR_OK);
	text = read_file(path);
	CU_ASSERT_STRING_EQUAL(text, "new\n");
	free(text);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0077, 0);
	CU_ASSERT_EQUAL(count_files("atomic.tmp"), 0);
	/* a directory that does not exist is an error, not a crash */
	free(path);
	path = path_of("no/such/dir/file");
	CU_ASSERT_EQUAL(edu_write_atomic(path, "x", 1, 0600, &ei), EDU_ERR_IO);
	CU_ASSERT_PTR_NOT_NULL(strstr(ei.message, "no/such/dir/file"));
	free(path);
}

static CU_TestInfo config_tests[] = {
	{ "profiles and keys are read", test_read },
	{ "a missing file is an empty configuration", test_missing_file },
	{ "syntax errors say file and line", test_syntax_errors },
	{ "set keeps comments and order", test_set_keeps_the_rest },
	{ "set on a new file creates it", test_set_on_empty },
	{ "a key defined twice is written once", test_duplicates_collapse },
	{ "profile names and values are checked", test_names_and_values },
	{ "paths follow the XDG rules", test_xdg_paths },
	CU_TEST_INFO_NULL
};

static CU_TestInfo file_tests[] = {
	{ "sessions are stored private and read back", test_creds_private },
	{ "files are replaced atomically", test_atomic_replace },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "clientconfig", suite_init, suite_cleanup, NULL, NULL, config_tests },
	{ "files", suite_init, suite_cleanup, NULL, NULL, file_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	return tap_main(argc, argv, suites);
}
