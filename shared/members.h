/*
 * The members of a course (docs/api.md, "Courses"): list, enrol, unenrol. The model is
 * shared/model/member.h. Answers are the server's sanitised JSON (caller frees).
 */
#ifndef EDU_MEMBERS_H
#define EDU_MEMBERS_H

#include <cjson/cJSON.h>

#include "api.h"
#include "err.h"
#include "model/member.h"

/* role may be NULL (every member). */
enum edu_err edu_course_members(struct edu_api *api, const char *id, const char *role,
				cJSON **items, struct edu_errinfo *ei);
/*
 * who is a user id (a UUID) or a user name; role NULL: student. *created (may be NULL) is
 * 1 when the user was added, 0 when they were a member already.
 */
enum edu_err edu_course_enrol(struct edu_api *api, const char *id, const char *who,
			      const char *role, cJSON **member, int *created,
			      struct edu_errinfo *ei);
enum edu_err edu_course_unenrol(struct edu_api *api, const char *id, const char *user_id,
				struct edu_errinfo *ei);
/*
 * The user id of who (a user id or a user name, in any case) among the members of the
 * course id (caller frees). EDU_ERR_NOT_FOUND with a message when who is no member.
 */
enum edu_err edu_member_resolve(struct edu_api *api, const char *id, const char *who,
				char **user_id, struct edu_errinfo *ei);

#endif
