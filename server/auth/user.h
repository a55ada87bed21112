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
 * The columns of a user as the API shows it, for a query that calls the users table u
 * (SRV_USER_COLS in its SELECT list); srv_user_from_row() reads them from a given column
 * on, by name. A query that adds columns after them names those SRV_USER_NCOLS + k.
 */
#define SRV_USER_COLUMNS(first, next) \
	first(SRV_USER_ID,           "u.id") \
	next(SRV_USER_SCHOOL_ID,     "u.school_id") \
	next(SRV_USER_USERNAME,      "u.username") \
	next(SRV_USER_EMAIL,         "u.email") \
	next(SRV_USER_DISPLAY_NAME,  "u.display_name") \
	next(SRV_USER_ROLE,          "u.role") \
	next(SRV_USER_DISABLED,      "u.disabled") \
	next(SRV_USER_ACTIVATED,     "u.password_hash IS NOT NULL") \
	next(SRV_USER_CREATED_AT,    DB_TS("u.created_at")) \
	next(SRV_USER_UPDATED_AT,    DB_TS("u.updated_at")) \
	next(SRV_USER_VERSION,       "u.version")

enum srv_user_col { DB_COLS_ENUM(SRV_USER_COLUMNS) SRV_USER_NCOLS };
#define SRV_USER_COLS DB_COLS_SQL(SRV_USER_COLUMNS)

/* Points u's strings into res (no copies: valid until PQclear(res); do not release u). */
void srv_user_from_row(struct edu_user *u, const PGresult *res, int row, int col);
cJSON *srv_user_json(const PGresult *res, int row, int col);

#endif
