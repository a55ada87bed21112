/*
 * A request's statements and their failures: the request transaction (its struct db_tx,
 * r->tx) begun with the caller as its tenant, statements run in it, and a failure answered
 * as the client should see it. The database layer answers nothing; this is where its
 * failures become answers.
 */
#ifndef SRV_KIT_QUERY_H
#define SRV_KIT_QUERY_H

#include <libpq-fe.h>

#include "core/req.h"
#include "db/db.h"

/*
 * db_exec in the request's transaction, and on failure the request is answered too
 * (srv_reply_db_error) before NULL comes back: for the many callers that have nothing else
 * to do then. Those that must look at the failure first (a unique violation is their own
 * 409) or clean up before answering call db_exec(r->tx, ...).
 */
PGresult *srv_exec(struct srv_req *r, const struct db_stmt *st, const char *const *params);
/*
 * Answers for a failed statement: 409 for a unique violation or a concurrent change, 503
 * when the database is gone, 404 when row-level security refused, 400 for a malformed
 * value, 422 for a broken rule, 500 otherwise (the libpq text goes to the log, never to
 * the client).
 */
void srv_reply_db_error(struct srv_req *r);
/*
 * The same, except that a unique violation (the thing exists already) is 409 "conflict"
 * naming field (NULL: none) with the message fmt gives.
 */
void srv_reply_db_conflict(struct srv_req *r, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The request transaction, for school_id (NULL: no tenant) with the caller as app.user_id
 * and app.role: begun, or its tenant switched when it is begun already (a super_admin
 * acting in another school). 0, or -1 after answering (503, or the failure of the switch).
 */
int srv_tx_begin(struct srv_req *r, const char *school_id);
int srv_tx_set_school(struct srv_req *r, const char *school_id);
/* Commits (commit != 0) or rolls back; 0, or -1 when the commit failed (not answered). */
int srv_tx_end(struct srv_req *r, int commit);

#endif
