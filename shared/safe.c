/*
 * Terminal-safe text. Every string that came from a server passes through here before a
 * terminal (or a log line) can see it: a terminal obeys whatever escape sequences reach it,
 * so a user name like "\e]52;c;...\a" could write the clipboard, "\e[2J" clear the screen,
 * and "\r" or "\b" overprint what the user thinks they read.
 *
 * The input is decoded as UTF-8 one code point at a time; whole escape sequences (CSI, OSC,
 * DCS, SOS, PM, APC, two-character escapes and their C1 forms) are swallowed rather than
 * merely losing their ESC, so no "[31m" debris is left behind.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "safe.h"
#include "xalloc.h"

#define REPLACEMENT	0xFFFD
#define TAB_WIDTH	8

/*
 * Decodes one code point from s (n bytes left, n >= 1). Returns it and sets *used, or
 * returns -1 for an invalid sequence, with *used covering its maximal valid prefix (at
 * least one byte), so one bad sequence gives one U+FFFD.
 */
static long utf8_decode(const unsigned char *s, size_t n, size_t *used)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need, i;
	long cp;

	*used = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		cp = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;	/* overlong */
		else if (c == 0xED)
			hi = 0x9F;	/* UTF-16 surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		cp = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;	/* overlong */
		else if (c == 0xF4)
			hi = 0x8F;	/* past U+10FFFF */
	} else {
		return -1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*used = i;
			return -1;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*used = need + 1;
	return cp;
}

static void utf8_encode(struct edu_buf *b, long cp)
{
	char out[4];
	size_t n;

	if (cp < 0x80) {
		out[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	edu_buf_add(b, out, n);
}

static int is_bidi_control(long cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Where we are inside an escape sequence. */
enum esc_state {
	S_TEXT,
	S_ESC,		/* after ESC */
	S_ESC_INTER,	/* ESC, intermediates: waiting for the final byte */
	S_CSI_PARAM,	/* CSI: parameter bytes 0x30-0x3F */
	S_CSI_INTER,	/* CSI: intermediate bytes 0x20-0x2F */
	S_STRING,	/* OSC/DCS/SOS/PM/APC: until BEL or ST */
};

char *edu_safe_textn(const char *s, size_t len, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	struct edu_buf b = EDU_BUF_INIT;
	enum esc_state st = S_TEXT;
	size_t i = 0, used, col = 0;
	long cp;

	edu_buf_grow(&b, len);
	edu_buf_add(&b, "", 0);	/* terminated even when nothing is added */
	while (i < len) {
		cp = utf8_decode(p + i, len - i, &used);
		i += used;
		if (cp < 0)
			cp = REPLACEMENT;

		/* Inside a sequence: swallow until it ends; a character that cannot belong to
		 * it ends it and is then handled as text below. */
		switch (st) {
		case S_TEXT:
			break;
		case S_ESC:
			st = S_TEXT;
			if (cp == '[') {
				st = S_CSI_PARAM;
				continue;
			}
			if (cp == ']' || cp == 'P' || cp == 'X' || cp == '^' || cp == '_') {
				st = S_STRING;
				continue;
			}
			if (cp >= 0x20 && cp <= 0x2F) {
				st = S_ESC_INTER;
				continue;
			}
			if (cp >= 0x30 && cp <= 0x7E)
				continue;	/* a two-character escape, e.g. ESC c */
			break;
		case S_ESC_INTER:
			if (cp >= 0x20 && cp <= 0x2F)
				continue;
			st = S_TEXT;
			if (cp >= 0x30 && cp <= 0x7E)
				continue;
			break;
		case S_CSI_PARAM:
			if (cp >= 0x30 && cp <= 0x3F)
				continue;
			/* fall through */
		case S_CSI_INTER:
			if (cp >= 0x20 && cp <= 0x2F) {
				st = S_CSI_INTER;
				continue;
			}
			st = S_TEXT;
			if (cp >= 0x40 && cp <= 0x7E)
				continue;
			break;
		case S_STRING:
			/* BEL or ST (U+009C) end it; CAN and SUB cancel it; ESC ends it and
			 * starts whatever follows (ESC \ is the other form of ST). */
			if (cp == 0x07 || cp == 0x9C || cp == 0x18 || cp == 0x1A) {
				st = S_TEXT;
				continue;
			}
			if (cp != 0x1B)
				continue;
			st = S_TEXT;
			break;
		}

		if (cp == 0x1B) {
			st = S_ESC;
		} else if (cp == 0x9B) {
			st = S_CSI_PARAM;
		} else if (cp == 0x9D || cp == 0x90 || cp == 0x98 || cp == 0x9E || cp == 0x9F) {
			st = S_STRING;
		} else if (cp == '\n') {
			if (flags & EDU_SAFE_ONELINE) {
				edu_buf_adds(&b, "\u23CE");
				col++;
			} else {
				edu_buf_addc(&b, '\n');
				col = 0;
			}
		} else if (cp == '\t') {
			do
				edu_buf_addc(&b, ' ');
			while (++col % TAB_WIDTH);
		} else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
			   is_bidi_control(cp)) {
			/* dropped: controls (NUL, \r, \b, BEL...), DEL, C1, bidi controls */
		} else {
			utf8_encode(&b, cp);
			col++;
		}
	}
	return edu_buf_detach(&b);
}

char *edu_safe_text(const char *s, int flags)
{
	if (!s)
		return xstrdup("");
	return edu_safe_textn(s, strlen(s), flags);
}

int edu_safe_is_clean(const char *s, int flags)
{
	char *t;
	int clean;

	if (!s)
		return 0;
	t = edu_safe_text(s, flags);
	clean = !strcmp(s, t);
	free(t);
	return clean;
}
