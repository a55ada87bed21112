/* The migration runner. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "core/log.h"
#include "db/db.h"
#include "db/migrate.h"
#include "xalloc.h"

/* Any fixed number: every edud taking the lock must use the same one. */
#define MIGRATE_LOCK_KEY "7305186102"

struct migration {
	int version;
	char *name;
	char *path;
};

static struct migration *migs;
static int nmigs;

static int cmp_mig(const void *a, const void *b)
{
	return ((const struct migration *)a)->version - ((const struct migration *)b)->version;
}

void srv_migrate_free(void)
{
	for (int i = 0; i < nmigs; i++) {
		free(migs[i].name);
		free(migs[i].path);
	}
	free(migs);
	migs = NULL;
	nmigs = 0;
}

int srv_migrate_scan(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	srv_migrate_free();
	if (!d) {
		srv_log("cannot read the migrations in '%s': %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (!isdigit((unsigned char)de->d_name[0]) || len < 5 ||
		    strcmp(de->d_name + len - 4, ".sql"))
			continue;
		migs = xrealloc(migs, (size_t)(nmigs + 1) * sizeof(*migs));
		migs[nmigs].version = atoi(de->d_name);
		migs[nmigs].name = xstrdup(de->d_name);
		migs[nmigs].path = xasprintf("%s/%s", dir, de->d_name);
		nmigs++;
	}
	closedir(d);
	if (!nmigs) {
		srv_log("no migrations in '%s'", dir);
		return -1;
	}
	qsort(migs, (size_t)nmigs, sizeof(*migs), cmp_mig);
	for (int i = 1; i < nmigs; i++) {
		if (migs[i].version == migs[i - 1].version) {
			srv_log("migrations '%s' and '%s' have the same number", migs[i - 1].name,
				migs[i].name);
			return -1;
		}
	}
	return 0;
}

int srv_migrate_expected(void)
{
	return nmigs ? migs[nmigs - 1].version : 0;
}

static int exec_ok(PGconn *c, const char *sql, const char *what)
{
	PGresult *res = PQexec(c, sql);
	ExecStatusType s = PQresultStatus(res);
	int ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;

	if (!ok)
		srv_log("migrate: %s failed: %s", what, PQresultErrorMessage(res));
	PQclear(res);
	return ok ? 0 : -1;
}

static char *read_file(const char *path)
{
	struct edu_buf b = EDU_BUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		edu_buf_add(&b, chunk, n);
	fclose(f);
	return edu_buf_detach(&b);
}

static int line_of(const char *sql, long pos)
{
	int line = 1;

	for (long i = 0; sql[i] && i < pos - 1; i++)
		if (sql[i] == '\n')
			line++;
	return line;
}

static int apply_one(PGconn *c, const struct migration *m)
{
	char *sql = read_file(m->path);
	char ver[16];
	PGresult *res;
	int rc = -1;

	if (!sql) {
		srv_log("migrate: cannot read '%s': %s", m->path, strerror(errno));
		return -1;
	}
	if (exec_ok(c, "BEGIN", "begin") < 0)
		goto out;
	res = PQexec(c, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);

		srv_log("migrate: %s:%d: %s", m->name, pos ? line_of(sql, atol(pos)) : 0,
			PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
		PQclear(res);
		exec_ok(c, "ROLLBACK", "rollback");
		goto out;
	}
	PQclear(res);
	snprintf(ver, sizeof(ver), "%d", m->version);
	res = PQexecParams(c, "INSERT INTO " DB_SCHEMA ".schema_migrations (version, name) "
			   "VALUES ($1, $2)", 2, NULL, (const char *[]){ ver, m->name }, NULL,
			   NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		srv_log("migrate: recording %s failed: %s", m->name, PQresultErrorMessage(res));
		PQclear(res);
		exec_ok(c, "ROLLBACK", "rollback");
		goto out;
	}
	PQclear(res);
	if (exec_ok(c, "COMMIT", "commit") < 0)
		goto out;
	srv_log("migrate: applied %s", m->name);
	rc = 0;
out:
	free(sql);
	return rc;
}

int srv_migrate_apply(PGconn *c)
{
	PGresult *res;
	int applied = 0, have, rc = -1;

	if (exec_ok(c, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", "lock") < 0)
		return -1;
	if (exec_ok(c, "CREATE SCHEMA IF NOT EXISTS " DB_SCHEMA, "create schema") < 0 ||
	    exec_ok(c, "CREATE TABLE IF NOT EXISTS " DB_SCHEMA ".schema_migrations ("
		       " version integer PRIMARY KEY,"
		       " name text NOT NULL,"
		       " applied_at timestamptz NOT NULL DEFAULT now())", "create table") < 0 ||
	    exec_ok(c, "GRANT USAGE ON SCHEMA " DB_SCHEMA " TO edu_app; "
		       "GRANT SELECT ON " DB_SCHEMA ".schema_migrations TO edu_app",
		    "grant") < 0)
		goto out;
	res = PQexec(c, "SELECT coalesce(max(version), 0) FROM " DB_SCHEMA ".schema_migrations");
	/* its one column */
	enum { MIGRATED_VERSION };
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		srv_log("migrate: reading schema_migrations failed: %s", PQresultErrorMessage(res));
		PQclear(res);
		goto out;
	}
	have = (int)db_long(res, 0, MIGRATED_VERSION);
	PQclear(res);
	for (int i = 0; i < nmigs; i++) {
		if (migs[i].version <= have)
			continue;
		if (apply_one(c, &migs[i]) < 0)
			goto out;
		applied++;
	}
	rc = applied;
out:
	exec_ok(c, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", "unlock");
	return rc;
}
