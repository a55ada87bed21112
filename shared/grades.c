/* Grades: the typed calls (see grades.h). */
#include "config.h"

#include "grades.h"
#include "model/json.h"

enum edu_err edu_grade_get(struct edu_api *api, const char *submission_id, cJSON **grade,
			   struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "GET", "/submissions", submission_id, "/grade");
	err = edu_api_json(api, &req, grade, NULL, ei);
	edu_request_release(&req);
	return err;
}

/* PUTs body to req's target with If-Match version (NULL: "0", a first grade). */
static enum edu_err put(struct edu_api *api, struct edu_request *req, const cJSON *body,
			const char *version, cJSON **grade, cJSON **current,
			struct edu_errinfo *ei)
{
	req->body = body;
	req->if_match = version ? version : "0";
	return edu_api_json(api, req, grade, current, ei);
}

enum edu_err edu_grade_put(struct edu_api *api, const char *submission_id, const cJSON *body,
			   const char *version, cJSON **grade, cJSON **current,
			   struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "PUT", "/submissions", submission_id, "/grade");
	err = put(api, &req, body, version, grade, current, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_grade_put_student(struct edu_api *api, const char *assignment_id,
				   const char *student_id, const cJSON *body,
				   const char *version, cJSON **grade, cJSON **current,
				   struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "PUT", "/assignments", assignment_id, "/grades");
	edu_request_segment(&req, student_id);
	err = put(api, &req, body, version, grade, current, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_grade_history(struct edu_api *api, const char *submission_id, cJSON **items,
			       struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "GET", "/submissions", submission_id, "/grade/history");
	err = edu_api_list(api, &req, items, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_grades_release(struct edu_api *api, const char *assignment_id,
				long *released, struct edu_errinfo *ei)
{
	struct edu_request req;
	cJSON *answer = NULL;
	enum edu_err err;

	edu_request_init_id(&req, "POST", "/assignments", assignment_id, "/release");
	err = edu_api_json(api, &req, &answer, NULL, ei);
	if (!err && released)
		*released = edu_json_long(answer, "released", 0);
	cJSON_Delete(answer);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_grades_mine(struct edu_api *api, const char *course_id, cJSON **items,
			     struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init(&req, "GET", "/grades");
	edu_request_query(&req, "course", course_id);
	err = edu_api_list(api, &req, items, ei);
	edu_request_release(&req);
	return err;
}
