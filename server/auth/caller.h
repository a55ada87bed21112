/*
 * Who is calling: the access or API token of a request checked against its route's
 * permission, which the HTTP glue asks before every non-public handler. A check answers
 * what is about the caller (401, 403); a database failure it returns, unanswered.
 */
#ifndef SRV_AUTH_CALLER_H
#define SRV_AUTH_CALLER_H

#include "core/req.h"

/* Returned when the database failed (db_sqlstate() says why): the caller answers. */
#define SRV_AUTH_DB_FAILED (-2)

/*
 * Checks the Authorization header against the route's permission, opens the request
 * transaction for the caller's school and fills r->caller. Returns 0, -1 after answering
 * (401, 403), or SRV_AUTH_DB_FAILED.
 */
int srv_authenticate(struct srv_req *r);
/*
 * The same in two halves, for a request that may wait for its caller's row without holding
 * its worker. srv_auth_begin() returns 0 or -1 as srv_authenticate() does, or 1 when the
 * request was suspended (srv_req_suspend) while the batcher reads the row: once resumed,
 * srv_auth_finish() (r->auth_wait is set) ends the check, 0, -1 after answering, or
 * SRV_AUTH_DB_FAILED. A
 * request that ends without srv_auth_finish() lets go of its wait with srv_auth_release().
 */
int srv_auth_begin(struct srv_req *r);
int srv_auth_finish(struct srv_req *r);
void srv_auth_release(struct srv_req *r);
/*
 * The thread that reads the callers' rows of the waiting requests, many in one round trip:
 * started before the HTTP workers, stopped (once every queued check is answered) before
 * them. When it does not run, srv_auth_begin() reads the row itself, as srv_authenticate().
 */
int srv_auth_start(void);
void srv_auth_stop(void);
/*
 * The caller's user row as srv_authenticate() read it (no query): for r only, NULL for any
 * other request or when r was not authenticated. Points into thread-local storage that the
 * next srv_authenticate() on this thread overwrites.
 */
const struct edu_user *srv_auth_user(const struct srv_req *r);

#endif
