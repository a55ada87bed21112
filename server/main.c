/*
 * edud: the edu REST server.
 *
 *	edud [--config FILE] [--KEY VALUE]... [serve|migrate|demo|init|gc|routes]
 *
 * Signals: SIGINT and SIGTERM are blocked in every thread and taken with sigwait() by the
 * main thread, so no code runs in a signal handler; the server then stops the HTTP daemon,
 * then the embedded PostgreSQL.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/jwt.h"
#include "auth/password.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/route.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db/pgembed.h"
#include "demo.h"
#include "http.h"
#include "router.h"
#include "store/files.h"
#include "store/gc.h"
#include "xalloc.h"

static void usage(FILE *to)
{
	fprintf(to,
		"usage: edud [--config FILE] [--KEY VALUE]... [COMMAND]\n"
		"\n"
		"commands:\n"
		"  serve      run the server (the default)\n"
		"  migrate    apply pending database migrations and exit\n"
		"  demo [--password PW]\n"
		"             add the demo school (an admin, two teachers, thirty students)\n"
		"  init --school SLUG --name NAME --admin USERNAME\n"
		"             create a school and its super_admin; prints the activation code\n"
		"  gc [--dry-run]\n"
		"             delete expired uploads, the stored files nothing names any more\n"
		"             and the ended windows of the login limit per address\n"
		"             (run it from cron, e.g. nightly)\n"
		"  routes     print the route table (method, path, permission)\n"
		"\n"
		"options:\n"
		"  --config FILE              configuration file (default " SYSCONFDIR "/edu/edu.conf)\n"
		"  --print-config             print the configuration in force and exit\n"
		"  -h, --help                 this help\n"
		"  --version                  print the version\n"
		"\n"
		"configuration keys (also EDU_KEY in the environment, or KEY = VALUE in the file):\n");
	if (to == stdout)
		srv_config_usage();
	else
		fprintf(to, "  (see 'edud --help' or edud(8))\n");
}

static void print_route(const struct srv_route *rt, void *arg)
{
	char path[256];

	(void)arg;
	printf("%s %s %s\n", rt->method, srv_route_path(rt, path, sizeof(path)),
	       srv_perm_name(rt->perm));
}

static int write_small_file(const char *path, const char *text)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644), rc = -1;

	if (fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text) &&
	    close(fd) == 0 && rename(tmp, path) == 0)
		rc = 0;
	else
		srv_log("cannot write '%s': %s", path, strerror(errno));
	free(tmp);
	return rc;
}

/* The database is reachable and its schema up to date: start the embedded one if needed. */
static int database_up(int adopt)
{
	char err[256];
	PGconn *owner;
	int n;

	if (!*srv_cfg.database_url_s && srv_pg_start(adopt) < 0)
		return -1;
	if (srv_migrate_scan(srv_cfg.sql_dir_s) < 0)
		return -1;
	owner = db_connect_owner(err, sizeof(err));
	if (!owner) {
		srv_log("cannot connect to the database as the schema owner: %s", err);
		return -1;
	}
	n = srv_migrate_apply(owner);
	PQfinish(owner);
	return n < 0 ? -1 : 0;
}

static int serve(void)
{
	sigset_t sigs;
	int sig, rc = 1;
	char text[32];

	if (database_up(1) < 0)
		goto out;
	if (srv_token_init() < 0 || srv_password_init() < 0 || srv_files_init() < 0)
		goto out;
	if (srv_http_start() < 0)
		goto out;
	srv_log("edud %s listening on %s (port %u)", PACKAGE_VERSION, srv_cfg.listen_s,
		srv_http_port());
	snprintf(text, sizeof(text), "%u\n", srv_http_port());
	if (*srv_cfg.port_file_s && write_small_file(srv_cfg.port_file_s, text) < 0)
		goto stop;
	snprintf(text, sizeof(text), "%ld\n", (long)getpid());
	if (*srv_cfg.pid_file_s && write_small_file(srv_cfg.pid_file_s, text) < 0)
		goto stop;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	while (sigwait(&sigs, &sig) != 0)
		;
	srv_log("signal %d: stopping", sig);
	rc = 0;
stop:
	srv_http_stop();
	if (*srv_cfg.pid_file_s)
		unlink(srv_cfg.pid_file_s);
out:
	srv_pg_stop();
	return rc;
}

static const char *arg_value(int argc, char **argv, const char *name)
{
	size_t len = strlen(name);

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], name) && i + 1 < argc)
			return argv[i + 1];
		if (!strncmp(argv[i], name, len) && argv[i][len] == '=')
			return argv[i] + len + 1;
	}
	return NULL;
}

static int with_database(int (*fn)(PGconn *c, int argc, char **argv), int argc, char **argv)
{
	char err[256];
	PGconn *c;
	int rc = 1;

	if (database_up(0) < 0)
		goto out;
	c = db_connect_app(err, sizeof(err));
	if (!c) {
		srv_log("cannot connect to the database: %s", err);
		goto out;
	}
	if (srv_password_init() < 0) {
		PQfinish(c);
		goto out;
	}
	rc = fn(c, argc, argv) < 0 ? 1 : 0;
	PQfinish(c);
out:
	srv_pg_stop();
	return rc;
}

static int cmd_demo(PGconn *c, int argc, char **argv)
{
	const char *pw = arg_value(argc, argv, "--password");

	return srv_demo_seed(c, pw ? pw : "demo-password");
}

static int cmd_init(PGconn *c, int argc, char **argv)
{
	const char *school = arg_value(argc, argv, "--school");
	const char *name = arg_value(argc, argv, "--name");
	const char *admin = arg_value(argc, argv, "--admin");

	if (!school || !name || !admin) {
		fprintf(stderr, "edud: init needs --school SLUG --name NAME --admin USERNAME\n");
		return -1;
	}
	return srv_bootstrap(c, school, name, admin);
}

static int cmd_gc(PGconn *c, int argc, char **argv)
{
	return srv_gc(c, argc == 1 && !strcmp(argv[0], "--dry-run"));
}

/* gc deletes: a mistyped option must not be taken for a real run. */
static int gc_args_ok(int argc, char **argv)
{
	if (argc == 0 || (argc == 1 && !strcmp(argv[0], "--dry-run")))
		return 1;
	fprintf(stderr, "edud: gc: unknown argument '%s' (gc takes only --dry-run)\n",
		strcmp(argv[0], "--dry-run") ? argv[0] : argv[1]);
	return 0;
}

int main(int argc, char **argv)
{
	sigset_t sigs;
	const char *cmd;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("edud %s\n", PACKAGE_VERSION);
			return 0;
		}
	}
	srv_router_init();
	if (srv_config_load(&argc, argv) < 0)
		return 2;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--print-config")) {
			srv_config_print();
			srv_config_free();
			return 0;
		}
	}
	cmd = argc > 1 ? argv[1] : "serve";
	if (argc > 1 && argv[1][0] == '-') {
		fprintf(stderr, "edud: unknown option '%s'\n", argv[1]);
		usage(stderr);
		return 2;
	}

	/* Block the stop signals before any thread exists, so every thread inherits it. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (!strcmp(cmd, "serve")) {
		rc = serve();
	} else if (!strcmp(cmd, "migrate")) {
		rc = database_up(0) < 0 ? 1 : 0;
		srv_pg_stop();
	} else if (!strcmp(cmd, "demo")) {
		rc = with_database(cmd_demo, argc - 2, argv + 2);
	} else if (!strcmp(cmd, "init")) {
		rc = with_database(cmd_init, argc - 2, argv + 2);
	} else if (!strcmp(cmd, "gc")) {
		rc = gc_args_ok(argc - 2, argv + 2) ? with_database(cmd_gc, argc - 2, argv + 2) : 2;
	} else if (!strcmp(cmd, "routes")) {
		srv_route_each(print_route, NULL);
		rc = 0;
	} else {
		fprintf(stderr, "edud: unknown command '%s'\n", cmd);
		usage(stderr);
		rc = 2;
	}
	srv_migrate_free();
	srv_config_free();
	return rc;
}
