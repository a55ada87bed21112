/*
 * edu(1): the command-line client of the edu platform. main() finds the command in the
 * table (commands.c), parses its options (opts.c), settles the context (ctx.c), runs the
 * handler and turns its result into the exit status, in one place.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "edu.h"
#include "xalloc.h"

static int is_help_word(const char *w)
{
	return !strcmp(w, "-h") || !strcmp(w, "--help");
}

/* "'admin user' needs a command: create, list, ..." */
static enum edu_err needs_subcommand(const struct edu_cmd *family)
{
	char names[512] = "";
	size_t len = 0;

	for (const struct edu_cmd *c = family->subs; c->name; c++)
		if (!(c->flags & CMD_HIDDEN) && len < sizeof(names))
			len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
						len ? ", " : "", c->name);
	return edu_usage(family, "'%s' needs a command: %s", edu_cmd_path(family), names);
}

static int run(int argc, char **argv)
{
	const struct edu_cmd *cmd = NULL;
	struct edu_optval *vals = NULL;
	struct edu_ctx ctx;
	enum edu_err err;
	struct edu_api *api;
	int ac = argc - 1, r;
	char **av = argv + 1;

	/* the words of the command, with global options allowed between them */
	for (;;) {
		const struct edu_cmd *table = cmd ? cmd->subs : edu_commands, *c;

		if (cmd && ac > 0 && is_help_word(av[0])) {
			edu_cmd_help(cmd);
			return EDU_ERR_OK;
		}
		r = edu_opts_parse_global(&ac, &av);
		if (r)
			return r > 0 ? EDU_ERR_OK : EDU_ERR_USAGE;
		if (ac == 0) {
			if (cmd)
				return needs_subcommand(cmd);
			edu_help_overview(stderr);
			return EDU_ERR_USAGE;
		}
		for (c = table; c->name && strcmp(c->name, av[0]); c++)
			;
		if (!c->name && cmd) {
			/* a family's default subcommand takes the word as its first argument */
			for (c = table; c->name && !(c->flags & CMD_DEFAULT); c++)
				;
			if (c->name) {
				cmd = c;
				break;
			}
		}
		if (!c->name)
			return edu_cmd_unknown(cmd, table, av[0]);
		cmd = c;
		ac--;
		av++;
		if (!cmd->subs)
			break;
	}

	vals = xcalloc((size_t)edu_opts_count(cmd->opts) + 1, sizeof(*vals));
	r = edu_opts_parse(cmd, &ac, &av, vals);
	if (r) {
		err = r > 0 ? EDU_ERR_OK : EDU_ERR_USAGE;
		goto out_vals;
	}
	if (edu_global_vals[GOPT_VERSION].set) {
		printf("edu %s\n", PACKAGE_VERSION);
		err = EDU_ERR_OK;
		goto out_vals;
	}
	err = edu_cmd_check_args(cmd, ac, av, vals);
	if (err)
		goto out_vals;
	if (edu_global_vals[GOPT_CSV].set && !(cmd->flags & CMD_TABLE) &&
	    strcmp(cmd->name, "help")) {
		err = edu_usage(cmd, "'edu %s' prints no table: --csv is for tables (--json gives "
				"the server's answer)", edu_cmd_path(cmd));
		goto out_vals;
	}
	if (!strcmp(cmd->name, "help") && !edu_cmd_parent(cmd)) {
		/* help needs no configuration, so it works even when that is broken */
		memset(&ctx, 0, sizeof(ctx));
		err = cmd->fn(&ctx, ac, av, vals);
		goto out_vals;
	}
	err = edu_ctx_init(&ctx, cmd);
	if (!err && (cmd->flags & CMD_NEEDS_LOGIN))
		err = edu_ctx_api(&ctx, 1, &api);
	if (!err)
		err = cmd->fn(&ctx, ac, av, vals);
	edu_ctx_release(&ctx);
out_vals:
	edu_opts_release(cmd->opts, vals);
	free(vals);
	return err;
}

int main(int argc, char **argv)
{
	enum edu_err err;

	setlocale(LC_ALL, "");
	if (argc >= 2 && !strcmp(argv[1], "--completion-helper"))
		return edu_complete(argc - 2, argv + 2, stdout);
	if (argc >= 2 && !strcmp(argv[1], "--help-man"))
		return edu_help_man(stdout);
	err = run(argc, argv);
	/* output that could not be written is a failure a script must see */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			edu_error("cannot write the output: %s", strerror(errno));
		if (!err)
			err = EDU_ERR_IO;
	}
	edu_opts_release(edu_global_opts, edu_global_vals);
	return edu_err_exit_code(err);
}
