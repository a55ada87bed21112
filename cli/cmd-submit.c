/*
 * `edu submit ASSIGNMENT [FILE...]`: a student hands work in. Each file is uploaded first
 * (streamed from disk, with a progress bar on a terminal for large ones), then the
 * submission is made of the uploads and the text. Every submit is a new attempt; the
 * teacher sees the latest.
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "assignments.h"
#include "buf.h"
#include "cw.h"
#include "edu.h"
#include "model.h"
#include "submissions.h"
#include "term.h"
#include "xalloc.h"

/* Files at least this large get a progress bar. */
#define PROGRESS_THRESHOLD (1024 * 1024)

enum { SU_TEXT, SU_TEXT_FILE, SU__N };
const struct edu_opt edu_opts_submit[] = {
	[SU_TEXT] = OPT_STRING('t', "text", "TEXT", "the text of the submission"),
	[SU_TEXT_FILE] = OPT_STRING(0, "text-file", "FILE",
				    "read the text from FILE ('-': standard input)"),
	OPT_END
};

/* Checks the files against the assignment before anything is sent. */
static enum edu_err check_files(const struct edu_assignment *a, int n, char **files)
{
	char size[32], max[32];

	for (int i = 0; i < n; i++) {
		struct stat st;

		if (stat(files[i], &st) < 0) {
			edu_error("cannot read '%s': %s", files[i], strerror(errno));
			return EDU_ERR_IO;
		}
		if (!S_ISREG(st.st_mode)) {
			edu_error("'%s' is not a regular file", files[i]);
			return EDU_ERR_IO;
		}
		if (a->max_file_size > 0 && st.st_size > a->max_file_size) {
			edu_error("'%s' is %s, larger than this assignment takes (%s)", files[i],
				  edu_fmt_size(st.st_size, size), edu_fmt_size(a->max_file_size, max));
			return EDU_ERR_INVALID;
		}
	}
	return EDU_ERR_OK;
}

/* What submit refuses before it does anything. */
int edu_check_submit(const struct edu_cmd *cmd, int argc, char **argv,
		     const struct edu_optval *opts)
{
	if (opts[SU_TEXT].set && opts[SU_TEXT_FILE].set)
		return edu_usage(cmd, "give --text or --text-file, not both");
	if (argc < 2 && !opts[SU_TEXT].set && !opts[SU_TEXT_FILE].set)
		return edu_usage(cmd, "nothing to submit: give files, --text or --text-file");
	return EDU_ERR_OK;
}

int edu_cmd_submit(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	struct edu_assignment a = { 0 };
	struct edu_api *api = ctx->api;
	const char *id = ctx->id[0];
	enum edu_err err = EDU_ERR_OK;
	const int nfiles = argc - 1;
	char **ids = xcalloc((size_t)nfiles + 1, sizeof(char *));
	char *text = NULL;
	cJSON *sub = NULL;
	const char *kind;

	if (opts[SU_TEXT].set)
		text = xstrdup(opts[SU_TEXT].str);
	else if (opts[SU_TEXT_FILE].set && !(text = cw_read_text(opts[SU_TEXT_FILE].str, "submit it as a file instead", 0))) {
		err = EDU_ERR_IO;
		goto out;
	}
	err = cw_assignment_read(api, id, &a);
	if (err)
		goto out;
	/* what the assignment takes, said before a large upload is wasted */
	kind = a.submission_kind ? a.submission_kind : "both";
	if (!strcmp(kind, "text") && nfiles) {
		err = edu_usage(ctx->cmd, "'%s' takes text only: give --text or --text-file, no "
				"files", a.title);
		goto out;
	}
	if (!strcmp(kind, "files") && text) {
		err = edu_usage(ctx->cmd, "'%s' takes files only, no text", a.title);
		goto out;
	}
	err = check_files(&a, nfiles, argv + 1);
	if (err)
		goto out;
	for (int i = 0; i < nfiles; i++) {
		char *copy = xstrdup(argv[i + 1]);
		struct edu_progress p;
		cJSON *file = NULL;

		edu_progress_init(&p, basename(copy), PROGRESS_THRESHOLD);
		err = edu_upload(api, id, argv[i + 1], NULL, edu_progress_cb, &p, &file, &ei);
		edu_progress_end(&p);
		free(copy);
		if (err) {
			edu_report_on(err, &ei, "cannot upload '%s'", argv[i + 1]);
			goto out;
		}
		if (edu_json_str(file, "id"))
			ids[i] = xstrdup(edu_json_str(file, "id"));
		cJSON_Delete(file);
		if (!ids[i]) {
			edu_error("the server's answer to the upload of '%s' has no id", argv[i + 1]);
			err = EDU_ERR_SERVER;
			goto out;
		}
	}
	err = edu_submission_create(api, id, text, (const char *const *)ids, nfiles, &sub, &ei);
	if (err) {
		edu_report(err, &ei);
		goto out;
	}
	if (ctx->out.json) {
		edu_out_json(&ctx->out, sub);
	} else if (ctx->out.quiet) {
		edu_line("%s", edu_json_str(sub, "id") ? edu_json_str(sub, "id") : "");
	} else {
		long attempt = (long)edu_json_num(sub, "attempt", 1);
		struct edu_buf what = EDU_BUF_INIT;

		if (nfiles)
			edu_buf_printf(&what, "%d file%s", nfiles, nfiles == 1 ? "" : "s");
		if (text)
			edu_buf_printf(&what, "%stext", nfiles ? " and " : "");
		edu_line("submitted attempt %ld of '%s' (%s)%s", attempt, a.title,
			 edu_buf_str(&what), edu_json_bool(sub, "late", 0) ? "; it is late" : "");
		edu_buf_release(&what);
	}
out:
	for (int i = 0; i < nfiles; i++)
		free(ids[i]);
	free(ids);
	edu_assignment_release(&a);
	cJSON_Delete(sub);
	free(text);
	return err;
}
