/*
 * Key bindings as data (tig's tigrc, htop's Action.c): the defaults come from
 * TUI_ACTION_LIST, the user's from the config file, $XDG_CONFIG_HOME/edu/tui.conf:
 *
 *	# a comment
 *	bind generic <C-n> down
 *	bind lesson x done
 *	bind generic Q none		(the key does nothing any more)
 *
 * A key is looked up in the keymap of the view on top, then in the generic keymap, so a
 * view's own keys win over the generic ones (1 to 9 pick rubric levels in the grading
 * form, and go to sections elsewhere).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "buf.h"
#include "tui.h"
#include "xalloc.h"

static const struct {
	const char *keymap, *name, *keys, *help;
} actions[] = {
	[TUI_ACT_NONE] = { "generic", "NONE", "", "nothing" },
#define X(keymap, name, keys, help) [TUI_ACT_##name] = { #keymap, #name, keys, help },
	TUI_ACTION_LIST(X)
#undef X
};

struct binding {
	const char *keymap;	/* actions[]'s, or a view type's name */
	int key;
	enum tui_action action;
};

static struct binding *bindings;
static int nbindings, capbindings;

static const struct {
	const char *name;
	int key;
} key_names[] = {
	{ "Enter", TUI_KEY_ENTER },
	{ "Esc", TUI_KEY_ESC },
	{ "Tab", '\t' },
	{ "BTab", TUI_KEYCODE(KEY_BTAB) },
	{ "Space", ' ' },
	{ "Backspace", TUI_KEYCODE(KEY_BACKSPACE) },
	{ "Del", TUI_KEYCODE(KEY_DC) },
	{ "Ins", TUI_KEYCODE(KEY_IC) },
	{ "Up", TUI_KEYCODE(KEY_UP) },
	{ "Down", TUI_KEYCODE(KEY_DOWN) },
	{ "Left", TUI_KEYCODE(KEY_LEFT) },
	{ "Right", TUI_KEYCODE(KEY_RIGHT) },
	{ "PgUp", TUI_KEYCODE(KEY_PPAGE) },
	{ "PgDn", TUI_KEYCODE(KEY_NPAGE) },
	{ "Home", TUI_KEYCODE(KEY_HOME) },
	{ "End", TUI_KEYCODE(KEY_END) },
	{ "Resize", TUI_KEYCODE(KEY_RESIZE) },
	{ "lt", '<' },
};

const char *tui_action_name(enum tui_action a)
{
	static char buf[64];
	size_t i;

	for (i = 0; actions[a].name[i] && i + 1 < sizeof(buf); i++)
		buf[i] = actions[a].name[i] == '_' ? '-' :
			(char)tolower((unsigned char)actions[a].name[i]);
	buf[i] = '\0';
	return buf;
}

const char *tui_action_keymap(enum tui_action a)
{
	return actions[a].keymap;
}

const char *tui_action_help(enum tui_action a)
{
	return actions[a].help;
}

static enum tui_action action_by_name(const char *name)
{
	for (int a = 0; a < TUI_ACT__COUNT; a++)
		if (!strcmp(tui_action_name((enum tui_action)a), name))
			return (enum tui_action)a;
	return (enum tui_action)-1;
}

const char *tui_key_name(int key)
{
	static char buf[32];

	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (key_names[i].key == key && key != '<')
			return snprintf(buf, sizeof(buf), "<%s>", key_names[i].name), buf;
	if (key >= TUI_KEYCODE(KEY_F(1)) && key <= TUI_KEYCODE(KEY_F(12)))
		snprintf(buf, sizeof(buf), "<F%d>", key - TUI_KEYCODE(KEY_F(0)));
	else if (key > 0 && key < 32)
		snprintf(buf, sizeof(buf), "<C-%c>", key + 'a' - 1);
	else if (key >= TUI_KEYCODE(0))
		snprintf(buf, sizeof(buf), "<key %d>", key - TUI_KEYCODE(0));
	else {
		mbstate_t st;
		size_t n;

		memset(&st, 0, sizeof(st));
		n = wcrtomb(buf, (wchar_t)key, &st);
		buf[n == (size_t)-1 ? 0 : n] = '\0';
	}
	return buf;
}

int tui_key_parse(const char *name, size_t len)
{
	wchar_t wc;
	mbstate_t st;
	size_t n;

	if (len >= 3 && name[0] == '<' && name[len - 1] == '>') {
		const char *in = name + 1;
		size_t inlen = len - 2;

		for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
			if (strlen(key_names[i].name) == inlen &&
			    !strncasecmp(key_names[i].name, in, inlen))
				return key_names[i].key;
		if (inlen == 3 && (in[0] == 'C' || in[0] == 'c') && in[1] == '-' &&
		    isalpha((unsigned char)in[2]))
			return TUI_KEY_CTRL(tolower((unsigned char)in[2]));
		if (inlen >= 2 && inlen <= 3 && (in[0] == 'F' || in[0] == 'f')) {
			int f = atoi(in + 1);

			if (f >= 1 && f <= 12)
				return TUI_KEYCODE(KEY_F(f));
		}
		return -1;
	}
	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, name, len, &st);
	if (n == 0 || n != len)
		return -1;
	return (int)wc;
}

static void bind(const char *keymap, int key, enum tui_action a)
{
	for (int i = 0; i < nbindings; i++)
		if (bindings[i].key == key && !strcmp(bindings[i].keymap, keymap)) {
			bindings[i].action = a;
			return;
		}
	if (nbindings == capbindings) {
		capbindings = capbindings ? 2 * capbindings : 128;
		bindings = xrealloc(bindings, (size_t)capbindings * sizeof(*bindings));
	}
	bindings[nbindings++] = (struct binding){ keymap, key, a };
}

/* The keymap named name as a static string (a view type's or "generic"), or NULL. */
static const char *keymap_named(const char *name)
{
	const struct tui_view_type *vt;

	if (!strcmp(name, "generic"))
		return "generic";
	vt = tui_view_type(name);
	return vt ? vt->name : NULL;
}

static enum edu_err read_config(const char *path, struct edu_errinfo *ei)
{
	FILE *fp = fopen(path, "r");
	char line[512];
	int lineno = 0;

	if (!fp)
		return errno == ENOENT ? EDU_ERR_OK :
			edu_err_set(ei, EDU_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
	while (fgets(line, sizeof(line), fp)) {
		char *words[4], *save = NULL, *w;
		int n = 0, key;
		const char *keymap;
		enum tui_action a;

		lineno++;
		for (w = strtok_r(line, " \t\r\n", &save); w && n < 4;
		     w = strtok_r(NULL, " \t\r\n", &save))
			words[n++] = w;
		if (!n || words[0][0] == '#')
			continue;
		if (strcmp(words[0], "bind") || n != 4) {
			fclose(fp);
			return edu_err_set(ei, EDU_ERR_INVALID, "%s:%d: expected 'bind KEYMAP KEY "
					   "ACTION'", path, lineno);
		}
		keymap = keymap_named(words[1]);
		key = tui_key_parse(words[2], strlen(words[2]));
		a = action_by_name(words[3]);
		if (!keymap || key < 0 || (int)a < 0) {
			fclose(fp);
			return edu_err_set(ei, EDU_ERR_INVALID, "%s:%d: no %s '%s'", path, lineno,
					   !keymap ? "keymap" : key < 0 ? "key" : "action",
					   !keymap ? words[1] : key < 0 ? words[2] : words[3]);
		}
		bind(keymap, key, a);
	}
	fclose(fp);
	return EDU_ERR_OK;
}

enum edu_err tui_keys_init(const char *config_path, struct edu_errinfo *ei)
{
	for (int a = 1; a < TUI_ACT__COUNT; a++) {
		const char *p = actions[a].keys;

		while (*p) {
			size_t len = strcspn(p, " ");
			int key = tui_key_parse(p, len);

			if (key >= 0)
				bind(actions[a].keymap, key, (enum tui_action)a);
			p += len;
			while (*p == ' ')
				p++;
		}
	}
	return config_path ? read_config(config_path, ei) : EDU_ERR_OK;
}

void tui_keys_release(void)
{
	free(bindings);
	bindings = NULL;
	nbindings = capbindings = 0;
}

enum tui_action tui_key_action(const char *keymap, int key)
{
	/* the keys others send for Enter and Backspace are the same keys */
	if (key == '\r' || key == TUI_KEYCODE(KEY_ENTER))
		key = TUI_KEY_ENTER;
	if (key == 127 || key == TUI_KEY_CTRL('h'))
		key = TUI_KEYCODE(KEY_BACKSPACE);
	for (int pass = 0; pass < 2; pass++) {
		const char *map = pass ? "generic" : keymap;

		for (int i = 0; map && i < nbindings; i++)
			if (bindings[i].key == key && !strcmp(bindings[i].keymap, map))
				return bindings[i].action;
	}
	return TUI_ACT_NONE;
}

char *tui_action_keys(enum tui_action a)
{
	struct edu_buf b = EDU_BUF_INIT;

	edu_buf_adds(&b, "");
	for (int i = 0; i < nbindings; i++)
		if (bindings[i].action == a && !strcmp(bindings[i].keymap, actions[a].keymap))
			edu_buf_printf(&b, "%s%s", b.len ? " " : "", tui_key_name(bindings[i].key));
	return edu_buf_detach(&b);
}

void tui_keys_list(FILE *fp)
{
	for (int a = 1; a < TUI_ACT__COUNT; a++) {
		const char *p = actions[a].keys;

		while (*p) {
			size_t len = strcspn(p, " ");

			fprintf(fp, "%s\t%.*s\t%s\t%s\n", actions[a].keymap, (int)len, p,
				tui_action_name((enum tui_action)a), actions[a].help);
			p += len;
			while (*p == ' ')
				p++;
		}
	}
}
