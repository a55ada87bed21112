/* Tables, key/value blocks and JSON on standard output (see output.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "csvout.h"
#include "output.h"
#include "safe.h"
#include "xalloc.h"

#define COLUMN_GAP 2

int edu_color_wanted(const char *setting, int no_color_flag, FILE *fp)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (no_color_flag || (nc && *nc))
		return 0;
	if (setting && !strcmp(setting, "never"))
		return 0;
	if (setting && !strcmp(setting, "always"))
		return 1;
	return isatty(fileno(fp)) && !(term && !strcmp(term, "dumb"));
}

size_t edu_display_width(const char *s)
{
	size_t len = strlen(s), width = 0;
	mbstate_t st;

	if (MB_CUR_MAX == 1) {
		/* no UTF-8 locale: count code points, the best guess a terminal allows */
		for (; *s; s++)
			if (((unsigned char)*s & 0xC0) != 0x80)
				width++;
		return width;
	}
	memset(&st, 0, sizeof(st));
	while (len > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, len, &st);
		int w;

		if (n == (size_t)-1 || n == (size_t)-2) {
			/* cannot happen after the sanitiser; count the byte and go on */
			memset(&st, 0, sizeof(st));
			width++;
			s++;
			len--;
			continue;
		}
		if (n == 0)
			break;
		w = wcwidth(wc);
		width += w > 0 ? (size_t)w : 0;
		s += n;
		len -= n;
	}
	return width;
}

struct edu_table {
	int ncols;
	char **headers;	/* NULL: no header line */
	char **cells;	/* rows * ncols */
	int rows, cap;
};

struct edu_table *edu_table_new(int ncols, const char *const *headers)
{
	struct edu_table *t = xcalloc(1, sizeof(*t));

	t->ncols = ncols;
	if (headers) {
		t->headers = xcalloc((size_t)ncols, sizeof(char *));
		for (int i = 0; i < ncols; i++)
			t->headers[i] = edu_safe_text(headers[i], EDU_SAFE_ONELINE);
	}
	return t;
}

void edu_table_add(struct edu_table *t, const char *const *cells)
{
	if (t->rows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = xrealloc(t->cells, (size_t)t->cap * (size_t)t->ncols * sizeof(char *));
	}
	for (int i = 0; i < t->ncols; i++)
		t->cells[t->rows * t->ncols + i] = edu_safe_text(cells[i], EDU_SAFE_ONELINE);
	t->rows++;
}

int edu_table_rows(const struct edu_table *t)
{
	return t->rows;
}

static void print_row(const struct edu_table *t, char *const *row, const size_t *widths,
		      const struct edu_out *o, int header)
{
	int last = t->ncols - 1;

	/* trailing empty cells would only leave trailing blanks */
	while (last > 0 && !row[last][0])
		last--;
	for (int i = 0; i <= last; i++) {
		size_t w = edu_display_width(row[i]);

		if (header && o->color)
			fprintf(o->fp, "\033[1m%s\033[0m", row[i]);
		else
			fputs(row[i], o->fp);
		if (i < last)
			fprintf(o->fp, "%*s", (int)(widths[i] - w + COLUMN_GAP), "");
	}
	fputc('\n', o->fp);
}

void edu_table_print(const struct edu_table *t, const struct edu_out *o)
{
	size_t *widths;

	if (o->csv) {
		if (t->headers)
			edu_csv_row(o->fp, (const char *const *)t->headers, t->ncols);
		for (int r = 0; r < t->rows; r++)
			edu_csv_row(o->fp, (const char *const *)&t->cells[r * t->ncols], t->ncols);
		return;
	}
	widths = xcalloc((size_t)t->ncols, sizeof(*widths));

	for (int i = 0; i < t->ncols; i++) {
		if (t->headers)
			widths[i] = edu_display_width(t->headers[i]);
		for (int r = 0; r < t->rows; r++) {
			size_t w = edu_display_width(t->cells[r * t->ncols + i]);

			if (w > widths[i])
				widths[i] = w;
		}
	}
	if (t->headers)
		print_row(t, t->headers, widths, o, 1);
	for (int r = 0; r < t->rows; r++)
		print_row(t, &t->cells[r * t->ncols], widths, o, 0);
	free(widths);
}

void edu_table_free(struct edu_table *t)
{
	if (!t)
		return;
	for (int i = 0; t->headers && i < t->ncols; i++)
		free(t->headers[i]);
	free(t->headers);
	for (int i = 0; i < t->rows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

void edu_out_json(const struct edu_out *o, const cJSON *j)
{
	char *text = cJSON_Print(j);

	fputs(text, o->fp);
	fputc('\n', o->fp);
	cJSON_free(text);
}

char *edu_out_style(const struct edu_out *o, const char *sgr, const char *s)
{
	if (!o->color)
		return xstrdup(s);
	return xasprintf("\033[%sm%s\033[0m", sgr, s);
}
