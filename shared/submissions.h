/*
 * Submissions (docs/api.md, "Submissions"): uploads, handing work in, lists, one
 * submission and its files, and turning an id or its start into a submission id. The model
 * is shared/model/submission.h. Answers are the server's sanitised JSON (caller frees).
 */
#ifndef EDU_SUBMISSIONS_H
#define EDU_SUBMISSIONS_H

#include <cjson/cJSON.h>

#include "api.h"
#include "err.h"
#include "model/submission.h"

/* Uploads the file at path for a submission to assignment_id; *file gets the file object. */
enum edu_err edu_upload(struct edu_api *api, const char *assignment_id, const char *path,
			const char *filename, edu_api_progress_fn *progress, void *progress_arg,
			cJSON **file, struct edu_errinfo *ei);
/* text may be NULL; file_ids has nfiles upload ids. */
enum edu_err edu_submission_create(struct edu_api *api, const char *assignment_id,
				   const char *text, const char *const *file_ids, int nfiles,
				   cJSON **submission, struct edu_errinfo *ei);
/* Flags of edu_submissions_list(). */
#define EDU_SUB_UNGRADED     0x1	/* ?ungraded=1 */
#define EDU_SUB_LATE         0x2	/* ?late=1 */
#define EDU_SUB_ALL_ATTEMPTS 0x4	/* ?attempts=all */
enum edu_err edu_submissions_list(struct edu_api *api, const char *assignment_id,
				  unsigned flags, cJSON **items, struct edu_errinfo *ei);
enum edu_err edu_submission_get(struct edu_api *api, const char *id, cJSON **submission,
				struct edu_errinfo *ei);
/*
 * A submission id or a unique prefix (at least 8 characters) of one, looked for among the
 * submissions the caller may read (one request, whatever the number of courses); as
 * edu_course_resolve() (courses.h), and when more than one matches the message names some
 * of them.
 */
enum edu_err edu_submission_resolve(struct edu_api *api, const char *idish, char **id,
				    struct edu_errinfo *ei);
/* Downloads a file of a submission to dest (see edu_transfer_down() in transfer.h). */
enum edu_err edu_submission_file_get(struct edu_api *api, const char *submission_id,
				     const struct edu_file *f, const char *dest,
				     edu_api_progress_fn *progress, void *progress_arg,
				     struct edu_errinfo *ei);

#endif
