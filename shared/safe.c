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

/*
 * Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): characters a
 * terminal draws as nothing (zero-width space, joiners, soft hyphen, word joiner, BOM,
 * variation selectors, Hangul fillers, tags...), so "adm\u200Bin" looks like "admin".
 * The bidi marks (LRM, RLM, ALM) are left out and kept: right-to-left text needs them to
 * show its punctuation in place (they can still split a name unseen; overrides, which
 * reorder text, are dropped).
 */
static int is_invisible(long cp)
{
	static const long ranges[][2] = {
		{ 0x00AD, 0x00AD }, { 0x034F, 0x034F },
		{ 0x115F, 0x1160 }, { 0x17B4, 0x17B5 }, { 0x180B, 0x180F },
		{ 0x200B, 0x200D }, { 0x202A, 0x202E }, { 0x2060, 0x206F },
		{ 0x3164, 0x3164 }, { 0xFE00, 0xFE0F }, { 0xFEFF, 0xFEFF },
		{ 0xFFA0, 0xFFA0 }, { 0xFFF0, 0xFFF8 }, { 0x1BCA0, 0x1BCA3 },
		{ 0x1D173, 0x1D17A }, { 0xE0000, 0xE0FFF },
	};

	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (cp >= ranges[i][0] && cp <= ranges[i][1])
			return 1;
	return 0;
}

/* Extended_Pictographic (Unicode's emoji-data.txt), by its blocks: what emoji are made of. */
static int is_pictographic(long cp)
{
	static const long ranges[][2] = {
		{ 0x00A9, 0x00A9 }, { 0x00AE, 0x00AE }, { 0x203C, 0x203C }, { 0x2049, 0x2049 },
		{ 0x2122, 0x2122 }, { 0x2139, 0x2139 }, { 0x2194, 0x2199 }, { 0x21A9, 0x21AA },
		{ 0x231A, 0x231B }, { 0x2328, 0x2328 }, { 0x2388, 0x2388 }, { 0x23CF, 0x23CF },
		{ 0x23E9, 0x23F3 }, { 0x23F8, 0x23FA }, { 0x24C2, 0x24C2 }, { 0x25AA, 0x25AB },
		{ 0x25B6, 0x25B6 }, { 0x25C0, 0x25C0 }, { 0x25FB, 0x25FE }, { 0x2600, 0x27BF },
		{ 0x2934, 0x2935 }, { 0x2B05, 0x2B07 }, { 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B50 },
		{ 0x2B55, 0x2B55 }, { 0x3030, 0x3030 }, { 0x303D, 0x303D }, { 0x3297, 0x3297 },
		{ 0x3299, 0x3299 }, { 0x1F000, 0x1FAFF }, { 0x1FC00, 0x1FFFD },
	};

	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (cp >= ranges[i][0] && cp <= ranges[i][1])
			return 1;
	return 0;
}

/*
 * A letter (or mark) of a script whose words use ZWNJ and ZWJ to choose how letters join:
 * Arabic (Persian writes "می‌خواهم" with a ZWNJ), Syriac, Thaana, N'Ko, and the scripts of
 * India and Sri Lanka (a ZWJ after a virama picks a half form).
 */
static int is_joining_letter(long cp)
{
	return (cp >= 0x0600 && cp <= 0x07FF && cp != 0x061C) || (cp >= 0x0860 && cp <= 0x08FF) ||
	       (cp >= 0x0900 && cp <= 0x0DFF) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
	       (cp >= 0xFE70 && cp <= 0xFEFC);
}

/*
 * Whether the invisible cp, between prev and next, is a working part of the text and may
 * stay: a ZWJ inside an emoji sequence ("👩‍💻", "🏳️‍🌈"), a ZWNJ or ZWJ between two letters of
 * a script that uses them, the emoji and text presentation selectors after a pictograph or
 * a keycap's digit, and the tags of a subdivision flag ("🏴 + tags"). Anywhere else it only
 * hides something.
 */
static int invisible_in_place(long prev, long cp, long next)
{
	switch (cp) {
	case 0x200D:
		if ((is_pictographic(prev) || prev == 0xFE0F) && is_pictographic(next))
			return 1;
		/* fall through */
	case 0x200C:
		return is_joining_letter(prev) && is_joining_letter(next);
	case 0xFE0E:
	case 0xFE0F:
		return is_pictographic(prev) || (prev >= '0' && prev <= '9') || prev == '#' ||
		       prev == '*';
	}
	if (cp >= 0xE0020 && cp <= 0xE007F)
		return prev == 0x1F3F4 || (prev >= 0xE0020 && prev <= 0xE007E);
	return 0;
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

/* Internal flag of edu_safe_filename(): drop the invisible characters instead of marking them. */
#define SAFE_DROP_INVISIBLE 0x100

char *edu_safe_textn(const char *s, size_t len, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	struct edu_buf b = EDU_BUF_INIT;
	enum esc_state st = S_TEXT;
	size_t i = 0, used, peek, col = 0;
	long cp, prev = 0;

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
			continue;
		} else if ((flags & EDU_SAFE_ONELINE) && is_invisible(cp) &&
			   !invisible_in_place(prev, cp, i < len ? utf8_decode(p + i, len - i,
									       &peek) : 0)) {
			/* shown for what it is, as less(1) shows it: "adm<U+200B>in" */
			if (!(flags & SAFE_DROP_INVISIBLE)) {
				size_t before = b.len;

				edu_buf_printf(&b, "<U+%04lX>", cp);
				col += b.len - before;
			}
		} else {
			utf8_encode(&b, cp);
			col++;
		}
		prev = cp;
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

char *edu_safe_filename(const char *name, const char *fallback)
{
	char *clean = name ? edu_safe_textn(name, strlen(name),
					    EDU_SAFE_ONELINE | SAFE_DROP_INVISIBLE) : xstrdup("");
	struct edu_buf b = EDU_BUF_INIT;
	const char *p = clean;
	size_t keep;

	/* no dots or dashes in front: not hidden, not "..", not read as an option */
	while (*p == '.' || *p == '-' || *p == ' ')
		p++;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '/' || c == '\\')
			edu_buf_addc(&b, '_');
		else if (c < 0x20 || c == 0x7F)
			continue;
		else
			edu_buf_addc(&b, (char)c);
	}
	free(clean);
	/* at most 200 bytes, cut at a character boundary */
	keep = b.len;
	if (keep > 200) {
		keep = 200;
		while (keep > 0 && ((unsigned char)b.data[keep] & 0xC0) == 0x80)
			keep--;
	}
	while (keep > 0 && (b.data[keep - 1] == ' ' || b.data[keep - 1] == '.'))
		keep--;
	if (!keep) {
		edu_buf_release(&b);
		return xstrdup(fallback);
	}
	b.data[keep] = '\0';
	b.len = keep;
	return edu_buf_detach(&b);
}
