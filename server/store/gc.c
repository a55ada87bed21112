/*
 * `edud gc`: the file store's garbage collector, and the sweeper of the login counts per
 * address whose window has ended.
 *
 * Content under data_dir/files is named by its SHA-256 and shared by every files row of that
 * content, in any school; rows go without their bytes (an upload never submitted expires, a
 * school is deleted), since no request can tell that no row of any school names a content
 * any more. gc can: it visits every school, one transaction each (row-level security shows
 * one school at a time, to the owner too).
 *
 * The order matters:
 *  1. expire the uploads never submitted, school by school (rows only: no lock needed);
 *  2. take the store's lock exclusive (files.h): it waits for the upload ends in progress,
 *     which hold it shared from before their bytes enter the store until their row is
 *     committed, and holds new ones back;
 *  3. read the schools, and in each the SHA-256s its rows name: the live set (the schools
 *     are read under the lock, so a school made since step 1 is not missed);
 *  4. delete every content file not in the live set; release the lock;
 *  5. remove the temporary files of uploads that ended without cleaning up (a killed edud).
 * A dry run takes the same steps and deletes nothing; its live set leaves out the rows that
 * step 1 would have deleted, so it counts what a run would delete.
 *
 * Before all that, and apart from the store: the rows of login_address_windows whose window
 * has ended go (sessions.c starts a new window in place of an ended one, so an address
 * that never comes back would keep its row for good). One statement; a login counting
 * its address at that moment either waits for it and starts a new row, or renewed the
 * window first, and then the row is live and stays.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/conf.h"
#include "db/db.h"
#include "store/files.h"
#include "store/gc.h"
#include "xalloc.h"

/*
 * A temporary file this old (seconds since its last write) belongs to no upload in
 * progress: an upload writes to its file as its bytes arrive.
 */
#define TMP_STALE (24 * 60 * 60)

#define SHA256_HEX 64

struct gc {
	PGconn *c;
	int dry_run;
	char (*live)[SHA256_HEX + 1];	/* sorted once read */
	size_t nlive, alive;
	unsigned long long expired;	/* upload rows */
	unsigned long long deleted, deleted_bytes;	/* content files */
	unsigned long long tmp_removed;
	unsigned long long addr_windows;	/* ended login address windows */
	int failures;			/* files that could not be deleted */
};

/* The rule of q_upload_expire (submissions.c), for every upload of one school. */
/*
 * What the statements below read: a count (a dry run's), a school's id (schools()), a
 * stored file's SHA-256 (sql_live): each the one column of its result.
 */
enum { GC_COUNT = 0, GC_SCHOOL_ID = 0, GC_SHA256 = 0 };

static const char sql_expire[] =
	"DELETE FROM edu.files f USING edu.uploads u "
	"WHERE u.school_id = $1 AND u.expires_at < now() "
	"  AND f.school_id = u.school_id AND f.id = u.file_id";
static const char sql_expire_count[] =
	"SELECT count(*) FROM edu.uploads WHERE school_id = $1 AND expires_at < now()";

static const char sql_live[] =
	"SELECT DISTINCT sha256 FROM edu.files WHERE school_id = $1";
/* what would be left after sql_expire */
static const char sql_live_dry[] =
	"SELECT DISTINCT f.sha256 FROM edu.files f WHERE f.school_id = $1 "
	"  AND NOT EXISTS (SELECT 1 FROM edu.uploads u WHERE u.school_id = f.school_id "
	"    AND u.file_id = f.id AND u.expires_at < now())";

static const char sql_addr_ended[] =
	"DELETE FROM edu.login_address_windows WHERE ends_at <= now()";
static const char sql_addr_ended_count[] =
	"SELECT count(*) FROM edu.login_address_windows WHERE ends_at <= now()";

/*
 * Runs sql in a transaction of its own: with school as the tenant and as its one parameter,
 * or with no school as a super_admin (who sees every school's row, and nothing else).
 */
static PGresult *in_school(PGconn *c, const char *what, const char *school, const char *sql)
{
	PGresult *res = NULL;

	if (db_run_ok(c, "begin", "BEGIN", 0, NULL) < 0)
		return NULL;
	if (school)
		res = db_run(c, "setting the school", "SELECT set_config('app.school_id', $1, true)",
			     1, (const char *[]){ school });
	else
		res = db_run(c, "setting the role",
			     "SELECT set_config('app.role', 'super_admin', true)", 0, NULL);
	if (!res)
		goto fail;
	PQclear(res);
	res = db_run(c, what, sql, school ? 1 : 0, (const char *[]){ school });
	if (!res)
		goto fail;
	if (db_run_ok(c, "commit", "COMMIT", 0, NULL) < 0) {
		PQclear(res);
		return NULL;
	}
	return res;
fail:
	PQclear(PQexec(c, "ROLLBACK"));
	return NULL;
}

static PGresult *schools(PGconn *c)
{
	return in_school(c, "reading the schools", NULL, "SELECT id FROM edu.schools ORDER BY id");
}

/*
 * Step 2. The wait can be long (an upload end that does not commit), and SIGTERM and SIGINT
 * are blocked (main.c takes them with sigwait() in serve): so they are read from a
 * signalfd while the lock is waited for, and stop the wait (PQcancel) rather than leave a
 * gc nobody can stop short of SIGKILL. pg_advisory_lock() rather than a loop of
 * pg_try_advisory_lock(): a waiting exclusive lock holds back new shared ones, so a steady
 * stream of uploads cannot starve gc.
 */
static int lock_store(PGconn *c)
{
	static const char sql[] = "SELECT pg_advisory_lock(" SRV_FILES_LOCK_KEY ")";
	PGresult *res, *last = NULL;
	sigset_t stop;
	int sfd, rc = -1, stopped = 0;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sfd = signalfd(-1, &stop, SFD_CLOEXEC);
	if (sfd < 0)	/* no way to be stopped: wait all the same */
		return db_run_ok(c, "taking the file store's lock", sql, 0, NULL);
	if (!PQsendQuery(c, sql)) {
		fprintf(stderr, "edud: gc: taking the file store's lock failed: %s",
			PQerrorMessage(c));
		goto out;
	}
	while (PQconsumeInput(c) && PQisBusy(c)) {
		struct pollfd pfd[2] = { { PQsocket(c), POLLIN, 0 }, { sfd, POLLIN, 0 } };
		struct signalfd_siginfo si;
		PGcancel *cancel;
		char err[256];

		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (!(pfd[1].revents & POLLIN) || read(sfd, &si, sizeof(si)) <= 0 || stopped)
			continue;
		stopped = 1;
		cancel = PQgetCancel(c);
		if (!cancel || !PQcancel(cancel, err, sizeof(err)))
			fprintf(stderr, "edud: gc: cannot stop waiting for the lock: %s\n",
				cancel ? err : "no cancel handle");
		PQfreeCancel(cancel);
	}
	while ((res = PQgetResult(c))) {
		PQclear(last);
		last = res;
	}
	if (stopped)
		fprintf(stderr, "edud: gc: stopped by a signal while waiting for the file store's "
			"lock; nothing was deleted from the store\n");
	else if (PQresultStatus(last) != PGRES_TUPLES_OK)
		fprintf(stderr, "edud: gc: taking the file store's lock failed: %s",
			last ? PQresultErrorMessage(last) : PQerrorMessage(c));
	else
		rc = 0;
	PQclear(last);
out:
	close(sfd);
	return rc;
}

/* How many rows a step found: a dry run's count(*), or the rows a DELETE removed. Clears res. */
static unsigned long long step_count(const struct gc *g, PGresult *res)
{
	unsigned long long n = strtoull(g->dry_run ? db_str(res, 0, GC_COUNT) : PQcmdTuples(res),
					NULL, 10);

	PQclear(res);
	return n;
}

/* The login address windows that have ended, or in a dry run their count. */
static int forget_addresses(struct gc *g)
{
	PGresult *res = g->dry_run
		? db_run(g->c, "counting ended login address windows", sql_addr_ended_count, 0,
			 NULL)
		: db_run(g->c, "deleting ended login address windows", sql_addr_ended, 0, NULL);

	if (!res)
		return -1;
	g->addr_windows = step_count(g, res);
	return 0;
}

/* Step 1: the expired uploads' rows, or in a dry run their count. */
static int expire_uploads(struct gc *g)
{
	PGresult *ids = schools(g->c), *res;
	int rc = -1;

	if (!ids)
		return -1;
	for (int i = 0; i < PQntuples(ids); i++) {
		const char *school = db_str(ids, i, GC_SCHOOL_ID);

		res = g->dry_run
			? in_school(g->c, "counting expired uploads", school, sql_expire_count)
			: in_school(g->c, "deleting expired uploads", school, sql_expire);
		if (!res)
			goto out;
		g->expired += step_count(g, res);
	}
	rc = 0;
out:
	PQclear(ids);
	return rc;
}

static int cmp_sha(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Step 3: every SHA-256 a row names, in every school, sorted. */
static int read_live(struct gc *g)
{
	PGresult *ids = schools(g->c), *res;
	int rc = -1;

	if (!ids)
		return -1;
	for (int i = 0; i < PQntuples(ids); i++) {
		res = in_school(g->c, "reading the stored files", db_str(ids, i, GC_SCHOOL_ID),
				g->dry_run ? sql_live_dry : sql_live);
		if (!res)
			goto out;
		for (int j = 0; j < PQntuples(res); j++) {
			if (g->nlive == g->alive) {
				g->alive = g->alive ? 2 * g->alive : 1024;
				g->live = xrealloc(g->live, g->alive * sizeof(*g->live));
			}
			snprintf(g->live[g->nlive++], sizeof(*g->live), "%s",
				 db_str(res, j, GC_SHA256));
		}
		PQclear(res);
	}
	if (g->nlive)
		qsort(g->live, g->nlive, sizeof(*g->live), cmp_sha);
	rc = 0;
out:
	PQclear(ids);
	return rc;
}

static int is_live(const struct gc *g, const char *sha256)
{
	return g->nlive && bsearch(sha256, g->live, g->nlive, sizeof(*g->live), cmp_sha);
}

static int is_hex(const char *s, size_t len)
{
	return strlen(s) == len && strspn(s, "0123456789abcdef") == len;
}

/* Deletes path unless this is a dry run; 1 when it is (or would be) gone. */
static int remove_file(struct gc *g, const char *path)
{
	if (g->dry_run || unlink(path) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	fprintf(stderr, "edud: gc: cannot delete '%s': %s\n", path, strerror(errno));
	g->failures++;
	return 0;
}

/* Step 4 in one directory of the store, files/ab: what no row names goes. */
static int sweep_dir(struct gc *g, const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	char *path;

	if (!d) {
		fprintf(stderr, "edud: gc: cannot read '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		/* only content: anything else there is not the store's to delete */
		if (!is_hex(e->d_name, SHA256_HEX) || strncmp(e->d_name, prefix, 2) != 0 ||
		    is_live(g, e->d_name))
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && remove_file(g, path)) {
			g->deleted++;
			g->deleted_bytes += (unsigned long long)st.st_size;
		}
		free(path);
	}
	closedir(d);
	return 0;
}

/* Step 4: data_dir/files/??/; a store not made yet is an empty one. */
static int sweep_store(struct gc *g, const char *store)
{
	DIR *d = opendir(store);
	struct dirent *e;
	struct stat st;
	char *dir;
	int rc = 0;

	if (!d && errno == ENOENT)
		return 0;
	if (!d) {
		fprintf(stderr, "edud: gc: cannot read '%s': %s\n", store, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) && rc == 0) {
		if (!is_hex(e->d_name, 2))
			continue;
		dir = xasprintf("%s/%s", store, e->d_name);
		if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			rc = sweep_dir(g, dir, e->d_name);
		free(dir);
	}
	closedir(d);
	return rc;
}

/* Step 5: data_dir/files/tmp, the files not written to for a day. */
static int sweep_tmp(struct gc *g, const char *store)
{
	char *tmp = xasprintf("%s/tmp", store), *path;
	DIR *d = opendir(tmp);
	time_t now = time(NULL);
	struct dirent *e;
	struct stat st;
	int rc = 0;

	if (!d) {
		if (errno != ENOENT) {
			fprintf(stderr, "edud: gc: cannot read '%s': %s\n", tmp, strerror(errno));
			rc = -1;
		}
		goto out;
	}
	while ((e = readdir(d))) {
		path = xasprintf("%s/%s", tmp, e->d_name);
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    now - st.st_mtime > TMP_STALE && remove_file(g, path))
			g->tmp_removed++;
		free(path);
	}
	closedir(d);
out:
	free(tmp);
	return rc;
}

/* "1 stored file", "12 stored files" */
static const char *plural(unsigned long long n)
{
	return n == 1 ? "" : "s";
}

static void human_size(char *out, size_t len, unsigned long long bytes)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes / 1024;
	int i = 0;

	if (bytes < 1024) {
		snprintf(out, len, "%llu byte%s", bytes, plural(bytes));
		return;
	}
	while (v >= 1024 && i < 3) {
		v /= 1024;
		i++;
	}
	snprintf(out, len, "%.1f %s", v, unit[i]);
}

static void summary(const struct gc *g)
{
	char size[32];

	human_size(size, sizeof(size), g->deleted_bytes);
	if (g->dry_run)
		printf("gc: dry run: would remove %llu expired upload%s, delete %llu stored "
		       "file%s (%s), remove %llu stale temporary file%s, remove %llu ended "
		       "login address window%s\n",
		       g->expired, plural(g->expired), g->deleted, plural(g->deleted), size,
		       g->tmp_removed, plural(g->tmp_removed), g->addr_windows,
		       plural(g->addr_windows));
	else
		printf("gc: %llu expired upload%s removed, %llu stored file%s (%s) deleted, "
		       "%llu stale temporary file%s removed, %llu ended login address "
		       "window%s removed\n",
		       g->expired, plural(g->expired), g->deleted, plural(g->deleted), size,
		       g->tmp_removed, plural(g->tmp_removed), g->addr_windows,
		       plural(g->addr_windows));
}

int srv_gc(PGconn *c, int dry_run)
{
	struct gc g = { .c = c, .dry_run = dry_run };
	char *store = xasprintf("%s/files", srv_cfg.data_dir_s);
	int rc = -1, locked = 0;

	/* who holds (or waits for) the store's lock, in pg_stat_activity */
	if (db_run_ok(c, "naming the session", "SET application_name = 'edud gc'", 0, NULL) < 0)
		goto out;
	if (forget_addresses(&g) < 0)
		goto out;
	if (expire_uploads(&g) < 0)
		goto out;
	if (lock_store(c) < 0)
		goto out;
	locked = 1;
	if (read_live(&g) < 0 || sweep_store(&g, store) < 0)
		goto out;
	if (db_run_ok(c, "releasing the file store's lock",
		      "SELECT pg_advisory_unlock(" SRV_FILES_LOCK_KEY ")", 0, NULL) < 0)
		goto out;
	locked = 0;
	if (sweep_tmp(&g, store) < 0)
		goto out;
	summary(&g);
	if (g.failures) {
		fprintf(stderr, "edud: gc: %d file%s could not be deleted\n", g.failures,
			plural((unsigned long long)g.failures));
		goto out;
	}
	rc = 0;
out:
	if (locked)
		PQclear(PQexec(c, "SELECT pg_advisory_unlock(" SRV_FILES_LOCK_KEY ")"));
	free(g.live);
	free(store);
	return rc;
}
