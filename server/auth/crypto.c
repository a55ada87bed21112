/* Random tokens, base64url and SHA-256 (see crypto.h). */
#include "config.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "auth/crypto.h"
#include "core/log.h"
#include "xalloc.h"

static const char b64url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *srv_b64url_encode(const unsigned char *in, size_t n)
{
	char *out = xmalloc((n + 2) / 3 * 4 + 1), *o = out;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		*o++ = b64url[v >> 18 & 63];
		*o++ = b64url[v >> 12 & 63];
		*o++ = b64url[v >> 6 & 63];
		*o++ = b64url[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0);
		*o++ = b64url[v >> 18 & 63];
		*o++ = b64url[v >> 12 & 63];
		if (i + 1 < n)
			*o++ = b64url[v >> 6 & 63];
	}
	*o = '\0';
	return out;
}

char *srv_random_token(size_t nbytes)
{
	unsigned char buf[256];
	char *out;

	if (nbytes > sizeof(buf))
		nbytes = sizeof(buf);
	/* Without randomness no token is safe to hand out: stop rather than guess. */
	if (RAND_bytes(buf, (int)nbytes) != 1) {
		srv_log("no randomness for a token");
		abort();
	}
	out = srv_b64url_encode(buf, nbytes);
	OPENSSL_cleanse(buf, nbytes);
	return out;
}

static void hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void srv_sha256_hex(const char *s, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (EVP_Digest(s, strlen(s), md, &len, EVP_sha256(), NULL) != 1 || len != 32)
		abort();	/* fails only when out of memory */
	hex(md, 32, out);
}
