/*
 * The server's key and what it signs: access tokens (JWT, HS256 fixed by the server) and
 * the child of a rotated refresh token.
 */
#ifndef SRV_AUTH_JWT_H
#define SRV_AUTH_JWT_H

#include <stddef.h>

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
/*
 * The refresh token that replaces parent when it is rotated (caller frees): an HMAC of the
 * parent under a key derived from the JWT key, so the same child can be given again within
 * refresh_grace without keeping it anywhere in plain text.
 */
char *srv_refresh_child(const char *parent);

#endif
