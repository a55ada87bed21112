/*
 * What assignments.c, rubrics.c, submissions.c and grades.c share: reading an assignment
 * or a submission together with the caller's standing in its course (the context always
 * comes from the object's own row), the columns and JSON of assignments, submissions and
 * grades, and the body fields those routes take that courses.h has no helper for.
 * Nothing here is a route.
 */
#ifndef SRV_GRADING_H
#define SRV_GRADING_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "courses.h"
#include "model.h"
#include "http.h"

/* A timestamptz column as RFC 3339 UTC text. */
#define GR_TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* The columns of an assignment, for a query that calls the assignments table a. */
#define GR_ASSIGNMENT_COLS \
	"a.id, a.course_id, a.title, a.instructions, " GR_TS("a.due_at") ", " \
	"a.points_possible, a.category, a.submission_kind, a.allowed_types, a.max_file_size, " \
	"a.late_policy, a.published, a.version"
#define GR_ASSIGNMENT_NCOLS 13

/* Fills a from GR_ASSIGNMENT_COLS at column col (copies; edu_assignment_release it). */
void gr_assignment_from_row(struct edu_assignment *a, const PGresult *res, int row, int col);
cJSON *gr_assignment_json(const PGresult *res, int row, int col);

/*
 * The columns of a grade, for a query that calls the grades table g (all NULL when a LEFT
 * JOIN found none): GR_GRADE_NCOLS columns, the last the chosen rubric levels as JSON.
 */
#define GR_GRADE_COLS \
	"g.assignment_id, g.student_id, g.submission_id, g.score, g.rubric_score, g.excused, " \
	"g.late, g.missing, g.comment, g.released, g.graded_by, " GR_TS("g.graded_at") ", " \
	"g.version, (SELECT coalesce(json_agg(json_build_object('criterion_id', gr.criterion_id, " \
	"'level_id', gr.level_id, 'points', l.points) ORDER BY c.position), '[]') " \
	"FROM grade_rubric gr JOIN rubric_criteria c ON c.school_id = gr.school_id " \
	"AND c.id = gr.criterion_id JOIN rubric_levels l ON l.school_id = gr.school_id " \
	"AND l.id = gr.level_id WHERE gr.school_id = g.school_id " \
	"AND gr.assignment_id = g.assignment_id AND gr.student_id = g.student_id)"
#define GR_GRADE_NCOLS 14

/* Fills g from GR_GRADE_COLS at column col; 0, or -1 when the row has no grade there. */
int gr_grade_from_row(struct edu_grade *g, const PGresult *res, int row, int col);
/* A grade not given yet: version 0, nothing set (copies the ids). */
void gr_grade_blank(struct edu_grade *g, const char *assignment_id, const char *student_id);

/*
 * The columns of a submission, for a query that calls the submissions table s and its
 * student's users row u: GR_SUBMISSION_NCOLS columns, the last its files as JSON.
 */
#define GR_SUBMISSION_COLS \
	"s.id, s.assignment_id, u.id, u.username, u.display_name, s.attempt, s.text, " \
	GR_TS("s.submitted_at") ", s.late, " \
	"(SELECT coalesce(json_agg(" SRV_FILE_JSON " ORDER BY sf.position), '[]') " \
	"FROM submission_files sf JOIN files f ON f.school_id = sf.school_id " \
	"AND f.id = sf.file_id WHERE sf.school_id = s.school_id AND sf.submission_id = s.id)"
#define GR_SUBMISSION_NCOLS 10

/*
 * A submission as JSON from GR_SUBMISSION_COLS at col and GR_GRADE_COLS at gcol (gcol < 0:
 * no grade columns). The grade is null when there is none, or when it is not released and
 * released_only is set (the caller is the student).
 */
cJSON *gr_submission_json(const PGresult *res, int row, int col, int gcol, int released_only);

/* What a route needs of the caller's standing. */
enum gr_need {
	GR_READ,	/* a member or admin; students only when the assignment is published */
	GR_TEACH,	/* its teacher or an admin; a student of the course gets 403 */
	GR_SUBMIT,	/* its student, the assignment published; a teacher gets 403 */
};

/* An assignment, its course and the caller's standing in it, from one query. */
struct gr_assignment {
	PGresult *res;		/* GR_ASSIGNMENT_COLS, then the columns below (owned) */
	const char *id;
	const char *course_id;
	int access;		/* enum srv_course_access */
	int archived;
	int published;
	int past_due;		/* due_at is set and has passed */
	long rubric_version;
	const char *allowed_types;	/* JSON array text */
	long long max_file_size;
	const char *submission_kind;
	const char *late_policy;
	const char *due_at;	/* NULL: none */
};

/*
 * Reads assignment id (FOR NO KEY UPDATE when lock is set) and checks the caller against
 * need: 0, or -1 after answering (404: no such assignment, another school's, not a member,
 * or unpublished to a student; 403: the wrong side of the course; database errors).
 * gr_assignment_release() frees it either way.
 */
int gr_assignment_load(struct srv_req *r, const char *id, int lock, enum gr_need need,
		       struct gr_assignment *ga);
void gr_assignment_release(struct gr_assignment *ga);
/* *readable: the caller may read assignment id (GR_READ). 0, or -1 after a database failure. */
int gr_assignment_readable(struct srv_req *r, const char *id, int *readable);

/* A submission, its assignment's course and the caller's standing in it. */
struct gr_submission {
	PGresult *res;		/* owned */
	const char *id;
	const char *assignment_id;
	const char *student_id;
	const char *course_id;
	int access;		/* enum srv_course_access */
	int archived;
	int late;
};

/*
 * Reads submission id and checks the caller: a student reaches only their own submissions
 * of published assignments; need is GR_READ or GR_TEACH. 0, or -1 after answering.
 */
int gr_submission_load(struct srv_req *r, const char *id, enum gr_need need,
		       struct gr_submission *gs);
void gr_submission_release(struct gr_submission *gs);

/*
 * NULL when str is UTF-8 text of minc to maxc characters without control characters
 * (multiline: newlines and tabs allowed); else what is wrong with it ("must be ..."),
 * possibly formatted into why.
 */
#define GR_WHY_LEN 96
const char *gr_text_check(const char *str, long minc, long maxc, int multiline,
			  char why[GR_WHY_LEN]);
/* The {name} path parameter i when it is a UUID; NULL after answering 404 "no such what". */
const char *gr_path_id(struct srv_req *r, int i, const char *what);

/*
 * A number field within [min, max] (null allowed when nullable): 0 absent, 1 present
 * (*isnull, *out), -1 after answering 422 naming it.
 */
int gr_field_number(struct srv_req *r, const cJSON *obj, const char *name, const char *key,
		    double min, double max, int nullable, int *isnull, double *out);
/* A due date: RFC 3339 or null. 0 absent, 1 present (*out NULL for null), -1 after 422. */
int gr_field_time(struct srv_req *r, const char *key, const char **out);
/* A ?key=1|0|true|false query flag: 0 or 1 into *on (0 when absent), -1 after 400. */
int gr_query_flag(struct srv_req *r, const char *key, int *on);
/* Formats a number for a numeric SQL parameter. */
void gr_num_param(char *buf, size_t len, double v);

/* 412 version_mismatch with the current object (taken). */
void gr_reply_stale(struct srv_req *r, cJSON *current);

#endif
