/*
 * The profile, server and session a client uses (see client.h), settled once from the
 * flags, the environment (EDU_PROFILE, EDU_SERVER, EDU_TOKEN) and the configuration file,
 * strongest first.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "creds.h"
#include "xalloc.h"

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

enum edu_err edu_client_init(struct edu_client *c, const char *profile_flag,
			     const char *server_flag, struct edu_errinfo *ei)
{
	const char *profile, *server;
	enum edu_err err;
	char *path;

	memset(c, 0, sizeof(*c));
	edu_clientcfg_init(&c->cfg);
	path = edu_clientcfg_default_path();
	if (!path)
		return edu_err_set(ei, EDU_ERR_IO, "cannot tell where the configuration lives: "
				   "set HOME or XDG_CONFIG_HOME");
	err = edu_clientcfg_load(&c->cfg, path, ei);
	free(path);
	if (err)
		return err;

	if (profile_flag)
		profile = profile_flag;
	else if (env("EDU_PROFILE"))
		profile = env("EDU_PROFILE");
	else if (edu_clientcfg_current(&c->cfg))
		profile = edu_clientcfg_current(&c->cfg);
	else
		profile = EDU_PROFILE_DEFAULT;
	if (!edu_profile_name_valid(profile))
		return edu_err_set(ei, EDU_ERR_USAGE, "bad profile name '%s' (letters, digits, "
				   "'.', '_' and '-')", profile);
	c->profile = xstrdup(profile);

	if (server_flag)
		server = server_flag;
	else if (env("EDU_SERVER"))
		server = env("EDU_SERVER");
	else
		server = edu_clientcfg_get(&c->cfg, c->profile, "server");
	if (server) {
		err = edu_cc_check_value("server", server, ei);
		if (err)
			return err;
		c->server = xstrdup(server);
	}
	c->env_token = env("EDU_TOKEN");
	c->creds_path = edu_creds_path(c->profile);
	if (!c->creds_path)
		return edu_err_set(ei, EDU_ERR_IO, "cannot tell where sessions are kept: set "
				   "HOME or XDG_STATE_HOME");
	return EDU_ERR_OK;
}

void edu_client_release(struct edu_client *c)
{
	edu_clientcfg_release(&c->cfg);
	free(c->profile);
	free(c->server);
	free(c->creds_path);
	memset(c, 0, sizeof(*c));
}

const char *edu_client_get(const struct edu_client *c, const char *key)
{
	return c->profile ? edu_clientcfg_get(&c->cfg, c->profile, key) : NULL;
}

struct edu_api *edu_client_open(const char *server, const char *ca_file, const char *token,
				const char *creds_path)
{
	struct edu_api *api = edu_api_new(server, ca_file);

	if (token)
		edu_api_use_token(api, token);
	else
		edu_api_use_session(api, creds_path);
	return api;
}

struct edu_api *edu_client_api(const struct edu_client *c, const char *server)
{
	return edu_client_open(server ? server : c->server, edu_client_get(c, "ca_file"),
			       c->env_token, c->creds_path);
}
