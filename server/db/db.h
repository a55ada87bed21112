/*
 * The database layer: one libpq connection per worker thread, statements prepared lazily
 * on each connection, and the transaction (struct db_tx) that carries the tenant.
 *
 * A resource declares its SQL once, parameterised only:
 *
 *	static const struct db_stmt q_user_get = DB_STMT("user_get", 1,
 *		"SELECT ... FROM users WHERE id = $1");
 *	PGresult *res = db_exec(tx, &q_user_get, (const char *[]){ id });
 *	if (!res)
 *		-> db_sqlstate() says why (kit/query.h answers a request with it)
 *	...
 *	PQclear(res);
 *
 * In a transaction, every statement runs after set_config('app.school_id', ..., true), so
 * row-level security sees only the tenant's school.
 *
 * This layer answers nothing and knows no request: it returns failures, and the SQLSTATE
 * of the last one on the thread.
 *
 * A statement whose text starts with SELECT must not write: a transaction that ran only
 * such statements is committed without waiting for the server's answer.
 */
#ifndef SRV_DB_DB_H
#define SRV_DB_DB_H

#include <libpq-fe.h>
#include <stddef.h>

struct db_stmt {
	const char *name;	/* unique over the whole server */
	int nparams;
	const char *sql;
};

#define DB_STMT(name, nparams, sql) { name, nparams, sql }

/*
 * A query's columns, declared once and read by name: a list of (name, SQL) pairs, its first
 * one through `first` and the others through `next`,
 *
 *	#define COURSE_COLUMNS(first, next) \
 *		first(COURSE_ID,   "c.id") \
 *		next(COURSE_NAME,  "c.name")
 *	enum course_col { DB_COLS_ENUM(COURSE_COLUMNS) COURSE_NCOLS };
 *	"SELECT " DB_COLS_SQL(COURSE_COLUMNS) " FROM courses c ..."
 *
 * gives the SQL column list and an enum of the columns in the same order, so that a row is
 * read with db_str(res, row, COURSE_NAME), never with a number that can drift from the
 * list. Columns a query adds after such a list take the names that follow (= _NCOLS + k).
 * A list cannot hold another's DB_COLS_SQL (the preprocessor does not expand a macro
 * inside itself): put the two side by side in the query.
 */
#define DB_COL_SQL_FIRST_(name, sql) sql
#define DB_COL_SQL_NEXT_(name, sql) ", " sql
#define DB_COL_ENUM_(name, sql) name,
#define DB_COLS_SQL(list) list(DB_COL_SQL_FIRST_, DB_COL_SQL_NEXT_)
#define DB_COLS_ENUM(list) list(DB_COL_ENUM_, DB_COL_ENUM_)
/* The same for columns that come after n others: the first is n. */
#define DB_COLS_ENUM_AFTER(n, list) DB_COLS_AFTER_##list = (n) - 1, DB_COLS_ENUM(list)

/* A column's value: text (NULL for SQL NULL), a copy of it (caller frees), and as types. */
const char *db_str(const PGresult *res, int row, int col);
char *db_dup(const PGresult *res, int row, int col);
int db_null(const PGresult *res, int row, int col);
int db_bool(const PGresult *res, int row, int col);		/* 't': 1; else (NULL too) 0 */
long db_long(const PGresult *res, int row, int col);		/* NULL: 0 */
long long db_llong(const PGresult *res, int row, int col);
double db_double(const PGresult *res, int row, int col);

/* A timestamptz column as RFC 3339 UTC text, as the API gives every time. */
#define DB_TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/*
 * A transaction and its tenant. It is opened lazily: BEGIN and the tenant settings travel
 * with its first statement, in one round trip, and a transaction that runs no statement
 * costs nothing. Its owner (a request: kit/query.h) keeps it; db_tx_init() makes it
 * ready, tag names it in the log (a request id).
 */
struct db_tx {
	int begun;		/* db_tx_begin() was called, db_tx_end() not yet */
	int open;		/* ...and its BEGIN has been sent */
	int failed;		/* a statement failed: it is rolled back */
	int wrote;		/* a statement other than SELECT ran */
	char school[37];	/* the tenant: app.school_id ("" for none) */
	char user_id[37];	/* app.user_id */
	char role[16];		/* app.role */
	const char *tag;
};

void db_tx_init(struct db_tx *tx, const char *tag);
/*
 * Begins tx for school_id (NULL: no tenant, so every tenant table is empty) with the
 * caller's user id and role (NULL: none) as app.user_id and app.role; in a transaction
 * already begun, switches its tenant to these (a super_admin acting in another school).
 * 0, or -1 when the database is unreachable.
 */
int db_tx_begin(struct db_tx *tx, const char *school_id, const char *user_id, const char *role);
/* Switches the tenant's school only (beginning tx if need be). 0, or -1. */
int db_tx_set_school(struct db_tx *tx, const char *school_id);
/*
 * Commits (commit != 0 and nothing failed) or rolls back. 0, or -1 when a commit failed
 * (db_sqlstate() says why).
 */
int db_tx_end(struct db_tx *tx, int commit);

/*
 * Runs st with params (nparams strings, NULL for SQL NULL) on this thread's connection, in
 * tx when it is begun (else alone, with no tenant). Returns the result (caller PQclear()s)
 * or NULL on failure: the transaction is then marked failed and db_sqlstate() tells why.
 */
PGresult *db_exec(struct db_tx *tx, const struct db_stmt *st, const char *const *params);
/*
 * Runs a, then b, in one round trip (as the two db_exec calls would, each statement with its
 * own snapshot; b does not run when a fails). 0 with both results (caller PQclear()s), or
 * -1 with both NULL, as db_exec fails.
 */
int db_exec_pair(struct db_tx *tx, const struct db_stmt *a, const char *const *pa,
		 PGresult **ra, const struct db_stmt *b, const char *const *pb, PGresult **rb);
/*
 * Runs sts[0..n) with params[0..n) in one round trip, as db_exec_pair does two: 0 with
 * out[i] the result of sts[i] (caller PQclear()s each), or -1 with every out[i] NULL.
 */
int db_exec_n(struct db_tx *tx, int n, const struct db_stmt *const *sts,
	      const char *const *const *params, PGresult **out);
/* The SQLSTATE of the last failure on this thread ("" if none). */
const char *db_sqlstate(void);
int db_is_unique_violation(void);

/* What the last failure on this thread was, from its SQLSTATE. */
enum db_failure {
	DB_FAIL_UNIQUE,		/* 23505: the row exists already */
	DB_FAIL_GONE,		/* the connection or the server went away */
	DB_FAIL_RETRY,		/* a serialisation failure, deadlock or lock not available */
	DB_FAIL_DENIED,		/* 42501: row-level security or a privilege refused it */
	DB_FAIL_BAD_VALUE,	/* class 22: a value is malformed or out of range */
	DB_FAIL_RULE,		/* a foreign key or check constraint */
	DB_FAIL_OTHER,		/* anything else: a bug */
};
enum db_failure db_failure(void);

/*
 * One statement in a transaction of its own, with school_id as the tenant (app.school_id
 * only: app.user_id and app.role stay unset), in one round trip (inside an open request
 * transaction, it is simply one more statement of it, its tenant switched to school_id
 * first when it is another).
 * Returns like db_exec. Authentication reads the caller's row this way.
 */
PGresult *db_exec_alone(struct db_tx *tx, const char *school_id, const struct db_stmt *st,
			const char *const *params);
/*
 * sts[0..n) with params[0..n) as db_exec_alone runs one: in one round trip and one
 * transaction of their own (each statement with its own snapshot, so one that follows a
 * lock sees what the lock's last holder committed), or in tx when it is open. 0 with
 * out[i] the result of sts[i] (caller PQclear()s each), or -1 with every out[i] NULL.
 */
int db_exec_alone_n(struct db_tx *tx, const char *school_id, int n,
		    const struct db_stmt *const *sts, const char *const *const *params,
		    PGresult **out);

/*
 * Opens this thread's connection if needed; NULL when the database is unreachable. It is
 * closed when the thread ends.
 */
PGconn *db_thread_conn(void);
/* SELECT set_config('app.school_id', $1, true): the tenant a statement of its own needs. */
extern const struct db_stmt db_set_school;
/*
 * For a thread that serves no request of its own (auth/caller.c's batch of token checks): runs
 * sts[i] with params[i] right after tenants[i] with tenant_params[i], a statement that sets
 * app.school_id (db_set_school, or one that finds the school first), for i below n, in one
 * round trip and one implicit transaction, on this thread's connection. For statements
 * that only read. 0 with out[i] the result of sts[i] (caller PQclear()s each), or -1
 * (logged) with every out[i] NULL.
 */
int db_exec_tenants(int n, const struct db_stmt *const *tenants,
		    const char *const *const *tenant_params, const struct db_stmt *const *sts,
		    const char *const *const *params, PGresult **out);

/* Formats a number for a numeric SQL parameter (numeric(10,2) columns round it). */
void db_num_param(char *buf, size_t len, double v);

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
