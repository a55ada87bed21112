/*
 * Operations endpoints: /health (the process answers), /ready (the database answers and
 * every migration is applied) and /metrics (Prometheus text format).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/req.h"
#include "core/route.h"
#include "db/db.h"
#include "db/migrate.h"
#include "xalloc.h"

static void health(struct srv_req *r)
{
	static const char ok[] = "{\"status\":\"ok\"}";

	srv_reply_raw(r, 200, "application/json", ok, sizeof(ok) - 1);
}

static void metrics(struct srv_req *r)
{
	struct edu_buf b = EDU_BUF_INIT;

	srv_metrics_text(&b);
	srv_reply_raw(r, 200, "text/plain; version=0.0.4", b.data, b.len);
	edu_buf_release(&b);
}

enum { READY_VERSION };
static const struct db_stmt q_ready = DB_STMT("health_ready", 0,
	"SELECT coalesce(max(version), 0) FROM schema_migrations");

static void ready(struct srv_req *r)
{
	PGresult *res = db_exec(r->tx, &q_ready, NULL);
	int have, want = srv_migrate_expected();

	if (!res) {
		srv_reply_error(r, SRV_ERR_UNAVAILABLE, NULL, "the database is unavailable");
		return;
	}
	have = (int)db_long(res, 0, READY_VERSION);
	PQclear(res);
	if (have < want) {
		srv_reply_error(r, SRV_ERR_UNAVAILABLE, NULL,
				"migrations pending: schema at %d, this edud needs %d", have, want);
		return;
	}
	srv_reply_raw(r, 200, "application/json", "{\"status\":\"ready\"}", 18);
}

const struct srv_route srv_health_routes[] = {
	SRV_ROUTE("GET", "/health", health, SRV_PERM_PUBLIC, 0, NULL),
	SRV_ROUTE("GET", "/ready", ready, SRV_PERM_PUBLIC, 0, NULL),
	SRV_ROUTE("GET", "/metrics", metrics, SRV_PERM_PUBLIC, 0, NULL),
	SRV_ROUTES_END
};
