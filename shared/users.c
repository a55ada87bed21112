/* Users, schools and API tokens: typed calls over the API client (see users.h). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "model.h"
#include "users.h"
#include "xalloc.h"

/* Appends "?key=value" or "&key=value" (escaped) when value is set. */
static void add_query(struct edu_buf *b, const char *key, const char *value)
{
	char *esc;

	if (!value || !*value)
		return;
	esc = edu_api_escape(value);
	edu_buf_printf(b, "%c%s=%s", strchr(edu_buf_str(b), '?') ? '&' : '?', key, esc);
	free(esc);
}

/* One call whose answer the caller takes (out may be NULL). */
static enum edu_err call(struct edu_api *api, const char *method, const char *path,
			 const cJSON *body, cJSON **out, struct edu_errinfo *ei)
{
	struct edu_api_resp resp;
	enum edu_err err = edu_api_call(api, method, path, body, 0, &resp, ei);

	if (!err && out) {
		if (!resp.json)
			err = edu_err_set(ei, EDU_ERR_SERVER, "the answer to %s %s is empty",
					  method, path);
		*out = resp.json;
		resp.json = NULL;
	}
	edu_api_resp_release(&resp);
	return err;
}

/* "/users/ID[/suffix][?school=SLUG]" */
static char *user_path(const char *school, const char *id, const char *suffix)
{
	struct edu_buf b = EDU_BUF_INIT;
	char *esc = edu_api_escape(id);

	edu_buf_printf(&b, "/users/%s%s", esc, suffix ? suffix : "");
	add_query(&b, "school", school);
	free(esc);
	return edu_buf_detach(&b);
}

enum edu_err edu_users_me(struct edu_api *api, cJSON **user, struct edu_errinfo *ei)
{
	return call(api, "GET", "/users/me", NULL, user, ei);
}

enum edu_err edu_users_list(struct edu_api *api, const char *school, const char *role,
			    const char *q, cJSON **items, struct edu_errinfo *ei)
{
	struct edu_buf b = EDU_BUF_INIT;
	enum edu_err err;

	edu_buf_adds(&b, "/users");
	add_query(&b, "school", school);
	add_query(&b, "role", role);
	add_query(&b, "q", q);
	err = edu_api_get_all(api, edu_buf_str(&b), items, ei);
	edu_buf_release(&b);
	return err;
}

enum edu_err edu_users_get(struct edu_api *api, const char *school, const char *id,
			   cJSON **user, struct edu_errinfo *ei)
{
	char *path = user_path(school, id, NULL);
	enum edu_err err = call(api, "GET", path, NULL, user, ei);

	free(path);
	return err;
}

static cJSON *user_new_json(const struct edu_user_new *nu)
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
	struct edu_buf b = EDU_BUF_INIT;
	cJSON *body = user_new_json(nu);
	enum edu_err err;

	edu_buf_adds(&b, "/users");
	add_query(&b, "school", school);
	err = call(api, "POST", edu_buf_str(&b), body, user, ei);
	cJSON_Delete(body);
	edu_buf_release(&b);
	return err;
}

enum edu_err edu_users_update(struct edu_api *api, const char *school, const char *id,
			      const cJSON *fields, cJSON **user, struct edu_errinfo *ei)
{
	char *path = user_path(school, id, NULL);
	enum edu_err err = call(api, "PATCH", path, fields, user, ei);

	free(path);
	return err;
}

enum edu_err edu_users_reset(struct edu_api *api, const char *school, const char *id,
			     cJSON **answer, struct edu_errinfo *ei)
{
	char *path = user_path(school, id, "/reset");
	enum edu_err err = call(api, "POST", path, NULL, answer, ei);

	free(path);
	return err;
}

int edu_is_uuid(const char *s)
{
	static const char form[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (strlen(s) != sizeof(form) - 1)
		return 0;
	for (size_t i = 0; form[i]; i++)
		if (form[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
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

enum edu_err edu_schools_list(struct edu_api *api, cJSON **items, struct edu_errinfo *ei)
{
	return edu_api_get_all(api, "/schools", items, ei);
}

enum edu_err edu_schools_create(struct edu_api *api, const char *slug, const char *name,
				const struct edu_user_new *admin, cJSON **school,
				struct edu_errinfo *ei)
{
	cJSON *body = cJSON_CreateObject(), *a = user_new_json(admin);
	enum edu_err err;

	cJSON_AddStringToObject(body, "slug", slug);
	cJSON_AddStringToObject(body, "name", name);
	cJSON_AddItemToObject(body, "admin", a);
	err = call(api, "POST", "/schools", body, school, ei);
	cJSON_Delete(body);
	return err;
}

enum edu_err edu_tokens_list(struct edu_api *api, cJSON **items, struct edu_errinfo *ei)
{
	return edu_api_get_all(api, "/tokens", items, ei);
}

enum edu_err edu_tokens_create(struct edu_api *api, const char *name, const char *scope,
			       long expires_days, cJSON **token, struct edu_errinfo *ei)
{
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	cJSON_AddStringToObject(body, "name", name);
	cJSON_AddStringToObject(body, "scope", scope ? scope : "read");
	if (expires_days > 0)
		cJSON_AddNumberToObject(body, "expires_days", (double)expires_days);
	err = call(api, "POST", "/tokens", body, token, ei);
	cJSON_Delete(body);
	return err;
}

enum edu_err edu_tokens_revoke(struct edu_api *api, const char *id, struct edu_errinfo *ei)
{
	char *esc = edu_api_escape(id), *path = xasprintf("/tokens/%s", esc);
	enum edu_err err = call(api, "DELETE", path, NULL, NULL, ei);

	free(esc);
	free(path);
	return err;
}
