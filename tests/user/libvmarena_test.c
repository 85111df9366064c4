// SPDX-License-Identifier: GPL-2.0
/*
 * libvmarena's native calls (<vmarena/vmarena.h>): each one reaches its
 * ioctl with the fields the kernel expects, returns what the kernel gave,
 * and follows the library's convention (-errno returned and errno set).
 * The ABI's own errno contract is tested on raw ioctls elsewhere.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vmarena/vmarena.h>
#include "vt.h"

#define LIB_BASE	0x40000000ULL
#define LIB_LENGTH	(16ULL << 20)

static uint64_t pg(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

/* A control fd and a fresh unnamed aspace at LIB_BASE. */
static int new_aspace(int *ctl)
{
	int fd;

	*ctl = vmarena_open();
	ASSERT_OK(*ctl);
	fd = vmarena_aspace_create(*ctl, "libvmarena test", LIB_BASE, LIB_LENGTH);
	ASSERT_OK(fd);
	return fd;
}

/* A read-write window over the whole test aspace. */
static char *window(int fd)
{
	void *w = NULL;

	ASSERT_OK(vmarena_map_window(fd, LIB_BASE, LIB_LENGTH, PROT_READ | PROT_WRITE, 0, &w));
	return w;
}

static char *at(char *w, uint64_t address)
{
	return w + (address - LIB_BASE);
}

/* The library's convention: -errno returned, errno set to the same. */
#define EXPECT_FAILS(call, err)						\
	do {								\
		errno = 0;						\
		long r_ = (long)(call);					\
		int e_ = errno;						\
		EXPECT_EQ(r_, -(err));					\
		EXPECT_EQ(e_, (err));					\
	} while (0)

VT_TEST(lib_aspace_create_and_info)
{
	struct vmarena_aspace_info info;
	int ctl, fd, fd2;

	fd = new_aspace(&ctl);
	memset(&info, 0xff, sizeof(info));
	ASSERT_OK(vmarena_aspace_info(fd, &info));
	EXPECT_EQ(info.size, sizeof(info));
	EXPECT_GE(info.out_id, 1);
	EXPECT_EQ(info.out_flags, 0);
	EXPECT_EQ(info.out_base, LIB_BASE);
	EXPECT_EQ(info.out_length, LIB_LENGTH);
	EXPECT_EQ(info.out_areas, 0);
	EXPECT_STREQ(info.out_name, "libvmarena test");
	EXPECT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);

	/* An unnamed aspace needs no name; a bad one is refused. */
	fd2 = vmarena_aspace_create(ctl, NULL, LIB_BASE, LIB_LENGTH);
	ASSERT_OK(fd2);
	close(fd2);
	EXPECT_FAILS(vmarena_aspace_create(ctl, NULL, LIB_BASE + 1, LIB_LENGTH), EINVAL);
	EXPECT_FAILS(vmarena_aspace_create(ctl, "a name much longer than thirty-one bytes",
					   LIB_BASE, LIB_LENGTH), EINVAL);
	EXPECT_FAILS(vmarena_aspace_info(fd, NULL), EINVAL);
	EXPECT_FAILS(vmarena_aspace_info(ctl, &info), ENOTTY);
	close(fd);
	close(ctl);
}

VT_TEST(lib_aspace_persistent)
{
	struct vmarena_aspace_info info;
	const char *name = "libvmarena persistent";
	uint64_t addr;
	int ctl, fd, fd2, id;
	char *w;
	struct vmarena_area_params p = {
		.name = "kept", .length = pg(),
		.protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
	};

	ctl = vmarena_open();
	ASSERT_OK(ctl);
	vmarena_aspace_unlink(ctl, name);	/* left over from a failed run */
	fd = vmarena_aspace_create_persistent(ctl, name, LIB_BASE, LIB_LENGTH, 0600);
	ASSERT_OK(fd);
	EXPECT_FAILS(vmarena_aspace_create_persistent(ctl, name, LIB_BASE, LIB_LENGTH, 0600),
		     EEXIST);
	EXPECT_FAILS(vmarena_aspace_create_persistent(ctl, NULL, LIB_BASE, LIB_LENGTH, 0600),
		     EINVAL);
	ASSERT_OK(vmarena_aspace_info(fd, &info));
	EXPECT_EQ(info.out_flags, VMARENA_ASPACE_PERSISTENT);

	id = vmarena_area_create_anon(fd, &p, &addr);
	ASSERT_OK(id);
	w = window(fd);
	strcpy(at(w, addr), "outlives its fds");
	ASSERT_OK(vmarena_unmap_window(w, LIB_LENGTH));
	close(fd);

	/* Open by name: the same aspace, the same memory. */
	fd2 = vmarena_aspace_open(ctl, name);
	ASSERT_OK(fd2);
	EXPECT_EQ(vmarena_area_find(fd2, "kept"), id);
	w = window(fd2);
	EXPECT_STREQ(at(w, addr), "outlives its fds");

	ASSERT_OK(vmarena_aspace_unlink(ctl, name));
	EXPECT_FAILS(vmarena_aspace_open(ctl, name), ENOENT);
	EXPECT_FAILS(vmarena_aspace_unlink(ctl, name), ENOENT);
	EXPECT_FAILS(vmarena_aspace_open(ctl, NULL), EINVAL);
	/* Still alive through fd2. */
	EXPECT_STREQ(at(w, addr), "outlives its fds");
	ASSERT_OK(vmarena_aspace_info(fd2, &info));
	EXPECT_EQ(info.out_flags, 0);
	close(fd2);
	close(ctl);
}

VT_TEST(lib_area_lifecycle)
{
	struct vmarena_area_info info;
	uint64_t addr, addr2, cookie = 0;
	int ctl, fd, id, id2, n = 0;
	char *w;
	struct vmarena_area_params p = {
		.name = "lifecycle",
		.addr_spec = VMARENA_ADDR_EXACT,
		.address = LIB_BASE + 4 * pg(),
		.length = 2 * pg(),
		.protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
		.protection_max = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
	};

	fd = new_aspace(&ctl);
	w = window(fd);
	id = vmarena_area_create_anon(fd, &p, &addr);
	ASSERT_OK(id);
	EXPECT_EQ(addr, LIB_BASE + 4 * pg());
	EXPECT_FAILS(vmarena_area_create_anon(fd, &p, NULL), EEXIST);
	strcpy(at(w, addr), "hello");

	ASSERT_OK(vmarena_area_info(fd, id, &info));
	EXPECT_EQ(info.id, id);
	EXPECT_STREQ(info.out_name, "lifecycle");
	EXPECT_EQ(info.out_base, addr);
	EXPECT_EQ(info.out_length, 2 * pg());
	EXPECT_EQ(info.out_protection, VMARENA_PROT_READ | VMARENA_PROT_WRITE);
	EXPECT_EQ(info.out_protection_max, VMARENA_PROT_READ | VMARENA_PROT_WRITE);
	EXPECT_EQ(info.out_resident, 1);
	EXPECT_EQ(vmarena_area_find(fd, "lifecycle"), id);
	EXPECT_FAILS(vmarena_area_find(fd, "nothing"), ENOENT);

	/* Placement: BASE is the first fit at or above the address. */
	p.name = NULL;
	p.addr_spec = VMARENA_ADDR_BASE;
	p.address = LIB_BASE;
	p.length = pg();
	id2 = vmarena_area_create_anon(fd, &p, &addr2);
	ASSERT_OK(id2);
	EXPECT_EQ(addr2, LIB_BASE);
	ASSERT_OK(vmarena_area_info(fd, id2, &info));
	EXPECT_STREQ(info.out_name, "");

	while (!vmarena_area_iterate(fd, &cookie, &info)) {
		EXPECT_EQ(info.id, n ? id : id2);
		n++;
	}
	EXPECT_EQ(n, 2);
	EXPECT_FAILS(vmarena_area_iterate(fd, &cookie, &info), ENOENT);

	ASSERT_OK(vmarena_area_resize(fd, id, 3 * pg()));
	ASSERT_OK(vmarena_area_info(fd, id, &info));
	EXPECT_EQ(info.out_length, 3 * pg());
	at(w, addr)[3 * pg() - 1] = 1;
	EXPECT_FAILS(vmarena_area_protect(fd, id, VMARENA_PROT_ALL), EACCES);
	ASSERT_OK(vmarena_area_protect(fd, id, VMARENA_PROT_READ));
	ASSERT_OK(vmarena_area_info(fd, id, &info));
	EXPECT_EQ(info.out_protection, VMARENA_PROT_READ);
	EXPECT_STREQ(at(w, addr), "hello");

	ASSERT_OK(vmarena_area_delete(fd, id));
	EXPECT_FAILS(vmarena_area_delete(fd, id), ENOENT);
	EXPECT_FAILS(vmarena_area_info(fd, id, &info), ENOENT);
	EXPECT_FAILS(vmarena_area_create_anon(fd, NULL, NULL), EINVAL);
	p.name = "a name much longer than thirty-one bytes";
	EXPECT_FAILS(vmarena_area_create_anon(fd, &p, NULL), EINVAL);
	close(fd);
	close(ctl);
}

static bool segfaults_reading(const char *p)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (!pid) {
		(void)*(volatile const char *)p;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

VT_TEST(lib_null_area_reserves)
{
	uint64_t addr;
	int ctl, fd, id;
	char *w;
	struct vmarena_area_params p = { .name = "hole", .length = 4 * pg() };

	fd = new_aspace(&ctl);
	w = window(fd);
	id = vmarena_area_create_null(fd, &p, &addr);
	ASSERT_OK(id);
	EXPECT_EQ(addr, LIB_BASE);
	EXPECT_TRUE(segfaults_reading(at(w, addr)));
	/* Nothing else goes there. */
	p.protection = VMARENA_PROT_READ;
	ASSERT_OK(vmarena_area_create_anon(fd, &p, &addr));
	EXPECT_EQ(addr, LIB_BASE + 4 * pg());
	close(fd);
	close(ctl);
}

VT_TEST(lib_clone_shared_and_private)
{
	uint64_t src, shared, priv;
	int ctl, fd, fd2, ctl2, id;
	char *w, *w2;
	struct vmarena_area_params p = {
		.name = "source", .length = pg(),
		.protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
	};
	struct vmarena_area_params c = {
		.name = "clone", .protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
	};

	fd = new_aspace(&ctl);
	w = window(fd);
	id = vmarena_area_create_anon(fd, &p, &src);
	ASSERT_OK(id);
	strcpy(at(w, src), "original");

	ASSERT_OK(vmarena_area_clone(fd, &c, id, -1, VMARENA_MAP_SHARED, &shared));
	ASSERT_OK(vmarena_area_clone(fd, &c, id, -1, VMARENA_MAP_PRIVATE, &priv));
	EXPECT_STREQ(at(w, shared), "original");
	strcpy(at(w, priv), "private");
	EXPECT_STREQ(at(w, src), "original");
	strcpy(at(w, shared), "shared");
	EXPECT_STREQ(at(w, src), "shared");

	/* From another aspace: the source is not cloneable. */
	fd2 = new_aspace(&ctl2);
	w2 = window(fd2);
	EXPECT_FAILS(vmarena_area_clone(fd2, &c, id, -1, VMARENA_MAP_SHARED, NULL), EPERM);
	/* An fd of the source's aspace opens the way. */
	ASSERT_OK(vmarena_area_clone(fd2, &c, id, fd, VMARENA_MAP_SHARED, &shared));
	EXPECT_STREQ(at(w2, shared), "shared");
	/* So does a cloneable clone of it, for the same euid. */
	c.flags = VMARENA_AREA_CLONEABLE;
	id = vmarena_area_clone(fd, &c, id, -1, VMARENA_MAP_SHARED, NULL);
	ASSERT_OK(id);
	c.flags = 0;
	ASSERT_OK(vmarena_area_clone(fd2, &c, id, -1, VMARENA_MAP_SHARED, &shared));
	EXPECT_STREQ(at(w2, shared), "shared");
	c.length = pg();
	EXPECT_FAILS(vmarena_area_clone(fd, &c, id, -1, VMARENA_MAP_SHARED, NULL), EINVAL);
	close(fd2);
	close(ctl2);
	close(fd);
	close(ctl);
}

VT_TEST(lib_map_file_and_sync)
{
	char path[] = "/tmp/libvmarena-XXXXXX", buf[16] = "";
	uint64_t addr;
	int ctl, fd, file, id;
	char *w;
	struct vmarena_area_params p = {
		.name = "file", .length = pg(),
		.protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
	};

	file = mkstemp(path);
	ASSERT_OK(file);
	unlink(path);
	ASSERT_OK(ftruncate(file, (off_t)(2 * pg())));
	ASSERT_EQ(pwrite(file, "on disk", 8, (off_t)pg()), 8);

	fd = new_aspace(&ctl);
	w = window(fd);
	id = vmarena_area_map_file(fd, &p, file, pg(), VMARENA_MAP_SHARED, &addr);
	ASSERT_OK(id);
	EXPECT_STREQ(at(w, addr), "on disk");
	strcpy(at(w, addr), "written");
	ASSERT_OK(vmarena_area_sync(fd, id));
	ASSERT_EQ(pread(file, buf, 8, (off_t)pg()), 8);
	EXPECT_STREQ(buf, "written");

	EXPECT_FAILS(vmarena_area_map_file(fd, &p, -1, 0, VMARENA_MAP_SHARED, NULL), EINVAL);
	EXPECT_FAILS(vmarena_area_map_file(fd, &p, file, 0, 0, NULL), EINVAL);
	close(fd);
	close(ctl);
	close(file);
}

/* The physical run of a contiguous area, mapped again as a device range. */
VT_TEST(lib_page_mapping_and_device)
{
	uint64_t addr, dev, phys, phys2;
	int ctl, fd, id;
	char *w;
	struct vmarena_area_params p = {
		.name = "run", .length = 2 * pg(),
		.protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
		.wiring = VMARENA_WIRING_CONTIGUOUS,
	};

	if (geteuid())
		vt_skip("needs root (CAP_SYS_ADMIN, CAP_SYS_RAWIO)");
	fd = new_aspace(&ctl);
	w = window(fd);
	id = vmarena_area_create_anon(fd, &p, &addr);
	ASSERT_OK(id);
	ASSERT_OK(vmarena_page_mapping(fd, addr, &phys));
	ASSERT_OK(vmarena_page_mapping(fd, addr + pg(), &phys2));
	EXPECT_EQ(phys % pg(), 0);
	EXPECT_EQ(phys2, phys + pg());
	EXPECT_FAILS(vmarena_page_mapping(fd, addr + 8 * pg(), &phys2), ENOENT);
	EXPECT_FAILS(vmarena_page_mapping(fd, addr, NULL), EINVAL);

	strcpy(at(w, addr + pg()), "contiguous");
	p.name = "device";
	p.wiring = VMARENA_WIRING_LAZY;
	ASSERT_OK(vmarena_area_map_device(fd, &p, phys, &dev));
	EXPECT_STREQ(at(w, dev + pg()), "contiguous");
	close(fd);
	close(ctl);
}

VT_TEST(lib_map_window)
{
	void *w = NULL, *w2, *spot;
	uint64_t addr;
	int ctl, fd;
	struct vmarena_area_params p = {
		.length = pg(), .addr_spec = VMARENA_ADDR_EXACT, .address = LIB_BASE + pg(),
		.protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
	};

	fd = new_aspace(&ctl);
	ASSERT_OK(vmarena_area_create_anon(fd, &p, &addr));
	/* A partial window at an offset, then a fixed one at a chosen place. */
	ASSERT_OK(vmarena_map_window(fd, LIB_BASE + pg(), pg(), PROT_READ | PROT_WRITE,
				     MAP_SHARED, &w));
	strcpy(w, "window");
	spot = mmap(NULL, pg(), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(spot != MAP_FAILED);
	w2 = spot;
	ASSERT_OK(vmarena_map_window(fd, LIB_BASE + pg(), pg(), PROT_READ, MAP_FIXED, &w2));
	EXPECT_TRUE(w2 == spot);
	EXPECT_STREQ((char *)w2, "window");
	ASSERT_OK(vmarena_unmap_window(w2, pg()));
	ASSERT_OK(vmarena_unmap_window(w, pg()));

	/* Outside the aspace, and no pointer for the result. */
	w = NULL;
	EXPECT_FAILS(vmarena_map_window(fd, LIB_BASE + LIB_LENGTH, pg(), PROT_READ, 0, &w),
		     EINVAL);
	EXPECT_FAILS(vmarena_map_window(fd, LIB_BASE, pg(), PROT_READ, 0, NULL), EINVAL);
	close(fd);
	close(ctl);
}
