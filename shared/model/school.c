/* A school, both ways (see school.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "school.h"

cJSON *edu_school_to_json(const struct edu_school *s)
{
	cJSON *j = cJSON_CreateObject();

	edu_json_add_str(j, "id", s->id);
	edu_json_add_str(j, "slug", s->slug);
	edu_json_add_str(j, "name", s->name);
	edu_json_add_str(j, "created_at", s->created_at);
	cJSON_AddNumberToObject(j, "version", (double)s->version);
	return j;
}

int edu_school_from_json(struct edu_school *s, const cJSON *j)
{
	memset(s, 0, sizeof(*s));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "id") || !edu_json_str(j, "slug"))
		return -1;
	s->id = edu_json_strdup(j, "id");
	s->slug = edu_json_strdup(j, "slug");
	s->name = edu_json_strdup(j, "name");
	s->created_at = edu_json_strdup(j, "created_at");
	s->version = edu_json_long(j, "version", 0);
	return 0;
}

void edu_school_release(struct edu_school *s)
{
	free(s->id);
	free(s->slug);
	free(s->name);
	free(s->created_at);
	memset(s, 0, sizeof(*s));
}
