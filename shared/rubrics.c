/* An assignment's rubric: the typed calls (see rubrics.h). */
#include "config.h"

#include "rubrics.h"

enum edu_err edu_rubric_get(struct edu_api *api, const char *assignment_id, cJSON **rubric,
			    struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "GET", "/assignments", assignment_id, "/rubric");
	err = edu_api_json(api, &req, rubric, NULL, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_rubric_put(struct edu_api *api, const char *assignment_id, const cJSON *body,
			    cJSON **rubric, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "PUT", "/assignments", assignment_id, "/rubric");
	req.body = body;
	err = edu_api_json(api, &req, rubric, NULL, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_rubric_copy(struct edu_api *api, const char *assignment_id,
			     const char *from_assignment_id, cJSON **rubric,
			     struct edu_errinfo *ei)
{
	struct edu_request req;
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	cJSON_AddStringToObject(body, "from", from_assignment_id);
	edu_request_init_id(&req, "POST", "/assignments", assignment_id, "/rubric/copy");
	req.body = body;
	err = edu_api_json(api, &req, rubric, NULL, ei);
	edu_request_release(&req);
	cJSON_Delete(body);
	return err;
}
