/* The client's address, through trusted load balancers (see peer.h). */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/peer.h"
#include "xalloc.h"

struct range {
	int family;
	unsigned char addr[16];
	int bits;		/* the prefix that must match */
};

static struct range *ranges;
static int nranges;

/* Parses "ADDR" or "ADDR/BITS" into *r; -1 when it is neither. */
static int range_parse(const char *s, struct range *r)
{
	char text[64], *slash;
	char *end;
	long bits;
	int max;

	if (strlen(s) >= sizeof(text))
		return -1;
	strcpy(text, s);
	slash = strchr(text, '/');
	if (slash)
		*slash++ = '\0';
	memset(r, 0, sizeof(*r));
	if (inet_pton(AF_INET, text, r->addr) == 1) {
		r->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, text, r->addr) == 1) {
		r->family = AF_INET6;
		max = 128;
	} else {
		return -1;
	}
	r->bits = max;
	if (slash) {
		bits = strtol(slash, &end, 10);
		if (!*slash || *end || bits < 0 || bits > max)
			return -1;
		r->bits = (int)bits;
	}
	return 0;
}

static int in_range(const struct range *r, int family, const unsigned char *addr)
{
	int full = r->bits / 8, rest = r->bits % 8;

	if (family != r->family || memcmp(addr, r->addr, (size_t)full))
		return 0;
	return !rest || ((addr[full] ^ r->addr[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

/* An address (text) as family and bytes; an IPv4-mapped IPv6 address counts as IPv4. */
static int addr_parse(const char *s, int *family, unsigned char addr[16])
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (inet_pton(AF_INET, s, addr) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, addr) != 1)
		return -1;
	*family = AF_INET6;
	if (!memcmp(addr, mapped, sizeof(mapped))) {
		memmove(addr, addr + 12, 4);
		*family = AF_INET;
	}
	return 0;
}

static int trusted(const char *s)
{
	unsigned char addr[16];
	int family;

	if (addr_parse(s, &family, addr) < 0)
		return 0;
	for (int i = 0; i < nranges; i++)
		if (in_range(&ranges[i], family, addr))
			return 1;
	return 0;
}

int srv_peer_trusted(const struct sockaddr *sa)
{
	char text[INET6_ADDRSTRLEN];

	if (!nranges || !sa)
		return 0;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, text, sizeof(text));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, text,
			  sizeof(text));
	else
		return 0;
	return trusted(text);
}

int srv_peer_init(void)
{
	char *list = xstrdup(srv_cfg.trusted_proxies_s ? srv_cfg.trusted_proxies_s : ""), *save;
	int rc = 0;

	srv_peer_free();
	for (char *tok = strtok_r(list, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		struct range r;

		if (range_parse(tok, &r) < 0) {
			srv_log("trusted_proxies: '%s' is not an address or ADDRESS/BITS", tok);
			rc = -1;
			break;
		}
		ranges = xrealloc(ranges, (size_t)(nranges + 1) * sizeof(*ranges));
		ranges[nranges++] = r;
	}
	free(list);
	if (rc < 0)
		srv_peer_free();
	return rc;
}

int srv_peer_proxied(void)
{
	return nranges > 0;
}

void srv_peer_free(void)
{
	free(ranges);
	ranges = NULL;
	nranges = 0;
}

/* s without the blanks around it, in place. */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

void srv_peer_address(const struct sockaddr *sa, const char *xff, char *out, size_t outlen)
{
	char peer[INET6_ADDRSTRLEN] = "", *copy, *hops[32], *save;
	unsigned char addr[16];
	int family, n = 0;

	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, peer, sizeof(peer));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, peer,
			  sizeof(peer));
	snprintf(out, outlen, "%s", *peer ? peer : "-");
	if (!*peer || !xff || !nranges || !trusted(peer))
		return;
	copy = xstrdup(xff);
	for (char *h = strtok_r(copy, ",", &save); h && n < 32; h = strtok_r(NULL, ",", &save))
		hops[n++] = trim(h);
	/*
	 * From the right: each trusted proxy appended the address it saw. The first that is
	 * not a trusted proxy is the client; a malformed one ends the walk at the last hop
	 * we could believe.
	 */
	while (n-- > 0) {
		if (addr_parse(hops[n], &family, addr) < 0)
			break;
		snprintf(out, outlen, "%s", hops[n]);
		if (!trusted(hops[n]))
			break;
	}
	free(copy);
}
