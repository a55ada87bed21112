/* Helpers the account handlers share: user rows, role rules, codes, sessions, throttling. */
#include "config.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/crypto.h"
#include "auth/jwt.h"
#include "auth/user.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "db/db.h"
#include "kit/accounts.h"
#include "kit/query.h"
#include "xalloc.h"

int acct_can_grant(enum edu_role caller, enum edu_role role)
{
	if (role < 0 || role >= EDU_ROLE__COUNT || caller < EDU_ROLE_ADMIN)
		return 0;
	if (caller == EDU_ROLE_SUPER_ADMIN)
		return 1;
	/* an admin gives up to admin; a school_admin up to school_admin */
	return role <= caller;
}

const char *acct_check_username(const char *s)
{
	size_t len = strlen(s);

	if (len < 1 || len > 64)
		return "a username is 1 to 64 characters long";
	if (!isalnum((unsigned char)s[0]))
		return "a username starts with a letter or a digit";
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return "a username holds only letters, digits, '.', '_' and '-'";
	return NULL;
}

const char *acct_check_email(const char *s)
{
	const char *at = strchr(s, '@');
	size_t len = strlen(s);

	if (len < 3 || len > 254 || !at || at == s || !at[1] || strchr(at + 1, '@'))
		return "an email address looks like name@example.org";
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return "an email address holds no spaces or control characters";
	return NULL;
}

const char *acct_check_slug(const char *s)
{
	size_t len = strlen(s);

	if (len < 1 || len > 63)
		return "a slug is 1 to 63 characters long";
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return "a slug starts with a lower-case letter or a digit";
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return "a slug holds only lower-case letters, digits and '-'";
	return NULL;
}

/* Characters of valid UTF-8 without control characters, or -1. */
static long text_chars(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	long n = 0;

	while (*s) {
		int extra = *s < 0x80 ? 0 : (*s & 0xe0) == 0xc0 ? 1 : (*s & 0xf0) == 0xe0 ? 2
			  : (*s & 0xf8) == 0xf0 ? 3 : -1;

		if (extra < 0 || (extra == 1 && *s < 0xc2) || *s < 0x20 || *s == 0x7f)
			return -1;
		s++;
		for (int i = 0; i < extra; i++, s++)
			if ((*s & 0xc0) != 0x80)
				return -1;
		n++;
	}
	return n;
}

const char *acct_check_display_name(const char *s)
{
	long n = text_chars(s);

	if (n < 0)
		return "a display name is UTF-8 text without control characters";
	if (n < 1 || n > 200)
		return "a display name is 1 to 200 characters long";
	return NULL;
}

int acct_opt_text(struct srv_req *r, const char *key, const char *(*check)(const char *),
		  const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, key);
	const char *why;

	*out = NULL;
	if (!v)
		return 0;
	if (cJSON_IsNull(v))
		return 1;
	if (!cJSON_IsString(v)) {
		srv_reply_error(r, SRV_ERR_INVALID, key, "'%s' must be a string or null", key);
		return -1;
	}
	if (check && (why = check(v->valuestring))) {
		srv_reply_error(r, SRV_ERR_INVALID, key, "%s", why);
		return -1;
	}
	*out = v->valuestring;
	return 1;
}

const char acct_crockford[33] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int acct_code_char(int c)
{
	c = toupper((unsigned char)c);
	if (c == ' ' || c == '-')
		return 0;
	if (c == 'O')
		return '0';
	if (c == 'I' || c == 'L')
		return '1';
	return c;
}

char *acct_new_code(char hash[65])
{
	unsigned char rnd[10];
	char *code = xmalloc(20), *o = code;
	unsigned acc = 0;
	int bits = 0, n = 0;

	if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
		srv_log("no randomness for an activation code");
		abort();
	}
	for (size_t i = 0; i < sizeof(rnd); i++) {
		acc = acc << 8 | rnd[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			if (n && n % 4 == 0)
				*o++ = '-';
			*o++ = acct_crockford[acc >> bits & 31];
			n++;
		}
	}
	*o = '\0';
	OPENSSL_cleanse(rnd, sizeof(rnd));
	acct_code_hash(code, hash);
	return code;
}

void acct_code_hash(const char *code, char hash[65])
{
	char norm[64];
	size_t n = 0;

	for (; *code && n < sizeof(norm) - 1; code++) {
		int c = acct_code_char(*code);

		if (c)
			norm[n++] = (char)c;
	}
	norm[n] = '\0';
	srv_sha256_hex(norm, hash);
	OPENSSL_cleanse(norm, sizeof(norm));
}

static const struct db_stmt q_refresh_new = DB_STMT("acct_refresh_new", 4,
	"INSERT INTO refresh_tokens (school_id, user_id, family_id, token_hash, expires_at) "
	"VALUES ($1, $2, gen_random_uuid(), $3, now() + make_interval(secs => $4::int))");

char *acct_refresh_new(struct srv_req *r, const char *school_id, const char *user_id)
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

void acct_reply_session(struct srv_req *r, const PGresult *res, int row, int col, long ver,
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

static const struct db_stmt q_end_sessions = DB_STMT("acct_end_sessions", 2,
	"WITH bump AS (UPDATE users SET token_version = token_version + 1 "
	"  WHERE school_id = $1 AND id = $2) "
	"UPDATE refresh_tokens SET revoked_at = now() "
	"WHERE school_id = $1 AND user_id = $2 AND revoked_at IS NULL");

int acct_end_sessions(struct srv_req *r, const char *school_id, const char *user_id)
{
	PGresult *res = db_exec(r->tx, &q_end_sessions, (const char *[]){ school_id, user_id });

	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

static const struct db_stmt q_failures = DB_STMT("acct_failures", 3,
	"SELECT count(*), ceil(extract(epoch FROM "
	"  min(at) + make_interval(secs => $3::int) - now()))::bigint "
	"FROM login_failures "
	"WHERE school_id = $1 AND user_id = $2 AND at > now() - make_interval(secs => $3::int)");

long acct_throttled(struct srv_req *r, const char *school_id, const char *user_id)
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

static const struct db_stmt q_failed = DB_STMT("acct_failed", 3,
	"WITH gone AS (DELETE FROM login_failures WHERE school_id = $1 AND user_id = $2 "
	"  AND at <= now() - make_interval(secs => $3::int)) "
	"INSERT INTO login_failures (school_id, user_id) VALUES ($1, $2)");

int acct_failed(struct srv_req *r, const char *school_id, const char *user_id)
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

void acct_reply_throttled(struct srv_req *r, long seconds)
{
	char s[24];

	snprintf(s, sizeof(s), "%ld", seconds);
	srv_set_header(r, "Retry-After", s);
	srv_reply_error(r, SRV_ERR_RATE_LIMITED, NULL,
			"too many attempts; try again in %ld seconds", seconds);
}

void acct_reply_busy(struct srv_req *r)
{
	srv_set_header(r, "Retry-After", "1");
	srv_reply_error(r, SRV_ERR_UNAVAILABLE, NULL, "the server is busy checking passwords; retry");
}

static const struct db_stmt q_school_by_slug = DB_STMT("acct_school_by_slug", 1,
	"SELECT school_by_slug($1)");

int acct_school_by_slug(struct srv_req *r, const char *slug, char out[37])
{
	PGresult *res;
	int found;

	out[0] = '\0';
	if (!slug || !*slug || strlen(slug) > 63)
		return 0;
	res = db_exec(r->tx, &q_school_by_slug, (const char *[]){ slug });
	if (!res)
		return -1;
	found = !PQgetisnull(res, 0, 0) && strlen(PQgetvalue(res, 0, 0)) == 36;
	if (found)
		memcpy(out, PQgetvalue(res, 0, 0), 37);
	PQclear(res);
	return found;
}

int acct_acting_school(struct srv_req *r, char school[37])
{
	const char *slug = srv_req_query(r, "school");
	int rc;

	memcpy(school, r->caller.school_id, 37);
	if (!slug)
		return 0;
	if (r->caller.role != EDU_ROLE_SUPER_ADMIN) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, "school",
				"only a super_admin acts in another school");
		return -1;
	}
	rc = acct_school_by_slug(r, slug, school);
	if (rc < 0) {
		srv_reply_db_error(r);
		return -1;
	}
	if (rc == 0) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, "school", "no such school");
		return -1;
	}
	return srv_tx_set_school(r, school);
}
