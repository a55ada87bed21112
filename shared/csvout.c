/* CSV out: quoting by libcsv, the formula guard by us. */
#include "config.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"

/* A number a spreadsheet reads as a number: "-3", "4.5", "1e3", never "-" or "+x". */
static int is_number(const char *s)
{
	char *end;

	if (!*s || strchr(" \t\r\n", *s))
		return 0;
	strtod(s, &end);
	return *end == '\0';
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
