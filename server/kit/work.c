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


/* After the assignment's columns: its course's, the caller's standing, due and rubric. */
enum { LOAD_ARCHIVED = SRV_ASSIGNMENT_NCOLS, LOAD_ROLE, LOAD_PAST_DUE, LOAD_RUBRIC_VERSION };
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
	ga->id = db_str(res, 0, SRV_ASSIGNMENT_ID);
	ga->course_id = db_str(res, 0, SRV_ASSIGNMENT_COURSE_ID);
	ga->due_at = db_str(res, 0, SRV_ASSIGNMENT_DUE_AT);
	ga->submission_kind = db_str(res, 0, SRV_ASSIGNMENT_SUBMISSION_KIND);
	ga->allowed_types = db_str(res, 0, SRV_ASSIGNMENT_ALLOWED_TYPES);
	ga->max_file_size = db_llong(res, 0, SRV_ASSIGNMENT_MAX_FILE_SIZE);
	ga->late_policy = db_str(res, 0, SRV_ASSIGNMENT_LATE_POLICY);
	ga->published = db_bool(res, 0, SRV_ASSIGNMENT_PUBLISHED);
	ga->archived = db_bool(res, 0, LOAD_ARCHIVED);
	ga->access = srv_course_standing(r, db_str(res, 0, LOAD_ROLE));
	ga->past_due = db_bool(res, 0, LOAD_PAST_DUE);
	ga->rubric_version = db_long(res, 0, LOAD_RUBRIC_VERSION);
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

#define SUB_COLUMNS(first, next) \
	first(SUB_ID,             "s.id") \
	next(SUB_ASSIGNMENT_ID,   "s.assignment_id") \
	next(SUB_STUDENT_ID,      "s.student_id") \
	next(SUB_COURSE_ID,       "a.course_id") \
	next(SUB_PUBLISHED,       "a.published") \
	next(SUB_ARCHIVED,        "c.archived") \
	next(SUB_ROLE,            "m.role") \
	next(SUB_LATE,            "s.late")
enum { DB_COLS_ENUM(SUB_COLUMNS) };
static const struct db_stmt q_submission_load = DB_STMT("work_submission_load", 3,
	"SELECT " DB_COLS_SQL(SUB_COLUMNS) " "
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
	gs->id = db_str(res, 0, SUB_ID);
	gs->assignment_id = db_str(res, 0, SUB_ASSIGNMENT_ID);
	gs->student_id = db_str(res, 0, SUB_STUDENT_ID);
	gs->course_id = db_str(res, 0, SUB_COURSE_ID);
	published = db_bool(res, 0, SUB_PUBLISHED);
	gs->archived = db_bool(res, 0, SUB_ARCHIVED);
	gs->access = srv_course_standing(r, db_str(res, 0, SUB_ROLE));
	gs->late = db_bool(res, 0, SUB_LATE);
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
