/*
 * Terminal-safe text: the one sanitiser for every string that came from a server (or any
 * other untrusted source) before it can reach a terminal or a log line.
 *
 * It decodes UTF-8 (an invalid byte becomes U+FFFD), drops C0 controls except '\n' (and
 * turns '\t' into spaces), DEL, C1 controls (U+0080..U+009F) and ESC, so no CSI/OSC/DCS
 * sequence survives, and drops bidi overrides and isolates (U+202A..U+202E, U+2066..U+2069).
 * '\r' and '\b' are dropped, so nothing overprints.
 *
 * In one-line fields, characters that take no room on a screen (Unicode's default
 * ignorables: zero-width space and joiners, soft hyphen, word joiner, BOM, variation
 * selectors, tags...) are shown as "<U+200B>", so "adm\u200Bin" cannot pass for "admin";
 * where they do a job they stay: a ZWJ inside an emoji sequence, a ZWNJ or ZWJ between
 * letters of the scripts that join with them (Persian, Hindi...), an emoji's presentation
 * selector, a flag's tags.
 */
#ifndef EDU_SAFE_H
#define EDU_SAFE_H

#include <stddef.h>

enum {
	EDU_SAFE_MULTILINE = 0,
	/*
	 * For one-line fields (table cells, log lines): '\n' becomes a visible "⏎", and an
	 * invisible character a visible "<U+XXXX>".
	 */
	EDU_SAFE_ONELINE = 1,
};

/* Returns a new, sanitised copy of s (caller frees). s may be NULL: returns "". */
char *edu_safe_text(const char *s, int flags);
/* Same for a byte range that may hold NUL bytes (they are dropped). */
char *edu_safe_textn(const char *s, size_t len, int flags);
/* Nonzero if s is already safe for flags (edu_safe_text would return it unchanged). */
int edu_safe_is_clean(const char *s, int flags);
/*
 * A name from a server made safe as one file name the client writes: terminal-safe and on
 * one line, the invisible characters dropped (those that do a job kept), no '/', '\\' or
 * NUL, not "." or "..", no leading '.', '-' or blank, no trailing '.' or blank, at most 200
 * bytes (cut at a character); fallback when nothing is left (caller frees).
 */
char *edu_safe_filename(const char *name, const char *fallback);

#endif
