/* Unit tests of shared/buf.c, the growable string buffer every layer builds text in. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tap.h"

static void test_empty(void)
{
	struct edu_buf b = EDU_BUF_INIT;

	CU_ASSERT_STRING_EQUAL(edu_buf_str(&b), "");
	CU_ASSERT_EQUAL(b.len, 0);
	edu_buf_release(&b);
	CU_ASSERT_PTR_NULL(b.data);
}

static void test_append(void)
{
	struct edu_buf b = EDU_BUF_INIT;
	size_t i;

	edu_buf_adds(&b, "ab");
	edu_buf_addc(&b, 'c');
	edu_buf_add(&b, "d\0e", 3);
	CU_ASSERT_EQUAL(b.len, 6);
	CU_ASSERT_EQUAL(memcmp(b.data, "abcd\0e", 7), 0);
	/* Past the first allocation: every byte kept, still terminated. */
	for (i = 0; i < 1000; i++)
		edu_buf_addc(&b, 'x');
	CU_ASSERT_EQUAL(b.len, 1006);
	CU_ASSERT(b.cap > b.len);
	CU_ASSERT_EQUAL(b.data[b.len], '\0');
	CU_ASSERT_EQUAL(b.data[1005], 'x');
	edu_buf_release(&b);
}

static void test_printf(void)
{
	struct edu_buf b = EDU_BUF_INIT;
	char big[300];

	edu_buf_printf(&b, "%d-%s", 42, "x");
	CU_ASSERT_STRING_EQUAL(b.data, "42-x");
	/* Longer than the room first reserved: formatted again after growing. */
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	edu_buf_printf(&b, "[%s]", big);
	CU_ASSERT_EQUAL(b.len, 4 + 2 + 299);
	CU_ASSERT_EQUAL(b.data[5], 'y');
	CU_ASSERT_EQUAL(b.data[b.len - 1], ']');
	CU_ASSERT_EQUAL(strlen(b.data), b.len);
	edu_buf_release(&b);
}

static void test_reset_detach(void)
{
	struct edu_buf b = EDU_BUF_INIT;
	char *s;

	edu_buf_adds(&b, "hello");
	edu_buf_reset(&b);
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_STRING_EQUAL(edu_buf_str(&b), "");
	edu_buf_adds(&b, "world");
	s = edu_buf_detach(&b);
	CU_ASSERT_STRING_EQUAL(s, "world");
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_STRING_EQUAL(edu_buf_str(&b), "");
	free(s);
	/* Detaching an empty buffer still gives a string the caller can free. */
	s = edu_buf_detach(&b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
	edu_buf_release(&b);
}

static CU_TestInfo buf_tests[] = {
	{ "empty buffer reads as an empty string", test_empty },
	{ "appends bytes, characters and strings", test_append },
	{ "printf grows to fit", test_printf },
	{ "reset and detach leave it empty", test_reset_detach },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "buf", NULL, NULL, NULL, NULL, buf_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	return tap_main(argc, argv, suites);
}
