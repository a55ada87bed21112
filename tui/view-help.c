/*
 * The help view (?): the keys of the view it was opened from, then the generic ones, with
 * their help, made from the same bindings that dispatch them (keys.c): what it says is
 * what the keys do, a config file's changes included.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui.h"
#include "xalloc.h"

static void add_keymap(struct view *v, const char *keymap, const char *heading)
{
	tui_text_line(&v->text, -1);
	tui_text_add(&v->text, TUI_ROLE_HEADING, heading);
	for (int a = 1; a < TUI_ACT__COUNT; a++) {
		char *keys;

		if (strcmp(tui_action_keymap((enum tui_action)a), keymap))
			continue;
		keys = tui_action_keys((enum tui_action)a);
		tui_text_line(&v->text, -1);
		tui_text_add(&v->text, TUI_ROLE_NORMAL, "  ");
		tui_text_cell(&v->text, TUI_ROLE_STRONG, *keys ? keys : "(none)", 18);
		tui_text_add(&v->text, TUI_ROLE_NORMAL, " ");
		tui_text_cell(&v->text, TUI_ROLE_DIM, tui_action_name((enum tui_action)a), 16);
		tui_text_add(&v->text, TUI_ROLE_NORMAL, " ");
		tui_text_add(&v->text, TUI_ROLE_NORMAL, tui_action_help((enum tui_action)a));
		free(keys);
	}
	tui_text_line(&v->text, -1);
}

static void help_open(struct view *v)
{
	const char *keymap = v->priv;
	const struct tui_view_type *vt = tui_view_type(keymap);

	tui_view_clear(v);
	if (strcmp(keymap, "generic")) {
		char *heading = xasprintf("Keys of the %s view", vt && *vt->title ? vt->title :
					  keymap);

		add_keymap(v, keymap, heading);
		free(heading);
	}
	add_keymap(v, "generic", "Keys of every view");
	tui_text_line(&v->text, -1);
	tui_text_add(&v->text, TUI_ROLE_DIM, "Keys can be bound again in "
		     "$XDG_CONFIG_HOME/edu/tui.conf: see edu-tui(1).");
}

static void help_done(struct view *v)
{
	free(v->priv);
}

const struct view_ops tui_view_help = {
	.open = help_open,
	.done = help_done,
};

struct view *tui_help_view(struct tui *t, const char *keymap)
{
	return tui_view_new(t, "help", "Keys", xstrdup(keymap));
}
