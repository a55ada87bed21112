/* A request's statements and their failures (see query.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "core/req.h"
#include "db/db.h"
#include "kit/query.h"

PGresult *srv_exec(struct srv_req *r, const struct db_stmt *st, const char *const *params)
{
	PGresult *res = db_exec(r->tx, st, params);

	if (!res)
		srv_reply_db_error(r);
	return res;
}

void srv_reply_db_error(struct srv_req *r)
{
	switch (db_failure()) {
	case DB_FAIL_UNIQUE:
		srv_reply_error(r, SRV_ERR_CONFLICT, NULL, "it already exists");
		break;
	case DB_FAIL_GONE:
		srv_reply_error(r, SRV_ERR_UNAVAILABLE, NULL, "the database is unavailable");
		break;
	case DB_FAIL_RETRY:
		srv_reply_error(r, SRV_ERR_CONFLICT, NULL, "a concurrent change got in the way; retry");
		break;
	case DB_FAIL_DENIED:
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "not found");
		break;
	case DB_FAIL_BAD_VALUE:
		srv_reply_error(r, SRV_ERR_BAD_REQUEST, NULL, "a value is malformed");
		break;
	case DB_FAIL_RULE:
		srv_reply_error(r, SRV_ERR_INVALID, NULL, "the change breaks a rule of the data");
		break;
	case DB_FAIL_OTHER:
		srv_reply_internal(r, "database error");
		break;
	}
}

void srv_reply_db_conflict(struct srv_req *r, const char *field, const char *fmt, ...)
{
	char message[512];
	va_list ap;

	if (!db_is_unique_violation()) {
		srv_reply_db_error(r);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	srv_reply_error(r, SRV_ERR_CONFLICT, field, "%s", message);
}

int srv_tx_begin(struct srv_req *r, const char *school_id)
{
	int begun = r->tx->begun;

	if (db_tx_begin(r->tx, school_id, r->caller.user_id,
			r->caller.authenticated ? edu_role_name(r->caller.role) : NULL) == 0)
		return 0;
	if (!begun)
		srv_reply_error(r, SRV_ERR_UNAVAILABLE, NULL, "the database is unavailable");
	else
		srv_reply_db_error(r);
	return -1;
}

int srv_tx_set_school(struct srv_req *r, const char *school_id)
{
	if (!r->tx->begun)
		return srv_tx_begin(r, school_id);
	if (db_tx_set_school(r->tx, school_id) < 0) {
		srv_reply_db_error(r);
		return -1;
	}
	return 0;
}

int srv_tx_end(struct srv_req *r, int commit)
{
	return db_tx_end(r->tx, commit);
}
