/*
 * Helpers the course-work handlers share (see grading.h): an assignment or a submission
 * read with the caller's standing in its course in one query, rows to JSON, and the body
 * fields and query flags of those routes.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/req.h"
#include "core/text.h"
#include "db/db.h"
#include "kit/courses.h"
#include "kit/grading.h"
#include "kit/query.h"
#include "xalloc.h"

static char *val(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

static int is_true(const PGresult *res, int row, int col)
{
	return !PQgetisnull(res, row, col) && PQgetvalue(res, row, col)[0] == 't';
}

void gr_assignment_from_row(struct edu_assignment *a, const PGresult *res, int row, int col)
{
	cJSON *types = cJSON_Parse(PQgetvalue(res, row, col + 8)), *t;

	memset(a, 0, sizeof(*a));
	a->id = val(res, row, col);
	a->course_id = val(res, row, col + 1);
	a->title = val(res, row, col + 2);
	a->instructions = val(res, row, col + 3);
	a->due_at = val(res, row, col + 4);
	a->points_possible = strtod(PQgetvalue(res, row, col + 5), NULL);
	a->category = val(res, row, col + 6);
	a->submission_kind = val(res, row, col + 7);
	if (cJSON_GetArraySize(types) > 0)
		a->allowed_types = xcalloc((size_t)cJSON_GetArraySize(types),
					   sizeof(*a->allowed_types));
	cJSON_ArrayForEach(t, types)
		if (cJSON_IsString(t))
			a->allowed_types[a->nallowed_types++] = xstrdup(t->valuestring);
	cJSON_Delete(types);
	a->max_file_size = strtoll(PQgetvalue(res, row, col + 9), NULL, 10);
	a->late_policy = val(res, row, col + 10);
	a->published = is_true(res, row, col + 11);
	a->version = atol(PQgetvalue(res, row, col + 12));
}

cJSON *gr_assignment_json(const PGresult *res, int row, int col)
{
	struct edu_assignment a;
	cJSON *j;

	gr_assignment_from_row(&a, res, row, col);
	j = edu_assignment_to_json(&a);
	edu_assignment_release(&a);
	return j;
}

int gr_grade_from_row(struct edu_grade *g, const PGresult *res, int row, int col)
{
	cJSON *rubric, *c;

	memset(g, 0, sizeof(*g));
	if (PQgetisnull(res, row, col))
		return -1;
	g->assignment_id = val(res, row, col);
	g->student_id = val(res, row, col + 1);
	g->submission_id = val(res, row, col + 2);
	if ((g->has_score = !PQgetisnull(res, row, col + 3)))
		g->score = strtod(PQgetvalue(res, row, col + 3), NULL);
	if ((g->has_rubric_score = !PQgetisnull(res, row, col + 4)))
		g->rubric_score = strtod(PQgetvalue(res, row, col + 4), NULL);
	g->excused = is_true(res, row, col + 5);
	g->late = is_true(res, row, col + 6);
	g->missing = is_true(res, row, col + 7);
	g->comment = val(res, row, col + 8);
	g->released = is_true(res, row, col + 9);
	g->graded_by = val(res, row, col + 10);
	g->graded_at = val(res, row, col + 11);
	g->version = atol(PQgetvalue(res, row, col + 12));
	rubric = cJSON_Parse(PQgetvalue(res, row, col + 13));
	if (cJSON_GetArraySize(rubric) > 0)
		g->rubric = xcalloc((size_t)cJSON_GetArraySize(rubric), sizeof(*g->rubric));
	cJSON_ArrayForEach(c, rubric) {
		struct edu_rubric_choice *rc = &g->rubric[g->nrubric++];

		rc->criterion_id = xstrdup(edu_json_str(c, "criterion_id") ?: "");
		rc->level_id = xstrdup(edu_json_str(c, "level_id") ?: "");
		rc->points = edu_json_num(c, "points", 0);
	}
	cJSON_Delete(rubric);
	return 0;
}

void gr_grade_blank(struct edu_grade *g, const char *assignment_id, const char *student_id)
{
	memset(g, 0, sizeof(*g));
	g->assignment_id = xstrdup(assignment_id);
	g->student_id = xstrdup(student_id);
}

cJSON *gr_submission_json(const PGresult *res, int row, int col, int gcol, int released_only)
{
	struct edu_submission s;
	struct edu_grade g;
	cJSON *files, *f, *j;

	memset(&s, 0, sizeof(s));
	s.id = val(res, row, col);
	s.assignment_id = val(res, row, col + 1);
	s.student.id = val(res, row, col + 2);
	s.student.username = val(res, row, col + 3);
	s.student.display_name = val(res, row, col + 4);
	s.attempt = atoi(PQgetvalue(res, row, col + 5));
	s.text = val(res, row, col + 6);
	s.submitted_at = val(res, row, col + 7);
	s.late = is_true(res, row, col + 8);
	files = cJSON_Parse(PQgetvalue(res, row, col + 9));
	if (cJSON_GetArraySize(files) > 0)
		s.files = xcalloc((size_t)cJSON_GetArraySize(files), sizeof(*s.files));
	cJSON_ArrayForEach(f, files)
		if (edu_file_from_json(&s.files[s.nfiles], f) == 0)
			s.nfiles++;
	cJSON_Delete(files);
	if (gcol >= 0 && gr_grade_from_row(&g, res, row, gcol) == 0) {
		if (g.released || !released_only) {
			s.grade = xmalloc(sizeof(*s.grade));
			*s.grade = g;
		} else {
			edu_grade_release(&g);
		}
	}
	j = edu_submission_to_json(&s);
	edu_submission_release(&s);
	return j;
}

/* ---- an assignment and the caller's standing ---- */

#define ASSIGNMENT_LOAD(lock) \
	"SELECT " GR_ASSIGNMENT_COLS ", c.archived, m.role, " \
	"  a.due_at IS NOT NULL AND now() > a.due_at, a.rubric_version " \
	"FROM assignments a JOIN courses c ON c.school_id = a.school_id AND c.id = a.course_id " \
	"LEFT JOIN course_members m ON m.school_id = a.school_id AND m.course_id = a.course_id " \
	"  AND m.user_id = $3 " \
	"WHERE a.school_id = $1 AND a.id = $2" lock

static const struct db_stmt q_assignment_load = DB_STMT("gr_assignment_load", 3,
	ASSIGNMENT_LOAD(""));
static const struct db_stmt q_assignment_lock = DB_STMT("gr_assignment_lock", 3,
	ASSIGNMENT_LOAD(" FOR NO KEY UPDATE OF a"));

/* 0 when the caller's standing access meets need; else -1 after answering 403 or 404. */
static int check_need(struct srv_req *r, int access, int published, enum gr_need need,
		      const char *what)
{
	if (access == SRV_COURSE_NONE || (access == SRV_COURSE_STUDENT && !published)) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such %s", what);
		return -1;
	}
	if (need == GR_TEACH && access != SRV_COURSE_TEACHER) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, NULL,
				"only the course's teachers and administrators may do this");
		return -1;
	}
	if (need == GR_SUBMIT && access != SRV_COURSE_STUDENT) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, NULL,
				"only the course's students submit work");
		return -1;
	}
	return 0;
}

/* Reads assignment id into ga: 1 found, 0 not there, -1 after a database failure (answered). */
static int assignment_read(struct srv_req *r, const char *id, int lock, struct gr_assignment *ga)
{
	const int x = GR_ASSIGNMENT_NCOLS;
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

int gr_assignment_load(struct srv_req *r, const char *id, int lock, enum gr_need need,
		       struct gr_assignment *ga)
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

int gr_assignment_readable(struct srv_req *r, const char *id, int *readable)
{
	struct gr_assignment ga;
	int rc = assignment_read(r, id, 0, &ga);

	*readable = rc > 0 && ga.access != SRV_COURSE_NONE &&
		    (ga.access == SRV_COURSE_TEACHER || ga.published);
	gr_assignment_release(&ga);
	return rc < 0 ? -1 : 0;
}

void gr_assignment_release(struct gr_assignment *ga)
{
	PQclear(ga->res);
	memset(ga, 0, sizeof(*ga));
}

/* ---- a submission and the caller's standing ---- */

static const struct db_stmt q_submission_load = DB_STMT("gr_submission_load", 3,
	"SELECT s.id, s.assignment_id, s.student_id, a.course_id, a.published, c.archived, "
	"  m.role, s.late "
	"FROM submissions s "
	"JOIN assignments a ON a.school_id = s.school_id AND a.id = s.assignment_id "
	"JOIN courses c ON c.school_id = a.school_id AND c.id = a.course_id "
	"LEFT JOIN course_members m ON m.school_id = a.school_id AND m.course_id = a.course_id "
	"  AND m.user_id = $3 "
	"WHERE s.school_id = $1 AND s.id = $2");

int gr_submission_load(struct srv_req *r, const char *id, enum gr_need need,
		       struct gr_submission *gs)
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

void gr_submission_release(struct gr_submission *gs)
{
	PQclear(gs->res);
	memset(gs, 0, sizeof(*gs));
}

/* ---- parameters and fields ---- */

const char *gr_text_check(const char *str, long minc, long maxc, int multiline,
			  char why[GR_WHY_LEN])
{
	const unsigned char *s = (const unsigned char *)str;
	long n = 0;

	while (*s) {
		int extra = *s < 0x80 ? 0 : (*s & 0xe0) == 0xc0 ? 1 : (*s & 0xf0) == 0xe0 ? 2
			  : (*s & 0xf8) == 0xf0 ? 3 : -1;

		if (extra < 0 || (extra == 1 && *s < 0xc2) || *s == 0x7f ||
		    (*s < 0x20 && !(multiline && (*s == '\n' || *s == '\r' || *s == '\t'))) ||
		    (*s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f))
			return multiline ? "must be UTF-8 text without control characters other "
					   "than line breaks and tabs"
					 : "must be one line of UTF-8 text without control characters";
		s++;
		for (int i = 0; i < extra; i++, s++)
			if ((*s & 0xc0) != 0x80)
				return "must be valid UTF-8";
		n++;
	}
	if (n < minc || n > maxc) {
		snprintf(why, GR_WHY_LEN, "must be %ld to %ld characters long", minc, maxc);
		return why;
	}
	return NULL;
}

const char *gr_path_id(struct srv_req *r, int i, const char *what)
{
	if (r->nparams <= i || !srv_is_uuid(r->params[i])) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such %s", what);
		return NULL;
	}
	return r->params[i];
}

int gr_field_number(struct srv_req *r, const cJSON *obj, const char *name, const char *key,
		    double min, double max, int nullable, int *isnull, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (isnull)
		*isnull = 0;
	if (!v)
		return 0;
	if (cJSON_IsNull(v) && nullable) {
		*isnull = 1;
		return 1;
	}
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < min ||
	    v->valuedouble > max) {
		srv_reply_error(r, SRV_ERR_INVALID, name, "'%s' must be a number from %g to %g%s",
				name, min, max, nullable ? ", or null" : "");
		return -1;
	}
	*out = v->valuedouble;
	return 1;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* 1 when s is an RFC 3339 date-time: 2026-11-25T13:00:00Z, with fractions or an offset. */
static int rfc3339(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int year, month, day;
	const char *p;

	if (strlen(s) < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
		return 0;
	year = num(s, 4);
	month = num(s + 5, 2);
	day = num(s + 8, 2);
	if (year < 1 || month < 1 || month > 12 || day < 1 || day > mdays[month - 1] ||
	    (month == 2 && day == 29 && (year % 4 || (year % 100 == 0 && year % 400))) ||
	    num(s + 11, 2) > 23 || num(s + 14, 2) > 59 || num(s + 17, 2) > 60)
		return 0;
	p = s + 19;
	if (*p == '.') {
		int n = 0;

		while (isdigit((unsigned char)*++p))
			n++;
		if (n < 1 || n > 9)
			return 0;
	}
	if ((*p == 'Z' || *p == 'z') && !p[1])
		return 1;
	return (*p == '+' || *p == '-') && digits(p + 1, 2) && p[3] == ':' && digits(p + 4, 2) &&
	       !p[6] && num(p + 1, 2) <= 23 && num(p + 4, 2) <= 59;
}

int gr_field_time(struct srv_req *r, const char *key, const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, key);

	*out = NULL;
	if (!v)
		return 0;
	if (cJSON_IsNull(v))
		return 1;
	if (!cJSON_IsString(v) || !rfc3339(v->valuestring)) {
		srv_reply_error(r, SRV_ERR_INVALID, key,
				"'%s' must be an RFC 3339 time such as 2026-11-25T13:00:00Z, or null",
				key);
		return -1;
	}
	*out = v->valuestring;
	return 1;
}

int gr_query_flag(struct srv_req *r, const char *key, int *on)
{
	const char *v = srv_req_query(r, key);

	*on = 0;
	if (!v)
		return 0;
	if (!strcmp(v, "1") || !strcmp(v, "true"))
		*on = 1;
	else if (strcmp(v, "0") && strcmp(v, "false")) {
		srv_reply_error(r, SRV_ERR_BAD_REQUEST, key, "'%s' must be 1 or 0", key);
		return -1;
	}
	return 0;
}

void gr_num_param(char *buf, size_t len, double v)
{
	/* numeric(10,2) columns round to hundredths */
	snprintf(buf, len, "%.6f", v);
}
