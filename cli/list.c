/*
 * Printing a server's list as JSON or a table (list.h), once for every list command.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "list.h"
#include "safe.h"

/* 1 when every item has a string "id" (those of an empty list too) */
static int all_have_ids(const cJSON *items)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, items)
		if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(item, "id")))
			return 0;
	return 1;
}

/* Prints item's whole id on a line of its own. */
static void print_id(const struct edu_out *o, const cJSON *item)
{
	char *id = edu_safe_text(cJSON_GetObjectItemCaseSensitive(item, "id")->valuestring,
				 EDU_SAFE_ONELINE);

	fprintf(o->fp, "%s\n", id);
	free(id);
}

enum edu_err edu_list_print(struct edu_ctx *ctx, cJSON *items, const struct edu_list *l)
{
	struct edu_table *t;
	const cJSON *item;
	/* -q without --csv: the whole id of each item listed, one a line (for a script) */
	int ids = ctx->out.quiet && !ctx->out.csv && all_have_ids(items);

	if (ctx->out.json) {
		edu_out_json(&ctx->out, items);
		cJSON_Delete(items);
		return EDU_ERR_OK;
	}
	t = edu_table_new(l->ncols, l->head);
	cJSON_ArrayForEach(item, items) {
		int before = edu_table_rows(t);

		l->row(t, item, l->arg);
		/* what the command leaves out of its table is left out of the ids too */
		if (ids && edu_table_rows(t) > before)
			print_id(&ctx->out, item);
	}
	if (!ids && (edu_table_rows(t) || !l->empty))
		edu_table_print(t, &ctx->out);
	else if (!ctx->out.quiet)
		edu_error("%s", l->empty);
	edu_table_free(t);
	cJSON_Delete(items);
	return EDU_ERR_OK;
}

void edu_fields_print(const struct edu_out *o, const char *const (*rows)[2], size_t n)
{
	struct edu_table *t = edu_table_new(2, NULL);

	for (size_t i = 0; i < n; i++)
		if (rows[i][1] && *rows[i][1])
			edu_table_add(t, rows[i]);
	edu_table_print(t, o);
	edu_table_free(t);
}
