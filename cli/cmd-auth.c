/*
 * Sessions: `edu login`, `logout`, `whoami`, `passwd` and `activate`. Their table lines
 * are in commands.c (they are top-level commands, not a family).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "creds.h"
#include "edu.h"
#include "list.h"
#include "model.h"
#include "prompt.h"
#include "users.h"
#include "xalloc.h"

enum { LOGIN_SCHOOL, LOGIN_USER, LOGIN_STDIN, LOGIN__N };
const struct edu_opt edu_opts_login[] = {
	[LOGIN_SCHOOL] = OPT_STRING('s', "school", "SLUG", "the school to log in to"),
	[LOGIN_USER] = OPT_STRING('u', "user", "USER", "your user name (or e-mail address)"),
	[LOGIN_STDIN] = OPT_BOOL(0, "password-stdin",
				 "read the password from the first line of standard input"),
	OPT_END
};

enum { LOGOUT_ALL, LOGOUT__N };
const struct edu_opt edu_opts_logout[] = {
	[LOGOUT_ALL] = OPT_BOOL(0, "all", "end every session of your account, everywhere"),
	OPT_END
};

enum { PASSWD_STDIN, PASSWD__N };
const struct edu_opt edu_opts_passwd[] = {
	[PASSWD_STDIN] = OPT_BOOL(0, "password-stdin",
				  "read the current and the new password, one a line, from "
				  "standard input"),
	OPT_END
};

enum { ACT_SCHOOL, ACT_USER, ACT_CODE, ACT_CODE_STDIN, ACT_STDIN, ACT__N };
const struct edu_opt edu_opts_activate[] = {
	[ACT_SCHOOL] = OPT_STRING('s', "school", "SLUG", "the school of the account"),
	[ACT_USER] = OPT_STRING('u', "user", "USER", "the account's user name"),
	[ACT_CODE] = OPT_STRING('c', "code", "CODE",
				"the activation code (others on the machine see it in ps: better "
				"let edu ask, or use --code-stdin)"),
	[ACT_CODE_STDIN] = OPT_BOOL(0, "code-stdin",
				    "read the activation code from the first line of standard "
				    "input"),
	[ACT_STDIN] = OPT_BOOL(0, "password-stdin",
			       "read the new password from standard input: its first line, or "
			       "the line after the code with --code-stdin"),
	OPT_END
};

/*
 * The value of an option, else an answer to a prompt offering the profile's value, else
 * (no terminal) the profile's value. Caller frees; NULL when there is none.
 */
static char *ask(const struct edu_ctx *ctx, const struct edu_optval *v, const char *question,
		 const char *key)
{
	const char *def = key ? edu_ctx_get(ctx, key) : NULL;
	char *s;

	if (v->set)
		return xstrdup(v->str);
	if (!edu_can_prompt())
		return def ? xstrdup(def) : NULL;
	s = edu_prompt(question, def);
	if (s && !*s) {
		free(s);
		s = NULL;
	}
	return s;
}

/* Asks for a new password twice on the terminal, or reads it from stdin. */
static char *new_password(int from_stdin)
{
	char *a, *b;

	if (from_stdin) {
		a = edu_read_stdin_line();
		if (!a || !*a) {
			edu_error("no new password on standard input");
			edu_secret_free(a);
			return NULL;
		}
		return a;
	}
	a = edu_prompt_password("new password");
	if (!a)
		return NULL;
	b = edu_prompt_password("new password again");
	if (!b) {
		edu_secret_free(a);
		return NULL;
	}
	if (strcmp(a, b)) {
		edu_error("the two new passwords differ; nothing changed");
		edu_secret_free(a);
		a = NULL;
	}
	edu_secret_free(b);
	return a;
}

/*
 * The start login and activate share: the school and the user name from the options or
 * prompts (*school, *user: caller frees); user_key is the profile key that offers a user
 * name, or NULL. A usage error when there is no user name.
 */
static enum edu_err ask_account(struct edu_ctx *ctx, const struct edu_optval *school_opt,
				const struct edu_optval *user_opt, const char *user_key,
				char **school, char **user)
{
	*school = ask(ctx, school_opt, "school", "school");
	*user = ask(ctx, user_opt, "user name", user_key);
	if (!*user)
		return edu_usage(ctx->cmd, "no user name: give one with --user");
	return EDU_ERR_OK;
}

/* Keeps server (when given with --server), school and user in the profile for next time. */
static void remember(struct edu_ctx *ctx, const char *school, const char *user)
{
	struct edu_errinfo ei = { 0 };
	int changed = 0;
	const struct { const char *key, *value; } kv[] = {
		{ "server", edu_global_vals[GOPT_SERVER].set ? ctx->server : NULL },
		{ "school", school },
		{ "user", user },
	};

	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
		const char *old = edu_ctx_get(ctx, kv[i].key);

		if (!kv[i].value || !*kv[i].value || (old && !strcmp(old, kv[i].value)))
			continue;
		edu_clientcfg_set(&ctx->cfg, ctx->profile, kv[i].key, kv[i].value);
		changed = 1;
	}
	if (changed && edu_clientcfg_save(&ctx->cfg, &ei))
		edu_error("logged in, but could not save the profile: %s", ei.message);
}

/* Stores a new session and says who is logged in. */
static enum edu_err start_session(struct edu_ctx *ctx, struct edu_creds *creds, cJSON *user,
				  const char *school, const char *login, const char *what)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;

	err = edu_creds_save(creds, ctx->creds_path, &ei);
	if (err)
		return edu_report(err, &ei);
	remember(ctx, school, strchr(login, '@') ? NULL : login);
	if (ctx->out.json && user) {
		edu_out_json(&ctx->out, user);
	} else {
		const char *name = edu_json_str(user, "username");
		const char *role = edu_json_str(user, "role");
		char *extra = xasprintf("%s%s%s%s", role ? role : "", role && school ? ", " : "",
					school ? "school " : "", school ? school : "");

		edu_info(ctx, "%s %s as %s%s%s%s", what, ctx->server, name ? name : login,
			 *extra ? " (" : "", extra, *extra ? ")" : "");
		free(extra);
	}
	return EDU_ERR_OK;
}

int edu_cmd_login(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_creds creds = { 0 };
	struct edu_errinfo ei = { 0 };
	char *school = NULL, *user = NULL, *password = NULL;
	cJSON *me = NULL;
	enum edu_err err;

	err = ask_account(ctx, &opts[LOGIN_SCHOOL], &opts[LOGIN_USER], "user", &school, &user);
	if (err)
		goto out;
	if (opts[LOGIN_STDIN].set) {
		password = edu_read_stdin_line();
		if (!password) {
			edu_error("no password on standard input");
			err = EDU_ERR_USAGE;
			goto out;
		}
	} else {
		password = edu_prompt_password("password");
		if (!password) {
			err = EDU_ERR_USAGE;
			goto out;
		}
	}
	err = edu_auth_login(ctx->api, school, user, password, &creds, &me, &ei);
	err = err ? edu_report(err, &ei) :
		start_session(ctx, &creds, me, school, user, "logged in to");
out:
	cJSON_Delete(me);
	edu_creds_release(&creds);
	edu_secret_free(password);
	free(school);
	free(user);
	return err;
}

int edu_cmd_logout(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 }, rm = { 0 };
	enum edu_err rmerr;
	struct edu_creds creds = { 0 };
	enum edu_err err;

	/* the dispatcher opened the session's own server with its own token (CMD_SESSION) */
	if (!ctx->api || edu_creds_load(&creds, ctx->creds_path, NULL)) {
		if (!ctx->out.quiet)
			edu_error("not logged in (profile '%s'); nothing to do", ctx->profile);
		return EDU_ERR_OK;
	}
	err = EDU_ERR_OK;
	if (opts[LOGOUT_ALL].set)
		err = edu_auth_logout_all(ctx->api, &ei);
	else if (creds.refresh_token)
		err = edu_auth_logout(ctx->api, creds.refresh_token, &ei);
	/* an already ended session is logged out all the same */
	if (err == EDU_ERR_AUTH || err == EDU_ERR_NOT_FOUND)
		err = EDU_ERR_OK;
	if (err) {
		edu_report(err, &ei);
		edu_error("the session is removed here, but the server could not be told; it "
			  "ends when it expires");
	}
	/* this machine forgets the session whatever the server said: on a shared machine
	 * that matters most */
	rmerr = edu_creds_remove(ctx->creds_path, &rm);
	if (rmerr) {
		edu_report(rmerr, &rm);
		if (!err)
			err = rmerr;
	}
	if (!err)
		edu_info(ctx, "logged out%s", opts[LOGOUT_ALL].set ? " everywhere" : "");
	edu_creds_release(&creds);
	return err;
}

int edu_cmd_whoami(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	struct edu_user u;
	enum edu_err err;
	cJSON *me = NULL;

	err = edu_users_me(ctx->api, &me, &ei);
	if (err)
		return edu_report(err, &ei);
	if (ctx->out.json) {
		edu_out_json(&ctx->out, me);
	} else if (edu_user_from_json(&u, me)) {
		err = edu_report(EDU_ERR_SERVER, NULL);
	} else {
		const struct edu_creds *s = edu_api_session(ctx->api);
		const char *school = s && s->school ? s->school : NULL;

		if (ctx->out.quiet && !ctx->out.csv) {
			edu_line("%s", u.username);
		} else {
			const char *rows[][2] = {
				{ "user", u.username },
				{ "name", u.display_name },
				{ "email", u.email },
				{ "role", u.role },
				{ "school", school },
				{ "server", ctx->server },
				{ "profile", ctx->env_token ? "(EDU_TOKEN)" : ctx->profile },
			};

			edu_fields_print(&ctx->out, rows, sizeof(rows) / sizeof(rows[0]));
		}
		edu_user_release(&u);
	}
	cJSON_Delete(me);
	return err;
}

int edu_cmd_passwd(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_creds creds = { 0 };
	struct edu_errinfo ei = { 0 };
	char *current = NULL, *fresh = NULL;
	enum edu_err err;

	if (opts[PASSWD_STDIN].set) {
		current = edu_read_stdin_line();
		fresh = current ? edu_read_stdin_line() : NULL;
		if (!fresh || !*fresh) {
			err = edu_usage(ctx->cmd, "--password-stdin needs two lines: the current "
					"password, then the new one");
			goto out;
		}
	} else {
		current = edu_prompt_password("current password");
		fresh = current ? new_password(0) : NULL;
		if (!fresh) {
			err = EDU_ERR_USAGE;
			goto out;
		}
	}
	err = edu_auth_change_password(ctx->api, current, fresh, &creds, &ei);
	if (err) {
		edu_report(err, &ei);
		goto out;
	}
	if (creds.access_token && !ctx->env_token) {
		/* this machine's session goes on with the one the server answered */
		err = edu_creds_save(&creds, ctx->creds_path, &ei);
		if (err) {
			edu_report(err, &ei);
			edu_error("the password is changed, but the new session could not be "
				  "stored; run 'edu login'");
			goto out;
		}
		edu_info(ctx, "password changed; your other sessions have ended");
	} else {
		edu_info(ctx, "password changed; your sessions have ended, run 'edu login'");
	}
out:
	edu_creds_release(&creds);
	edu_secret_free(current);
	edu_secret_free(fresh);
	return err;
}

int edu_cmd_activate(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_creds creds = { 0 };
	struct edu_errinfo ei = { 0 };
	char *school = NULL, *user = NULL, *code = NULL, *password = NULL;
	cJSON *me = NULL;
	enum edu_err err;

	if (opts[ACT_CODE].set && opts[ACT_CODE_STDIN].set)
		return edu_usage(ctx->cmd, "give --code or --code-stdin, not both");
	err = ask_account(ctx, &opts[ACT_SCHOOL], &opts[ACT_USER], NULL, &school, &user);
	if (err)
		goto out;
	/* a one-time code, not a secret to hide from the screen, but kept out of argv (ps) */
	if (opts[ACT_CODE_STDIN].set) {
		code = edu_read_stdin_line();
		if (code && !*code) {
			edu_secret_free(code);
			code = NULL;
		}
		if (!code) {
			err = edu_usage(ctx->cmd, "no activation code on standard input");
			goto out;
		}
	} else {
		code = ask(ctx, &opts[ACT_CODE], "activation code", NULL);
	}
	if (!code) {
		err = edu_usage(ctx->cmd, "no activation code: type it at the prompt (on a "
				"terminal) or give it with --code-stdin");
		goto out;
	}
	password = new_password(opts[ACT_STDIN].set);
	if (!password) {
		err = EDU_ERR_USAGE;
		goto out;
	}
	err = edu_auth_activate(ctx->api, school, user, code, password, &creds, &me, &ei);
	err = err ? edu_report(err, &ei) :
		start_session(ctx, &creds, me, school, user, "account activated; logged in to");
out:
	cJSON_Delete(me);
	edu_creds_release(&creds);
	edu_secret_free(password);
	edu_secret_free(code);
	free(school);
	free(user);
	return err;
}
