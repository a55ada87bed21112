/*
 * The clients' configuration file: profiles of server, school and user, kept line by line
 * so a rewrite keeps the user's comments. See clientconfig.h for the format.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "clientconfig.h"
#include "xalloc.h"

const char *const edu_cc_keys[] = {
#define X(name, help) #name,
	EDU_CC_KEY_LIST(X)
#undef X
	NULL
};

static const char *const key_helps[] = {
#define X(name, help) help,
	EDU_CC_KEY_LIST(X)
#undef X
};

int edu_cc_key_valid(const char *key)
{
	return edu_cc_key_help(key) != NULL;
}

const char *edu_cc_key_help(const char *key)
{
	for (size_t i = 0; edu_cc_keys[i]; i++)
		if (!strcmp(edu_cc_keys[i], key))
			return key_helps[i];
	return NULL;
}

int edu_profile_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 64 || name[0] == '.' || name[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("._-", name[i]))
			return 0;
	return 1;
}

enum edu_err edu_cc_check_value(const char *key, const char *value, struct edu_errinfo *ei)
{
	for (const char *p = value; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			return edu_err_set(ei, EDU_ERR_INVALID,
					   "the value of '%s' may not hold control characters", key);
	if (!strcmp(key, "color") && strcmp(value, "auto") && strcmp(value, "always") &&
	    strcmp(value, "never"))
		return edu_err_set(ei, EDU_ERR_INVALID,
				   "color must be auto, always or never, not '%s'", value);
	if (!strcmp(key, "server") && strncmp(value, "http://", 7) &&
	    strncmp(value, "https://", 8))
		return edu_err_set(ei, EDU_ERR_INVALID,
				   "server must be an http:// or https:// URL, not '%s'", value);
	if (!strcmp(key, "profile") && !edu_profile_name_valid(value))
		return edu_err_set(ei, EDU_ERR_INVALID,
				   "bad profile name '%s' (letters, digits, '.', '_' and '-')", value);
	return EDU_ERR_OK;
}

void edu_clientcfg_init(struct edu_clientcfg *c)
{
	memset(c, 0, sizeof(*c));
}

static void line_release(struct edu_cc_line *l)
{
	free(l->text);
	free(l->section);
	free(l->key);
	free(l->value);
}

void edu_clientcfg_release(struct edu_clientcfg *c)
{
	for (size_t i = 0; i < c->n; i++)
		line_release(&c->lines[i]);
	free(c->lines);
	free(c->path);
	edu_clientcfg_init(c);
}

/* Makes room for a line at index at and returns it, zeroed. */
static struct edu_cc_line *line_insert(struct edu_clientcfg *c, size_t at)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->lines = xrealloc(c->lines, c->cap * sizeof(*c->lines));
	}
	memmove(&c->lines[at + 1], &c->lines[at], (c->n - at) * sizeof(*c->lines));
	c->n++;
	memset(&c->lines[at], 0, sizeof(*c->lines));
	return &c->lines[at];
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

/* Parses one line into l (whose text is set); *section is the section so far. */
static enum edu_err parse_line(struct edu_cc_line *l, char **section, const char *path,
			       size_t lineno, struct edu_errinfo *ei)
{
	char *copy = xstrdup(l->text), *s = trim(copy), *eq, *key, *value, *name;
	enum edu_err err = EDU_ERR_OK;
	size_t vlen;

	if (*s == '\0' || *s == '#' || *s == ';')
		goto out;
	if (*s == '[') {
		size_t n = strlen(s);

		if (s[n - 1] != ']' || strncmp(s + 1, "profile", 7) ||
		    !isspace((unsigned char)s[8])) {
			err = edu_err_set(ei, EDU_ERR_INVALID,
					  "%s:%zu: expected '[profile NAME]'", path, lineno);
			goto out;
		}
		s[n - 1] = '\0';
		name = trim(s + 8);
		if (!edu_profile_name_valid(name)) {
			err = edu_err_set(ei, EDU_ERR_INVALID, "%s:%zu: bad profile name '%s'",
					  path, lineno, name);
			goto out;
		}
		free(*section);
		*section = xstrdup(name);
		goto out;
	}
	eq = strchr(s, '=');
	if (!eq) {
		err = edu_err_set(ei, EDU_ERR_INVALID, "%s:%zu: expected 'key = value'", path,
				  lineno);
		goto out;
	}
	*eq = '\0';
	key = trim(s);
	value = trim(eq + 1);
	vlen = strlen(value);
	if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
		value[vlen - 1] = '\0';
		value++;
	}
	if (*section ? !edu_cc_key_valid(key) : strcmp(key, "profile")) {
		err = edu_err_set(ei, EDU_ERR_INVALID, "%s:%zu: unknown key '%s'%s", path, lineno,
				  key, *section ? "" : " outside a [profile NAME] section");
		goto out;
	}
	if (edu_cc_check_value(key, value, ei)) {
		char msg[sizeof(ei->message)];

		/* say where */
		snprintf(msg, sizeof(msg), "%s", ei->message);
		err = edu_err_set(ei, EDU_ERR_INVALID, "%s:%zu: %s", path, lineno, msg);
		goto out;
	}
	l->key = xstrdup(key);
	l->value = xstrdup(value);
out:
	if (*section)
		l->section = xstrdup(*section);
	free(copy);
	return err;
}

enum edu_err edu_clientcfg_load(struct edu_clientcfg *c, const char *path,
				struct edu_errinfo *ei)
{
	enum edu_err err = EDU_ERR_OK;
	char *line = NULL, *section = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	FILE *f;

	edu_clientcfg_release(c);
	c->path = xstrdup(path);
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return EDU_ERR_OK;
		return edu_err_set(ei, EDU_ERR_IO, "cannot read %s: %s", path, strerror(errno));
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		struct edu_cc_line *l;

		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		l = line_insert(c, c->n);
		l->text = xstrdup(line);
		err = parse_line(l, &section, path, lineno, ei);
		if (err)
			break;
	}
	if (!err && ferror(f))
		err = edu_err_set(ei, EDU_ERR_IO, "cannot read %s: %s", path, strerror(errno));
	fclose(f);
	free(line);
	free(section);
	return err;
}

enum edu_err edu_clientcfg_save(struct edu_clientcfg *c, struct edu_errinfo *ei)
{
	struct edu_buf b = EDU_BUF_INIT;
	enum edu_err err;
	char *dir, *slash;

	dir = xstrdup(c->path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		err = edu_mkdirs(dir, 0700, ei);
		if (err) {
			free(dir);
			return err;
		}
	}
	free(dir);
	for (size_t i = 0; i < c->n; i++) {
		edu_buf_adds(&b, c->lines[i].text);
		edu_buf_addc(&b, '\n');
	}
	err = edu_write_atomic(c->path, edu_buf_str(&b), b.len, 0644, ei);
	edu_buf_release(&b);
	return err;
}

static int same_section(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

const char *edu_clientcfg_get(const struct edu_clientcfg *c, const char *profile,
			      const char *key)
{
	const char *v = NULL;

	for (size_t i = 0; i < c->n; i++)
		if (c->lines[i].key && same_section(c->lines[i].section, profile) &&
		    !strcmp(c->lines[i].key, key))
			v = c->lines[i].value;
	return v;
}

const char *edu_clientcfg_current(const struct edu_clientcfg *c)
{
	return edu_clientcfg_get(c, NULL, "profile");
}

int edu_clientcfg_has_profile(const struct edu_clientcfg *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->lines[i].section && !strcmp(c->lines[i].section, name))
			return 1;
	return 0;
}

const char **edu_clientcfg_profiles(const struct edu_clientcfg *c, size_t *np)
{
	const char **names = xcalloc(c->n + 1, sizeof(*names));
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++) {
		const char *s = c->lines[i].section;
		size_t j;

		if (!s)
			continue;
		for (j = 0; j < n && strcmp(names[j], s); j++)
			;
		if (j == n)
			names[n++] = s;
	}
	names[n] = NULL;
	if (np)
		*np = n;
	return names;
}

static void line_set(struct edu_cc_line *l, const char *section, const char *key,
		     const char *value)
{
	line_release(l);
	l->text = xasprintf("%s = %s", key, value);
	l->section = section ? xstrdup(section) : NULL;
	l->key = xstrdup(key);
	l->value = xstrdup(value);
}

static void line_remove(struct edu_clientcfg *c, size_t i)
{
	line_release(&c->lines[i]);
	memmove(&c->lines[i], &c->lines[i + 1], (c->n - i - 1) * sizeof(*c->lines));
	c->n--;
}

void edu_clientcfg_set(struct edu_clientcfg *c, const char *profile, const char *key,
		       const char *value)
{
	size_t i, at = (size_t)-1;

	/* Replace the last definition (the one that counts) and drop earlier ones, so the
	 * file says it once. Walking backwards, the first match is the last definition. */
	for (i = c->n; i-- > 0;) {
		struct edu_cc_line *l = &c->lines[i];

		if (!l->key || !same_section(l->section, profile) || strcmp(l->key, key))
			continue;
		if (value && at == (size_t)-1) {
			line_set(l, profile, key, value);
			at = i;
			continue;
		}
		line_remove(c, i);
		if (at != (size_t)-1)
			at--;
	}
	if (!value || at != (size_t)-1)
		return;

	if (profile && !edu_clientcfg_has_profile(c, profile)) {
		struct edu_cc_line *l;

		if (c->n && c->lines[c->n - 1].text[0]) {
			const char *prev = c->lines[c->n - 1].section;

			l = line_insert(c, c->n);
			l->text = xstrdup("");
			l->section = prev ? xstrdup(prev) : NULL;
		}
		l = line_insert(c, c->n);
		l->text = xasprintf("[profile %s]", profile);
		l->section = xstrdup(profile);
		line_set(line_insert(c, c->n), profile, key, value);
		return;
	}
	/* after the section's last key; else after its header (top level: at the start) */
	for (i = 0; i < c->n; i++) {
		if (!same_section(c->lines[i].section, profile))
			continue;
		if (c->lines[i].key || (at == (size_t)-1 && profile))
			at = i;
	}
	line_set(line_insert(c, at + 1), profile, key, value);
}

char *edu_xdg_path(const char *envvar, const char *fallback, const char *sub)
{
	const char *base = getenv(envvar), *home;

	if (base && base[0] == '/')
		return xasprintf("%s/edu/%s", base, sub);
	home = getenv("HOME");
	if (!home || home[0] != '/')
		return NULL;
	return xasprintf("%s/%s/edu/%s", home, fallback, sub);
}

char *edu_clientcfg_default_path(void)
{
	return edu_xdg_path("XDG_CONFIG_HOME", ".config", "config");
}

enum edu_err edu_mkdirs(const char *dir, mode_t mode, struct edu_errinfo *ei)
{
	char *p = xstrdup(dir), *s;
	enum edu_err err = EDU_ERR_OK;
	struct stat st;

	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			err = edu_err_set(ei, EDU_ERR_IO, "cannot create %s: %s", p,
					  strerror(errno));
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	if (!err && (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)))
		err = edu_err_set(ei, EDU_ERR_IO, "%s is not a directory", dir);
	free(p);
	return err;
}

enum edu_err edu_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			      struct edu_errinfo *ei)
{
	enum edu_err err = EDU_ERR_OK;
	const char *p = data;
	char *tmp = NULL;
	int fd = -1;

	for (int attempt = 0; fd < 0; attempt++) {
		free(tmp);
		tmp = xasprintf("%s.tmp.%ld.%d", path, (long)getpid(), attempt);
		/* O_EXCL: never write through a file or link someone else put there */
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
		if (fd < 0 && (errno != EEXIST || attempt > 100)) {
			err = edu_err_set(ei, EDU_ERR_IO, "cannot create %s: %s", tmp,
					  strerror(errno));
			free(tmp);
			return err;
		}
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = edu_err_set(ei, EDU_ERR_IO, "cannot write %s: %s", tmp,
					  strerror(errno));
			goto out;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0) {
		err = edu_err_set(ei, EDU_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		err = edu_err_set(ei, EDU_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		err = edu_err_set(ei, EDU_ERR_IO, "cannot replace %s: %s", path, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}
