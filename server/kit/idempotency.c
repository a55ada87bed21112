/*
 * Idempotency-Key on POST (see idempotency.h): the key's lock, its look-up, the replay of a
 * stored answer, and the row written with the effect.
 *
 * Two requests with one key are serialised by a transaction-level advisory lock on
 * edu.idempotency_lock_key(school, user, key) (004_idempotency.sql). It is tried, never
 * waited for: a second request while the first is in flight gets 409 at once, and the
 * client retries later and then finds the stored answer. The look-up is a statement of its
 * own after the lock, so that it sees a row committed by the transaction that held the lock
 * just before (each statement of a READ COMMITTED transaction takes a new snapshot); both
 * go in one round trip, with the BEGIN of the request transaction.
 */
#include "config.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "db/db.h"
#include "kit/idempotency.h"
#include "kit/query.h"

#define KEY_MAX 255
/* Expired rows of the school deleted by each row written: a bound on the work, while the
 * table still shrinks faster than it grows once the keys expire. */
#define PRUNE_BATCH "16"

enum { LOCK_TAKEN };
static const struct db_stmt q_lock = DB_STMT("idem_lock", 3,
	"SELECT pg_try_advisory_xact_lock(idempotency_lock_key($1, $2, $3))");

#define KEPT_COLUMNS(first, next) \
	first(KEPT_HASH,          "request_hash") \
	next(KEPT_STATUS,         "status") \
	next(KEPT_BODY,           "body") \
	next(KEPT_CONTENT_TYPE,   "content_type") \
	next(KEPT_LOCATION,       "location") \
	next(KEPT_ETAG,           "etag")
enum { DB_COLS_ENUM(KEPT_COLUMNS) };
static const struct db_stmt q_get = DB_STMT("idem_get", 4,
	"SELECT " DB_COLS_SQL(KEPT_COLUMNS) " "
	"FROM idempotency_keys "
	"WHERE school_id = $1 AND user_id = $2 AND key = $3 "
	"  AND created_at > now() - $4::bigint * interval '1 second'");

/*
 * The key's row, and a few expired rows of the school pruned on the way (as upload_expire
 * does for uploads). An expired row of this very key may still be there: it is replaced.
 * SKIP LOCKED: rows that another request is replacing or pruning are left to it.
 */
static const struct db_stmt q_put = DB_STMT("idem_put", 12,
	"WITH pruned AS ("
	"  DELETE FROM idempotency_keys WHERE (school_id, user_id, key) IN ("
	"    SELECT school_id, user_id, key FROM idempotency_keys "
	"    WHERE school_id = $1 AND created_at <= now() - $12::bigint * interval '1 second' "
	"      AND NOT (user_id = $2 AND key = $3) "
	"    ORDER BY created_at LIMIT " PRUNE_BATCH " FOR UPDATE SKIP LOCKED)) "
	"INSERT INTO idempotency_keys (school_id, user_id, key, method, path, request_hash, "
	"  status, body, content_type, location, etag) "
	"VALUES ($1, $2, $3, $4, $5, $6, $7::integer, $8, $9, $10, $11) "
	"ON CONFLICT (school_id, user_id, key) DO UPDATE SET method = EXCLUDED.method, "
	"  path = EXCLUDED.path, request_hash = EXCLUDED.request_hash, "
	"  status = EXCLUDED.status, body = EXCLUDED.body, "
	"  content_type = EXCLUDED.content_type, location = EXCLUDED.location, "
	"  etag = EXCLUDED.etag, created_at = now()");

/* 1 to 255 printable ASCII characters (space to tilde). */
static int key_ok(const char *key)
{
	size_t n;

	for (n = 0; key[n]; n++)
		if (key[n] < 0x20 || key[n] > 0x7e || n >= KEY_MAX)
			return 0;
	return n > 0;
}

/* One part of the hashed request, length first, so that no two requests hash alike. */
static void hash_part(EVP_MD_CTX *md, const char *data, size_t len)
{
	char prefix[24];
	int n = snprintf(prefix, sizeof(prefix), "%zu:", len);

	EVP_DigestUpdate(md, prefix, (size_t)n);
	EVP_DigestUpdate(md, data, len);
}

static void hash_arg(void *cls, const char *key, const char *value)
{
	hash_part(cls, key, strlen(key));
	/* "?a" and "?a=" differ */
	hash_part(cls, value ? "=" : "", value ? 1 : 0);
	if (value)
		hash_part(cls, value, strlen(value));
}

/* Lower-case hex SHA-256 of the method, path, query arguments (in order) and body. */
static void request_hash(struct srv_req *r, const char *body, size_t body_len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		abort();	/* fails only when out of memory */
	hash_part(ctx, r->method, strlen(r->method));
	hash_part(ctx, r->path, strlen(r->path));
	srv_req_each_query(r, hash_arg, ctx);
	hash_part(ctx, "body", 4);
	hash_part(ctx, body_len ? body : "", body_len);
	if (!EVP_DigestFinal_ex(ctx, md, &len) || len != 32)
		abort();
	EVP_MD_CTX_free(ctx);
	for (unsigned int i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

/* The stored answer again, as it was, marked as a replay. */
static void replay(struct srv_req *r, const PGresult *res)
{
	const char *body = db_str(res, 0, KEPT_BODY);

	srv_reply_raw(r, (int)db_long(res, 0, KEPT_STATUS), db_str(res, 0, KEPT_CONTENT_TYPE),
		      body, strlen(body));
	if (db_str(res, 0, KEPT_LOCATION))
		srv_set_header(r, "Location", db_str(res, 0, KEPT_LOCATION));
	if (db_str(res, 0, KEPT_ETAG))
		srv_set_header(r, "ETag", db_str(res, 0, KEPT_ETAG));
	srv_set_header(r, SRV_IDEM_REPLAYED, "true");
}

/*
 * Only authenticated POSTs that run in a request transaction take part, and not those whose
 * answer holds a secret: it would lie in the table in clear.
 */
static int takes_part(const struct srv_req *r)
{
	return !strcmp(r->method, "POST") && r->route &&
	       r->route->perm != SRV_PERM_PUBLIC &&
	       !(r->route->flags & SRV_ROUTE_SECRET_ANSWER) && r->caller.authenticated &&
	       r->tx->begun;
}

/* srv_idem_begin, for a request whose body is body (len bytes). */
static int idem_begin(struct srv_req *r, const char *body, size_t len)
{
	const char *key = srv_req_header(r, SRV_IDEM_HEADER);
	const char *who[3] = { r->caller.school_id, r->caller.user_id, key };
	char hash[65], ttl[24];
	PGresult *lock, *res;
	int locked;

	r->idem_key = NULL;
	if (!key || !takes_part(r))
		return 0;
	if (!key_ok(key)) {
		srv_reply_error(r, SRV_ERR_BAD_REQUEST, SRV_IDEM_HEADER,
				"the " SRV_IDEM_HEADER " header must be 1 to %d printable ASCII "
				"characters", KEY_MAX);
		return 1;
	}
	/* the lock, then the look-up in a statement of its own, in one round trip */
	snprintf(ttl, sizeof(ttl), "%ld", srv_cfg.idempotency_ttl);
	if (db_exec_pair(r->tx, &q_lock, who, &lock, &q_get,
			 (const char *[]){ who[0], who[1], key, ttl }, &res) < 0) {
		srv_reply_db_error(r);
		return 1;
	}
	locked = db_bool(lock, 0, LOCK_TAKEN);
	PQclear(lock);
	if (!locked) {
		/* what the look-up found is another request's, still in flight: not ours */
		PQclear(res);
		srv_set_header(r, "Retry-After", "1");
		srv_reply_error(r, SRV_ERR_IN_PROGRESS, SRV_IDEM_HEADER,
				"a request with this " SRV_IDEM_HEADER " is still being processed; "
				"retry it later");
		return 1;
	}
	request_hash(r, body, len, hash);
	if (PQntuples(res) == 0) {
		/* new (or expired): the handler runs, and srv_idem_finish keeps its answer */
		r->idem_key = key;
		memcpy(r->idem_hash, hash, sizeof(hash));
		PQclear(res);
		return 0;
	}
	if (strcmp(db_str(res, 0, KEPT_HASH), hash))
		srv_reply_error(r, SRV_ERR_IDEMPOTENCY_KEY_REUSED, SRV_IDEM_HEADER,
				"this " SRV_IDEM_HEADER " was used for another request (method, "
				"path or body differ); use a new key for a new request");
	else
		replay(r, res);
	PQclear(res);
	return 1;
}

int srv_idem_begin(struct srv_req *r)
{
	return r->streaming ? 0 : idem_begin(r, r->body.data, r->body.len);
}

int srv_idem_keyed(struct srv_req *r)
{
	return srv_req_header(r, SRV_IDEM_HEADER) && takes_part(r);
}

int srv_idem_begin_content(struct srv_req *r, const char *sha256)
{
	char body[80];
	int n = snprintf(body, sizeof(body), "sha256:%s", sha256);

	return r->streaming ? idem_begin(r, body, (size_t)n) : 0;
}

static const char *answer_header(const struct srv_req *r, const char *name)
{
	for (int i = 0; i < r->nheaders; i++)
		if (!strcasecmp(r->headers[i].name, name))
			return r->headers[i].value;
	return NULL;
}

/* Forgets the handler's answer, headers too, so that an error can take its place. */
static void drop_answer(struct srv_req *r)
{
	for (int i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	r->headers = NULL;
	r->nheaders = 0;
	r->replied = 0;
}

void srv_idem_finish(struct srv_req *r)
{
	char status[16], ttl[24];
	PGresult *res;

	if (!r->idem_key || r->status < 200 || r->status > 299 || r->tx->failed)
		return;
	/* a file answer is never given to a POST; nothing of it could be stored */
	if (r->resp_fd >= 0 || !r->tx->begun || !r->tx->open) {
		srv_log("%s %s %s: the answer cannot be kept for its " SRV_IDEM_HEADER,
			r->request_id, r->method, r->path);
		return;
	}
	snprintf(status, sizeof(status), "%d", r->status);
	snprintf(ttl, sizeof(ttl), "%ld", srv_cfg.idempotency_ttl);
	/*
	 * With the caller's school as the tenant again: a super_admin's handler may have
	 * switched to another school, but the key belongs to the caller's.
	 */
	res = db_exec_alone(r->tx, r->caller.school_id, &q_put, (const char *[]){
		r->caller.school_id, r->caller.user_id, r->idem_key, r->method, r->path,
		r->idem_hash, status, edu_buf_str(&r->resp), r->content_type,
		answer_header(r, "Location"), answer_header(r, "ETag"), ttl });
	if (!res) {
		/* the effect must not commit without its key: roll back, say why */
		drop_answer(r);
		srv_reply_db_error(r);
		return;
	}
	PQclear(res);
}
