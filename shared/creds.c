/* Stored sessions, one JSON file per profile, private to the user (see creds.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clientconfig.h"
#include "creds.h"
#include "model/json.h"
#include "xalloc.h"

#define MAX_CREDS_SIZE (64 * 1024)

void edu_creds_release(struct edu_creds *c)
{
	free(c->server);
	if (c->access_token)
		explicit_bzero(c->access_token, strlen(c->access_token));
	free(c->access_token);
	if (c->refresh_token)
		explicit_bzero(c->refresh_token, strlen(c->refresh_token));
	free(c->refresh_token);
	free(c->user_id);
	free(c->username);
	free(c->school);
	free(c->role);
	memset(c, 0, sizeof(*c));
}

char *edu_creds_path(const char *profile)
{
	char *sub = xasprintf("credentials/%s.json", profile);
	char *path = edu_xdg_path("XDG_STATE_HOME", ".local/state", sub);

	free(sub);
	return path;
}

enum edu_err edu_creds_load(struct edu_creds *c, const char *path, struct edu_errinfo *ei)
{
	enum edu_err err = EDU_ERR_OK;
	char *data = NULL;
	cJSON *j = NULL;
	struct stat st;
	ssize_t n;
	int fd;

	memset(c, 0, sizeof(*c));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return edu_err_why(ei, edu_err_set(ei, EDU_ERR_AUTH, "not logged in"),
					   EDU_WHY_NO_SESSION);
		return edu_err_set(ei, EDU_ERR_IO, "cannot read %s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0 || st.st_size > MAX_CREDS_SIZE) {
		err = edu_err_set(ei, EDU_ERR_IO, "%s: not a credentials file", path);
		goto out;
	}
	data = xmalloc((size_t)st.st_size + 1);
	n = read(fd, data, (size_t)st.st_size);
	if (n < 0) {
		err = edu_err_set(ei, EDU_ERR_IO, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	data[n] = '\0';
	j = cJSON_Parse(data);
	if (!cJSON_IsObject(j) || !edu_json_str(j, "access_token")) {
		err = edu_err_why(ei, edu_err_set(ei, EDU_ERR_IO, "%s: not a credentials file",
						  path), EDU_WHY_BAD_SESSION);
		goto out;
	}
	c->server = edu_json_strdup(j, "server");
	c->access_token = edu_json_strdup(j, "access_token");
	c->refresh_token = edu_json_strdup(j, "refresh_token");
	c->expires_at = (long long)edu_json_num(j, "expires_at", 0);
	c->user_id = edu_json_strdup(j, "user_id");
	c->username = edu_json_strdup(j, "username");
	c->school = edu_json_strdup(j, "school");
	c->role = edu_json_strdup(j, "role");
out:
	close(fd);
	if (data) {
		explicit_bzero(data, (size_t)st.st_size);
		free(data);
	}
	cJSON_Delete(j);
	return err;
}

enum edu_err edu_creds_save(const struct edu_creds *c, const char *path,
			    struct edu_errinfo *ei)
{
	cJSON *j = cJSON_CreateObject();
	char *dir = xstrdup(path), *slash = strrchr(dir, '/'), *text;
	enum edu_err err;

	if (slash)
		*slash = '\0';
	err = edu_mkdirs(dir, 0700, ei);
	free(dir);
	if (err) {
		cJSON_Delete(j);
		return err;
	}
	edu_json_add_str(j, "server", c->server);
	edu_json_add_str(j, "access_token", c->access_token);
	edu_json_add_str(j, "refresh_token", c->refresh_token);
	cJSON_AddNumberToObject(j, "expires_at", (double)c->expires_at);
	edu_json_add_str(j, "user_id", c->user_id);
	edu_json_add_str(j, "username", c->username);
	edu_json_add_str(j, "school", c->school);
	edu_json_add_str(j, "role", c->role);
	text = cJSON_Print(j);
	cJSON_Delete(j);
	err = edu_write_atomic(path, text, strlen(text), 0600, ei);
	explicit_bzero(text, strlen(text));
	cJSON_free(text);
	return err;
}

enum edu_err edu_creds_remove(const char *path, struct edu_errinfo *ei)
{
	if (unlink(path) < 0 && errno != ENOENT)
		return edu_err_set(ei, EDU_ERR_IO, "cannot remove %s: %s", path, strerror(errno));
	return EDU_ERR_OK;
}

int edu_creds_from_session(struct edu_creds *c, const cJSON *session, const char *server,
			   const char *school)
{
	const cJSON *user = cJSON_GetObjectItemCaseSensitive(session, "user");
	struct edu_creds n = { 0 };
	double expires_in;

	if (!edu_json_str(session, "access_token") || !edu_json_str(session, "refresh_token"))
		return -1;
	n.server = server ? xstrdup(server) : NULL;
	n.access_token = edu_json_strdup(session, "access_token");
	n.refresh_token = edu_json_strdup(session, "refresh_token");
	expires_in = edu_json_num(session, "expires_in", 0);
	n.expires_at = expires_in > 0 ? (long long)time(NULL) + (long long)expires_in : 0;
	n.school = school ? xstrdup(school) : NULL;
	if (cJSON_IsObject(user)) {
		n.user_id = edu_json_strdup(user, "id");
		n.username = edu_json_strdup(user, "username");
		n.role = edu_json_strdup(user, "role");
	}
	edu_creds_release(c);
	*c = n;
	return 0;
}

int edu_creds_lock(const char *path, struct edu_errinfo *ei)
{
	size_t n = strlen(path);
	char *lock, *dir, *slash;
	int fd;

	if (n > 5 && !strcmp(path + n - 5, ".json"))
		n -= 5;
	lock = xasprintf("%.*s.lock", (int)n, path);
	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (edu_mkdirs(dir, 0700, ei)) {
		free(dir);
		free(lock);
		return -1;
	}
	free(dir);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		edu_err_set(ei, EDU_ERR_IO, "cannot open %s: %s", lock, strerror(errno));
		free(lock);
		return -1;
	}
	while (flock(fd, LOCK_EX) < 0) {
		if (errno == EINTR)
			continue;
		edu_err_set(ei, EDU_ERR_IO, "cannot lock %s: %s", lock, strerror(errno));
		close(fd);
		free(lock);
		return -1;
	}
	free(lock);
	return fd;
}

void edu_creds_unlock(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}
