/* Request bodies: the fields a route takes, read and checked (see body.h). */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/req.h"
#include "core/text.h"
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
		if (*f)
			continue;
		/* bytes that are not UTF-8 cannot go back in a JSON answer: named, not echoed */
		if (!srv_text_utf8(item->string))
			srv_reply_error(r, SRV_ERR_UNKNOWN_FIELD, NULL,
					"unknown field: a field name that is not valid UTF-8");
		else
			srv_reply_error(r, SRV_ERR_UNKNOWN_FIELD, item->string,
					"unknown field '%s'", item->string);
		return -1;
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

int srv_field_text(struct srv_req *r, const char *key, long minc, long maxc, unsigned flags,
		   const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, key);
	long n;

	*out = NULL;
	if (!v)
		return 0;
	if (cJSON_IsNull(v) && (flags & SRV_TEXT_NULLABLE)) {
		*out = "";
		return 1;
	}
	if (!cJSON_IsString(v)) {
		srv_reply_error(r, SRV_ERR_INVALID, key, "'%s' must be a string%s", key,
				flags & SRV_TEXT_NULLABLE ? " or null" : "");
		return -1;
	}
	if (srv_text_scan(v->valuestring, flags & SRV_TEXT_MULTILINE, &n) != SRV_TEXT_FINE) {
		srv_reply_error(r, SRV_ERR_INVALID, key, "'%s' must be UTF-8 text without control "
				"characters", key);
		return -1;
	}
	if (n < minc || n > maxc) {
		srv_reply_error(r, SRV_ERR_INVALID, key, "'%s' must be %ld to %ld characters long",
				key, minc, maxc);
		return -1;
	}
	*out = v->valuestring;
	return 1;
}

int srv_field_long(struct srv_req *r, const char *key, long min, long max, long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, key);

	if (!v)
		return 0;
	/* the range first: converting a double out of long's range is undefined */
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= (double)min) ||
	    !(v->valuedouble <= (double)max) ||
	    v->valuedouble != (double)(long)v->valuedouble) {
		srv_reply_error(r, SRV_ERR_INVALID, key, "'%s' must be a whole number from %ld to %ld",
				key, min, max);
		return -1;
	}
	*out = (long)v->valuedouble;
	return 1;
}

int srv_field_bool(struct srv_req *r, const char *key, int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, key);

	if (!v)
		return 0;
	if (!cJSON_IsBool(v)) {
		srv_reply_error(r, SRV_ERR_INVALID, key, "'%s' must be true or false", key);
		return -1;
	}
	*out = cJSON_IsTrue(v);
	return 1;
}

int srv_field_number(struct srv_req *r, const cJSON *obj, const char *name, const char *key,
		    double min, double max, int nullable, int *isnull, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (isnull)
		*isnull = 0;
	if (!v)
		return 0;
	if (cJSON_IsNull(v) && nullable) {
		*isnull = 1;
		return 1;
	}
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < min ||
	    v->valuedouble > max) {
		srv_reply_error(r, SRV_ERR_INVALID, name, "'%s' must be a number from %g to %g%s",
				name, min, max, nullable ? ", or null" : "");
		return -1;
	}
	*out = v->valuedouble;
	return 1;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* 1 when s is an RFC 3339 date-time: 2026-11-25T13:00:00Z, with fractions or an offset. */
static int rfc3339(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int year, month, day;
	const char *p;

	if (strlen(s) < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
		return 0;
	year = num(s, 4);
	month = num(s + 5, 2);
	day = num(s + 8, 2);
	if (year < 1 || month < 1 || month > 12 || day < 1 || day > mdays[month - 1] ||
	    (month == 2 && day == 29 && (year % 4 || (year % 100 == 0 && year % 400))) ||
	    num(s + 11, 2) > 23 || num(s + 14, 2) > 59 || num(s + 17, 2) > 60)
		return 0;
	p = s + 19;
	if (*p == '.') {
		int n = 0;

		while (isdigit((unsigned char)*++p))
			n++;
		if (n < 1 || n > 9)
			return 0;
	}
	if ((*p == 'Z' || *p == 'z') && !p[1])
		return 1;
	return (*p == '+' || *p == '-') && digits(p + 1, 2) && p[3] == ':' && digits(p + 4, 2) &&
	       !p[6] && num(p + 1, 2) <= 23 && num(p + 4, 2) <= 59;
}

int srv_field_time(struct srv_req *r, const char *key, const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, key);

	*out = NULL;
	if (!v)
		return 0;
	if (cJSON_IsNull(v))
		return 1;
	if (!cJSON_IsString(v) || !rfc3339(v->valuestring)) {
		srv_reply_error(r, SRV_ERR_INVALID, key,
				"'%s' must be an RFC 3339 time such as 2026-11-25T13:00:00Z, or null",
				key);
		return -1;
	}
	*out = v->valuestring;
	return 1;
}

int srv_query_flag(struct srv_req *r, const char *key, int *on)
{
	const char *v = srv_req_query(r, key);

	*on = 0;
	if (!v)
		return 0;
	if (!strcmp(v, "1") || !strcmp(v, "true"))
		*on = 1;
	else if (strcmp(v, "0") && strcmp(v, "false")) {
		srv_reply_error(r, SRV_ERR_BAD_REQUEST, key, "'%s' must be 1 or 0", key);
		return -1;
	}
	return 0;
}

/* ---- NUL characters in the raw body ---- */

/* Appends the path of the value being read: "criteria[0].name". */
struct nul_path {
	char text[128];
	size_t len;
};

/* Appends sep (when the path is not empty) and n bytes of s, or "[i]" when s is NULL. */
static void path_add(struct nul_path *p, const char *s, size_t n, long i)
{
	int w;

	if (p->len >= sizeof(p->text) - 1)
		return;
	if (s)
		w = snprintf(p->text + p->len, sizeof(p->text) - p->len, "%s%.*s",
			     p->len ? "." : "", (int)n, s);
	else
		w = snprintf(p->text + p->len, sizeof(p->text) - p->len, "[%ld]", i);
	if (w > 0)
		p->len = p->len + (size_t)w < sizeof(p->text) ? p->len + (size_t)w
							   : sizeof(p->text) - 1;
}

int srv_body_nul(const char *body, size_t len, char *field, size_t flen)
{
	/* per nesting level: an object's last key (its offset and length), or an array's index */
	struct {
		char kind;		/* '{' or '[' */
		size_t key, keylen;
		long index;
		int want_key;		/* an object, before a key (not its value) */
	} st[64];
	int depth = 0;
	size_t i = 0;

	while (i < len) {
		char c = body[i];

		if (c == '\0')
			return SRV_NUL_RAW;
		if (c == '"') {
			size_t start = ++i, nul = 0;
			int is_key = depth > 0 && st[depth - 1].kind == '{' && st[depth - 1].want_key;

			for (; i < len && body[i] != '"'; i++) {
				if (body[i] == '\0')
					return SRV_NUL_RAW;
				if (body[i] != '\\')
					continue;
				if (i + 5 < len && body[i + 1] == 'u' &&
				    !strncmp(body + i + 2, "0000", 4) && !nul)
					nul = i + 1;
				i++;	/* the escaped character is no quote */
			}
			if (nul) {
				struct nul_path p = { .len = 0 };

				/* the path of the value: each level's key or index */
				for (int k = 0; k < depth; k++) {
					if (st[k].kind == '[')
						path_add(&p, NULL, 0, st[k].index);
					else if (!(k == depth - 1 && is_key))
						path_add(&p, body + st[k].key, st[k].keylen, 0);
				}
				if (is_key)
					/* the key itself, up to its NUL */
					path_add(&p, body + start, nul - 1 - start, 0);
				snprintf(field, flen, "%s", p.text);
				return is_key ? SRV_NUL_KEY : SRV_NUL_VALUE;
			}
			if (is_key) {
				st[depth - 1].key = start;
				st[depth - 1].keylen = i - start < 64 ? i - start : 64;
				st[depth - 1].want_key = 0;
			}
			i++;
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth == (int)(sizeof(st) / sizeof(st[0])))
				return SRV_NUL_NONE;	/* too deep: the parser refuses it anyway */
			st[depth].kind = c;
			st[depth].key = st[depth].keylen = 0;
			st[depth].index = 0;
			st[depth].want_key = c == '{';
			depth++;
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		} else if (c == ',' && depth > 0) {
			if (st[depth - 1].kind == '[')
				st[depth - 1].index++;
			else
				st[depth - 1].want_key = 1;
		}
		i++;
	}
	return SRV_NUL_NONE;
}

