/* The user row as the server reads it (see user.h). */
#include "config.h"

#include <stdlib.h>

#include "auth/user.h"
#include "db/db.h"

void srv_user_from_row(struct edu_user *u, const PGresult *res, int row, int col)
{
	u->id = (char *)db_str(res, row, col + SRV_USER_ID);
	u->school_id = (char *)db_str(res, row, col + SRV_USER_SCHOOL_ID);
	u->username = (char *)db_str(res, row, col + SRV_USER_USERNAME);
	u->email = (char *)db_str(res, row, col + SRV_USER_EMAIL);
	u->display_name = (char *)db_str(res, row, col + SRV_USER_DISPLAY_NAME);
	u->role = (char *)db_str(res, row, col + SRV_USER_ROLE);
	u->disabled = db_bool(res, row, col + SRV_USER_DISABLED);
	u->activated = db_bool(res, row, col + SRV_USER_ACTIVATED);
	u->created_at = (char *)db_str(res, row, col + SRV_USER_CREATED_AT);
	u->updated_at = (char *)db_str(res, row, col + SRV_USER_UPDATED_AT);
	u->version = db_long(res, row, col + SRV_USER_VERSION);
}

cJSON *srv_user_json(const PGresult *res, int row, int col)
{
	struct edu_user u;

	srv_user_from_row(&u, res, row, col);
	return edu_user_to_json(&u);
}
