/* CSV out: quoting by libcsv, the formula guard by us. */
#include "config.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"

/*
 * A number a spreadsheet reads as one, in any locale: a plain decimal, with an optional sign
 * and at most one '.': "-3", "+4.5", "-.5". Not strtod's wider idea of a number, which
 * takes "-inf", "+nan(123)", "+0x1p3" and "-Infinity" (text to a spreadsheet, so they must
 * be guarded like any text) and follows the locale's decimal point.
 */
static int is_number(const char *s)
{
	int digits = 0, dot = 0;

	if (*s == '+' || *s == '-')
		s++;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s == '.' && !dot)
			dot = 1;
		else
			return 0;
	}
	return digits > 0;
}

static int needs_guard(const char *s)
{
	return strchr("=+-@\t\r", s[0]) && s[0] && !is_number(s);
}

void edu_csv_cell(FILE *fp, const char *s)
{
	char *guarded = NULL;

	if (!s)
		return;
	if (needs_guard(s)) {
		size_t len = strlen(s);

		guarded = malloc(len + 2);
		if (!guarded)
			abort();
		guarded[0] = '\'';
		memcpy(guarded + 1, s, len + 1);
		s = guarded;
	}
	/* libcsv quotes every field it writes: simple, and always valid RFC 4180 */
	if (csv_fwrite(fp, s, strlen(s)) != 0)
		abort();
	free(guarded);
}

void edu_csv_row(FILE *fp, const char *const *cells, int ncells)
{
	for (int i = 0; i < ncells; i++) {
		if (i)
			fputc(',', fp);
		edu_csv_cell(fp, cells[i]);
	}
	fputc('\n', fp);
}

void edu_csv_unguard(char *s)
{
	if (s[0] == '\'' && s[1] && strchr("=+-@\t\r", s[1]) && !is_number(s + 1))
		memmove(s, s + 1, strlen(s));
}
