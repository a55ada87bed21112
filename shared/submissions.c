/* Submissions: uploads, typed calls, the lookup of a submission id (see submissions.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "lookup.h"
#include "model/json.h"
#include "submissions.h"
#include "transfer.h"
#include "xalloc.h"

/* How many submissions an ambiguous prefix names. */
#define SUB_NAMED 5

enum edu_err edu_upload(struct edu_api *api, const char *assignment_id, const char *path,
			const char *filename, edu_api_progress_fn *progress, void *progress_arg,
			cJSON **file, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init(&req, "POST", "/uploads");
	edu_request_query(&req, "assignment", assignment_id);
	err = edu_transfer_up(api, &req, path, filename, progress, progress_arg, file, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_submission_create(struct edu_api *api, const char *assignment_id,
				   const char *text, const char *const *file_ids, int nfiles,
				   cJSON **submission, struct edu_errinfo *ei)
{
	struct edu_request req;
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	if (text)
		cJSON_AddStringToObject(body, "text", text);
	if (nfiles > 0) {
		cJSON *files = cJSON_AddArrayToObject(body, "files");

		for (int i = 0; i < nfiles; i++)
			cJSON_AddItemToArray(files, cJSON_CreateString(file_ids[i]));
	}
	edu_request_init_id(&req, "POST", "/assignments", assignment_id, "/submissions");
	req.body = body;
	err = edu_api_json(api, &req, submission, NULL, ei);
	edu_request_release(&req);
	cJSON_Delete(body);
	return err;
}

enum edu_err edu_submissions_list(struct edu_api *api, const char *assignment_id,
				  unsigned flags, cJSON **items, struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "GET", "/assignments", assignment_id, "/submissions");
	edu_request_query(&req, "ungraded", flags & EDU_SUB_UNGRADED ? "1" : NULL);
	edu_request_query(&req, "late", flags & EDU_SUB_LATE ? "1" : NULL);
	edu_request_query(&req, "attempts", flags & EDU_SUB_ALL_ATTEMPTS ? "all" : NULL);
	err = edu_api_list(api, &req, items, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_submission_get(struct edu_api *api, const char *id, cJSON **submission,
				struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "GET", "/submissions", id, NULL);
	err = edu_api_json(api, &req, submission, NULL, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_submission_resolve(struct edu_api *api, const char *idish, char **id,
				    struct edu_errinfo *ei)
{
	struct edu_buf names = EDU_BUF_INIT;
	struct edu_request req;
	const cJSON *items, *item;
	cJSON *page = NULL;
	enum edu_err err;
	char limit[16];
	int n = 0;

	if (edu_lookup_start(idish, "a submission", id, &err, ei))
		return err;
	/* one more than is named, to tell "these" from "these and more" */
	snprintf(limit, sizeof(limit), "%d", SUB_NAMED + 1);
	edu_request_init(&req, "GET", "/submissions");
	edu_request_query(&req, "id_prefix", idish);
	edu_request_query(&req, "limit", limit);
	err = edu_api_json(api, &req, &page, NULL, ei);
	edu_request_release(&req);
	if (err)
		return err;
	items = cJSON_GetObjectItemCaseSensitive(page, "items");
	cJSON_ArrayForEach(item, items) {
		const char *sid = edu_json_str(item, "id");
		const cJSON *student = cJSON_GetObjectItemCaseSensitive(item, "student");
		const char *who = edu_json_str(student, "username");

		if (!sid)
			continue;
		if (!n++)
			*id = xstrdup(sid);
		if (n <= SUB_NAMED)
			edu_buf_printf(&names, "%s%s (%s, attempt %ld)", n > 1 ? ", " : "", sid,
				       who ? who : "?", edu_json_long(item, "attempt", 0));
	}
	if (n == 1) {
		err = EDU_ERR_OK;
		goto out;
	}
	free(*id);
	*id = NULL;
	if (n > 1)
		err = edu_err_set(ei, EDU_ERR_USAGE, "'%s' is the start of more than one "
				  "submission's id; give more of it: %s%s", idish,
				  edu_buf_str(&names), n > SUB_NAMED ? ", ..." : "");
	else
		err = edu_err_set(ei, EDU_ERR_NOT_FOUND, "no submission whose id starts with "
				  "'%s' among those you may read", idish);
out:
	edu_buf_release(&names);
	cJSON_Delete(page);
	return err;
}

enum edu_err edu_submission_file_get(struct edu_api *api, const char *submission_id,
				     const struct edu_file *f, const char *dest,
				     edu_api_progress_fn *progress, void *progress_arg,
				     struct edu_errinfo *ei)
{
	return edu_transfer_file(api, "/submissions", submission_id, "files", f, dest, progress,
				 progress_arg, ei);
}
