/*
 * /api/v1/auth/...: logging in, refreshing, logging out, activating an account.
 *
 * The public routes (login, refresh, logout, activate) have no tenant until they have
 * looked one up: each opens its transaction with no school, asks a definer function for the
 * school (by slug or by token hash), then switches the transaction to it. Failures that
 * must outlive the answer (a wrong password counted, a reused refresh token's family
 * revoked) are committed before the 4xx is sent, since http.c rolls a 4xx back.
 *
 * Throttling: wrong passwords and activation codes are counted per account
 * (login_failures), and every login and activation attempt per client address
 * (login_address_windows, before any password is hashed). Both counts are in the
 * database, so every edud on it shares them: behind a load balancer an address gets
 * login_max_per_address attempts in all, not that many from each edud, and a restart
 * resets nothing.
 */
#include "config.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/code.h"
#include "auth/crypto.h"
#include "auth/jwt.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "auth/user.h"
#include "core/conf.h"
#include "core/req.h"
#include "core/route.h"
#include "db/db.h"
#include "kit/body.h"
#include "kit/query.h"
#include "kit/school.h"

/* ---- per-address attempts, counted in the database ---- */

/*
 * One attempt from $1 in a window of $2 seconds: a new window when the address has none or
 * its window has ended, else one more attempt in it. The attempts so far (this one included)
 * and the whole seconds the window has left, at least 1.
 */
enum { ADDR_ATTEMPTS, ADDR_WAIT };
static const struct db_stmt q_addr_attempt = DB_STMT("session_addr_attempt", 2,
	"INSERT INTO login_address_windows AS w (addr, attempts, ends_at) "
	"VALUES ($1, 1, now() + make_interval(secs => $2::bigint)) "
	"ON CONFLICT (addr) DO UPDATE SET "
	"  attempts = CASE WHEN w.ends_at <= now() THEN 1 ELSE w.attempts + 1 END, "
	"  ends_at = CASE WHEN w.ends_at <= now() THEN excluded.ends_at ELSE w.ends_at END "
	"RETURNING w.attempts, "
	"  greatest(ceil(extract(epoch FROM w.ends_at - now())), 1)::bigint");

/*
 * Counts one attempt from r->addr; the seconds to wait when over the limit, 0 when not,
 * -1 on a database error (not answered). It runs before the request's transaction, alone
 * (db_exec_alone): the count is committed even when the answer is 4xx, which http.c rolls
 * back, and the row is locked for this one statement, not for the login.
 */
static long addr_throttled(struct srv_req *r)
{
	char window[24];
	PGresult *res;
	long attempts, wait;

	if (srv_cfg.login_max_per_address <= 0)
		return 0;
	snprintf(window, sizeof(window), "%ld", srv_cfg.login_address_window);
	res = db_exec_alone(r->tx, NULL, &q_addr_attempt, (const char *[]){ r->addr, window });
	if (!res)
		return -1;
	attempts = db_long(res, 0, ADDR_ATTEMPTS);
	wait = db_long(res, 0, ADDR_WAIT);
	PQclear(res);
	return attempts > srv_cfg.login_max_per_address ? wait : 0;
}

/* ---- shared steps ---- */

/* A session's user row: the user columns, then token_version. */
enum { SESSION_TOKEN_VERSION = SRV_USER_NCOLS };

/* Commits what must outlive the answer. 0, or -1 after answering. */
static int commit(struct srv_req *r)
{
	if (srv_tx_end(r, 1) < 0) {
		srv_reply_db_error(r);
		return -1;
	}
	return 0;
}

/*
 * The end of a login or an activation: a new refresh-token family for the user, the
 * transaction committed, and the session answered from the user's row (user, row 0, with
 * token_version after the user columns).
 */
static void start_session(struct srv_req *r, const char *school, const char *uid,
			  const PGresult *user)
{
	char *refresh = srv_session_refresh_new(r, school, uid);

	if (!refresh) {
		srv_reply_db_error(r);
		return;
	}
	if (commit(r) == 0)
		srv_reply_session(r, user, 0, 0, db_long(user, 0, SESSION_TOKEN_VERSION),
				   refresh, srv_cfg.refresh_ttl);
	OPENSSL_cleanse(refresh, strlen(refresh));
	free(refresh);
}

static void bad_credentials(struct srv_req *r, const char *what)
{
	srv_reply_error(r, SRV_ERR_BAD_CREDENTIALS, NULL, "wrong school, username or %s", what);
}

/*
 * The opening of login and activation: the address throttle, then the transaction in the
 * school named by slug, then the account's row by st with (school, who). 0 with *res the
 * rows, or NULL when there is no such school; -1 when answered (throttled, database error).
 */
static int find_account(struct srv_req *r, const char *slug, char school[37],
			const struct db_stmt *st, const char *who, PGresult **res)
{
	long wait;
	int rc;

	*res = NULL;
	if ((wait = addr_throttled(r)) != 0) {
		if (wait < 0)
			srv_reply_db_error(r);
		else
			srv_reply_throttled(r, wait);
		return -1;
	}
	if (srv_tx_begin(r, NULL) < 0)
		return -1;
	rc = srv_school_by_slug(r, slug, school);
	if (rc < 0) {
		srv_reply_db_error(r);
		return -1;
	}
	if (rc == 0)
		return 0;
	if (srv_tx_set_school(r, school) < 0)
		return -1;
	*res = srv_exec(r, st, (const char *[]){ school, who });
	if (!*res)
		return -1;
	return 0;
}

/* ---- POST /auth/login ---- */

/* The user columns, then token_version and password_hash. */
enum { LOGIN_PASSWORD_HASH = SESSION_TOKEN_VERSION + 1 };
#define LOGIN_SELECT "SELECT " SRV_USER_COLS ", u.token_version, u.password_hash FROM users u "

static const struct db_stmt q_login_username = DB_STMT("session_login_username", 2,
	LOGIN_SELECT "WHERE u.school_id = $1 AND lower(u.username) = lower($2)");
static const struct db_stmt q_login_email = DB_STMT("session_login_email", 2,
	LOGIN_SELECT "WHERE u.school_id = $1 AND lower(u.email) = lower($2)");

static void login(struct srv_req *r)
{
	const char *slug, *username, *email, *password, *hash;
	char school[37];
	PGresult *res = NULL;
	int miss_user, miss_email, rc;
	long wait;

	if (!(slug = srv_body_str(r, "school", 1, 63, NULL)))
		return;
	username = srv_body_str(r, "username", 1, 254, &miss_user);
	if (!username && !miss_user)
		return;
	email = srv_body_str(r, "email", 1, 254, &miss_email);
	if (!email && !miss_email)
		return;
	if (!username == !email) {
		srv_reply_error(r, SRV_ERR_INVALID, "username", "give one of 'username' and 'email'");
		return;
	}
	if (!(password = srv_body_str(r, "password", 1, 1024, NULL)))
		return;
	if (find_account(r, slug, school, username ? &q_login_username : &q_login_email,
			 username ? username : email, &res) < 0)
		return;
	if (!res || PQntuples(res) != 1) {
		/* no such school or user: the same time as a wrong password, the same answer */
		if (srv_password_check(password, NULL) < 0)
			srv_reply_busy(r);
		else
			bad_credentials(r, "password");
		goto out;
	}
	{
		const char *uid = db_str(res, 0, SRV_USER_ID);
		char attempt[37];

		/*
		 * The transaction only read: ended, so the attempt is counted (and committed,
		 * whatever the answer) in one of its own, the account locked for it alone.
		 */
		if (srv_tx_end(r, 1) < 0) {
			srv_reply_db_error(r);
			goto out;
		}
		wait = srv_throttle_attempt(r, school, uid, attempt);
		if (wait < 0) {
			srv_reply_db_error(r);
			goto out;
		}
		if (wait > 0) {
			srv_reply_throttled(r, wait);
			goto out;
		}
		hash = db_str(res, 0, LOGIN_PASSWORD_HASH);
		rc = srv_password_check(password, hash);
		/* only a wrong password of an account that has one is a failure */
		if ((rc != 0 || !hash) && srv_throttle_forgive(r, school, attempt) < 0) {
			srv_reply_db_error(r);
			goto out;
		}
		if (rc < 0) {
			srv_reply_busy(r);
			goto out;
		}
		if (!rc) {
			bad_credentials(r, "password");
			goto out;
		}
		if (db_bool(res, 0, SRV_USER_DISABLED)) {
			srv_reply_error(r, SRV_ERR_FORBIDDEN, NULL, "this account is disabled");
			goto out;
		}
		if (srv_tx_begin(r, school) < 0)
			goto out;
		start_session(r, school, uid, res);
	}
out:
	PQclear(res);
}

/* ---- POST /auth/refresh ---- */

enum { TOKEN_SCHOOL };
static const struct db_stmt q_refresh_school = DB_STMT("session_refresh_school", 1,
	"SELECT refresh_token_school($1)");

/* A refresh token: whether it is revoked, expired, rotated, rotated within the grace seconds. */
#define REFRESH_COLUMNS(first, next) \
	first(REFRESH_ID,       "id") \
	next(REFRESH_USER_ID,   "user_id") \
	next(REFRESH_FAMILY_ID, "family_id") \
	next(REFRESH_REVOKED,   "revoked_at IS NOT NULL") \
	next(REFRESH_EXPIRED,   "expires_at <= now()") \
	next(REFRESH_ROTATED,   "rotated_at IS NOT NULL") \
	next(REFRESH_IN_GRACE,  "rotated_at > now() - make_interval(secs => $3::int)")
enum { DB_COLS_ENUM(REFRESH_COLUMNS) };
static const struct db_stmt q_refresh_get = DB_STMT("session_refresh_get", 3,
	"SELECT " DB_COLS_SQL(REFRESH_COLUMNS) " "
	"FROM refresh_tokens WHERE school_id = $1 AND token_hash = $2 FOR UPDATE");

/* The child a rotation made: revoked, seconds it has left. */
enum { CHILD_REVOKED, CHILD_LEFT };
static const struct db_stmt q_refresh_child = DB_STMT("session_refresh_child", 3,
	"SELECT revoked_at IS NOT NULL, "
	"  greatest(ceil(extract(epoch FROM expires_at - now())), 0)::bigint "
	"FROM refresh_tokens WHERE school_id = $1 AND parent_id = $2 AND token_hash = $3");

/*
 * A reused refresh token: its family revoked, and the access tokens of the user too (their
 * token_version bumped, as logout-all does): a thief's access token dies with the family.
 */
static const struct db_stmt q_refresh_revoke = DB_STMT("session_refresh_revoke", 3,
	"WITH bump AS (UPDATE users SET token_version = token_version + 1 "
	"  WHERE school_id = $1 AND id = $3) "
	"UPDATE refresh_tokens SET revoked_at = now() "
	"WHERE school_id = $1 AND family_id = $2 AND revoked_at IS NULL");

static const struct db_stmt q_refresh_rotate = DB_STMT("session_refresh_rotate", 6,
	"WITH parent AS (UPDATE refresh_tokens SET rotated_at = now() "
	"  WHERE school_id = $1 AND id = $2) "
	"INSERT INTO refresh_tokens (school_id, user_id, family_id, parent_id, token_hash, "
	"  expires_at) "
	"VALUES ($1, $3, $4, $2, $5, now() + make_interval(secs => $6::int))");

static const struct db_stmt q_session_user = DB_STMT("session_user", 2,
	"SELECT " SRV_USER_COLS ", u.token_version FROM users u "
	"WHERE u.school_id = $1 AND u.id = $2");

/* The refresh token's school, after opening the transaction there: 1, 0 unknown, -1. */
static int enter_token_school(struct srv_req *r, const char *hash, char school[37])
{
	PGresult *res;

	if (srv_tx_begin(r, NULL) < 0)
		return -1;
	res = srv_exec(r, &q_refresh_school, (const char *[]){ hash });
	if (!res)
		return -1;
	if (db_null(res, 0, TOKEN_SCHOOL)) {
		PQclear(res);
		return 0;
	}
	snprintf(school, 37, "%s", db_str(res, 0, TOKEN_SCHOOL));
	PQclear(res);
	return srv_tx_set_school(r, school) < 0 ? -1 : 1;
}

static void refresh_refused(struct srv_req *r, const char *message)
{
	srv_set_header(r, "WWW-Authenticate", "Bearer realm=\"edu\", error=\"invalid_token\"");
	srv_reply_error(r, SRV_ERR_UNAUTHENTICATED, NULL, "%s", message);
}

static void refresh(struct srv_req *r)
{
	const char *token;
	char hash[65], school[37], id[37], user[37], family[37], child_hash[65], ttl[24];
	char grace[24], *child = NULL;
	PGresult *res = NULL, *user_res = NULL;
	long child_left = srv_cfg.refresh_ttl;
	int rc;

	if (!(token = srv_body_str(r, "refresh_token", 1, 256, NULL)))
		return;
	srv_sha256_hex(token, hash);
	rc = enter_token_school(r, hash, school);
	if (rc < 0)
		return;
	if (rc == 0) {
		refresh_refused(r, "the refresh token is not valid");
		return;
	}
	snprintf(grace, sizeof(grace), "%ld", srv_cfg.refresh_grace);
	res = srv_exec(r, &q_refresh_get, (const char *[]){ school, hash, grace });
	if (!res)
		return;
	if (PQntuples(res) != 1) {
		refresh_refused(r, "the refresh token is not valid");
		goto out;
	}
	snprintf(id, sizeof(id), "%s", db_str(res, 0, REFRESH_ID));
	snprintf(user, sizeof(user), "%s", db_str(res, 0, REFRESH_USER_ID));
	snprintf(family, sizeof(family), "%s", db_str(res, 0, REFRESH_FAMILY_ID));
	if (db_bool(res, 0, REFRESH_REVOKED)) {
		refresh_refused(r, "the refresh token has been revoked; log in again");
		goto out;
	}
	if (db_bool(res, 0, REFRESH_EXPIRED)) {
		refresh_refused(r, "the refresh token has expired; log in again");
		goto out;
	}
	child = srv_refresh_child(token);
	srv_sha256_hex(child, child_hash);
	if (db_bool(res, 0, REFRESH_ROTATED)) {
		int reuse = !db_bool(res, 0, REFRESH_IN_GRACE);

		if (!reuse) {
			/* rotated a moment ago: another process of the same client; same child */
			PGresult *c = srv_exec(r, &q_refresh_child,
						    (const char *[]){ school, id, child_hash });
			if (!c)
				goto out;
			reuse = PQntuples(c) != 1 || db_bool(c, 0, CHILD_REVOKED);
			if (!reuse)
				child_left = db_long(c, 0, CHILD_LEFT);
			PQclear(c);
		}
		if (reuse) {
			/* a used token came back: whoever holds the family, it is not safe */
			PGresult *v = srv_exec(r, &q_refresh_revoke,
					       (const char *[]){ school, family, user });
			if (!v)
				goto out;
			PQclear(v);
			if (commit(r) < 0)
				goto out;
			refresh_refused(r, "the refresh token was already used; every session "
					   "that came from it has ended, and every access token of "
					   "the account; log in again");
			goto out;
		}
	}
	user_res = srv_exec(r, &q_session_user, (const char *[]){ school, user });
	if (!user_res)
		goto out;
	if (PQntuples(user_res) != 1 || db_bool(user_res, 0, SRV_USER_DISABLED) ||
	    !db_bool(user_res, 0, SRV_USER_ACTIVATED)) {
		refresh_refused(r, "this account cannot log in");
		goto out;
	}
	if (!db_bool(res, 0, REFRESH_ROTATED)) {
		PGresult *v;

		snprintf(ttl, sizeof(ttl), "%ld", srv_cfg.refresh_ttl);
		v = srv_exec(r, &q_refresh_rotate,
				  (const char *[]){ school, id, user, family, child_hash, ttl });
		if (!v)
			goto out;
		PQclear(v);
	}
	if (commit(r) < 0)
		goto out;
	srv_reply_session(r, user_res, 0, 0, db_long(user_res, 0, SESSION_TOKEN_VERSION),
			   child, child_left);
out:
	if (child) {
		OPENSSL_cleanse(child, strlen(child));
		free(child);
	}
	PQclear(user_res);
	PQclear(res);
}

/* ---- POST /auth/logout, /auth/logout-all ---- */

static const struct db_stmt q_logout = DB_STMT("session_logout", 2,
	"UPDATE refresh_tokens SET revoked_at = now() "
	"WHERE school_id = $1 AND revoked_at IS NULL AND family_id = "
	"  (SELECT family_id FROM refresh_tokens WHERE school_id = $1 AND token_hash = $2)");

static void logout(struct srv_req *r)
{
	const char *token;
	char hash[65], school[37];
	PGresult *res;
	int rc;

	if (!(token = srv_body_str(r, "refresh_token", 1, 256, NULL)))
		return;
	srv_sha256_hex(token, hash);
	rc = enter_token_school(r, hash, school);
	if (rc < 0)
		return;
	/* an unknown token is logged out already */
	if (rc > 0) {
		res = srv_exec(r, &q_logout, (const char *[]){ school, hash });
		if (!res)
			return;
		PQclear(res);
		if (commit(r) < 0)
			return;
	}
	srv_reply_empty(r, 204);
}

static void logout_all(struct srv_req *r)
{
	if (srv_sessions_end(r, r->caller.school_id, r->caller.user_id) < 0) {
		srv_reply_db_error(r);
		return;
	}
	srv_reply_empty(r, 204);
}

/* ---- POST /auth/activate ---- */

/* The user columns, then token_version, activation_hash and whether it is still valid. */
enum { ACTIVATE_HASH = SESSION_TOKEN_VERSION + 1, ACTIVATE_VALID };
static const struct db_stmt q_activate_get = DB_STMT("session_activate_get", 2,
	"SELECT " SRV_USER_COLS ", u.token_version, u.activation_hash, "
	"  u.activation_expires_at > now() "
	"FROM users u WHERE u.school_id = $1 AND lower(u.username) = lower($2) FOR UPDATE");

static const struct db_stmt q_activate_set = DB_STMT("session_activate_set", 3,
	"UPDATE users u SET password_hash = $3, activation_hash = NULL, "
	"  activation_expires_at = NULL, token_version = token_version + 1, "
	"  version = version + 1, updated_at = now() "
	"WHERE u.school_id = $1 AND u.id = $2 "
	"RETURNING " SRV_USER_COLS ", u.token_version");

static void activate(struct srv_req *r)
{
	const char *slug, *username, *code, *password, *why, *stored;
	char school[37], uid[37], code_hash[65], pwhash[SRV_PASSWORD_HASH_MAX], attempt[37];
	PGresult *res = NULL, *set = NULL;
	long wait;

	if (!(slug = srv_body_str(r, "school", 1, 63, NULL)) ||
	    !(username = srv_body_str(r, "username", 1, 64, NULL)) ||
	    !(code = srv_body_str(r, "code", 1, 64, NULL)) ||
	    !(password = srv_body_str(r, "password", 1, 1024, NULL)))
		return;
	if ((why = srv_password_policy(password))) {
		srv_reply_error(r, SRV_ERR_INVALID, "password", "%s", why);
		return;
	}
	if (find_account(r, slug, school, &q_activate_get, username, &res) < 0)
		return;
	if (!res || PQntuples(res) != 1) {
		bad_credentials(r, "activation code");
		goto out;
	}
	snprintf(uid, sizeof(uid), "%s", db_str(res, 0, SRV_USER_ID));
	/* in the transaction, which holds the user row since find_account */
	wait = srv_throttle_attempt(r, school, uid, attempt);
	if (wait != 0) {
		if (wait < 0)
			srv_reply_db_error(r);
		else
			srv_reply_throttled(r, wait);
		goto out;
	}
	srv_code_hash(code, code_hash);
	stored = db_str(res, 0, ACTIVATE_HASH);
	if (!stored || strlen(stored) != 64 || CRYPTO_memcmp(stored, code_hash, 64)) {
		/* the failure counted must outlive the 4xx, which is rolled back */
		if (commit(r) < 0)
			goto out;
		bad_credentials(r, "activation code");
		goto out;
	}
	if (srv_throttle_forgive(r, school, attempt) < 0) {
		srv_reply_db_error(r);
		goto out;
	}
	if (!db_bool(res, 0, ACTIVATE_VALID)) {
		srv_reply_error(r, SRV_ERR_BAD_CREDENTIALS, NULL,
				"the activation code has expired; ask an administrator for a new one");
		goto out;
	}
	if (db_bool(res, 0, SRV_USER_DISABLED)) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, NULL, "this account is disabled");
		goto out;
	}
	if (srv_password_hash(password, pwhash, sizeof(pwhash)) < 0) {
		srv_reply_busy(r);
		goto out;
	}
	set = db_exec(r->tx, &q_activate_set, (const char *[]){ school, uid, pwhash });
	OPENSSL_cleanse(pwhash, sizeof(pwhash));
	if (!set || PQntuples(set) != 1) {
		if (!set)
			srv_reply_db_error(r);
		else
			srv_reply_internal(r, "activated user vanished");
		goto out;
	}
	start_session(r, school, uid, set);
out:
	PQclear(set);
	PQclear(res);
}

const struct srv_route srv_session_routes[] = {
	SRV_ROUTE("POST", "/api/v1/auth/login", login, SRV_PERM_PUBLIC,
	  SRV_ROUTE_NO_TX | SRV_ROUTE_NO_LOG_BODY,
	  SRV_FIELDS("school", "username", "email", "password")),
	SRV_ROUTE("POST", "/api/v1/auth/refresh", refresh, SRV_PERM_PUBLIC,
	  SRV_ROUTE_NO_TX | SRV_ROUTE_NO_LOG_BODY, SRV_FIELDS("refresh_token")),
	SRV_ROUTE("POST", "/api/v1/auth/logout", logout, SRV_PERM_PUBLIC,
	  SRV_ROUTE_NO_TX | SRV_ROUTE_NO_LOG_BODY, SRV_FIELDS("refresh_token")),
	SRV_ROUTE("POST", "/api/v1/auth/logout-all", logout_all, SRV_PERM_SESSION, 0, NULL),
	SRV_ROUTE("POST", "/api/v1/auth/activate", activate, SRV_PERM_PUBLIC,
	  SRV_ROUTE_NO_TX | SRV_ROUTE_NO_LOG_BODY,
	  SRV_FIELDS("school", "username", "code", "password")),
	SRV_ROUTES_END
};
