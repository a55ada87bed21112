/* A member of a course, both ways (see member.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "member.h"

cJSON *edu_member_to_json(const struct edu_member *m)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddItemToObject(j, "user", edu_person_to_json(&m->user));
	edu_json_add_str(j, "role", m->role);
	edu_json_add_str(j, "added_at", m->added_at);
	return j;
}

int edu_member_from_json(struct edu_member *m, const cJSON *j)
{
	memset(m, 0, sizeof(*m));
	if (!cJSON_IsObject(j) ||
	    edu_person_from_json(&m->user, cJSON_GetObjectItemCaseSensitive(j, "user")))
		return -1;
	m->role = edu_json_strdup(j, "role");
	m->added_at = edu_json_strdup(j, "added_at");
	return 0;
}

void edu_member_release(struct edu_member *m)
{
	edu_person_release(&m->user);
	free(m->role);
	free(m->added_at);
	memset(m, 0, sizeof(*m));
}
