/*
 * The HTTP client of the edu API (docs/api.md), over libcurl.
 *
 * Every exchange is one struct edu_request, built by a typed call (courses.h, lessons.h...)
 * and sent by edu_api_send(): method, path and query, JSON body, If-Match, Idempotency-Key,
 * a file streamed up or down. Every answer is parsed as JSON and every string in it (keys
 * too) is passed through the terminal-safe sanitiser (safe.h) before the caller sees it, so
 * nothing downstream has to remember. TLS peers are always verified.
 *
 * Authentication is either a fixed bearer token (EDU_TOKEN: used as is, never refreshed)
 * or a stored session (creds.h), which is refreshed without the caller noticing: before a
 * request when the access token has expired, and after a 401 (then the request is sent
 * again, the same request with the same Idempotency-Key). Refreshes are serialised between
 * processes by the session's lock; when the session cannot be refreshed any more the call
 * fails with EDU_ERR_AUTH and EDU_WHY_SESSION_ENDED in ei->code (err.h): what to tell the
 * user is the client's to say.
 *
 *	struct edu_api *api = edu_api_new("https://edu.example.org", NULL);
 *	struct edu_request req;
 *	cJSON *me;
 *	edu_api_use_session(api, creds_path);
 *	edu_request_init(&req, "GET", "/users/me");
 *	if (!edu_api_json(api, &req, &me, NULL, &ei))
 *		...me...
 *	edu_request_release(&req);
 *	edu_api_free(api);
 */
#ifndef EDU_API_H
#define EDU_API_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "creds.h"
#include "err.h"

struct edu_api;

/* Flags of a request. */
#define EDU_API_NOAUTH 0x1	/* send no token (login, refresh, activate) */

/* Progress of a transfer: done bytes of total (0 while unknown). */
typedef void edu_api_progress_fn(void *arg, long long done, long long total);

/*
 * One request. Start it with edu_request_init() (or _init_id()), add to its path and query
 * with the functions below, set the fields that apply, send it with edu_api_send() (or
 * edu_api_json(), edu_api_list()), then edu_request_release() it. The call fills in the
 * last fields.
 *
 * upload: the body is upload_size bytes read from upload (from its position when the call
 * starts) as application/octet-stream, streamed, never held in memory.
 * download: the body of a 2xx answer is written to download as it comes, not parsed; its
 * SHA-256 is computed on the way, and when the answer carries `Digest: sha-256=...` a
 * mismatch fails the call (EDU_ERR_SERVER). Error answers are still read as JSON.
 *
 * This is also what the offline store (a later issue) will keep: a GET's target is the key
 * of the copy it saves, with the answer's version; a write's method, target, body, if_match
 * and idempotency_key are the row it queues in the outbox (see edu_api_send()).
 */
struct edu_request {
	const char *method;		/* "GET", "POST", "PUT", "PATCH", "DELETE" */
	struct edu_buf target;		/* path under /api/v1, then "?query" (all escaped) */
	const cJSON *body;		/* a JSON body, or NULL */
	const char *if_match;		/* a version: sent as If-Match: "N"; NULL: none */
	const char *idempotency_key;	/* a POST's Idempotency-Key; NULL: one made for it */
	unsigned flags;			/* EDU_API_NOAUTH */
	FILE *upload;
	long long upload_size;
	FILE *download;
	edu_api_progress_fn *progress;	/* may be NULL */
	void *progress_arg;
	/* filled in by the call */
	char key[37];			/* the Idempotency-Key a POST went with */
	int status;			/* the HTTP status, 0 when no answer came */
	long long received;		/* bytes written to download */
	char sha256[65];		/* hex SHA-256 of those bytes */
	int digest_checked;		/* the answer had a Digest and it matched */
};

/* A request for method at path (a constant, under /api/v1, e.g. "/courses"). */
void edu_request_init(struct edu_request *req, const char *method, const char *path);
/*
 * A request for method at PREFIX/ID[SUFFIX], id escaped as one path segment:
 * edu_request_init_id(&req, "GET", "/courses", id, "/lessons").
 */
void edu_request_init_id(struct edu_request *req, const char *method, const char *prefix,
			 const char *id, const char *suffix);
/* Appends "/" and segment, escaped, to the path (before any query). */
void edu_request_segment(struct edu_request *req, const char *segment);
/* Appends key=value (escaped) to the query; a NULL or empty value adds nothing. */
void edu_request_query(struct edu_request *req, const char *key, const char *value);
/* The path and query, as sent after /api/v1. */
const char *edu_request_target(const struct edu_request *req);
void edu_request_release(struct edu_request *req);

/* What came back. */
struct edu_api_resp {
	int status;		/* HTTP status, 0 when no answer came */
	cJSON *json;		/* the sanitised answer; NULL for an empty body */
	long retry_after;	/* Retry-After in seconds, -1 when absent */
	char *request_id;	/* X-Request-Id, or NULL */
};
void edu_api_resp_release(struct edu_api_resp *resp);

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
 * Reads the stored session now. EDU_ERR_AUTH when there is none (EDU_WHY_NO_SESSION), or
 * when it belongs to another server (EDU_WHY_OTHER_SERVER). With a fixed token: EDU_ERR_OK.
 */
enum edu_err edu_api_load_session(struct edu_api *api, struct edu_errinfo *ei);
/* The session in use (after edu_api_load_session), or NULL. */
const struct edu_creds *edu_api_session(const struct edu_api *api);

/*
 * Sends req and fills resp (always; release it). A non-2xx answer gives the error
 * edu_err_from_http() maps it to, with the server's message, code and field in ei; for 429
 * the message says when to retry. A 412 leaves the server's body, with its "current"
 * object, in resp->json. Unreachable server: EDU_ERR_NETWORK.
 *
 * A POST carries an Idempotency-Key (req->idempotency_key, or one made here, in req->key),
 * and the retry after a session refresh sends the same one: the server does the work at
 * most once.
 *
 * Every exchange with the server passes here, and this is where the offline store will
 * hook in: before sending, a GET the server cannot be reached for will be answered from the
 * copy kept under its target, and a write will be queued in the outbox with its body,
 * if_match and the key made when it was queued; after a 2xx GET, the answer will be saved
 * under its target with its version (ETag).
 */
enum edu_err edu_api_send(struct edu_api *api, struct edu_request *req,
			  struct edu_api_resp *resp, struct edu_errinfo *ei);
/*
 * edu_api_send() for an answer the caller takes: *out (may be NULL, not to keep it) gets
 * it (caller frees; an empty answer is EDU_ERR_SERVER). On a 412, *current (may be NULL)
 * gets the server's "current" object (caller frees).
 */
enum edu_err edu_api_json(struct edu_api *api, struct edu_request *req, cJSON **out,
			  cJSON **current, struct edu_errinfo *ei);
/*
 * GETs the list req asks for and follows its pages to the end, each page a request of its
 * own (req's target with limit and after). *items gets a new array of every item (caller
 * frees with cJSON_Delete).
 */
enum edu_err edu_api_list(struct edu_api *api, const struct edu_request *req, cJSON **items,
			  struct edu_errinfo *ei);

/* A new Idempotency-Key into out: a random (version 4) UUID. */
void edu_api_new_key(char out[37]);

/* Percent-encodes s for a URL path segment or query value (caller frees). */
char *edu_api_escape(const char *s);
/* Sanitises every string (keys and values) of a JSON tree in place. */
void edu_json_sanitise(cJSON *j);

#endif
