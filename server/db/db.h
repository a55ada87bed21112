/*
 * The database layer: one libpq connection per worker thread, statements prepared lazily
 * on each connection, and the request transaction that carries the tenant.
 *
 * A resource declares its SQL once, parameterised only:
 *
 *	static const struct db_stmt q_user_get = DB_STMT("user_get", 1,
 *		"SELECT ... FROM users WHERE id = $1");
 *	PGresult *res = db_exec_reply(r, &q_user_get, (const char *[]){ id });
 *	if (!res)
 *		return;
 *	...
 *	PQclear(res);
 *
 * Inside a request, every statement runs in the request's transaction, which began with
 * set_config('app.school_id', ..., true) so row-level security sees only the caller's school.
 *
 * A statement whose text starts with SELECT must not write: a transaction that ran only
 * such statements is committed without waiting for the server's answer.
 */
#ifndef SRV_DB_H
#define SRV_DB_H

#include <libpq-fe.h>

#include "http.h"

struct db_stmt {
	const char *name;	/* unique over the whole server */
	int nparams;
	const char *sql;
};

#define DB_STMT(name, nparams, sql) { name, nparams, sql }

/*
 * Runs st with params (nparams strings, NULL for SQL NULL) on this thread's connection.
 * Returns the result (caller PQclear()s) or NULL on failure: the transaction is then marked
 * failed and db_sqlstate() tells why.
 */
PGresult *db_exec(struct srv_req *r, const struct db_stmt *st, const char *const *params);
/*
 * db_exec, and on failure the request is answered too (srv_reply_db_error) before NULL comes
 * back: for the many callers that have nothing else to do then. Those that must look at the
 * failure first (a unique violation is their own 409) or clean up before answering call
 * db_exec.
 */
PGresult *db_exec_reply(struct srv_req *r, const struct db_stmt *st, const char *const *params);
/*
 * Runs a, then b, in one round trip (as the two db_exec calls would, each statement with its
 * own snapshot; b does not run when a fails). 0 with both results (caller PQclear()s), or
 * -1 with both NULL, as db_exec fails.
 */
int db_exec_pair(struct srv_req *r, const struct db_stmt *a, const char *const *pa,
		 PGresult **ra, const struct db_stmt *b, const char *const *pb, PGresult **rb);
/*
 * Runs sts[0..n) with params[0..n) in one round trip, as db_exec_pair does two: 0 with
 * out[i] the result of sts[i] (caller PQclear()s each), or -1 with every out[i] NULL.
 */
int db_exec_n(struct srv_req *r, int n, const struct db_stmt *const *sts,
	      const char *const *const *params, PGresult **out);
/* The SQLSTATE of the last failure on this thread ("" if none). */
const char *db_sqlstate(void);
int db_is_unique_violation(void);
/*
 * Answers for a failed db_exec: 409 for a unique violation, 503 when the database is gone,
 * 500 otherwise (the libpq text goes to the log, never to the client).
 */
void srv_reply_db_error(struct srv_req *r);
/*
 * The same, except that a unique violation (the thing exists already) is 409 "conflict"
 * naming field (NULL: none) with the message fmt gives.
 */
void srv_reply_db_conflict(struct srv_req *r, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The request transaction. It is opened lazily: BEGIN and the tenant settings travel with
 * its first statement, in one round trip, and a request that runs no statement costs
 * nothing. srv_tx_begin opens it for school_id (NULL: no tenant, so every
 * tenant table is empty) with the caller's user id and role; answers 503 and returns -1 if
 * the database is unreachable. srv_tx_set_school switches the tenant inside it (a
 * super_admin acting in another school). srv_tx_end commits (commit != 0 and nothing
 * failed) or rolls back; http.c calls it for every request that left one open.
 */
int srv_tx_begin(struct srv_req *r, const char *school_id);
/*
 * One statement in a transaction of its own, with school_id as the tenant (app.school_id
 * only: app.user_id and app.role stay unset), in one round trip (inside an open request
 * transaction, it is simply one more statement of it, its tenant switched to school_id
 * first when it is another).
 * Returns like db_exec. Authentication reads the caller's row this way.
 */
PGresult *db_exec_alone(struct srv_req *r, const char *school_id, const struct db_stmt *st,
			const char *const *params);
int srv_tx_set_school(struct srv_req *r, const char *school_id);
int srv_tx_end(struct srv_req *r, int commit);

/*
 * Opens this thread's connection if needed; NULL when the database is unreachable. It is
 * closed when the thread ends.
 */
PGconn *db_thread_conn(void);
/* SELECT set_config('app.school_id', $1, true): the tenant a statement of its own needs. */
extern const struct db_stmt db_set_school;
/*
 * For a thread that serves no request of its own (auth.c's batch of token checks): runs
 * sts[i] with params[i] right after tenants[i] with tenant_params[i], a statement that sets
 * app.school_id (db_set_school, or one that finds the school first), for i below n, in one
 * round trip and one implicit transaction, on this thread's connection. For statements
 * that only read. 0 with out[i] the result of sts[i] (caller PQclear()s each), or -1
 * (logged) with every out[i] NULL.
 */
int db_exec_tenants(int n, const struct db_stmt *const *tenants,
		    const char *const *const *tenant_params, const struct db_stmt *const *sts,
		    const char *const *const *params, PGresult **out);

/* A new connection as the schema owner (migrations, `edud demo`); caller PQfinish()es. */
PGconn *db_connect_owner(char *err, size_t errlen);
/*
 * For edud's own commands (demo, gc) on a connection of their own: runs sql with n text
 * parameters. The result (the caller PQclear()s it), or NULL after printing
 * "edud: WHAT failed: ..." on stderr. db_run_ok() keeps only whether it worked (0 or -1).
 */
PGresult *db_run(PGconn *c, const char *what, const char *sql, int n, const char *const *params);
int db_run_ok(PGconn *c, const char *what, const char *sql, int n, const char *const *params);
/* A new connection as the application role; caller PQfinish()es. */
PGconn *db_connect_app(char *err, size_t errlen);

/* The schema every connection uses. */
#define DB_SCHEMA "edu"

#endif
