/* Sessions: refresh-token families begun and ended, and the answer that starts one. */
#include "config.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/crypto.h"
#include "auth/jwt.h"
#include "auth/session.h"
#include "auth/user.h"
#include "core/conf.h"
#include "core/req.h"
#include "db/db.h"

static const struct db_stmt q_refresh_new = DB_STMT("srv_session_refresh_new", 4,
	"INSERT INTO refresh_tokens (school_id, user_id, family_id, token_hash, expires_at) "
	"VALUES ($1, $2, gen_random_uuid(), $3, now() + make_interval(secs => $4::int))");

char *srv_session_refresh_new(struct srv_req *r, const char *school_id, const char *user_id)
{
	char *token = srv_random_token(32), hash[65], ttl[24];
	PGresult *res;

	srv_sha256_hex(token, hash);
	snprintf(ttl, sizeof(ttl), "%ld", srv_cfg.refresh_ttl);
	res = db_exec(r->tx, &q_refresh_new, (const char *[]){ school_id, user_id, hash, ttl });
	if (!res) {
		free(token);
		return NULL;
	}
	PQclear(res);
	return token;
}

void srv_reply_session(struct srv_req *r, const PGresult *res, int row, int col, long ver,
			const char *refresh, long refresh_expires_in)
{
	struct edu_user u;
	cJSON *j = cJSON_CreateObject();
	char *access;

	srv_user_from_row(&u, res, row, col);
	access = srv_jwt_issue(u.id, u.school_id, u.role, ver, srv_cfg.access_ttl);
	cJSON_AddStringToObject(j, "access_token", access);
	cJSON_AddStringToObject(j, "token_type", "Bearer");
	cJSON_AddNumberToObject(j, "expires_in", (double)srv_cfg.access_ttl);
	cJSON_AddStringToObject(j, "refresh_token", refresh);
	cJSON_AddNumberToObject(j, "refresh_expires_in", (double)refresh_expires_in);
	cJSON_AddItemToObject(j, "user", edu_user_to_json(&u));
	OPENSSL_cleanse(access, strlen(access));
	free(access);
	srv_reply_json(r, 200, j);
}

static const struct db_stmt q_end_sessions = DB_STMT("srv_sessions_end", 2,
	"WITH bump AS (UPDATE users SET token_version = token_version + 1 "
	"  WHERE school_id = $1 AND id = $2) "
	"UPDATE refresh_tokens SET revoked_at = now() "
	"WHERE school_id = $1 AND user_id = $2 AND revoked_at IS NULL");

int srv_sessions_end(struct srv_req *r, const char *school_id, const char *user_id)
{
	PGresult *res = db_exec(r->tx, &q_end_sessions, (const char *[]){ school_id, user_id });

	if (!res)
		return -1;
	PQclear(res);
	return 0;
}
