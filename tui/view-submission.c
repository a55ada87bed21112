/*
 * The grading form: one submission, its text and files, the rubric with the level picked
 * for each criterion (1..9 on a criterion, 0 takes it away; with the cursor elsewhere the
 * first criterion without a level), the score (s), a comment (c on the prompt line, C in
 * the editor), excused (x), released (r); w saves and lands on the next ungraded one of
 * the list it was opened from.
 *
 * A grade is written with the version it was read at (If-Match). When another teacher
 * changed it meanwhile the server answers 412 with the grade as it is now: the form shows
 * what they changed (edu_grade_diff(), as edu grade next does) and asks: m saves yours over
 * theirs, T keeps theirs, e puts yours over theirs to edit. Nothing is overwritten unasked.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "assignments.h"
#include "buf.h"
#include "format.h"
#include "grades.h"
#include "launch.h"
#include "lookup.h"
#include "model.h"
#include "rubricfile.h"
#include "rubrics.h"
#include "submissions.h"
#include "tui.h"
#include "xalloc.h"


/* Item ids of the form's lines that are not criteria (those are 0..ncriteria-1). */
#define ID_TEXT 1000
#define ID_FILE 2000

struct form {
	char *id;			/* the submission (as given to :grade until read) */
	struct view *list;		/* the submissions view it came from, or NULL */
	int loaded;
	cJSON *json;			/* {"submission","grade","assignment","rubric"} */
	struct edu_submission s;
	struct edu_assignment a;
	struct edu_rubric r;
	struct edu_grade base;		/* the grade as read: its version goes with the save */
	/* what the teacher sets */
	int *level;			/* per criterion: the level's index, -1: none */
	int has_score;
	double score;
	char *comment;
	int excused, released;
	/* a 412 */
	int conflict;
	struct edu_grade theirs;
	char *changed;			/* what changed, a line each */
	char *by;			/* who changed it, when the history says */
};

static void form_unload(struct form *f)
{
	if (!f->loaded)
		return;
	edu_submission_release(&f->s);
	edu_assignment_release(&f->a);
	edu_rubric_release(&f->r);
	edu_grade_release(&f->base);
	if (f->conflict)
		edu_grade_release(&f->theirs);
	free(f->level);
	free(f->comment);
	free(f->changed);
	free(f->by);
	cJSON_Delete(f->json);
	f->json = NULL;
	f->level = NULL;
	f->comment = f->changed = f->by = NULL;
	f->conflict = f->loaded = 0;
}

/* The form's values from grade g. */
static void take_values(struct form *f, const struct edu_grade *g)
{
	for (int i = 0; i < f->r.ncriteria; i++) {
		f->level[i] = -1;
		for (int k = 0; k < g->nrubric; k++) {
			if (!g->rubric[k].criterion_id || !f->r.criteria[i].id ||
			    strcmp(g->rubric[k].criterion_id, f->r.criteria[i].id))
				continue;
			for (int l = 0; l < f->r.criteria[i].nlevels; l++)
				if (g->rubric[k].level_id && f->r.criteria[i].levels[l].id &&
				    !strcmp(g->rubric[k].level_id, f->r.criteria[i].levels[l].id))
					f->level[i] = l;
		}
	}
	f->has_score = g->has_score;
	f->score = g->score;
	free(f->comment);
	f->comment = g->comment ? xstrdup(g->comment) : NULL;
	f->excused = g->excused;
	f->released = g->released;
}

/* The sum of the levels picked. */
static double rubric_points(const struct form *f, int *any)
{
	double sum = 0;

	*any = 0;
	for (int i = 0; i < f->r.ncriteria; i++)
		if (f->level[i] >= 0) {
			sum += f->r.criteria[i].levels[f->level[i]].points;
			*any = 1;
		}
	return sum;
}

static void form_layout(struct view *v, int width)
{
	struct form *f = v->priv;
	const struct edu_submission *s = &f->s;
	char when[64], size[32], pts[32], max[32];
	int any, keep = tui_view_cursor_id(v);
	double sum;

	tui_view_clear(v);
	if (!f->loaded)
		return;
	tui_text_line(&v->text, -1);
	tui_text_add(&v->text, TUI_ROLE_HEADING, s->student.username);
	if (s->student.display_name)
		tui_text_addf(&v->text, TUI_ROLE_NORMAL, " (%s)", s->student.display_name);
	tui_text_addf(&v->text, TUI_ROLE_DIM, " · %s · attempt %d · %s", f->a.title, s->attempt,
		      edu_fmt_time(s->submitted_at, when));
	if (s->late)
		tui_text_add(&v->text, TUI_ROLE_WARN, " · LATE");
	for (int i = 0; i < s->nfiles; i++) {
		tui_text_line(&v->text, ID_FILE + i);
		tui_text_addf(&v->text, TUI_ROLE_NORMAL, "  file %d: ", i + 1);
		tui_text_add(&v->text, TUI_ROLE_LINK, s->files[i].filename);
		tui_text_addf(&v->text, TUI_ROLE_DIM, " (%s, %s)  Enter or o opens it",
			      edu_fmt_size(s->files[i].size, size), s->files[i].mime ?
			      s->files[i].mime : "?");
	}
	if (s->text && *s->text) {
		struct tui_text t;

		tui_text_init(&t);
		tui_text_wrap(&t, TUI_ROLE_QUOTE, s->text, width - 6, 4);
		for (int i = 0; i < t.n && i < 6; i++) {
			char *plain = tui_line_plain(&t.lines[i]);

			tui_text_line(&v->text, ID_TEXT);
			tui_text_add(&v->text, TUI_ROLE_QUOTE, plain);
			free(plain);
		}
		if (t.n > 6) {
			tui_text_line(&v->text, ID_TEXT);
			tui_text_add(&v->text, TUI_ROLE_DIM, "    … (Enter reads it all)");
		}
		tui_text_release(&t);
	} else if (!s->nfiles) {
		tui_text_line(&v->text, -1);
		tui_text_add(&v->text, TUI_ROLE_DIM, "  (nothing handed in)");
	}
	if (f->r.ncriteria) {
		tui_text_line(&v->text, -1);
		tui_text_line(&v->text, -1);
		tui_text_add(&v->text, TUI_ROLE_STRONG, "Rubric");
		tui_text_add(&v->text, TUI_ROLE_DIM, "  (1-9 picks a level of the criterion, 0 "
			     "none)");
		for (int i = 0; i < f->r.ncriteria; i++) {
			const struct edu_rubric_criterion *c = &f->r.criteria[i];

			tui_text_line(&v->text, i);
			tui_text_add(&v->text, TUI_ROLE_NORMAL, "  ");
			tui_text_cell(&v->text, TUI_ROLE_NORMAL, c->name, 18);
			for (int k = 0; k < c->nlevels; k++) {
				int on = f->level[i] == k;

				tui_text_addf(&v->text, on ? TUI_ROLE_OK : TUI_ROLE_DIM,
					      " %s%d %s (%s)%s", on ? "[" : " ", k + 1,
					      c->levels[k].name, edu_fmt_num(c->levels[k].points,
									     pts), on ? "]" : " ");
			}
		}
	}
	sum = rubric_points(f, &any);
	tui_text_line(&v->text, -1);
	tui_text_line(&v->text, -1);
	tui_text_add(&v->text, TUI_ROLE_STRONG, "Score     ");
	if (f->excused)
		tui_text_add(&v->text, TUI_ROLE_WARN, "excused");
	else if (f->has_score)
		tui_text_addf(&v->text, TUI_ROLE_NORMAL, "%s / %s", edu_fmt_num(f->score, pts),
			      edu_fmt_num(f->a.points_possible, max));
	else if (any)
		tui_text_addf(&v->text, TUI_ROLE_NORMAL, "%s / %s from the rubric",
			      edu_fmt_num(sum, pts), edu_fmt_num(edu_rubric_max_points(&f->r), max));
	else
		tui_text_add(&v->text, TUI_ROLE_DIM, "none yet");
	tui_text_add(&v->text, TUI_ROLE_DIM, "   (s)");
	tui_text_line(&v->text, -1);
	tui_text_add(&v->text, TUI_ROLE_STRONG, "Comment   ");
	if (f->comment && *f->comment)
		tui_text_add(&v->text, TUI_ROLE_NORMAL, f->comment);
	else
		tui_text_add(&v->text, TUI_ROLE_DIM, "none");
	tui_text_add(&v->text, TUI_ROLE_DIM, "   (c, or C in the editor)");
	tui_text_line(&v->text, -1);
	tui_text_add(&v->text, TUI_ROLE_STRONG, "Released  ");
	tui_text_add(&v->text, f->released ? TUI_ROLE_OK : TUI_ROLE_NORMAL,
		     f->released ? "yes" : "no, a draft");
	tui_text_add(&v->text, TUI_ROLE_DIM, "   (r)     excused: (x)");
	tui_text_line(&v->text, -1);
	tui_text_line(&v->text, -1);
	tui_text_add(&v->text, TUI_ROLE_DIM, f->base.version ?
		     "w: save the changes and go on to the next ungraded one   ]: leave it" :
		     "w: save the grade and go on to the next ungraded one   ]: leave it for later");
	if (f->conflict) {
		const char *p = f->changed ? f->changed : "";

		tui_text_line(&v->text, -1);
		tui_text_line(&v->text, -1);
		tui_text_addf(&v->text, TUI_ROLE_BAD, "The grade was changed%s%s since you read "
			      "it (version %ld, now %ld); yours was not saved. What changed:",
			      f->by ? " by " : " by someone else", f->by ? f->by : "",
			      f->base.version, f->theirs.version);
		while (*p) {
			size_t n = strcspn(p, "\n");
			char *line = xstrndup(p, n);

			tui_text_line(&v->text, -1);
			tui_text_add(&v->text, TUI_ROLE_WARN, line);
			free(line);
			p += n + (p[n] == '\n');
		}
		tui_text_line(&v->text, -1);
		tui_text_add(&v->text, TUI_ROLE_STRONG, "m: keep mine (save it over theirs)   T: "
			     "keep theirs   e: edit mine over theirs");
	}
	if (keep >= 0)
		tui_view_goto_id(v, keep);
	else if (f->r.ncriteria)
		tui_view_goto_id(v, 0);
}

/* --- reading ------------------------------------------------------------------------------ */

static void run_read(struct edu_api *api, struct tui_job *job)
{
	cJSON *s = NULL, *g = NULL, *a = NULL, *r = NULL;
	char *id = NULL;
	const char *aid;

	/* :grade takes an id's first 8 characters too */
	job->err = edu_submission_resolve(api, job->id[0], &id, &job->ei);
	if (job->err)
		return;
	if (!(job->err = edu_submission_get(api, id, &s, &job->ei)) &&
	    !(job->err = edu_grade_get(api, id, &g, &job->ei)) &&
	    (aid = edu_json_str(s, "assignment_id")) &&
	    !(job->err = edu_assignment_get(api, aid, &a, &job->ei)))
		job->err = edu_rubric_get(api, aid, &r, &job->ei);
	free(id);
	job->out = cJSON_CreateObject();
	cJSON_AddItemToObject(job->out, "submission", s ? s : cJSON_CreateNull());
	cJSON_AddItemToObject(job->out, "grade", g ? g : cJSON_CreateNull());
	cJSON_AddItemToObject(job->out, "assignment", a ? a : cJSON_CreateNull());
	cJSON_AddItemToObject(job->out, "rubric", r ? r : cJSON_CreateNull());
	if (!job->err && !a)
		job->err = edu_err_set(&job->ei, EDU_ERR_SERVER, "the submission has no assignment");
}

static void read_done(struct tui *t, struct view *v, struct tui_job *job)
{
	struct form *f;
	const cJSON *j;

	if (job->err) {
		tui_failure(t, "cannot read the submission", job->err, &job->ei);
		return;
	}
	if (!v)
		return;
	f = v->priv;
	form_unload(f);
	f->json = job->out;
	job->out = NULL;
	j = f->json;
	if (edu_submission_from_json(&f->s, cJSON_GetObjectItemCaseSensitive(j, "submission"))) {
		cJSON_Delete(f->json);
		f->json = NULL;
		tui_error(t, "the server's answer is not a submission");
		return;
	}
	edu_assignment_from_json(&f->a, cJSON_GetObjectItemCaseSensitive(j, "assignment"));
	edu_rubric_from_json(&f->r, cJSON_GetObjectItemCaseSensitive(j, "rubric"));
	edu_grade_from_json(&f->base, cJSON_GetObjectItemCaseSensitive(j, "grade"));
	f->level = xcalloc((size_t)f->r.ncriteria + 1, sizeof(int));
	f->loaded = 1;
	free(f->id);
	f->id = xstrdup(f->s.id);
	take_values(f, &f->base);
	free(v->title);
	v->title = xstrdup(f->s.student.username ? f->s.student.username : "?");
	v->width = 0;
	v->cursor = 0;
	t->need_redraw = 1;
}

static void form_open(struct view *v)
{
	struct form *f = v->priv;
	struct tui_job *job = tui_job_new(v, "reading the submission", run_read, read_done);

	job->id[0] = xstrdup(f->id);
	tui_job_submit(v->tui, job);
}

/* --- saving ------------------------------------------------------------------------------- */

/* The grade the form says, as the PUT's body. */
static cJSON *form_body(const struct form *f)
{
	cJSON *body = cJSON_CreateObject(), *picks = cJSON_AddArrayToObject(body, "rubric");

	for (int i = 0; i < f->r.ncriteria; i++) {
		cJSON *p;

		if (f->level[i] < 0)
			continue;
		p = cJSON_CreateObject();
		edu_json_add_str(p, "criterion_id", f->r.criteria[i].id);
		edu_json_add_str(p, "level_id", f->r.criteria[i].levels[f->level[i]].id);
		cJSON_AddItemToArray(picks, p);
	}
	edu_json_add_opt_num(body, "score", f->has_score && !f->excused, f->score);
	cJSON_AddBoolToObject(body, "excused", f->excused);
	edu_json_add_str(body, "comment", f->comment && *f->comment ? f->comment : NULL);
	cJSON_AddBoolToObject(body, "released", f->released);
	return body;
}

static void run_save(struct edu_api *api, struct tui_job *job)
{
	cJSON *items = NULL;

	job->err = edu_grade_put(api, job->id[0], job->body, job->version, &job->out,
				 &job->current, &job->ei);
	/* who changed it: the last entry of its history */
	if (job->err == EDU_ERR_CONFLICT && !edu_grade_history(api, job->id[0], &items, NULL)) {
		const char *name = edu_json_str(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(
			items, cJSON_GetArraySize(items) - 1), "by"), "username");

		if (name)
			job->text = xstrdup(name);
		cJSON_Delete(items);
	}
}

/* Goes on to the next ungraded submission of the list; saved: what was just saved. */
static void go_next(struct view *v, int graded, const char *saved)
{
	struct form *f = v->priv;
	struct tui *t = v->tui;
	char *next = f->list ? tui_submissions_next(f->list, f->id, graded) : NULL;

	if (saved)
		tui_message(t, "%s%s", saved, next || !f->list ? "" :
			    "; none left to grade");
	else if (!next && f->list)
		tui_message(t, "nothing else is left to grade");
	if (!next) {
		tui_view_pop(t);
		return;
	}
	form_unload(f);
	free(f->id);
	f->id = next;
	tui_view_clear(v);
	form_open(v);
}

static void save_done(struct tui *t, struct view *v, struct tui_job *job)
{
	struct form *f;
	struct edu_buf b = EDU_BUF_INIT;
	struct edu_grade g;
	char *saved = NULL;

	if (job->err == EDU_ERR_CONFLICT && v && job->current) {
		f = v->priv;
		if (f->conflict)
			edu_grade_release(&f->theirs);
		f->conflict = !edu_grade_from_json(&f->theirs, job->current);
		if (f->conflict && !edu_grade_diff(&b, &f->base, &f->theirs, &f->r))
			edu_buf_adds(&b, "  (nothing you can see: only its version)\n");
		free(f->changed);
		f->changed = edu_buf_detach(&b);
		free(f->by);
		f->by = job->text ? xstrdup(job->text) : NULL;
		tui_error(t, "another teacher changed this grade: yours was not saved");
		v->width = 0;
		return;
	}
	if (job->err) {
		tui_failure(t, "cannot save the grade", job->err, &job->ei);
		return;
	}
	tui_refresh_counts(t);
	if (!v)
		return;
	f = v->priv;
	if (!edu_grade_from_json(&g, job->out)) {
		char *score = edu_fmt_score(&g, f->a.points_possible);

		saved = xasprintf("graded %s: %s (%s)", f->s.student.username, score,
				  g.released ? "released" : "draft, not released");
		free(score);
		edu_grade_release(&g);
	}
	if (f->list) {
		f->list->stale = 1;
		tui_view_stale_below(f->list);
	}
	go_next(v, 1, saved ? saved : "saved");
	free(saved);
}

static void save(struct view *v)
{
	struct form *f = v->priv;
	struct tui_job *job = tui_job_new(v, "saving the grade", run_save, save_done);
	char version[32];

	snprintf(version, sizeof(version), "%ld", f->base.version);
	job->id[0] = xstrdup(f->id);
	job->version = xstrdup(version);
	job->body = form_body(f);
	tui_job_submit(v->tui, job);
}

/* --- the teacher's keys -------------------------------------------------------------------- */

static void score_answer(struct tui *t, struct view *v, const char *answer)
{
	struct form *f;
	double s;

	if (!v)
		return;
	f = v->priv;
	if (!strcmp(answer, "-") || !*answer) {
		f->has_score = 0;
	} else if (edu_parse_points(answer, &s)) {
		tui_error(t, "'%s' is not a score: a number not below 0, or '-' for none", answer);
		return;
	} else {
		f->has_score = 1;
		f->score = s;
		f->excused = 0;
		if (f->a.points_possible > 0 && s > f->a.points_possible)
			tui_message(t, "note: more than the %g points possible", f->a.points_possible);
	}
	v->width = 0;
}

static void comment_answer(struct tui *t, struct view *v, const char *answer)
{
	struct form *f;

	if (!v)
		return;
	f = v->priv;
	free(f->comment);
	f->comment = xstrdup(answer);
	v->width = 0;
}

static void file_answer(struct tui *t, struct view *v, const char *answer)
{
	struct form *f;
	int n = atoi(answer);

	if (!v)
		return;
	f = v->priv;
	if (n < 1 || n > f->s.nfiles) {
		tui_error(t, "no file '%s': give 1 to %d", answer, f->s.nfiles);
		return;
	}
	tui_open_file(t, v, "/submissions", f->s.id, "files", &f->s.files[n - 1]);
}

/* The criterion a level key is for: the cursor's, else the first without a level. */
static int criterion_for_key(struct view *v)
{
	struct form *f = v->priv;
	int id = tui_view_cursor_id(v);

	if (id >= 0 && id < f->r.ncriteria)
		return id;
	for (int i = 0; i < f->r.ncriteria; i++)
		if (f->level[i] < 0)
			return i;
	return f->r.ncriteria ? 0 : -1;
}

static int form_request(struct view *v, enum tui_action a)
{
	struct form *f = v->priv;
	struct edu_errinfo ei = { 0 };
	char *text = NULL, pts[32];
	int c;

	if (!f->loaded)
		return 0;
	if (a >= TUI_ACT_LEVEL_1 && a <= TUI_ACT_LEVEL_NONE) {
		int level = a == TUI_ACT_LEVEL_NONE ? -1 : (int)(a - TUI_ACT_LEVEL_1);

		c = criterion_for_key(v);
		if (c < 0) {
			tui_error(v->tui, "this assignment has no rubric");
			return 1;
		}
		if (level >= f->r.criteria[c].nlevels) {
			tui_error(v->tui, "'%s' has %d levels", f->r.criteria[c].name,
				  f->r.criteria[c].nlevels);
			return 1;
		}
		f->level[c] = level;
		v->width = 0;
		form_layout(v, v->width = COLS);
		/* on to the next criterion */
		tui_view_goto_id(v, c + 1 < f->r.ncriteria ? c + 1 : c);
		return 1;
	}
	switch (a) {
	case TUI_ACT_SCORE:
		snprintf(pts, sizeof(pts), "%g", f->a.points_possible);
		{
			char *q = xasprintf("score (of %s; '-' none, the rubric decides):", pts);

			tui_prompt_open(v->tui, v, q, NULL, score_answer, NULL);
			free(q);
		}
		return 1;
	case TUI_ACT_COMMENT:
		tui_prompt_open(v->tui, v, "comment:", f->comment, comment_answer, NULL);
		return 1;
	case TUI_ACT_COMMENT_EDITOR:
		tui_screen_suspend(v->tui);
		if (edu_launch_edit(f->comment, "comment", "txt", &text, NULL, &ei))
			tui_failure(v->tui, "the comment is unchanged", ei.err, &ei);
		else
			comment_answer(v->tui, v, text);
		tui_screen_resume(v->tui);
		free(text);
		return 1;
	case TUI_ACT_EXCUSE:
		f->excused = !f->excused;
		v->width = 0;
		return 1;
	case TUI_ACT_RELEASE:
		f->released = !f->released;
		v->width = 0;
		return 1;
	case TUI_ACT_SAVE:
		if (f->conflict) {
			tui_error(v->tui, "another teacher changed it: m, T or e first");
			return 1;
		}
		save(v);
		return 1;
	case TUI_ACT_NEXT:
		go_next(v, 0, NULL);
		return 1;
	case TUI_ACT_FILE:
		if (!f->s.nfiles)
			tui_error(v->tui, "nothing was handed in as a file");
		else if (f->s.nfiles == 1)
			file_answer(v->tui, v, "1");
		else
			tui_prompt_open(v->tui, v, "open file number:", NULL, file_answer, NULL);
		return 1;
	case TUI_ACT_OPEN: {
		int id = tui_view_cursor_id(v);

		if (id == ID_TEXT)
			tui_view_push(v->tui, tui_text_view(v->tui, "text", f->s.text));
		else if (id >= ID_FILE && id < ID_FILE + f->s.nfiles)
			tui_open_file(v->tui, v, "/submissions", f->s.id, "files",
				      &f->s.files[id - ID_FILE]);
		return 1;
	}
	case TUI_ACT_KEEP_MINE:
	case TUI_ACT_KEEP_THEIRS:
	case TUI_ACT_EDIT_MERGE:
		if (!f->conflict)
			return 0;
		/* every answer starts from their grade: its version is the one to write over */
		edu_grade_release(&f->base);
		f->base = f->theirs;
		f->conflict = 0;
		if (a == TUI_ACT_KEEP_THEIRS) {
			take_values(f, &f->base);
			tui_message(v->tui, "kept the other teacher's grade");
		} else if (a == TUI_ACT_KEEP_MINE) {
			save(v);
		} else {
			tui_message(v->tui, "your grade over theirs: change it, then w saves it");
		}
		v->width = 0;
		return 1;
	default:
		return 0;
	}
}

static void form_done(struct view *v)
{
	struct form *f = v->priv;

	form_unload(f);
	free(f->id);
	free(f);
}

const struct view_ops tui_view_submission = {
	.open = form_open,
	.layout = form_layout,
	.request = form_request,
	.done = form_done,
};

struct view *tui_submission_view_in(struct tui *t, const char *submission_id,
				    struct view *list)
{
	struct form *f = xcalloc(1, sizeof(*f));

	f->id = xstrdup(submission_id);
	f->list = list;
	return tui_view_new(t, "submission", NULL, f);
}

struct view *tui_submission_view(struct tui *t, const char *submission_id)
{
	return tui_submission_view_in(t, submission_id, NULL);
}
