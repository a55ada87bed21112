/*
 * Throttling of wrong passwords and codes per account (login_max_failures per
 * login_failure_window), counted in the database so that every edud on it shares the count.
 */
#ifndef SRV_AUTH_THROTTLE_H
#define SRV_AUTH_THROTTLE_H

#include "core/req.h"

/*
 * One attempt at an account's password or code, counted as a failure before the secret is
 * checked, in one statement after the account's lock, so that attempts made at once are
 * counted one after the other and no more than login_max_failures get through in a window
 * (counted after the hash, attempts made at once all passed the check before any counted).
 * Runs in the request transaction when it is open (the count is then committed with it),
 * else in a transaction of its own (committed at once: end a transaction that only read
 * first, so the lock is held for this statement, not during the hash). Returns 0 with the
 * attempt counted (its id in attempt), the seconds to wait when the account has used up its
 * failures (nothing counted), or -1 after a database failure (not answered).
 */
long srv_throttle_attempt(struct srv_req *r, const char *school_id, const char *user_id,
			  char attempt[37]);
/*
 * The attempt was no failure (the secret was right, or never checked): it is forgotten,
 * in the request transaction when it is open, else at once. 0, or -1 (not answered).
 */
int srv_throttle_forgive(struct srv_req *r, const char *school_id, const char *attempt);
/* 429 rate_limited with Retry-After. */
void srv_reply_throttled(struct srv_req *r, long seconds);
/* 503 with Retry-After: 1, when the password pool stayed busy. */
void srv_reply_busy(struct srv_req *r);

#endif
