/*
 * /api/v1/users...: the caller's own account (/users/me) and, for admin and above, the
 * users of their school. A super_admin adds ?school=SLUG to act in another school.
 *
 * Role rules (docs/api.md): an admin gives student, teacher and admin; a school_admin also
 * school_admin; only a super_admin gives super_admin. Nobody changes their own role or
 * disables or resets themselves, and a user whose role is above the caller's is out of
 * the caller's reach. Changing a role or disabling a user bumps token_version, so the
 * user's access tokens stop working at once.
 */
#include "config.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/caller.h"
#include "auth/code.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "auth/user.h"
#include "core/conf.h"
#include "core/req.h"
#include "core/route.h"
#include "db/db.h"
#include "kit/body.h"
#include "kit/fields.h"
#include "kit/page.h"
#include "kit/query.h"
#include "kit/school.h"
#include "xalloc.h"

/* 1 when a caller of role `caller` may give `role` (docs/api.md, "Roles"). */
static int can_grant(enum edu_role caller, enum edu_role role)
{
	if (role < 0 || role >= EDU_ROLE__COUNT || caller < EDU_ROLE_ADMIN)
		return 0;
	if (caller == EDU_ROLE_SUPER_ADMIN)
		return 1;
	/* an admin gives up to admin; a school_admin up to school_admin */
	return role <= caller;
}

static const struct db_stmt q_user_get = DB_STMT("user_get", 2,
	"SELECT " SRV_USER_COLS " FROM users u WHERE u.school_id = $1 AND u.id = $2");

static const struct db_stmt q_user_lock = DB_STMT("user_lock", 2,
	"SELECT " SRV_USER_COLS " FROM users u WHERE u.school_id = $1 AND u.id = $2 "
	"FOR UPDATE");

static void reply_user(struct srv_req *r, int status, const PGresult *res)
{
	srv_set_etag(r, db_long(res, 0, SRV_USER_VERSION));
	srv_reply_json(r, status, srv_user_json(res, 0, 0));
}

/* Locks the target user row: the result, or NULL after answering (404, database). */
static PGresult *lock_target(struct srv_req *r, const char *school, const char *id)
{
	PGresult *res = srv_exec(r, &q_user_lock, (const char *[]){ school, id });

	if (!res)
		return NULL;
	if (PQntuples(res) != 1) {
		PQclear(res);
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such user");
		return NULL;
	}
	return res;
}

/* 1 when the target's role is above the caller's (after answering 403). */
static int out_of_reach(struct srv_req *r, const PGresult *target)
{
	if (edu_role_from_name(db_str(target, 0, SRV_USER_ROLE)) <= r->caller.role)
		return 0;
	srv_reply_error(r, SRV_ERR_FORBIDDEN, NULL, "this user's role is above yours");
	return 1;
}

/* ---- /users/me ---- */

static void me_get(struct srv_req *r)
{
	const struct edu_user *u = srv_auth_user(r);

	if (!u) {
		srv_reply_internal(r, "no user row from authentication");
		return;
	}
	srv_set_etag(r, u->version);
	srv_reply_json(r, 200, edu_user_to_json(u));
}

/* Sets display_name and email when their flag is true; $7: the If-Match version or NULL. */
static const struct db_stmt q_me_put = DB_STMT("user_me_put", 7,
	"UPDATE users u SET "
	"  display_name = CASE WHEN $3::bool THEN $4 ELSE u.display_name END, "
	"  email = CASE WHEN $5::bool THEN $6 ELSE u.email END, "
	"  version = u.version + 1, updated_at = now() "
	"WHERE u.school_id = $1 AND u.id = $2 AND ($7::int IS NULL OR u.version = $7::int) "
	"RETURNING " SRV_USER_COLS);

static void me_put(struct srv_req *r)
{
	const struct edu_user *me = srv_auth_user(r);
	const char *name, *email;
	char ver[24];
	long if_match;
	int has_name, has_email, has_match;
	PGresult *res;

	if ((has_name = srv_field_opt_text(r, "display_name", srv_check_display_name, &name)) < 0 ||
	    (has_email = srv_field_opt_text(r, "email", srv_check_email, &email)) < 0 ||
	    (has_match = srv_if_match(r, &if_match)) < 0)
		return;
	if (!me) {
		srv_reply_internal(r, "no user row from authentication");
		return;
	}
	if (has_match && if_match != me->version) {
		srv_reply_stale(r, edu_user_to_json(me));
		return;
	}
	if (!has_name && !has_email) {
		srv_set_etag(r, me->version);
		srv_reply_json(r, 200, edu_user_to_json(me));
		return;
	}
	snprintf(ver, sizeof(ver), "%ld", if_match);
	res = db_exec(r->tx, &q_me_put, (const char *[]){
		r->caller.school_id, r->caller.user_id, has_name ? "t" : "f", name,
		has_email ? "t" : "f", email, has_match ? ver : NULL });
	if (!res) {
		srv_reply_db_conflict(r, "email",
				      "another user of this school has that email address");
		return;
	}
	if (PQntuples(res) != 1)
		/* the row changed between authentication and now */
		srv_reply_error(r, SRV_ERR_VERSION_MISMATCH, NULL,
				"it was changed since the version given in If-Match");
	else
		reply_user(r, 200, res);
	PQclear(res);
}

/* ---- POST /users/me/password ---- */

enum { ME_HASH };
static const struct db_stmt q_me_hash = DB_STMT("user_me_hash", 2,
	"SELECT password_hash FROM users WHERE school_id = $1 AND id = $2 FOR UPDATE");

enum { ME_TOKEN_VERSION = SRV_USER_NCOLS };
static const struct db_stmt q_me_password = DB_STMT("user_me_password", 3,
	"UPDATE users u SET password_hash = $3, version = u.version + 1, updated_at = now() "
	"WHERE u.school_id = $1 AND u.id = $2 "
	"RETURNING " SRV_USER_COLS ", u.token_version");

static void me_password(struct srv_req *r)
{
	const char *school = r->caller.school_id, *uid = r->caller.user_id;
	const char *current, *fresh, *why;
	char hash[SRV_PASSWORD_HASH_MAX] = "", *refresh = NULL, attempt[37];
	PGresult *res = NULL;
	long wait;
	int rc;

	if (!(current = srv_body_str(r, "current_password", 1, 1024, NULL)) ||
	    !(fresh = srv_body_str(r, "new_password", 1, 1024, NULL)))
		return;
	if ((why = srv_password_policy(fresh))) {
		srv_reply_error(r, SRV_ERR_INVALID, "new_password", "%s", why);
		return;
	}
	/*
	 * Counted as a failure first (in a transaction of its own: nothing ran in the
	 * request's yet), forgiven when the password is right, like a login's.
	 */
	wait = srv_throttle_attempt(r, school, uid, attempt);
	if (wait != 0) {
		if (wait < 0)
			srv_reply_db_error(r);
		else
			srv_reply_throttled(r, wait);
		goto out;
	}
	res = db_exec(r->tx, &q_me_hash, (const char *[]){ school, uid });
	if (!res || PQntuples(res) != 1) {
		if (res)
			srv_reply_internal(r, "the caller's row vanished");
		else
			srv_reply_db_error(r);
		goto out;
	}
	rc = srv_password_check(current, db_str(res, 0, ME_HASH));
	PQclear(res);
	res = NULL;
	if (rc != 0 && srv_throttle_forgive(r, school, attempt) < 0) {
		srv_reply_db_error(r);
		goto out;
	}
	if (rc < 0) {
		srv_reply_busy(r);
		goto out;
	}
	if (!rc) {
		/* counted like a failed login: a stolen session must not become a guessing oracle */
		if (srv_tx_end(r, 1) < 0) {
			srv_reply_db_error(r);
			goto out;
		}
		srv_reply_error(r, SRV_ERR_BAD_CREDENTIALS, "current_password",
				"the current password is wrong");
		goto out;
	}
	if (srv_password_hash(fresh, hash, sizeof(hash)) < 0) {
		srv_reply_busy(r);
		goto out;
	}
	if (srv_sessions_end(r, school, uid) < 0 ||
	    !(res = db_exec(r->tx, &q_me_password, (const char *[]){ school, uid, hash })) ||
	    !(refresh = srv_session_refresh_new(r, school, uid))) {
		srv_reply_db_error(r);
		goto out;
	}
	/* every session ended, this one included; it goes on with the session answered here */
	srv_reply_session(r, res, 0, 0, db_long(res, 0, ME_TOKEN_VERSION), refresh,
			   srv_cfg.refresh_ttl);
out:
	OPENSSL_cleanse(hash, sizeof(hash));
	if (refresh) {
		OPENSSL_cleanse(refresh, strlen(refresh));
		free(refresh);
	}
	PQclear(res);
}

/* ---- GET /users ---- */

/* $2 role, $3 search text, $4 cursor (lower(username) of the last row seen), $5 limit. */
enum { LIST_CURSOR = SRV_USER_NCOLS };
static const struct db_stmt q_user_list = DB_STMT("user_list", 5,
	"SELECT " SRV_USER_COLS ", lower(u.username) FROM users u "
	"WHERE u.school_id = $1 AND ($2::text IS NULL OR u.role = $2) "
	"  AND ($3::text IS NULL OR strpos(lower(u.username), lower($3)) > 0 "
	"    OR strpos(lower(coalesce(u.display_name, '')), lower($3)) > 0 "
	"    OR strpos(lower(coalesce(u.email, '')), lower($3)) > 0) "
	"  AND ($4::text IS NULL OR lower(u.username) > $4) "
	"ORDER BY lower(u.username) LIMIT $5::int + 1");

static cJSON *user_row(const PGresult *res, int row, void *ctx)
{
	(void)ctx;
	return srv_user_json(res, row, 0);
}

static void list(struct srv_req *r)
{
	const char *role = srv_req_query(r, "role"), *q = srv_req_query(r, "q");
	struct srv_page pg;
	char school[37];

	if (srv_acting_school(r, school) < 0 || srv_page_start(r, &pg, SRV_CURSOR_TEXT) < 0)
		return;
	if (role && edu_role_from_name(role) == EDU_ROLE_NONE) {
		srv_reply_error(r, SRV_ERR_BAD_REQUEST, "role", "no such role '%s'", role);
		return;
	}
	if (q && (!*q || strlen(q) > 100)) {
		srv_reply_error(r, SRV_ERR_BAD_REQUEST, "q", "'q' must be 1 to 100 bytes long");
		return;
	}
	srv_page_query(r, &pg, &q_user_list, (const char *[]){ school, role, q, pg.after,
		pg.limit_s }, LIST_CURSOR, user_row, NULL);
}

/* ---- POST /users ---- */

enum { CREATE_EXPIRES_AT = SRV_USER_NCOLS };
static const struct db_stmt q_user_create = DB_STMT("user_create", 7,
	"INSERT INTO users AS u (school_id, username, email, display_name, role, "
	"  activation_hash, activation_expires_at) "
	"VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7::int)) "
	"RETURNING " SRV_USER_COLS ", " DB_TS("u.activation_expires_at"));

static void create(struct srv_req *r)
{
	const char *username, *email, *name, *role, *why;
	char school[37], hash[65], ttl[24], *code = NULL, *loc;
	enum edu_role want;
	PGresult *res;
	cJSON *j;

	if (srv_acting_school(r, school) < 0 ||
	    !(username = srv_body_str(r, "username", 1, 64, NULL)) ||
	    srv_field_opt_text(r, "email", srv_check_email, &email) < 0 ||
	    srv_field_opt_text(r, "display_name", srv_check_display_name, &name) < 0 ||
	    !(role = srv_body_str(r, "role", 1, 32, NULL)))
		return;
	if ((why = srv_check_username(username))) {
		srv_reply_error(r, SRV_ERR_INVALID, "username", "%s", why);
		return;
	}
	want = edu_role_from_name(role);
	if (want == EDU_ROLE_NONE) {
		srv_reply_error(r, SRV_ERR_INVALID, "role", "no such role '%s'", role);
		return;
	}
	if (!can_grant(r->caller.role, want)) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, "role", "you may not give the role %s", role);
		return;
	}
	code = srv_code_new(hash);
	snprintf(ttl, sizeof(ttl), "%ld", srv_cfg.activation_ttl);
	res = db_exec(r->tx, &q_user_create, (const char *[]){
		school, username, email, name, role, hash, ttl });
	if (!res) {
		srv_reply_db_conflict(r, "username",
				      "this school already has a user with that username or email");
		goto out;
	}
	j = srv_user_json(res, 0, 0);
	cJSON_AddStringToObject(j, "activation_code", code);
	cJSON_AddStringToObject(j, "activation_expires_at", db_str(res, 0, CREATE_EXPIRES_AT));
	loc = xasprintf("/api/v1/users/%s", db_str(res, 0, SRV_USER_ID));
	srv_set_header(r, "Location", loc);
	free(loc);
	srv_set_etag(r, db_long(res, 0, SRV_USER_VERSION));
	srv_reply_json(r, 201, j);
	PQclear(res);
out:
	if (code) {
		OPENSSL_cleanse(code, strlen(code));
		free(code);
	}
}

/* ---- GET /users/{id} ---- */

static void get(struct srv_req *r)
{
	char school[37];
	const char *id;
	PGresult *res;

	if (srv_acting_school(r, school) < 0)
		return;
	id = r->params[0];
	/* to anyone below admin, other users are not there: 404 as for a missing one */
	if (r->caller.role < EDU_ROLE_ADMIN && strcmp(id, r->caller.user_id)) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such user");
		return;
	}
	res = srv_exec(r, &q_user_get, (const char *[]){ school, id });
	if (!res)
		return;
	if (PQntuples(res) != 1)
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such user");
	else
		reply_user(r, 200, res);
	PQclear(res);
}

/* ---- PATCH /users/{id} ---- */

/* $3 role or NULL, $4 disabled or NULL, $5/$6 and $7/$8 flag and value, $9 bump token_version */
static const struct db_stmt q_user_patch = DB_STMT("user_patch", 9,
	"UPDATE users u SET role = coalesce($3, u.role), "
	"  disabled = coalesce($4::bool, u.disabled), "
	"  display_name = CASE WHEN $5::bool THEN $6 ELSE u.display_name END, "
	"  email = CASE WHEN $7::bool THEN $8 ELSE u.email END, "
	"  token_version = u.token_version + CASE WHEN $9::bool THEN 1 ELSE 0 END, "
	"  version = u.version + 1, updated_at = now() "
	"WHERE u.school_id = $1 AND u.id = $2 "
	"RETURNING " SRV_USER_COLS);

static const struct db_stmt q_user_revoke_refresh = DB_STMT("user_revoke_refresh", 2,
	"UPDATE refresh_tokens SET revoked_at = now() "
	"WHERE school_id = $1 AND user_id = $2 AND revoked_at IS NULL");

static void patch(struct srv_req *r)
{
	const char *id = r->params[0], *role = NULL, *name, *email;
	const cJSON *dis;
	char school[37];
	long if_match;
	int has_name, has_email, has_match, self, disable = -1, bump;
	PGresult *target = NULL, *res = NULL;

	if (srv_acting_school(r, school) < 0 ||
	    (has_name = srv_field_opt_text(r, "display_name", srv_check_display_name, &name)) < 0 ||
	    (has_email = srv_field_opt_text(r, "email", srv_check_email, &email)) < 0 ||
	    (has_match = srv_if_match(r, &if_match)) < 0)
		return;
	if (cJSON_GetObjectItemCaseSensitive(r->json, "role")) {
		if (!(role = srv_body_str(r, "role", 1, 32, NULL)))
			return;
		if (edu_role_from_name(role) == EDU_ROLE_NONE) {
			srv_reply_error(r, SRV_ERR_INVALID, "role", "no such role '%s'", role);
			return;
		}
	}
	dis = cJSON_GetObjectItemCaseSensitive(r->json, "disabled");
	if (dis) {
		if (!cJSON_IsBool(dis)) {
			srv_reply_error(r, SRV_ERR_INVALID, "disabled", "'disabled' must be true or false");
			return;
		}
		disable = cJSON_IsTrue(dis);
	}
	if (!(target = lock_target(r, school, id)) || out_of_reach(r, target))
		goto out;
	if (has_match && if_match != db_long(target, 0, SRV_USER_VERSION)) {
		srv_reply_stale(r, srv_user_json(target, 0, 0));
		goto out;
	}
	self = !strcmp(id, r->caller.user_id);
	if (role && !strcmp(role, db_str(target, 0, SRV_USER_ROLE)))
		role = NULL;	/* the role it has already: no change */
	if (role && self) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, "role", "nobody changes their own role");
		goto out;
	}
	if (role && !can_grant(r->caller.role, edu_role_from_name(role))) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, "role", "you may not give the role %s", role);
		goto out;
	}
	if (disable == 1 && self) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, "disabled", "nobody disables themselves");
		goto out;
	}
	if (disable == db_bool(target, 0, SRV_USER_DISABLED))
		disable = -1;	/* no change */
	bump = role || disable == 1;
	res = db_exec(r->tx, &q_user_patch, (const char *[]){
		school, id, role, disable < 0 ? NULL : disable ? "t" : "f",
		has_name ? "t" : "f", name, has_email ? "t" : "f", email, bump ? "t" : "f" });
	if (!res) {
		srv_reply_db_conflict(r, "email",
				      "another user of this school has that email address");
		goto out;
	}
	if (disable == 1) {
		/* a disabled account comes back, if ever, with no session from before */
		PGresult *v = srv_exec(r, &q_user_revoke_refresh,
					    (const char *[]){ school, id });
		if (!v)
			goto out;
		PQclear(v);
	}
	reply_user(r, 200, res);
out:
	PQclear(res);
	PQclear(target);
}

/* ---- POST /users/{id}/reset ---- */

enum { RESET_EXPIRES_AT };
static const struct db_stmt q_user_reset = DB_STMT("user_reset", 4,
	"UPDATE users u SET password_hash = NULL, activation_hash = $3, "
	"  activation_expires_at = now() + make_interval(secs => $4::int), "
	"  version = u.version + 1, updated_at = now() "
	"WHERE u.school_id = $1 AND u.id = $2 "
	"RETURNING " DB_TS("u.activation_expires_at"));

static const struct db_stmt q_user_drop_api_tokens = DB_STMT("user_drop_api_tokens", 2,
	"DELETE FROM api_tokens WHERE school_id = $1 AND user_id = $2");

static void reset(struct srv_req *r)
{
	const char *id;
	char school[37], hash[65], ttl[24], *code = NULL;
	PGresult *target = NULL, *res = NULL, *v;
	cJSON *j;

	if (srv_acting_school(r, school) < 0)
		return;
	id = r->params[0];
	if (!strcmp(id, r->caller.user_id)) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, NULL,
				"nobody resets themselves; change your password instead");
		return;
	}
	if (!(target = lock_target(r, school, id)) || out_of_reach(r, target))
		goto out;
	code = srv_code_new(hash);
	snprintf(ttl, sizeof(ttl), "%ld", srv_cfg.activation_ttl);
	/* the password, every session and every API token go: the account starts over */
	if (srv_sessions_end(r, school, id) < 0 ||
	    !(v = db_exec(r->tx, &q_user_drop_api_tokens, (const char *[]){ school, id }))) {
		srv_reply_db_error(r);
		goto out;
	}
	PQclear(v);
	res = db_exec(r->tx, &q_user_reset, (const char *[]){ school, id, hash, ttl });
	if (!res || PQntuples(res) != 1) {
		srv_reply_db_error(r);
		goto out;
	}
	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "activation_code", code);
	cJSON_AddStringToObject(j, "expires_at", db_str(res, 0, RESET_EXPIRES_AT));
	srv_reply_json(r, 200, j);
out:
	if (code) {
		OPENSSL_cleanse(code, strlen(code));
		free(code);
	}
	PQclear(res);
	PQclear(target);
}

/* /users/me comes before /users/{id}, which would otherwise take "me" for an id. */
const struct srv_route srv_user_routes[] = {
	SRV_ROUTE("GET", "/api/v1/users/me", me_get, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("PUT", "/api/v1/users/me", me_put, SRV_PERM_ANY, 0,
	  SRV_FIELDS("display_name", "email")),
	SRV_ROUTE("POST", "/api/v1/users/me/password", me_password, SRV_PERM_SESSION,
	  SRV_ROUTE_NO_LOG_BODY | SRV_ROUTE_SECRET_ANSWER,
	  SRV_FIELDS("current_password", "new_password")),
	SRV_ROUTE("GET", "/api/v1/users", list, SRV_PERM_ADMIN, 0, NULL),
	SRV_ROUTE("POST", "/api/v1/users", create, SRV_PERM_ADMIN, SRV_ROUTE_SECRET_ANSWER,
	  SRV_FIELDS("username", "email", "display_name", "role")),
	SRV_ROUTE("GET", "/api/v1/users/{id:uuid}", get, SRV_PERM_ANY, 0, NULL),
	SRV_ROUTE("PATCH", "/api/v1/users/{id:uuid}", patch, SRV_PERM_ADMIN, 0,
	  SRV_FIELDS("role", "disabled", "display_name", "email")),
	SRV_ROUTE("POST", "/api/v1/users/{id:uuid}/reset", reset, SRV_PERM_ADMIN,
	  SRV_ROUTE_SECRET_ANSWER, NULL),
	SRV_ROUTES_END
};
