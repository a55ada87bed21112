/*
 * srv_authenticate(): who is calling, checked against the route's permission.
 *
 * A JWT costs one query: the user's row by primary key, in the transaction opened for the
 * token's school. Everything the handler is told (role, school) comes from that row, and a
 * token whose token_version no longer matches (logout-all, password or role change) or
 * whose user is disabled is refused. An API token (edu_pat_...) first needs its school
 * from a definer lookup of its hash, then its row joined to its user.
 *
 * The row read here is kept (thread-local, no allocation) so GET /users/me answers
 * without another query: see srv_auth_user(). Nothing is cached across requests.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accounts.h"
#include "auth.h"
#include "db.h"
#include "router.h"

#define API_PREFIX "edu_pat_"
#define API_TOKEN_LEN (sizeof(API_PREFIX) - 1 + 43)

/* The caller's row, for the request that read it. */
static __thread struct {
	const struct srv_req *req;
	char request_id[17];
	struct edu_user u;
	char text[4096];
} me;

static const char *keep(char **pos, const char *end, const PGresult *res, int col)
{
	const char *v;
	size_t len;
	char *out = *pos;

	if (PQgetisnull(res, 0, col))
		return NULL;
	v = PQgetvalue(res, 0, col);
	len = strlen(v) + 1;
	if (len > (size_t)(end - out))
		return NULL;	/* cannot happen with the schema's lengths */
	memcpy(out, v, len);
	*pos = out + len;
	return out;
}

static void keep_user(const struct srv_req *r, const PGresult *res, int col)
{
	char *pos = me.text, *end = me.text + sizeof(me.text);
	struct edu_user *u = &me.u;

	me.req = r;
	memcpy(me.request_id, r->request_id, sizeof(me.request_id));
	u->id = (char *)keep(&pos, end, res, col + 0);
	u->school_id = (char *)keep(&pos, end, res, col + 1);
	u->username = (char *)keep(&pos, end, res, col + 2);
	u->email = (char *)keep(&pos, end, res, col + 3);
	u->display_name = (char *)keep(&pos, end, res, col + 4);
	u->role = (char *)keep(&pos, end, res, col + 5);
	u->disabled = PQgetvalue(res, 0, col + 6)[0] == 't';
	u->activated = PQgetvalue(res, 0, col + 7)[0] == 't';
	u->created_at = (char *)keep(&pos, end, res, col + 8);
	u->updated_at = (char *)keep(&pos, end, res, col + 9);
	u->version = atol(PQgetvalue(res, 0, col + 10));
}

const struct edu_user *srv_auth_user(const struct srv_req *r)
{
	if (!r || me.req != r || strcmp(me.request_id, r->request_id) || !r->caller.authenticated ||
	    !me.u.id || strcmp(me.u.id, r->caller.user_id))
		return NULL;
	return &me.u;
}

static void forget(struct srv_req *r)
{
	memset(&r->caller, 0, sizeof(r->caller));
	r->caller.role = EDU_ROLE_NONE;
	me.req = NULL;
	me.u.id = NULL;
}

/* 401; a token that was there but did not do gets RFC 6750's error="invalid_token". */
static int unauthenticated(struct srv_req *r, const char *code, const char *message)
{
	int had_token = srv_req_header(r, "Authorization") != NULL;

	forget(r);
	srv_set_header(r, "WWW-Authenticate", had_token
		       ? "Bearer realm=\"edu\", error=\"invalid_token\"" : "Bearer realm=\"edu\"");
	srv_reply_error(r, 401, code, NULL, "%s", message);
	return -1;
}

/* The user columns, then token_version. */
static const struct db_stmt q_user = DB_STMT("auth_user", 2,
	"SELECT " ACCT_USER_COLS ", u.token_version FROM users u "
	"WHERE u.school_id = $1 AND u.id = $2");

static int auth_jwt(struct srv_req *r, const char *token)
{
	struct srv_jwt_claims c;
	PGresult *res;
	struct edu_user u;
	int rc = srv_jwt_verify(token, &c), ok;

	if (rc == -2)
		return unauthenticated(r, "token_expired", "the access token has expired");
	if (rc < 0 || edu_role_from_name(c.role) == EDU_ROLE_NONE)
		return unauthenticated(r, "unauthenticated", "the access token is not valid");
	/*
	 * The row is read with the token's user and role (signed by us) as the tenant; they
	 * are checked against it before the handler's transaction begins.
	 */
	r->caller.authenticated = 1;
	memcpy(r->caller.user_id, c.sub, sizeof(c.sub));
	memcpy(r->caller.school_id, c.sch, sizeof(c.sch));
	r->caller.role = edu_role_from_name(c.role);
	res = db_exec_alone(r, c.sch, &q_user, (const char *[]){ c.sch, c.sub });
	if (!res) {
		forget(r);
		srv_reply_db_error(r);
		return -1;
	}
	ok = PQntuples(res) == 1;
	if (ok) {
		acct_user_from_row(&u, res, 0, 0);
		ok = !u.disabled && u.activated &&
		     atol(PQgetvalue(res, 0, ACCT_USER_NCOLS)) == c.ver && !strcmp(u.role, c.role);
	}
	if (ok)
		keep_user(r, res, 0);
	PQclear(res);
	if (!ok)
		return unauthenticated(r, "unauthenticated", "the access token is no longer valid");
	/* the handler's transaction: it opens with the handler's first statement, if any */
	return srv_tx_begin(r, c.sch);
}

static const struct db_stmt q_api_school = DB_STMT("auth_api_school", 1,
	"SELECT api_token_school($1)");

/* The token's id, scope, whether last_used_at is a minute old, then the user columns. */
static const struct db_stmt q_api = DB_STMT("auth_api", 2,
	"SELECT t.id, t.scope, "
	"  t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute', "
	ACCT_USER_COLS " "
	"FROM api_tokens t JOIN users u ON u.school_id = t.school_id AND u.id = t.user_id "
	"WHERE t.school_id = $1 AND t.token_hash = $2 "
	"  AND (t.expires_at IS NULL OR t.expires_at > now())");

static const struct db_stmt q_api_touch = DB_STMT("auth_api_touch", 2,
	"UPDATE api_tokens SET last_used_at = now() WHERE school_id = $1 AND id = $2");

static int api_token_shape_ok(const char *t)
{
	if (strlen(t) != API_TOKEN_LEN || strncmp(t, API_PREFIX, sizeof(API_PREFIX) - 1))
		return 0;
	for (t += sizeof(API_PREFIX) - 1; *t; t++)
		if (!((*t >= 'A' && *t <= 'Z') || (*t >= 'a' && *t <= 'z') ||
		      (*t >= '0' && *t <= '9') || *t == '-' || *t == '_'))
			return 0;
	return 1;
}

static int auth_api_token(struct srv_req *r, const char *token)
{
	char hash[65], school[37];
	PGresult *res;
	struct edu_user u;
	int touch;

	if (!api_token_shape_ok(token))
		return unauthenticated(r, "unauthenticated", "the API token is not valid");
	srv_sha256_hex(token, hash);
	if (srv_tx_begin(r, NULL) < 0)
		return -1;
	res = db_exec(r, &q_api_school, (const char *[]){ hash });
	if (!res) {
		srv_reply_db_error(r);
		return -1;
	}
	if (PQgetisnull(res, 0, 0)) {
		PQclear(res);
		return unauthenticated(r, "unauthenticated", "the API token is not valid");
	}
	snprintf(school, sizeof(school), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (srv_tx_set_school(r, school) < 0)
		return -1;
	res = db_exec(r, &q_api, (const char *[]){ school, hash });
	if (!res) {
		srv_reply_db_error(r);
		return -1;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		return unauthenticated(r, "unauthenticated", "the API token is not valid");
	}
	acct_user_from_row(&u, res, 0, 3);
	if (u.disabled || !u.activated || edu_role_from_name(u.role) == EDU_ROLE_NONE) {
		PQclear(res);
		return unauthenticated(r, "unauthenticated", "the API token is no longer valid");
	}
	r->caller.authenticated = 1;
	snprintf(r->caller.user_id, sizeof(r->caller.user_id), "%s", u.id);
	snprintf(r->caller.school_id, sizeof(r->caller.school_id), "%s", school);
	r->caller.role = edu_role_from_name(u.role);
	r->caller.api_token = 1;
	r->caller.read_only = !strcmp(PQgetvalue(res, 0, 1), "read");
	snprintf(r->caller.token_id, sizeof(r->caller.token_id), "%s", PQgetvalue(res, 0, 0));
	touch = PQgetvalue(res, 0, 2)[0] == 't';
	keep_user(r, res, 3);
	PQclear(res);
	/* again, now that the transaction may carry the caller's user and role */
	if (srv_tx_set_school(r, school) < 0) {
		forget(r);
		return -1;
	}
	if (touch) {
		res = db_exec(r, &q_api_touch, (const char *[]){ school, r->caller.token_id });
		if (!res) {
			forget(r);
			srv_reply_db_error(r);
			return -1;
		}
		PQclear(res);
	}
	return 0;
}

static int forbidden(struct srv_req *r, const char *message)
{
	srv_reply_error(r, 403, "forbidden", NULL, "%s", message);
	return -1;
}

static int permitted(struct srv_req *r)
{
	const struct srv_caller *c = &r->caller;

	if (c->read_only && strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
		return forbidden(r, "this API token may only read");
	switch (r->route->perm) {
	case SRV_PERM_PUBLIC:
	case SRV_PERM_ANY:
		return 0;
	case SRV_PERM_SESSION:
		return c->api_token ? forbidden(r, "this needs a login session, not an API token")
				    : 0;
	case SRV_PERM_TEACHER:
		return c->role >= EDU_ROLE_TEACHER ? 0 : forbidden(r, "teachers only");
	case SRV_PERM_ADMIN:
		return c->role >= EDU_ROLE_ADMIN ? 0 : forbidden(r, "administrators only");
	case SRV_PERM_SUPER:
		return c->role == EDU_ROLE_SUPER_ADMIN ? 0 : forbidden(r, "super_admin only");
	}
	return forbidden(r, "no permission is declared for this route");
}

int srv_authenticate(struct srv_req *r)
{
	const char *h = srv_req_header(r, "Authorization");
	char token[4200];
	size_t len;

	forget(r);
	if (!h)
		return unauthenticated(r, "unauthenticated", "an access token is required");
	if (strncasecmp(h, "Bearer ", 7))
		return unauthenticated(r, "unauthenticated",
				       "the Authorization header must be 'Bearer TOKEN'");
	for (h += 7; *h == ' '; h++)
		;
	len = strlen(h);
	while (len && h[len - 1] == ' ')
		len--;
	if (!len || len >= sizeof(token))
		return unauthenticated(r, "unauthenticated", "the access token is not valid");
	memcpy(token, h, len);
	token[len] = '\0';
	if (!strncmp(token, API_PREFIX, sizeof(API_PREFIX) - 1)) {
		if (auth_api_token(r, token) < 0)
			return -1;
	} else if (auth_jwt(r, token) < 0) {
		return -1;
	}
	if (permitted(r) < 0)
		return -1;
	return 0;
}
