/*
 * Checks of text that comes from outside, the same everywhere: ids, and the one check of
 * UTF-8 text that every name, title, comment and body text goes through, so that what one
 * field refuses no other field takes. Text is valid UTF-8 (RFC 3629: no overlong forms,
 * surrogates or code points past U+10FFFF) without control characters: no C0 (but line
 * breaks and tabs where a field holds several lines), no DEL, no C1 (U+0080-U+009F).
 */
#ifndef SRV_CORE_TEXT_H
#define SRV_CORE_TEXT_H

/* Nonzero when s is a UUID in canonical text form (path ids are checked before any query). */
int srv_is_uuid(const char *s);

enum srv_text_fault {
	SRV_TEXT_FINE,
	SRV_TEXT_NOT_UTF8,	/* a byte sequence that is not UTF-8 */
	SRV_TEXT_CONTROL,	/* a control character */
};

/* The check: what is wrong with str, and when nothing, its characters in *chars (may be NULL). */
enum srv_text_fault srv_text_scan(const char *str, int multiline, long *chars);
/* Nonzero when s is valid UTF-8 (control characters or not). */
int srv_text_utf8(const char *s);
/* s with every byte that is not part of valid UTF-8 as U+FFFD (caller frees). */
char *srv_text_repair(const char *s);

/*
 * NULL when str is UTF-8 text of minc to maxc characters without control characters
 * (multiline: newlines and tabs allowed); else what is wrong with it ("must be ..."),
 * possibly formatted into why.
 */
#define SRV_WHY_LEN 96
const char *srv_text_check(const char *str, long minc, long maxc, int multiline,
			  char why[SRV_WHY_LEN]);
#endif
