/* The wire format of users, schools and API tokens, in both directions. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "xalloc.h"

static const char *const role_names[] = {
#define X(name, str) str,
	EDU_ROLE_LIST(X)
#undef X
};

const char *edu_role_name(enum edu_role r)
{
	return r >= 0 && r < EDU_ROLE__COUNT ? role_names[r] : "none";
}

enum edu_role edu_role_from_name(const char *name)
{
	if (!name)
		return EDU_ROLE_NONE;
	for (int i = 0; i < EDU_ROLE__COUNT; i++)
		if (!strcmp(role_names[i], name))
			return (enum edu_role)i;
	return EDU_ROLE_NONE;
}

const char *edu_json_str(const cJSON *j, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

double edu_json_num(const cJSON *j, const char *key, double def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

int edu_json_bool(const cJSON *j, const char *key, int def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

void edu_json_add_str(cJSON *j, const char *key, const char *s)
{
	if (s)
		cJSON_AddStringToObject(j, key, s);
	else
		cJSON_AddNullToObject(j, key);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
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
	u->id = dup_or_null(edu_json_str(j, "id"));
	u->school_id = dup_or_null(edu_json_str(j, "school_id"));
	u->username = dup_or_null(edu_json_str(j, "username"));
	u->email = dup_or_null(edu_json_str(j, "email"));
	u->display_name = dup_or_null(edu_json_str(j, "display_name"));
	u->role = dup_or_null(edu_json_str(j, "role"));
	u->disabled = edu_json_bool(j, "disabled", 0);
	u->activated = edu_json_bool(j, "activated", 0);
	u->created_at = dup_or_null(edu_json_str(j, "created_at"));
	u->updated_at = dup_or_null(edu_json_str(j, "updated_at"));
	u->version = (long)edu_json_num(j, "version", 0);
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
	s->id = dup_or_null(edu_json_str(j, "id"));
	s->slug = dup_or_null(edu_json_str(j, "slug"));
	s->name = dup_or_null(edu_json_str(j, "name"));
	s->created_at = dup_or_null(edu_json_str(j, "created_at"));
	s->version = (long)edu_json_num(j, "version", 0);
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
	t->id = dup_or_null(edu_json_str(j, "id"));
	t->name = dup_or_null(edu_json_str(j, "name"));
	t->scope = dup_or_null(edu_json_str(j, "scope"));
	t->created_at = dup_or_null(edu_json_str(j, "created_at"));
	t->expires_at = dup_or_null(edu_json_str(j, "expires_at"));
	t->last_used_at = dup_or_null(edu_json_str(j, "last_used_at"));
	t->token = dup_or_null(edu_json_str(j, "token"));
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
