/*
 * Route matching, segment by segment, over the router's tables. The table is small (tens of
 * routes), so a linear scan beats anything cleverer and stays obviously right.
 */
#include "config.h"

#include <string.h>

#include "core/route.h"

static const struct srv_route *const *route_tables;
static size_t ntables;

void srv_route_tables_set(const struct srv_route *const *tables, size_t n)
{
	route_tables = tables;
	ntables = n;
}

static const char *const perm_names[] = {
#define X(name, str, help) str,
	SRV_PERM_LIST(X)
#undef X
};

const char *srv_perm_name(enum srv_perm p)
{
	return perm_names[p];
}

/*
 * Matches path against pattern. Placeholders take one non-empty segment; the segment
 * texts are copied into scratch (NUL-terminated) and params point there.
 */
static int match(const char *pattern, const char *path, const char **params, int *nparams,
		 char *scratch, size_t scratch_len)
{
	const char *p = pattern, *s = path;
	size_t used = 0;
	int n = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			size_t len = strcspn(s, "/");

			if (!pe || len == 0 || n >= SRV_MAX_PARAMS || used + len + 1 > scratch_len)
				return 0;
			memcpy(scratch + used, s, len);
			scratch[used + len] = '\0';
			params[n++] = scratch + used;
			used += len + 1;
			p = pe + 1;
			s += len;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	if (*p || *s)
		return 0;
	*nparams = n;
	return 1;
}

const struct srv_route *srv_route_match(const char *method, const char *path,
					const char **params, int *nparams, char *scratch,
					size_t scratch_len, int *status)
{
	int path_known = 0;

	*nparams = 0;
	for (size_t t = 0; t < ntables; t++) {
		for (const struct srv_route *rt = route_tables[t]; rt->method; rt++) {
			if (!match(rt->pattern, path, params, nparams, scratch, scratch_len))
				continue;
			if (!strcmp(rt->method, method))
				return rt;
			path_known = 1;
		}
	}
	*nparams = 0;
	*status = path_known ? 405 : 404;
	return NULL;
}

void srv_route_each(void (*fn)(const struct srv_route *rt, void *arg), void *arg)
{
	for (size_t t = 0; t < ntables; t++)
		for (const struct srv_route *rt = route_tables[t]; rt->method; rt++)
			fn(rt, arg);
}

int srv_route_index(const struct srv_route *rt)
{
	int i = 0;

	for (size_t t = 0; t < ntables; t++)
		for (const struct srv_route *r = route_tables[t]; r->method; r++, i++)
			if (r == rt)
				return i;
	return -1;
}

int srv_route_count(void)
{
	int n = 0;

	for (size_t t = 0; t < ntables; t++)
		for (const struct srv_route *r = route_tables[t]; r->method; r++)
			n++;
	return n;
}
