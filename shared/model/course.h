/*
 * A course on the wire (docs/api.md, "Courses"), as edud sends it:
 *
 *	{"id","name","description","term","code"|null,"archived","my_role"|null,
 *	 "created_at","updated_at","version"}
 *
 * description and term are always strings ("" when there is none); code is the join code,
 * null but to those who manage the course; my_role is the caller's role in it, null for
 * an admin who is not a member. Strings are the struct's own, freed by
 * edu_course_release(); a NULL string is JSON null.
 *
 * To add a field: add it to the struct, to _to_json, _from_json and _release, and to
 * docs/api.md.
 */
#ifndef EDU_MODEL_COURSE_H
#define EDU_MODEL_COURSE_H

#include <cjson/cJSON.h>

struct edu_course {
	char *id;
	char *name;
	char *description;
	char *term;
	char *code;		/* join code: teachers and admins only */
	int archived;
	char *my_role;		/* "teacher", "student", or NULL (an admin who is not a member) */
	char *created_at;
	char *updated_at;
	long version;
};

cJSON *edu_course_to_json(const struct edu_course *c);
/* Returns 0, or -1 when j is not a course (no id). */
int edu_course_from_json(struct edu_course *c, const cJSON *j);
void edu_course_release(struct edu_course *c);

#endif
