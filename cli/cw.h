/*
 * What the course-work command families share (cmd-course.c, cmd-lesson.c,
 * cmd-assignment.c, cmd-submit.c, cmd-submission.c, cmd-grade.c): turning ids and id
 * prefixes into ids, formatting times, sizes and scores, "key  value" blocks, names made
 * safe for a file system, and the account of what another teacher changed.
 */
#ifndef EDU_CW_H
#define EDU_CW_H

#include <stdio.h>

#include "courses.h"
#include "edu.h"

/* The top-level commands of course work (the families are in cmd.h). */
extern const struct edu_opt edu_opts_submit[];
int edu_cmd_submit(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
int edu_cmd_grades(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);

/* The first 8 characters of an id, as `course list` shows them. */
#define CW_SHORT_ID 8
/*
 * The id a list's row shows: whole when whole is set (--csv, for scripts), else its first
 * CW_SHORT_ID characters (in buf).
 */
const char *cw_list_id(const char *id, int whole, char buf[CW_SHORT_ID + 1]);

/* A course, assignment or lesson id from an id or a unique prefix; prints the failure. */
enum edu_err cw_course_id(struct edu_api *api, const char *arg, char **id);
enum edu_err cw_assignment_id(struct edu_api *api, const char *arg, char **id);
enum edu_err cw_lesson_id(struct edu_api *api, const char *arg, char **id);
/*
 * Reads the assignment whose whole id is id into *a (released with edu_assignment_release,
 * also after a failure); prints failures.
 */
enum edu_err cw_assignment_read(struct edu_api *api, const char *id, struct edu_assignment *a);
/*
 * The preamble of every command on one course, lesson, assignment or submission: the
 * logged-in API client (*api) and arg made an id by resolve (cw_course_id,
 * cw_lesson_id...; *id, caller frees, NULL after a failure). Every failure is printed.
 */
typedef enum edu_err cw_resolve_fn(struct edu_api *api, const char *arg, char **id);
enum edu_err cw_open(struct edu_ctx *ctx, cw_resolve_fn *resolve, const char *arg,
		     struct edu_api **api, char **id);
/*
 * cw_open, then get (edu_course_get, edu_assignments_list...) with that id. *out gets the
 * answer (caller frees); every failure is printed. After a success ctx->api is the client
 * that read it, for the requests that follow.
 */
typedef enum edu_err cw_get_fn(struct edu_api *api, const char *id, cJSON **out,
			       struct edu_errinfo *ei);
enum edu_err cw_fetch(struct edu_ctx *ctx, cw_resolve_fn *resolve, const char *arg,
		      cw_get_fn *get, cJSON **out);
/*
 * cw_fetch for a command that shows one object (`show` of a course, lesson, assignment,
 * rubric or submission): with --json the answer is printed as the server gave it and
 * *out is NULL, as nothing is left to do; else *out gets it to show (caller frees).
 */
enum edu_err cw_show(struct edu_ctx *ctx, cw_resolve_fn *resolve, const char *arg,
		     cw_get_fn *get, cJSON **out);
/*
 * A submission id from an id or a unique prefix, looked up among the submissions the
 * caller may read; prints the failure.
 */
enum edu_err cw_submission_id(struct edu_api *api, const char *arg, char **id);

/* An RFC 3339 time as local "YYYY-MM-DD HH:MM" (buf), or the text as given; "" for NULL. */
const char *cw_time(const char *rfc3339, char buf[64]);
/*
 * Reads a due date as people write it: "YYYY-MM-DD" (the end of that day), "YYYY-MM-DD
 * HH:MM" (local time) or RFC 3339. *out gets it as RFC 3339 UTC (caller frees). -1 when
 * it is none of these.
 */
int cw_parse_time(const char *s, char **out);
/* "1.5 MiB" */
const char *cw_size(long long bytes, char buf[32]);
/* A number as people read it: "8", "8.5" ('.' whatever the locale). */
const char *cw_num(double v, char buf[32]);
/* A grade's score as "8.5/10", "excused", "missing" or "-" (caller frees). */
char *cw_score(const struct edu_grade *g, double points_possible);

/*
 * A one-line copy of s for a line of our own (not a table cell): a newline shows as a
 * visible mark, so a name cannot start a line of its own (caller frees; "" for NULL).
 */
char *cw_oneline(const char *s);

/*
 * What changed between the grade a teacher started from (base) and the one the server
 * has now (current), one line per field "  score: 7 -> 9" on fp; rubric may be NULL or
 * give names to rubric levels. Returns how many fields differ.
 */
int cw_grade_diff(FILE *fp, const struct edu_grade *base, const struct edu_grade *current,
		  const struct edu_rubric *rubric);

/* The rubric level of criterion_id/level_id in r, or NULL; *crit gets the criterion. */
const struct edu_rubric_level *cw_rubric_level(const struct edu_rubric *r,
					       const char *criterion_id, const char *level_id,
					       const struct edu_rubric_criterion **crit);

/*
 * Reads the text file path ('-': standard input) whole (caller frees); prints what went
 * wrong, adding hint (may be NULL) when the file is not text. trim drops trailing white
 * space.
 */
char *cw_read_text(const char *path, const char *hint, int trim);

#endif
