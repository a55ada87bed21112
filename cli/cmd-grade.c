/*
 * `edu grade ...` for teachers and `edu grades` for students.
 *
 * A grade is always written with the version it was read at (If-Match): when another
 * teacher changed it meanwhile the server answers 412 with the grade as it is now, and
 * we show what they changed and keep it, never overwrite it (exit status 6).
 *
 * `edu grade next ASSIGNMENT` is the grading loop: the latest ungraded submissions in
 * order, one at a time, with readline prompts that also read a script's standard input
 * line by line. Submissions skipped with an empty score are remembered in
 * $XDG_STATE_HOME/edu/grade-next/ASSIGNMENT, so the next run starts after them;
 * --from-start forgets them.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "assignments.h"
#include "buf.h"
#include "clientconfig.h"
#include "cw.h"
#include "edu.h"
#include "grades.h"
#include "list.h"
#include "members.h"
#include "model.h"
#include "prompt.h"
#include "rubricfile.h"
#include "rubrics.h"
#include "safe.h"
#include "submissions.h"
#include "term.h"
#include "transfer.h"
#include "users.h"
#include "xalloc.h"

/* What grading one submission needs to know. */
struct grading {
	struct edu_api *api;
	char *assignment_id;
	struct edu_assignment assignment;
	struct edu_rubric rubric;	/* no criteria when the assignment has no rubric */
	int has_assignment, has_rubric;
};

static void grading_release(struct grading *g)
{
	free(g->assignment_id);
	if (g->has_assignment)
		edu_assignment_release(&g->assignment);
	if (g->has_rubric)
		edu_rubric_release(&g->rubric);
	memset(g, 0, sizeof(*g));
}

/* Reads the assignment and its rubric; prints failures. */
static enum edu_err grading_load(struct grading *g, struct edu_api *api, const char *assignment_id)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	cJSON *j = NULL;

	g->api = api;
	g->assignment_id = xstrdup(assignment_id);
	err = cw_assignment_read(api, assignment_id, &g->assignment);
	if (err)
		return err;
	g->has_assignment = 1;
	err = edu_rubric_get(api, assignment_id, &j, &ei);
	if (err)
		return edu_report(err, &ei);
	g->has_rubric = !edu_rubric_from_json(&g->rubric, j);
	cJSON_Delete(j);
	return EDU_ERR_OK;
}

/* The assignment named by arg (an id or a unique prefix), loaded; prints failures. */
static enum edu_err grading_open(struct edu_ctx *ctx, const char *arg, struct grading *g)
{
	struct edu_api *api;
	enum edu_err err;
	char *id = NULL;

	err = cw_open(ctx, cw_assignment_id, arg, &api, &id);
	if (!err)
		err = grading_load(g, api, id);
	free(id);
	return err;
}

/* The index of the choice named by word: a number from 1, or a name (or its unique start). */
static int pick_by_word(const char *word, int n, const char *(*name_of)(const void *, int),
			const void *arg)
{
	char *end;
	long k = strtol(word, &end, 10);
	int found = -1, count = 0;

	if (end != word && !*end)
		return k >= 1 && k <= n ? (int)k - 1 : -1;
	for (int i = 0; i < n; i++)
		if (name_of(arg, i) && !strcasecmp(name_of(arg, i), word))
			return i;
	for (int i = 0; i < n; i++)
		if (name_of(arg, i) && !strncasecmp(name_of(arg, i), word, strlen(word))) {
			found = i;
			count++;
		}
	return count == 1 ? found : -1;
}

static const char *criterion_name(const void *arg, int i)
{
	return ((const struct edu_rubric *)arg)->criteria[i].name;
}

static const char *level_name(const void *arg, int i)
{
	return ((const struct edu_rubric_criterion *)arg)->levels[i].name;
}

/* "1) Excellent (4)  2) Good (3)" (caller frees). */
static char *levels_text(const struct edu_rubric_criterion *c)
{
	struct edu_buf b = EDU_BUF_INIT;
	char pts[32];

	for (int k = 0; k < c->nlevels; k++)
		edu_buf_printf(&b, "%s%d) %s (%s)", k ? "  " : "", k + 1,
			       c->levels[k].name ? c->levels[k].name : "?",
			       edu_fmt_num(c->levels[k].points, pts));
	return edu_buf_detach(&b);
}

/* Adds {"criterion_id","level_id"} for criterion ci, level li to picks. */
static void add_pick(cJSON *picks, const struct edu_rubric *r, int ci, int li)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "criterion_id", r->criteria[ci].id ? r->criteria[ci].id : "");
	cJSON_AddStringToObject(p, "level_id", r->criteria[ci].levels[li].id ?
				r->criteria[ci].levels[li].id : "");
	cJSON_AddItemToArray(picks, p);
}

/* Reads a score: a number not below 0, "-" for none. -1 when it is neither. */
static int parse_score(const char *s, int *has, double *v)
{
	*has = 0;
	if (!strcmp(s, "-"))
		return 0;
	if (edu_parse_points(s, v))
		return -1;
	*has = 1;
	return 0;
}

/* The user name of whoever changed the grade last, from its history (caller frees). */
static char *last_changed_by(struct edu_api *api, const char *submission_id)
{
	cJSON *items = NULL;
	const char *name;
	char *by = NULL;

	if (edu_grade_history(api, submission_id, &items, NULL))
		return NULL;
	name = edu_json_str(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(items,
		cJSON_GetArraySize(items) - 1), "by"), "username");
	if (name)
		by = xstrdup(name);
	cJSON_Delete(items);
	return by;
}

/*
 * Sends body as the grade of submission_id over base (its version). On 412, says what
 * changed since base and returns EDU_ERR_CONFLICT. *saved (may be NULL) gets the grade.
 */
static enum edu_err put_grade(struct grading *g, const char *submission_id,
			      const struct edu_grade *base, const cJSON *body, cJSON **saved)
{
	struct edu_errinfo ei = { 0 };
	struct edu_grade now;
	enum edu_err err;
	cJSON *current = NULL, *j = NULL;
	char version[32], when[64];

	snprintf(version, sizeof(version), "%ld", base->version);
	err = edu_grade_put(g->api, submission_id, body, version, &j, &current, &ei);
	if (err == EDU_ERR_CONFLICT && current && !edu_grade_from_json(&now, current)) {
		struct edu_buf who = EDU_BUF_INIT;
		char *by = last_changed_by(g->api, submission_id);

		if (by || now.graded_by)
			edu_buf_printf(&who, " by %s", by ? by : now.graded_by);
		free(by);
		if (now.graded_at)
			edu_buf_printf(&who, " at %s", edu_fmt_time(now.graded_at, when));
		edu_error("the grade was changed%s since you read it (version %ld, now %ld); "
			  "yours was not saved. What changed:", who.len ?
			  edu_buf_str(&who) : " by someone else", base->version, now.version);
		edu_buf_reset(&who);
		if (!edu_grade_diff(&who, base, &now, g->has_rubric ? &g->rubric : NULL))
			edu_buf_adds(&who, "  (nothing you can see: only its version)\n");
		fputs(edu_buf_str(&who), stderr);
		edu_buf_release(&who);
		edu_grade_release(&now);
	} else if (err) {
		edu_report(err, &ei);
	}
	cJSON_Delete(current);
	if (!err && saved)
		*saved = j;
	else
		cJSON_Delete(j);
	return err;
}

/* Reads a grade; prints failures. */
static enum edu_err get_grade(struct edu_api *api, const char *submission_id,
			      struct edu_grade *g)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	cJSON *j = NULL;

	err = edu_grade_get(api, submission_id, &j, &ei);
	if (err)
		return edu_report(err, &ei);
	if (edu_grade_from_json(g, j)) {
		cJSON_Delete(j);
		edu_error("the server's answer is not a grade");
		return EDU_ERR_SERVER;
	}
	cJSON_Delete(j);
	return EDU_ERR_OK;
}

/* "graded ada: 8/10 (draft)" */
static void print_saved(struct edu_ctx *ctx, const cJSON *j, const char *who, double points)
{
	struct edu_grade g;
	char *score;

	if (ctx->out.json) {
		edu_out_json(&ctx->out, j);
		return;
	}
	if (edu_grade_from_json(&g, j))
		return;
	score = edu_fmt_score(&g, points);
	edu_info(ctx, "graded %s: %s (%s)", who, score, g.released ? "released" : "draft, not "
		 "released");
	free(score);
	edu_grade_release(&g);
}

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
		ci = pick_by_word(cname, r->ncriteria, criterion_name, r);
		if (ci < 0) {
			enum edu_err e = edu_usage(cmd, "--rubric: no criterion '%s' in this "
						   "assignment's rubric ('edu rubric show' lists "
						   "them)", cname);

			free(cname);
			return e;
		}
		free(cname);
		li = pick_by_word(eq + 1, r->criteria[ci].nlevels, level_name, &r->criteria[ci]);
		if (li < 0) {
			char *choices = levels_text(&r->criteria[ci]);
			enum edu_err e = edu_usage(cmd, "--rubric: '%s' is not a level of '%s': %s",
						   eq + 1, r->criteria[ci].name, choices);

			free(choices);
			return e;
		}
		add_pick(picks, r, ci, li);
	}
	return EDU_ERR_OK;
}

/* Could s be an id or the start of one, as SUBMISSION takes it? */
static int looks_like_id(const char *s)
{
	return strlen(s) >= EDU_ID_SHORT && strspn(s, "0123456789abcdefABCDEF-") == strlen(s);
}

static int grade_set(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct grading g = { 0 };
	struct edu_grade base = { 0 };
	struct edu_errinfo ei = { 0 };
	struct edu_submission s = { 0 };
	struct edu_api *api;
	enum edu_err err;
	cJSON *body = cJSON_CreateObject(), *sj = NULL, *saved = NULL;
	char *comment = NULL, *kept = NULL, *id = NULL;
	int has_score, have_sub = 0, have_base = 0;
	double score = 0;

	/*
	 * `edu grade histroy X`: a misspelt command, not a submission; but "deadbeef" may
	 * well start an id
	 */
	if (strspn(argv[0], "abcdefghijklmnopqrstuvwxyz-") == strlen(argv[0]) &&
	    !looks_like_id(argv[0]) && edu_cmd_parent(ctx->cmd)) {
		err = edu_cmd_unknown(edu_cmd_parent(ctx->cmd), edu_cmd_parent(ctx->cmd)->subs,
				      argv[0]);
		goto out;
	}
	if (parse_score(argv[1], &has_score, &score)) {
		err = edu_usage(ctx->cmd, "'%s' is not a score: give a number, or '-' for none",
				argv[1]);
		goto out;
	}
	if (opts[GS_MESSAGE].set && opts[GS_EDIT].set) {
		err = edu_usage(ctx->cmd, "give -m or --edit, not both");
		goto out;
	}
	err = cw_open(ctx, cw_submission_id, argv[0], &api, &id);
	if (err)
		goto out;
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
	err = grading_load(&g, api, s.assignment_id);
	if (!err)
		err = get_grade(api, id, &base);
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
	err = put_grade(&g, id, &base, body, &saved);
	edu_term_kept(err, kept, "comment is");
	if (err)
		goto out;
	print_saved(ctx, saved, s.student.username ? s.student.username : id,
		    g.assignment.points_possible);
out:
	if (have_base)
		edu_grade_release(&base);
	if (have_sub)
		edu_submission_release(&s);
	grading_release(&g);
	cJSON_Delete(body);
	cJSON_Delete(sj);
	cJSON_Delete(saved);
	free(comment);
	free(kept);
	free(id);
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
	enum edu_err err = cw_fetch(ctx, cw_submission_id, argv[0], edu_grade_history, &items);

	return err ? err : edu_list_print(ctx, items, &list);
}

/* --- edu grade release --------------------------------------------------------------- */

static int grade_release(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	struct edu_api *api;
	enum edu_err err;
	char *id = NULL;
	long n = 0;

	err = cw_open(ctx, cw_assignment_id, argv[0], &api, &id);
	if (err)
		return err;
	err = edu_grades_release(api, id, &n, &ei);
	free(id);
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

static int grade_missing(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct grading g = { 0 };
	struct edu_errinfo ei = { 0 };
	struct edu_api *api;
	enum edu_err err, result = EDU_ERR_OK;
	cJSON *members = NULL, *subs = NULL, *body = NULL, *out = NULL;
	const cJSON *item;
	const char *id = NULL;
	double score = 0;
	int has_score = 0, marked = 0, kept = 0;

	if (opts[GM_SCORE].set && parse_score(opts[GM_SCORE].str, &has_score, &score))
		return edu_usage(ctx->cmd, "'%s' is not a score: give a number, or '-' for none",
				 opts[GM_SCORE].str);
	err = grading_open(ctx, argv[0], &g);
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
	grading_release(&g);
	cJSON_Delete(members);
	cJSON_Delete(subs);
	cJSON_Delete(body);
	cJSON_Delete(out);
	return err;
}

/* --- edu grade next ------------------------------------------------------------------ */

/* The skipped submissions of one assignment, kept between runs. */
struct skips {
	char *path;		/* NULL: nowhere to keep them */
	struct edu_buf ids;	/* one id a line */
};

static void skips_load(struct skips *sk, const char *assignment_id, int from_start)
{
	char *sub = xasprintf("grade-next/%s", assignment_id), *data;
	FILE *fp;

	memset(sk, 0, sizeof(*sk));
	sk->path = edu_xdg_path("XDG_STATE_HOME", ".local/state", sub);
	free(sub);
	if (!sk->path)
		return;
	if (from_start) {
		unlink(sk->path);
		return;
	}
	fp = fopen(sk->path, "r");
	if (!fp)
		return;
	data = xmalloc(64);
	while (fgets(data, 64, fp))
		if (edu_is_uuid(strtok(data, "\n") ? data : ""))
			edu_buf_printf(&sk->ids, "%s\n", data);
	free(data);
	fclose(fp);
}

static int skips_has(const struct skips *sk, const char *id)
{
	const char *p = edu_buf_str(&sk->ids);
	size_t n = strlen(id);

	for (; (p = strstr(p, id)); p += n)
		if ((p == edu_buf_str(&sk->ids) || p[-1] == '\n') && p[n] == '\n')
			return 1;
	return 0;
}

/* Remembers a skip at once, so a quit (or a kill) right after does not lose it. */
static void skips_add(struct skips *sk, const char *id)
{
	struct edu_errinfo ei = { 0 };
	char *dir;

	edu_buf_printf(&sk->ids, "%s\n", id);
	if (!sk->path)
		return;
	dir = xstrndup(sk->path, (size_t)(strrchr(sk->path, '/') - sk->path));
	if (edu_mkdirs(dir, 0700, &ei) ||
	    edu_write_atomic(sk->path, sk->ids.data, sk->ids.len, 0600, &ei))
		edu_error("cannot remember the skip: %s", ei.message);
	free(dir);
}

static void skips_release(struct skips *sk)
{
	free(sk->path);
	edu_buf_release(&sk->ids);
}

/* What the teacher answered. */
enum answer { ANS_OK, ANS_SKIP, ANS_QUIT };

/* One answer, without blanks around it; NULL at the end of input. */
static char *ask(const char *question)
{
	char *line = edu_prompt(question, NULL);

	if (line) {
		/* blanks around an answer are never meant */
		char *s = line, *e;

		while (isspace((unsigned char)*s))
			s++;
		e = s + strlen(s);
		while (e > s && isspace((unsigned char)e[-1]))
			*--e = '\0';
		memmove(line, s, strlen(s) + 1);
	}
	return line;
}

/* Downloads file n of s into the cache and opens it. */
static void open_file(struct grading *g, const struct edu_submission *s, int n)
{
	struct edu_errinfo ei = { 0 };
	const struct edu_file *f;
	char *sub, *dir, *name, *path, have[65];
	struct edu_progress p;

	if (!s->nfiles) {
		edu_error("this submission has no files");
		return;
	}
	if (n < 1 || n > s->nfiles) {
		edu_error("no file %d: give 1 to %d", n, s->nfiles);
		return;
	}
	f = &s->files[n - 1];
	if (!edu_is_uuid(s->id)) {
		/* it names a directory: nothing from the server may lead out of the cache */
		edu_error("the server gave a submission id that is not one");
		return;
	}
	sub = xasprintf("files/%s", s->id);
	dir = edu_xdg_path("XDG_CACHE_HOME", ".cache", sub);
	free(sub);
	if (!dir) {
		edu_error("cannot tell where to keep the file: set HOME or XDG_CACHE_HOME");
		return;
	}
	name = edu_safe_filename(f->filename, "file");
	path = xasprintf("%s/%s", dir, name);
	if (edu_mkdirs(dir, 0700, &ei)) {
		edu_report(EDU_ERR_IO, &ei);
		goto out;
	}
	if (!f->sha256 || edu_file_sha256(path, have) || strcasecmp(have, f->sha256)) {
		edu_progress_init(&p, name, 1024 * 1024);
		if (edu_submission_file_get(g->api, s->id, f, path, edu_progress_cb, &p, &ei)) {
			edu_progress_end(&p);
			edu_report(ei.err, &ei);
			goto out;
		}
		edu_progress_end(&p);
	}
	edu_term_open(path, f->mime);
out:
	free(path);
	free(name);
	free(dir);
}

/* Shows a submission: the header and files on stdout, the text through the pager. */
static void show_submission(const struct edu_submission *s, int index, int total)
{
	char when[64], size[32], *user = cw_oneline(s->student.username);
	char *name = cw_oneline(s->student.display_name);

	putchar('\n');
	edu_line("[%d/%d] %s%s%s%s, attempt %d, submitted %s%s", index, total,
		 *user ? user : "?", *name ? " (" : "", name, *name ? ")" : "", s->attempt,
		 edu_fmt_time(s->submitted_at, when), s->late ? ", LATE" : "");
	free(user);
	free(name);
	for (int i = 0; i < s->nfiles; i++) {
		char *file = cw_oneline(s->files[i].filename), *mime = cw_oneline(s->files[i].mime);

		edu_line("  %d. %s (%s, %s)", i + 1, *file ? file : "?",
			 edu_fmt_size(s->files[i].size, size), *mime ? mime : "?");
		free(file);
		free(mime);
	}
	if (s->text && *s->text) {
		printf("\n");
		edu_term_page(s->text);
	} else if (!s->nfiles) {
		printf("  (nothing handed in)\n");
	}
	fflush(stdout);
}

/* Asks the score: fills body; ANS_SKIP on an empty line, ANS_QUIT on q or end of input. */
static enum answer ask_score(struct grading *g, const struct edu_submission *s, int index,
			     int total, cJSON *body)
{
	char pts[32], *question;
	enum answer ans = ANS_QUIT;

	question = xasprintf("score (of %s; empty skips, q quits, o N opens file N, ? helps)",
			     edu_fmt_num(g->assignment.points_possible, pts));
	for (;;) {
		char *line = ask(question);
		int has;
		double v;

		if (!line || !strcmp(line, "q")) {
			free(line);
			break;
		}
		if (!*line) {
			free(line);
			ans = ANS_SKIP;
			break;
		}
		if (line[0] == 'o' && (line[1] == ' ' || isdigit((unsigned char)line[1]))) {
			open_file(g, s, atoi(line + 1));
		} else if (!strcmp(line, "t")) {
			show_submission(s, index, total);
		} else if (!strcmp(line, "?")) {
			fprintf(stderr, "  a number: the score ('-': none, the rubric decides)\n"
				"  x: excused\n  o N: open file N\n  t: show the submission again\n"
				"  empty: skip to the next one (remembered for the next run)\n"
				"  q: quit (run again to go on)\n");
		} else if (!strcmp(line, "x")) {
			cJSON_AddBoolToObject(body, "excused", 1);
			cJSON_AddNullToObject(body, "score");
			ans = ANS_OK;
		} else if (!parse_score(line, &has, &v)) {
			if (has && v > g->assignment.points_possible &&
			    g->assignment.points_possible > 0)
				fprintf(stderr, "edu: note: more than the %s points possible\n", pts);
			if (has)
				cJSON_AddNumberToObject(body, "score", v);
			else
				cJSON_AddNullToObject(body, "score");
			ans = ANS_OK;
		} else {
			edu_error("'%s' is not a score: a number, '-', x, o N, t, q, or empty to "
				  "skip", line);
		}
		free(line);
		if (ans == ANS_OK)
			break;
	}
	free(question);
	return ans;
}

/* Asks a level for each criterion of the rubric; ANS_QUIT at end of input or q. */
static enum answer ask_rubric(struct grading *g, cJSON *body)
{
	const struct edu_rubric *r = &g->rubric;
	cJSON *picks;

	if (!r->ncriteria)
		return ANS_OK;
	picks = cJSON_AddArrayToObject(body, "rubric");
	for (int i = 0; i < r->ncriteria; i++) {
		const struct edu_rubric_criterion *c = &r->criteria[i];
		char *levels = levels_text(c), *question;
		char *choices = xasprintf("  %s: %s", c->name ? c->name : "?", levels);
		char *clean = cw_oneline(choices);

		fprintf(stderr, "%s\n", clean);
		free(clean);
		free(choices);
		question = xasprintf("%s (number or name; empty: not assessed)",
				     c->name ? c->name : "?");
		free(levels);
		for (;;) {
			char *line = ask(question);
			int li;

			if (!line || !strcmp(line, "q")) {
				free(line);
				free(question);
				return ANS_QUIT;
			}
			if (!*line) {
				free(line);
				break;
			}
			li = pick_by_word(line, c->nlevels, level_name, c);
			if (li >= 0) {
				add_pick(picks, r, i, li);
				free(line);
				break;
			}
			edu_error("'%s' is not a level of '%s'", line, c->name ? c->name : "?");
			free(line);
		}
		free(question);
	}
	return ANS_OK;
}

/* Asks the comment and whether to release; ANS_QUIT at end of input. */
static enum answer ask_rest(const struct edu_grade *base, cJSON *body)
{
	char *line, *text = NULL;

	line = ask(base->comment && *base->comment ?
		   "comment (one line; e: editor; empty keeps the one there)" :
		   "comment (one line; e: editor; empty: none)");
	if (!line)
		return ANS_QUIT;
	if (!strcmp(line, "e")) {
		if (!edu_term_edit(base->comment, "comment", "txt", &text, NULL)) {
			cJSON_AddStringToObject(body, "comment", text);
			free(text);
		}
	} else if (*line) {
		cJSON_AddStringToObject(body, "comment", line);
	}
	free(line);
	for (;;) {
		line = ask(base->released ? "keep it released? [Y/n]" : "release to the student? "
			   "[y/N]");
		if (!line)
			return ANS_QUIT;
		if (!*line) {
			free(line);
			break;
		}
		if (!strcasecmp(line, "y") || !strcasecmp(line, "yes") ||
		    !strcasecmp(line, "n") || !strcasecmp(line, "no")) {
			cJSON_AddBoolToObject(body, "released", tolower((unsigned char)*line) == 'y');
			free(line);
			break;
		}
		edu_error("answer y or n");
		free(line);
	}
	return ANS_OK;
}

enum { GN_FROM_START, GN__N };
static const struct edu_opt next_opts[] = {
	[GN_FROM_START] = OPT_BOOL(0, "from-start", "revisit the submissions skipped before"),
	OPT_END
};

static int grade_next(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct grading g = { 0 };
	struct skips sk = { 0 };
	struct edu_errinfo ei = { 0 };
	struct edu_api *api;
	const cJSON *item;
	cJSON *items = NULL;
	enum edu_err err, result = EDU_ERR_OK;
	int total = 0, index = 0, graded = 0, skipped = 0, conflicts = 0, quit = 0;
	const char *id = NULL;

	err = grading_open(ctx, argv[0], &g);
	if (err)
		goto out;
	api = g.api;
	id = g.assignment_id;
	skips_load(&sk, id, opts[GN_FROM_START].set);
	err = edu_submissions_list(api, id, EDU_SUB_UNGRADED, &items, &ei);
	if (err) {
		edu_report(err, &ei);
		goto out;
	}
	cJSON_ArrayForEach(item, items)
		if (edu_json_str(item, "id") && !skips_has(&sk, edu_json_str(item, "id")))
			total++;
	if (!ctx->out.quiet)
		edu_line("%s: %d to grade%s", g.assignment.title, total,
		       sk.ids.len ? " (some skipped earlier: --from-start revisits them)" : "");
	cJSON_ArrayForEach(item, items) {
		struct edu_submission s;
		struct edu_grade base;
		enum answer ans;
		cJSON *body, *saved = NULL;

		if (quit)
			break;
		if (!edu_json_str(item, "id") || skips_has(&sk, edu_json_str(item, "id")) ||
		    edu_submission_from_json(&s, item))
			continue;
		index++;
		show_submission(&s, index, total);
		err = get_grade(api, s.id, &base);
		if (err) {
			edu_submission_release(&s);
			result = err;
			break;
		}
		for (;;) {
			body = cJSON_CreateObject();
			ans = ask_score(&g, &s, index, total, body);
			if (ans == ANS_OK)
				ans = ask_rubric(&g, body);
			if (ans == ANS_OK)
				ans = ask_rest(&base, body);
			if (ans != ANS_OK) {
				cJSON_Delete(body);
				break;
			}
			err = put_grade(&g, s.id, &base, body, &saved);
			cJSON_Delete(body);
			/* a value the server refused: ask again; anything else ends this one */
			if (err != EDU_ERR_INVALID)
				break;
		}
		if (ans == ANS_SKIP) {
			skips_add(&sk, s.id);
			skipped++;
		} else if (ans == ANS_QUIT) {
			quit = 1;
		} else if (err == EDU_ERR_CONFLICT) {
			conflicts++;
			result = err;
		} else if (err) {
			result = err;
			quit = 1;
		} else {
			graded++;
			print_saved(ctx, saved, s.student.username ? s.student.username : s.id,
				    g.assignment.points_possible);
		}
		cJSON_Delete(saved);
		edu_grade_release(&base);
		edu_submission_release(&s);
	}
	if (!ctx->out.quiet) {
		printf("%s %d graded, %d skipped%s", quit ? "stopped:" : "done:", graded, skipped,
		       conflicts ? ", " : "");
		if (conflicts)
			printf("%d left to the other teacher's grade", conflicts);
		printf("\n");
		if (quit)
			edu_line("run 'edu grade next %s' to go on", argv[0]);
		else if (skipped || sk.ids.len)
			edu_line("run 'edu grade next %s --from-start' to revisit the skipped ones",
			       argv[0]);
	}
	err = result;
out:
	skips_release(&sk);
	grading_release(&g);
	cJSON_Delete(items);
	return err;
}

const struct edu_cmd edu_cmd_grade[] = {
	{ "set", "SUBMISSION SCORE", "grade a submission", grade_set, set_opts, NULL,
	  CMD_NEEDS_LOGIN | CMD_DEFAULT,
	  "'edu grade SUBMISSION SCORE' is short for it. SUBMISSION is its id or the first 8 "
	  "characters of it (or more), as 'edu submission list' shows them. SCORE is a "
	  "number, or '-' for none "
	  "(with a rubric, its points then make the score). The grade is read first and "
	  "written back with its version: if another teacher changed it meanwhile, nothing is "
	  "saved, what they changed is shown, and the exit status is 6. A grade stays a draft "
	  "that the student cannot see until --release (or 'edu grade release')." },
	{ "history", "SUBMISSION", "show every change of a submission's grade", grade_history,
	  NULL, NULL, CMD_NEEDS_LOGIN | CMD_TABLE,
	  "SUBMISSION is its id or the first 8 characters of it (or more)." },
	{ "release", "ASSIGNMENT", "release every draft grade of an assignment", grade_release,
	  NULL, NULL, CMD_NEEDS_LOGIN, "Students see their grades from then on." },
	{ "missing", "ASSIGNMENT", "grade the students who have not submitted", grade_missing,
	  missing_opts, NULL, CMD_NEEDS_LOGIN,
	  "Marks every student of the course without a submission as missing (or --excused), "
	  "with --score if given, as a draft unless --release. A student who has a grade "
	  "already keeps it. --dry-run only lists them." },
	{ "next", "ASSIGNMENT", "grade the ungraded submissions one after another", grade_next,
	  next_opts, NULL, CMD_NEEDS_LOGIN,
	  "Shows each latest ungraded submission (its text through $PAGER on a terminal; 'o N' "
	  "opens file N: with $EDU_OPEN if set, else a text file through $PAGER, another with "
	  "xdg-open on a desktop) and asks for the score, a level for each "
	  "rubric criterion, a comment ('e' opens $EDITOR) and whether to release it, then "
	  "saves. An empty score skips to the next submission; 'q' stops. Running it again "
	  "goes on where you stopped: graded ones are done, and skipped ones are remembered "
	  "in $XDG_STATE_HOME/edu/grade-next/ until --from-start. Without a terminal the "
	  "answers are read from standard input, a line each." },
	CMD_END
};

/* --- edu grades ---------------------------------------------------------------------- */

/* "name" of j[key] when it is an object, or the string itself. */
static const char *name_of(const cJSON *j, const char *key, const char *field)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	if (cJSON_IsString(v))
		return v->valuestring;
	return edu_json_str(v, field);
}

/* The assignment id of a grades item: its "assignment" (an id or an object), else the grade's. */
static const char *item_assignment_id(const cJSON *item, const struct edu_grade *gr)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(item, "assignment");

	if (cJSON_IsString(a))
		return a->valuestring;
	return edu_json_str(a, "id") ? edu_json_str(a, "id") : gr->assignment_id;
}

/*
 * The rubric levels a released grade reached, "Method: Sound (6 of 10)", each one-line and
 * put after sep (the first after nothing), into b. The rubric is read for the names.
 */
static void rubric_reached(struct edu_api *api, const char *assignment_id,
			   const struct edu_grade *gr, const char *sep, struct edu_buf *b)
{
	struct edu_rubric r = { 0 };
	int have_rubric = 0;
	cJSON *rj = NULL;

	if (gr->nrubric && assignment_id && !edu_rubric_get(api, assignment_id, &rj, NULL))
		have_rubric = !edu_rubric_from_json(&r, rj);
	for (int i = 0; i < gr->nrubric; i++) {
		const struct edu_rubric_criterion *c;
		const struct edu_rubric_level *l = edu_rubric_level(have_rubric ? &r : NULL,
								   gr->rubric[i].criterion_id,
								   gr->rubric[i].level_id, &c);
		struct edu_rubric one = { .criteria = (struct edu_rubric_criterion *)c,
					  .ncriteria = c ? 1 : 0 };
		char pts[32], max[32];
		char *line = xasprintf("%s: %s (%s of %s)", c && c->name ? c->name : "criterion",
				       l && l->name ? l->name : "?",
				       edu_fmt_num(gr->rubric[i].points, pts),
				       edu_fmt_num(edu_rubric_max_points(&one), max));
		char *clean = cw_oneline(line);

		edu_buf_printf(b, "%s%s", i ? sep : "", clean);
		free(clean);
		free(line);
	}
	if (have_rubric)
		edu_rubric_release(&r);
	cJSON_Delete(rj);
}

/*
 * Prints the rubric levels reached and the comment of one released grade, under a heading
 * of one line (course and assignment); the comment's own lines are indented, so none can
 * pass for a line of edu's.
 */
static void print_feedback(struct edu_api *api, const char *course, const char *title,
			   const char *assignment_id, const struct edu_grade *gr)
{
	struct edu_buf b = EDU_BUF_INIT;
	char *heading, *clean;

	if (!gr->nrubric && !(gr->comment && *gr->comment))
		return;
	heading = xasprintf("%s%s%s", course ? course : "", course ? ": " : "", title ? title : "");
	clean = cw_oneline(heading);
	printf("\n%s\n", clean);
	free(clean);
	free(heading);
	if (gr->nrubric) {
		rubric_reached(api, assignment_id, gr, "\n  ", &b);
		printf("  %s\n", edu_buf_str(&b));
	}
	if (gr->comment && *gr->comment) {
		const char *p = gr->comment;

		fputs("  comment: ", stdout);
		for (size_t n; *p; p += n) {
			n = strcspn(p, "\n");
			printf("%.*s\n", (int)n, p);
			if (p[n] == '\n' && p[++n])
				fputs("           ", stdout);
		}
	}
	edu_buf_release(&b);
}

int edu_cmd_grades(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	/* the feedback is in the table itself for --csv: nothing may follow a CSV table */
	static const char *const head[] = { "COURSE", "ASSIGNMENT", "SCORE", "STATUS",
					    "GRADED", "RUBRIC", "COMMENT" };
	const int ncols = ctx->out.csv ? 7 : 5;
	struct edu_errinfo ei = { 0 };
	struct edu_api *api;
	struct edu_table *t;
	const cJSON *item;
	cJSON *items = NULL;
	enum edu_err err;
	char *course = NULL;

	err = edu_ctx_api(ctx, 1, &api);
	if (!err && argc > 0)
		err = cw_course_id(api, argv[0], &course);
	if (err)
		return err;
	err = edu_grades_mine(api, course, &items, &ei);
	free(course);
	if (err)
		return edu_report(err, &ei);
	if (ctx->out.json) {
		edu_out_json(&ctx->out, items);
		cJSON_Delete(items);
		return EDU_ERR_OK;
	}
	t = edu_table_new(ncols, head);
	cJSON_ArrayForEach(item, items) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(item, "assignment");
		struct edu_buf rubric = EDU_BUF_INIT;
		struct edu_grade gr;
		char when[64], *score, status[64] = "";

		if (edu_grade_from_json(&gr, cJSON_GetObjectItemCaseSensitive(item, "grade")))
			continue;
		score = edu_fmt_score(&gr, edu_json_num(a, "points_possible", 0));
		snprintf(status, sizeof(status), "%s%s%s", gr.late ? "late" : "",
			 gr.late && gr.missing ? ", " : "", gr.missing ? "missing" : "");
		if (ctx->out.csv)
			rubric_reached(api, item_assignment_id(item, &gr), &gr, "; ", &rubric);
		const char *row[7] = { name_of(item, "course", "name"),
				       name_of(item, "assignment", "title"), score, status,
				       edu_fmt_time(gr.graded_at, when), edu_buf_str(&rubric), gr.comment };
		edu_table_add(t, row);
		edu_buf_release(&rubric);
		free(score);
		edu_grade_release(&gr);
	}
	if (!edu_table_rows(t)) {
		if (!ctx->out.quiet)
			fprintf(stderr, "edu: no released grades yet\n");
		goto out;
	}
	edu_table_print(t, &ctx->out);
	if (ctx->out.quiet || ctx->out.csv)
		goto out;
	/* then the feedback: rubric levels reached and comments */
	cJSON_ArrayForEach(item, items) {
		struct edu_grade gr;

		if (edu_grade_from_json(&gr, cJSON_GetObjectItemCaseSensitive(item, "grade")))
			continue;
		print_feedback(api, name_of(item, "course", "name"),
			       name_of(item, "assignment", "title"), item_assignment_id(item, &gr),
			       &gr);
		edu_grade_release(&gr);
	}
out:
	edu_table_free(t);
	cJSON_Delete(items);
	return EDU_ERR_OK;
}
