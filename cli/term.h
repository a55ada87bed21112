/*
 * The terminal around a command: long text through $PAGER, longer text composed in
 * $EDITOR, progress bars on stderr, and files opened with the desktop's viewer. Each one
 * steps aside when there is no terminal, so scripts get plain output and never wait.
 */
#ifndef EDU_TERM_H
#define EDU_TERM_H

#include "err.h"

/* Nonzero when someone is at the terminal: stdin and stdout are both terminals. */
int edu_term_interactive(void);
/*
 * Shows text (already terminal-safe) through $PAGER (default less, with LESS=FRX unless
 * LESS is set, so a short text does not wait) when edu_term_interactive(); else prints it.
 * A missing pager falls back to printing.
 */
void edu_term_page(const char *text);
/*
 * Lets the user edit initial (may be NULL) in $EDITOR (default vi), in a file of mode
 * 0600 named edu-WHAT-XXXXXX.SUFFIX under $TMPDIR (default /tmp). *out gets the text saved
 * (caller frees; trailing blank lines dropped). Prints its errors. With kept (may be NULL)
 * the file is left and its path put in *kept (caller frees), so the text can outlive a
 * later failure; else it is removed.
 */
enum edu_err edu_term_edit(const char *initial, const char *what, const char *suffix,
			   char **out, char **kept);
/*
 * The end of a command that sent what it had composed in a file kept by edu_term_edit
 * (kept; NULL when nothing was): the file goes once the text is saved (err is
 * EDU_ERR_OK), else it stays, and "edu: your TEXT kept in PATH" says where (text: "comment
 * is", "instructions are").
 */
void edu_term_kept(enum edu_err err, const char *kept, const char *text);

/* A progress bar on stderr, for edu_api_xfer's progress callback. */
struct edu_progress {
	const char *label;	/* what moves (a file name) */
	long long threshold;	/* no bar for transfers smaller than this */
	int shown;		/* a bar is on the screen */
	double last;		/* when it was drawn (seconds) */
};
/* Sets p up; the bar appears only when stderr is a terminal. */
void edu_progress_init(struct edu_progress *p, const char *label, long long threshold);
/* The callback: arg is the struct edu_progress. */
void edu_progress_cb(void *arg, long long done, long long total);
/* Ends the bar's line, if one was drawn. */
void edu_progress_end(struct edu_progress *p);

/*
 * Opens path, a file of type mime (may be NULL), and waits: with $EDU_OPEN when it is set;
 * else text (any text/ type, JSON, XML; up to 8 MiB) through the pager, made terminal-safe;
 * else with xdg-open when there is a desktop ($DISPLAY or $WAYLAND_DISPLAY); else it only
 * says where the file is.
 */
enum edu_err edu_term_open(const char *path, const char *mime);

#endif
