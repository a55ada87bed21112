/*
 * Idempotency-Key on POST: a retried request gets the first answer back and changes nothing.
 *
 * http.c calls srv_idem_begin() after authentication and before the handler, and
 * srv_idem_finish() after the handler, before the request transaction ends. Everything
 * happens in that transaction: the key's advisory lock, the look-up and, when the handler
 * answered 2xx, the row with the stored answer, so the row exists if and only if the effect
 * committed. Only authenticated POST routes take part, but for those whose answer holds a
 * secret (SRV_ROUTE_SECRET_ANSWER); the header is ignored elsewhere (docs/api.md,
 * "Idempotency-Key").
 *
 * A streamed route (an upload) has no body in memory to compare: its end handler calls
 * srv_idem_begin_content() with the SHA-256 of the bytes it took, in the end's transaction
 * and before it records anything, and http.c calls srv_idem_finish() after it.
 */
#ifndef SRV_IDEMPOTENCY_H
#define SRV_IDEMPOTENCY_H

#include "core/req.h"

/* The request header, and the answer header that marks a replay. */
#define SRV_IDEM_HEADER "Idempotency-Key"
#define SRV_IDEM_REPLAYED "Idempotent-Replayed"

/*
 * Before the handler. Returns 0 when the handler is to run (no key, a route that does not
 * take part, or a key not seen within idempotency_ttl); 1 when the request was answered
 * instead: the stored answer replayed, 400 for a malformed key, 409 while another request
 * with the key is in flight, 422 when the key was used for another request, or a database
 * error.
 */
int srv_idem_begin(struct srv_req *r);
/*
 * srv_idem_begin for a streamed route, whose body is known by its SHA-256 (lower-case hex):
 * the request compared is the method, path, query and that SHA-256. Returns as
 * srv_idem_begin (0 for a route that is not streamed).
 */
int srv_idem_begin_content(struct srv_req *r, const char *sha256);
/* Nonzero when r carries a key and its route takes part (worth computing the SHA-256 early). */
int srv_idem_keyed(struct srv_req *r);
/*
 * After the handler, in its transaction: stores a 2xx answer with the key. If that fails,
 * the answer becomes the error and the transaction is rolled back with the effect.
 */
void srv_idem_finish(struct srv_req *r);

#endif
