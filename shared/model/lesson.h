/*
 * A lesson on the wire (docs/api.md, "Lessons"), as edud sends it:
 *
 *	{"id","course_id","position","title","content","attachments":[file...],
 *	 "done"?,"version"}
 *
 * content is Markdown, always a string ("" when empty); attachments are files (file.h),
 * an empty array when there are none; "done" is only in what the course's students get.
 * Freed by edu_lesson_release().
 */
#ifndef EDU_MODEL_LESSON_H
#define EDU_MODEL_LESSON_H

#include <cjson/cJSON.h>

#include "file.h"

struct edu_lesson {
	char *id;
	char *course_id;
	long position;
	char *title;
	char *content;		/* Markdown */
	struct edu_file *attachments;
	int nattachments;
	int done;		/* students: 0 or 1; -1 when the answer does not say (no "done") */
	long version;
};

cJSON *edu_lesson_to_json(const struct edu_lesson *l);
/* Returns 0, or -1 when j is not a lesson (no id). */
int edu_lesson_from_json(struct edu_lesson *l, const cJSON *j);
void edu_lesson_release(struct edu_lesson *l);

#endif
