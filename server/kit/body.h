/*
 * Request bodies: which fields a route takes, and each field read with its type, length and
 * range checked. A failed check answers the request (400, 415 or 422, naming the field).
 */
#ifndef SRV_KIT_BODY_H
#define SRV_KIT_BODY_H

#include <stddef.h>

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

#endif
