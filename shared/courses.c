/* Courses: the typed calls of /courses and the lookup of a course id (see courses.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "courses.h"
#include "lookup.h"
#include "xalloc.h"

enum edu_err edu_courses_list(struct edu_api *api, int all, int archived, cJSON **items,
			      struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init(&req, "GET", "/courses");
	edu_request_query(&req, "all", all ? "1" : NULL);
	edu_request_query(&req, "archived", archived ? "1" : NULL);
	err = edu_api_list(api, &req, items, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_course_create(struct edu_api *api, const char *name, const char *description,
			       const char *term, cJSON **course, struct edu_errinfo *ei)
{
	struct edu_request req;
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	cJSON_AddStringToObject(body, "name", name);
	if (description)
		cJSON_AddStringToObject(body, "description", description);
	if (term)
		cJSON_AddStringToObject(body, "term", term);
	edu_request_init(&req, "POST", "/courses");
	req.body = body;
	err = edu_api_json(api, &req, course, NULL, ei);
	edu_request_release(&req);
	cJSON_Delete(body);
	return err;
}

enum edu_err edu_course_get(struct edu_api *api, const char *id, cJSON **course,
			    struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "GET", "/courses", id, NULL);
	err = edu_api_json(api, &req, course, NULL, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_course_update(struct edu_api *api, const char *id, const cJSON *fields,
			       const char *version, cJSON **course, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "PATCH", "/courses", id, NULL);
	req.body = fields;
	req.if_match = version;
	err = edu_api_json(api, &req, course, NULL, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_course_copy(struct edu_api *api, const char *id, const char *name,
			     const char *term, int has_shift, long shift_days, int clear_dates,
			     cJSON **course, struct edu_errinfo *ei)
{
	struct edu_request req;
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	if (name)
		cJSON_AddStringToObject(body, "name", name);
	if (term)
		cJSON_AddStringToObject(body, "term", term);
	if (has_shift)
		cJSON_AddNumberToObject(body, "shift_days", (double)shift_days);
	if (clear_dates)
		cJSON_AddBoolToObject(body, "clear_dates", 1);
	edu_request_init_id(&req, "POST", "/courses", id, "/copy");
	req.body = body;
	err = edu_api_json(api, &req, course, NULL, ei);
	edu_request_release(&req);
	cJSON_Delete(body);
	return err;
}

enum edu_err edu_course_join(struct edu_api *api, const char *code, cJSON **course,
			     struct edu_errinfo *ei)
{
	struct edu_request req;
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	cJSON_AddStringToObject(body, "code", code);
	edu_request_init(&req, "POST", "/courses/join");
	req.body = body;
	err = edu_api_json(api, &req, course, NULL, ei);
	edu_request_release(&req);
	cJSON_Delete(body);
	return err;
}

enum edu_err edu_course_progress(struct edu_api *api, const char *id, cJSON **items,
				 struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "GET", "/courses", id, "/progress");
	err = edu_api_list(api, &req, items, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_course_resolve(struct edu_api *api, const char *idish, char **id,
				struct edu_errinfo *ei)
{
	/* the caller's courses, then archived ones, then (admins) the whole school's */
	static const int tries[][2] = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
	enum edu_err err;
	int n = 0;

	if (edu_lookup_start(idish, "a course", id, &err, ei))
		return err;
	for (size_t t = 0; t < sizeof(tries) / sizeof(tries[0]) && !n; t++) {
		const char *match = NULL;
		cJSON *items = NULL;

		err = edu_courses_list(api, tries[t][0], tries[t][1], &items, ei);
		if (err == EDU_ERR_FORBIDDEN || err == EDU_ERR_INVALID)
			continue;
		if (err)
			return err;
		n = edu_lookup_count(items, idish, &match);
		if (n == 1)
			*id = xstrdup(match);
		cJSON_Delete(items);
	}
	if (n == 1)
		return EDU_ERR_OK;
	if (n > 1)
		return edu_err_set(ei, EDU_ERR_USAGE, "'%s' is the start of more than one "
				   "course's id; give more of it", idish);
	return edu_err_set(ei, EDU_ERR_NOT_FOUND, "no course whose id starts with '%s'", idish);
}
