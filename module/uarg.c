// SPDX-License-Identifier: GPL-2.0
/*
 * Copying ioctl arguments in and out of user space.
 */
#include <linux/string.h>
#include <linux/uaccess.h>

#include "uarg.h"

/**
 * vmarena_copy_arg_in() - copy an extensible ioctl argument in
 * @karg: the kernel's struct; its first field is the __u32 size
 * @ksize: sizeof the kernel's struct
 * @min: the size of the first version of the struct: less is broken
 * @uarg: the user's struct
 *
 * Returns 0 (@karg holds the struct, the user's size in its first field),
 * -EFAULT, -EINVAL (size below @min) or -E2BIG (unknown nonzero tail).
 */
int vmarena_copy_arg_in(void *karg, size_t ksize, size_t min, const void __user *uarg)
{
	u32 usize;
	int ret;

	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize < min)
		return -EINVAL;
	ret = copy_struct_from_user(karg, ksize, uarg, usize);
	if (ret)
		return ret;
	*(u32 *)karg = usize;
	return 0;
}

/**
 * vmarena_copy_arg_out() - copy an ioctl argument back out
 * @uarg: the user's struct
 * @karg: the kernel's struct, its first field the user's size
 * @ksize: sizeof the kernel's struct
 *
 * Copies no more than the user's struct holds.
 */
int vmarena_copy_arg_out(void __user *uarg, const void *karg, size_t ksize)
{
	u32 usize = *(const u32 *)karg;

	if (copy_to_user(uarg, karg, min_t(size_t, usize, ksize)))
		return -EFAULT;
	return 0;
}

/**
 * vmarena_name_in() - check a fixed-size name field and copy it
 * @dst: at least @len bytes
 * @src: the field
 * @len: its size
 *
 * Returns 0, or -EINVAL if the field has no NUL.
 */
int vmarena_name_in(char *dst, const char *src, size_t len)
{
	if (strnlen(src, len) >= len)
		return -EINVAL;
	strscpy(dst, src, len);
	return 0;
}
