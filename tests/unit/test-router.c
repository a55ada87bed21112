/* The route table and its matcher. */
#include "config.h"

#include <string.h>

#include "core/route.h"
#include "router.h"
#include "tap.h"

static const struct srv_route *find(const char *method, const char *path, const char **params,
				    int *nparams, int *status)
{
	static char scratch[256];

	return srv_route_match(method, path, params, nparams, scratch, sizeof(scratch), status);
}

static void test_literal(void)
{
	const char *params[SRV_MAX_PARAMS];
	int n = -1, status = 0;
	const struct srv_route *rt = find("GET", "/health", params, &n, &status);

	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	CU_ASSERT_STRING_EQUAL(rt->pattern, "/health");
	CU_ASSERT_EQUAL(n, 0);
}

#define UUID1 "0b7e2c1a-93f4-4d2b-8a61-5c0de3f9a7b2"
#define UUID2 "3c1d9e7f-0a2b-4c5d-8e6f-7a8b9c0d1e2f"

static void test_param(void)
{
	const char *params[SRV_MAX_PARAMS];
	char path[256];
	int n = 0, status = 0;
	const struct srv_route *rt = find("GET", "/api/v1/users/" UUID1, params, &n, &status);

	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	CU_ASSERT_STRING_EQUAL(rt->pattern, "/api/v1/users/{id:uuid}");
	CU_ASSERT_STRING_EQUAL(srv_route_path(rt, path, sizeof(path)), "/api/v1/users/{id}");
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(params[0], UUID1);
}

static void test_typed_param(void)
{
	const char *params[SRV_MAX_PARAMS];
	int n = 0, status = 0;
	const struct srv_route *rt;

	/* a malformed id matches no route: 404 before any handler runs, whatever the method */
	CU_ASSERT_PTR_NULL(find("GET", "/api/v1/users/abc-123", params, &n, &status));
	CU_ASSERT_EQUAL(status, 404);
	CU_ASSERT_PTR_NULL(find("PATCH", "/api/v1/courses/" UUID1 "x", params, &n, &status));
	CU_ASSERT_EQUAL(status, 404);
	CU_ASSERT_PTR_NULL(find("DELETE", "/api/v1/courses/" UUID1 "/members/me", params, &n,
				&status));
	CU_ASSERT_EQUAL(status, 404);
	/* two typed placeholders, both taken */
	rt = find("DELETE", "/api/v1/courses/" UUID1 "/members/" UUID2, params, &n, &status);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(params[0], UUID1);
	CU_ASSERT_STRING_EQUAL(params[1], UUID2);
	/* a well-formed id with another method is still 405 */
	CU_ASSERT_PTR_NULL(find("PUT", "/api/v1/courses/" UUID1, params, &n, &status));
	CU_ASSERT_EQUAL(status, 405);
}

static void test_literal_beats_nothing(void)
{
	const char *params[SRV_MAX_PARAMS];
	int n = 0, status = 0;
	const struct srv_route *rt = find("GET", "/api/v1/users/me", params, &n, &status);

	/* /users/me is its own route, listed before /users/{id} */
	CU_ASSERT_PTR_NOT_NULL_FATAL(rt);
	CU_ASSERT_STRING_EQUAL(rt->pattern, "/api/v1/users/me");
}

static void test_not_found(void)
{
	const char *params[SRV_MAX_PARAMS];
	int n = 0, status = 0;

	CU_ASSERT_PTR_NULL(find("GET", "/api/v1/nothing", params, &n, &status));
	CU_ASSERT_EQUAL(status, 404);
	CU_ASSERT_PTR_NULL(find("GET", "/api/v1/users/", params, &n, &status));
	CU_ASSERT_EQUAL(status, 404);
	CU_ASSERT_PTR_NULL(find("GET", "/api/v1/users/a/b/c/d", params, &n, &status));
	CU_ASSERT_EQUAL(status, 404);
	CU_ASSERT_PTR_NULL(find("GET", "/healthz", params, &n, &status));
	CU_ASSERT_EQUAL(status, 404);
	CU_ASSERT_PTR_NULL(find("GET", "", params, &n, &status));
	CU_ASSERT_EQUAL(status, 404);
}

static void test_method_not_allowed(void)
{
	const char *params[SRV_MAX_PARAMS];
	int n = 0, status = 0;

	CU_ASSERT_PTR_NULL(find("DELETE", "/health", params, &n, &status));
	CU_ASSERT_EQUAL(status, 405);
	CU_ASSERT_PTR_NULL(find("PATCH", "/api/v1/auth/login", params, &n, &status));
	CU_ASSERT_EQUAL(status, 405);
}

static void test_long_param_refused(void)
{
	const char *params[SRV_MAX_PARAMS];
	char path[600];
	int n = 0, status = 0;
	static char scratch[16];

	strcpy(path, "/api/v1/users/");
	memset(path + strlen(path), 'x', 400);
	path[14 + 400] = '\0';
	/* a segment longer than the scratch space matches nothing instead of overflowing */
	CU_ASSERT_PTR_NULL(srv_route_match("GET", path, params, &n, scratch, sizeof(scratch),
					   &status));
}

struct walk {
	int n, bad_handler, bad_pattern, dup, untyped;
	const struct srv_route *seen[256];
};

static void check_route(const struct srv_route *rt, void *arg)
{
	struct walk *w = arg;

	/* exactly one of a handler and stream callbacks with all four set */
	if (!rt->handler == !rt->stream ||
	    (rt->stream && (!rt->stream->begin || !rt->stream->data || !rt->stream->end ||
			    !rt->stream->abort)))
		w->bad_handler++;
	for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{'))
		if (strncmp(strchr(p, ':') ? strchr(p, ':') : "", ":uuid}", 6))
			w->untyped++;
	if (strncmp(rt->pattern, "/api/v1/", 8) && strcmp(rt->pattern, "/health") &&
	    strcmp(rt->pattern, "/ready") && strcmp(rt->pattern, "/metrics"))
		w->bad_pattern++;
	for (int i = 0; i < w->n && i < 256; i++)
		if (!strcmp(w->seen[i]->method, rt->method) &&
		    !strcmp(w->seen[i]->pattern, rt->pattern))
			w->dup++;
	if (w->n < 256)
		w->seen[w->n] = rt;
	w->n++;
}

static void test_table_sane(void)
{
	struct walk w = { 0 };

	srv_route_each(check_route, &w);
	CU_ASSERT(w.n > 10);
	CU_ASSERT_EQUAL(w.n, srv_route_count());
	CU_ASSERT_EQUAL(w.bad_handler, 0);
	CU_ASSERT_EQUAL(w.bad_pattern, 0);
	CU_ASSERT_EQUAL(w.dup, 0);
	/* every id in a path is a {name:uuid}: no handler checks one */
	CU_ASSERT_EQUAL(w.untyped, 0);
}

static void index_check(const struct srv_route *rt, void *arg)
{
	int *i = arg;

	CU_ASSERT_EQUAL(srv_route_index(rt), *i);
	(*i)++;
}

static void test_index(void)
{
	int i = 0;

	srv_route_each(index_check, &i);
	CU_ASSERT_EQUAL(srv_route_index(NULL), -1);
}

static void test_perm_names(void)
{
	CU_ASSERT_STRING_EQUAL(srv_perm_name(SRV_PERM_PUBLIC), "public");
	CU_ASSERT_STRING_EQUAL(srv_perm_name(SRV_PERM_SUPER), "super");
}

static CU_TestInfo router_tests[] = {
	{ "a literal path matches", test_literal },
	{ "a placeholder takes one segment", test_param },
	{ "a typed placeholder takes only a segment of its type", test_typed_param },
	{ "a literal route wins over a placeholder listed later", test_literal_beats_nothing },
	{ "unknown paths are 404", test_not_found },
	{ "known paths with another method are 405", test_method_not_allowed },
	{ "an oversized segment cannot overflow", test_long_param_refused },
	{ "every route has a handler or a stream, a known prefix and no twin", test_table_sane },
	{ "route indexes follow the table", test_index },
	{ "permission names", test_perm_names },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "router", NULL, NULL, NULL, NULL, router_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	srv_router_init();
	return tap_main(argc, argv, suites);
}
