/* A grade and its history, both ways (see grade.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "grade.h"
#include "json.h"
#include "xalloc.h"

double edu_grade_effective(const struct edu_grade *g, int *has)
{
	*has = g->has_score || g->has_rubric_score;
	return g->has_score ? g->score : g->has_rubric_score ? g->rubric_score : 0;
}

cJSON *edu_grade_to_json(const struct edu_grade *g)
{
	cJSON *j = cJSON_CreateObject(), *rubric;

	edu_json_add_str(j, "assignment_id", g->assignment_id);
	edu_json_add_str(j, "student_id", g->student_id);
	edu_json_add_str(j, "submission_id", g->submission_id);
	edu_json_add_opt_num(j, "score", g->has_score, g->score);
	edu_json_add_opt_num(j, "rubric_score", g->has_rubric_score, g->rubric_score);
	cJSON_AddBoolToObject(j, "excused", g->excused);
	cJSON_AddBoolToObject(j, "late", g->late);
	cJSON_AddBoolToObject(j, "missing", g->missing);
	edu_json_add_str(j, "comment", g->comment);
	rubric = cJSON_AddArrayToObject(j, "rubric");
	for (int i = 0; i < g->nrubric; i++) {
		cJSON *c = cJSON_CreateObject();

		edu_json_add_str(c, "criterion_id", g->rubric[i].criterion_id);
		edu_json_add_str(c, "level_id", g->rubric[i].level_id);
		cJSON_AddNumberToObject(c, "points", g->rubric[i].points);
		cJSON_AddItemToArray(rubric, c);
	}
	cJSON_AddBoolToObject(j, "released", g->released);
	edu_json_add_str(j, "graded_by", g->graded_by);
	edu_json_add_str(j, "graded_at", g->graded_at);
	cJSON_AddNumberToObject(j, "version", (double)g->version);
	return j;
}

int edu_grade_from_json(struct edu_grade *g, const cJSON *j)
{
	const cJSON *rubric, *c;
	int n;

	memset(g, 0, sizeof(*g));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "assignment_id") ||
	    !edu_json_str(j, "student_id"))
		return -1;
	g->assignment_id = edu_json_strdup(j, "assignment_id");
	g->student_id = edu_json_strdup(j, "student_id");
	g->submission_id = edu_json_strdup(j, "submission_id");
	g->has_score = edu_json_opt_num(j, "score", &g->score);
	g->has_rubric_score = edu_json_opt_num(j, "rubric_score", &g->rubric_score);
	g->excused = edu_json_bool(j, "excused", 0);
	g->late = edu_json_bool(j, "late", 0);
	g->missing = edu_json_bool(j, "missing", 0);
	g->comment = edu_json_strdup(j, "comment");
	rubric = edu_json_array(j, "rubric", &n);
	g->rubric = n ? xcalloc((size_t)n, sizeof(*g->rubric)) : NULL;
	cJSON_ArrayForEach(c, rubric) {
		struct edu_rubric_choice *rc = &g->rubric[g->nrubric++];

		rc->criterion_id = edu_json_strdup(c, "criterion_id");
		rc->level_id = edu_json_strdup(c, "level_id");
		rc->points = edu_json_num(c, "points", 0);
	}
	g->released = edu_json_bool(j, "released", 0);
	g->graded_by = edu_json_strdup(j, "graded_by");
	g->graded_at = edu_json_strdup(j, "graded_at");
	g->version = edu_json_long(j, "version", 0);
	return 0;
}

void edu_grade_release(struct edu_grade *g)
{
	free(g->assignment_id);
	free(g->student_id);
	free(g->submission_id);
	free(g->comment);
	for (int i = 0; i < g->nrubric; i++) {
		free(g->rubric[i].criterion_id);
		free(g->rubric[i].level_id);
	}
	free(g->rubric);
	free(g->graded_by);
	free(g->graded_at);
	memset(g, 0, sizeof(*g));
}

cJSON *edu_grade_change_to_json(const struct edu_grade_change *c)
{
	cJSON *j = cJSON_CreateObject(), *by = cJSON_CreateObject();

	edu_json_add_str(j, "at", c->at);
	edu_json_add_str(by, "id", c->by.id);
	edu_json_add_str(by, "username", c->by.username);
	cJSON_AddItemToObject(j, "by", by);
	if (c->old)
		cJSON_AddItemToObject(j, "old", edu_grade_to_json(c->old));
	else
		cJSON_AddNullToObject(j, "old");
	cJSON_AddItemToObject(j, "new", edu_grade_to_json(&c->new_));
	return j;
}

int edu_grade_change_from_json(struct edu_grade_change *c, const cJSON *j)
{
	const cJSON *old;

	memset(c, 0, sizeof(*c));
	if (!cJSON_IsObject(j) ||
	    edu_grade_from_json(&c->new_, cJSON_GetObjectItemCaseSensitive(j, "new")) < 0)
		return -1;
	c->at = edu_json_strdup(j, "at");
	edu_person_from_json(&c->by, cJSON_GetObjectItemCaseSensitive(j, "by"));
	old = cJSON_GetObjectItemCaseSensitive(j, "old");
	if (cJSON_IsObject(old)) {
		c->old = xmalloc(sizeof(*c->old));
		if (edu_grade_from_json(c->old, old) < 0) {
			free(c->old);
			c->old = NULL;
		}
	}
	return 0;
}

void edu_grade_change_release(struct edu_grade_change *c)
{
	free(c->at);
	edu_person_release(&c->by);
	if (c->old) {
		edu_grade_release(c->old);
		free(c->old);
	}
	edu_grade_release(&c->new_);
	memset(c, 0, sizeof(*c));
}
