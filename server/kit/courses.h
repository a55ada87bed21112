/*
 * Course membership, the check every course-scoped resource makes first: who the caller is
 * in a course. The context comes from the object's own row (its course), never from a
 * request parameter.
 */
#ifndef SRV_COURSES_H
#define SRV_COURSES_H

#include "core/req.h"
#include "db/db.h"

struct pg_result;

enum srv_course_access {
	SRV_COURSE_NONE,	/* no such course, another school's, or not a member: answer 404 */
	SRV_COURSE_STUDENT,	/* a student of the course */
	SRV_COURSE_TEACHER,	/* a teacher of the course, or admin and above in its school */
};

/*
 * The caller's standing in course_id (inside the request transaction). *archived (may be
 * NULL) tells whether the course is archived. Returns SRV_COURSE_NONE also for a malformed
 * id; -1 after answering when the database failed.
 */
int srv_course_access(struct srv_req *r, const char *course_id, int *archived);

/*
 * The same, also locking the course row (FOR NO KEY UPDATE) until the request ends, for
 * writes that must not interleave with another of the same course (renumbering lessons).
 * *count (may be NULL) gets the number of the course's lessons.
 */
int srv_course_access_locked(struct srv_req *r, const char *course_id, int *archived,
			     long *count);

/*
 * The caller's standing from their course_members.role in a course of their school that
 * exists (member_role NULL: not a member). For a handler that reads an object's row, its
 * course and the caller's membership in one query.
 */
enum srv_course_access srv_course_standing(const struct srv_req *r, const char *member_role);

/* 409 conflict "the course is archived": any write to an archived course but unarchiving. */
void srv_reply_archived(struct srv_req *r);

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

/*
 * Body fields for the course handlers. Each returns 0 when the field is absent, 1 when it
 * is present (in *out), or -1 after answering 422 naming it.
 * Text: minc to maxc characters of UTF-8 without control characters (SRV_TEXT_MULTILINE
 * allows newlines and tabs); null is "" with SRV_TEXT_NULLABLE, else refused.
 */
#define SRV_TEXT_MULTILINE 0x1
#define SRV_TEXT_NULLABLE 0x2
int srv_field_text(struct srv_req *r, const char *key, long minc, long maxc, unsigned flags,
		   const char **out);
int srv_field_long(struct srv_req *r, const char *key, long min, long max, long *out);
int srv_field_bool(struct srv_req *r, const char *key, int *out);


#endif
