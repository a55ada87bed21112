/*
 * Values of options and arguments: the sets several families share, and checking a value
 * against a set (see opts.h, values.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clientconfig.h"
#include "edu.h"
#include "model/api_token.h"
#include "model/user.h"
#include "values.h"

static const char *const course_roles[] = { "student", "teacher", NULL };

const struct edu_values edu_values_role = { .what = "role", .words = edu_role_names };
const struct edu_values edu_values_course_role = { .what = "course role",
						   .words = course_roles };
const struct edu_values edu_values_scope = { .what = "scope", .words = edu_token_scopes };
const struct edu_values edu_values_config_key = { .what = "key", .words = edu_cc_keys };

/* The profiles of the configuration file, for completion. */
static void list_profiles(void (*add)(void *arg, const char *word), void *arg)
{
	struct edu_clientcfg cfg;
	char *path = edu_clientcfg_default_path();
	const char **names;

	edu_clientcfg_init(&cfg);
	if (path && !edu_clientcfg_load(&cfg, path, NULL)) {
		names = edu_clientcfg_profiles(&cfg, NULL);
		for (size_t i = 0; names[i]; i++)
			add(arg, names[i]);
		free(names);
	}
	edu_clientcfg_release(&cfg);
	free(path);
}

static int check_profile(const struct edu_cmd *cmd, const char *value)
{
	if (edu_profile_name_valid(value))
		return 0;
	edu_usage(cmd, "bad profile name '%s' (letters, digits, '.', '_' and '-')", value);
	return -1;
}

const struct edu_values edu_values_profile = { .what = "profile", .list = list_profiles,
					       .check = check_profile };

char *edu_values_text(const struct edu_values *values, const char *last_sep)
{
	struct edu_buf b = EDU_BUF_INIT;

	if (!values || !values->words)
		return NULL;
	for (size_t i = 0; values->words[i]; i++)
		edu_buf_printf(&b, "%s%s", !i ? "" : values->words[i + 1] ? ", " : last_sep,
			       values->words[i]);
	return edu_buf_detach(&b);
}

int edu_values_check(const struct edu_cmd *cmd, const struct edu_values *values,
		     const char *value)
{
	char *text;

	if (!values)
		return 0;
	if (values->words) {
		for (size_t i = 0; values->words[i]; i++)
			if (!strcmp(values->words[i], value))
				return values->check ? values->check(cmd, value) : 0;
		text = edu_values_text(values, " or ");
		edu_usage(cmd, "unknown %s '%s' (%s)", values->what, value, text);
		free(text);
		return -1;
	}
	return values->check ? values->check(cmd, value) : 0;
}
