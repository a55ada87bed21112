/*
 * The wire format, defined once: plain model structs and their JSON form, used by edud to
 * answer and by the clients to read the answers. Strings are owned by the struct and freed
 * by the matching _release(); a NULL string is JSON null (or absent).
 *
 * To add a field: add it to the struct, to _to_json, _from_json and _release, and to
 * docs/api.md.
 */
#ifndef EDU_MODEL_H
#define EDU_MODEL_H

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

struct edu_school {
	char *id;
	char *slug;
	char *name;
	char *created_at;
	long version;
};

struct edu_api_token {
	char *id;
	char *name;
	char *scope;		/* "read" or "write" */
	char *created_at;
	char *expires_at;	/* NULL: never */
	char *last_used_at;	/* NULL: never used */
	char *token;		/* only in the answer that created it */
};

cJSON *edu_user_to_json(const struct edu_user *u);
/* Returns 0, or -1 when j is not a user object (a required field missing). */
int edu_user_from_json(struct edu_user *u, const cJSON *j);
void edu_user_release(struct edu_user *u);

cJSON *edu_school_to_json(const struct edu_school *s);
int edu_school_from_json(struct edu_school *s, const cJSON *j);
void edu_school_release(struct edu_school *s);

cJSON *edu_api_token_to_json(const struct edu_api_token *t);
int edu_api_token_from_json(struct edu_api_token *t, const cJSON *j);
void edu_api_token_release(struct edu_api_token *t);

/* Small cJSON helpers shared by both sides. */
/* The string value of j[key], or NULL when absent, null or not a string. */
const char *edu_json_str(const cJSON *j, const char *key);
/* The number value of j[key], or def. */
double edu_json_num(const cJSON *j, const char *key, double def);
/* 1/0 for true/false, def otherwise. */
int edu_json_bool(const cJSON *j, const char *key, int def);
/* Adds key: s, or key: null when s is NULL. */
void edu_json_add_str(cJSON *j, const char *key, const char *s);

#endif
