/* The user row as the server reads it (see user.h). */
#include "config.h"

#include <stdlib.h>

#include "auth/user.h"

void srv_user_from_row(struct edu_user *u, const PGresult *res, int row, int col)
{
#define STR(i) (PQgetisnull(res, row, col + (i)) ? NULL : PQgetvalue(res, row, col + (i)))
	u->id = STR(0);
	u->school_id = STR(1);
	u->username = STR(2);
	u->email = STR(3);
	u->display_name = STR(4);
	u->role = STR(5);
	u->disabled = PQgetvalue(res, row, col + 6)[0] == 't';
	u->activated = PQgetvalue(res, row, col + 7)[0] == 't';
	u->created_at = STR(8);
	u->updated_at = STR(9);
	u->version = atol(PQgetvalue(res, row, col + 10));
#undef STR
}

cJSON *srv_user_json(const PGresult *res, int row, int col)
{
	struct edu_user u;

	srv_user_from_row(&u, res, row, col);
	return edu_user_to_json(&u);
}
