// SPDX-License-Identifier: GPL-2.0
/*
 * check-harness: a module whose init hits a WARN_ON, built and loaded only
 * when the harness is asked to prove that it notices (VMARENA_INJECT=warn).
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init vmarena_inject_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit vmarena_inject_exit(void)
{
}

module_init(vmarena_inject_init);
module_exit(vmarena_inject_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmarena check-harness: a deliberate WARN_ON");
