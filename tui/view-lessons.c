/* A course's lessons in order, with a student's done marks; Enter opens one. */
#include "config.h"

#include <stdlib.h>

#include "lessons.h"
#include "model.h"
#include "tui.h"
#include "xalloc.h"

struct lessons {
	char *course_id;
	cJSON *items;
};


static void run_lessons(struct edu_api *api, struct tui_job *job)
{
	job->err = edu_lessons_list(api, job->id[0], &job->out, &job->ei);
}

static void lessons_show(struct view *v)
{
	struct lessons *ls = v->priv;
	const cJSON *item;
	int i = 0;

	tui_view_clear(v);
	tui_text_line(&v->head, -1);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, "  #", 4);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " LESSON", 50);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " DONE", 6);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " FILES", 6);
	cJSON_ArrayForEach(item, ls->items) {
		struct edu_lesson l;
		char pos[16];

		if (!edu_lesson_from_json(&l, item)) {
			snprintf(pos, sizeof(pos), "%3ld ", l.position);
			tui_text_line(&v->text, i);
			tui_text_add(&v->text, TUI_ROLE_DIM, pos);
			tui_text_cell(&v->text, TUI_ROLE_NORMAL, l.title, 50);
			tui_text_add(&v->text, TUI_ROLE_NORMAL, " ");
			tui_text_cell(&v->text, l.done > 0 ? TUI_ROLE_OK : TUI_ROLE_DIM,
				      l.done < 0 ? "" : l.done ? "done" : "-", 6);
			if (l.nattachments)
				tui_text_addf(&v->text, TUI_ROLE_NORMAL, "%d", l.nattachments);
			edu_lesson_release(&l);
		}
		i++;
	}
}

static void lessons_job_done(struct tui *t, struct view *v, struct tui_job *job)
{
	struct lessons *ls;

	if (job->err) {
		tui_failure(t, "cannot read the lessons", job->err, &job->ei);
		return;
	}
	if (!v)
		return;
	ls = v->priv;
	cJSON_Delete(ls->items);
	ls->items = job->out;
	job->out = NULL;
	lessons_show(v);
}

static void lessons_open(struct view *v)
{
	struct lessons *ls = v->priv;
	struct tui_job *job = tui_job_new(v, "reading the lessons", run_lessons,
					  lessons_job_done);

	v->empty = "This course has no lessons yet.";
	job->id[0] = xstrdup(ls->course_id);
	tui_job_submit(v->tui, job);
}

static void lessons_select(struct view *v, int id)
{
	struct lessons *ls = v->priv;
	const cJSON *l = cJSON_GetArrayItem(ls->items, id);

	if (l)
		tui_view_push(v->tui, tui_lesson_view(v->tui, l));
}

static void lessons_done(struct view *v)
{
	struct lessons *ls = v->priv;

	free(ls->course_id);
	cJSON_Delete(ls->items);
	free(ls);
}

const struct view_ops tui_view_lessons = {
	.open = lessons_open,
	.select = lessons_select,
	.done = lessons_done,
};

struct view *tui_lessons_view(struct tui *t, const char *course_id, const char *course_name)
{
	struct lessons *ls = xcalloc(1, sizeof(*ls));

	ls->course_id = xstrdup(course_id);
	return tui_view_new(t, "lessons", course_name, ls);
}
