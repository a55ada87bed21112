/* Personal API tokens: the typed calls (see tokens.h). */
#include "config.h"

#include "tokens.h"

enum edu_err edu_tokens_list(struct edu_api *api, cJSON **items, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init(&req, "GET", "/tokens");
	err = edu_api_list(api, &req, items, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_tokens_create(struct edu_api *api, const char *name, const char *scope,
			       long expires_days, cJSON **token, struct edu_errinfo *ei)
{
	struct edu_request req;
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	cJSON_AddStringToObject(body, "name", name);
	cJSON_AddStringToObject(body, "scope", scope ? scope : edu_token_scopes[0]);
	if (expires_days > 0)
		cJSON_AddNumberToObject(body, "expires_days", (double)expires_days);
	edu_request_init(&req, "POST", "/tokens");
	req.body = body;
	err = edu_api_json(api, &req, token, NULL, ei);
	edu_request_release(&req);
	cJSON_Delete(body);
	return err;
}

enum edu_err edu_tokens_revoke(struct edu_api *api, const char *id, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "DELETE", "/tokens", id, NULL);
	err = edu_api_json(api, &req, NULL, NULL, ei);
	edu_request_release(&req);
	return err;
}
