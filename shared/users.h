/*
 * Typed client calls for users, schools and personal API tokens (docs/api.md). Answers
 * are the server's sanitised JSON, handed to the caller (who frees them with cJSON_Delete)
 * so that --json can print them as they came and tables can read them through model.h.
 *
 * school: a super_admin acting in another school passes its slug; NULL otherwise.
 */
#ifndef EDU_USERS_H
#define EDU_USERS_H

#include <cjson/cJSON.h>

#include "api.h"
#include "err.h"

/* A new user (POST /users). */
struct edu_user_new {
	const char *username;
	const char *role;
	const char *email;		/* NULL: none */
	const char *display_name;	/* NULL: none */
};

enum edu_err edu_users_me(struct edu_api *api, cJSON **user, struct edu_errinfo *ei);
/* Every user matching role and q (either may be NULL), all pages. */
enum edu_err edu_users_list(struct edu_api *api, const char *school, const char *role,
			    const char *q, cJSON **items, struct edu_errinfo *ei);
enum edu_err edu_users_get(struct edu_api *api, const char *school, const char *id,
			   cJSON **user, struct edu_errinfo *ei);
/* *user gets the new user with its "activation_code". */
enum edu_err edu_users_create(struct edu_api *api, const char *school,
			      const struct edu_user_new *nu, cJSON **user,
			      struct edu_errinfo *ei);
/* PATCH /users/{id} with fields ({"role": ...}, {"disabled": true}...). */
enum edu_err edu_users_update(struct edu_api *api, const char *school, const char *id,
			      const cJSON *fields, cJSON **user, struct edu_errinfo *ei);
/* *answer gets {"activation_code", "expires_at"}. */
enum edu_err edu_users_reset(struct edu_api *api, const char *school, const char *id,
			     cJSON **answer, struct edu_errinfo *ei);
/*
 * Turns who (an id, or a user name matched exactly) into an id (caller frees);
 * EDU_ERR_NOT_FOUND when no user has that name.
 */
enum edu_err edu_users_resolve(struct edu_api *api, const char *school, const char *who,
			       char **id, struct edu_errinfo *ei);
/* Nonzero when s has the form of a UUID. */
int edu_is_uuid(const char *s);

enum edu_err edu_schools_list(struct edu_api *api, cJSON **items, struct edu_errinfo *ei);
/* *school gets the school with its "admin" user (and that user's "activation_code"). */
enum edu_err edu_schools_create(struct edu_api *api, const char *slug, const char *name,
				const struct edu_user_new *admin, cJSON **school,
				struct edu_errinfo *ei);

enum edu_err edu_tokens_list(struct edu_api *api, cJSON **items, struct edu_errinfo *ei);
/* expires_days 0: never. *token gets the token object with its secret "token". */
enum edu_err edu_tokens_create(struct edu_api *api, const char *name, const char *scope,
			       long expires_days, cJSON **token, struct edu_errinfo *ei);
enum edu_err edu_tokens_revoke(struct edu_api *api, const char *id, struct edu_errinfo *ei);

#endif
