/* Users: the typed calls of /users and the lookup of a user id (see users.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lookup.h"
#include "model/json.h"
#include "users.h"
#include "xalloc.h"

/* A request for method at /users/ID[SUFFIX][?school=SLUG]. */
static void user_request(struct edu_request *req, const char *method, const char *school,
			 const char *id, const char *suffix)
{
	edu_request_init_id(req, method, "/users", id, suffix);
	edu_request_query(req, "school", school);
}

enum edu_err edu_users_me(struct edu_api *api, cJSON **user, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init(&req, "GET", "/users/me");
	err = edu_api_json(api, &req, user, NULL, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_users_list(struct edu_api *api, const char *school, const char *role,
			    const char *q, cJSON **items, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init(&req, "GET", "/users");
	edu_request_query(&req, "school", school);
	edu_request_query(&req, "role", role);
	edu_request_query(&req, "q", q);
	err = edu_api_list(api, &req, items, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_users_get(struct edu_api *api, const char *school, const char *id,
			   cJSON **user, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	user_request(&req, "GET", school, id, NULL);
	err = edu_api_json(api, &req, user, NULL, ei);
	edu_request_release(&req);
	return err;
}

cJSON *edu_user_new_json(const struct edu_user_new *nu)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "username", nu->username);
	if (nu->role)
		cJSON_AddStringToObject(j, "role", nu->role);
	if (nu->email)
		cJSON_AddStringToObject(j, "email", nu->email);
	if (nu->display_name)
		cJSON_AddStringToObject(j, "display_name", nu->display_name);
	return j;
}

enum edu_err edu_users_create(struct edu_api *api, const char *school,
			      const struct edu_user_new *nu, cJSON **user,
			      struct edu_errinfo *ei)
{
	struct edu_request req;
	cJSON *body = edu_user_new_json(nu);
	enum edu_err err;

	edu_request_init(&req, "POST", "/users");
	edu_request_query(&req, "school", school);
	req.body = body;
	err = edu_api_json(api, &req, user, NULL, ei);
	edu_request_release(&req);
	cJSON_Delete(body);
	return err;
}

enum edu_err edu_users_update(struct edu_api *api, const char *school, const char *id,
			      const cJSON *fields, cJSON **user, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	user_request(&req, "PATCH", school, id, NULL);
	req.body = fields;
	err = edu_api_json(api, &req, user, NULL, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_users_reset(struct edu_api *api, const char *school, const char *id,
			     cJSON **answer, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	user_request(&req, "POST", school, id, "/reset");
	err = edu_api_json(api, &req, answer, NULL, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_users_resolve(struct edu_api *api, const char *school, const char *who,
			       char **id, struct edu_errinfo *ei)
{
	const cJSON *u, *match = NULL;
	cJSON *items = NULL;
	enum edu_err err;

	*id = NULL;
	if (edu_is_uuid(who)) {
		*id = xstrdup(who);
		return EDU_ERR_OK;
	}
	err = edu_users_list(api, school, NULL, who, &items, ei);
	if (err)
		return err;
	/* q= is a search: pick the exact name, then one differing only in case */
	cJSON_ArrayForEach(u, items) {
		const char *name = edu_json_str(u, "username");

		if (name && !strcmp(name, who)) {
			match = u;
			break;
		}
		if (name && !match && !strcasecmp(name, who))
			match = u;
	}
	if (match && edu_json_str(match, "id"))
		*id = xstrdup(edu_json_str(match, "id"));
	else
		err = edu_err_set(ei, EDU_ERR_NOT_FOUND, "no user '%s'%s%s", who,
				  school ? " in school " : "", school ? school : "");
	cJSON_Delete(items);
	return err;
}
