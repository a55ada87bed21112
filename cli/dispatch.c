/*
 * The dispatcher: what every command needs done before its handler runs, done once, from
 * its declaration (cmd.h). It finds the command in the table from the words of the command
 * line (global options allowed between them), takes a word no subcommand has for the
 * family's default subcommand's argument, parses the options, checks the arguments and
 * every declared value, refuses --csv for a command that prints no table, reads the
 * configuration, opens the API client the command asks for, and turns the things its
 * arguments and options name into their ids. Then it runs the handler and returns what
 * the exit status is made of.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "edu.h"
#include "xalloc.h"

static int is_help_word(const char *w)
{
	return !strcmp(w, "-h") || !strcmp(w, "--help");
}

/* "'admin user' needs a command: create, list, ..." */
static enum edu_err needs_subcommand(const struct edu_cmd *family)
{
	struct edu_buf names = EDU_BUF_INIT;
	enum edu_err err;

	for (const struct edu_cmd *c = family->subs; c->name; c++)
		if (!(c->flags & CMD_HIDDEN))
			edu_buf_printf(&names, "%s%s", names.len ? ", " : "", c->name);
	err = edu_usage(family, "'%s' needs a command: %s", edu_cmd_path(family),
			edu_buf_str(&names));
	edu_buf_release(&names);
	return err;
}

/*
 * Is word, which names no subcommand of its family, the misspelling of one rather than the
 * first argument of the family's default subcommand def? `edu grade histroy X` is a typing
 * error, `edu grade deadbeef 5` grades: a word of lower-case letters and '-' that cannot be
 * what def's first argument takes is taken for a command.
 */
static int misspelt_command(const struct edu_cmd *def, const char *word)
{
	const struct edu_values *v = def->arg_values[0];

	if (strspn(word, "abcdefghijklmnopqrstuvwxyz-") != strlen(word))
		return 0;
	if (def->targets[0])
		return !edu_target_could_be(def->targets[0], word);
	if (v && v->words) {
		for (size_t i = 0; v->words[i]; i++)
			if (!strcmp(v->words[i], word))
				return 0;
		return 1;
	}
	return 0;
}

/*
 * Finds the command the words of *argv name, moving *argc and *argv past them; *cmd NULL
 * with EDU_ERR_OK when help or the version was printed.
 */
static enum edu_err find_command(int *argc, char ***argv, const struct edu_cmd **found)
{
	const struct edu_cmd *cmd = NULL;
	int ac = *argc, r;
	char **av = *argv;

	*found = NULL;
	for (;;) {
		const struct edu_cmd *table = cmd ? cmd->subs : edu_commands, *c, *def;

		if (cmd && ac > 0 && is_help_word(av[0])) {
			edu_cmd_help(cmd);
			return EDU_ERR_OK;
		}
		r = edu_opts_parse_global(&ac, &av);
		if (r < 0)
			return EDU_ERR_USAGE;
		if (r > 0) {
			if (edu_global_vals[GOPT_HELP].set)
				edu_help_overview(stdout);
			return EDU_ERR_OK;
		}
		if (ac == 0) {
			if (cmd)
				return needs_subcommand(cmd);
			edu_help_overview(stderr);
			return EDU_ERR_USAGE;
		}
		for (c = table; c->name && strcmp(c->name, av[0]); c++)
			;
		if (!c->name && cmd && (def = edu_cmd_default(cmd)) && !misspelt_command(def, av[0])) {
			/* a family's default subcommand takes the word as its first argument */
			cmd = def;
			break;
		}
		if (!c->name)
			return edu_cmd_unknown(cmd, table, av[0]);
		cmd = c;
		ac--;
		av++;
		if (!cmd->subs)
			break;
	}
	*argc = ac;
	*argv = av;
	*found = cmd;
	return EDU_ERR_OK;
}

/* Every value the command line gives that cmd declares the values of; prints the failure. */
static enum edu_err check_values(const struct edu_cmd *cmd, int argc, char **argv,
				 const struct edu_optval *vals)
{
	for (int i = 0; cmd->opts && cmd->opts[i].type != OPT_T_END; i++) {
		const struct edu_values *v = cmd->opts[i].values;

		if (!v || !vals[i].set)
			continue;
		if (cmd->opts[i].type == OPT_T_LIST) {
			for (int k = 0; k < vals[i].nlist; k++)
				if (edu_values_check(cmd, v, vals[i].list[k]))
					return EDU_ERR_USAGE;
		} else if (edu_values_check(cmd, v, vals[i].str)) {
			return EDU_ERR_USAGE;
		}
	}
	for (int i = 0; i < CMD_MAX_ARGS && i < argc; i++)
		if (edu_values_check(cmd, cmd->arg_values[i], argv[i]))
			return EDU_ERR_USAGE;
	return EDU_ERR_OK;
}

/* Turns the things cmd's arguments and options name into their ids; prints the failure. */
static enum edu_err resolve_targets(struct edu_ctx *ctx, int argc, char **argv,
				    struct edu_optval *vals)
{
	const struct edu_cmd *cmd = ctx->cmd;
	struct edu_errinfo ei = { 0 };
	enum edu_err err;

	for (int i = 0; i < CMD_MAX_ARGS && i < argc; i++) {
		enum edu_target t = cmd->targets[i];
		const char *scope = t == EDU_TARGET_MEMBER ? (i ? ctx->id[i - 1] : NULL) :
			edu_cmd_option(cmd, vals, cmd->scope);

		if (!t)
			continue;
		err = edu_target_resolve(t, ctx->api, scope, argv[i], &ctx->id[i], &ei);
		if (err)
			return edu_report(err, &ei);
	}
	for (int i = 0; cmd->opts && cmd->opts[i].type != OPT_T_END; i++) {
		if (!cmd->opts[i].target || !vals[i].set)
			continue;
		err = edu_target_resolve(cmd->opts[i].target, ctx->api, NULL, vals[i].str,
					 &vals[i].id, &ei);
		if (err)
			return edu_report(err, &ei);
		vals[i].str = vals[i].id;
	}
	return EDU_ERR_OK;
}

/* The API client cmd asks for, in ctx->api. */
static enum edu_err open_api(struct edu_ctx *ctx)
{
	unsigned flags = ctx->cmd->flags;

	if (flags & CMD_NEEDS_LOGIN)
		return edu_ctx_api(ctx, 1);
	if (flags & CMD_API)
		return edu_ctx_api(ctx, 0);
	if (flags & CMD_SESSION)
		return edu_ctx_session_api(ctx);
	return EDU_ERR_OK;
}

enum edu_err edu_run(int argc, char **argv)
{
	const struct edu_cmd *cmd;
	struct edu_optval *vals;
	struct edu_ctx ctx;
	enum edu_err err;
	int ac = argc - 1, r;
	char **av = argv + 1;

	err = find_command(&ac, &av, &cmd);
	if (err || !cmd)
		return err;
	vals = xcalloc((size_t)edu_opts_count(cmd->opts) + 1, sizeof(*vals));
	r = edu_opts_parse(cmd, &ac, &av, vals);
	if (r) {
		if (r > 0)
			edu_cmd_help(cmd);
		err = r > 0 ? EDU_ERR_OK : EDU_ERR_USAGE;
		goto out_vals;
	}
	if (edu_global_vals[GOPT_VERSION].set) {
		printf("edu %s\n", PACKAGE_VERSION);
		err = EDU_ERR_OK;
		goto out_vals;
	}
	err = edu_cmd_check_args(cmd, ac, av, vals);
	if (!err)
		err = check_values(cmd, ac, av, vals);
	if (!err && cmd->check)
		err = cmd->check(cmd, ac, av, vals);
	if (!err && edu_global_vals[GOPT_CSV].set && !(cmd->flags & (CMD_TABLE | CMD_NO_CONFIG)))
		err = edu_usage(cmd, "'edu %s' prints no table: --csv is for tables (--json gives "
				"the server's answer)", edu_cmd_path(cmd));
	if (err)
		goto out_vals;
	if (cmd->flags & CMD_NO_CONFIG) {
		memset(&ctx, 0, sizeof(ctx));
		ctx.cmd = cmd;
		err = cmd->fn(&ctx, ac, av, vals);
		goto out_vals;
	}
	err = edu_ctx_init(&ctx, cmd);
	if (!err)
		err = open_api(&ctx);
	if (!err)
		err = resolve_targets(&ctx, ac, av, vals);
	if (!err)
		err = cmd->fn(&ctx, ac, av, vals);
	edu_ctx_release(&ctx);
out_vals:
	edu_opts_release(cmd->opts, vals);
	free(vals);
	return err;
}

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
