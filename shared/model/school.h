/*
 * A school on the wire (docs/api.md, "Schools"): {"id","slug","name","created_at",
 * "version"}. Strings are the struct's own, freed by edu_school_release().
 */
#ifndef EDU_MODEL_SCHOOL_H
#define EDU_MODEL_SCHOOL_H

#include <cjson/cJSON.h>

struct edu_school {
	char *id;
	char *slug;
	char *name;
	char *created_at;
	long version;
};

cJSON *edu_school_to_json(const struct edu_school *s);
/* Returns 0, or -1 when j is not a school (no id or slug). */
int edu_school_from_json(struct edu_school *s, const cJSON *j);
void edu_school_release(struct edu_school *s);

#endif
