/* The rows several resources read (see rows.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "coursework.h"
#include "kit/rows.h"
#include "model.h"
#include "xalloc.h"

static char *val(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

static int is_true(const PGresult *res, int row, int col)
{
	return !PQgetisnull(res, row, col) && PQgetvalue(res, row, col)[0] == 't';
}

cJSON *srv_file_json(const PGresult *res, int row, int col)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "id", PQgetvalue(res, row, col));
	cJSON_AddStringToObject(j, "filename", PQgetvalue(res, row, col + 1));
	cJSON_AddNumberToObject(j, "size", strtod(PQgetvalue(res, row, col + 2), NULL));
	cJSON_AddStringToObject(j, "sha256", PQgetvalue(res, row, col + 3));
	cJSON_AddStringToObject(j, "mime", PQgetvalue(res, row, col + 4));
	cJSON_AddStringToObject(j, "created_at", PQgetvalue(res, row, col + 5));
	return j;
}

void srv_assignment_from_row(struct edu_assignment *a, const PGresult *res, int row, int col)
{
	cJSON *types = cJSON_Parse(PQgetvalue(res, row, col + 8)), *t;

	memset(a, 0, sizeof(*a));
	a->id = val(res, row, col);
	a->course_id = val(res, row, col + 1);
	a->title = val(res, row, col + 2);
	a->instructions = val(res, row, col + 3);
	a->due_at = val(res, row, col + 4);
	a->points_possible = strtod(PQgetvalue(res, row, col + 5), NULL);
	a->category = val(res, row, col + 6);
	a->submission_kind = val(res, row, col + 7);
	if (cJSON_GetArraySize(types) > 0)
		a->allowed_types = xcalloc((size_t)cJSON_GetArraySize(types),
					   sizeof(*a->allowed_types));
	cJSON_ArrayForEach(t, types)
		if (cJSON_IsString(t))
			a->allowed_types[a->nallowed_types++] = xstrdup(t->valuestring);
	cJSON_Delete(types);
	a->max_file_size = strtoll(PQgetvalue(res, row, col + 9), NULL, 10);
	a->late_policy = val(res, row, col + 10);
	a->published = is_true(res, row, col + 11);
	a->version = atol(PQgetvalue(res, row, col + 12));
}

cJSON *srv_assignment_json(const PGresult *res, int row, int col)
{
	struct edu_assignment a;
	cJSON *j;

	srv_assignment_from_row(&a, res, row, col);
	j = edu_assignment_to_json(&a);
	edu_assignment_release(&a);
	return j;
}

int srv_grade_from_row(struct edu_grade *g, const PGresult *res, int row, int col)
{
	cJSON *rubric, *c;

	memset(g, 0, sizeof(*g));
	if (PQgetisnull(res, row, col))
		return -1;
	g->assignment_id = val(res, row, col);
	g->student_id = val(res, row, col + 1);
	g->submission_id = val(res, row, col + 2);
	if ((g->has_score = !PQgetisnull(res, row, col + 3)))
		g->score = strtod(PQgetvalue(res, row, col + 3), NULL);
	if ((g->has_rubric_score = !PQgetisnull(res, row, col + 4)))
		g->rubric_score = strtod(PQgetvalue(res, row, col + 4), NULL);
	g->excused = is_true(res, row, col + 5);
	g->late = is_true(res, row, col + 6);
	g->missing = is_true(res, row, col + 7);
	g->comment = val(res, row, col + 8);
	g->released = is_true(res, row, col + 9);
	g->graded_by = val(res, row, col + 10);
	g->graded_at = val(res, row, col + 11);
	g->version = atol(PQgetvalue(res, row, col + 12));
	rubric = cJSON_Parse(PQgetvalue(res, row, col + 13));
	if (cJSON_GetArraySize(rubric) > 0)
		g->rubric = xcalloc((size_t)cJSON_GetArraySize(rubric), sizeof(*g->rubric));
	cJSON_ArrayForEach(c, rubric) {
		struct edu_rubric_choice *rc = &g->rubric[g->nrubric++];

		rc->criterion_id = xstrdup(edu_json_str(c, "criterion_id") ?: "");
		rc->level_id = xstrdup(edu_json_str(c, "level_id") ?: "");
		rc->points = edu_json_num(c, "points", 0);
	}
	cJSON_Delete(rubric);
	return 0;
}

void srv_grade_blank(struct edu_grade *g, const char *assignment_id, const char *student_id)
{
	memset(g, 0, sizeof(*g));
	g->assignment_id = xstrdup(assignment_id);
	g->student_id = xstrdup(student_id);
}

cJSON *srv_submission_json(const PGresult *res, int row, int col, int gcol, int released_only)
{
	struct edu_submission s;
	struct edu_grade g;
	cJSON *files, *f, *j;

	memset(&s, 0, sizeof(s));
	s.id = val(res, row, col);
	s.assignment_id = val(res, row, col + 1);
	s.student.id = val(res, row, col + 2);
	s.student.username = val(res, row, col + 3);
	s.student.display_name = val(res, row, col + 4);
	s.attempt = atoi(PQgetvalue(res, row, col + 5));
	s.text = val(res, row, col + 6);
	s.submitted_at = val(res, row, col + 7);
	s.late = is_true(res, row, col + 8);
	files = cJSON_Parse(PQgetvalue(res, row, col + 9));
	if (cJSON_GetArraySize(files) > 0)
		s.files = xcalloc((size_t)cJSON_GetArraySize(files), sizeof(*s.files));
	cJSON_ArrayForEach(f, files)
		if (edu_file_from_json(&s.files[s.nfiles], f) == 0)
			s.nfiles++;
	cJSON_Delete(files);
	if (gcol >= 0 && srv_grade_from_row(&g, res, row, gcol) == 0) {
		if (g.released || !released_only) {
			s.grade = xmalloc(sizeof(*s.grade));
			*s.grade = g;
		} else {
			edu_grade_release(&g);
		}
	}
	j = edu_submission_to_json(&s);
	edu_submission_release(&s);
	return j;
}
