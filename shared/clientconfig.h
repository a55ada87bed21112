/*
 * The clients' configuration file, $XDG_CONFIG_HOME/edu/config (default ~/.config), with
 * named profiles:
 *
 *	# the current profile
 *	profile = work
 *
 *	[profile work]
 *	server = https://edu.example.org
 *	school = hillside
 *	user = ada
 *	color = auto
 *
 * The file is kept as its lines, so comments, blank lines and order survive a `set`; it is
 * replaced atomically (a temporary file renamed over it). Named clientconfig, not config,
 * so that `#include "config.h"` in shared/ still finds the build's configuration header.
 *
 * To add a key: add a line to EDU_CC_KEY_LIST, check its value in edu_cc_check_value() if
 * it has a form, and document it in the config file's manual page.
 */
#ifndef EDU_CLIENTCONFIG_H
#define EDU_CLIENTCONFIG_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/*        name     help */
#define EDU_CC_KEY_LIST(X) \
	X(server,  "URL of the edu server, e.g. https://edu.example.org") \
	X(school,  "school (its short name) to log in to") \
	X(user,    "user name to log in as") \
	X(color,   "colour in tables: auto (on a terminal), always or never") \
	X(ca_file, "PEM file of certificate authorities to trust instead of the system's")

#define EDU_PROFILE_DEFAULT "default"

struct edu_cc_line {
	char *text;	/* the line, without its newline */
	char *section;	/* profile the line belongs to; NULL: before any section */
	char *key;	/* NULL for blank lines, comments and section headers */
	char *value;
};

struct edu_clientcfg {
	char *path;
	struct edu_cc_line *lines;
	size_t n, cap;
};

void edu_clientcfg_init(struct edu_clientcfg *c);
void edu_clientcfg_release(struct edu_clientcfg *c);
/*
 * Reads path (a missing file is an empty configuration). A syntax error gives
 * EDU_ERR_INVALID with "PATH:LINE: ..." in ei; an unreadable file EDU_ERR_IO.
 */
enum edu_err edu_clientcfg_load(struct edu_clientcfg *c, const char *path,
				struct edu_errinfo *ei);
/* Writes the lines back to c->path atomically, creating its directory (0700) if needed. */
enum edu_err edu_clientcfg_save(struct edu_clientcfg *c, struct edu_errinfo *ei);

/* The value of key in profile (NULL: the top level), or NULL. The string is c's. */
const char *edu_clientcfg_get(const struct edu_clientcfg *c, const char *profile,
			      const char *key);
/* Sets (value not NULL) or removes (NULL) key in profile, adding the section if needed. */
void edu_clientcfg_set(struct edu_clientcfg *c, const char *profile, const char *key,
		       const char *value);
/* The top-level `profile = NAME`, or NULL. */
const char *edu_clientcfg_current(const struct edu_clientcfg *c);
/* Nonzero when a [profile name] section exists. */
int edu_clientcfg_has_profile(const struct edu_clientcfg *c, const char *name);
/*
 * The profile names, in file order, without duplicates: a NULL-terminated array the caller
 * frees (the strings stay c's). *n (if not NULL) gets the count.
 */
const char **edu_clientcfg_profiles(const struct edu_clientcfg *c, size_t *n);

/* Nonzero for a key of a [profile] section. */
int edu_cc_key_valid(const char *key);
/* The key's help line, or NULL for an unknown key. */
const char *edu_cc_key_help(const char *key);
/* NULL-terminated list of the keys. */
extern const char *const edu_cc_keys[];
/* Checks a value for key (color: auto|always|never; server: an http(s) URL...). */
enum edu_err edu_cc_check_value(const char *key, const char *value, struct edu_errinfo *ei);
/* Profile names become file names: letters, digits, '.', '_' and '-', not starting with '.'. */
int edu_profile_name_valid(const char *name);

/*
 * $ENVVAR/edu/sub, or $HOME/fallback/edu/sub when ENVVAR is unset or not absolute (the XDG
 * rule). Caller frees; NULL when neither is usable.
 */
char *edu_xdg_path(const char *envvar, const char *fallback, const char *sub);
/* The configuration file's path (caller frees), or NULL. */
char *edu_clientcfg_default_path(void);

/* Creates dir and its missing parents with mode. */
enum edu_err edu_mkdirs(const char *dir, mode_t mode, struct edu_errinfo *ei);
/*
 * Writes data to path through a new file created with mode in the same directory, then
 * renamed over path: readers see the old file or the new one, never a part, and the file
 * never exists with a wider mode than asked.
 */
enum edu_err edu_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			      struct edu_errinfo *ei);

#endif
