/*
 * Help from the command table: `edu help`, `edu help COMMAND`, `edu COMMAND --help` and the
 * overview, with each option's values and each argument's listed from their declarations.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "edu.h"
#include "xalloc.h"

char *edu_opt_help(const struct edu_opt *o)
{
	char *words = edu_values_text(o->values, " or "), *help;

	if (!words)
		return xstrdup(o->help);
	help = xasprintf("%s (%s)", o->help, words);
	free(words);
	return help;
}

char *edu_cmd_values_text(const struct edu_cmd *cmd)
{
	struct edu_buf b = EDU_BUF_INIT;

	for (int i = 0; i < CMD_MAX_ARGS; i++) {
		char *words = edu_values_text(cmd->arg_values[i], " or ");
		char *name = edu_cmd_arg_name(cmd, i);

		if (words && name)
			edu_buf_printf(&b, "%s%s is %s.", b.len ? " " : "", name, words);
		free(words);
		free(name);
	}
	if (!b.len) {
		edu_buf_release(&b);
		return NULL;
	}
	return edu_buf_detach(&b);
}

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
		char *help = edu_opt_help(&opts[i]);

		fprintf(fp, "  %-*s  %s\n", (int)width, l, help);
		free(help);
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
	char *values = edu_cmd_values_text(cmd);
	FILE *fp = stdout;

	print_synopsis(fp, cmd);
	fputc('\n', fp);
	print_wrapped(fp, cmd->summary, 0);
	if (cmd->description || values) {
		char *text = xasprintf("%s%s%s", cmd->description ? cmd->description : "",
				       cmd->description && values ? " " : "", values ? values : "");

		fputc('\n', fp);
		print_wrapped(fp, text, 0);
		free(text);
	}
	free(values);
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

int edu_cmd_help_fn(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
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
