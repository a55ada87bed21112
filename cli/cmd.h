/*
 * A command is a declaration (as tmux's cmd-kill-session.c): a static `struct edu_cmd` with
 * named initialisers says its name, arguments, help, options, the things its arguments name
 * and what it needs, and the dispatcher (dispatch.c) does the rest before the handler runs:
 * it finds the command, parses and checks the options and arguments (their values too, and
 * the command's own .check), reads the configuration, opens the API client, and turns the
 * targets into ids. The handler only does its own work, with ctx->api and ctx->id[] ready.
 *
 *	static const struct edu_cmd edu_cmd_lesson[] = {
 *		{
 *			.name = "done",
 *			.args = "LESSON",
 *			.summary = "mark a lesson done (students)",
 *			.fn = lesson_done,
 *			.opts = done_opts,
 *			.targets = { EDU_TARGET_LESSON },
 *			.flags = CMD_NEEDS_LOGIN,
 *		},
 *		CMD_END
 *	};
 *
 * One table drives dispatch, `edu help`, `edu COMMAND --help`, the man page's COMMANDS
 * section (`edu --help-man`) and the shell completions (`edu --completion-helper WORDS...`),
 * with no special case for any command.
 *
 * A family (admin, token, config...) lives in cli/cmd-FAMILY.c, which exports its table;
 * cli/commands.c lists the families. To add a command: add its handler and a table entry
 * in its family's file, a test under tests/e2e/, and nothing else.
 */
#ifndef EDU_CMD_H
#define EDU_CMD_H

#include "opts.h"
#include "target.h"

struct edu_ctx;

/* flags */
#define CMD_NEEDS_LOGIN 0x01	/* the API client, with a token (a stored session or EDU_TOKEN) */
#define CMD_API         0x02	/* the API client, no token needed yet (login, activate) */
/*
 * The API client of the profile's stored session: its own server and token, whatever
 * EDU_SERVER and EDU_TOKEN say; ctx->api NULL when there is no session (logout).
 */
#define CMD_SESSION     0x04
#define CMD_HIDDEN      0x08	/* not listed in help or completions */
/*
 * In a family: the subcommand that runs when the word after the family names none of
 * them, so `edu grade SUBMISSION SCORE` is `edu grade set SUBMISSION SCORE`. A word that
 * cannot be its first argument (see edu_target_could_be()) and looks like a command name
 * is taken for a misspelt one instead.
 */
#define CMD_DEFAULT     0x10
/*
 * Prints a table (a list, or a "key  value" block): --csv gives it as one RFC 4180 table
 * and nothing else. A command without it refuses --csv before it does anything.
 */
#define CMD_TABLE       0x20
/*
 * Runs without the configuration, so that it works even when that is broken, and prints no
 * data the output options (--csv) would shape: help.
 */
#define CMD_NO_CONFIG   0x40
/* Its arguments are the words of a command (help): completed as command names. */
#define CMD_WORDS       0x80

/* The positional arguments whose values or targets a command declares. */
#define CMD_MAX_ARGS 2

typedef int edu_cmd_fn(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
/*
 * A command's own checks of its arguments and options that need nothing else (two options
 * that exclude each other, a score that is no number): run before the configuration is
 * read and anything is sent. Returns EDU_ERR_OK, or an error after printing it.
 */
typedef int edu_cmd_check_fn(const struct edu_cmd *cmd, int argc, char **argv,
			     const struct edu_optval *opts);

struct edu_cmd {
	const char *name;
	const char *args;	/* positional arguments for the synopsis, "USER" or NULL */
	const char *summary;	/* one line, lower case, no full stop */
	const char *description;	/* longer text for --help and the man page, or NULL */
	edu_cmd_fn *fn;
	edu_cmd_check_fn *check;	/* NULL: none */
	const struct edu_opt *opts;	/* NULL: none */
	const struct edu_cmd *subs;	/* a family: its subcommands (NULL-name terminated) */
	unsigned flags;
	/*
	 * What the first positional arguments name: the dispatcher turns each one given into
	 * its id (ctx->id[i]) before the handler runs. A MEMBER is looked for in the course
	 * an earlier argument names; a USER in the school the option named by scope gives.
	 */
	enum edu_target targets[CMD_MAX_ARGS];
	const char *scope;
	/* The values the first positional arguments take (NULL: any). */
	const struct edu_values *arg_values[CMD_MAX_ARGS];
};

#define CMD_END { .name = NULL }

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

/* --- the table's readers ----------------------------------------------------------- */

/*
 * Resolves argv[0..] to the deepest command; *used says how many words it took. NULL when
 * the first word names no command (lookup.c).
 */
const struct edu_cmd *edu_cmd_find(const struct edu_cmd *table, int argc, char **argv,
				   int *used);
/* "admin user create": the words that lead to cmd (static buffer). */
const char *edu_cmd_path(const struct edu_cmd *cmd);
/* The parent family of cmd, or NULL at the top. */
const struct edu_cmd *edu_cmd_parent(const struct edu_cmd *cmd);
/* The value of cmd's option named name (vals parsed), or NULL when not given. */
const char *edu_cmd_option(const struct edu_cmd *cmd, const struct edu_optval *vals,
			   const char *name);
/* The subcommand of family that runs by default (CMD_DEFAULT), or NULL. */
const struct edu_cmd *edu_cmd_default(const struct edu_cmd *family);

/* Prints the command's help (synopsis, description, options) to stdout (help.c). */
void edu_cmd_help(const struct edu_cmd *cmd);

#endif
