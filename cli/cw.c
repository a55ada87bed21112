/* Helpers of the course-work commands (see cw.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "assignments.h"
#include "courses.h"
#include "cw.h"
#include "lessons.h"
#include "submissions.h"
#include "safe.h"
#include "xalloc.h"

enum edu_err cw_course_id(struct edu_api *api, const char *arg, char **id)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err = edu_course_resolve(api, arg, id, &ei);

	return err ? edu_report(err, &ei) : EDU_ERR_OK;
}

enum edu_err cw_assignment_id(struct edu_api *api, const char *arg, char **id)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err = edu_assignment_resolve(api, arg, id, &ei);

	return err ? edu_report(err, &ei) : EDU_ERR_OK;
}

enum edu_err cw_lesson_id(struct edu_api *api, const char *arg, char **id)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err = edu_lesson_resolve(api, arg, id, &ei);

	return err ? edu_report(err, &ei) : EDU_ERR_OK;
}

enum edu_err cw_submission_id(struct edu_api *api, const char *arg, char **id)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err = edu_submission_resolve(api, arg, id, &ei);

	return err ? edu_report(err, &ei) : EDU_ERR_OK;
}

enum edu_err cw_assignment_read(struct edu_api *api, const char *id, struct edu_assignment *a)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	cJSON *j = NULL;

	memset(a, 0, sizeof(*a));
	err = edu_assignment_get(api, id, &j, &ei);
	if (err)
		return edu_report(err, &ei);
	if (edu_assignment_from_json(a, j))
		err = EDU_ERR_SERVER;
	cJSON_Delete(j);
	if (err)
		edu_error("the server's answer is not an assignment");
	return err;
}

enum edu_err cw_open(struct edu_ctx *ctx, cw_resolve_fn *resolve, const char *arg,
		     struct edu_api **api, char **id)
{
	enum edu_err err;

	*id = NULL;
	err = edu_ctx_api(ctx, 1, api);
	return err ? err : resolve(*api, arg, id);
}

enum edu_err cw_fetch(struct edu_ctx *ctx, cw_resolve_fn *resolve, const char *arg,
		      cw_get_fn *get, cJSON **out)
{
	struct edu_errinfo ei = { 0 };
	struct edu_api *api;
	enum edu_err err;
	char *id;

	*out = NULL;
	err = cw_open(ctx, resolve, arg, &api, &id);
	if (err)
		return err;
	err = get(api, id, out, &ei);
	free(id);
	return err ? edu_report(err, &ei) : EDU_ERR_OK;
}

enum edu_err cw_show(struct edu_ctx *ctx, cw_resolve_fn *resolve, const char *arg,
		     cw_get_fn *get, cJSON **out)
{
	enum edu_err err = cw_fetch(ctx, resolve, arg, get, out);

	if (!err && ctx->out.json) {
		edu_out_json(&ctx->out, *out);
		cJSON_Delete(*out);
		*out = NULL;
	}
	return err;
}

char *cw_oneline(const char *s)
{
	return edu_safe_text(s, EDU_SAFE_ONELINE);
}

char *cw_read_text(const char *path, const char *hint, int trim)
{
	struct edu_buf b = EDU_BUF_INIT;
	FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char chunk[8192];
	size_t n;
	int failed;

	if (!fp) {
		edu_error("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		edu_buf_add(&b, chunk, n);
	failed = ferror(fp);
	if (failed)
		edu_error("cannot read '%s': %s", path, strerror(errno));
	if (fp != stdin)
		fclose(fp);
	if (!failed && memchr(b.data ? b.data : "", '\0', b.len)) {
		edu_error("'%s' is not text (it has NUL bytes)%s%s", path, hint ? "; " : "",
			  hint ? hint : "");
		failed = 1;
	}
	if (failed) {
		edu_buf_release(&b);
		return NULL;
	}
	while (trim && b.len > 0 && strchr("\n\r \t", b.data[b.len - 1]))
		b.data[--b.len] = '\0';
	return edu_buf_detach(&b);
}
