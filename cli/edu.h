/*
 * What the files of edu(1) share: the context every command handler gets, the global
 * options, the messages, and the handlers of the top-level commands that are not a family.
 *
 * A handler returns an enum edu_err (EDU_ERR_OK on success) after printing its own
 * messages; the dispatcher turns it into the exit status through edu_err_exit_code(), once.
 */
#ifndef EDU_CLI_H
#define EDU_CLI_H

#include <stdarg.h>
#include <stdio.h>

#include "cmd.h"
#include "opts.h"

#include "api.h"
#include "clientconfig.h"
#include "err.h"
#include "output.h"

/* The global options, in the order of edu_global_opts[]. */
enum {
	GOPT_PROFILE,
	GOPT_SERVER,
	GOPT_JSON,
	GOPT_CSV,
	GOPT_QUIET,
	GOPT_NO_COLOR,
	GOPT_VERSION,
	GOPT_HELP,
	GOPT__N
};

/* Values of the global options, filled wherever they appear on the command line. */
extern struct edu_optval edu_global_vals[GOPT__N];

/* What a handler gets, settled by the dispatcher before it runs (dispatch.c, ctx.c). */
struct edu_ctx {
	const struct edu_cmd *cmd;	/* the command running */
	char *profile;			/* --profile, EDU_PROFILE, the config's, or "default" */
	struct edu_clientcfg cfg;
	char *server;			/* --server, EDU_SERVER or the profile's; NULL: none */
	const char *env_token;		/* EDU_TOKEN, or NULL */
	char *creds_path;		/* the profile's stored session */
	struct edu_out out;
	/* the API client, for commands with CMD_NEEDS_LOGIN, CMD_API or CMD_SESSION */
	struct edu_api *api;
	/* the ids of the things the command's arguments name (cmd->targets); NULL: not given */
	char *id[CMD_MAX_ARGS];
};

/* Reads the configuration and settles profile, server and output. Prints its errors. */
enum edu_err edu_ctx_init(struct edu_ctx *ctx, const struct edu_cmd *cmd);
void edu_ctx_release(struct edu_ctx *ctx);
/*
 * Opens the API client for the current server (ctx->api), authenticated with EDU_TOKEN or
 * the profile's session. need_login: fail (with a message) when there is no session.
 * Prints its errors. Only the dispatcher calls it.
 */
enum edu_err edu_ctx_api(struct edu_ctx *ctx, int need_login);
/*
 * Opens the API client of the profile's stored session: its server and its token, whatever
 * EDU_SERVER and EDU_TOKEN say; none (ctx->api NULL, EDU_ERR_OK) when there is no session.
 * Prints its errors. Only the dispatcher calls it.
 */
enum edu_err edu_ctx_session_api(struct edu_ctx *ctx);
/* The current profile's value of key, or NULL. */
const char *edu_ctx_get(const struct edu_ctx *ctx, const char *key);

/* --- messages (messages.c) ----------------------------------------------------------- */

/*
 * Every line of ours that carries text from the server goes out through one of these,
 * which keep it to one line whatever the names it holds (a newline shows as "⏎", a
 * zero-width character as "<U+200B>").
 */
/* "edu: message" on stderr. */
void edu_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error: "edu: message" and "try 'edu help COMMAND'"; returns EDU_ERR_USAGE. */
enum edu_err edu_usage(const struct edu_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* edu_usage with the arguments in ap, for the option parser's own variadic messages. */
enum edu_err edu_vusage(const struct edu_cmd *cmd, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/*
 * Prints a failure from libedu (message, what to do about it, the field at fault) and
 * returns err. edu_failure_text() is that text, for a line that says more (caller frees).
 */
enum edu_err edu_report(enum edu_err err, const struct edu_errinfo *ei);
char *edu_failure_text(enum edu_err err, const struct edu_errinfo *ei);
/* edu_report() after what failed: "edu: cannot attach 'x.pdf': the file is too large". */
enum edu_err edu_report_on(enum edu_err err, const struct edu_errinfo *ei, const char *fmt,
			   ...) __attribute__((format(printf, 3, 4)));
/* An informational line on stdout, unless -q, --json or --csv (which print only data). */
void edu_info(const struct edu_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* One line on stdout. */
void edu_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "edu: unknown command ..." with the nearest names of table; returns EDU_ERR_USAGE. */
enum edu_err edu_cmd_unknown(const struct edu_cmd *parent, const struct edu_cmd *table,
			     const char *word);
/* The edit distance between a and b (adjacent transpositions count one). */
int edu_edit_distance(const char *a, const char *b);

/* --- the dispatcher and what reads the tables ------------------------------------------ */

/* Runs the command line argv (dispatch.c); returns what the exit status is made of. */
enum edu_err edu_run(int argc, char **argv);
/* Parses the global options before the command; 1: --help/--version done, -1: error. */
int edu_opts_parse_global(int *argc, char ***argv);
/* Checks argc and the required options against cmd->args; prints a usage error. */
enum edu_err edu_cmd_check_args(const struct edu_cmd *cmd, int argc, char **argv,
				const struct edu_optval *vals);
/* An option's help, its values' words added (caller frees; help.c). */
char *edu_opt_help(const struct edu_opt *o);
/*
 * "ROLE is student, teacher or admin.": the values of cmd's positional arguments, for its
 * help and the man page (caller frees; NULL when none declares words).
 */
char *edu_cmd_values_text(const struct edu_cmd *cmd);
/* The name of cmd's positional argument i in its synopsis ("ROLE"; caller frees), or NULL. */
char *edu_cmd_arg_name(const struct edu_cmd *cmd, int i);
/* The overview: every command with its summary, and the global options (help.c). */
void edu_help_overview(FILE *fp);
/* `edu --help-man`: the COMMANDS and GLOBAL OPTIONS sections of edu(1) in scdoc (man.c). */
int edu_help_man(FILE *fp);
/* `edu --completion-helper WORDS...`: candidates for the last word, one a line (complete.c). */
int edu_complete(int argc, char **argv, FILE *fp);

/* --- top-level commands ---------------------------------------------------------------- */

/* cmd-auth.c */
extern const struct edu_opt edu_opts_login[];
extern const struct edu_opt edu_opts_logout[];
extern const struct edu_opt edu_opts_passwd[];
extern const struct edu_opt edu_opts_activate[];
int edu_cmd_login(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
int edu_cmd_logout(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
int edu_cmd_whoami(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
int edu_cmd_passwd(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
int edu_cmd_activate(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
/* cmd-submit.c, cmd-grades.c */
extern const struct edu_opt edu_opts_submit[];
int edu_cmd_submit(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
int edu_check_submit(const struct edu_cmd *cmd, int argc, char **argv,
		     const struct edu_optval *opts);
int edu_cmd_grades(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
/* cmd-tui.c */
int edu_cmd_tui(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
/* help.c */
int edu_cmd_help_fn(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);

#endif
