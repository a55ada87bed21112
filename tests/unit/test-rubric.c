/*
 * Unit tests of shared/rubricfile.c, the reader of the files `edu rubric set` takes: good
 * files in both forms (text and CSV) give the right criteria, levels and points; every
 * kind of mistake is refused with the file, line and column where it is and what is
 * wrong; and what edu_rubric_write() prints reads back the same.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/rubric.h"
#include "rubricfile.h"
#include "tap.h"

/* Parses text as file name; returns the error and fills r (released by the caller). */
static enum edu_err parse(const char *name, const char *text, struct edu_rubric *r,
			  struct edu_errinfo *ei)
{
	memset(r, 0, sizeof(*r));
	memset(ei, 0, sizeof(*ei));
	return edu_rubric_parse(name, text, strlen(text), r, ei);
}

/* The file must be refused with exactly want ("name:line:col: message"). */
static void check_error(const char *name, const char *text, const char *want)
{
	struct edu_rubric r;
	struct edu_errinfo ei;
	enum edu_err err = parse(name, text, &r, &ei);

	CU_ASSERT_EQUAL(err, EDU_ERR_INVALID);
	CU_ASSERT_STRING_EQUAL(ei.message, want);
	if (strcmp(ei.message, want))
		fprintf(stderr, "# got  '%s'\n# want '%s'\n", ei.message, want);
	CU_ASSERT_EQUAL(r.ncriteria, 0);
	edu_rubric_release(&r);
}

static void check_level(const struct edu_rubric_criterion *c, int i, const char *name, double points)
{
	CU_ASSERT_FATAL(i < c->nlevels);
	CU_ASSERT_STRING_EQUAL(c->levels[i].name, name);
	CU_ASSERT_DOUBLE_EQUAL(c->levels[i].points, points, 1e-9);
}

static void test_text_good(void)
{
	const char *text =
		"# essay rubric\n"
		"\n"
		"Thesis: Excellent=4, Good=3, Weak=1, Missing=0\n"
		"   # indented comment\n"
		"  Use of evidence :Strong = 4.5 ,Some=2,None=0  \r\n"
		"Style: Clear=+2";
	struct edu_rubric r;
	struct edu_errinfo ei;

	CU_ASSERT_EQUAL_FATAL(parse("essay.txt", text, &r, &ei), EDU_ERR_OK);
	CU_ASSERT_EQUAL_FATAL(r.ncriteria, 3);
	CU_ASSERT_STRING_EQUAL(r.criteria[0].name, "Thesis");
	CU_ASSERT_EQUAL(r.criteria[0].nlevels, 4);
	check_level(&r.criteria[0], 0, "Excellent", 4);
	check_level(&r.criteria[0], 3, "Missing", 0);
	CU_ASSERT_STRING_EQUAL(r.criteria[1].name, "Use of evidence");
	CU_ASSERT_EQUAL(r.criteria[1].nlevels, 3);
	check_level(&r.criteria[1], 0, "Strong", 4.5);
	check_level(&r.criteria[1], 1, "Some", 2);
	check_level(&r.criteria[2], 0, "Clear", 2);
	CU_ASSERT_DOUBLE_EQUAL(edu_rubric_max_points(&r), 10.5, 1e-9);
	edu_rubric_release(&r);
}

static void test_text_unicode_columns(void)
{
	/* columns count characters, not bytes: "Qualité" is 7 of them */
	check_error("r.txt", "Qualité: Très bien=x", "r.txt:1:20: level 'Très bien': not a "
		    "number of points 'x'");
}

static void test_text_errors(void)
{
	check_error("r.txt", "# c\nThesis Excellent=4\n",
		    "r.txt:2:1: expected 'Criterion: Level=points, Level=points, ...', found "
		    "no ':'");
	check_error("r.txt", "  : A=1\n", "r.txt:1:3: the criterion has no name before ':'");
	check_error("r.txt", "Thesis:   \n", "r.txt:1:8: criterion 'Thesis' has no levels "
		    "after ':'");
	check_error("r.txt", "Thesis: A=1, Good\n", "r.txt:1:18: level 'Good' has no points "
		    "(write Good=N)");
	check_error("r.txt", "Thesis: A=1, B=two\n", "r.txt:1:16: level 'B': not a number of "
		    "points 'two'");
	check_error("r.txt", "Thesis: A=1, B=\n", "r.txt:1:16: level 'B': no points");
	check_error("r.txt", "Thesis: A=-1\n", "r.txt:1:11: level 'A': negative points '-1'");
	check_error("r.txt", "Thesis: A=1.2.3\n", "r.txt:1:11: level 'A': not a number of "
		    "points '1.2.3'");
	check_error("r.txt", "Thesis: A=1,, B=2\n", "r.txt:1:13: empty level: expected "
		    "'Level=points' before ','");
	check_error("r.txt", "Thesis: A=1,\n", "r.txt:1:13: empty level: expected "
		    "'Level=points' before the end of the line");
	check_error("r.txt", "Thesis: =1\n", "r.txt:1:9: a level has no name before '='");
	check_error("r.txt", "Thesis: A=1, a=2\n", "r.txt:1:14: level 'a' is given twice in "
		    "criterion 'Thesis'");
	check_error("r.txt", "Thesis: A=1\n\nStyle: B=1\nthesis: C=2\n",
		    "r.txt:4:1: criterion 'thesis' is given twice (first on line 1)");
	check_error("r.txt", "# nothing but comments\n\n", "r.txt:3:1: no criteria in the file");
	check_error("r.txt", "", "r.txt:1:1: no criteria in the file");
}

static void test_csv_good(void)
{
	const char *text =
		"criterion,level,points\n"
		"# a comment row\n"
		"Thesis,Excellent,4\n"
		"Thesis, Good ,3\r\n"
		"\"Evidence, sources\",Strong,4\n"
		"\n"
		"\"Evidence, sources\",\"None \"\"at all\"\"\",0\n"
		"Thesis,Weak,1.25";
	struct edu_rubric r;
	struct edu_errinfo ei;

	CU_ASSERT_EQUAL_FATAL(parse("rubric.csv", text, &r, &ei), EDU_ERR_OK);
	CU_ASSERT_EQUAL_FATAL(r.ncriteria, 2);
	CU_ASSERT_STRING_EQUAL(r.criteria[0].name, "Thesis");
	CU_ASSERT_EQUAL(r.criteria[0].nlevels, 3);
	check_level(&r.criteria[0], 1, "Good", 3);
	check_level(&r.criteria[0], 2, "Weak", 1.25);
	CU_ASSERT_STRING_EQUAL(r.criteria[1].name, "Evidence, sources");
	check_level(&r.criteria[1], 1, "None \"at all\"", 0);
	edu_rubric_release(&r);

	/* no .csv in the name: found by its first line, which has no ':' */
	CU_ASSERT_EQUAL(parse("rubric.txt", "Thesis,Excellent,4\n", &r, &ei), EDU_ERR_OK);
	CU_ASSERT_EQUAL(r.ncriteria, 1);
	edu_rubric_release(&r);
}

static void test_csv_errors(void)
{
	check_error("r.csv", "Thesis,Excellent,4\nThesis,Good\n",
		    "r.csv:2:12: only two fields: a row is criterion,level,points");
	check_error("r.csv", "Thesis\n", "r.csv:1:7: only one field: a row is "
		    "criterion,level,points");
	check_error("r.csv", "Thesis,Good,3,extra\n", "r.csv:1:15: too many fields: a row is "
		    "criterion,level,points");
	check_error("r.csv", "criterion,level,points\nThesis,Good,lots\n",
		    "r.csv:2:13: level 'Good': not a number of points 'lots'");
	check_error("r.csv", "Thesis,Good,\n", "r.csv:1:13: level 'Good': no points");
	check_error("r.csv", ",Good,3\n", "r.csv:1:1: the criterion has no name");
	check_error("r.csv", "Thesis,  ,3\n", "r.csv:1:8: the level has no name");
	check_error("r.csv", "Thesis,Good,3\nThesis,good,2\n",
		    "r.csv:2:8: level 'good' is given twice in criterion 'Thesis'");
	check_error("r.csv", "Thesis,Go\"od,3\n", "r.csv:1:10: a quote in the middle of a "
		    "field (a quoted field is \"...\", with \"\" for a quote inside)");
	check_error("r.csv", "Thesis,\"Good,3\n", "r.csv:1:8: a quoted field is not closed");
	check_error("r.csv", "criterion,level,points\n", "r.csv:2:1: no criteria in the file");
}

/* What edu_rubric_write() prints reads back as the same rubric. */
static void roundtrip(const char *text, const char *want_prefix)
{
	struct edu_rubric r, back;
	struct edu_errinfo ei;
	char *out = NULL;
	size_t outlen = 0;
	FILE *fp;

	CU_ASSERT_EQUAL_FATAL(parse("in.csv", text, &r, &ei), EDU_ERR_OK);
	fp = open_memstream(&out, &outlen);
	edu_rubric_write(fp, &r);
	fclose(fp);
	CU_ASSERT(!strncmp(out, want_prefix, strlen(want_prefix)));
	CU_ASSERT_EQUAL_FATAL(parse("out", out, &back, &ei), EDU_ERR_OK);
	CU_ASSERT_EQUAL_FATAL(back.ncriteria, r.ncriteria);
	for (int i = 0; i < r.ncriteria; i++) {
		CU_ASSERT_STRING_EQUAL(back.criteria[i].name, r.criteria[i].name);
		CU_ASSERT_EQUAL_FATAL(back.criteria[i].nlevels, r.criteria[i].nlevels);
		for (int k = 0; k < r.criteria[i].nlevels; k++)
			check_level(&back.criteria[i], k, r.criteria[i].levels[k].name,
				    r.criteria[i].levels[k].points);
	}
	edu_rubric_release(&r);
	edu_rubric_release(&back);
	free(out);
}

static void test_write_reads_back(void)
{
	roundtrip("Thesis,Excellent,4\nThesis,Good,2.5\nStyle,Clear,1\n", "# one criterion");
	/* names the text form cannot hold make the writer use CSV */
	roundtrip("\"Part 1: intro\",\"Good, mostly\",3\nStyle,=,1\n", "criterion,level,points");
}

static void test_points_locale_free(void)
{
	char buf[32];

	/* a locale whose decimal point is ',' must not change the file's numbers */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
		CU_ASSERT_STRING_EQUAL(edu_points_str(2.5, buf), "2.5");
	setlocale(LC_NUMERIC, "C");
	CU_ASSERT_STRING_EQUAL(edu_points_str(2.5, buf), "2.5");
	CU_ASSERT_STRING_EQUAL(edu_points_str(4, buf), "4");
}

static CU_TestInfo rubric_tests[] = {
	{ "a good text file", test_text_good },
	{ "columns count characters", test_text_unicode_columns },
	{ "every text mistake has its line and column", test_text_errors },
	{ "a good CSV file", test_csv_good },
	{ "every CSV mistake has its line and column", test_csv_errors },
	{ "what is written reads back the same", test_write_reads_back },
	{ "points are written with '.'", test_points_locale_free },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "rubric", NULL, NULL, NULL, NULL, rubric_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	return tap_main(argc, argv, suites);
}
