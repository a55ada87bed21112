/*
 * The router: every resource's route table, in the order they are matched. Each resource
 * (server/api/NAME.c) defines `const struct srv_route srv_NAME_routes[]`.
 *
 * To add a resource: one line in SRV_RESOURCES.
 */
#include "config.h"

#include "core/route.h"
#include "router.h"

#define SRV_RESOURCES(X) \
	X(health) \
	X(session) \
	X(user) \
	X(api_token) \
	X(school) \
	X(course) \
	X(lesson) \
	X(assignment) \
	X(rubric) \
	X(submission) \
	X(grade)

#define X(name) extern const struct srv_route srv_##name##_routes[];
SRV_RESOURCES(X)
#undef X

static const struct srv_route *const tables[] = {
#define X(name) srv_##name##_routes,
	SRV_RESOURCES(X)
#undef X
};

void srv_router_init(void)
{
	srv_route_tables_set(tables, sizeof(tables) / sizeof(tables[0]));
}
