/*
 * The TAP runner for the CUnit unit tests (see tap.h). CUnit's own basic runner prints a
 * report automake cannot count; this one prints a TAP plan and one line per test through
 * CUnit's message handlers, with each failed assertion's file:line and condition as TAP
 * diagnostics.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"

static unsigned tap_number;	/* the last test point printed */
static int tap_bad_suite;	/* a suite's init or cleanup failed */

static void tap_complete(const CU_pTest test, const CU_pSuite suite,
			 const CU_pFailureRecord failure)
{
	const CU_FailureRecord *f;

	tap_number++;
	/* CUnit hands over this test's first failure; the rest follow it in the list. */
	if (!failure) {
		printf("ok %u - %s: %s\n", tap_number, suite->pName, test->pName);
		fflush(stdout);
		return;
	}
	printf("not ok %u - %s: %s\n", tap_number, suite->pName, test->pName);
	for (f = failure; f && f->pTest == test; f = f->pNext)
		printf("# %s:%u: %s\n", f->strFileName ? f->strFileName : "?",
		       f->uiLineNumber, f->strCondition ? f->strCondition : "?");
	fflush(stdout);
}

/* The suite's tests never run: each still gets its line so the plan adds up. */
static void tap_init_failed(const CU_pSuite suite)
{
	CU_pTest t;

	tap_bad_suite = 1;
	for (t = suite->pTest; t; t = t->pNext) {
		if (!t->fActive)
			continue;
		tap_number++;
		printf("not ok %u - %s: %s\n# suite init function failed\n", tap_number,
		       suite->pName, t->pName);
	}
	fflush(stdout);
}

static void tap_cleanup_failed(const CU_pSuite suite)
{
	tap_bad_suite = 1;
	printf("# suite %s: cleanup function failed\n", suite->pName);
	fflush(stdout);
}

/* "suite" selects a whole suite, "suite:test" one test. */
static int tap_selected(int argc, char **argv, const char *suite, const char *test)
{
	size_t n = strlen(suite);
	int i;

	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], suite) == 0)
			return 1;
		if (test && strncmp(argv[i], suite, n) == 0 && argv[i][n] == ':' &&
		    strcmp(argv[i] + n + 1, test) == 0)
			return 1;
	}
	return 0;
}

/* Deactivates what the arguments leave out; returns how many tests will run. */
static unsigned tap_select(int argc, char **argv)
{
	CU_pSuite s;
	CU_pTest t;
	unsigned planned = 0, in_suite;

	for (s = CU_get_registry()->pSuite; s; s = s->pNext) {
		in_suite = 0;
		for (t = s->pTest; t; t = t->pNext) {
			int on = tap_selected(argc, argv, s->pName, t->pName);

			CU_set_test_active(t, on ? CU_TRUE : CU_FALSE);
			in_suite += on;
		}
		CU_set_suite_active(s, in_suite ? CU_TRUE : CU_FALSE);
		planned += in_suite;
	}
	return planned;
}

int tap_main(int argc, char **argv, CU_SuiteInfo *suites)
{
	unsigned planned, failed;

	if (CU_initialize_registry() != CUE_SUCCESS) {
		printf("Bail out! cannot set up CUnit: %s\n", CU_get_error_msg());
		return 1;
	}
	if (CU_register_suites(suites) != CUE_SUCCESS) {
		printf("Bail out! cannot register the suites: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 1;
	}
	planned = tap_select(argc, argv);
	if (!planned) {
		printf("Bail out! no test matches the arguments\n");
		CU_cleanup_registry();
		return 1;
	}
	printf("1..%u\n", planned);
	fflush(stdout);

	CU_set_fail_on_inactive(CU_FALSE);
	CU_set_test_complete_handler(tap_complete);
	CU_set_suite_init_failure_handler(tap_init_failed);
	CU_set_suite_cleanup_failure_handler(tap_cleanup_failed);
	CU_run_all_tests();

	failed = CU_get_number_of_tests_failed();
	if (tap_number != planned)
		printf("# ran %u of %u planned tests\n", tap_number, planned);
	CU_cleanup_registry();
	return failed || tap_bad_suite || tap_number != planned ? 1 : 0;
}
