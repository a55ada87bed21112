/*
 * The file store: content-addressed files under data_dir/files, uploads streamed into it.
 *
 * An upload is written to data_dir/files/tmp/upload-XXXXXX while SHA-256 is computed; at
 * the end it is fsync()ed and renamed to files/ab/abcdef... (the rename is atomic, so a
 * reader never sees half a file, and two uploads of the same content end as one file), and
 * the directory is fsync()ed too, so the name is on disk before the upload is answered.
 *
 * The per-user upload quota is here too, so that every upload route counts and refuses
 * alike.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/req.h"
#include "db/db.h"
#include "kit/idempotency.h"
#include "kit/query.h"
#include "safe.h"
#include "store/files.h"
#include "xalloc.h"

static char *files_dir, *tmp_dir;
/* the online cores, read once at start: pipes and kept buffers are counted by them */
static int ncpu;

/* how much of a file libmagic may read to name its type */
#define MAGIC_BYTES (256 * 1024)
/*
 * An upload is taken in buffers of this size: a small one is written from the one buffer at
 * its end; a large one goes through a pipe of PIPE_BUFS of them (see struct srv_pipe).
 */
#define UPLOAD_BUF (1024 * 1024)
#define PIPE_BUFS 4
/* O_DIRECT wants buffers, offsets and lengths in whole blocks of the device */
#define DIRECT_ALIGN 4096
/* how much of an upload written through the page cache is handed to the disk at a time */
#define WRITEBACK_STEP (4ULL * 1024 * 1024)

/*
 * One libmagic handle for the process: handles are not thread-safe, so a mutex guards it.
 * A look costs well under a millisecond (at most MAGIC_BYTES of a file are read), and one
 * handle keeps one copy of the type database in memory instead of one per worker thread.
 */
static magic_t magic;
static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;

static int magic_init(void)
{
	size_t max = MAGIC_BYTES;

	if (magic)
		return 0;
	magic = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
	if (!magic) {
		srv_log("cannot open the file type database");
		return -1;
	}
	/* libmagic would otherwise read (and allocate) up to 7 MiB of a file */
	magic_setparam(magic, MAGIC_PARAM_BYTES_MAX, &max);
	if (magic_load(magic, NULL) != 0) {
		srv_log("cannot load the file type database: %s", magic_error(magic));
		magic_close(magic);
		magic = NULL;
		return -1;
	}
	return 0;
}

/* The type of the file open as fd (libmagic reads its start from the beginning). */
static void sniff_fd(int fd, char *mime, size_t size)
{
	const char *type = NULL;

	pthread_mutex_lock(&magic_lock);
	if (magic && fd >= 0 && lseek(fd, 0, SEEK_SET) == 0)
		type = magic_descriptor(magic, fd);
	snprintf(mime, size, "%s", type ? type : "application/octet-stream");
	pthread_mutex_unlock(&magic_lock);
}

int srv_files_init(void)
{
	free(files_dir);
	free(tmp_dir);
	ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	files_dir = xasprintf("%s/files", srv_cfg.data_dir_s);
	tmp_dir = xasprintf("%s/tmp", files_dir);
	if ((mkdir(files_dir, 0700) < 0 && errno != EEXIST) ||
	    (mkdir(tmp_dir, 0700) < 0 && errno != EEXIST)) {
		srv_log("cannot create the file store '%s': %s", files_dir, strerror(errno));
		return -1;
	}
	return magic_init();
}

/*
 * Upload buffers are kept for the next upload, up to a pipe's worth a core: a buffer new
 * from the allocator is new memory from the kernel, and the first touch of each of its pages
 * is a fault and a page cleared. In a 50 MiB upload that took 4 to 12 ms of its worker's
 * 25 (perf). Those kept are at most what that many uploads at once would hold anyway.
 */
static struct spare {
	struct spare *next;
} *spares;
static int nspares;
static pthread_mutex_t spares_lock = PTHREAD_MUTEX_INITIALIZER;

/* An UPLOAD_BUF buffer aligned for O_DIRECT. */
static unsigned char *aligned_buffer(void)
{
	struct spare *s;

	pthread_mutex_lock(&spares_lock);
	s = spares;
	if (s) {
		spares = s->next;
		nspares--;
	}
	pthread_mutex_unlock(&spares_lock);
	return s ? (unsigned char *)s : xaligned(DIRECT_ALIGN, UPLOAD_BUF);
}

/* Gives back a buffer of aligned_buffer(), or NULL. */
static void buffer_free(void *buf)
{
	struct spare *s = buf;

	if (!s)
		return;
	pthread_mutex_lock(&spares_lock);
	if (nspares < PIPE_BUFS * ncpu) {
		s->next = spares;
		spares = s;
		nspares++;
		s = NULL;
	}
	pthread_mutex_unlock(&spares_lock);
	free(s);
}

/*
 * The pipe of a large upload (past its first UPLOAD_BUF). Three threads share its buffers:
 * the worker copies what the network brings into one, then hands it over; the hasher
 * computes the SHA-256 over each buffer in turn; the writer writes each to the file in turn.
 * A buffer is filled again once both are through with it, so the worker waits (and the
 * network with it) only when the disk or the hash fall PIPE_BUFS behind.
 *
 * Hashing (about 2 GB/s with the CPU's SHA instructions) and writing each take as long as
 * receiving does, so on one thread they would halve an upload's speed; here they run beside
 * it. Past the file's start (which libmagic reads), the writer writes with O_DIRECT where
 * the file system takes it: the bytes go from the buffer to the disk with no copy into the
 * page cache and no write-back left for the fsync at the end (and an upload does not push
 * other files out of the cache). Elsewhere it writes through the page cache, and hands each
 * WRITEBACK_STEP to the disk as it goes.
 *
 * At most one pipe per core runs at once: past that, an upload is hashed and written by its
 * worker, as a small one is.
 */
struct srv_pipe {
	pthread_t hasher, writer;
	int hasher_started, writer_started;
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* any change of the counts below */
	unsigned char *buf[PIPE_BUFS];
	size_t len[PIPE_BUFS];
	unsigned long filled;		/* buffers handed over by the worker */
	unsigned long hashed;		/* buffers the hasher is through with */
	unsigned long written;		/* buffers the writer is through with */
	int done;			/* the worker hands over no more */
	int closed;			/* ...because the body is all in (srv_upload_close) */
	int failed;			/* a write failed: the upload cannot be stored */
	int finished;			/* the writer read the type and fsync()ed the file */
	char mime[128];			/* the type, once finished */
	int fd;				/* the file, as the worker has it */
	int dfd;			/* the file opened again with O_DIRECT, or -1 */
	const char *path;
	EVP_MD_CTX *md;
	unsigned long long off;		/* where the writer writes next */
	unsigned long long synced;	/* written through the cache and handed to the disk */
};

static int pipes_running;

/* Waits for buffer number n to be handed over; -1 when none is coming. Under p->lock. */
static int pipe_wait_filled(struct srv_pipe *p, unsigned long n)
{
	while (p->filled <= n && !p->done)
		pthread_cond_wait(&p->cond, &p->lock);
	return p->filled > n ? 0 : -1;
}

/*
 * Hashes len bytes at b into md. The bytes of an upload are not in this core's cache: the
 * worker has just written them, from another core. SHA-256 reads them in order, one 64-byte
 * block after the other, and on each line the core's prefetcher has not brought in yet it
 * waits for memory; so the hash is asked for in small pieces, each after asking for the lines
 * a few pieces ahead. Measured on 50 MiB out of the cache: 1,180 MiB/s in one call,
 * 1,850 MiB/s so (as fast as from the cache); in edud, the hash of a 50 MiB upload went
 * from 34 to 29 ms of CPU.
 */
#define HASH_STEP 1024
#define HASH_AHEAD 4096
static void hash_update(EVP_MD_CTX *md, const unsigned char *b, size_t len)
{
	for (size_t off = 0; off < len; off += HASH_STEP) {
		size_t n = len - off < HASH_STEP ? len - off : HASH_STEP;

#if defined(__GNUC__)
		for (size_t i = off + HASH_AHEAD; i < off + HASH_AHEAD + n && i < len; i += 64)
			__builtin_prefetch(b + i, 0, 3);
#endif
		EVP_DigestUpdate(md, b + off, n);
	}
}

static void *pipe_hasher(void *arg)
{
	struct srv_pipe *p = arg;
	unsigned long n;

	pthread_mutex_lock(&p->lock);
	for (n = 0; pipe_wait_filled(p, n) == 0; n++) {
		pthread_mutex_unlock(&p->lock);
		hash_update(p->md, p->buf[n % PIPE_BUFS], p->len[n % PIPE_BUFS]);
		pthread_mutex_lock(&p->lock);
		p->hashed = n + 1;
		pthread_cond_broadcast(&p->cond);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* pwrite()s all of len bytes at off; 0, or -1 with errno set */
static int write_all(int fd, const unsigned char *b, size_t len, unsigned long long off)
{
	while (len) {
		ssize_t n = pwrite(fd, b, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		b += n;
		len -= (size_t)n;
		off += (unsigned long long)n;
	}
	return 0;
}

/*
 * Of a file written through the page cache: hands what was written since *synced to the
 * disk once it is WRITEBACK_STEP or more, so the fsync at the end has little left to wait for.
 */
static void writeback(int fd, unsigned long long *synced, unsigned long long written)
{
	if (written - *synced < WRITEBACK_STEP)
		return;
	sync_file_range(fd, (off_t)*synced, (off_t)(written - *synced), SYNC_FILE_RANGE_WRITE);
	*synced = written;
}

/*
 * Writes one buffer at p->off: its whole blocks directly when it can, the rest through the
 * cache. The file's first MAGIC_BYTES always go through the cache: libmagic reads them when
 * the upload ends, and from the cache that takes a quarter of a millisecond, from the disk
 * one to three (bench/grading.sh).
 */
static int pipe_write(struct srv_pipe *p, const unsigned char *b, size_t len)
{
	size_t direct = p->dfd >= 0 && p->off >= MAGIC_BYTES ? len - len % DIRECT_ALIGN : 0;

	if (direct && write_all(p->dfd, b, direct, p->off) < 0) {
		if (errno != EINVAL)
			return -1;
		/* the file system opened the file so but does not write it so: through the cache */
		close(p->dfd);
		p->dfd = -1;
		direct = 0;
	}
	if (len > direct && write_all(p->fd, b + direct, len - direct, p->off + direct) < 0)
		return -1;
	p->off += len;
	if (p->dfd < 0) {
		writeback(p->fd, &p->synced, p->off);
	} else if (!direct) {
		/* the start, kept in the cache: on its way to the disk now, not at the fsync */
		sync_file_range(p->fd, (off_t)p->synced, (off_t)(p->off - p->synced),
				SYNC_FILE_RANGE_WRITE);
		p->synced = p->off;
	}
	return 0;
}

/*
 * Once the body is all in and written, the writer also reads the file's type and fsync()s
 * it: the worker meanwhile does its database checks, so neither waits for the other.
 */
static void pipe_finish(struct srv_pipe *p)
{
	sniff_fd(p->fd, p->mime, sizeof(p->mime));
	if (fsync(p->fd) < 0) {
		srv_log("cannot save '%s': %s", p->path, strerror(errno));
		return;
	}
	p->finished = 1;
}

static void *pipe_writer(void *arg)
{
	struct srv_pipe *p = arg;
	unsigned long n;
	int failed = 0;

	pthread_mutex_lock(&p->lock);
	for (n = 0; pipe_wait_filled(p, n) == 0; n++) {
		pthread_mutex_unlock(&p->lock);
		/* after a failure the buffers are only let go, so the worker never waits for ever */
		if (!failed && pipe_write(p, p->buf[n % PIPE_BUFS], p->len[n % PIPE_BUFS]) < 0) {
			srv_log("cannot write '%s': %s", p->path, strerror(errno));
			failed = 1;
		}
		pthread_mutex_lock(&p->lock);
		p->failed |= failed;
		p->written = n + 1;
		pthread_cond_broadcast(&p->cond);
	}
	pthread_mutex_unlock(&p->lock);
	/* p->closed was set with p->done, under the lock the loop above saw done with */
	if (p->closed && !failed)
		pipe_finish(p);
	return NULL;
}

static void pipe_free(struct srv_pipe *p)
{
	if (p->dfd >= 0)
		close(p->dfd);
	for (int i = 0; i < PIPE_BUFS; i++)
		buffer_free(p->buf[i]);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p);
	__atomic_sub_fetch(&pipes_running, 1, __ATOMIC_RELAXED);
}

/* Ends u's pipe, when it has one, once its threads are through; -1 when a write failed. */
static int pipe_stop(struct srv_upload *u)
{
	struct srv_pipe *p = u->pipe;
	int failed;

	if (!p)
		return 0;
	pthread_mutex_lock(&p->lock);
	p->done = 1;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	if (p->hasher_started)
		pthread_join(p->hasher, NULL);
	if (p->writer_started)
		pthread_join(p->writer, NULL);
	failed = p->failed;
	u->wbuf = NULL;		/* it was one of the pipe's */
	u->wlen = 0;
	if (p->finished && !failed) {
		snprintf(u->mime, sizeof(u->mime), "%s", p->mime);
		u->sniffed = 1;
		u->fsynced = 1;
	}
	pipe_free(p);
	u->pipe = NULL;
	return failed ? -1 : 0;
}

/*
 * Starts one of a pipe's threads on the cores edud may use. The worker may be pinned to one
 * core (cpu_affinity): the hasher, which has the most to do, then keeps off it.
 */
static int pipe_thread(pthread_t *t, void *(*fn)(void *), struct srv_pipe *p, int off_worker)
{
	pthread_attr_t attr;
	cpu_set_t cpus, mine;
	int rc;

	pthread_attr_init(&attr);
	if (sched_getaffinity(getpid(), sizeof(cpus), &cpus) == 0) {
		cpu_set_t others = cpus;

		if (off_worker &&
		    pthread_getaffinity_np(pthread_self(), sizeof(mine), &mine) == 0 &&
		    CPU_COUNT(&mine) == 1) {
			for (int i = 0; i < CPU_SETSIZE; i++)
				if (CPU_ISSET(i, &mine))
					CPU_CLR(i, &others);
			if (CPU_COUNT(&others) > 0)
				cpus = others;
		}
		pthread_attr_setaffinity_np(&attr, sizeof(cpus), &cpus);
	}
	rc = pthread_create(t, &attr, fn, p);
	pthread_attr_destroy(&attr);
	if (rc != 0)
		errno = rc;
	return rc == 0 ? 0 : -1;
}

/*
 * Gives u a pipe, its first buffer being u->wbuf (full, from offset 0, nothing of it hashed
 * or written yet). 0, or -1 when no pipe is free (u is then left as it was).
 */
static int pipe_start(struct srv_upload *u)
{
	struct srv_pipe *p;

	if (ncpu < 2 || __atomic_add_fetch(&pipes_running, 1, __ATOMIC_RELAXED) > ncpu) {
		__atomic_sub_fetch(&pipes_running, 1, __ATOMIC_RELAXED);
		return -1;
	}
	p = xcalloc(1, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->fd = u->fd;
	p->path = u->tmp_path;
	p->md = u->hash;
	p->dfd = open(u->tmp_path, O_WRONLY | O_DIRECT | O_CLOEXEC);
	p->buf[0] = (unsigned char *)u->wbuf;
	p->len[0] = u->wlen;
	p->filled = 1;
	for (int i = 1; i < PIPE_BUFS; i++)
		p->buf[i] = aligned_buffer();
	u->pipe = p;
	p->hasher_started = pipe_thread(&p->hasher, pipe_hasher, p, 1) == 0;
	p->writer_started = p->hasher_started && pipe_thread(&p->writer, pipe_writer, p, 0) == 0;
	if (!p->writer_started) {
		/* the buffer handed over cannot be given back half done: this upload fails */
		u->failed = 1;
		srv_log("cannot start the threads of an upload: %s", strerror(errno));
		pipe_stop(u);
		return 0;
	}
	u->wbuf = (char *)p->buf[1];
	u->wlen = 0;
	return 0;
}

/* Hands the worker's buffer (u->wbuf, u->wlen bytes) to the pipe and takes the next one. */
static int pipe_hand_over(struct srv_upload *u)
{
	struct srv_pipe *p = u->pipe;
	unsigned long n;
	int failed;

	pthread_mutex_lock(&p->lock);
	n = p->filled;
	p->len[n % PIPE_BUFS] = u->wlen;
	p->filled = ++n;
	pthread_cond_broadcast(&p->cond);
	/* the next buffer is number n, the one number n - PIPE_BUFS had */
	while (!p->failed && (n - p->hashed >= PIPE_BUFS || n - p->written >= PIPE_BUFS))
		pthread_cond_wait(&p->cond, &p->lock);
	failed = p->failed;	/* read under the lock: the writer sets it under it */
	pthread_mutex_unlock(&p->lock);
	if (failed) {
		u->failed = 1;
		return -1;
	}
	u->wbuf = (char *)p->buf[n % PIPE_BUFS];
	u->wlen = 0;
	return 0;
}

/* Makes a directory's entries durable (a rename into it, a directory made in it). */
static int sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0) {
		srv_log("cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	rc = fsync(fd);
	if (rc < 0)
		srv_log("cannot save '%s': %s", path, strerror(errno));
	close(fd);
	return rc;
}

static char *content_path(const char *sha256)
{
	return xasprintf("%s/%.2s/%s", files_dir, sha256, sha256);
}

struct srv_upload *srv_upload_new(unsigned long long limit)
{
	struct srv_upload *u;

	if (!files_dir && srv_files_init() < 0)
		return NULL;
	u = xcalloc(1, sizeof(*u));
	u->limit = limit;
	u->tmp_path = xasprintf("%s/upload-XXXXXX", tmp_dir);
	u->fd = mkostemp(u->tmp_path, O_CLOEXEC);
	if (u->fd < 0) {
		srv_log("cannot create an upload file in '%s': %s", tmp_dir, strerror(errno));
		free(u->tmp_path);
		free(u);
		return NULL;
	}
	u->hash = EVP_MD_CTX_new();
	if (!u->hash || !EVP_DigestInit_ex(u->hash, EVP_sha256(), NULL))
		abort();
	return u;
}

/* Hashes and writes the worker's buffer on the worker; 0, or -1 (logged, u->failed set). */
static int flush_here(struct srv_upload *u)
{
	if (!u->wlen)
		return 0;
	hash_update(u->hash, (unsigned char *)u->wbuf, u->wlen);
	if (write_all(u->fd, (unsigned char *)u->wbuf, u->wlen, u->written) < 0) {
		srv_log("cannot write '%s': %s", u->tmp_path, strerror(errno));
		u->failed = 1;
		return -1;
	}
	u->written += u->wlen;
	u->wlen = 0;
	writeback(u->fd, &u->synced, u->written);
	return 0;
}

/* A full buffer: to the pipe (started with the first), or hashed and written here. */
static int buffer_full(struct srv_upload *u)
{
	if (u->pipe)
		return pipe_hand_over(u);
	if (u->written == 0 && pipe_start(u) == 0)
		return u->failed ? -1 : 0;
	return flush_here(u);
}

/* Everything taken so far hashed and in the file (the pipe ended); 0 or -1. */
static int drain(struct srv_upload *u)
{
	if (u->failed)
		return -1;
	if (u->pipe) {
		if (u->wlen && pipe_hand_over(u) < 0)
			return -1;
		if (pipe_stop(u) < 0) {
			u->failed = 1;
			return -1;
		}
		u->written = u->size;
		return 0;
	}
	return flush_here(u);
}

void srv_upload_close(struct srv_upload *u)
{
	struct srv_pipe *p = u->pipe;

	if (!p || u->failed || u->too_large)
		return;
	/* the last buffer, partly filled, handed over without waiting for one to follow it */
	pthread_mutex_lock(&p->lock);
	if (u->wlen) {
		p->len[p->filled % PIPE_BUFS] = u->wlen;
		p->filled++;
	}
	p->done = 1;
	p->closed = 1;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	u->wlen = 0;
}

int srv_upload_write(struct srv_upload *u, const void *buf, size_t len)
{
	const char *p = buf;

	if (u->too_large || u->failed || u->fd < 0 || u->sha256[0] || (u->pipe && u->pipe->done))
		return -1;
	if (u->size + len > u->limit) {
		/* keep nothing of it: the answer is 413 and the bytes are not ours to keep */
		u->too_large = 1;
		pipe_stop(u);
		u->wlen = 0;
		if (ftruncate(u->fd, 0) < 0)
			srv_log("cannot empty '%s': %s", u->tmp_path, strerror(errno));
		return -1;
	}
	u->size += len;
	u->sniffed = 0;
	if (!u->wbuf)
		u->wbuf = (char *)aligned_buffer();
	while (len) {
		size_t n = UPLOAD_BUF - u->wlen < len ? UPLOAD_BUF - u->wlen : len;

		memcpy(u->wbuf + u->wlen, p, n);
		u->wlen += n;
		p += n;
		len -= n;
		if (u->wlen == UPLOAD_BUF && buffer_full(u) < 0)
			return -1;
	}
	return 0;
}

void srv_upload_sniff(struct srv_upload *u)
{
	/* libmagic reads the file: what is taken goes there first (a failure is kept) */
	if (u->fd >= 0 && !u->too_large)
		drain(u);
	/* the pipe's writer may have read the type once the body was in */
	if (u->sniffed)
		return;
	sniff_fd(u->fd, u->mime, sizeof(u->mime));
	u->sniffed = 1;
}

int srv_upload_digest(struct srv_upload *u)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	static const char hex[] = "0123456789abcdef";

	if (u->too_large || u->fd < 0 || drain(u) < 0)
		return -1;
	if (u->sha256[0])
		return 0;
	EVP_DigestFinal_ex(u->hash, md, &mdlen);
	for (unsigned i = 0; i < mdlen && i < 32; i++) {
		u->sha256[2 * i] = hex[md[i] >> 4];
		u->sha256[2 * i + 1] = hex[md[i] & 15];
	}
	u->sha256[64] = '\0';
	return 0;
}

int srv_upload_idem_begin(struct srv_req *r, struct srv_upload *u)
{
	/* only a keyed upload waits for its hash here: others overlap it with their checks */
	if (!srv_idem_keyed(r))
		return 0;
	if (srv_upload_digest(u) < 0) {
		srv_reply_internal(r, "cannot store an upload");
		return 1;
	}
	return srv_idem_begin_content(r, u->sha256) ? 1 : 0;
}

int srv_upload_finish(struct srv_upload *u)
{
	char *dir = NULL, *path = NULL;
	struct stat st;
	int rc = -1, made_dir = 0;

	if (srv_upload_digest(u) < 0)
		return -1;
	srv_upload_sniff(u);
	if ((!u->fsynced && fsync(u->fd) < 0) || close(u->fd) < 0) {
		srv_log("cannot save '%s': %s", u->tmp_path, strerror(errno));
		u->fd = -1;
		goto out;
	}
	u->fd = -1;
	dir = xasprintf("%s/%.2s", files_dir, u->sha256);
	if (mkdir(dir, 0700) == 0) {
		made_dir = 1;
	} else if (errno != EEXIST) {
		srv_log("cannot create '%s': %s", dir, strerror(errno));
		goto out;
	}
	path = content_path(u->sha256);
	if (stat(path, &st) == 0 && (unsigned long long)st.st_size == u->size) {
		/* this content is stored already */
		unlink(u->tmp_path);
	} else if (rename(u->tmp_path, path) < 0) {
		srv_log("cannot store '%s': %s", path, strerror(errno));
		goto out;
	} else if (sync_dir(dir) < 0 || (made_dir && sync_dir(files_dir) < 0)) {
		/* the name is not on disk yet: a crash could lose it after the answer */
		goto out;
	}
	u->finished = 1;
	rc = 0;
out:
	free(dir);
	free(path);
	return rc;
}

void srv_upload_free(struct srv_upload *u)
{
	if (!u)
		return;
	pipe_stop(u);
	buffer_free(u->wbuf);
	if (u->fd >= 0)
		close(u->fd);
	if (!u->finished)
		unlink(u->tmp_path);
	EVP_MD_CTX_free(u->hash);
	free(u->tmp_path);
	free(u);
}

static const struct db_stmt q_files_lock_shared = DB_STMT("files_lock_shared", 0,
	"SELECT pg_advisory_xact_lock_shared(" SRV_FILES_LOCK_KEY ")");

/* ---- the upload quota ---- */

/*
 * What a user keeps: the files rows they created in their school. Uploads that expired
 * unsubmitted are not kept (q_upload_expire deletes them with the school's next upload), so
 * they count no more.
 */
/* The bytes the caller's uploads hold. */
enum { QUOTA_USED };
static const struct db_stmt q_quota_used = DB_STMT("quota_used", 2,
	"SELECT coalesce(sum(f.size), 0) FROM files f "
	"WHERE f.school_id = $1 AND f.created_by = $2 "
	"  AND NOT EXISTS (SELECT 1 FROM uploads u WHERE u.school_id = f.school_id "
	"    AND u.file_id = f.id AND u.expires_at < now())");

/*
 * The ends of one user's uploads, one at a time. The key is the two-int form
 * (QUOTA_LOCK_CLASS, hashtext(school_id || '/' || user_id)): the class keeps it apart from
 * every other advisory lock of edud (two-int keys never meet the one-bigint keys, such as
 * the migrations'), and two users whose ids hash alike only wait for each other, never pass
 * each other's check. A transaction-level lock: it holds until the upload's row is
 * committed (or rolled back), so the count read after it sees every earlier upload.
 */
#define QUOTA_LOCK_CLASS "1903521652"	/* "quot" in ASCII */
static const struct db_stmt q_quota_lock = DB_STMT("quota_lock", 2,
	"SELECT pg_advisory_xact_lock(" QUOTA_LOCK_CLASS ", "
	"  hashtext($1::text || '/' || $2::text))");

static int quota_used(struct srv_req *r, unsigned long long *used)
{
	PGresult *res = db_exec(r->tx, &q_quota_used,
				(const char *[]){ r->caller.school_id, r->caller.user_id });

	if (!res) {
		srv_reply_db_error(r);
		return -1;
	}
	*used = (unsigned long long)db_llong(res, 0, QUOTA_USED);
	PQclear(res);
	return 0;
}

void srv_reply_quota(struct srv_req *r, unsigned long long used, unsigned long long quota)
{
	srv_reply_error(r, SRV_ERR_QUOTA_EXCEEDED, NULL,
			"this file would pass your upload quota: %llu of %llu bytes used",
			used, quota);
}

int srv_quota_begin(struct srv_req *r, struct srv_quota *q, unsigned long long *limit)
{
	const char *cl = srv_req_header(r, "Content-Length");
	unsigned long long left;

	memset(q, 0, sizeof(*q));
	if (srv_cfg.upload_quota <= 0)
		return 0;
	q->quota = (unsigned long long)srv_cfg.upload_quota;
	if (quota_used(r, &q->used) < 0)
		return -1;
	left = q->used < q->quota ? q->quota - q->used : 0;
	if (!left || (cl && strtoull(cl, NULL, 10) > left)) {
		srv_reply_quota(r, q->used, q->quota);
		return -1;
	}
	if (left < *limit) {
		*limit = left;
		q->binds = 1;
	}
	return 0;
}

int srv_upload_locks(struct srv_req *r, unsigned long long size)
{
	const char *const who[] = { r->caller.school_id, r->caller.user_id };
	/* the quota's lock first, its count in a statement of its own: its snapshot comes after */
	const struct db_stmt *sts[3] = { &q_files_lock_shared, &q_quota_lock, &q_quota_used };
	const char *const *params[3] = { NULL, who, who };
	unsigned long long quota = (unsigned long long)srv_cfg.upload_quota, used;
	PGresult *res[3];
	int n = srv_cfg.upload_quota > 0 ? 3 : 1;

	if (db_exec_n(r->tx, n, sts, params, res) < 0) {
		srv_reply_db_error(r);
		return -1;
	}
	used = n == 3 ? (unsigned long long)db_llong(res[2], 0, QUOTA_USED) : 0;
	for (int i = 0; i < n; i++)
		PQclear(res[i]);
	if (n == 3 && (used > quota || size > quota - used)) {
		srv_reply_quota(r, used, quota);
		return -1;
	}
	return 0;
}

int srv_mime_allowed(const char *mime, const char *allowed_json)
{
	cJSON *list = allowed_json ? cJSON_Parse(allowed_json) : NULL;
	const cJSON *item;
	int ok;

	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0) {
		cJSON_Delete(list);
		return 1;
	}
	ok = 0;
	cJSON_ArrayForEach(item, list)
		if (cJSON_IsString(item) && !strcasecmp(item->valuestring, mime))
			ok = 1;
	cJSON_Delete(list);
	return ok;
}

/* The last path component, without controls, quotes or backslashes; "file" when empty. */
static char *safe_filename(const char *name)
{
	const char *base = name ? strrchr(name, '/') : NULL;
	char *clean = edu_safe_text(base ? base + 1 : name, EDU_SAFE_ONELINE), *out, *o;

	out = o = xmalloc(strlen(clean) + 5);
	for (const char *p = clean; *p; p++)
		if (*p != '"' && *p != '\\' && *p != ';')
			*o++ = *p;
	*o = '\0';
	free(clean);
	if (!*out || !strcmp(out, ".") || !strcmp(out, "..")) {
		free(out);
		out = xstrdup("file");
	}
	return out;
}

void srv_reply_file(struct srv_req *r, const char *sha256, const char *filename,
		    const char *mime)
{
	unsigned char raw[32];
	unsigned char b64[48];
	char *path, *name, *disp, *digest;
	struct stat st;
	int fd;

	if (!files_dir && srv_files_init() < 0) {
		srv_reply_internal(r, "the file store is unavailable");
		return;
	}
	if (strlen(sha256) != 64 || strspn(sha256, "0123456789abcdef") != 64) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such file");
		return;
	}
	path = content_path(sha256);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		srv_log("%s stored content %s is missing", r->request_id, sha256);
		srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such file");
		return;
	}
	for (int i = 0; i < 32; i++) {
		unsigned v;
		sscanf(sha256 + 2 * i, "%2x", &v);
		raw[i] = (unsigned char)v;
	}
	EVP_EncodeBlock(b64, raw, 32);
	name = safe_filename(filename);
	disp = xasprintf("attachment; filename=\"%s\"", name);
	digest = xasprintf("sha-256=%s", (char *)b64);
	srv_set_header(r, "Content-Disposition", disp);
	srv_set_header(r, "Digest", digest);
	srv_set_header(r, "X-Content-Type-Options", "nosniff");
	srv_reply_fd(r, 200, mime && *mime ? mime : "application/octet-stream", fd,
		     (unsigned long long)st.st_size);
	free(name);
	free(disp);
	free(digest);
}
