/*
 * Options are declared, not parsed by hand. A command lists its options in a static table
 * indexed by its own enum, and edu_opts_parse() fills a parallel array of values:
 *
 *	enum { O_SCHOOL, O_STDIN, O__N };
 *	static const struct edu_opt login_opts[] = {
 *		[O_SCHOOL] = OPT_STRING('s', "school", "SLUG", "school to log in to"),
 *		[O_STDIN] = OPT_BOOL(0, "password-stdin", "read the password from standard input"),
 *		OPT_END
 *	};
 *	struct edu_optval v[O__N];
 *	if (edu_opts_parse(cmd, &argc, &argv, v) ...)
 *	... v[O_SCHOOL].str ...
 *
 * The same tables give `--help`, the man page's option lists and the completions.
 */
#ifndef EDU_OPTS_H
#define EDU_OPTS_H

enum edu_opt_type {
	OPT_T_END,
	OPT_T_BOOL,	/* --flag */
	OPT_T_STRING,	/* --name VALUE, --name=VALUE, -n VALUE */
	OPT_T_INT,
	OPT_T_LIST,	/* repeatable --name VALUE */
};

struct edu_opt {
	enum edu_opt_type type;
	char short_name;	/* 0: none */
	const char *long_name;
	const char *argname;	/* "SLUG"; NULL for booleans */
	const char *help;
};

#define OPT_BOOL(s, l, h)	{ OPT_T_BOOL, s, l, NULL, h }
#define OPT_STRING(s, l, a, h)	{ OPT_T_STRING, s, l, a, h }
#define OPT_INT(s, l, a, h)	{ OPT_T_INT, s, l, a, h }
#define OPT_LIST(s, l, a, h)	{ OPT_T_LIST, s, l, a, h }
#define OPT_END			{ OPT_T_END, 0, NULL, NULL, NULL }

struct edu_optval {
	int set;		/* given on the command line (count for booleans) */
	const char *str;	/* OPT_T_STRING: the value (points into argv) */
	long num;		/* OPT_T_INT */
	const char **list;	/* OPT_T_LIST: NULL-terminated, owned by the optval */
	int nlist;
};

struct edu_cmd;

/*
 * Parses the options of cmd from *argv (after the command words), leaving the positional
 * arguments in *argc and *argv. `-h`/`--help` print the command's help and return 1 (the caller
 * exits 0). A bad option prints "edu: ..." plus "try 'edu help COMMAND'" and returns -1.
 * Returns 0 otherwise. Free the values with edu_opts_release().
 */
int edu_opts_parse(const struct edu_cmd *cmd, int *argc, char ***argv, struct edu_optval *vals);
void edu_opts_release(const struct edu_opt *opts, struct edu_optval *vals);
/* Number of entries before OPT_END. */
int edu_opts_count(const struct edu_opt *opts);

#endif
