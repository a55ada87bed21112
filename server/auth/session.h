/*
 * Sessions: a refresh-token family begun for a user, the answer that gives a new access
 * token with it, and every session of a user ended.
 */
#ifndef SRV_AUTH_SESSION_H
#define SRV_AUTH_SESSION_H

#include <libpq-fe.h>

#include "core/req.h"

/*
 * Starts a refresh-token family for the user; returns the token (caller frees), or NULL
 * after a database failure (not answered: db_sqlstate() says why).
 */
char *srv_session_refresh_new(struct srv_req *r, const char *school_id, const char *user_id);
/*
 * Answers 200 with a session: a new access token for the user in row `row` of res (user
 * columns from col, as SRV_USER_COLS), the refresh token and its lifetime in seconds.
 */
void srv_reply_session(struct srv_req *r, const PGresult *res, int row, int col, long ver,
		       const char *refresh, long refresh_expires_in);
/*
 * Ends every session of a user: bumps token_version (access tokens die) and revokes every
 * refresh token. 0, or -1 after a database failure (not answered).
 */
int srv_sessions_end(struct srv_req *r, const char *school_id, const char *user_id);

#endif
