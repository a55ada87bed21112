/*
 * /api/v1/assignments/{id}/rubric: an assignment's rubric, criteria with scored levels.
 * Whoever may read the assignment reads its rubric; its teachers replace it whole (PUT) or
 * with a copy of another assignment's (POST .../copy). A rubric that grades already use
 * cannot be replaced: the grades' chosen levels would no longer mean anything.
 */
#include "config.h"

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
#include "kit/query.h"
#include "kit/work.h"
#include "model.h"
#include "xalloc.h"

#define MAX_CRITERIA 50
#define MAX_LEVELS 20

/* One row a level, its criterion's columns on each (a criterion without levels: NULL ones). */
#define RUBRIC_COLUMNS(first, next) \
	first(CRITERION_ID,           "c.id") \
	next(CRITERION_NAME,          "c.name") \
	next(CRITERION_DESCRIPTION,   "c.description") \
	next(CRITERION_POSITION,      "c.position") \
	next(LEVEL_ID,                "l.id") \
	next(LEVEL_NAME,              "l.name") \
	next(LEVEL_POINTS,            "l.points") \
	next(LEVEL_POSITION,          "l.position")
enum { DB_COLS_ENUM(RUBRIC_COLUMNS) };
static const struct db_stmt q_rubric = DB_STMT("rubric_get", 2,
	"SELECT " DB_COLS_SQL(RUBRIC_COLUMNS) " "
	"FROM rubric_criteria c "
	"LEFT JOIN rubric_levels l ON l.school_id = c.school_id AND l.criterion_id = c.id "
	"WHERE c.school_id = $1 AND c.assignment_id = $2 "
	"ORDER BY c.position, l.position");

/* The assignment's rubric as it is now in the transaction; NULL after a database failure. */
static cJSON *rubric_json(struct srv_req *r, const char *assignment_id, long version)
{
	struct edu_rubric rb;
	struct edu_rubric_criterion *c = NULL;
	PGresult *res = db_exec(r->tx, &q_rubric, (const char *[]){ r->caller.school_id,
								 assignment_id });
	cJSON *j;
	int n;

	if (!res)
		return NULL;
	memset(&rb, 0, sizeof(rb));
	rb.assignment_id = xstrdup(assignment_id);
	rb.version = version;
	n = PQntuples(res);
	/* at most one criterion per row, and as many levels as rows */
	rb.criteria = n ? xcalloc((size_t)n, sizeof(*rb.criteria)) : NULL;
	for (int i = 0; i < n; i++) {
		if (!c || strcmp(c->id, db_str(res, i, CRITERION_ID))) {
			c = &rb.criteria[rb.ncriteria++];
			c->id = db_dup(res, i, CRITERION_ID);
			c->name = db_dup(res, i, CRITERION_NAME);
			c->description = db_dup(res, i, CRITERION_DESCRIPTION);
			c->position = (int)db_long(res, i, CRITERION_POSITION);
			c->levels = xcalloc((size_t)n, sizeof(*c->levels));
		}
		if (!db_null(res, i, LEVEL_ID)) {
			struct edu_rubric_level *l = &c->levels[c->nlevels++];

			l->id = db_dup(res, i, LEVEL_ID);
			l->name = db_dup(res, i, LEVEL_NAME);
			l->points = db_double(res, i, LEVEL_POINTS);
			l->position = (int)db_long(res, i, LEVEL_POSITION);
		}
	}
	PQclear(res);
	j = edu_rubric_to_json(&rb);
	edu_rubric_release(&rb);
	return j;
}

/* Answers 200 with the assignment's rubric. */
static void reply_rubric(struct srv_req *r, const char *assignment_id, long version)
{
	cJSON *j = rubric_json(r, assignment_id, version);

	if (!j) {
		srv_reply_db_error(r);
		return;
	}
	srv_set_etag(r, version);
	srv_reply_json(r, 200, j);
}

/* ---- GET /assignments/{id}/rubric ---- */

static void get(struct srv_req *r)
{
	struct srv_work_assignment ga;

	if (srv_work_assignment_load(r, r->params[0], 0, SRV_NEED_READ, &ga) == 0)
		reply_rubric(r, ga.id, ga.rubric_version);
	srv_work_assignment_release(&ga);
}

/* ---- replacing ---- */

enum { IN_USE_GRADES };
static const struct db_stmt q_in_use = DB_STMT("rubric_in_use", 2,
	"SELECT count(*) FROM grade_rubric WHERE school_id = $1 AND assignment_id = $2");

static const struct db_stmt q_clear = DB_STMT("rubric_clear", 2,
	"DELETE FROM rubric_criteria WHERE school_id = $1 AND assignment_id = $2");

enum { BUMP_VERSION };
static const struct db_stmt q_bump = DB_STMT("rubric_bump", 2,
	"UPDATE assignments SET rubric_version = rubric_version + 1 "
	"WHERE school_id = $1 AND id = $2 RETURNING rubric_version");

/*
 * The checks before a rubric is replaced: the assignment locked, the caller one of its
 * teachers, If-Match (optional) matching, the course not archived, no grade using the
 * rubric. 0, or -1 after answering.
 */
static int may_replace(struct srv_req *r, struct srv_work_assignment *ga)
{
	PGresult *res;
	long if_match, used;
	int has_match;
	cJSON *cur;

	if (srv_work_assignment_load(r, r->params[0], 1, SRV_NEED_TEACH, ga) < 0 ||
	    (has_match = srv_if_match(r, &if_match)) < 0)
		return -1;
	if (has_match && if_match != ga->rubric_version) {
		if (!(cur = rubric_json(r, ga->id, ga->rubric_version)))
			srv_reply_db_error(r);
		else
			srv_reply_stale(r, cur);
		return -1;
	}
	if (ga->archived) {
		srv_reply_archived(r);
		return -1;
	}
	res = srv_exec(r, &q_in_use, (const char *[]){ r->caller.school_id, ga->id });
	if (!res)
		return -1;
	used = db_long(res, 0, IN_USE_GRADES);
	PQclear(res);
	if (used) {
		srv_reply_error(r, SRV_ERR_CONFLICT, NULL,
				"%ld grade%s use this rubric; clear their rubric assessment first",
				used, used == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

/* Deletes the assignment's rubric: 0, or -1 after answering. */
static int clear_rubric(struct srv_req *r, const struct srv_work_assignment *ga)
{
	PGresult *res = srv_exec(r, &q_clear, (const char *[]){ r->caller.school_id, ga->id });

	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

/* Bumps the rubric's version and answers with the rubric. */
static void finish(struct srv_req *r, const char *assignment_id)
{
	PGresult *res = db_exec(r->tx, &q_bump, (const char *[]){ r->caller.school_id,
							       assignment_id });

	if (!res || PQntuples(res) != 1) {
		if (res)
			srv_reply_internal(r, "the assignment vanished while its rubric changed");
		else
			srv_reply_db_error(r);
		PQclear(res);
		return;
	}
	reply_rubric(r, assignment_id, db_long(res, 0, BUMP_VERSION));
	PQclear(res);
}

/* ---- PUT /assignments/{id}/rubric ---- */

/* $3: [{"name","description","levels":[{"name","points"}]}], already checked. */
static const struct db_stmt q_insert = DB_STMT("rubric_insert", 3,
	"WITH src AS (SELECT e.v, e.ord - 1 AS position "
	"    FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY e(v, ord)), "
	"  c AS (INSERT INTO rubric_criteria (school_id, assignment_id, position, name, description) "
	"    SELECT $1, $2, src.position, src.v->>'name', src.v->>'description' FROM src "
	"    RETURNING id, position) "
	"INSERT INTO rubric_levels (school_id, criterion_id, position, name, points) "
	"SELECT $1, c.id, l.ord - 1, l.v->>'name', (l.v->>'points')::numeric "
	"FROM c JOIN src ON src.position = c.position "
	"CROSS JOIN jsonb_array_elements(src.v->'levels') WITH ORDINALITY l(v, ord)");

static const char *const criterion_fields[] = { "name", "description", "levels", NULL };
static const char *const level_fields[] = { "name", "points", NULL };

/* 0 when every member of obj is one of fields; else -1 after answering 400 naming it. */
static int known_fields(struct srv_req *r, const cJSON *obj, const char *const *fields,
			const char *path)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, obj) {
		const char *const *f;

		for (f = fields; *f; f++)
			if (!strcmp(*f, item->string))
				break;
		if (!*f) {
			char *name = xasprintf("%s.%s", path, item->string);

			srv_reply_error(r, SRV_ERR_UNKNOWN_FIELD, name, "unknown field '%s'", name);
			free(name);
			return -1;
		}
	}
	return 0;
}

/* A text member of obj: NULL after answering 422 naming path.key. */
static const char *text_member(struct srv_req *r, const cJSON *obj, const char *path,
			       const char *key, long minc, long maxc, int multiline, int nullable)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char *name = xasprintf("%s.%s", path, key), buf[SRV_WHY_LEN];
	const char *why = NULL;

	if ((!v || cJSON_IsNull(v)) && nullable) {
		free(name);
		return "";
	}
	if (!cJSON_IsString(v))
		why = "must be a string";
	else
		why = srv_text_check(v->valuestring, minc, maxc, multiline, buf);
	if (why) {
		srv_reply_error(r, SRV_ERR_INVALID, name, "'%s' %s", name, why);
		free(name);
		return NULL;
	}
	free(name);
	return v->valuestring;
}

/* The body's criteria checked and rewritten for q_insert (caller frees); NULL after answering. */
static char *read_criteria(struct srv_req *r)
{
	const cJSON *crit = cJSON_GetObjectItemCaseSensitive(r->json, "criteria"), *c;
	cJSON *out = NULL;
	char *text = NULL;
	int i = 0;

	if (!cJSON_IsArray(crit) || cJSON_GetArraySize(crit) > MAX_CRITERIA) {
		srv_reply_error(r, SRV_ERR_INVALID, "criteria",
				"'criteria' must be a list of at most %d criteria", MAX_CRITERIA);
		return NULL;
	}
	out = cJSON_CreateArray();
	cJSON_ArrayForEach(c, crit) {
		char path[48], lpath[80];
		const cJSON *levels = cJSON_GetObjectItemCaseSensitive(c, "levels"), *l;
		const char *name, *desc;
		cJSON *oc, *ol;
		int k = 0;

		snprintf(path, sizeof(path), "criteria[%d]", i++);
		if (!cJSON_IsObject(c)) {
			srv_reply_error(r, SRV_ERR_INVALID, path, "'%s' must be an object", path);
			goto fail;
		}
		if (known_fields(r, c, criterion_fields, path) < 0 ||
		    !(name = text_member(r, c, path, "name", 1, 200, 0, 0)) ||
		    !(desc = text_member(r, c, path, "description", 0, 2000, 1, 1)))
			goto fail;
		snprintf(lpath, sizeof(lpath), "%s.levels", path);
		if (!cJSON_IsArray(levels) || cJSON_GetArraySize(levels) < 1 ||
		    cJSON_GetArraySize(levels) > MAX_LEVELS) {
			srv_reply_error(r, SRV_ERR_INVALID, lpath,
					"'%s' must be a list of 1 to %d levels", lpath, MAX_LEVELS);
			goto fail;
		}
		oc = cJSON_CreateObject();
		cJSON_AddItemToArray(out, oc);
		cJSON_AddStringToObject(oc, "name", name);
		cJSON_AddStringToObject(oc, "description", desc);
		ol = cJSON_AddArrayToObject(oc, "levels");
		cJSON_ArrayForEach(l, levels) {
			char p[112], pp[128], pts[40];
			const char *lname;
			double points;
			cJSON *o;

			snprintf(p, sizeof(p), "%s[%d]", lpath, k++);
			if (!cJSON_IsObject(l)) {
				srv_reply_error(r, SRV_ERR_INVALID, p, "'%s' must be an object", p);
				goto fail;
			}
			if (known_fields(r, l, level_fields, p) < 0 ||
			    !(lname = text_member(r, l, p, "name", 1, 200, 0, 0)))
				goto fail;
			snprintf(pp, sizeof(pp), "%s.points", p);
			if (!cJSON_GetObjectItemCaseSensitive(l, "points")) {
				srv_reply_error(r, SRV_ERR_INVALID, pp, "'%s' is required", pp);
				goto fail;
			}
			if (srv_field_number(r, l, pp, "points", 0, 100000, 0, NULL, &points) < 0)
				goto fail;
			db_num_param(pts, sizeof(pts), points);
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "name", lname);
			cJSON_AddStringToObject(o, "points", pts);
			cJSON_AddItemToArray(ol, o);
		}
	}
	text = cJSON_PrintUnformatted(out);
	if (!text)
		abort();
fail:
	cJSON_Delete(out);
	return text;
}

static void put(struct srv_req *r)
{
	struct srv_work_assignment ga;
	char *criteria = NULL;
	PGresult *res;

	if (may_replace(r, &ga) < 0 || !(criteria = read_criteria(r)) || clear_rubric(r, &ga) < 0)
		goto out;
	res = srv_exec(r, &q_insert, (const char *[]){ r->caller.school_id, ga.id, criteria });
	if (!res)
		goto out;
	PQclear(res);
	finish(r, ga.id);
out:
	free(criteria);
	srv_work_assignment_release(&ga);
}

/* ---- POST /assignments/{id}/rubric/copy ---- */

/* $2: the assignment that gets the copy, $3: the one copied from. */
static const struct db_stmt q_copy = DB_STMT("rubric_copy", 3,
	"WITH cmap AS (SELECT c.id AS old_id, gen_random_uuid() AS new_id "
	"    FROM rubric_criteria c WHERE c.school_id = $1 AND c.assignment_id = $3), "
	"  cins AS (INSERT INTO rubric_criteria (school_id, id, assignment_id, position, name, "
	"      description) "
	"    SELECT c.school_id, m.new_id, $2, c.position, c.name, c.description "
	"    FROM rubric_criteria c JOIN cmap m ON m.old_id = c.id WHERE c.school_id = $1) "
	"INSERT INTO rubric_levels (school_id, criterion_id, position, name, points) "
	"SELECT l.school_id, m.new_id, l.position, l.name, l.points "
	"FROM rubric_levels l JOIN cmap m ON m.old_id = l.criterion_id WHERE l.school_id = $1");

static void copy(struct srv_req *r)
{
	struct srv_work_assignment ga;
	const char *from_id;
	PGresult *res;
	int readable;

	if (may_replace(r, &ga) < 0 || !(from_id = srv_body_str(r, "from", 1, 64, NULL)))
		goto out;
	if (!srv_is_uuid(from_id) || !strcasecmp(from_id, ga.id)) {
		srv_reply_error(r, SRV_ERR_INVALID, "from", "'from' must be the id of another "
				"assignment");
		goto out;
	}
	/* the source: any assignment the caller may read; otherwise it is not there */
	if (srv_work_assignment_readable(r, from_id, &readable) < 0)
		goto out;
	if (!readable) {
		srv_reply_error(r, SRV_ERR_INVALID, "from", "'from' is not an assignment you may read");
		goto out;
	}
	if (clear_rubric(r, &ga) < 0)
		goto out;
	res = srv_exec(r, &q_copy, (const char *[]){ r->caller.school_id, ga.id, from_id });
	if (!res)
		goto out;
	PQclear(res);
	finish(r, ga.id);
out:
	srv_work_assignment_release(&ga);
}

const struct srv_route srv_rubric_routes[] = {
	SRV_ROUTE("GET", "/api/v1/assignments/{id:uuid}/rubric", get, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("PUT", "/api/v1/assignments/{id:uuid}/rubric", put, SRV_PERM_TEACHER, 0,
	  SRV_FIELDS("criteria")),
	SRV_ROUTE("POST", "/api/v1/assignments/{id:uuid}/rubric/copy", copy, SRV_PERM_TEACHER, 0,
	  SRV_FIELDS("from")),
	SRV_ROUTES_END
};
