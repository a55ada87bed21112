/*
 * `edu grade ...` for teachers: a grade set, its history, releasing an assignment's drafts,
 * grading those who handed nothing in, and the grading loop (cmd-grade-next.c). What they
 * share is in grader.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw.h"
#include "grades.h"
#include "grader.h"
#include "list.h"
#include "members.h"
#include "submissions.h"
#include "term.h"
#include "xalloc.h"

/* --- edu grade SUBMISSION SCORE ------------------------------------------------------ */

enum { GS_RUBRIC, GS_MESSAGE, GS_EDIT, GS_RELEASE, GS_EXCUSED, GS__N };
static const struct edu_opt set_opts[] = {
	[GS_RUBRIC] = OPT_LIST('r', "rubric", "CRITERION=LEVEL",
			       "the level reached on a criterion, by name or number (repeatable)"),
	[GS_MESSAGE] = OPT_STRING('m', "message", "TEXT", "a comment for the student"),
	[GS_EDIT] = OPT_BOOL('e', "edit", "write the comment in $EDITOR"),
	[GS_RELEASE] = OPT_BOOL(0, "release", "let the student see the grade now"),
	[GS_EXCUSED] = OPT_BOOL(0, "excused", "excuse the student from this assignment"),
	OPT_END
};

/* Turns the --rubric CRITERION=LEVEL words into picks; prints usage errors. */
static enum edu_err rubric_picks(const struct edu_cmd *cmd, const struct edu_rubric *r,
				 const struct edu_optval *v, cJSON *picks)
{
	for (int i = 0; i < v->nlist; i++) {
		const char *eq = strchr(v->list[i], '=');
		char *cname;
		int ci, li;

		if (!eq)
			return edu_usage(cmd, "--rubric '%s': write CRITERION=LEVEL", v->list[i]);
		if (!r->ncriteria)
			return edu_usage(cmd, "this assignment has no rubric");
		cname = xstrndup(v->list[i], (size_t)(eq - v->list[i]));
		ci = grader_pick(cname, r->ncriteria, grader_criterion_name, r);
		if (ci < 0) {
			enum edu_err e = edu_usage(cmd, "--rubric: no criterion '%s' in this "
						   "assignment's rubric ('edu rubric show' lists "
						   "them)", cname);

			free(cname);
			return e;
		}
		free(cname);
		li = grader_pick(eq + 1, r->criteria[ci].nlevels, grader_level_name, &r->criteria[ci]);
		if (li < 0) {
			char *choices = grader_levels_text(&r->criteria[ci]);
			enum edu_err e = edu_usage(cmd, "--rubric: '%s' is not a level of '%s': %s",
						   eq + 1, r->criteria[ci].name, choices);

			free(choices);
			return e;
		}
		grader_add_pick(picks, r, ci, li);
	}
	return EDU_ERR_OK;
}

/* "'x' is not a score" for cmd; EDU_ERR_OK when s is one. */
static int check_score(const struct edu_cmd *cmd, const char *s)
{
	int has;
	double v;

	if (grader_parse_score(s, &has, &v))
		return edu_usage(cmd, "'%s' is not a score: give a number, or '-' for none", s);
	return EDU_ERR_OK;
}

static int set_check(const struct edu_cmd *cmd, int argc, char **argv,
		     const struct edu_optval *opts)
{
	if (opts[GS_MESSAGE].set && opts[GS_EDIT].set)
		return edu_usage(cmd, "give -m or --edit, not both");
	return check_score(cmd, argv[1]);
}

static int grade_set(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct grader g = { 0 };
	struct edu_grade base = { 0 };
	struct edu_errinfo ei = { 0 };
	struct edu_submission s = { 0 };
	struct edu_api *api = ctx->api;
	const char *id = ctx->id[0];
	enum edu_err err;
	cJSON *body = cJSON_CreateObject(), *sj = NULL, *saved = NULL;
	char *comment = NULL, *kept = NULL;
	int has_score, have_sub = 0, have_base = 0;
	double score = 0;

	grader_parse_score(argv[1], &has_score, &score);	/* set_check() took it */
	err = edu_submission_get(api, id, &sj, &ei);
	if (err) {
		edu_report(err, &ei);
		goto out;
	}
	have_sub = !edu_submission_from_json(&s, sj);
	if (!have_sub || !s.assignment_id) {
		edu_error("the server's answer is not a submission");
		err = EDU_ERR_SERVER;
		goto out;
	}
	err = grader_load(&g, api, s.assignment_id);
	if (!err)
		err = grader_get(api, id, &base);
	if (err)
		goto out;
	have_base = 1;
	if (has_score)
		cJSON_AddNumberToObject(body, "score", score);
	else
		cJSON_AddNullToObject(body, "score");
	if (opts[GS_RUBRIC].set) {
		err = rubric_picks(ctx->cmd, &g.rubric, &opts[GS_RUBRIC],
				   cJSON_AddArrayToObject(body, "rubric"));
		if (err)
			goto out;
	}
	if (opts[GS_EXCUSED].set)
		cJSON_AddBoolToObject(body, "excused", 1);
	if (opts[GS_RELEASE].set)
		cJSON_AddBoolToObject(body, "released", 1);
	if (opts[GS_MESSAGE].set) {
		cJSON_AddStringToObject(body, "comment", opts[GS_MESSAGE].str);
	} else if (opts[GS_EDIT].set) {
		err = edu_term_edit(base.comment, "comment", "txt", &comment, &kept);
		if (err)
			goto out;
		cJSON_AddStringToObject(body, "comment", comment);
	}
	err = grader_put(&g, id, &base, body, &saved);
	edu_term_kept(err, kept, "comment is");
	if (err)
		goto out;
	grader_print_saved(ctx, saved, s.student.username ? s.student.username : id,
			    g.assignment.points_possible);
out:
	if (have_base)
		edu_grade_release(&base);
	if (have_sub)
		edu_submission_release(&s);
	grader_release(&g);
	cJSON_Delete(body);
	cJSON_Delete(sj);
	cJSON_Delete(saved);
	free(comment);
	free(kept);
	return err;
}

/* --- edu grade history --------------------------------------------------------------- */

static void change_row(struct edu_table *t, const cJSON *item, void *arg)
{
	struct edu_grade_change c;
	char when[64], *score;

	if (edu_grade_change_from_json(&c, item))
		return;
	score = edu_fmt_score(&c.new_, 0);
	const char *row[5] = { edu_fmt_time(c.at, when), c.by.username ? c.by.username : c.by.id,
			       score, c.new_.released ? "yes" : "no", c.new_.comment };
	edu_table_add(t, row);
	free(score);
	edu_grade_change_release(&c);
}

static int grade_history(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	static const char *const head[] = { "WHEN", "BY", "SCORE", "RELEASED", "COMMENT" };
	static const struct edu_list list = {
		.ncols = 5, .head = head, .row = change_row,
		.empty = "this submission has not been graded",
	};
	cJSON *items;
	enum edu_err err = cw_fetch(ctx, edu_grade_history, ctx->id[0], &items);

	return err ? err : edu_list_print(ctx, items, &list);
}

/* --- edu grade release --------------------------------------------------------------- */

static int grade_release(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	long n = 0;

	err = edu_grades_release(ctx->api, ctx->id[0], &n, &ei);
	if (err)
		return edu_report(err, &ei);
	if (ctx->out.json) {
		cJSON *j = cJSON_CreateObject();

		cJSON_AddNumberToObject(j, "released", (double)n);
		edu_out_json(&ctx->out, j);
		cJSON_Delete(j);
	} else if (ctx->out.quiet)
		printf("%ld\n", n);
	else
		printf("released %ld grade%s\n", n, n == 1 ? "" : "s");
	return EDU_ERR_OK;
}

/* --- edu grade missing --------------------------------------------------------------- */

enum { GM_SCORE, GM_EXCUSED, GM_RELEASE, GM_DRY_RUN, GM__N };
static const struct edu_opt missing_opts[] = {
	[GM_SCORE] = OPT_STRING('s', "score", "SCORE", "the score they get (default: none)"),
	[GM_EXCUSED] = OPT_BOOL(0, "excused", "excuse them instead of marking them missing"),
	[GM_RELEASE] = OPT_BOOL(0, "release", "let the students see it now"),
	[GM_DRY_RUN] = OPT_BOOL('n', "dry-run", "only list who has not submitted"),
	OPT_END
};

/* 1 when a submission of items is by student_id. */
static int has_submitted(const cJSON *items, const char *student_id)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, items) {
		const char *id = edu_json_str(cJSON_GetObjectItemCaseSensitive(item, "student"),
					      "id");

		if (id && !strcmp(id, student_id))
			return 1;
	}
	return 0;
}

static int missing_check(const struct edu_cmd *cmd, int argc, char **argv,
			 const struct edu_optval *opts)
{
	return opts[GM_SCORE].set ? check_score(cmd, opts[GM_SCORE].str) : EDU_ERR_OK;
}

static int grade_missing(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct grader g = { 0 };
	struct edu_errinfo ei = { 0 };
	struct edu_api *api;
	enum edu_err err, result = EDU_ERR_OK;
	cJSON *members = NULL, *subs = NULL, *body = NULL, *out = NULL;
	const cJSON *item;
	const char *id = NULL;
	double score = 0;
	int has_score = 0, marked = 0, kept = 0;

	if (opts[GM_SCORE].set)
		grader_parse_score(opts[GM_SCORE].str, &has_score, &score);	/* checked */
	err = grader_load(&g, ctx->api, ctx->id[0]);
	if (err)
		goto out;
	api = g.api;
	id = g.assignment_id;
	err = edu_course_members(api, g.assignment.course_id, "student", &members, &ei);
	if (!err)
		err = edu_submissions_list(api, id, 0, &subs, &ei);
	if (err) {
		edu_report(err, &ei);
		goto out;
	}
	body = cJSON_CreateObject();
	cJSON_AddBoolToObject(body, opts[GM_EXCUSED].set ? "excused" : "missing", 1);
	if (has_score)
		cJSON_AddNumberToObject(body, "score", score);
	if (opts[GM_RELEASE].set)
		cJSON_AddBoolToObject(body, "released", 1);
	out = cJSON_CreateArray();
	cJSON_ArrayForEach(item, members) {
		struct edu_member m;
		cJSON *saved = NULL, *current = NULL, *entry;
		const char *who;

		if (edu_member_from_json(&m, item))
			continue;
		if (!m.user.id || has_submitted(subs, m.user.id)) {
			edu_member_release(&m);
			continue;
		}
		who = m.user.username ? m.user.username : m.user.id;
		entry = cJSON_CreateObject();
		cJSON_AddStringToObject(entry, "student_id", m.user.id);
		cJSON_AddStringToObject(entry, "username", who);
		if (opts[GM_DRY_RUN].set) {
			cJSON_AddItemToArray(out, entry);
			if (!ctx->out.json)
				edu_line("%s", who);
			marked++;
			edu_member_release(&m);
			continue;
		}
		/* version 0: only a student who has no grade yet; one who has keeps it */
		err = edu_grade_put_student(api, id, m.user.id, body, "0", &saved, &current, &ei);
		if (err == EDU_ERR_CONFLICT) {
			kept++;
			cJSON_Delete(entry);
			if (!ctx->out.json)
				edu_info(ctx, "%s has a grade already: kept", who);
		} else if (err) {
			cJSON_Delete(entry);
			edu_report(err, &ei);
			result = err;
		} else {
			marked++;
			cJSON_AddItemToObject(entry, "grade", saved);
			saved = NULL;
			cJSON_AddItemToArray(out, entry);
			if (!ctx->out.json)
				edu_info(ctx, "%s: %s", who, opts[GM_EXCUSED].set ? "excused" :
					 "marked missing");
		}
		cJSON_Delete(saved);
		cJSON_Delete(current);
		edu_member_release(&m);
	}
	if (ctx->out.json)
		edu_out_json(&ctx->out, out);
	else if (!opts[GM_DRY_RUN].set)
		edu_info(ctx, "%d %s, %d kept their grade%s", marked,
			 opts[GM_EXCUSED].set ? "excused" : "marked missing", kept,
			 marked && !opts[GM_RELEASE].set ? " (drafts: 'edu grade release' shows "
			 "them to the students)" : "");
	err = result;
out:
	grader_release(&g);
	cJSON_Delete(members);
	cJSON_Delete(subs);
	cJSON_Delete(body);
	cJSON_Delete(out);
	return err;
}

const struct edu_cmd edu_cmd_grade[] = {
	{
		.name = "set",
		.args = "SUBMISSION SCORE",
		.summary = "grade a submission",
		.description =
			"'edu grade SUBMISSION SCORE' is short for it. SUBMISSION is its id or "
			"the first 8 characters of it (or more), as 'edu submission list' shows "
			"them. SCORE is a number, or '-' for none (with a rubric, its points "
			"then make the score). The grade is read first and written back with "
			"its version: if another teacher changed it meanwhile, nothing is "
			"saved, what they changed is shown, and the exit status is 6. A grade "
			"stays a draft that the student cannot see until --release (or 'edu "
			"grade release').",
		.fn = grade_set,
		.check = set_check,
		.opts = set_opts,
		.flags = CMD_NEEDS_LOGIN | CMD_DEFAULT,
		.targets = { EDU_TARGET_SUBMISSION },
	},
	{
		.name = "history",
		.args = "SUBMISSION",
		.summary = "show every change of a submission's grade",
		.description =
			"SUBMISSION is its id or the first 8 characters of it (or more).",
		.fn = grade_history,
		.flags = CMD_NEEDS_LOGIN | CMD_TABLE,
		.targets = { EDU_TARGET_SUBMISSION },
	},
	{
		.name = "release",
		.args = "ASSIGNMENT",
		.summary = "release every draft grade of an assignment",
		.description = "Students see their grades from then on.",
		.fn = grade_release,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_ASSIGNMENT },
	},
	{
		.name = "missing",
		.args = "ASSIGNMENT",
		.summary = "grade the students who have not submitted",
		.description =
			"Marks every student of the course without a submission as missing (or "
			"--excused), with --score if given, as a draft unless --release. A "
			"student who has a grade already keeps it. --dry-run only lists them.",
		.fn = grade_missing,
		.check = missing_check,
		.opts = missing_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_ASSIGNMENT },
	},
	{
		.name = "next",
		.args = "ASSIGNMENT",
		.summary = "grade the ungraded submissions one after another",
		.description =
			"Shows each latest ungraded submission (its text through $PAGER on a "
			"terminal; 'o N' opens file N: with $EDU_OPEN if set, else a text file "
			"through $PAGER, another with xdg-open on a desktop) and asks for the "
			"score, a level for each rubric criterion, a comment ('e' opens "
			"$EDITOR) and whether to release it, then saves. An empty score skips "
			"to the next submission; 'q' stops. Running it again goes on where you "
			"stopped: graded ones are done, and skipped ones are remembered in "
			"$XDG_STATE_HOME/edu/grade-next/ until --from-start. Without a terminal "
			"the answers are read from standard input, a line each.",
		.fn = grader_next,
		.opts = grader_next_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_ASSIGNMENT },
	},
	CMD_END
};
