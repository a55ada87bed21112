/*
 * The file store: content-addressed files under data_dir/files, uploads streamed into it.
 *
 * An upload is written to data_dir/files/tmp/upload-XXXXXX while SHA-256 is computed; at
 * the end it is fsync()ed and renamed to files/ab/abcdef... (the rename is atomic, so a
 * reader never sees half a file, and two uploads of the same content end as one file).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "files.h"
#include "log.h"
#include "safe.h"
#include "xalloc.h"

static char *files_dir, *tmp_dir;

/* how much of a file libmagic may read to name its type */
#define MAGIC_BYTES (256 * 1024)
/* how much of an upload is handed to the disk at a time while it streams */
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

int srv_upload_write(struct srv_upload *u, const void *buf, size_t len)
{
	const char *p = buf;

	if (u->too_large || u->fd < 0)
		return -1;
	if (u->size + len > u->limit) {
		/* keep nothing of it: the answer is 413 and the bytes are not ours to keep */
		u->too_large = 1;
		if (ftruncate(u->fd, 0) < 0)
			srv_log("cannot empty '%s': %s", u->tmp_path, strerror(errno));
		return -1;
	}
	EVP_DigestUpdate(u->hash, buf, len);
	while (len) {
		ssize_t n = write(u->fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			srv_log("cannot write '%s': %s", u->tmp_path, strerror(errno));
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	u->size += (unsigned long long)(p - (const char *)buf);
	/*
	 * Start writing each finished stretch to disk while the rest arrives, so the fsync
	 * before the answer has little left to wait for.
	 */
	if (u->size - u->synced >= WRITEBACK_STEP) {
		sync_file_range(u->fd, (off_t)u->synced, (off_t)(u->size - u->synced),
				SYNC_FILE_RANGE_WRITE);
		u->synced = u->size;
	}
	return 0;
}

void srv_upload_sniff(struct srv_upload *u)
{
	const char *type = NULL;

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
	int rc = -1;

	if (u->too_large || u->fd < 0)
		return -1;
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
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
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
	if (u->fd >= 0)
		close(u->fd);
	if (!u->finished)
		unlink(u->tmp_path);
	EVP_MD_CTX_free(u->hash);
	free(u->tmp_path);
	free(u);
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
