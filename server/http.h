/*
 * One HTTP request as handlers see it, and the ways to answer it.
 *
 * http.c owns the libmicrohttpd glue: it reads the body (capped at max_body), parses JSON,
 * asks router.c for the route, checks the caller (auth.c), opens the request's transaction
 * (db.c), calls the handler, commits or rolls back, logs one line and sends the answer.
 * A handler never parses auth, never opens its own tenant transaction (except the public
 * auth routes, through srv_tx_begin) and always answers exactly once with a srv_reply_*.
 */
#ifndef SRV_HTTP_H
#define SRV_HTTP_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "buf.h"
#include "model.h"

struct MHD_Connection;
struct srv_route;
struct srv_db;
struct srv_auth_wait;
struct db_stmt;
struct pg_result;		/* libpq's PGresult */

#define SRV_MAX_PARAMS 4

/* Who is calling: filled by auth.c before the handler runs. */
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

struct srv_req {
	struct MHD_Connection *conn;
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
	struct srv_auth_wait *auth_wait;	/* the caller's row is being read (auth.c) */
	int suspended;			/* its connection waits for that, off its worker */
	struct srv_db *db;		/* this worker thread's connection */
	int in_tx;			/* a request transaction was begun */
	int tx_open;			/* ...and its BEGIN has been sent */
	char tx_school[37];		/* its tenant, until it opens */
	int tx_failed;			/* a statement failed: roll back */
	int tx_wrote;			/* a statement other than SELECT ran */

	const char *idem_key;		/* a POST's Idempotency-Key, to keep the answer for */
	char idem_hash[65];		/* ...and the request's hash (idempotency.c) */

	void *stream_state;		/* a streamed route's handler state */
	int streaming;			/* the route streams its body */

	/* the answer */
	int status;
	int resp_fd;			/* >= 0: answer with this file's bytes (owned) */
	unsigned long long resp_fd_size;
	int replied;
	int sent;			/* queued to libmicrohttpd */
	char *content_type;		/* owned */
	struct edu_buf resp;
	struct srv_header *headers;
	int nheaders;
	double started;			/* monotonic seconds */
};

/*
 * A request that waits for something another thread brings (auth.c's batch of token
 * checks) without holding its worker: srv_req_suspend() from the request's own handler
 * code, then srv_req_resume() from the other thread, once, when what it waits for is in.
 * The request then runs again from where it stopped; other requests run meanwhile.
 */
void srv_req_suspend(struct srv_req *r);
void srv_req_resume(struct srv_req *r);

/* Request headers and query arguments (NULL when absent). */
const char *srv_req_header(struct srv_req *r, const char *name);
const char *srv_req_query(struct srv_req *r, const char *key);

/* Answers. srv_reply_json takes ownership of obj (may be NULL for an empty body). */
void srv_reply_json(struct srv_req *r, int status, cJSON *obj);
void srv_reply_raw(struct srv_req *r, int status, const char *content_type, const char *body,
		   size_t len);
void srv_reply_empty(struct srv_req *r, int status);
/* {"error": {"code": code, "message": ...}}; field may be NULL. */
void srv_reply_error(struct srv_req *r, int status, const char *code, const char *field,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* 500 with the request id; the detail goes to the log only. */
void srv_reply_internal(struct srv_req *r, const char *detail);
void srv_set_header(struct srv_req *r, const char *name, const char *value);
/* Answers with size bytes of the open file fd (which the request now owns). */
void srv_reply_fd(struct srv_req *r, int status, const char *content_type, int fd,
		  unsigned long long size);

/*
 * Body validation: fields is a NULL-terminated list of the names the body may carry.
 * Answers 400/415/422 and returns -1 when the body is missing, not an object, or carries
 * an unknown field; 0 when it is fine. Handlers call it first.
 */
int srv_body_check(struct srv_req *r, const char *const *fields);
/*
 * A string field: returns it, or NULL after answering 422 when it is required and missing,
 * not a string, or not within [minlen, maxlen] bytes. *missing is set when it is absent and
 * optional (pass NULL when it is required).
 */
const char *srv_body_str(struct srv_req *r, const char *key, size_t minlen, size_t maxlen,
			 int *missing);

/*
 * Lists, a page at a time. A list's statement orders its rows by a unique key, takes the
 * cursor (that key of the last row of the page before, or NULL for the first page) and the
 * page size as parameters, and asks for one row more than the page size
 * ("... LIMIT $5::int + 1"): that row, never shown, says that another page follows.
 *
 *	static cJSON *token_row(const PGresult *res, int row, void *ctx)
 *	{
 *		(void)ctx;
 *		return token_json(res, row, NULL);
 *	}
 *
 *	struct srv_page pg;
 *
 *	if (srv_page_start(r, &pg, SRV_CURSOR_UUID) < 0)
 *		return;
 *	srv_page_query(r, &pg, &q_token_list, (const char *[]){ r->caller.school_id,
 *		r->caller.user_id, pg.after, pg.limit_s }, 0, token_row, NULL);
 *
 * The cursor is checked before any query so that a malformed one is a 400, not a failed
 * cast in the statement (a 500).
 */
enum srv_cursor {
	SRV_CURSOR_TEXT,	/* any text (a lower-cased name the list is ordered by) */
	SRV_CURSOR_UUID,	/* a row id */
	SRV_CURSOR_INT,		/* a number of 1 to 9 digits: always an int */
	SRV_CURSOR_BIGINT,	/* a number of 1 to 18 digits: always a bigint */
};

struct srv_page {
	int limit;		/* ?limit: 1..200, 50 when absent */
	const char *after;	/* ?after, or NULL */
	char limit_s[16];	/* limit as the statement's parameter */
};

/*
 * Parses ?limit and ?after (at most 512 bytes, and of kind). 0, or -1 after answering 400
 * with the field "limit" or "after".
 */
int srv_page_start(struct srv_req *r, struct srv_page *pg, enum srv_cursor kind);
/*
 * The cursor check alone (0, or -1 after answering 400), for a list that checks other
 * query arguments between ?limit and ?after: srv_page_start with SRV_CURSOR_TEXT first,
 * then this with the cursor's real kind.
 */
int srv_page_cursor(struct srv_req *r, const struct srv_page *pg, enum srv_cursor kind);

/* One row of the page as JSON (a new object: the page owns it); ctx is the handler's. */
typedef cJSON *srv_page_row_fn(const struct pg_result *res, int row, void *ctx);

/*
 * Runs st with params and answers the page: the first pg->limit rows through row, and,
 * when there is one more, the next cursor, column cursor_col of the page's last row.
 * A failed statement is answered as srv_reply_db_error does.
 */
void srv_page_query(struct srv_req *r, const struct srv_page *pg, const struct db_stmt *st,
		    const char *const *params, int cursor_col, srv_page_row_fn *row, void *ctx);

/*
 * The parts of the above, for a list that builds its page otherwise. srv_page_args is
 * srv_page_start with SRV_CURSOR_TEXT. srv_reply_page answers 200
 * {"items": items, "next": next} with a Link header when next is not NULL.
 */
int srv_page_args(struct srv_req *r, int *limit, const char **after);
void srv_reply_page(struct srv_req *r, cJSON *items, const char *next);

/*
 * Versions: the If-Match header as a number. Returns 0 when absent, 1 when present (in
 * *version), -1 after answering 400 when it is malformed.
 */
int srv_if_match(struct srv_req *r, long *version);
void srv_set_etag(struct srv_req *r, long version);

/* Starts and stops the HTTP daemon (config from srv_config). */
int srv_http_start(void);
void srv_http_stop(void);
/* The port really bound (after listen port 0). */
unsigned srv_http_port(void);

double srv_now(void);
/* Nonzero when s is a UUID in canonical text form (path ids are checked before any query). */
int srv_is_uuid(const char *s);

#endif
