/*
 * The counters behind /metrics (see metrics.h): per route, a count by status class and a
 * latency histogram; and a few gauges and counters of the whole server.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/route.h"
#include "xalloc.h"

static const double buckets[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
				  2.5 };
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))
#define NCLASSES 5	/* 1xx..5xx */

struct route_stats {
	uint64_t status[NCLASSES];
	uint64_t bucket[NBUCKETS + 1];	/* the last one is +Inf */
	uint64_t sum_us;
	uint64_t count;
};

static struct route_stats *stats;	/* [route count + 1]: the last is "no route" */
static int nstats;
static int64_t db_conns;
static uint64_t auth_batches, auth_checks;
static int64_t conns;
static uint64_t conns_refused, conns_timed_out;

void srv_metrics_init(void)
{
	if (stats)
		return;
	nstats = srv_route_count() + 1;
	stats = xcalloc((size_t)nstats, sizeof(*stats));
}

void srv_metrics_observe(int route, int status, double seconds)
{
	struct route_stats *s;
	size_t b;

	if (!stats)
		return;
	s = &stats[route >= 0 && route < nstats - 1 ? route : nstats - 1];
	if (status >= 100 && status < 600)
		__atomic_fetch_add(&s->status[status / 100 - 1], 1, __ATOMIC_RELAXED);
	for (b = 0; b < NBUCKETS && seconds > buckets[b]; b++)
		;
	__atomic_fetch_add(&s->bucket[b], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->sum_us, (uint64_t)(seconds * 1e6), __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->count, 1, __ATOMIC_RELAXED);
}

void srv_metrics_db_conn(int delta)
{
	__atomic_fetch_add(&db_conns, delta, __ATOMIC_RELAXED);
}

void srv_metrics_conn(int delta)
{
	__atomic_fetch_add(&conns, delta, __ATOMIC_RELAXED);
}

void srv_metrics_conn_refused(void)
{
	__atomic_fetch_add(&conns_refused, 1, __ATOMIC_RELAXED);
}

void srv_metrics_conn_timed_out(void)
{
	__atomic_fetch_add(&conns_timed_out, 1, __ATOMIC_RELAXED);
}

void srv_metrics_auth_batch(int checks)
{
	__atomic_fetch_add(&auth_batches, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&auth_checks, (uint64_t)checks, __ATOMIC_RELAXED);
}

struct metrics_walk {
	struct edu_buf *b;
	int i;
};

static void route_metrics(const struct srv_route *rt, void *arg)
{
	struct metrics_walk *w = arg;
	struct route_stats *s = &stats[w->i++];
	char labels[512], path[256];
	uint64_t cum = 0;

	snprintf(labels, sizeof(labels), "method=\"%s\",route=\"%s\"", rt ? rt->method : "",
		 rt ? srv_route_path(rt, path, sizeof(path)) : "none");
	for (int c = 0; c < NCLASSES; c++) {
		uint64_t n = __atomic_load_n(&s->status[c], __ATOMIC_RELAXED);
		if (n)
			edu_buf_printf(w->b, "edud_http_requests_total{%s,code=\"%dxx\"} %llu\n",
				       labels, c + 1, (unsigned long long)n);
	}
	if (!__atomic_load_n(&s->count, __ATOMIC_RELAXED))
		return;
	for (size_t b = 0; b <= NBUCKETS; b++) {
		cum += __atomic_load_n(&s->bucket[b], __ATOMIC_RELAXED);
		if (b < NBUCKETS)
			edu_buf_printf(w->b, "edud_http_request_duration_seconds_bucket{%s,le=\"%g\"} %llu\n",
				       labels, buckets[b], (unsigned long long)cum);
		else
			edu_buf_printf(w->b, "edud_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n",
				       labels, (unsigned long long)cum);
	}
	edu_buf_printf(w->b, "edud_http_request_duration_seconds_sum{%s} %.6f\n", labels,
		       (double)__atomic_load_n(&s->sum_us, __ATOMIC_RELAXED) / 1e6);
	edu_buf_printf(w->b, "edud_http_request_duration_seconds_count{%s} %llu\n", labels,
		       (unsigned long long)__atomic_load_n(&s->count, __ATOMIC_RELAXED));
}

void srv_metrics_text(struct edu_buf *out)
{
	struct edu_buf *b = out;
	struct metrics_walk w = { out, 0 };

	edu_buf_adds(b, "# HELP edud_http_requests_total HTTP requests by route and status class.\n"
			 "# TYPE edud_http_requests_total counter\n"
			 "# HELP edud_http_request_duration_seconds Time to answer, by route.\n"
			 "# TYPE edud_http_request_duration_seconds histogram\n");
	srv_route_each(route_metrics, &w);
	route_metrics(NULL, &w);
	edu_buf_printf(b, "# HELP edud_db_connections Open database connections.\n"
			   "# TYPE edud_db_connections gauge\n"
			   "edud_db_connections %lld\n"
			   "# HELP edud_auth_batches_total Round trips that read the rows of "
			   "waiting token checks.\n"
			   "# TYPE edud_auth_batches_total counter\n"
			   "edud_auth_batches_total %llu\n"
			   "# HELP edud_auth_batched_checks_total Token checks answered by those "
			   "round trips.\n"
			   "# TYPE edud_auth_batched_checks_total counter\n"
			   "edud_auth_batched_checks_total %llu\n"
			   "# HELP edud_event_streams Open event streams.\n"
			   "# TYPE edud_event_streams gauge\n"
			   "edud_event_streams 0\n"
			   "# HELP edud_connections Open HTTP connections.\n"
			   "# TYPE edud_connections gauge\n"
			   "edud_connections %lld\n"
			   "# HELP edud_connections_refused_total Connections closed at once: their "
			   "address had max_connections_per_address open.\n"
			   "# TYPE edud_connections_refused_total counter\n"
			   "edud_connections_refused_total %llu\n"
			   "# HELP edud_connections_timed_out_total Connections closed because a "
			   "request's header took longer than header_timeout.\n"
			   "# TYPE edud_connections_timed_out_total counter\n"
			   "edud_connections_timed_out_total %llu\n",
		       (long long)__atomic_load_n(&db_conns, __ATOMIC_RELAXED),
		       (unsigned long long)__atomic_load_n(&auth_batches, __ATOMIC_RELAXED),
		       (unsigned long long)__atomic_load_n(&auth_checks, __ATOMIC_RELAXED),
		       (long long)__atomic_load_n(&conns, __ATOMIC_RELAXED),
		       (unsigned long long)__atomic_load_n(&conns_refused, __ATOMIC_RELAXED),
		       (unsigned long long)__atomic_load_n(&conns_timed_out, __ATOMIC_RELAXED));
}

