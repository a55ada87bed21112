/*
 * Course membership, the check every course-scoped resource makes first: who the caller is
 * in a course. The context comes from the object's own row (its course), never from a
 * request parameter.
 */
#ifndef SRV_KIT_COURSE_H
#define SRV_KIT_COURSE_H

#include "core/req.h"

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

#endif
