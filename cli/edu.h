/*
 * What the files of edu(1) share: the context every command handler gets, the global
 * options, message helpers, and the handlers of the top-level commands that are not a
 * family (cmd-auth.c).
 *
 * A handler returns an enum edu_err (EDU_ERR_OK on success) after printing its own
 * messages; main() turns it into the exit status through edu_err_exit_code(), once.
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

struct edu_ctx {
	const struct edu_cmd *cmd;	/* the command running */
	char *profile;			/* --profile, EDU_PROFILE, the config's, or "default" */
	struct edu_clientcfg cfg;
	char *server;			/* --server, EDU_SERVER or the profile's; NULL: none */
	const char *env_token;		/* EDU_TOKEN, or NULL */
	char *creds_path;		/* the profile's stored session */
	struct edu_out out;
	struct edu_api *api;		/* made by edu_ctx_api() */
};

/* Reads the configuration and settles profile, server and output. Prints its errors. */
enum edu_err edu_ctx_init(struct edu_ctx *ctx, const struct edu_cmd *cmd);
void edu_ctx_release(struct edu_ctx *ctx);
/*
 * The API client for the current server, authenticated with EDU_TOKEN or the profile's
 * session. need_login: fail (with a message) when there is no session. Prints its errors.
 */
enum edu_err edu_ctx_api(struct edu_ctx *ctx, int need_login, struct edu_api **api);
/* The current profile's value of key, or NULL. */
const char *edu_ctx_get(const struct edu_ctx *ctx, const char *key);

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
/*
 * One line on stdout. Like edu_error() and edu_info() it is kept to one line whatever the
 * names it holds (a newline shows as "⏎", a zero-width character as "<U+200B>"): every
 * line of ours that carries text from the server goes out through one of them.
 */
void edu_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The parts of the command table's machinery main() uses (commands.c). */
/* Parses the global options before the command; 1: --help/--version done, -1: error. */
int edu_opts_parse_global(int *argc, char ***argv);
/* Checks argc and the required options against cmd->args; prints a usage error. */
enum edu_err edu_cmd_check_args(const struct edu_cmd *cmd, int argc, char **argv,
				const struct edu_optval *vals);
/* "edu: unknown command ..." with the nearest names of table; returns EDU_ERR_USAGE. */
enum edu_err edu_cmd_unknown(const struct edu_cmd *parent, const struct edu_cmd *table,
			     const char *word);
/* The edit distance between a and b (adjacent transpositions count one). */
int edu_edit_distance(const char *a, const char *b);
/* The overview: every command with its summary, and the global options. */
void edu_help_overview(FILE *fp);
/* `edu --help-man`: the COMMANDS and GLOBAL OPTIONS sections of edu(1) in scdoc. */
int edu_help_man(FILE *fp);
/* `edu --completion-helper WORDS...`: candidates for the last word, one a line. */
int edu_complete(int argc, char **argv, FILE *fp);
/* The parent family of cmd, or NULL at the top. */
const struct edu_cmd *edu_cmd_parent(const struct edu_cmd *cmd);

/* Top-level commands (cmd-auth.c, commands.c). */
extern const struct edu_opt edu_opts_login[];
extern const struct edu_opt edu_opts_logout[];
extern const struct edu_opt edu_opts_passwd[];
extern const struct edu_opt edu_opts_activate[];
int edu_cmd_login(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
int edu_cmd_logout(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
int edu_cmd_whoami(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
int edu_cmd_passwd(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
int edu_cmd_activate(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);

/* Checks a role name; prints a usage error for cmd when it is not one. */
enum edu_err edu_check_role(const struct edu_cmd *cmd, const char *role);

#endif
