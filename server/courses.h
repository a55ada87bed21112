/*
 * Course membership, the check every course-scoped resource makes first: who the caller is
 * in a course. The context comes from the object's own row (its course), never from a
 * request parameter.
 */
#ifndef SRV_COURSES_H
#define SRV_COURSES_H

#include "http.h"

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

extern const struct srv_route srv_course_routes[];
extern const struct srv_route srv_lesson_routes[];
extern const struct srv_route srv_assignment_routes[];
extern const struct srv_route srv_rubric_routes[];
extern const struct srv_route srv_submission_routes[];
extern const struct srv_route srv_grade_routes[];

#endif
