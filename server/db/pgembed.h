/*
 * The embedded PostgreSQL: with no database_url, edud keeps a private cluster under
 * data_dir/pg (initdb on first use, Unix socket only) and stops it on exit. PostgreSQL will
 * not run as root, so when edud is root the cluster runs as pg_user.
 *
 * Layout: data_dir/pg/data (the cluster), data_dir/pg/run (its socket), data_dir/pg/log.
 * Roles: edu_admin (bootstrap superuser, used only here), edu_owner (owns the schema, runs
 * migrations), edu_app (edud's login: owns nothing, no BYPASSRLS), edu_backup (BYPASSRLS,
 * for backups). Database: edu. Authentication: trust, on a socket only its owner can open.
 */
#ifndef SRV_PGEMBED_H
#define SRV_PGEMBED_H

/*
 * Starts (or joins) the cluster and sets srv_cfg.database_url / database_owner_url to it.
 * adopt: when the cluster was already running (left over by a killed edud), stop it on exit
 * all the same. Returns 0, or -1 after printing why.
 */
int srv_pg_start(int adopt);
/*
 * The postmaster's pid when edud runs on the embedded cluster (its postmaster.pid), else 0:
 * its backends are on this machine and in this pid namespace.
 */
long srv_pg_postmaster(void);
/* Stops the cluster if this process started or adopted it. */
void srv_pg_stop(void);

#endif
