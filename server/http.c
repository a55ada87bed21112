/*
 * The libmicrohttpd glue. Each request goes: read the body (capped), match the route,
 * parse JSON, authenticate (which opens the tenant transaction), run the handler (or replay
 * the answer kept for a POST's Idempotency-Key: kit/idempotency.c), commit or roll back,
 * send the answer, log one line, count it.
 *
 * libmicrohttpd calls the access handler several times per request: the first call only
 * sets up our state (queueing an answer there would force "Connection: close"), the middle
 * ones hand over body chunks, the last one (upload_data_size == 0) answers. A request whose
 * access token needs its user's row is suspended in that last call while auth/caller.c's
 * batcher reads it (srv_req_suspend); once resumed, libmicrohttpd calls the handler again
 * and the request goes on from there. The worker serves its other connections meanwhile.
 *
 * Each request is a struct http_req: the request handlers see (core/req.h) and beside it
 * its transaction (db/db.h), so neither knows of the other nor of libmicrohttpd.
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
#include <strings.h>
#include <unistd.h>

#include "auth/caller.h"
#include "conn.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/peer.h"
#include "core/req.h"
#include "core/route.h"
#include "db/db.h"
#include "http.h"
#include "kit/body.h"
#include "kit/idempotency.h"
#include "kit/query.h"
#include "xalloc.h"

#define JSON_MAX_DEPTH 16

struct http_req {
	struct srv_req req;
	struct db_tx tx;
};

static struct MHD_Daemon *daemon_;
static unsigned bound_port;

static const char *io_header(void *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static const char *io_query(void *conn, const char *key)
{
	return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, key);
}

struct each_query {
	void (*fn)(void *arg, const char *key, const char *value);
	void *arg;
};

static enum MHD_Result each_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *value)
{
	struct each_query *e = cls;

	(void)kind;
	e->fn(e->arg, key, value);
	return MHD_YES;
}

static void io_each_query(void *conn, void (*fn)(void *arg, const char *key, const char *value),
			  void *arg)
{
	struct each_query e = { fn, arg };

	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, each_query_arg, &e);
}

static void io_suspend(void *conn)
{
	MHD_suspend_connection(conn);
}

static void io_resume(void *conn)
{
	MHD_resume_connection(conn);
}

static const struct srv_req_io mhd_io = {
	.header = io_header,
	.query = io_query,
	.each_query = io_each_query,
	.suspend = io_suspend,
	.resume = io_resume,
};

static struct srv_req *req_new(struct MHD_Connection *conn, const char *method,
			       const char *url)
{
	struct http_req *h = xmalloc(sizeof(*h));
	struct srv_req *r = &h->req;
	const union MHD_ConnectionInfo *ci;

	srv_req_init(r, &mhd_io, conn, method, url);
	db_tx_init(&h->tx, r->request_id);
	r->tx = &h->tx;
	r->body_limit = (size_t)srv_cfg.max_body;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	srv_peer_address(ci ? ci->client_addr : NULL, !srv_peer_proxied() ? NULL :
			 MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For"),
			 r->addr, sizeof(r->addr));
	return r;
}

static void req_free(struct srv_req *r)
{
	srv_auth_release(r);
	srv_req_release(r);
	free((struct http_req *)r);
}

/* What the caller checks returned: -2, a database failure, is answered here. */
static int auth_done(struct srv_req *r, int rc)
{
	if (rc == SRV_AUTH_DB_FAILED) {
		srv_reply_db_error(r);
		return -1;
	}
	return rc;
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

static void reply_too_large(struct srv_req *r)
{
	srv_reply_error(r, SRV_ERR_TOO_LARGE, NULL, "the body is larger than %ld bytes",
			srv_cfg.max_body);
}

static int parse_body(struct srv_req *r)
{
	const char *ct, *end = NULL;
	char field[128];

	if (r->body_too_large) {
		reply_too_large(r);
		return -1;
	}
	if (!r->body.len)
		return 0;
	ct = srv_req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!ct || strncasecmp(ct, "application/json", 16) ||
	    (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
		srv_reply_error(r, SRV_ERR_UNSUPPORTED_MEDIA_TYPE, NULL,
				"the body must be application/json");
		return -1;
	}
	/* U+0000 would end a string of cJSON's where the client's did not end: refused first */
	switch (srv_body_nul(r->body.data, r->body.len, field, sizeof(field))) {
	case SRV_NUL_NONE:
		break;
	case SRV_NUL_RAW:
		srv_reply_error(r, SRV_ERR_BAD_JSON, NULL, "the body holds a NUL byte");
		return -1;
	case SRV_NUL_VALUE:
		srv_reply_error(r, SRV_ERR_INVALID, field, "'%s' holds a NUL character (U+0000)",
				field);
		return -1;
	case SRV_NUL_KEY:
		srv_reply_error(r, SRV_ERR_INVALID, field,
				"a field name holds a NUL character (U+0000), after '%s'", field);
		return -1;
	}
	/* the whole body must be one JSON value: cJSON alone would stop after the first */
	r->json = cJSON_ParseWithLengthOpts(r->body.data, r->body.len, &end, 0);
	if (r->json) {
		while (end < r->body.data + r->body.len && isspace((unsigned char)*end))
			end++;
		if (end < r->body.data + r->body.len) {
			srv_reply_error(r, SRV_ERR_BAD_JSON, NULL,
					"the body has more after its JSON value (at byte %ld)",
					(long)(end - r->body.data));
			return -1;
		}
	} else {
		/* where this parse stopped: cJSON_GetErrorPtr() is one global for all threads */
		srv_reply_error(r, SRV_ERR_BAD_JSON, NULL, "the body is not valid JSON (near byte %ld)",
				(long)(end ? end - r->body.data : 0));
		return -1;
	}
	if (json_depth(r->json) > JSON_MAX_DEPTH) {
		srv_reply_error(r, SRV_ERR_BAD_JSON, NULL, "the body is nested more than %d deep",
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
			srv_reply_error(r, SRV_ERR_METHOD_NOT_ALLOWED, NULL,
					"%s is not allowed here", r->method);
		else
			srv_reply_error(r, SRV_ERR_NOT_FOUND, NULL, "no such resource");
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
	if (r->tx->begun && srv_tx_end(r, r->status < 400) < 0 && r->status < 400) {
		r->replied = 0;
		srv_reply_db_error(r);
	}
}

/* The body holds only the route's fields (when it declares them); -1 after answering. */
static int body_declared(struct srv_req *r)
{
	const struct srv_route *rt = r->route;

	if (!rt->fields || (!r->json && (rt->flags & SRV_ROUTE_BODY_OPTIONAL)))
		return 0;
	return srv_body_check(r, rt->fields);
}

/*
 * Runs a request whose body is in. The caller's row is read off the worker (auth/caller.c): the
 * request is suspended meanwhile and comes back here, r->auth_wait set, once it is in.
 */
static void process(struct srv_req *r)
{
	int rc = 0;

	if (r->auth_wait) {
		rc = auth_done(r, srv_auth_finish(r));
	} else {
		if (!r->route && route(r) < 0)
			return;
		if (parse_body(r) < 0)
			return;
		if (r->route->perm != SRV_PERM_PUBLIC)
			rc = auth_done(r, srv_auth_begin(r));
	}
	if (rc != 0)
		return;
	/* a POST whose Idempotency-Key is known is answered without running the handler */
	if (srv_idem_begin(r) == 0) {
		if (body_declared(r) == 0)
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
	if (r->route->perm != SRV_PERM_PUBLIC && auth_done(r, srv_authenticate(r)) < 0)
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

/* Marks, through the URI callback, a request whose path holds %00. */
static char nul_in_path;

/* libmicrohttpd's URI callback: the raw URI, before it decodes %00 into a string's end. */
static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *conn)
{
	const char *q = strchr(uri, '?');
	size_t n = q ? (size_t)(q - uri) : strlen(uri);

	(void)cls;
	(void)conn;
	for (size_t i = 0; i + 2 < n; i++)
		if (uri[i] == '%' && uri[i + 1] == '0' && uri[i + 2] == '0')
			return &nul_in_path;
	return NULL;
}

struct nul_arg {
	char key[64];
	int found;
};

static enum MHD_Result find_nul_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				    size_t key_size, const char *value, size_t value_size)
{
	struct nul_arg *a = cls;

	(void)kind;
	if (strlen(key) == key_size && (!value || strlen(value) == value_size))
		return MHD_YES;
	snprintf(a->key, sizeof(a->key), "%s", key);
	a->found = 1;
	return MHD_NO;
}

/*
 * U+0000 in the path or in a query argument (%00), which would end the C string there:
 * ?filename=evil.exe%00.pdf would be taken as evil.exe. 0, or -1 after answering 400.
 */
static int refuse_nul(struct srv_req *r, int in_path)
{
	struct nul_arg a = { .found = 0 };

	if (in_path) {
		srv_reply_error(r, SRV_ERR_BAD_REQUEST, "path",
				"the path holds a NUL character (%%00)");
		return -1;
	}
	MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, find_nul_arg, &a);
	if (!a.found)
		return 0;
	srv_reply_error(r, SRV_ERR_BAD_REQUEST, a.key, "'%s' holds a NUL character (%%00)", a.key);
	return -1;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *conn, const char *url,
				      const char *method, const char *version,
				      const char *upload_data, size_t *upload_data_size,
				      void **con_cls)
{
	struct srv_req *r = *con_cls == &nul_in_path ? NULL : *con_cls;

	(void)cls;
	(void)version;
	if (!r || *con_cls == &nul_in_path) {
		int nul_path = *con_cls == &nul_in_path;
		const char *cl;

		/* the whole header is in: header_timeout is met */
		srv_conn_request_begins(conn);
		r = req_new(conn, method, url);
		*con_cls = r;
		/* refused at once, as a body past its limit is */
		if (refuse_nul(r, nul_path) < 0)
			return send_answer(r);
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

static void request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			      enum MHD_RequestTerminationCode toe)
{
	struct srv_req *r = *con_cls;

	(void)cls;
	(void)toe;
	/* the connection waits for its next request's header from now */
	srv_conn_request_ends(conn);
	if (!r || *con_cls == &nul_in_path)
		return;
	if (r->tx->begun)
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
				   MHD_OPTION_URI_LOG_CALLBACK, uri_seen, NULL,
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
