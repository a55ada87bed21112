/*
 * Grades: one per assignment and student, given by the course's teachers (through a
 * submission, or to a student who has not submitted) and seen by the student once
 * released. No silent last write wins: a PUT must say in If-Match which version it was
 * based on ("0" for the first grade), and every change leaves a history entry (who, when,
 * the grade before and after) in the transaction of the change.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
#include "model.h"
#include "xalloc.h"

#define MAX_CHOICES 50

static const struct db_stmt q_grade = DB_STMT("grade_get", 3,
	"SELECT " SRV_GRADE_COLS " FROM grades g "
	"WHERE g.school_id = $1 AND g.assignment_id = $2 AND g.student_id = $3");

static const struct db_stmt q_grade_lock = DB_STMT("grade_lock", 3,
	"SELECT " SRV_GRADE_COLS " FROM grades g "
	"WHERE g.school_id = $1 AND g.assignment_id = $2 AND g.student_id = $3 "
	"FOR NO KEY UPDATE OF g");

/*
 * The grade of student_id for assignment_id into g (a blank one, version 0, when none was
 * given). 0, or -1 after a database failure (answered).
 */
static int read_grade(struct srv_req *r, const char *assignment_id, const char *student_id,
		      int lock, struct edu_grade *g)
{
	PGresult *res = srv_exec(r, lock ? &q_grade_lock : &q_grade, (const char *[]){
		r->caller.school_id, assignment_id, student_id });

	if (!res)
		return -1;
	if (PQntuples(res) != 1 || srv_grade_from_row(g, res, 0, 0) < 0)
		srv_grade_blank(g, assignment_id, student_id);
	PQclear(res);
	return 0;
}

static void reply_grade(struct srv_req *r, const struct edu_grade *g)
{
	srv_set_etag(r, g->version);
	srv_reply_json(r, 200, edu_grade_to_json(g));
}

/* A deep copy of g (through its JSON: one definition of what a grade holds). */
static void grade_copy(struct edu_grade *dst, const struct edu_grade *src)
{
	cJSON *j = edu_grade_to_json(src);

	edu_grade_from_json(dst, j);
	cJSON_Delete(j);
}

static char *grade_text(const struct edu_grade *g)
{
	cJSON *j = edu_grade_to_json(g);
	char *s = cJSON_PrintUnformatted(j);

	cJSON_Delete(j);
	if (!s)
		abort();
	return s;
}

/* ---- GET /submissions/{id}/grade ---- */

static void get(struct srv_req *r)
{
	struct srv_work_submission gs;
	struct edu_grade g;

	memset(&g, 0, sizeof(g));
	if (srv_work_submission_load(r, r->params[0], SRV_NEED_READ, &gs) < 0 ||
	    read_grade(r, gs.assignment_id, gs.student_id, 0, &g) < 0)
		goto out;
	/* to the student, a grade is there once it is released */
	if (gs.access == SRV_COURSE_STUDENT && !g.released)
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "this submission has no grade yet");
	else
		reply_grade(r, &g);
out:
	edu_grade_release(&g);
	srv_work_submission_release(&gs);
}

/* ---- PUT: the body ---- */

struct grade_in {
	int has_score, score_null;
	double score;
	int has_excused, excused;
	int has_late, late;
	int has_missing, missing;
	int has_released, released;
	int has_comment;
	const char *comment;
	int has_rubric;
	struct edu_rubric_choice *choices;	/* ids point into the body */
	int nchoices;
};

/* The body's "rubric": [{"criterion_id","level_id"}], each criterion at most once. */
static int read_choices(struct srv_req *r, struct grade_in *in)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, "rubric"), *c;
	int i = 0;

	if (!v)
		return 0;
	in->has_rubric = 1;
	if (cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > MAX_CHOICES) {
		srv_reply_error(r, SRV_ERR_INVALID, "rubric",
				"'rubric' must be a list of at most %d {\"criterion_id\", "
				"\"level_id\"}", MAX_CHOICES);
		return -1;
	}
	in->choices = xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(*in->choices));
	cJSON_ArrayForEach(c, v) {
		const cJSON *item;
		const char *cid = edu_json_str(c, "criterion_id"), *lid = edu_json_str(c, "level_id");
		char path[48];

		snprintf(path, sizeof(path), "rubric[%d]", i++);
		if (!cJSON_IsObject(c)) {
			srv_reply_error(r, SRV_ERR_INVALID, path, "'%s' must be an object", path);
			return -1;
		}
		cJSON_ArrayForEach(item, c)
			if (strcmp(item->string, "criterion_id") && strcmp(item->string, "level_id")) {
				char *name = xasprintf("%s.%s", path, item->string);

				srv_reply_error(r, SRV_ERR_UNKNOWN_FIELD, name, "unknown field '%s'",
						name);
				free(name);
				return -1;
			}
		if (!cid || !lid || !srv_is_uuid(cid) || !srv_is_uuid(lid)) {
			srv_reply_error(r, SRV_ERR_INVALID, path,
					"'%s' needs a criterion_id and a level_id", path);
			return -1;
		}
		for (int k = 0; k < in->nchoices; k++)
			if (!strcasecmp(in->choices[k].criterion_id, cid)) {
				srv_reply_error(r, SRV_ERR_INVALID, path,
						"'%s' chooses a level for a criterion chosen before",
						path);
				return -1;
			}
		in->choices[in->nchoices].criterion_id = (char *)cid;
		in->choices[in->nchoices].level_id = (char *)lid;
		in->nchoices++;
	}
	return 0;
}

static int read_grade_body(struct srv_req *r, struct grade_in *in)
{
	int rc;

	memset(in, 0, sizeof(*in));
	if ((in->has_score = srv_field_number(r, r->json, "score", "score", 0, 100000, 1,
					     &in->score_null, &in->score)) < 0 ||
	    (in->has_excused = srv_field_bool(r, "excused", &in->excused)) < 0 ||
	    (in->has_late = srv_field_bool(r, "late", &in->late)) < 0 ||
	    (in->has_missing = srv_field_bool(r, "missing", &in->missing)) < 0 ||
	    (in->has_released = srv_field_bool(r, "released", &in->released)) < 0 ||
	    (rc = srv_field_text(r, "comment", 0, 20000, SRV_TEXT_MULTILINE | SRV_TEXT_NULLABLE,
				 &in->comment)) < 0 ||
	    read_choices(r, in) < 0)
		return -1;
	in->has_comment = rc;
	return 0;
}

/* ---- PUT: the change ---- */

/* Every level of the assignment's rubric, to check and score the levels chosen. */
enum { LEVEL_CRITERION_ID, LEVEL_ID, LEVEL_POINTS };
static const struct db_stmt q_levels = DB_STMT("grade_levels", 2,
	"SELECT c.id, l.id, l.points FROM rubric_criteria c "
	"JOIN rubric_levels l ON l.school_id = c.school_id AND l.criterion_id = c.id "
	"WHERE c.school_id = $1 AND c.assignment_id = $2");

/*
 * Fills each choice's points from the assignment's rubric and sums them into *sum.
 * 0, or -1 after answering (422 naming the choice that is not a level of the rubric).
 */
static int score_choices(struct srv_req *r, const char *assignment_id, struct grade_in *in,
			 double *sum)
{
	PGresult *res;
	int rc = 0;

	*sum = 0;
	if (!in->nchoices)
		return 0;
	res = srv_exec(r, &q_levels, (const char *[]){ r->caller.school_id, assignment_id });
	if (!res)
		return -1;
	for (int i = 0; i < in->nchoices && rc == 0; i++) {
		struct edu_rubric_choice *c = &in->choices[i];
		int found = 0;

		for (int row = 0; row < PQntuples(res) && !found; row++)
			if (!strcasecmp(db_str(res, row, LEVEL_CRITERION_ID), c->criterion_id) &&
			    !strcasecmp(db_str(res, row, LEVEL_ID), c->level_id)) {
				c->points = db_double(res, row, LEVEL_POINTS);
				found = 1;
			}
		if (!found) {
			char path[48];

			snprintf(path, sizeof(path), "rubric[%d]", i);
			srv_reply_error(r, SRV_ERR_INVALID, path,
					"'%s' is not a level of a criterion of this assignment's "
					"rubric", path);
			rc = -1;
		}
		*sum += c->points;
	}
	PQclear(res);
	return rc;
}

static char *lower_dup(const char *s)
{
	char *d = xstrdup(s);

	for (char *p = d; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

/* The grade after the body's changes (a new copy): what stays, what changes. */
static void apply(struct edu_grade *to, const struct edu_grade *from, const struct grade_in *in,
		  double rubric_sum)
{
	grade_copy(to, from);
	if (in->has_score) {
		to->has_score = !in->score_null;
		to->score = in->score_null ? 0 : in->score;
	}
	if (in->has_excused)
		to->excused = in->excused;
	if (in->has_late)
		to->late = in->late;
	if (in->has_missing)
		to->missing = in->missing;
	if (in->has_released)
		to->released = in->released;
	if (in->has_comment) {
		free(to->comment);
		to->comment = in->comment && *in->comment ? xstrdup(in->comment) : NULL;
	}
	if (in->has_rubric) {
		for (int i = 0; i < to->nrubric; i++) {
			free(to->rubric[i].criterion_id);
			free(to->rubric[i].level_id);
		}
		free(to->rubric);
		to->rubric = in->nchoices ? xcalloc((size_t)in->nchoices, sizeof(*to->rubric))
					  : NULL;
		to->nrubric = in->nchoices;
		for (int i = 0; i < in->nchoices; i++) {
			/* ids as the database writes them, so that answers and history agree */
			to->rubric[i].criterion_id = lower_dup(in->choices[i].criterion_id);
			to->rubric[i].level_id = lower_dup(in->choices[i].level_id);
			to->rubric[i].points = in->choices[i].points;
		}
		to->has_rubric_score = in->nchoices > 0;
		to->rubric_score = in->nchoices ? rubric_sum : 0;
	}
}

/* 1 when a and b say the same (who gave them, when and their versions aside). */
static int same_grade(const struct edu_grade *a, const struct edu_grade *b)
{
	struct edu_grade x, y;
	char *sa, *sb;
	int same;

	grade_copy(&x, a);
	grade_copy(&y, b);
	free(y.graded_by);
	free(y.graded_at);
	y.graded_by = x.graded_by ? xstrdup(x.graded_by) : NULL;
	y.graded_at = x.graded_at ? xstrdup(x.graded_at) : NULL;
	y.version = x.version;
	sa = grade_text(&x);
	sb = grade_text(&y);
	same = !strcmp(sa, sb);
	free(sa);
	free(sb);
	edu_grade_release(&x);
	edu_grade_release(&y);
	return same;
}

/* What a write of a grade gives back. */
enum { WRITTEN_VERSION, WRITTEN_GRADED_AT };
static const struct db_stmt q_insert = DB_STMT("grade_insert", 12,
	"INSERT INTO grades (school_id, assignment_id, student_id, submission_id, score, "
	"  rubric_score, excused, late, missing, comment, released, graded_by) "
	"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
	"ON CONFLICT DO NOTHING RETURNING version, " DB_TS("graded_at"));

static const struct db_stmt q_update = DB_STMT("grade_update", 13,
	"UPDATE grades SET submission_id = $4, score = $5, rubric_score = $6, excused = $7, "
	"  late = $8, missing = $9, comment = $10, released = $11, graded_by = $12, "
	"  graded_at = now(), version = version + 1 "
	"WHERE school_id = $1 AND assignment_id = $2 AND student_id = $3 AND version = $13 "
	"RETURNING version, " DB_TS("graded_at"));

static const struct db_stmt q_rubric_clear = DB_STMT("grade_rubric_clear", 3,
	"DELETE FROM grade_rubric WHERE school_id = $1 AND assignment_id = $2 AND student_id = $3");

static const struct db_stmt q_rubric_set = DB_STMT("grade_rubric_set", 5,
	"INSERT INTO grade_rubric (school_id, assignment_id, student_id, criterion_id, level_id) "
	"SELECT $1, $2, $3, c, l FROM unnest($4::uuid[], $5::uuid[]) AS t(c, l)");

static const struct db_stmt q_history = DB_STMT("grade_history_add", 6,
	"INSERT INTO grade_history (school_id, assignment_id, student_id, changed_by, old, new) "
	"VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)");

/* Runs a statement whose result is not needed: 0, or -1 after answering. */
static int run(struct srv_req *r, const struct db_stmt *st, const char *const *params)
{
	PGresult *res = srv_exec(r, st, params);

	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

/* Writes g (the new grade of old) with its rubric choices and its history entry. */
static int write_grade(struct srv_req *r, struct edu_grade *g, const struct edu_grade *old,
		       int rubric_changed)
{
	char score[40], rscore[40], ver[24];
	const char *school = r->caller.school_id;
	char *old_text = NULL, *new_text = NULL;
	struct edu_buf cids = EDU_BUF_INIT, lids = EDU_BUF_INIT;
	PGresult *res;
	int rc = -1;

	db_num_param(score, sizeof(score), g->score);
	db_num_param(rscore, sizeof(rscore), g->rubric_score);
	snprintf(ver, sizeof(ver), "%ld", old->version);
	{
		const char *p[] = { school, g->assignment_id, g->student_id, g->submission_id,
			g->has_score ? score : NULL, g->has_rubric_score ? rscore : NULL,
			g->excused ? "t" : "f", g->late ? "t" : "f", g->missing ? "t" : "f",
			g->comment, g->released ? "t" : "f", r->caller.user_id, ver };

		res = srv_exec(r, old->version ? &q_update : &q_insert, p);
	}
	if (!res)
		goto out;
	if (PQntuples(res) != 1) {
		/* another first grade came in between: that one stands */
		struct edu_grade cur;

		PQclear(res);
		if (read_grade(r, g->assignment_id, g->student_id, 0, &cur) == 0) {
			srv_reply_stale(r, edu_grade_to_json(&cur));
			edu_grade_release(&cur);
		}
		goto out;
	}
	g->version = db_long(res, 0, WRITTEN_VERSION);
	free(g->graded_at);
	g->graded_at = db_dup(res, 0, WRITTEN_GRADED_AT);
	free(g->graded_by);
	g->graded_by = xstrdup(r->caller.user_id);
	PQclear(res);
	if (rubric_changed) {
		edu_buf_addc(&cids, '{');
		edu_buf_addc(&lids, '{');
		for (int i = 0; i < g->nrubric; i++) {
			edu_buf_printf(&cids, "%s%s", i ? "," : "", g->rubric[i].criterion_id);
			edu_buf_printf(&lids, "%s%s", i ? "," : "", g->rubric[i].level_id);
		}
		edu_buf_addc(&cids, '}');
		edu_buf_addc(&lids, '}');
		if (run(r, &q_rubric_clear, (const char *[]){ school, g->assignment_id,
							     g->student_id }) < 0 ||
		    (g->nrubric && run(r, &q_rubric_set, (const char *[]){ school,
				g->assignment_id, g->student_id, edu_buf_str(&cids),
				edu_buf_str(&lids) }) < 0))
			goto out;
	}
	old_text = old->version ? grade_text(old) : NULL;
	new_text = grade_text(g);
	if (run(r, &q_history, (const char *[]){ school, g->assignment_id, g->student_id,
						r->caller.user_id, old_text, new_text }) < 0)
		goto out;
	rc = 0;
out:
	edu_buf_release(&cids);
	edu_buf_release(&lids);
	free(old_text);
	free(new_text);
	return rc;
}

/*
 * PUT of the grade of student_id for assignment_id. submission_id: the attempt graded
 * (NULL: the one the grade was given to before, else first_submission); late: a first
 * grade's late flag unless the body says.
 */
static void put_grade(struct srv_req *r, const char *assignment_id, const char *student_id,
		      const char *submission_id, const char *first_submission, int late)
{
	struct grade_in in;
	struct edu_grade old, g;
	long if_match;
	double sum = 0;
	int has_match;

	memset(&old, 0, sizeof(old));
	memset(&g, 0, sizeof(g));
	memset(&in, 0, sizeof(in));
	if ((has_match = srv_if_match(r, &if_match)) < 0)
		goto out;
	if (!has_match) {
		srv_reply_error(r, SRV_ERR_PRECONDITION_REQUIRED, NULL,
				"a grade is changed with If-Match: the version it is based on "
				"(\"0\" for the first grade)");
		goto out;
	}
	if (read_grade_body(r, &in) < 0 ||
	    read_grade(r, assignment_id, student_id, 1, &old) < 0)
		goto out;
	if (if_match != old.version) {
		srv_reply_stale(r, edu_grade_to_json(&old));
		goto out;
	}
	if (score_choices(r, assignment_id, &in, &sum) < 0)
		goto out;
	if (!old.version) {
		/* a first grade starts from its attempt: late if that was */
		old.late = late;
		if (!submission_id)
			submission_id = first_submission;
	}
	apply(&g, &old, &in, sum);
	if (submission_id) {
		free(g.submission_id);
		g.submission_id = xstrdup(submission_id);
	}
	if (old.version && same_grade(&old, &g)) {
		reply_grade(r, &old);
		goto out;
	}
	if (write_grade(r, &g, &old, in.has_rubric) == 0)
		reply_grade(r, &g);
out:
	free(in.choices);
	edu_grade_release(&old);
	edu_grade_release(&g);
}

/* ---- PUT /submissions/{id}/grade ---- */

static void put(struct srv_req *r)
{
	struct srv_work_submission gs;

	if (srv_work_submission_load(r, r->params[0], SRV_NEED_TEACH, &gs) == 0) {
		if (gs.archived)
			srv_reply_archived(r);
		else
			put_grade(r, gs.assignment_id, gs.student_id, gs.id, NULL, gs.late);
	}
	srv_work_submission_release(&gs);
}

/* ---- PUT /assignments/{id}/grades/{student_id} ---- */

/* A student of the course (or one who submitted to it), and their latest attempt. */
enum { STUDENT_ENROLLED, STUDENT_SUBMISSION_ID, STUDENT_LATE };
static const struct db_stmt q_student = DB_STMT("grade_student", 4,
	"SELECT EXISTS (SELECT 1 FROM course_members m WHERE m.school_id = $1 "
	"    AND m.course_id = $2 AND m.user_id = $3 AND m.role = 'student'), "
	"  s.id, s.late "
	"FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT id, late FROM submissions "
	"    WHERE school_id = $1 AND assignment_id = $4 AND student_id = $3 "
	"    ORDER BY attempt DESC LIMIT 1) s ON true");

static void put_student(struct srv_req *r)
{
	struct srv_work_assignment ga;
	const char *sid;
	PGresult *res = NULL;

	if (srv_work_assignment_load(r, r->params[0], 0, SRV_NEED_TEACH, &ga) < 0)
		goto out;
	sid = r->params[1];
	if (ga.archived) {
		srv_reply_archived(r);
		goto out;
	}
	res = srv_exec(r, &q_student, (const char *[]){ r->caller.school_id, ga.course_id,
							    sid, ga.id });
	if (!res)
		goto out;
	if (!db_bool(res, 0, STUDENT_ENROLLED) && db_null(res, 0, STUDENT_SUBMISSION_ID)) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such student in this course");
		goto out;
	}
	/* a first grade goes to the latest attempt, if there is one */
	put_grade(r, ga.id, sid, NULL, db_str(res, 0, STUDENT_SUBMISSION_ID),
		  db_bool(res, 0, STUDENT_LATE));
out:
	PQclear(res);
	srv_work_assignment_release(&ga);
}

/* ---- POST /assignments/{id}/release ---- */

static const struct db_stmt q_drafts = DB_STMT("grade_drafts", 2,
	"SELECT " SRV_GRADE_COLS " FROM grades g "
	"WHERE g.school_id = $1 AND g.assignment_id = $2 AND NOT g.released "
	"FOR NO KEY UPDATE OF g");

static const struct db_stmt q_release = DB_STMT("grade_release", 2,
	"UPDATE grades SET released = true, version = version + 1 "
	"WHERE school_id = $1 AND assignment_id = $2 AND NOT released");

/* $4: [{"student_id", "old", "new"}] */
static const struct db_stmt q_history_many = DB_STMT("grade_history_many", 4,
	"INSERT INTO grade_history (school_id, assignment_id, student_id, changed_by, old, new) "
	"SELECT $1, $2, (e->>'student_id')::uuid, $3, e->'old', e->'new' "
	"FROM jsonb_array_elements($4::jsonb) e");

static void release(struct srv_req *r)
{
	struct srv_work_assignment ga;
	PGresult *res = NULL;
	cJSON *changes = NULL, *answer;
	char *text = NULL;
	int n;

	if (srv_work_assignment_load(r, r->params[0], 0, SRV_NEED_TEACH, &ga) < 0)
		goto out;
	if (ga.archived) {
		srv_reply_archived(r);
		goto out;
	}
	res = srv_exec(r, &q_drafts, (const char *[]){ r->caller.school_id, ga.id });
	if (!res)
		goto out;
	n = PQntuples(res);
	changes = cJSON_CreateArray();
	for (int i = 0; i < n; i++) {
		struct edu_grade g;
		cJSON *c = cJSON_CreateObject();

		srv_grade_from_row(&g, res, i, 0);
		cJSON_AddStringToObject(c, "student_id", g.student_id);
		cJSON_AddItemToObject(c, "old", edu_grade_to_json(&g));
		g.released = 1;
		g.version++;
		cJSON_AddItemToObject(c, "new", edu_grade_to_json(&g));
		cJSON_AddItemToArray(changes, c);
		edu_grade_release(&g);
	}
	if (n) {
		text = cJSON_PrintUnformatted(changes);
		if (!text)
			abort();
		if (run(r, &q_release, (const char *[]){ r->caller.school_id, ga.id }) < 0 ||
		    run(r, &q_history_many, (const char *[]){ r->caller.school_id, ga.id,
							     r->caller.user_id, text }) < 0)
			goto out;
	}
	answer = cJSON_CreateObject();
	cJSON_AddNumberToObject(answer, "released", n);
	srv_reply_json(r, 200, answer);
out:
	free(text);
	cJSON_Delete(changes);
	PQclear(res);
	srv_work_assignment_release(&ga);
}

/* ---- GET /submissions/{id}/grade/history ---- */

#define HISTORY_COLUMNS(first, next) \
	first(HISTORY_ID,          "h.id") \
	next(HISTORY_AT,           DB_TS("h.changed_at")) \
	next(HISTORY_BY,           "h.changed_by") \
	next(HISTORY_BY_USERNAME,  "u.username") \
	next(HISTORY_OLD,          "h.old") \
	next(HISTORY_NEW,          "h.new")
enum { DB_COLS_ENUM(HISTORY_COLUMNS) };
static const struct db_stmt q_history_list = DB_STMT("grade_history_list", 5,
	"SELECT " DB_COLS_SQL(HISTORY_COLUMNS) " "
	"FROM grade_history h "
	"LEFT JOIN users u ON u.school_id = h.school_id AND u.id = h.changed_by "
	"WHERE h.school_id = $1 AND h.assignment_id = $2 AND h.student_id = $3 "
	"  AND ($4::bigint IS NULL OR h.id > $4::bigint) "
	"ORDER BY h.id LIMIT $5::int + 1");

/*
 * An entry as the API shows it: old and new are the grades as they were answered then,
 * kept as JSON (grade_text()), read back into the model to be written by it.
 */
static cJSON *history_row(const PGresult *res, int row, void *ctx)
{
	struct edu_grade_change c = {
		.at = db_dup(res, row, HISTORY_AT),
		.by.id = db_dup(res, row, HISTORY_BY),
		.by.username = db_dup(res, row, HISTORY_BY_USERNAME),
	};
	cJSON *old = cJSON_Parse(db_str(res, row, HISTORY_OLD) ?: "null");
	cJSON *new_ = cJSON_Parse(db_str(res, row, HISTORY_NEW));
	cJSON *j;

	(void)ctx;
	if (cJSON_IsObject(old)) {
		c.old = xmalloc(sizeof(*c.old));
		edu_grade_from_json(c.old, old);
	}
	edu_grade_from_json(&c.new_, new_);
	j = edu_grade_change_to_json(&c);
	edu_grade_change_release(&c);
	cJSON_Delete(old);
	cJSON_Delete(new_);
	return j;
}

static void history(struct srv_req *r)
{
	struct srv_work_submission gs;
	struct srv_page pg;

	if (srv_work_submission_load(r, r->params[0], SRV_NEED_TEACH, &gs) < 0 ||
	    srv_page_start(r, &pg, SRV_CURSOR_BIGINT) < 0)
		goto out;
	srv_page_query(r, &pg, &q_history_list, (const char *[]){ r->caller.school_id,
		gs.assignment_id, gs.student_id, pg.after, pg.limit_s }, HISTORY_ID, history_row,
		NULL);
out:
	srv_work_submission_release(&gs);
}

/* ---- GET /grades ---- */

/*
 * The caller's released grades of published assignments, by course name, then due date (a
 * teacher has them too, from the courses they take as a student);
 * $3: one course only; $4: the cursor, the last row's assignment id.
 */
#define MINE_ORDER "lower(c.name), c.id, coalesce(a.due_at, 'infinity'), a.created_at, a.id"
enum { MINE_COURSE_ID = SRV_ASSIGNMENT_NCOLS, MINE_COURSE_NAME, MINE_GRADE };
static const struct db_stmt q_mine = DB_STMT("grade_mine", 5,
	"SELECT " SRV_ASSIGNMENT_COLS ", c.id, c.name, " SRV_GRADE_COLS " "
	"FROM grades g "
	"JOIN assignments a ON a.school_id = g.school_id AND a.id = g.assignment_id "
	"JOIN courses c ON c.school_id = a.school_id AND c.id = a.course_id "
	"WHERE g.school_id = $1 AND g.student_id = $2 AND g.released AND a.published "
	"  AND ($3::uuid IS NULL OR a.course_id = $3) "
	"  AND ($4::uuid IS NULL OR (" MINE_ORDER ") > "
	"    (SELECT lower(c.name), c.id, coalesce(a.due_at, 'infinity'), a.created_at, a.id "
	"     FROM assignments a JOIN courses c ON c.school_id = a.school_id "
	"       AND c.id = a.course_id WHERE a.school_id = $1 AND a.id = $4)) "
	"ORDER BY " MINE_ORDER " LIMIT $5::int + 1");

static cJSON *mine_row(const PGresult *res, int row, void *ctx)
{
	cJSON *e = cJSON_CreateObject(), *c = cJSON_CreateObject();
	struct edu_grade g;

	(void)ctx;
	cJSON_AddStringToObject(c, "id", db_str(res, row, MINE_COURSE_ID));
	cJSON_AddStringToObject(c, "name", db_str(res, row, MINE_COURSE_NAME));
	cJSON_AddItemToObject(e, "course", c);
	cJSON_AddItemToObject(e, "assignment", srv_assignment_json(res, row, 0));
	srv_grade_from_row(&g, res, row, MINE_GRADE);
	cJSON_AddItemToObject(e, "grade", edu_grade_to_json(&g));
	edu_json_add_str(e, "submission_id", g.submission_id);
	edu_grade_release(&g);
	return e;
}

static void mine(struct srv_req *r)
{
	const char *course = srv_req_query(r, "course");
	struct srv_page pg;

	if (srv_page_start(r, &pg, SRV_CURSOR_TEXT) < 0)
		return;
	if (course && !srv_is_uuid(course)) {
		srv_reply_error(r, SRV_ERR_BAD_REQUEST, "course", "'course' must be a course id");
		return;
	}
	if (srv_page_cursor(r, &pg, SRV_CURSOR_UUID) < 0)
		return;
	srv_page_query(r, &pg, &q_mine, (const char *[]){ r->caller.school_id, r->caller.user_id,
		course, pg.after, pg.limit_s }, SRV_ASSIGNMENT_ID, mine_row, NULL);
}

/* What a body of the routes below may carry. */
static const char *const grade_fields[] = {
	"score", "excused", "late", "missing", "comment", "rubric", "released", NULL
};

const struct srv_route srv_grade_routes[] = {
	SRV_ROUTE("GET", "/api/v1/submissions/{id:uuid}/grade", get, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("PUT", "/api/v1/submissions/{id:uuid}/grade", put,
	  SRV_PERM_TEACHER, 0, grade_fields),
	SRV_ROUTE("GET", "/api/v1/submissions/{id:uuid}/grade/history", history,
	  SRV_PERM_TEACHER, 0, NULL),
	SRV_ROUTE("PUT", "/api/v1/assignments/{id:uuid}/grades/{student_id:uuid}", put_student,
		  SRV_PERM_TEACHER, 0, grade_fields),
	SRV_ROUTE("POST", "/api/v1/assignments/{id:uuid}/release", release,
	  SRV_PERM_TEACHER, 0, NULL),
	SRV_ROUTE("GET", "/api/v1/grades", mine, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTES_END
};
