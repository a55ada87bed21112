/*
 * A member of a course on the wire (docs/api.md, "Courses"), as edud sends it:
 *
 *	{"user": {"id","username","display_name"|null}, "role", "added_at"}
 *
 * role is "teacher" or "student". Freed by edu_member_release().
 */
#ifndef EDU_MODEL_MEMBER_H
#define EDU_MODEL_MEMBER_H

#include <cjson/cJSON.h>

#include "person.h"

struct edu_member {
	struct edu_person user;
	char *role;		/* "teacher" or "student" */
	char *added_at;
};

cJSON *edu_member_to_json(const struct edu_member *m);
/* Returns 0, or -1 when j is not a member (no user with an id). */
int edu_member_from_json(struct edu_member *m, const cJSON *j);
void edu_member_release(struct edu_member *m);

#endif
