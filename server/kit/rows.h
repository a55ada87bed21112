/*
 * The rows that several resources read: a stored file, an assignment, a grade and a
 * submission, each a column list for the query that reads it and the code that turns the
 * row into the model struct or JSON of shared/ (model.h), so the wire format is
 * written once.
 */
#ifndef SRV_KIT_ROWS_H
#define SRV_KIT_ROWS_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "db/db.h"
#include "model.h"

/*
 * Each row is a column list, SRV_X_COLUMNS (see DB_COLS_SQL in db/db.h), its SQL SRV_X_COLS
 * and an enum of its columns; a query that reads it at column col reads its column k at
 * col + k, and one that adds columns after it names them SRV_X_NCOLS + n.
 */

/*
 * A stored file as the API shows it (docs/api.md, "file"), from a query that calls the files
 * table f: SRV_FILE_COLS as columns read by srv_file_json() from column col, or
 * SRV_FILE_JSON as one json value (for json_agg), which edu_file_from_json() reads.
 */
#define SRV_FILE_COLUMNS(first, next) \
	first(SRV_FILE_ID,          "f.id") \
	next(SRV_FILE_FILENAME,     "f.filename") \
	next(SRV_FILE_SIZE,         "f.size") \
	next(SRV_FILE_SHA256,       "f.sha256") \
	next(SRV_FILE_MIME,         "f.mime") \
	next(SRV_FILE_CREATED_AT,   DB_TS("f.created_at"))
enum srv_file_col { DB_COLS_ENUM(SRV_FILE_COLUMNS) SRV_FILE_NCOLS };
#define SRV_FILE_COLS DB_COLS_SQL(SRV_FILE_COLUMNS)
#define SRV_FILE_JSON "json_build_object('id', f.id, 'filename', f.filename, 'size', f.size, " \
	"'sha256', f.sha256, 'mime', f.mime, 'created_at', " \
	DB_TS("f.created_at") ")"
cJSON *srv_file_json(const struct pg_result *res, int row, int col);
/*
 * The files of a json_agg(SRV_FILE_JSON) column: *files gets them (copies: edu_file_release
 * each, then free the array; NULL when there are none); returns how many.
 */
int srv_files_from_row(struct edu_file **files, const PGresult *res, int row, int col);

/* The columns of an assignment, for a query that calls the assignments table a. */
#define SRV_ASSIGNMENT_COLUMNS(first, next) \
	first(SRV_ASSIGNMENT_ID,              "a.id") \
	next(SRV_ASSIGNMENT_COURSE_ID,        "a.course_id") \
	next(SRV_ASSIGNMENT_TITLE,            "a.title") \
	next(SRV_ASSIGNMENT_INSTRUCTIONS,     "a.instructions") \
	next(SRV_ASSIGNMENT_DUE_AT,           DB_TS("a.due_at")) \
	next(SRV_ASSIGNMENT_POINTS_POSSIBLE,  "a.points_possible") \
	next(SRV_ASSIGNMENT_CATEGORY,         "a.category") \
	next(SRV_ASSIGNMENT_SUBMISSION_KIND,  "a.submission_kind") \
	next(SRV_ASSIGNMENT_ALLOWED_TYPES,    "a.allowed_types") \
	next(SRV_ASSIGNMENT_MAX_FILE_SIZE,    "a.max_file_size") \
	next(SRV_ASSIGNMENT_LATE_POLICY,      "a.late_policy") \
	next(SRV_ASSIGNMENT_PUBLISHED,        "a.published") \
	next(SRV_ASSIGNMENT_VERSION,          "a.version")
enum srv_assignment_col { DB_COLS_ENUM(SRV_ASSIGNMENT_COLUMNS) SRV_ASSIGNMENT_NCOLS };
#define SRV_ASSIGNMENT_COLS DB_COLS_SQL(SRV_ASSIGNMENT_COLUMNS)

/* Fills a from SRV_ASSIGNMENT_COLS at column col (copies; edu_assignment_release it). */
void srv_assignment_from_row(struct edu_assignment *a, const PGresult *res, int row, int col);
cJSON *srv_assignment_json(const PGresult *res, int row, int col);

/*
 * The columns of a grade, for a query that calls the grades table g (all NULL when a LEFT
 * JOIN found none), the last the chosen rubric levels as JSON.
 */
#define SRV_GRADE_COLUMNS(first, next) \
	first(SRV_GRADE_ASSIGNMENT_ID,   "g.assignment_id") \
	next(SRV_GRADE_STUDENT_ID,       "g.student_id") \
	next(SRV_GRADE_SUBMISSION_ID,    "g.submission_id") \
	next(SRV_GRADE_SCORE,            "g.score") \
	next(SRV_GRADE_RUBRIC_SCORE,     "g.rubric_score") \
	next(SRV_GRADE_EXCUSED,          "g.excused") \
	next(SRV_GRADE_LATE,             "g.late") \
	next(SRV_GRADE_MISSING,          "g.missing") \
	next(SRV_GRADE_COMMENT,          "g.comment") \
	next(SRV_GRADE_RELEASED,         "g.released") \
	next(SRV_GRADE_GRADED_BY,        "g.graded_by") \
	next(SRV_GRADE_GRADED_AT,        DB_TS("g.graded_at")) \
	next(SRV_GRADE_VERSION,          "g.version") \
	next(SRV_GRADE_RUBRIC,           "(SELECT coalesce(json_agg(json_build_object(" \
		"'criterion_id', gr.criterion_id, 'level_id', gr.level_id, 'points', l.points) " \
		"ORDER BY c.position), '[]') " \
		"FROM grade_rubric gr JOIN rubric_criteria c ON c.school_id = gr.school_id " \
		"AND c.id = gr.criterion_id JOIN rubric_levels l ON l.school_id = gr.school_id " \
		"AND l.id = gr.level_id WHERE gr.school_id = g.school_id " \
		"AND gr.assignment_id = g.assignment_id AND gr.student_id = g.student_id)")
enum srv_grade_col { DB_COLS_ENUM(SRV_GRADE_COLUMNS) SRV_GRADE_NCOLS };
#define SRV_GRADE_COLS DB_COLS_SQL(SRV_GRADE_COLUMNS)

/* Fills g from SRV_GRADE_COLS at column col; 0, or -1 when the row has no grade there. */
int srv_grade_from_row(struct edu_grade *g, const PGresult *res, int row, int col);
/* A grade not given yet: version 0, nothing set (copies the ids). */
void srv_grade_blank(struct edu_grade *g, const char *assignment_id, const char *student_id);

/*
 * The columns of a submission, for a query that calls the submissions table s and its
 * student's users row u, the last its files as JSON.
 */
#define SRV_SUBMISSION_COLUMNS(first, next) \
	first(SRV_SUBMISSION_ID,                 "s.id") \
	next(SRV_SUBMISSION_ASSIGNMENT_ID,       "s.assignment_id") \
	next(SRV_SUBMISSION_STUDENT_ID,          "u.id") \
	next(SRV_SUBMISSION_STUDENT_USERNAME,    "u.username") \
	next(SRV_SUBMISSION_STUDENT_NAME,        "u.display_name") \
	next(SRV_SUBMISSION_ATTEMPT,             "s.attempt") \
	next(SRV_SUBMISSION_TEXT,                "s.text") \
	next(SRV_SUBMISSION_SUBMITTED_AT,        DB_TS("s.submitted_at")) \
	next(SRV_SUBMISSION_LATE,                "s.late") \
	next(SRV_SUBMISSION_FILES,               "(SELECT coalesce(json_agg(" SRV_FILE_JSON \
		" ORDER BY sf.position), '[]') FROM submission_files sf JOIN files f " \
		"ON f.school_id = sf.school_id AND f.id = sf.file_id " \
		"WHERE sf.school_id = s.school_id AND sf.submission_id = s.id)")
enum srv_submission_col { DB_COLS_ENUM(SRV_SUBMISSION_COLUMNS) SRV_SUBMISSION_NCOLS };
#define SRV_SUBMISSION_COLS DB_COLS_SQL(SRV_SUBMISSION_COLUMNS)

/*
 * A submission as JSON from SRV_SUBMISSION_COLS at col and SRV_GRADE_COLS at gcol (gcol < 0:
 * no grade columns). The grade is null when there is none, or when it is not released and
 * released_only is set (the caller is the student).
 */
cJSON *srv_submission_json(const PGresult *res, int row, int col, int gcol, int released_only);

#endif
