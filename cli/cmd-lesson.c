/*
 * `edu lesson list|show|create|edit|delete|attach|done|download`: a course's lessons,
 * written by its teachers and read by its students. A lesson's content is Markdown,
 * shown through $PAGER when someone is at the terminal.
 */
#include "config.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "clientconfig.h"
#include "cw.h"
#include "edu.h"
#include "lessons.h"
#include "list.h"
#include "model.h"
#include "prompt.h"
#include "safe.h"
#include "term.h"
#include "transfer.h"
#include "users.h"
#include "xalloc.h"

/* arg: nonzero for whole ids (--csv, for scripts); a table shows EDU_ID_SHORT characters */
static void lesson_row(struct edu_table *t, const cJSON *item, void *arg)
{
	const int *whole_ids = arg;
	struct edu_lesson l;
	char pos[32], files[32], sid[EDU_ID_SHORT + 1];

	if (edu_lesson_from_json(&l, item))
		return;
	snprintf(pos, sizeof(pos), "%ld", l.position);
	snprintf(files, sizeof(files), "%d", l.nattachments);
	/* "done" is a student's own mark; teachers have none */
	const char *row[5] = { pos, l.title, l.done < 0 ? "" : l.done ? "yes" : "no",
			       l.nattachments ? files : "", edu_id_short(l.id, *whole_ids, sid) };
	edu_table_add(t, row);
	edu_lesson_release(&l);
}

static int lesson_list(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	static const char *const head[] = { "#", "TITLE", "DONE", "FILES", "ID" };
	int whole_ids = ctx->out.csv;
	const struct edu_list list = { .ncols = 5, .head = head, .row = lesson_row,
				       .arg = &whole_ids };
	cJSON *items;
	enum edu_err err = cw_fetch(ctx, edu_lessons_list, ctx->id[0], &items);

	return err ? err : edu_list_print(ctx, items, &list);
}

static int lesson_show(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_buf b = EDU_BUF_INIT;
	struct edu_lesson l;
	enum edu_err err;
	char *title;
	cJSON *j;

	err = cw_show(ctx, edu_lesson_get, ctx->id[0], &j);
	if (err || !j)
		return err;
	if (edu_lesson_from_json(&l, j)) {
		cJSON_Delete(j);
		edu_error("the server's answer is not a lesson");
		return EDU_ERR_SERVER;
	}
	/* the whole lesson is one text, so the pager holds the title and files too; they are
	 * one line each, whatever their names hold */
	title = cw_oneline(l.title);
	edu_buf_printf(&b, "# %s\n", *title ? title : "(untitled)");
	free(title);
	if (l.done > 0)
		edu_buf_adds(&b, "(done)\n");
	edu_buf_printf(&b, "\n%s\n", l.content && *l.content ? l.content : "(no content)");
	if (l.nattachments) {
		edu_buf_adds(&b, "\nattachments:\n");
		for (int i = 0; i < l.nattachments; i++) {
			char size[32], *name = cw_oneline(l.attachments[i].filename);

			edu_buf_printf(&b, "  %d. %s (%s)\n", i + 1, *name ? name : "?",
				       edu_fmt_size(l.attachments[i].size, size));
			free(name);
		}
	}
	edu_term_page(edu_buf_str(&b));
	edu_buf_release(&b);
	edu_lesson_release(&l);
	cJSON_Delete(j);
	return EDU_ERR_OK;
}

enum { LD_UNDO, LD__N };
static const struct edu_opt done_opts[] = {
	[LD_UNDO] = OPT_BOOL(0, "undo", "mark the lesson as not done"),
	OPT_END
};

static int lesson_done(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;

	err = edu_lesson_set_done(ctx->api, ctx->id[0], !opts[LD_UNDO].set, &ei);
	if (err)
		return edu_report(err, &ei);
	edu_info(ctx, "lesson marked %s", opts[LD_UNDO].set ? "not done" : "done");
	return EDU_ERR_OK;
}

enum { LW_OUTPUT, LW__N };
static const struct edu_opt download_opts[] = {
	[LW_OUTPUT] = OPT_STRING('o', "output", "DIR",
				 "the folder to write to (default: one named after the lesson)"),
	OPT_END
};

static int lesson_download(struct edu_ctx *ctx, int argc, char **argv,
			   struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	struct edu_lesson l;
	enum edu_err err, first = EDU_ERR_OK;
	cJSON *j;
	char *dir;
	int fetched = 0, unchanged = 0;

	err = cw_fetch(ctx, edu_lesson_get, ctx->id[0], &j);
	if (err)
		return err;
	if (edu_lesson_from_json(&l, j)) {
		cJSON_Delete(j);
		edu_error("the server's answer is not a lesson");
		return EDU_ERR_SERVER;
	}
	dir = opts[LW_OUTPUT].set ? xstrdup(opts[LW_OUTPUT].str) :
		edu_safe_filename(l.title, l.id);
	if (!l.nattachments) {
		edu_info(ctx, "this lesson has no attachments");
		goto out;
	}
	if (edu_mkdirs(dir, 0700, &ei)) {
		err = edu_report(EDU_ERR_IO, &ei);
		goto out;
	}
	for (int i = 0; i < l.nattachments; i++) {
		const struct edu_file *f = &l.attachments[i];
		char *name = edu_safe_filename(f->filename, "attachment"), have[65];
		char *path = xasprintf("%s/%s", dir, name);
		struct edu_progress p;

		if (f->sha256 && !edu_file_sha256(path, have) && !strcasecmp(have, f->sha256)) {
			unchanged++;
		} else {
			edu_progress_init(&p, name, 1024 * 1024);
			err = edu_lesson_attachment_get(ctx->api, l.id, f, path, edu_progress_cb, &p,
							&ei);
			edu_progress_end(&p);
			if (err) {
				edu_report_on(err, &ei, "%s", path);
				if (!first)
					first = err;
			} else {
				fetched++;
			}
		}
		free(path);
		free(name);
	}
	err = first;
	edu_info(ctx, "%d attachment%s in %s: %d fetched, %d unchanged", l.nattachments,
		 l.nattachments == 1 ? "" : "s", dir, fetched, unchanged);
out:
	free(dir);
	edu_lesson_release(&l);
	cJSON_Delete(j);
	return err;
}

/* --- writing (teachers) ------------------------------------------------------------- */

enum { LC_TITLE, LC_MESSAGE, LC_FILE, LC_EDIT, LC_POSITION, LC__N };
static const struct edu_opt create_opts[] = {
	[LC_TITLE] = OPT_STRING('t', "title", "TITLE", "the lesson's title"),
	[LC_MESSAGE] = OPT_STRING('m', "message", "TEXT", "the content (Markdown)"),
	[LC_FILE] = OPT_STRING(0, "content-file", "FILE",
			       "read the content from FILE ('-': standard input)"),
	[LC_EDIT] = OPT_BOOL('e', "edit", "compose the content in $EDITOR"),
	[LC_POSITION] = OPT_INT(0, "position", "N", "put it at place N (default: last)"),
	OPT_END
};

static int create_check(const struct edu_cmd *cmd, int argc, char **argv,
			const struct edu_optval *opts)
{
	if (!!opts[LC_MESSAGE].set + !!opts[LC_FILE].set + !!opts[LC_EDIT].set > 1)
		return edu_usage(cmd, "give one of -m, --content-file and --edit");
	if (opts[LC_POSITION].set && opts[LC_POSITION].num < 1)
		return edu_usage(cmd, "--position counts from 1");
	return EDU_ERR_OK;
}

static int lesson_create(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	cJSON *j = NULL;
	char *content = NULL;

	if (opts[LC_MESSAGE].set) {
		content = xstrdup(opts[LC_MESSAGE].str);
	} else if (opts[LC_FILE].set) {
		content = cw_read_text(opts[LC_FILE].str, NULL, 1);
		if (!content)
			return EDU_ERR_IO;
	} else if (opts[LC_EDIT].set) {
		err = edu_term_edit(NULL, "lesson", "md", &content, NULL);
		if (err)
			return err;
	}
	err = edu_lesson_create(ctx->api, ctx->id[0], opts[LC_TITLE].str, content,
				opts[LC_POSITION].set ? opts[LC_POSITION].num : -1, &j, &ei);
	if (err) {
		edu_report(err, &ei);
		goto out;
	}
	if (ctx->out.json)
		edu_out_json(&ctx->out, j);
	else if (ctx->out.quiet)
		edu_line("%s", edu_json_str(j, "id") ? edu_json_str(j, "id") : "");
	else
		edu_line("created lesson %ld '%s' (id %s)", (long)edu_json_num(j, "position", 0),
			 edu_json_str(j, "title") ? edu_json_str(j, "title") : "",
			 edu_json_str(j, "id") ? edu_json_str(j, "id") : "?");
out:
	cJSON_Delete(j);
	free(content);
	return err;
}

/* edit takes create's options: the title, the content and the place */
static int edit_check(const struct edu_cmd *cmd, int argc, char **argv,
		      const struct edu_optval *opts)
{
	return create_check(cmd, argc, argv, opts);
}

/* Reads lesson id into l: EDU_ERR_OK, or an error after printing it. */
static enum edu_err lesson_read(struct edu_ctx *ctx, const char *id, struct edu_lesson *l)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	cJSON *j = NULL;

	memset(l, 0, sizeof(*l));
	err = edu_lesson_get(ctx->api, id, &j, &ei);
	if (err)
		return edu_report(err, &ei);
	if (edu_lesson_from_json(l, j)) {
		cJSON_Delete(j);
		edu_error("the server's answer is not a lesson");
		return EDU_ERR_SERVER;
	}
	cJSON_Delete(j);
	return EDU_ERR_OK;
}

static int lesson_edit(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	struct edu_lesson l;
	enum edu_err err;
	cJSON *fields = NULL, *j = NULL;
	char *content = NULL, version[32];
	int any = 0;

	for (int i = 0; i < LC__N; i++)
		any |= opts[i].set;
	if (!any && !edu_term_interactive())
		return edu_usage(ctx->cmd, "nothing to change: give --title, --position, or -m / "
				 "--content-file for the content");
	err = lesson_read(ctx, ctx->id[0], &l);
	if (err)
		return err;
	if (opts[LC_MESSAGE].set) {
		content = xstrdup(opts[LC_MESSAGE].str);
	} else if (opts[LC_FILE].set) {
		content = cw_read_text(opts[LC_FILE].str, NULL, 1);
		if (!content) {
			err = EDU_ERR_IO;
			goto out;
		}
	} else if (opts[LC_EDIT].set || !any) {
		/* with nothing else to change, the edit is of the content */
		err = edu_term_edit(l.content, "lesson", "md", &content, NULL);
		if (err)
			goto out;
	}
	fields = cJSON_CreateObject();
	if (opts[LC_TITLE].set)
		cJSON_AddStringToObject(fields, "title", opts[LC_TITLE].str);
	if (content)
		cJSON_AddStringToObject(fields, "content", content);
	if (opts[LC_POSITION].set)
		cJSON_AddNumberToObject(fields, "position", (double)opts[LC_POSITION].num);
	snprintf(version, sizeof(version), "%ld", l.version);
	err = edu_lesson_update(ctx->api, ctx->id[0], fields, version, &j, &ei);
	if (err == EDU_ERR_CONFLICT)
		edu_error("lesson '%s' was changed by someone else since you read it; your edit "
			  "was not saved: look at it again ('edu lesson show') and edit it anew",
			  l.title);
	else if (err)
		edu_report_on(err, &ei, "cannot change lesson '%s'", l.title);
	else if (ctx->out.json)
		edu_out_json(&ctx->out, j);
	else
		edu_info(ctx, "saved lesson %ld '%s'", (long)edu_json_num(j, "position", 0),
			 edu_json_str(j, "title") ? edu_json_str(j, "title") : l.title);
out:
	edu_lesson_release(&l);
	cJSON_Delete(fields);
	cJSON_Delete(j);
	free(content);
	return err;
}

enum { LX_YES, LX__N };
static const struct edu_opt delete_opts[] = {
	[LX_YES] = OPT_BOOL('y', "yes", "delete without asking (needed without a terminal)"),
	OPT_END
};

static int lesson_delete(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	struct edu_lesson l;
	enum edu_err err;
	char *q;
	int yes;

	err = lesson_read(ctx, ctx->id[0], &l);
	if (err)
		return err;
	if (!opts[LX_YES].set) {
		if (!edu_can_prompt()) {
			err = edu_usage(ctx->cmd, "deleting lesson '%s' cannot be undone: give --yes "
					"to delete it without a terminal to ask on", l.title);
			goto out;
		}
		q = xasprintf("delete lesson %ld '%s'%s", l.position, l.title,
			      l.nattachments ? " and its attachments" : "");
		yes = edu_confirm(q);
		free(q);
		if (!yes) {
			edu_error("nothing deleted");
			err = EDU_ERR_FAIL;
			goto out;
		}
	}
	err = edu_lesson_delete(ctx->api, ctx->id[0], &ei);
	if (err)
		edu_report_on(err, &ei, "cannot delete lesson '%s'", l.title);
	else
		edu_info(ctx, "deleted lesson '%s'", l.title);
out:
	edu_lesson_release(&l);
	return err;
}

/* Files at least this large get a progress bar. */
#define PROGRESS_THRESHOLD (1024 * 1024)

static int lesson_attach(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err = EDU_ERR_OK;

	for (int i = 1; i < argc && !err; i++) {
		char *copy = xstrdup(argv[i]);
		struct edu_progress p;
		cJSON *file = NULL;

		edu_progress_init(&p, basename(copy), PROGRESS_THRESHOLD);
		err = edu_lesson_attach(ctx->api, ctx->id[0], argv[i], NULL, edu_progress_cb, &p,
					&file, &ei);
		edu_progress_end(&p);
		if (err) {
			edu_report_on(err, &ei, "cannot attach '%s'", argv[i]);
		} else if (ctx->out.json) {
			edu_out_json(&ctx->out, file);
		} else if (!ctx->out.quiet) {
			edu_line("attached '%s' (%.0f bytes, sha256 %s)", basename(copy),
				 edu_json_num(file, "size", 0),
				 edu_json_str(file, "sha256") ? edu_json_str(file, "sha256") : "?");
		}
		cJSON_Delete(file);
		free(copy);
	}
	return err;
}

const struct edu_cmd edu_cmd_lesson[] = {
	{
		.name = "list",
		.args = "COURSE",
		.summary = "list a course's lessons in order",
		.description =
			"Students see which ones they have marked done. IDs are shortened to "
			"their first 8 characters (whole with --csv and --json); every LESSON "
			"argument takes a lesson's id or its first 8 characters (or more), as "
			"long as no other lesson of your courses starts the same.",
		.fn = lesson_list,
		.flags = CMD_NEEDS_LOGIN | CMD_TABLE,
		.targets = { EDU_TARGET_COURSE },
	},
	{
		.name = "show",
		.args = "LESSON",
		.summary = "show a lesson",
		.description = "The content (Markdown) goes through $PAGER on a terminal.",
		.fn = lesson_show,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_LESSON },
	},
	{
		.name = "done",
		.args = "LESSON",
		.summary = "mark a lesson done (students)",
		.description = "Marking it again changes nothing; --undo takes the mark away.",
		.fn = lesson_done,
		.opts = done_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_LESSON },
	},
	{
		.name = "create",
		.args = "COURSE --title TITLE",
		.summary = "add a lesson to a course (teachers)",
		.description =
			"The content is Markdown, from -m, --content-file or $EDITOR (--edit); "
			"without any, the lesson starts empty. It goes last unless --position "
			"says where.",
		.fn = lesson_create,
		.check = create_check,
		.opts = create_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_COURSE },
	},
	{
		.name = "edit",
		.args = "LESSON",
		.summary = "change a lesson's title, content or place (teachers)",
		.description =
			"Changes what is given: --title, the content (-m, --content-file, or "
			"$EDITOR with --edit) and --position (the lessons in between move up or "
			"down one). With none, on a terminal, opens the content in $EDITOR; "
			"quitting it without saving changes nothing. A change someone else "
			"made meanwhile is not overwritten (exit 6).",
		.fn = lesson_edit,
		.check = edit_check,
		.opts = create_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_LESSON },
	},
	{
		.name = "delete",
		.args = "LESSON",
		.summary = "delete a lesson and its attachments (teachers)",
		.description =
			"The lessons after it move up one. Asks first on a terminal; without "
			"one, --yes is needed.",
		.fn = lesson_delete,
		.opts = delete_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_LESSON },
	},
	{
		.name = "attach",
		.args = "LESSON FILE...",
		.summary = "attach files to a lesson (teachers)",
		.description =
			"Each file is streamed to the server, with a progress bar on a terminal "
			"for large ones; students get them with 'edu lesson download'.",
		.fn = lesson_attach,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_LESSON },
	},
	{
		.name = "download",
		.args = "LESSON",
		.summary = "download a lesson's attachments",
		.description =
			"Each file is checked against its SHA-256; files already there and the "
			"same are left alone. Names are made safe for the file system.",
		.fn = lesson_download,
		.opts = download_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_LESSON },
	},
	CMD_END
};
