/* The school a request acts in (see school.h). */
#include "config.h"

#include <string.h>

#include "core/req.h"
#include "db/db.h"
#include "kit/query.h"
#include "kit/school.h"

static const struct db_stmt q_school_by_slug = DB_STMT("srv_school_by_slug", 1,
	"SELECT school_by_slug($1)");
enum { SLUG_SCHOOL };

int srv_school_by_slug(struct srv_req *r, const char *slug, char out[37])
{
	PGresult *res;
	int found;

	out[0] = '\0';
	if (!slug || !*slug || strlen(slug) > 63)
		return 0;
	res = db_exec(r->tx, &q_school_by_slug, (const char *[]){ slug });
	if (!res)
		return -1;
	found = !db_null(res, 0, SLUG_SCHOOL) && strlen(db_str(res, 0, SLUG_SCHOOL)) == 36;
	if (found)
		memcpy(out, db_str(res, 0, SLUG_SCHOOL), 37);
	PQclear(res);
	return found;
}

int srv_acting_school(struct srv_req *r, char school[37])
{
	const char *slug = srv_req_query(r, "school");
	int rc;

	memcpy(school, r->caller.school_id, 37);
	if (!slug)
		return 0;
	if (r->caller.role != EDU_ROLE_SUPER_ADMIN) {
		srv_reply_error(r, SRV_ERR_FORBIDDEN, "school",
				"only a super_admin acts in another school");
		return -1;
	}
	rc = srv_school_by_slug(r, slug, school);
	if (rc < 0) {
		srv_reply_db_error(r);
		return -1;
	}
	if (rc == 0) {
		srv_reply_error(r, SRV_ERR_NOT_FOUND, "school", "no such school");
		return -1;
	}
	return srv_tx_set_school(r, school);
}
