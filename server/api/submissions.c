/*
 * Students' work: POST /uploads streams a file to the store and holds it for the student
 * and the assignment; POST /assignments/{id}/submissions makes a new attempt of text and
 * held uploads; teachers list the latest attempts (or all), students their own; files are
 * served back byte for byte. GET /submissions?id_prefix= finds the ones a caller may read
 * by the start of their id, so clients accept a short id as they do for courses.
 *
 * An upload is checked before its first byte (the caller a student of a published
 * assignment that takes files, its Content-Length within the assignment's limit and the
 * caller's upload quota), while it streams (those limits again: 413, nothing kept), and at
 * its end (the type libmagic finds in the content against the assignment's allowed types:
 * 415; the quota again, under the caller's quota lock: 413). Both are checked before the
 * content enters the store, so a refused file never reaches it: rows of any school may
 * share stored content, and this school's transaction could not tell whether another
 * school's row uses it.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/conf.h"
#include "core/req.h"
#include "core/route.h"
#include "core/text.h"
#include "db/db.h"
#include "kit/body.h"
#include "kit/course.h"
#include "kit/page.h"
#include "kit/query.h"
#include "kit/rows.h"
#include "kit/work.h"
#include "store/files.h"
#include "xalloc.h"

#define MAX_FILES 20

/* ---- POST /uploads ---- */

struct upload_state {
	struct srv_upload *u;
	struct srv_quota quota;
	char *assignment_id;
	char *filename;
};

static void state_free(struct srv_req *r)
{
	struct upload_state *st = r->stream_state;

	if (!st)
		return;
	srv_upload_free(st->u);
	free(st->assignment_id);
	free(st->filename);
	free(st);
	r->stream_state = NULL;
}

/*
 * The assignment may take a file from the caller now: its student, published, not
 * archived, taking files, and not refusing late work past its due date. Fills ga; 0, or
 * -1 after answering.
 */
static int may_upload(struct srv_req *r, const char *assignment_id, struct srv_work_assignment *ga)
{
	if (srv_work_assignment_load(r, assignment_id, 0, SRV_NEED_SUBMIT, ga) < 0)
		return -1;
	if (ga->archived) {
		srv_reply_archived(r);
		return -1;
	}
	if (!strcmp(ga->submission_kind, "text")) {
		srv_reply_error(r, SRV_ERR_INVALID, "assignment",
				"this assignment takes text only, no files");
		return -1;
	}
	if (ga->past_due && !strcmp(ga->late_policy, "reject")) {
		srv_reply_error(r, SRV_ERR_INVALID, "assignment",
				"this assignment was due at %s and takes no late work", ga->due_at);
		return -1;
	}
	return 0;
}

/* The largest file the assignment takes: its own limit, never above max_upload. */
static unsigned long long upload_limit(const struct srv_work_assignment *ga)
{
	unsigned long long cap = (unsigned long long)srv_cfg.max_upload;

	return ga->max_file_size > 0 && (unsigned long long)ga->max_file_size < cap
		? (unsigned long long)ga->max_file_size : cap;
}

static void reply_too_large(struct srv_req *r, unsigned long long limit)
{
	srv_reply_error(r, SRV_ERR_TOO_LARGE, NULL,
			"the file is larger than %llu bytes, the most this assignment takes",
			limit);
}

/* 1 when the name may be kept as a file name: one line of text, no path. */
static int filename_ok(const char *s)
{
	char why[SRV_WHY_LEN];

	return !srv_text_check(s, 1, 255, 0, why) && !strchr(s, '/') && !strchr(s, '\\') &&
	       strcmp(s, ".") && strcmp(s, "..");
}

static void upload_begin(struct srv_req *r)
{
	const char *aid = srv_req_query(r, "assignment"), *name = srv_req_query(r, "filename");
	const char *ct = srv_req_header(r, "Content-Type");
	const char *cl = srv_req_header(r, "Content-Length");
	struct srv_work_assignment ga;
	struct upload_state *st;
	struct srv_quota quota;
	unsigned long long limit;

	memset(&ga, 0, sizeof(ga));
	if (ct && strncasecmp(ct, "application/octet-stream", 24)) {
		srv_reply_error(r, SRV_ERR_UNSUPPORTED_MEDIA_TYPE, NULL,
				"an upload is sent as application/octet-stream");
		goto out;
	}
	if (!aid) {
		srv_reply_error(r, SRV_ERR_INVALID, "assignment",
				"say which assignment the file is for: ?assignment=ID");
		goto out;
	}
	if (!name || !filename_ok(name)) {
		srv_reply_error(r, SRV_ERR_INVALID, "filename",
				"?filename= must be a file name of 1 to 255 characters, without "
				"'/', '\\' or control characters");
		goto out;
	}
	if (may_upload(r, aid, &ga) < 0)
		goto out;
	limit = upload_limit(&ga);
	/* refused before any byte when the client says how much is coming */
	if (cl && strtoull(cl, NULL, 10) > limit) {
		reply_too_large(r, limit);
		goto out;
	}
	if (srv_quota_begin(r, &quota, &limit) < 0)
		goto out;
	st = xcalloc(1, sizeof(*st));
	st->quota = quota;
	st->u = srv_upload_new(limit);
	if (!st->u) {
		free(st);
		srv_reply_internal(r, "cannot start an upload");
		goto out;
	}
	st->assignment_id = xstrdup(ga.id);
	st->filename = xstrdup(name);
	r->stream_state = st;
out:
	srv_work_assignment_release(&ga);
}

static int upload_data(struct srv_req *r, const char *buf, size_t len)
{
	struct upload_state *st = r->stream_state;

	if (!st) {
		srv_reply_internal(r, "upload data without a started upload");
		return -1;
	}
	if (srv_upload_write(st->u, buf, len) == 0)
		return 0;
	if (st->u->too_large && st->quota.binds)
		srv_reply_quota(r, st->quota.used, st->quota.quota);
	else if (st->u->too_large)
		reply_too_large(r, st->u->limit);
	else
		srv_reply_internal(r, "cannot write an upload");
	state_free(r);
	return -1;
}

/* 415 forbidden_type, with the type found and the types allowed beside the message. */
static void reply_forbidden_type(struct srv_req *r, const char *type, const char *allowed)
{
	cJSON *list = cJSON_Parse(allowed), *extra = cJSON_CreateObject(), *t;
	struct edu_buf msg = EDU_BUF_INIT;
	int n = 0;

	edu_buf_printf(&msg, "the file is %s; this assignment takes ", type);
	cJSON_ArrayForEach(t, list)
		if (cJSON_IsString(t))
			edu_buf_printf(&msg, "%s%s", n++ ? ", " : "", t->valuestring);
	cJSON_AddStringToObject(extra, "type", type);
	cJSON_AddItemToObject(extra, "allowed", cJSON_IsArray(list) ? list : cJSON_CreateArray());
	if (!cJSON_IsArray(list))
		cJSON_Delete(list);
	srv_reply_error_more(r, SRV_ERR_FORBIDDEN_TYPE, NULL, extra, NULL, NULL, "%s",
			     edu_buf_str(&msg));
	edu_buf_release(&msg);
}

/* The file row and the upload that names it, in one statement. */
static const struct db_stmt q_upload_insert = DB_STMT("upload_insert", 7,
	"WITH f AS (INSERT INTO files (school_id, sha256, size, mime, filename, created_by) "
	"  VALUES ($1, $2, $3::bigint, $4, $5, $6) RETURNING *), "
	"u AS (INSERT INTO uploads (school_id, file_id, assignment_id, student_id) "
	"  SELECT f.school_id, f.id, $7, f.created_by FROM f) "
	"SELECT " SRV_FILE_COLS " FROM f");

/* Uploads a day old and never submitted go, with their file rows. */
static const struct db_stmt q_upload_expire = DB_STMT("upload_expire", 1,
	"DELETE FROM files f USING uploads u "
	"WHERE u.school_id = $1 AND u.expires_at < now() "
	"  AND f.school_id = u.school_id AND f.id = u.file_id");

static void upload_end(struct srv_req *r)
{
	struct upload_state *st = r->stream_state;
	struct srv_work_assignment ga;
	char size[24];
	PGresult *res = NULL, *v;

	memset(&ga, 0, sizeof(ga));
	if (!st) {
		srv_reply_internal(r, "upload end without a started upload");
		return;
	}
	srv_upload_close(st->u);
	if (st->u->size == 0) {
		srv_reply_error(r, SRV_ERR_INVALID, NULL, "the file is empty");
		goto out;
	}
	/*
	 * The database first: a large upload's last MiBs are still being hashed and written
	 * meanwhile, then its type read and the file fsync()ed. A refusal rolls back.
	 *
	 * Again, in this transaction: the assignment may have changed while the bytes came.
	 */
	if (may_upload(r, st->assignment_id, &ga) < 0)
		goto out;
	/* a retry of an upload that was answered gets that answer (Idempotency-Key) */
	if (srv_upload_idem_begin(r, st->u))
		goto out;
	/*
	 * The last check before the store, the quota; its lock holds until the commit, and gc
	 * deletes no content while this upload stores it and commits its row.
	 */
	if (srv_upload_locks(r, st->u->size) < 0)
		goto out;
	srv_upload_sniff(st->u);
	if (!srv_mime_allowed(st->u->mime, ga.allowed_types)) {
		reply_forbidden_type(r, st->u->mime, ga.allowed_types);
		goto out;
	}
	if (srv_upload_finish(st->u) < 0) {
		srv_reply_internal(r, "cannot store an upload");
		goto out;
	}
	snprintf(size, sizeof(size), "%llu", st->u->size);
	if (db_exec_pair(r->tx, &q_upload_insert, (const char *[]){ r->caller.school_id,
			 st->u->sha256, size, st->u->mime, st->filename, r->caller.user_id,
			 ga.id }, &res,
			 &q_upload_expire, (const char *[]){ r->caller.school_id }, &v) < 0) {
		srv_reply_db_error(r);
		goto out;
	}
	PQclear(v);
	srv_reply_json(r, 201, srv_file_json(res, 0, 0));
out:
	PQclear(res);
	srv_work_assignment_release(&ga);
	state_free(r);
}

static void upload_abort(struct srv_req *r)
{
	state_free(r);
}

static const struct srv_stream_ops upload_ops = {
	.begin = upload_begin,
	.data = upload_data,
	.end = upload_end,
	.abort = upload_abort,
};

/* ---- submissions as JSON ---- */

#define SUBMISSION_FROM \
	"FROM submissions s JOIN users u ON u.school_id = s.school_id AND u.id = s.student_id " \
	"LEFT JOIN grades g ON g.school_id = s.school_id AND g.assignment_id = s.assignment_id " \
	"  AND g.student_id = s.student_id "

static const struct db_stmt q_submission_get = DB_STMT("submission_get", 2,
	"SELECT " SRV_SUBMISSION_COLS ", " SRV_GRADE_COLS " " SUBMISSION_FROM
	"WHERE s.school_id = $1 AND s.id = $2");

/* Queries that read a submission with its grade: the grade's columns come after its own. */
enum { WITH_GRADE = SRV_SUBMISSION_NCOLS, PREFIX_ROLE = WITH_GRADE + SRV_GRADE_NCOLS };

/* Answers status with submission id as the caller may see it. */
static void reply_submission(struct srv_req *r, int status, const char *id, int access)
{
	PGresult *res = srv_exec(r, &q_submission_get,
				      (const char *[]){ r->caller.school_id, id });

	if (!res)
		return;
	if (PQntuples(res) != 1)
		srv_reply_internal(r, "a submission vanished while it was read");
	else
		srv_reply_json(r, status, srv_submission_json(res, 0, 0, WITH_GRADE,
							     access == SRV_COURSE_STUDENT));
	PQclear(res);
}

/* ---- POST /assignments/{id}/submissions ---- */

enum { SUBMITTED_ID };
static const struct db_stmt q_submit = DB_STMT("submission_create", 5,
	"INSERT INTO submissions (school_id, assignment_id, student_id, attempt, text, late) "
	"SELECT $1, $2, $3, coalesce(max(attempt), 0) + 1, $4, $5 FROM submissions "
	"WHERE school_id = $1 AND assignment_id = $2 AND student_id = $3 "
	"RETURNING id");

/* $4: the uploads, in order, as a uuid[]; the rows attached are returned. */
static const struct db_stmt q_attach = DB_STMT("submission_attach", 5,
	"WITH held AS (DELETE FROM uploads WHERE school_id = $1 AND assignment_id = $2 "
	"    AND student_id = $3 AND file_id = ANY ($4::uuid[]) AND expires_at > now() "
	"    RETURNING file_id) "
	"INSERT INTO submission_files (school_id, submission_id, file_id, position) "
	"SELECT $1, $5, held.file_id, array_position($4::uuid[], held.file_id) - 1 FROM held "
	"RETURNING file_id");

/* The body's "files": upload ids as a uuid[] literal (caller frees) in *out; -1 after 422. */
static int read_files(struct srv_req *r, char **out, int *n)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, "files"), *f, *g;
	struct edu_buf b = EDU_BUF_INIT;

	*out = NULL;
	*n = 0;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > MAX_FILES) {
		srv_reply_error(r, SRV_ERR_INVALID, "files",
				"'files' must be a list of at most %d upload ids", MAX_FILES);
		return -1;
	}
	edu_buf_addc(&b, '{');
	cJSON_ArrayForEach(f, v) {
		if (!cJSON_IsString(f) || !srv_is_uuid(f->valuestring)) {
			srv_reply_error(r, SRV_ERR_INVALID, "files",
					"'files' item %d is not an upload id", *n);
			edu_buf_release(&b);
			return -1;
		}
		for (g = v->child; g != f; g = g->next)
			if (!strcasecmp(g->valuestring, f->valuestring)) {
				srv_reply_error(r, SRV_ERR_INVALID, "files",
						"'files' item %d names an upload given before", *n);
				edu_buf_release(&b);
				return -1;
			}
		edu_buf_printf(&b, "%s%s", *n ? "," : "", f->valuestring);
		(*n)++;
	}
	edu_buf_addc(&b, '}');
	*out = edu_buf_detach(&b);
	return 0;
}

static void submit(struct srv_req *r)
{
	struct srv_work_assignment ga;
	const char *text = NULL;
	char *files = NULL, *loc;
	PGresult *res = NULL, *att;
	int nfiles, has_text;

	if (srv_work_assignment_load(r, r->params[0], 0, SRV_NEED_SUBMIT, &ga) < 0)
		goto out;
	if (ga.archived) {
		srv_reply_archived(r);
		goto out;
	}
	if (srv_field_text(r, "text", 0, 200000, SRV_TEXT_MULTILINE | SRV_TEXT_NULLABLE,
			   &text) < 0 ||
	    read_files(r, &files, &nfiles) < 0)
		goto out;
	has_text = text && *text;
	if (has_text && !strcmp(ga.submission_kind, "files")) {
		srv_reply_error(r, SRV_ERR_INVALID, "text", "this assignment takes files only");
		goto out;
	}
	if (nfiles && !strcmp(ga.submission_kind, "text")) {
		srv_reply_error(r, SRV_ERR_INVALID, "files", "this assignment takes text only");
		goto out;
	}
	if (!has_text && !nfiles) {
		const char *field = !strcmp(ga.submission_kind, "text") ? "text"
				  : !strcmp(ga.submission_kind, "files") ? "files" : NULL;

		srv_reply_error(r, SRV_ERR_INVALID, field, "a submission needs %s",
				field ? (*field == 't' ? "its text" : "at least one file")
				      : "text or at least one file");
		goto out;
	}
	if (ga.past_due && !strcmp(ga.late_policy, "reject")) {
		srv_reply_error(r, SRV_ERR_INVALID, NULL,
				"this assignment was due at %s and takes no late work", ga.due_at);
		goto out;
	}
	res = db_exec(r->tx, &q_submit, (const char *[]){ r->caller.school_id, ga.id,
		r->caller.user_id, has_text ? text : NULL, ga.past_due ? "t" : "f" });
	if (!res) {
		srv_reply_db_conflict(r, NULL, "another attempt was being submitted at the same "
				      "time; try again");
		goto out;
	}
	if (nfiles) {
		att = srv_exec(r, &q_attach, (const char *[]){ r->caller.school_id, ga.id,
			r->caller.user_id, files, db_str(res, 0, SUBMITTED_ID) });
		if (!att)
			goto out;
		if (PQntuples(att) != nfiles) {
			PQclear(att);
			srv_reply_error(r, SRV_ERR_INVALID, "files",
					"'files' names an upload that is not yours for this "
					"assignment, was already submitted, or expired");
			goto out;
		}
		PQclear(att);
	}
	loc = xasprintf("/api/v1/submissions/%s", db_str(res, 0, SUBMITTED_ID));
	srv_set_header(r, "Location", loc);
	free(loc);
	reply_submission(r, 201, db_str(res, 0, SUBMITTED_ID), SRV_COURSE_STUDENT);
out:
	PQclear(res);
	free(files);
	srv_work_assignment_release(&ga);
}

/* ---- GET /assignments/{id}/submissions ---- */

/*
 * $3: only this student's; $4: every attempt, else each student's latest; $5: only those
 * whose grade was not given to them; $6: only late ones; $7: the cursor (the last
 * submission's id); $8: the page size. By student username, then attempt.
 */
static const struct db_stmt q_list = DB_STMT("submission_list", 8,
	"SELECT " SRV_SUBMISSION_COLS ", " SRV_GRADE_COLS " " SUBMISSION_FROM
	"WHERE s.school_id = $1 AND s.assignment_id = $2 "
	"  AND ($3::uuid IS NULL OR s.student_id = $3) "
	"  AND ($4::bool OR NOT EXISTS (SELECT 1 FROM submissions n "
	"    WHERE n.school_id = s.school_id AND n.assignment_id = s.assignment_id "
	"      AND n.student_id = s.student_id AND n.attempt > s.attempt)) "
	"  AND (NOT $5::bool OR g.submission_id IS DISTINCT FROM s.id) "
	"  AND (NOT $6::bool OR s.late) "
	"  AND ($7::uuid IS NULL OR (lower(u.username), s.attempt) > "
	"    (SELECT lower(cu.username), cs.attempt FROM submissions cs "
	"     JOIN users cu ON cu.school_id = cs.school_id AND cu.id = cs.student_id "
	"     WHERE cs.school_id = $1 AND cs.id = $7)) "
	"ORDER BY lower(u.username), s.attempt LIMIT $8::int + 1");

/* ctx: an int, nonzero when the caller is the submissions' student. */
static cJSON *submission_row(const PGresult *res, int row, void *ctx)
{
	return srv_submission_json(res, row, 0, WITH_GRADE, *(int *)ctx);
}

static void list(struct srv_req *r)
{
	const char *attempts = srv_req_query(r, "attempts");
	struct srv_work_assignment ga;
	int ungraded, late, all, student;
	struct srv_page pg;

	if (srv_work_assignment_load(r, r->params[0], 0, SRV_NEED_READ, &ga) < 0 ||
	    srv_page_start(r, &pg, SRV_CURSOR_TEXT) < 0 ||
	    srv_query_flag(r, "ungraded", &ungraded) < 0 || srv_query_flag(r, "late", &late) < 0 ||
	    srv_page_cursor(r, &pg, SRV_CURSOR_UUID) < 0)
		goto out;
	if (attempts && strcmp(attempts, "all") && strcmp(attempts, "latest")) {
		srv_reply_error(r, SRV_ERR_BAD_REQUEST, "attempts", "'attempts' must be all or latest");
		goto out;
	}
	/* a student sees every attempt of their own, and nobody else's */
	student = ga.access == SRV_COURSE_STUDENT;
	all = student || (attempts && !strcmp(attempts, "all"));
	srv_page_query(r, &pg, &q_list, (const char *[]){ r->caller.school_id, ga.id,
		student ? r->caller.user_id : NULL, all ? "t" : "f", ungraded ? "t" : "f",
		late ? "t" : "f", pg.after, pg.limit_s }, SRV_SUBMISSION_ID, submission_row,
		&student);
out:
	srv_work_assignment_release(&ga);
}

/* ---- GET /submissions/{id} ---- */

static void get(struct srv_req *r)
{
	struct srv_work_submission gs;

	if (srv_work_submission_load(r, r->params[0], SRV_NEED_READ, &gs) == 0)
		reply_submission(r, 200, gs.id, gs.access);
	srv_work_submission_release(&gs);
}

/* ---- GET /submissions?id_prefix= ---- */

/* The shortest id prefix looked up: 32 bits, so a school's ids seldom share one. */
#define MIN_ID_PREFIX 8

/*
 * The submissions the caller may read (as srv_work_submission_load lets them: their teacher, an
 * admin, or their own student while the assignment is published) whose id lies in
 * [$3, $4]; $5: the caller acts as a teacher in every course (an admin); $6: the cursor
 * (the last id); $7: the page size. By id, so the primary key finds them whatever the
 * number of courses; the last column is the caller's role in the course.
 */
static const struct db_stmt q_by_prefix = DB_STMT("submission_by_prefix", 7,
	"SELECT " SRV_SUBMISSION_COLS ", " SRV_GRADE_COLS ", m.role " SUBMISSION_FROM
	"JOIN assignments a ON a.school_id = s.school_id AND a.id = s.assignment_id "
	"LEFT JOIN course_members m ON m.school_id = a.school_id AND m.course_id = a.course_id "
	"  AND m.user_id = $2 "
	"WHERE s.school_id = $1 AND s.id BETWEEN $3::uuid AND $4::uuid "
	"  AND ($5::bool OR m.role = 'teacher' "
	"    OR (m.role = 'student' AND s.student_id = $2 AND a.published)) "
	"  AND ($6::uuid IS NULL OR s.id > $6::uuid) "
	"ORDER BY s.id LIMIT $7::int + 1");

/*
 * The lowest and the highest id that start with prefix p (8 to 36 characters of an id as
 * it is written, dashes in their places), as 32 hex digits each: p padded with 0s and
 * with fs. 0, or -1 after answering 400.
 */
static int prefix_bounds(struct srv_req *r, const char *p, char lo[33], char hi[33])
{
	size_t len = p ? strlen(p) : 0, n = 0;

	if (len < MIN_ID_PREFIX || len > 36)
		goto bad;
	for (size_t i = 0; i < len; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (p[i] != '-')
				goto bad;
			continue;
		}
		if (!isxdigit((unsigned char)p[i]))
			goto bad;
		lo[n] = hi[n] = (char)tolower((unsigned char)p[i]);
		n++;
	}
	memset(lo + n, '0', 32 - n);
	memset(hi + n, 'f', 32 - n);
	lo[32] = hi[32] = '\0';
	return 0;
bad:
	srv_reply_error(r, SRV_ERR_BAD_REQUEST, "id_prefix",
			"'id_prefix' must be the first %d to 36 characters of an id: hex digits, "
			"with dashes where an id has them", MIN_ID_PREFIX);
	return -1;
}

/* A submission as the caller's role in its course (the last column) shows it; ctx: r. */
static cJSON *prefix_row(const PGresult *res, int row, void *ctx)
{
	int standing = srv_course_standing(ctx, db_str(res, row, PREFIX_ROLE));

	return srv_submission_json(res, row, 0, WITH_GRADE,
				  standing == SRV_COURSE_STUDENT);
}

static void by_prefix(struct srv_req *r)
{
	char lo[33], hi[33];
	struct srv_page pg;
	int admin;

	if (srv_page_start(r, &pg, SRV_CURSOR_TEXT) < 0 ||
	    prefix_bounds(r, srv_req_query(r, "id_prefix"), lo, hi) < 0 ||
	    srv_page_cursor(r, &pg, SRV_CURSOR_UUID) < 0)
		return;
	/* the standing in a course one is no member of: a teacher's for admins only */
	admin = srv_course_standing(r, NULL) == SRV_COURSE_TEACHER;
	srv_page_query(r, &pg, &q_by_prefix, (const char *[]){ r->caller.school_id,
		r->caller.user_id, lo, hi, admin ? "t" : "f", pg.after, pg.limit_s },
		SRV_SUBMISSION_ID, prefix_row, r);
}

/* ---- GET /submissions/{id}/files/{file_id} ---- */

enum { FILE_SHA256, FILE_FILENAME, FILE_MIME };
static const struct db_stmt q_file = DB_STMT("submission_file", 3,
	"SELECT f.sha256, f.filename, f.mime FROM submission_files sf "
	"JOIN files f ON f.school_id = sf.school_id AND f.id = sf.file_id "
	"WHERE sf.school_id = $1 AND sf.submission_id = $2 AND sf.file_id = $3");

static void file(struct srv_req *r)
{
	struct srv_work_submission gs;
	const char *fid;
	PGresult *res;

	if (srv_work_submission_load(r, r->params[0], SRV_NEED_READ, &gs) < 0)
		goto out;
	fid = r->params[1];
	res = srv_exec(r, &q_file, (const char *[]){ r->caller.school_id, gs.id, fid });
	if (!res)
		goto out;
	if (PQntuples(res) != 1)
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such file in this submission");
	else
		srv_reply_file(r, db_str(res, 0, FILE_SHA256), db_str(res, 0, FILE_FILENAME),
			       db_str(res, 0, FILE_MIME));
	PQclear(res);
out:
	srv_work_submission_release(&gs);
}

const struct srv_route srv_submission_routes[] = {
	SRV_STREAM("POST", "/api/v1/uploads", &upload_ops, SRV_PERM_ANY, SRV_ROUTE_NO_LOG_BODY),
	SRV_ROUTE("POST", "/api/v1/assignments/{id:uuid}/submissions", submit, SRV_PERM_ANY, 0,
	  SRV_FIELDS("text", "files")),
	SRV_ROUTE("GET", "/api/v1/assignments/{id:uuid}/submissions", list, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("GET", "/api/v1/submissions", by_prefix, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("GET", "/api/v1/submissions/{id:uuid}", get, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("GET", "/api/v1/submissions/{id:uuid}/files/{file_id:uuid}", file,
	  SRV_PERM_ANY, 0, NULL),
	SRV_ROUTES_END
};
