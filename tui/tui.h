/*
 * edu-tui, the full-screen client: what its files share.
 *
 * The screen is a bar of sections (Courses, Assignments, Grading, Gradebook, Grades), the
 * current view, a status line and a prompt line. Each section has its own stack of views:
 * Enter opens a view on top (a course's lessons, a lesson), q goes back, and quits from
 * the bottom of the stack. A view is a vtable (struct view_ops) in a tui/view-*.c of its
 * own, listed in the view table (views.c); what a view shows is a list of lines of styled
 * spans (struct tui_text), which the generic code draws, scrolls and searches.
 *
 * Keys are data: every action has a name, default keys and help in TUI_ACTION_LIST, in
 * the keymap of one view or the generic one; the keys are looked up in the view's keymap
 * first, then in the generic one, and a config file can bind others (keys.c). The help
 * screen and edu-tui(1)'s check come from the same table.
 *
 * Nothing blocks the screen on the network: requests are jobs run by a worker thread with
 * its own API client (net.c), and their answers come back through a pipe that the input
 * loop polls with the keyboard.
 *
 * Every string drawn goes through the one-line sanitiser on its way into a span
 * (tui_text_add()): nothing from the server reaches the terminal raw.
 */
#ifndef EDU_TUI_H
#define EDU_TUI_H

#define NCURSES_WIDECHAR 1

#include <curses.h>
#include <stdatomic.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "err.h"

struct tui;
struct view;
struct tui_job;
struct tui_net;
struct tui_flight;

/* --- colours by role (screen.c) ---------------------------------------------------------- */

/*
 * Every role a piece of the screen plays, with its colours (-1: the terminal's own) and
 * attributes in the colour theme and its attributes in the monochrome one (NO_COLOR,
 * TERM=vt100, or a terminal without colours).
 *        name            fg              bg              colour attrs     mono attrs */
#define TUI_ROLE_LIST(X) \
	X(NORMAL,         -1,             -1,             A_NORMAL,        A_NORMAL) \
	X(SECTION,        COLOR_WHITE,    COLOR_BLUE,     A_NORMAL,        A_REVERSE) \
	X(SECTION_ON,     COLOR_BLACK,    COLOR_CYAN,     A_BOLD,          A_BOLD) \
	X(SECTION_OFF,    COLOR_CYAN,     COLOR_BLUE,     A_DIM,           A_REVERSE | A_DIM) \
	X(TITLE,          COLOR_CYAN,     -1,             A_BOLD,          A_BOLD) \
	X(HEADER,         COLOR_YELLOW,   -1,             A_BOLD,          A_UNDERLINE) \
	X(SELECTED,       COLOR_BLACK,    COLOR_CYAN,     A_NORMAL,        A_REVERSE) \
	X(STATUS,         COLOR_BLACK,    COLOR_WHITE,    A_NORMAL,        A_REVERSE) \
	X(STATUS_ERROR,   COLOR_WHITE,    COLOR_RED,      A_BOLD,          A_REVERSE | A_BOLD) \
	X(PROMPT,         -1,             -1,             A_BOLD,          A_BOLD) \
	X(DIM,            COLOR_BLUE,     -1,             A_BOLD,          A_DIM) \
	X(HEADING,        COLOR_MAGENTA,  -1,             A_BOLD,          A_BOLD | A_UNDERLINE) \
	X(EMPHASIS,       -1,             -1,             A_ITALIC,        A_UNDERLINE) \
	X(STRONG,         -1,             -1,             A_BOLD,          A_BOLD) \
	X(CODE,           COLOR_GREEN,    -1,             A_NORMAL,        A_DIM) \
	X(LINK,           COLOR_BLUE,     -1,             A_UNDERLINE,     A_UNDERLINE) \
	X(QUOTE,          COLOR_CYAN,     -1,             A_NORMAL,        A_DIM) \
	X(OK,             COLOR_GREEN,    -1,             A_NORMAL,        A_NORMAL) \
	X(WARN,           COLOR_YELLOW,   -1,             A_BOLD,          A_BOLD) \
	X(BAD,            COLOR_RED,      -1,             A_BOLD,          A_BOLD | A_UNDERLINE)

enum tui_role {
#define X(name, fg, bg, attr, mono) TUI_ROLE_##name,
	TUI_ROLE_LIST(X)
#undef X
	TUI_ROLE__COUNT
};

/* --- what a view shows (text.c) ---------------------------------------------------------- */

struct tui_span {
	char *text;		/* terminal-safe, one line */
	enum tui_role role;
};

struct tui_line {
	struct tui_span *spans;
	int nspans;
	int id;			/* what Enter opens (the view's item index); -1: not an item */
	int indent;		/* cells a wrapped continuation starts at (text.c) */
};

struct tui_text {
	struct tui_line *lines;
	int n, cap;
};

void tui_text_init(struct tui_text *t);
void tui_text_release(struct tui_text *t);
/* Starts a new line for item id (-1: none) and returns it. */
struct tui_line *tui_text_line(struct tui_text *t, int id);
/*
 * Adds s (may be NULL) to the last line, through the one-line sanitiser: a newline shows
 * as "⏎", an escape sequence or a bidi override never gets through.
 */
void tui_text_add(struct tui_text *t, enum tui_role role, const char *s);
void tui_text_addf(struct tui_text *t, enum tui_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Adds s padded or cut (with "…") to exactly width display cells. */
void tui_text_cell(struct tui_text *t, enum tui_role role, const char *s, int width);
/*
 * Adds multi-line text (already sanitised by libedu) as lines of at most width cells,
 * wrapped at blanks, each starting with indent blanks.
 */
void tui_text_wrap(struct tui_text *t, enum tui_role role, const char *s, int width,
		   int indent);
/* The line's text, its spans joined (caller frees): what search and the dump read. */
char *tui_line_plain(const struct tui_line *l);
/* Display cells of s (UTF-8); a character that cannot be shown counts one. */
int tui_width(const char *s);
/* The bytes of s that fit in width cells (combining characters stay with theirs). */
size_t tui_fit(const char *s, int width, int *used);

/* --- actions and keys (keys.c) ----------------------------------------------------------- */

/*
 * Every action: its keymap (generic, or the name of the view whose keys it is), its name
 * as the config file and edu-tui(1) spell it (lower case, '-' for '_'), its default keys
 * (separated by blanks; <Name> for a key that is not a character) and its help. edu-tui(1)
 * lists them view by view, checked against this table by tests/e2e/103-tui-keys.sh.
 *
 * To add an action: a line here, its case in the view's request(), and its line in
 * edu-tui(1).
 *        keymap       NAME              keys                     help */
#define TUI_ACTION_LIST(X) \
	X(generic,     QUIT_VIEW,        "q",                     "go back; quit from the first view of a section") \
	X(generic,     QUIT,             "Q",                     "quit at once") \
	X(generic,     HELP,             "?",                     "show the keys of this view") \
	X(generic,     UP,               "k <Up>",                "move up a line") \
	X(generic,     DOWN,             "j <Down>",              "move down a line") \
	X(generic,     PAGE_UP,          "<PgUp> b",              "move up a page") \
	X(generic,     PAGE_DOWN,        "<PgDn> <Space>",        "move down a page") \
	X(generic,     FIRST,            "g <Home>",              "go to the first line") \
	X(generic,     LAST,             "G <End>",               "go to the last line") \
	X(generic,     OPEN,             "<Enter> <Right>",       "open what the cursor is on") \
	X(generic,     SEARCH,           "/",                     "search the view for a text") \
	X(generic,     SEARCH_NEXT,      "n",                     "go to the next line that matches") \
	X(generic,     SEARCH_PREV,      "N",                     "go to the line before that matches") \
	X(generic,     COMMAND,          ":",                     "open the command line") \
	X(generic,     RELOAD,           "R",                     "read the view again from the server") \
	X(generic,     REDRAW,           "<C-l>",                 "draw the whole screen again") \
	X(generic,     NEXT_SECTION,     "<Tab>",                 "go to the next section") \
	X(generic,     PREV_SECTION,     "<BTab>",                "go to the section before") \
	X(generic,     SECTION_1,        "1",                     "go to Courses") \
	X(generic,     SECTION_2,        "2",                     "go to Assignments") \
	X(generic,     SECTION_3,        "3",                     "go to Grading") \
	X(generic,     SECTION_4,        "4",                     "go to the Gradebook") \
	X(generic,     SECTION_5,        "5",                     "go to Grades") \
	X(lesson,      DONE,             "d",                     "mark the lesson done, or not done again") \
	X(lesson,      ATTACHMENT,       "o",                     "open an attachment (asks which when there are several)") \
	X(assignment,  SUBMIT_TEXT,      "t",                     "hand in text, written in the editor") \
	X(assignment,  SUBMIT_FILE,      "f",                     "hand in a file, picked from a folder") \
	X(files,       PARENT,           "<Backspace> -",         "go to the folder above") \
	X(files,       TYPE_PATH,        "p",                     "type the path of the file to hand in") \
	X(files,       HIDDEN,           ".",                     "show or hide hidden files") \
	X(submission,  LEVEL_1,          "1",                     "pick level 1 of the criterion the cursor is on") \
	X(submission,  LEVEL_2,          "2",                     "pick level 2") \
	X(submission,  LEVEL_3,          "3",                     "pick level 3") \
	X(submission,  LEVEL_4,          "4",                     "pick level 4") \
	X(submission,  LEVEL_5,          "5",                     "pick level 5") \
	X(submission,  LEVEL_6,          "6",                     "pick level 6") \
	X(submission,  LEVEL_7,          "7",                     "pick level 7") \
	X(submission,  LEVEL_8,          "8",                     "pick level 8") \
	X(submission,  LEVEL_9,          "9",                     "pick level 9") \
	X(submission,  LEVEL_NONE,       "0",                     "take the criterion's level away (not assessed)") \
	X(submission,  SCORE,            "s",                     "type the score") \
	X(submission,  COMMENT,          "c",                     "type a one-line comment") \
	X(submission,  COMMENT_EDITOR,   "C",                     "write the comment in the editor") \
	X(submission,  EXCUSE,           "x",                     "excuse the student, or not") \
	X(submission,  RELEASE,          "r",                     "release the grade to the student, or not") \
	X(submission,  SAVE,             "w",                     "save the grade and go to the next ungraded submission") \
	X(submission,  FILE,             "o",                     "open a submitted file (asks which when there are several)") \
	X(submission,  NEXT,             "]",                     "leave this one for later: go to the next ungraded submission") \
	X(submission,  KEEP_MINE,        "m",                     "after a conflict: save your grade over the other teacher's") \
	X(submission,  KEEP_THEIRS,      "T",                     "after a conflict: keep the other teacher's grade") \
	X(submission,  EDIT_MERGE,       "e",                     "after a conflict: edit your grade over theirs, then save")

enum tui_action {
	TUI_ACT_NONE = 0,
#define X(keymap, name, keys, help) TUI_ACT_##name,
	TUI_ACTION_LIST(X)
#undef X
	TUI_ACT__COUNT
};

/* Keys: a character is its code point; a key that is not one is TUI_KEYCODE(KEY_...). */
#define TUI_KEYCODE(k) (0x200000 + (k))
#define TUI_KEY_ESC 27
#define TUI_KEY_ENTER '\n'
#define TUI_KEY_CTRL(c) ((c) & 0x1f)

/* Builds the bindings from the table, then the config file's (may be NULL; errors in ei). */
enum edu_err tui_keys_init(const char *config_path, struct edu_errinfo *ei);
void tui_keys_release(void);
/* The action key is bound to in keymap, else in the generic keymap; TUI_ACT_NONE: none. */
enum tui_action tui_key_action(const char *keymap, int key);
/* "<Enter>", "q": the name of key (static buffer). */
const char *tui_key_name(int key);
/* The key a name stands for ("<C-l>", "x"); -1 when it is none. */
int tui_key_parse(const char *name, size_t len);
/* The keys bound to action in its keymap, "j <Down>" (caller frees; "" when none). */
char *tui_action_keys(enum tui_action a);
const char *tui_action_name(enum tui_action a);	/* "search-next" (static buffer) */
const char *tui_action_keymap(enum tui_action a);
const char *tui_action_help(enum tui_action a);
/* `edu-tui --list-keys`: "KEYMAP\tKEY\tACTION\thelp" for every default binding. */
void tui_keys_list(FILE *fp);

/* --- the worker thread (net.c) ----------------------------------------------------------- */

/* Runs on the worker thread with the worker's own API client: fills the job's results. */
typedef void tui_job_run_fn(struct edu_api *api, struct tui_job *job);
/* Runs on the main thread when the job is done; view is NULL when the view has gone. */
typedef void tui_job_done_fn(struct tui *t, struct view *v, struct tui_job *job);

/*
 * A request. The main thread fills in the inputs and submits it; the worker runs it and
 * fills the results; the main thread gets it back, runs done and frees it. Nothing else is
 * shared: the worker touches only the inputs and results, the main thread only the rest
 * until the job comes back. Progress is atomic (the worker writes, the screen reads).
 */
struct tui_job {
	tui_job_run_fn *run;
	tui_job_done_fn *done;
	const char *what;	/* for the status line: "reading the courses" */
	/* inputs */
	char *id[3];		/* ids (course, lesson, submission...), paths */
	char *text;
	char *version;		/* If-Match */
	cJSON *body;
	int flag;
	/* results */
	enum edu_err err;
	struct edu_errinfo ei;
	cJSON *out;		/* the answer (freed with the job unless taken) */
	cJSON *current;		/* a 412's current object */
	char *path;		/* a file written */
	atomic_llong done_bytes, total_bytes;
	/* the worker's */
	struct tui_net *net;
	double last_note;
	/* the main thread's */
	struct view *view;	/* NULL once the view is closed */
	struct tui_job *next;	/* in the worker's queue (under its lock) */
	double started;
};

/* The progress callback of a job's transfer (arg: the job), on the worker thread. */
void tui_job_progress(void *arg, long long done, long long total);

struct tui_net;

/* Starts the worker with its own API client (taken: freed by tui_net_stop). */
struct tui_net *tui_net_start(struct edu_api *api);
/* Stops the worker (after the job it runs) and frees the jobs left, their answers unread. */
void tui_net_stop(struct tui *t);
/* The descriptor the main loop polls: readable when a job is back or has progressed. */
int tui_net_fd(const struct tui_net *n);
/* A new job for view v (may be NULL), to fill in and submit. */
struct tui_job *tui_job_new(struct view *v, const char *what, tui_job_run_fn *run,
			    tui_job_done_fn *done);
void tui_job_submit(struct tui *t, struct tui_job *job);
void tui_job_free(struct tui_job *job);
/*
 * Reads what the pipe holds: runs done of each job back (and frees it), notes progress.
 * Returns nonzero when something changed on the screen.
 */
int tui_net_dispatch(struct tui *t);
/* Jobs submitted and not back yet. */
int tui_net_pending(const struct tui *t);
/* Forgets v in its jobs (the view is closing): their answers will be dropped. */
void tui_net_forget(struct tui *t, struct view *v);
/* The job in flight with progress to show (an upload), or NULL. */
const struct tui_job *tui_net_progress(const struct tui *t);

/* --- views (view.c, views.c, view-*.c) ----------------------------------------------------- */

/* Where a view draws. */
struct tui_area {
	int y, x, h, w;
};

/*
 * A view's vtable. open starts it (its requests; called again by RELOAD, and when it comes
 * back on top after a view above changed what it shows: v->stale); draw draws it in the
 * area (NULL: the generic drawing of v->text, laid out again by layout first when the width
 * changed); request handles an action (returns nonzero when it did, else the generic
 * handler runs); select opens item id (Enter); done frees the view's own state.
 */
struct view_ops {
	void (*open)(struct view *v);
	void (*layout)(struct view *v, int width);
	void (*draw)(struct view *v, struct tui_area *a);
	int (*request)(struct view *v, enum tui_action a);
	void (*select)(struct view *v, int id);
	void (*done)(struct view *v);
};

/* An entry of the view table (views.c). */
struct tui_view_type {
	const char *name;		/* its keymap, as in TUI_ACTION_LIST and edu-tui(1) */
	const char *title;		/* "Lessons" */
	const struct view_ops *ops;
	int list;			/* a list with a cursor (else a page that scrolls) */
};

struct view {
	const struct tui_view_type *type;
	struct tui *tui;
	char *title;			/* the breadcrumb part: "Physics 1" */
	struct tui_text head;		/* frozen lines above the text (a list's header) */
	struct tui_text text;
	int cursor, top;		/* the line the cursor is on; the first line shown */
	int width;			/* the width text was laid out for; 0: not yet */
	int height;			/* the text's rows at the last draw */
	int loading;			/* jobs of this view in flight */
	int stale;			/* open again when back on top */
	const char *empty;		/* what to say when the text has no line */
	struct view *parent;		/* the view below on the stack */
	void *priv;
};

/* The view type named name, or NULL (views.c). */
const struct tui_view_type *tui_view_type(const char *name);
extern const struct tui_view_type tui_view_types[];

/* A new view of the type named name, for priv (the view's own, freed by its done). */
struct view *tui_view_new(struct tui *t, const char *type, const char *title, void *priv);
/* Pushes v on the current section's stack and opens it. */
void tui_view_push(struct tui *t, struct view *v);
/* Pops the current section's top view (its done runs). 0 when it was the last. */
int tui_view_pop(struct tui *t);
/* The view on top of the current section, or NULL. */
struct view *tui_view_top(const struct tui *t);
/* The generic handler of an action: moving, searching, opening. */
int tui_view_request(struct view *v, enum tui_action a);
/* Draws v->head and v->text in a, the cursor's line highlighted in a list. */
void tui_view_draw_text(struct view *v, struct tui_area *a);
/* Puts the cursor on the first line of item id (when there is one). */
void tui_view_goto_id(struct view *v, int id);
/* The item the cursor is on, -1 when none. */
int tui_view_cursor_id(const struct view *v);
/* Empties the text (and head) so the view can build them again. */
void tui_view_clear(struct view *v);
/* Marks the views below v stale: they read again when they come back on top. */
void tui_view_stale_below(struct view *v);

/* --- the screen and the program (main.c, screen.c, prompt.c) ------------------------------- */

#define TUI_SECTION_LIST(X) \
	X(COURSES,     "Courses",     "courses") \
	X(ASSIGNMENTS, "Assignments", "assignments") \
	X(GRADING,     "Grading",     "grading") \
	X(GRADEBOOK,   "Gradebook",   "gradebook") \
	X(GRADES,      "Grades",      "grades")

enum tui_section {
#define X(name, title, view) TUI_SEC_##name,
	TUI_SECTION_LIST(X)
#undef X
	TUI_SEC__COUNT
};

#define TUI_STACK_MAX 16

/* The prompt line: a question and the answer being typed. */
typedef void tui_prompt_fn(struct tui *t, struct view *v, const char *answer);
/* Completion: the candidates for text (a NULL-terminated array the caller frees, strings too). */
typedef char **tui_complete_fn(struct tui *t, const char *text);

struct tui_prompt {
	int active;
	char *question;
	wchar_t buf[1024];
	int len, pos;
	tui_prompt_fn *done;
	tui_complete_fn *complete;
	struct view *view;
};

struct tui_script;

struct tui {
	struct edu_client client;
	struct tui_net *net;
	struct tui_flight *flights;	/* jobs submitted, not back (net.c) */
	int npending;
	/* who is logged in */
	char *user, *school, *role;
	int teacher, student;		/* what the courses say the user is in some course */
	/* what needs attention; -1: not known yet */
	int to_grade, due;
	/* the status line's message */
	char *message;
	int message_error;
	/* the sections and their stacks */
	enum tui_section section;
	struct view *stack[TUI_SEC__COUNT][TUI_STACK_MAX];
	int depth[TUI_SEC__COUNT];
	struct tui_prompt prompt;
	/* search */
	char *search;
	/* the courses, for :course and its completion (NULL until read) */
	cJSON *courses;
	/* the screen */
	int mono;
	int too_small;
	int spinner;
	int need_redraw;
	int quit;
	int headless;
	struct tui_script *script;
	const char *dump_path;
	double t0;			/* start (monotonic seconds) */
};

/* Seconds on the monotonic clock. */
double tui_now(void);

/* screen.c */
int tui_screen_init(struct tui *t);
void tui_screen_end(struct tui *t);
/* Whether to draw without colours: NO_COLOR, TERM=vt100 or dumb, no colours. */
int tui_mono_wanted(void);
attr_t tui_attr(const struct tui *t, enum tui_role role);
/* Draws the whole screen (only what changed reaches the terminal). */
void tui_draw(struct tui *t);
/* Draws s in at most w cells at y, x with role; returns the cells used. */
int tui_draw_str(struct tui *t, int y, int x, int w, const char *s, enum tui_role role);
/* Writes the screen as text (UTF-8, one line a row, trailing blanks dropped). */
int tui_screen_dump(const char *path);
/* Leaves the screen for a program that needs the terminal, and takes it back. */
void tui_screen_suspend(struct tui *t);
void tui_screen_resume(struct tui *t);

/* main.c: messages on the status line (one line, sanitised when drawn). */
void tui_message(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_error(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A failure of libedu on the status line: what failed, libedu's message, what to do. */
void tui_failure(struct tui *t, const char *what, enum edu_err err,
		 const struct edu_errinfo *ei);
/* Switches to section s (opening its first view when it has none yet). */
void tui_section(struct tui *t, enum tui_section s);
/* Runs one action on the current view (the view's request, else the generic one). */
void tui_act(struct tui *t, enum tui_action a);
/* Reads the whole of the user's assignments again (status counts, views). */
void tui_refresh_counts(struct tui *t);

/* prompt.c */
void tui_prompt_open(struct tui *t, struct view *v, const char *question, const char *initial,
		     tui_prompt_fn *done, tui_complete_fn *complete);
void tui_prompt_close(struct tui *t);
/* A key for the open prompt. */
void tui_prompt_key(struct tui *t, int key);
void tui_prompt_draw(struct tui *t, int y);
/* `:` and its commands. */
void tui_command_open(struct tui *t);
/* `edu-tui --list-commands`: "NAME ARGS\thelp" for every command of the command line. */
void tui_commands_list(FILE *fp);
/* The courses whose name starts with text (for :course completion); caller frees. */
char **tui_complete_courses(struct tui *t, const char *text);

/* script.c: --script and what tests drive the screen with. */
struct tui_script *tui_script_load(const char *path, struct edu_errinfo *ei);
void tui_script_free(struct tui_script *s);
/*
 * The next key of the script, when the screen has settled (no request in flight); -1:
 * none now (come back later), -2: the script has ended. Directives run here.
 */
int tui_script_next(struct tui *t);

/* markdown.c: Markdown (lesson content, instructions) as lines of width cells. */
void tui_markdown(struct tui_text *out, const char *markdown, int width);

/* the views' constructors other views call */
struct view *tui_lessons_view(struct tui *t, const char *course_id, const char *course_name);
struct view *tui_text_view(struct tui *t, const char *title, const char *text);
struct view *tui_help_view(struct tui *t, const char *keymap);
/* The file picker: picked(v's parent, path) runs when a file is chosen. */
typedef void tui_picked_fn(struct view *parent, const char *path);
struct view *tui_files_view(struct tui *t, tui_picked_fn *picked);
/* Opens file f of the object PREFIX/ID ("/lessons", id, "attachments"), from view v. */
struct edu_file;
void tui_open_file(struct tui *t, struct view *v, const char *prefix, const char *id,
		   const char *kind, const struct edu_file *f);
/* Opens a submission in the grading form (from :grade). */
struct view *tui_submission_view(struct tui *t, const char *submission_id);
/* The same from an assignment's submissions (list): a save goes on to the next ungraded. */
struct view *tui_submission_view_in(struct tui *t, const char *submission_id,
				    struct view *list);
/*
 * For the grading form: notes (now_graded) that submission id of the submissions view v
 * was graded, and gives the next one without a grade (caller frees), NULL when none is left.
 */
char *tui_submissions_next(struct view *v, const char *id, int now_graded);
struct view *tui_submissions_view(struct tui *t, const char *assignment_id, const char *title);
/* An assignment (an item of the overview, or the server's object). */
struct view *tui_assignment_view(struct tui *t, const cJSON *assignment);
/* A lesson (an item of the lessons list): shown at once, then read again. */
struct view *tui_lesson_view(struct tui *t, const cJSON *lesson);

#endif
