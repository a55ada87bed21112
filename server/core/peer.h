/*
 * Who is calling: the peer's address, or, when the peer is one of trusted_proxies (the
 * load balancers in front of edud), the client address they recorded in X-Forwarded-For.
 * The login throttle and the request log use it. A header from anyone else is ignored, so
 * a client cannot pick the address its attempts are counted against.
 */
#ifndef SRV_PEER_H
#define SRV_PEER_H

#include <stddef.h>
#include <sys/socket.h>

/*
 * Reads trusted_proxies: addresses or CIDR ranges ("10.0.0.0/8", "::1"), separated by
 * commas or spaces. 0, or -1 after logging which entry is wrong.
 */
int srv_peer_init(void);
void srv_peer_free(void);

/* Nonzero when trusted_proxies names any: only then is X-Forwarded-For worth reading. */
int srv_peer_proxied(void);

/* Nonzero when the socket address sa is one of trusted_proxies. */
int srv_peer_trusted(const struct sockaddr *sa);

/*
 * The client's address as text in out: the peer's (sa), unless the peer is trusted and
 * xff (the X-Forwarded-For header, may be NULL) names one; then the rightmost address in
 * it that is not itself a trusted proxy (each proxy appends the address it saw). "-" when
 * there is none.
 */
void srv_peer_address(const struct sockaddr *sa, const char *xff, char *out, size_t outlen);

#endif
