/*
 * `edu course ...`: courses, their members and their join codes. COURSE arguments are a
 * course id or a unique start of one (at least 8 characters, as `course list` shows).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "courses.h"
#include "cw.h"
#include "edu.h"
#include "list.h"
#include "members.h"
#include "model.h"
#include "values.h"
#include "xalloc.h"

enum { CL_ALL, CL_ARCHIVED, CL__N };
static const struct edu_opt list_opts[] = {
	[CL_ALL] = OPT_BOOL('a', "all", "every course of the school (admins)"),
	[CL_ARCHIVED] = OPT_BOOL(0, "archived", "archived courses"),
	OPT_END
};

/* arg: nonzero for whole ids (--csv, for scripts); a table shows EDU_ID_SHORT characters */
static void course_row(struct edu_table *t, const cJSON *item, void *arg)
{
	const int *whole_ids = arg;
	struct edu_course c;
	char sid[EDU_ID_SHORT + 1];

	if (edu_course_from_json(&c, item))
		return;
	const char *row[6] = { edu_id_short(c.id, *whole_ids, sid), c.name, c.term,
			       c.my_role ? c.my_role : "admin", c.code,
			       c.archived ? "archived" : "" };
	edu_table_add(t, row);
	edu_course_release(&c);
}

static int course_list(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	static const char *const head[] = { "ID", "NAME", "TERM", "ROLE", "CODE", "STATE" };
	int whole_ids = ctx->out.csv;
	const struct edu_list list = {
		.ncols = 6, .head = head, .row = course_row, .arg = &whole_ids,
		.empty = opts[CL_ARCHIVED].set ? "no courses archived" : "no courses",
	};
	struct edu_errinfo ei = { 0 };
	cJSON *items = NULL;
	enum edu_err err;

	err = edu_courses_list(ctx->api, opts[CL_ALL].set, opts[CL_ARCHIVED].set, &items, &ei);
	if (err)
		return edu_report(err, &ei);
	return edu_list_print(ctx, items, &list);
}

static void print_course(struct edu_ctx *ctx, const cJSON *j)
{
	struct edu_course c;
	char version[32], created[64], updated[64];

	if (edu_course_from_json(&c, j)) {
		edu_error("the server's answer is not a course");
		return;
	}
	snprintf(version, sizeof(version), "%ld", c.version);
	const char *rows[][2] = {
		{ "course", c.name },
		{ "id", c.id },
		{ "term", c.term },
		{ "description", c.description },
		{ "your role", c.my_role ? c.my_role : "admin" },
		{ "join code", c.code },
		{ "archived", c.archived ? "yes" : NULL },
		{ "created", edu_fmt_time(c.created_at, created) },
		{ "updated", edu_fmt_time(c.updated_at, updated) },
		{ "version", version },
	};
	edu_fields_print(&ctx->out, rows, sizeof(rows) / sizeof(rows[0]));
	edu_course_release(&c);
}

static int course_show(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	enum edu_err err;
	cJSON *j;

	err = cw_show(ctx, edu_course_get, ctx->id[0], &j);
	if (err || !j)
		return err;
	print_course(ctx, j);
	cJSON_Delete(j);
	return EDU_ERR_OK;
}

/*
 * The end of create, join and copy, which all answer with the course made: their failure
 * (err, ei) reported, else the course for --json, its id for -q, a line for people. Frees
 * j; returns err.
 */
static enum edu_err print_made(struct edu_ctx *ctx, enum edu_err err,
			       const struct edu_errinfo *ei, cJSON *j, const char *done)
{
	const char *id = edu_json_str(j, "id"), *name = edu_json_str(j, "name");
	const char *code = edu_json_str(j, "code");

	if (err)
		edu_report(err, ei);
	else if (ctx->out.json)
		edu_out_json(&ctx->out, j);
	else if (ctx->out.quiet)
		edu_line("%s", id ? id : "");
	else if (code)
		edu_line("%s '%s' (id %s, join code %s)", done, name ? name : "", id ? id : "?",
			 code);
	else
		edu_line("%s '%s' (id %s)", done, name ? name : "", id ? id : "?");
	cJSON_Delete(j);
	return err;
}

enum { CC_DESCRIPTION, CC_TERM, CC__N };
static const struct edu_opt create_opts[] = {
	[CC_DESCRIPTION] = OPT_STRING('d', "description", "TEXT", "what the course is about"),
	[CC_TERM] = OPT_STRING('t', "term", "TERM", "the term it runs in, e.g. \"2026 autumn\""),
	OPT_END
};

static int course_create(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	cJSON *j = NULL;

	err = edu_course_create(ctx->api, argv[0], opts[CC_DESCRIPTION].str, opts[CC_TERM].str,
				&j, &ei);
	return print_made(ctx, err, &ei, j, "created course");
}

enum { CA_UNDO, CA__N };
static const struct edu_opt archive_opts[] = {
	[CA_UNDO] = OPT_BOOL(0, "undo", "bring an archived course back"),
	OPT_END
};

static int course_archive(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	const char *id = ctx->id[0];
	cJSON *fields = cJSON_CreateObject(), *j = NULL;
	enum edu_err err;

	cJSON_AddBoolToObject(fields, "archived", !opts[CA_UNDO].set);
	err = edu_course_update(ctx->api, id, fields, NULL, &j, &ei);
	if (err)
		edu_report(err, &ei);
	else if (ctx->out.json)
		edu_out_json(&ctx->out, j);
	else
		edu_info(ctx, "%s course '%s'", opts[CA_UNDO].set ? "restored" : "archived",
			 edu_json_str(j, "name") ? edu_json_str(j, "name") : id);
	cJSON_Delete(fields);
	cJSON_Delete(j);
	return err;
}

enum { CM_ROLE, CM__N };
static const struct edu_opt members_opts[] = {
	[CM_ROLE] = OPT_CHOICE('r', "role", "ROLE", &edu_values_course_role,
			       "only the members with this role"),
	OPT_END
};

static void member_row(struct edu_table *t, const cJSON *item, void *arg)
{
	struct edu_member m;
	char added[64];

	if (edu_member_from_json(&m, item))
		return;
	const char *row[4] = { m.user.username, m.user.display_name, m.role,
			       edu_fmt_time(m.added_at, added) };
	edu_table_add(t, row);
	edu_member_release(&m);
}

static int course_members(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	static const char *const head[] = { "USERNAME", "NAME", "ROLE", "ADDED" };
	static const struct edu_list list = { .ncols = 4, .head = head, .row = member_row };
	struct edu_errinfo ei = { 0 };
	cJSON *items = NULL;
	enum edu_err err;

	err = edu_course_members(ctx->api, ctx->id[0], opts[CM_ROLE].str, &items, &ei);
	if (err)
		return edu_report(err, &ei);
	return edu_list_print(ctx, items, &list);
}

enum { CE_ROLE, CE__N };
static const struct edu_opt enrol_opts[] = {
	[CE_ROLE] = OPT_CHOICE('r', "role", "ROLE", &edu_values_course_role,
			       "their role in the course, student unless given"),
	OPT_END
};

static int course_enrol(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	const char *role = opts[CE_ROLE].set ? opts[CE_ROLE].str : "student";
	enum edu_err err, first = EDU_ERR_OK;
	cJSON *all = NULL;

	if (ctx->out.json)
		all = cJSON_CreateArray();
	/* every user is tried; the first failure decides the exit status */
	for (int i = 1; i < argc; i++) {
		struct edu_errinfo ei = { 0 };
		cJSON *m = NULL;
		int created = 0;

		err = edu_course_enrol(ctx->api, ctx->id[0], argv[i], role, &m, &created, &ei);
		if (err) {
			edu_report_on(err, &ei, "%s", argv[i]);
			if (!first)
				first = err;
			continue;
		}
		if (all)
			cJSON_AddItemToArray(all, m);
		else
			edu_info(ctx, "%s %s as %s", created ? "enrolled" : "already enrolled:",
				 argv[i], role);
		if (!all)
			cJSON_Delete(m);
	}
	if (all) {
		edu_out_json(&ctx->out, all);
		cJSON_Delete(all);
	}
	return first;
}

static int course_unenrol(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;

	/* ctx->id[1]: the member argv[1] names, found in the course's member list */
	err = edu_course_unenrol(ctx->api, ctx->id[0], ctx->id[1], &ei);
	if (err)
		return edu_report(err, &ei);
	edu_info(ctx, "removed %s from the course", argv[1]);
	return EDU_ERR_OK;
}

static int course_join(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	cJSON *j = NULL;

	err = edu_course_join(ctx->api, argv[0], &j, &ei);
	return print_made(ctx, err, &ei, j, "joined course");
}

enum { CY_NAME, CY_TERM, CY_SHIFT, CY_CLEAR, CY__N };
static const struct edu_opt copy_opts[] = {
	[CY_NAME] = OPT_STRING('n', "name", "NAME", "the new course's name"),
	[CY_TERM] = OPT_STRING('t', "term", "TERM", "the new course's term"),
	[CY_SHIFT] = OPT_INT(0, "shift-dates", "DAYS",
			     "move every due date by DAYS (negative: earlier)"),
	[CY_CLEAR] = OPT_BOOL(0, "clear-dates", "leave the copies without due dates"),
	OPT_END
};

static int copy_check(const struct edu_cmd *cmd, int argc, char **argv,
		      const struct edu_optval *opts)
{
	if (opts[CY_SHIFT].set && opts[CY_CLEAR].set)
		return edu_usage(cmd, "give --shift-dates or --clear-dates, not both");
	return EDU_ERR_OK;
}

static int course_copy(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct edu_errinfo ei = { 0 };
	enum edu_err err;
	cJSON *j = NULL;

	err = edu_course_copy(ctx->api, ctx->id[0], opts[CY_NAME].str, opts[CY_TERM].str,
			      opts[CY_SHIFT].set, opts[CY_SHIFT].num, opts[CY_CLEAR].set, &j, &ei);
	return print_made(ctx, err, &ei, j, "copied to course");
}

static void progress_row(struct edu_table *t, const cJSON *item, void *arg)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(item, "student");
	char done[32], total[32];

	snprintf(done, sizeof(done), "%ld", (long)edu_json_num(item, "done", 0));
	snprintf(total, sizeof(total), "%ld", (long)edu_json_num(item, "total", 0));
	const char *row[4] = { edu_json_str(s, "username"), edu_json_str(s, "display_name"),
			       done, total };
	edu_table_add(t, row);
}

static int course_progress(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	static const char *const head[] = { "USERNAME", "NAME", "DONE", "LESSONS" };
	static const struct edu_list list = { .ncols = 4, .head = head, .row = progress_row };
	cJSON *items;
	enum edu_err err = cw_fetch(ctx, edu_course_progress, ctx->id[0], &items);

	return err ? err : edu_list_print(ctx, items, &list);
}

const struct edu_cmd edu_cmd_course[] = {
	{
		.name = "list",
		.summary = "list your courses",
		.description =
			"IDs are shortened to their first 8 characters, which every COURSE "
			"argument accepts as long as no other course's id starts the same. Join "
			"codes are shown to teachers only.",
		.fn = course_list,
		.opts = list_opts,
		.flags = CMD_NEEDS_LOGIN | CMD_TABLE,
	},
	{
		.name = "show",
		.args = "COURSE",
		.summary = "show a course",
		.fn = course_show,
		.flags = CMD_NEEDS_LOGIN | CMD_TABLE,
		.targets = { EDU_TARGET_COURSE },
	},
	{
		.name = "create",
		.args = "NAME",
		.summary = "create a course that you teach",
		.description =
			"Prints the new course's id and join code (the id alone with -q). "
			"Students join with 'edu course join CODE', or a teacher enrols them.",
		.fn = course_create,
		.opts = create_opts,
		.flags = CMD_NEEDS_LOGIN,
	},
	{
		.name = "archive",
		.args = "COURSE",
		.summary = "archive a course (or bring it back with --undo)",
		.description =
			"An archived course is kept, but no longer listed unless asked for with "
			"--archived.",
		.fn = course_archive,
		.opts = archive_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_COURSE },
	},
	{
		.name = "members",
		.args = "COURSE",
		.summary = "list a course's teachers and students",
		.fn = course_members,
		.opts = members_opts,
		.flags = CMD_NEEDS_LOGIN | CMD_TABLE,
		.targets = { EDU_TARGET_COURSE },
	},
	{
		.name = "enrol",
		.args = "COURSE USER...",
		.summary = "add users to a course",
		.description =
			"USER is a user name or id. Every user given is tried; users already in "
			"the course are left as they are.",
		.fn = course_enrol,
		.opts = enrol_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_COURSE },
	},
	{
		.name = "unenrol",
		.args = "COURSE USER",
		.summary = "remove a user from a course",
		.description =
			"USER is a user name or id. Their submissions and grades are kept.",
		.fn = course_unenrol,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_COURSE, EDU_TARGET_MEMBER },
	},
	{
		.name = "join",
		.args = "CODE",
		.summary = "join a course as a student with its join code",
		.fn = course_join,
		.flags = CMD_NEEDS_LOGIN,
	},
	{
		.name = "copy",
		.args = "COURSE",
		.summary = "copy a course for a new term",
		.description =
			"The copy has the lessons, the assignments (as drafts) and the rubrics, "
			"but no members and no submissions; you teach it. --shift-dates moves "
			"every due date by a number of days, --clear-dates removes them.",
		.fn = course_copy,
		.check = copy_check,
		.opts = copy_opts,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_COURSE },
	},
	{
		.name = "progress",
		.args = "COURSE",
		.summary = "show how far students are through the lessons",
		.description = "A teacher sees every student; a student sees themselves.",
		.fn = course_progress,
		.flags = CMD_NEEDS_LOGIN | CMD_TABLE,
		.targets = { EDU_TARGET_COURSE },
	},
	CMD_END
};
