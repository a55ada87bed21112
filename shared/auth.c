/* Sessions and passwords: login, activate, logout, password change (see auth.h). */
#include "config.h"

#include <string.h>

#include "auth.h"
#include "model/json.h"
#include "xalloc.h"

/* Turns a session answer into credentials (and the user object). */
static enum edu_err take_session(struct edu_api *api, struct edu_api_resp *resp,
				 const char *school, struct edu_creds *creds, cJSON **user,
				 struct edu_errinfo *ei)
{
	if (edu_creds_from_session(creds, resp->json, edu_api_server(api), school))
		return edu_err_set(ei, EDU_ERR_SERVER, "the server's answer holds no session");
	if (user)
		*user = cJSON_DetachItemFromObjectCaseSensitive(resp->json, "user");
	return EDU_ERR_OK;
}

/* Sends a POST of body (may be NULL) to path; flags: EDU_API_NOAUTH or 0. */
static enum edu_err post(struct edu_api *api, const char *path, const cJSON *body,
			 unsigned flags, struct edu_api_resp *resp, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init(&req, "POST", path);
	req.body = body;
	req.flags = flags;
	err = edu_api_send(api, &req, resp, ei);
	edu_request_release(&req);
	return err;
}

/* Scrubs a JSON request that held a password. */
static void free_secret_json(cJSON *j)
{
	for (cJSON *c = j ? j->child : NULL; c; c = c->next)
		if (cJSON_IsString(c))
			explicit_bzero(c->valuestring, strlen(c->valuestring));
	cJSON_Delete(j);
}

enum edu_err edu_auth_login(struct edu_api *api, const char *school, const char *login,
			    const char *password, struct edu_creds *creds, cJSON **user,
			    struct edu_errinfo *ei)
{
	struct edu_api_resp resp;
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	if (school && *school)
		cJSON_AddStringToObject(body, "school", school);
	cJSON_AddStringToObject(body, strchr(login, '@') ? "email" : "username", login);
	cJSON_AddStringToObject(body, "password", password);
	err = post(api, "/auth/login", body, EDU_API_NOAUTH, &resp, ei);
	free_secret_json(body);
	if (!err)
		err = take_session(api, &resp, school, creds, user, ei);
	edu_api_resp_release(&resp);
	return err;
}

enum edu_err edu_auth_activate(struct edu_api *api, const char *school, const char *username,
			       const char *code, const char *password,
			       struct edu_creds *creds, cJSON **user, struct edu_errinfo *ei)
{
	struct edu_api_resp resp;
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	if (school && *school)
		cJSON_AddStringToObject(body, "school", school);
	cJSON_AddStringToObject(body, "username", username);
	cJSON_AddStringToObject(body, "code", code);
	cJSON_AddStringToObject(body, "password", password);
	err = post(api, "/auth/activate", body, EDU_API_NOAUTH, &resp, ei);
	free_secret_json(body);
	if (!err)
		err = take_session(api, &resp, school, creds, user, ei);
	edu_api_resp_release(&resp);
	return err;
}

enum edu_err edu_auth_logout(struct edu_api *api, const char *refresh_token,
			     struct edu_errinfo *ei)
{
	struct edu_api_resp resp;
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	cJSON_AddStringToObject(body, "refresh_token", refresh_token);
	err = post(api, "/auth/logout", body, EDU_API_NOAUTH, &resp, ei);
	free_secret_json(body);
	edu_api_resp_release(&resp);
	return err;
}

enum edu_err edu_auth_logout_all(struct edu_api *api, struct edu_errinfo *ei)
{
	struct edu_api_resp resp;
	enum edu_err err;

	err = post(api, "/auth/logout-all", NULL, 0, &resp, ei);
	edu_api_resp_release(&resp);
	return err;
}

enum edu_err edu_auth_change_password(struct edu_api *api, const char *current,
				      const char *new_password, struct edu_creds *creds,
				      struct edu_errinfo *ei)
{
	const struct edu_creds *old = edu_api_session(api);
	struct edu_api_resp resp;
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	cJSON_AddStringToObject(body, "current_password", current);
	cJSON_AddStringToObject(body, "new_password", new_password);
	err = post(api, "/users/me/password", body, 0, &resp, ei);
	free_secret_json(body);
	/* every session ended, this one too; the answer may carry its successor */
	if (!err && creds && resp.json && edu_json_str(resp.json, "access_token"))
		edu_creds_from_session(creds, resp.json, edu_api_server(api),
				       old ? old->school : NULL);
	edu_api_resp_release(&resp);
	return err;
}
