/* The school a request acts in: a school found by its slug, and ?school=SLUG. */
#ifndef SRV_KIT_SCHOOL_H
#define SRV_KIT_SCHOOL_H

#include "core/req.h"

/* The definer lookup of a school by slug: 1 found (id in out), 0 none, -1 database failure. */
int srv_school_by_slug(struct srv_req *r, const char *slug, char out[37]);
/*
 * ?school=SLUG on the /users routes: fills school with the school the request acts in
 * (the caller's own, or for a super_admin the one named, after switching the transaction
 * to it). 0, or -1 after answering (403 for anyone else, 404 for no such school).
 */
int srv_acting_school(struct srv_req *r, char school[37]);

#endif
