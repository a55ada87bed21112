/* libedu's error currency: names, messages and exit codes from one list. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static const struct {
	const char *name;
	int exit_code;
	const char *message;
} errs[] = {
#define X(name, code, msg) { #name, code, msg },
	EDU_ERR_LIST(X)
#undef X
};

const char *edu_err_name(enum edu_err e)
{
	return e < EDU_ERR__COUNT ? errs[e].name : "UNKNOWN";
}

const char *edu_err_message(enum edu_err e)
{
	return e < EDU_ERR__COUNT ? errs[e].message : "unknown error";
}

int edu_err_exit_code(enum edu_err e)
{
	return e < EDU_ERR__COUNT ? errs[e].exit_code : 1;
}

enum edu_err edu_err_set(struct edu_errinfo *info, enum edu_err e, const char *fmt, ...)
{
	va_list ap;

	if (!info)
		return e;
	memset(info, 0, sizeof(*info));
	info->err = e;
	va_start(ap, fmt);
	vsnprintf(info->message, sizeof(info->message), fmt, ap);
	va_end(ap);
	return e;
}

enum edu_err edu_err_why(struct edu_errinfo *info, enum edu_err e, const char *why)
{
	if (info)
		snprintf(info->code, sizeof(info->code), "%s", why);
	return e;
}

int edu_err_is(const struct edu_errinfo *info, const char *why)
{
	return info && !info->http_status && !strcmp(info->code, why);
}

enum edu_err edu_err_from_http(int status)
{
	if (status < 300)
		return EDU_ERR_OK;
	switch (status) {
	case 400: case 413: case 415: case 422: return EDU_ERR_INVALID;
	case 401: return EDU_ERR_AUTH;
	case 403: return EDU_ERR_FORBIDDEN;
	case 404: case 410: return EDU_ERR_NOT_FOUND;
	case 409: case 412: case 428: return EDU_ERR_CONFLICT;
	case 429: return EDU_ERR_RATE_LIMITED;
	}
	return status >= 500 ? EDU_ERR_SERVER : EDU_ERR_FAIL;
}

const char *edu_err_advice(const struct edu_errinfo *info)
{
	if (edu_err_is(info, EDU_WHY_NO_SESSION) || edu_err_is(info, EDU_WHY_OTHER_SERVER) ||
	    edu_err_is(info, EDU_WHY_SESSION_ENDED))
		return "; run 'edu login'";
	if (edu_err_is(info, EDU_WHY_BAD_SESSION))
		return "; remove it and run 'edu login'";
	return "";
}
