/* Request bodies: the fields a route takes, read and checked (see body.h). */
#include "config.h"

#include <string.h>

#include "core/req.h"
#include "kit/body.h"

int srv_body_check(struct srv_req *r, const char *const *fields)
{
	const cJSON *item;

	if (!r->json) {
		srv_reply_error(r, SRV_ERR_BAD_REQUEST, NULL, "a JSON object body is required");
		return -1;
	}
	if (!cJSON_IsObject(r->json)) {
		srv_reply_error(r, SRV_ERR_BAD_REQUEST, NULL, "the body must be a JSON object");
		return -1;
	}
	cJSON_ArrayForEach(item, r->json) {
		const char *const *f;

		for (f = fields; *f; f++)
			if (!strcmp(*f, item->string))
				break;
		if (!*f) {
			srv_reply_error(r, SRV_ERR_UNKNOWN_FIELD, item->string,
					"unknown field '%s'", item->string);
			return -1;
		}
	}
	return 0;
}

const char *srv_body_str(struct srv_req *r, const char *key, size_t minlen, size_t maxlen,
			 int *missing)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, key);
	size_t len;

	if (missing)
		*missing = 0;
	if (!v || cJSON_IsNull(v)) {
		if (missing) {
			*missing = 1;
			return NULL;
		}
		srv_reply_error(r, SRV_ERR_INVALID, key, "'%s' is required", key);
		return NULL;
	}
	if (!cJSON_IsString(v)) {
		srv_reply_error(r, SRV_ERR_INVALID, key, "'%s' must be a string", key);
		return NULL;
	}
	len = strlen(v->valuestring);
	if (len < minlen || len > maxlen) {
		srv_reply_error(r, SRV_ERR_INVALID, key, "'%s' must be %zu to %zu bytes long", key,
				minlen, maxlen);
		return NULL;
	}
	return v->valuestring;
}
