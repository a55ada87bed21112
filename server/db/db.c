/*
 * The database layer: one connection per worker thread (the HTTP workers each run one
 * request at a time), statements prepared lazily per connection, and the transaction that
 * carries the tenant for row-level security.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/metrics.h"
#include "db/db.h"
#include "db/pgembed.h"
#include "xalloc.h"

struct srv_db {
	PGconn *conn;
	const struct db_stmt **prepared;	/* statements prepared on conn */
	int nprepared, cap;
	int commit_pending;	/* a read-only COMMIT was sent and its answer not read */
	int cpu;		/* 1 + the core this worker is pinned to; 0: not pinned */
};

static pthread_key_t db_key;
static pthread_once_t db_once = PTHREAD_ONCE_INIT;
static __thread struct srv_db *tdb;
static __thread char last_state[6];

static void db_free(void *p)
{
	struct srv_db *d = p;

	if (!d)
		return;
	if (d->conn) {
		PQfinish(d->conn);
		srv_metrics_db_conn(-1);
	}
	free(d->prepared);
	free(d);
}

static void db_key_init(void)
{
	pthread_key_create(&db_key, db_free);
}

static void set_state(const char *s)
{
	snprintf(last_state, sizeof(last_state), "%s", s ? s : "");
}

const char *db_sqlstate(void)
{
	return last_state;
}

int db_is_unique_violation(void)
{
	return !strcmp(last_state, "23505");
}

enum db_failure db_failure(void)
{
	const char *s = last_state;

	if (!strcmp(s, "23505"))
		return DB_FAIL_UNIQUE;
	if (!strncmp(s, "08", 2) || !strcmp(s, "57P01"))
		return DB_FAIL_GONE;
	if (!strcmp(s, "40001") || !strcmp(s, "40P01") || !strcmp(s, "55P03"))
		return DB_FAIL_RETRY;
	if (!strcmp(s, "42501"))
		return DB_FAIL_DENIED;
	if (!strncmp(s, "22", 2))
		return DB_FAIL_BAD_VALUE;
	if (!strcmp(s, "23503") || !strcmp(s, "23514"))
		return DB_FAIL_RULE;
	return DB_FAIL_OTHER;
}

/* Every connection works in our schema and says who it is in pg_stat_activity. */
static int conn_setup(PGconn *c)
{
	PGresult *res = PQexec(c, "SET search_path = " DB_SCHEMA ", pg_catalog; "
			       "SET application_name = 'edud'; SET client_min_messages = warning");
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	return ok ? 0 : -1;
}

static PGconn *connect_url(const char *url, char *err, size_t errlen)
{
	PGconn *c = PQconnectdb(url);

	if (PQstatus(c) != CONNECTION_OK || conn_setup(c) < 0) {
		if (err) {
			const char *m = PQerrorMessage(c);
			snprintf(err, errlen, "%.*s", (int)strcspn(m, "\n"), m);
		}
		PQfinish(c);
		return NULL;
	}
	return c;
}

PGconn *db_connect_owner(char *err, size_t errlen)
{
	const char *url = *srv_cfg.database_owner_url_s ? srv_cfg.database_owner_url_s
							 : srv_cfg.database_url_s;
	return connect_url(url, err, errlen);
}

PGconn *db_connect_app(char *err, size_t errlen)
{
	return connect_url(srv_cfg.database_url_s, err, errlen);
}

PGresult *db_run(PGconn *c, const char *what, const char *sql, int n, const char *const *params)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType s = PQresultStatus(res);

	if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
		return res;
	fprintf(stderr, "edud: %s failed: %s", what, PQresultErrorMessage(res));
	PQclear(res);
	return NULL;
}

int db_run_ok(PGconn *c, const char *what, const char *sql, int n, const char *const *params)
{
	PGresult *res = db_run(c, what, sql, n, params);

	PQclear(res);
	return res ? 0 : -1;
}

/* Reads the answer of a COMMIT sent without waiting, so the connection is free again. */
static void drain(void)
{
	PGresult *res;

	if (!tdb || !tdb->conn || !tdb->commit_pending)
		return;
	while ((res = PQgetResult(tdb->conn)))
		PQclear(res);
	tdb->commit_pending = 0;
}

/*
 * cpu_affinity: on the embedded cluster each worker thread and the backend serving it share
 * one core, so a query wakes a process on the waker's own core instead of interrupting the
 * other one. On two cores that is worth about a sixth more requests a second
 * (bench/users-me.sh). Workers are dealt round the cores edud may use. Only a backend whose
 * parent is our own postmaster is touched: a pid from another host or pid namespace could
 * name any process.
 */
static pthread_once_t cpus_once = PTHREAD_ONCE_INIT;
static cpu_set_t cpus;
static int ncpus, next_worker;

static void cpus_init(void)
{
	if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0)
		ncpus = CPU_COUNT(&cpus);
}

static long parent_of(long pid)
{
	char path[64], line[512], *p;
	long ppid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (!(f = fopen(path, "r")))
		return 0;
	/* pid (comm) state ppid ...: comm may hold spaces and parentheses */
	if (fgets(line, sizeof(line), f) && (p = strrchr(line, ')')) &&
	    sscanf(p + 1, " %*c %ld", &ppid) != 1)
		ppid = 0;
	fclose(f);
	return ppid;
}

static void pin_with_backend(PGconn *c)
{
	static int warned;
	long postmaster = srv_pg_postmaster();
	int backend = PQbackendPID(c), k, cpu;
	cpu_set_t one;

	if (!srv_cfg.cpu_affinity || !postmaster || backend <= 0 ||
	    parent_of(backend) != postmaster)
		return;
	pthread_once(&cpus_once, cpus_init);
	if (ncpus < 2)
		return;
	if (!tdb->cpu) {
		k = __atomic_fetch_add(&next_worker, 1, __ATOMIC_RELAXED) % ncpus;
		for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
			if (CPU_ISSET(cpu, &cpus) && k-- == 0)
				break;
		tdb->cpu = cpu + 1;
	}
	CPU_ZERO(&one);
	CPU_SET(tdb->cpu - 1, &one);
	if ((errno = pthread_setaffinity_np(pthread_self(), sizeof(one), &one)) != 0 ||
	    sched_setaffinity(backend, sizeof(one), &one) < 0) {
		if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
			srv_log("cannot pin workers to cores (%s); they run unpinned",
				strerror(errno));
	}
}

PGconn *db_thread_conn(void)
{
	char err[256];

	pthread_once(&db_once, db_key_init);
	if (!tdb) {
		tdb = xcalloc(1, sizeof(*tdb));
		pthread_setspecific(db_key, tdb);
	}
	drain();
	if (tdb->conn && PQstatus(tdb->conn) == CONNECTION_OK)
		return tdb->conn;
	if (tdb->conn) {
		PQfinish(tdb->conn);
		srv_metrics_db_conn(-1);
		tdb->conn = NULL;
	}
	tdb->nprepared = 0;
	tdb->conn = db_connect_app(err, sizeof(err));
	if (tdb->conn) {
		srv_metrics_db_conn(1);
		pin_with_backend(tdb->conn);
	} else
		srv_log("database unreachable: %s", err);
	return tdb->conn;
}

/* How pipelined() opens its round trip: as it is, as a transaction alone, or with BEGIN. */
enum { PIPE_PLAIN, PIPE_ALONE, PIPE_BEGIN };

static PGresult *pipelined1(struct db_tx *tx, PGconn *c, int how, const char *school_id,
			    const struct db_stmt *st, const char *const *params);

static const char *tag(const struct db_tx *tx)
{
	return tx && tx->tag ? tx->tag : "-";
}

/* db.h's rule: a statement that starts with SELECT does not write; anything else may. */
static void note_write(struct db_tx *tx, const struct db_stmt *st)
{
	if (tx && strncmp(st->sql, "SELECT", 6))
		tx->wrote = 1;
}

static int prepare(struct db_tx *tx, PGconn *c, const struct db_stmt *st)
{
	PGresult *res;

	for (int i = 0; i < tdb->nprepared; i++)
		if (tdb->prepared[i] == st)
			return 0;
	res = PQprepare(c, st->name, st->sql, st->nparams, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		set_state(PQresultErrorField(res, PG_DIAG_SQLSTATE));
		srv_log("%s prepare %s failed: %s", tag(tx), st->name, PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	PQclear(res);
	if (tdb->nprepared == tdb->cap) {
		tdb->cap = tdb->cap ? tdb->cap * 2 : 32;
		tdb->prepared = xrealloc(tdb->prepared, tdb->cap * sizeof(*tdb->prepared));
	}
	tdb->prepared[tdb->nprepared++] = st;
	return 0;
}

PGresult *db_exec(struct db_tx *tx, const struct db_stmt *st, const char *const *params)
{
	PGconn *c = db_thread_conn();
	PGresult *res;
	ExecStatusType s;

	set_state("");
	if (!c) {
		set_state("08006");
		goto fail;
	}
	if (tx && tx->begun && !tx->open) {
		/* the transaction's first statement: BEGIN and the tenant go with it */
		tx->open = 1;
		return pipelined1(tx, c, PIPE_BEGIN, tx->school, st, params);
	}
	if (prepare(tx, c, st) < 0)
		goto fail;
	note_write(tx, st);
	res = PQexecPrepared(c, st->name, st->nparams, params, NULL, NULL, 0);
	s = PQresultStatus(res);
	if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK)
		return res;
	set_state(PQstatus(c) == CONNECTION_OK ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
					       : "08006");
	/* unique violations are ordinary answers (409); anything else is worth a log line */
	if (!db_is_unique_violation())
		srv_log("%s %s failed: %s", tag(tx), st->name, PQresultErrorMessage(res));
	PQclear(res);
fail:
	if (tx)
		tx->failed = 1;
	if (!last_state[0])
		set_state("XX000");
	return NULL;
}

static const struct db_stmt q_set_tenant = DB_STMT("tx_set_tenant", 3,
	"SELECT set_config('app.school_id', $1, true), set_config('app.user_id', $2, true), "
	"set_config('app.role', $3, true)");

/* For a statement alone (its own implicit transaction): the policies need only the school. */
const struct db_stmt db_set_school = DB_STMT("tx_set_school", 1,
	"SELECT set_config('app.school_id', $1, true)");

static const char *const *tenant_params(const struct db_tx *tx, const char *school_id,
					const char *out[3])
{
	out[0] = school_id ? school_id : "";
	out[1] = tx ? tx->user_id : "";
	out[2] = tx ? tx->role : "";
	return out;
}

static void copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* Switches the open transaction's tenant to tx->user_id, tx->role and school_id. */
static int set_tenant(struct db_tx *tx, const char *school_id)
{
	const char *p[3];
	PGresult *res = db_exec(tx, &q_set_tenant, tenant_params(tx, school_id, p));

	if (!res)
		return -1;
	PQclear(res);
	copy(tx->school, sizeof(tx->school), school_id);
	return 0;
}

/*
 * Reads a sent pipeline's results up to its sync point and leaves pipeline mode. Of the
 * results, numbers first, first + every, first + 2 * every... are the n asked for (sts[k]'s
 * goes to out[k]); the others (BEGIN, the tenant settings) are let go. 0, or -1 with every
 * out[k] NULL and the first failure logged.
 */
static int pipeline_results(struct db_tx *tx, PGconn *c, int first, int every, int n,
			    const struct db_stmt *const *sts, PGresult **out)
{
	PGresult *res;
	int ok = 1, sync = 0, got = 0, k;

	/* each statement's result is followed by a NULL; the sync point comes last */
	while (!sync) {
		res = PQgetResult(c);
		if (!res) {
			if (PQstatus(c) != CONNECTION_OK) {
				set_state("08006");
				ok = 0;
				break;
			}
			continue;
		}
		k = (got - first) / every;
		switch (PQresultStatus(res)) {
		case PGRES_PIPELINE_SYNC:
			sync = 1;
			break;
		case PGRES_COMMAND_OK:
		case PGRES_TUPLES_OK:
			if (got >= first && (got - first) % every == 0 && k < n) {
				out[k] = res;
				res = NULL;
			}
			got++;
			break;
		default:
			if (ok) {
				const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

				set_state(state ? state : "08006");
				if (!db_is_unique_violation())
					srv_log("%s %s failed: %s", tag(tx),
						sts[got >= first && k < n ? k : 0]->name,
						PQresultErrorMessage(res));
			}
			ok = 0;
		}
		PQclear(res);
	}
	PQexitPipelineMode(c);
	if (ok)
		return 0;
	for (k = 0; k < n; k++) {
		PQclear(out[k]);
		out[k] = NULL;
	}
	return -1;
}

/*
 * One round trip: [BEGIN,] [the tenant settings,] the n statements, then a sync point.
 * Without BEGIN the statements up to the sync point are one implicit transaction, which
 * ends there: the tenant settings (local to the transaction) end with it. With BEGIN the
 * transaction stays open for the statements that follow. Each statement still takes its
 * own snapshot, in order, as it would one round trip at a time. out[i] gets the result of
 * sts[i] (caller PQclear()s); 0, or -1 with every out[i] NULL (the first failure logged).
 */
static int pipelined(struct db_tx *tx, PGconn *c, int how, const char *school_id, int n,
		     const struct db_stmt *const *sts, const char *const *const *params,
		     PGresult **out)
{
	const struct db_stmt *tenant = how == PIPE_BEGIN ? &q_set_tenant : &db_set_school;
	const char *tp[3];
	int ok, i, skip = (how == PIPE_BEGIN) + (how != PIPE_PLAIN);

	set_state("");
	for (i = 0; i < n; i++)
		out[i] = NULL;
	if (how != PIPE_PLAIN && prepare(tx, c, tenant) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (prepare(tx, c, sts[i]) < 0)
			return -1;
		note_write(tx, sts[i]);
	}
	tenant_params(tx, school_id, tp);
	if (!PQenterPipelineMode(c))
		return -1;
	ok = (how != PIPE_BEGIN || PQsendQueryParams(c, "BEGIN", 0, NULL, NULL, NULL, NULL, 0)) &&
	     (how == PIPE_PLAIN ||
	      PQsendQueryPrepared(c, tenant->name, tenant->nparams, tp, NULL, NULL, 0));
	for (i = 0; ok && i < n; i++)
		ok = PQsendQueryPrepared(c, sts[i]->name, sts[i]->nparams, params[i], NULL, NULL, 0);
	if (!ok || !PQpipelineSync(c)) {
		srv_log("%s %s failed: %s", tag(tx), sts[0]->name, PQerrorMessage(c));
		set_state("08006");
		PQexitPipelineMode(c);
		return -1;
	}
	if (pipeline_results(tx, c, skip, 1, n, sts, out) < 0) {
		if (tx)
			tx->failed = 1;
		return -1;
	}
	return 0;
}

/* One statement through pipelined(). */
static PGresult *pipelined1(struct db_tx *tx, PGconn *c, int how, const char *school_id,
			    const struct db_stmt *st, const char *const *params)
{
	PGresult *res;

	return pipelined(tx, c, how, school_id, 1, &st, &params, &res) == 0 ? res : NULL;
}

int db_exec_n(struct db_tx *tx, int n, const struct db_stmt *const *sts,
	      const char *const *const *params, PGresult **out)
{
	PGconn *c = db_thread_conn();
	int how = PIPE_PLAIN;

	if (!c) {
		for (int i = 0; i < n; i++)
			out[i] = NULL;
		set_state("08006");
		tx->failed = 1;
		return -1;
	}
	if (tx->begun && !tx->open) {
		/* the transaction's first statements: BEGIN and the tenant go with them */
		tx->open = 1;
		how = PIPE_BEGIN;
	}
	return pipelined(tx, c, how, tx->school, n, sts, params, out);
}

int db_exec_pair(struct db_tx *tx, const struct db_stmt *a, const char *const *pa,
		 PGresult **ra, const struct db_stmt *b, const char *const *pb, PGresult **rb)
{
	const struct db_stmt *sts[2] = { a, b };
	const char *const *params[2] = { pa, pb };
	PGresult *out[2];
	int rc = db_exec_n(tx, 2, sts, params, out);

	*ra = out[0];
	*rb = out[1];
	return rc;
}

int db_exec_tenants(int n, const struct db_stmt *const *tenants,
		    const char *const *const *tenant_params, const struct db_stmt *const *sts,
		    const char *const *const *params, PGresult **out)
{
	PGconn *c = db_thread_conn();
	int ok, i;

	set_state("");
	for (i = 0; i < n; i++)
		out[i] = NULL;
	if (!c) {
		set_state("08006");
		return -1;
	}
	for (i = 0; i < n; i++)
		if (prepare(NULL, c, tenants[i]) < 0 || prepare(NULL, c, sts[i]) < 0)
			return -1;
	if (!PQenterPipelineMode(c))
		return -1;
	ok = 1;
	for (i = 0; ok && i < n; i++)
		ok = PQsendQueryPrepared(c, tenants[i]->name, tenants[i]->nparams, tenant_params[i],
					 NULL, NULL, 0) &&
		     PQsendQueryPrepared(c, sts[i]->name, sts[i]->nparams, params[i], NULL, NULL, 0);
	if (!ok || !PQpipelineSync(c)) {
		srv_log("- %s failed: %s", sts[0]->name, PQerrorMessage(c));
		set_state("08006");
		PQexitPipelineMode(c);
		return -1;
	}
	/* results alternate: the tenant's (let go), then the statement's */
	return pipeline_results(NULL, c, 1, 2, n, sts, out);
}

PGresult *db_exec_alone(struct db_tx *tx, const char *school_id, const struct db_stmt *st,
			const char *const *params)
{
	PGconn *c = db_thread_conn();

	if (!c) {
		set_state("08006");
		return NULL;
	}
	if (tx->begun && tx->open) {
		/* inside an open transaction it is one more statement of it */
		if (strcmp(tx->school, school_id ? school_id : "") && set_tenant(tx, school_id) < 0)
			return NULL;
		return db_exec(tx, st, params);
	}
	return pipelined1(tx, c, PIPE_ALONE, school_id, st, params);
}

int db_exec_alone_n(struct db_tx *tx, const char *school_id, int n,
		    const struct db_stmt *const *sts, const char *const *const *params,
		    PGresult **out)
{
	PGconn *c = db_thread_conn();

	if (!c) {
		for (int i = 0; i < n; i++)
			out[i] = NULL;
		set_state("08006");
		return -1;
	}
	if (tx->begun && tx->open) {
		if (strcmp(tx->school, school_id ? school_id : "") && set_tenant(tx, school_id) < 0) {
			for (int i = 0; i < n; i++)
				out[i] = NULL;
			return -1;
		}
		return db_exec_n(tx, n, sts, params, out);
	}
	return pipelined(tx, c, PIPE_ALONE, school_id, n, sts, params, out);
}

void db_tx_init(struct db_tx *tx, const char *tag)
{
	memset(tx, 0, sizeof(*tx));
	tx->tag = tag;
}

int db_tx_begin(struct db_tx *tx, const char *school_id, const char *user_id, const char *role)
{
	copy(tx->user_id, sizeof(tx->user_id), user_id);
	copy(tx->role, sizeof(tx->role), role);
	if (tx->begun)
		return db_tx_set_school(tx, school_id);
	if (!db_thread_conn()) {
		set_state("08006");
		return -1;
	}
	tx->begun = 1;
	tx->open = 0;
	tx->failed = 0;
	tx->wrote = 0;
	copy(tx->school, sizeof(tx->school), school_id);
	return 0;
}

int db_tx_set_school(struct db_tx *tx, const char *school_id)
{
	if (!tx->begun)
		return db_tx_begin(tx, school_id, tx->user_id, tx->role);
	if (!tx->open) {
		copy(tx->school, sizeof(tx->school), school_id);
		return 0;
	}
	return set_tenant(tx, school_id);
}

int db_tx_end(struct db_tx *tx, int commit)
{
	PGconn *c = tdb ? tdb->conn : NULL;
	PGresult *res;
	int ok;

	if (!tx->begun)
		return 0;
	tx->begun = 0;
	if (!tx->open)
		return 0;	/* nothing ran in it: nothing to end */
	tx->open = 0;
	if (!c)
		return -1;
	commit = commit && !tx->failed;
	/*
	 * A transaction that only read has nothing to make durable: send its COMMIT and read
	 * the answer when the connection is next used, so the reply does not wait for it.
	 */
	if (commit && !tx->wrote && !tdb->commit_pending &&
	    PQsendQuery(c, "COMMIT")) {
		tdb->commit_pending = 1;
		return 0;
	}
	drain();
	res = PQexec(c, commit ? "COMMIT" : "ROLLBACK");
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok) {
		set_state(PQresultErrorField(res, PG_DIAG_SQLSTATE));
		srv_log("%s %s failed: %s", tag(tx), commit ? "commit" : "rollback",
			PQresultErrorMessage(res));
	}
	PQclear(res);
	return ok && commit ? 0 : (commit ? -1 : 0);
}

void db_num_param(char *buf, size_t len, double v)
{
	/* numeric(10,2) columns round to hundredths */
	snprintf(buf, len, "%.6f", v);
}

const char *db_str(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

char *db_dup(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

int db_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col);
}

int db_bool(const PGresult *res, int row, int col)
{
	return !PQgetisnull(res, row, col) && PQgetvalue(res, row, col)[0] == 't';
}

long db_long(const PGresult *res, int row, int col)
{
	return atol(PQgetvalue(res, row, col));
}

long long db_llong(const PGresult *res, int row, int col)
{
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

double db_double(const PGresult *res, int row, int col)
{
	return strtod(PQgetvalue(res, row, col), NULL);
}
