/*
 * The server's key and what it signs: JWT access tokens (HS256 and nothing else), and the
 * HMAC that derives a rotated refresh token's child.
 *
 * An access token is checked in the cheapest order that is still safe: size and charset
 * first (so libjwt never sees junk), then the signature with our one algorithm, then the
 * claims. Only a token that passed everything else may be called "expired", so the answer
 * token_expired tells nothing about a forged one.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <jwt.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth/crypto.h"
#include "auth/jwt.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/text.h"
#include "xalloc.h"

#define KEY_FILE "jwt.key"
#define KEY_BYTES 32
#define KEY_MAX 256
#define TOKEN_MAX 4096		/* a longer Authorization token is refused unread */
#define HEADER_MAX 256		/* our header is 36 characters; anything long is not ours */
#define SIG_LEN 43		/* HS256: 32 bytes in base64url without padding */
#define CLOCK_SKEW 60		/* seconds another edud's clock may be ahead of ours */

static unsigned char jwt_key[KEY_MAX];
static size_t jwt_key_len;
/* bumped with every key change: the verified-token cache below is then stale */
static unsigned key_generation;
/* HMAC key for refresh token children, derived from jwt_key so one secret rules both. */
static unsigned char child_key[32];

static void derive_child_key(void)
{
	static const char label[] = "edu refresh token child v1";
	unsigned int len = sizeof(child_key);

	HMAC(EVP_sha256(), jwt_key, (int)jwt_key_len, (const unsigned char *)label,
	     sizeof(label) - 1, child_key, &len);
}

void srv_token_set_key(const unsigned char *key, size_t len)
{
	if (len > KEY_MAX)
		len = KEY_MAX;
	memcpy(jwt_key, key, len);
	jwt_key_len = len;
	derive_child_key();
	__atomic_add_fetch(&key_generation, 1, __ATOMIC_RELEASE);
}

static int mkdir_p(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;

	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return rc;
}

static int read_key(const char *path)
{
	unsigned char buf[KEY_MAX + 1];
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || (st.st_mode & 077)) {
		srv_log("'%s' must be readable by its owner only (chmod 600)", path);
		close(fd);
		errno = EACCES;
		return -2;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < KEY_BYTES || n > KEY_MAX) {
		srv_log("'%s' must hold %d to %d bytes of key", path, KEY_BYTES, KEY_MAX);
		return -2;
	}
	srv_token_set_key(buf, (size_t)n);
	OPENSSL_cleanse(buf, sizeof(buf));
	return 0;
}

/*
 * Creates the key file without a window in which another edud could read half of it:
 * written under a private name, then linked into place (link fails if one already won).
 */
static int create_key(const char *dir, const char *path)
{
	unsigned char key[KEY_BYTES];
	char *tmp = xasprintf("%s/.%s.%ld", dir, KEY_FILE, (long)getpid());
	int fd, rc = -1;

	if (RAND_bytes(key, sizeof(key)) != 1) {
		srv_log("cannot make a key: no randomness");
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		srv_log("cannot create '%s': %s", tmp, strerror(errno));
		goto out;
	}
	if (write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) || fsync(fd) < 0) {
		srv_log("cannot write '%s': %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (link(tmp, path) < 0 && errno != EEXIST) {
		srv_log("cannot create '%s': %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	unlink(tmp);
	rc = read_key(path);
out:
	OPENSSL_cleanse(key, sizeof(key));
	free(tmp);
	return rc < 0 ? -1 : 0;
}

int srv_token_init(void)
{
	const char *secret = srv_cfg.jwt_secret_s;
	char *path;
	int rc;

	if (secret && *secret) {
		size_t len = strlen(secret);

		if (len < KEY_BYTES || len > KEY_MAX) {
			srv_log("jwt_secret must be %d to %d bytes long", KEY_BYTES, KEY_MAX);
			return -1;
		}
		srv_token_set_key((const unsigned char *)secret, len);
		return 0;
	}
	if (!srv_cfg.data_dir_s || !*srv_cfg.data_dir_s) {
		srv_log("no jwt_secret and no data_dir to keep a key in");
		return -1;
	}
	if (mkdir_p(srv_cfg.data_dir_s) < 0) {
		srv_log("cannot create '%s': %s", srv_cfg.data_dir_s, strerror(errno));
		return -1;
	}
	path = xasprintf("%s/%s", srv_cfg.data_dir_s, KEY_FILE);
	rc = read_key(path);
	if (rc == -1 && errno == ENOENT)
		rc = create_key(srv_cfg.data_dir_s, path);
	else if (rc == -1)
		srv_log("cannot read '%s': %s", path, strerror(errno));
	free(path);
	return rc < 0 ? -1 : 0;
}

char *srv_refresh_child(const char *parent)
{
	unsigned char md[32];
	unsigned int len = sizeof(md);

	HMAC(EVP_sha256(), child_key, sizeof(child_key), (const unsigned char *)parent,
	     strlen(parent), md, &len);
	return srv_b64url_encode(md, sizeof(md));
}

char *srv_jwt_issue(const char *user_id, const char *school_id, const char *role, long ver,
		    long ttl)
{
	jwt_t *jwt = NULL;
	char *jti = srv_random_token(16), *tok = NULL;
	long now = (long)time(NULL);

	if (jwt_new(&jwt) || jwt_set_alg(jwt, JWT_ALG_HS256, jwt_key, (int)jwt_key_len) ||
	    jwt_add_grant(jwt, "sub", user_id) || jwt_add_grant(jwt, "sch", school_id) ||
	    jwt_add_grant(jwt, "role", role) || jwt_add_grant_int(jwt, "ver", ver) ||
	    jwt_add_grant(jwt, "typ", "access") ||
	    jwt_add_grant(jwt, "iss", srv_cfg.jwt_issuer_s) ||
	    jwt_add_grant(jwt, "aud", srv_cfg.jwt_audience_s) ||
	    jwt_add_grant_int(jwt, "iat", now) || jwt_add_grant_int(jwt, "exp", now + ttl) ||
	    jwt_add_grant(jwt, "jti", jti))
		goto out;
	tok = jwt_encode_str(jwt);	/* malloc()ed: the caller free()s it */
out:
	if (!tok)
		abort();	/* libjwt fails only when out of memory */
	jwt_free(jwt);
	free(jti);
	return tok;
}

/* Three non-empty base64url parts, the header short and the signature HS256-sized. */
static int token_shape_ok(const char *token)
{
	size_t len = strnlen(token, TOKEN_MAX + 1), part = 0, dots = 0, plen[3] = { 0 };

	if (len == 0 || len > TOKEN_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = token[i];

		if (c == '.') {
			if (++dots > 2)
				return 0;
			part++;
			continue;
		}
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return 0;
		plen[part]++;
	}
	return dots == 2 && plen[0] && plen[0] <= HEADER_MAX && plen[1] && plen[2] == SIG_LEN;
}

static int claim_str(jwt_t *jwt, const char *name, char *out, size_t outlen)
{
	const char *v = jwt_get_grant(jwt, name);

	if (!v || strlen(v) >= outlen)
		return -1;
	strcpy(out, v);
	return 0;
}

static int claim_is(jwt_t *jwt, const char *name, const char *want)
{
	const char *v = jwt_get_grant(jwt, name);

	return v && !strcmp(v, want);
}

/*
 * A positive integer claim (times and versions all are): 0, -1 when it is missing, -2 when
 * it is anything else. libjwt gives 0 for a claim of another type, hence "positive".
 */
static int claim_int(jwt_t *jwt, const char *name, long *out)
{
	errno = 0;
	*out = jwt_get_grant_int(jwt, name);
	if (errno)
		return -1;
	return *out > 0 ? 0 : -2;
}

/*
 * A client sends the same access token with every request for its lifetime, so each worker
 * thread remembers the last few tokens whose signature and fixed claims it verified. A hit
 * needs the very same bytes (compared in full); expiry is checked again on every use.
 */
#define VERIFIED_SLOTS 8
#define VERIFIED_MAX 1024

struct verified {
	unsigned generation;
	size_t len;
	char token[VERIFIED_MAX];
	struct srv_jwt_claims claims;
};

static __thread struct verified verified[VERIFIED_SLOTS];
static __thread unsigned verified_next;

static const struct srv_jwt_claims *verified_find(const char *token, size_t len)
{
	unsigned gen = __atomic_load_n(&key_generation, __ATOMIC_ACQUIRE);

	for (int i = 0; i < VERIFIED_SLOTS; i++)
		if (verified[i].len == len && verified[i].generation == gen &&
		    !memcmp(verified[i].token, token, len))
			return &verified[i].claims;
	return NULL;
}

static void verified_add(const char *token, size_t len, const struct srv_jwt_claims *c)
{
	struct verified *v = &verified[verified_next++ % VERIFIED_SLOTS];

	if (len >= VERIFIED_MAX)
		return;
	v->generation = __atomic_load_n(&key_generation, __ATOMIC_ACQUIRE);
	v->len = len;
	memcpy(v->token, token, len);
	v->claims = *c;
}

static int jwt_verify_full(const char *token, struct srv_jwt_claims *c);

int srv_jwt_verify(const char *token, struct srv_jwt_claims *c)
{
	const struct srv_jwt_claims *hit;
	size_t len;
	int rc;

	memset(c, 0, sizeof(*c));
	if (!token || !jwt_key_len)
		return -1;
	len = strlen(token);
	hit = verified_find(token, len);
	if (hit) {
		*c = *hit;
		return c->exp <= (long)time(NULL) ? -2 : 0;
	}
	rc = jwt_verify_full(token, c);
	if (rc == 0)
		verified_add(token, len, c);
	return rc;
}

static int jwt_verify_full(const char *token, struct srv_jwt_claims *c)
{
	jwt_t *jwt = NULL;
	long now = (long)time(NULL), nbf;
	int rc = -1;

	if (!token_shape_ok(token))
		return -1;
	/* With a key given, libjwt refuses alg "none"; anything but HS256 we refuse below. */
	if (jwt_decode(&jwt, token, jwt_key, (int)jwt_key_len) || !jwt)
		goto out;
	if (jwt_get_alg(jwt) != JWT_ALG_HS256)
		goto out;
	if (!claim_is(jwt, "typ", "access") || !claim_is(jwt, "iss", srv_cfg.jwt_issuer_s) ||
	    !claim_is(jwt, "aud", srv_cfg.jwt_audience_s))
		goto out;
	if (claim_str(jwt, "sub", c->sub, sizeof(c->sub)) < 0 || !srv_is_uuid(c->sub) ||
	    claim_str(jwt, "sch", c->sch, sizeof(c->sch)) < 0 || !srv_is_uuid(c->sch) ||
	    claim_str(jwt, "role", c->role, sizeof(c->role)) < 0 ||
	    claim_int(jwt, "ver", &c->ver) < 0 || claim_int(jwt, "iat", &c->iat) < 0 ||
	    claim_int(jwt, "exp", &c->exp) < 0)
		goto out;
	if (c->iat > now + CLOCK_SKEW)
		goto out;
	/* we never set nbf, but one that is there must be a time already past */
	switch (claim_int(jwt, "nbf", &nbf)) {
	case -1:
		break;
	case 0:
		if (nbf <= now + CLOCK_SKEW)
			break;
		/* fall through */
	default:
		goto out;
	}
	rc = c->exp <= now ? -2 : 0;
out:
	if (rc == -1)
		memset(c, 0, sizeof(*c));
	if (jwt)
		jwt_free(jwt);
	return rc;
}
