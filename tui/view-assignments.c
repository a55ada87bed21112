/*
 * Assignments: every assignment of every course, due soonest first (undated last), with
 * where you stand on each (to do, overdue, submitted, graded); Enter opens one. The
 * Grading view (view-grading.c) reads the same overview, for the teacher's side.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "model.h"
#include "overview.h"
#include "tui.h"
#include "xalloc.h"


static int by_due(const void *a, const void *b)
{
	const char *da = edu_json_str(*(const cJSON *const *)a, "due_at");
	const char *db = edu_json_str(*(const cJSON *const *)b, "due_at");

	if (!da || !db)
		return !da - !db;
	return strcmp(da, db);
}

/* "to do", "overdue", "submitted late", "graded 8/10" and its role. */
static enum tui_role status_text(const cJSON *a, char *buf, size_t size)
{
	const cJSON *mine = cJSON_GetObjectItemCaseSensitive(a, "mine");
	const char *status = edu_json_str(mine, "status");
	char score[32], pts[32];
	double s;

	if (!mine) {
		snprintf(buf, size, "%s", edu_json_bool(a, "published", 0) ? "published" : "draft");
		return TUI_ROLE_DIM;
	}
	if (!status)
		status = "?";
	if (!strcmp(status, "todo")) {
		snprintf(buf, size, "to do");
		return TUI_ROLE_WARN;
	}
	if (!strcmp(status, "overdue")) {
		snprintf(buf, size, "overdue");
		return TUI_ROLE_BAD;
	}
	if (!strcmp(status, "submitted")) {
		snprintf(buf, size, "submitted%s", edu_json_bool(mine, "late", 0) ? " late" : "");
		return TUI_ROLE_NORMAL;
	}
	if (!strcmp(status, "graded") && edu_json_opt_num(mine, "score", &s)) {
		snprintf(buf, size, "graded %s/%s", edu_fmt_num(s, score),
			 edu_fmt_num(edu_json_num(a, "points_possible", 0), pts));
		return TUI_ROLE_OK;
	}
	snprintf(buf, size, "%s", status);
	return TUI_ROLE_NORMAL;
}

static void alist_show(struct view *v)
{
	struct tui_alist *al = v->priv;
	const cJSON *a;
	int n = 0;

	free(al->items);
	al->items = xcalloc((size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
		al->overview, "assignments")) + 1, sizeof(*al->items));
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(al->overview, "assignments"))
		al->items[n++] = a;
	al->n = n;
	qsort(al->items, (size_t)n, sizeof(*al->items), by_due);
	tui_view_clear(v);
	tui_text_line(&v->head, -1);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, "DUE", 17);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " ASSIGNMENT", 35);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " COURSE", 19);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " STATUS", 16);
	for (int i = 0; i < n; i++) {
		const cJSON *item = al->items[i];
		char due[64], status[96];
		enum tui_role role = status_text(item, status, sizeof(status));
		const char *d = edu_json_str(item, "due_at");

		tui_text_line(&v->text, i);
		tui_text_cell(&v->text, TUI_ROLE_DIM, d ? edu_fmt_time(d, due) : "no due date", 17);
		tui_text_add(&v->text, TUI_ROLE_NORMAL, " ");
		tui_text_cell(&v->text, TUI_ROLE_NORMAL, edu_json_str(item, "title"), 34);
		tui_text_add(&v->text, TUI_ROLE_NORMAL, " ");
		tui_text_cell(&v->text, TUI_ROLE_DIM, edu_json_str(cJSON_GetObjectItemCaseSensitive(
			item, "_course"), "name"), 18);
		tui_text_add(&v->text, TUI_ROLE_NORMAL, " ");
		tui_text_add(&v->text, role, status);
	}
}

static void alist_job_done(struct tui *t, struct view *v, struct tui_job *job)
{
	if (tui_overview_done(t, v, job))
		alist_show(v);
}

static void alist_open(struct view *v)
{
	v->empty = "No assignments in your courses.";
	tui_job_submit(v->tui, tui_job_new(v, "reading your assignments", tui_run_overview,
					   alist_job_done));
}

static void alist_select(struct view *v, int id)
{
	struct tui_alist *al = v->priv;

	if (id >= 0 && id < al->n)
		tui_view_push(v->tui, tui_assignment_view(v->tui, al->items[id]));
}

static void alist_new(struct view *v)
{
	if (!v->priv)
		v->priv = xcalloc(1, sizeof(struct tui_alist));
	alist_open(v);
}

const struct view_ops tui_view_assignments = {
	.open = alist_new,
	.select = alist_select,
	.done = tui_alist_free,
};
