/*
 * Routes: method, path pattern, handler and the permission it needs, declared in a table
 * by each resource (server/api/NAME.c), and matched here against the tables the router
 * (server/router.c) hands over once at start. Patterns are literal segments and {name}
 * placeholders, which may be typed: "/api/v1/users/{id:uuid}" matches only a path whose
 * segment there is a UUID, so a malformed id is 404 before any handler runs, and the
 * handler takes r->params[0] as a UUID without looking. Handlers never check auth
 * themselves: the caller is checked against the route's permission before they run
 * (auth/caller.c). A path that matches no route is 404; a path that matches with another
 * method is 405.
 *
 * What a route's body may hold is declared on it too: the names of its fields, and the
 * HTTP glue refuses any other (400 unknown_field) before the handler runs, and a missing
 * body unless the route says it is optional.
 *
 * Placeholder types: uuid (srv_is_uuid). An untyped {name} takes any non-empty segment.
 */
#ifndef SRV_CORE_ROUTE_H
#define SRV_CORE_ROUTE_H

#include <stddef.h>

#include "core/req.h"

/* Who may call a route. */
#define SRV_PERM_LIST(X) \
	X(PUBLIC,   "public",   "anyone, no token") \
	X(ANY,      "any",      "any valid token (session or API token)") \
	X(SESSION,  "session",  "a login session (JWT), never an API token") \
	X(TEACHER,  "teacher",  "teacher or above") \
	X(ADMIN,    "admin",    "admin, school_admin or super_admin") \
	X(SUPER,    "super",    "super_admin only")

enum srv_perm {
#define X(name, str, help) SRV_PERM_##name,
	SRV_PERM_LIST(X)
#undef X
};

typedef void (*srv_handler)(struct srv_req *r);

/*
 * A route whose request body is streamed (uploads) instead of read whole into memory.
 * The HTTP glue authenticates the caller from the headers, then calls begin() before the first
 * byte, data() for each chunk and end() when the body is complete; begin() and end() each
 * run in a request transaction of their own (the worker thread serves other connections
 * between the calls, so nothing of a transaction may be kept across them). Keep the
 * handler's state in r->stream_state; abort() is called at the end of every request whose
 * stream_state is still set (end() clears it once it has taken what it kept).
 * A handler that answers in begin() (401, 404, 413 for a Content-Length past the limit...)
 * refuses the upload before any byte: the answer goes out at once and the connection is
 * closed. One that answers in data() (413 past the limit) keeps nothing more: the rest of
 * the body is read and dropped, and the answer goes out when it ends.
 */
struct srv_stream_ops {
	void (*begin)(struct srv_req *r);
	/* 0, or -1 after answering */
	int (*data)(struct srv_req *r, const char *buf, size_t len);
	void (*end)(struct srv_req *r);
	void (*abort)(struct srv_req *r);
};

struct srv_route {
	const char *method;
	const char *pattern;
	srv_handler handler;		/* NULL for a streamed route */
	enum srv_perm perm;
	unsigned flags;
	/* NULL-terminated names a JSON body may carry; NULL: the body is not looked at */
	const char *const *fields;
	const struct srv_stream_ops *stream;	/* NULL: the body is JSON, read whole */
};

/* flags */
#define SRV_ROUTE_NO_TX  0x1	/* the handler opens its own transaction (public auth routes) */
#define SRV_ROUTE_NO_LOG_BODY 0x2
/*
 * The answer holds a secret shown once (a token, an activation code): it is never stored,
 * so the route ignores Idempotency-Key (idempotency.h).
 */
#define SRV_ROUTE_SECRET_ANSWER 0x4
/* A route with fields whose body may be absent (then the handler takes its defaults). */
#define SRV_ROUTE_BODY_OPTIONAL 0x8

/* fields: the names the body may carry (SRV_FIELDS("name", "term")), or NULL. */
#define SRV_ROUTE(method, pattern, handler, perm, flags, fields) \
	{ method, pattern, handler, perm, flags, fields, NULL }
#define SRV_STREAM(method, pattern, ops, perm, flags) \
	{ method, pattern, NULL, perm, flags, NULL, ops }
#define SRV_ROUTES_END { NULL, NULL, NULL, SRV_PERM_PUBLIC, 0, NULL, NULL }
#define SRV_FIELDS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* The tables to match, in order (the router's); each ends in SRV_ROUTES_END. */
void srv_route_tables_set(const struct srv_route *const *tables, size_t n);

/*
 * Finds the route for method + path and fills r->params. Returns the route, or NULL with
 * *status set to 404 (no such path) or 405 (path known, method not).
 */
const struct srv_route *srv_route_match(const char *method, const char *path,
					const char **params, int *nparams, char *scratch,
					size_t scratch_len, int *status);
/*
 * The route's path as clients write it: its pattern without the placeholders' types
 * ("/api/v1/users/{id}"), in buf; for `edud routes` and /metrics.
 */
const char *srv_route_path(const struct srv_route *rt, char *buf, size_t len);
/* Calls fn for every route (for `edud routes` and the tests). */
void srv_route_each(void (*fn)(const struct srv_route *rt, void *arg), void *arg);
const char *srv_perm_name(enum srv_perm p);
/* The index of a route in the whole table (for metrics), or -1. */
int srv_route_index(const struct srv_route *rt);
int srv_route_count(void);

#endif
