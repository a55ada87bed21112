/*
 * What the course-work routes (assignments, rubrics, submissions, grades) load first: an
 * assignment or a submission read together with the caller's standing in its course, in
 * one query (the context always comes from the object's own row), and checked against
 * what the route needs.
 */
#ifndef SRV_KIT_WORK_H
#define SRV_KIT_WORK_H

#include <libpq-fe.h>

#include "core/req.h"

/* What a route needs of the caller's standing. */
enum srv_need {
	SRV_NEED_READ,	/* a member or admin; students only when the assignment is published */
	SRV_NEED_TEACH,	/* its teacher or an admin; a student of the course gets 403 */
	SRV_NEED_SUBMIT,	/* its student, the assignment published; a teacher gets 403 */
};

/* An assignment, its course and the caller's standing in it, from one query. */
struct srv_work_assignment {
	PGresult *res;		/* SRV_ASSIGNMENT_COLS, then the columns below (owned) */
	const char *id;
	const char *course_id;
	int access;		/* enum srv_course_access */
	int archived;
	int published;
	int past_due;		/* due_at is set and has passed */
	long rubric_version;
	const char *allowed_types;	/* JSON array text */
	long long max_file_size;
	const char *submission_kind;
	const char *late_policy;
	const char *due_at;	/* NULL: none */
};

/*
 * Reads assignment id (FOR NO KEY UPDATE when lock is set) and checks the caller against
 * need: 0, or -1 after answering (404: no such assignment, another school's, not a member,
 * or unpublished to a student; 403: the wrong side of the course; database errors).
 * srv_work_assignment_release() frees it either way.
 */
int srv_work_assignment_load(struct srv_req *r, const char *id, int lock, enum srv_need need,
		       struct srv_work_assignment *ga);
void srv_work_assignment_release(struct srv_work_assignment *ga);
/* *readable: the caller may read assignment id (SRV_NEED_READ). 0, or -1 after a database failure. */
int srv_work_assignment_readable(struct srv_req *r, const char *id, int *readable);

/* A submission, its assignment's course and the caller's standing in it. */
struct srv_work_submission {
	PGresult *res;		/* owned */
	const char *id;
	const char *assignment_id;
	const char *student_id;
	const char *course_id;
	int access;		/* enum srv_course_access */
	int archived;
	int late;
};

/*
 * Reads submission id and checks the caller: a student reaches only their own submissions
 * of published assignments; need is SRV_NEED_READ or SRV_NEED_TEACH. 0, or -1 after answering.
 */
int srv_work_submission_load(struct srv_req *r, const char *id, enum srv_need need,
		       struct srv_work_submission *gs);
void srv_work_submission_release(struct srv_work_submission *gs);


#endif
