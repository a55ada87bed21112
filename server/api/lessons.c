/*
 * /api/v1/courses/{id}/lessons and /api/v1/lessons/...: a course's lessons (Markdown text
 * in order), their attachments, and students marking them done.
 *
 * Every handler reads the lesson, its course and the caller's membership in one query, so
 * the standing is judged from the lesson's own course, never from a parameter. Positions
 * run 1..n without gaps; a write that moves lessons locks the course row first, so two
 * teachers reordering at once cannot interleave.
 *
 * Attachments are raw request bodies streamed into the file store (files.h): begin() checks
 * the caller, the name and the teacher's upload quota before the first byte, data() writes
 * and enforces max_upload and the quota, end() checks the caller and the quota again before
 * the content enters the store, then records the file and attaches it. Any type may be
 * attached to a lesson.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/conf.h"
#include "core/req.h"
#include "core/route.h"
#include "db/db.h"
#include "kit/body.h"
#include "kit/course.h"
#include "kit/page.h"
#include "kit/query.h"
#include "kit/rows.h"
#include "model.h"
#include "store/files.h"
#include "xalloc.h"

/*
 * A lesson as the API shows it, from a query that calls lessons l: the attachments as a
 * JSON array, then whether $3 (the caller) marked it done.
 */
#define LESSON_COLUMNS(first, next) \
	first(LESSON_ID,            "l.id") \
	next(LESSON_COURSE_ID,      "l.course_id") \
	next(LESSON_POSITION,       "l.position") \
	next(LESSON_TITLE,          "l.title") \
	next(LESSON_CONTENT,        "l.content") \
	next(LESSON_VERSION,        "l.version") \
	next(LESSON_ATTACHMENTS,    "(SELECT coalesce(json_agg(" SRV_FILE_JSON " ORDER BY a.added_at, " \
		"f.id), '[]') FROM lesson_attachments a JOIN files f ON f.school_id = a.school_id " \
		"AND f.id = a.file_id WHERE a.school_id = l.school_id AND a.lesson_id = l.id)") \
	next(LESSON_DONE,           "EXISTS (SELECT 1 FROM lesson_progress p " \
		"WHERE p.school_id = l.school_id AND p.lesson_id = l.id AND p.user_id = $3)")
enum lesson_col { DB_COLS_ENUM(LESSON_COLUMNS) LESSON_NCOLS };
#define LESSON_COLS DB_COLS_SQL(LESSON_COLUMNS)

/* The lesson's course and the caller's standing in it, before the lesson's columns. */
#define ACCESS_COLUMNS(first, next) \
	first(ACCESS_ARCHIVED,      "c.archived") \
	next(ACCESS_ROLE,           "m.role")
enum access_col { DB_COLS_ENUM(ACCESS_COLUMNS) ACCESS_NCOLS };
#define ACCESS_COLS DB_COLS_SQL(ACCESS_COLUMNS)
#define ACCESS_FROM "FROM lessons l JOIN courses c ON c.school_id = l.school_id " \
	"AND c.id = l.course_id " \
	"LEFT JOIN course_members m ON m.school_id = l.school_id AND m.course_id = l.course_id " \
	"AND m.user_id = $3 "

/* Lesson bodies are Markdown; a long chapter fits, a book does not. */
#define CONTENT_MAX 200000

static const struct db_stmt q_lesson_get = DB_STMT("lesson_get", 3,
	"SELECT " ACCESS_COLS ", " LESSON_COLS " " ACCESS_FROM
	"WHERE l.school_id = $1 AND l.id = $2");

/* For writes: the lesson and its course locked, and the number of the course's lessons. */
enum { LOCK_COURSE_ID = ACCESS_NCOLS, LOCK_POSITION, LOCK_VERSION, LOCK_COUNT };
static const struct db_stmt q_lesson_lock = DB_STMT("lesson_lock", 3,
	"SELECT " ACCESS_COLS ", l.course_id, l.position, l.version, "
	"  (SELECT count(*) FROM lessons o WHERE o.school_id = l.school_id "
	"    AND o.course_id = l.course_id) " ACCESS_FROM
	"WHERE l.school_id = $1 AND l.id = $2 FOR NO KEY UPDATE OF c, l");

/*
 * The lesson in row `row` of res, its columns from col (copies: edu_lesson_release() it).
 * "done" is for the course's students only.
 */
static void lesson_from_row(struct edu_lesson *l, const PGresult *res, int row, int col,
			    int student)
{
	memset(l, 0, sizeof(*l));
	l->id = db_dup(res, row, col + LESSON_ID);
	l->course_id = db_dup(res, row, col + LESSON_COURSE_ID);
	l->position = db_long(res, row, col + LESSON_POSITION);
	l->title = db_dup(res, row, col + LESSON_TITLE);
	l->content = db_dup(res, row, col + LESSON_CONTENT);
	l->nattachments = srv_files_from_row(&l->attachments, res, row, col + LESSON_ATTACHMENTS);
	l->done = student ? db_bool(res, row, col + LESSON_DONE) : -1;
	l->version = db_long(res, row, col + LESSON_VERSION);
}

static cJSON *lesson_json(const PGresult *res, int row, int col, int student)
{
	struct edu_lesson l;
	cJSON *j;

	lesson_from_row(&l, res, row, col, student);
	j = edu_lesson_to_json(&l);
	edu_lesson_release(&l);
	return j;
}

static void reply_lesson(struct srv_req *r, int status, const PGresult *res, int row, int col,
			 int student)
{
	srv_set_etag(r, db_long(res, row, col + LESSON_VERSION));
	srv_reply_json(r, status, lesson_json(res, row, col, student));
}

static void reply_no_lesson(struct srv_req *r)
{
	srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such lesson");
}

static void reply_teachers_only(struct srv_req *r)
{
	srv_reply_error(r, SRV_ERR_FORBIDDEN, NULL, "only the course's teachers may do this");
}

/* The caller's standing from a row with ACCESS_COLS first. */
static int row_standing(const struct srv_req *r, const PGresult *res)
{
	return srv_course_standing(r, db_str(res, 0, ACCESS_ROLE));
}

/*
 * Reads the lesson of the {id} parameter with st (a query with ACCESS_COLS first) and
 * checks the caller's standing: at least `need` (below it: 403; not in the course at all:
 * 404) and, for `need` == SRV_COURSE_STUDENT as a write, exactly a student. Answers and
 * returns NULL when the caller may not; else the result (caller PQclear()s).
 */
static PGresult *lesson_access(struct srv_req *r, const struct db_stmt *st, int need,
			       int students_only, int *standing)
{
	const char *id = r->params[0];
	PGresult *res;
	int a;

	res = srv_exec(r, st, (const char *[]){ r->caller.school_id, id, r->caller.user_id });
	if (!res)
		return NULL;
	a = PQntuples(res) == 1 ? row_standing(r, res) : SRV_COURSE_NONE;
	if (a == SRV_COURSE_NONE) {
		reply_no_lesson(r);
		goto refuse;
	}
	if (a < need) {
		reply_teachers_only(r);
		goto refuse;
	}
	if (students_only && a != SRV_COURSE_STUDENT) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, NULL,
				"only the course's students mark lessons done");
		goto refuse;
	}
	if (standing)
		*standing = a;
	return res;
refuse:
	PQclear(res);
	return NULL;
}

/* 409 when the course of the row (ACCESS_COLS first) is archived; 1 then, else 0. */
static int archived(struct srv_req *r, const PGresult *res)
{
	if (!db_bool(res, 0, ACCESS_ARCHIVED))
		return 0;
	srv_reply_archived(r);
	return 1;
}

/* ---- GET /courses/{id}/lessons ---- */

/* $4: the position of the last lesson seen, or NULL; $5: the page size. */
static const struct db_stmt q_lesson_list = DB_STMT("lesson_list", 5,
	"SELECT " LESSON_COLS " FROM lessons l "
	"WHERE l.school_id = $1 AND l.course_id = $2 AND ($4::int IS NULL OR l.position > $4::int) "
	"ORDER BY l.position LIMIT $5::int + 1");

/* ctx: an int, nonzero when the caller is one of the course's students. */
static cJSON *lesson_row(const PGresult *res, int row, void *ctx)
{
	return lesson_json(res, row, 0, *(int *)ctx);
}

static void list(struct srv_req *r)
{
	const char *course = r->params[0];
	struct srv_page pg;
	int standing, student;

	if (srv_page_start(r, &pg, SRV_CURSOR_INT) < 0)
		return;
	standing = srv_course_access(r, course, NULL);
	if (standing < 0)
		return;
	if (standing == SRV_COURSE_NONE) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such course");
		return;
	}
	student = standing == SRV_COURSE_STUDENT;
	/* the cursor is the position, column 2 */
	srv_page_query(r, &pg, &q_lesson_list, (const char *[]){
		r->caller.school_id, course, r->caller.user_id, pg.after, pg.limit_s },
		LESSON_POSITION, lesson_row, &student);
}

/* ---- POST /courses/{id}/lessons ---- */

/* Makes room at $4 and puts the new lesson there. */
static const struct db_stmt q_lesson_create = DB_STMT("lesson_create", 6,
	"WITH s AS (UPDATE lessons SET position = position + 1, version = version + 1, "
	"  updated_at = now() "
	"  WHERE school_id = $1 AND course_id = $2 AND position >= $4::int) "
	"INSERT INTO lessons AS l (school_id, course_id, position, title, content) "
	"VALUES ($1, $2, $4::int, $5, coalesce($6, '')) "
	"RETURNING " LESSON_COLS);

static void create(struct srv_req *r)
{
	const char *course = r->params[0], *title, *content;
	char pos[24];
	int standing, is_archived;
	long count, position = -1;
	PGresult *res;

	standing = srv_course_access_locked(r, course, &is_archived, &count);
	if (standing < 0)
		return;
	if (standing == SRV_COURSE_NONE) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such course");
		return;
	}
	if (standing != SRV_COURSE_TEACHER) {
		reply_teachers_only(r);
		return;
	}
	if (srv_field_text(r, "title", 1, 200, 0, &title) < 0 ||
	    srv_field_text(r, "content", 0, CONTENT_MAX, SRV_TEXT_MULTILINE | SRV_TEXT_NULLABLE,
			   &content) < 0 ||
	    srv_field_long(r, "position", 1, count + 1, &position) < 0)
		return;
	if (!title) {
		srv_reply_error(r, SRV_ERR_INVALID, "title", "'title' is required");
		return;
	}
	if (is_archived) {
		srv_reply_archived(r);
		return;
	}
	snprintf(pos, sizeof(pos), "%ld", position > 0 ? position : count + 1);
	res = srv_exec(r, &q_lesson_create, (const char *[]){
		r->caller.school_id, course, r->caller.user_id, pos, title, content });
	if (!res)
		return;
	{
		char *loc = xasprintf("/api/v1/lessons/%s", db_str(res, 0, LESSON_ID));

		srv_set_header(r, "Location", loc);
		free(loc);
	}
	reply_lesson(r, 201, res, 0, 0, 0);
	PQclear(res);
}

/* ---- GET /lessons/{id} ---- */

static void get(struct srv_req *r)
{
	int standing;
	PGresult *res = lesson_access(r, &q_lesson_get, SRV_COURSE_STUDENT, 0, &standing);

	if (!res)
		return;
	reply_lesson(r, 200, res, 0, ACCESS_NCOLS, standing == SRV_COURSE_STUDENT);
	PQclear(res);
}

/* ---- PATCH /lessons/{id} ---- */

/*
 * The lesson $2 takes title $4 and content $5 (NULL: kept) and moves from position $7 to
 * $6; the lessons in between shift by one towards where it was. Every lesson whose
 * position changes gets a new version.
 */
static const struct db_stmt q_lesson_patch = DB_STMT("lesson_patch", 8,
	"UPDATE lessons l SET "
	"  title = CASE WHEN l.id = $2 THEN coalesce($4, l.title) ELSE l.title END, "
	"  content = CASE WHEN l.id = $2 THEN coalesce($5, l.content) ELSE l.content END, "
	"  position = CASE WHEN l.id = $2 THEN $6::int "
	"    WHEN $6::int < $7::int THEN l.position + 1 ELSE l.position - 1 END, "
	"  version = l.version + 1, updated_at = now() "
	"WHERE l.school_id = $1 AND l.course_id = $8 AND (l.id = $2 OR "
	"  l.position BETWEEN least($6::int, $7::int) AND greatest($6::int, $7::int)) "
	"RETURNING " LESSON_COLS);

static void patch(struct srv_req *r)
{
	const char *id = r->params[0], *title, *content;
	char newpos[24];
	long position = 0, count, if_match;
	int has_match, n;
	PGresult *lock, *res = NULL, *cur = NULL;

	if (!(lock = lesson_access(r, &q_lesson_lock, SRV_COURSE_TEACHER, 0, NULL)))
		return;
	count = db_long(lock, 0, LOCK_COUNT);
	if (srv_field_text(r, "title", 1, 200, 0, &title) < 0 ||
	    srv_field_text(r, "content", 0, CONTENT_MAX, SRV_TEXT_MULTILINE | SRV_TEXT_NULLABLE,
			   &content) < 0 ||
	    srv_field_long(r, "position", 1, count, &position) < 0 ||
	    (has_match = srv_if_match(r, &if_match)) < 0 || archived(r, lock))
		goto out;
	if ((has_match && if_match != db_long(lock, 0, LOCK_VERSION)) ||
	    (!title && !content && position <= 0)) {
		/* stale, or nothing to change: either way the answer is the lesson as it is */
		if (!(cur = lesson_access(r, &q_lesson_get, SRV_COURSE_TEACHER, 0, NULL)))
			goto out;
		if (has_match && if_match != db_long(cur, 0, ACCESS_NCOLS + LESSON_VERSION))
			srv_reply_stale(r, lesson_json(cur, 0, ACCESS_NCOLS, 0));
		else
			reply_lesson(r, 200, cur, 0, ACCESS_NCOLS, 0);
		goto out;
	}
	snprintf(newpos, sizeof(newpos), "%ld",
		 position > 0 ? position : db_long(lock, 0, LOCK_POSITION));
	res = srv_exec(r, &q_lesson_patch, (const char *[]){
		r->caller.school_id, id, r->caller.user_id, title, content, newpos,
		db_str(lock, 0, LOCK_POSITION), db_str(lock, 0, LOCK_COURSE_ID) });
	if (!res)
		goto out;
	n = PQntuples(res);
	for (int i = 0; i < n; i++)
		if (!strcmp(db_str(res, i, LESSON_ID), id)) {
			reply_lesson(r, 200, res, i, 0, 0);
			goto out;
		}
	srv_reply_internal(r, "the patched lesson was not returned");
out:
	PQclear(cur);
	PQclear(res);
	PQclear(lock);
}

/* ---- DELETE /lessons/{id} ---- */

static const struct db_stmt q_lesson_delete = DB_STMT("lesson_delete", 2,
	"DELETE FROM lessons WHERE school_id = $1 AND id = $2");

/* Closes the gap the deleted lesson left at $3. */
static const struct db_stmt q_lesson_close_gap = DB_STMT("lesson_close_gap", 3,
	"UPDATE lessons SET position = position - 1, version = version + 1, updated_at = now() "
	"WHERE school_id = $1 AND course_id = $2 AND position > $3::int");

static void delete(struct srv_req *r)
{
	PGresult *lock, *v;

	if (!(lock = lesson_access(r, &q_lesson_lock, SRV_COURSE_TEACHER, 0, NULL)))
		return;
	if (archived(r, lock))
		goto out;
	if (!(v = srv_exec(r, &q_lesson_delete, (const char *[]){
			r->caller.school_id, r->params[0] })))
		goto out;
	PQclear(v);
	if (!(v = srv_exec(r, &q_lesson_close_gap, (const char *[]){
			r->caller.school_id, db_str(lock, 0, LOCK_COURSE_ID),
			db_str(lock, 0, LOCK_POSITION) })))
		goto out;
	PQclear(v);
	srv_reply_empty(r, 204);
out:
	PQclear(lock);
}

/* ---- POST and DELETE /lessons/{id}/done ---- */

static const struct db_stmt q_lesson_done = DB_STMT("lesson_done", 3,
	"INSERT INTO lesson_progress (school_id, lesson_id, user_id) VALUES ($1, $2, $3) "
	"ON CONFLICT DO NOTHING");

static const struct db_stmt q_lesson_undone = DB_STMT("lesson_undone", 3,
	"DELETE FROM lesson_progress WHERE school_id = $1 AND lesson_id = $2 AND user_id = $3");

static void mark(struct srv_req *r, const struct db_stmt *st)
{
	PGresult *res, *v;

	if (!(res = lesson_access(r, &q_lesson_get, SRV_COURSE_STUDENT, 1, NULL)))
		return;
	if (!archived(r, res)) {
		v = db_exec(r->tx, st, (const char *[]){
			r->caller.school_id, r->params[0], r->caller.user_id });
		if (v)
			srv_reply_empty(r, 204);
		else
			srv_reply_db_error(r);
		PQclear(v);
	}
	PQclear(res);
}

static void done(struct srv_req *r)
{
	mark(r, &q_lesson_done);
}

static void undone(struct srv_req *r)
{
	mark(r, &q_lesson_undone);
}

/* ---- POST /lessons/{id}/attachments (streamed) ---- */

struct attach_state {
	struct srv_upload *up;
	struct srv_quota quota;
	char *filename;
};

/* Content-Type without parameters is application/octet-stream. */
static int octet_stream(struct srv_req *r)
{
	const char *ct = srv_req_header(r, "Content-Type");
	size_t n = strlen("application/octet-stream");

	return ct && !strncasecmp(ct, "application/octet-stream", n) &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* A file name as given: NULL when fine, else why not. */
static const char *check_filename(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	if (!name || len == 0 || len > 255)
		return "'filename' must be 1 to 255 bytes long";
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
			return "'filename' must be a name without '/', '\\' or control characters";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "'filename' must name a file";
	return NULL;
}

static void attach_begin(struct srv_req *r)
{
	const char *name = srv_req_query(r, "filename"), *cl, *why;
	unsigned long long limit = (unsigned long long)srv_cfg.max_upload;
	struct attach_state *st;
	struct srv_quota quota;
	PGresult *res;

	if (!(res = lesson_access(r, &q_lesson_get, SRV_COURSE_TEACHER, 0, NULL)))
		return;
	if (archived(r, res))
		goto out;
	if ((why = check_filename(name))) {
		srv_reply_error(r, SRV_ERR_INVALID, "filename", "%s", why);
		goto out;
	}
	if (!octet_stream(r)) {
		srv_reply_error(r, SRV_ERR_UNSUPPORTED_MEDIA_TYPE, NULL,
				"an attachment is sent as Content-Type: application/octet-stream");
		goto out;
	}
	cl = srv_req_header(r, "Content-Length");
	if (cl && strtoull(cl, NULL, 10) > limit) {
		srv_reply_error(r, SRV_ERR_TOO_LARGE, NULL, "a file may be at most %ld bytes",
				srv_cfg.max_upload);
		goto out;
	}
	if (srv_quota_begin(r, &quota, &limit) < 0)
		goto out;
	st = xcalloc(1, sizeof(*st));
	st->quota = quota;
	st->up = srv_upload_new(limit);
	if (!st->up) {
		free(st);
		srv_reply_internal(r, "cannot start an upload");
		goto out;
	}
	st->filename = xstrdup(name);
	r->stream_state = st;
out:
	PQclear(res);
}

static void attach_free(struct attach_state *st)
{
	if (!st)
		return;
	srv_upload_free(st->up);
	free(st->filename);
	free(st);
}

static int attach_data(struct srv_req *r, const char *buf, size_t len)
{
	struct attach_state *st = r->stream_state;

	if (!st) {
		srv_reply_internal(r, "an upload chunk with no upload");
		return -1;
	}
	if (srv_upload_write(st->up, buf, len) == 0)
		return 0;
	if (st->up->too_large && st->quota.binds)
		srv_reply_quota(r, st->quota.used, st->quota.quota);
	else if (st->up->too_large)
		srv_reply_error(r, SRV_ERR_TOO_LARGE, NULL, "a file may be at most %ld bytes",
				srv_cfg.max_upload);
	else
		srv_reply_internal(r, "cannot write an upload");
	/* the temporary file goes now, not when the rest of the body has been drained */
	attach_free(st);
	r->stream_state = NULL;
	return -1;
}

/* The file row and the attachment, and the lesson's new version, in one statement. */
static const struct db_stmt q_attach = DB_STMT("lesson_attach", 7,
	"WITH f AS (INSERT INTO files (school_id, sha256, size, mime, filename, created_by) "
	"  VALUES ($1, $3, $4::bigint, $5, $6, $7) RETURNING *), "
	"a AS (INSERT INTO lesson_attachments (school_id, lesson_id, file_id) "
	"  SELECT f.school_id, $2, f.id FROM f), "
	"l AS (UPDATE lessons SET version = version + 1, updated_at = now() "
	"  WHERE school_id = $1 AND id = $2) "
	"SELECT " SRV_FILE_COLS " FROM f");

static void attach_end(struct srv_req *r)
{
	struct attach_state *st = r->stream_state;
	PGresult *res = NULL, *ok;
	char size[24], *loc;

	r->stream_state = NULL;
	if (!st) {
		srv_reply_internal(r, "an upload ended with no upload");
		return;
	}
	/* the file is finished (hash, type, fsync) while the checks below run */
	srv_upload_close(st->up);
	/*
	 * This is a new transaction: the lesson or the caller's place may have changed. Both
	 * checks come before the store, so a refused file is never kept.
	 */
	if (!(ok = lesson_access(r, &q_lesson_lock, SRV_COURSE_TEACHER, 0, NULL)))
		goto out;
	if (archived(r, ok)) {
		PQclear(ok);
		goto out;
	}
	PQclear(ok);
	/* a retry of an upload that was answered gets that answer (Idempotency-Key) */
	if (srv_upload_idem_begin(r, st->up))
		goto out;
	/*
	 * The last check before the store, the quota; its lock holds until the commit, and gc
	 * deletes no content while this upload stores it and commits its row.
	 */
	if (srv_upload_locks(r, st->up->size) < 0)
		goto out;
	if (srv_upload_finish(st->up) < 0) {
		srv_reply_internal(r, "cannot store an upload");
		goto out;
	}
	snprintf(size, sizeof(size), "%llu", st->up->size);
	res = db_exec(r->tx, &q_attach, (const char *[]){
		r->caller.school_id, r->params[0], st->up->sha256, size, st->up->mime,
		st->filename, r->caller.user_id });
	if (!res || PQntuples(res) != 1) {
		if (res)
			srv_reply_internal(r, "the attachment was not recorded");
		else
			srv_reply_db_error(r);
		goto out;
	}
	loc = xasprintf("/api/v1/lessons/%s/attachments/%s", r->params[0],
			db_str(res, 0, SRV_FILE_ID));
	srv_set_header(r, "Location", loc);
	free(loc);
	srv_reply_json(r, 201, srv_file_json(res, 0, 0));
out:
	PQclear(res);
	attach_free(st);
}

static void attach_abort(struct srv_req *r)
{
	attach_free(r->stream_state);
	r->stream_state = NULL;
}

static const struct srv_stream_ops attach_ops = {
	.begin = attach_begin,
	.data = attach_data,
	.end = attach_end,
	.abort = attach_abort,
};

/* ---- GET and DELETE /lessons/{id}/attachments/{file_id} ---- */

enum { ATTACHMENT_SHA256, ATTACHMENT_FILENAME, ATTACHMENT_MIME };
static const struct db_stmt q_attachment = DB_STMT("lesson_attachment", 3,
	"SELECT f.sha256, f.filename, f.mime FROM lesson_attachments a "
	"JOIN files f ON f.school_id = a.school_id AND f.id = a.file_id "
	"WHERE a.school_id = $1 AND a.lesson_id = $2 AND a.file_id = $3");

static void reply_no_file(struct srv_req *r)
{
	srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such attachment");
}

static void attachment(struct srv_req *r)
{
	PGresult *acc, *res = NULL;

	if (!(acc = lesson_access(r, &q_lesson_get, SRV_COURSE_STUDENT, 0, NULL)))
		return;
	res = db_exec(r->tx, &q_attachment, (const char *[]){
		r->caller.school_id, r->params[0], r->params[1] });
	if (!res)
		srv_reply_db_error(r);
	else if (PQntuples(res) != 1)
		reply_no_file(r);
	else
		srv_reply_file(r, db_str(res, 0, ATTACHMENT_SHA256),
			       db_str(res, 0, ATTACHMENT_FILENAME), db_str(res, 0, ATTACHMENT_MIME));
	PQclear(res);
	PQclear(acc);
}

/*
 * The attachment goes; its file row too when nothing else names it (a copied course's
 * lesson may share it), so that its bytes stop counting against the uploader's quota and
 * `edud gc` reclaims them. The file row is locked first: a course copy that attaches it
 * at the same moment either commits first (and the row stays) or waits and fails.
 */
enum { DETACH_COUNT };
static const struct db_stmt q_detach = DB_STMT("lesson_detach", 3,
	"WITH a AS (DELETE FROM lesson_attachments WHERE school_id = $1 AND lesson_id = $2 "
	"  AND file_id = $3 RETURNING lesson_id), "
	"l AS (UPDATE lessons SET version = version + 1, updated_at = now() "
	"  WHERE school_id = $1 AND id IN (SELECT lesson_id FROM a)) "
	"SELECT count(*) FROM a");

static const struct db_stmt q_file_lock = DB_STMT("lesson_file_lock", 2,
	"SELECT 1 FROM files WHERE school_id = $1 AND id = $2 FOR UPDATE");

static const struct db_stmt q_file_unused = DB_STMT("lesson_file_unused", 2,
	"DELETE FROM files f WHERE f.school_id = $1 AND f.id = $2 "
	"  AND NOT EXISTS (SELECT 1 FROM lesson_attachments a "
	"                  WHERE a.school_id = $1 AND a.file_id = $2) "
	"  AND NOT EXISTS (SELECT 1 FROM submission_files s "
	"                  WHERE s.school_id = $1 AND s.file_id = $2) "
	"  AND NOT EXISTS (SELECT 1 FROM uploads u WHERE u.school_id = $1 AND u.file_id = $2)");

static void detach(struct srv_req *r)
{
	PGresult *acc, *res = NULL;

	if (!(acc = lesson_access(r, &q_lesson_lock, SRV_COURSE_TEACHER, 0, NULL)))
		return;
	if (archived(r, acc))
		goto out;
	if (!(res = srv_exec(r, &q_file_lock, (const char *[]){ r->caller.school_id,
								   r->params[1] })))
		goto out;
	PQclear(res);
	res = db_exec(r->tx, &q_detach, (const char *[]){
		r->caller.school_id, r->params[0], r->params[1] });
	if (!res) {
		srv_reply_db_error(r);
	} else if (db_long(res, 0, DETACH_COUNT) != 1) {
		reply_no_file(r);
	} else {
		PGresult *gone = db_exec(r->tx, &q_file_unused, (const char *[]){
			r->caller.school_id, r->params[1] });

		if (gone)
			srv_reply_empty(r, 204);
		else
			srv_reply_db_error(r);
		PQclear(gone);
	}
out:
	PQclear(res);
	PQclear(acc);
}

/*
 * Writes only a course's teachers (or admins) may make need the teacher role too; marking
 * done is for the course's students, whatever their role.
 */
const struct srv_route srv_lesson_routes[] = {
	SRV_ROUTE("GET", "/api/v1/courses/{id:uuid}/lessons", list, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("POST", "/api/v1/courses/{id:uuid}/lessons", create, SRV_PERM_TEACHER, 0,
	  SRV_FIELDS("title", "content", "position")),
	SRV_ROUTE("GET", "/api/v1/lessons/{id:uuid}", get, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("PATCH", "/api/v1/lessons/{id:uuid}", patch, SRV_PERM_TEACHER, 0,
	  SRV_FIELDS("title", "content", "position")),
	SRV_ROUTE("DELETE", "/api/v1/lessons/{id:uuid}", delete, SRV_PERM_TEACHER, 0, NULL),
	SRV_ROUTE("POST", "/api/v1/lessons/{id:uuid}/done", done, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("DELETE", "/api/v1/lessons/{id:uuid}/done", undone, SRV_PERM_ANY, 0, NULL),
	SRV_STREAM("POST", "/api/v1/lessons/{id:uuid}/attachments", &attach_ops,
	  SRV_PERM_TEACHER, 0),
	SRV_ROUTE("GET", "/api/v1/lessons/{id:uuid}/attachments/{file_id:uuid}", attachment,
		  SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("DELETE", "/api/v1/lessons/{id:uuid}/attachments/{file_id:uuid}", detach,
		  SRV_PERM_TEACHER, 0, NULL),
	SRV_ROUTES_END
};
