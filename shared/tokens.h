/*
 * Personal API tokens (docs/api.md, "API tokens"): list, create, revoke. The model, and the
 * scopes a token may have, are shared/model/api_token.h. Answers are the server's sanitised
 * JSON (caller frees).
 */
#ifndef EDU_TOKENS_H
#define EDU_TOKENS_H

#include <cjson/cJSON.h>

#include "api.h"
#include "err.h"
#include "model/api_token.h"

enum edu_err edu_tokens_list(struct edu_api *api, cJSON **items, struct edu_errinfo *ei);
/*
 * scope NULL: "read"; expires_days 0: never. *token gets the token object with its secret
 * "token".
 */
enum edu_err edu_tokens_create(struct edu_api *api, const char *name, const char *scope,
			       long expires_days, cJSON **token, struct edu_errinfo *ei);
enum edu_err edu_tokens_revoke(struct edu_api *api, const char *id, struct edu_errinfo *ei);

#endif
