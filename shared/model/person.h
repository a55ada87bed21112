/*
 * A user as other objects name them (a member, a submission's student, who changed a
 * grade): {"id","username","display_name"|null}. Strings are the struct's own, freed by
 * edu_person_release().
 */
#ifndef EDU_MODEL_PERSON_H
#define EDU_MODEL_PERSON_H

#include <cjson/cJSON.h>

struct edu_person {
	char *id;
	char *username;
	char *display_name;	/* NULL: none */
};

cJSON *edu_person_to_json(const struct edu_person *p);
/* Returns 0, or -1 when j is not a person (no id). */
int edu_person_from_json(struct edu_person *p, const cJSON *j);
void edu_person_release(struct edu_person *p);

#endif
