/*
 * Runs CUnit suites and reports in TAP, the format automake's tap-driver.sh reads, so every
 * unit test shows up one line per test in `make check`:
 *
 *	1..3
 *	ok 1 - buf: append grows the buffer
 *	not ok 2 - buf: printf formats
 *	# tests/unit/test-buf.c:42: strcmp(b.data, "42") == 0
 *	ok 3 - buf: detach resets
 *
 * A test program is one tests/unit/test-NAME.c with static test functions, a CU_TestInfo
 * table per suite, one CU_SuiteInfo table, and
 *
 *	int main(int argc, char **argv)
 *	{
 *		return tap_main(argc, argv, suites);
 *	}
 *
 * Arguments select what runs: `test-buf buf` runs the suite "buf", `test-buf "buf:printf
 * formats"` one test. The exit status is 0 only when every selected test passed; a suite
 * whose init or cleanup function fails makes it non-zero too.
 */
#ifndef EDU_TAP_H
#define EDU_TAP_H

#include <CUnit/CUnit.h>

int tap_main(int argc, char **argv, CU_SuiteInfo *suites);

#endif
