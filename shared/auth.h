/*
 * Typed client calls for sessions and passwords (/auth/..., /users/me/password). The
 * session answers become stored credentials (creds.h); saving them is the caller's choice.
 */
#ifndef EDU_AUTH_H
#define EDU_AUTH_H

#include <cjson/cJSON.h>

#include "api.h"
#include "creds.h"
#include "err.h"

/*
 * Logs in as login (a user name, or an e-mail address when it holds '@') of school
 * (may be NULL). Fills *creds (release it) and, if user is not NULL, *user with the
 * user object (caller frees).
 */
enum edu_err edu_auth_login(struct edu_api *api, const char *school, const char *login,
			    const char *password, struct edu_creds *creds, cJSON **user,
			    struct edu_errinfo *ei);
/* Sets the first password of an account with its activation code; logs in like login. */
enum edu_err edu_auth_activate(struct edu_api *api, const char *school, const char *username,
			       const char *code, const char *password,
			       struct edu_creds *creds, cJSON **user, struct edu_errinfo *ei);
/* Ends the session of refresh_token (its whole family) on the server. */
enum edu_err edu_auth_logout(struct edu_api *api, const char *refresh_token,
			     struct edu_errinfo *ei);
/* Ends every session and access token of the logged-in user. */
enum edu_err edu_auth_logout_all(struct edu_api *api, struct edu_errinfo *ei);
/*
 * Changes the logged-in user's password; the server ends the user's sessions. When it
 * answers with a new session for this client, *creds (if not NULL) gets it and the
 * function returns EDU_ERR_OK with creds->access_token set; else creds is left empty.
 */
enum edu_err edu_auth_change_password(struct edu_api *api, const char *current,
				      const char *new_password, struct edu_creds *creds,
				      struct edu_errinfo *ei);

#endif
