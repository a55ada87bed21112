/*
 * Options are declared, not parsed by hand. A command lists its options in a static table
 * indexed by its own enum, and edu_opts_parse() fills a parallel array of values:
 *
 *	enum { O_SCHOOL, O_ROLE, O_STDIN, O__N };
 *	static const struct edu_opt login_opts[] = {
 *		[O_SCHOOL] = OPT_STRING('s', "school", "SLUG", "school to log in to"),
 *		[O_ROLE] = OPT_CHOICE('r', "role", "ROLE", &edu_values_role, "the user's role"),
 *		[O_STDIN] = OPT_BOOL(0, "password-stdin", "read the password from standard input"),
 *		OPT_END
 *	};
 *	... opts[O_SCHOOL].str ...
 *
 * An option may say which values it takes (struct edu_values: a list of words, or a
 * callback, as git's OPT_CALLBACK): the dispatcher checks them before the command runs, and
 * the completion offers them, with no special case for any option. An option may also name
 * a thing (OPT_TARGET: an assignment, say): the dispatcher turns its value into that
 * thing's id before the command runs.
 *
 * The same tables give `--help`, the man page's option lists and the completions.
 */
#ifndef EDU_OPTS_H
#define EDU_OPTS_H

#include "target.h"

enum edu_opt_type {
	OPT_T_END,
	OPT_T_BOOL,	/* --flag */
	OPT_T_STRING,	/* --name VALUE, --name=VALUE, -n VALUE */
	OPT_T_INT,
	OPT_T_LIST,	/* repeatable --name VALUE */
};

struct edu_cmd;

/*
 * The values an option or a positional argument takes, for checking and for completion.
 * words, when set, are all the values allowed; list, when set, offers candidates (the
 * profiles of the configuration, say) for completion only; check, when set, is the test a
 * value must pass beyond words.
 */
struct edu_values {
	const char *what;			/* a value, in messages: "role", "course role" */
	const char *const *words;		/* NULL-terminated; NULL: any value */
	/* calls add(arg, word) for each candidate */
	void (*list)(void (*add)(void *arg, const char *word), void *arg);
	/* 0 when value will do; else prints a usage error for cmd and returns -1 */
	int (*check)(const struct edu_cmd *cmd, const char *value);
};

struct edu_opt {
	enum edu_opt_type type;
	char short_name;		/* 0: none */
	const char *long_name;
	const char *argname;		/* "SLUG"; NULL for booleans */
	const char *help;		/* its values, if words, are added to it when shown */
	const struct edu_values *values;	/* NULL: any value */
	enum edu_target target;		/* a string naming this kind of thing: made its id */
};

#define OPT_BOOL(s, l, h) \
	{ .type = OPT_T_BOOL, .short_name = s, .long_name = l, .help = h }
#define OPT_STRING(s, l, a, h) \
	{ .type = OPT_T_STRING, .short_name = s, .long_name = l, .argname = a, .help = h }
/* A string that must be one of values (struct edu_values *). */
#define OPT_CHOICE(s, l, a, v, h) \
	{ .type = OPT_T_STRING, .short_name = s, .long_name = l, .argname = a, .help = h, \
	  .values = v }
/* A string naming a thing of kind t (enum edu_target): the dispatcher makes it its id. */
#define OPT_TARGET(s, l, a, t, h) \
	{ .type = OPT_T_STRING, .short_name = s, .long_name = l, .argname = a, .help = h, \
	  .target = t }
#define OPT_INT(s, l, a, h) \
	{ .type = OPT_T_INT, .short_name = s, .long_name = l, .argname = a, .help = h }
#define OPT_LIST(s, l, a, h) \
	{ .type = OPT_T_LIST, .short_name = s, .long_name = l, .argname = a, .help = h }
#define OPT_END { .type = OPT_T_END }

struct edu_optval {
	int set;		/* given on the command line (count for booleans) */
	const char *str;	/* OPT_T_STRING: the value (in argv, or the id made of it) */
	long num;		/* OPT_T_INT */
	const char **list;	/* OPT_T_LIST: NULL-terminated, owned by the optval */
	int nlist;
	char *id;		/* a target's id, which str then points to (owned) */
};

/*
 * Parses the options of cmd from *argv (after the command words), leaving the positional
 * arguments in *argc and *argv. `-h`/`--help` return 1 (the caller prints the command's
 * help). A bad option prints "edu: ..." plus "try 'edu help COMMAND'" and returns -1.
 * Returns 0 otherwise. Free the values with edu_opts_release().
 */
int edu_opts_parse(const struct edu_cmd *cmd, int *argc, char ***argv, struct edu_optval *vals);
void edu_opts_release(const struct edu_opt *opts, struct edu_optval *vals);
/* Number of entries before OPT_END. */
int edu_opts_count(const struct edu_opt *opts);
/*
 * Checks value against values: 0, or -1 after a usage error for cmd ("unknown role 'x'
 * (student, teacher...)").
 */
int edu_values_check(const struct edu_cmd *cmd, const struct edu_values *values,
		     const char *value);
/* "student, teacher or admin": values' words for a sentence (caller frees; NULL: no words). */
char *edu_values_text(const struct edu_values *values, const char *last_sep);

#endif
