/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VMARENA_CHARDEV_H
#define _VMARENA_CHARDEV_H

#include <linux/kconfig.h>
#include <linux/types.h>

struct vmarena_handle;
struct vmarena_version;

int vmarena_chardev_init(void);
void vmarena_chardev_uninit(void);
long vmarena_ioc_version(void __user *uarg);
int vmarena_ioc_hand_out(struct vmarena_handle *h, void __user *uarg, void *req,
			 size_t size, u32 *id, u32 *fd);

#if IS_ENABLED(CONFIG_KUNIT)
void vmarena_version_fill(struct vmarena_version *ver);
#endif

#endif /* _VMARENA_CHARDEV_H */
