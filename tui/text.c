/*
 * What a view shows: lines of spans, each span one role and one line of terminal-safe
 * text. Every string enters here, through the one-line sanitiser, so a name from the
 * server with a newline, an escape sequence or a bidi override cannot reach the terminal
 * or break a line; widths are display cells, so wide and combining characters line up.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "buf.h"
#include "safe.h"
#include "tui.h"
#include "xalloc.h"

void tui_text_init(struct tui_text *t)
{
	memset(t, 0, sizeof(*t));
}

void tui_text_release(struct tui_text *t)
{
	for (int i = 0; i < t->n; i++) {
		for (int k = 0; k < t->lines[i].nspans; k++)
			free(t->lines[i].spans[k].text);
		free(t->lines[i].spans);
	}
	free(t->lines);
	memset(t, 0, sizeof(*t));
}

struct tui_line *tui_text_line(struct tui_text *t, int id)
{
	struct tui_line *l;

	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 32;
		t->lines = xrealloc(t->lines, (size_t)t->cap * sizeof(*t->lines));
	}
	l = &t->lines[t->n++];
	memset(l, 0, sizeof(*l));
	l->id = id;
	return l;
}

/* Adds a span that is already clean and one line (taken). */
static void add_clean(struct tui_text *t, enum tui_role role, char *clean)
{
	struct tui_line *l;

	if (!t->n)
		tui_text_line(t, -1);
	l = &t->lines[t->n - 1];
	if (!*clean) {
		free(clean);
		return;
	}
	/* a span of the same role as the last grows it */
	if (l->nspans && l->spans[l->nspans - 1].role == role) {
		struct tui_span *sp = &l->spans[l->nspans - 1];
		char *joined = xasprintf("%s%s", sp->text, clean);

		free(sp->text);
		free(clean);
		sp->text = joined;
		return;
	}
	l->spans = xrealloc(l->spans, (size_t)(l->nspans + 1) * sizeof(*l->spans));
	l->spans[l->nspans].text = clean;
	l->spans[l->nspans].role = role;
	l->nspans++;
}

void tui_text_add(struct tui_text *t, enum tui_role role, const char *s)
{
	add_clean(t, role, edu_safe_text(s ? s : "", EDU_SAFE_ONELINE));
}

void tui_text_addf(struct tui_text *t, enum tui_role role, const char *fmt, ...)
{
	struct edu_buf b = EDU_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	edu_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	tui_text_add(t, role, edu_buf_str(&b));
	edu_buf_release(&b);
}

/* The cells of one character; one for a character that cannot be shown (shown as such). */
static int char_width(wchar_t wc)
{
	int w = wcwidth(wc);

	return w < 0 ? 1 : w;
}

int tui_width(const char *s)
{
	mbstate_t st;
	int w = 0;

	memset(&st, 0, sizeof(st));
	while (s && *s) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &st);

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			w++;
			s++;
			continue;
		}
		w += char_width(wc);
		s += n;
	}
	return w;
}

size_t tui_fit(const char *s, int width, int *used)
{
	mbstate_t st;
	size_t off = 0;
	int w = 0;

	memset(&st, 0, sizeof(st));
	while (s[off]) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + off, MB_CUR_MAX, &st);
		int cw;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			n = 1;
			cw = 1;
		} else {
			cw = char_width(wc);
		}
		if (w + cw > width)
			break;
		w += cw;
		off += n;
	}
	*used = w;
	return off;
}

void tui_text_cell(struct tui_text *t, enum tui_role role, const char *s, int width)
{
	char *clean = edu_safe_text(s ? s : "", EDU_SAFE_ONELINE);
	struct edu_buf b = EDU_BUF_INIT;
	int w = tui_width(clean), used;

	if (w > width && width > 0) {
		size_t n = tui_fit(clean, width - 1, &used);

		edu_buf_add(&b, clean, n);
		edu_buf_adds(&b, "…");
		used++;
	} else {
		edu_buf_adds(&b, clean);
		used = w;
	}
	for (; used < width; used++)
		edu_buf_addc(&b, ' ');
	free(clean);
	add_clean(t, role, edu_buf_detach(&b));
}

void tui_text_wrap(struct tui_text *t, enum tui_role role, const char *s, int width,
		   int indent)
{
	char *clean;
	const char *p;
	int room = width - indent;

	if (room < 10)
		room = 10;
	/* each line of s on its own, cut into lines of room cells at blanks */
	for (p = s ? s : ""; ; ) {
		size_t len = strcspn(p, "\n");
		char *line = xstrndup(p, len), *q;

		clean = edu_safe_text(line, EDU_SAFE_ONELINE);
		free(line);
		q = clean;
		do {
			int used;
			size_t n = tui_fit(q, room, &used);
			struct tui_line *l;

			if (q[n]) {
				/* back to the last blank, if there is one on the line */
				size_t k = n;

				while (k > 0 && q[k] != ' ')
					k--;
				if (k > 0)
					n = k;
			}
			l = tui_text_line(t, -1);
			l->indent = indent;
			if (indent)
				add_clean(t, TUI_ROLE_NORMAL, xasprintf("%*s", indent, ""));
			add_clean(t, role, xstrndup(q, n));
			q += n;
			while (*q == ' ')
				q++;
		} while (*q);
		free(clean);
		if (!p[len])
			break;
		p += len + 1;
	}
}

char *tui_line_plain(const struct tui_line *l)
{
	struct edu_buf b = EDU_BUF_INIT;

	edu_buf_adds(&b, "");
	for (int i = 0; i < l->nspans; i++)
		edu_buf_adds(&b, l->spans[i].text);
	return edu_buf_detach(&b);
}
