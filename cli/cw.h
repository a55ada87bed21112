/*
 * What the course-work command families share (cmd-course.c, cmd-lesson.c,
 * cmd-assignment.c, cmd-submit.c, cmd-submission.c, cmd-grade.c): turning ids and id
 * prefixes into ids with the failure printed, one-line text, and reading a text file. What
 * the full-screen client needs too is in libedu: shared/format.h (times, sizes, scores,
 * grade changes), shared/lookup.h (ids), shared/safe.h (file names).
 */
#ifndef EDU_CW_H
#define EDU_CW_H

#include <stdio.h>

#include "edu.h"
#include "format.h"
#include "lookup.h"
#include "model.h"

/* The top-level commands of course work (the families are in cmd.h). */
extern const struct edu_opt edu_opts_submit[];
int edu_cmd_submit(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);
int edu_cmd_grades(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts);

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

/*
 * A one-line copy of s for a line of our own (not a table cell): a newline shows as a
 * visible mark, so a name cannot start a line of its own (caller frees; "" for NULL).
 */
char *cw_oneline(const char *s);

/*
 * Reads the text file path ('-': standard input) whole (caller frees); prints what went
 * wrong, adding hint (may be NULL) when the file is not text. trim drops trailing white
 * space.
 */
char *cw_read_text(const char *path, const char *hint, int trim);

#endif
