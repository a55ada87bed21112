/*
 * Walking the command table: a command from its words, the words of a command, its family,
 * and a family's default subcommand. Every reader of the table (dispatch, help, man page,
 * completion) finds commands here.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "edu.h"
#include "xalloc.h"

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

const struct edu_cmd *edu_cmd_default(const struct edu_cmd *family)
{
	for (const struct edu_cmd *c = family ? family->subs : NULL; c && c->name; c++)
		if (c->flags & CMD_DEFAULT)
			return c;
	return NULL;
}

char *edu_cmd_arg_name(const struct edu_cmd *cmd, int i)
{
	const char *p = cmd->args;
	int k = 0;

	/* the words of args that are not options ("--name VALUE" skips two) */
	while (p && *p) {
		size_t len;

		p += strspn(p, " [");
		len = strcspn(p, " ]");
		if (!len)
			break;
		if (!strncmp(p, "--", 2)) {
			p += len;
			p += strspn(p, " ]");
			p += strcspn(p, " ]");
			continue;
		}
		if (k++ == i) {
			while (len > 3 && !strncmp(p + len - 3, "...", 3))
				len -= 3;
			return xstrndup(p, len);
		}
		p += len;
	}
	return NULL;
}

const char *edu_cmd_option(const struct edu_cmd *cmd, const struct edu_optval *vals,
			   const char *name)
{
	for (int i = 0; name && cmd->opts && cmd->opts[i].type != OPT_T_END; i++)
		if (!strcmp(cmd->opts[i].long_name, name))
			return vals[i].set ? vals[i].str : NULL;
	return NULL;
}
