/* Wrong passwords and codes counted per account (see throttle.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "auth/throttle.h"
#include "core/conf.h"
#include "core/req.h"
#include "db/db.h"

/*
 * The account's attempts go one at a time: its user row locked, in a transaction that ends
 * right after the attempt is counted (not during the password's hash, which would hold a
 * worker), so the count after it sees the attempts of every one before.
 */
static const struct db_stmt q_lock = DB_STMT("throttle_lock", 2,
	"SELECT 1 FROM users WHERE school_id = $1 AND id = $2 FOR UPDATE");

/*
 * Counts the attempt ($4 failures at most in the last $3 seconds): the new row's id, or
 * NULL when there are as many already; then the seconds until the oldest of them leaves
 * the window (NULL when there are none).
 */
enum { ATTEMPT_ID, ATTEMPT_WAIT };
static const struct db_stmt q_attempt = DB_STMT("throttle_attempt", 4,
	"WITH gone AS (DELETE FROM login_failures WHERE school_id = $1 AND user_id = $2 "
	"  AND at <= now() - make_interval(secs => $3::int)), "
	"n AS (SELECT count(*) AS failures, min(at) AS oldest FROM login_failures "
	"  WHERE school_id = $1 AND user_id = $2 AND at > now() - make_interval(secs => $3::int)), "
	"ins AS (INSERT INTO login_failures (school_id, user_id) "
	"  SELECT $1, $2 FROM n WHERE n.failures < $4::bigint RETURNING id) "
	"SELECT (SELECT id FROM ins), "
	"  ceil(extract(epoch FROM n.oldest + make_interval(secs => $3::int) - now()))::bigint "
	"FROM n");

static const struct db_stmt q_forgive = DB_STMT("throttle_forgive", 2,
	"DELETE FROM login_failures WHERE school_id = $1 AND id = $2");

long srv_throttle_attempt(struct srv_req *r, const char *school_id, const char *user_id,
			  char attempt[37])
{
	const struct db_stmt *sts[2] = { &q_lock, &q_attempt };
	char window[24], max[24];
	const char *lock_p[] = { school_id, user_id };
	const char *attempt_p[] = { school_id, user_id, window, max };
	const char *const *params[2] = { lock_p, attempt_p };
	PGresult *out[2];
	long wait = 0;

	attempt[0] = '\0';
	if (srv_cfg.login_max_failures <= 0)
		return 0;
	snprintf(window, sizeof(window), "%ld", srv_cfg.login_failure_window);
	snprintf(max, sizeof(max), "%ld", srv_cfg.login_max_failures);
	if (db_exec_alone_n(r->tx, school_id, 2, sts, params, out) < 0)
		return -1;
	if (!db_null(out[1], 0, ATTEMPT_ID)) {
		snprintf(attempt, 37, "%s", db_str(out[1], 0, ATTEMPT_ID));
	} else {
		wait = db_long(out[1], 0, ATTEMPT_WAIT);
		wait = wait > 0 ? wait : 1;
	}
	PQclear(out[0]);
	PQclear(out[1]);
	return wait;
}

int srv_throttle_forgive(struct srv_req *r, const char *school_id, const char *attempt)
{
	PGresult *res;

	if (!attempt[0])
		return 0;
	res = db_exec_alone(r->tx, school_id, &q_forgive, (const char *[]){ school_id, attempt });
	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

void srv_reply_throttled(struct srv_req *r, long seconds)
{
	char s[24];

	snprintf(s, sizeof(s), "%ld", seconds);
	srv_set_header(r, "Retry-After", s);
	srv_reply_error(r, SRV_ERR_RATE_LIMITED, NULL,
			"too many attempts; try again in %ld seconds", seconds);
}

void srv_reply_busy(struct srv_req *r)
{
	srv_set_header(r, "Retry-After", "1");
	srv_reply_error(r, SRV_ERR_UNAVAILABLE, NULL, "the server is busy checking passwords; retry");
}
