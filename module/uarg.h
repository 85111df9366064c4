/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ioctl arguments: every struct starts with its __u32 size and grows by
 * size (uapi/vmarena.h).  Commands are matched without their size bits.
 */
#ifndef _VMARENA_UARG_H
#define _VMARENA_UARG_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VMARENA_IOC_KEY(cmd) ((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

int vmarena_copy_arg_in(void *karg, size_t ksize, size_t min, const void __user *uarg);
int vmarena_copy_arg_out(void __user *uarg, const void *karg, size_t ksize);
int vmarena_name_in(char *dst, const char *src, size_t len);

#endif /* _VMARENA_UARG_H */
