/* Lessons: the typed calls and the lookup of a lesson id (see lessons.h). */
#include "config.h"

#include "lessons.h"
#include "lookup.h"
#include "transfer.h"

enum edu_err edu_lessons_list(struct edu_api *api, const char *course_id, cJSON **items,
			      struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "GET", "/courses", course_id, "/lessons");
	err = edu_api_list(api, &req, items, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_lesson_create(struct edu_api *api, const char *course_id, const char *title,
			       const char *content, long position, cJSON **lesson,
			       struct edu_errinfo *ei)
{
	struct edu_request req;
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	cJSON_AddStringToObject(body, "title", title);
	if (content)
		cJSON_AddStringToObject(body, "content", content);
	if (position >= 0)
		cJSON_AddNumberToObject(body, "position", (double)position);
	edu_request_init_id(&req, "POST", "/courses", course_id, "/lessons");
	req.body = body;
	err = edu_api_json(api, &req, lesson, NULL, ei);
	edu_request_release(&req);
	cJSON_Delete(body);
	return err;
}

enum edu_err edu_lesson_get(struct edu_api *api, const char *id, cJSON **lesson,
			    struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "GET", "/lessons", id, NULL);
	err = edu_api_json(api, &req, lesson, NULL, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_lesson_update(struct edu_api *api, const char *id, const cJSON *fields,
			       const char *version, cJSON **lesson, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "PATCH", "/lessons", id, NULL);
	req.body = fields;
	req.if_match = version;
	err = edu_api_json(api, &req, lesson, NULL, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_lesson_set_done(struct edu_api *api, const char *id, int done,
				 struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, done ? "POST" : "DELETE", "/lessons", id, "/done");
	err = edu_api_json(api, &req, NULL, NULL, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_lesson_attach(struct edu_api *api, const char *id, const char *path,
			       const char *filename, edu_api_progress_fn *progress,
			       void *progress_arg, cJSON **file, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "POST", "/lessons", id, "/attachments");
	err = edu_transfer_up(api, &req, path, filename, progress, progress_arg, file, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_lesson_attachment_get(struct edu_api *api, const char *id,
				       const struct edu_file *f, const char *dest,
				       edu_api_progress_fn *progress, void *progress_arg,
				       struct edu_errinfo *ei)
{
	return edu_transfer_file(api, "/lessons", id, "attachments", f, dest, progress,
				 progress_arg, ei);
}

enum edu_err edu_lesson_resolve(struct edu_api *api, const char *idish, char **id,
				struct edu_errinfo *ei)
{
	return edu_lookup_in_courses(api, idish, edu_lessons_list, "lesson", "a lesson", id, ei);
}

enum edu_err edu_lesson_delete(struct edu_api *api, const char *id, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "DELETE", "/lessons", id, NULL);
	err = edu_api_json(api, &req, NULL, NULL, ei);
	edu_request_release(&req);
	return err;
}
