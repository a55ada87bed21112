/* A course, both ways (see course.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "course.h"
#include "json.h"

cJSON *edu_course_to_json(const struct edu_course *c)
{
	cJSON *j = cJSON_CreateObject();

	edu_json_add_str(j, "id", c->id);
	edu_json_add_str(j, "name", c->name);
	edu_json_add_str(j, "description", c->description);
	edu_json_add_str(j, "term", c->term);
	edu_json_add_str(j, "code", c->code);
	cJSON_AddBoolToObject(j, "archived", c->archived);
	edu_json_add_str(j, "my_role", c->my_role);
	edu_json_add_str(j, "created_at", c->created_at);
	edu_json_add_str(j, "updated_at", c->updated_at);
	cJSON_AddNumberToObject(j, "version", (double)c->version);
	return j;
}

int edu_course_from_json(struct edu_course *c, const cJSON *j)
{
	memset(c, 0, sizeof(*c));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "id"))
		return -1;
	c->id = edu_json_strdup(j, "id");
	c->name = edu_json_strdup(j, "name");
	c->description = edu_json_strdup(j, "description");
	c->term = edu_json_strdup(j, "term");
	c->code = edu_json_strdup(j, "code");
	c->archived = edu_json_bool(j, "archived", 0);
	c->my_role = edu_json_strdup(j, "my_role");
	c->created_at = edu_json_strdup(j, "created_at");
	c->updated_at = edu_json_strdup(j, "updated_at");
	c->version = edu_json_long(j, "version", 0);
	return 0;
}

void edu_course_release(struct edu_course *c)
{
	free(c->id);
	free(c->name);
	free(c->description);
	free(c->term);
	free(c->code);
	free(c->my_role);
	free(c->created_at);
	free(c->updated_at);
	memset(c, 0, sizeof(*c));
}
