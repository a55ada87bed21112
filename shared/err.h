/*
 * The one error currency of libedu. Each error has a name, a message and the exit code
 * that edu(1) documents for it; the CLI maps errors to exit codes only through
 * edu_err_exit_code(). To add an error: add a line here and a line to EXIT STATUS in
 * man/edu.1.scd.in.
 */
#ifndef EDU_ERR_H
#define EDU_ERR_H

/*        name            exit  message */
#define EDU_ERR_LIST(X) \
	X(OK,              0,  "success") \
	X(FAIL,            1,  "failed") \
	X(USAGE,           2,  "usage error") \
	X(AUTH,            3,  "not logged in") \
	X(FORBIDDEN,       4,  "permission denied") \
	X(NOT_FOUND,       5,  "not found") \
	X(CONFLICT,        6,  "conflict") \
	X(INVALID,         7,  "invalid input") \
	X(NETWORK,         8,  "server unreachable") \
	X(SERVER,          9,  "server error") \
	X(RATE_LIMITED,    10, "rate limited") \
	X(IO,              11, "file error")

enum edu_err {
#define X(name, code, msg) EDU_ERR_##name,
	EDU_ERR_LIST(X)
#undef X
	EDU_ERR__COUNT
};

/*
 * Details of the last failure, filled by the function that failed when the caller passes
 * one. message says what went wrong (already terminal-safe), in no client's words: what to
 * do about it is the client's to say. http_status and code are the server's when the error
 * came from the server; else http_status is 0 and code, when not "", one of EDU_WHY_*.
 */
struct edu_errinfo {
	enum edu_err err;
	int http_status;
	char code[48];
	char field[64];
	char message[512];
};

/* Why libedu failed on its own, in ei->code, for a client to say what to do about it. */
#define EDU_WHY_NO_SESSION	"no_session"		/* no stored session for the profile */
#define EDU_WHY_OTHER_SERVER	"other_server"		/* the stored session is another server's */
#define EDU_WHY_SESSION_ENDED	"session_ended"		/* it can no longer be refreshed */
#define EDU_WHY_BAD_SESSION	"bad_session"		/* its file is not a session */

const char *edu_err_name(enum edu_err e);
const char *edu_err_message(enum edu_err e);
int edu_err_exit_code(enum edu_err e);
/* Fills info (if not NULL) and returns e. The message is printf-formatted. */
enum edu_err edu_err_set(struct edu_errinfo *info, enum edu_err e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Puts why (an EDU_WHY_*) in info's code (info may be NULL); returns e. */
enum edu_err edu_err_why(struct edu_errinfo *info, enum edu_err e, const char *why);
/*
 * What a user of either client does about a failure of libedu's own (ei->code an
 * EDU_WHY_*): "; run 'edu login'", or "" when there is nothing to say.
 */
const char *edu_err_advice(const struct edu_errinfo *info);
/* Nonzero when info says libedu failed for why (EDU_WHY_*). */
int edu_err_is(const struct edu_errinfo *info, const char *why);
/* The error that an HTTP status stands for (0 and 2xx give EDU_ERR_OK). */
enum edu_err edu_err_from_http(int status);

#endif
