/*
 * `edu --help-man`: the COMMANDS and GLOBAL OPTIONS sections of edu(1), in scdoc, from the
 * command table (man/Makemodule.am puts them into the page).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edu.h"
#include "xalloc.h"

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
	char *values = edu_cmd_values_text(cmd);

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
	if (values) {
		fputc(' ', fp);
		scdoc_text(fp, values);
		free(values);
	}
	fputc('\n', fp);
	for (int i = 0; i < n; i++) {
		char *help = edu_opt_help(&cmd->opts[i]);

		fputs("\n\t", fp);
		scdoc_opt(fp, &cmd->opts[i]);
		fputs("\n\t\t", fp);
		scdoc_text(fp, help);
		fputc('\n', fp);
		free(help);
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
		char *help = edu_opt_help(&edu_global_opts[i]);

		scdoc_opt(fp, &edu_global_opts[i]);
		fputs("\n\t", fp);
		scdoc_text(fp, help);
		fputs("\n\n", fp);
		free(help);
	}
	return 0;
}
