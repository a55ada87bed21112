/* CSV out: RFC 4180 quoting and the spreadsheet-formula guard, and its inverse. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "tap.h"

static char *row(const char *const *cells, int n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	edu_csv_row(f, cells, n);
	fclose(f);
	return buf;
}

static void test_quoting(void)
{
	const char *cells[] = { "plain", "with, comma", "say \"hi\"", "two\nlines", NULL };
	char *s = row(cells, 5);

	CU_ASSERT_STRING_EQUAL(s, "\"plain\",\"with, comma\",\"say \"\"hi\"\"\",\"two\nlines\",\n");
	free(s);
}

static void test_guard(void)
{
	const char *cells[] = { "=SUM(A1:A9)", "+1+1", "-cmd", "@SUM(1)", "\tx", "\rx" };
	char *s = row(cells, 6);

	CU_ASSERT_STRING_EQUAL(s, "\"'=SUM(A1:A9)\",\"'+1+1\",\"'-cmd\",\"'@SUM(1)\",\"'\tx\",\"'\rx\"\n");
	free(s);
}

static void test_numbers_stay(void)
{
	const char *cells[] = { "-3", "+4.5", "1e3", "-", "42" };
	char *s = row(cells, 5);

	/* "-" alone is no number: guarded */
	CU_ASSERT_STRING_EQUAL(s, "\"-3\",\"+4.5\",\"1e3\",\"'-\",\"42\"\n");
	free(s);
}

static void test_not_numbers(void)
{
	const char *cells[] = { "-inf", "+nan(123)", "+0x1p3", "-Infinity", "-1,5", "-1.2.3",
				"+", "-.", "- 3" };
	char *s = row(cells, 9);

	/* what strtod takes but a spreadsheet reads as text (or a formula): guarded */
	CU_ASSERT_STRING_EQUAL(s, "\"'-inf\",\"'+nan(123)\",\"'+0x1p3\",\"'-Infinity\","
			       "\"'-1,5\",\"'-1.2.3\",\"'+\",\"'-.\",\"'- 3\"\n");
	free(s);
	/* and an importer takes the guard off again */
	char a[] = "'-inf", b[] = "'+0x1p3";

	edu_csv_unguard(a);
	edu_csv_unguard(b);
	CU_ASSERT_STRING_EQUAL(a, "-inf");
	CU_ASSERT_STRING_EQUAL(b, "+0x1p3");
}

static void test_numbers_any_locale(void)
{
	const char *cells[] = { "-3.25", "+0.5", "-.5" };
	char *s;

	/* a locale whose decimal point is ',' changes nothing (C.UTF-8 when none is there) */
	if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
		setlocale(LC_NUMERIC, "C.UTF-8");
	s = row(cells, 3);
	CU_ASSERT_STRING_EQUAL(s, "\"-3.25\",\"+0.5\",\"-.5\"\n");
	free(s);
	setlocale(LC_NUMERIC, "C");
}

static void test_unguard(void)
{
	char a[] = "'=1+2", b[] = "'hello", c[] = "'-5", d[] = "'-x", e[] = "'";

	edu_csv_unguard(a);
	edu_csv_unguard(b);
	edu_csv_unguard(c);
	edu_csv_unguard(d);
	edu_csv_unguard(e);
	CU_ASSERT_STRING_EQUAL(a, "=1+2");
	CU_ASSERT_STRING_EQUAL(b, "'hello");	/* not a guard: kept */
	CU_ASSERT_STRING_EQUAL(c, "'-5");	/* a number is never guarded, so this is data */
	CU_ASSERT_STRING_EQUAL(d, "-x");
	CU_ASSERT_STRING_EQUAL(e, "'");
}

static CU_TestInfo csv_tests[] = {
	{ "RFC 4180 quoting", test_quoting },
	{ "formula-like text gets a leading quote", test_guard },
	{ "numbers stay numbers", test_numbers_stay },
	{ "what strtod reads but a spreadsheet does not is guarded", test_not_numbers },
	{ "numbers are numbers in any locale", test_numbers_any_locale },
	{ "unguard undoes exactly the guard", test_unguard },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "csvout", NULL, NULL, NULL, NULL, csv_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	return tap_main(argc, argv, suites);
}
