/* Passwords: libxcrypt hashing (yescrypt) in a bounded pool, and the password rules. */
#ifndef SRV_AUTH_PASSWORD_H
#define SRV_AUTH_PASSWORD_H

#include <stddef.h>

/* Room for a password hash (yescrypt's is about 73 bytes). */
#define SRV_PASSWORD_HASH_MAX 128

/*
 * Password hashing in a bounded pool. 0 or -1 (-1 also when no hashing slot freed soon:
 * answer 503). out is at least SRV_PASSWORD_HASH_MAX bytes.
 */
int srv_password_init(void);
int srv_password_hash(const char *password, char *out, size_t outlen);
/*
 * 1 when password matches hash, 0 when not (also for a NULL or empty hash, after spending
 * the time of a real verify). Waits as long as it takes for a slot.
 */
int srv_password_verify(const char *password, const char *hash);
/* The same, for requests: -1 when no slot freed soon (a login flood; answer 503). */
int srv_password_check(const char *password, const char *hash);
/* Length and content rules; NULL when fine, else the reason. */
const char *srv_password_policy(const char *password);

#endif
