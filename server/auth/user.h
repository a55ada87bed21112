/*
 * A user row as the server reads it: the columns of a user as the API shows it, read by
 * authentication (the caller's row) and by the account handlers.
 */
#ifndef SRV_AUTH_USER_H
#define SRV_AUTH_USER_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "db/db.h"
#include "model.h"

/*
 * The columns of a user as the API shows it, for a query that calls the users table u;
 * srv_user_from_row() reads them starting at a given column.
 */
#define SRV_USER_COLS \
	"u.id, u.school_id, u.username, u.email, u.display_name, u.role, u.disabled, " \
	"u.password_hash IS NOT NULL, " DB_TS("u.created_at") ", " DB_TS("u.updated_at") \
	", u.version"
#define SRV_USER_NCOLS 11

/* Points u's strings into res (no copies: valid until PQclear(res); do not release u). */
void srv_user_from_row(struct edu_user *u, const PGresult *res, int row, int col);
cJSON *srv_user_json(const PGresult *res, int row, int col);

#endif
