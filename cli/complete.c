/*
 * `edu --completion-helper WORDS...`: the candidates for the last word, one a line, from the
 * command table alone: command names, options, and the values options and arguments
 * declare (struct edu_values). The bash, zsh and fish scripts in completions/ are thin
 * wrappers over it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edu.h"
#include "xalloc.h"

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

/* Where the candidates of a value set go. */
struct out {
	FILE *fp;
	const char *prefix, *cur;
};

static void add_candidate(void *arg, const char *word)
{
	const struct out *o = arg;

	candidate(o->fp, o->prefix, word, o->cur);
}

/* The candidates of a value set (NULL: none): its words, and what its list callback gives. */
static void complete_values(FILE *fp, const struct edu_values *v, const char *prefix,
			    const char *cur)
{
	struct out o = { fp, prefix, cur };

	if (v && v->words)
		for (size_t i = 0; v->words[i]; i++)
			add_candidate(&o, v->words[i]);
	if (v && v->list)
		v->list(add_candidate, &o);
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
	/* words_cmd: a command whose arguments are the words of a command (help) */
	const struct edu_cmd *cmd = NULL, *words_cmd = NULL;
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
			const struct edu_opt *o = lookup_opt(words_cmd ? NULL : cmd, w);

			if (o && o->type != OPT_T_BOOL && !strchr(w, '='))
				pending = o;
			continue;
		}
		if (words_cmd) {
			/* `edu help admin user`: walk the words as a command's */
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
			if (c->flags & CMD_WORDS) {
				words_cmd = c;
				cmd = NULL;
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
		complete_values(fp, pending->values, "", cur);
		return 0;
	}
	if (cur[0] == '-' && cur[1] == '-' && strchr(cur, '=')) {
		const struct edu_opt *o = lookup_opt(words_cmd ? NULL : cmd, cur);

		if (o && o->argname) {
			char *prefix = xstrndup(cur, (size_t)(strchr(cur, '=') - cur + 1));

			complete_values(fp, o->values, prefix, cur);
			free(prefix);
		}
		return 0;
	}
	if (cur[0] == '-') {
		if (cmd && !cmd->subs && !words_cmd)
			complete_options(fp, cmd->opts, cur);
		complete_options(fp, edu_global_opts, cur);
		return 0;
	}
	if (words_cmd || !cmd || cmd->subs) {
		if (cmd && !cmd->subs)
			return 0;
		complete_names(fp, cmd ? cmd->subs : edu_commands, cur);
		if (!cmd && !words_cmd && !cur[0])
			complete_options(fp, edu_global_opts, cur);
		return 0;
	}
	/* positional arguments of a command: the values it declares for them */
	if (npos < CMD_MAX_ARGS)
		complete_values(fp, cmd->arg_values[npos], "", cur);
	return 0;
}
