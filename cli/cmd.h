/*
 * The command table. One static table of `struct edu_cmd` drives dispatch, `edu help`,
 * `edu COMMAND --help`, the man page's COMMANDS section (`edu --help-man`) and the shell
 * completions (`edu --completion-helper WORDS...`).
 *
 * A family (admin, token, config...) lives in cli/cmd-FAMILY.c, which exports its table;
 * cli/commands.c lists the families. To add a command: add its handler and a table line in
 * its family's file, a test under tests/e2e/, and nothing else: help, man page and
 * completions follow from the table.
 */
#ifndef EDU_CMD_H
#define EDU_CMD_H

#include "opts.h"

struct edu_ctx;

/* flags */
#define CMD_NEEDS_LOGIN 0x1	/* needs a token (a stored session or EDU_TOKEN) */
#define CMD_HIDDEN      0x2	/* not listed in help or completions */
/*
 * In a family: the subcommand that runs when the word after the family names none of
 * them, so `edu grade SUBMISSION SCORE` is `edu grade set SUBMISSION SCORE`.
 */
#define CMD_DEFAULT     0x4
/*
 * Prints a table (a list, or a "key  value" block): --csv gives it as one RFC 4180 table
 * and nothing else. A command without it refuses --csv before it does anything.
 */
#define CMD_TABLE       0x8

struct edu_cmd {
	const char *name;
	const char *args;	/* positional arguments for the synopsis, "USER" or NULL */
	const char *summary;	/* one line, lower case, no full stop */
	int (*fn)(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
	const struct edu_opt *opts;	/* NULL: none */
	const struct edu_cmd *subs;	/* a family: its subcommands (NULL-name terminated) */
	unsigned flags;
	const char *description;	/* longer text for --help and the man page, or NULL */
};

#define CMD_END { NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL }

/* The top-level table (cli/commands.c). */
extern const struct edu_cmd edu_commands[];
/* The global options (--profile, --server, --json, -q, --no-color). */
extern const struct edu_opt edu_global_opts[];

/* Families, one per cli/cmd-*.c. */
extern const struct edu_cmd edu_cmd_config[];
extern const struct edu_cmd edu_cmd_profile[];
extern const struct edu_cmd edu_cmd_token[];
extern const struct edu_cmd edu_cmd_admin[];
extern const struct edu_cmd edu_cmd_course[];
extern const struct edu_cmd edu_cmd_lesson[];
extern const struct edu_cmd edu_cmd_assignment[];
extern const struct edu_cmd edu_cmd_rubric[];
extern const struct edu_cmd edu_cmd_submission[];
extern const struct edu_cmd edu_cmd_grade[];

/*
 * Resolves argv[0..] to the deepest command; *used says how many words it took. NULL when
 * the first word names no command.
 */
const struct edu_cmd *edu_cmd_find(const struct edu_cmd *table, int argc, char **argv,
				   int *used);
/* "admin user create": the words that lead to cmd (static buffer). */
const char *edu_cmd_path(const struct edu_cmd *cmd);
/* Prints the command's help (synopsis, description, options) to stdout. */
void edu_cmd_help(const struct edu_cmd *cmd);

#endif
