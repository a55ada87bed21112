/*
 * The connections edud holds (see conn.h): the limit in all, the limit per address and the
 * header deadline.
 *
 * Every connection has a struct conn, made when libmicrohttpd opens it and freed when it
 * closes it (srv_conn_notify). While a connection waits for a request's header, it is on
 * the waiting list, which is in the order of the time it started waiting: a connection is
 * appended when it opens and when an answer on it ends, and taken off when a header is in.
 * So the connections past their deadline are always at the head of the list, and the
 * deadline thread looks at nothing else. It closes them with shutdown(2): libmicrohttpd
 * then reads the end of the stream and closes the connection itself, as if the client had
 * gone (the socket stays open, and its number taken, until the close notification, which
 * takes the same lock, so a number the thread shuts down is always that connection's).
 *
 * The counts per address are in a tree (tsearch(3)) under the same lock. libmicrohttpd
 * asks the accept policy before it makes a connection, which refuses an address at its
 * limit cheaply; the count itself is taken when the connection opens, so a connection
 * libmicrohttpd could not make never counts, and one that got past the policy in a race
 * is closed there.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/peer.h"
#include "core/req.h"
#include "xalloc.h"

/*
 * Files edud keeps open besides its connections: the listening socket, epoll and its
 * wake-up descriptors, a database connection per worker, upload files, the log.
 */
#define FD_RESERVE 256

/* An address as counted: its family, then 4 bytes (IPv4) or the first 8 (an IPv6 /64). */
struct addr_key {
	unsigned char bytes[9];
};

struct addr_count {
	struct addr_key key;
	unsigned n;
};

struct conn {
	struct conn *prev, *next;	/* on the waiting list, when waiting */
	int waiting;
	double since;			/* when it began to wait */
	int fd;
	struct addr_count *count;	/* its address's, or NULL: not counted */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* the list was empty and is not, or stopping */
	struct conn *head, *tail;	/* the waiting list, oldest first */
	void *counts;			/* tree of struct addr_count */
	pthread_t thread;
	int running, stopping;
	double timeout;			/* header_timeout; 0: none */
	unsigned per_address;		/* max_connections_per_address; 0: no limit */
	double last_log;		/* when refusals and cuts were last logged */
	unsigned long refused, cut;	/* ...and how many since */
} g = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int key_cmp(const void *a, const void *b)
{
	return memcmp(&((const struct addr_count *)a)->key, &((const struct addr_count *)b)->key,
		      sizeof(struct addr_key));
}

/* The key of an address; -1 for one that is not counted (not IP, or a trusted proxy). */
static int addr_key(const struct sockaddr *sa, struct addr_key *k)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	memset(k, 0, sizeof(*k));
	if (!sa || srv_peer_trusted(sa))
		return -1;
	if (sa->sa_family == AF_INET) {
		k->bytes[0] = 4;
		memcpy(k->bytes + 1, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const unsigned char *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;

		if (!memcmp(a, mapped, sizeof(mapped))) {
			k->bytes[0] = 4;
			memcpy(k->bytes + 1, a + 12, 4);
		} else {
			/* one host may have a whole /64: count the /64 */
			k->bytes[0] = 6;
			memcpy(k->bytes + 1, a, 8);
		}
		return 0;
	}
	return -1;
}

/* Under the lock: at most one line a minute says how many were refused and cut. */
static void note(int refused)
{
	double now = srv_now();

	if (refused)
		g.refused++;
	else
		g.cut++;
	if (now - g.last_log < 60 && g.last_log > 0)
		return;
	srv_log("connections refused at max_connections_per_address (%u): %lu; closed past "
		"header_timeout (%gs): %lu (since the last such line; one a minute at most)",
		g.per_address, g.refused, g.timeout, g.cut);
	g.last_log = now;
	g.refused = g.cut = 0;
}

static void list_append(struct conn *c)
{
	c->since = srv_now();
	c->waiting = 1;
	c->next = NULL;
	c->prev = g.tail;
	if (g.tail)
		g.tail->next = c;
	else
		g.head = c;
	g.tail = c;
	if (c == g.head)
		pthread_cond_signal(&g.cond);
}

static void list_remove(struct conn *c)
{
	if (!c->waiting)
		return;
	if (c->prev)
		c->prev->next = c->next;
	else
		g.head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		g.tail = c->prev;
	c->prev = c->next = NULL;
	c->waiting = 0;
}

enum MHD_Result srv_conn_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct addr_count probe, **found;
	int refuse = 0;

	(void)cls;
	(void)addrlen;
	if (!g.per_address || addr_key(addr, &probe.key) < 0)
		return MHD_YES;
	pthread_mutex_lock(&g.lock);
	found = tfind(&probe, &g.counts, key_cmp);
	if (found && (*found)->n >= g.per_address) {
		refuse = 1;
		note(1);
	}
	pthread_mutex_unlock(&g.lock);
	if (refuse)
		srv_metrics_conn_refused();
	return refuse ? MHD_NO : MHD_YES;
}

/* Under the lock: counts c against its address; -1 when that is past the limit. */
static int count(struct conn *c, const struct sockaddr *sa)
{
	struct addr_count *probe, **found;

	if (!g.per_address)
		return 0;
	probe = xcalloc(1, sizeof(*probe));
	if (addr_key(sa, &probe->key) < 0) {
		free(probe);
		return 0;
	}
	found = tsearch(probe, &g.counts, key_cmp);
	if (!found)
		abort();	/* out of memory */
	if (*found != probe)
		free(probe);
	if ((*found)->n >= g.per_address)
		return -1;	/* not new: the limit is at least 1 */
	(*found)->n++;
	c->count = *found;
	return 0;
}

static void uncount(struct conn *c)
{
	struct addr_count *a = c->count;

	if (!a)
		return;
	c->count = NULL;
	if (--a->n == 0) {
		tdelete(a, &g.counts, key_cmp);
		free(a);
	}
}

void srv_conn_notify(void *cls, struct MHD_Connection *mc, void **socket_context,
		     enum MHD_ConnectionNotificationCode code)
{
	const union MHD_ConnectionInfo *fd, *addr;
	struct conn *c;
	int over;

	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		c = *socket_context;
		*socket_context = NULL;
		if (!c)
			return;
		pthread_mutex_lock(&g.lock);
		list_remove(c);
		uncount(c);
		pthread_mutex_unlock(&g.lock);
		free(c);
		srv_metrics_conn(-1);
		return;
	}
	if (code != MHD_CONNECTION_NOTIFY_STARTED)
		return;
	c = xcalloc(1, sizeof(*c));
	fd = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
	addr = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	c->fd = fd ? fd->connect_fd : -1;
	*socket_context = c;
	srv_metrics_conn(1);
	pthread_mutex_lock(&g.lock);
	over = count(c, addr ? addr->client_addr : NULL) < 0;
	if (over)
		note(1);
	else if (g.timeout > 0)
		list_append(c);
	pthread_mutex_unlock(&g.lock);
	if (over) {
		/* past the policy in a race with another of its connections: closed at once */
		srv_metrics_conn_refused();
		if (c->fd >= 0)
			shutdown(c->fd, SHUT_RDWR);
	}
}

static struct conn *conn_of(struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

void srv_conn_request_begins(struct MHD_Connection *mc)
{
	struct conn *c = conn_of(mc);

	if (!c || !c->waiting)
		return;
	pthread_mutex_lock(&g.lock);
	list_remove(c);
	pthread_mutex_unlock(&g.lock);
}

void srv_conn_request_ends(struct MHD_Connection *mc)
{
	struct conn *c = conn_of(mc);

	if (!c || g.timeout <= 0)
		return;
	pthread_mutex_lock(&g.lock);
	if (!c->waiting)
		list_append(c);
	pthread_mutex_unlock(&g.lock);
}

static void *deadlines(void *arg)
{
	struct timespec ts;
	double now, next;

	(void)arg;
	pthread_mutex_lock(&g.lock);
	while (!g.stopping) {
		now = srv_now();
		while (g.head && now - g.head->since >= g.timeout) {
			struct conn *c = g.head;

			list_remove(c);
			note(0);
			srv_metrics_conn_timed_out();
			if (c->fd >= 0)
				shutdown(c->fd, SHUT_RDWR);
		}
		if (!g.head) {
			pthread_cond_wait(&g.cond, &g.lock);
			continue;
		}
		next = g.head->since + g.timeout;
		ts.tv_sec = (time_t)next;
		ts.tv_nsec = (long)((next - (double)ts.tv_sec) * 1e9);
		pthread_cond_timedwait(&g.cond, &g.lock, &ts);
	}
	pthread_mutex_unlock(&g.lock);
	return NULL;
}

/* The soft open-file limit raised to the hard one; the limit now in force. */
static rlim_t raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1024;
	if (rl.rlim_cur < rl.rlim_max) {
		rlim_t was = rl.rlim_cur;

		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			rl.rlim_cur = was;
	}
	return rl.rlim_cur;
}

int srv_conn_start(unsigned *limit)
{
	rlim_t files = raise_fd_limit();
	unsigned long want = (unsigned long)srv_cfg.max_connections, can;
	pthread_condattr_t attr;
	int rc;

	can = files > FD_RESERVE + 16 ? (unsigned long)(files - FD_RESERVE) : 16;
	if (can > 1000000)
		can = 1000000;
	if (!want || want > can) {
		if (want)
			srv_log("max_connections %lu is more than the open-file limit (%llu) allows: "
				"serving at most %lu connections (raise it with ulimit -n or "
				"LimitNOFILE=)", want, (unsigned long long)files, can);
		want = can;
	}
	*limit = (unsigned)want;
	g.timeout = (double)srv_cfg.header_timeout;
	g.per_address = (unsigned)srv_cfg.max_connections_per_address;
	g.stopping = 0;
	g.last_log = 0;
	g.refused = g.cut = 0;
	if (g.timeout <= 0)
		return 0;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&g.cond, &attr);
	pthread_condattr_destroy(&attr);
	rc = pthread_create(&g.thread, NULL, deadlines, NULL);
	if (rc != 0) {
		srv_log("cannot start the thread of header deadlines: %s", strerror(rc));
		pthread_cond_destroy(&g.cond);
		return -1;
	}
	g.running = 1;
	return 0;
}

void srv_conn_stop(void)
{
	if (!g.running)
		return;
	pthread_mutex_lock(&g.lock);
	g.stopping = 1;
	pthread_cond_signal(&g.cond);
	pthread_mutex_unlock(&g.lock);
	pthread_join(g.thread, NULL);
	pthread_cond_destroy(&g.cond);
	g.running = 0;
}
