/*
 * What a client settles before it talks to a server, the same way in every client (edu and
 * edu-tui): the configuration file, the profile (the flag, EDU_PROFILE, the file's current
 * profile, or "default"), the server (the flag, EDU_SERVER, or the profile's), EDU_TOKEN,
 * and where the profile's session is stored; then the API client those give.
 *
 *	struct edu_client cl;
 *	if (edu_client_init(&cl, profile_flag, server_flag, &ei))
 *		...report ei...
 *	if (cl.server)
 *		api = edu_client_api(&cl);
 *	edu_client_release(&cl);
 *
 * Failures are EDU_ERR_USAGE (a bad profile name or server), EDU_ERR_INVALID or
 * EDU_ERR_IO (the configuration file), EDU_ERR_IO (no HOME nor XDG_* to find the files
 * with), with the message in ei; what to do about them is the client's to say.
 */
#ifndef EDU_CLIENT_H
#define EDU_CLIENT_H

#include "api.h"
#include "clientconfig.h"
#include "err.h"

struct edu_client {
	char *profile;			/* never NULL after a successful init */
	struct edu_clientcfg cfg;
	char *server;			/* NULL: none given anywhere */
	const char *env_token;		/* EDU_TOKEN, or NULL */
	char *creds_path;		/* the profile's stored session */
};

/* profile_flag, server_flag: --profile and --server, NULL when not given. */
enum edu_err edu_client_init(struct edu_client *c, const char *profile_flag,
			     const char *server_flag, struct edu_errinfo *ei);
void edu_client_release(struct edu_client *c);
/* The current profile's value of key, or NULL. */
const char *edu_client_get(const struct edu_client *c, const char *key);
/*
 * A new API client for server (c->server when NULL, which must then be set) with the
 * profile's ca_file, authenticated with EDU_TOKEN or else the profile's session (caller
 * frees with edu_api_free). Each thread that sends requests needs its own.
 */
struct edu_api *edu_client_api(const struct edu_client *c, const char *server);
/* The same from its parts: token (may be NULL) if given, else the session at creds_path. */
struct edu_api *edu_client_open(const char *server, const char *ca_file, const char *token,
				const char *creds_path);

#endif
