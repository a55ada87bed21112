/*
 * Files up and down, streamed (api.h, struct edu_request): an upload is read from its file
 * piece by piece; a download is written to a temporary file beside its destination,
 * checked against the SHA-256 the server gives, and only then renamed into place. The
 * typed calls that move the files of a resource (edu_upload(), edu_lesson_attach(),
 * edu_submission_file_get()...) are built on these.
 */
#ifndef EDU_TRANSFER_H
#define EDU_TRANSFER_H

#include <cjson/cJSON.h>

#include "api.h"
#include "err.h"
#include "model/file.h"

/*
 * POSTs the file at path as the raw body of req (its target; "filename" is added to its
 * query: filename, or path's last part when NULL), with progress. *file gets the answer, the
 * stored file (caller frees).
 */
enum edu_err edu_transfer_up(struct edu_api *api, struct edu_request *req, const char *path,
			     const char *filename, edu_api_progress_fn *progress,
			     void *progress_arg, cJSON **file, struct edu_errinfo *ei);
/*
 * GETs req's target (raw bytes) into dest: written to a temporary file in dest's directory
 * (mode 0600: other people's work stays private on a shared machine), checked against the
 * answer's Digest and against sha256 (hex, may be NULL), then renamed over dest. Nothing is
 * left behind on failure.
 */
enum edu_err edu_transfer_down(struct edu_api *api, struct edu_request *req, const char *dest,
			       const char *sha256, edu_api_progress_fn *progress,
			       void *progress_arg, struct edu_errinfo *ei);
/*
 * Downloads file f of the object PREFIX/ID (its PREFIX/ID/KIND/FILE route: "/lessons", id,
 * "attachments") to dest, checked against f's SHA-256.
 */
enum edu_err edu_transfer_file(struct edu_api *api, const char *prefix, const char *id,
			       const char *kind, const struct edu_file *f, const char *dest,
			       edu_api_progress_fn *progress, void *progress_arg,
			       struct edu_errinfo *ei);
/*
 * The client's own copy of file f of the object PREFIX/ID (as edu_transfer_file()), kept
 * in $XDG_CACHE_HOME/edu/files/ID/NAME (NAME made safe by edu_safe_filename(), the
 * directory 0700): downloaded unless the copy there already has f's SHA-256. *path gets
 * where it is (caller frees). id must be a UUID, since it names a directory: nothing from
 * the server may lead out of the cache.
 */
enum edu_err edu_transfer_cached(struct edu_api *api, const char *prefix, const char *id,
				 const char *kind, const struct edu_file *f,
				 edu_api_progress_fn *progress, void *progress_arg, char **path,
				 struct edu_errinfo *ei);
/*
 * SHA-256 (hex, 65 bytes with the NUL) of the file at path. -1 with errno set when it
 * cannot be read.
 */
int edu_file_sha256(const char *path, char out[65]);

#endif
