/*
 * An assignment: what it asks (its instructions, rendered), when it is due, its rubric,
 * and for a student every attempt with its grade once released and the feedback. t hands
 * in text written in the editor (the screen given to it and taken back), f a file picked
 * in the file picker (view-files.c), uploaded with a progress bar on the status line.
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "assignments.h"
#include "format.h"
#include "launch.h"
#include "model.h"
#include "rubrics.h"
#include "submissions.h"
#include "tui.h"
#include "xalloc.h"

struct assignment {
	char *id;
	cJSON *json;		/* the assignment */
	cJSON *rubric;
	cJSON *attempts;	/* a student's own, all of them */
	struct edu_assignment a;
	int have;
};

static void set_json(struct assignment *as, cJSON *json)
{
	if (as->have)
		edu_assignment_release(&as->a);
	cJSON_Delete(as->json);
	as->json = json;
	as->have = !edu_assignment_from_json(&as->a, json);
}

/* The levels reached of a released grade, "Method: Sound (6 of 10)", a line each. */
static void feedback(struct view *v, const struct edu_grade *g, const struct edu_rubric *r,
		     int width)
{
	for (int i = 0; i < g->nrubric; i++) {
		const struct edu_rubric_criterion *c;
		const struct edu_rubric_level *l = edu_rubric_level(r, g->rubric[i].criterion_id,
								   g->rubric[i].level_id, &c);
		struct edu_rubric one = { .criteria = (struct edu_rubric_criterion *)c,
					  .ncriteria = c ? 1 : 0 };
		char pts[32], max[32];

		tui_text_line(&v->text, -1);
		tui_text_addf(&v->text, TUI_ROLE_NORMAL, "      %s: ", c && c->name ? c->name :
			      "criterion");
		tui_text_addf(&v->text, TUI_ROLE_STRONG, "%s", l && l->name ? l->name : "?");
		tui_text_addf(&v->text, TUI_ROLE_DIM, " (%s of %s)",
			      edu_fmt_num(g->rubric[i].points, pts),
			      edu_fmt_num(edu_rubric_max_points(&one), max));
	}
	if (g->comment && *g->comment) {
		tui_text_line(&v->text, -1);
		tui_text_add(&v->text, TUI_ROLE_NORMAL, "      comment:");
		tui_text_wrap(&v->text, TUI_ROLE_QUOTE, g->comment, width, 8);
	}
}

static void field(struct view *v, const char *name, enum tui_role role, const char *value)
{
	tui_text_line(&v->text, -1);
	tui_text_cell(&v->text, TUI_ROLE_DIM, name, 14);
	tui_text_add(&v->text, role, value);
}

static void assignment_layout(struct view *v, int width)
{
	struct assignment *as = v->priv;
	const struct edu_assignment *a = &as->a;
	struct edu_rubric r = { 0 };
	int have_rubric = as->rubric && !edu_rubric_from_json(&r, as->rubric);
	char due[64], pts[32], buf[128];
	const cJSON *item;

	tui_view_clear(v);
	if (!as->have)
		return;
	tui_text_line(&v->text, -1);
	tui_text_add(&v->text, TUI_ROLE_HEADING, a->title);
	tui_text_line(&v->text, -1);
	field(v, "course", TUI_ROLE_NORMAL, edu_json_str(cJSON_GetObjectItemCaseSensitive(
		as->json, "_course"), "name"));
	field(v, "due", TUI_ROLE_NORMAL, a->due_at ? edu_fmt_time(a->due_at, due) : "no due date");
	field(v, "points", TUI_ROLE_NORMAL, edu_fmt_num(a->points_possible, pts));
	field(v, "hand in", TUI_ROLE_NORMAL, !a->submission_kind ? "text or files" :
	      !strcmp(a->submission_kind, "text") ? "text" :
	      !strcmp(a->submission_kind, "files") ? "files" : "text, files or both");
	if (a->max_file_size > 0)
		field(v, "largest file", TUI_ROLE_NORMAL, edu_fmt_size(a->max_file_size, buf));
	if (a->mine) {
		snprintf(buf, sizeof(buf), "%s%s", a->mine->status, a->mine->late ? " (late)" : "");
		field(v, "you", !strcmp(a->mine->status, "overdue") ? TUI_ROLE_BAD :
		      !strcmp(a->mine->status, "todo") ? TUI_ROLE_WARN : TUI_ROLE_OK,
		      !strcmp(a->mine->status, "todo") ? "to do" : buf);
	}
	tui_text_line(&v->text, -1);
	tui_text_line(&v->text, -1);
	tui_text_add(&v->text, TUI_ROLE_STRONG, "Instructions");
	if (a->instructions && *a->instructions) {
		tui_markdown(&v->text, a->instructions, width - 2);
	} else {
		tui_text_line(&v->text, -1);
		tui_text_add(&v->text, TUI_ROLE_DIM, "(none)");
	}
	if (have_rubric && r.ncriteria) {
		tui_text_line(&v->text, -1);
		tui_text_line(&v->text, -1);
		tui_text_addf(&v->text, TUI_ROLE_STRONG, "Rubric (%s points)",
			      edu_fmt_num(edu_rubric_max_points(&r), pts));
		for (int i = 0; i < r.ncriteria; i++) {
			tui_text_line(&v->text, -1);
			tui_text_addf(&v->text, TUI_ROLE_NORMAL, "  %s: ", r.criteria[i].name);
			for (int k = 0; k < r.criteria[i].nlevels; k++)
				tui_text_addf(&v->text, TUI_ROLE_DIM, "%s%s (%s)", k ? " · " : "",
					      r.criteria[i].levels[k].name,
					      edu_fmt_num(r.criteria[i].levels[k].points, pts));
		}
	}
	if (a->mine) {
		tui_text_line(&v->text, -1);
		tui_text_line(&v->text, -1);
		tui_text_add(&v->text, TUI_ROLE_STRONG, "Your attempts");
		if (!cJSON_GetArraySize(as->attempts)) {
			tui_text_line(&v->text, -1);
			tui_text_add(&v->text, TUI_ROLE_DIM, "  none yet: t hands in text, f a file");
		}
		cJSON_ArrayForEach(item, as->attempts) {
			struct edu_submission s;
			char when[64];

			if (edu_submission_from_json(&s, item))
				continue;
			tui_text_line(&v->text, -1);
			tui_text_addf(&v->text, TUI_ROLE_NORMAL, "  attempt %d, %s", s.attempt,
				      edu_fmt_time(s.submitted_at, when));
			if (s.late)
				tui_text_add(&v->text, TUI_ROLE_WARN, " (late)");
			for (int i = 0; i < s.nfiles; i++)
				tui_text_addf(&v->text, TUI_ROLE_DIM, "%s%s", i ? ", " : ": ",
					      s.files[i].filename);
			if (s.text && *s.text)
				tui_text_add(&v->text, TUI_ROLE_DIM, s.nfiles ? " and text" : ": text");
			if (s.grade) {
				char *score = edu_fmt_score(s.grade, a->points_possible);

				tui_text_line(&v->text, -1);
				tui_text_add(&v->text, TUI_ROLE_NORMAL, "    grade: ");
				tui_text_add(&v->text, TUI_ROLE_OK, score);
				free(score);
				feedback(v, s.grade, have_rubric ? &r : NULL, width);
			}
			edu_submission_release(&s);
		}
		tui_text_line(&v->text, -1);
		tui_text_line(&v->text, -1);
		tui_text_add(&v->text, TUI_ROLE_DIM, "t: hand in text (in the editor)   f: hand in a file");
	}
	if (have_rubric)
		edu_rubric_release(&r);
}

static void run_read(struct edu_api *api, struct tui_job *job)
{
	cJSON *a = NULL, *rubric = NULL, *attempts = NULL;

	job->err = edu_assignment_get(api, job->id[0], &a, &job->ei);
	if (job->err)
		return;
	job->out = cJSON_CreateObject();
	cJSON_AddItemToObject(job->out, "assignment", a);
	if (!edu_rubric_get(api, job->id[0], &rubric, NULL))
		cJSON_AddItemToObject(job->out, "rubric", rubric);
	if (cJSON_GetObjectItemCaseSensitive(a, "mine")) {
		job->err = edu_submissions_list(api, job->id[0], EDU_SUB_ALL_ATTEMPTS, &attempts,
						&job->ei);
		if (!job->err)
			cJSON_AddItemToObject(job->out, "attempts", attempts);
	}
}

static void read_done(struct tui *t, struct view *v, struct tui_job *job)
{
	struct assignment *as;
	cJSON *course;

	if (job->err) {
		tui_failure(t, "cannot read the assignment", job->err, &job->ei);
		return;
	}
	if (!v)
		return;
	as = v->priv;
	/* the course it is in came with the list; the server's object does not say */
	course = cJSON_DetachItemFromObjectCaseSensitive(as->json, "_course");
	set_json(as, cJSON_DetachItemFromObjectCaseSensitive(job->out, "assignment"));
	if (course)
		cJSON_AddItemToObject(as->json, "_course", course);
	cJSON_Delete(as->rubric);
	as->rubric = cJSON_DetachItemFromObjectCaseSensitive(job->out, "rubric");
	cJSON_Delete(as->attempts);
	as->attempts = cJSON_DetachItemFromObjectCaseSensitive(job->out, "attempts");
	v->width = 0;
	t->need_redraw = 1;
}

static void assignment_open(struct view *v)
{
	struct assignment *as = v->priv;
	struct tui_job *job = tui_job_new(v, "reading the assignment", run_read, read_done);

	job->id[0] = xstrdup(as->id);
	tui_job_submit(v->tui, job);
}

/* --- handing in -------------------------------------------------------------------------- */

static void run_submit(struct edu_api *api, struct tui_job *job)
{
	cJSON *file = NULL;
	const char *ids[1];

	if (job->path) {
		job->err = edu_upload(api, job->id[0], job->path, NULL, tui_job_progress, job,
				      &file, &job->ei);
		if (job->err)
			return;
		ids[0] = edu_json_str(file, "id");
		if (!ids[0]) {
			cJSON_Delete(file);
			job->err = edu_err_set(&job->ei, EDU_ERR_SERVER, "the server's answer to the "
					       "upload has no id");
			return;
		}
	}
	job->err = edu_submission_create(api, job->id[0], job->text, ids, job->path ? 1 : 0,
					 &job->out, &job->ei);
	cJSON_Delete(file);
}

static void submit_done(struct tui *t, struct view *v, struct tui_job *job)
{
	if (job->err) {
		tui_failure(t, "cannot hand it in", job->err, &job->ei);
		return;
	}
	tui_message(t, "handed in: attempt %ld%s", (long)edu_json_num(job->out, "attempt", 1),
		    edu_json_bool(job->out, "late", 0) ? " (late)" : "");
	tui_refresh_counts(t);
	if (v) {
		tui_view_stale_below(v);
		assignment_open(v);
	}
}

static void submit(struct view *v, const char *text, const char *path)
{
	struct assignment *as = v->priv;
	struct tui_job *job;

	job = tui_job_new(v, path ? "uploading" : "handing in", run_submit, submit_done);
	job->id[0] = xstrdup(as->id);
	job->text = text ? xstrdup(text) : NULL;
	job->path = path ? xstrdup(path) : NULL;
	tui_job_submit(v->tui, job);
}

static void picked(struct view *v, const char *path)
{
	struct assignment *as = v->priv;
	struct stat st;
	char size[32], max[32];

	if (stat(path, &st) < 0) {
		tui_error(v->tui, "cannot read '%s': %s", path, strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		tui_error(v->tui, "'%s' is not a regular file", path);
		return;
	}
	if (as->a.max_file_size > 0 && st.st_size > as->a.max_file_size) {
		tui_error(v->tui, "'%s' is %s, larger than this assignment takes (%s)", path,
			  edu_fmt_size(st.st_size, size), edu_fmt_size(as->a.max_file_size, max));
		return;
	}
	submit(v, NULL, path);
}

static int assignment_request(struct view *v, enum tui_action a)
{
	struct assignment *as = v->priv;
	const char *kind = as->have && as->a.submission_kind ? as->a.submission_kind : "both";
	struct edu_errinfo ei = { 0 };
	char *text = NULL;
	enum edu_err err;

	switch (a) {
	case TUI_ACT_SUBMIT_TEXT:
		if (!as->have || !as->a.mine) {
			tui_error(v->tui, "only the course's students hand work in");
			return 1;
		}
		if (!strcmp(kind, "files")) {
			tui_error(v->tui, "'%s' takes files only: f hands in a file", as->a.title);
			return 1;
		}
		tui_screen_suspend(v->tui);
		err = edu_launch_edit(NULL, "submission", "txt", &text, NULL, &ei);
		tui_screen_resume(v->tui);
		if (err)
			tui_failure(v->tui, "nothing handed in", err, &ei);
		else if (!*text)
			tui_error(v->tui, "the text is empty: nothing handed in");
		else
			submit(v, text, NULL);
		free(text);
		return 1;
	case TUI_ACT_SUBMIT_FILE:
		if (!as->have || !as->a.mine) {
			tui_error(v->tui, "only the course's students hand work in");
			return 1;
		}
		if (!strcmp(kind, "text")) {
			tui_error(v->tui, "'%s' takes text only: t writes it", as->a.title);
			return 1;
		}
		tui_view_push(v->tui, tui_files_view(v->tui, picked));
		return 1;
	default:
		return 0;
	}
}

static void assignment_done(struct view *v)
{
	struct assignment *as = v->priv;

	if (as->have)
		edu_assignment_release(&as->a);
	cJSON_Delete(as->json);
	cJSON_Delete(as->rubric);
	cJSON_Delete(as->attempts);
	free(as->id);
	free(as);
}

const struct view_ops tui_view_assignment = {
	.open = assignment_open,
	.layout = assignment_layout,
	.request = assignment_request,
	.done = assignment_done,
};

struct view *tui_assignment_view(struct tui *t, const cJSON *assignment)
{
	struct assignment *as = xcalloc(1, sizeof(*as));

	set_json(as, cJSON_Duplicate(assignment, 1));
	as->id = xstrdup(as->have ? as->a.id : "");
	return tui_view_new(t, "assignment", as->have ? as->a.title : NULL, as);
}
