/*
 * /api/v1/courses/{id}/assignments and /api/v1/assignments/{id}: a course's assignments.
 * Members and admins read them, students only the published ones; the course's teachers
 * and admins create and change them. Every field is checked here and a bad one answered
 * with 422 naming it; the table's CHECKs only back that up.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/req.h"
#include "core/route.h"
#include "db/db.h"
#include "kit/body.h"
#include "kit/course.h"
#include "kit/page.h"
#include "kit/query.h"
#include "kit/rows.h"
#include "kit/work.h"
#include "model.h"
#include "xalloc.h"

#define MAX_TYPES 50

/* An assignment's fields as SQL parameters (text), from a body over defaults or a row. */
struct assignment_in {
	const char *title;
	const char *instructions;
	const char *due_at;		/* NULL: none */
	char points[40];
	const char *category;
	const char *kind;
	char *types;			/* JSON array (owned) */
	char max_size[24];
	const char *late_policy;
	int published;
	int given;			/* how many fields the body carried */
};

/* 1 when s looks like a MIME type as libmagic names them: type/subtype, lower case. */
static int mime_ok(const char *s)
{
	const char *slash = strchr(s, '/');
	size_t len = strlen(s);

	if (len < 3 || len > 127 || !slash || slash == s || !slash[1] || strchr(slash + 1, '/'))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    !strchr("/!#$&^_.+-", *s))
			return 0;
	return 1;
}

/* allowed_types: 0 absent, 1 present (*out: the JSON to store, owned), -1 after 422. */
static int field_types(struct srv_req *r, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, "allowed_types"), *t;
	cJSON *list;
	int i = 0;

	*out = NULL;
	if (!v)
		return 0;
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > MAX_TYPES) {
		srv_reply_error(r, SRV_ERR_INVALID, "allowed_types",
				"'allowed_types' must be a list of at most %d MIME types", MAX_TYPES);
		return -1;
	}
	list = cJSON_CreateArray();
	cJSON_ArrayForEach(t, v) {
		char *lower;

		if (!cJSON_IsString(t)) {
			cJSON_Delete(list);
			srv_reply_error(r, SRV_ERR_INVALID, "allowed_types",
					"'allowed_types' item %d is not a string", i);
			return -1;
		}
		lower = xstrdup(t->valuestring);
		for (char *p = lower; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (!mime_ok(lower)) {
			srv_reply_error(r, SRV_ERR_INVALID, "allowed_types",
					"'allowed_types' item %d is not a MIME type such as "
					"application/pdf", i);
			free(lower);
			cJSON_Delete(list);
			return -1;
		}
		cJSON_AddItemToArray(list, cJSON_CreateString(lower));
		free(lower);
		i++;
	}
	*out = cJSON_PrintUnformatted(list);
	cJSON_Delete(list);
	if (!*out)
		abort();
	return 1;
}

/* A text field that must be one of choices (named by what): 0 absent, 1 present, -1 after 422. */
static int field_choice(struct srv_req *r, const char *key, const char *const *choices,
			const char *what, const char **out)
{
	const char *s;
	int rc = srv_field_text(r, key, 1, 20, 0, &s);

	if (rc <= 0)
		return rc;
	for (const char *const *c = choices; *c; c++)
		if (!strcmp(*c, s)) {
			*out = *c;
			return 1;
		}
	srv_reply_error(r, SRV_ERR_INVALID, key, "'%s' must be %s", key, what);
	return -1;
}

/* max_file_size: a whole number of bytes up to max_upload. 0 absent, 1 present, -1 after 422. */
static int field_size(struct srv_req *r, long long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, "max_file_size");

	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > (double)srv_cfg.max_upload ||
	    v->valuedouble != (double)(long long)v->valuedouble) {
		srv_reply_error(r, SRV_ERR_INVALID, "max_file_size",
				"'max_file_size' must be a whole number of bytes from 1 to %ld",
				srv_cfg.max_upload);
		return -1;
	}
	*out = (long long)v->valuedouble;
	return 1;
}

static const char *const kinds[] = { "text", "files", "both", NULL };
static const char *const policies[] = { "accept", "reject", NULL };

/*
 * Reads the body over in (which holds the defaults or the current values). 0, or -1
 * after answering; in->types is then still owned by in.
 */
static int read_assignment(struct srv_req *r, struct assignment_in *in, int create)
{
	const char *s;
	char *types;
	double points;
	long long max;
	int rc, b;

	if (create && !cJSON_GetObjectItemCaseSensitive(r->json, "title")) {
		srv_reply_error(r, SRV_ERR_INVALID, "title", "'title' is required");
		return -1;
	}
	if ((rc = srv_field_text(r, "title", 1, 200, 0, &s)) < 0)
		return -1;
	if (rc)
		in->title = s;
	in->given += rc;
	if ((rc = srv_field_text(r, "instructions", 0, 100000,
				 SRV_TEXT_MULTILINE | SRV_TEXT_NULLABLE, &s)) < 0)
		return -1;
	if (rc)
		in->instructions = s;
	in->given += rc;
	if ((rc = srv_field_time(r, "due_at", &s)) < 0)
		return -1;
	if (rc)
		in->due_at = s;
	in->given += rc;
	if ((rc = srv_field_number(r, r->json, "points_possible", "points_possible", 0, 100000,
				  0, NULL, &points)) < 0)
		return -1;
	if (rc)
		db_num_param(in->points, sizeof(in->points), points);
	in->given += rc;
	if ((rc = srv_field_text(r, "category", 0, 100, SRV_TEXT_NULLABLE, &s)) < 0)
		return -1;
	if (rc)
		in->category = s;
	in->given += rc;
	if ((rc = field_choice(r, "submission_kind", kinds, "text, files or both",
				&in->kind)) < 0)
		return -1;
	in->given += rc;
	if ((rc = field_types(r, &types)) < 0)
		return -1;
	if (rc) {
		free(in->types);
		in->types = types;
	}
	in->given += rc;
	if ((rc = field_size(r, &max)) < 0)
		return -1;
	if (rc)
		snprintf(in->max_size, sizeof(in->max_size), "%lld", max);
	in->given += rc;
	if ((rc = field_choice(r, "late_policy", policies, "accept or reject",
				&in->late_policy)) < 0)
		return -1;
	in->given += rc;
	if ((rc = srv_field_bool(r, "published", &b)) < 0)
		return -1;
	if (rc)
		in->published = b;
	in->given += rc;
	return 0;
}

static void reply_assignment(struct srv_req *r, int status, const PGresult *res)
{
	srv_set_etag(r, db_long(res, 0, SRV_ASSIGNMENT_VERSION));
	srv_reply_json(r, status, srv_assignment_json(res, 0, 0));
}

/* The course {id}: its standing, 0; or -1 after answering 404 (or a database error). */
static int course_param(struct srv_req *r, int *access, int *archived)
{
	*access = srv_course_access(r, r->params[0], archived);
	if (*access < 0)
		return -1;
	if (*access == SRV_COURSE_NONE) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such course");
		return -1;
	}
	return 0;
}

/* ---- GET /courses/{id}/assignments ---- */

/*
 * Where the reader stands, in the columns after an assignment's, for a query on the
 * assignments table a whose $2 is true for a teacher of the course and $3 is a student's
 * own id (NULL for anyone else). A student reading: their latest attempt and their grade
 * once released (MINE_COLS on; NULL for anyone else). A teacher reading: the work handed
 * in (WORK_COLS on; NULL for anyone else): the course's students, those who handed
 * something in, and the latest attempts that have no grade of their own (as
 * GET /assignments/{id}/submissions?ungraded counts them).
 */
#define STANDING_COLUMNS(first, next) \
	first(MINE_ATTEMPT,        "s.attempt") \
	next(MINE_SUBMITTED_AT,    DB_TS("s.submitted_at")) \
	next(MINE_LATE,            "s.late") \
	next(MINE_GRADED,          "g.student_id IS NOT NULL") \
	next(MINE_EXCUSED,         "g.excused") \
	next(MINE_MISSING,         "g.missing") \
	next(MINE_SCORE,           "coalesce(g.score, g.rubric_score)") \
	next(MINE_OVERDUE,         "a.due_at < now()") \
	next(WORK_STUDENTS,        "CASE WHEN $2::bool THEN (SELECT count(*) FROM course_members m " \
		"WHERE m.school_id = a.school_id AND m.course_id = a.course_id " \
		"AND m.role = 'student') END") \
	next(WORK_HANDED_IN,       "CASE WHEN $2::bool THEN (SELECT count(DISTINCT w.student_id) " \
		"FROM submissions w WHERE w.school_id = a.school_id AND w.assignment_id = a.id) END") \
	next(WORK_TO_GRADE,        "CASE WHEN $2::bool THEN (SELECT count(*) FROM submissions w " \
		"LEFT JOIN grades wg ON wg.school_id = w.school_id " \
		"AND wg.assignment_id = w.assignment_id AND wg.student_id = w.student_id " \
		"WHERE w.school_id = a.school_id AND w.assignment_id = a.id " \
		"AND wg.submission_id IS DISTINCT FROM w.id " \
		"AND NOT EXISTS (SELECT 1 FROM submissions n WHERE n.school_id = w.school_id " \
		"AND n.assignment_id = w.assignment_id AND n.student_id = w.student_id " \
		"AND n.attempt > w.attempt)) END")
enum { DB_COLS_ENUM_AFTER(SRV_ASSIGNMENT_NCOLS, STANDING_COLUMNS) };
#define STANDING_COLS DB_COLS_SQL(STANDING_COLUMNS) " "
#define STANDING_JOINS \
	"LEFT JOIN LATERAL (SELECT s.attempt, s.submitted_at, s.late FROM submissions s " \
	"  WHERE s.school_id = a.school_id AND s.assignment_id = a.id AND s.student_id = $3 " \
	"  ORDER BY s.attempt DESC LIMIT 1) s ON true " \
	"LEFT JOIN grades g ON g.school_id = a.school_id AND g.assignment_id = a.id " \
	"  AND g.student_id = $3 AND g.released "

/* By due date (none last), then creation; $5, the cursor, is the last assignment's id. */
static const struct db_stmt q_list = DB_STMT("assignment_list", 6,
	"SELECT " SRV_ASSIGNMENT_COLS ", " STANDING_COLS
	"FROM assignments a " STANDING_JOINS
	"WHERE a.school_id = $1 AND a.course_id = $4 AND ($2::bool OR a.published) "
	"  AND ($5::uuid IS NULL OR (coalesce(a.due_at, 'infinity'), a.created_at, a.id) > "
	"    (SELECT coalesce(b.due_at, 'infinity'), b.created_at, b.id FROM assignments b "
	"     WHERE b.school_id = $1 AND b.id = $5)) "
	"ORDER BY coalesce(a.due_at, 'infinity'), a.created_at, a.id LIMIT $6::int + 1");

/* One assignment, $4, with where the reader stands. */
static const struct db_stmt q_one = DB_STMT("assignment_one", 4,
	"SELECT " SRV_ASSIGNMENT_COLS ", " STANDING_COLS
	"FROM assignments a " STANDING_JOINS
	"WHERE a.school_id = $1 AND a.id = $4");

/* A student's "mine" from the MINE_COLS of row; its strings are the result's. */
static void mine_from_row(struct edu_assignment_mine *m, const PGresult *res, int row)
{
	memset(m, 0, sizeof(*m));
	if (!db_null(res, row, MINE_ATTEMPT)) {
		m->attempts = (int)db_long(res, row, MINE_ATTEMPT);
		m->submitted_at = (char *)db_str(res, row, MINE_SUBMITTED_AT);
		m->late = db_bool(res, row, MINE_LATE);
	}
	if (db_bool(res, row, MINE_GRADED)) {
		/* a released grade */
		m->status = db_bool(res, row, MINE_EXCUSED) ? "excused" :
			    db_bool(res, row, MINE_MISSING) ? "missing" : "graded";
		if ((m->has_score = !db_null(res, row, MINE_SCORE)))
			m->score = db_double(res, row, MINE_SCORE);
	} else if (m->attempts) {
		m->status = "submitted";
	} else {
		m->status = db_bool(res, row, MINE_OVERDUE) ? "overdue" : "todo";
	}
}

/* ctx: the caller's standing in the course (SRV_COURSE_*), an int */
static cJSON *assignment_row(const PGresult *res, int row, void *ctx)
{
	struct edu_assignment_mine m;
	struct edu_assignment_work w;
	struct edu_assignment a;
	cJSON *j;

	srv_assignment_from_row(&a, res, row, 0);
	if (*(int *)ctx == SRV_COURSE_TEACHER) {
		w.students = (int)db_long(res, row, WORK_STUDENTS);
		w.handed_in = (int)db_long(res, row, WORK_HANDED_IN);
		w.to_grade = (int)db_long(res, row, WORK_TO_GRADE);
		a.work = &w;
	} else {
		mine_from_row(&m, res, row);
		a.mine = &m;
	}
	j = edu_assignment_to_json(&a);
	a.mine = NULL;		/* on the stack, its strings the result's */
	a.work = NULL;
	edu_assignment_release(&a);
	return j;
}

static void list(struct srv_req *r)
{
	struct srv_page pg;
	int access, archived;

	if (course_param(r, &access, &archived) < 0 ||
	    srv_page_start(r, &pg, SRV_CURSOR_UUID) < 0)
		return;
	srv_page_query(r, &pg, &q_list, (const char *[]){ r->caller.school_id,
		access == SRV_COURSE_TEACHER ? "t" : "f",
		access == SRV_COURSE_STUDENT ? r->caller.user_id : NULL,
		r->params[0], pg.after, pg.limit_s }, SRV_ASSIGNMENT_ID, assignment_row, &access);
}

/* ---- POST /courses/{id}/assignments ---- */

static const struct db_stmt q_create = DB_STMT("assignment_create", 13,
	"INSERT INTO assignments AS a (school_id, course_id, title, instructions, due_at, "
	"  points_possible, category, submission_kind, allowed_types, max_file_size, "
	"  late_policy, published, created_by) "
	"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13) "
	"RETURNING " SRV_ASSIGNMENT_COLS);

static void create(struct srv_req *r)
{
	struct assignment_in in = {
		.instructions = "", .points = "100", .category = "", .kind = "both",
		.late_policy = "accept",
	};
	int access, archived;
	PGresult *res;
	char *loc;

	in.types = xstrdup("[]");
	snprintf(in.max_size, sizeof(in.max_size), "%ld", srv_cfg.max_upload);
	if (course_param(r, &access, &archived) < 0)
		goto out;
	if (access != SRV_COURSE_TEACHER) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, NULL,
				"only the course's teachers and administrators add assignments");
		goto out;
	}
	if (archived) {
		srv_reply_archived(r);
		goto out;
	}
	if (read_assignment(r, &in, 1) < 0)
		goto out;
	res = srv_exec(r, &q_create, (const char *[]){
		r->caller.school_id, r->params[0], in.title, in.instructions, in.due_at,
		in.points, in.category, in.kind, in.types, in.max_size, in.late_policy,
		in.published ? "t" : "f", r->caller.user_id });
	if (!res)
		goto out;
	loc = xasprintf("/api/v1/assignments/%s", db_str(res, 0, SRV_ASSIGNMENT_ID));
	srv_set_header(r, "Location", loc);
	free(loc);
	reply_assignment(r, 201, res);
	PQclear(res);
out:
	free(in.types);
}

/* ---- GET /assignments/{id} ---- */

/* With where the reader stands, as in the list: "mine" for a student, "work" for a teacher. */
static void get(struct srv_req *r)
{
	struct srv_work_assignment ga;
	PGresult *res;

	if (srv_work_assignment_load(r, r->params[0], 0, SRV_NEED_READ, &ga) < 0)
		goto out;
	res = srv_exec(r, &q_one, (const char *[]){ r->caller.school_id,
		ga.access == SRV_COURSE_TEACHER ? "t" : "f",
		ga.access == SRV_COURSE_STUDENT ? r->caller.user_id : NULL, ga.id });
	if (!res)
		goto out;
	if (PQntuples(res) == 1) {
		srv_set_etag(r, db_long(res, 0, SRV_ASSIGNMENT_VERSION));
		srv_reply_json(r, 200, assignment_row(res, 0, &ga.access));
	} else {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such assignment");
	}
	PQclear(res);
out:
	srv_work_assignment_release(&ga);
}

/* ---- PATCH /assignments/{id} ---- */

static const struct db_stmt q_patch = DB_STMT("assignment_patch", 12,
	"UPDATE assignments a SET title = $3, instructions = $4, due_at = $5, "
	"  points_possible = $6, category = $7, submission_kind = $8, allowed_types = $9::jsonb, "
	"  max_file_size = $10, late_policy = $11, published = $12, version = a.version + 1, "
	"  updated_at = now() "
	"WHERE a.school_id = $1 AND a.id = $2 "
	"RETURNING " SRV_ASSIGNMENT_COLS);

static void patch(struct srv_req *r)
{
	struct assignment_in in;
	struct srv_work_assignment ga;
	const PGresult *cur;
	PGresult *res;
	long if_match;
	int has_match;

	memset(&in, 0, sizeof(in));
	if (srv_work_assignment_load(r, r->params[0], 1, SRV_NEED_TEACH, &ga) < 0 ||
	    (has_match = srv_if_match(r, &if_match)) < 0)
		goto out;
	cur = ga.res;
	if (has_match && if_match != db_long(cur, 0, SRV_ASSIGNMENT_VERSION)) {
		srv_reply_stale(r, srv_assignment_json(cur, 0, 0));
		goto out;
	}
	if (ga.archived) {
		srv_reply_archived(r);
		goto out;
	}
	/* what the body leaves out stays as it is */
	in.title = db_str(cur, 0, SRV_ASSIGNMENT_TITLE);
	in.instructions = db_str(cur, 0, SRV_ASSIGNMENT_INSTRUCTIONS);
	in.due_at = ga.due_at;
	snprintf(in.points, sizeof(in.points), "%s",
		 db_str(cur, 0, SRV_ASSIGNMENT_POINTS_POSSIBLE));
	in.category = db_str(cur, 0, SRV_ASSIGNMENT_CATEGORY);
	in.kind = db_str(cur, 0, SRV_ASSIGNMENT_SUBMISSION_KIND);
	in.types = xstrdup(db_str(cur, 0, SRV_ASSIGNMENT_ALLOWED_TYPES));
	snprintf(in.max_size, sizeof(in.max_size), "%s",
		 db_str(cur, 0, SRV_ASSIGNMENT_MAX_FILE_SIZE));
	in.late_policy = db_str(cur, 0, SRV_ASSIGNMENT_LATE_POLICY);
	in.published = ga.published;
	if (read_assignment(r, &in, 0) < 0)
		goto out;
	if (!in.given) {
		reply_assignment(r, 200, cur);
		goto out;
	}
	res = srv_exec(r, &q_patch, (const char *[]){
		r->caller.school_id, ga.id, in.title, in.instructions, in.due_at, in.points,
		in.category, in.kind, in.types, in.max_size, in.late_policy,
		in.published ? "t" : "f" });
	if (!res)
		goto out;
	reply_assignment(r, 200, res);
	PQclear(res);
out:
	free(in.types);
	srv_work_assignment_release(&ga);
}

/* ---- DELETE /assignments/{id} ---- */

/* What would be lost with it: the students who handed work in, the grades given. */
static const struct db_stmt q_in_use = DB_STMT("assignment_in_use", 2,
	"SELECT (SELECT count(DISTINCT s.student_id) FROM submissions s "
	"        WHERE s.school_id = $1 AND s.assignment_id = $2), "
	"       (SELECT count(*) FROM grades g WHERE g.school_id = $1 AND g.assignment_id = $2)");

/* Only while nothing would be lost: a submission or a grade made meanwhile stops it too. */
static const struct db_stmt q_delete = DB_STMT("assignment_delete", 2,
	"DELETE FROM assignments a WHERE a.school_id = $1 AND a.id = $2 "
	"  AND NOT EXISTS (SELECT 1 FROM submissions s "
	"                  WHERE s.school_id = $1 AND s.assignment_id = $2) "
	"  AND NOT EXISTS (SELECT 1 FROM grades g WHERE g.school_id = $1 AND g.assignment_id = $2)");

/*
 * A draft, or an assignment nobody handed anything in to, goes with its rubric; one with
 * students' work or grades stays (409, saying how much), as the work must not be lost.
 */
static void delete(struct srv_req *r)
{
	struct srv_work_assignment ga;
	PGresult *res;
	long handed, graded;

	if (srv_work_assignment_load(r, r->params[0], 1, SRV_NEED_TEACH, &ga) < 0)
		goto out;
	if (ga.archived) {
		srv_reply_archived(r);
		goto out;
	}
	if (!(res = srv_exec(r, &q_in_use, (const char *[]){ r->caller.school_id, ga.id })))
		goto out;
	handed = db_long(res, 0, 0);
	graded = db_long(res, 0, 1);
	PQclear(res);
	if (handed || graded) {
		srv_reply_error(r, SRV_ERR_CONFLICT, NULL,
				"%ld student%s handed work in and %ld grade%s given: an assignment "
				"with students' work is kept (unpublish it to hide it)", handed,
				handed == 1 ? "" : "s", graded, graded == 1 ? " was" : "s were");
		goto out;
	}
	if (!(res = srv_exec(r, &q_delete, (const char *[]){ r->caller.school_id, ga.id })))
		goto out;
	if (strcmp(PQcmdTuples(res), "1"))
		srv_reply_error(r, SRV_ERR_CONFLICT, NULL,
				"a student handed work in meanwhile: the assignment is kept");
	else
		srv_reply_empty(r, 204);
	PQclear(res);
out:
	srv_work_assignment_release(&ga);
}

/* What a body of the routes below may carry. */
static const char *const assignment_fields[] = {
	"title", "instructions", "due_at", "points_possible", "category", "submission_kind",
	"allowed_types", "max_file_size", "late_policy", "published", NULL
};

const struct srv_route srv_assignment_routes[] = {
	SRV_ROUTE("GET", "/api/v1/courses/{id:uuid}/assignments", list, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("POST", "/api/v1/courses/{id:uuid}/assignments", create,
	  SRV_PERM_TEACHER, 0, assignment_fields),
	SRV_ROUTE("GET", "/api/v1/assignments/{id:uuid}", get, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("PATCH", "/api/v1/assignments/{id:uuid}", patch,
	  SRV_PERM_TEACHER, 0, assignment_fields),
	SRV_ROUTE("DELETE", "/api/v1/assignments/{id:uuid}", delete, SRV_PERM_TEACHER, 0, NULL),
	SRV_ROUTES_END
};
