/*
 * The HTTP client of the edu API (docs/api.md), over libcurl.
 *
 * Every answer is parsed as JSON and every string in it (keys too) is passed through the
 * terminal-safe sanitiser (safe.h) before the caller sees it, so nothing downstream has
 * to remember. TLS peers are always verified.
 *
 * Authentication is either a fixed bearer token (EDU_TOKEN: used as is, never refreshed)
 * or a stored session (creds.h), which is refreshed without the caller noticing: before a
 * request when the access token has expired, and after a 401 (then the request is retried
 * once). Refreshes are serialised between processes by the session's lock; when the
 * session cannot be refreshed any more the call fails with EDU_ERR_AUTH and "your session
 * has ended; run 'edu login'".
 *
 *	struct edu_api *api = edu_api_new("https://edu.example.org", NULL);
 *	struct edu_api_resp r;
 *	edu_api_use_session(api, creds_path);
 *	if (!edu_api_call(api, "GET", "/users/me", NULL, 0, &r, &ei))
 *		...r.json...
 *	edu_api_resp_release(&r);
 *	edu_api_free(api);
 */
#ifndef EDU_API_H
#define EDU_API_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "creds.h"
#include "err.h"

struct edu_api;

struct edu_api_resp {
	int status;		/* HTTP status, 0 when no answer came */
	cJSON *json;		/* the sanitised answer; NULL for an empty body */
	long retry_after;	/* Retry-After in seconds, -1 when absent */
	char *request_id;	/* X-Request-Id, or NULL */
};

/* Flags of edu_api_call(). */
#define EDU_API_NOAUTH 0x1	/* send no token (login, refresh, activate) */

/* Progress of a transfer: done bytes of total (0 while unknown). */
typedef void edu_api_progress_fn(void *arg, long long done, long long total);

/*
 * What a request may carry beyond a JSON body, for edu_api_request(). Zero it and set what
 * applies; the call fills in the last fields.
 *
 * upload: the request body is upload_size bytes read from upload (from its position when
 * the call starts) as application/octet-stream, streamed, never held in memory.
 * download: the body of a 2xx answer is written to download as it comes, not parsed; its
 * SHA-256 is computed on the way, and when the answer carries `Digest: sha-256=...` a
 * mismatch fails the call (EDU_ERR_SERVER). Error answers are still read as JSON.
 */
struct edu_api_xfer {
	const char *if_match;		/* a version: sent as If-Match: "N"; NULL: none */
	const char *idempotency_key;	/* a POST's Idempotency-Key; NULL: a fresh one */
	FILE *upload;
	long long upload_size;
	FILE *download;
	edu_api_progress_fn *progress;	/* may be NULL */
	void *progress_arg;
	/* filled in by the call */
	long long received;		/* bytes written to download */
	char sha256[65];		/* hex SHA-256 of those bytes */
	int digest_checked;		/* the answer had a Digest and it matched */
};

/* server: the base URL ("https://host[:port]"); ca_file may be NULL. */
struct edu_api *edu_api_new(const char *server, const char *ca_file);
void edu_api_free(struct edu_api *api);
/* The server's base URL, without a trailing slash. */
const char *edu_api_server(const struct edu_api *api);
/* Authenticate with a fixed bearer token (copied). */
void edu_api_use_token(struct edu_api *api, const char *token);
/* Authenticate with the session stored at creds_path (read when first needed). */
void edu_api_use_session(struct edu_api *api, const char *creds_path);
/*
 * Reads the stored session now. EDU_ERR_AUTH when there is none, or when it belongs to
 * another server. With a fixed token: EDU_ERR_OK.
 */
enum edu_err edu_api_load_session(struct edu_api *api, struct edu_errinfo *ei);
/* The session in use (after edu_api_load_session), or NULL. */
const struct edu_creds *edu_api_session(const struct edu_api *api);

/*
 * Sends method path (relative to /api/v1, with its query) and body (may be NULL), and
 * fills resp (always; release it). A non-2xx answer gives the error edu_err_from_http()
 * maps it to, with the server's message, code and field in ei; for 429 the message says
 * when to retry. Unreachable server: EDU_ERR_NETWORK.
 *
 * A POST carries an Idempotency-Key made once per call (or xfer->idempotency_key), and the
 * retry after a session refresh sends the same one: the server does the work at most once.
 */
enum edu_err edu_api_call(struct edu_api *api, const char *method, const char *path,
			  const cJSON *body, unsigned flags, struct edu_api_resp *resp,
			  struct edu_errinfo *ei);
void edu_api_resp_release(struct edu_api_resp *resp);
/*
 * edu_api_call() with more: If-Match, a streamed upload or download (see struct
 * edu_api_xfer; xfer may be NULL). A 412 answer leaves the server's body, with its
 * "current" object, in resp->json.
 */
enum edu_err edu_api_request(struct edu_api *api, const char *method, const char *path,
			     const cJSON *body, struct edu_api_xfer *xfer, unsigned flags,
			     struct edu_api_resp *resp, struct edu_errinfo *ei);

/*
 * GETs a list (path may carry a query) and follows its pages to the end. *items gets a
 * new array of every item (caller frees with cJSON_Delete).
 */
enum edu_err edu_api_get_all(struct edu_api *api, const char *path, cJSON **items,
			     struct edu_errinfo *ei);

/* A new Idempotency-Key into out: a random (version 4) UUID. */
void edu_api_new_key(char out[37]);

/* Percent-encodes s for a URL path segment or query value (caller frees). */
char *edu_api_escape(const char *s);
/* Sanitises every string (keys and values) of a JSON tree in place. */
void edu_json_sanitise(cJSON *j);

#endif
