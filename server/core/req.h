/*
 * One request as handlers see it, and the ways to answer it.
 *
 * The request knows nothing of where it came from: the HTTP glue (server/http.c) makes it,
 * gives it a struct srv_req_io through which its headers and query arguments are read and
 * its connection suspended, reads its body, finds its route, and sends the answer the
 * handler left in it. Nor does it know the database: its transaction is a struct db_tx
 * (db/db.h) that the glue keeps beside it. A handler answers exactly once, with one of the
 * srv_reply_* below; an error is named from the one list (core/errors.h).
 */
#ifndef SRV_CORE_REQ_H
#define SRV_CORE_REQ_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "buf.h"
#include "core/errors.h"
#include "model.h"

struct srv_route;
struct srv_auth_wait;
struct db_tx;

#define SRV_MAX_PARAMS 4

/* Who is calling: filled by auth/caller.c before the handler runs. */
struct srv_caller {
	int authenticated;
	char user_id[37];
	char school_id[37];
	enum edu_role role;
	int api_token;		/* 1: a personal API token, 0: a JWT session */
	int read_only;		/* an API token of scope "read" */
	char token_id[37];	/* the API token's id */
};

struct srv_header {
	char *name;
	char *value;
};

/* How a request reaches its connection; conn is the glue's. */
struct srv_req_io {
	const char *(*header)(void *conn, const char *name);
	const char *(*query)(void *conn, const char *key);
	/* fn for each query argument, in order (value NULL for "?flag") */
	void (*each_query)(void *conn, void (*fn)(void *arg, const char *key, const char *value),
			   void *arg);
	void (*suspend)(void *conn);
	void (*resume)(void *conn);
};

struct srv_req {
	const struct srv_req_io *io;
	void *conn;
	const char *method;
	const char *path;		/* without the query string */
	const char *params[SRV_MAX_PARAMS];	/* {name} segments of the pattern, in order */
	int nparams;
	char *param_store;		/* owns the params' text */
	const struct srv_route *route;
	char request_id[17];
	char addr[64];			/* client address */

	struct edu_buf body;		/* raw request body */
	size_t body_limit;
	int body_too_large;
	cJSON *json;			/* parsed body, NULL when there is none */

	struct srv_caller caller;
	struct srv_auth_wait *auth_wait;	/* the caller's row is being read (auth/caller.c) */
	int suspended;			/* its connection waits for that, off its worker */
	struct db_tx *tx;		/* the request's transaction (db/db.h) */

	const char *idem_key;		/* a POST's Idempotency-Key, to keep the answer for */
	char idem_hash[65];		/* ...and the request's hash (kit/idempotency.c) */

	void *stream_state;		/* a streamed route's handler state */
	int streaming;			/* the route streams its body */

	/* the answer */
	int status;
	int resp_fd;			/* >= 0: answer with this file's bytes (owned) */
	unsigned long long resp_fd_size;
	int replied;
	int sent;			/* queued to the connection */
	char *content_type;		/* owned */
	struct edu_buf resp;
	struct srv_header *headers;
	int nheaders;
	double started;			/* monotonic seconds */
};

/*
 * Makes r a request of conn (through io) with a new request id; srv_req_release() frees
 * what it owns (not r itself).
 */
void srv_req_init(struct srv_req *r, const struct srv_req_io *io, void *conn,
		  const char *method, const char *path);
void srv_req_release(struct srv_req *r);

/*
 * A request that waits for something another thread brings (auth/caller.c's batch of token
 * checks) without holding its worker: srv_req_suspend() from the request's own handler
 * code, then srv_req_resume() from the other thread, once, when what it waits for is in.
 * The request then runs again from where it stopped; other requests run meanwhile.
 */
void srv_req_suspend(struct srv_req *r);
void srv_req_resume(struct srv_req *r);

/* Request headers and query arguments (NULL when absent). */
const char *srv_req_header(struct srv_req *r, const char *name);
const char *srv_req_query(struct srv_req *r, const char *key);
void srv_req_each_query(struct srv_req *r,
			void (*fn)(void *arg, const char *key, const char *value), void *arg);

/* Answers. srv_reply_json takes ownership of obj (may be NULL for an empty body). */
void srv_reply_json(struct srv_req *r, int status, cJSON *obj);
void srv_reply_raw(struct srv_req *r, int status, const char *content_type, const char *body,
		   size_t len);
void srv_reply_empty(struct srv_req *r, int status);
/* {"error": {"code": ..., "message": ...}} with e's status; field may be NULL. */
void srv_reply_error(struct srv_req *r, enum srv_err e, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/*
 * The same with more in the answer: extra's members (taken; may be NULL) go into the
 * error object, and top_key (when not NULL) takes top, beside "error" (412's "current").
 */
void srv_reply_error_more(struct srv_req *r, enum srv_err e, const char *field, cJSON *extra,
			  const char *top_key, cJSON *top, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* 500 with the request id; the detail goes to the log only. */
void srv_reply_internal(struct srv_req *r, const char *detail);
/* 412 version_mismatch carrying the current object (taken). */
void srv_reply_stale(struct srv_req *r, cJSON *current);
void srv_set_header(struct srv_req *r, const char *name, const char *value);
/* Answers with size bytes of the open file fd (which the request now owns). */
void srv_reply_fd(struct srv_req *r, int status, const char *content_type, int fd,
		  unsigned long long size);

/*
 * Versions: the If-Match header as a number. Returns 0 when absent, 1 when present (in
 * *version), -1 after answering 400 when it is malformed.
 */
int srv_if_match(struct srv_req *r, long *version);
void srv_set_etag(struct srv_req *r, long version);

/* Monotonic seconds. */
double srv_now(void);

#endif
