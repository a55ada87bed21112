/*
 * Who is calling, and the cryptography behind it.
 *
 * token.c: access tokens (JWT, HS256 fixed by the server), random tokens, SHA-256.
 * password.c: libxcrypt hashing in a bounded pool.
 * auth.c: srv_authenticate(), which http.c calls before every non-public handler.
 */
#ifndef SRV_AUTH_H
#define SRV_AUTH_H

#include <stddef.h>

#include "http.h"

struct srv_jwt_claims {
	char sub[37];		/* user id */
	char sch[37];		/* school id */
	char role[16];
	long ver;		/* token_version of the user when issued */
	long iat, exp;
};

/* Loads or creates the JWT key (config jwt_secret, else data_dir/jwt.key). 0 or -1. */
int srv_token_init(void);
/* Sets the key directly (unit tests). */
void srv_token_set_key(const unsigned char *key, size_t len);
/* A new access token (caller frees). */
char *srv_jwt_issue(const char *user_id, const char *school_id, const char *role, long ver,
		    long ttl);
/*
 * Verifies an access token: signature with the server's one algorithm, typ, iss, aud,
 * exp, iat, nbf, size and charset. Returns 0 and fills c, or -1 (bad) or -2 (expired).
 */
int srv_jwt_verify(const char *token, struct srv_jwt_claims *c);

/* nbytes of randomness, base64url without padding, into out (caller frees). */
char *srv_random_token(size_t nbytes);
/* Lower-case hex SHA-256 of s into out[65]. */
void srv_sha256_hex(const char *s, char out[65]);
/*
 * The refresh token that replaces parent when it is rotated (caller frees): an HMAC of the
 * parent under a key derived from the JWT key, so the same child can be given again within
 * refresh_grace without keeping it anywhere in plain text.
 */
char *srv_refresh_child(const char *parent);

/*
 * Password hashing (yescrypt) in a bounded pool. 0 or -1 (-1 also when no hashing slot
 * freed soon: answer 503). out is at least 128 bytes.
 */
int srv_password_init(void);
int srv_password_hash(const char *password, char *out, size_t outlen);
/*
 * 1 when password matches hash, 0 when not (also for a NULL or empty hash, after spending
 * the time of a real verify). Waits as long as it takes for a slot.
 */
int srv_password_verify(const char *password, const char *hash);
/* The same, for requests: -1 when no slot freed soon (a login flood; answer 503). */
int srv_password_check(const char *password, const char *hash);
/* Length and content rules; NULL when fine, else the reason. */
const char *srv_password_policy(const char *password);

/*
 * Checks the Authorization header against the route's permission, opens the request
 * transaction for the caller's school and fills r->caller. Returns 0, or -1 after answering
 * (401, 403, 503).
 */
int srv_authenticate(struct srv_req *r);
/*
 * The same in two halves, for a request that may wait for its caller's row without holding
 * its worker. srv_auth_begin() returns 0 or -1 as srv_authenticate() does, or 1 when the
 * request was suspended (srv_req_suspend) while the batcher reads the row: once resumed,
 * srv_auth_finish() (r->auth_wait is set) ends the check, 0 or -1 after answering. A
 * request that ends without srv_auth_finish() lets go of its wait with srv_auth_release().
 */
int srv_auth_begin(struct srv_req *r);
int srv_auth_finish(struct srv_req *r);
void srv_auth_release(struct srv_req *r);
/*
 * The thread that reads the callers' rows of the waiting requests, many in one round trip:
 * started before the HTTP workers, stopped (once every queued check is answered) before
 * them. When it does not run, srv_auth_begin() reads the row itself, as srv_authenticate().
 */
int srv_auth_start(void);
void srv_auth_stop(void);
/*
 * The caller's user row as srv_authenticate() read it (no query): for r only, NULL for any
 * other request or when r was not authenticated. Points into thread-local storage that the
 * next srv_authenticate() on this thread overwrites.
 */
const struct edu_user *srv_auth_user(const struct srv_req *r);

#endif
