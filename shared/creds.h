/*
 * Stored sessions: $XDG_STATE_HOME/edu/credentials/PROFILE.json (default ~/.local/state),
 * one per profile. The directory is 0700 and the file 0600 from the moment it exists (it
 * is created with that mode and renamed into place, never chmod-ed afterwards): on a
 * shared lab machine nobody else may read a refresh token.
 *
 * Refreshing rotates the refresh token, so two processes must not both refresh with the
 * same one (the server would see reuse and end the session). They serialise on an flock of
 * PROFILE.lock beside the file; the lock is a separate file because the credentials file
 * itself is replaced by rename, which would leave a lock on the old inode.
 */
#ifndef EDU_CREDS_H
#define EDU_CREDS_H

#include <cjson/cJSON.h>

#include "err.h"

struct edu_creds {
	char *server;		/* the server the session belongs to */
	char *access_token;
	char *refresh_token;
	long long expires_at;	/* access token expiry, Unix seconds; 0: unknown */
	char *user_id;
	char *username;
	char *school;		/* as given at login (slug), may be NULL */
	char *role;
};

void edu_creds_release(struct edu_creds *c);
/* Path of the credentials file of profile (caller frees), or NULL without $HOME. */
char *edu_creds_path(const char *profile);
/*
 * Reads path. A missing file gives EDU_ERR_AUTH (EDU_WHY_NO_SESSION), one that is not a
 * session EDU_ERR_IO (EDU_WHY_BAD_SESSION).
 */
enum edu_err edu_creds_load(struct edu_creds *c, const char *path, struct edu_errinfo *ei);
/* Writes c to path atomically with mode 0600, creating the directories with mode 0700. */
enum edu_err edu_creds_save(const struct edu_creds *c, const char *path,
			    struct edu_errinfo *ei);
/* Removes the file; a missing one is fine. */
enum edu_err edu_creds_remove(const char *path, struct edu_errinfo *ei);
/*
 * Fills c from a session answer (login, refresh, activate):
 * {"access_token", "refresh_token", "expires_in", "user": {...}}. school is kept from the
 * caller. Returns -1 when the answer lacks a token.
 */
int edu_creds_from_session(struct edu_creds *c, const cJSON *session, const char *server,
			   const char *school);
/*
 * Takes the exclusive lock that serialises refreshes of the session at path; returns a
 * descriptor for edu_creds_unlock(), or -1 with ei filled.
 */
int edu_creds_lock(const char *path, struct edu_errinfo *ei);
void edu_creds_unlock(int fd);

#endif
