/*
 * The user's own programs, as both clients start them: the pager, the editor to compose
 * longer text in, and what opens a file (the desktop's opener, EDU_OPEN, or the pager for
 * text). Programs named by the environment ($PAGER, $VISUAL, $EDITOR, $EDU_OPEN) run
 * through /bin/sh, so that a value with arguments ("emacs -nw", "less -S") works as it does
 * for other tools. The terminal around them is the client's: edu runs them as they are,
 * edu-tui leaves its screen first and takes it back after.
 */
#ifndef EDU_LAUNCH_H
#define EDU_LAUNCH_H

#include "err.h"

/* $PAGER, else the first of less, pager and more on the PATH; NULL: none. */
const char *edu_launch_pager(void);
/* $VISUAL, then $EDITOR, else the first of editor, vi and nano on the PATH; NULL: none. */
const char *edu_launch_editor(void);
/*
 * Runs `sh -c 'PROGRAM "$@"' PROGRAM arg` (arg may be NULL: none) and waits. Returns the
 * exit status, 127 when the shell could not run it, -1 when no process could be made.
 */
int edu_launch_run(const char *program, const char *arg);
/* Reads the whole file at path (caller frees), or NULL with errno set. */
char *edu_launch_read_file(const char *path);

/*
 * Lets the user edit initial (may be NULL) in the editor, in a file of mode 0600 named
 * edu-WHAT-XXXXXX.SUFFIX under $TMPDIR (default /tmp). *out gets the text saved (caller
 * frees; trailing blank lines dropped). With kept (may be NULL) the file is left and its
 * path put in *kept (caller frees), so the text can outlive a later failure; else it is
 * removed. No editor: EDU_ERR_USAGE; the editor failed, or left the text empty or as it
 * was (quit without saving: the caller does nothing, as git does): EDU_ERR_FAIL; a file
 * that could not be made or read: EDU_ERR_IO; each with its message in ei.
 */
enum edu_err edu_launch_edit(const char *initial, const char *what, const char *suffix,
			     char **out, char **kept, struct edu_errinfo *ei);

/* How a file is best opened (edu_launch_open_how()). */
enum edu_open_how {
	EDU_OPEN_PAGE,		/* text: read it (made terminal-safe) in a pager */
	EDU_OPEN_RUN,		/* run *program with the path */
	EDU_OPEN_SAY_WHERE,	/* no desktop to open it on (over SSH): say where it is */
};
/*
 * How to open path, a file of type mime (may be NULL): with $EDU_OPEN when it is set; else
 * text (any text/ type, JSON, XML; up to 8 MiB) in a pager; else with xdg-open when there
 * is a desktop ($DISPLAY or $WAYLAND_DISPLAY); else say where it is. *program gets the
 * program for EDU_OPEN_RUN.
 */
enum edu_open_how edu_launch_open_how(const char *path, const char *mime,
				      const char **program);

#endif
