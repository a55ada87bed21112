/* The members of a course: typed calls and finding a member (see members.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lookup.h"
#include "members.h"
#include "model/json.h"
#include "xalloc.h"

enum edu_err edu_course_members(struct edu_api *api, const char *id, const char *role,
				cJSON **items, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "GET", "/courses", id, "/members");
	edu_request_query(&req, "role", role);
	err = edu_api_list(api, &req, items, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_course_enrol(struct edu_api *api, const char *id, const char *who,
			      const char *role, cJSON **member, int *created,
			      struct edu_errinfo *ei)
{
	struct edu_request req;
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	cJSON_AddStringToObject(body, edu_is_uuid(who) ? "user_id" : "username", who);
	cJSON_AddStringToObject(body, "role", role ? role : "student");
	edu_request_init_id(&req, "POST", "/courses", id, "/members");
	req.body = body;
	err = edu_api_json(api, &req, member, NULL, ei);
	if (created)
		*created = req.status == 201;
	edu_request_release(&req);
	cJSON_Delete(body);
	return err;
}

enum edu_err edu_course_unenrol(struct edu_api *api, const char *id, const char *user_id,
				struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "DELETE", "/courses", id, "/members");
	edu_request_segment(&req, user_id);
	err = edu_api_json(api, &req, NULL, NULL, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_member_resolve(struct edu_api *api, const char *id, const char *who,
				char **user_id, struct edu_errinfo *ei)
{
	const cJSON *item;
	const char *found = NULL;
	cJSON *items = NULL;
	enum edu_err err;

	*user_id = NULL;
	/* the member list turns a user name into the id the routes take */
	err = edu_course_members(api, id, NULL, &items, ei);
	if (err)
		return err;
	cJSON_ArrayForEach(item, items) {
		const cJSON *u = cJSON_GetObjectItemCaseSensitive(item, "user");
		const char *uid = edu_json_str(u, "id"), *name = edu_json_str(u, "username");

		if ((uid && !strcmp(uid, who)) || (name && !strcasecmp(name, who)))
			found = uid;
	}
	if (found)
		*user_id = xstrdup(found);
	else
		err = edu_err_set(ei, EDU_ERR_NOT_FOUND, "'%s' is not a member of this course",
				  who);
	cJSON_Delete(items);
	return err;
}
