/*
 * Lists, a page at a time: ?limit and ?after checked, a statement run with them, and the
 * page answered with its Link header.
 */
#ifndef SRV_KIT_PAGE_H
#define SRV_KIT_PAGE_H

#include <cjson/cJSON.h>

#include "core/req.h"
#include "db/db.h"

struct pg_result;		/* libpq's PGresult */

/*
 * Lists, a page at a time. A list's statement orders its rows by a unique key, takes the
 * cursor (that key of the last row of the page before, or NULL for the first page) and the
 * page size as parameters, and asks for one row more than the page size
 * ("... LIMIT $5::int + 1"): that row, never shown, says that another page follows.
 *
 *	static cJSON *token_row(const PGresult *res, int row, void *ctx)
 *	{
 *		(void)ctx;
 *		return token_json(res, row, NULL);
 *	}
 *
 *	struct srv_page pg;
 *
 *	if (srv_page_start(r, &pg, SRV_CURSOR_UUID) < 0)
 *		return;
 *	srv_page_query(r, &pg, &q_token_list, (const char *[]){ r->caller.school_id,
 *		r->caller.user_id, pg.after, pg.limit_s }, 0, token_row, NULL);
 *
 * The cursor is checked before any query so that a malformed one is a 400, not a failed
 * cast in the statement (a 500).
 */
enum srv_cursor {
	SRV_CURSOR_TEXT,	/* any text (a lower-cased name the list is ordered by) */
	SRV_CURSOR_UUID,	/* a row id */
	SRV_CURSOR_INT,		/* a number of 1 to 9 digits: always an int */
	SRV_CURSOR_BIGINT,	/* a number of 1 to 18 digits: always a bigint */
};

struct srv_page {
	int limit;		/* ?limit: 1..200, 50 when absent */
	const char *after;	/* ?after, or NULL */
	char limit_s[16];	/* limit as the statement's parameter */
};

/*
 * Parses ?limit and ?after (at most 512 bytes, and of kind). 0, or -1 after answering 400
 * with the field "limit" or "after".
 */
int srv_page_start(struct srv_req *r, struct srv_page *pg, enum srv_cursor kind);
/*
 * The cursor check alone (0, or -1 after answering 400), for a list that checks other
 * query arguments between ?limit and ?after: srv_page_start with SRV_CURSOR_TEXT first,
 * then this with the cursor's real kind.
 */
int srv_page_cursor(struct srv_req *r, const struct srv_page *pg, enum srv_cursor kind);

/* One row of the page as JSON (a new object: the page owns it); ctx is the handler's. */
typedef cJSON *srv_page_row_fn(const struct pg_result *res, int row, void *ctx);

/*
 * Runs st with params and answers the page: the first pg->limit rows through row, and,
 * when there is one more, the next cursor, column cursor_col of the page's last row.
 * A failed statement is answered as srv_reply_db_error does.
 */
void srv_page_query(struct srv_req *r, const struct srv_page *pg, const struct db_stmt *st,
		    const char *const *params, int cursor_col, srv_page_row_fn *row, void *ctx);

/*
 * The parts of the above, for a list that builds its page otherwise. srv_page_args is
 * srv_page_start with SRV_CURSOR_TEXT. srv_reply_page answers 200
 * {"items": items, "next": next} with a Link header when next is not NULL.
 */
int srv_page_args(struct srv_req *r, int *limit, const char **after);
void srv_reply_page(struct srv_req *r, cJSON *items, const char *next);

#endif
