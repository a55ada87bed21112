/*
 * A stored file on the wire (a lesson's attachment, a submission's file, an upload):
 * {"id","filename","size","sha256","mime","created_at"}. Strings are the struct's own,
 * freed by edu_file_release().
 */
#ifndef EDU_MODEL_FILE_H
#define EDU_MODEL_FILE_H

#include <cjson/cJSON.h>

struct edu_file {
	char *id;
	char *filename;
	long long size;
	char *sha256;		/* hex */
	char *mime;		/* as libmagic found it */
	char *created_at;
};

cJSON *edu_file_to_json(const struct edu_file *f);
/* Returns 0, or -1 when j is not a file (no id). */
int edu_file_from_json(struct edu_file *f, const cJSON *j);
void edu_file_release(struct edu_file *f);

#endif
