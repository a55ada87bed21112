/* Schools: the typed calls (see schools.h). */
#include "config.h"

#include "schools.h"

enum edu_err edu_schools_list(struct edu_api *api, cJSON **items, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init(&req, "GET", "/schools");
	err = edu_api_list(api, &req, items, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_schools_create(struct edu_api *api, const char *slug, const char *name,
				const struct edu_user_new *admin, cJSON **school,
				struct edu_errinfo *ei)
{
	struct edu_request req;
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	cJSON_AddStringToObject(body, "slug", slug);
	cJSON_AddStringToObject(body, "name", name);
	cJSON_AddItemToObject(body, "admin", edu_user_new_json(admin));
	edu_request_init(&req, "POST", "/schools");
	req.body = body;
	err = edu_api_json(api, &req, school, NULL, ei);
	edu_request_release(&req);
	cJSON_Delete(body);
	return err;
}
