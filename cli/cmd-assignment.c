/*
 * `edu assignment list|show|create|edit|delete` and `edu rubric show|set|copy`. Instructions are
 * composed in $EDITOR on a terminal, or given with -m / --instructions-file by scripts.
 * An edit is sent with the version it started from (If-Match), so a change someone else
 * made meanwhile is reported instead of overwritten. ASSIGNMENT arguments are an id or a
 * unique start of one (at least 8 characters).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assignments.h"
#include "buf.h"
#include "cw.h"
#include "edu.h"
#include "list.h"
#include "model.h"
#include "prompt.h"
#include "rubricfile.h"
#include "rubrics.h"
#include "term.h"
#include "xalloc.h"

/* --- reading and showing ------------------------------------------------------------- */

/* A student's standing on a, for their list: "to do", "submitted late", "graded 18/20"... */
static void mine_text(const struct edu_assignment *a, char *buf, size_t size)
{
	const struct edu_assignment_mine *m = a->mine;
	char score[32], pts[32];

	if (!strcmp(m->status, "todo"))
		snprintf(buf, size, "to do");
	else if (!strcmp(m->status, "submitted"))
		snprintf(buf, size, "submitted%s", m->late ? " late" : "");
	else if (!strcmp(m->status, "graded") && m->has_score)
		snprintf(buf, size, "graded %s/%s", edu_fmt_num(m->score, score),
			 edu_fmt_num(a->points_possible, pts));
	else
		snprintf(buf, size, "%s", m->status);
}

/* arg: nonzero for whole ids (--csv, for scripts); a table shows EDU_ID_SHORT characters */
static void assignment_row(struct edu_table *t, const cJSON *item, void *arg)
{
	const int *whole_ids = arg;
	struct edu_assignment a;
	char sid[EDU_ID_SHORT + 1], due[64], pts[32], state[96], handed[48] = "", left[24] = "";

	if (edu_assignment_from_json(&a, item))
		return;
	if (a.mine)
		mine_text(&a, state, sizeof(state));
	else
		snprintf(state, sizeof(state), "%s", a.published ? "published" : "draft");
	if (a.work) {
		snprintf(handed, sizeof(handed), "%d/%d", a.work->handed_in, a.work->students);
		snprintf(left, sizeof(left), "%d", a.work->to_grade);
	}
	/* a student's table takes the first six cells (to STATUS); a teacher's all eight */
	const char *row[8] = { edu_id_short(a.id, *whole_ids, sid), a.title,
			       a.due_at ? edu_fmt_time(a.due_at, due) : "",
			       edu_fmt_num(a.points_possible, pts), a.submission_kind, state,
			       handed, left };
	edu_table_add(t, row);
	edu_assignment_release(&a);
}

static int assignment_list(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	/* a teacher's list: each one's state, the work handed in and what is left to grade */
	static const char *const head[] = { "ID", "TITLE", "DUE", "POINTS", "KIND", "STATE",
					    "HANDED IN", "TO GRADE" };
	/* a student's list: where they stand on each, instead of its state (all published) */
	static const char *const student_head[] = { "ID", "TITLE", "DUE", "POINTS", "KIND",
						    "STATUS" };
	int whole_ids = ctx->out.csv;
	struct edu_list list = { .ncols = 8, .head = head, .row = assignment_row,
				 .arg = &whole_ids };
	cJSON *items;
	enum edu_err err = cw_fetch(ctx, edu_assignments_list, ctx->id[0], &items);

	if (err)
		return err;
	if (cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(items, 0), "mine")) {
		list.head = student_head;
		list.ncols = 6;
	}
	return edu_list_print(ctx, items, &list);
}

/* "application/pdf, image/png" or "any" (caller frees). */
static char *types_text(const struct edu_assignment *a)
{
	struct edu_buf b = EDU_BUF_INIT;

	for (int i = 0; i < a->nallowed_types; i++)
		edu_buf_printf(&b, "%s%s", i ? ", " : "", a->allowed_types[i]);
	if (!b.len)
		edu_buf_adds(&b, "any");
	return edu_buf_detach(&b);
}

/* The fields of a as a "key  value" block, written into b. */
static void assignment_block(const struct edu_ctx *ctx, const struct edu_assignment *a,
			     struct edu_buf *b)
{
	struct edu_out o = ctx->out;
	char due[64], pts[32], size[32], version[32], *types = types_text(a), *text = NULL;
	char mine[160] = "", when[64], handed[64] = "", left[32] = "";
	size_t len = 0;

	snprintf(version, sizeof(version), "%ld", a->version);
	if (a->mine) {
		size_t n;

		mine_text(a, mine, sizeof(mine));
		n = strlen(mine);
		if (a->mine->attempts)
			snprintf(mine + n, sizeof(mine) - n, " (attempt %d, %s)", a->mine->attempts,
				 edu_fmt_time(a->mine->submitted_at, when));
	}
	if (a->work) {
		snprintf(handed, sizeof(handed), "%d of %d students", a->work->handed_in,
			 a->work->students);
		snprintf(left, sizeof(left), "%d", a->work->to_grade);
	}
	const char *rows[][2] = {
		{ "assignment", a->title },
		{ "id", a->id },
		{ "due", a->due_at ? edu_fmt_time(a->due_at, due) : "no due date" },
		{ "points", edu_fmt_num(a->points_possible, pts) },
		{ "category", a->category },
		{ "submit", a->submission_kind },
		{ "file types", types },
		{ "largest file", a->max_file_size > 0 ? edu_fmt_size(a->max_file_size, size) : NULL },
		{ "late work", a->late_policy && !strcmp(a->late_policy, "reject") ?
			       "refused" : "accepted, marked late" },
		{ "state", a->published ? "published" : "draft (students cannot see it)" },
		{ "your work", mine },
		{ "handed in", handed },
		{ "to grade", left },
		{ "version", version },
	};
	/* the table printer writes to a stream: give it one over the buffer */
	o.fp = open_memstream(&text, &len);
	if (o.fp) {
		edu_fields_print(&o, rows, sizeof(rows) / sizeof(rows[0]));
		fclose(o.fp);
		edu_buf_add(b, text, len);
		free(text);
	}
	free(types);
}

static int assignment_show(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_buf b = EDU_BUF_INIT;
	struct edu_assignment a;
	enum edu_err err;
	cJSON *j;

	err = cw_show(ctx, edu_assignment_get, ctx->id[0], &j);
	if (err || !j)
		return err;
	if (edu_assignment_from_json(&a, j)) {
		edu_error("the server's answer is not an assignment");
		err = EDU_ERR_SERVER;
	} else {
		assignment_block(ctx, &a, &b);
		edu_buf_printf(&b, "\n%s\n", a.instructions && *a.instructions ? a.instructions :
			       "(no instructions)");
		edu_term_page(edu_buf_str(&b));
		edu_buf_release(&b);
		edu_assignment_release(&a);
	}
	cJSON_Delete(j);
	return err;
}

/* --- creating and editing ------------------------------------------------------------ */

static const char *const kinds[] = { "text", "files", "both", NULL };
static const struct edu_values kind_values = { .what = "kind", .words = kinds };
static const char *const late_policies[] = { "accept", "reject", NULL };
static const struct edu_values late_values = { .what = "late policy", .words = late_policies };

/* The options create and edit share, in this order in both tables. */
enum {
	AO_TITLE, AO_DUE, AO_POINTS, AO_CATEGORY, AO_KIND, AO_ALLOW, AO_MAX_SIZE, AO_LATE,
	AO_PUBLISH, AO_UNPUBLISH, AO_MESSAGE, AO_FILE, AO_EDIT, AO__N
};
#define ASSIGNMENT_OPTS \
	[AO_TITLE] = OPT_STRING('t', "title", "TITLE", "the assignment's title"), \
	[AO_DUE] = OPT_STRING(0, "due", "WHEN", \
			      "due date: YYYY-MM-DD (end of day), \"YYYY-MM-DD HH:MM\" " \
			      "(local time), RFC 3339, or none"), \
	[AO_POINTS] = OPT_STRING('p', "points", "N", "points possible"), \
	[AO_CATEGORY] = OPT_STRING(0, "category", "NAME", "gradebook category, e.g. homework"), \
	[AO_KIND] = OPT_CHOICE(0, "kind", "KIND", &kind_values, "what students hand in"), \
	[AO_ALLOW] = OPT_LIST(0, "allow", "MIME", \
			      "a file type students may upload (repeatable; 'any' for all)"), \
	[AO_MAX_SIZE] = OPT_STRING(0, "max-size", "SIZE", \
				   "largest file students may upload, e.g. 20M"), \
	[AO_LATE] = OPT_CHOICE(0, "late", "POLICY", &late_values, \
			       "late work accepted and marked late (the default), or refused"), \
	[AO_PUBLISH] = OPT_BOOL(0, "publish", "let students see it"), \
	[AO_UNPUBLISH] = OPT_BOOL(0, "unpublish", "hide it from students again"), \
	[AO_MESSAGE] = OPT_STRING('m', "message", "TEXT", "the instructions"), \
	[AO_FILE] = OPT_STRING(0, "instructions-file", "FILE", \
			       "read the instructions from FILE ('-': standard input)"), \
	[AO_EDIT] = OPT_BOOL('e', "edit", "compose the instructions in $EDITOR")

static const struct edu_opt create_opts[] = { ASSIGNMENT_OPTS, OPT_END };
static const struct edu_opt edit_opts[] = { ASSIGNMENT_OPTS, OPT_END };

/* "20M", "512k", "1048576" in bytes; -1 when it is not a size. */
static long long parse_size(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || v < 0)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case 'K': v *= 1024; end++; break;
	case 'M': v *= 1024 * 1024; end++; break;
	case 'G': v *= 1024LL * 1024 * 1024; end++; break;
	}
	if (*end && strcasecmp(end, "B") && strcasecmp(end, "iB"))
		return -1;
	return v;
}

/*
 * Turns the options into the fields to send (added to fields). *instructions gets the
 * text from -m, --instructions-file or the editor (NULL: not asked for); editor says to
 * compose it, starting from current. *kept gets the editor's file, kept until the edit
 * is saved. Returns EDU_ERR_OK or a usage error (printed).
 */
static enum edu_err fields_from_opts(struct edu_ctx *ctx, struct edu_optval *o, int editor,
				     const char *current, cJSON *fields, char **kept)
{
	const struct edu_cmd *cmd = ctx->cmd;
	char *text = NULL, *due = NULL;
	enum edu_err err;
	double pts;
	int rc;

	*kept = NULL;
	if (o[AO_TITLE].set)
		cJSON_AddStringToObject(fields, "title", o[AO_TITLE].str);
	if (o[AO_DUE].set) {
		if (!strcmp(o[AO_DUE].str, "none") || !*o[AO_DUE].str) {
			cJSON_AddNullToObject(fields, "due_at");
		} else if ((rc = edu_parse_time(o[AO_DUE].str, &due)) == -2) {
			return edu_usage(cmd, "--due '%s': there is no such day (that month has "
					 "fewer days)", o[AO_DUE].str);
		} else if (rc) {
			return edu_usage(cmd, "--due '%s' is not a date: give YYYY-MM-DD, "
					 "\"YYYY-MM-DD HH:MM\", an RFC 3339 time or none",
					 o[AO_DUE].str);
		} else {
			cJSON_AddStringToObject(fields, "due_at", due);
			free(due);
		}
	}
	if (o[AO_POINTS].set) {
		if (edu_parse_points(o[AO_POINTS].str, &pts))
			return edu_usage(cmd, "--points '%s' is not a number of points",
					 o[AO_POINTS].str);
		cJSON_AddNumberToObject(fields, "points_possible", pts);
	}
	if (o[AO_CATEGORY].set)
		cJSON_AddStringToObject(fields, "category", o[AO_CATEGORY].str);
	if (o[AO_KIND].set)
		cJSON_AddStringToObject(fields, "submission_kind", o[AO_KIND].str);
	if (o[AO_ALLOW].set) {
		cJSON *types = cJSON_AddArrayToObject(fields, "allowed_types");

		for (int i = 0; i < o[AO_ALLOW].nlist; i++) {
			if (!strcmp(o[AO_ALLOW].list[i], "any"))
				continue;
			if (!strchr(o[AO_ALLOW].list[i], '/'))
				return edu_usage(cmd, "--allow '%s' is not a MIME type such as "
						 "application/pdf", o[AO_ALLOW].list[i]);
			cJSON_AddItemToArray(types, cJSON_CreateString(o[AO_ALLOW].list[i]));
		}
	}
	if (o[AO_MAX_SIZE].set) {
		long long size = parse_size(o[AO_MAX_SIZE].str);

		if (size <= 0)
			return edu_usage(cmd, "--max-size '%s' is not a size such as 20M or 512K",
					 o[AO_MAX_SIZE].str);
		cJSON_AddNumberToObject(fields, "max_file_size", (double)size);
	}
	if (o[AO_LATE].set)
		cJSON_AddStringToObject(fields, "late_policy", o[AO_LATE].str);
	if (o[AO_PUBLISH].set || o[AO_UNPUBLISH].set)
		cJSON_AddBoolToObject(fields, "published", o[AO_PUBLISH].set > 0);
	if (o[AO_MESSAGE].set) {
		text = xstrdup(o[AO_MESSAGE].str);
	} else if (o[AO_FILE].set) {
		text = cw_read_text(o[AO_FILE].str, NULL, 1);
		if (!text)
			return EDU_ERR_IO;
	} else if (editor || o[AO_EDIT].set) {
		err = edu_term_edit(current, "instructions", "md", &text, kept);
		if (err)
			return err;
	}
	if (text) {
		cJSON_AddStringToObject(fields, "instructions", text);
		free(text);
	}
	return EDU_ERR_OK;
}

/* What create and edit refuse before they do anything. */
static int fields_check(const struct edu_cmd *cmd, int argc, char **argv,
			const struct edu_optval *o)
{
	if ((o[AO_MESSAGE].set > 0) + (o[AO_FILE].set > 0) + (o[AO_EDIT].set > 0) > 1)
		return edu_usage(cmd, "give one of -m, --instructions-file and --edit");
	if (o[AO_PUBLISH].set && o[AO_UNPUBLISH].set)
		return edu_usage(cmd, "give --publish or --unpublish, not both");
	return EDU_ERR_OK;
}

static int create_check(const struct edu_cmd *cmd, int argc, char **argv,
			const struct edu_optval *opts)
{
	if (opts[AO_UNPUBLISH].set)
		return edu_usage(cmd, "a new assignment is a draft unless --publish is given");
	return fields_check(cmd, argc, argv, opts);
}

static int assignment_create(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	cJSON *fields = cJSON_CreateObject(), *j = NULL;
	char *kept = NULL;
	/* on a terminal, instructions not given are composed in the editor */
	int editor = edu_term_interactive() && !opts[AO_MESSAGE].set && !opts[AO_FILE].set;

	err = fields_from_opts(ctx, opts, editor, NULL, fields, &kept);
	if (err)
		goto out;
	if (!cJSON_GetObjectItemCaseSensitive(fields, "points_possible"))
		cJSON_AddNumberToObject(fields, "points_possible", 100);
	if (!cJSON_GetObjectItemCaseSensitive(fields, "published"))
		cJSON_AddBoolToObject(fields, "published", 0);
	err = edu_assignment_create(ctx->api, ctx->id[0], fields, &j, &ei);
	if (err)
		edu_report(err, &ei);
	edu_term_kept(err, kept, "instructions are");
	if (err)
		goto out;
	if (ctx->out.json)
		edu_out_json(&ctx->out, j);
	else if (ctx->out.quiet)
		edu_line("%s", edu_json_str(j, "id") ? edu_json_str(j, "id") : "");
	else
		edu_line("created assignment '%s' (id %s, %s)", edu_json_str(j, "title") ?
			 edu_json_str(j, "title") : opts[AO_TITLE].str,
			 edu_json_str(j, "id") ? edu_json_str(j, "id") : "?",
			 edu_json_bool(j, "published", 0) ? "published" : "a draft");
out:
	cJSON_Delete(fields);
	cJSON_Delete(j);
	free(kept);
	return err;
}

/* Says, field by field, what differs between the assignment as read and as it is now. */
static void print_assignment_changes(const struct edu_assignment *was,
				     const struct edu_assignment *now)
{
	char a[64], b[64], *ta = types_text(was), *tb = types_text(now);
	struct { const char *field, *old, *new_; } f[] = {
		{ "title", was->title, now->title },
		{ "due", was->due_at, now->due_at },
		{ "category", was->category, now->category },
		{ "kind", was->submission_kind, now->submission_kind },
		{ "file types", ta, tb },
		{ "late work", was->late_policy, now->late_policy },
		{ "state", was->published ? "published" : "draft", now->published ? "published" :
		  "draft" },
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		char *old, *new_;

		if (!strcmp(f[i].old ? f[i].old : "", f[i].new_ ? f[i].new_ : ""))
			continue;
		/* one line each, whatever the title holds */
		old = cw_oneline(f[i].old);
		new_ = cw_oneline(f[i].new_);
		fprintf(stderr, "  %s: '%s' -> '%s'\n", f[i].field, old, new_);
		free(old);
		free(new_);
	}
	if (was->points_possible != now->points_possible)
		fprintf(stderr, "  points: %s -> %s\n", edu_fmt_num(was->points_possible, a),
			edu_fmt_num(now->points_possible, b));
	if (was->max_file_size != now->max_file_size)
		fprintf(stderr, "  largest file: %s -> %s\n", edu_fmt_size(was->max_file_size, a),
			edu_fmt_size(now->max_file_size, b));
	if (strcmp(was->instructions ? was->instructions : "",
		   now->instructions ? now->instructions : ""))
		fprintf(stderr, "  instructions: changed\n");
	free(ta);
	free(tb);
}

static int assignment_edit(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	struct edu_assignment was = { 0 }, now;
	const char *id = ctx->id[0];
	enum edu_err err;
	cJSON *fields = cJSON_CreateObject(), *j = NULL, *current = NULL;
	char *kept = NULL, version[32];
	int any = 0;

	/* with no field to change, the edit is of the instructions */
	for (int i = 0; i < AO__N; i++)
		any |= opts[i].set;
	err = cw_assignment_read(ctx->api, id, &was);
	if (err)
		goto out;
	if (!any && !edu_term_interactive()) {
		err = edu_usage(ctx->cmd, "nothing to change: give the fields to change, or -m / "
				"--instructions-file for the instructions");
		goto out;
	}
	err = fields_from_opts(ctx, opts, !any, was.instructions, fields, &kept);
	if (err)
		goto out;
	if (!cJSON_GetArraySize(fields)) {
		edu_info(ctx, "nothing changed");
		goto out;
	}
	snprintf(version, sizeof(version), "%ld", was.version);
	err = edu_assignment_update(ctx->api, id, fields, version, &j, &current, &ei);
	if (err == EDU_ERR_CONFLICT && current && !edu_assignment_from_json(&now, current)) {
		edu_error("'%s' was changed by someone else since you read it (version %ld, now "
			  "%ld); your edit was not saved. What changed:", was.title, was.version,
			  now.version);
		print_assignment_changes(&was, &now);
		edu_assignment_release(&now);
	} else if (err) {
		edu_report(err, &ei);
	}
	edu_term_kept(err, kept, "instructions are");
	if (err)
		goto out;
	if (ctx->out.json)
		edu_out_json(&ctx->out, j);
	else
		edu_info(ctx, "saved '%s' (version %ld)", edu_json_str(j, "title") ?
			 edu_json_str(j, "title") : was.title, (long)edu_json_num(j, "version", 0));
out:
	edu_assignment_release(&was);
	cJSON_Delete(fields);
	cJSON_Delete(current);
	cJSON_Delete(j);
	free(kept);
	return err;
}

enum { AD_YES, AD__N };
static const struct edu_opt delete_opts[] = {
	[AD_YES] = OPT_BOOL('y', "yes", "delete without asking (needed without a terminal)"),
	OPT_END
};

static int assignment_delete(struct edu_ctx *ctx, int argc, char **argv,
			     struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	struct edu_assignment a = { 0 };
	enum edu_err err;
	char *q;
	int yes;

	err = cw_assignment_read(ctx->api, ctx->id[0], &a);
	if (err)
		return err;
	if (!opts[AD_YES].set) {
		if (!edu_can_prompt()) {
			edu_assignment_release(&a);
			return edu_usage(ctx->cmd, "deleting '%s' cannot be undone: give --yes to "
					 "delete it without a terminal to ask on", a.title);
		}
		q = xasprintf("delete %s '%s' and its rubric", a.published ? "published assignment" :
			      "draft", a.title);
		yes = edu_confirm(q);
		free(q);
		if (!yes) {
			edu_error("nothing deleted");
			edu_assignment_release(&a);
			return EDU_ERR_FAIL;
		}
	}
	err = edu_assignment_delete(ctx->api, ctx->id[0], &ei);
	if (err)
		edu_report_on(err, &ei, "cannot delete '%s'", a.title);
	else
		edu_info(ctx, "deleted assignment '%s'", a.title);
	edu_assignment_release(&a);
	return err;
}

const struct edu_cmd edu_cmd_assignment[] = {
	{
		.name = "list",
		.args = "COURSE",
		.summary = "list a course's assignments",
		.description =
			"Students see only published assignments, each with where they stand "
			"(STATUS): to do, overdue, submitted (late), graded with the score once "
			"it is released, excused or missing. Teachers see every one, with how "
			"many of the course's students handed something in and how many latest "
			"attempts have no grade yet (TO GRADE: what 'edu grade next' would "
			"show).",
		.fn = assignment_list,
		.flags = CMD_NEEDS_LOGIN | CMD_TABLE,
		.targets = { EDU_TARGET_COURSE },
	},
	{
		.name = "show",
		.args = "ASSIGNMENT",
		.summary = "show an assignment and its instructions",
		.description =
			"A student also sees where they stand on it (as in 'edu assignment "
			"list'), a teacher how many students handed it in and how many attempts "
			"are left to grade. The instructions go through $PAGER on a terminal.",
		.fn = assignment_show,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_ASSIGNMENT },
	},
	{
		.name = "create",
		.args = "COURSE --title TITLE",
		.summary = "create an assignment",
		.description =
			"On a terminal the instructions are composed in $EDITOR unless -m or "
			"--instructions-file gives them. A new assignment is a draft that "
			"students cannot see until --publish (here or with edit); it is worth "
			"100 points unless --points says otherwise. Prints the new id (alone "
			"with -q).",
		.fn = assignment_create,
		.check = create_check,
		.opts = create_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_COURSE },
	},
	{
		.name = "edit",
		.args = "ASSIGNMENT",
		.summary = "change an assignment",
		.description =
			"Changes the fields given; with none, opens the instructions in "
			"$EDITOR. The change is sent with the version you started from: if "
			"someone else changed the assignment meanwhile, nothing is saved, what "
			"they changed is shown, and the exit status is 6.",
		.fn = assignment_edit,
		.check = fields_check,
		.opts = edit_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_ASSIGNMENT },
	},
	{
		.name = "delete",
		.args = "ASSIGNMENT",
		.summary = "delete an assignment nobody has handed work in to (teachers)",
		.description =
			"Deletes a draft, or an assignment no student has handed anything in "
			"to and nobody has a grade of, with its rubric. One with students' work "
			"is kept (exit 6, saying how much): unpublish it to hide it instead. "
			"Asks first on a terminal; without one, --yes is needed.",
		.fn = assignment_delete,
		.opts = delete_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_ASSIGNMENT },
	},
	CMD_END
};

/* --- rubrics ------------------------------------------------------------------------- */

enum { RS_FILE, RS__N };
static const struct edu_opt rubric_show_opts[] = {
	[RS_FILE] = OPT_BOOL(0, "file", "print it as a rubric file, for 'edu rubric set'"),
	OPT_END
};

static int show_check(const struct edu_cmd *cmd, int argc, char **argv,
		      const struct edu_optval *opts)
{
	if (opts[RS_FILE].set && edu_global_vals[GOPT_CSV].set)
		return edu_usage(cmd, "--file prints a rubric file, not a table: give --file or "
				 "--csv");
	return EDU_ERR_OK;
}

static int rubric_show(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	static const char *const head[] = { "CRITERION", "LEVELS", "MAX" };
	struct edu_rubric r;
	enum edu_err err;
	cJSON *j;

	err = cw_show(ctx, edu_rubric_get, ctx->id[0], &j);
	if (err || !j)
		return err;
	if (edu_rubric_from_json(&r, j)) {
		cJSON_Delete(j);
		edu_error("the server's answer is not a rubric");
		return EDU_ERR_SERVER;
	}
	if (!r.ncriteria) {
		if (!ctx->out.quiet)
			fprintf(stderr, "edu: this assignment has no rubric\n");
	} else if (opts[RS_FILE].set) {
		edu_rubric_write(stdout, &r);
	} else {
		struct edu_table *t = edu_table_new(3, head);
		char total[32];

		for (int i = 0; i < r.ncriteria; i++) {
			struct edu_rubric_criterion *c = &r.criteria[i];
			struct edu_rubric one = { .criteria = c, .ncriteria = 1 };
			struct edu_buf b = EDU_BUF_INIT;
			char pts[32], max[32];

			for (int k = 0; k < c->nlevels; k++)
				edu_buf_printf(&b, "%s%s=%s", k ? ", " : "",
					       c->levels[k].name ? c->levels[k].name : "",
					       edu_fmt_num(c->levels[k].points, pts));
			const char *row[3] = { c->name, edu_buf_str(&b),
					       edu_fmt_num(edu_rubric_max_points(&one), max) };
			edu_table_add(t, row);
			edu_buf_release(&b);
		}
		const char *last[3] = { "total", "", edu_fmt_num(edu_rubric_max_points(&r), total) };
		edu_table_add(t, last);
		edu_table_print(t, &ctx->out);
		edu_table_free(t);
	}
	edu_rubric_release(&r);
	cJSON_Delete(j);
	return EDU_ERR_OK;
}

static int rubric_set(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	struct edu_rubric r = { 0 };
	enum edu_err err;
	cJSON *body = NULL, *j = NULL;
	char pts[32];

	/* the whole file before anything is sent: a mistake in it changes nothing */
	err = edu_rubric_read_file(argv[1], &r, &ei);
	if (err)
		return edu_report(err, &ei);
	body = edu_rubric_body(&r);
	err = edu_rubric_put(ctx->api, ctx->id[0], body, &j, &ei);
	if (err) {
		edu_report(err, &ei);
		goto out;
	}
	if (ctx->out.json)
		edu_out_json(&ctx->out, j);
	else
		edu_info(ctx, "rubric set: %d criteri%s, at most %s points", r.ncriteria,
			 r.ncriteria == 1 ? "on" : "a", edu_fmt_num(edu_rubric_max_points(&r), pts));
out:
	edu_rubric_release(&r);
	cJSON_Delete(body);
	cJSON_Delete(j);
	return err;
}

enum { RC_FROM, RC__N };
static const struct edu_opt rubric_copy_opts[] = {
	[RC_FROM] = OPT_TARGET(0, "from", "ASSIGNMENT", EDU_TARGET_ASSIGNMENT,
			       "the assignment whose rubric to copy"),
	OPT_END
};

static int rubric_copy(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	cJSON *j = NULL;

	/* --from is an assignment's id by now (OPT_TARGET) */
	err = edu_rubric_copy(ctx->api, ctx->id[0], opts[RC_FROM].str, &j, &ei);
	if (err)
		edu_report(err, &ei);
	else if (ctx->out.json)
		edu_out_json(&ctx->out, j);
	else
		edu_info(ctx, "rubric copied");
	cJSON_Delete(j);
	return err;
}

const struct edu_cmd edu_cmd_rubric[] = {
	{
		.name = "show",
		.args = "ASSIGNMENT",
		.summary = "show an assignment's rubric",
		.description =
			"With --file, prints it in the form 'edu rubric set' reads, to edit and "
			"set again.",
		.fn = rubric_show,
		.check = show_check,
		.opts = rubric_show_opts,
		.flags = CMD_NEEDS_LOGIN | CMD_TABLE,
		.targets = { EDU_TARGET_ASSIGNMENT },
	},
	{
		.name = "set",
		.args = "ASSIGNMENT FILE",
		.summary = "set an assignment's rubric from a file",
		.description =
			"FILE ('-': standard input) has one criterion a line, 'Criterion: "
			"Level=points, Level=points, ...', with '#' starting a comment line; "
			"or, when its name ends in .csv or its first line has no ':', CSV rows "
			"'criterion,level,points'. Mistakes are reported as FILE:LINE:COLUMN "
			"and nothing is sent. The rubric replaces the one before.",
		.fn = rubric_set,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_ASSIGNMENT },
	},
	{
		.name = "copy",
		.args = "ASSIGNMENT --from ASSIGNMENT",
		.summary = "copy another assignment's rubric",
		.description = "Any assignment you can read will do, in any of your courses.",
		.fn = rubric_copy,
		.opts = rubric_copy_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_ASSIGNMENT },
	},
	CMD_END
};
