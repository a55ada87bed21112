/*
 * `edu grades`: a student's released grades and the feedback on them. The table for
 * everyone; for people, the rubric levels reached and the comments follow it; with --csv
 * they are columns of the table, since nothing may follow a CSV table.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cw.h"
#include "edu.h"
#include "grades.h"
#include "model.h"
#include "rubrics.h"
#include "xalloc.h"

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
	struct edu_api *api = ctx->api;
	struct edu_table *t;
	const cJSON *item;
	cJSON *items = NULL;
	enum edu_err err;

	/* ctx->id[0]: the course [COURSE] names, NULL for all */
	err = edu_grades_mine(api, ctx->id[0], &items, &ei);
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
