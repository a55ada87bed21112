/*
 * Grading: the assignments of the courses you teach, those with the most work waiting
 * first; Enter opens one's submissions (view-submissions.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "model.h"
#include "overview.h"
#include "tui.h"
#include "xalloc.h"


static int to_grade(const cJSON *a)
{
	return (int)edu_json_num(cJSON_GetObjectItemCaseSensitive(a, "work"), "to_grade", 0);
}

static int by_work(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	const char *dx = edu_json_str(x, "due_at"), *dy = edu_json_str(y, "due_at");

	if (to_grade(x) != to_grade(y))
		return to_grade(y) - to_grade(x);
	if (!dx || !dy)
		return !dx - !dy;
	return strcmp(dx, dy);
}

static void glist_show(struct view *v)
{
	struct tui_alist *gl = v->priv;
	const cJSON *a;
	int n = 0;

	free(gl->items);
	gl->items = xcalloc((size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
		gl->overview, "assignments")) + 1, sizeof(*gl->items));
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(gl->overview, "assignments"))
		if (cJSON_GetObjectItemCaseSensitive(a, "work"))
			gl->items[n++] = a;
	gl->n = n;
	qsort(gl->items, (size_t)n, sizeof(*gl->items), by_work);
	tui_view_clear(v);
	v->empty = "No assignments of courses you teach.";
	tui_text_line(&v->head, -1);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, "TO GRADE", 9);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " HANDED IN", 11);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " ASSIGNMENT", 35);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " COURSE", 19);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " DUE", 17);
	for (int i = 0; i < n; i++) {
		const cJSON *item = gl->items[i];
		const cJSON *work = cJSON_GetObjectItemCaseSensitive(item, "work");
		const char *d = edu_json_str(item, "due_at");
		char left[16], handed[32], due[64];

		snprintf(left, sizeof(left), "%d", to_grade(item));
		snprintf(handed, sizeof(handed), "%d/%d", (int)edu_json_num(work, "handed_in", 0),
			 (int)edu_json_num(work, "students", 0));
		tui_text_line(&v->text, i);
		tui_text_cell(&v->text, to_grade(item) ? TUI_ROLE_WARN : TUI_ROLE_DIM, left, 9);
		tui_text_add(&v->text, TUI_ROLE_NORMAL, " ");
		tui_text_cell(&v->text, TUI_ROLE_NORMAL, handed, 10);
		tui_text_add(&v->text, TUI_ROLE_NORMAL, " ");
		tui_text_cell(&v->text, TUI_ROLE_NORMAL, edu_json_str(item, "title"), 34);
		tui_text_add(&v->text, TUI_ROLE_NORMAL, " ");
		tui_text_cell(&v->text, TUI_ROLE_DIM, edu_json_str(cJSON_GetObjectItemCaseSensitive(
			item, "_course"), "name"), 18);
		tui_text_add(&v->text, TUI_ROLE_NORMAL, " ");
		tui_text_add(&v->text, TUI_ROLE_DIM, d ? edu_fmt_time(d, due) : "");
	}
}

static void glist_job_done(struct tui *t, struct view *v, struct tui_job *job)
{
	if (tui_overview_done(t, v, job))
		glist_show(v);
}

static void glist_open(struct view *v)
{
	if (!v->priv)
		v->priv = xcalloc(1, sizeof(struct tui_alist));
	v->empty = "No assignments of courses you teach.";
	tui_job_submit(v->tui, tui_job_new(v, "reading your assignments", tui_run_overview,
					   glist_job_done));
}

static void glist_select(struct view *v, int id)
{
	struct tui_alist *gl = v->priv;

	if (id >= 0 && id < gl->n)
		tui_view_push(v->tui, tui_submissions_view(v->tui, edu_json_str(gl->items[id], "id"),
							   edu_json_str(gl->items[id], "title")));
}

const struct view_ops tui_view_grading = {
	.open = glist_open,
	.select = glist_select,
	.done = tui_alist_free,
};
