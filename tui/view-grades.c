/*
 * Grades: a student's released grades, course by course, each with the rubric levels
 * reached and the teacher's comment (what `edu grades` prints, on one page).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "grades.h"
#include "model.h"
#include "rubrics.h"
#include "tui.h"
#include "xalloc.h"

struct grades {
	cJSON *json;	/* {"grades":[...], "rubrics":{ASSIGNMENT_ID: rubric}} */
};

static const char *assignment_id(const cJSON *item)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(item, "assignment");

	return cJSON_IsString(a) ? a->valuestring : edu_json_str(a, "id");
}

static void run_grades(struct edu_api *api, struct tui_job *job)
{
	cJSON *items = NULL, *rubrics;
	const cJSON *item;

	job->err = edu_grades_mine(api, NULL, &items, &job->ei);
	if (job->err)
		return;
	job->out = cJSON_CreateObject();
	cJSON_AddItemToObject(job->out, "grades", items);
	rubrics = cJSON_AddObjectToObject(job->out, "rubrics");
	/* the rubrics name the levels reached */
	cJSON_ArrayForEach(item, items) {
		const char *aid = assignment_id(item);
		int n;
		cJSON *r = NULL;

		edu_json_array(cJSON_GetObjectItemCaseSensitive(item, "grade"), "rubric", &n);
		if (!aid || !n || cJSON_GetObjectItemCaseSensitive(rubrics, aid))
			continue;
		if (!edu_rubric_get(api, aid, &r, NULL))
			cJSON_AddItemToObject(rubrics, aid, r);
	}
}

static void grades_layout(struct view *v, int width)
{
	struct grades *gs = v->priv;
	const cJSON *item;
	const char *course = NULL;

	tui_view_clear(v);
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(gs->json, "grades")) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(item, "assignment");
		const char *cname = edu_json_str(cJSON_GetObjectItemCaseSensitive(item, "course"),
						 "name");
		const cJSON *rj = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
			gs->json, "rubrics"), assignment_id(item) ? assignment_id(item) : "");
		struct edu_rubric r = { 0 };
		int have_rubric = rj && !edu_rubric_from_json(&r, rj);
		struct edu_grade g;
		char when[64], *score;

		if (edu_grade_from_json(&g, cJSON_GetObjectItemCaseSensitive(item, "grade"))) {
			if (have_rubric)
				edu_rubric_release(&r);
			continue;
		}
		if (!course || !cname || strcmp(course, cname)) {
			if (v->text.n)
				tui_text_line(&v->text, -1);
			tui_text_line(&v->text, -1);
			tui_text_add(&v->text, TUI_ROLE_HEADING, cname ? cname : "?");
			course = cname;
		}
		score = edu_fmt_score(&g, edu_json_num(a, "points_possible", 0));
		tui_text_line(&v->text, -1);
		tui_text_add(&v->text, TUI_ROLE_NORMAL, "  ");
		tui_text_cell(&v->text, TUI_ROLE_STRONG, cJSON_IsString(a) ? a->valuestring :
			      edu_json_str(a, "title"), 40);
		tui_text_add(&v->text, TUI_ROLE_NORMAL, " ");
		tui_text_cell(&v->text, TUI_ROLE_OK, score, 12);
		tui_text_addf(&v->text, TUI_ROLE_DIM, " graded %s", edu_fmt_time(g.graded_at, when));
		if (g.late)
			tui_text_add(&v->text, TUI_ROLE_WARN, " late");
		if (g.missing)
			tui_text_add(&v->text, TUI_ROLE_BAD, " missing");
		free(score);
		for (int i = 0; i < g.nrubric; i++) {
			const struct edu_rubric_criterion *c;
			const struct edu_rubric_level *l = edu_rubric_level(have_rubric ? &r : NULL,
				g.rubric[i].criterion_id, g.rubric[i].level_id, &c);
			struct edu_rubric one = { .criteria = (struct edu_rubric_criterion *)c,
						  .ncriteria = c ? 1 : 0 };
			char pts[32], max[32];

			tui_text_line(&v->text, -1);
			tui_text_addf(&v->text, TUI_ROLE_NORMAL, "      %s: ", c && c->name ?
				      c->name : "criterion");
			tui_text_add(&v->text, TUI_ROLE_STRONG, l && l->name ? l->name : "?");
			tui_text_addf(&v->text, TUI_ROLE_DIM, " (%s of %s)",
				      edu_fmt_num(g.rubric[i].points, pts),
				      edu_fmt_num(edu_rubric_max_points(&one), max));
		}
		if (g.comment && *g.comment) {
			tui_text_line(&v->text, -1);
			tui_text_add(&v->text, TUI_ROLE_NORMAL, "      comment:");
			tui_text_wrap(&v->text, TUI_ROLE_QUOTE, g.comment, width - 2, 8);
		}
		edu_grade_release(&g);
		if (have_rubric)
			edu_rubric_release(&r);
	}
}

static void grades_job_done(struct tui *t, struct view *v, struct tui_job *job)
{
	struct grades *gs;

	if (job->err) {
		tui_failure(t, "cannot read your grades", job->err, &job->ei);
		return;
	}
	if (!v)
		return;
	gs = v->priv;
	cJSON_Delete(gs->json);
	gs->json = job->out;
	job->out = NULL;
	v->width = 0;
	t->need_redraw = 1;
}

static void grades_open(struct view *v)
{
	if (!v->priv)
		v->priv = xcalloc(1, sizeof(struct grades));
	v->empty = "No released grades yet.";
	tui_job_submit(v->tui, tui_job_new(v, "reading your grades", run_grades,
					   grades_job_done));
}

static void grades_done(struct view *v)
{
	struct grades *gs = v->priv;

	if (!gs)
		return;
	cJSON_Delete(gs->json);
	free(gs);
}

const struct view_ops tui_view_grades = {
	.open = grades_open,
	.layout = grades_layout,
	.done = grades_done,
};
