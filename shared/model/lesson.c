/* A lesson, both ways (see lesson.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "lesson.h"
#include "xalloc.h"

cJSON *edu_lesson_to_json(const struct edu_lesson *l)
{
	cJSON *j = cJSON_CreateObject(), *att;

	edu_json_add_str(j, "id", l->id);
	edu_json_add_str(j, "course_id", l->course_id);
	cJSON_AddNumberToObject(j, "position", (double)l->position);
	edu_json_add_str(j, "title", l->title);
	edu_json_add_str(j, "content", l->content);
	att = cJSON_AddArrayToObject(j, "attachments");
	for (int i = 0; i < l->nattachments; i++)
		cJSON_AddItemToArray(att, edu_file_to_json(&l->attachments[i]));
	if (l->done >= 0)
		cJSON_AddBoolToObject(j, "done", l->done);
	cJSON_AddNumberToObject(j, "version", (double)l->version);
	return j;
}

int edu_lesson_from_json(struct edu_lesson *l, const cJSON *j)
{
	const cJSON *arr, *item;
	int n;

	memset(l, 0, sizeof(*l));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "id"))
		return -1;
	l->id = edu_json_strdup(j, "id");
	l->course_id = edu_json_strdup(j, "course_id");
	l->position = edu_json_long(j, "position", 0);
	l->title = edu_json_strdup(j, "title");
	l->content = edu_json_strdup(j, "content");
	arr = edu_json_array(j, "attachments", &n);
	l->attachments = n ? xcalloc((size_t)n, sizeof(*l->attachments)) : NULL;
	cJSON_ArrayForEach(item, arr)
		if (!edu_file_from_json(&l->attachments[l->nattachments], item))
			l->nattachments++;
	l->done = edu_json_bool(j, "done", -1);
	l->version = edu_json_long(j, "version", 0);
	return 0;
}

void edu_lesson_release(struct edu_lesson *l)
{
	free(l->id);
	free(l->course_id);
	free(l->title);
	free(l->content);
	for (int i = 0; i < l->nattachments; i++)
		edu_file_release(&l->attachments[i]);
	free(l->attachments);
	memset(l, 0, sizeof(*l));
}
