/*
 * What `edu grade set`, `missing` and `next` share (see grader.h): the assignment and its
 * rubric, reading a score and a rubric level as a teacher types them, and writing a grade
 * with the version it was read at, saying what another teacher changed when it is stale.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cw.h"
#include "grades.h"
#include "grader.h"
#include "rubricfile.h"
#include "rubrics.h"
#include "xalloc.h"

void grader_release(struct grader *g)
{
	free(g->assignment_id);
	if (g->has_assignment)
		edu_assignment_release(&g->assignment);
	if (g->has_rubric)
		edu_rubric_release(&g->rubric);
	memset(g, 0, sizeof(*g));
}

/* Reads the assignment and its rubric; prints failures. */
enum edu_err grader_load(struct grader *g, struct edu_api *api, const char *assignment_id)
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

/* The index of the choice named by word: a number from 1, or a name (or its unique start). */
int grader_pick(const char *word, int n, const char *(*name_of)(const void *, int),
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

const char *grader_criterion_name(const void *arg, int i)
{
	return ((const struct edu_rubric *)arg)->criteria[i].name;
}

const char *grader_level_name(const void *arg, int i)
{
	return ((const struct edu_rubric_criterion *)arg)->levels[i].name;
}

/* "1) Excellent (4)  2) Good (3)" (caller frees). */
char *grader_levels_text(const struct edu_rubric_criterion *c)
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
void grader_add_pick(cJSON *picks, const struct edu_rubric *r, int ci, int li)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "criterion_id", r->criteria[ci].id ? r->criteria[ci].id : "");
	cJSON_AddStringToObject(p, "level_id", r->criteria[ci].levels[li].id ?
				r->criteria[ci].levels[li].id : "");
	cJSON_AddItemToArray(picks, p);
}

/* Reads a score: a number not below 0, "-" for none. -1 when it is neither. */
int grader_parse_score(const char *s, int *has, double *v)
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
enum edu_err grader_put(struct grader *g, const char *submission_id,
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
enum edu_err grader_get(struct edu_api *api, const char *submission_id,
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
void grader_print_saved(struct edu_ctx *ctx, const cJSON *j, const char *who, double points)
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

