/*
 * `edu token create|list|revoke`: personal API tokens for scripts and cron (used through
 * EDU_TOKEN). A token's secret is shown once, when it is created.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "edu.h"
#include "list.h"
#include "tokens.h"
#include "values.h"

enum { TC_SCOPE, TC_EXPIRES, TC__N };
static const struct edu_opt create_opts[] = {
	[TC_SCOPE] = OPT_CHOICE(0, "scope", "SCOPE", &edu_values_scope,
				"what the token may do; the default, read, allows GET only"),
	[TC_EXPIRES] = OPT_INT(0, "expires-days", "N", "let the token expire after N days"),
	OPT_END
};

static int token_create(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	const char *scope = opts[TC_SCOPE].set ? opts[TC_SCOPE].str : edu_token_scopes[0];
	struct edu_errinfo ei = { 0 };
	struct edu_api_token tok;
	enum edu_err err;
	cJSON *j = NULL;

	if (opts[TC_EXPIRES].set && opts[TC_EXPIRES].num <= 0)
		return edu_usage(ctx->cmd, "--expires-days must be at least 1");
	err = edu_tokens_create(ctx->api, argv[0], scope,
				opts[TC_EXPIRES].set ? opts[TC_EXPIRES].num : 0, &j, &ei);
	if (err)
		return edu_report(err, &ei);
	if (ctx->out.json) {
		edu_out_json(&ctx->out, j);
	} else if (edu_api_token_from_json(&tok, j) || !tok.token) {
		err = edu_report(EDU_ERR_SERVER, NULL);
		edu_api_token_release(&tok);
	} else {
		/* the secret alone on stdout, so TOKEN=$(edu token create NAME) works */
		edu_line("%s", tok.token);
		if (!ctx->out.quiet)
			edu_error("created token '%s' (%s, %s%s); it is shown only this once",
				  tok.name ? tok.name : argv[0], tok.scope ? tok.scope : scope,
				  tok.expires_at ? "expires " : "never expires",
				  tok.expires_at ? tok.expires_at : "");
		edu_api_token_release(&tok);
	}
	cJSON_Delete(j);
	return err;
}

static void token_row(struct edu_table *t, const cJSON *item, void *arg)
{
	struct edu_api_token tok;

	if (edu_api_token_from_json(&tok, item))
		return;
	const char *row[6] = { tok.id, tok.name, tok.scope, tok.created_at,
			       tok.expires_at ? tok.expires_at : "never",
			       tok.last_used_at ? tok.last_used_at : "never" };
	edu_table_add(t, row);
	edu_api_token_release(&tok);
}

static int token_list(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	static const char *const head[] = { "ID", "NAME", "SCOPE", "CREATED", "EXPIRES",
					    "LAST USED" };
	static const struct edu_list list = { .ncols = 6, .head = head, .row = token_row };
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	cJSON *items = NULL;

	err = edu_tokens_list(ctx->api, &items, &ei);
	if (err)
		return edu_report(err, &ei);
	return edu_list_print(ctx, items, &list);
}

static int token_revoke(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;

	err = edu_tokens_revoke(ctx->api, argv[0], &ei);
	if (err)
		return edu_report(err, &ei);
	edu_info(ctx, "revoked token %s", argv[0]);
	return EDU_ERR_OK;
}

const struct edu_cmd edu_cmd_token[] = {
	{
		.name = "create",
		.args = "NAME",
		.summary = "create a personal API token and print it",
		.description =
			"The token is printed alone on standard output and shown only this "
			"once; give it to a script as EDU_TOKEN. A read token may only read.",
		.fn = token_create,
		.opts = create_opts,
		.flags = CMD_NEEDS_LOGIN,
	},
	{
		.name = "list",
		.summary = "list your API tokens",
		.fn = token_list,
		.flags = CMD_NEEDS_LOGIN | CMD_TABLE,
	},
	{
		.name = "revoke",
		.args = "ID",
		.summary = "revoke an API token",
		.fn = token_revoke,
		.flags = CMD_NEEDS_LOGIN,
	},
	CMD_END
};
