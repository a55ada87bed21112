/*
 * `edud demo` and `edud init`: setting up a database from the command line, outside any
 * request. Both take a connection as the application role (or the owner: row-level
 * security applies to both) and print a short summary on stdout; errors go to stderr.
 */
#ifndef SRV_DEMO_H
#define SRV_DEMO_H

#include <libpq-fe.h>

/*
 * Creates, if missing, the school "demo" (Demo School) with a super_admin root, a
 * school_admin principal, teachers teacher1 and teacher2 and students student01 to
 * student30, all with the given password (which must pass the password policy). Accounts
 * that exist already are left as they are. 0, or -1 after printing why.
 */
int srv_demo_seed(PGconn *conn, const char *password);

/*
 * Creates school slug (name) and its super_admin `admin`, and prints the admin's
 * activation code, once. Refuses (-1) when the school exists. 0, or -1 after printing why.
 */
int srv_bootstrap(PGconn *conn, const char *slug, const char *name, const char *admin);

#endif
