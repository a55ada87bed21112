/*
 * Markdown (a lesson's content, an assignment's instructions) as lines for the screen,
 * through md4c (CommonMark): headings, paragraphs wrapped to the width, lists (bullets and
 * numbers, nested), emphasis, inline code and code blocks, quotes, rules, and links as
 * their text followed by the address. Raw HTML is shown as the text it is. The content was
 * made terminal-safe by libedu, and every piece goes through the one-line sanitiser again
 * on its way into a line (tui_text_add()).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <md4c.h>

#include "buf.h"
#include "tui.h"
#include "xalloc.h"

#define MAX_DEPTH 16

/* A piece of the paragraph being gathered: its text and role. */
struct piece {
	char *text;
	enum tui_role role;
};

struct md {
	struct tui_text *out;
	int width;
	/* the block being gathered */
	struct piece *pieces;
	int npieces, cap;
	/* where the block is */
	int quote;			/* quotes it is in */
	int list_depth;
	int ordered[MAX_DEPTH];		/* per list: 0 bullets, else the next number */
	int item_pending;		/* a list item's first line starts with its mark */
	char mark[32];
	enum tui_role heading;		/* TUI_ROLE_NORMAL but in a heading */
	int code_block;
	/* spans */
	int strong, em, code;
	char *href[MAX_DEPTH];
	int link_depth;
	int blank_before;		/* a blank line goes before the next block */
};

static enum tui_role span_role(const struct md *m)
{
	if (m->heading != TUI_ROLE_NORMAL)
		return m->heading;
	if (m->code)
		return TUI_ROLE_CODE;
	if (m->link_depth)
		return TUI_ROLE_LINK;
	if (m->strong)
		return TUI_ROLE_STRONG;
	if (m->em)
		return TUI_ROLE_EMPHASIS;
	if (m->quote)
		return TUI_ROLE_QUOTE;
	return TUI_ROLE_NORMAL;
}

static void add_piece(struct md *m, const char *text, size_t len, enum tui_role role)
{
	if (m->npieces == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 32;
		m->pieces = xrealloc(m->pieces, (size_t)m->cap * sizeof(*m->pieces));
	}
	m->pieces[m->npieces].text = xstrndup(text, len);
	m->pieces[m->npieces].role = role;
	m->npieces++;
}

/* The indent of the block's lines, and its first line's prefix (a list item's mark). */
static int indent_of(const struct md *m)
{
	return 2 * m->quote + 3 * m->list_depth;
}

static void start_line(struct md *m, int first)
{
	int indent = indent_of(m);
	struct tui_line *l = tui_text_line(m->out, -1);

	l->indent = indent;
	for (int q = 0; q < m->quote; q++)
		tui_text_add(m->out, TUI_ROLE_QUOTE, "│ ");
	if (m->list_depth) {
		int pad = 3 * m->list_depth;

		if (first && m->item_pending) {
			char *pre = xasprintf("%*s", pad, m->mark);

			tui_text_add(m->out, TUI_ROLE_STRONG, pre);
			free(pre);
		} else {
			char *pre = xasprintf("%*s", pad, "");

			tui_text_add(m->out, TUI_ROLE_NORMAL, pre);
			free(pre);
		}
	}
}

/*
 * Lays the gathered pieces out as lines of the width, words kept whole where they fit;
 * a hard break ("\n" in a piece) starts a new line.
 */
static void flush(struct md *m)
{
	int room = m->width - indent_of(m), col = 0;
	struct edu_buf word = EDU_BUF_INIT;

	if (!m->npieces)
		return;
	if (room < 20)
		room = 20;
	if (m->blank_before && m->out->n && m->out->lines[m->out->n - 1].nspans)
		tui_text_line(m->out, -1);
	m->blank_before = 0;
	start_line(m, 1);
	for (int i = 0; i < m->npieces; i++) {
		const char *p = m->pieces[i].text;
		enum tui_role role = m->pieces[i].role;

		while (*p) {
			size_t n;
			int w;

			if (*p == '\n') {
				start_line(m, 0);
				col = 0;
				p++;
				continue;
			}
			if (*p == ' ') {
				if (col > 0 && col < room) {
					tui_text_add(m->out, role, " ");
					col++;
				}
				p++;
				continue;
			}
			n = strcspn(p, " \n");
			edu_buf_reset(&word);
			edu_buf_add(&word, p, n);
			w = tui_width(edu_buf_str(&word));
			if (col > 0 && col + w > room) {
				start_line(m, 0);
				col = 0;
			}
			/* a word longer than a line is cut where the line ends */
			while (w > room) {
				int used;
				size_t k = tui_fit(edu_buf_str(&word), room - col, &used);
				char *part = xstrndup(edu_buf_str(&word), k);

				tui_text_add(m->out, role, part);
				free(part);
				memmove(word.data, word.data + k, word.len - k + 1);
				word.len -= k;
				w = tui_width(edu_buf_str(&word));
				start_line(m, 0);
				col = 0;
			}
			tui_text_add(m->out, role, edu_buf_str(&word));
			col += w;
			p += n;
		}
	}
	edu_buf_release(&word);
	for (int i = 0; i < m->npieces; i++)
		free(m->pieces[i].text);
	m->npieces = 0;
	m->item_pending = 0;
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *arg)
{
	struct md *m = arg;

	switch (type) {
	case MD_BLOCK_H: {
		MD_BLOCK_H_DETAIL *h = detail;

		flush(m);
		m->blank_before = 1;
		m->heading = h->level <= 2 ? TUI_ROLE_HEADING : TUI_ROLE_STRONG;
		break;
	}
	case MD_BLOCK_P:
		if (!m->item_pending)
			m->blank_before = 1;
		break;
	case MD_BLOCK_QUOTE:
		flush(m);
		m->quote++;
		break;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		flush(m);
		if (m->list_depth < MAX_DEPTH) {
			m->ordered[m->list_depth] = type == MD_BLOCK_OL ?
				(int)((MD_BLOCK_OL_DETAIL *)detail)->start : 0;
		}
		if (!m->list_depth)
			m->blank_before = 1;
		m->list_depth++;
		break;
	case MD_BLOCK_LI: {
		int d = m->list_depth - 1;

		flush(m);
		if (d >= 0 && d < MAX_DEPTH && m->ordered[d])
			snprintf(m->mark, sizeof(m->mark), "%d. ", m->ordered[d]++);
		else
			snprintf(m->mark, sizeof(m->mark), "%s ", d % 2 ? "◦" : "•");
		m->item_pending = 1;
		break;
	}
	case MD_BLOCK_CODE:
		flush(m);
		m->blank_before = 1;
		m->code_block = 1;
		break;
	case MD_BLOCK_HR:
		flush(m);
		tui_text_line(m->out, -1);
		{
			struct edu_buf b = EDU_BUF_INIT;

			for (int i = 0; i < m->width - 2 && i < 72; i++)
				edu_buf_adds(&b, "─");
			tui_text_line(m->out, -1);
			tui_text_add(m->out, TUI_ROLE_DIM, edu_buf_str(&b));
			edu_buf_release(&b);
		}
		break;
	case MD_BLOCK_TR:
		flush(m);
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		if (m->npieces)
			add_piece(m, " | ", 3, TUI_ROLE_DIM);
		break;
	default:
		break;
	}
	return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *arg)
{
	struct md *m = arg;

	switch (type) {
	case MD_BLOCK_H:
		flush(m);
		m->heading = TUI_ROLE_NORMAL;
		m->blank_before = 1;
		break;
	case MD_BLOCK_P:
	case MD_BLOCK_TR:
	case MD_BLOCK_HTML:
		flush(m);
		break;
	case MD_BLOCK_QUOTE:
		flush(m);
		m->quote--;
		m->blank_before = 1;
		break;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		flush(m);
		m->list_depth--;
		m->blank_before = 1;
		break;
	case MD_BLOCK_LI:
		flush(m);
		break;
	case MD_BLOCK_CODE:
		/* gathered line by line, shown as it is: no wrapping in code */
		if (m->blank_before && m->out->n && m->out->lines[m->out->n - 1].nspans)
			tui_text_line(m->out, -1);
		m->blank_before = 1;
		for (int i = 0; i < m->npieces; i++) {
			const char *p = m->pieces[i].text;

			while (*p) {
				size_t n = strcspn(p, "\n");
				char *line = xstrndup(p, n);

				start_line(m, 0);
				tui_text_add(m->out, TUI_ROLE_CODE, "    ");
				tui_text_add(m->out, TUI_ROLE_CODE, line);
				free(line);
				p += n + (p[n] == '\n');
			}
			free(m->pieces[i].text);
		}
		m->npieces = 0;
		m->code_block = 0;
		break;
	default:
		break;
	}
	return 0;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *arg)
{
	struct md *m = arg;

	switch (type) {
	case MD_SPAN_STRONG:
		m->strong++;
		break;
	case MD_SPAN_EM:
		m->em++;
		break;
	case MD_SPAN_CODE:
		m->code++;
		break;
	case MD_SPAN_A: {
		MD_SPAN_A_DETAIL *a = detail;

		if (m->link_depth < MAX_DEPTH)
			m->href[m->link_depth] = xstrndup(a->href.text, a->href.size);
		m->link_depth++;
		break;
	}
	case MD_SPAN_IMG:
		add_piece(m, "[image: ", 8, TUI_ROLE_DIM);
		break;
	default:
		break;
	}
	return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *arg)
{
	struct md *m = arg;

	switch (type) {
	case MD_SPAN_STRONG:
		m->strong--;
		break;
	case MD_SPAN_EM:
		m->em--;
		break;
	case MD_SPAN_CODE:
		m->code--;
		break;
	case MD_SPAN_A:
		m->link_depth--;
		if (m->link_depth < MAX_DEPTH && m->href[m->link_depth]) {
			char *h = xasprintf(" <%s>", m->href[m->link_depth]);

			add_piece(m, h, strlen(h), TUI_ROLE_DIM);
			free(h);
			free(m->href[m->link_depth]);
			m->href[m->link_depth] = NULL;
		}
		break;
	case MD_SPAN_IMG:
		add_piece(m, "]", 1, TUI_ROLE_DIM);
		break;
	default:
		break;
	}
	return 0;
}

/* The few entities people write; any other is shown as written. */
static const char *entity(const char *s, size_t n)
{
	static const struct { const char *name, *text; } known[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
		{ "&apos;", "'" }, { "&nbsp;", " " }, { "&mdash;", "—" }, { "&ndash;", "–" },
		{ "&hellip;", "…" }, { "&copy;", "©" },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i].name) == n && !strncmp(known[i].name, s, n))
			return known[i].text;
	return NULL;
}

static int text_cb(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *arg)
{
	struct md *m = arg;
	enum tui_role role = span_role(m);
	const char *e;

	switch (type) {
	case MD_TEXT_SOFTBR:
		add_piece(m, " ", 1, role);
		break;
	case MD_TEXT_BR:
		add_piece(m, "\n", 1, role);
		break;
	case MD_TEXT_ENTITY:
		e = entity(text, size);
		if (e)
			add_piece(m, e, strlen(e), role);
		else
			add_piece(m, text, size, role);
		break;
	case MD_TEXT_NULLCHAR:
		break;
	case MD_TEXT_CODE:
		if (m->code_block) {
			add_piece(m, text, size, TUI_ROLE_CODE);
			break;
		}
		add_piece(m, text, size, TUI_ROLE_CODE);
		break;
	default:
		add_piece(m, text, size, role);
		break;
	}
	return 0;
}

void tui_markdown(struct tui_text *out, const char *markdown, int width)
{
	struct md m = { .out = out, .width = width, .heading = TUI_ROLE_NORMAL };
	MD_PARSER parser = {
		.abi_version = 0,
		.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_PERMISSIVEAUTOLINKS,
		.enter_block = enter_block,
		.leave_block = leave_block,
		.enter_span = enter_span,
		.leave_span = leave_span,
		.text = text_cb,
	};

	if (md_parse(markdown ? markdown : "", (MD_SIZE)strlen(markdown ? markdown : ""),
		     &parser, &m) != 0)
		/* md4c gave up (out of memory): the text as it is, still readable */
		tui_text_wrap(out, TUI_ROLE_NORMAL, markdown, width, 0);
	flush(&m);
	for (int i = 0; i < m.npieces; i++)
		free(m.pieces[i].text);
	for (int i = 0; i < MAX_DEPTH; i++)
		free(m.href[i]);
	free(m.pieces);
}
