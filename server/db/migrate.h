/*
 * Numbered SQL migrations (server/sql/NNN_name.sql), applied in order under an advisory
 * lock, each in its own transaction together with its row in schema_migrations: a failed
 * one leaves the schema as it was, and re-running applies nothing twice.
 */
#ifndef SRV_MIGRATE_H
#define SRV_MIGRATE_H

#include <libpq-fe.h>

/* Reads the migration files in dir; -1 after printing why. Sets srv_migrate_expected(). */
int srv_migrate_scan(const char *dir);
/* The highest version found by the last scan. */
int srv_migrate_expected(void);
/*
 * Applies every pending migration over conn (the schema owner). Returns the number applied,
 * or -1 after printing which file failed, where and why.
 */
int srv_migrate_apply(PGconn *conn);
void srv_migrate_free(void);

#endif
