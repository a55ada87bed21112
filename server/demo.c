/*
 * `edud demo` (a school to try things in, safe to run again) and `edud init` (the first
 * school and its super_admin on a fresh database).
 *
 * They run outside any request, on a connection of their own, so they set the row-level
 * security context themselves: app.role = super_admin to see and create schools, then
 * app.school_id for the users of the school.
 */
#include "config.h"

#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/code.h"
#include "auth/password.h"
#include "core/conf.h"
#include "db/db.h"
#include "demo.h"
#include "kit/fields.h"

#define DEMO_SLUG "demo"
#define DEMO_NAME "Demo School"
#define DEMO_TEACHERS 2
#define DEMO_STUDENTS 30

/* The statements here read one column: a school's id, an activation code's expiry. */
enum { ONLY_COLUMN };

static void rollback(PGconn *c)
{
	PQclear(PQexec(c, "ROLLBACK"));
}

/* Opens the transaction that may create schools. */
static int begin_super(PGconn *c)
{
	if (db_run_ok(c, "begin", "BEGIN", 0, NULL) < 0)
		return -1;
	if (db_run_ok(c, "setting the role", "SELECT set_config('app.role', 'super_admin', true)",
		      0, NULL) < 0) {
		rollback(c);
		return -1;
	}
	return 0;
}

static int enter_school(PGconn *c, const char *school)
{
	return db_run_ok(c, "setting the school", "SELECT set_config('app.school_id', $1, true)",
		         1, (const char *[]){ school });
}

struct demo_user {
	char username[32];
	char display[48];
	const char *role;
};

static int demo_users(struct demo_user *u)
{
	int n = 0;

	snprintf(u[n].username, sizeof(u[n].username), "root");
	snprintf(u[n].display, sizeof(u[n].display), "Root Administrator");
	u[n++].role = "super_admin";
	snprintf(u[n].username, sizeof(u[n].username), "principal");
	snprintf(u[n].display, sizeof(u[n].display), "Pat Principal");
	u[n++].role = "school_admin";
	for (int i = 1; i <= DEMO_TEACHERS; i++) {
		snprintf(u[n].username, sizeof(u[n].username), "teacher%d", i);
		snprintf(u[n].display, sizeof(u[n].display), "Teacher %d", i);
		u[n++].role = "teacher";
	}
	for (int i = 1; i <= DEMO_STUDENTS; i++) {
		snprintf(u[n].username, sizeof(u[n].username), "student%02d", i);
		snprintf(u[n].display, sizeof(u[n].display), "Student %02d", i);
		u[n++].role = "student";
	}
	return n;
}

int srv_demo_seed(PGconn *c, const char *password)
{
	struct demo_user users[2 + DEMO_TEACHERS + DEMO_STUDENTS];
	char school[37], hash[SRV_PASSWORD_HASH_MAX] = "", email[80];
	const char *why = srv_password_policy(password);
	int n = demo_users(users), created = 0, rc = -1;
	PGresult *res;

	if (why) {
		fprintf(stderr, "edud: demo password: %s\n", why);
		return -1;
	}
	/* one hash for everyone: the same known password, and seeding stays quick */
	if (srv_password_hash(password, hash, sizeof(hash)) < 0) {
		fprintf(stderr, "edud: cannot hash the demo password\n");
		return -1;
	}
	if (begin_super(c) < 0)
		goto out;
	if (db_run_ok(c, "creating the demo school",
		      "INSERT INTO edu.schools (slug, name) VALUES ($1, $2) "
		      "ON CONFLICT (slug) DO NOTHING", 2,
		      (const char *[]){ DEMO_SLUG, DEMO_NAME }) < 0)
		goto fail;
	res = db_run(c, "finding the demo school", "SELECT id FROM edu.schools WHERE slug = $1", 1,
		     (const char *[]){ DEMO_SLUG });
	if (!res)
		goto fail;
	if (PQntuples(res) != 1) {
		fprintf(stderr, "edud: the demo school is not visible after creating it\n");
		PQclear(res);
		goto fail;
	}
	snprintf(school, sizeof(school), "%s", db_str(res, 0, ONLY_COLUMN));
	PQclear(res);
	if (enter_school(c, school) < 0)
		goto fail;
	for (int i = 0; i < n; i++) {
		snprintf(email, sizeof(email), "%.31s@demo.example.org", users[i].username);
		res = db_run(c, "creating a demo user",
			     "INSERT INTO edu.users (school_id, username, email, display_name, role, "
			     "  password_hash) VALUES ($1, $2, $3, $4, $5, $6) "
			     "ON CONFLICT (school_id, lower(username)) DO NOTHING", 6,
			     (const char *[]){ school, users[i].username, email, users[i].display,
					       users[i].role, hash });
		if (!res)
			goto fail;
		created += !strcmp(PQcmdTuples(res), "1");
		PQclear(res);
	}
	if (db_run_ok(c, "commit", "COMMIT", 0, NULL) < 0)
		goto out;
	printf("demo school '%s': %d accounts (%d new): root (super_admin), principal "
	       "(school_admin), teacher1-%d, student01-%02d\n", DEMO_SLUG, n, created,
	       DEMO_TEACHERS, DEMO_STUDENTS);
	rc = 0;
	goto out;
fail:
	rollback(c);
out:
	OPENSSL_cleanse(hash, sizeof(hash));
	return rc;
}

int srv_bootstrap(PGconn *c, const char *slug, const char *name, const char *admin)
{
	char school[37], hash[65], ttl[24], *code = NULL;
	const char *why;
	PGresult *res;
	int rc = -1;

	if ((why = srv_check_slug(slug))) {
		fprintf(stderr, "edud: school '%s': %s\n", slug, why);
		return -1;
	}
	if (srv_check_display_name(name)) {
		fprintf(stderr, "edud: school name: 1 to 200 characters without control "
			"characters\n");
		return -1;
	}
	if ((why = srv_check_username(admin))) {
		fprintf(stderr, "edud: admin '%s': %s\n", admin, why);
		return -1;
	}
	if (begin_super(c) < 0)
		return -1;
	res = db_run(c, "creating the school",
		     "INSERT INTO edu.schools (slug, name) VALUES ($1, $2) "
		     "ON CONFLICT (slug) DO NOTHING RETURNING id", 2, (const char *[]){ slug, name });
	if (!res)
		goto fail;
	if (PQntuples(res) != 1) {
		fprintf(stderr, "edud: school '%s' exists already; nothing changed\n", slug);
		PQclear(res);
		goto fail;
	}
	snprintf(school, sizeof(school), "%s", db_str(res, 0, ONLY_COLUMN));
	PQclear(res);
	if (enter_school(c, school) < 0)
		goto fail;
	code = srv_code_new(hash);
	snprintf(ttl, sizeof(ttl), "%ld", srv_cfg.activation_ttl);
	res = db_run(c, "creating the super_admin",
		     "INSERT INTO edu.users (school_id, username, role, activation_hash, "
		     "  activation_expires_at) "
		     "VALUES ($1, $2, 'super_admin', $3, now() + make_interval(secs => $4::int)) "
		     "RETURNING " DB_TS("activation_expires_at"), 4,
		     (const char *[]){ school, admin, hash, ttl });
	if (!res)
		goto fail;
	if (db_run_ok(c, "commit", "COMMIT", 0, NULL) < 0) {
		PQclear(res);
		goto out;
	}
	printf("school '%s' created with super_admin '%s'\n"
	       "activation code: %s (shown only now; valid until %s)\n",
	       slug, admin, code, db_str(res, 0, ONLY_COLUMN));
	PQclear(res);
	rc = 0;
	goto out;
fail:
	rollback(c);
out:
	if (code) {
		OPENSSL_cleanse(code, strlen(code));
		free(code);
	}
	return rc;
}
