/*
 * Unit tests of shared/format.c and shared/lookup.c, what both clients show the same way:
 * due dates are read as people write them, scores and sizes print as people read them, a
 * list shows 8 characters of an id.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "lookup.h"
#include "tap.h"

static void test_parse_time(void)
{
	char *out = NULL;

	setenv("TZ", "UTC", 1);
	tzset();
	CU_ASSERT_EQUAL(edu_parse_time("2026-12-01", &out), 0);
	CU_ASSERT_STRING_EQUAL(out, "2026-12-01T23:59:00Z");
	free(out);
	CU_ASSERT_EQUAL(edu_parse_time("2026-12-01 09:30", &out), 0);
	CU_ASSERT_STRING_EQUAL(out, "2026-12-01T09:30:00Z");
	free(out);
	CU_ASSERT_EQUAL(edu_parse_time("2026-12-01T10:00:00+02:00", &out), 0);
	CU_ASSERT_STRING_EQUAL(out, "2026-12-01T08:00:00Z");
	free(out);
	CU_ASSERT_EQUAL(edu_parse_time("2026-12-01T10:00:00.5Z", &out), 0);
	CU_ASSERT_STRING_EQUAL(out, "2026-12-01T10:00:00Z");
	free(out);
	/* a zone moves local times */
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	CU_ASSERT_EQUAL(edu_parse_time("2026-07-01 12:00", &out), 0);
	CU_ASSERT(out && (!strcmp(out, "2026-07-01T10:00:00Z") || !strcmp(out, "2026-07-01T12:00:00Z")));
	free(out);
	setenv("TZ", "UTC", 1);
	tzset();
	CU_ASSERT_EQUAL(edu_parse_time("tomorrow", &out), -1);
	CU_ASSERT_EQUAL(edu_parse_time("2026-13-01", &out), -1);
	CU_ASSERT_EQUAL(edu_parse_time("2026-12-01 25:00", &out), -1);
	CU_ASSERT_EQUAL(edu_parse_time("2026-12-01x", &out), -1);
	/* a day its month does not have is refused, never rolled over */
	CU_ASSERT_EQUAL(edu_parse_time("2027-04-31 10:00", &out), -2);
	CU_ASSERT_EQUAL(edu_parse_time("2027-02-30", &out), -2);
	CU_ASSERT_EQUAL(edu_parse_time("2027-02-29", &out), -2);
	CU_ASSERT_EQUAL(edu_parse_time("2027-02-29T10:00:00Z", &out), -2);
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_EQUAL(edu_parse_time("2028-02-29", &out), 0);
	CU_ASSERT_STRING_EQUAL(out, "2028-02-29T23:59:00Z");
	free(out);
	out = NULL;
}

static void test_time_shown(void)
{
	char buf[64];

	setenv("TZ", "UTC", 1);
	tzset();
	CU_ASSERT_STRING_EQUAL(edu_fmt_time("2026-11-25T13:05:09Z", buf), "2026-11-25 13:05");
	CU_ASSERT_STRING_EQUAL(edu_fmt_time("not a time", buf), "not a time");
	CU_ASSERT_STRING_EQUAL(edu_fmt_time(NULL, buf), "");
}

static void test_scores(void)
{
	struct edu_grade g;
	char *s, buf[32];

	memset(&g, 0, sizeof(g));
	s = edu_fmt_score(&g, 10);
	CU_ASSERT_STRING_EQUAL(s, "-");
	free(s);
	g.has_rubric_score = 1;
	g.rubric_score = 7.5;
	s = edu_fmt_score(&g, 10);
	CU_ASSERT_STRING_EQUAL(s, "7.5/10");
	free(s);
	/* the teacher's score wins over the rubric's */
	g.has_score = 1;
	g.score = 8;
	s = edu_fmt_score(&g, 0);
	CU_ASSERT_STRING_EQUAL(s, "8");
	free(s);
	g.excused = 1;
	s = edu_fmt_score(&g, 10);
	CU_ASSERT_STRING_EQUAL(s, "excused");
	free(s);
	memset(&g, 0, sizeof(g));
	g.missing = 1;
	s = edu_fmt_score(&g, 10);
	CU_ASSERT_STRING_EQUAL(s, "missing");
	free(s);
	CU_ASSERT_STRING_EQUAL(edu_fmt_num(2.345, buf), "2.35");
	CU_ASSERT_STRING_EQUAL(edu_fmt_size(512, buf), "512 B");
	CU_ASSERT_STRING_EQUAL(edu_fmt_size(3 * 1024 * 1024 / 2, buf), "1.5 MiB");
}

static void test_list_id(void)
{
	const char *id = "0123abcd-0000-4000-8000-000000000001";
	char buf[EDU_ID_SHORT + 1];

	CU_ASSERT_STRING_EQUAL(edu_id_short(id, 0, buf), "0123abcd");
	CU_ASSERT_PTR_EQUAL(edu_id_short(id, 1, buf), id);
	CU_ASSERT_STRING_EQUAL(edu_id_short("abc", 0, buf), "abc");
	CU_ASSERT_STRING_EQUAL(edu_id_short(NULL, 0, buf), "");
}

static void test_grade_diff(void)
{
	struct edu_rubric_level lv[] = { { "l1", "Weak", 1, 0 }, { "l2", "Good", 5, 1 } };
	struct edu_rubric_criterion cr[] = { { "c1", "Method", NULL, 0, lv, 2 } };
	struct edu_rubric r = { "a1", cr, 1, 1 };
	struct edu_rubric_choice was[] = { { "c1", "l1", 1 } }, now[] = { { "c1", "l2", 5 } };
	struct edu_grade base = { .has_score = 1, .score = 7, .comment = "A start",
				  .rubric = was, .nrubric = 1 };
	struct edu_grade cur = { .has_score = 1, .score = 9, .comment = "Much\nbetter",
				 .rubric = now, .nrubric = 1, .released = 1 };
	struct edu_buf b = EDU_BUF_INIT;

	CU_ASSERT_EQUAL(edu_grade_diff(&b, &base, &cur, &r), 4);
	/* one line a field, whatever the comment holds; rubric levels by name */
	CU_ASSERT_STRING_EQUAL(edu_buf_str(&b), "  score: 7 -> 9\n"
			       "  comment: 'A start' -> 'Much⏎better'\n"
			       "  rubric 'Method': Weak (1) -> Good (5)\n"
			       "  released: no -> yes\n");
	edu_buf_reset(&b);
	CU_ASSERT_EQUAL(edu_grade_diff(&b, &cur, &cur, &r), 0);
	CU_ASSERT_STRING_EQUAL(edu_buf_str(&b), "");
	edu_buf_release(&b);
}

static CU_TestInfo format_tests[] = {
	{ "due dates as people write them", test_parse_time },
	{ "times shown in local time", test_time_shown },
	{ "scores, numbers and sizes", test_scores },
	{ "a list's ids: 8 characters in a table, whole for scripts", test_list_id },
	{ "what changed in a grade, a line a field", test_grade_diff },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "format", NULL, NULL, NULL, NULL, format_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	return tap_main(argc, argv, suites);
}
