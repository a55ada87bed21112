/*
 * The rules of the fields that name people and schools: usernames, email addresses,
 * display names and slugs; and an optional body field that may be null, checked by one.
 */
#ifndef SRV_KIT_FIELDS_H
#define SRV_KIT_FIELDS_H

#include "core/req.h"

/* Field rules; NULL when fine, else the reason. */
const char *srv_check_username(const char *s);
const char *srv_check_email(const char *s);
const char *srv_check_display_name(const char *s);
const char *srv_check_slug(const char *s);

/*
 * An optional body field that may be null: 0 absent, 1 present (*out NULL for null), -1
 * after answering 422 (not a string, or check gave a reason).
 */
int srv_field_opt_text(struct srv_req *r, const char *key, const char *(*check)(const char *),
		       const char **out);

#endif
