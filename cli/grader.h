/*
 * What the grading commands share (cmd-grade.c, cmd-grade-next.c; grader.c). A grade is
 * always written with the version it was read at (If-Match): when another teacher changed
 * it meanwhile the server answers 412 with the grade as it is now, and we show what they
 * changed and keep it, never overwrite it (exit status 6).
 */
#ifndef EDU_CLI_GRADER_H
#define EDU_CLI_GRADER_H

#include <cjson/cJSON.h>

#include "edu.h"
#include "model.h"

/* What grading one submission needs to know. */
struct grader {
	struct edu_api *api;
	char *assignment_id;
	struct edu_assignment assignment;
	struct edu_rubric rubric;	/* no criteria when the assignment has no rubric */
	int has_assignment, has_rubric;
};

/* Reads the assignment whose id is assignment_id and its rubric; prints failures. */
enum edu_err grader_load(struct grader *g, struct edu_api *api, const char *assignment_id);
void grader_release(struct grader *g);

/*
 * The index of the choice named by word among n: a number from 1, or a name (or its unique
 * start) as name_of(arg, i) gives them; -1 when it names none.
 */
int grader_pick(const char *word, int n, const char *(*name_of)(const void *, int),
		 const void *arg);
/* name_of for grader_pick(): the criteria of a rubric, the levels of a criterion. */
const char *grader_criterion_name(const void *arg, int i);
const char *grader_level_name(const void *arg, int i);
/* "1) Excellent (4)  2) Good (3)" (caller frees). */
char *grader_levels_text(const struct edu_rubric_criterion *c);
/* Adds {"criterion_id","level_id"} for criterion ci, level li of r to picks. */
void grader_add_pick(cJSON *picks, const struct edu_rubric *r, int ci, int li);
/* Reads a score: a number not below 0, "-" for none (*has 0). -1 when it is neither. */
int grader_parse_score(const char *s, int *has, double *v);

/*
 * Sends body as the grade of submission_id over base (its version). On 412, says what
 * changed since base and returns EDU_ERR_CONFLICT. *saved (may be NULL) gets the grade.
 */
enum edu_err grader_put(struct grader *g, const char *submission_id,
			 const struct edu_grade *base, const cJSON *body, cJSON **saved);
/* Reads the grade of submission_id into *g; prints failures. */
enum edu_err grader_get(struct edu_api *api, const char *submission_id, struct edu_grade *g);
/* "graded ada: 8/10 (draft, not released)", or the grade for --json. */
void grader_print_saved(struct edu_ctx *ctx, const cJSON *j, const char *who, double points);

/* `edu grade next` (cmd-grade-next.c), in the family's table. */
extern const struct edu_opt grader_next_opts[];
int grader_next(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);

#endif
