/*
 * The screen: ncursesw set up (or headless, for scripts), colours by role in a theme or
 * monochrome, the layout (section bar, view, status line, prompt line), the polite message
 * below 80x24, and the dump of the screen as text. Everything is drawn into stdscr and
 * refreshed once a frame, so ncurses sends only the cells that changed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "buf.h"
#include "format.h"
#include "safe.h"
#include "tui.h"
#include "xalloc.h"

/* The smallest screen everything fits on. */
#define MIN_COLS 80
#define MIN_ROWS 24

static const struct {
	short fg, bg;
	attr_t attr, mono;
} roles[] = {
#define X(name, fg, bg, attr, mono) [TUI_ROLE_##name] = { fg, bg, attr, mono },
	TUI_ROLE_LIST(X)
#undef X
};

static const char *const section_titles[] = {
#define X(name, title, view) title,
	TUI_SECTION_LIST(X)
#undef X
};

int tui_mono_wanted(void)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc && *nc)
		return 1;
	return !term || !strcmp(term, "vt100") || !strcmp(term, "dumb");
}

attr_t tui_attr(const struct tui *t, enum tui_role role)
{
	if (t->mono)
		return roles[role].mono;
	return roles[role].attr | COLOR_PAIR(role + 1);
}

static SCREEN *screen;
static FILE *headless_out, *headless_in;

int tui_screen_init(struct tui *t)
{
	const char *term = getenv("TERM");

	if (t->headless) {
		/* no terminal: draw for nobody, at COLUMNS x LINES (80x24 unless they say) */
		setenv("COLUMNS", getenv("COLUMNS") ? getenv("COLUMNS") : "80", 0);
		setenv("LINES", getenv("LINES") ? getenv("LINES") : "24", 0);
		headless_out = fopen("/dev/null", "w");
		headless_in = fopen("/dev/null", "r");
		if (!headless_out || !headless_in)
			return -1;
		screen = newterm(term && *term ? term : "xterm", headless_out, headless_in);
	} else {
		screen = newterm(NULL, stdout, stdin);
	}
	if (!screen)
		return -1;
	set_term(screen);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	t->mono = tui_mono_wanted() || !has_colors();
	if (!t->mono) {
		start_color();
		use_default_colors();
		for (int i = 0; i < TUI_ROLE__COUNT; i++)
			init_pair((short)(i + 1), roles[i].fg, roles[i].bg);
	}
	return 0;
}

void tui_screen_end(struct tui *t)
{
	if (!screen)
		return;
	endwin();
	delscreen(screen);
	screen = NULL;
	if (headless_out)
		fclose(headless_out);
	if (headless_in)
		fclose(headless_in);
	headless_out = headless_in = NULL;
}

void tui_screen_suspend(struct tui *t)
{
	def_prog_mode();
	endwin();
}

void tui_screen_resume(struct tui *t)
{
	reset_prog_mode();
	/* what the program left on the terminal is not what curscr thinks: draw all again */
	clearok(curscr, TRUE);
	t->need_redraw = 1;
}

int tui_draw_str(struct tui *t, int y, int x, int w, const char *s, enum tui_role role)
{
	int used = 0;
	size_t n;

	if (w <= 0 || !s)
		return 0;
	n = tui_fit(s, w, &used);
	attrset(tui_attr(t, role));
	mvaddnstr(y, x, s, (int)n);
	return used;
}

/* Fills the rest of row y from x with blanks of role. */
static void fill(struct tui *t, int y, int x, enum tui_role role)
{
	attrset(tui_attr(t, role));
	for (; x < COLS; x++)
		mvaddch(y, x, ' ');
}

/* Is section s one for this user? A student grades nothing, a teacher hands nothing in. */
static int section_for_user(const struct tui *t, enum tui_section s)
{
	if (s == TUI_SEC_GRADING || s == TUI_SEC_GRADEBOOK)
		return t->teacher || !t->student;
	if (s == TUI_SEC_GRADES)
		return t->student || !t->teacher;
	return 1;
}

static void draw_sections(struct tui *t)
{
	int x = 0;

	for (int s = 0; s < TUI_SEC__COUNT; s++) {
		char label[64];
		enum tui_role role = s == (int)t->section ? TUI_ROLE_SECTION_ON :
			section_for_user(t, (enum tui_section)s) ? TUI_ROLE_SECTION :
			TUI_ROLE_SECTION_OFF;

		snprintf(label, sizeof(label), " %d %s ", s + 1, section_titles[s]);
		x += tui_draw_str(t, 0, x, COLS - x, label, role);
	}
	fill(t, 0, x, TUI_ROLE_SECTION);
	tui_draw_str(t, 0, COLS - 8, 8, "edu-tui ", TUI_ROLE_SECTION);
}

/* "Courses › Physics 1 › Newton" */
static void draw_title(struct tui *t)
{
	struct edu_buf b = EDU_BUF_INIT;
	enum tui_section s = t->section;
	char *clean;

	edu_buf_adds(&b, section_titles[s]);
	for (int i = 1; i < t->depth[s]; i++)
		if (t->stack[s][i]->title)
			edu_buf_printf(&b, " › %s", t->stack[s][i]->title);
	clean = edu_safe_text(edu_buf_str(&b), EDU_SAFE_ONELINE);
	fill(t, 1, 0, TUI_ROLE_NORMAL);
	tui_draw_str(t, 1, 1, COLS - 2, clean, TUI_ROLE_TITLE);
	free(clean);
	edu_buf_release(&b);
}

/*
 * What the offline store will say here: "offline since 10:42" and "3 in the outbox". There
 * is no store yet (it is another issue), so nothing.
 */
static void store_status(const struct tui *t, struct edu_buf *b)
{
}

static void draw_status(struct tui *t, int y)
{
	static const char spin[] = "|/-\\";
	struct edu_buf left = EDU_BUF_INIT, right = EDU_BUF_INIT;
	const struct tui_job *p = tui_net_progress(t);
	char *l, *r;
	int rw, lw;

	edu_buf_printf(&left, " %s", t->user ? t->user : "?");
	if (t->role)
		edu_buf_printf(&left, " (%s)", t->role);
	if (t->school)
		edu_buf_printf(&left, " · %s", t->school);
	store_status(t, &left);
	if (t->to_grade >= 0 && (t->teacher || !t->student))
		edu_buf_printf(&left, " · %d to grade", t->to_grade);
	if (t->due >= 0 && (t->student || !t->teacher))
		edu_buf_printf(&left, " · %d due", t->due);
	edu_buf_adds(&left, " ");
	if (p) {
		long long done = atomic_load(&p->done_bytes), total = atomic_load(&p->total_bytes);
		int pct = total > 0 ? (int)(done * 100 / total) : 0, width = 20, filled;
		char a[32], b[32];

		filled = width * pct / 100;
		edu_buf_printf(&right, "%s [", p->what);
		for (int i = 0; i < width; i++)
			edu_buf_addc(&right, i < filled ? '=' : i == filled ? '>' : ' ');
		edu_buf_printf(&right, "] %3d%% %s/%s ", pct, edu_fmt_size(done, a),
			       edu_fmt_size(total, b));
	} else {
		if (tui_net_pending(t))
			edu_buf_printf(&right, "%c ", spin[t->spinner % 4]);
		if (t->message)
			edu_buf_printf(&right, "%s ", t->message);
	}
	/* the message comes first: who you are gives it room when it is long */
	l = edu_safe_text(edu_buf_str(&left), EDU_SAFE_ONELINE);
	r = edu_safe_text(edu_buf_str(&right), EDU_SAFE_ONELINE);
	rw = tui_width(r);
	if (rw > COLS)
		rw = COLS;
	lw = COLS - rw - 1;
	fill(t, y, 0, TUI_ROLE_STATUS);
	if (lw > 0)
		tui_draw_str(t, y, 0, lw, l, TUI_ROLE_STATUS);
	if (rw > 0)
		tui_draw_str(t, y, COLS - rw, rw, r, t->message_error && !p ?
			     TUI_ROLE_STATUS_ERROR : TUI_ROLE_STATUS);
	free(l);
	free(r);
	edu_buf_release(&left);
	edu_buf_release(&right);
}

static void draw_hint(struct tui *t, int y)
{
	fill(t, y, 0, TUI_ROLE_NORMAL);
	if (t->prompt.active) {
		tui_prompt_draw(t, y);
		return;
	}
	tui_draw_str(t, y, 1, COLS - 2, "?: keys  q: back  Tab: sections  /: search  :: command",
		     TUI_ROLE_DIM);
}

static void draw_too_small(struct tui *t)
{
	char line[128];
	int y = LINES / 2;

	snprintf(line, sizeof(line), "edu-tui needs a terminal of at least %dx%d;", MIN_COLS,
		 MIN_ROWS);
	tui_draw_str(t, y > 0 ? y - 1 : 0, 0, COLS, line, TUI_ROLE_NORMAL);
	snprintf(line, sizeof(line), "this one is %dx%d. Make it larger, or press Q to quit.",
		 COLS, LINES);
	tui_draw_str(t, y, 0, COLS, line, TUI_ROLE_NORMAL);
}

void tui_draw(struct tui *t)
{
	struct view *v = tui_view_top(t);
	struct tui_area a = { 2, 0, LINES - 4, COLS };

	t->too_small = COLS < MIN_COLS || LINES < MIN_ROWS;
	erase();
	if (t->too_small) {
		draw_too_small(t);
		refresh();
		return;
	}
	draw_sections(t);
	draw_title(t);
	if (v && v->type->ops->draw)
		v->type->ops->draw(v, &a);
	else if (v)
		tui_view_draw_text(v, &a);
	draw_status(t, LINES - 2);
	draw_hint(t, LINES - 1);
	refresh();
}

int tui_screen_dump(const char *path)
{
	FILE *fp = fopen(path, "w");

	if (!fp)
		return -1;
	for (int y = 0; y < LINES; y++) {
		struct edu_buf line = EDU_BUF_INIT;
		size_t keep;

		edu_buf_adds(&line, "");
		for (int x = 0; x < COLS; x++) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1];
			attr_t attrs;
			short pair;
			char mb[8];
			mbstate_t st;

			if (mvwin_wch(stdscr, y, x, &cc) == ERR)
				break;
			wch[0] = 0;
			getcchar(&cc, wch, &attrs, &pair, NULL);
			if (!wch[0])
				wch[0] = L' ';
			memset(&st, 0, sizeof(st));
			for (int k = 0; wch[k] && k < CCHARW_MAX; k++) {
				size_t n = wcrtomb(mb, wch[k], &st);

				if (n != (size_t)-1)
					edu_buf_add(&line, mb, n);
			}
			/* a wide character takes the next cell too */
			if (wcwidth(wch[0]) == 2)
				x++;
		}
		keep = line.len;
		while (keep > 0 && line.data[keep - 1] == ' ')
			keep--;
		fprintf(fp, "%.*s\n", (int)keep, line.data);
		edu_buf_release(&line);
	}
	return fclose(fp);
}
