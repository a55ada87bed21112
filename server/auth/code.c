/* The codes people type: activation codes and join codes (see code.h). */
#include "config.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdlib.h>

#include "auth/code.h"
#include "auth/crypto.h"
#include "core/log.h"
#include "xalloc.h"

const char srv_code_alphabet[33] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int srv_code_char(int c)
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

char *srv_code_new(char hash[65])
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
			*o++ = srv_code_alphabet[acc >> bits & 31];
			n++;
		}
	}
	*o = '\0';
	OPENSSL_cleanse(rnd, sizeof(rnd));
	srv_code_hash(code, hash);
	return code;
}

void srv_code_hash(const char *code, char hash[65])
{
	char norm[64];
	size_t n = 0;

	for (; *code && n < sizeof(norm) - 1; code++) {
		int c = srv_code_char(*code);

		if (c)
			norm[n++] = (char)c;
	}
	norm[n] = '\0';
	srv_sha256_hex(norm, hash);
	OPENSSL_cleanse(norm, sizeof(norm));
}
