// SPDX-License-Identifier: GPL-2.0
/*
 * check-harness: a KUnit case that fails, linked into vmarena_kunit.ko only
 * when the harness is asked to prove that it notices (VMARENA_INJECT=kunit).
 */
#include <kunit/test.h>

static void vmarena_harness_injected_failure(struct kunit *test)
{
	KUNIT_EXPECT_EQ_MSG(test, 1, 2, "deliberate failure injected by check-harness");
}

static struct kunit_case vmarena_harness_cases[] = {
	KUNIT_CASE(vmarena_harness_injected_failure),
	{}
};

static struct kunit_suite vmarena_harness_suite = {
	.name = "vmarena_harness_inject",
	.test_cases = vmarena_harness_cases,
};

kunit_test_suites(&vmarena_harness_suite);
