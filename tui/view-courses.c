/*
 * Courses: the courses you teach or take, by name; Enter opens a course's lessons. The
 * list is also what :course completes from.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "courses.h"
#include "model.h"
#include "tui.h"
#include "xalloc.h"

static void run_courses(struct edu_api *api, struct tui_job *job)
{
	job->err = edu_courses_list(api, 0, 0, &job->out, &job->ei);
}

static void courses_show(struct view *v, const cJSON *items)
{
	const cJSON *item;
	int i = 0;

	tui_view_clear(v);
	tui_text_line(&v->head, -1);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, "COURSE", 44);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " TERM", 18);
	tui_text_cell(&v->head, TUI_ROLE_HEADER, " YOU ARE", 10);
	cJSON_ArrayForEach(item, items) {
		struct edu_course c;

		if (!edu_course_from_json(&c, item)) {
			tui_text_line(&v->text, i);
			tui_text_cell(&v->text, TUI_ROLE_NORMAL, c.name, 44);
			tui_text_add(&v->text, TUI_ROLE_NORMAL, " ");
			tui_text_cell(&v->text, TUI_ROLE_DIM, c.term, 17);
			tui_text_add(&v->text, TUI_ROLE_NORMAL, " ");
			tui_text_add(&v->text, TUI_ROLE_NORMAL, c.my_role ? c.my_role : "admin");
			if (c.my_role && !strcmp(c.my_role, "teacher"))
				v->tui->teacher = 1;
			if (c.my_role && !strcmp(c.my_role, "student"))
				v->tui->student = 1;
			edu_course_release(&c);
		}
		i++;
	}
}

static void courses_done_job(struct tui *t, struct view *v, struct tui_job *job)
{
	if (job->err) {
		tui_failure(t, "cannot read the courses", job->err, &job->ei);
		return;
	}
	cJSON_Delete(t->courses);
	t->courses = job->out;
	job->out = NULL;
	if (v)
		courses_show(v, t->courses);
}

static void courses_open(struct view *v)
{
	v->empty = "You are in no course yet: a teacher enrols you, or 'edu course join CODE'.";
	tui_job_submit(v->tui, tui_job_new(v, "reading the courses", run_courses,
					   courses_done_job));
}

static void courses_select(struct view *v, int id)
{
	const cJSON *c = cJSON_GetArrayItem(v->tui->courses, id);

	if (c && edu_json_str(c, "id"))
		tui_view_push(v->tui, tui_lessons_view(v->tui, edu_json_str(c, "id"),
						       edu_json_str(c, "name")));
}

const struct view_ops tui_view_courses = {
	.open = courses_open,
	.select = courses_select,
};
