/* The request object and its answers (see req.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/req.h"
#include "core/text.h"
#include "xalloc.h"

static const struct {
	int status;
	const char *code;
} errors[] = {
#define X(name, status, code) { status, code },
	SRV_ERR_LIST(X)
#undef X
};

int srv_err_status(enum srv_err e)
{
	return errors[e].status;
}

const char *srv_err_code(enum srv_err e)
{
	return errors[e].code;
}

double srv_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void make_request_id(char out[17])
{
	static __thread unsigned long long state;
	static const char hex[] = "0123456789abcdef";
	unsigned long long x;

	if (!state && getrandom(&state, sizeof(state), 0) != sizeof(state))
		state = (unsigned long long)time(NULL) ^ (unsigned long long)getpid();
	/* xorshift64*: unique enough to find a request in the log, not a secret */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	x = state * 2685821657736338717ULL;
	for (int i = 0; i < 16; i++, x >>= 4)
		out[i] = hex[x & 15];
	out[16] = '\0';
}

void srv_req_init(struct srv_req *r, const struct srv_req_io *io, void *conn,
		  const char *method, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->io = io;
	r->conn = conn;
	r->method = method;
	r->path = path;
	r->started = srv_now();
	r->caller.role = EDU_ROLE_NONE;
	r->resp_fd = -1;
	make_request_id(r->request_id);
}

void srv_req_release(struct srv_req *r)
{
	edu_buf_release(&r->body);
	edu_buf_release(&r->resp);
	free(r->param_store);
	free(r->content_type);
	if (r->resp_fd >= 0)
		close(r->resp_fd);
	cJSON_Delete(r->json);
	for (int i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
}

void srv_req_suspend(struct srv_req *r)
{
	r->suspended = 1;
	r->io->suspend(r->conn);
}

void srv_req_resume(struct srv_req *r)
{
	r->io->resume(r->conn);
}

const char *srv_req_header(struct srv_req *r, const char *name)
{
	return r->io ? r->io->header(r->conn, name) : NULL;
}

const char *srv_req_query(struct srv_req *r, const char *key)
{
	return r->io ? r->io->query(r->conn, key) : NULL;
}

void srv_req_each_query(struct srv_req *r,
			void (*fn)(void *arg, const char *key, const char *value), void *arg)
{
	if (r->io)
		r->io->each_query(r->conn, fn, arg);
}

void srv_set_header(struct srv_req *r, const char *name, const char *value)
{
	r->headers = xrealloc(r->headers, (size_t)(r->nheaders + 1) * sizeof(*r->headers));
	r->headers[r->nheaders].name = xstrdup(name);
	r->headers[r->nheaders].value = xstrdup(value);
	r->nheaders++;
}

void srv_reply_raw(struct srv_req *r, int status, const char *content_type, const char *body,
		   size_t len)
{
	if (r->replied) {
		srv_log("%s answered twice (%d then %d)", r->request_id, r->status, status);
		return;
	}
	r->replied = 1;
	r->status = status;
	/* a copy: the caller's string (a query result) may be gone before the answer is sent */
	free(r->content_type);
	r->content_type = content_type ? xstrdup(content_type) : NULL;
	edu_buf_reset(&r->resp);
	if (body)
		edu_buf_add(&r->resp, body, len);
}

void srv_reply_fd(struct srv_req *r, int status, const char *content_type, int fd,
		  unsigned long long size)
{
	srv_reply_raw(r, status, content_type, NULL, 0);
	if (r->resp_fd >= 0)
		close(r->resp_fd);
	r->resp_fd = fd;
	r->resp_fd_size = size;
}

void srv_reply_json(struct srv_req *r, int status, cJSON *obj)
{
	char *s;

	if (!obj) {
		srv_reply_raw(r, status, "application/json", NULL, 0);
		return;
	}
	s = cJSON_PrintUnformatted(obj);
	cJSON_Delete(obj);
	if (!s)
		abort();	/* cJSON fails only when out of memory */
	srv_reply_raw(r, status, "application/json", s, strlen(s));
	free(s);
}

void srv_reply_empty(struct srv_req *r, int status)
{
	srv_reply_raw(r, status, NULL, NULL, 0);
}

static void reply_errorv(struct srv_req *r, enum srv_err e, const char *field, cJSON *extra,
			 const char *top_key, cJSON *top, const char *fmt, va_list ap)
{
	struct edu_buf msg = EDU_BUF_INIT;
	cJSON *root = cJSON_CreateObject(), *err = cJSON_AddObjectToObject(root, "error");
	int status = srv_err_status(e);
	char *text;

	edu_buf_vprintf(&msg, fmt, ap);
	cJSON_AddStringToObject(err, "code", srv_err_code(e));
	/*
	 * A message may quote what the client sent: bytes that are not UTF-8 would make the
	 * answer invalid JSON, so they go out as U+FFFD.
	 */
	text = srv_text_repair(edu_buf_str(&msg));
	cJSON_AddStringToObject(err, "message", text);
	free(text);
	if (field) {
		text = srv_text_repair(field);
		cJSON_AddStringToObject(err, "field", text);
		free(text);
	}
	if (status >= 500)
		cJSON_AddStringToObject(err, "request_id", r->request_id);
	if (extra) {
		while (extra->child) {
			cJSON *item = cJSON_DetachItemViaPointer(extra, extra->child);

			cJSON_AddItemToObject(err, item->string, item);
		}
		cJSON_Delete(extra);
	}
	if (top_key)
		cJSON_AddItemToObject(root, top_key, top);
	edu_buf_release(&msg);
	srv_reply_json(r, status, root);
}

void srv_reply_error(struct srv_req *r, enum srv_err e, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reply_errorv(r, e, field, NULL, NULL, NULL, fmt, ap);
	va_end(ap);
}

void srv_reply_error_more(struct srv_req *r, enum srv_err e, const char *field, cJSON *extra,
			  const char *top_key, cJSON *top, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reply_errorv(r, e, field, extra, top_key, top, fmt, ap);
	va_end(ap);
}

void srv_reply_internal(struct srv_req *r, const char *detail)
{
	srv_log("%s internal error: %s", r->request_id, detail);
	srv_reply_error(r, SRV_ERR_INTERNAL, NULL,
			"internal error; the server log has details under request id %s",
			r->request_id);
}

void srv_reply_stale(struct srv_req *r, cJSON *current)
{
	srv_reply_error_more(r, SRV_ERR_VERSION_MISMATCH, NULL, NULL, "current", current,
			     "it was changed since the version given in If-Match");
}

int srv_if_match(struct srv_req *r, long *version)
{
	const char *h = srv_req_header(r, "If-Match");
	char *end;

	if (!h)
		return 0;
	if (!strncmp(h, "W/", 2))
		h += 2;
	if (*h == '"')
		h++;
	*version = strtol(h, &end, 10);
	if (end == h || (*end && strcmp(end, "\""))) {
		srv_reply_error(r, SRV_ERR_BAD_REQUEST, NULL,
				"If-Match must be a version such as \"3\"");
		return -1;
	}
	return 1;
}

void srv_set_etag(struct srv_req *r, long version)
{
	char etag[32];

	snprintf(etag, sizeof(etag), "\"%ld\"", version);
	srv_set_header(r, "ETag", etag);
}
