/*
 * Unit tests of edu(1)'s tables and their readers (cli/opts.c, cli/commands.c): the option
 * parser, command lookup, argument checks, "did you mean", the completion helper and
 * the man page section, on the real command table.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/edu.h"
#include "tap.h"

enum { T_SCHOOL, T_STDIN, T_ALL, T_DAYS, T_TAG, T__N };
static const struct edu_opt test_opts[] = {
	[T_SCHOOL] = OPT_STRING('s', "school", "SLUG", "a string"),
	[T_STDIN] = OPT_BOOL(0, "password-stdin", "a long-only boolean"),
	[T_ALL] = OPT_BOOL('a', "all", "a boolean with a letter"),
	[T_DAYS] = OPT_INT('d', "days", "N", "a number"),
	[T_TAG] = OPT_LIST('t', "tag", "TAG", "repeatable"),
	OPT_END
};
static const struct edu_cmd test_cmd = {
	.name = "test", .args = "NAME [MORE...]", .summary = "a command for the tests",
	.opts = test_opts,
};

/* Silences a stream around calls that print (help, errors), keeping TAP output clean. */
static int silence(int fd)
{
	int saved, null;

	fflush(fd == 1 ? stdout : stderr);
	saved = dup(fd);
	null = open("/dev/null", O_WRONLY);
	dup2(null, fd);
	close(null);
	return saved;
}

static void unsilence(int fd, int saved)
{
	fflush(fd == 1 ? stdout : stderr);
	dup2(saved, fd);
	close(saved);
}

static void reset_globals(void)
{
	edu_opts_release(edu_global_opts, edu_global_vals);
}

/* Parses a NULL-terminated list of words with test_cmd's table. */
static int parse(struct edu_optval *v, int *argc, char ***argv, char **words)
{
	int n = 0, r, saved;

	while (words[n])
		n++;
	*argc = n;
	*argv = words;
	reset_globals();
	saved = silence(2);
	r = edu_opts_parse(&test_cmd, argc, argv, v);
	unsilence(2, saved);
	return r;
}

static void test_forms(void)
{
	char *w[] = { "--school", "hill", "x", "--days=7", "-a", "y", "--password-stdin", NULL };
	struct edu_optval v[T__N];
	char **argv;
	int argc;

	CU_ASSERT_EQUAL(parse(v, &argc, &argv, w), 0);
	CU_ASSERT_STRING_EQUAL(v[T_SCHOOL].str, "hill");
	CU_ASSERT_EQUAL(v[T_DAYS].num, 7);
	CU_ASSERT_EQUAL(v[T_ALL].set, 1);
	CU_ASSERT_EQUAL(v[T_STDIN].set, 1);
	/* positionals keep their order, wherever they stood */
	CU_ASSERT_EQUAL(argc, 2);
	CU_ASSERT_STRING_EQUAL(argv[0], "x");
	CU_ASSERT_STRING_EQUAL(argv[1], "y");
	edu_opts_release(test_opts, v);
}

static void test_short_forms(void)
{
	char *w1[] = { "-shill", "-d", "3", NULL };
	char *w2[] = { "-as", "hill", "n", NULL };
	char *w3[] = { "-qa", NULL };
	struct edu_optval v[T__N];
	char **argv;
	int argc;

	CU_ASSERT_EQUAL(parse(v, &argc, &argv, w1), 0);
	CU_ASSERT_STRING_EQUAL(v[T_SCHOOL].str, "hill");
	CU_ASSERT_EQUAL(v[T_DAYS].num, 3);
	CU_ASSERT_EQUAL(argc, 0);
	edu_opts_release(test_opts, v);
	/* a boolean bundled with one that takes the next word */
	CU_ASSERT_EQUAL(parse(v, &argc, &argv, w2), 0);
	CU_ASSERT_EQUAL(v[T_ALL].set, 1);
	CU_ASSERT_STRING_EQUAL(v[T_SCHOOL].str, "hill");
	CU_ASSERT_EQUAL(argc, 1);
	CU_ASSERT_STRING_EQUAL(argv[0], "n");
	edu_opts_release(test_opts, v);
	/* a global letter bundled with the command's own */
	CU_ASSERT_EQUAL(parse(v, &argc, &argv, w3), 0);
	CU_ASSERT_EQUAL(v[T_ALL].set, 1);
	CU_ASSERT_EQUAL(edu_global_vals[GOPT_QUIET].set, 1);
	edu_opts_release(test_opts, v);
}

static void test_double_dash(void)
{
	char *w[] = { "a", "--", "--all", "-s", NULL };
	struct edu_optval v[T__N];
	char **argv;
	int argc;

	CU_ASSERT_EQUAL(parse(v, &argc, &argv, w), 0);
	CU_ASSERT_EQUAL(v[T_ALL].set, 0);
	CU_ASSERT_EQUAL(argc, 3);
	CU_ASSERT_STRING_EQUAL(argv[1], "--all");
	CU_ASSERT_STRING_EQUAL(argv[2], "-s");
	edu_opts_release(test_opts, v);
}

static void test_list_and_repeat(void)
{
	char *w[] = { "-t", "a", "--tag=b", "--tag", "c", "-s", "one", "-s", "two", NULL };
	struct edu_optval v[T__N];
	char **argv;
	int argc;

	CU_ASSERT_EQUAL(parse(v, &argc, &argv, w), 0);
	CU_ASSERT_EQUAL(v[T_TAG].nlist, 3);
	CU_ASSERT_STRING_EQUAL(v[T_TAG].list[0], "a");
	CU_ASSERT_STRING_EQUAL(v[T_TAG].list[2], "c");
	CU_ASSERT_PTR_NULL(v[T_TAG].list[3]);
	/* a string given twice: the last one counts */
	CU_ASSERT_STRING_EQUAL(v[T_SCHOOL].str, "two");
	CU_ASSERT_EQUAL(v[T_SCHOOL].set, 2);
	edu_opts_release(test_opts, v);
	CU_ASSERT_PTR_NULL(v[T_TAG].list);
}

static void test_errors(void)
{
	char *unknown[] = { "--nope", NULL };
	char *unknown_short[] = { "-z", NULL };
	char *missing[] = { "x", "--school", NULL };
	char *bool_value[] = { "--all=yes", NULL };
	char *not_number[] = { "--days", "seven", NULL };
	char *trailing[] = { "--days=7x", NULL };
	char **cases[] = { unknown, unknown_short, missing, bool_value, not_number, trailing };
	struct edu_optval v[T__N];
	char **argv;
	int argc;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_EQUAL(parse(v, &argc, &argv, cases[i]), -1);
		edu_opts_release(test_opts, v);
	}
}

static void test_help_and_globals(void)
{
	char *help[] = { "x", "--help", NULL };
	char *globals[] = { "--json", "x", "--profile", "work", "--server=http://h", NULL };
	struct edu_optval v[T__N];
	char **argv;
	int argc, saved, r;

	saved = silence(1);
	r = parse(v, &argc, &argv, help);
	unsilence(1, saved);
	CU_ASSERT_EQUAL(r, 1);
	edu_opts_release(test_opts, v);

	CU_ASSERT_EQUAL(parse(v, &argc, &argv, globals), 0);
	CU_ASSERT_EQUAL(edu_global_vals[GOPT_JSON].set, 1);
	CU_ASSERT_STRING_EQUAL(edu_global_vals[GOPT_PROFILE].str, "work");
	CU_ASSERT_STRING_EQUAL(edu_global_vals[GOPT_SERVER].str, "http://h");
	CU_ASSERT_EQUAL(argc, 1);
	edu_opts_release(test_opts, v);
}

static void test_global_prefix(void)
{
	char *w[] = { "-q", "--profile", "p", "admin", "--json", "user", NULL };
	char **argv = w;
	int argc = 6;

	reset_globals();
	/* the global options before the command stop at the first command word */
	CU_ASSERT_EQUAL(edu_opts_parse_global(&argc, &argv), 0);
	CU_ASSERT_EQUAL(argc, 3);
	CU_ASSERT_STRING_EQUAL(argv[0], "admin");
	CU_ASSERT_STRING_EQUAL(argv[1], "--json");
	CU_ASSERT_EQUAL(edu_global_vals[GOPT_QUIET].set, 1);
	CU_ASSERT_STRING_EQUAL(edu_global_vals[GOPT_PROFILE].str, "p");
	CU_ASSERT_EQUAL(edu_global_vals[GOPT_JSON].set, 0);
}

static void test_find_and_path(void)
{
	char *w[] = { "admin", "user", "create", "ada", NULL };
	char *bad[] = { "admin", "nope", NULL };
	const struct edu_cmd *c;
	int used;

	c = edu_cmd_find(edu_commands, 4, w, &used);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(used, 3);
	CU_ASSERT_STRING_EQUAL(c->name, "create");
	CU_ASSERT_STRING_EQUAL(edu_cmd_path(c), "admin user create");
	CU_ASSERT_STRING_EQUAL(edu_cmd_path(edu_cmd_parent(c)), "admin user");
	c = edu_cmd_find(edu_commands, 2, bad, &used);
	CU_ASSERT_EQUAL(used, 1);
	CU_ASSERT_STRING_EQUAL(c->name, "admin");
	CU_ASSERT_PTR_NULL(edu_cmd_find(edu_commands, 1, &bad[1], &used));
}

static const struct edu_cmd *find(const char *path)
{
	char *copy = strdup(path), *words[8], *save = NULL;
	const struct edu_cmd *c;
	int n = 0, used;

	for (char *t = strtok_r(copy, " ", &save); t && n < 8; t = strtok_r(NULL, " ", &save))
		words[n++] = t;
	c = edu_cmd_find(edu_commands, n, words, &used);
	free(copy);
	return used == n ? c : NULL;
}

static void test_check_args(void)
{
	const struct edu_cmd *set_role = find("admin user set-role");
	const struct edu_cmd *school = find("admin school create");
	char *two[] = { "ada", "teacher", "extra" };
	struct edu_optval v[8];
	int saved;

	CU_ASSERT_PTR_NOT_NULL_FATAL(set_role);
	CU_ASSERT_PTR_NOT_NULL_FATAL(school);
	memset(v, 0, sizeof(v));
	saved = silence(2);
	CU_ASSERT_EQUAL(edu_cmd_check_args(set_role, 1, two, v), EDU_ERR_USAGE);
	CU_ASSERT_EQUAL(edu_cmd_check_args(set_role, 2, two, v), EDU_ERR_OK);
	CU_ASSERT_EQUAL(edu_cmd_check_args(set_role, 3, two, v), EDU_ERR_USAGE);
	/* "SLUG --name NAME --admin USERNAME": the options written in args are required */
	CU_ASSERT_EQUAL(edu_cmd_check_args(school, 1, two, v), EDU_ERR_USAGE);
	v[0].set = v[1].set = 1;	/* --name, --admin */
	CU_ASSERT_EQUAL(edu_cmd_check_args(school, 1, two, v), EDU_ERR_OK);
	/* "[COMMAND...]" takes any number */
	CU_ASSERT_EQUAL(edu_cmd_check_args(find("help"), 0, two, v), EDU_ERR_OK);
	CU_ASSERT_EQUAL(edu_cmd_check_args(find("help"), 3, two, v), EDU_ERR_OK);
	unsilence(2, saved);
}

/* Every command of table (and below) keeps the rules of its declaration. */
static void check_table(const struct edu_cmd *table)
{
	for (const struct edu_cmd *c = table; c && c->name; c++) {
		int defaults = 0;

		/* a family has subcommands and no handler, a command a handler */
		CU_ASSERT((c->subs != NULL) != (c->fn != NULL));
		/* what names a thing needs the API to find it */
		for (int i = 0; i < CMD_MAX_ARGS; i++)
			CU_ASSERT(!c->targets[i] || (c->flags & CMD_NEEDS_LOGIN));
		for (int i = 0; c->opts && c->opts[i].type != OPT_T_END; i++)
			if (c->opts[i].target)
				CU_ASSERT(c->flags & CMD_NEEDS_LOGIN);
		/* a scope is one of the command's options */
		if (c->scope) {
			int found = 0;

			for (int i = 0; c->opts && c->opts[i].type != OPT_T_END; i++)
				found |= !strcmp(c->opts[i].long_name, c->scope);
			CU_ASSERT(found);
		}
		for (const struct edu_cmd *s = c->subs; s && s->name; s++)
			defaults += !!(s->flags & CMD_DEFAULT);
		CU_ASSERT(defaults <= 1);
		check_table(c->subs);
	}
}

static void test_declarations(void)
{
	const struct edu_cmd *members = find("course members");
	int saved;

	check_table(edu_commands);
	/* the declared values are what is checked */
	CU_ASSERT_PTR_NOT_NULL_FATAL(members);
	saved = silence(2);
	CU_ASSERT_EQUAL(edu_values_check(members, members->opts[0].values, "teacher"), 0);
	CU_ASSERT_EQUAL(edu_values_check(members, members->opts[0].values, "admin"), -1);
	CU_ASSERT_EQUAL(edu_values_check(find("admin user set-role"),
					 find("admin user set-role")->arg_values[1], "admin"), 0);
	CU_ASSERT_EQUAL(edu_values_check(find("profile use"), find("profile use")->arg_values[0],
					 "../x"), -1);
	unsilence(2, saved);
	/* the default subcommand of grade is set */
	CU_ASSERT_PTR_EQUAL(edu_cmd_default(find("grade")), find("grade set"));
	CU_ASSERT_PTR_NULL(edu_cmd_default(find("admin")));
}

static void test_edit_distance(void)
{
	CU_ASSERT_EQUAL(edu_edit_distance("login", "login"), 0);
	CU_ASSERT_EQUAL(edu_edit_distance("logni", "login"), 1);	/* transposition */
	CU_ASSERT_EQUAL(edu_edit_distance("kitten", "sitting"), 3);
	CU_ASSERT_EQUAL(edu_edit_distance("", "abc"), 3);
	CU_ASSERT_EQUAL(edu_edit_distance("whoam", "whoami"), 1);
}

/* The completion helper's answer for words, as one string. */
static char *complete(int argc, char **argv)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	edu_complete(argc, argv, fp);
	fclose(fp);
	return out;
}

static void test_completion(void)
{
	char *top[] = { "" }, *a[] = { "a" }, *fam[] = { "admin", "" };
	char *role[] = { "admin", "user", "create", "x", "--role", "te" };
	char *set_role[] = { "admin", "user", "set-role", "ada", "" };
	char *scope[] = { "token", "create", "t", "--scope", "" };
	char *opts[] = { "token", "create", "--ex" };
	char *nothing[] = { "zzz" };
	char *keys[] = { "config", "get", "" }, *help[] = { "help", "admin", "" };
	char *kind[] = { "assignment", "create", "C", "--kind", "" };
	char *members[] = { "course", "members", "C", "--role=" };
	char *s;

	s = complete(1, top);
	CU_ASSERT(strstr(s, "login\n") && strstr(s, "admin\n") && strstr(s, "--json\n"));
	free(s);
	s = complete(1, a);
	CU_ASSERT_STRING_EQUAL(s, "activate\nadmin\nassignment\n");
	free(s);
	s = complete(2, fam);
	CU_ASSERT_STRING_EQUAL(s, "school\nuser\n");
	free(s);
	s = complete(6, role);
	CU_ASSERT_STRING_EQUAL(s, "teacher\n");
	free(s);
	s = complete(5, set_role);
	CU_ASSERT_STRING_EQUAL(s, "student\nteacher\nadmin\nschool_admin\nsuper_admin\n");
	free(s);
	s = complete(5, scope);
	CU_ASSERT_STRING_EQUAL(s, "read\nwrite\n");
	free(s);
	s = complete(3, opts);
	CU_ASSERT_STRING_EQUAL(s, "--expires-days\n");
	free(s);
	s = complete(1, nothing);
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
	/* what options and arguments declare: no command or option is a special case */
	s = complete(3, keys);
	CU_ASSERT_STRING_EQUAL(s, "server\nschool\nuser\ncolor\nca_file\n");
	free(s);
	s = complete(3, help);
	CU_ASSERT_STRING_EQUAL(s, "school\nuser\n");
	free(s);
	s = complete(5, kind);
	CU_ASSERT_STRING_EQUAL(s, "text\nfiles\nboth\n");
	free(s);
	s = complete(4, members);
	CU_ASSERT_STRING_EQUAL(s, "--role=student\n--role=teacher\n");
	free(s);
}

static void test_help_man(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	edu_help_man(fp);
	fclose(fp);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "# COMMANDS\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "# GLOBAL OPTIONS\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n*edu admin user create* _USERNAME_ *--role* _ROLE_ "
				      "[*-e*, *--email* _EMAIL_]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n*edu help* [_COMMAND_...]\n\t"));
	/* scdoc's special characters are escaped in the text */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "school\\_admin"));
	CU_ASSERT_PTR_NULL(strstr(out, "completion-helper"));
	free(out);
}

static CU_TestInfo opts_tests[] = {
	{ "long options, values and permuted positionals", test_forms },
	{ "short options, attached values and bundles", test_short_forms },
	{ "-- ends the options", test_double_dash },
	{ "repeatable and repeated options", test_list_and_repeat },
	{ "bad options are usage errors", test_errors },
	{ "--help, and global options after the command", test_help_and_globals },
	{ "global options before the command", test_global_prefix },
	CU_TEST_INFO_NULL
};

static CU_TestInfo table_tests[] = {
	{ "commands are found by their words", test_find_and_path },
	{ "argument counts and required options", test_check_args },
	{ "edit distance for did-you-mean", test_edit_distance },
	{ "the completion helper", test_completion },
	{ "every command keeps its declaration's rules", test_declarations },
	{ "the man page section", test_help_man },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "opts", NULL, NULL, NULL, NULL, opts_tests },
	{ "commands", NULL, NULL, NULL, NULL, table_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	int r = tap_main(argc, argv, suites);

	reset_globals();
	return r;
}
