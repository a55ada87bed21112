/*
 * sink: the least an HTTP upload receiver can do, as a baseline for bench/grading.sh.
 *
 *	sink PORT-FILE DIR raw|store
 *
 * Listens on 127.0.0.1 (any free port, written to PORT-FILE) and answers each POST with
 * 201 once its body is in a file in DIR, one connection at a time, reading 1 MiB at once.
 * raw: the bytes are written and nothing else. store: what edud does with an upload, done
 * plainly on one thread: SHA-256 of the bytes, fsync, rename to the hash, fsync of DIR;
 * the answer is the hash. No HTTP library, no database, no limits: the figure is the
 * ceiling for receiving a file over loopback on this machine.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK (1024 * 1024)

static void die(const char *what)
{
	fprintf(stderr, "sink: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

static void write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("write");
		p += n;
		len -= (size_t)n;
	}
}

/* One request: headers, then Content-Length bytes into a file in dir. */
static void serve(int c, const char *dir, int store, char *buf)
{
	char head[16384], path[4096], name[4096], hex[65], reply[256];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	size_t have = 0, left;
	unsigned long long length = 0;
	char *end = NULL, *cl;
	EVP_MD_CTX *sha = NULL;
	int fd;

	while (!end) {
		ssize_t n = recv(c, head + have, sizeof(head) - 1 - have, 0);

		if (n <= 0)
			return;
		have += (size_t)n;
		head[have] = '\0';
		end = strstr(head, "\r\n\r\n");
		if (!end && have == sizeof(head) - 1)
			return;
	}
	*end = '\0';
	cl = strcasestr(head, "\r\ncontent-length:");
	if (cl)
		length = strtoull(cl + 17, NULL, 10);
	if (strcasestr(head, "\r\nexpect: 100-continue"))
		send_all(c, "HTTP/1.1 100 Continue\r\n\r\n", 25);
	snprintf(path, sizeof(path), "%s/sink-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		die("mkstemp");
	if (store) {
		sha = EVP_MD_CTX_new();
		EVP_DigestInit_ex(sha, EVP_sha256(), NULL);
	}
	/* what came with the headers */
	left = have - (size_t)(end + 4 - head);
	if (left > length)
		left = (size_t)length;
	write_all(fd, end + 4, left);
	if (sha)
		EVP_DigestUpdate(sha, end + 4, left);
	length -= left;
	while (length) {
		ssize_t n = recv(c, buf, length < CHUNK ? (size_t)length : CHUNK, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (sha)
			EVP_DigestUpdate(sha, buf, (size_t)n);
		write_all(fd, buf, (size_t)n);
		length -= (unsigned long long)n;
	}
	strcpy(hex, "-");
	if (sha) {
		int d;

		EVP_DigestFinal_ex(sha, md, &mdlen);
		EVP_MD_CTX_free(sha);
		for (unsigned i = 0; i < mdlen && i < 32; i++)
			sprintf(hex + 2 * i, "%02x", md[i]);
		if (fsync(fd) < 0)
			die("fsync");
		snprintf(name, sizeof(name), "%s/%s", dir, hex);
		if (rename(path, name) < 0)
			die("rename");
		d = open(dir, O_RDONLY | O_DIRECTORY);
		if (d < 0 || fsync(d) < 0)
			die("fsync of the directory");
		close(d);
	}
	close(fd);
	snprintf(reply, sizeof(reply),
		 "HTTP/1.1 201 Created\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
		 strlen(hex), hex);
	send_all(c, reply, strlen(reply));
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	char *buf;
	FILE *f;
	int s, one = 1, store;

	if (argc != 4 || (strcmp(argv[3], "raw") && strcmp(argv[3], "store"))) {
		fprintf(stderr, "usage: sink PORT-FILE DIR raw|store\n");
		return 2;
	}
	store = !strcmp(argv[3], "store");
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		die("socket");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 16) < 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &len) < 0)
		die("listen");
	f = fopen(argv[1], "w");
	if (!f)
		die(argv[1]);
	fprintf(f, "%u\n", ntohs(sa.sin_port));
	fclose(f);
	buf = malloc(CHUNK);
	if (!buf)
		die("malloc");
	for (;;) {
		int c = accept(s, NULL, NULL);

		if (c < 0) {
			if (errno == EINTR)
				continue;
			die("accept");
		}
		serve(c, argv[2], store, buf);
		close(c);
	}
}
