/*
 * The libmicrohttpd glue. Each request goes: read the body (capped), match the route,
 * parse JSON, authenticate (which opens the tenant transaction), run the handler (or replay
 * the answer kept for a POST's Idempotency-Key: idempotency.c), commit or roll back, send
 * the answer, log one line, count it.
 *
 * libmicrohttpd calls the access handler several times per request: the first call only
 * sets up our state (queueing an answer there would force "Connection: close"), the middle
 * ones hand over body chunks, the last one (upload_data_size == 0) answers. A request whose
 * access token needs its user's row is suspended in that last call while auth.c's batcher
 * reads it (srv_req_suspend); once resumed, libmicrohttpd calls the handler again and the
 * request goes on from there. The worker serves its other connections meanwhile.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "auth/auth.h"
#include "core/conf.h"
#include "conn.h"
#include "db/db.h"
#include "http.h"
#include "kit/idempotency.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/peer.h"
#include "router.h"
#include "xalloc.h"

#define JSON_MAX_DEPTH 16

static struct MHD_Daemon *daemon_;
static unsigned bound_port;

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

const char *srv_req_header(struct srv_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *srv_req_query(struct srv_req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
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

static void reply_errorv(struct srv_req *r, int status, const char *code, const char *field,
			 const char *fmt, va_list ap)
{
	struct edu_buf msg = EDU_BUF_INIT;
	cJSON *root = cJSON_CreateObject(), *err = cJSON_AddObjectToObject(root, "error");

	edu_buf_vprintf(&msg, fmt, ap);
	cJSON_AddStringToObject(err, "code", code);
	cJSON_AddStringToObject(err, "message", edu_buf_str(&msg));
	if (field)
		cJSON_AddStringToObject(err, "field", field);
	if (status >= 500)
		cJSON_AddStringToObject(err, "request_id", r->request_id);
	edu_buf_release(&msg);
	srv_reply_json(r, status, root);
}

void srv_reply_error(struct srv_req *r, int status, const char *code, const char *field,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reply_errorv(r, status, code, field, fmt, ap);
	va_end(ap);
}

void srv_reply_internal(struct srv_req *r, const char *detail)
{
	srv_log("%s internal error: %s", r->request_id, detail);
	srv_reply_error(r, 500, "internal", NULL,
			"internal error; the server log has details under request id %s",
			r->request_id);
}

int srv_body_check(struct srv_req *r, const char *const *fields)
{
	const cJSON *item;

	if (!r->json) {
		srv_reply_error(r, 400, "bad_request", NULL, "a JSON object body is required");
		return -1;
	}
	if (!cJSON_IsObject(r->json)) {
		srv_reply_error(r, 400, "bad_request", NULL, "the body must be a JSON object");
		return -1;
	}
	cJSON_ArrayForEach(item, r->json) {
		const char *const *f;

		for (f = fields; *f; f++)
			if (!strcmp(*f, item->string))
				break;
		if (!*f) {
			srv_reply_error(r, 400, "unknown_field", item->string,
					"unknown field '%s'", item->string);
			return -1;
		}
	}
	return 0;
}

const char *srv_body_str(struct srv_req *r, const char *key, size_t minlen, size_t maxlen,
			 int *missing)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, key);
	size_t len;

	if (missing)
		*missing = 0;
	if (!v || cJSON_IsNull(v)) {
		if (missing) {
			*missing = 1;
			return NULL;
		}
		srv_reply_error(r, 422, "invalid", key, "'%s' is required", key);
		return NULL;
	}
	if (!cJSON_IsString(v)) {
		srv_reply_error(r, 422, "invalid", key, "'%s' must be a string", key);
		return NULL;
	}
	len = strlen(v->valuestring);
	if (len < minlen || len > maxlen) {
		srv_reply_error(r, 422, "invalid", key, "'%s' must be %zu to %zu bytes long", key,
				minlen, maxlen);
		return NULL;
	}
	return v->valuestring;
}

int srv_page_args(struct srv_req *r, int *limit, const char **after)
{
	const char *l = srv_req_query(r, "limit");
	char *end;
	long v = 50;

	if (l) {
		v = strtol(l, &end, 10);
		if (!*l || *end || v < 1 || v > 200) {
			srv_reply_error(r, 400, "bad_request", "limit",
					"'limit' must be a number from 1 to 200");
			return -1;
		}
	}
	*limit = (int)v;
	*after = srv_req_query(r, "after");
	if (*after && strlen(*after) > 512) {
		srv_reply_error(r, 400, "bad_request", "after", "'after' is not a valid cursor");
		return -1;
	}
	return 0;
}

/* s is 1 to max decimal digits. */
static int is_digits(const char *s, size_t max)
{
	size_t len = strlen(s);

	return len >= 1 && len <= max && strspn(s, "0123456789") == len;
}

int srv_page_cursor(struct srv_req *r, const struct srv_page *pg, enum srv_cursor kind)
{
	const char *a = pg->after;
	int ok = 1;

	if (!a)
		return 0;
	switch (kind) {
	case SRV_CURSOR_TEXT:
		break;
	case SRV_CURSOR_UUID:
		ok = srv_is_uuid(a);
		break;
	case SRV_CURSOR_INT:
		ok = is_digits(a, 9);
		break;
	case SRV_CURSOR_BIGINT:
		ok = is_digits(a, 18);
		break;
	}
	if (!ok) {
		srv_reply_error(r, 400, "bad_request", "after", "'after' is not a valid cursor");
		return -1;
	}
	return 0;
}

int srv_page_start(struct srv_req *r, struct srv_page *pg, enum srv_cursor kind)
{
	if (srv_page_args(r, &pg->limit, &pg->after) < 0)
		return -1;
	snprintf(pg->limit_s, sizeof(pg->limit_s), "%d", pg->limit);
	return srv_page_cursor(r, pg, kind);
}

static void url_encode(struct edu_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			edu_buf_addc(b, (char)c);
		else
			edu_buf_printf(b, "%%%02X", c);
	}
}

struct query_copy {
	struct edu_buf *b;
	int n;
};

static enum MHD_Result copy_query(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	struct query_copy *q = cls;

	(void)kind;
	if (!strcmp(key, "after"))
		return MHD_YES;
	edu_buf_addc(q->b, q->n++ ? '&' : '?');
	url_encode(q->b, key);
	if (value) {
		edu_buf_addc(q->b, '=');
		url_encode(q->b, value);
	}
	return MHD_YES;
}

void srv_reply_page(struct srv_req *r, cJSON *items, const char *next)
{
	cJSON *root = cJSON_CreateObject();

	cJSON_AddItemToObject(root, "items", items);
	edu_json_add_str(root, "next", next);
	if (next) {
		struct edu_buf link = EDU_BUF_INIT;
		struct query_copy q = { &link, 0 };

		edu_buf_addc(&link, '<');
		edu_buf_adds(&link, r->path);
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, copy_query, &q);
		edu_buf_adds(&link, q.n ? "&after=" : "?after=");
		url_encode(&link, next);
		edu_buf_adds(&link, ">; rel=\"next\"");
		srv_set_header(r, "Link", link.data);
		edu_buf_release(&link);
	}
	srv_reply_json(r, 200, root);
}

void srv_page_query(struct srv_req *r, const struct srv_page *pg, const struct db_stmt *st,
		    const char *const *params, int cursor_col, srv_page_row_fn *row, void *ctx)
{
	PGresult *res = db_exec_reply(r, st, params);
	const char *next = NULL;
	cJSON *items;
	int n;

	if (!res)
		return;
	n = PQntuples(res);
	items = cJSON_CreateArray();
	for (int i = 0; i < n && i < pg->limit; i++)
		cJSON_AddItemToArray(items, row(res, i, ctx));
	if (n > pg->limit)
		next = PQgetvalue(res, pg->limit - 1, cursor_col);
	/* next points into res: answer before clearing it */
	srv_reply_page(r, items, next);
	PQclear(res);
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
		srv_reply_error(r, 400, "bad_request", NULL,
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

static int json_depth(const cJSON *j)
{
	int max = 0;

	for (const cJSON *c = j ? j->child : NULL; c; c = c->next) {
		int d = json_depth(c);
		if (d > max)
			max = d;
	}
	return j ? max + 1 : 0;
}

static struct srv_req *req_new(struct MHD_Connection *conn, const char *method,
			       const char *url)
{
	struct srv_req *r = xcalloc(1, sizeof(*r));
	const union MHD_ConnectionInfo *ci;

	r->conn = conn;
	r->method = method;
	r->path = url;
	r->started = srv_now();
	r->body_limit = (size_t)srv_cfg.max_body;
	r->caller.role = EDU_ROLE_NONE;
	r->resp_fd = -1;
	make_request_id(r->request_id);
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	srv_peer_address(ci ? ci->client_addr : NULL, !srv_peer_proxied() ? NULL :
			 MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For"),
			 r->addr, sizeof(r->addr));
	return r;
}

static void req_free(struct srv_req *r)
{
	srv_auth_release(r);
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
	free(r);
}

static void reply_too_large(struct srv_req *r)
{
	srv_reply_error(r, 413, "too_large", NULL, "the body is larger than %ld bytes",
			srv_cfg.max_body);
}

static int parse_body(struct srv_req *r)
{
	const char *ct, *end = NULL;

	if (r->body_too_large) {
		reply_too_large(r);
		return -1;
	}
	if (!r->body.len)
		return 0;
	ct = srv_req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!ct || strncasecmp(ct, "application/json", 16) ||
	    (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
		srv_reply_error(r, 415, "unsupported_media_type", NULL,
				"the body must be application/json");
		return -1;
	}
	/* the whole body must be one JSON value: cJSON alone would stop after the first */
	r->json = cJSON_ParseWithLengthOpts(r->body.data, r->body.len, &end, 0);
	if (r->json) {
		while (end < r->body.data + r->body.len && isspace((unsigned char)*end))
			end++;
		if (end < r->body.data + r->body.len) {
			srv_reply_error(r, 400, "bad_json", NULL,
					"the body has more after its JSON value (at byte %ld)",
					(long)(end - r->body.data));
			return -1;
		}
	} else {
		srv_reply_error(r, 400, "bad_json", NULL, "the body is not valid JSON (near byte %ld)",
				(long)(cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() - r->body.data : 0));
		return -1;
	}
	if (json_depth(r->json) > JSON_MAX_DEPTH) {
		srv_reply_error(r, 400, "bad_json", NULL, "the body is nested more than %d deep",
				JSON_MAX_DEPTH);
		return -1;
	}
	return 0;
}

/* Finds the route and keeps its path parameters; -1 after answering 404 or 405. */
static int route(struct srv_req *r)
{
	char scratch[512];
	struct edu_buf keep = EDU_BUF_INIT;
	size_t offs[SRV_MAX_PARAMS];
	int status = 404;

	r->route = srv_route_match(r->method, r->path, r->params, &r->nparams, scratch,
				   sizeof(scratch), &status);
	if (!r->route) {
		if (status == 405)
			srv_reply_error(r, 405, "method_not_allowed", NULL,
					"%s is not allowed here", r->method);
		else
			srv_reply_error(r, 404, "not_found", NULL, "no such resource");
		return -1;
	}
	/* params point into scratch: copy them where they outlive this frame */
	for (int i = 0; i < r->nparams; i++) {
		offs[i] = keep.len;
		edu_buf_add(&keep, r->params[i], strlen(r->params[i]) + 1);
	}
	r->param_store = edu_buf_detach(&keep);
	for (int i = 0; i < r->nparams; i++)
		r->params[i] = r->param_store + offs[i];
	r->streaming = r->route->stream != NULL;
	return 0;
}

/* Ends the request transaction: commit when the answer is a success. */
static void finish_tx(struct srv_req *r)
{
	if (r->in_tx && srv_tx_end(r, r->status < 400) < 0 && r->status < 400) {
		r->replied = 0;
		srv_reply_db_error(r);
	}
}

/*
 * Runs a request whose body is in. The caller's row is read off the worker (auth.c): the
 * request is suspended meanwhile and comes back here, r->auth_wait set, once it is in.
 */
static void process(struct srv_req *r)
{
	int rc = 0;

	if (r->auth_wait) {
		rc = srv_auth_finish(r);
	} else {
		if (!r->route && route(r) < 0)
			return;
		if (parse_body(r) < 0)
			return;
		if (r->route->perm != SRV_PERM_PUBLIC)
			rc = srv_auth_begin(r);
	}
	if (rc != 0)
		return;
	/* a POST whose Idempotency-Key is known is answered without running the handler */
	if (srv_idem_begin(r) == 0) {
		r->route->handler(r);
		if (!r->replied)
			srv_reply_internal(r, "the handler gave no answer");
		srv_idem_finish(r);
	}
	finish_tx(r);
}

/* A streamed route, before its first byte: who is calling, and may they send this? */
static void stream_begin(struct srv_req *r)
{
	if (r->route->perm != SRV_PERM_PUBLIC && srv_authenticate(r) < 0)
		return;
	r->route->stream->begin(r);
	finish_tx(r);
}

/* A streamed route, its body complete. */
static void stream_end(struct srv_req *r)
{
	if (r->replied)
		return;
	if (r->caller.authenticated && srv_tx_begin(r, r->caller.school_id) < 0)
		return;
	r->route->stream->end(r);
	if (!r->replied)
		srv_reply_internal(r, "the handler gave no answer");
	/* the end handler has called srv_idem_begin_content: its answer is kept with the key */
	srv_idem_finish(r);
	finish_tx(r);
}

static void log_request(struct srv_req *r, double secs)
{
	if (!srv_cfg.log_requests)
		return;
	srv_log("%s %s %s %s %d %.1fms %zu %s", r->request_id, r->addr, r->method, r->path,
		r->status, secs * 1000.0, r->resp.len,
		r->caller.authenticated ? r->caller.user_id : "-");
}

static enum MHD_Result send_answer(struct srv_req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len = r->resp.len;
	char *body = len ? edu_buf_detach(&r->resp) : NULL;
	double secs = srv_now() - r->started;

	r->sent = 1;
	if (r->resp_fd >= 0) {
		resp = MHD_create_response_from_fd64(r->resp_fd_size, r->resp_fd);
		r->resp_fd = -1;	/* libmicrohttpd closes it */
		len = (size_t)r->resp_fd_size;
	} else {
		resp = MHD_create_response_from_buffer(len, body, body ? MHD_RESPMEM_MUST_FREE
								    : MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return MHD_NO;
	if (r->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	MHD_add_response_header(resp, "X-Request-Id", r->request_id);
	if (!strncmp(r->path, "/api/", 5))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	for (int i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
	ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	r->resp.len = len;	/* for the log line */
	log_request(r, secs);
	srv_metrics_observe(r->route ? srv_route_index(r->route) : -1, r->status, secs);
	return ret;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *conn, const char *url,
				      const char *method, const char *version,
				      const char *upload_data, size_t *upload_data_size,
				      void **con_cls)
{
	struct srv_req *r = *con_cls;

	(void)cls;
	(void)version;
	if (!r) {
		const char *cl;

		/* the whole header is in: header_timeout is met */
		srv_conn_request_begins(conn);
		r = req_new(conn, method, url);
		*con_cls = r;
		/* a streamed route checks the caller before taking any byte */
		if (route(r) == 0 && r->streaming) {
			stream_begin(r);
			/*
			 * Refused before any byte: libmicrohttpd takes an answer now (and closes
			 * the connection after it), or only once the whole body has been read.
			 */
			return r->replied ? send_answer(r) : MHD_YES;
		}
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > r->body_limit) {
			/* refused before any byte is read, as an upload past its limit is */
			r->body_too_large = 1;
			if (!r->replied)
				reply_too_large(r);
			return send_answer(r);
		}
		return MHD_YES;
	}
	if (r->streaming) {
		if (*upload_data_size) {
			size_t n = *upload_data_size;

			*upload_data_size = 0;
			/* once refused, the rest is read and dropped; the answer goes at the end */
			if (!r->sent && !r->replied)
				r->route->stream->data(r, upload_data, n);
			return MHD_YES;
		}
		if (r->sent)
			return MHD_YES;
		stream_end(r);
		return send_answer(r);
	}
	if (*upload_data_size) {
		/* past the cap, drain without keeping: the answer is 413 either way */
		if (!r->body_too_large) {
			if (r->body.len + *upload_data_size > r->body_limit)
				r->body_too_large = 1;
			else
				edu_buf_add(&r->body, upload_data, *upload_data_size);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	/* back from srv_req_suspend(): process() goes on where it stopped */
	r->suspended = 0;
	if (!r->replied)
		process(r);
	return r->suspended ? MHD_YES : send_answer(r);
}

void srv_req_suspend(struct srv_req *r)
{
	r->suspended = 1;
	MHD_suspend_connection(r->conn);
}

void srv_req_resume(struct srv_req *r)
{
	MHD_resume_connection(r->conn);
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			      enum MHD_RequestTerminationCode toe)
{
	struct srv_req *r = *con_cls;

	(void)cls;
	(void)toe;
	/* the connection waits for its next request's header from now */
	srv_conn_request_ends(conn);
	if (!r)
		return;
	if (r->in_tx)
		srv_tx_end(r, 0);
	if (r->stream_state && r->route && r->route->stream)
		r->route->stream->abort(r);
	req_free(r);
	*con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct edu_buf b = EDU_BUF_INIT;

	(void)cls;
	/*
	 * A client that goes (or is sent away by header_timeout) before its request is whole
	 * is no news, and a flood of slow clients must not flood the log: conn.c counts those.
	 */
	if (!strncmp(fmt, "Connection was closed by remote side with incomplete request", 60) ||
	    !strncmp(fmt, "Socket has been disconnected when reading request", 49))
		return;
	edu_buf_vprintf(&b, fmt, ap);
	srv_log("http: %s", edu_buf_str(&b));
	edu_buf_release(&b);
}

/* "127.0.0.1:8080", "[::1]:8080", "localhost:0", ":8080" */
static int parse_listen(const char *spec, struct sockaddr_storage *ss, socklen_t *sslen)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICSERV | AI_PASSIVE,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *res;
	char host[256];
	const char *port;
	int rc;

	if (spec[0] == '[') {
		const char *end = strchr(spec, ']');
		if (!end || end[1] != ':')
			return -1;
		snprintf(host, sizeof(host), "%.*s", (int)(end - spec - 1), spec + 1);
		port = end + 2;
	} else {
		const char *colon = strrchr(spec, ':');
		if (!colon)
			return -1;
		snprintf(host, sizeof(host), "%.*s", (int)(colon - spec), spec);
		port = colon + 1;
	}
	rc = getaddrinfo(*host ? host : NULL, port, &hints, &res);
	if (rc)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

int srv_http_start(void)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	long threads = srv_cfg.threads;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME;
	const union MHD_DaemonInfo *di;
	unsigned limit;

	if (parse_listen(srv_cfg.listen_s, &ss, &sslen) < 0) {
		srv_log("cannot use listen address '%s': want HOST:PORT", srv_cfg.listen_s);
		return -1;
	}
	if (srv_peer_init() < 0)
		return -1;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (threads <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		/* workers block on the database: two per core keep the cores busy */
		threads = n > 0 ? 2 * n : 2;
	}
	srv_metrics_init();
	if (srv_conn_start(&limit) < 0)
		return -1;
	if (srv_auth_start() < 0) {
		srv_conn_stop();
		return -1;
	}
	/* the logger first: libmicrohttpd logs with its own until it reads this option */
	daemon_ = MHD_start_daemon(flags, 0, srv_conn_accept, NULL, access_handler, NULL,
				   MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				   MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				   MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
				   MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL,
				   MHD_OPTION_NOTIFY_CONNECTION, srv_conn_notify, NULL,
				   /* split evenly among the workers by libmicrohttpd */
				   MHD_OPTION_CONNECTION_LIMIT, limit,
				   /* idle, between bytes: header_timeout bounds a header (conn.c) */
				   MHD_OPTION_CONNECTION_TIMEOUT, 60u,
				   /*
				    * libmicrohttpd zeroes a connection's whole buffer between two
				    * of its requests: at 128 KiB that cost GET /users/me a tenth of
				    * its requests per second (bench/users-me.sh). The buffer bounds
				    * an upload's chunks too (16 KiB here), but an upload's hashing
				    * and writing run beside the worker (server/store/files.c), and 32 KiB
				    * uploads as fast as 128 KiB does (bench/grading.sh).
				    */
				   MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
				   MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
				   MHD_OPTION_END);
	if (!daemon_) {
		srv_log("cannot listen on %s: %s", srv_cfg.listen_s, strerror(errno));
		srv_auth_stop();
		srv_conn_stop();
		return -1;
	}
	di = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
	bound_port = di ? di->port : 0;
	return 0;
}

unsigned srv_http_port(void)
{
	return bound_port;
}

void srv_http_stop(void)
{
	/* first: a request it suspended is resumed before the workers stop */
	srv_auth_stop();
	if (daemon_)
		MHD_stop_daemon(daemon_);
	daemon_ = NULL;
	srv_conn_stop();
	srv_peer_free();
}

int srv_is_uuid(const char *s)
{
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return s[36] == '\0';
}
