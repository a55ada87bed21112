/* Lists, a page at a time (see page.h). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/req.h"
#include "core/text.h"
#include "db/db.h"
#include "kit/page.h"
#include "kit/query.h"

int srv_page_args(struct srv_req *r, int *limit, const char **after)
{
	const char *l = srv_req_query(r, "limit");
	char *end;
	long v = 50;

	if (l) {
		v = strtol(l, &end, 10);
		if (!*l || *end || v < 1 || v > 200) {
			srv_reply_error(r, SRV_ERR_BAD_REQUEST, "limit",
					"'limit' must be a number from 1 to 200");
			return -1;
		}
	}
	*limit = (int)v;
	*after = srv_req_query(r, "after");
	if (*after && strlen(*after) > 512) {
		srv_reply_error(r, SRV_ERR_BAD_REQUEST, "after", "'after' is not a valid cursor");
		return -1;
	}
	return 0;
}

/* s is 1 to max decimal digits. */
static int is_digits(const char *s, size_t max)
{
	size_t len = strlen(s);

	return len >= 1 && len <= max && strspn(s, "0123456789") == len;
}

int srv_page_cursor(struct srv_req *r, const struct srv_page *pg, enum srv_cursor kind)
{
	const char *a = pg->after;
	int ok = 1;

	if (!a)
		return 0;
	switch (kind) {
	case SRV_CURSOR_TEXT:
		break;
	case SRV_CURSOR_UUID:
		ok = srv_is_uuid(a);
		break;
	case SRV_CURSOR_INT:
		ok = is_digits(a, 9);
		break;
	case SRV_CURSOR_BIGINT:
		ok = is_digits(a, 18);
		break;
	}
	if (!ok) {
		srv_reply_error(r, SRV_ERR_BAD_REQUEST, "after", "'after' is not a valid cursor");
		return -1;
	}
	return 0;
}

int srv_page_start(struct srv_req *r, struct srv_page *pg, enum srv_cursor kind)
{
	if (srv_page_args(r, &pg->limit, &pg->after) < 0)
		return -1;
	snprintf(pg->limit_s, sizeof(pg->limit_s), "%d", pg->limit);
	return srv_page_cursor(r, pg, kind);
}

static void url_encode(struct edu_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			edu_buf_addc(b, (char)c);
		else
			edu_buf_printf(b, "%%%02X", c);
	}
}

struct query_copy {
	struct edu_buf *b;
	int n;
};

static void copy_query(void *cls, const char *key, const char *value)
{
	struct query_copy *q = cls;

	if (!strcmp(key, "after"))
		return;
	edu_buf_addc(q->b, q->n++ ? '&' : '?');
	url_encode(q->b, key);
	if (value) {
		edu_buf_addc(q->b, '=');
		url_encode(q->b, value);
	}
}

void srv_reply_page(struct srv_req *r, cJSON *items, const char *next)
{
	cJSON *root = cJSON_CreateObject();

	cJSON_AddItemToObject(root, "items", items);
	edu_json_add_str(root, "next", next);
	if (next) {
		struct edu_buf link = EDU_BUF_INIT;
		struct query_copy q = { &link, 0 };

		edu_buf_addc(&link, '<');
		edu_buf_adds(&link, r->path);
		srv_req_each_query(r, copy_query, &q);
		edu_buf_adds(&link, q.n ? "&after=" : "?after=");
		url_encode(&link, next);
		edu_buf_adds(&link, ">; rel=\"next\"");
		srv_set_header(r, "Link", link.data);
		edu_buf_release(&link);
	}
	srv_reply_json(r, 200, root);
}

void srv_page_query(struct srv_req *r, const struct srv_page *pg, const struct db_stmt *st,
		    const char *const *params, int cursor_col, srv_page_row_fn *row, void *ctx)
{
	PGresult *res = srv_exec(r, st, params);
	const char *next = NULL;
	cJSON *items;
	int n;

	if (!res)
		return;
	n = PQntuples(res);
	items = cJSON_CreateArray();
	for (int i = 0; i < n && i < pg->limit; i++)
		cJSON_AddItemToArray(items, row(res, i, ctx));
	if (n > pg->limit)
		next = PQgetvalue(res, pg->limit - 1, cursor_col);
	/* next points into res: answer before clearing it */
	srv_reply_page(r, items, next);
	PQclear(res);
}
