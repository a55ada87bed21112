/*
 * Grades (docs/api.md, "Grading"): read and write one, with the version it was read at
 * (If-Match), its history, releasing an assignment's drafts, and a student's released
 * grades. The model is shared/model/grade.h. Answers are the server's sanitised JSON
 * (caller frees).
 */
#ifndef EDU_GRADES_H
#define EDU_GRADES_H

#include <cjson/cJSON.h>

#include "api.h"
#include "err.h"
#include "model/grade.h"

enum edu_err edu_grade_get(struct edu_api *api, const char *submission_id, cJSON **grade,
			   struct edu_errinfo *ei);
/*
 * PUT a grade with If-Match version (required; "0" for the first grade; NULL is "0").
 * body: {"score"?,"excused"?,"late"?,"missing"?,"comment"?,"rubric"?,"released"?}. On 412
 * (EDU_ERR_CONFLICT) *current (may be NULL) gets the grade as it is now.
 */
enum edu_err edu_grade_put(struct edu_api *api, const char *submission_id, const cJSON *body,
			   const char *version, cJSON **grade, cJSON **current,
			   struct edu_errinfo *ei);
/* The same for a student with or without a submission (missing, excused, a score). */
enum edu_err edu_grade_put_student(struct edu_api *api, const char *assignment_id,
				   const char *student_id, const cJSON *body,
				   const char *version, cJSON **grade, cJSON **current,
				   struct edu_errinfo *ei);
enum edu_err edu_grade_history(struct edu_api *api, const char *submission_id, cJSON **items,
			       struct edu_errinfo *ei);
/* Releases every draft grade of an assignment; *released gets how many. */
enum edu_err edu_grades_release(struct edu_api *api, const char *assignment_id,
				long *released, struct edu_errinfo *ei);
/* The caller's released grades, of one course or (course_id NULL) of all. */
enum edu_err edu_grades_mine(struct edu_api *api, const char *course_id, cJSON **items,
			     struct edu_errinfo *ei);

#endif
