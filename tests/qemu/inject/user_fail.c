// SPDX-License-Identifier: GPL-2.0
/*
 * check-harness: a userspace test that fails, linked into vmarena-tests only
 * when the harness is asked to prove that it notices (VMARENA_INJECT=user).
 */
#include "../../user/vt.h"

VT_TEST(harness_injected_failure)
{
	EXPECT_EQ(1, 2);
}
