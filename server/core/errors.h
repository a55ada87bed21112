/*
 * The one list of the errors edud answers: each error's name, its HTTP status and the code
 * clients read in {"error": {"code": ...}} (docs/api.md, "Errors"). A handler names an
 * error, never a status and a code of its own: srv_reply_error(r, SRV_ERR_NOT_FOUND, ...).
 *
 * To add an error: a line here, and a row in docs/api.md's table.
 */
#ifndef SRV_CORE_ERRORS_H
#define SRV_CORE_ERRORS_H

/*      name                    status  code */
#define SRV_ERR_LIST(X) \
	X(BAD_REQUEST,            400, "bad_request") \
	X(BAD_JSON,               400, "bad_json") \
	X(UNKNOWN_FIELD,          400, "unknown_field") \
	X(UNAUTHENTICATED,        401, "unauthenticated") \
	X(TOKEN_EXPIRED,          401, "token_expired") \
	X(BAD_CREDENTIALS,        401, "bad_credentials") \
	X(FORBIDDEN,              403, "forbidden") \
	X(NOT_FOUND,              404, "not_found") \
	X(METHOD_NOT_ALLOWED,     405, "method_not_allowed") \
	X(CONFLICT,               409, "conflict") \
	X(IN_PROGRESS,            409, "in_progress") \
	X(VERSION_MISMATCH,       412, "version_mismatch") \
	X(TOO_LARGE,              413, "too_large") \
	X(QUOTA_EXCEEDED,         413, "quota_exceeded") \
	X(UNSUPPORTED_MEDIA_TYPE, 415, "unsupported_media_type") \
	X(FORBIDDEN_TYPE,         415, "forbidden_type") \
	X(INVALID,                422, "invalid") \
	X(IDEMPOTENCY_KEY_REUSED, 422, "idempotency_key_reused") \
	X(PRECONDITION_REQUIRED,  428, "precondition_required") \
	X(RATE_LIMITED,           429, "rate_limited") \
	X(INTERNAL,               500, "internal") \
	X(UNAVAILABLE,            503, "unavailable")

enum srv_err {
#define X(name, status, code) SRV_ERR_##name,
	SRV_ERR_LIST(X)
#undef X
};

int srv_err_status(enum srv_err e);
const char *srv_err_code(enum srv_err e);

#endif
