/*
 * Checks of text that comes from outside, the same everywhere: ids, and (text.c) the one
 * check of UTF-8 text that every name, title and comment goes through.
 */
#ifndef SRV_CORE_TEXT_H
#define SRV_CORE_TEXT_H

/* Nonzero when s is a UUID in canonical text form (path ids are checked before any query). */
int srv_is_uuid(const char *s);

/*
 * NULL when str is UTF-8 text of minc to maxc characters without control characters
 * (multiline: newlines and tabs allowed); else what is wrong with it ("must be ..."),
 * possibly formatted into why.
 */
#define SRV_WHY_LEN 96
const char *srv_text_check(const char *str, long minc, long maxc, int multiline,
			  char why[SRV_WHY_LEN]);
#endif
