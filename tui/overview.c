/*
 * The overview: every assignment of every course of the user, each with its course, in one
 * job. It gives the status line its counts (work to grade for a teacher, work due for a
 * student), and the Assignments and Grading views their lists.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "assignments.h"
#include "courses.h"
#include "model.h"
#include "overview.h"
#include "tui.h"

void tui_run_overview(struct edu_api *api, struct tui_job *job)
{
	cJSON *courses = NULL, *all;
	const cJSON *c;

	job->err = edu_courses_list(api, 0, 0, &courses, &job->ei);
	if (job->err)
		return;
	job->out = cJSON_CreateObject();
	all = cJSON_AddArrayToObject(job->out, "assignments");
	cJSON_ArrayForEach(c, courses) {
		const char *id = edu_json_str(c, "id");
		cJSON *items = NULL, *item;

		if (!id)
			continue;
		job->err = edu_assignments_list(api, id, &items, &job->ei);
		if (job->err)
			break;
		while ((item = cJSON_DetachItemFromArray(items, 0))) {
			cJSON *course = cJSON_AddObjectToObject(item, "_course");

			cJSON_AddStringToObject(course, "id", id);
			edu_json_add_str(course, "name", edu_json_str(c, "name"));
			edu_json_add_str(course, "my_role", edu_json_str(c, "my_role"));
			cJSON_AddItemToArray(all, item);
		}
		cJSON_Delete(items);
	}
	cJSON_AddItemToObject(job->out, "courses", courses);
}

void tui_overview_apply(struct tui *t, const cJSON *out)
{
	const cJSON *a;
	int to_grade = 0, due = 0;

	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(out, "assignments")) {
		const char *role = edu_json_str(cJSON_GetObjectItemCaseSensitive(a, "_course"),
						"my_role");
		const cJSON *work = cJSON_GetObjectItemCaseSensitive(a, "work");
		const char *status = edu_json_str(cJSON_GetObjectItemCaseSensitive(a, "mine"),
						  "status");

		if (role && !strcmp(role, "teacher"))
			t->teacher = 1;
		if (role && !strcmp(role, "student"))
			t->student = 1;
		if (work)
			to_grade += (int)edu_json_num(work, "to_grade", 0);
		if (status && (!strcmp(status, "todo") || !strcmp(status, "overdue")))
			due++;
	}
	t->to_grade = to_grade;
	t->due = due;
	t->need_redraw = 1;
}

static void overview_done(struct tui *t, struct view *v, struct tui_job *job)
{
	if (job->err)
		tui_failure(t, "cannot read your assignments", job->err, &job->ei);
	else
		tui_overview_apply(t, job->out);
}

void tui_refresh_counts(struct tui *t)
{
	tui_job_submit(t, tui_job_new(NULL, "reading your assignments", tui_run_overview,
				      overview_done));
}

int tui_overview_done(struct tui *t, struct view *v, struct tui_job *job)
{
	struct tui_alist *al;

	if (job->err) {
		tui_failure(t, "cannot read your assignments", job->err, &job->ei);
		return 0;
	}
	tui_overview_apply(t, job->out);
	if (!v)
		return 0;
	al = v->priv;
	cJSON_Delete(al->overview);
	al->overview = job->out;
	job->out = NULL;
	return 1;
}

void tui_alist_free(struct view *v)
{
	struct tui_alist *al = v->priv;

	if (!al)
		return;
	cJSON_Delete(al->overview);
	free(al->items);
	free(al);
}
