/*
 * Unit tests of cli/cw.c, the helpers of the course-work commands: due dates are read as
 * people write them, and scores and sizes print as people read them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cw.h"
#include "tap.h"

static void test_parse_time(void)
{
	char *out = NULL;

	setenv("TZ", "UTC", 1);
	tzset();
	CU_ASSERT_EQUAL(cw_parse_time("2026-12-01", &out), 0);
	CU_ASSERT_STRING_EQUAL(out, "2026-12-01T23:59:00Z");
	free(out);
	CU_ASSERT_EQUAL(cw_parse_time("2026-12-01 09:30", &out), 0);
	CU_ASSERT_STRING_EQUAL(out, "2026-12-01T09:30:00Z");
	free(out);
	CU_ASSERT_EQUAL(cw_parse_time("2026-12-01T10:00:00+02:00", &out), 0);
	CU_ASSERT_STRING_EQUAL(out, "2026-12-01T08:00:00Z");
	free(out);
	CU_ASSERT_EQUAL(cw_parse_time("2026-12-01T10:00:00.5Z", &out), 0);
	CU_ASSERT_STRING_EQUAL(out, "2026-12-01T10:00:00Z");
	free(out);
	/* a zone moves local times */
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	CU_ASSERT_EQUAL(cw_parse_time("2026-07-01 12:00", &out), 0);
	CU_ASSERT(out && (!strcmp(out, "2026-07-01T10:00:00Z") || !strcmp(out, "2026-07-01T12:00:00Z")));
	free(out);
	setenv("TZ", "UTC", 1);
	tzset();
	CU_ASSERT_EQUAL(cw_parse_time("tomorrow", &out), -1);
	CU_ASSERT_EQUAL(cw_parse_time("2026-13-01", &out), -1);
	CU_ASSERT_EQUAL(cw_parse_time("2026-12-01 25:00", &out), -1);
	CU_ASSERT_EQUAL(cw_parse_time("2026-12-01x", &out), -1);
	CU_ASSERT_PTR_NULL(out);
}

static void test_time_shown(void)
{
	char buf[64];

	setenv("TZ", "UTC", 1);
	tzset();
	CU_ASSERT_STRING_EQUAL(cw_time("2026-11-25T13:05:09Z", buf), "2026-11-25 13:05");
	CU_ASSERT_STRING_EQUAL(cw_time("not a time", buf), "not a time");
	CU_ASSERT_STRING_EQUAL(cw_time(NULL, buf), "");
}

static void test_scores(void)
{
	struct edu_grade g;
	char *s, buf[32];

	memset(&g, 0, sizeof(g));
	s = cw_score(&g, 10);
	CU_ASSERT_STRING_EQUAL(s, "-");
	free(s);
	g.has_rubric_score = 1;
	g.rubric_score = 7.5;
	s = cw_score(&g, 10);
	CU_ASSERT_STRING_EQUAL(s, "7.5/10");
	free(s);
	/* the teacher's score wins over the rubric's */
	g.has_score = 1;
	g.score = 8;
	s = cw_score(&g, 0);
	CU_ASSERT_STRING_EQUAL(s, "8");
	free(s);
	g.excused = 1;
	s = cw_score(&g, 10);
	CU_ASSERT_STRING_EQUAL(s, "excused");
	free(s);
	memset(&g, 0, sizeof(g));
	g.missing = 1;
	s = cw_score(&g, 10);
	CU_ASSERT_STRING_EQUAL(s, "missing");
	free(s);
	CU_ASSERT_STRING_EQUAL(cw_num(2.345, buf), "2.35");
	CU_ASSERT_STRING_EQUAL(cw_size(512, buf), "512 B");
	CU_ASSERT_STRING_EQUAL(cw_size(3 * 1024 * 1024 / 2, buf), "1.5 MiB");
}

static void test_list_id(void)
{
	const char *id = "0123abcd-0000-4000-8000-000000000001";
	char buf[CW_SHORT_ID + 1];

	CU_ASSERT_STRING_EQUAL(cw_list_id(id, 0, buf), "0123abcd");
	CU_ASSERT_PTR_EQUAL(cw_list_id(id, 1, buf), id);
	CU_ASSERT_STRING_EQUAL(cw_list_id("abc", 0, buf), "abc");
	CU_ASSERT_STRING_EQUAL(cw_list_id(NULL, 0, buf), "");
}

static CU_TestInfo cw_tests[] = {
	{ "due dates as people write them", test_parse_time },
	{ "times shown in local time", test_time_shown },
	{ "scores, numbers and sizes", test_scores },
	{ "a list's ids: 8 characters in a table, whole for scripts", test_list_id },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "cw", NULL, NULL, NULL, NULL, cw_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	return tap_main(argc, argv, suites);
}
