/*
 * A submission on the wire (docs/api.md, "Submissions"): one attempt of a student at an
 * assignment, its text and files, and its grade when the reader may see it. Strings and
 * arrays are the struct's own, freed by edu_submission_release().
 */
#ifndef EDU_MODEL_SUBMISSION_H
#define EDU_MODEL_SUBMISSION_H

#include <cjson/cJSON.h>

#include "file.h"
#include "grade.h"
#include "person.h"

struct edu_submission {
	char *id;
	char *assignment_id;
	struct edu_person student;
	int attempt;			/* 1, 2, ... */
	char *text;			/* NULL: none */
	struct edu_file *files;
	int nfiles;
	char *submitted_at;
	int late;
	struct edu_grade *grade;	/* NULL: none (or, to a student, not released) */
};

cJSON *edu_submission_to_json(const struct edu_submission *s);
/* Returns 0, or -1 when j is not a submission (no id, or no student with an id). */
int edu_submission_from_json(struct edu_submission *s, const cJSON *j);
void edu_submission_release(struct edu_submission *s);

#endif
