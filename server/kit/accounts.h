/*
 * What the account handlers share (sessions.c, users.c, tokens.c, schools.c, demo.c):
 * reading user rows, the role rules, activation codes, starting sessions, throttling
 * failed passwords, and ?school=SLUG. Nothing here is a route.
 */
#ifndef SRV_ACCOUNTS_H
#define SRV_ACCOUNTS_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "core/req.h"
#include "model.h"

/* Room for a password hash (yescrypt's is about 73 bytes). */
#define ACCT_HASH_MAX 128

/* 1 when a caller of role `caller` may give `role` (docs/api.md, "Roles"). */
int acct_can_grant(enum edu_role caller, enum edu_role role);

/* Field rules; NULL when fine, else the reason. */
const char *acct_check_username(const char *s);
const char *acct_check_email(const char *s);
const char *acct_check_display_name(const char *s);
const char *acct_check_slug(const char *s);

/*
 * An optional body field that may be null: 0 absent, 1 present (*out NULL for null), -1
 * after answering 422 (not a string, or check gave a reason).
 */
int acct_opt_text(struct srv_req *r, const char *key, const char *(*check)(const char *),
		  const char **out);

/*
 * Activation codes: 16 characters of Crockford base32 in groups of four (80 bits), shown
 * once and kept as SHA-256. A code typed back is normalised first (case, dashes, spaces,
 * O/I/L), so acct_code_hash(what the user typed) matches the stored hash.
 */
char *acct_new_code(char hash[65]);
void acct_code_hash(const char *code, char hash[65]);
/*
 * The codes people type (activation codes, a course's join code) are Crockford base32: no
 * I, L, O or U, so they read back unambiguously. acct_code_char() takes one typed character
 * as the code has it: upper case, O as 0, I and L as 1; 0 for a space or a dash, which
 * do not count.
 */
extern const char acct_crockford[33];
int acct_code_char(int c);

/*
 * Starts a refresh-token family for the user; returns the token (caller frees), or NULL
 * after a database failure (not answered: call srv_reply_db_error).
 */
char *acct_refresh_new(struct srv_req *r, const char *school_id, const char *user_id);
/*
 * Answers 200 with a session: a new access token for the user in row `row` of res (user
 * columns from col, as SRV_USER_COLS), the refresh token and its lifetime in seconds.
 */
void acct_reply_session(struct srv_req *r, const PGresult *res, int row, int col, long ver,
			const char *refresh, long refresh_expires_in);

/*
 * Ends every session of a user: bumps token_version (access tokens die) and revokes every
 * refresh token. 0, or -1 after a database failure (not answered).
 */
int acct_end_sessions(struct srv_req *r, const char *school_id, const char *user_id);

/*
 * Throttling of wrong passwords and codes per account (login_max_failures per
 * login_failure_window). acct_throttled gives the seconds to wait (0: go ahead) or -1
 * after a database failure; acct_failed records one failure.
 */
long acct_throttled(struct srv_req *r, const char *school_id, const char *user_id);
int acct_failed(struct srv_req *r, const char *school_id, const char *user_id);
/* 429 rate_limited with Retry-After. */
void acct_reply_throttled(struct srv_req *r, long seconds);
/* 503 with Retry-After: 1, when the password pool stayed busy. */
void acct_reply_busy(struct srv_req *r);

/* The definer lookup of a school by slug: 1 found (id in out), 0 none, -1 database failure. */
int acct_school_by_slug(struct srv_req *r, const char *slug, char out[37]);
/*
 * ?school=SLUG on the /users routes: fills school with the school the request acts in
 * (the caller's own, or for a super_admin the one named, after switching the transaction
 * to it). 0, or -1 after answering (403 for anyone else, 404 for no such school).
 */
int acct_acting_school(struct srv_req *r, char school[37]);


#endif
