/*
 * Counters for /metrics (Prometheus text format): requests by route and status, a latency
 * histogram by route, open database connections. Lock-free: every counter is an atomic add.
 */
#ifndef SRV_CORE_METRICS_H
#define SRV_CORE_METRICS_H

#include "buf.h"

/* Sizes the tables for the route table; call once before the daemon starts. */
void srv_metrics_init(void);
/* route: srv_route_index() of the matched route, or -1 for no route. */
void srv_metrics_observe(int route, int status, double seconds);
/* Database connections opened (+1) and closed (-1). */
void srv_metrics_db_conn(int delta);
/* Connections opened (+1) and closed (-1); refused per address; closed past header_timeout. */
void srv_metrics_conn(int delta);
void srv_metrics_conn_refused(void);
void srv_metrics_conn_timed_out(void);
/* One round trip of the token checks' batcher (auth.c), and how many checks it answered. */
void srv_metrics_auth_batch(int checks);

/* Every counter in Prometheus text format, appended to out (GET /metrics). */
void srv_metrics_text(struct edu_buf *out);

#endif
