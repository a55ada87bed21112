/*
 * An assignment's rubric (docs/api.md, "Rubrics"): read, set, copy from another assignment.
 * The model, and the body that sets one, are shared/model/rubric.h. Answers are the
 * server's sanitised JSON (caller frees).
 */
#ifndef EDU_RUBRICS_H
#define EDU_RUBRICS_H

#include <cjson/cJSON.h>

#include "api.h"
#include "err.h"
#include "model/rubric.h"

enum edu_err edu_rubric_get(struct edu_api *api, const char *assignment_id, cJSON **rubric,
			    struct edu_errinfo *ei);
/* body: as edu_rubric_body() makes. */
enum edu_err edu_rubric_put(struct edu_api *api, const char *assignment_id, const cJSON *body,
			    cJSON **rubric, struct edu_errinfo *ei);
enum edu_err edu_rubric_copy(struct edu_api *api, const char *assignment_id,
			     const char *from_assignment_id, cJSON **rubric,
			     struct edu_errinfo *ei);

#endif
