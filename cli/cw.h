/*
 * What the course-work command families share (cmd-course.c, cmd-lesson.c,
 * cmd-assignment.c, cmd-submit.c, cmd-submission.c, cmd-grade*.c): reading an object with
 * the failure printed, one-line text, and reading a text file. What the full-screen client
 * needs too is in libedu: shared/format.h (times, sizes, scores, grade changes),
 * shared/lookup.h (ids), shared/safe.h (file names).
 */
#ifndef EDU_CW_H
#define EDU_CW_H

#include <stdio.h>

#include "edu.h"
#include "format.h"
#include "lookup.h"
#include "model.h"

/*
 * Reads the assignment whose whole id is id into *a (released with edu_assignment_release,
 * also after a failure); prints failures.
 */
enum edu_err cw_assignment_read(struct edu_api *api, const char *id, struct edu_assignment *a);
/*
 * Reads the object id names with get (edu_course_get, edu_lessons_list...) through the
 * command's API client. *out gets the answer (caller frees); a failure is printed.
 */
typedef enum edu_err cw_get_fn(struct edu_api *api, const char *id, cJSON **out,
			       struct edu_errinfo *ei);
enum edu_err cw_fetch(struct edu_ctx *ctx, cw_get_fn *get, const char *id, cJSON **out);
/*
 * cw_fetch for a command that shows one object (`show` of a course, lesson, assignment,
 * rubric or submission): with --json the answer is printed as the server gave it and
 * *out is NULL, as nothing is left to do; else *out gets it to show (caller frees).
 */
enum edu_err cw_show(struct edu_ctx *ctx, cw_get_fn *get, const char *id, cJSON **out);

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
