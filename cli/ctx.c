/*
 * The context of one edu(1) run: which profile, which server, how to print, and the API
 * client, settled once from the flags, the environment (EDU_PROFILE, EDU_SERVER,
 * EDU_TOKEN) and the configuration file, strongest first.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "creds.h"
#include "edu.h"
#include "xalloc.h"

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

enum edu_err edu_ctx_init(struct edu_ctx *ctx, const struct edu_cmd *cmd)
{
	struct edu_errinfo ei = { 0 };
	const char *profile, *server;
	enum edu_err err;
	char *path;

	memset(ctx, 0, sizeof(*ctx));
	ctx->cmd = cmd;
	ctx->out.fp = stdout;
	ctx->out.json = edu_global_vals[GOPT_JSON].set > 0;
	ctx->out.csv = edu_global_vals[GOPT_CSV].set > 0;
	ctx->out.quiet = edu_global_vals[GOPT_QUIET].set > 0;
	edu_clientcfg_init(&ctx->cfg);

	path = edu_clientcfg_default_path();
	if (!path) {
		edu_error("cannot tell where the configuration lives: set HOME or XDG_CONFIG_HOME");
		return EDU_ERR_IO;
	}
	err = edu_clientcfg_load(&ctx->cfg, path, &ei);
	free(path);
	if (err)
		return edu_report(err, &ei);

	if (edu_global_vals[GOPT_PROFILE].set)
		profile = edu_global_vals[GOPT_PROFILE].str;
	else if (env("EDU_PROFILE"))
		profile = env("EDU_PROFILE");
	else if (edu_clientcfg_current(&ctx->cfg))
		profile = edu_clientcfg_current(&ctx->cfg);
	else
		profile = EDU_PROFILE_DEFAULT;
	if (!edu_profile_name_valid(profile))
		return edu_usage(cmd, "bad profile name '%s' (letters, digits, '.', '_' and '-')",
				 profile);
	ctx->profile = xstrdup(profile);

	if (edu_global_vals[GOPT_SERVER].set)
		server = edu_global_vals[GOPT_SERVER].str;
	else if (env("EDU_SERVER"))
		server = env("EDU_SERVER");
	else
		server = edu_clientcfg_get(&ctx->cfg, ctx->profile, "server");
	if (server) {
		err = edu_cc_check_value("server", server, &ei);
		if (err)
			return edu_report(err, &ei);
		ctx->server = xstrdup(server);
	}
	ctx->env_token = env("EDU_TOKEN");
	ctx->creds_path = edu_creds_path(ctx->profile);
	if (!ctx->creds_path) {
		edu_error("cannot tell where sessions are kept: set HOME or XDG_STATE_HOME");
		return EDU_ERR_IO;
	}
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
		ctx->api = edu_api_new(ctx->server, edu_ctx_get(ctx, "ca_file"));
		if (ctx->env_token)
			edu_api_use_token(ctx->api, ctx->env_token);
		else
			edu_api_use_session(ctx->api, ctx->creds_path);
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
