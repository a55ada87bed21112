/*
 * `edu admin school ...` and `edu admin user ...`: provisioning schools and accounts.
 * USER arguments are a user name or an id. Creating or resetting an account prints its
 * activation code, which the person uses once with `edu activate`.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "edu.h"
#include "list.h"
#include "model.h"
#include "schools.h"
#include "users.h"
#include "values.h"
#include "xalloc.h"

/* --- schools ------------------------------------------------------------------------ */

enum { SC_NAME, SC_ADMIN, SC_ADMIN_EMAIL, SC_ADMIN_NAME, SC__N };
static const struct edu_opt school_create_opts[] = {
	[SC_NAME] = OPT_STRING('n', "name", "NAME", "the school's full name"),
	[SC_ADMIN] = OPT_STRING('a', "admin", "USERNAME", "user name of its first school_admin"),
	[SC_ADMIN_EMAIL] = OPT_STRING(0, "admin-email", "EMAIL", "that admin's e-mail address"),
	[SC_ADMIN_NAME] = OPT_STRING(0, "admin-name", "NAME", "that admin's display name"),
	OPT_END
};

static int school_create(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_user_new admin = {
		.username = opts[SC_ADMIN].str,
		.email = opts[SC_ADMIN_EMAIL].str,
		.display_name = opts[SC_ADMIN_NAME].str,
	};
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	cJSON *j = NULL;
	const cJSON *a;
	const char *code;

	err = edu_schools_create(ctx->api, argv[0], opts[SC_NAME].str, &admin, &j, &ei);
	if (err)
		return edu_report(err, &ei);
	a = cJSON_GetObjectItemCaseSensitive(j, "admin");
	code = edu_json_str(a, "activation_code");
	if (ctx->out.json) {
		edu_out_json(&ctx->out, j);
	} else if (ctx->out.quiet) {
		if (code)
			edu_line("%s", code);
	} else {
		edu_line("created school %s (%s)", edu_json_str(j, "slug") ? edu_json_str(j, "slug")
			 : argv[0], edu_json_str(j, "name") ? edu_json_str(j, "name") : "");
		edu_line("admin %s activation code: %s", admin.username, code ? code : "(none)");
	}
	cJSON_Delete(j);
	return EDU_ERR_OK;
}

static void school_row(struct edu_table *t, const cJSON *item, void *arg)
{
	struct edu_school s;

	if (edu_school_from_json(&s, item))
		return;
	const char *row[4] = { s.slug, s.name, s.id, s.created_at };
	edu_table_add(t, row);
	edu_school_release(&s);
}

static int school_list(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	static const char *const head[] = { "SLUG", "NAME", "ID", "CREATED" };
	static const struct edu_list list = { .ncols = 4, .head = head, .row = school_row };
	struct edu_errinfo ei = { 0 };
	cJSON *items = NULL;
	enum edu_err err;

	err = edu_schools_list(ctx->api, &items, &ei);
	if (err)
		return edu_report(err, &ei);
	return edu_list_print(ctx, items, &list);
}

static const struct edu_cmd school_cmds[] = {
	{
		.name = "create",
		.args = "SLUG --name NAME --admin USERNAME",
		.summary = "create a school and its first admin",
		.description =
			"SLUG is the school's short name, which people give at login. The admin "
			"account is created with the school_admin role; its activation code is "
			"printed (alone with -q). Only a super_admin may create schools.",
		.fn = school_create,
		.opts = school_create_opts,
		.flags = CMD_NEEDS_LOGIN,
	},
	{
		.name = "list",
		.summary = "list schools",
		.description = "A super_admin sees every school; others see their own.",
		.fn = school_list,
		.flags = CMD_NEEDS_LOGIN | CMD_TABLE,
	},
	CMD_END
};

/* --- users -------------------------------------------------------------------------- */

/*
 * Every user subcommand takes --school, at an index that differs per table: the commands
 * on one user declare it as their scope (the school USER is looked for in), and read it
 * back by that name.
 */
#define SCHOOL_OPT OPT_STRING(0, "school", "SLUG", "act in school SLUG (super_admin only)")

static const char *opt_school(const struct edu_cmd *cmd, const struct edu_optval *vals)
{
	return edu_cmd_option(cmd, vals, cmd->scope);
}

static const char *user_status(const struct edu_user *u)
{
	if (u->disabled)
		return "disabled";
	return u->activated ? "active" : "not activated";
}

static void print_user(struct edu_ctx *ctx, const cJSON *j)
{
	struct edu_user u;
	char version[32];

	if (ctx->out.json) {
		edu_out_json(&ctx->out, j);
		return;
	}
	if (edu_user_from_json(&u, j)) {
		edu_error("the server's answer is not a user");
		return;
	}
	snprintf(version, sizeof(version), "%ld", u.version);
	const char *rows[][2] = {
		{ "user", u.username },
		{ "id", u.id },
		{ "name", u.display_name },
		{ "email", u.email },
		{ "role", u.role },
		{ "status", user_status(&u) },
		{ "created", u.created_at },
		{ "updated", u.updated_at },
		{ "version", version },
	};
	edu_fields_print(&ctx->out, rows, sizeof(rows) / sizeof(rows[0]));
	edu_user_release(&u);
}

enum { UC_ROLE, UC_EMAIL, UC_NAME, UC_SCHOOL, UC__N };
static const struct edu_opt user_create_opts[] = {
	[UC_ROLE] = OPT_CHOICE('r', "role", "ROLE", &edu_values_role, "the new user's role"),
	[UC_EMAIL] = OPT_STRING('e', "email", "EMAIL", "e-mail address"),
	[UC_NAME] = OPT_STRING('n', "name", "NAME", "display name"),
	[UC_SCHOOL] = SCHOOL_OPT,
	OPT_END
};

static int user_create(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_user_new nu = {
		.username = argv[0],
		.role = opts[UC_ROLE].str,
		.email = opts[UC_EMAIL].str,
		.display_name = opts[UC_NAME].str,
	};
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	const char *code;
	cJSON *j = NULL;

	err = edu_users_create(ctx->api, opts[UC_SCHOOL].str, &nu, &j, &ei);
	if (err)
		return edu_report(err, &ei);
	code = edu_json_str(j, "activation_code");
	if (ctx->out.json)
		edu_out_json(&ctx->out, j);
	else if (ctx->out.quiet)
		edu_line("%s", code ? code : "");
	else
		edu_line("created %s %s; activation code: %s", edu_json_str(j, "role") ?
			 edu_json_str(j, "role") : nu.role, edu_json_str(j, "username") ?
			 edu_json_str(j, "username") : nu.username, code ? code : "(none)");
	cJSON_Delete(j);
	return EDU_ERR_OK;
}

enum { UL_ROLE, UL_SEARCH, UL_SCHOOL, UL__N };
static const struct edu_opt user_list_opts[] = {
	[UL_ROLE] = OPT_CHOICE('r', "role", "ROLE", &edu_values_role, "only users with this role"),
	[UL_SEARCH] = OPT_STRING(0, "search", "TEXT", "only users whose name or e-mail has TEXT"),
	[UL_SCHOOL] = SCHOOL_OPT,
	OPT_END
};

static void user_row(struct edu_table *t, const cJSON *item, void *arg)
{
	struct edu_user u;

	if (edu_user_from_json(&u, item))
		return;
	const char *row[5] = { u.username, u.display_name, u.role, u.email, user_status(&u) };
	edu_table_add(t, row);
	edu_user_release(&u);
}

static int user_list(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	static const char *const head[] = { "USERNAME", "NAME", "ROLE", "EMAIL", "STATUS" };
	static const struct edu_list list = { .ncols = 5, .head = head, .row = user_row };
	struct edu_errinfo ei = { 0 };
	cJSON *items = NULL;
	enum edu_err err;

	err = edu_users_list(ctx->api, opts[UL_SCHOOL].str, opts[UL_ROLE].str,
			     opts[UL_SEARCH].str, &items, &ei);
	if (err)
		return edu_report(err, &ei);
	return edu_list_print(ctx, items, &list);
}

static const struct edu_opt school_only_opts[] = { SCHOOL_OPT, OPT_END };

static int user_show(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	cJSON *j = NULL;

	err = edu_users_get(ctx->api, opt_school(ctx->cmd, opts), ctx->id[0], &j, &ei);
	if (err)
		edu_report(err, &ei);
	else
		print_user(ctx, j);
	cJSON_Delete(j);
	return err;
}

/* PATCH one field of USER and print the result. */
static enum edu_err user_patch(struct edu_ctx *ctx, struct edu_optval *opts, const char *who,
			       cJSON *fields, const char *done)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	cJSON *j = NULL;

	err = edu_users_update(ctx->api, opt_school(ctx->cmd, opts), ctx->id[0], fields, &j,
			       &ei);
	if (err)
		edu_report(err, &ei);
	else if (ctx->out.json)
		edu_out_json(&ctx->out, j);
	else
		edu_info(ctx, "%s %s", done, edu_json_str(j, "username") ?
			 edu_json_str(j, "username") : who);
	cJSON_Delete(j);
	cJSON_Delete(fields);
	return err;
}

static int user_set_role(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	cJSON *f = cJSON_CreateObject();
	enum edu_err err;
	char *done;

	cJSON_AddStringToObject(f, "role", argv[1]);
	done = xasprintf("role %s given to", argv[1]);
	err = user_patch(ctx, opts, argv[0], f, done);
	free(done);
	return err;
}

static int user_disable(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	cJSON *f = cJSON_CreateObject();

	cJSON_AddBoolToObject(f, "disabled", 1);
	return user_patch(ctx, opts, argv[0], f, "disabled");
}

static int user_enable(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	cJSON *f = cJSON_CreateObject();

	cJSON_AddBoolToObject(f, "disabled", 0);
	return user_patch(ctx, opts, argv[0], f, "enabled");
}

static int user_reset(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	const char *code, *expires;
	cJSON *j = NULL;

	err = edu_users_reset(ctx->api, opt_school(ctx->cmd, opts), ctx->id[0], &j, &ei);
	if (err) {
		edu_report(err, &ei);
		goto out;
	}
	code = edu_json_str(j, "activation_code");
	expires = edu_json_str(j, "expires_at");
	if (ctx->out.json)
		edu_out_json(&ctx->out, j);
	else if (ctx->out.quiet)
		edu_line("%s", code ? code : "");
	else if (expires)
		edu_line("reset %s; activation code: %s (valid until %s)", argv[0],
			 code ? code : "(none)", expires);
	else
		edu_line("reset %s; activation code: %s", argv[0], code ? code : "(none)");
out:
	cJSON_Delete(j);
	return err;
}

static const struct edu_cmd user_cmds[] = {
	{
		.name = "create",
		.args = "USERNAME --role ROLE",
		.summary = "create a user and print the activation code",
		.description =
			"The person sets a password with 'edu activate' and the code (printed "
			"alone with -q). An admin may give the roles student, teacher and "
			"admin; a school_admin also school_admin.",
		.fn = user_create,
		.opts = user_create_opts,
		.flags = CMD_NEEDS_LOGIN,
	},
	{
		.name = "list",
		.summary = "list users (every page)",
		.fn = user_list,
		.opts = user_list_opts,
		.flags = CMD_NEEDS_LOGIN | CMD_TABLE,
	},
	{
		.name = "show",
		.args = "USER",
		.summary = "show a user",
		.description = "USER is a user name or an id.",
		.fn = user_show,
		.opts = school_only_opts,
		.flags = CMD_NEEDS_LOGIN | CMD_TABLE,
		.targets = { EDU_TARGET_USER },
		.scope = "school",
	},
	{
		.name = "set-role",
		.args = "USER ROLE",
		.summary = "change a user's role",
		.fn = user_set_role,
		.opts = school_only_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_USER },
		.scope = "school",
		.arg_values = { NULL, &edu_values_role },
	},
	{
		.name = "disable",
		.args = "USER",
		.summary = "stop a user from logging in",
		.description = "Their sessions end at once.",
		.fn = user_disable,
		.opts = school_only_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_USER },
		.scope = "school",
	},
	{
		.name = "enable",
		.args = "USER",
		.summary = "let a disabled user log in again",
		.fn = user_enable,
		.opts = school_only_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_USER },
		.scope = "school",
	},
	{
		.name = "reset",
		.args = "USER",
		.summary = "clear a user's password and print a new activation code",
		.description =
			"The user's sessions end; they choose a new password with 'edu "
			"activate'.",
		.fn = user_reset,
		.opts = school_only_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_USER },
		.scope = "school",
	},
	CMD_END
};

const struct edu_cmd edu_cmd_admin[] = {
	{
		.name = "school",
		.summary = "create and list schools",
		.subs = school_cmds,
	},
	{
		.name = "user",
		.summary = "create, list and change user accounts",
		.subs = user_cmds,
	},
	CMD_END
};
