/*
 * edud's configuration: defaults, then the config file, then EDU_* environment variables,
 * then --flags, each overriding the one before. Keys come from SRV_CONFIG_LIST only.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/conf.h"
#include "xalloc.h"

struct srv_config srv_cfg;

struct key {
	const char *name;
	enum srv_cfg_type type;
	const char *def;
	const char *help;
	size_t str_off;
	size_t num_off;
};

static const struct key keys[] = {
#define X(name, type, def, help) \
	{ #name, type, def, help, offsetof(struct srv_config, name##_s), \
	  offsetof(struct srv_config, name) },
	SRV_CONFIG_LIST(X)
#undef X
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

/* "data-dir" and "data_dir" name the same key. */
static const struct key *find_key(const char *name, size_t len)
{
	for (size_t i = 0; i < NKEYS; i++) {
		const char *k = keys[i].name;
		size_t j;

		if (strlen(k) != len)
			continue;
		for (j = 0; j < len; j++) {
			char c = name[j] == '-' ? '_' : (char)tolower((unsigned char)name[j]);
			if (c != k[j])
				break;
		}
		if (j == len)
			return &keys[i];
	}
	return NULL;
}

static int parse_value(const struct key *k, const char *value, long *out, char *err,
		       size_t errlen)
{
	char *end;
	long v;

	switch (k->type) {
	case CFG_STR:
		*out = 0;
		return 0;
	case CFG_INT:
		errno = 0;
		v = strtol(value, &end, 10);
		if (errno || end == value || *end || v < 0) {
			snprintf(err, errlen, "'%s' wants a whole number of 0 or more, not '%s'",
				 k->name, value);
			return -1;
		}
		*out = v;
		return 0;
	case CFG_BOOL:
		if (!strcasecmp(value, "true") || !strcasecmp(value, "yes") ||
		    !strcasecmp(value, "on") || !strcmp(value, "1")) {
			*out = 1;
			return 0;
		}
		if (!strcasecmp(value, "false") || !strcasecmp(value, "no") ||
		    !strcasecmp(value, "off") || !strcmp(value, "0")) {
			*out = 0;
			return 0;
		}
		snprintf(err, errlen, "'%s' wants true or false, not '%s'", k->name, value);
		return -1;
	}
	return -1;
}

static int set_key(const struct key *k, const char *value, char *err, size_t errlen)
{
	char **s = (char **)((char *)&srv_cfg + k->str_off);
	long *n = (long *)((char *)&srv_cfg + k->num_off);
	long v;

	if (parse_value(k, value, &v, err, errlen) < 0)
		return -1;
	free(*s);
	*s = xstrdup(value);
	*n = v;
	return 0;
}

int srv_config_set(const char *key, const char *value, char *err, size_t errlen)
{
	const struct key *k = find_key(key, strlen(key));

	if (!k) {
		snprintf(err, errlen, "unknown key '%s'", key);
		return -1;
	}
	return set_key(k, value, err, errlen);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int load_file(const char *path, int must_exist)
{
	char line[4096], err[256];
	FILE *f = fopen(path, "r");
	int lineno = 0, rc = 0;

	if (!f) {
		if (!must_exist && errno == ENOENT)
			return 0;
		fprintf(stderr, "edud: cannot read config file '%s': %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p, *eq, *key, *value;

		lineno++;
		p = trim(line);
		if (!*p || *p == '#' || *p == ';')
			continue;
		eq = strchr(p, '=');
		if (!eq) {
			fprintf(stderr, "edud: %s:%d: expected 'key = value'\n", path, lineno);
			rc = -1;
			continue;
		}
		*eq = '\0';
		key = trim(p);
		value = trim(eq + 1);
		/* "value" may be quoted to keep leading or trailing spaces */
		if (strlen(value) >= 2 && value[0] == '"' && value[strlen(value) - 1] == '"') {
			value[strlen(value) - 1] = '\0';
			value++;
		}
		if (srv_config_set(key, value, err, sizeof(err)) < 0) {
			fprintf(stderr, "edud: %s:%d: %s\n", path, lineno, err);
			rc = -1;
		}
	}
	fclose(f);
	return rc;
}

static void default_data_dir(void)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char *dir;
	char err[64];

	if (srv_cfg.data_dir_s && *srv_cfg.data_dir_s)
		return;
	if (geteuid() == 0)
		dir = xstrdup(LOCALSTATEDIR "/lib/edu");
	else if (xdg && *xdg)
		dir = xasprintf("%s/edu", xdg);
	else
		dir = xasprintf("%s/.local/share/edu", home ? home : ".");
	srv_config_set("data_dir", dir, err, sizeof(err));
	free(dir);
}

int srv_config_load(int *argc, char **argv)
{
	const char *file = getenv("EDU_CONFIG");
	int explicit_file = file != NULL;
	char err[256];
	int i, out, rc = 0;

	for (size_t k = 0; k < NKEYS; k++)
		set_key(&keys[k], keys[k].def, err, sizeof(err));

	/* --config first: the file is weaker than the environment and the other flags */
	for (i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < *argc) {
			file = argv[i + 1];
			explicit_file = 1;
		} else if (!strncmp(argv[i], "--config=", 9)) {
			file = argv[i] + 9;
			explicit_file = 1;
		}
	}
	if (!file)
		file = SYSCONFDIR "/edu/edu.conf";
	srv_cfg.config_file = xstrdup(file);
	if (load_file(file, explicit_file) < 0)
		rc = -1;

	for (size_t k = 0; k < NKEYS; k++) {
		char env[64];
		const char *v;
		size_t j;

		snprintf(env, sizeof(env), "EDU_%s", keys[k].name);
		for (j = 4; env[j]; j++)
			env[j] = (char)toupper((unsigned char)env[j]);
		v = getenv(env);
		if (v && set_key(&keys[k], v, err, sizeof(err)) < 0) {
			fprintf(stderr, "edud: %s: %s\n", env, err);
			rc = -1;
		}
	}

	/* flags: consume the known ones, keep the rest (the command and its arguments) */
	for (i = 1, out = 1; i < *argc; i++) {
		const char *a = argv[i], *name, *value = NULL, *eq;
		const struct key *k;

		if (strncmp(a, "--", 2) || !a[2]) {
			argv[out++] = argv[i];
			continue;
		}
		name = a + 2;
		eq = strchr(name, '=');
		if (!strncmp(name, "config", 6) && (name[6] == '\0' || name[6] == '=')) {
			if (!eq)
				i++;
			continue;
		}
		k = find_key(name, eq ? (size_t)(eq - name) : strlen(name));
		if (!k) {
			argv[out++] = argv[i];
			continue;
		}
		if (eq) {
			value = eq + 1;
		} else if (i + 1 < *argc) {
			value = argv[++i];
		} else {
			fprintf(stderr, "edud: option '--%s' needs a value\n", k->name);
			rc = -1;
			continue;
		}
		if (set_key(k, value, err, sizeof(err)) < 0) {
			fprintf(stderr, "edud: --%s: %s\n", k->name, err);
			rc = -1;
		}
	}
	argv[out] = NULL;
	*argc = out;
	default_data_dir();
	if (srv_cfg.jwt_secret_s[0] && strlen(srv_cfg.jwt_secret_s) < 32) {
		fprintf(stderr, "edud: jwt_secret must be at least 32 bytes long\n");
		rc = -1;
	}
	return rc;
}

void srv_config_print(void)
{
	for (size_t k = 0; k < NKEYS; k++) {
		const char *v = *(char **)((char *)&srv_cfg + keys[k].str_off);

		if (!strcmp(keys[k].name, "jwt_secret") && *v)
			v = "(set)";
		if (!strcmp(keys[k].name, "database_url") || !strcmp(keys[k].name, "database_owner_url")) {
			/* a URL may carry a password: show only that one is set */
			if (strstr(v, "password=") || strchr(v, '@'))
				v = "(set)";
		}
		printf("%s = %s\n", keys[k].name, v);
	}
}

void srv_config_usage(void)
{
	for (size_t k = 0; k < NKEYS; k++) {
		char flag[64];
		size_t j;

		snprintf(flag, sizeof(flag), "--%s", keys[k].name);
		for (j = 2; flag[j]; j++)
			if (flag[j] == '_')
				flag[j] = '-';
		printf("  %-26s %s%s%s%s\n", flag, keys[k].help,
		       *keys[k].def ? " (default: " : "", keys[k].def,
		       *keys[k].def ? ")" : "");
	}
}

void srv_config_free(void)
{
	for (size_t k = 0; k < NKEYS; k++) {
		char **s = (char **)((char *)&srv_cfg + keys[k].str_off);
		free(*s);
		*s = NULL;
	}
	free(srv_cfg.config_file);
	srv_cfg.config_file = NULL;
}
