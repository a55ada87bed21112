/*
 * The one option parser of edu(1). Options are read from a command's table (opts.h) and
 * the global table; they may come before or after the positional arguments, as
 * `--name VALUE`, `--name=VALUE`, `-n VALUE`, `-nVALUE` or bundled booleans (`-qv`), and
 * `--` ends them. Global options are accepted anywhere, so `edu admin user list --json`
 * works as well as `edu --json admin user list`. It only parses: checking the values an
 * option declares, and printing help, are the dispatcher's.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edu.h"
#include "values.h"
#include "xalloc.h"

const struct edu_opt edu_global_opts[] = {
	[GOPT_PROFILE] = OPT_CHOICE(0, "profile", "NAME", &edu_values_profile,
				    "use profile NAME (default: EDU_PROFILE, the config's, or default)"),
	[GOPT_SERVER] = OPT_STRING(0, "server", "URL",
				   "talk to the server at URL (default: EDU_SERVER or the profile's)"),
	[GOPT_JSON] = OPT_BOOL(0, "json", "print the server's JSON instead of tables"),
	[GOPT_CSV] = OPT_BOOL(0, "csv",
			      "print a command's table as CSV and nothing else (RFC 4180; a cell a "
			      "spreadsheet would run as a formula gets a leading '; a command "
			      "that prints no table refuses it)"),
	[GOPT_QUIET] = OPT_BOOL('q', "quiet",
				"print only what a script needs (of a list: each whole id, one a line)"),
	[GOPT_NO_COLOR] = OPT_BOOL(0, "no-color", "never use colour (NO_COLOR does the same)"),
	[GOPT_VERSION] = OPT_BOOL(0, "version", "print the version and exit"),
	[GOPT_HELP] = OPT_BOOL('h', "help", "print help and exit"),
	OPT_END
};

struct edu_optval edu_global_vals[GOPT__N];

int edu_opts_count(const struct edu_opt *opts)
{
	int n = 0;

	while (opts && opts[n].type != OPT_T_END)
		n++;
	return n;
}

void edu_opts_release(const struct edu_opt *opts, struct edu_optval *vals)
{
	int n = edu_opts_count(opts);

	for (int i = 0; i < n; i++) {
		free(vals[i].list);
		free(vals[i].id);
		memset(&vals[i], 0, sizeof(vals[i]));
	}
}

static int opt_error(const struct edu_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int opt_error(const struct edu_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	edu_vusage(cmd, fmt, ap);
	va_end(ap);
	return -1;
}

/* Finds an option by long name (len bytes of name) or by short letter. */
static int find_opt(const struct edu_opt *opts, const char *name, size_t len, char letter)
{
	for (int i = 0; opts && opts[i].type != OPT_T_END; i++) {
		if (letter && opts[i].short_name == letter)
			return i;
		if (!letter && opts[i].long_name && strlen(opts[i].long_name) == len &&
		    !strncmp(opts[i].long_name, name, len))
			return i;
	}
	return -1;
}

/* Stores value for opt (NULL for booleans). */
static int store(const struct edu_cmd *cmd, const struct edu_opt *opt, struct edu_optval *v,
		 const char *value)
{
	char *end;

	v->set++;
	switch (opt->type) {
	case OPT_T_BOOL:
	case OPT_T_END:
		break;
	case OPT_T_STRING:
		v->str = value;
		break;
	case OPT_T_INT:
		errno = 0;
		v->num = strtol(value, &end, 10);
		if (errno || end == value || *end)
			return opt_error(cmd, "option '--%s' needs a whole number, not '%s'",
					 opt->long_name, value);
		v->str = value;
		break;
	case OPT_T_LIST:
		v->list = xrealloc(v->list, (size_t)(v->nlist + 2) * sizeof(*v->list));
		v->list[v->nlist++] = value;
		v->list[v->nlist] = NULL;
		v->str = value;
		break;
	}
	return 0;
}

/*
 * The parser. cmd may be NULL (the global options before a command); then parsing stops
 * at the first word that is not an option. Positional words are moved to the front of
 * *argv in order. -h or --help: returns 1, the caller shows the help.
 */
static int parse(const struct edu_cmd *cmd, int *argc, char ***argv, struct edu_optval *vals)
{
	const struct edu_opt *opts = cmd ? cmd->opts : NULL;
	char **av = *argv;
	int ac = *argc, out = 0, i;

	for (i = 0; i < ac; i++) {
		const struct edu_opt *table, *opt;
		struct edu_optval *v;
		char *arg = av[i];
		int k;

		if (!strcmp(arg, "--")) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0') {
			if (!cmd)
				break;
			av[out++] = arg;
			continue;
		}
		if (arg[1] == '-') {
			/* --name or --name=value */
			const char *name = arg + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);

			table = opts;
			k = find_opt(opts, name, len, 0);
			if (k < 0) {
				table = edu_global_opts;
				k = find_opt(edu_global_opts, name, len, 0);
			}
			if (k < 0) {
				char *n = xstrndup(name, len);

				opt_error(cmd, "unknown option '--%s'", n);
				free(n);
				return -1;
			}
			opt = &table[k];
			v = table == opts ? &vals[k] : &edu_global_vals[k];
			if (table == edu_global_opts && k == GOPT_HELP)
				goto help;
			if (opt->type == OPT_T_BOOL) {
				if (eq)
					return opt_error(cmd, "option '--%s' takes no value",
							 opt->long_name);
				store(cmd, opt, v, NULL);
				continue;
			}
			if (!eq && i + 1 >= ac)
				return opt_error(cmd, "option '--%s' needs a value (%s)",
						 opt->long_name, opt->argname);
			if (store(cmd, opt, v, eq ? eq + 1 : av[++i]) < 0)
				return -1;
			continue;
		}
		/* -abc: booleans bundled; one that takes a value takes the rest or the next word */
		for (const char *p = arg + 1; *p; p++) {
			char letter[2] = { *p, '\0' };

			table = opts;
			k = find_opt(opts, NULL, 0, *p);
			if (k < 0) {
				table = edu_global_opts;
				k = find_opt(edu_global_opts, NULL, 0, *p);
			}
			if (k < 0)
				return opt_error(cmd, "unknown option '-%s'", letter);
			opt = &table[k];
			v = table == opts ? &vals[k] : &edu_global_vals[k];
			if (table == edu_global_opts && k == GOPT_HELP)
				goto help;
			if (opt->type == OPT_T_BOOL) {
				store(cmd, opt, v, NULL);
				continue;
			}
			if (p[1]) {
				if (store(cmd, opt, v, p + 1) < 0)
					return -1;
			} else if (i + 1 < ac) {
				if (store(cmd, opt, v, av[++i]) < 0)
					return -1;
			} else {
				return opt_error(cmd, "option '-%s' needs a value (%s)", letter,
						 opt->argname);
			}
			break;
		}
	}
	/* what is left after "--" (or, for the global options, from the command on) */
	for (; i < ac; i++)
		av[out++] = av[i];
	*argc = out;
	return 0;
help:
	edu_global_vals[GOPT_HELP].set++;
	return 1;
}

int edu_opts_parse(const struct edu_cmd *cmd, int *argc, char ***argv, struct edu_optval *vals)
{
	int n = edu_opts_count(cmd->opts);

	memset(vals, 0, (size_t)n * sizeof(*vals));
	return parse(cmd, argc, argv, vals);
}

int edu_opts_parse_global(int *argc, char ***argv)
{
	int r = parse(NULL, argc, argv, NULL);

	if (r == 0 && edu_global_vals[GOPT_VERSION].set) {
		printf("edu %s\n", PACKAGE_VERSION);
		return 1;
	}
	return r;
}
