/* Files up and down, streamed and checked (see transfer.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "clientconfig.h"
#include "lookup.h"
#include "safe.h"
#include "transfer.h"
#include "xalloc.h"

enum edu_err edu_transfer_up(struct edu_api *api, struct edu_request *req, const char *path,
			     const char *filename, edu_api_progress_fn *progress,
			     void *progress_arg, cJSON **file, struct edu_errinfo *ei)
{
	struct edu_api_resp resp;
	char *copy = xstrdup(path);
	enum edu_err err;
	struct stat st;
	FILE *fp;

	*file = NULL;
	fp = fopen(path, "rb");
	if (!fp) {
		err = edu_err_set(ei, EDU_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)) {
		err = edu_err_set(ei, EDU_ERR_IO, "'%s' is not a regular file", path);
		goto out;
	}
	req->upload = fp;
	req->upload_size = (long long)st.st_size;
	req->progress = progress;
	req->progress_arg = progress_arg;
	edu_request_query(req, "filename", filename ? filename : basename(copy));
	err = edu_api_send(api, req, &resp, ei);
	req->upload = NULL;
	if (!err && !resp.json)
		err = edu_err_set(ei, EDU_ERR_SERVER, "the answer to the upload of '%s' is empty",
				  path);
	if (!err) {
		*file = resp.json;
		resp.json = NULL;
	}
	edu_api_resp_release(&resp);
out:
	if (fp)
		fclose(fp);
	free(copy);
	return err;
}

int edu_file_sha256(const char *path, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		abort();	/* OpenSSL without SHA-256: nothing can work */
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		EVP_DigestUpdate(ctx, buf, (size_t)n);
	saved = errno;
	close(fd);
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	if (n < 0) {
		errno = saved;
		return -1;
	}
	for (unsigned int i = 0; i < 32 && i < mdlen; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	return 0;
}

enum edu_err edu_transfer_down(struct edu_api *api, struct edu_request *req, const char *dest,
			       const char *sha256, edu_api_progress_fn *progress,
			       void *progress_arg, struct edu_errinfo *ei)
{
	struct edu_api_resp resp = { .retry_after = -1 };
	char *dcopy = xstrdup(dest), *bcopy = xstrdup(dest);
	char *tmp = xasprintf("%s/.%s.part-XXXXXX", dirname(dcopy), basename(bcopy));
	enum edu_err err;
	FILE *fp = NULL;
	int fd;

	fd = mkstemp(tmp);
	if (fd < 0) {
		err = edu_err_set(ei, EDU_ERR_IO, "cannot create a file beside '%s': %s", dest,
				  strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	fp = fdopen(fd, "wb");
	if (!fp) {
		close(fd);
		err = edu_err_set(ei, EDU_ERR_IO, "cannot write '%s': %s", tmp, strerror(errno));
		goto out;
	}
	req->download = fp;
	req->progress = progress;
	req->progress_arg = progress_arg;
	err = edu_api_send(api, req, &resp, ei);
	req->download = NULL;
	if (err)
		goto out;
	if (sha256 && *sha256 && strcasecmp(sha256, req->sha256)) {
		err = edu_err_set(ei, EDU_ERR_SERVER, "the download of '%s' arrived damaged: its "
				  "SHA-256 is %s, not %s", dest, req->sha256, sha256);
		goto out;
	}
	/* the file must be whole on disk before its name says it is there */
	if (fsync(fileno(fp)) < 0) {
		err = edu_err_set(ei, EDU_ERR_IO, "cannot write '%s': %s", dest, strerror(errno));
		goto out;
	}
	if (fclose(fp) != 0) {
		fp = NULL;
		err = edu_err_set(ei, EDU_ERR_IO, "cannot write '%s': %s", dest, strerror(errno));
		goto out;
	}
	fp = NULL;
	if (rename(tmp, dest) < 0) {
		err = edu_err_set(ei, EDU_ERR_IO, "cannot rename '%s' to '%s': %s", tmp, dest,
				  strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
out:
	if (fp)
		fclose(fp);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	edu_api_resp_release(&resp);
	free(dcopy);
	free(bcopy);
	return err;
}

enum edu_err edu_transfer_file(struct edu_api *api, const char *prefix, const char *id,
			       const char *kind, const struct edu_file *f, const char *dest,
			       edu_api_progress_fn *progress, void *progress_arg,
			       struct edu_errinfo *ei)
{
	struct edu_request req;
	enum edu_err err;

	edu_request_init_id(&req, "GET", prefix, id, NULL);
	edu_request_segment(&req, kind);
	edu_request_segment(&req, f->id);
	err = edu_transfer_down(api, &req, dest, f->sha256, progress, progress_arg, ei);
	edu_request_release(&req);
	return err;
}

enum edu_err edu_transfer_cached(struct edu_api *api, const char *prefix, const char *id,
				 const char *kind, const struct edu_file *f,
				 edu_api_progress_fn *progress, void *progress_arg, char **path,
				 struct edu_errinfo *ei)
{
	char *sub, *dir, *name, *where, have[65];
	enum edu_err err;

	*path = NULL;
	if (!edu_is_uuid(id))
		return edu_err_set(ei, EDU_ERR_SERVER, "the server gave an id that is not one");
	sub = xasprintf("files/%s", id);
	dir = edu_xdg_path("XDG_CACHE_HOME", ".cache", sub);
	free(sub);
	if (!dir)
		return edu_err_set(ei, EDU_ERR_IO, "cannot tell where to keep the file: set HOME "
				   "or XDG_CACHE_HOME");
	name = edu_safe_filename(f->filename, "file");
	where = xasprintf("%s/%s", dir, name);
	err = edu_mkdirs(dir, 0700, ei);
	if (!err && (!f->sha256 || edu_file_sha256(where, have) || strcasecmp(have, f->sha256)))
		err = edu_transfer_file(api, prefix, id, kind, f, where, progress, progress_arg,
					ei);
	if (!err) {
		*path = where;
		where = NULL;
	}
	free(where);
	free(name);
	free(dir);
	return err;
}
