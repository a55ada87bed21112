/*
 * What every client shows the same way: times, sizes, numbers and scores as people read
 * them, due dates as people write them, and the account of what another teacher changed in
 * a grade. Plain text, no terminal: the command line prints it, the full-screen client
 * draws it.
 */
#ifndef EDU_FORMAT_H
#define EDU_FORMAT_H

#include "buf.h"
#include "model/grade.h"
#include "model/rubric.h"

/* An RFC 3339 time as local "YYYY-MM-DD HH:MM" (buf), or the text as given; "" for NULL. */
const char *edu_fmt_time(const char *rfc3339, char buf[64]);
/*
 * Reads a due date as people write it: "YYYY-MM-DD" (the end of that day), "YYYY-MM-DD
 * HH:MM" (local time) or RFC 3339. *out gets it as RFC 3339 UTC (caller frees). -1 when
 * it is none of these; -2 when it has the form but names a day its month does not have
 * (2027-04-31, 2027-02-29), which is never rolled over into the next month.
 */
int edu_parse_time(const char *s, char **out);
/* "512 B", "1.5 MiB" */
const char *edu_fmt_size(long long bytes, char buf[32]);
/* A number as people read it: "8", "8.5", at most two decimals ('.' whatever the locale). */
const char *edu_fmt_num(double v, char buf[32]);
/* A grade's score as "8.5/10" (points_possible 0: "8.5"), "excused", "missing" or "-" (caller frees). */
char *edu_fmt_score(const struct edu_grade *g, double points_possible);
/*
 * What changed between the grade a teacher started from (base) and the one the server
 * has now (current): a line per field, "  score: 7 -> 9\n", appended to out, each one line
 * whatever the comment or names hold. rubric (may be NULL) names the levels. Returns how
 * many fields differ.
 */
int edu_grade_diff(struct edu_buf *out, const struct edu_grade *base,
		   const struct edu_grade *current, const struct edu_rubric *rubric);

#endif
