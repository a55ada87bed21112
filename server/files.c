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

#include "conf.h"
#include "db.h"
#include "files.h"
#include "log.h"
#include "safe.h"
#include "xalloc.h"

static char *files_dir, *tmp_dir;

/* how much of a file libmagic may read to name its type */
#define MAGIC_BYTES (256 * 1024)
/* how much of an upload is handed to the disk at a time while it streams */
#define WRITEBACK_STEP (4ULL * 1024 * 1024)
/* past this size an upload gets its own hashing thread; it reads this much at a time */
#define HASHER_AFTER (1ULL * 1024 * 1024)
#define HASHER_CHUNK (256 * 1024)
/* a sleeping hasher is woken when this much more is written (or the upload ends) */
#define HASHER_BATCH (1ULL * 1024 * 1024)
/*
 * A large upload is written to its file this much at a time: the network hands it over
 * in chunks of half a connection buffer (64 KiB), and writes of 1 MiB go at one and a half
 * times the speed of writes of 64 KiB (bench/sink).
 */
#define WRITE_BUF (1024 * 1024)

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

int srv_files_init(void)
{
	free(files_dir);
	free(tmp_dir);
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
 * The hashing thread of a large upload. SHA-256 runs at about the speed bytes arrive over
 * loopback, so on the worker it halves an upload's speed; here it reads back what the worker
 * has written (from the page cache) and hashes it on another core. The worker publishes how
 * far it has written; the hasher follows. At most one hasher per core runs at once: past
 * that, uploads are hashed on their worker as small ones are.
 */
struct srv_hasher {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned long long written;	/* how far the worker has written */
	unsigned long long hashed;	/* how far the hasher has hashed */
	int done;			/* the worker writes no more */
	int waiting;			/* the hasher sleeps on cond, ... */
	unsigned long long slept_at;	/* ... having hashed this much */
	int failed;			/* a read came short: the hash is not of the file */
	int fd;
	EVP_MD_CTX *md;
};

static int hashers_running;

static void *hasher_main(void *arg)
{
	struct srv_hasher *h = arg;
	unsigned char *buf = xmalloc(HASHER_CHUNK);
	unsigned long long end;
	ssize_t n;

	for (;;) {
		pthread_mutex_lock(&h->lock);
		while (h->hashed == h->written && !h->done) {
			h->waiting = 1;
			h->slept_at = h->hashed;
			pthread_cond_wait(&h->cond, &h->lock);
			h->waiting = 0;
		}
		end = h->written;
		pthread_mutex_unlock(&h->lock);
		if (h->hashed == end)
			break;	/* done, and all of it hashed */
		while (h->hashed < end) {
			size_t want = end - h->hashed < HASHER_CHUNK ? (size_t)(end - h->hashed)
								     : HASHER_CHUNK;

			n = pread(h->fd, buf, want, (off_t)h->hashed);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				h->failed = 1;	/* emptied (too large) or unreadable */
				goto out;
			}
			EVP_DigestUpdate(h->md, buf, (size_t)n);
			h->hashed += (unsigned long long)n;
		}
	}
out:
	free(buf);
	return NULL;
}

/* Hands the rest of u's hashing to a thread; u->size bytes are hashed already. */
static void hasher_start(struct srv_upload *u)
{
	struct srv_hasher *h;
	pthread_attr_t attr;
	cpu_set_t cpus;
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);

	if (ncpu < 2 || __atomic_add_fetch(&hashers_running, 1, __ATOMIC_RELAXED) > ncpu)
		goto none;
	h = xcalloc(1, sizeof(*h));
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->cond, NULL);
	h->written = h->hashed = u->written;
	h->fd = u->fd;
	h->md = u->hash;
	/* not on the worker's core (cpu_affinity): on any core edud may use */
	pthread_attr_init(&attr);
	if (sched_getaffinity(getpid(), sizeof(cpus), &cpus) == 0)
		pthread_attr_setaffinity_np(&attr, sizeof(cpus), &cpus);
	if (pthread_create(&h->thread, &attr, hasher_main, h) != 0) {
		pthread_attr_destroy(&attr);
		pthread_mutex_destroy(&h->lock);
		pthread_cond_destroy(&h->cond);
		free(h);
		goto none;
	}
	pthread_attr_destroy(&attr);
	u->hasher = h;
	return;
none:
	__atomic_sub_fetch(&hashers_running, 1, __ATOMIC_RELAXED);
}

static void hasher_publish(struct srv_hasher *h, unsigned long long written)
{
	pthread_mutex_lock(&h->lock);
	h->written = written;
	if (h->waiting && written - h->slept_at >= HASHER_BATCH)
		pthread_cond_signal(&h->cond);
	pthread_mutex_unlock(&h->lock);
}

/* Waits for the hasher to catch up and end; -1 when its hash is not of the whole file. */
static int hasher_stop(struct srv_upload *u)
{
	struct srv_hasher *h = u->hasher;
	int ok;

	if (!h)
		return 0;
	pthread_mutex_lock(&h->lock);
	h->done = 1;
	pthread_cond_signal(&h->cond);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->thread, NULL);
	ok = !h->failed && h->hashed == u->size;
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->cond);
	free(h);
	u->hasher = NULL;
	__atomic_sub_fetch(&hashers_running, 1, __ATOMIC_RELAXED);
	return ok ? 0 : -1;
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

/* Appends len bytes to the file; then hands them to the hasher and the disk. */
static int write_out(struct srv_upload *u, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(u->fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			srv_log("cannot write '%s': %s", u->tmp_path, strerror(errno));
			u->failed = 1;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		u->written += (unsigned long long)n;
	}
	if (u->hasher)
		hasher_publish(u->hasher, u->written);
	/*
	 * Start writing each finished stretch to disk while the rest arrives, so the fsync
	 * before the answer has little left to wait for.
	 */
	if (u->written - u->synced >= WRITEBACK_STEP) {
		sync_file_range(u->fd, (off_t)u->synced, (off_t)(u->written - u->synced),
				SYNC_FILE_RANGE_WRITE);
		u->synced = u->written;
	}
	return 0;
}

/* Writes out what is buffered. */
static int flush(struct srv_upload *u)
{
	size_t n = u->wlen;

	u->wlen = 0;
	return n ? write_out(u, u->wbuf, n) : 0;
}

int srv_upload_write(struct srv_upload *u, const void *buf, size_t len)
{
	const char *p = buf;

	if (u->too_large || u->failed || u->fd < 0)
		return -1;
	if (u->size + len > u->limit) {
		/* keep nothing of it: the answer is 413 and the bytes are not ours to keep */
		u->too_large = 1;
		u->wlen = 0;
		if (ftruncate(u->fd, 0) < 0)
			srv_log("cannot empty '%s': %s", u->tmp_path, strerror(errno));
		return -1;
	}
	u->size += len;
	if (!u->wbuf) {
		/* small so far: hashed here and written as it comes */
		EVP_DigestUpdate(u->hash, buf, len);
		if (write_out(u, p, len) < 0)
			return -1;
		if (u->size >= HASHER_AFTER) {
			hasher_start(u);
			if (!u->hasher)
				return 0;	/* no hasher free: go on as a small one */
			u->wbuf = xmalloc(WRITE_BUF);
		}
		return 0;
	}
	while (len) {
		size_t n = WRITE_BUF - u->wlen < len ? WRITE_BUF - u->wlen : len;

		memcpy(u->wbuf + u->wlen, p, n);
		u->wlen += n;
		p += n;
		len -= n;
		if (u->wlen == WRITE_BUF && flush(u) < 0)
			return -1;
	}
	return 0;
}

void srv_upload_sniff(struct srv_upload *u)
{
	const char *type = NULL;

	/* libmagic reads the file: what is buffered goes there first (a failure is kept) */
	if (u->fd >= 0 && !u->too_large)
		flush(u);

	/* libmagic reads from the current offset: from the start, then */
	pthread_mutex_lock(&magic_lock);
	if (magic && u->fd >= 0 && lseek(u->fd, 0, SEEK_SET) == 0)
		type = magic_descriptor(magic, u->fd);
	snprintf(u->mime, sizeof(u->mime), "%s", type ? type : "application/octet-stream");
	pthread_mutex_unlock(&magic_lock);
	if (u->fd >= 0)
		lseek(u->fd, 0, SEEK_END);
}

int srv_upload_finish(struct srv_upload *u)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	static const char hex[] = "0123456789abcdef";
	char *dir = NULL, *path = NULL;
	struct stat st;
	int rc = -1, made_dir = 0;

	if (u->too_large || u->fd < 0 || flush(u) < 0 || u->failed)
		return -1;
	if (hasher_stop(u) < 0) {
		srv_log("cannot read back '%s' to hash it", u->tmp_path);
		return -1;
	}
	EVP_DigestFinal_ex(u->hash, md, &mdlen);
	for (unsigned i = 0; i < mdlen && i < 32; i++) {
		u->sha256[2 * i] = hex[md[i] >> 4];
		u->sha256[2 * i + 1] = hex[md[i] & 15];
	}
	u->sha256[64] = '\0';
	srv_upload_sniff(u);
	if (fsync(u->fd) < 0 || close(u->fd) < 0) {
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
	hasher_stop(u);
	free(u->wbuf);
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

int srv_files_lock_shared(struct srv_req *r)
{
	PGresult *res = db_exec(r, &q_files_lock_shared, NULL);

	if (!res) {
		srv_reply_db_error(r);
		return -1;
	}
	PQclear(res);
	return 0;
}

/* ---- the upload quota ---- */

/*
 * What a user keeps: the files rows they created in their school. Uploads that expired
 * unsubmitted are not kept (q_upload_expire deletes them with the school's next upload), so
 * they count no more.
 */
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
	PGresult *res = db_exec(r, &q_quota_used,
				(const char *[]){ r->caller.school_id, r->caller.user_id });

	if (!res) {
		srv_reply_db_error(r);
		return -1;
	}
	*used = strtoull(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

void srv_reply_quota(struct srv_req *r, unsigned long long used, unsigned long long quota)
{
	srv_reply_error(r, 413, "quota_exceeded", NULL,
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

int srv_quota_end(struct srv_req *r, unsigned long long size)
{
	unsigned long long quota, used;
	PGresult *res;

	if (srv_cfg.upload_quota <= 0)
		return 0;
	quota = (unsigned long long)srv_cfg.upload_quota;
	/* the lock first, the count in a statement of its own: its snapshot comes after it */
	res = db_exec(r, &q_quota_lock, (const char *[]){ r->caller.school_id, r->caller.user_id });
	if (!res) {
		srv_reply_db_error(r);
		return -1;
	}
	PQclear(res);
	if (quota_used(r, &used) < 0)
		return -1;
	if (used > quota || size > quota - used) {
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
		srv_reply_error(r, 404, "not_found", NULL, "no such file");
		return;
	}
	path = content_path(sha256);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		srv_log("%s stored content %s is missing", r->request_id, sha256);
		srv_reply_error(r, 404, "not_found", NULL, "no such file");
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
