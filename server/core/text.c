/* Checks of text from outside (see text.h). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>

#include "core/text.h"

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

const char *srv_text_check(const char *str, long minc, long maxc, int multiline,
			  char why[SRV_WHY_LEN])
{
	const unsigned char *s = (const unsigned char *)str;
	long n = 0;

	while (*s) {
		int extra = *s < 0x80 ? 0 : (*s & 0xe0) == 0xc0 ? 1 : (*s & 0xf0) == 0xe0 ? 2
			  : (*s & 0xf8) == 0xf0 ? 3 : -1;

		if (extra < 0 || (extra == 1 && *s < 0xc2) || *s == 0x7f ||
		    (*s < 0x20 && !(multiline && (*s == '\n' || *s == '\r' || *s == '\t'))) ||
		    (*s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f))
			return multiline ? "must be UTF-8 text without control characters other "
					   "than line breaks and tabs"
					 : "must be one line of UTF-8 text without control characters";
		s++;
		for (int i = 0; i < extra; i++, s++)
			if ((*s & 0xc0) != 0x80)
				return "must be valid UTF-8";
		n++;
	}
	if (n < minc || n > maxc) {
		snprintf(why, SRV_WHY_LEN, "must be %ld to %ld characters long", minc, maxc);
		return why;
	}
	return NULL;
}
