/*
 * The file picker: a folder's folders, then its files with their sizes; Enter goes into a
 * folder or picks a file, Backspace goes up, p takes a typed path instead, . shows hidden
 * files. It starts in the current folder. The names are the local file system's, and go
 * through the one-line sanitiser like any other text: a file name is no safer than a
 * server's.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format.h"
#include "tui.h"
#include "xalloc.h"

struct entry {
	char *name;
	int dir;
	long long size;
};

struct files {
	char *dir;
	int hidden;
	struct entry *e;
	int n;
	tui_picked_fn *picked;
};

static int by_kind_and_name(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->dir != y->dir)
		return y->dir - x->dir;
	return strcoll(x->name, y->name);
}

static void clear_entries(struct files *f)
{
	for (int i = 0; i < f->n; i++)
		free(f->e[i].name);
	free(f->e);
	f->e = NULL;
	f->n = 0;
}

static void files_open(struct view *v)
{
	struct files *f = v->priv;
	DIR *d = opendir(f->dir);
	struct dirent *de;
	int cap = 0;

	clear_entries(f);
	tui_view_clear(v);
	free(v->title);
	v->title = xstrdup(f->dir);
	v->cursor = v->top = 0;
	if (!d) {
		tui_error(v->tui, "cannot read '%s': %s", f->dir, strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		char *path;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (de->d_name[0] == '.' && !f->hidden)
			continue;
		path = xasprintf("%s/%s", f->dir, de->d_name);
		if (stat(path, &st) < 0) {
			free(path);
			continue;
		}
		free(path);
		if (f->n == cap) {
			cap = cap ? 2 * cap : 64;
			f->e = xrealloc(f->e, (size_t)cap * sizeof(*f->e));
		}
		f->e[f->n++] = (struct entry){ xstrdup(de->d_name), S_ISDIR(st.st_mode),
					       (long long)st.st_size };
	}
	closedir(d);
	qsort(f->e, (size_t)f->n, sizeof(*f->e), by_kind_and_name);
	tui_text_line(&v->head, -1);
	tui_text_add(&v->head, TUI_ROLE_HEADER, "Enter: open or pick   Backspace: up   p: type "
		     "a path   .: hidden files");
	tui_text_line(&v->text, -1);
	tui_text_add(&v->text, TUI_ROLE_DIM, "../");
	v->text.lines[0].id = -2;	/* the folder above: not an entry */
	for (int i = 0; i < f->n; i++) {
		char size[32];

		tui_text_line(&v->text, i);
		if (f->e[i].dir) {
			tui_text_addf(&v->text, TUI_ROLE_STRONG, "%s/", f->e[i].name);
		} else {
			tui_text_cell(&v->text, TUI_ROLE_NORMAL, f->e[i].name, 50);
			tui_text_addf(&v->text, TUI_ROLE_DIM, " %10s", edu_fmt_size(f->e[i].size, size));
		}
	}
	v->cursor = f->n ? 1 : 0;
}

static void go(struct view *v, const char *dir)
{
	struct files *f = v->priv;
	char *real = realpath(dir, NULL);

	if (!real) {
		tui_error(v->tui, "cannot open '%s': %s", dir, strerror(errno));
		return;
	}
	free(f->dir);
	f->dir = real;
	files_open(v);
}

static void up(struct view *v)
{
	struct files *f = v->priv;
	char *parent = xasprintf("%s/..", f->dir);

	go(v, parent);
	free(parent);
}

/* Hands path to the view that asked, and closes the picker. */
static void pick(struct view *v, const char *path)
{
	struct files *f = v->priv;
	struct view *parent = v->parent;
	tui_picked_fn *picked = f->picked;
	char *copy = xstrdup(path);
	struct tui *t = v->tui;

	tui_view_pop(t);
	if (parent && picked)
		picked(parent, copy);
	free(copy);
}

static void files_select(struct view *v, int id)
{
	struct files *f = v->priv;
	char *path;

	if (id < 0 || id >= f->n)
		return;
	path = xasprintf("%s/%s", f->dir, f->e[id].name);
	if (f->e[id].dir)
		go(v, path);
	else
		pick(v, path);
	free(path);
}

static void typed(struct tui *t, struct view *v, const char *answer)
{
	if (v && *answer)
		pick(v, answer);
}

static int files_request(struct view *v, enum tui_action a)
{
	struct files *f = v->priv;

	switch (a) {
	case TUI_ACT_OPEN:
		if (v->cursor == 0)
			up(v);
		else
			files_select(v, tui_view_cursor_id(v));
		return 1;
	case TUI_ACT_PARENT:
		up(v);
		return 1;
	case TUI_ACT_HIDDEN:
		f->hidden = !f->hidden;
		files_open(v);
		return 1;
	case TUI_ACT_TYPE_PATH:
		tui_prompt_open(v->tui, v, "path of the file to hand in:", NULL, typed, NULL);
		return 1;
	case TUI_ACT_RELOAD:
		files_open(v);
		return 1;
	default:
		return 0;
	}
}

static void files_done(struct view *v)
{
	struct files *f = v->priv;

	clear_entries(f);
	free(f->dir);
	free(f);
}

const struct view_ops tui_view_files = {
	.open = files_open,
	.request = files_request,
	.select = files_select,
	.done = files_done,
};

struct view *tui_files_view(struct tui *t, tui_picked_fn *picked)
{
	struct files *f = xcalloc(1, sizeof(*f));
	char *cwd = getcwd(NULL, 0);

	f->dir = cwd ? cwd : xstrdup("/");
	f->picked = picked;
	return tui_view_new(t, "files", f->dir, f);
}
