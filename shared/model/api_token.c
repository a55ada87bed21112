/* A personal API token, both ways (see api_token.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api_token.h"
#include "json.h"

const char *const edu_token_scopes[] = { "read", "write", NULL };

int edu_token_scope_index(const char *scope)
{
	for (int i = 0; scope && edu_token_scopes[i]; i++)
		if (!strcmp(scope, edu_token_scopes[i]))
			return i;
	return -1;
}

cJSON *edu_api_token_to_json(const struct edu_api_token *t)
{
	cJSON *j = cJSON_CreateObject();

	edu_json_add_str(j, "id", t->id);
	edu_json_add_str(j, "name", t->name);
	edu_json_add_str(j, "scope", t->scope);
	edu_json_add_str(j, "created_at", t->created_at);
	edu_json_add_str(j, "expires_at", t->expires_at);
	edu_json_add_str(j, "last_used_at", t->last_used_at);
	if (t->token)
		cJSON_AddStringToObject(j, "token", t->token);
	return j;
}

int edu_api_token_from_json(struct edu_api_token *t, const cJSON *j)
{
	memset(t, 0, sizeof(*t));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "id"))
		return -1;
	t->id = edu_json_strdup(j, "id");
	t->name = edu_json_strdup(j, "name");
	t->scope = edu_json_strdup(j, "scope");
	t->created_at = edu_json_strdup(j, "created_at");
	t->expires_at = edu_json_strdup(j, "expires_at");
	t->last_used_at = edu_json_strdup(j, "last_used_at");
	t->token = edu_json_strdup(j, "token");
	return 0;
}

void edu_api_token_release(struct edu_api_token *t)
{
	free(t->id);
	free(t->name);
	free(t->scope);
	free(t->created_at);
	free(t->expires_at);
	free(t->last_used_at);
	free(t->token);
	memset(t, 0, sizeof(*t));
}
