/*
 * The prompt line: a question and an answer typed into it (search, the command line, a
 * score, a comment, a path), with the editing keys of a shell's line (Left, Right, Home,
 * End, Backspace, Del, C-u, C-w), Tab to complete, Enter to answer and Esc to give up. It
 * does not block: while it is open the keys come here and the answers of the server are
 * still drawn.
 *
 * The command line (`:`) runs the commands of its table: to add one, a line in commands[]
 * and its function.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "buf.h"
#include "model.h"
#include "safe.h"
#include "tui.h"
#include "xalloc.h"

/* The answer as UTF-8 (caller frees). */
static char *answer_text(const struct tui_prompt *p)
{
	struct edu_buf b = EDU_BUF_INIT;
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	edu_buf_adds(&b, "");
	for (int i = 0; i < p->len; i++) {
		char mb[8];
		size_t n = wcrtomb(mb, p->buf[i], &st);

		if (n != (size_t)-1)
			edu_buf_add(&b, mb, n);
	}
	return edu_buf_detach(&b);
}

static void set_answer(struct tui_prompt *p, const char *s)
{
	mbstate_t st;
	int n = 0;

	memset(&st, 0, sizeof(st));
	while (s && *s && n < (int)(sizeof(p->buf) / sizeof(p->buf[0])) - 1) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, MB_CUR_MAX, &st);

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0)
			break;
		p->buf[n++] = wc;
		s += k;
	}
	p->len = p->pos = n;
}

void tui_prompt_open(struct tui *t, struct view *v, const char *question, const char *initial,
		     tui_prompt_fn *done, tui_complete_fn *complete)
{
	struct tui_prompt *p = &t->prompt;

	tui_prompt_close(t);
	p->active = 1;
	p->question = xstrdup(question);
	p->done = done;
	p->complete = complete;
	p->view = v;
	set_answer(p, initial);
	t->need_redraw = 1;
}

void tui_prompt_close(struct tui *t)
{
	struct tui_prompt *p = &t->prompt;

	free(p->question);
	memset(p, 0, sizeof(*p));
	t->need_redraw = 1;
}

/* The longest start the candidates share. */
static size_t common_start(char **c)
{
	size_t n = c[0] ? strlen(c[0]) : 0;

	for (int i = 1; c[i]; i++) {
		size_t k = 0;

		while (k < n && c[i][k] == c[0][k])
			k++;
		n = k;
	}
	return n;
}

static void complete(struct tui *t)
{
	struct tui_prompt *p = &t->prompt;
	char *text = answer_text(p), **c;
	int n = 0;

	if (!p->complete)
		goto out;
	c = p->complete(t, text);
	while (c && c[n])
		n++;
	if (n == 1) {
		set_answer(p, c[0]);
	} else if (n > 1) {
		struct edu_buf b = EDU_BUF_INIT;
		char *start = xstrndup(c[0], common_start(c));

		if (strlen(start) > strlen(text))
			set_answer(p, start);
		for (int i = 0; i < n && i < 8; i++)
			edu_buf_printf(&b, "%s%s", i ? "  " : "", c[i]);
		if (n > 8)
			edu_buf_adds(&b, "  …");
		tui_message(t, "%s", edu_buf_str(&b));
		edu_buf_release(&b);
		free(start);
	} else {
		tui_error(t, "nothing to complete '%s' with", text);
	}
	for (int i = 0; i < n; i++)
		free(c[i]);
	free(c);
out:
	free(text);
}

void tui_prompt_key(struct tui *t, int key)
{
	struct tui_prompt *p = &t->prompt;
	const int cap = (int)(sizeof(p->buf) / sizeof(p->buf[0])) - 1;

	t->need_redraw = 1;
	if (key == '\r' || key == '\n' || key == TUI_KEYCODE(KEY_ENTER)) {
		char *text = answer_text(p);
		tui_prompt_fn *done = p->done;
		struct view *v = p->view;

		tui_prompt_close(t);
		if (done)
			done(t, v, text);
		free(text);
	} else if (key == TUI_KEY_ESC || key == TUI_KEY_CTRL('g')) {
		tui_prompt_close(t);
	} else if (key == '\t') {
		complete(t);
	} else if (key == TUI_KEYCODE(KEY_BACKSPACE) || key == 127 || key == TUI_KEY_CTRL('h')) {
		if (p->pos > 0) {
			memmove(p->buf + p->pos - 1, p->buf + p->pos,
				(size_t)(p->len - p->pos) * sizeof(wchar_t));
			p->pos--;
			p->len--;
		} else if (!p->len) {
			tui_prompt_close(t);
		}
	} else if (key == TUI_KEYCODE(KEY_DC) || key == TUI_KEY_CTRL('d')) {
		if (p->pos < p->len) {
			memmove(p->buf + p->pos, p->buf + p->pos + 1,
				(size_t)(p->len - p->pos - 1) * sizeof(wchar_t));
			p->len--;
		}
	} else if (key == TUI_KEYCODE(KEY_LEFT) || key == TUI_KEY_CTRL('b')) {
		if (p->pos > 0)
			p->pos--;
	} else if (key == TUI_KEYCODE(KEY_RIGHT) || key == TUI_KEY_CTRL('f')) {
		if (p->pos < p->len)
			p->pos++;
	} else if (key == TUI_KEYCODE(KEY_HOME) || key == TUI_KEY_CTRL('a')) {
		p->pos = 0;
	} else if (key == TUI_KEYCODE(KEY_END) || key == TUI_KEY_CTRL('e')) {
		p->pos = p->len;
	} else if (key == TUI_KEY_CTRL('u')) {
		memmove(p->buf, p->buf + p->pos, (size_t)(p->len - p->pos) * sizeof(wchar_t));
		p->len -= p->pos;
		p->pos = 0;
	} else if (key == TUI_KEY_CTRL('w')) {
		int from = p->pos;

		while (from > 0 && p->buf[from - 1] == L' ')
			from--;
		while (from > 0 && p->buf[from - 1] != L' ')
			from--;
		memmove(p->buf + from, p->buf + p->pos, (size_t)(p->len - p->pos) * sizeof(wchar_t));
		p->len -= p->pos - from;
		p->pos = from;
	} else if (key >= 32 && key < TUI_KEYCODE(0) && key != 127 && p->len < cap) {
		/* a character; nothing that is not one (a control, a key code) gets in */
		memmove(p->buf + p->pos + 1, p->buf + p->pos,
			(size_t)(p->len - p->pos) * sizeof(wchar_t));
		p->buf[p->pos++] = (wchar_t)key;
		p->len++;
	}
}

void tui_prompt_draw(struct tui *t, int y)
{
	struct tui_prompt *p = &t->prompt;
	char *q = edu_safe_text(p->question, EDU_SAFE_ONELINE), *text = answer_text(p), *clean;
	int x = tui_draw_str(t, y, 0, COLS, q, TUI_ROLE_PROMPT), cx = x, before = 0;

	if (x && q[strlen(q) - 1] != '/' && q[strlen(q) - 1] != ':')
		x += tui_draw_str(t, y, x, COLS - x, " ", TUI_ROLE_PROMPT);
	/* what was typed is shown as the sanitiser lets it, like anything else */
	clean = edu_safe_text(text, EDU_SAFE_ONELINE);
	tui_draw_str(t, y, x, COLS - x - 1, clean, TUI_ROLE_NORMAL);
	for (int i = 0; i < p->pos; i++) {
		int w = wcwidth(p->buf[i]);

		before += w < 0 ? 1 : w;
	}
	cx = x + before;
	if (cx < COLS) {
		/* the cursor: the character under it in reverse */
		attrset(A_REVERSE);
		if (p->pos < p->len) {
			wchar_t wc[2] = { p->buf[p->pos], 0 };

			mvaddnwstr(y, cx, wc, 1);
		} else {
			mvaddch(y, cx, ' ');
		}
	}
	free(clean);
	free(text);
	free(q);
}

/* --- the command line ------------------------------------------------------------------ */

static void cmd_quit(struct tui *t, const char *arg)
{
	t->quit = 1;
}

static void cmd_help(struct tui *t, const char *arg)
{
	tui_act(t, TUI_ACT_HELP);
}

/* The course named by arg: its name (or a unique start of it, any case) or its id's start. */
static const cJSON *find_course(struct tui *t, const char *arg, int *count)
{
	const cJSON *c, *found = NULL;

	*count = 0;
	cJSON_ArrayForEach(c, t->courses) {
		const char *name = edu_json_str(c, "name");

		if (name && !strcasecmp(name, arg)) {
			*count = 1;
			return c;
		}
	}
	cJSON_ArrayForEach(c, t->courses) {
		const char *name = edu_json_str(c, "name"), *id = edu_json_str(c, "id");

		if ((name && !strncasecmp(name, arg, strlen(arg))) ||
		    (id && strlen(arg) >= 8 && !strncmp(id, arg, strlen(arg)))) {
			found = c;
			(*count)++;
		}
	}
	return found;
}

static void cmd_course(struct tui *t, const char *arg)
{
	const cJSON *c;
	int count;

	if (!t->courses) {
		tui_error(t, "the courses are not read yet: try again in a moment");
		return;
	}
	c = find_course(t, arg, &count);
	if (count != 1) {
		tui_error(t, count ? "'%s' names more than one course: Tab shows them" :
			  "no course of yours is called '%s'", arg);
		return;
	}
	tui_section(t, TUI_SEC_COURSES);
	while (t->depth[TUI_SEC_COURSES] > 1)
		tui_view_pop(t);
	tui_view_push(t, tui_lessons_view(t, edu_json_str(c, "id"), edu_json_str(c, "name")));
}

static void cmd_grade(struct tui *t, const char *arg)
{
	struct view *v = tui_submission_view(t, arg);

	tui_section(t, TUI_SEC_GRADING);
	tui_view_push(t, v);
}

static const struct {
	const char *name, *args, *help;
	void (*fn)(struct tui *t, const char *arg);
	tui_complete_fn *complete;
} commands[] = {
	{ "course", "NAME", "open a course's lessons (its name, a start of it, or its id)",
	  cmd_course, tui_complete_courses },
	{ "grade", "SUBMISSION", "grade a submission (its id or its first 8 characters)",
	  cmd_grade, NULL },
	{ "help", "", "show the keys of this view", cmd_help, NULL },
	{ "quit", "", "quit", cmd_quit, NULL },
	{ "q", "", "quit", cmd_quit, NULL },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

char **tui_complete_courses(struct tui *t, const char *text)
{
	char **c = xcalloc((size_t)cJSON_GetArraySize(t->courses) + 1, sizeof(char *));
	const cJSON *item;
	int n = 0;

	cJSON_ArrayForEach(item, t->courses) {
		const char *name = edu_json_str(item, "name");

		if (name && !strncasecmp(name, text, strlen(text)))
			c[n++] = edu_safe_text(name, EDU_SAFE_ONELINE);
	}
	return c;
}

/* Completes the command's name, then what its argument names. */
static char **complete_command(struct tui *t, const char *text)
{
	const char *sp = strchr(text, ' ');
	char **c = xcalloc(NCOMMANDS + 1, sizeof(char *)), **sub;
	int n = 0;

	if (!sp) {
		for (size_t i = 0; i < NCOMMANDS; i++)
			if (!strncmp(commands[i].name, text, strlen(text)) &&
			    strcmp(commands[i].name, "q"))
				c[n++] = xstrdup(commands[i].name);
		return c;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strlen(commands[i].name) != (size_t)(sp - text) ||
		    strncmp(commands[i].name, text, (size_t)(sp - text)) || !commands[i].complete)
			continue;
		sub = commands[i].complete(t, sp + 1);
		for (int k = 0; sub[k]; k++) {
			char *full = xasprintf("%s %s", commands[i].name, sub[k]);

			free(sub[k]);
			sub[k] = full;
		}
		free(c);
		return sub;
	}
	return c;
}

static void command_done(struct tui *t, struct view *v, const char *answer)
{
	const char *p = answer, *arg;
	size_t len;

	while (*p == ' ')
		p++;
	len = strcspn(p, " ");
	arg = p + len;
	while (*arg == ' ')
		arg++;
	if (!len)
		return;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strlen(commands[i].name) != len || strncmp(commands[i].name, p, len))
			continue;
		if (*commands[i].args && !*arg) {
			tui_error(t, "':%s' needs %s", commands[i].name, commands[i].args);
			return;
		}
		commands[i].fn(t, arg);
		return;
	}
	tui_error(t, "no command ':%.*s' (Tab shows them)", (int)len, p);
}

void tui_command_open(struct tui *t)
{
	tui_prompt_open(t, tui_view_top(t), ":", NULL, command_done, complete_command);
}

void tui_commands_list(FILE *fp)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "%s%s%s\t%s\n", commands[i].name, *commands[i].args ? " " : "",
			commands[i].args, commands[i].help);
}
