/* Wrong passwords and codes counted per account (see throttle.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "auth/throttle.h"
#include "core/conf.h"
#include "core/req.h"
#include "db/db.h"

static const struct db_stmt q_failures = DB_STMT("throttle_failures", 3,
	"SELECT count(*), ceil(extract(epoch FROM "
	"  min(at) + make_interval(secs => $3::int) - now()))::bigint "
	"FROM login_failures "
	"WHERE school_id = $1 AND user_id = $2 AND at > now() - make_interval(secs => $3::int)");

long srv_throttle_wait(struct srv_req *r, const char *school_id, const char *user_id)
{
	char window[24];
	PGresult *res;
	long count, wait;

	if (srv_cfg.login_max_failures <= 0)
		return 0;
	snprintf(window, sizeof(window), "%ld", srv_cfg.login_failure_window);
	res = db_exec(r->tx, &q_failures, (const char *[]){ school_id, user_id, window });
	if (!res)
		return -1;
	count = atol(PQgetvalue(res, 0, 0));
	wait = atol(PQgetvalue(res, 0, 1));
	PQclear(res);
	if (count < srv_cfg.login_max_failures)
		return 0;
	return wait > 0 ? wait : 1;
}

static const struct db_stmt q_failed = DB_STMT("srv_throttle_failed", 3,
	"WITH gone AS (DELETE FROM login_failures WHERE school_id = $1 AND user_id = $2 "
	"  AND at <= now() - make_interval(secs => $3::int)) "
	"INSERT INTO login_failures (school_id, user_id) VALUES ($1, $2)");

int srv_throttle_failed(struct srv_req *r, const char *school_id, const char *user_id)
{
	char window[24];
	PGresult *res;

	snprintf(window, sizeof(window), "%ld", srv_cfg.login_failure_window);
	res = db_exec(r->tx, &q_failed, (const char *[]){ school_id, user_id, window });
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
