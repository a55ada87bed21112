/*
 * The context of one edu(1) run: which profile, which server, how to print, and the API
 * client. The profile, the server and the session are settled as in every client
 * (shared/client.h); what is edu(1)'s own is the output, and its words for a failure.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "creds.h"
#include "edu.h"
#include "xalloc.h"

enum edu_err edu_ctx_init(struct edu_ctx *ctx, const struct edu_cmd *cmd)
{
	struct edu_errinfo ei = { 0 };
	struct edu_client cl;
	enum edu_err err;

	memset(ctx, 0, sizeof(*ctx));
	ctx->cmd = cmd;
	ctx->out.fp = stdout;
	ctx->out.json = edu_global_vals[GOPT_JSON].set > 0;
	ctx->out.csv = edu_global_vals[GOPT_CSV].set > 0;
	ctx->out.quiet = edu_global_vals[GOPT_QUIET].set > 0;
	err = edu_client_init(&cl, edu_global_vals[GOPT_PROFILE].set ?
			      edu_global_vals[GOPT_PROFILE].str : NULL,
			      edu_global_vals[GOPT_SERVER].set ?
			      edu_global_vals[GOPT_SERVER].str : NULL, &ei);
	/* what was settled is the context's, to release with it, even after a failure */
	ctx->cfg = cl.cfg;
	ctx->profile = cl.profile;
	ctx->server = cl.server;
	ctx->env_token = cl.env_token;
	ctx->creds_path = cl.creds_path;
	if (err == EDU_ERR_USAGE && !ctx->profile)
		return edu_usage(cmd, "%s", ei.message);
	if (err)
		return edu_report(err, &ei);
	ctx->out.color = edu_color_wanted(edu_ctx_get(ctx, "color"),
					  edu_global_vals[GOPT_NO_COLOR].set, stdout);
	return EDU_ERR_OK;
}

void edu_ctx_release(struct edu_ctx *ctx)
{
	for (int i = 0; i < CMD_MAX_ARGS; i++)
		free(ctx->id[i]);
	edu_api_free(ctx->api);
	edu_clientcfg_release(&ctx->cfg);
	free(ctx->profile);
	free(ctx->server);
	free(ctx->creds_path);
	memset(ctx, 0, sizeof(*ctx));
}

const char *edu_ctx_get(const struct edu_ctx *ctx, const char *key)
{
	return ctx->profile ? edu_clientcfg_get(&ctx->cfg, ctx->profile, key) : NULL;
}

static enum edu_err no_server(const struct edu_ctx *ctx)
{
	edu_error("no server for profile '%s': run 'edu login --server URL' or set EDU_SERVER",
		  ctx->profile);
	return EDU_ERR_USAGE;
}

enum edu_err edu_ctx_api(struct edu_ctx *ctx, int need_login)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;

	if (!ctx->api) {
		if (!ctx->server)
			return no_server(ctx);
		ctx->api = edu_client_open(ctx->server, edu_ctx_get(ctx, "ca_file"),
					   ctx->env_token, ctx->creds_path);
	}
	if (need_login) {
		err = edu_api_load_session(ctx->api, &ei);
		if (err)
			return edu_report(err, &ei);
	}
	return EDU_ERR_OK;
}

enum edu_err edu_ctx_session_api(struct edu_ctx *ctx)
{
	struct edu_errinfo ei = { 0 };
	struct edu_creds creds = { 0 };
	enum edu_err err;

	err = edu_creds_load(&creds, ctx->creds_path, &ei);
	if (err == EDU_ERR_AUTH)
		return EDU_ERR_OK;	/* no session: nothing to talk to */
	if (err)
		return edu_report(err, &ei);
	/* the session's own server, whatever the profile or EDU_SERVER say now */
	if (creds.server) {
		free(ctx->server);
		ctx->server = xstrdup(creds.server);
	}
	edu_creds_release(&creds);
	if (!ctx->server)
		return no_server(ctx);
	/* its own token, too: EDU_TOKEN is not the session that is ending */
	ctx->api = edu_api_new(ctx->server, edu_ctx_get(ctx, "ca_file"));
	edu_api_use_session(ctx->api, ctx->creds_path);
	return EDU_ERR_OK;
}
