// SPDX-License-Identifier: GPL-2.0
/*
 * vmarena module entry: brings every part up in order and takes it down in
 * reverse.  Each part has a symmetric vmarena_<part>_init()/_uninit() pair.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>

#include "uapi/vmarena.h"
#include "chardev.h"
#include "debugfs.h"
#include "handle.h"
#include "netlink.h"
#include "nlsub.h"
#include "vmarena/vmarena.h"

static int __init vmarena_init(void)
{
	int ret;

	ret = vmarena_core_init();
	if (ret)
		return ret;
	ret = vmarena_handle_init();
	if (ret)
		goto err_core;
	ret = vmarena_nlsub_init();
	if (ret)
		goto err_handle;
	ret = vmarena_netlink_init();
	if (ret)
		goto err_nlsub;
	ret = vmarena_debugfs_init();
	if (ret)
		goto err_netlink;
	ret = vmarena_chardev_init();
	if (ret)
		goto err_debugfs;

	pr_info("vmarena " VMARENA_VERSION " loaded (ABI %d)\n", VMARENA_ABI_VERSION);
	return 0;

err_debugfs:
	vmarena_debugfs_uninit();
err_netlink:
	vmarena_netlink_uninit();
err_nlsub:
	vmarena_nlsub_uninit();
err_handle:
	vmarena_handle_uninit();
err_core:
	vmarena_core_uninit();
	return ret;
}

static void __exit vmarena_exit(void)
{
	vmarena_chardev_uninit();
	vmarena_debugfs_uninit();
	vmarena_netlink_uninit();
	vmarena_nlsub_uninit();
	vmarena_handle_uninit();
	vmarena_core_uninit();
	pr_info("vmarena unloaded\n");
}

module_init(vmarena_init);
module_exit(vmarena_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A NewOS/Haiku-style virtual-memory arena");
MODULE_AUTHOR("The vmarena developers");
MODULE_VERSION(VMARENA_VERSION);
MODULE_ALIAS_MISCDEV(VMARENA_MISC_MINOR);
MODULE_ALIAS("devname:" VMARENA_DEVICE_NAME);
