/*
 * What every view does the same way: the section stacks, and the generic handler of the
 * keys a view leaves alone: moving the cursor (a list) or the page (a text), searching the
 * lines, opening the item under the cursor. Drawing a view's lines is here too, so a
 * view only builds its lines (tig's view.c; a view's own file stays small).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui.h"
#include "xalloc.h"

const struct tui_view_type *tui_view_type(const char *name)
{
	for (const struct tui_view_type *vt = tui_view_types; vt->name; vt++)
		if (!strcmp(vt->name, name))
			return vt;
	return NULL;
}

struct view *tui_view_new(struct tui *t, const char *type, const char *title, void *priv)
{
	struct view *v = xcalloc(1, sizeof(*v));

	v->type = tui_view_type(type);
	if (!v->type)
		abort();	/* a view that is not in the table: a bug of ours */
	v->tui = t;
	v->title = title ? xstrdup(title) : NULL;
	v->priv = priv;
	tui_text_init(&v->head);
	tui_text_init(&v->text);
	return v;
}

static void view_free(struct tui *t, struct view *v)
{
	tui_net_forget(t, v);
	if (v->type->ops->done)
		v->type->ops->done(v);
	tui_text_release(&v->head);
	tui_text_release(&v->text);
	free(v->title);
	free(v);
}

void tui_view_push(struct tui *t, struct view *v)
{
	enum tui_section s = t->section;

	if (t->depth[s] == TUI_STACK_MAX) {
		tui_error(t, "too many views open: go back first");
		view_free(t, v);
		return;
	}
	v->parent = t->depth[s] ? t->stack[s][t->depth[s] - 1] : NULL;
	t->stack[s][t->depth[s]++] = v;
	if (v->type->ops->open)
		v->type->ops->open(v);
	t->need_redraw = 1;
}

int tui_view_pop(struct tui *t)
{
	enum tui_section s = t->section;
	struct view *top;

	if (!t->depth[s])
		return 0;
	view_free(t, t->stack[s][--t->depth[s]]);
	top = tui_view_top(t);
	if (top && top->stale) {
		top->stale = 0;
		if (top->type->ops->open)
			top->type->ops->open(top);
	}
	t->need_redraw = 1;
	return t->depth[s] > 0;
}

struct view *tui_view_top(const struct tui *t)
{
	int d = t->depth[t->section];

	return d ? t->stack[t->section][d - 1] : NULL;
}

void tui_view_clear(struct view *v)
{
	tui_text_release(&v->head);
	tui_text_release(&v->text);
}

void tui_view_stale_below(struct view *v)
{
	for (struct view *p = v->parent; p; p = p->parent)
		p->stale = 1;
}

int tui_view_cursor_id(const struct view *v)
{
	if (!v->type->list || v->cursor < 0 || v->cursor >= v->text.n)
		return -1;
	return v->text.lines[v->cursor].id;
}

void tui_view_goto_id(struct view *v, int id)
{
	for (int i = 0; i < v->text.n; i++)
		if (v->text.lines[i].id == id) {
			v->cursor = i;
			return;
		}
}

/* Keeps the cursor on an item and in sight, and the page within the text. */
static void clamp(struct view *v)
{
	int h = v->height > 0 ? v->height : 1;

	if (v->type->list) {
		if (v->cursor >= v->text.n)
			v->cursor = v->text.n - 1;
		if (v->cursor < 0)
			v->cursor = 0;
		if (v->cursor < v->top)
			v->top = v->cursor;
		if (v->cursor >= v->top + h)
			v->top = v->cursor - h + 1;
	}
	if (v->top > v->text.n - h)
		v->top = v->text.n - h;
	if (v->top < 0)
		v->top = 0;
}

/* Moves by delta lines: the cursor in a list, the page in a text. */
static void view_move(struct view *v, int delta)
{
	if (v->type->list)
		v->cursor += delta;
	else
		v->top += delta;
	clamp(v);
}

/* Finds the next line (dir 1) or the one before (-1) holding t->search, from the cursor. */
static int search(struct view *v, int dir, int from_next)
{
	struct tui *t = v->tui;
	int start = v->type->list ? v->cursor : v->top, n = v->text.n;

	if (!t->search || !*t->search || !n)
		return 0;
	for (int k = from_next ? 1 : 0; k <= n; k++) {
		int i = ((start + dir * k) % n + n) % n;
		char *plain = tui_line_plain(&v->text.lines[i]);
		int hit = strcasestr(plain, t->search) != NULL;

		free(plain);
		if (hit) {
			if (v->type->list)
				v->cursor = i;
			else
				v->top = i;
			clamp(v);
			return 1;
		}
	}
	tui_error(t, "'%s' is not in this view", t->search);
	return 0;
}

static void search_done(struct tui *t, struct view *v, const char *answer)
{
	if (!*answer)
		return;
	free(t->search);
	t->search = xstrdup(answer);
	if (v)
		search(v, 1, 0);
}

int tui_view_request(struct view *v, enum tui_action a)
{
	int page = v->height > 1 ? v->height - 1 : 1;

	switch (a) {
	case TUI_ACT_UP:
		view_move(v, -1);
		return 1;
	case TUI_ACT_DOWN:
		view_move(v, 1);
		return 1;
	case TUI_ACT_PAGE_UP:
		if (v->type->list)
			v->top -= page;
		view_move(v, -page);
		return 1;
	case TUI_ACT_PAGE_DOWN:
		/* a list's page turns with its cursor, so the next page starts at the cursor */
		if (v->type->list)
			v->top += page;
		view_move(v, page);
		return 1;
	case TUI_ACT_FIRST:
		v->cursor = v->top = 0;
		clamp(v);
		return 1;
	case TUI_ACT_LAST:
		v->cursor = v->text.n - 1;
		v->top = v->text.n;
		clamp(v);
		return 1;
	case TUI_ACT_OPEN:
		if (v->type->ops->select && tui_view_cursor_id(v) >= 0)
			v->type->ops->select(v, tui_view_cursor_id(v));
		return 1;
	case TUI_ACT_SEARCH:
		tui_prompt_open(v->tui, v, "/", NULL, search_done, NULL);
		return 1;
	case TUI_ACT_SEARCH_NEXT:
		search(v, 1, 1);
		return 1;
	case TUI_ACT_SEARCH_PREV:
		search(v, -1, 1);
		return 1;
	case TUI_ACT_RELOAD:
		if (v->type->ops->open)
			v->type->ops->open(v);
		return 1;
	default:
		return 0;
	}
}

void tui_view_draw_text(struct view *v, struct tui_area *a)
{
	struct tui *t = v->tui;
	int y = a->y, rows;

	if (v->type->ops->layout && v->width != a->w) {
		v->width = a->w;
		v->type->ops->layout(v, a->w);
	}
	for (int i = 0; i < v->head.n && y < a->y + a->h; i++, y++) {
		int x = a->x + 1;

		for (int k = 0; k < v->head.lines[i].nspans; k++)
			x += tui_draw_str(t, y, x, a->x + a->w - x, v->head.lines[i].spans[k].text,
					  TUI_ROLE_HEADER);
	}
	rows = a->y + a->h - y;
	v->height = rows;
	clamp(v);
	if (!v->text.n) {
		tui_draw_str(t, y, a->x + 1, a->w - 2, v->loading ? "reading…" :
			     v->empty ? v->empty : "(nothing here)", TUI_ROLE_DIM);
		return;
	}
	for (int i = v->top; i < v->text.n && y < a->y + a->h; i++, y++) {
		const struct tui_line *l = &v->text.lines[i];
		int selected = v->type->list && i == v->cursor, x = a->x + 1;

		if (selected) {
			attrset(tui_attr(t, TUI_ROLE_SELECTED));
			for (int c = a->x; c < a->x + a->w; c++)
				mvaddch(y, c, ' ');
		}
		for (int k = 0; k < l->nspans; k++)
			x += tui_draw_str(t, y, x, a->x + a->w - 1 - x, l->spans[k].text,
					  selected ? TUI_ROLE_SELECTED : l->spans[k].role);
	}
}
