/* The cursor kinds of the list helpers: which ?after each takes, and the answer to the rest. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/req.h"
#include "kit/page.h"
#include "tap.h"

#define BAD_CURSOR \
	"{\"error\":{\"code\":\"bad_request\",\"message\":\"'after' is not a valid cursor\"," \
	"\"field\":\"after\"}}"

/* 0 when after is taken; -1 when it is refused with the one answer the lists give. */
static int check(const char *after, enum srv_cursor kind)
{
	struct srv_req r = { .resp = EDU_BUF_INIT, .resp_fd = -1 };
	struct srv_page pg = { .limit = 50, .after = after };
	int rc = srv_page_cursor(&r, &pg, kind);

	if (rc == 0) {
		CU_ASSERT_FALSE(r.replied);
	} else {
		CU_ASSERT_EQUAL(r.status, 400);
		CU_ASSERT_STRING_EQUAL(edu_buf_str(&r.resp), BAD_CURSOR);
	}
	edu_buf_release(&r.resp);
	free(r.content_type);
	return rc;
}

static void test_absent(void)
{
	CU_ASSERT_EQUAL(check(NULL, SRV_CURSOR_TEXT), 0);
	CU_ASSERT_EQUAL(check(NULL, SRV_CURSOR_UUID), 0);
	CU_ASSERT_EQUAL(check(NULL, SRV_CURSOR_INT), 0);
	CU_ASSERT_EQUAL(check(NULL, SRV_CURSOR_BIGINT), 0);
}

static void test_text(void)
{
	CU_ASSERT_EQUAL(check("student02", SRV_CURSOR_TEXT), 0);
	CU_ASSERT_EQUAL(check("", SRV_CURSOR_TEXT), 0);
	CU_ASSERT_EQUAL(check("élève ' \"x\"", SRV_CURSOR_TEXT), 0);
}

static void test_uuid(void)
{
	CU_ASSERT_EQUAL(check("0b7e2c1a-93f4-4d2b-8a61-5c0de3f9a7b2", SRV_CURSOR_UUID), 0);
	CU_ASSERT_EQUAL(check("0B7E2C1A-93F4-4D2B-8A61-5C0DE3F9A7B2", SRV_CURSOR_UUID), 0);
	CU_ASSERT_EQUAL(check("", SRV_CURSOR_UUID), -1);
	CU_ASSERT_EQUAL(check("student02", SRV_CURSOR_UUID), -1);
	CU_ASSERT_EQUAL(check("0b7e2c1a93f44d2b8a615c0de3f9a7b2", SRV_CURSOR_UUID), -1);
	CU_ASSERT_EQUAL(check("0b7e2c1a-93f4-4d2b-8a61-5c0de3f9a7b2x", SRV_CURSOR_UUID), -1);
}

static void test_numbers(void)
{
	/* an int holds any 9 digits, a bigint any 18: more could fail the cast in SQL */
	CU_ASSERT_EQUAL(check("0", SRV_CURSOR_INT), 0);
	CU_ASSERT_EQUAL(check("999999999", SRV_CURSOR_INT), 0);
	CU_ASSERT_EQUAL(check("1000000000", SRV_CURSOR_INT), -1);
	CU_ASSERT_EQUAL(check("999999999999999999", SRV_CURSOR_BIGINT), 0);
	CU_ASSERT_EQUAL(check("1000000000000000000", SRV_CURSOR_BIGINT), -1);
	CU_ASSERT_EQUAL(check("", SRV_CURSOR_INT), -1);
	CU_ASSERT_EQUAL(check("", SRV_CURSOR_BIGINT), -1);
	CU_ASSERT_EQUAL(check("-1", SRV_CURSOR_INT), -1);
	CU_ASSERT_EQUAL(check("+1", SRV_CURSOR_BIGINT), -1);
	CU_ASSERT_EQUAL(check("1 ", SRV_CURSOR_INT), -1);
	CU_ASSERT_EQUAL(check("1e3", SRV_CURSOR_BIGINT), -1);
}

static CU_TestInfo page_tests[] = {
	{ "no cursor is the first page, whatever the kind", test_absent },
	{ "a text cursor is any text", test_text },
	{ "a uuid cursor is a uuid in canonical form", test_uuid },
	{ "a number cursor is 1 to 9 or 18 digits", test_numbers },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "page", NULL, NULL, NULL, NULL, page_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	return tap_main(argc, argv, suites);
}
