/* Checks of text from outside (see text.h). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "xalloc.h"

int srv_is_uuid(const char *s)
{
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return s[36] == '\0';
}

/*
 * The length of the UTF-8 sequence at s, by RFC 3629's table (no overlong forms, no
 * surrogates, nothing past U+10FFFF), and its code point in *cp; 0 when it is not one.
 */
static int utf8_seq(const unsigned char *s, unsigned *cp)
{
	unsigned c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		if ((s[1] & 0xc0) != 0x80)
			return 0;
		*cp = (c & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		unsigned lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;

		if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
			return 0;
		*cp = (c & 0x0f) << 12 | (s[1] & 0x3fu) << 6 | (s[2] & 0x3f);
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;

		if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		*cp = (c & 0x07) << 18 | (s[1] & 0x3fu) << 12 | (s[2] & 0x3fu) << 6 | (s[3] & 0x3f);
		return 4;
	}
	return 0;
}

enum srv_text_fault srv_text_scan(const char *str, int multiline, long *chars)
{
	const unsigned char *s = (const unsigned char *)str;
	long n = 0;

	while (*s) {
		unsigned cp;
		int len = utf8_seq(s, &cp);

		if (!len)
			return SRV_TEXT_NOT_UTF8;
		/* C0 (but line breaks and tabs in multiline text), DEL and C1 */
		if ((cp < 0x20 && !(multiline && (cp == '\n' || cp == '\r' || cp == '\t'))) ||
		    (cp >= 0x7f && cp <= 0x9f))
			return SRV_TEXT_CONTROL;
		s += len;
		n++;
	}
	if (chars)
		*chars = n;
	return SRV_TEXT_FINE;
}

int srv_text_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned cp;
	int len;

	for (; *p; p += len)
		if (!(len = utf8_seq(p, &cp)))
			return 0;
	return 1;
}

char *srv_text_repair(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	char *out = xmalloc(strlen(str) * 3 + 1), *o = out;

	while (*s) {
		unsigned cp;
		int len = utf8_seq(s, &cp);

		if (!len) {
			memcpy(o, "\xef\xbf\xbd", 3);	/* U+FFFD */
			o += 3;
			s++;
			continue;
		}
		memcpy(o, s, (size_t)len);
		o += len;
		s += len;
	}
	*o = '\0';
	return out;
}

const char *srv_text_check(const char *str, long minc, long maxc, int multiline,
			  char why[SRV_WHY_LEN])
{
	long n = 0;

	switch (srv_text_scan(str, multiline, &n)) {
	case SRV_TEXT_NOT_UTF8:
		return "must be valid UTF-8";
	case SRV_TEXT_CONTROL:
		return multiline ? "must be UTF-8 text without control characters other "
				   "than line breaks and tabs"
				 : "must be one line of UTF-8 text without control characters";
	case SRV_TEXT_FINE:
		break;
	}
	if (n < minc || n > maxc) {
		snprintf(why, SRV_WHY_LEN, "must be %ld to %ld characters long", minc, maxc);
		return why;
	}
	return NULL;
}
