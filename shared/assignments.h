/*
 * Assignments (docs/api.md, "Assignments"): a typed call for every endpoint, and turning an
 * id or its start into an assignment id. The model, and the body that creates one, are
 * shared/model/assignment.h. Answers are the server's sanitised JSON (caller frees).
 */
#ifndef EDU_ASSIGNMENTS_H
#define EDU_ASSIGNMENTS_H

#include <cjson/cJSON.h>

#include "api.h"
#include "err.h"
#include "model/assignment.h"

enum edu_err edu_assignments_list(struct edu_api *api, const char *course_id, cJSON **items,
				  struct edu_errinfo *ei);
/* fields: as edu_assignment_body() makes, or any subset for an update. */
enum edu_err edu_assignment_create(struct edu_api *api, const char *course_id,
				   const cJSON *fields, cJSON **assignment,
				   struct edu_errinfo *ei);
enum edu_err edu_assignment_get(struct edu_api *api, const char *id, cJSON **assignment,
				struct edu_errinfo *ei);
/*
 * PATCH with If-Match version (NULL: none). On 412 (EDU_ERR_CONFLICT) *current (may be
 * NULL) gets the server's current assignment (caller frees).
 */
enum edu_err edu_assignment_update(struct edu_api *api, const char *id, const cJSON *fields,
				   const char *version, cJSON **assignment, cJSON **current,
				   struct edu_errinfo *ei);
/*
 * Deletes an assignment nobody handed work in to and nobody has a grade of (else
 * EDU_ERR_CONFLICT, the server's reason in ei), with its rubric.
 */
enum edu_err edu_assignment_delete(struct edu_api *api, const char *id,
				   struct edu_errinfo *ei);
/*
 * An assignment id or a unique prefix (at least 8 characters) of one, looked for among
 * the assignments of the caller's courses; as edu_course_resolve() (courses.h).
 */
enum edu_err edu_assignment_resolve(struct edu_api *api, const char *idish, char **id,
				    struct edu_errinfo *ei);

#endif
