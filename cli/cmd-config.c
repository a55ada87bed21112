/*
 * `edu config get|set|unset|list` (the settings of one profile) and `edu profile
 * list|use` (which profile is current). The file format is in shared/clientconfig.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "creds.h"
#include "edu.h"
#include "model/json.h"
#include "values.h"
#include "xalloc.h"

static enum edu_err save(struct edu_ctx *ctx)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err = edu_clientcfg_save(&ctx->cfg, &ei);

	return err ? edu_report(err, &ei) : EDU_ERR_OK;
}

static int config_get(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	const char *v = edu_ctx_get(ctx, argv[0]);

	if (!v) {
		if (!ctx->out.quiet)
			edu_error("'%s' is not set in profile '%s'", argv[0], ctx->profile);
		return EDU_ERR_NOT_FOUND;
	}
	if (ctx->out.json) {
		cJSON *j = cJSON_CreateString(v);

		edu_out_json(&ctx->out, j);
		cJSON_Delete(j);
	} else {
		printf("%s\n", v);
	}
	return EDU_ERR_OK;
}

static int config_set(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err = edu_cc_check_value(argv[0], argv[1], &ei);

	if (err)
		return edu_report(err, &ei);
	edu_clientcfg_set(&ctx->cfg, ctx->profile, argv[0], argv[1]);
	return save(ctx);
}

static int config_unset(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	if (!edu_ctx_get(ctx, argv[0]))
		return EDU_ERR_OK;
	edu_clientcfg_set(&ctx->cfg, ctx->profile, argv[0], NULL);
	return save(ctx);
}

static int config_list(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_table *t = edu_table_new(2, NULL);
	cJSON *j = cJSON_CreateObject();

	for (size_t i = 0; edu_cc_keys[i]; i++) {
		const char *v = edu_ctx_get(ctx, edu_cc_keys[i]);
		const char *row[2] = { edu_cc_keys[i], v };

		if (!v)
			continue;
		cJSON_AddStringToObject(j, edu_cc_keys[i], v);
		edu_table_add(t, row);
	}
	if (ctx->out.json)
		edu_out_json(&ctx->out, j);
	else
		edu_table_print(t, &ctx->out);
	cJSON_Delete(j);
	edu_table_free(t);
	return EDU_ERR_OK;
}

const struct edu_cmd edu_cmd_config[] = {
	{
		.name = "get",
		.args = "KEY",
		.summary = "print the value of a setting of the current profile",
		.description =
			"Exits with the not-found status when the key is not set; color is "
			"auto, always or never.",
		.fn = config_get,
		.arg_values = { &edu_values_config_key },
	},
	{
		.name = "set",
		.args = "KEY VALUE",
		.summary = "change a setting of the current profile",
		.description =
			"The profile (--profile chooses another) is created when it does not "
			"exist.",
		.fn = config_set,
		.arg_values = { &edu_values_config_key },
	},
	{
		.name = "unset",
		.args = "KEY",
		.summary = "remove a setting from the current profile",
		.fn = config_unset,
		.arg_values = { &edu_values_config_key },
	},
	{
		.name = "list",
		.summary = "print the settings of the current profile",
		.fn = config_list,
		.flags = CMD_TABLE,
	},
	CMD_END
};

static int profile_list(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	static const char *const head[] = { "", "PROFILE", "SERVER", "SCHOOL", "USER", "SESSION" };
	struct edu_table *t = edu_table_new(6, head);
	cJSON *list = cJSON_CreateArray();
	const char **names;
	size_t n, i;

	names = edu_clientcfg_profiles(&ctx->cfg, &n);
	/* the current profile may have no section yet */
	for (i = 0; i < n && strcmp(names[i], ctx->profile); i++)
		;
	if (i == n) {
		names = xrealloc(names, (n + 2) * sizeof(*names));
		names[n++] = ctx->profile;
		names[n] = NULL;
	}
	for (i = 0; i < n; i++) {
		const char *name = names[i], *row[6];
		struct edu_creds creds = { 0 };
		char *path = edu_creds_path(name);
		int current = !strcmp(name, ctx->profile);
		int logged_in = path && !edu_creds_load(&creds, path, NULL);
		cJSON *o = cJSON_CreateObject();

		row[0] = current ? "*" : "";
		row[1] = name;
		row[2] = edu_clientcfg_get(&ctx->cfg, name, "server");
		row[3] = edu_clientcfg_get(&ctx->cfg, name, "school");
		row[4] = edu_clientcfg_get(&ctx->cfg, name, "user");
		row[5] = logged_in ? (creds.username ? creds.username : "yes") : "";
		edu_table_add(t, row);
		cJSON_AddStringToObject(o, "name", name);
		cJSON_AddBoolToObject(o, "current", current);
		edu_json_add_str(o, "server", row[2]);
		edu_json_add_str(o, "school", row[3]);
		edu_json_add_str(o, "user", row[4]);
		cJSON_AddBoolToObject(o, "logged_in", logged_in);
		cJSON_AddItemToArray(list, o);
		edu_creds_release(&creds);
		free(path);
	}
	if (ctx->out.json)
		edu_out_json(&ctx->out, list);
	else
		edu_table_print(t, &ctx->out);
	cJSON_Delete(list);
	edu_table_free(t);
	free(names);
	return EDU_ERR_OK;
}

static int profile_use(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	if (!edu_clientcfg_has_profile(&ctx->cfg, argv[0])) {
		edu_error("no profile '%s'; create it with 'edu --profile %s login --server URL' "
			  "or 'edu --profile %s config set server URL'", argv[0], argv[0],
			  argv[0]);
		return EDU_ERR_NOT_FOUND;
	}
	edu_clientcfg_set(&ctx->cfg, NULL, "profile", argv[0]);
	return save(ctx);
}

const struct edu_cmd edu_cmd_profile[] = {
	{
		.name = "list",
		.summary = "list the profiles; * marks the current one",
		.fn = profile_list,
		.flags = CMD_TABLE,
	},
	{
		.name = "use",
		.args = "NAME",
		.summary = "make a profile the current one",
		.description = "EDU_PROFILE and --profile still choose another for one run.",
		.fn = profile_use,
		.arg_values = { &edu_values_profile },
	},
	CMD_END
};
