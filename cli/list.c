/*
 * Printing a server's list as JSON or a table (list.h), once for every list command.
 */
#include "config.h"

#include "list.h"

enum edu_err edu_list_print(struct edu_ctx *ctx, cJSON *items, const struct edu_list *l)
{
	struct edu_table *t;
	const cJSON *item;

	if (ctx->out.json) {
		edu_out_json(&ctx->out, items);
		cJSON_Delete(items);
		return EDU_ERR_OK;
	}
	t = edu_table_new(l->ncols, l->head);
	cJSON_ArrayForEach(item, items)
		l->row(t, item, l->arg);
	if (edu_table_rows(t) || !l->empty)
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
