/*
 * The edu API client: one libcurl handle (so connections are reused), one request struct
 * for every exchange, JSON in and out, the sanitiser applied to every answer, and
 * transparent session refresh (see api.h).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "api.h"
#include "buf.h"
#include "model/json.h"
#include "safe.h"
#include "xalloc.h"

/* An answer larger than this is not one the API gives; stop reading it. */
#define MAX_ANSWER (64L * 1024 * 1024)
/* Refresh this long before the access token expires, for clock skew and transit time. */
#define EXPIRY_MARGIN 30

struct edu_api {
	CURL *curl;
	char *server;
	char *ca_file;
	char *fixed_token;
	char *creds_path;
	struct edu_creds creds;
	int have_creds;
};

/* What the callbacks collect during one request. */
struct transfer {
	struct edu_buf body;
	int too_large;
	long retry_after;
	char *request_id;
	int status;			/* from the status line, for on_body */
	struct edu_request *req;
	EVP_MD_CTX *md;			/* SHA-256 of a download */
	int write_failed;		/* errno of a failed write to req->download */
	char digest[256];		/* the answer's Digest header */
};

static void curl_init_once(void)
{
	static int done;

	if (!done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		done = 1;
	}
}

struct edu_api *edu_api_new(const char *server, const char *ca_file)
{
	struct edu_api *api = xcalloc(1, sizeof(*api));
	size_t n = strlen(server);

	curl_init_once();
	while (n > 0 && server[n - 1] == '/')
		n--;
	api->server = xstrndup(server, n);
	api->ca_file = ca_file && *ca_file ? xstrdup(ca_file) : NULL;
	api->curl = curl_easy_init();
	if (!api->curl)
		abort();	/* only out of memory makes it fail */
	return api;
}

void edu_api_free(struct edu_api *api)
{
	if (!api)
		return;
	curl_easy_cleanup(api->curl);
	free(api->server);
	free(api->ca_file);
	if (api->fixed_token)
		explicit_bzero(api->fixed_token, strlen(api->fixed_token));
	free(api->fixed_token);
	free(api->creds_path);
	edu_creds_release(&api->creds);
	free(api);
}

const char *edu_api_server(const struct edu_api *api)
{
	return api->server;
}

void edu_api_use_token(struct edu_api *api, const char *token)
{
	free(api->fixed_token);
	api->fixed_token = xstrdup(token);
}

void edu_api_use_session(struct edu_api *api, const char *creds_path)
{
	free(api->creds_path);
	api->creds_path = xstrdup(creds_path);
	edu_creds_release(&api->creds);
	api->have_creds = 0;
}

/* Two spellings of one server ("https://h/" and "https://h") are the same. */
static int same_server(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	while (na > 0 && a[na - 1] == '/')
		na--;
	while (nb > 0 && b[nb - 1] == '/')
		nb--;
	return na == nb && !strncasecmp(a, b, na);
}

/* Reads the session file into api->creds, checking it is for this server. */
static enum edu_err read_session(struct edu_api *api, struct edu_creds *c,
				 struct edu_errinfo *ei)
{
	enum edu_err err = edu_creds_load(c, api->creds_path, ei);

	if (err)
		return err;
	if (c->server && !same_server(c->server, api->server)) {
		err = edu_err_set(ei, EDU_ERR_AUTH, "not logged in to %s (the stored session is "
				  "for %s)", api->server, c->server);
		edu_err_why(ei, err, EDU_WHY_OTHER_SERVER);
		edu_creds_release(c);
	}
	return err;
}

enum edu_err edu_api_load_session(struct edu_api *api, struct edu_errinfo *ei)
{
	enum edu_err err;

	if (api->fixed_token || api->have_creds)
		return EDU_ERR_OK;
	if (!api->creds_path)
		return edu_err_why(ei, edu_err_set(ei, EDU_ERR_AUTH, "not logged in"),
				   EDU_WHY_NO_SESSION);
	err = read_session(api, &api->creds, ei);
	api->have_creds = !err;
	return err;
}

const struct edu_creds *edu_api_session(const struct edu_api *api)
{
	return api->have_creds ? &api->creds : NULL;
}

void edu_api_resp_release(struct edu_api_resp *resp)
{
	cJSON_Delete(resp->json);
	free(resp->request_id);
	memset(resp, 0, sizeof(*resp));
	resp->retry_after = -1;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct transfer *t = arg;
	size_t n = size * nmemb;

	if (t->req->download && t->status >= 200 && t->status < 300) {
		/* the bytes asked for go to the file as they come; errors stay JSON */
		if (n && fwrite(data, 1, n, t->req->download) != n) {
			t->write_failed = errno ? errno : EIO;
			return 0;
		}
		EVP_DigestUpdate(t->md, data, n);
		t->req->received += (long long)n;
		return n;
	}
	if (t->body.len + n > (size_t)MAX_ANSWER) {
		t->too_large = 1;
		return 0;
	}
	edu_buf_add(&t->body, data, n);
	return n;
}

/* The value of header "name: value" in line, trimmed, or NULL (copies at most cap-1). */
static const char *header_value(const char *line, size_t len, const char *name, char *out,
				size_t cap)
{
	size_t n = strlen(name), i;

	if (len <= n || strncasecmp(line, name, n) || line[n] != ':')
		return NULL;
	line += n + 1;
	len -= n + 1;
	while (len > 0 && isspace((unsigned char)*line)) {
		line++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)line[len - 1]))
		len--;
	for (i = 0; i < len && i + 1 < cap; i++)
		out[i] = line[i];
	out[i] = '\0';
	return out;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct transfer *t = arg;
	size_t n = size * nmemb;
	char value[256];

	if (n >= 5 && !strncmp(data, "HTTP/", 5)) {
		const char *sp = memchr(data, ' ', n);

		/* a new answer (after a 100 Continue, say): forget the last one's headers */
		t->retry_after = -1;
		free(t->request_id);
		t->request_id = NULL;
		t->digest[0] = '\0';
		t->status = sp && (size_t)(sp - data) + 4 <= n ? atoi(sp + 1) : 0;
	} else if (header_value(data, n, "Digest", value, sizeof(value))) {
		snprintf(t->digest, sizeof(t->digest), "%s", value);
	} else if (header_value(data, n, "Retry-After", value, sizeof(value))) {
		char *end;
		long v = strtol(value, &end, 10);

		if (end != value && !*end && v >= 0)
			t->retry_after = v;
	} else if (header_value(data, n, "X-Request-Id", value, sizeof(value))) {
		free(t->request_id);
		t->request_id = edu_safe_text(value, EDU_SAFE_ONELINE);
	}
	return n;
}

static void sanitise_string(char **s)
{
	char *clean;

	if (!*s || edu_safe_is_clean(*s, EDU_SAFE_MULTILINE))
		return;
	clean = edu_safe_text(*s, EDU_SAFE_MULTILINE);
	/* cJSON's strings come from its allocator, which is malloc here */
	cJSON_free(*s);
	*s = clean;
}

void edu_json_sanitise(cJSON *j)
{
	for (; j; j = j->next) {
		if (j->string && !(j->type & cJSON_StringIsConst))
			sanitise_string(&j->string);
		if (cJSON_IsString(j))
			sanitise_string(&j->valuestring);
		if (j->child)
			edu_json_sanitise(j->child);
	}
}

/* Fills ei from a non-2xx answer. */
static enum edu_err http_error(struct edu_api_resp *resp, struct edu_errinfo *ei)
{
	enum edu_err e = edu_err_from_http(resp->status);
	const cJSON *error = cJSON_GetObjectItemCaseSensitive(resp->json, "error");
	const char *code = edu_json_str(error, "code");
	const char *msg = edu_json_str(error, "message");
	const char *field = edu_json_str(error, "field");
	struct edu_buf b = EDU_BUF_INIT;
	char *clean;

	if (e == EDU_ERR_OK)
		e = EDU_ERR_FAIL;	/* a 1xx or 3xx we did not ask for */
	if (msg && *msg)
		edu_buf_adds(&b, msg);
	else
		edu_buf_printf(&b, "the server answered HTTP %d (%s)", resp->status,
			       edu_err_message(e));
	/* say when to come back, unless the server's message already does */
	if (resp->status == 429 && !strcasestr(edu_buf_str(&b), "try again")) {
		if (resp->retry_after >= 0)
			edu_buf_printf(&b, "; try again in %ld second%s", resp->retry_after,
				       resp->retry_after == 1 ? "" : "s");
		else
			edu_buf_adds(&b, "; try again later");
	}
	if (resp->status >= 500 && resp->request_id)
		edu_buf_printf(&b, " (request id %s)", resp->request_id);
	clean = edu_safe_text(edu_buf_str(&b), EDU_SAFE_ONELINE);
	edu_err_set(ei, e, "%s", clean);
	free(clean);
	edu_buf_release(&b);
	if (ei) {
		ei->http_status = resp->status;
		if (code) {
			clean = edu_safe_text(code, EDU_SAFE_ONELINE);
			snprintf(ei->code, sizeof(ei->code), "%s", clean);
			free(clean);
		}
		if (field) {
			clean = edu_safe_text(field, EDU_SAFE_ONELINE);
			snprintf(ei->field, sizeof(ei->field), "%s", clean);
			free(clean);
		}
	}
	return e;
}

/* Reads the next piece of an upload (libcurl's read callback). */
static size_t on_read(char *buf, size_t size, size_t nmemb, void *arg)
{
	FILE *fp = arg;
	size_t n = fread(buf, 1, size * nmemb, fp);

	/* a read error must not look like the end of the file to the server */
	return n == 0 && ferror(fp) ? CURL_READFUNC_ABORT : n;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct transfer *t = arg;

	if (!t->req->progress)
		return 0;
	if (t->req->upload)
		t->req->progress(t->req->progress_arg, (long long)ulnow, (long long)ultotal);
	else if (t->status >= 200 && t->status < 300)
		t->req->progress(t->req->progress_arg, (long long)dlnow, (long long)dltotal);
	return 0;
}

static void setup_xfer(CURL *c, struct transfer *t)
{
	if (t->req->progress) {
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, t);
	}
	if (t->req->download) {
		t->md = EVP_MD_CTX_new();
		if (!t->md || !EVP_DigestInit_ex(t->md, EVP_sha256(), NULL))
			abort();	/* OpenSSL without SHA-256: nothing can work */
		t->req->received = 0;
		t->req->sha256[0] = '\0';
		t->req->digest_checked = 0;
	}
}

/*
 * Finishes the SHA-256 of a download and holds it against the answer's Digest
 * ("sha-256=BASE64", maybe among other algorithms): a mismatch means the bytes were damaged
 * on the way, and the caller must not keep them.
 */
static enum edu_err check_download(struct transfer *t, const char *path,
				   struct edu_errinfo *ei)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE], b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	unsigned int mdlen = 0;
	const char *p = t->digest;

	if (fflush(t->req->download) != 0)
		return edu_err_set(ei, EDU_ERR_IO, "cannot write the download: %s",
				   strerror(errno));
	EVP_DigestFinal_ex(t->md, md, &mdlen);
	for (unsigned int i = 0; i < mdlen && i < 32; i++) {
		t->req->sha256[2 * i] = hex[md[i] >> 4];
		t->req->sha256[2 * i + 1] = hex[md[i] & 15];
	}
	t->req->sha256[64] = '\0';
	EVP_EncodeBlock(b64, md, (int)mdlen);
	while (*p) {
		size_t len = strcspn(p, ",");
		const char *eq = memchr(p, '=', len);

		while (*p == ' ')
			p++, len--;
		if (eq && (size_t)(eq - p) == 7 && !strncasecmp(p, "sha-256", 7)) {
			size_t vlen = len - 8;

			while (vlen > 0 && p[8 + vlen - 1] == ' ')
				vlen--;
			if (vlen != strlen((char *)b64) || strncmp(eq + 1, (char *)b64, vlen))
				return edu_err_set(ei, EDU_ERR_SERVER, "the download of %s arrived "
						   "damaged: its SHA-256 is not the one the server "
						   "sent", path);
			t->req->digest_checked = 1;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return EDU_ERR_OK;
}

void edu_api_new_key(char out[37])
{
	unsigned char b[16];

	if (RAND_bytes(b, sizeof(b)) != 1)
		abort();	/* no randomness: no key can be trusted to be unique */
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);	/* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
		 b[12], b[13], b[14], b[15]);
}

/* --- requests ------------------------------------------------------------------------ */

void edu_request_init(struct edu_request *req, const char *method, const char *path)
{
	memset(req, 0, sizeof(*req));
	req->method = method;
	edu_buf_adds(&req->target, path);
}

void edu_request_init_id(struct edu_request *req, const char *method, const char *prefix,
			 const char *id, const char *suffix)
{
	edu_request_init(req, method, prefix);
	edu_request_segment(req, id);
	if (suffix)
		edu_buf_adds(&req->target, suffix);
}

void edu_request_segment(struct edu_request *req, const char *segment)
{
	char *esc = edu_api_escape(segment), *query = strchr(edu_buf_str(&req->target), '?');
	struct edu_buf b = EDU_BUF_INIT;

	/* the path ends where the query starts */
	edu_buf_add(&b, edu_buf_str(&req->target),
		    query ? (size_t)(query - req->target.data) : req->target.len);
	edu_buf_printf(&b, "/%s%s", esc, query ? query : "");
	edu_buf_release(&req->target);
	req->target = b;
	free(esc);
}

void edu_request_query(struct edu_request *req, const char *key, const char *value)
{
	char *esc;

	if (!value || !*value)
		return;
	esc = edu_api_escape(value);
	edu_buf_printf(&req->target, "%c%s=%s", strchr(edu_buf_str(&req->target), '?') ? '&' :
		       '?', key, esc);
	free(esc);
}

const char *edu_request_target(const struct edu_request *req)
{
	return edu_buf_str(&req->target);
}

void edu_request_release(struct edu_request *req)
{
	edu_buf_release(&req->target);
	memset(req, 0, sizeof(*req));
}

/* --- one exchange ----------------------------------------------------------------------- */

/*
 * One HTTP exchange of req with the given bearer token (NULL: none). A POST goes with
 * req->key as its Idempotency-Key.
 */
static enum edu_err do_request(struct edu_api *api, struct edu_request *req, const char *token,
			       struct edu_api_resp *resp, struct edu_errinfo *ei)
{
	struct transfer t = { .body = EDU_BUF_INIT, .retry_after = -1, .req = req };
	struct curl_slist *hdrs = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	const char *path = edu_request_target(req);
	char *url = xasprintf("%s/api/v1%s", api->server, path), *auth = NULL, *match = NULL;
	char *idem = NULL, *body = req->body ? cJSON_PrintUnformatted(req->body) : NULL;
	enum edu_err err = EDU_ERR_OK;
	CURL *c = api->curl;
	CURLcode rc;
	long status = 0;

	edu_api_resp_release(resp);
	req->status = 0;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (api->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, api->ca_file);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
	/* no overall timeout (lists can be long), but give up on a silent server */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);

	hdrs = curl_slist_append(hdrs, "Accept: application/json");
	/*
	 * An upload asks first (Expect: 100-continue) and sends its bytes only once edud says
	 * to go on: edud refuses a file that is too large, over the quota or not allowed before
	 * taking any byte, and then closes the connection. Sent at once, the bytes would meet
	 * that close, and the client would report a broken connection instead of edud's
	 * answer. Other bodies are small JSON: they go at once.
	 */
	hdrs = curl_slist_append(hdrs, req->upload ? "Expect: 100-continue" : "Expect:");
	if (token) {
		auth = xasprintf("Authorization: Bearer %s", token);
		hdrs = curl_slist_append(hdrs, auth);
	}
	if (req->if_match) {
		match = xasprintf("If-Match: \"%s\"", req->if_match);
		hdrs = curl_slist_append(hdrs, match);
	}
	if (!strcmp(req->method, "POST")) {
		idem = xasprintf("Idempotency-Key: %s", req->key);
		hdrs = curl_slist_append(hdrs, idem);
	}
	if (req->progress || req->download)
		setup_xfer(c, &t);
	if (req->upload) {
		hdrs = curl_slist_append(hdrs, "Content-Type: application/octet-stream");
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(c, CURLOPT_READDATA, req->upload);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->upload_size);
	} else if (body) {
		hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	} else if (!strcmp(req->method, "POST")) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
	}
	if (strcmp(req->method, "GET") && strcmp(req->method, "POST"))
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);

	rc = curl_easy_perform(c);
	resp->retry_after = t.retry_after;
	resp->request_id = t.request_id;
	t.request_id = NULL;
	if (rc != CURLE_OK) {
		if (t.too_large)
			err = edu_err_set(ei, EDU_ERR_SERVER, "the answer from %s is too large",
					  api->server);
		else if (t.write_failed)
			err = edu_err_set(ei, EDU_ERR_IO, "cannot write the download: %s",
					  strerror(t.write_failed));
		else if (req->upload && ferror(req->upload))
			err = edu_err_set(ei, EDU_ERR_IO, "cannot read the file to upload: %s",
					  strerror(errno));
		else
			err = edu_err_set(ei, EDU_ERR_NETWORK, "cannot reach %s: %s", api->server,
					  errbuf[0] ? errbuf : curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	resp->status = req->status = (int)status;
	if (t.body.len) {
		resp->json = cJSON_ParseWithLength(t.body.data, t.body.len);
		if (resp->json)
			edu_json_sanitise(resp->json);
	}
	if (status < 200 || status >= 300) {
		err = http_error(resp, ei);
		goto out;
	}
	if (t.body.len && !resp->json)
		err = edu_err_set(ei, EDU_ERR_SERVER, "the answer from %s is not JSON",
				  api->server);
	else if (t.md)
		err = check_download(&t, path, ei);
out:
	curl_slist_free_all(hdrs);
	free(match);
	free(idem);
	if (t.md)
		EVP_MD_CTX_free(t.md);
	if (auth) {
		explicit_bzero(auth, strlen(auth));
		free(auth);
	}
	if (body) {
		/* a body may hold a password: nothing of it stays in freed memory */
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, NULL);
		explicit_bzero(body, strlen(body));
		cJSON_free(body);
	}
	free(url);
	edu_buf_release(&t.body);
	free(t.request_id);
	return err;
}

static enum edu_err session_ended(struct edu_errinfo *ei)
{
	return edu_err_why(ei, edu_err_set(ei, EDU_ERR_AUTH, "your session has ended"),
			   EDU_WHY_SESSION_ENDED);
}

/*
 * Gets a fresh access token for the session whose token stale was. Under the lock, the
 * file is read again first: if another process has refreshed meanwhile, its token is
 * used, since refreshing with the same refresh token again would look like theft to the
 * server and end the session.
 */
static enum edu_err refresh_session(struct edu_api *api, const char *stale,
				    struct edu_errinfo *ei)
{
	struct edu_api_resp resp = { .retry_after = -1 };
	struct edu_creds fresh = { 0 };
	struct edu_request req;
	enum edu_err err;
	cJSON *body = NULL;
	int fd;

	edu_request_init(&req, "POST", "/auth/refresh");
	fd = edu_creds_lock(api->creds_path, ei);
	if (fd < 0) {
		edu_request_release(&req);
		return ei ? ei->err : EDU_ERR_IO;
	}
	err = read_session(api, &fresh, ei);
	if (err == EDU_ERR_AUTH) {
		err = session_ended(ei);
		goto out;
	}
	if (err)
		goto out;
	if (strcmp(fresh.access_token, stale) &&
	    (!fresh.expires_at || fresh.expires_at > (long long)time(NULL) + EXPIRY_MARGIN)) {
		/* someone else refreshed while we waited for the lock */
		edu_creds_release(&api->creds);
		api->creds = fresh;
		memset(&fresh, 0, sizeof(fresh));
		goto out;
	}
	if (!fresh.refresh_token) {
		err = session_ended(ei);
		goto out;
	}
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "refresh_token", fresh.refresh_token);
	req.body = body;
	edu_api_new_key(req.key);
	err = do_request(api, &req, NULL, &resp, ei);
	if (err == EDU_ERR_AUTH || err == EDU_ERR_INVALID || err == EDU_ERR_FORBIDDEN ||
	    err == EDU_ERR_NOT_FOUND) {
		/* revoked, expired or unknown: this session is over for good */
		edu_creds_remove(api->creds_path, NULL);
		edu_creds_release(&api->creds);
		api->have_creds = 0;
		err = session_ended(ei);
		goto out;
	}
	if (err)
		goto out;
	if (edu_creds_from_session(&fresh, resp.json, api->server, fresh.school)) {
		err = edu_err_set(ei, EDU_ERR_SERVER, "the server's refresh answer has no token");
		goto out;
	}
	err = edu_creds_save(&fresh, api->creds_path, ei);
	if (err)
		goto out;
	edu_creds_release(&api->creds);
	api->creds = fresh;
	memset(&fresh, 0, sizeof(fresh));
out:
	edu_creds_unlock(fd);
	edu_creds_release(&fresh);
	edu_api_resp_release(&resp);
	edu_request_release(&req);
	if (body) {
		explicit_bzero(body->child->valuestring, strlen(body->child->valuestring));
		cJSON_Delete(body);
	}
	return err;
}

enum edu_err edu_api_send(struct edu_api *api, struct edu_request *req,
			  struct edu_api_resp *resp, struct edu_errinfo *ei)
{
	const int authed = !(req->flags & EDU_API_NOAUTH);
	off_t start = req->upload ? ftello(req->upload) : 0;
	enum edu_err err;
	char *token = NULL;

	memset(resp, 0, sizeof(*resp));
	resp->retry_after = -1;
	req->status = 0;
	/* one key for the call: the retry below is the same request, and must say so */
	if (!strcmp(req->method, "POST")) {
		if (req->idempotency_key)
			snprintf(req->key, sizeof(req->key), "%s", req->idempotency_key);
		else
			edu_api_new_key(req->key);
	}
	if (authed && !api->fixed_token) {
		err = edu_api_load_session(api, ei);
		if (err)
			goto out;
		if (api->creds.expires_at &&
		    api->creds.expires_at <= (long long)time(NULL) + EXPIRY_MARGIN) {
			err = refresh_session(api, api->creds.access_token, ei);
			if (err)
				goto out;
		}
	}
	if (authed)
		token = xstrdup(api->fixed_token ? api->fixed_token : api->creds.access_token);
	err = do_request(api, req, token, resp, ei);
	if (err == EDU_ERR_AUTH && resp->status == 401 && authed && !api->fixed_token &&
	    api->creds.refresh_token) {
		err = refresh_session(api, token, ei);
		if (err)
			goto out;
		free(token);
		token = xstrdup(api->creds.access_token);
		/* the upload goes again from its start (a download wrote nothing on a 401) */
		if (req->upload && fseeko(req->upload, start, SEEK_SET) < 0) {
			err = edu_err_set(ei, EDU_ERR_IO, "cannot send the file again: %s",
					  strerror(errno));
			goto out;
		}
		err = do_request(api, req, token, resp, ei);
	}
out:
	if (token) {
		explicit_bzero(token, strlen(token));
		free(token);
	}
	return err;
}

enum edu_err edu_api_json(struct edu_api *api, struct edu_request *req, cJSON **out,
			  cJSON **current, struct edu_errinfo *ei)
{
	struct edu_api_resp resp;
	enum edu_err err;

	if (out)
		*out = NULL;
	if (current)
		*current = NULL;
	err = edu_api_send(api, req, &resp, ei);
	if (!err && out) {
		if (!resp.json)
			err = edu_err_set(ei, EDU_ERR_SERVER, "the answer to %s %s is empty",
					  req->method, edu_request_target(req));
		*out = resp.json;
		resp.json = NULL;
	} else if (err && resp.status == 412 && current) {
		*current = cJSON_DetachItemFromObjectCaseSensitive(resp.json, "current");
	}
	edu_api_resp_release(&resp);
	return err;
}

char *edu_api_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct edu_buf b = EDU_BUF_INIT;

	edu_buf_adds(&b, "");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || strchr("-._~", c)) {
			edu_buf_addc(&b, (char)c);
		} else {
			edu_buf_addc(&b, '%');
			edu_buf_addc(&b, hex[c >> 4]);
			edu_buf_addc(&b, hex[c & 15]);
		}
	}
	return edu_buf_detach(&b);
}

enum edu_err edu_api_list(struct edu_api *api, const struct edu_request *req, cJSON **items,
			  struct edu_errinfo *ei)
{
	struct edu_api_resp resp = { .retry_after = -1 };
	char *prev = NULL;
	enum edu_err err;

	*items = cJSON_CreateArray();
	for (;;) {
		struct edu_request page;
		cJSON *list, *item;
		const char *next;

		edu_request_init(&page, "GET", edu_request_target(req));
		page.flags = req->flags;
		edu_request_query(&page, "limit", "200");
		edu_request_query(&page, "after", prev);
		err = edu_api_send(api, &page, &resp, ei);
		edu_request_release(&page);
		if (err)
			break;
		/* a bare array is a list of one page */
		list = cJSON_IsArray(resp.json) ? resp.json :
			cJSON_GetObjectItemCaseSensitive(resp.json, "items");
		if (!cJSON_IsArray(list)) {
			err = edu_err_set(ei, EDU_ERR_SERVER, "the answer to GET %s is not a list",
					  edu_request_target(req));
			break;
		}
		while ((item = cJSON_DetachItemFromArray(list, 0)))
			cJSON_AddItemToArray(*items, item);
		next = edu_json_str(resp.json, "next");
		if (!next || !*next)
			break;
		if (prev && !strcmp(prev, next)) {
			err = edu_err_set(ei, EDU_ERR_SERVER, "the server repeats page '%s' of %s",
					  next, edu_request_target(req));
			break;
		}
		free(prev);
		prev = xstrdup(next);
		edu_api_resp_release(&resp);
	}
	edu_api_resp_release(&resp);
	free(prev);
	if (err) {
		cJSON_Delete(*items);
		*items = NULL;
	}
	return err;
}
