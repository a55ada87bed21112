/*
 * The command table and everything that reads it: lookup, `edu help`, `edu COMMAND
 * --help`, argument checks, "did you mean", the man page's COMMANDS section
 * (`edu --help-man`) and the shell completions (`edu --completion-helper`).
 *
 * To add a command family: write cli/cmd-FAMILY.c exporting its table, declare the table
 * in cmd.h, and add one line to edu_commands[] below.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cw.h"
#include "edu.h"
#include "model.h"
#include "safe.h"
#include "xalloc.h"

static int cmd_help(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);

const struct edu_cmd edu_commands[] = {
	{ "login", NULL, "log in and keep the session in this profile", edu_cmd_login,
	  edu_opts_login, NULL, 0,
	  "Asks for the school and user name when they are not given (offering the profile's) "
	  "and for the password, which is read from the terminal without echo. The session is "
	  "stored in $XDG_STATE_HOME/edu/credentials/PROFILE.json, readable only by you, and "
	  "refreshed on its own while you use it. With --server, the server is saved in the "
	  "profile too." },
	{ "logout", NULL, "end the session of this profile", edu_cmd_logout, edu_opts_logout,
	  NULL, 0,
	  "Ends the stored session on the server and removes it from this machine. With --all, "
	  "every session and access token of your account ends, on every machine." },
	{ "whoami", NULL, "show who you are logged in as", edu_cmd_whoami, NULL, NULL,
	  CMD_NEEDS_LOGIN | CMD_TABLE, NULL },
	{ "passwd", NULL, "change your password", edu_cmd_passwd, edu_opts_passwd, NULL,
	  CMD_NEEDS_LOGIN,
	  "Asks for the current password and the new one twice. With --password-stdin, reads "
	  "two lines from standard input: the current password, then the new one. Your other "
	  "sessions end." },
	{ "activate", NULL, "activate a new account with its code and choose a password",
	  edu_cmd_activate, edu_opts_activate, NULL, 0,
	  "Asks for whatever of school, user name and activation code is not given, then for "
	  "the new password twice (with --password-stdin, one line of standard input). On "
	  "success you are logged in. Type the code at the prompt, or give it on the first "
	  "line of standard input with --code-stdin (the password, with --password-stdin, on "
	  "the next): a code given with --code is on the command line, where anyone on the "
	  "same machine can read it (ps) until it is used." },
	{ "config", NULL, "read and change the settings of a profile", NULL, NULL,
	  edu_cmd_config, 0, NULL },
	{ "profile", NULL, "list profiles and choose the current one", NULL, NULL,
	  edu_cmd_profile, 0, NULL },
	{ "token", NULL, "manage personal API tokens for scripts", NULL, NULL, edu_cmd_token, 0,
	  NULL },
	{ "admin", NULL, "manage schools and users", NULL, NULL, edu_cmd_admin, 0, NULL },
	{ "course", NULL, "list, create, copy and join courses; enrol users", NULL, NULL,
	  edu_cmd_course, 0, NULL },
	{ "lesson", NULL, "read a course's lessons", NULL, NULL, edu_cmd_lesson, 0, NULL },
	{ "assignment", NULL, "list, show, create and edit assignments", NULL, NULL,
	  edu_cmd_assignment, 0, NULL },
	{ "rubric", NULL, "show and set an assignment's rubric", NULL, NULL, edu_cmd_rubric, 0,
	  NULL },
	{ "submit", "ASSIGNMENT [FILE...]", "hand in an assignment: files, text or both",
	  edu_cmd_submit, edu_opts_submit, NULL, CMD_NEEDS_LOGIN,
	  "Each file is uploaded (with a progress bar on a terminal for large ones), then the "
	  "submission is made; every submit is a new attempt and the teacher sees the latest. "
	  "Files too large for the assignment are refused before anything is sent. Prints the "
	  "attempt (the submission's id alone with -q)." },
	{ "submission", NULL, "list, show and download submissions", NULL, NULL,
	  edu_cmd_submission, 0, NULL },
	{ "grade", NULL, "grade submissions, one by one or in a loop; release grades", NULL,
	  NULL, edu_cmd_grade, 0,
	  "'edu grade SUBMISSION SCORE' is short for 'edu grade set SUBMISSION SCORE'." },
	{ "grades", "[COURSE]", "show your released grades and feedback", edu_cmd_grades, NULL,
	  NULL, CMD_NEEDS_LOGIN | CMD_TABLE,
	  "For students: score, late or missing, the rubric levels reached and the teacher's "
	  "comment of every released grade, of one course or of all." },
	{ "help", "[COMMAND...]", "show help for edu or for a command", cmd_help, NULL, NULL, 0,
	  NULL },
	CMD_END
};

enum edu_err edu_check_role(const struct edu_cmd *cmd, const char *role)
{
	if (edu_role_from_name(role) != EDU_ROLE_NONE)
		return EDU_ERR_OK;
	return edu_usage(cmd, "unknown role '%s' (student, teacher, admin, school_admin or "
			 "super_admin)", role);
}

/* --- finding commands --------------------------------------------------------------- */

const struct edu_cmd *edu_cmd_find(const struct edu_cmd *table, int argc, char **argv,
				   int *used)
{
	const struct edu_cmd *found = NULL;
	int n = 0;

	while (table && n < argc) {
		const struct edu_cmd *c;

		for (c = table; c->name && strcmp(c->name, argv[n]); c++)
			;
		if (!c->name)
			break;
		found = c;
		n++;
		table = c->subs;
	}
	*used = n;
	return found;
}

/* Depth-first search for cmd below table; fills path[] with the chain. */
static int find_chain(const struct edu_cmd *table, const struct edu_cmd *cmd,
		      const struct edu_cmd **path, int depth, int max)
{
	if (depth >= max)
		return -1;
	for (const struct edu_cmd *c = table; c && c->name; c++) {
		int d;

		path[depth] = c;
		if (c == cmd)
			return depth + 1;
		d = find_chain(c->subs, cmd, path, depth + 1, max);
		if (d > 0)
			return d;
	}
	return -1;
}

const char *edu_cmd_path(const struct edu_cmd *cmd)
{
	static char buf[256];
	const struct edu_cmd *path[8];
	int n = find_chain(edu_commands, cmd, path, 0, 8);
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? " " : "",
					path[i]->name);
	return buf;
}

const struct edu_cmd *edu_cmd_parent(const struct edu_cmd *cmd)
{
	const struct edu_cmd *path[8];
	int n = find_chain(edu_commands, cmd, path, 0, 8);

	return n > 1 ? path[n - 2] : NULL;
}

/* --- messages ----------------------------------------------------------------------- */

/*
 * prefix and fmt's text as one line on fp. The whole line goes through the one-line
 * sanitiser, so no name or title it holds can start a line of its own (a newline shows as
 * "⏎") or hide a character (zero-width ones show as "<U+200B>").
 */
static void vline(FILE *fp, const char *prefix, const char *fmt, va_list ap)
{
	struct edu_buf b = EDU_BUF_INIT;
	char *clean;

	edu_buf_vprintf(&b, fmt, ap);
	clean = edu_safe_text(edu_buf_str(&b), EDU_SAFE_ONELINE);
	fprintf(fp, "%s%s\n", prefix, clean);
	free(clean);
	edu_buf_release(&b);
}

/* "edu: message" on stderr: edu_error and every usage error print it the same way. */
static void verror(const char *fmt, va_list ap)
{
	vline(stderr, "edu: ", fmt, ap);
}

/* Where to read more after a usage error: the help of cmd, or the overview. */
static void try_help(const struct edu_cmd *cmd)
{
	if (cmd)
		fprintf(stderr, "try 'edu help %s'\n", edu_cmd_path(cmd));
	else
		fputs("try 'edu help'\n", stderr);
}

void edu_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
}

enum edu_err edu_vusage(const struct edu_cmd *cmd, const char *fmt, va_list ap)
{
	verror(fmt, ap);
	try_help(cmd);
	return EDU_ERR_USAGE;
}

enum edu_err edu_usage(const struct edu_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	edu_vusage(cmd, fmt, ap);
	va_end(ap);
	return EDU_ERR_USAGE;
}

/*
 * What to do about a failure of libedu's own, in our words: libedu says what went wrong
 * (ei->code is an EDU_WHY_*), the command line says which command puts it right.
 */
static const char *advice(const struct edu_errinfo *ei)
{
	if (edu_err_is(ei, EDU_WHY_NO_SESSION) || edu_err_is(ei, EDU_WHY_OTHER_SERVER) ||
	    edu_err_is(ei, EDU_WHY_SESSION_ENDED))
		return "; run 'edu login'";
	if (edu_err_is(ei, EDU_WHY_BAD_SESSION))
		return "; remove it and run 'edu login'";
	return "";
}

char *edu_failure_text(enum edu_err err, const struct edu_errinfo *ei)
{
	const char *msg = ei && ei->message[0] ? ei->message : edu_err_message(err);

	if (ei && ei->field[0])
		return xasprintf("%s%s (field '%s')", msg, advice(ei), ei->field);
	return xasprintf("%s%s", msg, advice(ei));
}

enum edu_err edu_report(enum edu_err err, const struct edu_errinfo *ei)
{
	char *text = edu_failure_text(err, ei);

	edu_error("%s", text);
	free(text);
	return err;
}

enum edu_err edu_report_on(enum edu_err err, const struct edu_errinfo *ei, const char *fmt,
			   ...)
{
	struct edu_buf b = EDU_BUF_INIT;
	char *text = edu_failure_text(err, ei);
	va_list ap;

	va_start(ap, fmt);
	edu_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	edu_error("%s: %s", edu_buf_str(&b), text);
	edu_buf_release(&b);
	free(text);
	return err;
}

void edu_info(const struct edu_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->out.quiet || ctx->out.json || ctx->out.csv)
		return;
	va_start(ap, fmt);
	vline(stdout, "", fmt, ap);
	va_end(ap);
}

void edu_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(stdout, "", fmt, ap);
	va_end(ap);
}

/* --- did you mean ------------------------------------------------------------------- */

int edu_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int *prev2 = xcalloc(lb + 1, sizeof(int)), *prev = xcalloc(lb + 1, sizeof(int));
	int *cur = xcalloc(lb + 1, sizeof(int)), *t, d;

	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int best = prev[j] + 1;

			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (prev[j - 1] + cost < best)
				best = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	d = prev[lb];
	free(prev2);
	free(prev);
	free(cur);
	return d;
}

/* The distance used for suggestions: a unique start ("adm" for "admin") counts as 1. */
static int suggest_distance(const char *word, const char *name)
{
	int d = edu_edit_distance(word, name);

	if (strlen(word) >= 2 && !strncmp(name, word, strlen(word)) && d > 1)
		d = 1;
	return d;
}

enum edu_err edu_cmd_unknown(const struct edu_cmd *parent, const struct edu_cmd *table,
			     const char *word)
{
	char *where = xasprintf("%s%s", parent ? edu_cmd_path(parent) : "", parent ? " " : "");
	const struct edu_cmd *near[8];
	int best = 1000, n = 0;

	for (const struct edu_cmd *c = table; c->name; c++)
		if (!(c->flags & CMD_HIDDEN) && suggest_distance(word, c->name) < best)
			best = suggest_distance(word, c->name);
	/* close enough to be a typo: at most 2 edits, and fewer than the word's length */
	if (best <= 2 && best < (int)strlen(word))
		for (const struct edu_cmd *c = table; c->name && n < 8; c++)
			if (!(c->flags & CMD_HIDDEN) && suggest_distance(word, c->name) == best)
				near[n++] = c;
	edu_error("unknown command '%s%s'", where, word);
	if (n == 1) {
		fprintf(stderr, "did you mean 'edu %s%s'?\n", where, near[0]->name);
	} else if (n > 1) {
		fprintf(stderr, "did you mean one of these?\n");
		for (int i = 0; i < n; i++)
			fprintf(stderr, "\tedu %s%s\n", where, near[i]->name);
	}
	try_help(parent);
	free(where);
	return EDU_ERR_USAGE;
}

/* --- argument checks ---------------------------------------------------------------- */

enum edu_err edu_cmd_check_args(const struct edu_cmd *cmd, int argc, char **argv,
				const struct edu_optval *vals)
{
	char *copy = xstrdup(cmd->args ? cmd->args : ""), *save = NULL, *tok;
	int min = 0, max = 0, optional = 0, skip = 0;
	enum edu_err err = EDU_ERR_OK;
	struct edu_buf missing = EDU_BUF_INIT;

	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		size_t len;
		int closes = 0, k;

		while (*tok == '[') {
			optional++;
			tok++;
		}
		len = strlen(tok);
		while (len > 0 && tok[len - 1] == ']') {
			tok[--len] = '\0';
			closes++;
		}
		if (skip) {
			skip = 0;
		} else if (!strncmp(tok, "--", 2)) {
			/* a required option, written in args as "--name VALUE" */
			for (k = 0; cmd->opts && cmd->opts[k].type != OPT_T_END; k++)
				if (!strcmp(cmd->opts[k].long_name, tok + 2))
					break;
			if (cmd->opts && cmd->opts[k].type != OPT_T_END) {
				skip = cmd->opts[k].type != OPT_T_BOOL;
				if (!optional && !vals[k].set) {
					err = edu_usage(cmd, "option '%s' is required", tok);
					goto out;
				}
			}
		} else if (len > 3 && !strcmp(tok + len - 3, "...")) {
			max = 1 << 20;
			if (!optional && argc < ++min)
				edu_buf_printf(&missing, "%s%.*s", missing.len ? " " : "",
					       (int)(len - 3), tok);
		} else {
			max++;
			if (!optional && argc < ++min)
				edu_buf_printf(&missing, "%s%s", missing.len ? " " : "", tok);
		}
		optional -= closes;
	}
	if (argc < min)
		err = edu_usage(cmd, "'%s' needs %s", edu_cmd_path(cmd), edu_buf_str(&missing));
	else if (argc > max)
		err = edu_usage(cmd, "unexpected argument '%s' for '%s'", argv[max],
				edu_cmd_path(cmd));
out:
	edu_buf_release(&missing);
	free(copy);
	return err;
}

/* --- help --------------------------------------------------------------------------- */

/* "  -s, --school SLUG" */
static char *opt_label(const struct edu_opt *o)
{
	if (o->short_name && o->argname)
		return xasprintf("-%c, --%s %s", o->short_name, o->long_name, o->argname);
	if (o->short_name)
		return xasprintf("-%c, --%s", o->short_name, o->long_name);
	if (o->argname)
		return xasprintf("    --%s %s", o->long_name, o->argname);
	return xasprintf("    --%s", o->long_name);
}

static void print_opts(FILE *fp, const char *title, const struct edu_opt *opts)
{
	int n = edu_opts_count(opts);
	size_t width = 0;

	if (!n)
		return;
	for (int i = 0; i < n; i++) {
		char *l = opt_label(&opts[i]);

		if (strlen(l) > width)
			width = strlen(l);
		free(l);
	}
	fprintf(fp, "\n%s:\n", title);
	for (int i = 0; i < n; i++) {
		char *l = opt_label(&opts[i]);

		fprintf(fp, "  %-*s  %s\n", (int)width, l, opts[i].help);
		free(l);
	}
}

/* Prints text wrapped at 78 columns with indent. */
static void print_wrapped(FILE *fp, const char *text, int indent)
{
	const char *p = text;
	int col = 0;

	while (*p) {
		size_t w = strcspn(p, " ");

		if (col > indent && col + 1 + (int)w > 78) {
			fputc('\n', fp);
			col = 0;
		}
		if (col == 0) {
			col = fprintf(fp, "%*s", indent, "");
		} else {
			fputc(' ', fp);
			col++;
		}
		col += fprintf(fp, "%.*s", (int)w, p);
		p += w;
		while (*p == ' ')
			p++;
	}
	if (col)
		fputc('\n', fp);
}

/* Lists the commands under table (leaves with their full paths). */
static void collect_leaves(const struct edu_cmd *table, const struct edu_cmd **out, int *n,
			   int max)
{
	for (const struct edu_cmd *c = table; c && c->name; c++) {
		if (c->flags & CMD_HIDDEN)
			continue;
		if (c->subs)
			collect_leaves(c->subs, out, n, max);
		else if (*n < max)
			out[(*n)++] = c;
	}
}

static void print_command_list(FILE *fp, const struct edu_cmd *table)
{
	const struct edu_cmd *leaves[128];
	char *paths[128];
	int n = 0;
	size_t width = 0;

	collect_leaves(table, leaves, &n, 128);
	for (int i = 0; i < n; i++) {
		paths[i] = xstrdup(edu_cmd_path(leaves[i]));
		if (strlen(paths[i]) > width)
			width = strlen(paths[i]);
	}
	for (int i = 0; i < n; i++) {
		/* a blank line between top-level groups */
		if (i > 0 && strncmp(paths[i], paths[i - 1], strcspn(paths[i], " ") + 1) &&
		    (strchr(paths[i], ' ') || strchr(paths[i - 1], ' ')))
			fputc('\n', fp);
		fprintf(fp, "  %-*s  %s\n", (int)width, paths[i], leaves[i]->summary);
	}
	for (int i = 0; i < n; i++)
		free(paths[i]);
}

void edu_help_overview(FILE *fp)
{
	fprintf(fp, "usage: edu [OPTIONS] COMMAND [ARGS...]\n\n"
		"edu is the command-line client of the edu school platform.\n\ncommands:\n");
	print_command_list(fp, edu_commands);
	print_opts(fp, "global options (anywhere on the line)", edu_global_opts);
	fprintf(fp, "\nrun 'edu help COMMAND' for a command's arguments and options\n");
}

/* "USERNAME --role ROLE" plus "[OPTIONS]" when it has options not named in args. */
static void print_synopsis(FILE *fp, const struct edu_cmd *cmd)
{
	fprintf(fp, "usage: edu %s", edu_cmd_path(cmd));
	if (cmd->subs) {
		fprintf(fp, " COMMAND [ARGS...]\n");
		return;
	}
	if (cmd->args)
		fprintf(fp, " %s", cmd->args);
	if (edu_opts_count(cmd->opts))
		fprintf(fp, " [OPTIONS]");
	fputc('\n', fp);
}

void edu_cmd_help(const struct edu_cmd *cmd)
{
	FILE *fp = stdout;

	print_synopsis(fp, cmd);
	fputc('\n', fp);
	print_wrapped(fp, cmd->summary, 0);
	if (cmd->description) {
		fputc('\n', fp);
		print_wrapped(fp, cmd->description, 0);
	}
	if (cmd->subs) {
		fprintf(fp, "\ncommands:\n");
		print_command_list(fp, cmd->subs);
		fprintf(fp, "\nrun 'edu help %s COMMAND' for a command's options\n",
			edu_cmd_path(cmd));
		return;
	}
	print_opts(fp, "options", cmd->opts);
	print_opts(fp, "global options", edu_global_opts);
}

static int cmd_help(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	const struct edu_cmd *cmd;
	int used;

	if (argc == 0) {
		edu_help_overview(stdout);
		return EDU_ERR_OK;
	}
	cmd = edu_cmd_find(edu_commands, argc, argv, &used);
	if (!cmd)
		return edu_cmd_unknown(NULL, edu_commands, argv[0]);
	if (used < argc) {
		if (cmd->subs)
			return edu_cmd_unknown(cmd, cmd->subs, argv[used]);
		return edu_usage(NULL, "'%s' has no subcommand '%s'", edu_cmd_path(cmd),
				 argv[used]);
	}
	edu_cmd_help(cmd);
	return EDU_ERR_OK;
}

/* --- the man page (scdoc) ----------------------------------------------------------- */

/* Writes text with scdoc's special characters escaped. */
static void scdoc_text(FILE *fp, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '*' || *p == '_' || *p == '\\')
			fputc('\\', fp);
		fputc(*p, fp);
	}
}

/* An argument word: "[", "]" and "..." kept, the name underlined, options bold. */
static void scdoc_word(FILE *fp, const char *w)
{
	size_t len = strlen(w), end;

	while (*w == '[') {
		fputc('[', fp);
		w++;
		len--;
	}
	end = len;
	while (end > 0 && w[end - 1] == ']')
		end--;
	if (end > 3 && !strncmp(w + end - 3, "...", 3)) {
		fprintf(fp, "_%.*s_...", (int)end - 3, w);
	} else if (!strncmp(w, "--", 2) || w[0] == '-') {
		fprintf(fp, "*%.*s*", (int)end, w);
	} else {
		fputc('_', fp);
		for (size_t i = 0; i < end; i++) {
			if (w[i] == '_' || w[i] == '*' || w[i] == '\\')
				fputc('\\', fp);
			fputc(w[i], fp);
		}
		fputc('_', fp);
	}
	fprintf(fp, "%.*s", (int)(len - end), w + end);
}

static void scdoc_opt(FILE *fp, const struct edu_opt *o)
{
	if (o->short_name)
		fprintf(fp, "*-%c*, ", o->short_name);
	fprintf(fp, "*--%s*", o->long_name);
	if (o->argname) {
		fputc(' ', fp);
		scdoc_word(fp, o->argname);
	}
}

static int args_name_option(const char *args, const char *long_name)
{
	const char *p = args;
	size_t n = strlen(long_name);

	while (args && (p = strstr(p, "--"))) {
		if (!strncmp(p + 2, long_name, n) && (p[2 + n] == ' ' || p[2 + n] == '\0' ||
						      p[2 + n] == ']'))
			return 1;
		p += 2;
	}
	return 0;
}

static void man_command(FILE *fp, const struct edu_cmd *cmd)
{
	int n = edu_opts_count(cmd->opts);

	fprintf(fp, "*edu %s*", edu_cmd_path(cmd));
	if (cmd->args) {
		char *copy = xstrdup(cmd->args), *save = NULL;

		for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			fputc(' ', fp);
			scdoc_word(fp, w);
		}
		free(copy);
	}
	for (int i = 0; i < n; i++) {
		if (args_name_option(cmd->args, cmd->opts[i].long_name))
			continue;
		fputs(" [", fp);
		scdoc_opt(fp, &cmd->opts[i]);
		fputc(']', fp);
	}
	/* the summary is lower case for one-line lists; here it starts a sentence */
	fprintf(fp, "\n\t%c", toupper((unsigned char)cmd->summary[0]));
	scdoc_text(fp, cmd->summary + 1);
	fputs(".", fp);
	if (cmd->description) {
		fputc(' ', fp);
		scdoc_text(fp, cmd->description);
	}
	fputc('\n', fp);
	for (int i = 0; i < n; i++) {
		fputs("\n\t", fp);
		scdoc_opt(fp, &cmd->opts[i]);
		fputs("\n\t\t", fp);
		scdoc_text(fp, cmd->opts[i].help);
		fputc('\n', fp);
	}
	fputc('\n', fp);
}

static void man_table(FILE *fp, const struct edu_cmd *table)
{
	for (const struct edu_cmd *c = table; c && c->name; c++) {
		if (c->flags & CMD_HIDDEN)
			continue;
		if (c->subs)
			man_table(fp, c->subs);
		else
			man_command(fp, c);
	}
}

int edu_help_man(FILE *fp)
{
	fputs("# COMMANDS\n\n", fp);
	man_table(fp, edu_commands);
	fputs("# GLOBAL OPTIONS\n\nThese options may stand anywhere on the command line.\n\n",
	      fp);
	for (int i = 0; edu_global_opts[i].type != OPT_T_END; i++) {
		scdoc_opt(fp, &edu_global_opts[i]);
		fputs("\n\t", fp);
		scdoc_text(fp, edu_global_opts[i].help);
		fputs("\n\n", fp);
	}
	return 0;
}

/* --- completion --------------------------------------------------------------------- */

static void candidate(FILE *fp, const char *prefix, const char *word, const char *cur)
{
	size_t np = strlen(prefix);

	/* cur is what was typed: prefix + the start of word */
	if (strncmp(cur, prefix, np) || strncmp(word, cur + np, strlen(cur + np)))
		return;
	fprintf(fp, "%s%s\n", prefix, word);
}

static void complete_options(FILE *fp, const struct edu_opt *opts, const char *cur)
{
	for (int i = 0; opts && opts[i].type != OPT_T_END; i++) {
		char *w = xasprintf("--%s", opts[i].long_name);

		candidate(fp, "", w, cur);
		free(w);
	}
}

static void complete_profiles(FILE *fp, const char *prefix, const char *cur)
{
	struct edu_clientcfg cfg;
	char *path = edu_clientcfg_default_path();
	const char **names;

	edu_clientcfg_init(&cfg);
	if (path && !edu_clientcfg_load(&cfg, path, NULL)) {
		names = edu_clientcfg_profiles(&cfg, NULL);
		for (size_t i = 0; names[i]; i++)
			candidate(fp, prefix, names[i], cur);
		free(names);
	}
	edu_clientcfg_release(&cfg);
	free(path);
}

static void complete_list(FILE *fp, const char *prefix, const char *const *words,
			  const char *cur)
{
	for (size_t i = 0; words[i]; i++)
		candidate(fp, prefix, words[i], cur);
}

/* Values of an option that takes one. */
static void complete_value(FILE *fp, const struct edu_opt *o, const char *prefix,
			   const char *cur)
{
	static const char *const scopes[] = { "read", "write", NULL };

	if (!strcmp(o->long_name, "profile"))
		complete_profiles(fp, prefix, cur);
	else if (!strcmp(o->long_name, "role"))
		complete_list(fp, prefix, edu_role_names, cur);
	else if (!strcmp(o->long_name, "scope"))
		complete_list(fp, prefix, scopes, cur);
}

static const struct edu_opt *lookup_opt(const struct edu_cmd *cmd, const char *w)
{
	const struct edu_opt *tables[2] = { cmd ? cmd->opts : NULL, edu_global_opts };

	for (int t = 0; t < 2; t++) {
		for (int i = 0; tables[t] && tables[t][i].type != OPT_T_END; i++) {
			const struct edu_opt *o = &tables[t][i];
			size_t n = strcspn(w + 2, "=");

			if (w[1] == '-' && strlen(o->long_name) == n &&
			    !strncmp(o->long_name, w + 2, n))
				return o;
			if (w[1] != '-' && o->short_name && w[strlen(w) - 1] == o->short_name)
				return o;
		}
	}
	return NULL;
}

static void complete_names(FILE *fp, const struct edu_cmd *table, const char *cur)
{
	for (const struct edu_cmd *c = table; c && c->name; c++)
		if (!(c->flags & CMD_HIDDEN))
			candidate(fp, "", c->name, cur);
}

int edu_complete(int argc, char **argv, FILE *fp)
{
	const char *cur = argc > 0 ? argv[argc - 1] : "";
	const struct edu_cmd *cmd = NULL, *help_cmd = NULL;
	const struct edu_opt *pending = NULL;
	int npos = 0, dead = 0, after_dashes = 0;

	for (int i = 0; i < argc - 1; i++) {
		const char *w = argv[i];

		if (pending) {
			pending = NULL;
			continue;
		}
		if (!after_dashes && !strcmp(w, "--")) {
			after_dashes = 1;
			continue;
		}
		if (!after_dashes && w[0] == '-' && w[1]) {
			const struct edu_opt *o = lookup_opt(help_cmd ? NULL : cmd, w);

			if (o && o->type != OPT_T_BOOL && !strchr(w, '='))
				pending = o;
			continue;
		}
		if (help_cmd) {
			/* `edu help admin user`: walk the words as a command path */
			const struct edu_cmd *t = cmd ? cmd->subs : edu_commands, *c;

			for (c = t; c && c->name && strcmp(c->name, w); c++)
				;
			if (c && c->name)
				cmd = c;
			else
				dead = 1;
			continue;
		}
		if (!cmd || cmd->subs) {
			const struct edu_cmd *t = cmd ? cmd->subs : edu_commands, *c;

			for (c = t; c->name && strcmp(c->name, w); c++)
				;
			if (!c->name) {
				dead = 1;
				continue;
			}
			if (!cmd && c->fn == cmd_help) {
				help_cmd = c;
				continue;
			}
			cmd = c;
			continue;
		}
		npos++;
	}
	if (dead)
		return 0;
	if (pending) {
		complete_value(fp, pending, "", cur);
		return 0;
	}
	if (cur[0] == '-' && cur[1] == '-' && strchr(cur, '=')) {
		const struct edu_opt *o = lookup_opt(help_cmd ? NULL : cmd, cur);

		if (o && o->argname) {
			char *prefix = xstrndup(cur, (size_t)(strchr(cur, '=') - cur + 1));

			complete_value(fp, o, prefix, cur);
			free(prefix);
		}
		return 0;
	}
	if (cur[0] == '-') {
		if (cmd && !cmd->subs && !help_cmd)
			complete_options(fp, cmd->opts, cur);
		complete_options(fp, edu_global_opts, cur);
		return 0;
	}
	if (help_cmd || !cmd || cmd->subs) {
		if (cmd && !cmd->subs)
			return 0;
		complete_names(fp, cmd ? cmd->subs : edu_commands, cur);
		if (!cmd && !help_cmd && !cur[0])
			complete_options(fp, edu_global_opts, cur);
		return 0;
	}
	/* positional arguments of a command */
	if (!strcmp(edu_cmd_path(cmd), "profile use") && npos == 0)
		complete_profiles(fp, "", cur);
	else if (!strcmp(edu_cmd_path(cmd), "admin user set-role") && npos == 1)
		complete_list(fp, "", edu_role_names, cur);
	else if (!strncmp(edu_cmd_path(cmd), "config ", 7) && npos == 0 && cmd->args)
		complete_list(fp, "", (const char *const *)edu_cc_keys, cur);
	return 0;
}
