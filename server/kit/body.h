/*
 * Request bodies: which fields a route takes, and each field read with its type, length and
 * range checked. A failed check answers the request (400, 415 or 422, naming the field).
 */
#ifndef SRV_KIT_BODY_H
#define SRV_KIT_BODY_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/req.h"

/*
 * Body validation: fields is a NULL-terminated list of the names the body may carry.
 * Answers 400/415/422 and returns -1 when the body is missing, not an object, or carries
 * an unknown field; 0 when it is fine. Handlers call it first.
 */
int srv_body_check(struct srv_req *r, const char *const *fields);
/*
 * A string field: returns it, or NULL after answering 422 when it is required and missing,
 * not a string, or not within [minlen, maxlen] bytes. *missing is set when it is absent and
 * optional (pass NULL when it is required).
 */
const char *srv_body_str(struct srv_req *r, const char *key, size_t minlen, size_t maxlen,
			 int *missing);

/*
 * Body fields. Each returns 0 when the field is absent, 1 when it
 * is present (in *out), or -1 after answering 422 naming it.
 * Text: minc to maxc characters of UTF-8 without control characters (SRV_TEXT_MULTILINE
 * allows newlines and tabs); null is "" with SRV_TEXT_NULLABLE, else refused.
 */
#define SRV_TEXT_MULTILINE 0x1
#define SRV_TEXT_NULLABLE 0x2
int srv_field_text(struct srv_req *r, const char *key, long minc, long maxc, unsigned flags,
		   const char **out);
int srv_field_long(struct srv_req *r, const char *key, long min, long max, long *out);
int srv_field_bool(struct srv_req *r, const char *key, int *out);


/*
 * A number field within [min, max] (null allowed when nullable): 0 absent, 1 present
 * (*isnull, *out), -1 after answering 422 naming it.
 */
int srv_field_number(struct srv_req *r, const cJSON *obj, const char *name, const char *key,
		    double min, double max, int nullable, int *isnull, double *out);
/* A due date: RFC 3339 or null. 0 absent, 1 present (*out NULL for null), -1 after 422. */
int srv_field_time(struct srv_req *r, const char *key, const char **out);
/* A ?key=1|0|true|false query flag: 0 or 1 into *on (0 when absent), -1 after 400. */
int srv_query_flag(struct srv_req *r, const char *key, int *on);


/*
 * U+0000 in a body: a NUL byte (never valid JSON), or \u0000 in a string, which cJSON would
 * take as the string's end ({"name":"BI\u0000evil"} would be stored as "BI"). Reads the
 * raw body before it is parsed; for \u0000 the path of the value ("criteria[0].name"), or
 * for a key the key up to its NUL, goes to field.
 */
enum srv_nul {
	SRV_NUL_NONE,
	SRV_NUL_RAW,		/* a NUL byte */
	SRV_NUL_VALUE,		/* \u0000 in a string value */
	SRV_NUL_KEY,		/* \u0000 in a key */
};
int srv_body_nul(const char *body, size_t len, char *field, size_t flen);

#endif
