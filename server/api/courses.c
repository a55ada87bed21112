/*
 * /api/v1/courses...: courses, their members, joining by code, copying a course to a new
 * term, and students' progress through its lessons. Also srv_course_access(), the check every
 * course-scoped handler (lessons, assignments, submissions, grades) makes first.
 *
 * Who may do what (docs/api.md): a course's teachers and admin and above of its school manage
 * it; its students read it; anyone else is told it does not exist (404). The caller's
 * standing always comes from the course's own row and the membership table, in the same
 * query that reads the course.
 */
#include "config.h"

#include <ctype.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/code.h"
#include "core/req.h"
#include "core/route.h"
#include "core/text.h"
#include "db/db.h"
#include "kit/body.h"
#include "kit/course.h"
#include "kit/page.h"
#include "kit/query.h"
#include "model.h"
#include "xalloc.h"

/* A join code is 8 characters of Crockford base32: 40 bits, typed by students. */
#define CODE_LEN 8
#define CODE_TRIES 8

/*
 * The course as the API shows it, for a query that calls courses c; every course query
 * adds the caller's membership role after it (COURSE_MY_ROLE).
 */
#define COURSE_COLUMNS(first, next) \
	first(COURSE_ID,            "c.id") \
	next(COURSE_NAME,           "c.name") \
	next(COURSE_DESCRIPTION,    "c.description") \
	next(COURSE_TERM,           "c.term") \
	next(COURSE_CODE,           "c.code") \
	next(COURSE_ARCHIVED,       "c.archived") \
	next(COURSE_CREATED_AT,     DB_TS("c.created_at")) \
	next(COURSE_UPDATED_AT,     DB_TS("c.updated_at")) \
	next(COURSE_VERSION,        "c.version")
enum course_col { DB_COLS_ENUM(COURSE_COLUMNS) COURSE_MY_ROLE };
#define COURSE_COLS DB_COLS_SQL(COURSE_COLUMNS)

/* The caller's membership in course c ($3: the caller's id). */
#define MEMBER_JOIN "LEFT JOIN course_members m ON m.school_id = c.school_id " \
	"AND m.course_id = c.id AND m.user_id = $3 "

/*
 * Course lists go by lower(name), then id; the cursor is the id of the last course seen
 * ($n), whose place in that order is looked up (a name may be longer than a cursor may be).
 */
#define COURSE_AFTER(n) \
	"($" #n "::uuid IS NULL OR (lower(c.name), c.id) > " \
	"(SELECT lower(x.name), x.id FROM courses x WHERE x.school_id = $1 AND x.id = $" #n ")) "

/* ---- courses ---- */

/*
 * The course in row `row` of res, its strings pointing into res (do not release it); the
 * join code only for those who manage the course.
 */
static void course_from_row(const struct srv_req *r, struct edu_course *c, const PGresult *res,
			    int row)
{
	c->id = (char *)db_str(res, row, COURSE_ID);
	c->name = (char *)db_str(res, row, COURSE_NAME);
	c->description = (char *)db_str(res, row, COURSE_DESCRIPTION);
	c->term = (char *)db_str(res, row, COURSE_TERM);
	c->my_role = (char *)db_str(res, row, COURSE_MY_ROLE);
	c->code = srv_course_standing(r, c->my_role) == SRV_COURSE_TEACHER
		  ? (char *)db_str(res, row, COURSE_CODE) : NULL;
	c->archived = db_bool(res, row, COURSE_ARCHIVED);
	c->created_at = (char *)db_str(res, row, COURSE_CREATED_AT);
	c->updated_at = (char *)db_str(res, row, COURSE_UPDATED_AT);
	c->version = db_long(res, row, COURSE_VERSION);
}

static cJSON *course_json(const struct srv_req *r, const PGresult *res, int row)
{
	struct edu_course c;

	course_from_row(r, &c, res, row);
	return edu_course_to_json(&c);
}

static void reply_course(struct srv_req *r, int status, const PGresult *res)
{
	srv_set_etag(r, db_long(res, 0, COURSE_VERSION));
	srv_reply_json(r, status, course_json(r, res, 0));
}

static void reply_no_course(struct srv_req *r)
{
	srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such course");
}

/*
 * The caller's standing in the course of the {id} parameter, which must be at least
 * `need`: SRV_COURSE_NONE is 404, a student where a teacher is needed 403. Returns the
 * standing, or -1 after answering.
 */
static int need_access(struct srv_req *r, const char *id, int need, int *archived)
{
	int a = srv_course_access(r, id, archived);

	if (a < 0)
		return -1;
	if (a == SRV_COURSE_NONE) {
		reply_no_course(r);
		return -1;
	}
	if (a < need) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, NULL, "only the course's teachers may do this");
		return -1;
	}
	return a;
}

/* A new join code (Crockford base32: no I, L, O or U, so it reads back unambiguously). */
static void new_code(char out[CODE_LEN + 1])
{
	unsigned char raw[CODE_LEN];

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		abort();
	for (int i = 0; i < CODE_LEN; i++)
		out[i] = srv_code_alphabet[raw[i] & 31];	/* 256 is a multiple of 32: no bias */
	out[CODE_LEN] = '\0';
}

/*
 * A code as a student typed it: case, spaces and dashes do not matter, and O, I and L read
 * as 0, 1 and 1. 0 and the code in out, or -1 when it cannot be one.
 */
static int normalise_code(const char *in, char out[CODE_LEN + 1])
{
	size_t n = 0;

	for (; *in; in++) {
		int c = srv_code_char(*in);

		if (!c)
			continue;
		if (!isalnum(c) || c == 'U' || n == CODE_LEN)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return n == CODE_LEN ? 0 : -1;
}

/* ---- GET /courses ---- */

/* The caller's courses. $3 archived ones too, $4 cursor, $5 limit. */
static const struct db_stmt q_course_mine = DB_STMT("course_mine", 5,
	"SELECT " COURSE_COLS ", m.role FROM course_members m "
	"JOIN courses c ON c.school_id = m.school_id AND c.id = m.course_id "
	"WHERE m.school_id = $1 AND m.user_id = $2 AND ($3::bool OR NOT c.archived) "
	"  AND " COURSE_AFTER(4)
	"ORDER BY lower(c.name), c.id LIMIT $5::int + 1");

/* Every course of the school (admins), with the caller's membership when there is one. */
static const struct db_stmt q_course_all = DB_STMT("course_all", 5,
	"SELECT " COURSE_COLS ", m.role FROM courses c "
	"LEFT JOIN course_members m ON m.school_id = c.school_id AND m.course_id = c.id "
	"  AND m.user_id = $2 "
	"WHERE c.school_id = $1 AND ($3::bool OR NOT c.archived) AND " COURSE_AFTER(4)
	"ORDER BY lower(c.name), c.id LIMIT $5::int + 1");

/* A course with the caller's role in it; ctx: the request. */
static cJSON *course_row(const PGresult *res, int row, void *ctx)
{
	return course_json(ctx, res, row);
}

static void list(struct srv_req *r)
{
	struct srv_page pg;
	int all, archived;

	if (srv_page_start(r, &pg, SRV_CURSOR_TEXT) < 0 || srv_query_flag(r, "all", &all) < 0 ||
	    srv_query_flag(r, "archived", &archived) < 0)
		return;
	if (all && r->caller.role < EDU_ROLE_ADMIN) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, "all",
				"only admins list every course of the school");
		return;
	}
	if (srv_page_cursor(r, &pg, SRV_CURSOR_UUID) < 0)
		return;
	srv_page_query(r, &pg, all ? &q_course_all : &q_course_mine, (const char *[]){
		r->caller.school_id, r->caller.user_id, archived ? "t" : "f", pg.after,
		pg.limit_s }, COURSE_ID, course_row, r);
}

/* ---- POST /courses ---- */

/*
 * The course and its first teacher in one statement. A code another course of the school
 * has already makes no row (ON CONFLICT DO NOTHING): the caller tries another code.
 */
static const struct db_stmt q_course_create = DB_STMT("course_create", 6,
	"WITH c AS (INSERT INTO courses (school_id, name, description, term, code, created_by) "
	"  VALUES ($1, $2, coalesce($3, ''), coalesce($4, ''), $5, $6) "
	"  ON CONFLICT (school_id, code) DO NOTHING RETURNING *), "
	"m AS (INSERT INTO course_members (school_id, course_id, user_id, role) "
	"  SELECT c.school_id, c.id, $6, 'teacher' FROM c RETURNING role) "
	"SELECT " COURSE_COLS ", m.role FROM c, m");

/* Reads name, description and term (each may be absent); -1 after answering 422. */
static int course_fields(struct srv_req *r, const char **name, const char **desc,
			 const char **term)
{
	if (srv_field_text(r, "name", 1, 200, 0, name) < 0 ||
	    srv_field_text(r, "description", 0, 20000, SRV_TEXT_MULTILINE | SRV_TEXT_NULLABLE,
			   desc) < 0 ||
	    srv_field_text(r, "term", 0, 100, SRV_TEXT_NULLABLE, term) < 0)
		return -1;
	return 0;
}

static void set_location(struct srv_req *r, const char *id)
{
	char *loc = xasprintf("/api/v1/courses/%s", id);

	srv_set_header(r, "Location", loc);
	free(loc);
}

/*
 * Runs q_course_create-like statements until a fresh code sticks: the result with one row,
 * or NULL after answering. params[code_at] is replaced by each new code.
 */
static PGresult *insert_with_code(struct srv_req *r, const struct db_stmt *st,
				  const char **params, int code_at)
{
	char code[CODE_LEN + 1];

	for (int i = 0; i < CODE_TRIES; i++) {
		PGresult *res;

		new_code(code);
		params[code_at] = code;
		res = srv_exec(r, st, params);
		params[code_at] = NULL;
		if (!res)
			return NULL;
		if (PQntuples(res) == 1)
			return res;
		PQclear(res);
	}
	/* 2^40 codes: this means something else is wrong */
	srv_reply_internal(r, "no free join code after several tries");
	return NULL;
}

static void create(struct srv_req *r)
{
	const char *name, *desc, *term;
	const char *params[6];
	PGresult *res;

	if (course_fields(r, &name, &desc, &term) < 0)
		return;
	if (!name) {
		srv_reply_error(r, SRV_ERR_INVALID, "name", "'name' is required");
		return;
	}
	params[0] = r->caller.school_id;
	params[1] = name;
	params[2] = desc;
	params[3] = term;
	params[4] = NULL;
	params[5] = r->caller.user_id;
	if (!(res = insert_with_code(r, &q_course_create, params, 4)))
		return;
	set_location(r, db_str(res, 0, COURSE_ID));
	reply_course(r, 201, res);
	PQclear(res);
}

/* ---- GET /courses/{id} ---- */

static const struct db_stmt q_course_get = DB_STMT("course_get", 3,
	"SELECT " COURSE_COLS ", m.role FROM courses c " MEMBER_JOIN
	"WHERE c.school_id = $1 AND c.id = $2");

static const struct db_stmt q_course_get_lock = DB_STMT("course_get_lock", 3,
	"SELECT " COURSE_COLS ", m.role FROM courses c " MEMBER_JOIN
	"WHERE c.school_id = $1 AND c.id = $2 FOR NO KEY UPDATE OF c");

/*
 * The course of {id} with the caller's role, if the caller may see it: the result, or NULL
 * after answering (404 when not).
 */
static PGresult *read_course(struct srv_req *r, const struct db_stmt *st, const char *id)
{
	PGresult *res = srv_exec(r, st, (const char *[]){ r->caller.school_id, id,
							       r->caller.user_id });

	if (!res)
		return NULL;
	if (PQntuples(res) != 1 ||
	    srv_course_standing(r, db_str(res, 0, COURSE_MY_ROLE)) == SRV_COURSE_NONE) {
		PQclear(res);
		reply_no_course(r);
		return NULL;
	}
	return res;
}

static void get(struct srv_req *r)
{
	const char *id = r->params[0];
	PGresult *res;

	if (!(res = read_course(r, &q_course_get, id)))
		return;
	reply_course(r, 200, res);
	PQclear(res);
}

/* ---- PATCH /courses/{id} ---- */

/* $3..$5 name, description, term or NULL to keep; $6 archived or NULL; $7 the caller. */
static const struct db_stmt q_course_patch = DB_STMT("course_patch", 7,
	"WITH c AS (UPDATE courses c SET name = coalesce($3, c.name), "
	"  description = coalesce($4, c.description), term = coalesce($5, c.term), "
	"  archived = coalesce($6::bool, c.archived), "
	"  version = c.version + 1, updated_at = now() "
	"  WHERE c.school_id = $1 AND c.id = $2 RETURNING *) "
	"SELECT " COURSE_COLS ", m.role FROM c "
	"LEFT JOIN course_members m ON m.school_id = c.school_id AND m.course_id = c.id "
	"  AND m.user_id = $7");

static void patch(struct srv_req *r)
{
	const char *id = r->params[0], *name, *desc, *term;
	PGresult *cur = NULL, *res = NULL;
	int archived = -1, has_match;
	long if_match;

	if (!(cur = read_course(r, &q_course_get_lock, id)))
		return;
	if (srv_course_standing(r, db_str(cur, 0, COURSE_MY_ROLE)) != SRV_COURSE_TEACHER) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, NULL, "only the course's teachers may do this");
		goto out;
	}
	if (course_fields(r, &name, &desc, &term) < 0 ||
	    srv_field_bool(r, "archived", &archived) < 0 ||
	    (has_match = srv_if_match(r, &if_match)) < 0)
		goto out;
	if (db_bool(cur, 0, COURSE_ARCHIVED) && archived != 0) {
		/* an archived course changes only by being unarchived */
		srv_reply_archived(r);
		goto out;
	}
	if (has_match && if_match != db_long(cur, 0, COURSE_VERSION)) {
		srv_reply_stale(r, course_json(r, cur, 0));
		goto out;
	}
	if (!name && !desc && !term && archived < 0) {
		reply_course(r, 200, cur);
		goto out;
	}
	res = srv_exec(r, &q_course_patch, (const char *[]){
		r->caller.school_id, id, name, desc, term,
		archived < 0 ? NULL : archived ? "t" : "f", r->caller.user_id });
	if (!res)
		goto out;
	if (PQntuples(res) != 1)
		reply_no_course(r);
	else
		reply_course(r, 200, res);
out:
	PQclear(res);
	PQclear(cur);
}

/* ---- POST /courses/{id}/copy ---- */

/*
 * The copy: a new course (the code is $5) with the caller as its only member, and the
 * lessons in order, each pointing at the same attachment files. $3/$4 the new name and
 * term (NULL: the old ones).
 */
static const struct db_stmt q_course_copy = DB_STMT("course_copy", 6,
	"WITH o AS (SELECT * FROM courses WHERE school_id = $1 AND id = $2), "
	"c AS (INSERT INTO courses (school_id, name, description, term, code, created_by) "
	"  SELECT o.school_id, coalesce($3, o.name), o.description, coalesce($4, o.term), $5, $6 "
	"  FROM o ON CONFLICT (school_id, code) DO NOTHING RETURNING *), "
	"m AS (INSERT INTO course_members (school_id, course_id, user_id, role) "
	"  SELECT c.school_id, c.id, $6, 'teacher' FROM c RETURNING role) "
	"SELECT " COURSE_COLS ", m.role FROM c, m");

/* The lessons of $2 into $3, and their attachments. */
static const struct db_stmt q_copy_lessons = DB_STMT("course_copy_lessons", 3,
	"WITH src AS (SELECT l.*, gen_random_uuid() AS new_id FROM lessons l "
	"  WHERE l.school_id = $1 AND l.course_id = $2), "
	"ins AS (INSERT INTO lessons (school_id, id, course_id, position, title, content) "
	"  SELECT school_id, new_id, $3, position, title, content FROM src) "
	"INSERT INTO lesson_attachments (school_id, lesson_id, file_id, added_at) "
	"SELECT a.school_id, src.new_id, a.file_id, a.added_at FROM lesson_attachments a "
	"JOIN src ON a.school_id = src.school_id AND a.lesson_id = src.id "
	"WHERE a.school_id = $1");

/*
 * The assignments of $1 into $2 as drafts, with their rubrics: 003_assignments.sql keeps the
 * column lists in edu.copy_assignments(). VALUES rather than SELECT, as the statement
 * writes (db.h: a statement that starts with SELECT must not).
 */
static const struct db_stmt q_copy_assignments = DB_STMT("course_copy_assignments", 5,
	"VALUES (edu.copy_assignments($1::uuid, $2::uuid, $3::int, $4::bool, $5::uuid))");

static void copy(struct srv_req *r)
{
	const char *id = r->params[0], *name = NULL, *term = NULL, *new_id, *params[6];
	char shift_s[24];
	long shift = 0;
	int clear = 0;
	PGresult *res = NULL, *v;

	if (need_access(r, id, SRV_COURSE_TEACHER, NULL) < 0)
		return;
	/* the body is optional: no body copies as it is */
	if (r->json && (srv_field_text(r, "name", 1, 200, 0, &name) < 0 ||
			srv_field_text(r, "term", 0, 100, SRV_TEXT_NULLABLE, &term) < 0 ||
			srv_field_long(r, "shift_days", -3660, 3660, &shift) < 0 ||
			srv_field_bool(r, "clear_dates", &clear) < 0))
		return;
	params[0] = r->caller.school_id;
	params[1] = id;
	params[2] = name;
	params[3] = term;
	params[4] = NULL;
	params[5] = r->caller.user_id;
	if (!(res = insert_with_code(r, &q_course_copy, params, 4)))
		return;
	new_id = db_str(res, 0, COURSE_ID);
	v = srv_exec(r, &q_copy_lessons, (const char *[]){ r->caller.school_id, id, new_id });
	if (!v)
		goto out;
	PQclear(v);
	snprintf(shift_s, sizeof(shift_s), "%ld", shift);
	v = srv_exec(r, &q_copy_assignments, (const char *[]){
		id, new_id, shift_s, clear ? "t" : "f", r->caller.user_id });
	if (!v)
		goto out;
	PQclear(v);
	set_location(r, new_id);
	reply_course(r, 201, res);
out:
	PQclear(res);
}

/* ---- members ---- */

/* A member of course_members m, their users row u; a list adds its cursor (MEMBER_CURSOR). */
#define MEMBER_COLUMNS(first, next) \
	first(MEMBER_USER_ID,        "u.id") \
	next(MEMBER_USERNAME,        "u.username") \
	next(MEMBER_DISPLAY_NAME,    "u.display_name") \
	next(MEMBER_ROLE,            "m.role") \
	next(MEMBER_ADDED_AT,        DB_TS("m.added_at"))
enum member_col { DB_COLS_ENUM(MEMBER_COLUMNS) MEMBER_CURSOR };
#define MEMBER_COLS DB_COLS_SQL(MEMBER_COLUMNS)

/* The member in row `row` of res, its strings pointing into res (do not release it). */
static void member_from_row(struct edu_member *m, const PGresult *res, int row)
{
	m->user.id = (char *)db_str(res, row, MEMBER_USER_ID);
	m->user.username = (char *)db_str(res, row, MEMBER_USERNAME);
	m->user.display_name = (char *)db_str(res, row, MEMBER_DISPLAY_NAME);
	m->role = (char *)db_str(res, row, MEMBER_ROLE);
	m->added_at = (char *)db_str(res, row, MEMBER_ADDED_AT);
}

static cJSON *member_json(const PGresult *res, int row)
{
	struct edu_member m;

	member_from_row(&m, res, row);
	return edu_member_to_json(&m);
}

/* $3 role or NULL, $4 cursor (lower(username) of the last member seen), $5 limit. */
static const struct db_stmt q_member_list = DB_STMT("course_member_list", 5,
	"SELECT " MEMBER_COLS ", lower(u.username) FROM course_members m "
	"JOIN users u ON u.school_id = m.school_id AND u.id = m.user_id "
	"WHERE m.school_id = $1 AND m.course_id = $2 AND ($3::text IS NULL OR m.role = $3) "
	"  AND ($4::text IS NULL OR lower(u.username) > $4) "
	"ORDER BY lower(u.username) LIMIT $5::int + 1");

/* ?role=teacher|student; -1 after answering 400. */
static int role_query(struct srv_req *r, const char **role)
{
	*role = srv_req_query(r, "role");
	if (*role && strcmp(*role, "teacher") && strcmp(*role, "student")) {
		srv_reply_error(r, SRV_ERR_BAD_REQUEST, "role", "'role' must be teacher or student");
		return -1;
	}
	return 0;
}

static cJSON *member_row(const PGresult *res, int row, void *ctx)
{
	(void)ctx;
	return member_json(res, row);
}

static void members(struct srv_req *r)
{
	const char *id = r->params[0], *role;
	struct srv_page pg;

	if (need_access(r, id, SRV_COURSE_STUDENT, NULL) < 0 ||
	    srv_page_start(r, &pg, SRV_CURSOR_TEXT) < 0 || role_query(r, &role) < 0)
		return;
	/* the cursor is lower(username) */
	srv_page_query(r, &pg, &q_member_list, (const char *[]){
		r->caller.school_id, id, role, pg.after, pg.limit_s }, MEMBER_CURSOR, member_row, NULL);
}

/* The user by id ($3) or username ($4), with their role and membership of course $2. */
enum { FIND_ID, FIND_USERNAME, FIND_DISPLAY_NAME, FIND_ROLE, FIND_MEMBER_ROLE };
static const struct db_stmt q_member_find = DB_STMT("course_member_find", 4,
	"SELECT u.id, u.username, u.display_name, u.role, m.role FROM users u "
	"LEFT JOIN course_members m ON m.school_id = u.school_id AND m.course_id = $2 "
	"  AND m.user_id = u.id "
	"WHERE u.school_id = $1 AND ($3::uuid IS NULL OR u.id = $3::uuid) "
	"  AND ($4::text IS NULL OR lower(u.username) = lower($4))");

/* Adds the member, or gives them the role (a concurrent add of the same user included). */
static const struct db_stmt q_member_put = DB_STMT("course_member_put", 4,
	"WITH m AS (INSERT INTO course_members AS m (school_id, course_id, user_id, role) "
	"  VALUES ($1, $2, $3, $4) "
	"  ON CONFLICT (school_id, course_id, user_id) DO UPDATE SET role = excluded.role "
	"  RETURNING *) "
	"SELECT " MEMBER_COLS " FROM m JOIN users u ON u.school_id = m.school_id "
	"  AND u.id = m.user_id");

static const struct db_stmt q_member_get = DB_STMT("course_member_get", 3,
	"SELECT " MEMBER_COLS " FROM course_members m "
	"JOIN users u ON u.school_id = m.school_id AND u.id = m.user_id "
	"WHERE m.school_id = $1 AND m.course_id = $2 AND m.user_id = $3");

static void member_add(struct srv_req *r)
{
	const char *id = r->params[0], *uid = NULL, *username = NULL, *role, *was;
	PGresult *who = NULL, *res = NULL;
	int archived, status;

	if (need_access(r, id, SRV_COURSE_TEACHER, &archived) < 0)
		return;
	if (cJSON_GetObjectItemCaseSensitive(r->json, "user_id") &&
	    !(uid = srv_body_str(r, "user_id", 1, 64, NULL)))
		return;
	if (cJSON_GetObjectItemCaseSensitive(r->json, "username") &&
	    !(username = srv_body_str(r, "username", 1, 64, NULL)))
		return;
	if (!(role = srv_body_str(r, "role", 1, 16, NULL)))
		return;
	if (!uid == !username) {
		srv_reply_error(r, SRV_ERR_INVALID, NULL, "give one of 'user_id' and 'username'");
		return;
	}
	if (strcmp(role, "teacher") && strcmp(role, "student")) {
		srv_reply_error(r, SRV_ERR_INVALID, "role", "'role' must be teacher or student");
		return;
	}
	if (archived) {
		srv_reply_archived(r);
		return;
	}
	if (uid && !srv_is_uuid(uid)) {
		srv_reply_error(r, SRV_ERR_INVALID, "user_id", "no such user");
		return;
	}
	who = srv_exec(r, &q_member_find, (const char *[]){
		r->caller.school_id, id, uid, username });
	if (!who)
		goto out;
	if (PQntuples(who) != 1) {
		srv_reply_error(r, SRV_ERR_INVALID, uid ? "user_id" : "username", "no such user");
		goto out;
	}
	if (!strcmp(role, "teacher") &&
	    edu_role_from_name(db_str(who, 0, FIND_ROLE)) < EDU_ROLE_TEACHER) {
		srv_reply_error(r, SRV_ERR_INVALID, "role",
				"'%s' is a student account and cannot teach a course",
				db_str(who, 0, FIND_USERNAME));
		goto out;
	}
	was = db_str(who, 0, FIND_MEMBER_ROLE);
	status = was ? 200 : 201;
	if (was && !strcmp(was, role))
		res = db_exec(r->tx, &q_member_get, (const char *[]){
			r->caller.school_id, id, db_str(who, 0, FIND_ID) });
	else
		res = db_exec(r->tx, &q_member_put, (const char *[]){
			r->caller.school_id, id, db_str(who, 0, FIND_ID), role });
	if (!res || PQntuples(res) != 1) {
		if (res)
			srv_reply_internal(r, "the member row vanished");
		else
			srv_reply_db_error(r);
		goto out;
	}
	srv_reply_json(r, status, member_json(res, 0));
out:
	PQclear(res);
	PQclear(who);
}

static const struct db_stmt q_member_remove = DB_STMT("course_member_remove", 3,
	"DELETE FROM course_members WHERE school_id = $1 AND course_id = $2 AND user_id = $3 "
	"RETURNING user_id");

static void member_remove(struct srv_req *r)
{
	const char *id = r->params[0], *uid = r->params[1];
	int archived;
	PGresult *res;

	if (need_access(r, id, SRV_COURSE_TEACHER, &archived) < 0)
		return;
	if (archived) {
		srv_reply_archived(r);
		return;
	}
	res = srv_exec(r, &q_member_remove, (const char *[]){ r->caller.school_id, id, uid });
	if (!res)
		return;
	if (PQntuples(res) != 1)
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such member");
	else
		srv_reply_empty(r, 204);
	PQclear(res);
}

/* ---- POST /courses/join ---- */

static const struct db_stmt q_course_by_code = DB_STMT("course_by_code", 3,
	"SELECT " COURSE_COLS ", m.role FROM courses c " MEMBER_JOIN
	"WHERE c.school_id = $1 AND c.code = $2");

static const struct db_stmt q_course_join = DB_STMT("course_join", 3,
	"INSERT INTO course_members (school_id, course_id, user_id, role) "
	"VALUES ($1, $2, $3, 'student') ON CONFLICT DO NOTHING");

static void join(struct srv_req *r)
{
	const char *typed;
	char code[CODE_LEN + 1];
	PGresult *res = NULL, *v;

	if (!(typed = srv_body_str(r, "code", 1, 64, NULL)))
		return;
	if (normalise_code(typed, code) < 0) {
		srv_reply_error(r, SRV_ERR_INVALID, "code",
				"a join code is 8 letters and digits, such as 7HSX-HY84");
		return;
	}
	res = srv_exec(r, &q_course_by_code, (const char *[]){
		r->caller.school_id, code, r->caller.user_id });
	if (!res)
		return;
	if (PQntuples(res) != 1) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, "code", "no course has that join code");
		goto out;
	}
	if (!db_null(res, 0, COURSE_MY_ROLE)) {
		/* a member already, in whatever role: nothing changes */
		reply_course(r, 200, res);
		goto out;
	}
	if (db_bool(res, 0, COURSE_ARCHIVED)) {
		srv_reply_archived(r);
		goto out;
	}
	v = srv_exec(r, &q_course_join, (const char *[]){
		r->caller.school_id, db_str(res, 0, COURSE_ID), r->caller.user_id });
	if (!v)
		goto out;
	PQclear(v);
	PQclear(res);
	res = db_exec(r->tx, &q_course_by_code, (const char *[]){
		r->caller.school_id, code, r->caller.user_id });
	if (!res || PQntuples(res) != 1) {
		if (res)
			srv_reply_internal(r, "the joined course vanished");
		else
			srv_reply_db_error(r);
		goto out;
	}
	reply_course(r, 200, res);
out:
	PQclear(res);
}

/* ---- GET /courses/{id}/progress ---- */

/* Each student's lessons done, of the course's lessons; $3: one student only, or NULL. */
enum { PROGRESS_ID, PROGRESS_USERNAME, PROGRESS_DISPLAY_NAME, PROGRESS_DONE, PROGRESS_TOTAL,
       PROGRESS_CURSOR };
static const struct db_stmt q_progress = DB_STMT("course_progress", 5,
	"SELECT u.id, u.username, u.display_name, "
	"  (SELECT count(*) FROM lesson_progress p JOIN lessons l "
	"    ON l.school_id = p.school_id AND l.id = p.lesson_id "
	"    WHERE p.school_id = m.school_id AND p.user_id = m.user_id "
	"      AND l.course_id = m.course_id), "
	"  (SELECT count(*) FROM lessons l WHERE l.school_id = m.school_id "
	"    AND l.course_id = m.course_id), "
	"  lower(u.username) "
	"FROM course_members m JOIN users u ON u.school_id = m.school_id AND u.id = m.user_id "
	"WHERE m.school_id = $1 AND m.course_id = $2 AND m.role = 'student' "
	"  AND ($3::uuid IS NULL OR m.user_id = $3::uuid) "
	"  AND ($4::text IS NULL OR lower(u.username) > $4) "
	"ORDER BY lower(u.username) LIMIT $5::int + 1");

static cJSON *progress_row(const PGresult *res, int row, void *ctx)
{
	struct edu_person s = {
		.id = (char *)db_str(res, row, PROGRESS_ID),
		.username = (char *)db_str(res, row, PROGRESS_USERNAME),
		.display_name = (char *)db_str(res, row, PROGRESS_DISPLAY_NAME),
	};
	cJSON *j = cJSON_CreateObject();

	(void)ctx;
	cJSON_AddItemToObject(j, "student", edu_person_to_json(&s));
	cJSON_AddNumberToObject(j, "done", (double)db_long(res, row, PROGRESS_DONE));
	cJSON_AddNumberToObject(j, "total", (double)db_long(res, row, PROGRESS_TOTAL));
	return j;
}

static void progress(struct srv_req *r)
{
	struct srv_page pg;
	const char *id = r->params[0];
	int standing;

	if ((standing = need_access(r, id, SRV_COURSE_STUDENT, NULL)) < 0 ||
	    srv_page_start(r, &pg, SRV_CURSOR_TEXT) < 0)
		return;
	/* a student sees their own progress only; the cursor is lower(username) */
	srv_page_query(r, &pg, &q_progress, (const char *[]){
		r->caller.school_id, id,
		standing == SRV_COURSE_STUDENT ? r->caller.user_id : NULL, pg.after, pg.limit_s },
		PROGRESS_CURSOR, progress_row, NULL);
}

/*
 * /courses/join comes before /courses/{id}... only for readability: the methods differ.
 * Writes only a course's teachers (or admins) may make need the teacher role as well, so a
 * student account is refused before any course is looked at.
 */
const struct srv_route srv_course_routes[] = {
	SRV_ROUTE("GET", "/api/v1/courses", list, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("POST", "/api/v1/courses", create, SRV_PERM_TEACHER, 0,
	  SRV_FIELDS("name", "description", "term")),
	SRV_ROUTE("POST", "/api/v1/courses/join", join, SRV_PERM_ANY, 0, SRV_FIELDS("code")),
	SRV_ROUTE("GET", "/api/v1/courses/{id:uuid}", get, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("PATCH", "/api/v1/courses/{id:uuid}", patch, SRV_PERM_TEACHER, 0,
	  SRV_FIELDS("name", "description", "term", "archived")),
	SRV_ROUTE("POST", "/api/v1/courses/{id:uuid}/copy", copy, SRV_PERM_TEACHER,
	  SRV_ROUTE_BODY_OPTIONAL, SRV_FIELDS("name", "term", "shift_days", "clear_dates")),
	SRV_ROUTE("GET", "/api/v1/courses/{id:uuid}/members", members, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("POST", "/api/v1/courses/{id:uuid}/members", member_add, SRV_PERM_TEACHER, 0,
	  SRV_FIELDS("user_id", "username", "role")),
	SRV_ROUTE("DELETE", "/api/v1/courses/{id:uuid}/members/{user_id:uuid}", member_remove,
		  SRV_PERM_TEACHER, 0, NULL),
	SRV_ROUTE("GET", "/api/v1/courses/{id:uuid}/progress", progress, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTES_END
};
