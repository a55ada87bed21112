/* The small pieces of cryptography the server's tokens and codes are made of (OpenSSL). */
#ifndef SRV_AUTH_CRYPTO_H
#define SRV_AUTH_CRYPTO_H

#include <stddef.h>

/* n bytes as base64url without padding (caller frees). */
char *srv_b64url_encode(const unsigned char *in, size_t n);
/* nbytes of randomness, base64url without padding (caller frees). */
char *srv_random_token(size_t nbytes);
/* Lower-case hex SHA-256 of s into out[65]. */
void srv_sha256_hex(const char *s, char out[65]);

#endif
