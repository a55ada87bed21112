/* Pager, editor and file opener of the user's choice (see launch.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "launch.h"
#include "xalloc.h"

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

const char *edu_launch_pager(void)
{
	static const char *const pagers[] = { "less", "pager", "more", NULL };
	const char *v = env_or("PAGER", NULL);

	return v ? v : first_on_path(pagers);
}

const char *edu_launch_editor(void)
{
	static const char *const editors[] = { "editor", "vi", "nano", NULL };
	const char *v = env_or("VISUAL", NULL);

	if (!v)
		v = env_or("EDITOR", NULL);
	return v ? v : first_on_path(editors);
}

int edu_launch_run(const char *program, const char *arg)
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

char *edu_launch_read_file(const char *path)
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

enum edu_err edu_launch_edit(const char *initial, const char *what, const char *suffix,
			     char **out, char **kept, struct edu_errinfo *ei)
{
	const char *editor = edu_launch_editor();
	const char *tmpdir = env_or("TMPDIR", "/tmp");
	char *path;
	enum edu_err err = EDU_ERR_OK;
	size_t len, ilen = initial ? strlen(initial) : 0;
	char *text = NULL;
	int fd, status;

	*out = NULL;
	if (kept)
		*kept = NULL;
	if (!editor)
		return edu_err_set(ei, EDU_ERR_USAGE, "no editor to write the %s in: set VISUAL "
				   "or EDITOR", what);
	path = xasprintf("%s/edu-%s-XXXXXX.%s", tmpdir, what, suffix);
	fd = mkstemps(path, (int)strlen(suffix) + 1);
	if (fd < 0) {
		err = edu_err_set(ei, EDU_ERR_IO, "cannot create a file in '%s' to edit: %s",
				  tmpdir, strerror(errno));
		free(path);
		return err;
	}
	if ((ilen && write(fd, initial, ilen) != (ssize_t)ilen) ||
	    (ilen && initial[ilen - 1] != '\n' && write(fd, "\n", 1) != 1)) {
		err = edu_err_set(ei, EDU_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		goto out;
	}
	close(fd);
	status = edu_launch_run(editor, path);
	if (status != 0) {
		err = edu_err_set(ei, EDU_ERR_FAIL, "the editor '%s' failed (exit status %d); "
				  "nothing was changed", editor, status);
		goto out;
	}
	text = edu_launch_read_file(path);
	if (!text) {
		err = edu_err_set(ei, EDU_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	len = strlen(text);
	while (len > 0 && strchr("\n\r \t", text[len - 1]))
		text[--len] = '\0';
	/*
	 * As git does with a commit message: an editor quit without saving (:q!) leaves the
	 * file empty or as it was, and that aborts whatever the text was for.
	 */
	while (ilen > 0 && strchr("\n\r \t", initial[ilen - 1]))
		ilen--;
	if (!len || (ilen == len && !memcmp(text, initial, len))) {
		err = edu_err_set(ei, EDU_ERR_FAIL, "the editor left the %s %s: aborted, nothing "
				  "was done", what, len ? "unchanged" : "empty");
		free(text);
		goto out;
	}
	*out = text;
out:
	if (kept && !err) {
		*kept = path;
	} else {
		unlink(path);
		free(path);
	}
	return err;
}

/* The largest text file shown through the pager; a larger one is only saved. */
#define PAGE_MAX (8 * 1024 * 1024)

/* 1 when a file of this type is text a pager can show */
static int paged_type(const char *mime)
{
	return mime && (!strncmp(mime, "text/", 5) || !strcmp(mime, "application/json") ||
			!strcmp(mime, "application/xml"));
}

enum edu_open_how edu_launch_open_how(const char *path, const char *mime,
				      const char **program)
{
	const char *opener = env_or("EDU_OPEN", NULL);
	int desktop = env_or("DISPLAY", NULL) || env_or("WAYLAND_DISPLAY", NULL);
	struct stat st;

	*program = NULL;
	if (!opener && paged_type(mime) && stat(path, &st) == 0 && st.st_size <= PAGE_MAX)
		return EDU_OPEN_PAGE;
	if (!opener && !desktop)
		return EDU_OPEN_SAY_WHERE;
	*program = opener ? opener : "xdg-open";
	return EDU_OPEN_RUN;
}
