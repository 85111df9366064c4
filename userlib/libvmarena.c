// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libvmarena: thin, checked wrappers over the /dev/vmarena ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <vmarena/vmarena.h>

#define VMARENA_API __attribute__((visibility("default")))

/* Turn a syscall's -1/errno into the library's -errno (errno stays set). */
static int vmarena_ret(int ret)
{
	return ret < 0 ? -errno : ret;
}

VMARENA_API int vmarena_open(void)
{
	return vmarena_ret(open(VMARENA_DEVICE_PATH, O_RDWR | O_CLOEXEC));
}

VMARENA_API int vmarena_version(int ctl_fd, struct vmarena_version *ver)
{
	memset(ver, 0, sizeof(*ver));
	ver->size = sizeof(*ver);
	return vmarena_ret(ioctl(ctl_fd, VMARENA_IOC_VERSION, ver));
}
