/*
 * Schools (docs/api.md, "Schools"): list them, and create one with its first admin. The
 * model is shared/model/school.h. Answers are the server's sanitised JSON (caller frees).
 */
#ifndef EDU_SCHOOLS_H
#define EDU_SCHOOLS_H

#include <cjson/cJSON.h>

#include "api.h"
#include "err.h"
#include "model/school.h"
#include "users.h"

enum edu_err edu_schools_list(struct edu_api *api, cJSON **items, struct edu_errinfo *ei);
/* *school gets the school with its "admin" user (and that user's "activation_code"). */
enum edu_err edu_schools_create(struct edu_api *api, const char *slug, const char *name,
				const struct edu_user_new *admin, cJSON **school,
				struct edu_errinfo *ei);

#endif
