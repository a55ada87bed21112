/* A user as other objects name them, both ways (see person.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "person.h"

cJSON *edu_person_to_json(const struct edu_person *p)
{
	cJSON *j = cJSON_CreateObject();

	edu_json_add_str(j, "id", p->id);
	edu_json_add_str(j, "username", p->username);
	edu_json_add_str(j, "display_name", p->display_name);
	return j;
}

int edu_person_from_json(struct edu_person *p, const cJSON *j)
{
	memset(p, 0, sizeof(*p));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "id"))
		return -1;
	p->id = edu_json_strdup(j, "id");
	p->username = edu_json_strdup(j, "username");
	p->display_name = edu_json_strdup(j, "display_name");
	return 0;
}

void edu_person_release(struct edu_person *p)
{
	free(p->id);
	free(p->username);
	free(p->display_name);
	memset(p, 0, sizeof(*p));
}
