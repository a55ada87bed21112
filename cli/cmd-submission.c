/*
 * `edu submission list|show|download`: what students handed in. `download` writes every
 * student's latest submission under one folder, a folder per student named
 * "USERNAME - Display Name"; every name that comes from the server is made safe for the
 * file system first, so none can leave the folder. Running it again fetches only what
 * changed and removes the files it wrote for an attempt that is no longer the latest.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assignments.h"
#include "buf.h"
#include "clientconfig.h"
#include "cw.h"
#include "edu.h"
#include "list.h"
#include "model.h"
#include "safe.h"
#include "submissions.h"
#include "term.h"
#include "transfer.h"
#include "xalloc.h"

/* Files at least this large get a progress bar. */
#define PROGRESS_THRESHOLD (1024 * 1024)
/* The names of the files download wrote in a student's folder, one a line. */
#define MANIFEST ".edu-files"
#define TEXT_FILE "submission.txt"

enum { SL_UNGRADED, SL_LATE, SL_ALL, SL__N };
static const struct edu_opt list_opts[] = {
	[SL_UNGRADED] = OPT_BOOL('u', "ungraded", "only those not graded yet"),
	[SL_LATE] = OPT_BOOL('l', "late", "only late ones"),
	[SL_ALL] = OPT_BOOL('a', "all-attempts", "every attempt, not only the latest"),
	OPT_END
};

/* What submission_row needs beside its item. */
struct row_arg {
	double points;		/* points possible, for "8/10" (0: the score alone) */
	int whole_ids;		/* --csv, for scripts; a table shows EDU_ID_SHORT characters */
};

static void submission_row(struct edu_table *t, const cJSON *item, void *arg)
{
	const struct row_arg *ra = arg;
	struct edu_submission s;
	char attempt[32], when[64], files[32], sid[EDU_ID_SHORT + 1], *score;

	if (edu_submission_from_json(&s, item))
		return;
	snprintf(attempt, sizeof(attempt), "%d", s.attempt);
	snprintf(files, sizeof(files), "%d", s.nfiles);
	score = s.grade ? edu_fmt_score(s.grade, ra->points) : xstrdup("-");
	if (s.grade && !s.grade->released && !ra->whole_ids) {
		/* a teacher sees which grades the students cannot see yet (CSV keeps the score) */
		char *draft = xasprintf("%s draft", score);

		free(score);
		score = draft;
	}
	const char *row[8] = { s.student.username, s.student.display_name, attempt,
			       edu_fmt_time(s.submitted_at, when), s.late ? "late" : "",
			       files, score, edu_id_short(s.id, ra->whole_ids, sid) };
	edu_table_add(t, row);
	free(score);
	edu_submission_release(&s);
}

static int submission_list(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	static const char *const head[] = { "STUDENT", "NAME", "ATTEMPT", "SUBMITTED", "LATE",
					    "FILES", "SCORE", "ID" };
	unsigned flags = (opts[SL_UNGRADED].set ? EDU_SUB_UNGRADED : 0) |
		(opts[SL_LATE].set ? EDU_SUB_LATE : 0) |
		(opts[SL_ALL].set ? EDU_SUB_ALL_ATTEMPTS : 0);
	struct edu_errinfo ei = { 0 };
	struct edu_assignment a = { 0 };
	struct row_arg ra = { .whole_ids = ctx->out.csv };
	const struct edu_list list = {
		.ncols = 8, .head = head, .row = submission_row, .arg = &ra,
		.empty = flags & EDU_SUB_UNGRADED ? "no submissions left to grade" :
			 "no submissions",
	};
	struct edu_api *api = ctx->api;
	const char *id = ctx->id[0];
	cJSON *items = NULL, *aj = NULL;
	enum edu_err err;

	err = edu_submissions_list(api, id, flags, &items, &ei);
	if (err) {
		edu_report(err, &ei);
		goto out;
	}
	/* the points possible, for "8/10"; without them the score alone */
	if (!ctx->out.json && !edu_assignment_get(api, id, &aj, NULL) &&
	    !edu_assignment_from_json(&a, aj))
		ra.points = a.points_possible;
	err = edu_list_print(ctx, items, &list);
	items = NULL;
out:
	edu_assignment_release(&a);
	cJSON_Delete(aj);
	cJSON_Delete(items);
	return err;
}

/* The submission as one text: header, files, grade, then the text itself. */
static void submission_text(const struct edu_submission *s, double points, struct edu_buf *b)
{
	char when[64], size[32], *user = cw_oneline(s->student.username);
	char *name = cw_oneline(s->student.display_name), *when_text, *id;

	edu_buf_printf(b, "student:   %s%s%s%s\n", *user ? user : "?", *name ? " (" : "", name,
		       *name ? ")" : "");
	free(user);
	free(name);
	edu_buf_printf(b, "attempt:   %d\n", s->attempt);
	when_text = cw_oneline(edu_fmt_time(s->submitted_at, when));
	id = cw_oneline(s->id);
	edu_buf_printf(b, "submitted: %s%s\n", when_text, s->late ? " (late)" : "");
	edu_buf_printf(b, "id:        %s\n", id);
	free(when_text);
	free(id);
	if (s->grade) {
		char *score = edu_fmt_score(s->grade, points);

		edu_buf_printf(b, "grade:     %s%s\n", score, s->grade->released ? "" :
			       " (not released)");
		if (s->grade->comment && *s->grade->comment) {
			char *c = cw_oneline(s->grade->comment);

			edu_buf_printf(b, "comment:   %s\n", c);
			free(c);
		}
		free(score);
	}
	for (int i = 0; i < s->nfiles; i++) {
		char *file = cw_oneline(s->files[i].filename), *mime = cw_oneline(s->files[i].mime);

		edu_buf_printf(b, "%s %d. %s (%s, %s)\n", i ? "          " : "files:    ", i + 1,
			       *file ? file : "?", edu_fmt_size(s->files[i].size, size),
			       *mime ? mime : "?");
		free(file);
		free(mime);
	}
	if (s->text && *s->text)
		edu_buf_printf(b, "\n%s\n", s->text);
}

static int submission_show(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_buf b = EDU_BUF_INIT;
	struct edu_submission s;
	struct edu_assignment a = { 0 };
	enum edu_err err;
	cJSON *j, *aj = NULL;

	err = cw_show(ctx, edu_submission_get, ctx->id[0], &j);
	if (err || !j)
		return err;
	if (edu_submission_from_json(&s, j)) {
		edu_error("the server's answer is not a submission");
		err = EDU_ERR_SERVER;
	} else {
		if (s.assignment_id && !edu_assignment_get(ctx->api, s.assignment_id, &aj, NULL))
			edu_assignment_from_json(&a, aj);
		submission_text(&s, a.points_possible, &b);
		edu_term_page(edu_buf_str(&b));
		edu_buf_release(&b);
		edu_submission_release(&s);
	}
	edu_assignment_release(&a);
	cJSON_Delete(aj);
	cJSON_Delete(j);
	return err;
}

/* --- download ------------------------------------------------------------------------ */

/* A name list, for the names used in one folder. */
struct names {
	char **v;
	int n;
};

static int names_has(const struct names *ns, const char *name)
{
	for (int i = 0; i < ns->n; i++)
		if (!strcasecmp(ns->v[i], name))
			return 1;
	return 0;
}

static void names_add(struct names *ns, const char *name)
{
	ns->v = xrealloc(ns->v, (size_t)(ns->n + 1) * sizeof(char *));
	ns->v[ns->n++] = xstrdup(name);
}

static void names_release(struct names *ns)
{
	for (int i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}

/*
 * A name for a file in a folder that has used: the safe form of name, and when that is
 * taken, "stem (2).ext", "stem (3).ext"... (caller frees). Case is ignored, for file
 * systems that ignore it.
 */
static char *unique_name(const char *name, int index, struct names *used)
{
	char *fallback = xasprintf("file-%d", index + 1);
	char *safe = edu_safe_filename(name, fallback), *try = xstrdup(safe);
	const char *dot = strrchr(safe, '.');
	size_t stem = dot && dot != safe ? (size_t)(dot - safe) : strlen(safe);

	for (int k = 2; names_has(used, try) || !strcasecmp(try, MANIFEST); k++) {
		free(try);
		try = xasprintf("%.*s (%d)%s", (int)stem, safe, k, safe + stem);
	}
	names_add(used, try);
	free(safe);
	free(fallback);
	return try;
}

/* Reads the manifest of folder dir into ns (nothing when there is none). */
static void read_manifest(const char *dir, struct names *ns)
{
	char *path = xasprintf("%s/%s", dir, MANIFEST), line[1024];
	FILE *fp = fopen(path, "r");

	free(path);
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		/* only plain names of this folder: a doctored manifest cannot reach elsewhere */
		if (*line && !strchr(line, '/') && strcmp(line, ".") && strcmp(line, ".."))
			names_add(ns, line);
	}
	fclose(fp);
}

/* Does the file at path hold exactly data? */
static int same_content(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "rb");
	char buf[8192];
	size_t n, off = 0;
	int same = 1;

	if (!fp)
		return 0;
	while (same && (n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		same = off + n <= len && !memcmp(buf, data + off, n);
		off += n;
	}
	fclose(fp);
	return same && off == len;
}

/* Counts for the summary line. */
struct tally {
	int students, fetched, unchanged, removed, failed;
};

/* Makes dir (mode 0700), refusing a link or a file in its place. */
static enum edu_err make_dir(const char *dir)
{
	struct edu_errinfo ei = { 0 };
	struct stat st;

	if (lstat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return EDU_ERR_OK;
		edu_error("'%s' is in the way: it is not a folder", dir);
		return EDU_ERR_IO;
	}
	if (edu_mkdirs(dir, 0700, &ei))
		return edu_report(EDU_ERR_IO, &ei);
	return EDU_ERR_OK;
}

/* Downloads one submission into its student's folder under dir. */
static enum edu_err download_one(struct edu_api *api, const char *dir,
				 const struct edu_submission *s, struct tally *t)
{
	struct names used = { 0 }, old = { 0 };
	struct edu_buf manifest = EDU_BUF_INIT;
	struct edu_errinfo ei = { 0 };
	char *label, *folder_name, *folder, *path;
	enum edu_err err = EDU_ERR_OK;

	label = xasprintf("%s - %s", s->student.username ? s->student.username : "unknown",
			  s->student.display_name && *s->student.display_name ?
			  s->student.display_name : s->student.username ? s->student.username :
			  "unknown");
	folder_name = edu_safe_filename(label, s->id);
	folder = xasprintf("%s/%s", dir, folder_name);
	err = make_dir(folder);
	if (err)
		goto out;
	read_manifest(folder, &old);
	if (s->text && *s->text) {
		size_t len = strlen(s->text);

		names_add(&used, TEXT_FILE);
		path = xasprintf("%s/%s", folder, TEXT_FILE);
		if (same_content(path, s->text, len)) {
			t->unchanged++;
		} else if (edu_write_atomic(path, s->text, len, 0600, &ei)) {
			edu_report(EDU_ERR_IO, &ei);
			t->failed++;
			err = EDU_ERR_IO;
		} else {
			t->fetched++;
		}
		free(path);
	}
	for (int i = 0; i < s->nfiles; i++) {
		const struct edu_file *f = &s->files[i];
		char *name = unique_name(f->filename, i, &used), have[65];
		struct edu_progress p;

		path = xasprintf("%s/%s", folder, name);
		edu_buf_printf(&manifest, "%s\n", name);
		if (f->sha256 && !edu_file_sha256(path, have) && !strcasecmp(have, f->sha256)) {
			t->unchanged++;
		} else {
			edu_progress_init(&p, name, PROGRESS_THRESHOLD);
			if (edu_submission_file_get(api, s->id, f, path, edu_progress_cb, &p, &ei)) {
				edu_progress_end(&p);
				edu_report_on(ei.err ? ei.err : EDU_ERR_FAIL, &ei, "%s", path);
				t->failed++;
				if (!err)
					err = ei.err ? ei.err : EDU_ERR_FAIL;
			} else {
				edu_progress_end(&p);
				t->fetched++;
			}
		}
		free(path);
		free(name);
	}
	if (s->text && *s->text)
		edu_buf_adds(&manifest, TEXT_FILE "\n");
	/* what an earlier run wrote for an attempt that is no longer the latest */
	for (int i = 0; i < old.n; i++) {
		if (names_has(&used, old.v[i]))
			continue;
		path = xasprintf("%s/%s", folder, old.v[i]);
		if (unlink(path) == 0)
			t->removed++;
		free(path);
	}
	path = xasprintf("%s/%s", folder, MANIFEST);
	if (edu_write_atomic(path, manifest.data ? manifest.data : "", manifest.len, 0600, &ei)) {
		edu_report(EDU_ERR_IO, &ei);
		if (!err)
			err = EDU_ERR_IO;
	}
	free(path);
	t->students++;
out:
	names_release(&used);
	names_release(&old);
	edu_buf_release(&manifest);
	free(folder);
	free(folder_name);
	free(label);
	return err;
}

enum { SD_OUTPUT, SD__N };
static const struct edu_opt download_opts[] = {
	[SD_OUTPUT] = OPT_STRING('o', "output", "DIR",
				 "the folder to write to (default: one named after the assignment)"),
	OPT_END
};

static int submission_download(struct edu_ctx *ctx, int argc, char **argv,
			       struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	struct tally t = { 0 };
	struct edu_api *api = ctx->api;
	const char *id = ctx->id[0];
	const cJSON *item;
	cJSON *items = NULL, *aj = NULL;
	enum edu_err err, first = EDU_ERR_OK;
	char *dir = NULL;

	if (opts[SD_OUTPUT].set) {
		dir = xstrdup(opts[SD_OUTPUT].str);
	} else {
		err = edu_assignment_get(api, id, &aj, &ei);
		if (err) {
			edu_report(err, &ei);
			goto out;
		}
		dir = edu_safe_filename(edu_json_str(aj, "title"), id);
	}
	err = edu_submissions_list(api, id, 0, &items, &ei);
	if (err) {
		edu_report(err, &ei);
		goto out;
	}
	err = make_dir(dir);
	if (err)
		goto out;
	cJSON_ArrayForEach(item, items) {
		struct edu_submission s;

		if (edu_submission_from_json(&s, item))
			continue;
		err = download_one(api, dir, &s, &t);
		if (err && !first)
			first = err;
		edu_submission_release(&s);
	}
	err = first;
	if (ctx->out.json) {
		edu_out_json(&ctx->out, items);
	} else {
		struct edu_buf b = EDU_BUF_INIT;

		edu_buf_printf(&b, "%d submission%s in %s: %d file%s fetched, %d unchanged",
			       t.students, t.students == 1 ? "" : "s", dir, t.fetched,
			       t.fetched == 1 ? "" : "s", t.unchanged);
		if (t.removed)
			edu_buf_printf(&b, ", %d of an earlier attempt removed", t.removed);
		if (t.failed)
			edu_buf_printf(&b, ", %d failed", t.failed);
		edu_info(ctx, "%s", edu_buf_str(&b));
		edu_buf_release(&b);
	}
out:
	cJSON_Delete(items);
	cJSON_Delete(aj);
	free(dir);
	return err;
}

const struct edu_cmd edu_cmd_submission[] = {
	{
		.name = "list",
		.args = "ASSIGNMENT",
		.summary = "list submissions",
		.description =
			"A teacher sees every student's latest attempt, a student their own "
			"attempts. A score the student cannot see yet is marked 'draft' (not in "
			"--csv). --ungraded leaves out those whose latest attempt has a grade. "
			"IDs are shortened to their first 8 characters (whole with --csv and "
			"--json), which every SUBMISSION argument accepts as long as no other "
			"submission you may read starts the same (else the error names those "
			"that do).",
		.fn = submission_list,
		.opts = list_opts,
		.flags = CMD_NEEDS_LOGIN | CMD_TABLE,
		.targets = { EDU_TARGET_ASSIGNMENT },
	},
	{
		.name = "show",
		.args = "SUBMISSION",
		.summary = "show a submission: its files, grade and text",
		.description =
			"SUBMISSION is its id or the first 8 characters of it (or more). The "
			"text goes through $PAGER on a terminal.",
		.fn = submission_show,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_SUBMISSION },
	},
	{
		.name = "download",
		.args = "ASSIGNMENT",
		.summary = "download every student's latest submission",
		.description =
			"Writes a folder per student, 'USERNAME - Display Name', with the files "
			"as they were handed in (checked against their SHA-256) and the text in "
			"submission.txt; folders and files are readable by you alone. Names are "
			"made safe for the file system. Running it again fetches only what "
			"changed and removes the files it wrote for an earlier attempt.",
		.fn = submission_download,
		.opts = download_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_ASSIGNMENT },
	},
	CMD_END
};
