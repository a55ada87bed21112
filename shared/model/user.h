/*
 * A user account on the wire (docs/api.md, "Users"), and the roles: edud answers with
 * edu_user_to_json(), the clients read answers with edu_user_from_json(). Strings are the
 * struct's own, freed by edu_user_release(); a NULL string is JSON null.
 *
 * To add a field: add it to the struct, to _to_json, _from_json and _release, and to
 * docs/api.md.
 */
#ifndef EDU_MODEL_USER_H
#define EDU_MODEL_USER_H

#include <cjson/cJSON.h>

/* Roles, weakest first: comparing enum values compares power. */
#define EDU_ROLE_LIST(X) \
	X(STUDENT, "student") \
	X(TEACHER, "teacher") \
	X(ADMIN, "admin") \
	X(SCHOOL_ADMIN, "school_admin") \
	X(SUPER_ADMIN, "super_admin")

enum edu_role {
	EDU_ROLE_NONE = -1,
#define X(name, str) EDU_ROLE_##name,
	EDU_ROLE_LIST(X)
#undef X
	EDU_ROLE__COUNT
};

const char *edu_role_name(enum edu_role r);
/* EDU_ROLE_NONE for an unknown name. */
enum edu_role edu_role_from_name(const char *name);
/* The role names, weakest first, NULL-terminated. */
extern const char *const edu_role_names[];

struct edu_user {
	char *id;
	char *school_id;
	char *username;
	char *email;
	char *display_name;
	char *role;
	int disabled;
	int activated;
	char *created_at;
	char *updated_at;
	long version;
};

cJSON *edu_user_to_json(const struct edu_user *u);
/* Returns 0, or -1 when j is not a user object (a required field missing). */
int edu_user_from_json(struct edu_user *u, const cJSON *j);
void edu_user_release(struct edu_user *u);

#endif
