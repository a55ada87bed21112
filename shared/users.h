/*
 * Users (docs/api.md, "Users"): a typed call for every endpoint, and turning a user name
 * into a user id. The model is shared/model/user.h. Answers are the server's sanitised
 * JSON, handed to the caller (who frees them with cJSON_Delete) so that --json can print
 * them as they came and views can read them through the model.
 *
 * school: a super_admin acting in another school passes its slug; NULL otherwise.
 */
#ifndef EDU_USERS_H
#define EDU_USERS_H

#include <cjson/cJSON.h>

#include "api.h"
#include "err.h"
#include "model/user.h"

/* A new user (POST /users, and a new school's first admin). */
struct edu_user_new {
	const char *username;
	const char *role;
	const char *email;		/* NULL: none */
	const char *display_name;	/* NULL: none */
};
/* The body that creates nu. */
cJSON *edu_user_new_json(const struct edu_user_new *nu);

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

#endif
