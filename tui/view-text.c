/*
 * A text to read (an attachment, a submitted text file, a submission's text): wrapped to
 * the width, scrolled by page, searched with /. The text was made terminal-safe before it
 * got here, and every line goes through the one-line sanitiser again on its way in.
 */
#include "config.h"

#include <stdlib.h>

#include "tui.h"
#include "xalloc.h"

static void text_layout(struct view *v, int width)
{
	tui_view_clear(v);
	tui_text_wrap(&v->text, TUI_ROLE_NORMAL, v->priv, width - 2, 0);
}

static void text_done(struct view *v)
{
	free(v->priv);
}

const struct view_ops tui_view_text = {
	.layout = text_layout,
	.done = text_done,
};

struct view *tui_text_view(struct tui *t, const char *title, const char *text)
{
	return tui_view_new(t, "text", title, xstrdup(text ? text : ""));
}
