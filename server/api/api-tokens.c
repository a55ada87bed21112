/*
 * /api/v1/tokens: the caller's personal API tokens (edu_pat_...) for scripts and cron.
 *
 * Only a login session may list, make or revoke them, never an API token, so a leaked
 * script token cannot mint more. The token text is shown once, in the answer that made it;
 * the database keeps its SHA-256. Revoking deletes the row.
 */
#include "config.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/crypto.h"
#include "core/req.h"
#include "core/route.h"
#include "db/db.h"
#include "kit/body.h"
#include "kit/page.h"
#include "kit/query.h"
#include "buf.h"
#include "model/api_token.h"
#include "xalloc.h"

#define TOKENS_PER_USER 100
#define STRINGIFY(x) #x
#define TEXT_OF(x) STRINGIFY(x)
#define TOKEN_COLUMNS(first, next) \
	first(TOKEN_ID,            "t.id") \
	next(TOKEN_NAME,           "t.name") \
	next(TOKEN_SCOPE,          "t.scope") \
	next(TOKEN_CREATED_AT,     DB_TS("t.created_at")) \
	next(TOKEN_EXPIRES_AT,     DB_TS("t.expires_at")) \
	next(TOKEN_LAST_USED_AT,   DB_TS("t.last_used_at"))
enum token_col { DB_COLS_ENUM(TOKEN_COLUMNS) TOKEN_NCOLS };
#define TOKEN_COLS DB_COLS_SQL(TOKEN_COLUMNS)

/* Points t's strings into res (valid until PQclear(res); do not release t). */
static void token_from_row(struct edu_api_token *t, const PGresult *res, int row)
{
	memset(t, 0, sizeof(*t));
	t->id = (char *)db_str(res, row, TOKEN_ID);
	t->name = (char *)db_str(res, row, TOKEN_NAME);
	t->scope = (char *)db_str(res, row, TOKEN_SCOPE);
	t->created_at = (char *)db_str(res, row, TOKEN_CREATED_AT);
	t->expires_at = (char *)db_str(res, row, TOKEN_EXPIRES_AT);
	t->last_used_at = (char *)db_str(res, row, TOKEN_LAST_USED_AT);
}

static cJSON *token_json(const PGresult *res, int row, const char *secret)
{
	struct edu_api_token t;

	token_from_row(&t, res, row);
	t.token = (char *)secret;
	return edu_api_token_to_json(&t);
}

/* $3: the id of the last token seen (the cursor) or NULL; $4: the page size. */
static const struct db_stmt q_token_list = DB_STMT("token_list", 4,
	"SELECT " TOKEN_COLS " FROM api_tokens t "
	"WHERE t.school_id = $1 AND t.user_id = $2 "
	"  AND ($3::uuid IS NULL OR (t.created_at, t.id) > "
	"    (SELECT c.created_at, c.id FROM api_tokens c WHERE c.school_id = $1 AND c.id = $3)) "
	"ORDER BY t.created_at, t.id LIMIT $4::int + 1");

static cJSON *token_row(const PGresult *res, int row, void *ctx)
{
	(void)ctx;
	return token_json(res, row, NULL);
}

static void list(struct srv_req *r)
{
	struct srv_page pg;

	if (srv_page_start(r, &pg, SRV_CURSOR_UUID) < 0)
		return;
	srv_page_query(r, &pg, &q_token_list, (const char *[]){
		r->caller.school_id, r->caller.user_id, pg.after, pg.limit_s }, TOKEN_ID, token_row,
		NULL);
}

/* Nothing is inserted when the user has TOKENS_PER_USER already. */
static const struct db_stmt q_token_create = DB_STMT("token_create", 6,
	"INSERT INTO api_tokens AS t (school_id, user_id, name, scope, token_hash, expires_at) "
	"SELECT $1, $2, $3, $4, $5, "
	"  CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval(days => $6::int) END "
	"WHERE (SELECT count(*) FROM api_tokens WHERE school_id = $1 AND user_id = $2) "
	"  < " TEXT_OF(TOKENS_PER_USER) " "
	"RETURNING " TOKEN_COLS);

static const char *check_name(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "a token name holds no control characters";
	return NULL;
}

/* 422 naming the scopes there are: "'scope' is "read" or "write"". */
static void bad_scope(struct srv_req *r)
{
	struct edu_buf b = EDU_BUF_INIT;

	edu_buf_adds(&b, "'scope' is ");
	for (int i = 0; edu_token_scopes[i]; i++)
		edu_buf_printf(&b, "%s\"%s\"", !i ? "" : edu_token_scopes[i + 1] ? ", " : " or ",
			   edu_token_scopes[i]);
	srv_reply_error(r, SRV_ERR_INVALID, "scope", "%s", b.data);
	edu_buf_release(&b);
}

static void create(struct srv_req *r)
{
	const char *name, *scope, *why;
	const cJSON *days;
	char hash[65], ndays[16], *secret = NULL, *random;
	PGresult *res;
	int has_days = 0;

	if (!(name = srv_body_str(r, "name", 1, 100, NULL)) ||
	    !(scope = srv_body_str(r, "scope", 1, 16, NULL)))
		return;
	if ((why = check_name(name))) {
		srv_reply_error(r, SRV_ERR_INVALID, "name", "%s", why);
		return;
	}
	if (edu_token_scope_index(scope) < 0) {
		bad_scope(r);
		return;
	}
	days = cJSON_GetObjectItemCaseSensitive(r->json, "expires_days");
	if (days && !cJSON_IsNull(days)) {
		if (!cJSON_IsNumber(days) || days->valuedouble != (double)(int)days->valuedouble ||
		    days->valuedouble < 1 || days->valuedouble > 3650) {
			srv_reply_error(r, SRV_ERR_INVALID, "expires_days",
					"'expires_days' is a whole number from 1 to 3650");
			return;
		}
		snprintf(ndays, sizeof(ndays), "%d", (int)days->valuedouble);
		has_days = 1;
	}
	random = srv_random_token(32);
	secret = xasprintf("edu_pat_%s", random);
	OPENSSL_cleanse(random, strlen(random));
	free(random);
	srv_sha256_hex(secret, hash);
	res = db_exec(r->tx, &q_token_create, (const char *[]){
		r->caller.school_id, r->caller.user_id, name, scope, hash,
		has_days ? ndays : NULL });
	if (!res) {
		srv_reply_db_conflict(r, "name", "you have an API token of that name already");
		goto out;
	}
	if (PQntuples(res) != 1)
		srv_reply_error(r, SRV_ERR_CONFLICT, NULL,
				"you have %d API tokens already; revoke one first", TOKENS_PER_USER);
	else
		srv_reply_json(r, 201, token_json(res, 0, secret));
	PQclear(res);
out:
	OPENSSL_cleanse(secret, strlen(secret));
	free(secret);
}

static const struct db_stmt q_token_delete = DB_STMT("token_delete", 3,
	"DELETE FROM api_tokens WHERE school_id = $1 AND user_id = $2 AND id = $3");

static void revoke(struct srv_req *r)
{
	PGresult *res;

	res = srv_exec(r, &q_token_delete, (const char *[]){
		r->caller.school_id, r->caller.user_id, r->params[0] });
	if (!res)
		return;
	if (strcmp(PQcmdTuples(res), "1"))
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such API token");
	else
		srv_reply_empty(r, 204);
	PQclear(res);
}

const struct srv_route srv_api_token_routes[] = {
	SRV_ROUTE("GET", "/api/v1/tokens", list, SRV_PERM_SESSION, 0, NULL),
	SRV_ROUTE("POST", "/api/v1/tokens", create, SRV_PERM_SESSION, SRV_ROUTE_SECRET_ANSWER,
	  SRV_FIELDS("name", "scope", "expires_days")),
	SRV_ROUTE("DELETE", "/api/v1/tokens/{id:uuid}", revoke, SRV_PERM_SESSION, 0, NULL),
	SRV_ROUTES_END
};
