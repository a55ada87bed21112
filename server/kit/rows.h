/*
 * The rows that several resources read: a stored file, an assignment, a grade and a
 * submission, each a column list for the query that reads it and the code that turns the
 * row into the model struct or JSON of shared/ (coursework.h), so the wire format is
 * written once.
 */
#ifndef SRV_KIT_ROWS_H
#define SRV_KIT_ROWS_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "coursework.h"
#include "db/db.h"

/*
 * A stored file as the API shows it (docs/api.md, "file"), from a query that calls the files
 * table f: SRV_FILE_COLS as columns read by srv_file_json() from column col, or
 * SRV_FILE_JSON as one json value (for json_agg).
 */
#define SRV_FILE_COLS "f.id, f.filename, f.size, f.sha256, f.mime, " \
	DB_TS("f.created_at")
#define SRV_FILE_NCOLS 6
#define SRV_FILE_JSON "json_build_object('id', f.id, 'filename', f.filename, 'size', f.size, " \
	"'sha256', f.sha256, 'mime', f.mime, 'created_at', " \
	DB_TS("f.created_at") ")"
cJSON *srv_file_json(const struct pg_result *res, int row, int col);

/* The columns of an assignment, for a query that calls the assignments table a. */
#define SRV_ASSIGNMENT_COLS \
	"a.id, a.course_id, a.title, a.instructions, " DB_TS("a.due_at") ", " \
	"a.points_possible, a.category, a.submission_kind, a.allowed_types, a.max_file_size, " \
	"a.late_policy, a.published, a.version"
#define SRV_ASSIGNMENT_NCOLS 13

/* Fills a from SRV_ASSIGNMENT_COLS at column col (copies; edu_assignment_release it). */
void srv_assignment_from_row(struct edu_assignment *a, const PGresult *res, int row, int col);
cJSON *srv_assignment_json(const PGresult *res, int row, int col);

/*
 * The columns of a grade, for a query that calls the grades table g (all NULL when a LEFT
 * JOIN found none): SRV_GRADE_NCOLS columns, the last the chosen rubric levels as JSON.
 */
#define SRV_GRADE_COLS \
	"g.assignment_id, g.student_id, g.submission_id, g.score, g.rubric_score, g.excused, " \
	"g.late, g.missing, g.comment, g.released, g.graded_by, " DB_TS("g.graded_at") ", " \
	"g.version, (SELECT coalesce(json_agg(json_build_object('criterion_id', gr.criterion_id, " \
	"'level_id', gr.level_id, 'points', l.points) ORDER BY c.position), '[]') " \
	"FROM grade_rubric gr JOIN rubric_criteria c ON c.school_id = gr.school_id " \
	"AND c.id = gr.criterion_id JOIN rubric_levels l ON l.school_id = gr.school_id " \
	"AND l.id = gr.level_id WHERE gr.school_id = g.school_id " \
	"AND gr.assignment_id = g.assignment_id AND gr.student_id = g.student_id)"
#define SRV_GRADE_NCOLS 14

/* Fills g from SRV_GRADE_COLS at column col; 0, or -1 when the row has no grade there. */
int srv_grade_from_row(struct edu_grade *g, const PGresult *res, int row, int col);
/* A grade not given yet: version 0, nothing set (copies the ids). */
void srv_grade_blank(struct edu_grade *g, const char *assignment_id, const char *student_id);

/*
 * The columns of a submission, for a query that calls the submissions table s and its
 * student's users row u: SRV_SUBMISSION_NCOLS columns, the last its files as JSON.
 */
#define SRV_SUBMISSION_COLS \
	"s.id, s.assignment_id, u.id, u.username, u.display_name, s.attempt, s.text, " \
	DB_TS("s.submitted_at") ", s.late, " \
	"(SELECT coalesce(json_agg(" SRV_FILE_JSON " ORDER BY sf.position), '[]') " \
	"FROM submission_files sf JOIN files f ON f.school_id = sf.school_id " \
	"AND f.id = sf.file_id WHERE sf.school_id = s.school_id AND sf.submission_id = s.id)"
#define SRV_SUBMISSION_NCOLS 10

/*
 * A submission as JSON from SRV_SUBMISSION_COLS at col and SRV_GRADE_COLS at gcol (gcol < 0:
 * no grade columns). The grade is null when there is none, or when it is not released and
 * released_only is set (the caller is the student).
 */
cJSON *srv_submission_json(const PGresult *res, int row, int col, int gcol, int released_only);

#endif
