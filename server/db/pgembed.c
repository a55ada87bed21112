/* The embedded PostgreSQL cluster: initdb, pg_ctl start/stop, roles and database. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "core/conf.h"
#include "core/log.h"
#include "db/pgembed.h"
#include "xalloc.h"

static char *bindir, *base, *datadir, *rundir, *logfile;
static uid_t pg_uid;
static gid_t pg_gid;
static int as_other_user;
static int owned;
static long postmaster;

/*
 * Runs argv (argv[0] is the name of a program in bindir) as the cluster's user, in a new
 * session so a Ctrl-C at edud's terminal does not reach the postmaster, with signals
 * unblocked (edud blocks them in every thread). The program is started by its whole path,
 * and that path is its argv[0] too: initdb and pg_ctl find postgres beside themselves
 * through argv[0], and a bare name would send them looking along a PATH that, under
 * systemd or cron, does not hold PostgreSQL's bin directory. Returns the exit status, or -1.
 */
static int run_pg(const char *const *argv, int quiet)
{
	char *prog = xasprintf("%s/%s", bindir, argv[0]);
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0) {
		srv_log("cannot fork: %s", strerror(errno));
		free(prog);
		return -1;
	}
	if (pid == 0) {
		sigset_t none;
		const char *args[16];
		size_t n = 0;

		args[n++] = prog;
		while (argv[n] && n + 1 < sizeof(args) / sizeof(args[0])) {
			args[n] = argv[n];
			n++;
		}
		args[n] = NULL;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setsid();
		if (as_other_user &&
		    (setgroups(0, NULL) < 0 || setgid(pg_gid) < 0 || setuid(pg_uid) < 0)) {
			fprintf(stderr, "edud: cannot become user '%s': %s\n", srv_cfg.pg_user_s,
				strerror(errno));
			_exit(127);
		}
		if (quiet) {
			int fd = open("/dev/null", O_WRONLY);
			if (fd >= 0) {
				dup2(fd, STDOUT_FILENO);
				close(fd);
			}
		}
		execv(prog, (char *const *)args);
		fprintf(stderr, "edud: cannot run '%s': %s\n", prog, strerror(errno));
		_exit(127);
	}
	free(prog);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The server programs the embedded cluster needs, all in one directory. */
static const char *const pg_programs[] = { "initdb", "pg_ctl", "postgres" };

/* The first of pg_programs that dir lacks (not there, or not executable), or NULL. */
static const char *pg_missing(const char *dir)
{
	for (size_t i = 0; i < sizeof(pg_programs) / sizeof(pg_programs[0]); i++) {
		char *p = xasprintf("%s/%s", dir, pg_programs[i]);
		int ok = access(p, X_OK) == 0;

		free(p);
		if (!ok)
			return pg_programs[i];
	}
	return NULL;
}

/* A major version from a directory name ("15", "9.6"), as a number to compare; else -1. */
static double pg_dir_version(const char *name)
{
	char *end;
	double v;

	if (*name < '0' || *name > '9')
		return -1;
	v = strtod(name, &end);
	return *end ? -1 : v;
}

/*
 * Where PostgreSQL's server programs are: pg_bindir when it is set; else the newest
 * /usr/lib/postgresql/VERSION/bin that holds all of them (Debian's layout); else the
 * directory of a pg_ctl on the PATH that has initdb and postgres beside it (other
 * distributions put them in /usr/bin). Caller frees; NULL after saying what to install.
 */
static char *pg_find_bindir(void)
{
	const char *root = "/usr/lib/postgresql", *path = getenv("PATH"), *missing;
	char *best = NULL;
	double best_v = -1;
	DIR *d;

	if (*srv_cfg.pg_bindir_s) {
		missing = pg_missing(srv_cfg.pg_bindir_s);
		if (!missing)
			return xstrdup(srv_cfg.pg_bindir_s);
		srv_log("pg_bindir '%s' has no program '%s': PostgreSQL's server programs (initdb, "
			"pg_ctl, postgres) must all be there", srv_cfg.pg_bindir_s, missing);
		return NULL;
	}
	d = opendir(root);
	for (struct dirent *e; d && (e = readdir(d));) {
		double v = pg_dir_version(e->d_name);
		char *dir;

		if (v <= best_v)
			continue;
		dir = xasprintf("%s/%s/bin", root, e->d_name);
		if (pg_missing(dir)) {
			free(dir);
			continue;
		}
		free(best);
		best = dir;
		best_v = v;
	}
	if (d)
		closedir(d);
	if (best)
		return best;
	for (const char *p = path; p && *p;) {
		size_t len = strcspn(p, ":");
		char *dir = len ? xasprintf("%.*s", (int)len, p) : xstrdup(".");

		if (*dir == '/' && !pg_missing(dir))
			return dir;
		free(dir);
		p += len + (p[len] == ':');
	}
	srv_log("no PostgreSQL server programs for the embedded cluster: initdb, pg_ctl and "
		"postgres are in none of %s/VERSION/bin and the PATH; install them (Debian: "
		"apt-get install postgresql), name their directory with pg_bindir "
		"(--pg-bindir DIR), or set database_url to use a PostgreSQL server", root);
	return NULL;
}

/* Says which PostgreSQL the cluster runs on ("postgres (PostgreSQL) 15.18") and from where. */
static void pg_log_version(void)
{
	char *prog = xasprintf("%s/postgres", bindir), line[128] = "";
	int fds[2];
	pid_t pid;

	if (pipe(fds) < 0) {
		free(prog);
		return;
	}
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl(prog, prog, "--version", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	if (pid > 0) {
		FILE *f = fdopen(fds[0], "r");

		if (f) {
			if (!fgets(line, sizeof(line), f))
				line[0] = '\0';
			fclose(f);
		} else {
			close(fds[0]);
		}
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	} else {
		close(fds[0]);
	}
	line[strcspn(line, "\n")] = '\0';
	srv_log("embedded cluster: %s, from %s", *line ? line : "PostgreSQL", bindir);
	free(prog);
}

/* Can the cluster's user reach (search) dir? Checked in a child that becomes that user. */
static int reachable(const char *dir)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return 0;
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setgid(pg_gid) < 0 || setuid(pg_uid) < 0)
			_exit(2);
		_exit(access(dir, X_OK) == 0 ? 0 : 1);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int make_dir(const char *dir, mode_t mode, int chown_to_pg)
{
	if (mkdir(dir, mode) < 0 && errno != EEXIST) {
		srv_log("cannot create '%s': %s", dir, strerror(errno));
		return -1;
	}
	if (chown_to_pg && as_other_user && chown(dir, pg_uid, pg_gid) < 0) {
		srv_log("cannot give '%s' to user '%s': %s", dir, srv_cfg.pg_user_s, strerror(errno));
		return -1;
	}
	return 0;
}

/* mkdir -p for data_dir itself; the parents are the admin's business. */
static int make_data_dir(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;

	for (char *s = p + 1; *s && !rc; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			srv_log("cannot create '%s': %s", p, strerror(errno));
			rc = -1;
		}
		*s = '/';
	}
	/* 0711: the cluster's user may pass through, nobody may list */
	if (!rc && mkdir(p, 0711) < 0 && errno != EEXIST) {
		srv_log("cannot create data directory '%s': %s", p, strerror(errno));
		rc = -1;
	}
	free(p);
	return rc;
}

static int file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int initdb(void)
{
	char *conf;
	FILE *f;
	const char *argv[] = { "initdb", "-D", datadir, "-U", "edu_admin", "--auth=trust",
			       "-E", "UTF8", "--no-locale", NULL };

	srv_log("creating the embedded PostgreSQL cluster in %s", datadir);
	if (make_dir(datadir, 0700, 1) < 0)
		return -1;
	if (run_pg(argv, 1) != 0) {
		srv_log("initdb failed (see its messages above)");
		return -1;
	}
	conf = xasprintf("%s/postgresql.conf", datadir);
	f = fopen(conf, "a");
	if (!f) {
		srv_log("cannot write '%s': %s", conf, strerror(errno));
		free(conf);
		return -1;
	}
	/* Unix socket only, in our own directory, that only the cluster's owner can open */
	fprintf(f, "\n# edud's embedded cluster\n"
		   "listen_addresses = ''\n"
		   "unix_socket_directories = '%s'\n"
		   "unix_socket_permissions = 0700\n"
		   "max_connections = 200\n"
		   "logging_collector = off\n",
		rundir);
	fclose(f);
	free(conf);
	return 0;
}

static int pg_running(void)
{
	const char *argv[] = { "pg_ctl", "status", "-D", datadir, NULL };

	return run_pg(argv, 1) == 0;
}

static int exec_admin(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok)
		srv_log("embedded cluster setup failed: %s", PQresultErrorMessage(res));
	PQclear(res);
	return ok ? 0 : -1;
}

/* Roles and database, created once; every statement is safe to run again. */
static int bootstrap(void)
{
	char *url = xasprintf("host=%s dbname=postgres user=edu_admin", rundir);
	PGconn *c = PQconnectdb(url);
	PGresult *res;
	int rc = -1;

	free(url);
	if (PQstatus(c) != CONNECTION_OK) {
		srv_log("cannot connect to the embedded cluster: %s", PQerrorMessage(c));
		goto out;
	}
	if (exec_admin(c, "DO $$ BEGIN "
			  "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'edu_owner') THEN "
			  "  CREATE ROLE edu_owner LOGIN NOSUPERUSER NOCREATEROLE; END IF; "
			  "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'edu_app') THEN "
			  "  CREATE ROLE edu_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; END IF; "
			  "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'edu_backup') THEN "
			  "  CREATE ROLE edu_backup LOGIN NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE; END IF; "
			  "END $$") < 0)
		goto out;
	res = PQexec(c, "SELECT 1 FROM pg_database WHERE datname = 'edu'");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 0) {
		PQclear(res);
		if (exec_admin(c, "CREATE DATABASE edu OWNER edu_owner") < 0 ||
		    exec_admin(c, "REVOKE ALL ON DATABASE edu FROM PUBLIC") < 0 ||
		    exec_admin(c, "GRANT CONNECT, TEMPORARY ON DATABASE edu TO edu_app, edu_backup") < 0)
			goto out;
	} else {
		PQclear(res);
	}
	rc = 0;
out:
	PQfinish(c);
	return rc;
}

static int find_user(void)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	pw = getpwnam(srv_cfg.pg_user_s);
	if (!pw) {
		srv_log("edud runs as root and PostgreSQL refuses to: the embedded cluster runs as "
			"pg_user '%s', which does not exist (create it, pick another with --pg-user, "
			"or run edud as an ordinary user)", srv_cfg.pg_user_s);
		return -1;
	}
	if (pw->pw_uid == 0) {
		srv_log("pg_user '%s' is root; PostgreSQL refuses to run as root", srv_cfg.pg_user_s);
		return -1;
	}
	pg_uid = pw->pw_uid;
	pg_gid = pw->pw_gid;
	as_other_user = 1;
	return 0;
}

/* The first line of the cluster's postmaster.pid, or 0. */
static long read_postmaster_pid(void)
{
	char *path = xasprintf("%s/postmaster.pid", datadir);
	FILE *f = fopen(path, "r");
	long pid = 0;

	free(path);
	if (!f)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 1)
		pid = 0;
	fclose(f);
	return pid;
}

long srv_pg_postmaster(void)
{
	return postmaster;
}

int srv_pg_start(int adopt)
{
	char *pgversion;
	int made, running;
	const char *start[] = { "pg_ctl", "start", "-D", NULL, "-l", NULL, "-w", "-t", "120",
				"-s", NULL };

	if (find_user() < 0)
		return -1;
	bindir = pg_find_bindir();
	if (!bindir)
		return -1;
	base = xasprintf("%s/pg", srv_cfg.data_dir_s);
	datadir = xasprintf("%s/data", base);
	rundir = xasprintf("%s/run", base);
	logfile = xasprintf("%s/postgresql.log", base);
	if (make_data_dir(srv_cfg.data_dir_s) < 0 || make_dir(base, 0700, 1) < 0 ||
	    make_dir(rundir, 0700, 1) < 0)
		return -1;
	if (as_other_user && !reachable(base)) {
		srv_log("the embedded cluster runs as '%s', who cannot reach '%s': every parent "
			"directory must be searchable by that user (chmod o+x), or choose another "
			"--data-dir", srv_cfg.pg_user_s, base);
		return -1;
	}
	pgversion = xasprintf("%s/PG_VERSION", datadir);
	made = file_exists(pgversion);
	free(pgversion);
	running = made && pg_running();
	/*
	 * Which PostgreSQL: said when the cluster is made, and when the server (the one
	 * caller that adopts) starts it; not by every nightly gc, which cron would mail.
	 */
	if (!made || (adopt && !running))
		pg_log_version();
	if (!made && initdb() < 0)
		return -1;
	if (running) {
		owned = adopt;
	} else {
		start[3] = datadir;
		start[5] = logfile;
		if (run_pg(start, 0) != 0) {
			srv_log("the embedded PostgreSQL did not start; its log is %s", logfile);
			return -1;
		}
		owned = 1;
	}
	if (bootstrap() < 0)
		return -1;
	postmaster = read_postmaster_pid();
	free(srv_cfg.database_url_s);
	srv_cfg.database_url_s = xasprintf("host=%s dbname=edu user=edu_app", rundir);
	free(srv_cfg.database_owner_url_s);
	srv_cfg.database_owner_url_s = xasprintf("host=%s dbname=edu user=edu_owner", rundir);
	return 0;
}

void srv_pg_stop(void)
{
	const char *argv[] = { "pg_ctl", "stop", "-D", datadir, "-m", "fast", "-w", "-t", "60",
			       "-s", NULL };

	if (owned && datadir && run_pg(argv, 0) != 0)
		srv_log("stopping the embedded PostgreSQL failed; its log is %s", logfile);
	owned = 0;
	postmaster = 0;
	free(bindir);
	free(base);
	free(datadir);
	free(rundir);
	free(logfile);
	bindir = base = datadir = rundir = logfile = NULL;
}
