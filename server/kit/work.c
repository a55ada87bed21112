/* Assignments and submissions loaded with the caller's standing (see work.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/req.h"
#include "core/text.h"
#include "db/db.h"
#include "kit/course.h"
#include "kit/query.h"
#include "kit/rows.h"
#include "kit/work.h"

static int is_true(const PGresult *res, int row, int col)
{
	return !PQgetisnull(res, row, col) && PQgetvalue(res, row, col)[0] == 't';
}

#define ASSIGNMENT_LOAD(lock) \
	"SELECT " SRV_ASSIGNMENT_COLS ", c.archived, m.role, " \
	"  a.due_at IS NOT NULL AND now() > a.due_at, a.rubric_version " \
	"FROM assignments a JOIN courses c ON c.school_id = a.school_id AND c.id = a.course_id " \
	"LEFT JOIN course_members m ON m.school_id = a.school_id AND m.course_id = a.course_id " \
	"  AND m.user_id = $3 " \
	"WHERE a.school_id = $1 AND a.id = $2" lock

static const struct db_stmt q_assignment_load = DB_STMT("work_assignment_load", 3,
	ASSIGNMENT_LOAD(""));

static const struct db_stmt q_assignment_lock = DB_STMT("work_assignment_lock", 3,
	ASSIGNMENT_LOAD(" FOR NO KEY UPDATE OF a"));

/* 0 when the caller's standing access meets need; else -1 after answering 403 or 404. */
static int check_need(struct srv_req *r, int access, int published, enum srv_need need,
		      const char *what)
{
	if (access == SRV_COURSE_NONE || (access == SRV_COURSE_STUDENT && !published)) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such %s", what);
		return -1;
	}
	if (need == SRV_NEED_TEACH && access != SRV_COURSE_TEACHER) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, NULL,
				"only the course's teachers and administrators may do this");
		return -1;
	}
	if (need == SRV_NEED_SUBMIT && access != SRV_COURSE_STUDENT) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, NULL,
				"only the course's students submit work");
		return -1;
	}
	return 0;
}

/* Reads assignment id into ga: 1 found, 0 not there, -1 after a database failure (answered). */
static int assignment_read(struct srv_req *r, const char *id, int lock, struct srv_work_assignment *ga)
{
	const int x = SRV_ASSIGNMENT_NCOLS;
	PGresult *res;

	memset(ga, 0, sizeof(*ga));
	if (!srv_is_uuid(id))
		return 0;
	res = srv_exec(r, lock ? &q_assignment_lock : &q_assignment_load,
			    (const char *[]){ r->caller.school_id, id, r->caller.user_id });
	if (!res)
		return -1;
	ga->res = res;
	if (PQntuples(res) != 1)
		return 0;
	ga->id = PQgetvalue(res, 0, 0);
	ga->course_id = PQgetvalue(res, 0, 1);
	ga->due_at = PQgetisnull(res, 0, 4) ? NULL : PQgetvalue(res, 0, 4);
	ga->submission_kind = PQgetvalue(res, 0, 7);
	ga->allowed_types = PQgetvalue(res, 0, 8);
	ga->max_file_size = strtoll(PQgetvalue(res, 0, 9), NULL, 10);
	ga->late_policy = PQgetvalue(res, 0, 10);
	ga->published = is_true(res, 0, 11);
	ga->archived = is_true(res, 0, x);
	ga->access = srv_course_standing(r, PQgetisnull(res, 0, x + 1) ? NULL
							      : PQgetvalue(res, 0, x + 1));
	ga->past_due = is_true(res, 0, x + 2);
	ga->rubric_version = atol(PQgetvalue(res, 0, x + 3));
	return 1;
}

int srv_work_assignment_load(struct srv_req *r, const char *id, int lock, enum srv_need need,
		       struct srv_work_assignment *ga)
{
	int rc = assignment_read(r, id, lock, ga);

	if (rc < 0)
		return -1;
	if (rc == 0) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such assignment");
		return -1;
	}
	return check_need(r, ga->access, ga->published, need, "assignment");
}

int srv_work_assignment_readable(struct srv_req *r, const char *id, int *readable)
{
	struct srv_work_assignment ga;
	int rc = assignment_read(r, id, 0, &ga);

	*readable = rc > 0 && ga.access != SRV_COURSE_NONE &&
		    (ga.access == SRV_COURSE_TEACHER || ga.published);
	srv_work_assignment_release(&ga);
	return rc < 0 ? -1 : 0;
}

void srv_work_assignment_release(struct srv_work_assignment *ga)
{
	PQclear(ga->res);
	memset(ga, 0, sizeof(*ga));
}

static const struct db_stmt q_submission_load = DB_STMT("work_submission_load", 3,
	"SELECT s.id, s.assignment_id, s.student_id, a.course_id, a.published, c.archived, "
	"  m.role, s.late "
	"FROM submissions s "
	"JOIN assignments a ON a.school_id = s.school_id AND a.id = s.assignment_id "
	"JOIN courses c ON c.school_id = a.school_id AND c.id = a.course_id "
	"LEFT JOIN course_members m ON m.school_id = a.school_id AND m.course_id = a.course_id "
	"  AND m.user_id = $3 "
	"WHERE s.school_id = $1 AND s.id = $2");

int srv_work_submission_load(struct srv_req *r, const char *id, enum srv_need need,
		       struct srv_work_submission *gs)
{
	PGresult *res;
	int published;

	memset(gs, 0, sizeof(*gs));
	if (!srv_is_uuid(id)) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such submission");
		return -1;
	}
	res = srv_exec(r, &q_submission_load,
			    (const char *[]){ r->caller.school_id, id, r->caller.user_id });
	if (!res)
		return -1;
	gs->res = res;
	if (PQntuples(res) != 1) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such submission");
		return -1;
	}
	gs->id = PQgetvalue(res, 0, 0);
	gs->assignment_id = PQgetvalue(res, 0, 1);
	gs->student_id = PQgetvalue(res, 0, 2);
	gs->course_id = PQgetvalue(res, 0, 3);
	published = is_true(res, 0, 4);
	gs->archived = is_true(res, 0, 5);
	gs->access = srv_course_standing(r, PQgetisnull(res, 0, 6) ? NULL : PQgetvalue(res, 0, 6));
	gs->late = is_true(res, 0, 7);
	/* a student's own submissions only: another's is not there at all */
	if (gs->access == SRV_COURSE_STUDENT && strcmp(gs->student_id, r->caller.user_id)) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such submission");
		return -1;
	}
	return check_need(r, gs->access, published, need, "submission");
}

void srv_work_submission_release(struct srv_work_submission *gs)
{
	PQclear(gs->res);
	memset(gs, 0, sizeof(*gs));
}
