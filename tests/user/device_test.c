// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vmarena itself: the node, on-demand loading and the version handshake.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <vmarena/vmarena.h>
#include "vt.h"

static bool module_loaded(void)
{
	return access("/sys/module/vmarena", F_OK) == 0;
}

/*
 * Run by the guest's init before anything loads vmarena: a static node made
 * from modules.devname (as kmod static-nodes does) is opened, and the kernel
 * loads the module through its char-major-10-248 alias.
 */
VT_TEST_EXPLICIT(devname_autoload)
{
	const char *node = getenv("VMARENA_STATIC_NODE");
	int fd;

	if (!node)
		vt_skip("VMARENA_STATIC_NODE names no static node");
	ASSERT_TRUE(!module_loaded());
	fd = open(node, O_RDWR);
	ASSERT_OK(fd);
	EXPECT_TRUE(module_loaded());
	close(fd);
}

VT_TEST(device_node_is_misc_0660)
{
	struct stat st;

	ASSERT_OK(stat(VMARENA_DEVICE_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(major(st.st_rdev), 10);
	EXPECT_EQ(minor(st.st_rdev), VMARENA_MISC_MINOR);
	EXPECT_EQ(st.st_mode & 07777, 0660);
	EXPECT_EQ(access("/sys/class/misc/vmarena", F_OK), 0);
}

VT_TEST(version_handshake)
{
	struct vmarena_version ver;
	unsigned int maj, min, pat;
	FILE *f;
	int fd;

	fd = vmarena_open();
	ASSERT_OK(fd);
	ASSERT_OK(vmarena_version(fd, &ver));
	EXPECT_EQ(ver.size, sizeof(ver));
	EXPECT_EQ(ver.out_abi_version, VMARENA_ABI_VERSION);
	EXPECT_EQ(ver.out_features, VMARENA_FEATURES_ALL);
	EXPECT_EQ(ver.reserved, 0);

	/* The numeric module version matches what modinfo shows in sysfs. */
	f = fopen("/sys/module/vmarena/version", "r");
	ASSERT_TRUE(f);
	ASSERT_EQ(fscanf(f, "%u.%u.%u", &maj, &min, &pat), 3);
	fclose(f);
	EXPECT_EQ(ver.out_module_version, maj << 16 | min << 8 | pat);
	close(fd);
}

/* A struct one __u64 larger than the kernel's, for extensibility checks. */
struct version_plus {
	struct vmarena_version v;
	__u64 extra;
};

VT_TEST(version_validation)
{
	struct version_plus big;
	struct vmarena_version ver;
	int fd = vmarena_open();

	ASSERT_OK(fd);

	/* size smaller than the first version of the struct */
	memset(&ver, 0, sizeof(ver));
	ver.size = sizeof(ver) - 8;
	EXPECT_ERRNO(ioctl(fd, VMARENA_IOC_VERSION, &ver), EINVAL);
	ver.size = 0;
	EXPECT_ERRNO(ioctl(fd, VMARENA_IOC_VERSION, &ver), EINVAL);

	/* reserved field set */
	memset(&ver, 0, sizeof(ver));
	ver.size = sizeof(ver);
	ver.reserved = 1;
	EXPECT_ERRNO(ioctl(fd, VMARENA_IOC_VERSION, &ver), EINVAL);

	/* a newer, larger struct: zero tail accepted, nonzero tail refused */
	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big);
	ASSERT_OK(ioctl(fd, VMARENA_IOC_VERSION, &big));
	EXPECT_EQ(big.v.out_abi_version, VMARENA_ABI_VERSION);
	EXPECT_EQ(big.extra, 0);
	big.extra = 1;
	EXPECT_ERRNO(ioctl(fd, VMARENA_IOC_VERSION, &big), E2BIG);

	/* bad pointers */
	EXPECT_ERRNO(ioctl(fd, VMARENA_IOC_VERSION, NULL), EFAULT);
	EXPECT_ERRNO(ioctl(fd, VMARENA_IOC_VERSION, (void *)16), EFAULT);

	/* commands that are not vmarena's */
	EXPECT_ERRNO(ioctl(fd, _IOWR(VMARENA_IOC_TYPE, 0x7f, struct vmarena_version), &ver),
		     ENOTTY);
	EXPECT_ERRNO(ioctl(fd, _IOWR('V', 0x00, struct vmarena_version), &ver), ENOTTY);
	EXPECT_ERRNO(ioctl(fd, _IO(VMARENA_IOC_TYPE, 0x00), &ver), ENOTTY);
	close(fd);
}
