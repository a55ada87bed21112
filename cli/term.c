/*
 * Pager, editor, progress bar and file opener (see term.h). Programs named by the user's
 * environment ($PAGER, $EDITOR, $EDU_OPEN) run through /bin/sh, so that a value with
 * arguments ("emacs -nw", "less -S") works as it does for other tools.
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
#include "safe.h"
#include "term.h"
#include "xalloc.h"

int edu_term_interactive(void)
{
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

/*
 * The first of names that is a program on the PATH, or NULL. A fresh machine has no less
 * and no vi (Debian's minimal system has neither), but it has Debian's pager and editor
 * alternatives, and more.
 */
static const char *first_on_path(const char *const *names)
{
	const char *path = getenv("PATH");

	for (; *names; names++) {
		for (const char *p = path; p && *p;) {
			size_t len = strcspn(p, ":");
			char *file = xasprintf("%.*s/%s", (int)(len ? len : 1), len ? p : ".", *names);
			int found = access(file, X_OK) == 0;

			free(file);
			if (found)
				return *names;
			p += len + (p[len] == ':');
		}
	}
	return NULL;
}

/* $PAGER, else the first of less, pager and more there is; NULL: none, print the text. */
static const char *pager_program(void)
{
	static const char *const pagers[] = { "less", "pager", "more", NULL };
	const char *v = env_or("PAGER", NULL);

	return v ? v : first_on_path(pagers);
}

/* $VISUAL, then $EDITOR, else the first of editor, vi and nano there is; NULL: none. */
static const char *editor_program(void)
{
	static const char *const editors[] = { "editor", "vi", "nano", NULL };
	const char *v = env_or("VISUAL", NULL);

	if (!v)
		v = env_or("EDITOR", NULL);
	return v ? v : first_on_path(editors);
}

/*
 * Runs `sh -c 'PROGRAM "$@"' PROGRAM arg` and waits. Returns the exit status, 127 when
 * the shell could not run it, -1 when no process could be made.
 */
static int run_program(const char *program, const char *arg)
{
	char *script = xasprintf("%s \"$@\"", program);
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", script, program, arg, (char *)NULL);
		_exit(127);
	}
	free(script);
	if (pid < 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void edu_term_page(const char *text)
{
	const char *pager;
	void (*old)(int);
	size_t len = strlen(text);
	int status;
	FILE *fp;

	if (!edu_term_interactive() || !(pager = pager_program()) || !strcmp(pager, "cat")) {
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

/* Reads the whole file at path (caller frees), or NULL with errno set. */
static char *read_all(const char *path)
{
	struct edu_buf b = EDU_BUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (!fp)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		edu_buf_add(&b, chunk, n);
	if (ferror(fp)) {
		int saved = errno;

		fclose(fp);
		edu_buf_release(&b);
		errno = saved;
		return NULL;
	}
	fclose(fp);
	return edu_buf_detach(&b);
}

enum edu_err edu_term_edit(const char *initial, const char *what, const char *suffix,
			   char **out, char **kept)
{
	const char *editor = editor_program();
	const char *tmpdir = env_or("TMPDIR", "/tmp");
	char *path;
	enum edu_err err = EDU_ERR_OK;
	size_t len, ilen = initial ? strlen(initial) : 0;
	char *text = NULL;
	int fd, status;

	*out = NULL;
	if (kept)
		*kept = NULL;
	if (!editor) {
		edu_error("no editor to write the %s in: set VISUAL or EDITOR (or give the text "
			  "as an option)", what);
		return EDU_ERR_USAGE;
	}
	path = xasprintf("%s/edu-%s-XXXXXX.%s", tmpdir, what, suffix);
	fd = mkstemps(path, (int)strlen(suffix) + 1);
	if (fd < 0) {
		edu_error("cannot create a file in '%s' to edit: %s", tmpdir, strerror(errno));
		free(path);
		return EDU_ERR_IO;
	}
	if ((ilen && write(fd, initial, ilen) != (ssize_t)ilen) ||
	    (ilen && initial[ilen - 1] != '\n' && write(fd, "\n", 1) != 1)) {
		edu_error("cannot write '%s': %s", path, strerror(errno));
		close(fd);
		err = EDU_ERR_IO;
		goto out;
	}
	close(fd);
	status = run_program(editor, path);
	if (status != 0) {
		edu_error("the editor '%s' failed (exit status %d); nothing was changed", editor,
			  status);
		err = EDU_ERR_FAIL;
		goto out;
	}
	text = read_all(path);
	if (!text) {
		edu_error("cannot read '%s': %s", path, strerror(errno));
		err = EDU_ERR_IO;
		goto out;
	}
	len = strlen(text);
	while (len > 0 && strchr("\n\r \t", text[len - 1]))
		text[--len] = '\0';
	*out = text;
out:
	if (kept && !err)
		*kept = path;
	else {
		unlink(path);
		free(path);
	}
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

/* The largest text file shown through the pager; a larger one is only saved. */
#define PAGE_MAX (8 * 1024 * 1024)

/* 1 when a file of this type is text a pager can show */
static int paged_type(const char *mime)
{
	return mime && (!strncmp(mime, "text/", 5) || !strcmp(mime, "application/json") ||
			!strcmp(mime, "application/xml"));
}

enum edu_err edu_term_open(const char *path, const char *mime)
{
	const char *opener = env_or("EDU_OPEN", NULL);
	int desktop = env_or("DISPLAY", NULL) || env_or("WAYLAND_DISPLAY", NULL);
	struct stat st;
	int status;

	if (!opener && paged_type(mime) && stat(path, &st) == 0 && st.st_size <= PAGE_MAX) {
		/* text, on a terminal with nothing set: the pager, as the submission's text */
		char *raw = read_all(path), *text;

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
	if (!opener && !desktop) {
		/* no desktop to open it on (a terminal over SSH): say where it is */
		char *type = edu_safe_text(mime && *mime ? mime : "such", EDU_SAFE_ONELINE);

		printf("saved as %s (set EDU_OPEN to a program that opens %s files)\n", path,
		       type);
		free(type);
		return EDU_ERR_OK;
	}
	if (!opener)
		opener = "xdg-open";
	status = run_program(opener, path);
	if (status == 0)
		return EDU_ERR_OK;
	if (status == 127)
		edu_error("cannot run '%s' to open '%s'; set EDU_OPEN to a program that opens "
			  "files", opener, path);
	else
		edu_error("'%s' could not open '%s' (exit status %d)", opener, path, status);
	return EDU_ERR_FAIL;
}
