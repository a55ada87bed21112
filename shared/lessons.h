/*
 * Lessons (docs/api.md, "Lessons"): a course's lessons, their attachments, and a student's
 * mark that one is done; a typed call for every endpoint, and turning an id or its start
 * into a lesson id. The model is shared/model/lesson.h. Answers are the server's sanitised
 * JSON (caller frees).
 */
#ifndef EDU_LESSONS_H
#define EDU_LESSONS_H

#include <cjson/cJSON.h>

#include "api.h"
#include "err.h"
#include "model/lesson.h"

enum edu_err edu_lessons_list(struct edu_api *api, const char *course_id, cJSON **items,
			      struct edu_errinfo *ei);
/* content may be NULL; position < 0: at the end. */
enum edu_err edu_lesson_create(struct edu_api *api, const char *course_id, const char *title,
			       const char *content, long position, cJSON **lesson,
			       struct edu_errinfo *ei);
enum edu_err edu_lesson_get(struct edu_api *api, const char *id, cJSON **lesson,
			    struct edu_errinfo *ei);
/* PATCH with fields; version NULL: no If-Match. */
enum edu_err edu_lesson_update(struct edu_api *api, const char *id, const cJSON *fields,
			       const char *version, cJSON **lesson, struct edu_errinfo *ei);
/* Deletes a lesson, its attachments and the marks of it done. */
enum edu_err edu_lesson_delete(struct edu_api *api, const char *id, struct edu_errinfo *ei);
/* Marks a lesson done (done nonzero) or not done. */
enum edu_err edu_lesson_set_done(struct edu_api *api, const char *id, int done,
				 struct edu_errinfo *ei);
/* Uploads the file at path as an attachment named filename (NULL: path's last part). */
enum edu_err edu_lesson_attach(struct edu_api *api, const char *id, const char *path,
			       const char *filename, edu_api_progress_fn *progress,
			       void *progress_arg, cJSON **file, struct edu_errinfo *ei);
/* Downloads an attachment to dest (see edu_transfer_down() in transfer.h). */
enum edu_err edu_lesson_attachment_get(struct edu_api *api, const char *id,
				       const struct edu_file *f, const char *dest,
				       edu_api_progress_fn *progress, void *progress_arg,
				       struct edu_errinfo *ei);
/*
 * A lesson id or a unique prefix (at least 8 characters) of one, looked for among the
 * lessons of the caller's courses; as edu_course_resolve() (courses.h).
 */
enum edu_err edu_lesson_resolve(struct edu_api *api, const char *idish, char **id,
				struct edu_errinfo *ei);

#endif
