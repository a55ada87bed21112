/*
 * `edu token create|list|revoke`: personal API tokens for scripts and cron (used through
 * EDU_TOKEN). A token's secret is shown once, when it is created.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "edu.h"
#include "list.h"
#include "model.h"
#include "tokens.h"
#include "users.h"

enum { TC_SCOPE, TC_EXPIRES, TC__N };
static const struct edu_opt create_opts[] = {
	[TC_SCOPE] = OPT_STRING(0, "scope", "SCOPE",
				"read (GET only, the default) or write"),
	[TC_EXPIRES] = OPT_INT(0, "expires-days", "N", "let the token expire after N days"),
	OPT_END
};

static int token_create(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	const char *scope = opts[TC_SCOPE].set ? opts[TC_SCOPE].str : "read";
	struct edu_errinfo ei = { 0 };
	struct edu_api_token tok;
	struct edu_api *api;
	enum edu_err err;
	cJSON *j = NULL;

	if (strcmp(scope, "read") && strcmp(scope, "write"))
		return edu_usage(ctx->cmd, "--scope must be read or write, not '%s'", scope);
	if (opts[TC_EXPIRES].set && opts[TC_EXPIRES].num <= 0)
		return edu_usage(ctx->cmd, "--expires-days must be at least 1");
	err = edu_ctx_api(ctx, 1, &api);
	if (err)
		return err;
	err = edu_tokens_create(api, argv[0], scope, opts[TC_EXPIRES].set ? opts[TC_EXPIRES].num : 0,
				&j, &ei);
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
	struct edu_api *api;
	enum edu_err err;
	cJSON *items = NULL;

	err = edu_ctx_api(ctx, 1, &api);
	if (err)
		return err;
	err = edu_tokens_list(api, &items, &ei);
	if (err)
		return edu_report(err, &ei);
	return edu_list_print(ctx, items, &list);
}

static int token_revoke(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	struct edu_api *api;
	enum edu_err err;

	err = edu_ctx_api(ctx, 1, &api);
	if (err)
		return err;
	err = edu_tokens_revoke(api, argv[0], &ei);
	if (err)
		return edu_report(err, &ei);
	edu_info(ctx, "revoked token %s", argv[0]);
	return EDU_ERR_OK;
}

const struct edu_cmd edu_cmd_token[] = {
	{ "create", "NAME", "create a personal API token and print it", token_create,
	  create_opts, NULL, CMD_NEEDS_LOGIN,
	  "The token is printed alone on standard output and shown only this once; give it to "
	  "a script as EDU_TOKEN. A read token may only read." },
	{ "list", NULL, "list your API tokens", token_list, NULL, NULL,
	  CMD_NEEDS_LOGIN | CMD_TABLE, NULL },
	{ "revoke", "ID", "revoke an API token", token_revoke, NULL, NULL, CMD_NEEDS_LOGIN,
	  NULL },
	CMD_END
};
