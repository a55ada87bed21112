/* Field rules of accounts and schools (see fields.h). */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "core/req.h"
#include "core/text.h"
#include "kit/fields.h"

const char *srv_check_username(const char *s)
{
	size_t len = strlen(s);

	if (len < 1 || len > 64)
		return "a username is 1 to 64 characters long";
	if (!isalnum((unsigned char)s[0]))
		return "a username starts with a letter or a digit";
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return "a username holds only letters, digits, '.', '_' and '-'";
	return NULL;
}

const char *srv_check_email(const char *s)
{
	const char *at = strchr(s, '@');
	size_t len = strlen(s);

	if (len < 3 || len > 254 || !at || at == s || !at[1] || strchr(at + 1, '@'))
		return "an email address looks like name@example.org";
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return "an email address holds no spaces or control characters";
	return NULL;
}

const char *srv_check_slug(const char *s)
{
	size_t len = strlen(s);

	if (len < 1 || len > 63)
		return "a slug is 1 to 63 characters long";
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return "a slug starts with a lower-case letter or a digit";
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return "a slug holds only lower-case letters, digits and '-'";
	return NULL;
}

const char *srv_check_display_name(const char *s)
{
	long n = 0;

	if (srv_text_scan(s, 0, &n) != SRV_TEXT_FINE)
		return "a display name is UTF-8 text without control characters";
	if (n < 1 || n > 200)
		return "a display name is 1 to 200 characters long";
	return NULL;
}

int srv_field_opt_text(struct srv_req *r, const char *key, const char *(*check)(const char *),
		  const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, key);
	const char *why;

	*out = NULL;
	if (!v)
		return 0;
	if (cJSON_IsNull(v))
		return 1;
	if (!cJSON_IsString(v)) {
		srv_reply_error(r, SRV_ERR_INVALID, key, "'%s' must be a string or null", key);
		return -1;
	}
	if (check && (why = check(v->valuestring))) {
		srv_reply_error(r, SRV_ERR_INVALID, key, "%s", why);
		return -1;
	}
	*out = v->valuestring;
	return 1;
}
