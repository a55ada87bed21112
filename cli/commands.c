/*
 * The top-level command table: every command of edu(1) that is not in a family, and the
 * families, each declared in its own cli/cmd-FAMILY.c. Everything else about commands reads
 * this table: dispatch.c runs them, help.c and man.c describe them, complete.c completes
 * them.
 *
 * To add a command family: write cli/cmd-FAMILY.c exporting its table, declare the table
 * in cmd.h, and add one entry below.
 */
#include "config.h"

#include <stddef.h>

#include "edu.h"

const struct edu_cmd edu_commands[] = {
	{
		.name = "login",
		.summary = "log in and keep the session in this profile",
		.description =
			"Asks for the school and user name when they are not given (offering "
			"the profile's) and for the password, which is read from the terminal "
			"without echo. The session is stored in "
			"$XDG_STATE_HOME/edu/credentials/PROFILE.json, readable only by you, "
			"and refreshed on its own while you use it. With --server, the server "
			"is saved in the profile too.",
		.fn = edu_cmd_login,
		.opts = edu_opts_login,
		.flags = CMD_API,
	},
	{
		.name = "logout",
		.summary = "end the session of this profile",
		.description =
			"Ends the stored session on the server and removes it from this "
			"machine. With --all, every session and access token of your account "
			"ends, on every machine.",
		.fn = edu_cmd_logout,
		.opts = edu_opts_logout,
		.flags = CMD_SESSION,
	},
	{
		.name = "whoami",
		.summary = "show who you are logged in as",
		.fn = edu_cmd_whoami,
		.flags = CMD_NEEDS_LOGIN | CMD_TABLE,
	},
	{
		.name = "passwd",
		.summary = "change your password",
		.description =
			"Asks for the current password and the new one twice. With "
			"--password-stdin, reads two lines from standard input: the current "
			"password, then the new one. Your other sessions end.",
		.fn = edu_cmd_passwd,
		.opts = edu_opts_passwd,
		.flags = CMD_NEEDS_LOGIN,
	},
	{
		.name = "activate",
		.summary = "activate a new account with its code and choose a password",
		.description =
			"Asks for whatever of school, user name and activation code is not "
			"given, then for the new password twice (with --password-stdin, one "
			"line of standard input). On success you are logged in. Type the code "
			"at the prompt, or give it on the first line of standard input with "
			"--code-stdin (the password, with --password-stdin, on the next): a "
			"code given with --code is on the command line, where anyone on the "
			"same machine can read it (ps) until it is used.",
		.fn = edu_cmd_activate,
		.opts = edu_opts_activate,
		.flags = CMD_API,
	},
	{
		.name = "config",
		.summary = "read and change the settings of a profile",
		.subs = edu_cmd_config,
	},
	{
		.name = "profile",
		.summary = "list profiles and choose the current one",
		.subs = edu_cmd_profile,
	},
	{
		.name = "token",
		.summary = "manage personal API tokens for scripts",
		.subs = edu_cmd_token,
	},
	{
		.name = "admin",
		.summary = "manage schools and users",
		.subs = edu_cmd_admin,
	},
	{
		.name = "course",
		.summary = "list, create, copy and join courses; enrol users",
		.subs = edu_cmd_course,
	},
	{
		.name = "lesson",
		.summary = "read a course's lessons",
		.subs = edu_cmd_lesson,
	},
	{
		.name = "assignment",
		.summary = "list, show, create and edit assignments",
		.subs = edu_cmd_assignment,
	},
	{
		.name = "rubric",
		.summary = "show and set an assignment's rubric",
		.subs = edu_cmd_rubric,
	},
	{
		.name = "submit",
		.args = "ASSIGNMENT [FILE...]",
		.summary = "hand in an assignment: files, text or both",
		.description =
			"Each file is uploaded (with a progress bar on a terminal for large "
			"ones), then the submission is made; every submit is a new attempt and "
			"the teacher sees the latest. Files too large for the assignment are "
			"refused before anything is sent. Prints the attempt (the submission's "
			"id alone with -q).",
		.fn = edu_cmd_submit,
		.check = edu_check_submit,
		.opts = edu_opts_submit,
		.flags = CMD_NEEDS_LOGIN,
		.targets = { EDU_TARGET_ASSIGNMENT },
	},
	{
		.name = "submission",
		.summary = "list, show and download submissions",
		.subs = edu_cmd_submission,
	},
	{
		.name = "grade",
		.summary = "grade submissions, one by one or in a loop; release grades",
		.description =
			"'edu grade SUBMISSION SCORE' is short for 'edu grade set SUBMISSION "
			"SCORE'.",
		.subs = edu_cmd_grade,
	},
	{
		.name = "grades",
		.args = "[COURSE]",
		.summary = "show your released grades and feedback",
		.description =
			"For students: score, late or missing, the rubric levels reached and "
			"the teacher's comment of every released grade, of one course or of "
			"all.",
		.fn = edu_cmd_grades,
		.flags = CMD_NEEDS_LOGIN | CMD_TABLE,
		.targets = { EDU_TARGET_COURSE },
	},
	{
		.name = "tui",
		.summary = "start the full-screen client, edu-tui",
		.description =
			"Runs edu-tui(1) with this profile and server: the courses, lessons, "
			"assignments, grading and grades on one screen driven with the keyboard.",
		.fn = edu_cmd_tui,
	},
	{
		.name = "help",
		.args = "[COMMAND...]",
		.summary = "show help for edu or for a command",
		.fn = edu_cmd_help_fn,
		.flags = CMD_NO_CONFIG | CMD_WORDS,
	},
	CMD_END
};
