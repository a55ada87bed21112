/*
 * Unit tests of server/auth/jwt.c: the access-token negative suite of SECURITY.md (every
 * forgery and misuse is refused), a good token's round trip, random tokens, SHA-256 and
 * the refresh child derivation.
 *
 * Forged tokens are built here by hand (header and payload JSON, base64url, an HMAC with
 * OpenSSL), so each test says exactly what the attacker sent.
 */
#include "config.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth/crypto.h"
#include "auth/jwt.h"
#include "core/conf.h"
#include "tap.h"
#include "xalloc.h"

#define KEY "0123456789abcdef0123456789abcdef-unit-test-key"
#define USER "11111111-2222-3333-4444-555555555555"
#define SCHOOL "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

/* A public key as text: the classic attack signs HS256 with it as the HMAC secret. */
static const char pem_public_key[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs/o5+uQbTjL3chynL4wXgUg2R9\n"
	"q9UU8I5mEovUf86QZ7kOBIjJwqnzD1omageEHWwHdBO6B+dFabmdT9POxg==\n"
	"-----END PUBLIC KEY-----\n";

/* The server's own encoder: what is forged here is the tokens' content, not base64url. */
static char *b64url(const void *data, size_t n)
{
	return srv_b64url_encode(data, n);
}

/* header.payload.signature, signed with HMAC-SHA256 under key (caller frees). */
static char *sign(const char *header, const char *payload, const void *key, size_t keylen)
{
	char *h = b64url(header, strlen(header)), *p = b64url(payload, strlen(payload));
	char *input = xasprintf("%s.%s", h, p), *sig, *tok;
	unsigned char md[32];
	unsigned int mdlen = sizeof(md);

	HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)input, strlen(input), md,
	     &mdlen);
	sig = b64url(md, mdlen);
	tok = xasprintf("%s.%s", input, sig);
	free(h);
	free(p);
	free(input);
	free(sig);
	return tok;
}

static const char hs256[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

/* Claims like srv_jwt_issue's, with fields overridable: NULL keeps the default. */
static char *claims(const char *typ, const char *iss, const char *aud, long iat, long exp,
		    const char *extra)
{
	return xasprintf("{\"sub\":\"" USER "\",\"sch\":\"" SCHOOL "\",\"role\":\"teacher\","
			 "\"ver\":1,\"typ\":\"%s\",\"iss\":\"%s\",\"aud\":\"%s\",\"iat\":%ld,"
			 "\"exp\":%ld,\"jti\":\"x\"%s}", typ ? typ : "access", iss ? iss : "edud",
			 aud ? aud : "edu", iat, exp, extra ? extra : "");
}

/* Verifies a token signed with the server's key from the given header and claims. */
static int verify_signed(const char *header, const char *payload)
{
	struct srv_jwt_claims c;
	char *tok = sign(header, payload, KEY, strlen(KEY));
	int rc = srv_jwt_verify(tok, &c);

	free(tok);
	return rc;
}

static int verify_claims(const char *typ, const char *iss, const char *aud, long iat, long exp,
			 const char *extra)
{
	char *p = claims(typ, iss, aud, iat, exp, extra);
	int rc = verify_signed(hs256, p);

	free(p);
	return rc;
}

static int suite_init(void)
{
	srv_cfg.jwt_issuer_s = xstrdup("edud");
	srv_cfg.jwt_audience_s = xstrdup("edu");
	srv_token_set_key((const unsigned char *)KEY, strlen(KEY));
	return 0;
}

static int suite_clean(void)
{
	free(srv_cfg.jwt_issuer_s);
	free(srv_cfg.jwt_audience_s);
	srv_cfg.jwt_issuer_s = srv_cfg.jwt_audience_s = NULL;
	return 0;
}

static void test_round_trip(void)
{
	struct srv_jwt_claims c;
	char *tok = srv_jwt_issue(USER, SCHOOL, "school_admin", 7, 900);
	long now = (long)time(NULL);

	CU_ASSERT_EQUAL_FATAL(srv_jwt_verify(tok, &c), 0);
	CU_ASSERT_STRING_EQUAL(c.sub, USER);
	CU_ASSERT_STRING_EQUAL(c.sch, SCHOOL);
	CU_ASSERT_STRING_EQUAL(c.role, "school_admin");
	CU_ASSERT_EQUAL(c.ver, 7);
	CU_ASSERT(c.iat >= now - 5 && c.iat <= now + 5);
	CU_ASSERT_EQUAL(c.exp, c.iat + 900);
	/* only base64url and two dots: it can go in a header as it is */
	CU_ASSERT_EQUAL(strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				    "0123456789-_."), strlen(tok));
	free(tok);
}

static void test_hand_made_good(void)
{
	long now = (long)time(NULL);

	/* the hand-made tokens of the other tests are right but for what each changes */
	CU_ASSERT_EQUAL(verify_claims(NULL, NULL, NULL, now, now + 60, NULL), 0);
}

static void test_alg_none(void)
{
	long now = (long)time(NULL);
	char *p = claims(NULL, NULL, NULL, now, now + 60, NULL);
	char *h = b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}", 27), *b = b64url(p, strlen(p));
	char *unsigned_tok = xasprintf("%s.%s.", h, b);
	char *with_sig = xasprintf("%s.%s.%s", h, b, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	struct srv_jwt_claims c;

	CU_ASSERT_EQUAL(srv_jwt_verify(unsigned_tok, &c), -1);
	CU_ASSERT_EQUAL(srv_jwt_verify(with_sig, &c), -1);
	/* and signed with our key, "none" still does not choose anything */
	CU_ASSERT_EQUAL(verify_signed("{\"alg\":\"none\",\"typ\":\"JWT\"}", p), -1);
	CU_ASSERT_EQUAL(c.sub[0], '\0');
	free(h);
	free(b);
	free(unsigned_tok);
	free(with_sig);
	free(p);
}

static void test_alg_none_spellings(void)
{
	long now = (long)time(NULL);
	char *p = claims(NULL, NULL, NULL, now, now + 60, NULL);

	CU_ASSERT_EQUAL(verify_signed("{\"alg\":\"None\",\"typ\":\"JWT\"}", p), -1);
	CU_ASSERT_EQUAL(verify_signed("{\"alg\":\"NONE\",\"typ\":\"JWT\"}", p), -1);
	CU_ASSERT_EQUAL(verify_signed("{\"alg\":\"nOnE\"}", p), -1);
	CU_ASSERT_EQUAL(verify_signed("{\"typ\":\"JWT\"}", p), -1);
	free(p);
}

static void test_other_algs(void)
{
	long now = (long)time(NULL);
	char *p = claims(NULL, NULL, NULL, now, now + 60, NULL);

	/* an HMAC over the right key, but the header names another algorithm */
	CU_ASSERT_EQUAL(verify_signed("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", p), -1);
	CU_ASSERT_EQUAL(verify_signed("{\"alg\":\"HS384\",\"typ\":\"JWT\"}", p), -1);
	CU_ASSERT_EQUAL(verify_signed("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", p), -1);
	CU_ASSERT_EQUAL(verify_signed("{\"alg\":\"ES256\",\"typ\":\"JWT\"}", p), -1);
	free(p);
}

static void test_public_key_as_secret(void)
{
	long now = (long)time(NULL);
	char *p = claims(NULL, NULL, NULL, now, now + 60, NULL);
	char *rs = sign("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", p, pem_public_key,
			strlen(pem_public_key));
	char *hs = sign(hs256, p, pem_public_key, strlen(pem_public_key));
	struct srv_jwt_claims c;

	CU_ASSERT_EQUAL(srv_jwt_verify(hs, &c), -1);
	CU_ASSERT_EQUAL(srv_jwt_verify(rs, &c), -1);
	free(rs);
	free(hs);
	free(p);
}

static void test_wrong_key(void)
{
	long now = (long)time(NULL);
	char *p = claims(NULL, NULL, NULL, now, now + 60, NULL);
	char *tok = sign(hs256, p, "another-key-of-enough-length-0123456789", 39);
	struct srv_jwt_claims c;

	CU_ASSERT_EQUAL(srv_jwt_verify(tok, &c), -1);
	free(tok);
	free(p);
}

static void test_wrong_aud_iss_typ(void)
{
	long now = (long)time(NULL);

	CU_ASSERT_EQUAL(verify_claims(NULL, NULL, "other-audience", now, now + 60, NULL), -1);
	CU_ASSERT_EQUAL(verify_claims(NULL, "someone-else", NULL, now, now + 60, NULL), -1);
	CU_ASSERT_EQUAL(verify_claims("refresh", NULL, NULL, now, now + 60, NULL), -1);
	CU_ASSERT_EQUAL(verify_claims("", NULL, NULL, now, now + 60, NULL), -1);
}

static void test_claims_required(void)
{
	long now = (long)time(NULL);
	char *p;

	/* no typ, no exp, no iat, aud as a list, exp as text, sub not a uuid */
	p = xasprintf("{\"sub\":\"" USER "\",\"sch\":\"" SCHOOL "\",\"role\":\"teacher\","
		      "\"ver\":1,\"iss\":\"edud\",\"aud\":\"edu\",\"iat\":%ld,\"exp\":%ld}",
		      now, now + 60);
	CU_ASSERT_EQUAL(verify_signed(hs256, p), -1);
	free(p);
	p = xasprintf("{\"sub\":\"" USER "\",\"sch\":\"" SCHOOL "\",\"role\":\"teacher\","
		      "\"ver\":1,\"typ\":\"access\",\"iss\":\"edud\",\"aud\":\"edu\",\"iat\":%ld}",
		      now);
	CU_ASSERT_EQUAL(verify_signed(hs256, p), -1);
	free(p);
	p = xasprintf("{\"sub\":\"" USER "\",\"sch\":\"" SCHOOL "\",\"role\":\"teacher\","
		      "\"ver\":1,\"typ\":\"access\",\"iss\":\"edud\",\"aud\":\"edu\",\"exp\":%ld}",
		      now + 60);
	CU_ASSERT_EQUAL(verify_signed(hs256, p), -1);
	free(p);
	p = xasprintf("{\"sub\":\"" USER "\",\"sch\":\"" SCHOOL "\",\"role\":\"teacher\","
		      "\"ver\":1,\"typ\":\"access\",\"iss\":\"edud\",\"aud\":[\"edu\"],"
		      "\"iat\":%ld,\"exp\":%ld}", now, now + 60);
	CU_ASSERT_EQUAL(verify_signed(hs256, p), -1);
	free(p);
	p = xasprintf("{\"sub\":\"" USER "\",\"sch\":\"" SCHOOL "\",\"role\":\"teacher\","
		      "\"ver\":1,\"typ\":\"access\",\"iss\":\"edud\",\"aud\":\"edu\","
		      "\"iat\":%ld,\"exp\":\"%ld\"}", now, now + 60);
	CU_ASSERT_EQUAL(verify_signed(hs256, p), -1);
	free(p);
	p = xasprintf("{\"sub\":\"root\",\"sch\":\"" SCHOOL "\",\"role\":\"teacher\","
		      "\"ver\":1,\"typ\":\"access\",\"iss\":\"edud\",\"aud\":\"edu\","
		      "\"iat\":%ld,\"exp\":%ld}", now, now + 60);
	CU_ASSERT_EQUAL(verify_signed(hs256, p), -1);
	free(p);
}

static void test_expired(void)
{
	long now = (long)time(NULL);
	struct srv_jwt_claims c;
	char *tok = srv_jwt_issue(USER, SCHOOL, "student", 1, -1);

	CU_ASSERT_EQUAL(srv_jwt_verify(tok, &c), -2);
	CU_ASSERT_EQUAL(verify_claims(NULL, NULL, NULL, now - 3600, now - 1800, NULL), -2);
	/* a forged token is "bad", never "expired": expiry is told only of our own tokens */
	{
		char *p = claims(NULL, NULL, NULL, now - 3600, now - 1800, NULL);
		char *forged = sign(hs256, p, "another-key-of-enough-length-0123456789", 39);

		CU_ASSERT_EQUAL(srv_jwt_verify(forged, &c), -1);
		free(forged);
		free(p);
	}
	free(tok);
}

static void test_future_nbf_iat(void)
{
	long now = (long)time(NULL);
	char extra[64];

	snprintf(extra, sizeof(extra), ",\"nbf\":%ld", now + 3600);
	CU_ASSERT_EQUAL(verify_claims(NULL, NULL, NULL, now, now + 7200, extra), -1);
	snprintf(extra, sizeof(extra), ",\"nbf\":\"%ld\"", now);
	CU_ASSERT_EQUAL(verify_claims(NULL, NULL, NULL, now, now + 7200, extra), -1);
	/* a past nbf, and an iat a few seconds ahead (another server's clock), are fine */
	snprintf(extra, sizeof(extra), ",\"nbf\":%ld", now - 10);
	CU_ASSERT_EQUAL(verify_claims(NULL, NULL, NULL, now + 5, now + 7200, extra), 0);
	CU_ASSERT_EQUAL(verify_claims(NULL, NULL, NULL, now + 3600, now + 7200, NULL), -1);
}

static void test_truncated_signature(void)
{
	struct srv_jwt_claims c;
	char *tok = srv_jwt_issue(USER, SCHOOL, "teacher", 1, 900);
	size_t len = strlen(tok);

	tok[len - 1] = '\0';
	CU_ASSERT_EQUAL(srv_jwt_verify(tok, &c), -1);
	tok[len - 10] = '\0';
	CU_ASSERT_EQUAL(srv_jwt_verify(tok, &c), -1);
	*strrchr(tok, '.') = '\0';
	CU_ASSERT_EQUAL(srv_jwt_verify(tok, &c), -1);
	free(tok);
}

static void test_tampered(void)
{
	struct srv_jwt_claims c;
	char *tok = srv_jwt_issue(USER, SCHOOL, "student", 1, 900);
	char *dot = strchr(tok, '.');

	/* one character of the payload changed: the signature no longer matches */
	dot[5] = dot[5] == 'A' ? 'B' : 'A';
	CU_ASSERT_EQUAL(srv_jwt_verify(tok, &c), -1);
	free(tok);
}

static void test_oversized(void)
{
	long now = (long)time(NULL);
	char *pad = xmalloc(5001), *header, *p = claims(NULL, NULL, NULL, now, now + 60, NULL);
	char *big_claims;

	memset(pad, 'x', 5000);
	pad[5000] = '\0';
	header = xasprintf("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"%s\"}", pad);
	CU_ASSERT_EQUAL(verify_signed(header, p), -1);
	free(header);
	/* a header of 300 bytes: small, but not one we make */
	pad[300] = '\0';
	header = xasprintf("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"%s\"}", pad);
	CU_ASSERT_EQUAL(verify_signed(header, p), -1);
	free(header);
	/* the whole token over 4 KiB, with a small header */
	memset(pad, 'y', 5000);
	pad[5000] = '\0';
	big_claims = xasprintf("{\"sub\":\"" USER "\",\"sch\":\"" SCHOOL "\",\"role\":\"teacher\","
			       "\"ver\":1,\"typ\":\"access\",\"iss\":\"edud\",\"aud\":\"edu\","
			       "\"iat\":%ld,\"exp\":%ld,\"pad\":\"%s\"}", now, now + 60, pad);
	CU_ASSERT_EQUAL(verify_signed(hs256, big_claims), -1);
	free(big_claims);
	free(pad);
	free(p);
}

static void test_charset(void)
{
	struct srv_jwt_claims c;
	char *tok = srv_jwt_issue(USER, SCHOOL, "teacher", 1, 900);
	char *bad;
	const char *inserts[] = { "+", "/", "=", " ", "!", "%2B", "\n" };

	CU_ASSERT_EQUAL_FATAL(srv_jwt_verify(tok, &c), 0);
	for (size_t i = 0; i < sizeof(inserts) / sizeof(inserts[0]); i++) {
		char *dot = strchr(tok, '.');

		bad = xasprintf("%.*s%s%s", (int)(dot - tok + 3), tok, inserts[i], dot + 3);
		CU_ASSERT_EQUAL(srv_jwt_verify(bad, &c), -1);
		free(bad);
	}
	/* standard base64 padding on the signature */
	bad = xasprintf("%s=", tok);
	CU_ASSERT_EQUAL(srv_jwt_verify(bad, &c), -1);
	free(bad);
	/* four parts, two parts, empty */
	bad = xasprintf("%s.x", tok);
	CU_ASSERT_EQUAL(srv_jwt_verify(bad, &c), -1);
	free(bad);
	CU_ASSERT_EQUAL(srv_jwt_verify(strchr(tok, '.') + 1, &c), -1);
	CU_ASSERT_EQUAL(srv_jwt_verify("", &c), -1);
	CU_ASSERT_EQUAL(srv_jwt_verify(NULL, &c), -1);
	free(tok);
}

static void test_key_change(void)
{
	struct srv_jwt_claims c;
	char *tok = srv_jwt_issue(USER, SCHOOL, "teacher", 1, 900);

	srv_token_set_key((const unsigned char *)"a-completely-different-key-0123456789", 37);
	CU_ASSERT_EQUAL(srv_jwt_verify(tok, &c), -1);
	srv_token_set_key((const unsigned char *)KEY, strlen(KEY));
	CU_ASSERT_EQUAL(srv_jwt_verify(tok, &c), 0);
	free(tok);
}

static void test_random_token(void)
{
	char *a = srv_random_token(32), *b = srv_random_token(32);

	CU_ASSERT_EQUAL(strlen(a), 43);
	CU_ASSERT_STRING_NOT_EQUAL(a, b);
	CU_ASSERT_EQUAL(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				  "0123456789-_"), 43);
	free(a);
	free(b);
	a = srv_random_token(16);
	CU_ASSERT_EQUAL(strlen(a), 22);
	free(a);
}

static void test_sha256(void)
{
	char out[65];

	srv_sha256_hex("", out);
	CU_ASSERT_STRING_EQUAL(out,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	srv_sha256_hex("abc", out);
	CU_ASSERT_STRING_EQUAL(out,
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_refresh_child(void)
{
	char *a = srv_refresh_child("parent-token"), *b = srv_refresh_child("parent-token");
	char *c = srv_refresh_child("parent-tokem");

	/* the same child for the same parent (the grace window), unrelated otherwise */
	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT_STRING_NOT_EQUAL(a, c);
	CU_ASSERT_EQUAL(strlen(a), 43);
	free(a);
	free(b);
	free(c);
	srv_token_set_key((const unsigned char *)"a-completely-different-key-0123456789", 37);
	a = srv_refresh_child("parent-token");
	srv_token_set_key((const unsigned char *)KEY, strlen(KEY));
	b = srv_refresh_child("parent-token");
	CU_ASSERT_STRING_NOT_EQUAL(a, b);
	free(a);
	free(b);
}

/* A fresh directory for data_dir (caller frees the name and removes the directory). */
static char *temp_dir(void)
{
	char *dir = xstrdup("/tmp/edu-test-jwt-XXXXXX");

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	return dir;
}

static void remove_dir(char *dir)
{
	char *key = xasprintf("%s/jwt.key", dir);

	unlink(key);
	rmdir(dir);
	free(key);
	free(dir);
}

static void test_key_file_created(void)
{
	char *dir = temp_dir(), *path = xasprintf("%s/jwt.key", dir), *tok;
	struct srv_jwt_claims c;
	struct stat st;

	srv_cfg.jwt_secret_s = NULL;
	srv_cfg.data_dir_s = dir;
	CU_ASSERT_EQUAL_FATAL(srv_token_init(), 0);
	CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
	CU_ASSERT_EQUAL(st.st_size, 32);
	tok = srv_jwt_issue(USER, SCHOOL, "teacher", 1, 900);
	/* a restart reads the same key: tokens made before stay good */
	CU_ASSERT_EQUAL(srv_token_init(), 0);
	CU_ASSERT_EQUAL(srv_jwt_verify(tok, &c), 0);
	/* our hand-made tokens (signed with KEY) are not good under the file's key */
	CU_ASSERT_EQUAL(verify_claims(NULL, NULL, NULL, (long)time(NULL),
				      (long)time(NULL) + 60, NULL), -1);
	free(tok);
	free(path);
	srv_cfg.data_dir_s = NULL;
	remove_dir(dir);
	srv_token_set_key((const unsigned char *)KEY, strlen(KEY));
}

static void test_key_file_refused(void)
{
	char *dir = temp_dir(), *path = xasprintf("%s/jwt.key", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, KEY, 32), 32);
	close(fd);
	chmod(path, 0644);
	srv_cfg.jwt_secret_s = NULL;
	srv_cfg.data_dir_s = dir;
	/* readable by others: not a secret any more */
	CU_ASSERT_EQUAL(srv_token_init(), -1);
	/* private but too short */
	chmod(path, 0600);
	CU_ASSERT_EQUAL(truncate(path, 16), 0);
	CU_ASSERT_EQUAL(srv_token_init(), -1);
	free(path);
	srv_cfg.data_dir_s = NULL;
	remove_dir(dir);
	srv_token_set_key((const unsigned char *)KEY, strlen(KEY));
}

static void test_key_from_config(void)
{
	srv_cfg.jwt_secret_s = xstrdup("too-short-a-secret");
	CU_ASSERT_EQUAL(srv_token_init(), -1);
	free(srv_cfg.jwt_secret_s);
	srv_cfg.jwt_secret_s = xstrdup(KEY);
	CU_ASSERT_EQUAL(srv_token_init(), 0);
	/* the configured secret is the key: tokens signed with it pass */
	CU_ASSERT_EQUAL(verify_claims(NULL, NULL, NULL, (long)time(NULL),
				      (long)time(NULL) + 60, NULL), 0);
	free(srv_cfg.jwt_secret_s);
	srv_cfg.jwt_secret_s = NULL;
}

static CU_TestInfo key_tests[] = {
	{ "without jwt_secret, data_dir/jwt.key is made 0600", test_key_file_created },
	{ "a key file others can read, or too short, is refused", test_key_file_refused },
	{ "jwt_secret of at least 32 bytes is the key", test_key_from_config },
	CU_TEST_INFO_NULL
};

static CU_TestInfo jwt_tests[] = {
	{ "a token round-trips with its claims", test_round_trip },
	{ "a hand-made token with the right key passes", test_hand_made_good },
	{ "alg none is refused", test_alg_none },
	{ "alg None and other spellings are refused", test_alg_none_spellings },
	{ "other algorithms are refused", test_other_algs },
	{ "HS256 signed with a public key is refused", test_public_key_as_secret },
	{ "another key is refused", test_wrong_key },
	{ "wrong aud, iss or typ is refused", test_wrong_aud_iss_typ },
	{ "missing or mistyped claims are refused", test_claims_required },
	{ "an expired token is expired, a forged one bad", test_expired },
	{ "future nbf or iat is refused", test_future_nbf_iat },
	{ "a truncated signature is refused", test_truncated_signature },
	{ "a changed payload is refused", test_tampered },
	{ "an oversized header or token is refused", test_oversized },
	{ "non-base64url characters are refused", test_charset },
	{ "changing the key ends old tokens", test_key_change },
	CU_TEST_INFO_NULL
};

static CU_TestInfo crypto_tests[] = {
	{ "random tokens are base64url and differ", test_random_token },
	{ "sha256 matches the standard vectors", test_sha256 },
	{ "a refresh child depends on its parent and the key", test_refresh_child },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "jwt", suite_init, suite_clean, NULL, NULL, jwt_tests },
	{ "crypto", suite_init, suite_clean, NULL, NULL, crypto_tests },
	{ "key", suite_init, suite_clean, NULL, NULL, key_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	return tap_main(argc, argv, suites);
}
