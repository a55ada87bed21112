/*
 * The view table: every screen of edu-tui, by the name its keymap, the config file and
 * edu-tui(1) use. A section (TUI_SECTION_LIST) opens the view of its name; a section whose
 * view is not here yet (the Gradebook, until the server keeps one) opens "missing", which
 * says so.
 *
 * To add a view: write tui/view-NAME.c with its struct view_ops, add a line here (and its
 * ops below), its keys to TUI_ACTION_LIST, its section to edu-tui(1).
 */
#include "config.h"

#include <stddef.h>

#include "tui.h"

extern const struct view_ops tui_view_courses, tui_view_lessons, tui_view_lesson,
	tui_view_assignments, tui_view_assignment, tui_view_files, tui_view_grading,
	tui_view_submissions, tui_view_submission, tui_view_grades, tui_view_help,
	tui_view_text;

static void missing_open(struct view *v)
{
	tui_view_clear(v);
	tui_text_line(&v->text, -1);
	tui_text_add(&v->text, TUI_ROLE_DIM, "This section is not in this version of edu-tui yet.");
}

static const struct view_ops tui_view_missing = {
	.open = missing_open,
};

const struct tui_view_type tui_view_types[] = {
	/* name           title            ops                    list */
	{ "courses",      "Courses",       &tui_view_courses,     1 },
	{ "lessons",      "Lessons",       &tui_view_lessons,     1 },
	{ "lesson",       "Lesson",        &tui_view_lesson,      0 },
	{ "assignments",  "Assignments",   &tui_view_assignments, 1 },
	{ "assignment",   "Assignment",    &tui_view_assignment,  0 },
	{ "files",        "Files",         &tui_view_files,       1 },
	{ "grading",      "Grading",       &tui_view_grading,     1 },
	{ "submissions",  "Submissions",   &tui_view_submissions, 1 },
	{ "submission",   "Submission",    &tui_view_submission,  1 },
	{ "grades",       "Grades",        &tui_view_grades,      0 },
	{ "help",         "Keys",          &tui_view_help,        0 },
	{ "text",         "Text",          &tui_view_text,        0 },
	{ "missing",      "",              &tui_view_missing,     0 },
	{ NULL, NULL, NULL, 0 }
};
