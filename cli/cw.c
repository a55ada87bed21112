/* Helpers of the course-work commands (see cw.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignments.h"
#include "buf.h"
#include "cw.h"
#include "safe.h"
#include "xalloc.h"

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

enum edu_err cw_fetch(struct edu_ctx *ctx, cw_get_fn *get, const char *id, cJSON **out)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err = get(ctx->api, id, out, &ei);

	return err ? edu_report(err, &ei) : EDU_ERR_OK;
}

enum edu_err cw_show(struct edu_ctx *ctx, cw_get_fn *get, const char *id, cJSON **out)
{
	enum edu_err err = cw_fetch(ctx, get, id, out);

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
