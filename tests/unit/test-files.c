/* The file store: streamed uploads, SHA-256 names, limits, deduplication and types. */
#include "config.h"

#include <dirent.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/conf.h"
#include "store/files.h"
#include "tap.h"
#include "xalloc.h"

static char dir[64];

static int setup(void)
{
	char err[128];

	strcpy(dir, "/tmp/edu-test-files-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	if (srv_config_set("data_dir", dir, err, sizeof(err)) < 0)
		return -1;
	return srv_files_init();
}

static int teardown(void)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);

	free(cmd);
	srv_config_free();
	return rc == 0 ? 0 : -1;
}

/* Entries in files/tmp: an upload must leave none behind. */
static int tmp_entries(void)
{
	char *path = xasprintf("%s/files/tmp", dir);
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;

	free(path);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void test_stream_and_name(void)
{
	struct srv_upload *u = srv_upload_new(1 << 20);
	struct stat st;
	char *path;

	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	/* "abc" in two writes: SHA-256 is the well-known test vector */
	CU_ASSERT_EQUAL(srv_upload_write(u, "a", 1), 0);
	CU_ASSERT_EQUAL(srv_upload_write(u, "bc", 2), 0);
	CU_ASSERT_EQUAL_FATAL(srv_upload_finish(u), 0);
	CU_ASSERT_STRING_EQUAL(u->sha256,
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CU_ASSERT_EQUAL(u->size, 3);
	CU_ASSERT_STRING_EQUAL(u->mime, "text/plain");
	path = xasprintf("%s/files/ba/%s", dir, u->sha256);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, 3);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
	free(path);
	srv_upload_free(u);
	CU_ASSERT_EQUAL(tmp_entries(), 0);
}

static void test_dedup(void)
{
	struct srv_upload *a = srv_upload_new(100), *b = srv_upload_new(100);

	CU_ASSERT_FATAL(a && b);
	srv_upload_write(a, "same bytes", 10);
	srv_upload_write(b, "same bytes", 10);
	CU_ASSERT_EQUAL(srv_upload_finish(a), 0);
	CU_ASSERT_EQUAL(srv_upload_finish(b), 0);
	CU_ASSERT_STRING_EQUAL(a->sha256, b->sha256);
	srv_upload_free(a);
	srv_upload_free(b);
	CU_ASSERT_EQUAL(tmp_entries(), 0);
}

static void test_limit(void)
{
	struct srv_upload *u = srv_upload_new(5);

	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL(srv_upload_write(u, "12345", 5), 0);
	CU_ASSERT_EQUAL(srv_upload_write(u, "6", 1), -1);
	CU_ASSERT(u->too_large);
	CU_ASSERT_EQUAL(srv_upload_write(u, "7", 1), -1);
	CU_ASSERT_EQUAL(srv_upload_finish(u), -1);
	srv_upload_free(u);
	/* nothing kept: not in tmp, and no content named for it */
	CU_ASSERT_EQUAL(tmp_entries(), 0);
}

static void test_abandoned(void)
{
	struct srv_upload *u = srv_upload_new(100);

	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	srv_upload_write(u, "half", 4);
	srv_upload_free(u);
	CU_ASSERT_EQUAL(tmp_entries(), 0);
}

/*
 * A large upload is hashed and written by the threads of its pipe. Bytes in chunks of odd
 * sizes, as the network hands them over; the name must be the SHA-256 of all of them.
 */
static unsigned char *pattern(size_t len)
{
	unsigned char *p = xmalloc(len);
	unsigned x = 12345;

	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245 + 12345;
		p[i] = (unsigned char)(x >> 16);
	}
	return p;
}

static void hex_sha256(const unsigned char *p, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	EVP_Digest(p, len, md, &mdlen, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

static void test_large_piped(void)
{
	size_t len = 5 * 1024 * 1024 + 77, off = 0, step = 1000;
	unsigned char *data = pattern(len);
	struct srv_upload *u = srv_upload_new(len);
	char want[65];
	int threaded = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	hex_sha256(data, len, want);
	while (off < len) {
		size_t n = len - off < step ? len - off : step;

		CU_ASSERT_EQUAL_FATAL(srv_upload_write(u, data + off, n), 0);
		off += n;
		step = step * 3 % 200003 + 1;
		threaded |= u->pipe != NULL;
	}
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1)
		CU_ASSERT(threaded);
	CU_ASSERT_EQUAL_FATAL(srv_upload_finish(u), 0);
	CU_ASSERT_STRING_EQUAL(u->sha256, want);
	CU_ASSERT_EQUAL(u->size, len);
	CU_ASSERT_PTR_NULL(u->pipe);
	srv_upload_free(u);
	CU_ASSERT_EQUAL(tmp_entries(), 0);
	free(data);
}

static void test_large_past_limit(void)
{
	size_t len = 3 * 1024 * 1024, chunk = 64 * 1024;
	unsigned char *data = pattern(len);
	struct srv_upload *u = srv_upload_new(2 * 1024 * 1024);
	int refused = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	for (size_t off = 0; off < len && !refused; off += chunk)
		refused = srv_upload_write(u, data + off, chunk) < 0;
	CU_ASSERT(refused);
	CU_ASSERT(u->too_large);
	CU_ASSERT_EQUAL(srv_upload_finish(u), -1);
	srv_upload_free(u);
	CU_ASSERT_EQUAL(tmp_entries(), 0);
	free(data);
}

static void test_large_abandoned(void)
{
	size_t len = 2 * 1024 * 1024;
	unsigned char *data = pattern(len);
	struct srv_upload *u = srv_upload_new(10 * len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL(srv_upload_write(u, data, len / 2), 0);
	CU_ASSERT_EQUAL(srv_upload_write(u, data + len / 2, len / 2), 0);
	/* the client went away: the pipe's threads are stopped and the bytes removed */
	srv_upload_free(u);
	CU_ASSERT_EQUAL(tmp_entries(), 0);
	free(data);
}

/* Past one pipe per core, uploads are hashed and written by their worker, just as right. */
static void test_more_than_pipes(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int n = (int)(ncpu > 0 ? ncpu : 1) + 2, piped = 0;
	size_t len = 3 * 1024 * 1024 + 4097, chunk = 65536;
	unsigned char *data = pattern(len);
	struct srv_upload **u = xcalloc((size_t)n, sizeof(*u));
	char want[65];

	hex_sha256(data, len, want);
	for (int i = 0; i < n; i++) {
		u[i] = srv_upload_new(len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(u[i]);
	}
	/* all of them under way at once */
	for (size_t off = 0; off < len; off += chunk)
		for (int i = 0; i < n; i++)
			CU_ASSERT_EQUAL_FATAL(srv_upload_write(u[i], data + off,
					      len - off < chunk ? len - off : chunk), 0);
	for (int i = 0; i < n; i++)
		piped += u[i]->pipe != NULL;
	CU_ASSERT(piped <= ncpu);
	CU_ASSERT(piped < n);
	for (int i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(srv_upload_finish(u[i]), 0);
		/* the same content each time: stored once, the later ones find it there */
		CU_ASSERT_STRING_EQUAL(u[i]->sha256, want);
		CU_ASSERT_EQUAL(u[i]->size, len);
		srv_upload_free(u[i]);
	}
	CU_ASSERT_EQUAL(tmp_entries(), 0);
	free(u);
	free(data);
}

static void test_type_by_content(void)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
					     0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0,
					     0, 1, 8, 2, 0, 0, 0 };
	struct srv_upload *u = srv_upload_new(1000);

	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	srv_upload_write(u, png, sizeof(png));
	CU_ASSERT_EQUAL(srv_upload_finish(u), 0);
	CU_ASSERT_STRING_EQUAL(u->mime, "image/png");
	srv_upload_free(u);
}

/*
 * Closed as soon as the body is in, a large upload's writer reads the type and fsync()s the
 * file while the caller would do its checks; what it found is what srv_upload_finish keeps.
 * A PNG header and 3 MiB past it: the type is read from the file's start, which the writer
 * kept in the page cache.
 */
static void test_large_closed(void)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
					     0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0,
					     0, 1, 8, 2, 0, 0, 0 };
	size_t len = 3 * 1024 * 1024 + 513, chunk = 40000;
	unsigned char *data = pattern(len);
	struct srv_upload *u = srv_upload_new(len);
	char want[65];

	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	memcpy(data, png, sizeof(png));
	hex_sha256(data, len, want);
	for (size_t off = 0; off < len; off += chunk)
		CU_ASSERT_EQUAL_FATAL(srv_upload_write(u, data + off,
				      len - off < chunk ? len - off : chunk), 0);
	srv_upload_close(u);
	/* nothing may follow the close of a pipe */
	if (u->pipe)
		CU_ASSERT_EQUAL(srv_upload_write(u, "x", 1), -1);
	srv_upload_sniff(u);
	CU_ASSERT_STRING_EQUAL(u->mime, "image/png");
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1)
		CU_ASSERT(u->fsynced);	/* by the writer, before the worker asked */
	CU_ASSERT_PTR_NULL(u->pipe);
	CU_ASSERT_EQUAL_FATAL(srv_upload_finish(u), 0);
	CU_ASSERT_STRING_EQUAL(u->sha256, want);
	CU_ASSERT_EQUAL(u->size, len);
	srv_upload_free(u);
	CU_ASSERT_EQUAL(tmp_entries(), 0);
	free(data);
}

/* The file stored for sha256, read whole; its length in *len. */
static unsigned char *stored(const char *sha256, size_t *len)
{
	char *path = xasprintf("%s/files/%.2s/%s", dir, sha256, sha256);
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL;
	long n;

	free(path);
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		p = xmalloc((size_t)n + 1);
		*len = fread(p, 1, (size_t)n, f);
	}
	fclose(f);
	return p;
}

/* Uploads len bytes of data in chunks of chunk; 0 once stored, its name in sha256 */
static int upload_all(const unsigned char *data, size_t len, size_t chunk, char sha256[65])
{
	struct srv_upload *u = srv_upload_new(len);
	int rc = -1;

	if (!u)
		return -1;
	for (size_t off = 0; off < len; off += chunk)
		if (srv_upload_write(u, data + off, len - off < chunk ? len - off : chunk) < 0)
			goto out;
	if (srv_upload_finish(u) == 0 && u->size == len) {
		snprintf(sha256, 65, "%s", u->sha256);
		rc = 0;
	}
out:
	srv_upload_free(u);
	return rc;
}

/*
 * Buffers are kept from one upload for the next, full of its bytes: a later upload, large or
 * small, and shorter than the buffers it fills, must store its own bytes and nothing of those.
 */
static void test_buffers_kept(void)
{
	size_t big = 4 * 1024 * 1024 + 100, mid = 2 * 1024 * 1024 + 4099, len = 0;
	unsigned char *a = pattern(big), *b = xmalloc(mid), *got;
	char sha[65], want[65];

	for (size_t i = 0; i < mid; i++)
		b[i] = (unsigned char)(a[i] ^ 0x5a);
	CU_ASSERT_EQUAL_FATAL(upload_all(a, big, 65536, sha), 0);
	hex_sha256(b, mid, want);
	CU_ASSERT_EQUAL_FATAL(upload_all(b, mid, 30000, sha), 0);
	CU_ASSERT_STRING_EQUAL(sha, want);
	got = stored(sha, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_EQUAL(len, mid);
	CU_ASSERT(len == mid && memcmp(got, b, mid) == 0);
	free(got);
	/* a small one after them: written from one kept buffer, 7 bytes and no more */
	CU_ASSERT_EQUAL_FATAL(upload_all((const unsigned char *)"7 bytes", 7, 7, sha), 0);
	got = stored(sha, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT(len == 7 && memcmp(got, "7 bytes", 7) == 0);
	free(got);
	CU_ASSERT_EQUAL(tmp_entries(), 0);
	free(a);
	free(b);
}

static void test_allowed(void)
{
	CU_ASSERT(srv_mime_allowed("application/pdf", NULL));
	CU_ASSERT(srv_mime_allowed("application/pdf", "[]"));
	CU_ASSERT(srv_mime_allowed("application/pdf", "[\"text/plain\",\"application/pdf\"]"));
	CU_ASSERT(!srv_mime_allowed("application/x-executable", "[\"application/pdf\"]"));
	CU_ASSERT(!srv_mime_allowed("application/pdfx", "[\"application/pdf\"]"));
}

static CU_TestInfo file_tests[] = {
	{ "an upload is stored under its SHA-256, mode 0600", test_stream_and_name },
	{ "the same content is stored once", test_dedup },
	{ "past the limit nothing is kept", test_limit },
	{ "an abandoned upload leaves nothing", test_abandoned },
	{ "a large upload is hashed and written beside its worker", test_large_piped },
	{ "more large uploads than pipes: all stored right", test_more_than_pipes },
	{ "a large upload past the limit keeps nothing", test_large_past_limit },
	{ "an abandoned large upload stops its pipe", test_large_abandoned },
	{ "the type comes from the content", test_type_by_content },
	{ "a large upload closed early: type and fsync by its writer", test_large_closed },
	{ "buffers kept for the next upload hold nothing of the last one", test_buffers_kept },
	{ "allowed types", test_allowed },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "files", setup, teardown, NULL, NULL, file_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	return tap_main(argc, argv, suites);
}
