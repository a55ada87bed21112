/* The caller's standing in a course (see course.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/req.h"
#include "core/text.h"
#include "db/db.h"
#include "kit/course.h"
#include "kit/query.h"

/* The caller's membership in course c ($3: the caller's id). */
#define MEMBER_JOIN "LEFT JOIN course_members m ON m.school_id = c.school_id " \
	"AND m.course_id = c.id AND m.user_id = $3 "

enum srv_course_access srv_course_standing(const struct srv_req *r, const char *member_role)
{
	if (r->caller.role >= EDU_ROLE_ADMIN)
		return SRV_COURSE_TEACHER;
	if (!member_role)
		return SRV_COURSE_NONE;
	if (!strcmp(member_role, "teacher"))
		return SRV_COURSE_TEACHER;
	if (!strcmp(member_role, "student"))
		return SRV_COURSE_STUDENT;
	return SRV_COURSE_NONE;
}

/* The course's archived flag and the caller's role in it; locked, then its lesson count. */
enum { ACCESS_ARCHIVED, ACCESS_ROLE, ACCESS_LESSONS };
static const struct db_stmt q_access = DB_STMT("course_access", 3,
	"SELECT c.archived, m.role FROM courses c " MEMBER_JOIN
	"WHERE c.school_id = $1 AND c.id = $2");

static const struct db_stmt q_access_lock = DB_STMT("course_access_lock", 3,
	"SELECT c.archived, m.role, (SELECT count(*) FROM lessons l "
	"  WHERE l.school_id = c.school_id AND l.course_id = c.id) "
	"FROM courses c " MEMBER_JOIN
	"WHERE c.school_id = $1 AND c.id = $2 FOR NO KEY UPDATE OF c");

static int access_query(struct srv_req *r, const struct db_stmt *st, const char *course_id,
			int *archived, long *count)
{
	PGresult *res;
	int standing;

	if (archived)
		*archived = 0;
	if (count)
		*count = 0;
	if (!course_id || !srv_is_uuid(course_id))
		return SRV_COURSE_NONE;
	res = srv_exec(r, st, (const char *[]){ r->caller.school_id, course_id,
						     r->caller.user_id });
	if (!res)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return SRV_COURSE_NONE;
	}
	standing = srv_course_standing(r, db_str(res, 0, ACCESS_ROLE));
	if (archived)
		*archived = db_bool(res, 0, ACCESS_ARCHIVED);
	if (count && PQnfields(res) > ACCESS_LESSONS)
		*count = db_long(res, 0, ACCESS_LESSONS);
	PQclear(res);
	return standing;
}

int srv_course_access(struct srv_req *r, const char *course_id, int *archived)
{
	return access_query(r, &q_access, course_id, archived, NULL);
}

int srv_course_access_locked(struct srv_req *r, const char *course_id, int *archived,
			     long *count)
{
	return access_query(r, &q_access_lock, course_id, archived, count);
}

void srv_reply_archived(struct srv_req *r)
{
	srv_reply_error(r, SRV_ERR_CONFLICT, NULL, "the course is archived");
}
