/* A stored file, both ways (see file.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "json.h"

cJSON *edu_file_to_json(const struct edu_file *f)
{
	cJSON *j = cJSON_CreateObject();

	edu_json_add_str(j, "id", f->id);
	edu_json_add_str(j, "filename", f->filename);
	cJSON_AddNumberToObject(j, "size", (double)f->size);
	edu_json_add_str(j, "sha256", f->sha256);
	edu_json_add_str(j, "mime", f->mime);
	edu_json_add_str(j, "created_at", f->created_at);
	return j;
}

int edu_file_from_json(struct edu_file *f, const cJSON *j)
{
	memset(f, 0, sizeof(*f));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "id"))
		return -1;
	f->id = edu_json_strdup(j, "id");
	f->filename = edu_json_strdup(j, "filename");
	f->size = (long long)edu_json_num(j, "size", 0);
	f->sha256 = edu_json_strdup(j, "sha256");
	f->mime = edu_json_strdup(j, "mime");
	f->created_at = edu_json_strdup(j, "created_at");
	return 0;
}

void edu_file_release(struct edu_file *f)
{
	free(f->id);
	free(f->filename);
	free(f->sha256);
	free(f->mime);
	free(f->created_at);
	memset(f, 0, sizeof(*f));
}
