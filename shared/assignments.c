/* Assignments: the typed calls and the lookup of an assignment id (see assignments.h). */
#include "config.h"

#include "assignments.h"
#include "lookup.h"

enum edu_err edu_assignments_list(struct edu_api *api, const char *course_id, cJSON **items,
				  struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "GET", "/courses", course_id, "/assignments");
	err = edu_api_list(api, &req, items, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_assignment_create(struct edu_api *api, const char *course_id,
				   const cJSON *fields, cJSON **assignment,
				   struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "POST", "/courses", course_id, "/assignments");
	req.body = fields;
	err = edu_api_json(api, &req, assignment, NULL, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_assignment_get(struct edu_api *api, const char *id, cJSON **assignment,
				struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "GET", "/assignments", id, NULL);
	err = edu_api_json(api, &req, assignment, NULL, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_assignment_update(struct edu_api *api, const char *id, const cJSON *fields,
				   const char *version, cJSON **assignment, cJSON **current,
				   struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "PATCH", "/assignments", id, NULL);
	req.body = fields;
	req.if_match = version;
	err = edu_api_json(api, &req, assignment, current, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_assignment_resolve(struct edu_api *api, const char *idish, char **id,
				    struct edu_errinfo *ei)
{
	return edu_lookup_in_courses(api, idish, edu_assignments_list, "assignment",
				     "an assignment", id, ei);
}

enum edu_err edu_assignment_delete(struct edu_api *api, const char *id, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "DELETE", "/assignments", id, NULL);
	err = edu_api_json(api, &req, NULL, NULL, ei);
	edu_request_release(&req);
	return err;
}
