// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the /dev/vmarena handshake.
 */
#include <kunit/test.h>

#include "uapi/vmarena.h"
#include "module/chardev.h"

static void vmarena_version_reports_abi_and_features(struct kunit *test)
{
	struct vmarena_version ver = {
		.size = sizeof(ver),
		.out_abi_version = 0xdead,
		.out_features = ~0ULL,
		.reserved = 0x1234,
	};

	vmarena_version_fill(&ver);
	KUNIT_EXPECT_EQ(test, ver.size, (u32)sizeof(ver));
	KUNIT_EXPECT_EQ(test, ver.out_abi_version, (u32)VMARENA_ABI_VERSION);
	KUNIT_EXPECT_EQ(test, ver.out_features, (u64)VMARENA_FEATURES_ALL);
	KUNIT_EXPECT_EQ(test, ver.reserved, 0U);
}

static void vmarena_version_matches_module_version(struct kunit *test)
{
	struct vmarena_version ver = { .size = sizeof(ver) };
	char buf[32];

	vmarena_version_fill(&ver);
	snprintf(buf, sizeof(buf), "%u.%u.%u", ver.out_module_version >> 16,
		 (ver.out_module_version >> 8) & 0xff, ver.out_module_version & 0xff);
	KUNIT_EXPECT_STREQ(test, buf, VMARENA_VERSION);
}

static struct kunit_case vmarena_chardev_cases[] = {
	KUNIT_CASE(vmarena_version_reports_abi_and_features),
	KUNIT_CASE(vmarena_version_matches_module_version),
	{}
};

static struct kunit_suite vmarena_chardev_suite = {
	.name = "vmarena_chardev",
	.test_cases = vmarena_chardev_cases,
};

kunit_test_suites(&vmarena_chardev_suite);
