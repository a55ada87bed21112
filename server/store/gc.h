/*
 * `edud gc`: reclaims the file store's space that nothing references any more, and forgets
 * the login counts per address whose window has ended. Run by the owner, from cron, beside
 * the servers (see edud(8)).
 */
#ifndef SRV_GC_H
#define SRV_GC_H

#include <libpq-fe.h>

/*
 * Deletes the rows of login_address_windows whose window has ended. In every school,
 * deletes the rows of uploads that expired unsubmitted (the rule edud applies on each
 * upload); then, holding the store's lock (SRV_FILES_LOCK_KEY, files.h) exclusive, deletes
 * every content file of data_dir/files whose SHA-256 no files row of any school names;
 * then removes the store's temporary files older than a day. dry_run: counts the same,
 * deletes nothing. Prints one summary line on stdout. conn is the application role's
 * (row-level security applies: gc visits the schools one at a time). 0, or -1 after
 * printing why on stderr.
 */
int srv_gc(PGconn *conn, int dry_run);

#endif
