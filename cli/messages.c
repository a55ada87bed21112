/*
 * The messages of edu(1): errors, usage errors with where to read more, libedu's failures
 * in our words, informational lines, and "did you mean" for a misspelt command. Every line
 * goes through the one-line sanitiser: text from the server in it cannot break it.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "edu.h"
#include "safe.h"
#include "xalloc.h"

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


char *edu_failure_text(enum edu_err err, const struct edu_errinfo *ei)
{
	const char *msg = ei && ei->message[0] ? ei->message : edu_err_message(err);

	if (ei && ei->field[0])
		return xasprintf("%s%s (field '%s')", msg, edu_err_advice(ei), ei->field);
	return xasprintf("%s%s", msg, edu_err_advice(ei));
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
