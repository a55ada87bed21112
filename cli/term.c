/*
 * Pager, editor, progress bar and file opener (see term.h), on edu's own terminal. Which
 * program to run, and running it, is libedu's (shared/launch.h), as edu-tui does it too.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "edu.h"
#include "format.h"
#include "launch.h"
#include "safe.h"
#include "term.h"
#include "xalloc.h"

int edu_term_interactive(void)
{
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

void edu_term_page(const char *text)
{
	const char *pager;
	void (*old)(int);
	size_t len = strlen(text);
	int status;
	FILE *fp;

	if (!edu_term_interactive() || !(pager = edu_launch_pager()) || !strcmp(pager, "cat")) {
		fputs(text, stdout);
		if (len && text[len - 1] != '\n')
			fputc('\n', stdout);
		return;
	}
	/* quit at once when the text fits the screen, keep it on the screen afterwards */
	setenv("LESS", "FRX", 0);
	fflush(stdout);
	/* a pager quit early closes the pipe: that is not an error worth dying of */
	old = signal(SIGPIPE, SIG_IGN);
	fp = popen(pager, "w");
	if (!fp) {
		signal(SIGPIPE, old);
		fputs(text, stdout);
		return;
	}
	fwrite(text, 1, len, fp);
	if (len && text[len - 1] != '\n')
		fputc('\n', fp);
	status = pclose(fp);
	signal(SIGPIPE, old);
	if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		/* no such pager: the shell said so on stderr; show the text anyway */
		fputs(text, stdout);
		if (len && text[len - 1] != '\n')
			fputc('\n', stdout);
	}
}

enum edu_err edu_term_edit(const char *initial, const char *what, const char *suffix,
			   char **out, char **kept)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err = edu_launch_edit(initial, what, suffix, out, kept, &ei);

	if (err == EDU_ERR_USAGE)
		edu_error("%s (or give the text as an option)", ei.message);
	else if (err)
		edu_report(err, &ei);
	return err;
}

void edu_term_kept(enum edu_err err, const char *kept, const char *text)
{
	if (!kept)
		return;
	if (err)
		edu_error("your %s kept in %s", text, kept);
	else
		unlink(kept);
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void edu_progress_init(struct edu_progress *p, const char *label, long long threshold)
{
	memset(p, 0, sizeof(*p));
	p->label = label;
	p->threshold = isatty(STDERR_FILENO) ? threshold : -1;
}

static int term_columns(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

void edu_progress_cb(void *arg, long long done, long long total)
{
	struct edu_progress *p = arg;
	char a[32], b[32], *label;
	double t = now_seconds();
	int cols, width, filled, pct;

	if (p->threshold < 0 || total <= 0 || total < p->threshold)
		return;
	/* ten frames a second are enough, but the last one is always drawn */
	if (p->shown && done < total && t - p->last < 0.1)
		return;
	p->last = t;
	p->shown = 1;
	pct = (int)(done * 100 / total);
	edu_fmt_size(done, a);
	edu_fmt_size(total, b);
	cols = term_columns();
	label = edu_safe_text(p->label, EDU_SAFE_ONELINE);
	/* label, bar, percentage and sizes on one line that never wraps */
	width = cols - 32 - 24;
	if (width < 10)
		width = 10;
	filled = (int)((long long)width * done / total);
	fprintf(stderr, "\r%-24.24s [", label);
	for (int i = 0; i < width; i++)
		fputc(i < filled ? '=' : i == filled ? '>' : ' ', stderr);
	fprintf(stderr, "] %3d%% %s/%s\033[K", pct, a, b);
	fflush(stderr);
	free(label);
}

void edu_progress_end(struct edu_progress *p)
{
	if (p->shown) {
		fputc('\n', stderr);
		p->shown = 0;
	}
}

enum edu_err edu_term_open(const char *path, const char *mime)
{
	const char *opener;
	int status;

	switch (edu_launch_open_how(path, mime, &opener)) {
	case EDU_OPEN_PAGE: {
		/* text, on a terminal with nothing set: the pager, as the submission's text */
		char *raw = edu_launch_read_file(path), *text;

		if (!raw) {
			edu_error("cannot read '%s': %s", path, strerror(errno));
			return EDU_ERR_IO;
		}
		/* a student's file may hold escape sequences: they never reach the terminal */
		text = edu_safe_text(raw, EDU_SAFE_MULTILINE);
		edu_term_page(text);
		free(text);
		free(raw);
		return EDU_ERR_OK;
	}
	case EDU_OPEN_SAY_WHERE: {
		/* no desktop to open it on (a terminal over SSH): say where it is */
		char *type = edu_safe_text(mime && *mime ? mime : "such", EDU_SAFE_ONELINE);

		printf("saved as %s (set EDU_OPEN to a program that opens %s files)\n", path,
		       type);
		free(type);
		return EDU_ERR_OK;
	}
	case EDU_OPEN_RUN:
		break;
	}
	status = edu_launch_run(opener, path);
	if (status == 0)
		return EDU_ERR_OK;
	if (status == 127)
		edu_error("cannot run '%s' to open '%s'; set EDU_OPEN to a program that opens "
			  "files", opener, path);
	else
		edu_error("'%s' could not open '%s' (exit status %d)", opener, path, status);
	return EDU_ERR_FAIL;
}
