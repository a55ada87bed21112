/*
 * The HTTP glue (libmicrohttpd): reads each request's body (capped at max_body), parses
 * JSON, asks core/route.c for the route, checks the caller (auth/caller.c), replays or
 * keeps a POST's answer (kit/idempotency.c), calls the handler, commits or rolls back the
 * request transaction (db/db.h), logs one line and sends the answer. A handler never parses
 * auth, never opens its own tenant transaction (except the public auth routes, through
 * srv_tx_begin) and always answers exactly once with a srv_reply_* (core/req.h).
 */
#ifndef SRV_HTTP_H
#define SRV_HTTP_H

/* Starts and stops the HTTP daemon (config from srv_cfg). */
int srv_http_start(void);
void srv_http_stop(void);
/* The port really bound (after listen port 0). */
unsigned srv_http_port(void);

#endif
