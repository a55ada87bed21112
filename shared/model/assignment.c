/* An assignment, both ways, and the body that creates one (see assignment.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "json.h"
#include "xalloc.h"

cJSON *edu_assignment_to_json(const struct edu_assignment *a)
{
	cJSON *j = cJSON_CreateObject(), *types;

	edu_json_add_str(j, "id", a->id);
	edu_json_add_str(j, "course_id", a->course_id);
	edu_json_add_str(j, "title", a->title);
	edu_json_add_str(j, "instructions", a->instructions);
	edu_json_add_str(j, "due_at", a->due_at);
	cJSON_AddNumberToObject(j, "points_possible", a->points_possible);
	edu_json_add_str(j, "category", a->category);
	edu_json_add_str(j, "submission_kind", a->submission_kind);
	types = cJSON_AddArrayToObject(j, "allowed_types");
	for (int i = 0; i < a->nallowed_types; i++)
		cJSON_AddItemToArray(types, cJSON_CreateString(a->allowed_types[i]));
	cJSON_AddNumberToObject(j, "max_file_size", (double)a->max_file_size);
	edu_json_add_str(j, "late_policy", a->late_policy);
	cJSON_AddBoolToObject(j, "published", a->published);
	cJSON_AddNumberToObject(j, "version", (double)a->version);
	if (a->mine) {
		cJSON *m = cJSON_AddObjectToObject(j, "mine");

		edu_json_add_str(m, "status", a->mine->status);
		cJSON_AddNumberToObject(m, "attempts", a->mine->attempts);
		edu_json_add_str(m, "submitted_at", a->mine->submitted_at);
		cJSON_AddBoolToObject(m, "late", a->mine->late);
		if (a->mine->has_score)
			cJSON_AddNumberToObject(m, "score", a->mine->score);
		else
			cJSON_AddNullToObject(m, "score");
	}
	if (a->work) {
		cJSON *w = cJSON_AddObjectToObject(j, "work");

		cJSON_AddNumberToObject(w, "students", a->work->students);
		cJSON_AddNumberToObject(w, "handed_in", a->work->handed_in);
		cJSON_AddNumberToObject(w, "to_grade", a->work->to_grade);
	}
	return j;
}

int edu_assignment_from_json(struct edu_assignment *a, const cJSON *j)
{
	const cJSON *types, *t, *mine, *work;
	int n;

	memset(a, 0, sizeof(*a));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "id") || !edu_json_str(j, "title"))
		return -1;
	a->id = edu_json_strdup(j, "id");
	a->course_id = edu_json_strdup(j, "course_id");
	a->title = edu_json_strdup(j, "title");
	a->instructions = edu_json_strdup(j, "instructions");
	a->due_at = edu_json_strdup(j, "due_at");
	a->points_possible = edu_json_num(j, "points_possible", 0);
	a->category = edu_json_strdup(j, "category");
	a->submission_kind = edu_json_strdup(j, "submission_kind");
	types = edu_json_array(j, "allowed_types", &n);
	a->allowed_types = n ? xcalloc((size_t)n, sizeof(*a->allowed_types)) : NULL;
	cJSON_ArrayForEach(t, types)
		if (cJSON_IsString(t))
			a->allowed_types[a->nallowed_types++] = xstrdup(t->valuestring);
	a->max_file_size = (long long)edu_json_num(j, "max_file_size", 0);
	a->late_policy = edu_json_strdup(j, "late_policy");
	a->published = edu_json_bool(j, "published", 0);
	a->version = edu_json_long(j, "version", 0);
	mine = cJSON_GetObjectItemCaseSensitive(j, "mine");
	if (cJSON_IsObject(mine) && edu_json_str(mine, "status")) {
		const cJSON *score = cJSON_GetObjectItemCaseSensitive(mine, "score");

		a->mine = xcalloc(1, sizeof(*a->mine));
		a->mine->status = edu_json_strdup(mine, "status");
		a->mine->attempts = (int)edu_json_num(mine, "attempts", 0);
		a->mine->submitted_at = edu_json_strdup(mine, "submitted_at");
		a->mine->late = edu_json_bool(mine, "late", 0);
		if ((a->mine->has_score = cJSON_IsNumber(score)))
			a->mine->score = score->valuedouble;
	}
	work = cJSON_GetObjectItemCaseSensitive(j, "work");
	if (cJSON_IsObject(work)) {
		a->work = xcalloc(1, sizeof(*a->work));
		a->work->students = (int)edu_json_num(work, "students", 0);
		a->work->handed_in = (int)edu_json_num(work, "handed_in", 0);
		a->work->to_grade = (int)edu_json_num(work, "to_grade", 0);
	}
	return 0;
}

void edu_assignment_release(struct edu_assignment *a)
{
	free(a->id);
	free(a->course_id);
	free(a->title);
	free(a->instructions);
	free(a->due_at);
	free(a->category);
	free(a->submission_kind);
	for (int i = 0; i < a->nallowed_types; i++)
		free(a->allowed_types[i]);
	free(a->allowed_types);
	free(a->late_policy);
	if (a->mine) {
		free(a->mine->status);
		free(a->mine->submitted_at);
		free(a->mine);
	}
	free(a->work);
	memset(a, 0, sizeof(*a));
}

cJSON *edu_assignment_body(const struct edu_assignment *a)
{
	cJSON *j = edu_assignment_to_json(a);

	cJSON_DeleteItemFromObjectCaseSensitive(j, "id");
	cJSON_DeleteItemFromObjectCaseSensitive(j, "course_id");
	cJSON_DeleteItemFromObjectCaseSensitive(j, "version");
	/* unset means the server's default, not "none" */
	if (!a->category)
		cJSON_DeleteItemFromObjectCaseSensitive(j, "category");
	if (!a->submission_kind)
		cJSON_DeleteItemFromObjectCaseSensitive(j, "submission_kind");
	if (!a->late_policy)
		cJSON_DeleteItemFromObjectCaseSensitive(j, "late_policy");
	if (a->max_file_size <= 0)
		cJSON_DeleteItemFromObjectCaseSensitive(j, "max_file_size");
	return j;
}
