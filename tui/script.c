/*
 * --script FILE: keys from a file instead of the keyboard, so that a test (or a benchmark)
 * drives the screen as a user would, and reads it back as text (tig's test scripts). Each
 * key is given only once the screen has settled: no request in flight, so what a key acts
 * on is on the screen, however fast or slow the server is.
 *
 * A line is keys, as edu-tui(1) names them ("jj<Enter>", "<C-l>", "<lt>" for '<'; the end
 * of the line is no key), or a directive:
 *
 *	# a comment
 *	!dump FILE		write the screen as text to FILE
 *	!stamp FILE		append the wall clock (nanoseconds since 1970) to FILE
 *	!sleep MS		wait, keys and answers still coming
 *	!resize COLSxROWS	make the (headless) screen that size
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "launch.h"
#include "tui.h"
#include "xalloc.h"

struct tui_script {
	char *text;
	const char *p;		/* the next thing to read */
	double wake;		/* !sleep: nothing before then */
};

struct tui_script *tui_script_load(const char *path, struct edu_errinfo *ei)
{
	struct tui_script *s;
	char *text = edu_launch_read_file(path);

	if (!text) {
		edu_err_set(ei, EDU_ERR_IO, "cannot read the script '%s': %s", path, strerror(errno));
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->text = text;
	s->p = text;
	return s;
}

void tui_script_free(struct tui_script *s)
{
	if (!s)
		return;
	free(s->text);
	free(s);
}

/* Runs the directive of line (its text without '!'); nonzero: the script stops. */
static int directive(struct tui *t, struct tui_script *s, const char *line, size_t len)
{
	char *copy = xstrndup(line, len), *arg = strchr(copy, ' ');
	int stop = 0;

	if (arg)
		*arg++ = '\0';
	if (!strcmp(copy, "dump") && arg) {
		tui_draw(t);
		if (tui_screen_dump(arg) < 0)
			tui_error(t, "cannot write the screen to '%s': %s", arg, strerror(errno));
	} else if (!strcmp(copy, "stamp") && arg) {
		FILE *fp;
		struct timespec ts;

		tui_draw(t);
		clock_gettime(CLOCK_REALTIME, &ts);
		fp = fopen(arg, "a");
		if (fp) {
			fprintf(fp, "%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
			fclose(fp);
		}
	} else if (!strcmp(copy, "sleep") && arg) {
		s->wake = tui_now() + atof(arg) / 1000.0;
	} else if (!strcmp(copy, "resize") && arg) {
		int cols, rows;

		if (sscanf(arg, "%dx%d", &cols, &rows) == 2 && cols > 0 && rows > 0) {
			resizeterm(rows, cols);
			t->need_redraw = 1;
		}
	} else {
		tui_error(t, "the script has no directive '!%s'", copy);
		stop = 1;
	}
	free(copy);
	return stop;
}

int tui_script_next(struct tui *t)
{
	struct tui_script *s = t->script;

	if (tui_now() < s->wake || tui_net_pending(t))
		return -1;
	for (;;) {
		const char *p = s->p;
		size_t len;
		int key;

		if (!*p)
			return -2;
		if (*p == '\n') {
			s->p++;
			continue;
		}
		/* at the start of a line: a comment or a directive */
		if (p == s->text || p[-1] == '\n') {
			len = strcspn(p, "\n");
			if (*p == '#') {
				s->p += len;
				continue;
			}
			if (*p == '!') {
				s->p += len;
				if (directive(t, s, p + 1, len - 1))
					return -2;
				return -1;
			}
		}
		if (*p == '<') {
			len = strcspn(p, ">\n");
			if (p[len] == '>') {
				key = tui_key_parse(p, len + 1);
				s->p += len + 1;
				if (key >= 0)
					return key;
				tui_error(t, "the script has no key '%.*s'", (int)len + 1, p);
				return -2;
			}
		}
		/* one character */
		len = 1;
		while ((p[len] & 0xc0) == 0x80)
			len++;
		key = tui_key_parse(p, len);
		s->p += len;
		if (key >= 0)
			return key;
	}
}
