/*
 * An assignment's submissions for its teacher: every student's latest attempt, those
 * without a grade first; Enter opens one in the grading form (view-submission.c), which
 * asks this list for the next ungraded one after each save.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "model.h"
#include "submissions.h"
#include "tui.h"
#include "xalloc.h"

struct slist {
	char *assignment_id;
	cJSON *items;		/* sorted: ungraded first, then by user name */
	char **graded;		/* graded here since the list was read */
	int ngraded;
};

static int graded(const struct slist *sl, const cJSON *item)
{
	const char *id = edu_json_str(item, "id");

	if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(item, "grade")) &&
	    edu_json_num(cJSON_GetObjectItemCaseSensitive(item, "grade"), "version", 0) > 0)
		return 1;
	for (int i = 0; id && i < sl->ngraded; i++)
		if (!strcmp(sl->graded[i], id))
			return 1;
	return 0;
}

static int ungraded_first(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	int gx = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(x, "grade"));
	int gy = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(y, "grade"));
	const char *ux = edu_json_str(cJSON_GetObjectItemCaseSensitive(x, "student"), "username");
	const char *uy = edu_json_str(cJSON_GetObjectItemCaseSensitive(y, "student"), "username");

	if (gx != gy)
		return gx - gy;
	return strcmp(ux ? ux : "", uy ? uy : "");
}

/* Sorts a cJSON array in place, through an array of its items. */
static void sort_items(cJSON *array)
{
	int n = cJSON_GetArraySize(array), i = 0;
	cJSON **items = xcalloc((size_t)n + 1, sizeof(*items)), *item;

	while ((item = cJSON_DetachItemFromArray(array, 0)))
		items[i++] = item;
	qsort(items, (size_t)i, sizeof(*items), ungraded_first);
	for (int k = 0; k < i; k++)
		cJSON_AddItemToArray(array, items[k]);
	free(items);
}

static void slist_show(struct view *v)
{
	struct slist *sl = v->priv;
	const cJSON *item;
	int i = 0, keep = tui_view_cursor_id(v);

	tui_view_clear(v);
	tui_text_line(&v->head, -1);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, "GRADE", 14);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " STUDENT", 16);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " NAME", 25);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " TRY", 5);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " HANDED IN", 18);
	cJSON_ArrayForEach(item, sl->items) {
		struct edu_submission s;
		char when[64], *score = NULL;

		if (edu_submission_from_json(&s, item)) {
			i++;
			continue;
		}
		if (s.grade && s.grade->version > 0)
			score = edu_fmt_score(s.grade, 0);
		tui_text_line(&v->text, i);
		if (score)
			tui_text_cell(&v->text, s.grade->released ? TUI_ROLE_OK : TUI_ROLE_NORMAL,
				      s.grade->released ? score : "draft", 14);
		else
			tui_text_cell(&v->text, graded(sl, item) ? TUI_ROLE_OK : TUI_ROLE_WARN,
				      graded(sl, item) ? "graded" : "to grade", 14);
		tui_text_add(&v->text, TUI_ROLE_NORMAL, " ");
		tui_text_cell(&v->text, TUI_ROLE_NORMAL, s.student.username, 15);
		tui_text_add(&v->text, TUI_ROLE_NORMAL, " ");
		tui_text_cell(&v->text, TUI_ROLE_DIM, s.student.display_name, 24);
		tui_text_addf(&v->text, TUI_ROLE_NORMAL, " %3d  ", s.attempt);
		tui_text_add(&v->text, TUI_ROLE_DIM, edu_fmt_time(s.submitted_at, when));
		if (s.late)
			tui_text_add(&v->text, TUI_ROLE_WARN, " late");
		free(score);
		edu_submission_release(&s);
		i++;
	}
	if (keep >= 0)
		tui_view_goto_id(v, keep);
}

static void run_list(struct edu_api *api, struct tui_job *job)
{
	job->err = edu_submissions_list(api, job->id[0], 0, &job->out, &job->ei);
}

static void list_done(struct tui *t, struct view *v, struct tui_job *job)
{
	struct slist *sl;

	if (job->err) {
		tui_failure(t, "cannot read the submissions", job->err, &job->ei);
		return;
	}
	if (!v)
		return;
	sl = v->priv;
	cJSON_Delete(sl->items);
	sl->items = job->out;
	job->out = NULL;
	sort_items(sl->items);
	for (int i = 0; i < sl->ngraded; i++)
		free(sl->graded[i]);
	sl->ngraded = 0;
	slist_show(v);
}

static void slist_open(struct view *v)
{
	struct slist *sl = v->priv;
	struct tui_job *job = tui_job_new(v, "reading the submissions", run_list, list_done);

	v->empty = "Nobody has handed anything in yet.";
	job->id[0] = xstrdup(sl->assignment_id);
	tui_job_submit(v->tui, job);
}

static void slist_select(struct view *v, int id)
{
	struct slist *sl = v->priv;
	const char *sid = edu_json_str(cJSON_GetArrayItem(sl->items, id), "id");

	if (sid)
		tui_view_push(v->tui, tui_submission_view_in(v->tui, sid, v));
}

static void slist_done(struct view *v)
{
	struct slist *sl = v->priv;

	for (int i = 0; i < sl->ngraded; i++)
		free(sl->graded[i]);
	free(sl->graded);
	cJSON_Delete(sl->items);
	free(sl->assignment_id);
	free(sl);
}

const struct view_ops tui_view_submissions = {
	.open = slist_open,
	.select = slist_select,
	.done = slist_done,
};

struct view *tui_submissions_view(struct tui *t, const char *assignment_id, const char *title)
{
	struct slist *sl = xcalloc(1, sizeof(*sl));

	sl->assignment_id = xstrdup(assignment_id ? assignment_id : "");
	return tui_view_new(t, "submissions", title, sl);
}

/*
 * For the grading form: notes that id was graded, and gives the next submission after it
 * that has no grade (caller frees), NULL when none is left.
 */
char *tui_submissions_next(struct view *v, const char *id, int now_graded)
{
	struct slist *sl = v->priv;
	const cJSON *item;
	int after = 0;

	if (now_graded) {
		sl->graded = xrealloc(sl->graded, (size_t)(sl->ngraded + 1) * sizeof(char *));
		sl->graded[sl->ngraded++] = xstrdup(id);
		slist_show(v);
	}
	for (int pass = 0; pass < 2; pass++) {
		cJSON_ArrayForEach(item, sl->items) {
			const char *sid = edu_json_str(item, "id");

			if (!sid)
				continue;
			if (!strcmp(sid, id)) {
				after = 1;
				continue;
			}
			if ((after || pass) && !graded(sl, item))
				return xstrdup(sid);
		}
	}
	return NULL;
}
