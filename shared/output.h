/*
 * Output for people and for scripts: aligned tables whose column widths are measured in
 * display cells (UTF-8 aware, wcwidth), "key  value" blocks, and JSON for --json. Every
 * cell goes through the one-line sanitiser, so a newline or an escape sequence in a name
 * cannot break a table or reach the terminal. Call setlocale(LC_ALL, "") first so wide
 * characters are measured right.
 *
 *	const char *head[] = { "USERNAME", "ROLE" };
 *	struct edu_table *t = edu_table_new(2, head);
 *	const char *row[] = { u.username, u.role };
 *	edu_table_add(t, row);
 *	edu_table_print(t, &out);
 *	edu_table_free(t);
 */
#ifndef EDU_OUTPUT_H
#define EDU_OUTPUT_H

#include <stdio.h>

#include <cjson/cJSON.h>

struct edu_out {
	FILE *fp;	/* stdout */
	int json;	/* --json: print JSON, no tables */
	int csv;	/* --csv: tables as CSV (RFC 4180, formula-guarded) */
	int quiet;	/* -q: only what a script needs */
	int color;	/* decided once by edu_color_wanted() */
};

/*
 * Whether to colour fp: never with NO_COLOR set (to anything non-empty) or no_color_flag;
 * setting "always" / "never" (the config key), else (NULL, "auto") only on a terminal
 * whose TERM is not "dumb".
 */
int edu_color_wanted(const char *setting, int no_color_flag, FILE *fp);

/* Display cells that s takes on a terminal (control characters count as 0). */
size_t edu_display_width(const char *s);

struct edu_table;

/* headers: ncols strings, or NULL for a table without a header line. */
struct edu_table *edu_table_new(int ncols, const char *const *headers);
/* Adds a row of ncols cells (copied and sanitised; a NULL cell prints as empty). */
void edu_table_add(struct edu_table *t, const char *const *cells);
int edu_table_rows(const struct edu_table *t);
void edu_table_print(const struct edu_table *t, const struct edu_out *o);
void edu_table_free(struct edu_table *t);

/* Prints j as indented JSON and a newline. */
void edu_out_json(const struct edu_out *o, const cJSON *j);
/* Wraps s in the SGR sequence sgr ("1" bold, "31" red...) when o->color (caller frees). */
char *edu_out_style(const struct edu_out *o, const char *sgr, const char *s);

#endif
