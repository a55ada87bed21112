/*
 * /api/v1/schools: the tenants. A super_admin sees and creates every school; anyone else
 * sees their own. Creating a school also creates its first school_admin, with an
 * activation code shown once, in the same transaction: a school is never left without
 * someone to run it.
 */
#include "config.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/code.h"
#include "auth/user.h"
#include "core/conf.h"
#include "core/req.h"
#include "core/route.h"
#include "db/db.h"
#include "kit/body.h"
#include "kit/fields.h"
#include "kit/page.h"
#include "kit/query.h"
#include "xalloc.h"

#define SCHOOL_COLUMNS(first, next) \
	first(SCHOOL_ID,          "s.id") \
	next(SCHOOL_SLUG,         "s.slug") \
	next(SCHOOL_NAME,         "s.name") \
	next(SCHOOL_CREATED_AT,   DB_TS("s.created_at")) \
	next(SCHOOL_VERSION,      "s.version")
enum school_col { DB_COLS_ENUM(SCHOOL_COLUMNS) SCHOOL_NCOLS };
#define SCHOOL_COLS DB_COLS_SQL(SCHOOL_COLUMNS)

/* Points s's strings into res (valid until PQclear(res); do not release s). */
static void school_from_row(struct edu_school *s, const PGresult *res, int row)
{
	s->id = (char *)db_str(res, row, SCHOOL_ID);
	s->slug = (char *)db_str(res, row, SCHOOL_SLUG);
	s->name = (char *)db_str(res, row, SCHOOL_NAME);
	s->created_at = (char *)db_str(res, row, SCHOOL_CREATED_AT);
	s->version = db_long(res, row, SCHOOL_VERSION);
}

static cJSON *school_json(const PGresult *res, int row)
{
	struct edu_school s;

	school_from_row(&s, res, row);
	return edu_school_to_json(&s);
}

/* $1: the caller is a super_admin; $2 the caller's school; $3 the cursor (a slug). */
static const struct db_stmt q_school_list = DB_STMT("school_list", 4,
	"SELECT " SCHOOL_COLS " FROM schools s "
	"WHERE ($1::bool OR s.id = $2) AND ($3::text IS NULL OR s.slug > $3) "
	"ORDER BY s.slug LIMIT $4::int + 1");

static cJSON *school_row(const PGresult *res, int row, void *ctx)
{
	(void)ctx;
	return school_json(res, row);
}

static void list(struct srv_req *r)
{
	struct srv_page pg;

	if (srv_page_start(r, &pg, SRV_CURSOR_TEXT) < 0)
		return;
	/* the cursor is the slug (column 1) */
	srv_page_query(r, &pg, &q_school_list, (const char *[]){
		r->caller.role == EDU_ROLE_SUPER_ADMIN ? "t" : "f", r->caller.school_id, pg.after,
		pg.limit_s }, SCHOOL_SLUG, school_row, NULL);
}

static const struct db_stmt q_school_create = DB_STMT("school_create", 2,
	"INSERT INTO schools AS s (slug, name) VALUES ($1, $2) RETURNING " SCHOOL_COLS);

enum { ADMIN_EXPIRES_AT = SRV_USER_NCOLS };
static const struct db_stmt q_school_admin = DB_STMT("school_admin_create", 6,
	"INSERT INTO users AS u (school_id, username, email, display_name, role, "
	"  activation_hash, activation_expires_at) "
	"VALUES ($1, $2, $3, $4, 'school_admin', $5, now() + make_interval(secs => $6::int)) "
	"RETURNING " SRV_USER_COLS ", " DB_TS("u.activation_expires_at"));

static const char *const admin_fields[] = { "username", "email", "display_name", NULL };

/* The "admin" object: its fields into the out-parameters; -1 after answering. */
static int admin_args(struct srv_req *r, const char **username, const char **email,
		      const char **name)
{
	const cJSON *admin = cJSON_GetObjectItemCaseSensitive(r->json, "admin"), *item;
	const char *why;
	cJSON *saved = r->json;
	int rc = -1;

	if (!cJSON_IsObject(admin)) {
		srv_reply_error(r, SRV_ERR_INVALID, "admin",
				"'admin' is an object: {\"username\", \"email\"?, \"display_name\"?}");
		return -1;
	}
	cJSON_ArrayForEach(item, admin) {
		const char *const *f;

		for (f = admin_fields; *f && strcmp(*f, item->string); f++)
			;
		if (!*f) {
			srv_reply_error(r, SRV_ERR_UNKNOWN_FIELD, item->string,
					"unknown field 'admin.%s'", item->string);
			return -1;
		}
	}
	/* the body helpers read r->json: point them at the nested object for a moment */
	r->json = (cJSON *)admin;
	if (!(*username = srv_body_str(r, "username", 1, 64, NULL)) ||
	    srv_field_opt_text(r, "email", srv_check_email, email) < 0 ||
	    srv_field_opt_text(r, "display_name", srv_check_display_name, name) < 0)
		goto out;
	if ((why = srv_check_username(*username))) {
		srv_reply_error(r, SRV_ERR_INVALID, "username", "%s", why);
		goto out;
	}
	rc = 0;
out:
	r->json = saved;
	return rc;
}

static void create(struct srv_req *r)
{
	const char *slug, *name, *why, *username, *email, *display;
	char school[37], hash[65], ttl[24], *code = NULL;
	PGresult *s = NULL, *u = NULL;
	cJSON *j, *admin;

	if (!(slug = srv_body_str(r, "slug", 1, 63, NULL)) ||
	    !(name = srv_body_str(r, "name", 1, 800, NULL)))
		return;
	if ((why = srv_check_slug(slug))) {
		srv_reply_error(r, SRV_ERR_INVALID, "slug", "%s", why);
		return;
	}
	if ((why = srv_check_display_name(name))) {
		srv_reply_error(r, SRV_ERR_INVALID, "name", "a school's name is 1 to 200 characters "
				"of text without control characters");
		return;
	}
	if (admin_args(r, &username, &email, &display) < 0)
		return;
	s = db_exec(r->tx, &q_school_create, (const char *[]){ slug, name });
	if (!s) {
		srv_reply_db_conflict(r, "slug", "a school '%s' exists already", slug);
		goto out;
	}
	snprintf(school, sizeof(school), "%s", db_str(s, 0, SCHOOL_ID));
	if (srv_tx_set_school(r, school) < 0)
		goto out;
	code = srv_code_new(hash);
	snprintf(ttl, sizeof(ttl), "%ld", srv_cfg.activation_ttl);
	u = srv_exec(r, &q_school_admin, (const char *[]){
		school, username, email, display, hash, ttl });
	if (!u)
		goto out;
	j = school_json(s, 0);
	admin = srv_user_json(u, 0, 0);
	cJSON_AddStringToObject(admin, "activation_code", code);
	cJSON_AddStringToObject(admin, "activation_expires_at",
				db_str(u, 0, ADMIN_EXPIRES_AT));
	cJSON_AddItemToObject(j, "admin", admin);
	{
		char *loc = xasprintf("/api/v1/schools/%s", school);
		srv_set_header(r, "Location", loc);
		free(loc);
	}
	srv_reply_json(r, 201, j);
out:
	if (code) {
		OPENSSL_cleanse(code, strlen(code));
		free(code);
	}
	PQclear(u);
	PQclear(s);
}

static const struct db_stmt q_school_get = DB_STMT("school_get", 1,
	"SELECT " SCHOOL_COLS " FROM schools s WHERE s.id = $1");

static void get(struct srv_req *r)
{
	const char *id = r->params[0];
	PGresult *res;

	/* a school not the caller's is "not found" to anyone but a super_admin */
	if (r->caller.role != EDU_ROLE_SUPER_ADMIN && strcmp(id, r->caller.school_id)) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such school");
		return;
	}
	res = srv_exec(r, &q_school_get, (const char *[]){ id });
	if (!res)
		return;
	if (PQntuples(res) != 1) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such school");
	} else {
		srv_set_etag(r, db_long(res, 0, SCHOOL_VERSION));
		srv_reply_json(r, 200, school_json(res, 0));
	}
	PQclear(res);
}

const struct srv_route srv_school_routes[] = {
	SRV_ROUTE("GET", "/api/v1/schools", list, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("POST", "/api/v1/schools", create, SRV_PERM_SUPER, SRV_ROUTE_SECRET_ANSWER,
	  SRV_FIELDS("slug", "name", "admin")),
	SRV_ROUTE("GET", "/api/v1/schools/{id:uuid}", get, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTES_END
};
