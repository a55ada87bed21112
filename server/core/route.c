/*
 * Route matching, segment by segment, over the router's tables. The table is small (tens of
 * routes), so a linear scan beats anything cleverer and stays obviously right.
 */
#include "config.h"

#include <string.h>

#include "core/route.h"
#include "core/text.h"

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

/* Whether seg (NUL-terminated) is of the placeholder's type, [type, end) of the pattern. */
static int of_type(const char *type, const char *end, const char *seg)
{
	size_t len = (size_t)(end - type);

	if (!len)
		return 1;
	if (len == 4 && !strncmp(type, "uuid", 4))
		return srv_is_uuid(seg);
	return 0;	/* a type this file does not know matches nothing (test-router checks) */
}

/*
 * Matches path against pattern. Placeholders take one non-empty segment of their type; the
 * segment texts are copied into scratch (NUL-terminated) and params point there.
 */
static int match(const char *pattern, const char *path, const char **params, int *nparams,
		 char *scratch, size_t scratch_len)
{
	const char *p = pattern, *s = path;
	size_t used = 0;
	int n = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}'), *colon;
			size_t len = strcspn(s, "/");

			if (!pe || len == 0 || n >= SRV_MAX_PARAMS || used + len + 1 > scratch_len)
				return 0;
			memcpy(scratch + used, s, len);
			scratch[used + len] = '\0';
			colon = memchr(p, ':', (size_t)(pe - p));
			if (!of_type(colon ? colon + 1 : pe, pe, scratch + used))
				return 0;
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

const char *srv_route_path(const struct srv_route *rt, char *buf, size_t len)
{
	const char *p = rt->pattern;
	size_t n = 0;
	int inside = 0;

	while (*p && n + 1 < len) {
		if (*p == '{' || *p == '}')
			inside = *p == '{';
		if (inside && *p == ':') {
			/* the type, up to the placeholder's end */
			while (*p && *p != '}')
				p++;
			continue;
		}
		buf[n++] = *p++;
	}
	buf[n] = '\0';
	return buf;
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
