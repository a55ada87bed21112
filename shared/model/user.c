/* A user account and the roles, both ways (see user.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "user.h"

const char *const edu_role_names[] = {
#define X(name, str) str,
	EDU_ROLE_LIST(X)
#undef X
	NULL
};

const char *edu_role_name(enum edu_role r)
{
	return r >= 0 && r < EDU_ROLE__COUNT ? edu_role_names[r] : "none";
}

enum edu_role edu_role_from_name(const char *name)
{
	if (!name)
		return EDU_ROLE_NONE;
	for (int i = 0; i < EDU_ROLE__COUNT; i++)
		if (!strcmp(edu_role_names[i], name))
			return (enum edu_role)i;
	return EDU_ROLE_NONE;
}

cJSON *edu_user_to_json(const struct edu_user *u)
{
	cJSON *j = cJSON_CreateObject();

	edu_json_add_str(j, "id", u->id);
	edu_json_add_str(j, "school_id", u->school_id);
	edu_json_add_str(j, "username", u->username);
	edu_json_add_str(j, "email", u->email);
	edu_json_add_str(j, "display_name", u->display_name);
	edu_json_add_str(j, "role", u->role);
	cJSON_AddBoolToObject(j, "disabled", u->disabled);
	cJSON_AddBoolToObject(j, "activated", u->activated);
	edu_json_add_str(j, "created_at", u->created_at);
	edu_json_add_str(j, "updated_at", u->updated_at);
	cJSON_AddNumberToObject(j, "version", (double)u->version);
	return j;
}

int edu_user_from_json(struct edu_user *u, const cJSON *j)
{
	memset(u, 0, sizeof(*u));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "id") || !edu_json_str(j, "username"))
		return -1;
	u->id = edu_json_strdup(j, "id");
	u->school_id = edu_json_strdup(j, "school_id");
	u->username = edu_json_strdup(j, "username");
	u->email = edu_json_strdup(j, "email");
	u->display_name = edu_json_strdup(j, "display_name");
	u->role = edu_json_strdup(j, "role");
	u->disabled = edu_json_bool(j, "disabled", 0);
	u->activated = edu_json_bool(j, "activated", 0);
	u->created_at = edu_json_strdup(j, "created_at");
	u->updated_at = edu_json_strdup(j, "updated_at");
	u->version = edu_json_long(j, "version", 0);
	return 0;
}

void edu_user_release(struct edu_user *u)
{
	free(u->id);
	free(u->school_id);
	free(u->username);
	free(u->email);
	free(u->display_name);
	free(u->role);
	free(u->created_at);
	free(u->updated_at);
	memset(u, 0, sizeof(*u));
}
