/* A submission, both ways (see submission.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "submission.h"
#include "xalloc.h"

cJSON *edu_submission_to_json(const struct edu_submission *s)
{
	cJSON *j = cJSON_CreateObject(), *files;

	edu_json_add_str(j, "id", s->id);
	edu_json_add_str(j, "assignment_id", s->assignment_id);
	cJSON_AddItemToObject(j, "student", edu_person_to_json(&s->student));
	cJSON_AddNumberToObject(j, "attempt", s->attempt);
	edu_json_add_str(j, "text", s->text);
	files = cJSON_AddArrayToObject(j, "files");
	for (int i = 0; i < s->nfiles; i++)
		cJSON_AddItemToArray(files, edu_file_to_json(&s->files[i]));
	edu_json_add_str(j, "submitted_at", s->submitted_at);
	cJSON_AddBoolToObject(j, "late", s->late);
	if (s->grade)
		cJSON_AddItemToObject(j, "grade", edu_grade_to_json(s->grade));
	else
		cJSON_AddNullToObject(j, "grade");
	return j;
}

int edu_submission_from_json(struct edu_submission *s, const cJSON *j)
{
	const cJSON *files, *f, *g;
	int n;

	memset(s, 0, sizeof(*s));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "id") ||
	    edu_person_from_json(&s->student, cJSON_GetObjectItemCaseSensitive(j, "student")) < 0)
		return -1;
	s->id = edu_json_strdup(j, "id");
	s->assignment_id = edu_json_strdup(j, "assignment_id");
	s->attempt = (int)edu_json_num(j, "attempt", 0);
	s->text = edu_json_strdup(j, "text");
	files = edu_json_array(j, "files", &n);
	s->files = n ? xcalloc((size_t)n, sizeof(*s->files)) : NULL;
	cJSON_ArrayForEach(f, files)
		if (edu_file_from_json(&s->files[s->nfiles], f) == 0)
			s->nfiles++;
	s->submitted_at = edu_json_strdup(j, "submitted_at");
	s->late = edu_json_bool(j, "late", 0);
	g = cJSON_GetObjectItemCaseSensitive(j, "grade");
	if (cJSON_IsObject(g)) {
		s->grade = xmalloc(sizeof(*s->grade));
		if (edu_grade_from_json(s->grade, g) < 0) {
			free(s->grade);
			s->grade = NULL;
		}
	}
	return 0;
}

void edu_submission_release(struct edu_submission *s)
{
	free(s->id);
	free(s->assignment_id);
	edu_person_release(&s->student);
	free(s->text);
	for (int i = 0; i < s->nfiles; i++)
		edu_file_release(&s->files[i]);
	free(s->files);
	free(s->submitted_at);
	if (s->grade) {
		edu_grade_release(s->grade);
		free(s->grade);
	}
	memset(s, 0, sizeof(*s));
}

