/*
 * The file store: uploaded bytes kept once per content under data_dir/files, named by their
 * SHA-256 (files/ab/abcdef...). An upload is streamed to a temporary file beside the store
 * while its SHA-256 is computed and its size checked against a limit, so no upload is ever
 * held in memory; finishing it moves it into place (or drops it when that content is
 * already stored). A large upload is hashed and written by two threads of its own while its
 * worker receives, so the three share out the cores. Types come from the content (libmagic),
 * never from the client.
 *
 *	struct srv_upload *u = srv_upload_new(limit);
 *	while (chunk) if (srv_upload_write(u, buf, len) < 0) -> u->too_large ? 413 : 500
 *	srv_upload_finish(u) -> u->sha256, u->size, u->mime
 *	srv_upload_free(u);	(removes the temporary file if it was not finished)
 */
#ifndef SRV_FILES_H
#define SRV_FILES_H

#include "core/req.h"

struct srv_upload {
	int fd;
	char *tmp_path;
	unsigned long long size;	/* bytes taken, buffered ones included */
	unsigned long long limit;
	unsigned long long written;	/* bytes in the file */
	unsigned long long synced;	/* bytes already handed to the disk */
	char *wbuf;			/* bytes taken and not yet hashed nor written */
	size_t wlen;
	int too_large;		/* a write went past limit: the bytes are not kept */
	int failed;		/* a write to the file failed: it cannot be stored */
	int finished;
	char sha256[65];	/* after srv_upload_digest or srv_upload_finish */
	char mime[128];		/* after srv_upload_finish, e.g. "application/pdf" */
	int sniffed;		/* mime is of all the bytes taken */
	int fsynced;		/* the file is on disk, all of it */
	void *hash;		/* EVP_MD_CTX */
	struct srv_pipe *pipe;	/* a large upload's hashing and writing threads */
};

/* Creates data_dir/files and its temporary directory. 0, or -1 after logging why. */
int srv_files_init(void);

/* A new upload of at most limit bytes; NULL (logged) when the temporary file cannot be made. */
struct srv_upload *srv_upload_new(unsigned long long limit);
/* Appends; -1 when past the limit (too_large set, the file emptied) or on a write error. */
int srv_upload_write(struct srv_upload *u, const void *buf, size_t len);
/*
 * The body is all in (no write may follow): a large upload's threads go on to finish the
 * hash, the write, the type and the fsync while the caller does its database checks.
 * Optional; it only starts sooner what srv_upload_finish() would do.
 */
void srv_upload_close(struct srv_upload *u);
/* Fills u->mime from the content written so far (to refuse a type before storing it). */
void srv_upload_sniff(struct srv_upload *u);
/* Fills u->sha256 from all the bytes taken (none may follow). 0 or -1. */
int srv_upload_digest(struct srv_upload *u);
/*
 * In an upload's end, in its transaction, before anything is checked against the quota or
 * recorded: the Idempotency-Key check (idempotency.h), with the content's SHA-256 standing
 * for the body. 0 to go on; 1 when answered (the first answer replayed, 409, 422, or an
 * error). An upload without a key does not wait for its hash here.
 */
int srv_upload_idem_begin(struct srv_req *r, struct srv_upload *u);
/* Stores the content under its SHA-256 and fills sha256, mime and size. 0 or -1. */
int srv_upload_finish(struct srv_upload *u);
void srv_upload_free(struct srv_upload *u);

/*
 * The per-user upload quota (upload_quota: bytes over the files rows a user created in their
 * school, each upload counted even when its content is stored once; 0: no limit). Every
 * upload route checks it the same way:
 *
 *	begin(): limit = the file limit; a Content-Length past it -> 413 too_large;
 *		 if (srv_quota_begin(r, &q, &limit) < 0) -> answered (413 quota_exceeded)
 *		 u = srv_upload_new(limit);
 *	data():  a write past the limit -> q.binds ? srv_reply_quota(r, q.used, q.quota)
 *					       : 413 too_large
 *	end():	 in the request transaction, before srv_upload_finish():
 *		 if (srv_upload_locks(r, u->size) < 0) -> answered (413 quota_exceeded)
 */
struct srv_quota {
	unsigned long long quota;	/* 0: no limit */
	unsigned long long used;	/* by the caller when the upload began */
	int binds;			/* what is left of the quota is the upload's limit */
};

/*
 * Before the first byte: reads what the caller uses. Answers 413 quota_exceeded and returns
 * -1 when nothing is left or Content-Length says more than is left (-1 too after a database
 * error, answered); else 0, with *limit lowered to what is left when that is less.
 */
int srv_quota_begin(struct srv_req *r, struct srv_quota *q, unsigned long long *limit);
/* 413 quota_exceeded: "this file would pass your upload quota: USED of QUOTA bytes used". */
void srv_reply_quota(struct srv_req *r, unsigned long long used, unsigned long long quota);

/*
 * The store's lock, a PostgreSQL advisory lock shared by every edud (and `edud gc`) on one
 * database. Content in the store is deleted only when no files row names its SHA-256, but an
 * upload puts its bytes in the store (or finds them there) before its row is inserted: gc,
 * reading the rows then, would take the content for garbage. So an upload's end holds the
 * lock shared in its request transaction, from before srv_upload_finish() until its row is
 * committed, and gc holds it exclusive from reading the rows until it has deleted; uploads
 * do not wait for each other, and gc waits for the ends in progress.
 *
 * The key is the two-int form (class, 0), the class "file" in ASCII: two-int keys never meet
 * the one-bigint ones (the migrations', the idempotency keys'), and the class differs from
 * the upload quota's. From psql: SELECT pg_advisory_lock_shared(1718185061, 0).
 */
#define SRV_FILES_LOCK_KEY "1718185061, 0"

/*
 * In an upload's end, before srv_upload_finish(), in one round trip: takes the store's lock
 * shared, and the caller's quota lock (so two uploads cannot both pass), each for the rest
 * of the request transaction, and checks that size fits in what is left of the quota now.
 * 0, or -1 after answering (413 quota_exceeded, or a database error).
 */
int srv_upload_locks(struct srv_req *r, unsigned long long size);

/* Nonzero when mime is in the JSON array of allowed types (an empty or NULL list allows any). */
int srv_mime_allowed(const char *mime, const char *allowed_json);

/*
 * Answers with the stored content sha256 as an attachment named filename (sanitised: no
 * path, no control characters or quotes), with Content-Type mime and
 * Digest: sha-256=BASE64. 404 when the content is missing.
 */
void srv_reply_file(struct srv_req *r, const char *sha256, const char *filename,
		    const char *mime);

#endif
