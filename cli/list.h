/*
 * The shape most commands that print a server's list share: the items as JSON for
 * --json, else a table of one row per item, or a line on stderr when there is none; with
 * -q (and no --csv), the whole id of each item in the table, one a line. A command gives
 * only what is its own: its columns and how one item becomes a row.
 *
 *	static void token_row(struct edu_table *t, const cJSON *item, void *arg)
 *	{
 *		struct edu_api_token tok;
 *
 *		if (edu_api_token_from_json(&tok, item))
 *			return;
 *		const char *row[2] = { tok.id, tok.name };
 *		edu_table_add(t, row);
 *		edu_api_token_release(&tok);
 *	}
 *	...
 *	static const struct edu_list list = { .ncols = 2, .head = head, .row = token_row };
 *	...
 *	err = edu_tokens_list(api, &items, &ei);
 *	if (err)
 *		return edu_report(err, &ei);
 *	return edu_list_print(ctx, items, &list);
 */
#ifndef EDU_CLI_LIST_H
#define EDU_CLI_LIST_H

#include "edu.h"

struct edu_list {
	int ncols;
	const char *const *head;	/* ncols column names */
	/*
	 * Adds the row (or rows) of item to t, or none to leave it out. The cells live where
	 * row keeps them (its stack) until edu_table_add returns, which copies them.
	 */
	void (*row)(struct edu_table *t, const cJSON *item, void *arg);
	void *arg;			/* given to row */
	/* with no row: "edu: EMPTY" on stderr unless -q; NULL: print the empty table */
	const char *empty;
};

/*
 * Prints items (a JSON array the server answered) as JSON for --json, else as l's table.
 * Takes items and frees it. Returns EDU_ERR_OK, for `return edu_list_print(...)`.
 */
enum edu_err edu_list_print(struct edu_ctx *ctx, cJSON *items, const struct edu_list *l);

/*
 * One object's fields as a "key  value" block on o (aligned, no header), leaving out the
 * rows whose value is NULL or empty:
 *
 *	const char *rows[][2] = { { "course", c.name }, { "id", c.id }, ... };
 *	edu_fields_print(&ctx->out, rows, sizeof(rows) / sizeof(rows[0]));
 */
void edu_fields_print(const struct edu_out *o, const char *const (*rows)[2], size_t n);

#endif
