// SPDX-License-Identifier: GPL-2.0
/*
 * vmarena_kunit.ko: the KUnit suites of vmarena.  Each *_test.c file declares
 * its own suites; they run against the loaded vmarena.ko when this module is
 * inserted, and their KTAP is readable under /sys/kernel/debug/kunit/.
 */
#include <linux/module.h>

#include "module/compat.h"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for vmarena");
VMARENA_IMPORT_KUNIT_NS();
