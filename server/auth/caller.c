/*
 * srv_authenticate(): who is calling, checked against the route's permission.
 *
 * A JWT costs one query: the user's row by primary key, in the transaction opened for the
 * token's school. Everything the handler is told (role, school) comes from that row, and a
 * token whose token_version no longer matches (logout-all, password or role change) or
 * whose user is disabled is refused. An API token (edu_pat_...) first needs its school,
 * from a definer lookup of its hash that sets it as the tenant, then its row joined to its
 * user under that school: two statements, one round trip.
 *
 * The row read here is kept (thread-local, no allocation) so GET /users/me answers
 * without another query: see srv_auth_user(). Nothing is cached across requests.
 *
 * These rows are read by one thread, the batcher (srv_auth_start). A worker checks what
 * needs no database (a JWT's signature and claims, an API token's shape), queues the check,
 * suspends the request's connection and goes on with its other connections. The batcher
 * takes every check queued meanwhile and reads their rows in one round trip: one statement
 * per school for the JWTs (id = ANY of its users), one per API token. Then it resumes the
 * requests; each ends its check on its own worker (srv_auth_finish) and runs its handler.
 * Under load PostgreSQL then wakes once for many requests instead of once for each, does a
 * fraction of the work for each, and no worker sits waiting for it: GET /users/me went from
 * about 45,000 to about 78,000 requests a second on two cores (bench/users-me.sh). A
 * request alone waits for its own read only. Streamed routes, and any request while the
 * batcher does not run (it stops before the workers do), read the row on their worker.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/caller.h"
#include "auth/crypto.h"
#include "auth/jwt.h"
#include "auth/user.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/req.h"
#include "core/route.h"
#include "core/text.h"
#include "db/db.h"
#include "model/api_token.h"
#include "xalloc.h"

#define API_PREFIX "edu_pat_"
#define API_TOKEN_LEN (sizeof(API_PREFIX) - 1 + 43)

/* The caller's row, for the request that read it. */
static __thread struct {
	const struct srv_req *req;
	char request_id[17];
	struct edu_user u;
	char text[4096];
} me;

static const char *keep(char **pos, const char *end, const PGresult *res, int row, int col)
{
	const char *v;
	size_t len;
	char *out = *pos;

	if (PQgetisnull(res, row, col))
		return NULL;
	v = PQgetvalue(res, row, col);
	len = strlen(v) + 1;
	if (len > (size_t)(end - out))
		return NULL;	/* cannot happen with the schema's lengths */
	memcpy(out, v, len);
	*pos = out + len;
	return out;
}

static void keep_user(const struct srv_req *r, const PGresult *res, int row, int col)
{
	char *pos = me.text, *end = me.text + sizeof(me.text);
	struct edu_user *u = &me.u;

	me.req = r;
	memcpy(me.request_id, r->request_id, sizeof(me.request_id));
	u->id = (char *)keep(&pos, end, res, row, col + SRV_USER_ID);
	u->school_id = (char *)keep(&pos, end, res, row, col + SRV_USER_SCHOOL_ID);
	u->username = (char *)keep(&pos, end, res, row, col + SRV_USER_USERNAME);
	u->email = (char *)keep(&pos, end, res, row, col + SRV_USER_EMAIL);
	u->display_name = (char *)keep(&pos, end, res, row, col + SRV_USER_DISPLAY_NAME);
	u->role = (char *)keep(&pos, end, res, row, col + SRV_USER_ROLE);
	u->disabled = db_bool(res, row, col + SRV_USER_DISABLED);
	u->activated = db_bool(res, row, col + SRV_USER_ACTIVATED);
	u->created_at = (char *)keep(&pos, end, res, row, col + SRV_USER_CREATED_AT);
	u->updated_at = (char *)keep(&pos, end, res, row, col + SRV_USER_UPDATED_AT);
	u->version = db_long(res, row, col + SRV_USER_VERSION);
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

/*
 * The request transaction for school_id, with the caller (as far as it is known) as its
 * tenant: 0, or -1 when the database is unreachable.
 */
static int begin(struct srv_req *r, const char *school_id)
{
	return db_tx_begin(r->tx, school_id, r->caller.user_id,
			   r->caller.authenticated ? edu_role_name(r->caller.role) : NULL);
}

/* 401; a token that was there but did not do gets RFC 6750's error="invalid_token". */
static int unauthenticated(struct srv_req *r, enum srv_err code, const char *message)
{
	int had_token = srv_req_header(r, "Authorization") != NULL;

	forget(r);
	srv_set_header(r, "WWW-Authenticate", had_token
		       ? "Bearer realm=\"edu\", error=\"invalid_token\"" : "Bearer realm=\"edu\"");
	srv_reply_error(r, code, NULL, "%s", message);
	return -1;
}

/* The user columns, then token_version, of users of one school ($2 an array of ids). */
enum { USERS_TOKEN_VERSION = SRV_USER_NCOLS };
static const struct db_stmt q_users = DB_STMT("auth_users", 2,
	"SELECT " SRV_USER_COLS ", u.token_version FROM users u "
	"WHERE u.school_id = $1 AND u.id = ANY ($2::uuid[])");

/*
 * An API token's school, from a definer lookup of its hash (the school is not known
 * before), set as the tenant for the statement after it; '' when no token has that hash.
 */
static const struct db_stmt q_api_tenant = DB_STMT("auth_api_tenant", 1,
	"SELECT set_config('app.school_id', coalesce(api_token_school($1)::text, ''), true)");

/*
 * After q_api_tenant, under that school: the token's id, scope, whether last_used_at is a
 * minute old, then the user columns.
 */
#define API_COLUMNS(first, next) \
	first(API_ID,     "t.id") \
	next(API_SCOPE,   "t.scope") \
	next(API_STALE,   "t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute'")
enum { DB_COLS_ENUM(API_COLUMNS) API_USER };
static const struct db_stmt q_api = DB_STMT("auth_api", 1,
	"SELECT " DB_COLS_SQL(API_COLUMNS) ", " SRV_USER_COLS " "
	"FROM api_tokens t JOIN users u ON u.school_id = t.school_id AND u.id = t.user_id "
	"WHERE t.school_id = current_school() AND t.token_hash = $1 "
	"  AND (t.expires_at IS NULL OR t.expires_at > now())");

static const struct db_stmt q_api_touch = DB_STMT("auth_api_touch", 2,
	"UPDATE api_tokens SET last_used_at = now() WHERE school_id = $1 AND id = $2");

/* ---- the batcher ---- */

/* A result some checks share: the last one to let go of it frees it. */
struct shared_res {
	PGresult *res;
	int refs;
};

/* A request waiting for its caller's row, its connection suspended. */
struct srv_auth_wait {
	struct srv_req *r;
	int api;				/* an API token's check, else a JWT's */
	struct srv_jwt_claims claims;		/* a JWT's, verified: sub and sch are UUIDs */
	char hash[65];				/* an API token's SHA-256 */
	int slot;				/* its statement in the batch */
	struct shared_res *res;			/* that statement's rows; NULL: it failed */
	int row;				/* its row in them, -1 when there is none */
	struct srv_auth_wait *next;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* checks were queued, or stopping */
	struct srv_auth_wait *queue;	/* newest first */
	pthread_t thread;
	int running, stopping;
} batch = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

static void shared_put(struct shared_res *s)
{
	int last;

	if (!s)
		return;
	last = __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0;
	if (last) {
		PQclear(s->res);
		free(s);
	}
}

static struct shared_res *shared_new(PGresult *res, int refs)
{
	struct shared_res *s = xmalloc(sizeof(*s));

	s->res = res;
	s->refs = refs;
	return s;
}

/*
 * Reads the rows of the n checks in list (oldest first) in one round trip, and gives each
 * its result and row: one statement per school for the JWTs (its users' ids in an array),
 * one per API token (its school found from its hash) however many requests carry it. On a database failure every res
 * stays NULL.
 */
static void run_checks(struct srv_auth_wait *list, int n)
{
	const struct db_stmt **tenants = xcalloc((size_t)n, sizeof(*tenants));
	const struct db_stmt **sts = xcalloc((size_t)n, sizeof(*sts));
	const char **args = xcalloc((size_t)n * 2, sizeof(*args));
	const char *const **params = xcalloc((size_t)n, sizeof(*params));
	struct edu_buf *ids = xcalloc((size_t)n, sizeof(*ids));
	PGresult **out = xcalloc((size_t)n, sizeof(*out));
	struct shared_res **shared = xcalloc((size_t)n, sizeof(*shared));
	struct srv_auth_wait *w;
	int m = 0, i, rc;

	for (w = list; w; w = w->next) {
		if (w->api) {
			/* one pair for each token, however many requests bring it (a script) */
			for (i = 0; i < m; i++)
				if (sts[i] == &q_api && !strcmp(args[2 * i], w->hash))
					break;
			if (i == m) {
				/* $1 of both statements: the hash */
				tenants[m] = &q_api_tenant;
				sts[m] = &q_api;
				args[2 * m++] = w->hash;
			}
			w->slot = i;
			continue;
		}
		/* the JWTs' schools in the order they first come, each with its users */
		for (i = 0; i < m; i++)
			if (sts[i] == &q_users && !strcmp(args[2 * i], w->claims.sch))
				break;
		if (i == m) {
			tenants[m] = &db_set_school;
			sts[m] = &q_users;
			args[2 * m] = w->claims.sch;
			edu_buf_addc(&ids[m++], '{');
		} else {
			edu_buf_addc(&ids[i], ',');
		}
		w->slot = i;
		edu_buf_adds(&ids[i], w->claims.sub);
	}
	for (i = 0; i < m; i++) {
		if (sts[i] == &q_users) {
			edu_buf_addc(&ids[i], '}');
			args[2 * i + 1] = edu_buf_str(&ids[i]);
		}
		params[i] = &args[2 * i];
	}
	rc = db_exec_tenants(m, tenants, params, sts, params, out);
	/* a connection the server ended (a restart, a failover) is opened again, once: reads */
	if (rc < 0 && (!strncmp(db_sqlstate(), "08", 2) || !strcmp(db_sqlstate(), "57P01")))
		rc = db_exec_tenants(m, tenants, params, sts, params, out);
	if (rc == 0) {
		for (i = 0; i < m; i++)
			shared[i] = shared_new(out[i], 0);
		for (w = list; w; w = w->next) {
			PGresult *res = out[w->slot];

			w->res = shared[w->slot];
			w->res->refs++;
			for (int k = 0; k < PQntuples(res) && w->row < 0; k++)
				if (w->api || !strcasecmp(db_str(res, k, SRV_USER_ID), w->claims.sub))
					w->row = k;
		}
	}
	for (i = 0; i < m; i++)
		edu_buf_release(&ids[i]);
	free(tenants);
	free(sts);
	free(args);
	free(params);
	free(ids);
	free(out);
	free(shared);
}

static void *batcher(void *arg)
{
	struct srv_auth_wait *list, *w, *next;
	int n;

	(void)arg;
	pthread_mutex_lock(&batch.lock);
	for (;;) {
		while (!batch.queue && !batch.stopping)
			pthread_cond_wait(&batch.cond, &batch.lock);
		if (!batch.queue)
			break;	/* stopping, and nothing is left waiting */
		/* everything queued so far, oldest first */
		for (list = NULL, n = 0, w = batch.queue; w; w = next, n++) {
			next = w->next;
			w->next = list;
			list = w;
		}
		batch.queue = NULL;
		pthread_mutex_unlock(&batch.lock);
		run_checks(list, n);
		srv_metrics_auth_batch(n);
		/* once resumed, a request may end at once, its wait with it: next is read first */
		for (w = list; w; w = next) {
			next = w->next;
			srv_req_resume(w->r);
		}
		pthread_mutex_lock(&batch.lock);
	}
	pthread_mutex_unlock(&batch.lock);
	return NULL;
}

int srv_auth_start(void)
{
	int rc;

	if (batch.running)
		return 0;
	batch.stopping = 0;
	rc = pthread_create(&batch.thread, NULL, batcher, NULL);
	if (rc != 0) {
		/* not fatal: each worker then reads its callers' rows itself */
		srv_log("cannot start the thread of token checks: %s", strerror(rc));
		return 0;
	}
	__atomic_store_n(&batch.running, 1, __ATOMIC_RELEASE);
	return 0;
}

void srv_auth_stop(void)
{
	if (!batch.running)
		return;
	/* checks already queued are still read and their requests resumed; no new ones queue */
	pthread_mutex_lock(&batch.lock);
	batch.stopping = 1;
	pthread_cond_signal(&batch.cond);
	pthread_mutex_unlock(&batch.lock);
	pthread_join(batch.thread, NULL);
	__atomic_store_n(&batch.running, 0, __ATOMIC_RELEASE);
}

/*
 * Queues r's check (a JWT's claims, or an API token's hash) and suspends r; 0, or -1 when
 * the batcher takes no more (it does not run, or it is stopping).
 */
static int queue_check(struct srv_req *r, const struct srv_jwt_claims *c, const char *hash)
{
	struct srv_auth_wait *w;

	if (!__atomic_load_n(&batch.running, __ATOMIC_ACQUIRE))
		return -1;
	w = xcalloc(1, sizeof(*w));
	w->r = r;
	if (c)
		w->claims = *c;
	if (hash) {
		w->api = 1;
		memcpy(w->hash, hash, sizeof(w->hash));
	}
	w->row = -1;
	pthread_mutex_lock(&batch.lock);
	if (batch.stopping) {
		pthread_mutex_unlock(&batch.lock);
		free(w);
		return -1;
	}
	/* suspended before it is queued: the batcher may resume it as soon as it is */
	r->auth_wait = w;
	srv_req_suspend(r);
	w->next = batch.queue;
	batch.queue = w;
	pthread_cond_signal(&batch.cond);
	pthread_mutex_unlock(&batch.lock);
	return 0;
}

/* The rest of a JWT's check, once its user's row (or its absence, row -1) is in. */
static int jwt_row(struct srv_req *r, const struct srv_jwt_claims *c, struct shared_res *s,
		   int row)
{
	PGresult *res = s->res;
	struct edu_user u;
	int ok = row >= 0;

	if (ok) {
		srv_user_from_row(&u, res, row, 0);
		ok = !u.disabled && u.activated &&
		     db_long(res, row, USERS_TOKEN_VERSION) == c->ver &&
		     !strcmp(u.role, c->role);
	}
	if (ok)
		keep_user(r, res, row, 0);
	shared_put(s);
	if (!ok)
		return unauthenticated(r, SRV_ERR_UNAUTHENTICATED, "the access token is no longer valid");
	/* the handler's transaction: it opens with the handler's first statement, if any */
	return begin(r, c->sch);
}

/* 0 authenticated, 1 suspended (may_wait) until the row is in, -1 answered, or -2. */
static int auth_jwt(struct srv_req *r, const char *token, int may_wait)
{
	struct srv_jwt_claims c;
	PGresult *res;
	char one[40];
	int rc = srv_jwt_verify(token, &c);

	if (rc == -2)
		return unauthenticated(r, SRV_ERR_TOKEN_EXPIRED, "the access token has expired");
	/* the ids may go into an array literal (q_users): only UUIDs may */
	if (rc < 0 || edu_role_from_name(c.role) == EDU_ROLE_NONE || !srv_is_uuid(c.sub) ||
	    !srv_is_uuid(c.sch))
		return unauthenticated(r, SRV_ERR_UNAUTHENTICATED, "the access token is not valid");
	/*
	 * The row is read with the token's user and role (signed by us) as the tenant; they
	 * are checked against it before the handler's transaction begins.
	 */
	r->caller.authenticated = 1;
	memcpy(r->caller.user_id, c.sub, sizeof(c.sub));
	memcpy(r->caller.school_id, c.sch, sizeof(c.sch));
	r->caller.role = edu_role_from_name(c.role);
	if (may_wait && queue_check(r, &c, NULL) == 0)
		return 1;
	/* on the worker: the batch's statement, for this one user */
	snprintf(one, sizeof(one), "{%s}", c.sub);
	res = db_exec_alone(r->tx, c.sch, &q_users, (const char *[]){ c.sch, one });
	if (!res) {
		forget(r);
		return SRV_AUTH_DB_FAILED;
	}
	return jwt_row(r, &c, shared_new(res, 1), PQntuples(res) == 1 ? 0 : -1);
}

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

/* The rest of an API token's check, once its row (or its absence, row -1) is in. */
static int api_row(struct srv_req *r, struct shared_res *s, int row)
{
	PGresult *res = s->res;
	struct edu_user u;
	char school[37];
	int touch;

	if (row < 0) {
		shared_put(s);
		return unauthenticated(r, SRV_ERR_UNAUTHENTICATED, "the API token is not valid");
	}
	srv_user_from_row(&u, res, row, API_USER);
	if (u.disabled || !u.activated || edu_role_from_name(u.role) == EDU_ROLE_NONE) {
		shared_put(s);
		return unauthenticated(r, SRV_ERR_UNAUTHENTICATED, "the API token is no longer valid");
	}
	r->caller.authenticated = 1;
	snprintf(r->caller.user_id, sizeof(r->caller.user_id), "%s", u.id);
	snprintf(r->caller.school_id, sizeof(r->caller.school_id), "%s", u.school_id);
	snprintf(school, sizeof(school), "%s", u.school_id);
	r->caller.role = edu_role_from_name(u.role);
	r->caller.api_token = 1;
	/* anything but a scope above the weakest ("read": GET only) is read-only */
	r->caller.read_only = edu_token_scope_index(db_str(res, row, API_SCOPE)) <= 0;
	snprintf(r->caller.token_id, sizeof(r->caller.token_id), "%s", db_str(res, row, API_ID));
	touch = db_bool(res, row, API_STALE);
	keep_user(r, res, row, API_USER);
	shared_put(s);
	/* the transaction carries the caller's school, user and role */
	if (begin(r, school) < 0) {
		forget(r);
		return SRV_AUTH_DB_FAILED;
	}
	if (touch) {
		res = db_exec(r->tx, &q_api_touch, (const char *[]){ school, r->caller.token_id });
		if (!res) {
			forget(r);
			return SRV_AUTH_DB_FAILED;
		}
		PQclear(res);
	}
	return 0;
}

/* 0 authenticated, 1 suspended (may_wait) until the row is in, -1 answered, or -2. */
static int auth_api_token(struct srv_req *r, const char *token, int may_wait)
{
	char hash[65];
	PGresult *tenant, *res;

	if (!api_token_shape_ok(token))
		return unauthenticated(r, SRV_ERR_UNAUTHENTICATED, "the API token is not valid");
	srv_sha256_hex(token, hash);
	if (may_wait && queue_check(r, NULL, hash) == 0)
		return 1;
	/* here: both statements open the request transaction, as the batch runs them */
	if (begin(r, NULL) < 0)
		return SRV_AUTH_DB_FAILED;
	if (db_exec_pair(r->tx, &q_api_tenant, (const char *[]){ hash }, &tenant,
			 &q_api, (const char *[]){ hash }, &res) < 0)
		return SRV_AUTH_DB_FAILED;
	PQclear(tenant);
	return api_row(r, shared_new(res, 1), PQntuples(res) == 1 ? 0 : -1);
}

static int forbidden(struct srv_req *r, const char *message)
{
	srv_reply_error(r, SRV_ERR_FORBIDDEN, NULL, "%s", message);
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

/* 0 authenticated, 1 suspended until the caller's row is in (may_wait), -1 answered. */
static int authenticate(struct srv_req *r, int may_wait)
{
	const char *h = srv_req_header(r, "Authorization");
	char token[4200];
	size_t len;
	int rc;

	forget(r);
	if (!h)
		return unauthenticated(r, SRV_ERR_UNAUTHENTICATED, "an access token is required");
	if (strncasecmp(h, "Bearer ", 7))
		return unauthenticated(r, SRV_ERR_UNAUTHENTICATED,
				       "the Authorization header must be 'Bearer TOKEN'");
	for (h += 7; *h == ' '; h++)
		;
	len = strlen(h);
	while (len && h[len - 1] == ' ')
		len--;
	if (!len || len >= sizeof(token))
		return unauthenticated(r, SRV_ERR_UNAUTHENTICATED, "the access token is not valid");
	memcpy(token, h, len);
	token[len] = '\0';
	if (!strncmp(token, API_PREFIX, sizeof(API_PREFIX) - 1))
		rc = auth_api_token(r, token, may_wait);
	else
		rc = auth_jwt(r, token, may_wait);
	if (rc != 0)
		return rc;
	if (permitted(r) < 0)
		return -1;
	return 0;
}

int srv_authenticate(struct srv_req *r)
{
	return authenticate(r, 0);
}

int srv_auth_begin(struct srv_req *r)
{
	return authenticate(r, 1);
}

int srv_auth_finish(struct srv_req *r)
{
	struct srv_auth_wait *w = r->auth_wait;
	int rc;

	r->auth_wait = NULL;
	if (!w->res) {
		free(w);
		forget(r);
		srv_reply_error(r, SRV_ERR_UNAVAILABLE, NULL, "the database is unavailable");
		return -1;
	}
	rc = w->api ? api_row(r, w->res, w->row) : jwt_row(r, &w->claims, w->res, w->row);
	free(w);
	if (rc < 0)
		return rc;
	return permitted(r) < 0 ? -1 : 0;
}

void srv_auth_release(struct srv_req *r)
{
	struct srv_auth_wait *w = r->auth_wait;

	if (!w)
		return;
	r->auth_wait = NULL;
	shared_put(w->res);
	free(w);
}
