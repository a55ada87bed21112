/*
 * Opening a file of the server's (a lesson's attachment, a submitted file) as `edu grade
 * next` does (shared/launch.h, shared/transfer.h): the private copy in the cache, fetched
 * on the worker unless it is there already, then a text in a text view here, another file
 * with EDU_OPEN or the desktop's opener (the screen given to it and taken back), and over
 * SSH, where nothing can open it, where the copy is.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "launch.h"
#include "model.h"
#include "safe.h"
#include "transfer.h"
#include "tui.h"
#include "xalloc.h"

static void run_fetch(struct edu_api *api, struct tui_job *job)
{
	struct edu_file f;

	if (edu_file_from_json(&f, job->body)) {
		job->err = edu_err_set(&job->ei, EDU_ERR_SERVER, "the server's file has no id");
		return;
	}
	job->err = edu_transfer_cached(api, job->id[1], job->id[0], job->id[2], &f,
				       tui_job_progress, job, &job->path, &job->ei);
	edu_file_release(&f);
}

static void fetch_done(struct tui *t, struct view *v, struct tui_job *job)
{
	const char *mime = edu_json_str(job->body, "mime"), *program;
	char *raw, *text;
	int status;

	if (job->err) {
		tui_failure(t, "cannot fetch the file", job->err, &job->ei);
		return;
	}
	switch (edu_launch_open_how(job->path, mime, &program)) {
	case EDU_OPEN_PAGE:
		raw = edu_launch_read_file(job->path);
		if (!raw) {
			tui_error(t, "cannot read '%s': %s", job->path, strerror(errno));
			return;
		}
		/* a file may hold escape sequences: they never reach the terminal */
		text = edu_safe_text(raw, EDU_SAFE_MULTILINE);
		tui_view_push(t, tui_text_view(t, edu_json_str(job->body, "filename"), text));
		free(text);
		free(raw);
		return;
	case EDU_OPEN_SAY_WHERE:
		tui_message(t, "saved as %s (set EDU_OPEN to a program that opens %s files)",
			    job->path, mime && *mime ? mime : "such");
		return;
	case EDU_OPEN_RUN:
		tui_screen_suspend(t);
		status = edu_launch_run(program, job->path);
		tui_screen_resume(t);
		if (status == 127)
			tui_error(t, "cannot run '%s' to open '%s'; set EDU_OPEN to a program that "
				  "opens files", program, job->path);
		else if (status)
			tui_error(t, "'%s' could not open '%s' (exit status %d)", program,
				  job->path, status);
		return;
	}
}

void tui_open_file(struct tui *t, struct view *v, const char *prefix, const char *id,
		   const char *kind, const struct edu_file *f)
{
	struct tui_job *job = tui_job_new(v, "fetching the file", run_fetch, fetch_done);

	job->id[0] = xstrdup(id);
	job->id[1] = xstrdup(prefix);
	job->id[2] = xstrdup(kind);
	job->body = edu_file_to_json(f);
	tui_job_submit(t, job);
}
