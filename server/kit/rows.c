/* The rows several resources read (see rows.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kit/rows.h"
#include "model.h"
#include "xalloc.h"

/* A stored file, its strings pointing into res (do not release it). */
static void file_from_row(struct edu_file *f, const PGresult *res, int row, int col)
{
	f->id = (char *)db_str(res, row, col + SRV_FILE_ID);
	f->filename = (char *)db_str(res, row, col + SRV_FILE_FILENAME);
	f->size = db_llong(res, row, col + SRV_FILE_SIZE);
	f->sha256 = (char *)db_str(res, row, col + SRV_FILE_SHA256);
	f->mime = (char *)db_str(res, row, col + SRV_FILE_MIME);
	f->created_at = (char *)db_str(res, row, col + SRV_FILE_CREATED_AT);
}

cJSON *srv_file_json(const PGresult *res, int row, int col)
{
	struct edu_file f;

	file_from_row(&f, res, row, col);
	return edu_file_to_json(&f);
}

int srv_files_from_row(struct edu_file **files, const PGresult *res, int row, int col)
{
	cJSON *list = cJSON_Parse(db_str(res, row, col)), *f;
	int n = 0;

	*files = cJSON_GetArraySize(list) > 0
		 ? xcalloc((size_t)cJSON_GetArraySize(list), sizeof(**files)) : NULL;
	cJSON_ArrayForEach(f, list)
		if (edu_file_from_json(&(*files)[n], f) == 0)
			n++;
	cJSON_Delete(list);
	return n;
}

void srv_assignment_from_row(struct edu_assignment *a, const PGresult *res, int row, int col)
{
	cJSON *types = cJSON_Parse(db_str(res, row, col + SRV_ASSIGNMENT_ALLOWED_TYPES)), *t;

	memset(a, 0, sizeof(*a));
	a->id = db_dup(res, row, col + SRV_ASSIGNMENT_ID);
	a->course_id = db_dup(res, row, col + SRV_ASSIGNMENT_COURSE_ID);
	a->title = db_dup(res, row, col + SRV_ASSIGNMENT_TITLE);
	a->instructions = db_dup(res, row, col + SRV_ASSIGNMENT_INSTRUCTIONS);
	a->due_at = db_dup(res, row, col + SRV_ASSIGNMENT_DUE_AT);
	a->points_possible = db_double(res, row, col + SRV_ASSIGNMENT_POINTS_POSSIBLE);
	a->category = db_dup(res, row, col + SRV_ASSIGNMENT_CATEGORY);
	a->submission_kind = db_dup(res, row, col + SRV_ASSIGNMENT_SUBMISSION_KIND);
	if (cJSON_GetArraySize(types) > 0)
		a->allowed_types = xcalloc((size_t)cJSON_GetArraySize(types),
					   sizeof(*a->allowed_types));
	cJSON_ArrayForEach(t, types)
		if (cJSON_IsString(t))
			a->allowed_types[a->nallowed_types++] = xstrdup(t->valuestring);
	cJSON_Delete(types);
	a->max_file_size = db_llong(res, row, col + SRV_ASSIGNMENT_MAX_FILE_SIZE);
	a->late_policy = db_dup(res, row, col + SRV_ASSIGNMENT_LATE_POLICY);
	a->published = db_bool(res, row, col + SRV_ASSIGNMENT_PUBLISHED);
	a->version = db_long(res, row, col + SRV_ASSIGNMENT_VERSION);
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
	if (db_null(res, row, col + SRV_GRADE_ASSIGNMENT_ID))
		return -1;
	g->assignment_id = db_dup(res, row, col + SRV_GRADE_ASSIGNMENT_ID);
	g->student_id = db_dup(res, row, col + SRV_GRADE_STUDENT_ID);
	g->submission_id = db_dup(res, row, col + SRV_GRADE_SUBMISSION_ID);
	if ((g->has_score = !db_null(res, row, col + SRV_GRADE_SCORE)))
		g->score = db_double(res, row, col + SRV_GRADE_SCORE);
	if ((g->has_rubric_score = !db_null(res, row, col + SRV_GRADE_RUBRIC_SCORE)))
		g->rubric_score = db_double(res, row, col + SRV_GRADE_RUBRIC_SCORE);
	g->excused = db_bool(res, row, col + SRV_GRADE_EXCUSED);
	g->late = db_bool(res, row, col + SRV_GRADE_LATE);
	g->missing = db_bool(res, row, col + SRV_GRADE_MISSING);
	g->comment = db_dup(res, row, col + SRV_GRADE_COMMENT);
	g->released = db_bool(res, row, col + SRV_GRADE_RELEASED);
	g->graded_by = db_dup(res, row, col + SRV_GRADE_GRADED_BY);
	g->graded_at = db_dup(res, row, col + SRV_GRADE_GRADED_AT);
	g->version = db_long(res, row, col + SRV_GRADE_VERSION);
	rubric = cJSON_Parse(db_str(res, row, col + SRV_GRADE_RUBRIC));
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
	cJSON *j;

	memset(&s, 0, sizeof(s));
	s.id = db_dup(res, row, col + SRV_SUBMISSION_ID);
	s.assignment_id = db_dup(res, row, col + SRV_SUBMISSION_ASSIGNMENT_ID);
	s.student.id = db_dup(res, row, col + SRV_SUBMISSION_STUDENT_ID);
	s.student.username = db_dup(res, row, col + SRV_SUBMISSION_STUDENT_USERNAME);
	s.student.display_name = db_dup(res, row, col + SRV_SUBMISSION_STUDENT_NAME);
	s.attempt = (int)db_long(res, row, col + SRV_SUBMISSION_ATTEMPT);
	s.text = db_dup(res, row, col + SRV_SUBMISSION_TEXT);
	s.submitted_at = db_dup(res, row, col + SRV_SUBMISSION_SUBMITTED_AT);
	s.late = db_bool(res, row, col + SRV_SUBMISSION_LATE);
	s.nfiles = srv_files_from_row(&s.files, res, row, col + SRV_SUBMISSION_FILES);
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
