// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vmarena: the misc device, its file operations and ioctl dispatch.
 *
 * Every ioctl argument starts with a __u32 size and is copied with
 * copy_struct_from_user(), so that old and new user space keep working as
 * structs grow.  Commands are dispatched on their type letter and number.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "uapi/vmarena.h"
#include "chardev.h"

#define VMARENA_VERSION_CODE \
	(VMARENA_VERSION_MAJOR << 16 | VMARENA_VERSION_MINOR << 8 | VMARENA_VERSION_PATCH)

/**
 * vmarena_version_fill() - the handshake's answer
 * @ver: filled in; @ver->size is left alone
 */
VISIBLE_IF_KUNIT void vmarena_version_fill(struct vmarena_version *ver)
{
	ver->out_abi_version = VMARENA_ABI_VERSION;
	ver->out_features = VMARENA_FEATURES_ALL;
	ver->out_module_version = VMARENA_VERSION_CODE;
	ver->reserved = 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_version_fill);

/*
 * Copy an extensible ioctl argument in.  @min is the size of the first
 * version of the struct: a caller that claims less is broken.
 */
static int vmarena_copy_arg_in(void *karg, size_t ksize, size_t min,
			       const void __user *uarg)
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

/* Copy an ioctl argument out, no more than the caller's struct holds. */
static int vmarena_copy_arg_out(void __user *uarg, const void *karg, size_t ksize)
{
	u32 usize = *(const u32 *)karg;

	if (copy_to_user(uarg, karg, min_t(size_t, usize, ksize)))
		return -EFAULT;
	return 0;
}

static long vmarena_ioc_version(void __user *uarg)
{
	struct vmarena_version ver;
	int ret;

	ret = vmarena_copy_arg_in(&ver, sizeof(ver), sizeof(ver), uarg);
	if (ret)
		return ret;
	if (ver.reserved)
		return -EINVAL;
	vmarena_version_fill(&ver);
	return vmarena_copy_arg_out(uarg, &ver, sizeof(ver));
}

/*
 * Commands match on type letter, number and direction.  The size bits are
 * not compared: the size travels in the struct (see uapi/vmarena.h).
 */
#define VMARENA_IOC_KEY(cmd) ((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

static long vmarena_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (VMARENA_IOC_KEY(cmd)) {
	case VMARENA_IOC_KEY(VMARENA_IOC_VERSION):
		return vmarena_ioc_version(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations vmarena_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = vmarena_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice vmarena_miscdev = {
	.minor = VMARENA_MISC_MINOR,
	.name = VMARENA_DEVICE_NAME,
	.fops = &vmarena_fops,
	.mode = 0660,
};

int vmarena_chardev_init(void)
{
	return misc_register(&vmarena_miscdev);
}

void vmarena_chardev_uninit(void)
{
	misc_deregister(&vmarena_miscdev);
}
