/*
 * slow-clients: holds many slow connections to a server, as a slow-loris attack does, for
 * tests/e2e/008-slow-clients.sh.
 *
 *	slow-clients PORT SECONDS FROM:COUNT...
 *
 * Opens COUNT connections from each local address FROM (127.0.0.2 ...) to 127.0.0.1:PORT,
 * and on each sends the header of a request one byte a second, a header that never ends.
 * Prints "held" once every connection is open (connected, or refused at connect), then,
 * after SECONDS, one line for each FROM:
 *
 *	FROM connected N early E late L open O first F last T
 *
 * connected: how many connected; early: how many of those the server closed within a
 * second and a half of their opening; late: closed after that (F and T: the earliest and
 * the latest such close, in seconds after the connection opened); open: still open at the
 * end. Raises its open-file limit to the hard limit first. Exits 2 on a usage error or
 * when it cannot open the connections.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct client {
	int fd;
	int from;		/* index into the addresses */
	double opened;		/* when connect() returned */
	double closed;		/* when the server closed it; 0: open */
	size_t sent;		/* bytes of the header sent */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char header[] = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

/* The next byte of a header that never ends. */
static char next_byte(size_t sent)
{
	return sent < sizeof(header) - 1 ? header[sent] : 'a';
}

static int open_one(const char *from, int port)
{
	struct sockaddr_in local = { .sin_family = AF_INET }, remote = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	if (inet_pton(AF_INET, from, &local.sin_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0) {
		close(fd);
		return -1;
	}
	remote.sin_port = htons((unsigned short)port);
	inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
	if (connect(fd, (struct sockaddr *)&remote, sizeof(remote)) < 0) {
		close(fd);
		return -2;
	}
	return fd;
}

/* The server has closed c: a read gives the end (or a reset), or a write fails. */
static int gone(struct client *c)
{
	char buf[512];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	struct client *cl;
	char **from;
	int *want;
	int port, secs, nfrom = argc - 3, total = 0, n = 0;
	double start, end, tick;

	if (argc < 4 || (port = atoi(argv[1])) <= 0 || (secs = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: slow-clients PORT SECONDS FROM:COUNT...\n");
		return 2;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	from = calloc((size_t)nfrom, sizeof(*from));
	want = calloc((size_t)nfrom, sizeof(*want));
	for (int i = 0; i < nfrom; i++) {
		char *colon = strchr(argv[i + 3], ':');

		if (!colon || atoi(colon + 1) <= 0) {
			fprintf(stderr, "slow-clients: '%s' is not FROM:COUNT\n", argv[i + 3]);
			return 2;
		}
		*colon = '\0';
		from[i] = argv[i + 3];
		want[i] = atoi(colon + 1);
		total += want[i];
	}
	cl = calloc((size_t)total, sizeof(*cl));
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < nfrom; i++) {
		for (int k = 0; k < want[i]; k++) {
			int fd = open_one(from[i], port);

			if (fd == -1) {
				fprintf(stderr, "slow-clients: cannot open a socket from %s: %s\n",
					from[i], strerror(errno));
				return 2;
			}
			cl[n].from = i;
			cl[n].opened = now();
			cl[n].fd = fd;
			if (fd == -2) {
				/* refused at connect: counts as closed at once */
				cl[n].fd = -1;
				cl[n].closed = cl[n].opened;
			}
			n++;
		}
	}
	printf("held\n");
	fflush(stdout);
	start = now();
	end = start + secs;
	for (tick = start; now() < end; tick += 1.0) {
		/* a byte on each connection still open, then watch for closes until the next */
		for (int i = 0; i < n; i++) {
			char b;

			if (cl[i].closed)
				continue;
			b = next_byte(cl[i].sent);
			if (send(cl[i].fd, &b, 1, MSG_DONTWAIT | MSG_NOSIGNAL) == 1)
				cl[i].sent++;
			else if (errno != EAGAIN && errno != EWOULDBLOCK)
				cl[i].closed = now();
		}
		while (now() < tick + 1.0 && now() < end) {
			struct pollfd *p = calloc((size_t)n, sizeof(*p));
			int np = 0, *idx = calloc((size_t)n, sizeof(*idx));
			double left = tick + 1.0 - now();

			for (int i = 0; i < n; i++) {
				if (cl[i].closed)
					continue;
				p[np].fd = cl[i].fd;
				p[np].events = POLLIN | POLLRDHUP;
				idx[np++] = i;
			}
			if (poll(p, (nfds_t)np, left > 0 ? (int)(left * 1000) + 1 : 1) > 0) {
				for (int k = 0; k < np; k++)
					if (p[k].revents && gone(&cl[idx[k]]))
						cl[idx[k]].closed = now();
			}
			free(p);
			free(idx);
		}
	}
	for (int i = 0; i < nfrom; i++) {
		int connected = 0, early = 0, late = 0, open = 0;
		double first = 0, last = 0;

		for (int k = 0; k < n; k++) {
			double after;

			if (cl[k].from != i)
				continue;
			if (cl[k].fd < 0)
				continue;
			connected++;
			if (!cl[k].closed) {
				open++;
				continue;
			}
			after = cl[k].closed - cl[k].opened;
			if (after < 1.5) {
				early++;
				continue;
			}
			if (!late || after < first)
				first = after;
			if (after > last)
				last = after;
			late++;
		}
		printf("%s connected %d early %d late %d open %d first %.1f last %.1f\n", from[i],
		       connected, early, late, open, first, last);
	}
	for (int k = 0; k < n; k++)
		if (cl[k].fd >= 0)
			close(cl[k].fd);
	free(cl);
	free(from);
	free(want);
	return 0;
}
