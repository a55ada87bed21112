/*
 * Courses (docs/api.md, "Courses"): a typed call for every endpoint of /courses, and
 * turning an id or its start into a course id. The model is shared/model/course.h.
 *
 * Calls hand the server's sanitised JSON to the caller (who frees it with cJSON_Delete), so
 * --json prints the objects as they came, and views read them through the model:
 *
 *	cJSON *j;
 *	struct edu_course c;
 *	if (!edu_course_get(api, id, &j, &ei) && !edu_course_from_json(&c, j))
 *		...c.name...
 *	edu_course_release(&c);
 *	cJSON_Delete(j);
 */
#ifndef EDU_COURSES_H
#define EDU_COURSES_H

#include <cjson/cJSON.h>

#include "api.h"
#include "err.h"
#include "model/course.h"

/* all: every course of the school (admins); archived: archived ones. */
enum edu_err edu_courses_list(struct edu_api *api, int all, int archived, cJSON **items,
			      struct edu_errinfo *ei);
enum edu_err edu_course_create(struct edu_api *api, const char *name, const char *description,
			       const char *term, cJSON **course, struct edu_errinfo *ei);
enum edu_err edu_course_get(struct edu_api *api, const char *id, cJSON **course,
			    struct edu_errinfo *ei);
/* PATCH with fields; version NULL: no If-Match. */
enum edu_err edu_course_update(struct edu_api *api, const char *id, const cJSON *fields,
			       const char *version, cJSON **course, struct edu_errinfo *ei);
/* shift_days is sent when has_shift; clear_dates when nonzero; name, term may be NULL. */
enum edu_err edu_course_copy(struct edu_api *api, const char *id, const char *name,
			     const char *term, int has_shift, long shift_days, int clear_dates,
			     cJSON **course, struct edu_errinfo *ei);
enum edu_err edu_course_join(struct edu_api *api, const char *code, cJSON **course,
			     struct edu_errinfo *ei);
/* Every student's progress through the lessons: {"student","done","total"}. */
enum edu_err edu_course_progress(struct edu_api *api, const char *id, cJSON **items,
				 struct edu_errinfo *ei);
/*
 * Turns an id or a unique prefix of one (at least 8 characters) into the full id (caller
 * frees), looking through the caller's courses, then archived ones, then (admins) the whole
 * school's. EDU_ERR_NOT_FOUND or EDU_ERR_USAGE (more than one matches) with a message.
 */
enum edu_err edu_course_resolve(struct edu_api *api, const char *idish, char **id,
				struct edu_errinfo *ei);

#endif
