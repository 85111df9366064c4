// SPDX-License-Identifier: GPL-2.0
/*
 * Windows: the smallest end-to-end checks of the mmap path, written with
 * raw ioctls: an aspace, an area, a window, loads and stores, a shared
 * clone across fork and a private clone's copy-on-write through windows.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/vmarena.h>

#include "vt_arena.h"

#define W_BASE	0x40000000UL
#define W_SIZE	(16UL << 20)
#define W_PAGE	4096UL

static int w_aspace(int *ctl)
{
	struct vmarena_aspace_create req = {
		.size = sizeof(req), .base = W_BASE, .length = W_SIZE,
	};

	*ctl = open("/dev/vmarena", O_RDWR | O_CLOEXEC);
	if (*ctl < 0 || ioctl(*ctl, VMARENA_IOC_ASPACE_CREATE, &req))
		return -1;
	return req.out_fd;
}

static int w_area(int as, unsigned long ioc, unsigned long pages, unsigned int prot,
		  unsigned int source, unsigned int mapping, unsigned long *addr)
{
	struct vmarena_area_create req = {
		.size = sizeof(req), .protection = prot,
		.length = source ? 0 : pages * W_PAGE,
		.source_id = source, .mapping = mapping,
	};

	if (ioctl(as, ioc, &req))
		return -1;
	*addr = req.out_address;
	return req.out_id;
}

static volatile unsigned char *w_map(int as)
{
	void *p = mmap(NULL, W_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, as, W_BASE);

	return p == MAP_FAILED ? NULL : p;
}

VT_TEST(window_load_store)
{
	unsigned long addr;
	int ctl, as, id;
	volatile unsigned char *w;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	id = w_area(as, VMARENA_IOC_AREA_CREATE_ANON, 4, VMARENA_PROT_READ | VMARENA_PROT_WRITE,
		    0, 0, &addr);
	ASSERT_TRUE(id > 0);
	w = w_map(as);
	ASSERT_TRUE(w != NULL);
	EXPECT_EQ(w[addr - W_BASE + 3 * W_PAGE], 0);
	w[addr - W_BASE + 5] = 0x5a;
	w[addr - W_BASE + 3 * W_PAGE + 1] = 0xa5;
	EXPECT_EQ(w[addr - W_BASE + 5], 0x5a);
	EXPECT_EQ(w[addr - W_BASE + 3 * W_PAGE + 1], 0xa5);
}

VT_TEST(window_shared_across_fork)
{
	unsigned long addr;
	int ctl, as, status;
	volatile unsigned char *w;
	pid_t pid;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	ASSERT_TRUE(w_area(as, VMARENA_IOC_AREA_CREATE_ANON, 1,
			   VMARENA_PROT_READ | VMARENA_PROT_WRITE, 0, 0, &addr) > 0);
	w = w_map(as);
	ASSERT_TRUE(w != NULL);
	w[addr - W_BASE] = 1;
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		w[addr - W_BASE + 1] = w[addr - W_BASE] + 1;
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	EXPECT_EQ(w[addr - W_BASE + 1], 2);
}

VT_TEST(window_private_clone_copies_on_write)
{
	unsigned long src, clone;
	int ctl, as, id;
	volatile unsigned char *w;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	id = w_area(as, VMARENA_IOC_AREA_CREATE_ANON, 1, VMARENA_PROT_READ | VMARENA_PROT_WRITE,
		    0, 0, &src);
	ASSERT_TRUE(id > 0);
	w = w_map(as);
	ASSERT_TRUE(w != NULL);
	w[src - W_BASE] = 7;
	ASSERT_TRUE(w_area(as, VMARENA_IOC_AREA_CLONE, 0, VMARENA_PROT_READ | VMARENA_PROT_WRITE,
			   id, VMARENA_MAP_PRIVATE, &clone) > 0);
	EXPECT_EQ(w[clone - W_BASE], 7);
	w[clone - W_BASE] = 8;			/* copy-up through the window */
	EXPECT_EQ(w[clone - W_BASE], 8);
	EXPECT_EQ(w[src - W_BASE], 7);
	w[src - W_BASE] = 9;
	EXPECT_EQ(w[clone - W_BASE], 8);
}

VT_TEST(window_outside_areas_segfaults)
{
	unsigned long addr;
	int ctl, as, status;
	volatile unsigned char *w;
	pid_t pid;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	ASSERT_TRUE(w_area(as, VMARENA_IOC_AREA_CREATE_ANON, 1,
			   VMARENA_PROT_READ | VMARENA_PROT_WRITE, 0, 0, &addr) > 0);
	w = w_map(as);
	ASSERT_TRUE(w != NULL);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		w[addr - W_BASE + W_PAGE] = 1;
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(WTERMSIG(status), SIGSEGV);
}

VT_TEST(window_fault_maps_resident_neighbours)
{
	volatile unsigned char *a, *b;
	unsigned long addr, i;
	int ctl, as;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	ASSERT_TRUE(w_area(as, VMARENA_IOC_AREA_CREATE_ANON, 8,
			   VMARENA_PROT_READ | VMARENA_PROT_WRITE, 0, 0, &addr) > 0);
	a = w_map(as);
	b = w_map(as);
	ASSERT_TRUE(a && b);
	for (i = 4; i-- > 0;)		/* backwards: nothing filled ahead */
		a[addr - W_BASE + i * W_PAGE] = i + 1;
	/* One fault in the second window maps the three resident pages after it. */
	EXPECT_EQ(b[addr - W_BASE], 1);
	for (i = 1; i < 4; i++)
		EXPECT_EQ(va_present(b + addr - W_BASE + i * W_PAGE), 1);
	EXPECT_EQ(va_present(b + addr - W_BASE + 4 * W_PAGE), 0);
	EXPECT_EQ(b[addr - W_BASE + 3 * W_PAGE], 4);
}

/* Regression: an instruction fetch was served as a read. */
VT_TEST(window_fetch_from_a_non_exec_area_segfaults)
{
	volatile unsigned char *rw, *x;
	unsigned long code, data;
	int ctl, as, status;
	pid_t pid;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	x = mmap(NULL, W_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_SHARED, as, W_BASE);
	ASSERT_TRUE(x != MAP_FAILED);
	ASSERT_TRUE(w_area(as, VMARENA_IOC_AREA_CREATE_ANON, 1,
			   VMARENA_PROT_READ | VMARENA_PROT_WRITE | VMARENA_PROT_EXEC, 0, 0,
			   &code) > 0);
	ASSERT_TRUE(w_area(as, VMARENA_IOC_AREA_CREATE_ANON, 1,
			   VMARENA_PROT_READ | VMARENA_PROT_WRITE, 0, 0, &data) > 0);
	rw = w_map(as);
	ASSERT_TRUE(rw != NULL);
	rw[code - W_BASE] = 0xc3;	/* ret */
	rw[data - W_BASE] = 0xc3;
	((void (*)(void))(x + (code - W_BASE)))();	/* runs */
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		((void (*)(void))(x + (data - W_BASE)))();
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(WTERMSIG(status), SIGSEGV);
}

static int w_stats(int ctl, struct vmarena_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return ioctl(ctl, VMARENA_IOC_STATS, st);
}

static unsigned long long w_faults(int as)
{
	struct vmarena_aspace_info info = { .size = sizeof(info) };

	if (ioctl(as, VMARENA_IOC_ASPACE_INFO, &info))
		return ~0ULL;
	return info.out_faults;
}

VT_TEST(window_faults_are_counted)
{
	struct vmarena_stats before, after;
	volatile unsigned char *w;
	unsigned long addr, i;
	int ctl, as;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	ASSERT_TRUE(w_area(as, VMARENA_IOC_AREA_CREATE_ANON, 4, VMARENA_PROT_READ, 0, 0,
			   &addr) > 0);
	w = w_map(as);
	ASSERT_TRUE(w == NULL);		/* a writable window over a read-only area */
	w = mmap(NULL, W_SIZE, PROT_READ, MAP_SHARED, as, W_BASE);
	ASSERT_TRUE(w != MAP_FAILED);
	EXPECT_EQ(w_faults(as), 0ULL);
	ASSERT_EQ(w_stats(ctl, &before), 0);
	/* Backwards, so that no fault fills pages ahead (fault_ahead.c). */
	for (i = 4; i-- > 0;)
		EXPECT_EQ(w[addr - W_BASE + i * W_PAGE], 0);
	/* One zero-fill fault per page; touching them again costs nothing. */
	EXPECT_EQ(w_faults(as), 4ULL);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(w[addr - W_BASE + i * W_PAGE + 1], 0);
	EXPECT_EQ(w_faults(as), 4ULL);
	ASSERT_EQ(w_stats(ctl, &after), 0);
	EXPECT_EQ(after.out_faults_zero - before.out_faults_zero, 4ULL);
	EXPECT_TRUE(after.out_pages_total <= after.out_pages_max);
	EXPECT_TRUE(after.out_commit_used >= 4 * W_PAGE);
	EXPECT_EQ(after.out_pages[7], 0ULL);
	EXPECT_EQ(after.out_swap_total, 16384ULL);	/* the 64 MiB default */
	EXPECT_TRUE(after.out_swap_used <= after.out_swap_total);
}

VT_TEST(window_stats_validation)
{
	struct vmarena_stats st;
	int ctl, as;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	st.reserved = 1;
	EXPECT_ERRNO(ioctl(ctl, VMARENA_IOC_STATS, &st), EINVAL);
	st.reserved = 0;
	st.size = 4;
	EXPECT_ERRNO(ioctl(ctl, VMARENA_IOC_STATS, &st), EINVAL);
	st.size = sizeof(st);
	EXPECT_ERRNO(ioctl(as, VMARENA_IOC_STATS, &st), ENOTTY);
}

static int w_area_wired(int as, unsigned int wiring, unsigned long pages, unsigned long *addr)
{
	struct vmarena_area_create req = {
		.size = sizeof(req), .protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
		.length = pages * W_PAGE, .wiring = wiring,
	};

	if (ioctl(as, VMARENA_IOC_AREA_CREATE_ANON, &req))
		return -1;
	*addr = req.out_address;
	return req.out_id;
}

/*
 * out_window_faults counts what processes raised; out_faults also the
 * soft faults wiring takes.  A wired area's creation takes one soft fault
 * per page and no window fault; a lazy area's first touch is both.  The
 * first version of the struct (without out_window_faults) still works.
 */
VT_TEST(window_faults_raised_are_told_from_wiring)
{
	struct vmarena_aspace_info info = { .size = sizeof(info) };
	unsigned long wired, lazy;
	volatile unsigned char *w;
	int ctl, as;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	w = w_map(as);
	ASSERT_TRUE(w != NULL);
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_WIRED, 8, &wired) > 0);
	ASSERT_TRUE(w_area(as, VMARENA_IOC_AREA_CREATE_ANON, 4,
			   VMARENA_PROT_READ | VMARENA_PROT_WRITE, 0, 0, &lazy) > 0);
	ASSERT_EQ(ioctl(as, VMARENA_IOC_ASPACE_INFO, &info), 0);
	EXPECT_EQ(info.out_faults, 8ULL);
	EXPECT_EQ(info.out_window_faults, 0ULL);
	w[wired - W_BASE + 7 * W_PAGE] = 1;
	w[lazy - W_BASE + 3 * W_PAGE] = 1;
	ASSERT_EQ(ioctl(as, VMARENA_IOC_ASPACE_INFO, &info), 0);
	EXPECT_EQ(info.out_faults, 9ULL);
	EXPECT_EQ(info.out_window_faults, 1ULL);

	memset(&info, 0xff, sizeof(info));
	info.size = offsetof(struct vmarena_aspace_info, out_window_faults);
	info.reserved = 0;
	ASSERT_EQ(ioctl(as, VMARENA_IOC_ASPACE_INFO, &info), 0);
	EXPECT_EQ(info.out_faults, 9ULL);
	EXPECT_EQ(info.out_window_faults, ~0ULL);	/* not written */
	info.size = offsetof(struct vmarena_aspace_info, out_faults);
	EXPECT_ERRNO(ioctl(as, VMARENA_IOC_ASPACE_INFO, &info), EINVAL);
}

/* A window mapped over wired areas gets their pages at mmap: no faults. */
VT_TEST(window_over_wired_areas_never_faults)
{
	unsigned long wired, contig, lazy, i;
	unsigned long long faults;
	volatile unsigned char *w;
	int ctl, as;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_WIRED, 8, &wired) > 0);
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_CONTIGUOUS, 4, &contig) > 0);
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_LAZY, 2, &lazy) > 0);
	w = w_map(as);
	ASSERT_TRUE(w != NULL);
	faults = w_faults(as);		/* wiring faulted them in the arena */
	ASSERT_EQ(faults, 12ULL);
	for (i = 0; i < 8; i++) {
		w[wired - W_BASE + i * W_PAGE] = i;
		EXPECT_EQ(w[wired - W_BASE + i * W_PAGE], i);
	}
	for (i = 0; i < 4; i++) {
		w[contig - W_BASE + i * W_PAGE + 7] = i;
		EXPECT_EQ(w[contig - W_BASE + i * W_PAGE + 7], i);
	}
	EXPECT_EQ(w_faults(as), faults);
	/* The lazy area still faults, once per page for a read. */
	EXPECT_EQ(w[lazy - W_BASE], 0);
	EXPECT_EQ(w_faults(as), faults + 1);
}

VT_TEST(window_wired_memory_counts_against_memlock)
{
	unsigned long a = 0, b = 0;
	int ctl, as, id;
	long base;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	base = va_vmlck();
	ASSERT_TRUE(base >= 0);
	id = w_area_wired(as, VMARENA_WIRING_WIRED, 8, &a);
	ASSERT_TRUE(id > 0);
	EXPECT_EQ(va_vmlck(), base + 32);
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_LAZY, 8, &b) > 0);
	EXPECT_EQ(va_vmlck(), base + 32);		/* lazy memory is not locked */
	struct vmarena_area_op del = { .size = sizeof(del), .id = id };
	ASSERT_EQ(ioctl(as, VMARENA_IOC_AREA_DELETE, &del), 0);
	EXPECT_EQ(va_vmlck(), base);
	/* Closing the aspace gives back what its areas held. */
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_CONTIGUOUS, 4, &a) > 0);
	EXPECT_EQ(va_vmlck(), base + 16);
	close(as);
	EXPECT_EQ(va_vmlck(), base);
}

VT_TEST(window_memlock_limit_refuses_unprivileged_wiring)
{
	struct rlimit lim = { .rlim_cur = 64 << 10, .rlim_max = 64 << 10 };
	int ctl, as, status;
	unsigned long a;
	pid_t pid;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		/* Without CAP_IPC_LOCK the limit holds. */
		if (setrlimit(RLIMIT_MEMLOCK, &lim) || setresuid(65534, 65534, 65534))
			_exit(10);
		if (w_area_wired(as, VMARENA_WIRING_WIRED, 8, &a) <= 0)
			_exit(11);
		if (va_vmlck() != 32)
			_exit(12);
		if (w_area_wired(as, VMARENA_WIRING_WIRED, 16, &a) != -1 || errno != ENOMEM)
			_exit(13);
		if (w_area_wired(as, VMARENA_WIRING_LAZY, 16, &a) <= 0)
			_exit(14);
		if (va_vmlck() != 32)
			_exit(15);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
}

static int w_lock(int as, int id, unsigned int level)
{
	struct vmarena_area_op op = { .size = sizeof(op), .id = id, .value = level };

	return ioctl(as, VMARENA_IOC_AREA_LOCK, &op);
}

VT_TEST(window_area_lock_counts_and_does_not_stack)
{
	struct vmarena_area_info info = { .size = sizeof(info) };
	unsigned long a;
	int ctl, as, id;
	long base;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	id = w_area_wired(as, VMARENA_WIRING_LAZY, 4, &a);
	ASSERT_TRUE(id > 0);
	base = va_vmlck();
	ASSERT_EQ(w_lock(as, id, VMARENA_LOCK_LOCKED), 0);
	ASSERT_EQ(w_lock(as, id, VMARENA_LOCK_LOCKED), 0);
	EXPECT_EQ(va_vmlck(), base + 16);	/* counted once */
	info.id = id;
	ASSERT_EQ(ioctl(as, VMARENA_IOC_AREA_INFO, &info), 0);
	EXPECT_EQ(info.out_lock_level, (unsigned int)VMARENA_LOCK_LOCKED);
	ASSERT_EQ(w_lock(as, id, VMARENA_LOCK_UNLOCKED), 0);	/* one unlock is enough */
	EXPECT_EQ(va_vmlck(), base);
	info.cookie = 0;
	ASSERT_EQ(ioctl(as, VMARENA_IOC_AREA_INFO, &info), 0);
	EXPECT_EQ(info.out_lock_level, (unsigned int)VMARENA_LOCK_UNLOCKED);
	EXPECT_ERRNO(w_lock(as, id, VMARENA_LOCK_SUPERLOCKED), EINVAL);
	EXPECT_ERRNO(w_lock(as, id, 9), EINVAL);
	EXPECT_ERRNO(w_lock(as, 0x7fffffff, VMARENA_LOCK_LOCKED), ENOENT);
	/* Deleting a locked area gives its charge back. */
	ASSERT_EQ(w_lock(as, id, VMARENA_LOCK_LOCKED), 0);
	EXPECT_EQ(va_vmlck(), base + 16);
	struct vmarena_area_op del = { .size = sizeof(del), .id = id };
	ASSERT_EQ(ioctl(as, VMARENA_IOC_AREA_DELETE, &del), 0);
	EXPECT_EQ(va_vmlck(), base);
}

VT_TEST(window_area_lock_respects_memlock_limit)
{
	struct rlimit lim = { .rlim_cur = 32 << 10, .rlim_max = 32 << 10 };
	int ctl, as, status, small, big;
	unsigned long a;
	pid_t pid;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	small = w_area_wired(as, VMARENA_WIRING_LAZY, 8, &a);
	big = w_area_wired(as, VMARENA_WIRING_LAZY, 16, &a);
	ASSERT_TRUE(small > 0 && big > 0);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		if (setrlimit(RLIMIT_MEMLOCK, &lim) || setresuid(65534, 65534, 65534))
			_exit(10);
		if (w_lock(as, small, VMARENA_LOCK_LOCKED))
			_exit(11);
		if (w_lock(as, big, VMARENA_LOCK_LOCKED) != -1 || errno != ENOMEM)
			_exit(12);
		if (w_lock(as, small, VMARENA_LOCK_UNLOCKED) || va_vmlck() != 0)
			_exit(13);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
}

static int w_superlock(int as, unsigned int level)
{
	struct vmarena_area_op op = { .size = sizeof(op), .value = level };

	return ioctl(as, VMARENA_IOC_ASPACE_SUPERLOCK, &op);
}

/* Touch every page of [addr, addr + pages): a read, and a write if @rw. */
static unsigned int w_touch(volatile unsigned char *w, unsigned long addr, unsigned long pages,
			    int rw)
{
	unsigned int sum = 0;
	unsigned long i;

	for (i = 0; i < pages; i++) {
		sum += w[addr - W_BASE + i * W_PAGE];
		if (rw)
			w[addr - W_BASE + i * W_PAGE] = sum;
	}
	return sum;
}

VT_TEST(window_superlocked_aspace_takes_no_faults)
{
	unsigned long rw, ro, clone, late;
	unsigned long long faults;
	volatile unsigned char *w, *w2;
	int ctl, as, src;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	w = w_map(as);				/* mapped before the lock */
	ASSERT_TRUE(w != NULL);
	src = w_area(as, VMARENA_IOC_AREA_CREATE_ANON, 16,
		     VMARENA_PROT_READ | VMARENA_PROT_WRITE, 0, 0, &rw);
	ASSERT_TRUE(src > 0);
	ASSERT_TRUE(w_area(as, VMARENA_IOC_AREA_CREATE_ANON, 4, VMARENA_PROT_READ, 0, 0, &ro) > 0);
	w[rw - W_BASE] = 5;
	ASSERT_TRUE(w_area(as, VMARENA_IOC_AREA_CLONE, 0, VMARENA_PROT_READ | VMARENA_PROT_WRITE,
			   src, VMARENA_MAP_PRIVATE, &clone) > 0);
	ASSERT_EQ(w_superlock(as, VMARENA_LOCK_SUPERLOCKED), 0);
	ASSERT_TRUE(w_area(as, VMARENA_IOC_AREA_CREATE_ANON, 4,
			   VMARENA_PROT_READ | VMARENA_PROT_WRITE, 0, 0, &late) > 0);
	/* A window mapped after the lock, over the first area. */
	w2 = mmap(NULL, 16 * W_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, as, rw);
	ASSERT_TRUE(w2 != MAP_FAILED);
	w2 -= rw - W_BASE;

	w_touch(w, ro, 1, 0);			/* warm the code and the stack */
	faults = va_window_faults(as);
	w_touch(w, rw, 16, 1);
	w_touch(w, ro, 4, 0);
	w_touch(w, clone, 16, 1);
	w_touch(w2, rw, 16, 1);
	w_touch(w, late, 4, 1);
	EXPECT_EQ(va_window_faults(as), faults);
	/* The private clone was privatised at the lock: writes did not reach the source. */
	EXPECT_EQ(w[rw - W_BASE] != w[clone - W_BASE] || w[rw - W_BASE] == 5, 1);
	ASSERT_EQ(w_superlock(as, VMARENA_LOCK_UNLOCKED), 0);
	EXPECT_ERRNO(w_superlock(as, VMARENA_LOCK_LOCKED), EINVAL);
}

static unsigned int w_lock_level(int as, int id);

static unsigned long long w_area_size(int as, int id)
{
	struct vmarena_area_info info = { .size = sizeof(info), .id = id };

	return ioctl(as, VMARENA_IOC_AREA_INFO, &info) ? ~0ULL : info.out_length;
}

/* Run @fn as nobody with RLIMIT_MEMLOCK at @kb; expect it to exit 0. */
static void w_as_nobody(unsigned long kb, int (*fn)(int as), int as)
{
	struct rlimit lim = { .rlim_cur = kb << 10, .rlim_max = kb << 10 };
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		if (setrlimit(RLIMIT_MEMLOCK, &lim) || setresuid(65534, 65534, 65534))
			_exit(100);
		_exit(fn(as));
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
}

static int w_superlock_nobody(int as)
{
	unsigned long a;
	int big;

	/*
	 * The 12 lazy pages count, the locked ones too (their lock is another
	 * process's); the wired and null areas do not.
	 */
	if (w_superlock(as, VMARENA_LOCK_SUPERLOCKED))
		return 1;
	if (va_vmlck() != 48)
		return 2;
	if (w_superlock(as, VMARENA_LOCK_UNLOCKED) || va_vmlck() != 0)
		return 3;
	/* 16 more pages pass the 64 KiB limit: refused, and nothing kept. */
	big = w_area_wired(as, VMARENA_WIRING_LAZY, 16, &a);
	if (big <= 0)
		return 4;
	if (w_superlock(as, VMARENA_LOCK_SUPERLOCKED) != -1 || errno != ENOMEM)
		return 5;
	if (va_vmlck() != 0 || w_lock_level(as, big) != VMARENA_LOCK_UNLOCKED)
		return 6;
	/* Exiting while super-locked ends the super-lock (lock_test.c). */
	struct vmarena_area_op del = { .size = sizeof(del), .id = big };

	if (ioctl(as, VMARENA_IOC_AREA_DELETE, &del))
		return 7;
	if (w_superlock(as, VMARENA_LOCK_SUPERLOCKED) || va_vmlck() != 48)
		return 8;
	return 0;
}

/* Super-locked memory counts against the caller's RLIMIT_MEMLOCK. */
VT_TEST(window_superlock_counts_against_memlock)
{
	unsigned long a, b, c, d;
	int ctl, as, locked;
	long base;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	base = va_vmlck();
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_LAZY, 8, &a) > 0);
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_WIRED, 2, &b) > 0);
	locked = w_area_wired(as, VMARENA_WIRING_LAZY, 4, &c);
	ASSERT_TRUE(locked > 0);
	ASSERT_EQ(w_lock(as, locked, VMARENA_LOCK_LOCKED), 0);
	ASSERT_TRUE(w_area(as, VMARENA_IOC_AREA_CREATE_NULL, 64, 0, 0, 0, &d) > 0);
	EXPECT_EQ(va_vmlck(), base + 24);
	w_as_nobody(64, w_superlock_nobody, as);
	/* The child's super-lock ended with it; this process's lock stays. */
	EXPECT_EQ(w_lock_level(as, locked), (unsigned int)VMARENA_LOCK_LOCKED);
	EXPECT_EQ(va_vmlck(), base + 24);
	/* Each holder counts its own: the lock and the super-lock both. */
	ASSERT_EQ(w_superlock(as, VMARENA_LOCK_SUPERLOCKED), 0);
	EXPECT_EQ(va_vmlck(), base + 24 + 48);
	ASSERT_EQ(w_lock(as, locked, VMARENA_LOCK_UNLOCKED), 0);
	EXPECT_EQ(va_vmlck(), base + 8 + 48);
	ASSERT_EQ(w_superlock(as, VMARENA_LOCK_UNLOCKED), 0);
	EXPECT_EQ(va_vmlck(), base + 8);
	close(as);
	EXPECT_EQ(va_vmlck(), base);
}

static int w_resize(int as, int id, unsigned long pages)
{
	struct vmarena_area_op op = { .size = sizeof(op), .id = id, .value = pages * W_PAGE };

	return ioctl(as, VMARENA_IOC_AREA_RESIZE, &op);
}

static int w_resize_nobody(int as)
{
	unsigned long a, b;
	int wired, lazy;

	wired = w_area_wired(as, VMARENA_WIRING_WIRED, 4, &a);
	if (wired <= 0 || va_vmlck() != 16)
		return 1;
	if (w_resize(as, wired, 8) || va_vmlck() != 32)
		return 2;
	/* 32 pages would pass the 64 KiB limit: refused, size and charge kept. */
	if (w_resize(as, wired, 32) != -1 || errno != ENOMEM)
		return 3;
	if (va_vmlck() != 32 || w_area_size(as, wired) != 8 * W_PAGE)
		return 4;
	if (w_resize(as, wired, 2) || va_vmlck() != 8)
		return 5;
	/* A locked lazy area follows its size too; unlocked, it counts nothing. */
	lazy = w_area_wired(as, VMARENA_WIRING_LAZY, 4, &b);
	if (lazy <= 0 || w_lock(as, lazy, VMARENA_LOCK_LOCKED) || va_vmlck() != 24)
		return 6;
	if (w_resize(as, lazy, 6) || va_vmlck() != 32)
		return 7;
	if (w_lock(as, lazy, VMARENA_LOCK_UNLOCKED) || va_vmlck() != 8)
		return 8;
	if (w_resize(as, lazy, 12) || va_vmlck() != 8)
		return 9;
	struct vmarena_area_op del = { .size = sizeof(del), .id = wired };

	if (ioctl(as, VMARENA_IOC_AREA_DELETE, &del) || va_vmlck() != 0)
		return 10;
	return 0;
}

/* A resize moves the memlock charge with the size of a pinned area. */
VT_TEST(window_resize_recharges_memlock)
{
	int ctl, as;
	long base;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	base = va_vmlck();
	w_as_nobody(64, w_resize_nobody, as);
	EXPECT_EQ(va_vmlck(), base);
}

/* Windows of another process are mapped at the super-lock too. */
/* The page frame that aspace address @addr maps, or ~0 (PAGE_MAPPING). */
static unsigned long long w_pfn(int as, unsigned long addr)
{
	struct vmarena_page_mapping pm = { .size = sizeof(pm), .address = addr };

	return ioctl(as, VMARENA_IOC_PAGE_MAPPING, &pm) ? ~0ULL : pm.out_phys / W_PAGE;
}

/* Delete area @id of @as: 0 or -1. */
static int w_delete(int as, int id)
{
	struct vmarena_area_op del = { .size = sizeof(del), .id = id };

	return ioctl(as, VMARENA_IOC_AREA_DELETE, &del);
}

/*
 * Write the 4 pages at @addr in an order that gives them frames f, f + 2,
 * f + 1, f + 3 if the pool hands out f + 3 down to f (or f up to f + 3):
 * with clear_target 0 a fault takes the free queue's first page, and the
 * free queue is last in, first out.  The frames come from a contiguous
 * area deleted just before.  Returns whether they came out so.
 */
static int w_frames_out_of_order(int as, volatile unsigned char *w, unsigned long addr,
				 unsigned int down)
{
	static const unsigned int order[2][4] = { { 0, 2, 1, 3 }, { 3, 1, 2, 0 } };
	unsigned long long pfn[4];
	unsigned long run;
	unsigned int i;
	int id;

	id = w_area_wired(as, VMARENA_WIRING_CONTIGUOUS, 4, &run);
	if (id <= 0 || w_delete(as, id))
		return 0;
	for (i = 0; i < 4; i++)
		w[addr - W_BASE + order[down][i] * W_PAGE] = (unsigned char)(0x10 + i);
	for (i = 0; i < 4; i++)
		pfn[i] = w_pfn(as, addr + i * W_PAGE);
	return pfn[0] != ~0ULL && pfn[3] - pfn[0] == 3 &&
	       !(pfn[1] == pfn[0] + 1 && pfn[2] == pfn[0] + 2);
}

/*
 * Regression: a new window's populate made a run of pages writable in one
 * walk whenever the run's first and last frames were count - 1 apart, and
 * that walk passes over a PTE whose frame is not the one it expects there:
 * pages at frames 10, 12, 11, 13 kept read-only PTEs in the middle, and a
 * super-locked aspace faulted on the first write through the window.  The
 * test gives 4 pages such frames (w_frames_out_of_order(), checked through
 * PAGE_MAPPING) and says how many tries that took.
 */
VT_TEST(window_populate_follows_pages_out_of_frame_order)
{
	unsigned long long faults;
	volatile unsigned char *w, *w2;
	unsigned long addr = 0;
	int ctl, as, id, tries, hit = 0;
	char old[32] = "";
	unsigned int i;

	ASSERT_EQ(va_param_read("clear_target", old, sizeof(old)), 0);
	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	w = w_map(as);
	ASSERT_TRUE(w != NULL);
	ASSERT_EQ(va_param_write("clear_target", "0\n"), 0);
	for (tries = 0; tries < 64 && !hit; tries++) {
		id = w_area(as, VMARENA_IOC_AREA_CREATE_ANON, 4,
			    VMARENA_PROT_READ | VMARENA_PROT_WRITE, 0, 0, &addr);
		if (id <= 0)
			break;
		hit = w_frames_out_of_order(as, w, addr, tries & 1);
		if (!hit)
			w_delete(as, id);
	}
	EXPECT_EQ(va_param_write("clear_target", old), 0);
	printf("# frames out of order after %d tries\n", tries);
	ASSERT_TRUE(hit);
	ASSERT_EQ(w_superlock(as, VMARENA_LOCK_SUPERLOCKED), 0);
	w2 = w_map(as);
	ASSERT_TRUE(w2 != NULL);
	faults = va_window_faults(as);
	for (i = 0; i < 4; i++)
		w2[addr - W_BASE + i * W_PAGE + 1] = (unsigned char)(0x20 + i);
	EXPECT_EQ(va_window_faults(as), faults);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(w[addr - W_BASE + i * W_PAGE + 1], 0x20 + i);
	ASSERT_EQ(w_superlock(as, VMARENA_LOCK_UNLOCKED), 0);
	munmap((void *)w2, W_SIZE);
	munmap((void *)w, W_SIZE);
	close(as);
	close(ctl);
}

VT_TEST(window_superlock_maps_other_processes)
{
	int ctl, as, status, ready[2], go[2];
	unsigned long rw;
	char c;
	pid_t pid;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	ASSERT_TRUE(w_area(as, VMARENA_IOC_AREA_CREATE_ANON, 16,
			   VMARENA_PROT_READ | VMARENA_PROT_WRITE, 0, 0, &rw) > 0);
	ASSERT_OK(pipe(ready));
	ASSERT_OK(pipe(go));
	fflush(NULL);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		static volatile unsigned char warm[W_PAGE];
		volatile unsigned char *w = w_map(as);
		unsigned long long faults;

		if (!w || write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(10);
		/* Warm the code, the stack and the counters. */
		w_touch(warm - (rw - W_BASE), rw, 1, 1);
		va_window_faults(as);
		faults = va_window_faults(as);
		w_touch(w, rw, 16, 1);
		if (va_window_faults(as) != faults)
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(read(ready[0], &c, 1), 1);
	ASSERT_EQ(w_superlock(as, VMARENA_LOCK_SUPERLOCKED), 0);
	ASSERT_EQ(write(go[1], "g", 1), 1);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
	ASSERT_EQ(w_superlock(as, VMARENA_LOCK_UNLOCKED), 0);
}

/*
 * A write-only window over pages the aspace maps read-only (x86 cannot map
 * write-only: such a window reads too).  The super-lock's populate mapped
 * them with the window's flags less VM_WRITE, PAGE_NONE for a write-only
 * window: present to Linux, not to the CPU.  Kernels without NUMA
 * balancing (the debug lanes) then took the same fault for ever, in user
 * space and in copy_from_user() of an ioctl argument pointing there (the
 * fuzzer's livelock, seed 3932637193 on debug 6.12).
 */
VT_TEST(window_write_only_reads_pages_populated_read_only)
{
	volatile unsigned char *w;
	unsigned long ro;
	int ctl, as;
	void *p;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	/* Holes only: a write-only window is allowed over them. */
	p = mmap(NULL, W_SIZE, PROT_WRITE, MAP_SHARED, as, W_BASE);
	ASSERT_TRUE(p != MAP_FAILED);
	w = p;
	ASSERT_TRUE(w_area(as, VMARENA_IOC_AREA_CREATE_ANON, 4, VMARENA_PROT_READ, 0, 0, &ro) > 0);
	ASSERT_EQ(w_superlock(as, VMARENA_LOCK_SUPERLOCKED), 0);
	EXPECT_EQ(va_present(w + (ro - W_BASE)), 1);
	EXPECT_EQ(w[ro - W_BASE + 5], 0);
	EXPECT_EQ(w[ro - W_BASE + 3 * W_PAGE], 0);
	/* The kernel reads an ioctl argument there: its size is 0. */
	EXPECT_ERRNO(ioctl(as, VMARENA_IOC_AREA_INFO, (void *)(w + (ro - W_BASE))), EINVAL);
	ASSERT_EQ(w_superlock(as, VMARENA_LOCK_UNLOCKED), 0);
	munmap(p, W_SIZE);
	close(as);
	close(ctl);
}

static int w_range_lock(int as, unsigned long addr, unsigned long len, unsigned int level)
{
	struct vmarena_range_lock req = {
		.size = sizeof(req), .level = level, .address = addr, .length = len,
	};

	return ioctl(as, VMARENA_IOC_RANGE_LOCK, &req);
}

static unsigned int w_lock_level(int as, int id)
{
	struct vmarena_area_info info = { .size = sizeof(info), .id = id };

	return ioctl(as, VMARENA_IOC_AREA_INFO, &info) ? ~0U : info.out_lock_level;
}

VT_TEST(window_range_lock_rounds_out_to_areas)
{
	unsigned long a = 0, b = 0, c = 0;
	int ctl, as, ia, ib, ic;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	ia = w_area_wired(as, VMARENA_WIRING_LAZY, 4, &a);
	ib = w_area_wired(as, VMARENA_WIRING_LAZY, 4, &b);
	ic = w_area_wired(as, VMARENA_WIRING_LAZY, 4, &c);
	ASSERT_TRUE(ia > 0 && ib > 0 && ic > 0);
	/* One page of a and one of b: both lock, whole; c does not. */
	ASSERT_EQ(w_range_lock(as, a + 3 * W_PAGE, 2 * W_PAGE, VMARENA_LOCK_LOCKED), 0);
	EXPECT_EQ(w_lock_level(as, ia), (unsigned int)VMARENA_LOCK_LOCKED);
	EXPECT_EQ(w_lock_level(as, ib), (unsigned int)VMARENA_LOCK_LOCKED);
	EXPECT_EQ(w_lock_level(as, ic), (unsigned int)VMARENA_LOCK_UNLOCKED);
	/* Unlocking a range that touches b unlocks it, however often it was locked. */
	ASSERT_EQ(w_range_lock(as, b, W_PAGE, VMARENA_LOCK_LOCKED), 0);
	ASSERT_EQ(w_range_lock(as, b + W_PAGE, W_PAGE, VMARENA_LOCK_UNLOCKED), 0);
	EXPECT_EQ(w_lock_level(as, ib), (unsigned int)VMARENA_LOCK_UNLOCKED);
	EXPECT_EQ(w_lock_level(as, ia), (unsigned int)VMARENA_LOCK_LOCKED);
	EXPECT_ERRNO(w_range_lock(as, a + 1, W_PAGE, VMARENA_LOCK_LOCKED), EINVAL);
	EXPECT_ERRNO(w_range_lock(as, a, 0, VMARENA_LOCK_LOCKED), EINVAL);
	EXPECT_ERRNO(w_range_lock(as, W_BASE - W_PAGE, 2 * W_PAGE, VMARENA_LOCK_LOCKED), EINVAL);
	EXPECT_ERRNO(w_range_lock(as, a, W_PAGE, VMARENA_LOCK_SUPERLOCKED), EINVAL);
}

VT_TEST(window_range_lock_undoes_itself_when_over_the_limit)
{
	struct rlimit lim = { .rlim_cur = 32 << 10, .rlim_max = 32 << 10 };
	int ctl, as, status, ia, ib;
	unsigned long a = 0, b = 0;
	pid_t pid;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	ia = w_area_wired(as, VMARENA_WIRING_LAZY, 4, &a);
	ib = w_area_wired(as, VMARENA_WIRING_LAZY, 8, &b);
	ASSERT_TRUE(ia > 0 && ib > 0);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		if (setrlimit(RLIMIT_MEMLOCK, &lim) || setresuid(65534, 65534, 65534))
			_exit(10);
		/* a fits (16 KiB), a + b does not (48 KiB): nothing stays locked. */
		if (w_range_lock(as, a, 12 * W_PAGE, VMARENA_LOCK_LOCKED) != -1 || errno != ENOMEM)
			_exit(11);
		if (w_lock_level(as, ia) != VMARENA_LOCK_UNLOCKED || va_vmlck() != 0)
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
}

/* QNX's locked state: resident, but the first write to a page is recorded. */
VT_TEST(window_locked_area_tracks_first_writes)
{
	struct vmarena_stats before, after;
	volatile unsigned char *w;
	unsigned long addr;
	int ctl, as, id;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	id = w_area_wired(as, VMARENA_WIRING_LAZY, 4, &addr);
	ASSERT_TRUE(id > 0);
	ASSERT_EQ(w_lock(as, id, VMARENA_LOCK_LOCKED), 0);
	w = w_map(as);
	ASSERT_TRUE(w != NULL);
	w_touch(w, addr, 4, 0);			/* resident, mapped read-only */
	ASSERT_EQ(w_stats(ctl, &before), 0);
	w_touch(w, addr, 4, 1);			/* each first write is recorded */
	w_touch(w, addr, 4, 1);			/* and only the first */
	ASSERT_EQ(w_stats(ctl, &after), 0);
	EXPECT_EQ(after.out_write_tracked - before.out_write_tracked, 4ULL);
	EXPECT_EQ(after.out_pages[VMARENA_PAGE_STATE_MODIFIED] -
		  before.out_pages[VMARENA_PAGE_STATE_MODIFIED], 4ULL);
}

/* write() @text to the max_pages parameter: 0 or -1 with errno. */
static int w_set_max_pages(const char *text)
{
	int fd = open("/sys/module/vmarena/parameters/max_pages", O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

VT_TEST(window_pool_cap_cannot_go_below_wired_pages)
{
	unsigned long addr;
	int ctl, as;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_WIRED, 64, &addr) > 0);
	EXPECT_ERRNO(w_set_max_pages("0\n"), EINVAL);
	EXPECT_ERRNO(w_set_max_pages("8\n"), EINVAL);	/* 64 pages are wired */
	EXPECT_ERRNO(w_set_max_pages("lots\n"), EINVAL);
}

/*
 * A first write to a page of a shared window takes one fault: the PTE the
 * fault installs is writable at once (it used to be read-only, and the
 * write faulted again at once through ->page_mkwrite).
 */
VT_TEST(window_first_write_faults_once)
{
	struct vmarena_stats before, after;
	unsigned long long faults;
	volatile unsigned char *w;
	unsigned long addr, i;
	int ctl, as;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_LAZY, 8, &addr) > 0);
	w = w_map(as);
	ASSERT_TRUE(w != NULL);
	ASSERT_EQ(w_stats(ctl, &before), 0);
	faults = w_faults(as);
	for (i = 8; i-- > 0;)		/* backwards: no fault-ahead */
		w[addr - W_BASE + i * W_PAGE] = 0x50 + i;	/* writes only */
	EXPECT_EQ(w_faults(as) - faults, 8ULL);
	for (i = 0; i < 8; i++)
		w[addr - W_BASE + i * W_PAGE + 1] = 0x60 + i;	/* writable already */
	EXPECT_EQ(w_faults(as) - faults, 8ULL);
	ASSERT_EQ(w_stats(ctl, &after), 0);
	EXPECT_EQ(after.out_write_tracked - before.out_write_tracked, 0ULL);
	EXPECT_EQ(after.out_faults_zero - before.out_faults_zero, 8ULL);
	for (i = 0; i < 8; i++) {
		EXPECT_EQ(w[addr - W_BASE + i * W_PAGE], 0x50 + i);
		EXPECT_EQ(w[addr - W_BASE + i * W_PAGE + 1], 0x60 + i);
	}
	EXPECT_EQ(w_faults(as) - faults, 8ULL);
}

/* write() @text to the module parameter @name: 0 or -1 with errno. */
static int w_set_clear_target(const char *text)
{
	return va_param_write("clear_target", text);
}

/* clear_target is writable: 0 empties the clear pool and every fault zeroes. */
VT_TEST(window_clear_target_zero_empties_the_pool)
{
	struct vmarena_stats before, after;
	volatile unsigned char *w;
	unsigned long addr;
	char old[32] = "";
	int ctl, as, fd;
	ssize_t n;

	fd = open("/sys/module/vmarena/parameters/clear_target", O_RDONLY | O_CLOEXEC);
	ASSERT_TRUE(fd >= 0);
	n = read(fd, old, sizeof(old) - 1);
	close(fd);
	ASSERT_TRUE(n > 0);
	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	EXPECT_ERRNO(w_set_clear_target("lots\n"), EINVAL);
	ASSERT_EQ(w_set_clear_target("0\n"), 0);
	ASSERT_EQ(w_stats(ctl, &before), 0);
	EXPECT_EQ(before.out_pages[VMARENA_PAGE_STATE_CLEAR], 0ULL);
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_LAZY, 4, &addr) > 0);
	w = w_map(as);
	ASSERT_TRUE(w != NULL);
	EXPECT_EQ(w_touch(w, addr, 4, 1), 0U);		/* zeros */
	ASSERT_EQ(w_stats(ctl, &after), 0);
	EXPECT_EQ(after.out_clear_misses - before.out_clear_misses, 4ULL);
	EXPECT_EQ(after.out_clear_hits - before.out_clear_hits, 0ULL);
	EXPECT_EQ(after.out_pages[VMARENA_PAGE_STATE_CLEAR], 0ULL);	/* worker off */
	EXPECT_EQ(w_set_clear_target(old), 0);
}

/* The stats say what the arena's metadata and fragments cost. */
VT_TEST(window_stats_report_metadata_and_fragment_tables)
{
	struct vmarena_stats before, touched, closed;
	volatile unsigned char *w;
	unsigned long addr;
	int ctl, as;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	ASSERT_EQ(w_stats(ctl, &before), 0);
	/* A page descriptor: at least its pointers, at most a cache line or so. */
	EXPECT_GE(before.out_page_meta_bytes, 32ULL);
	EXPECT_LE(before.out_page_meta_bytes, 128ULL);
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_LAZY, 1, &addr) > 0);
	w = w_map(as);
	ASSERT_TRUE(w != NULL);
	w[addr - W_BASE] = 1;
	ASSERT_EQ(w_stats(ctl, &touched), 0);
	/* A fresh aspace's first mapping: the root and three levels below. */
	EXPECT_EQ(touched.out_ptfrag_tables - before.out_ptfrag_tables, 4ULL);
	munmap((void *)w, W_SIZE);
	close(as);
	ASSERT_EQ(w_stats(ctl, &closed), 0);
	EXPECT_EQ(closed.out_ptfrag_tables, before.out_ptfrag_tables);
	close(ctl);
}

/* Wait up to 10 s for the clear pool to hold @n pages; the count at the end. */
static unsigned long long w_wait_clear(int ctl, unsigned long long n)
{
	struct vmarena_stats st;
	int i;

	for (i = 0; i < 1000; i++) {
		if (w_stats(ctl, &st))
			return 0;
		if (st.out_pages[VMARENA_PAGE_STATE_CLEAR] >= n)
			break;
		usleep(10000);
	}
	return st.out_pages[VMARENA_PAGE_STATE_CLEAR];
}

/*
 * After faults take some of the clear pool's pages, it is topped up to its
 * target again (a low watermark once left it short for good).
 */
VT_TEST(window_clear_pool_refills_to_its_target)
{
	volatile unsigned char *w;
	unsigned long addr;
	char old[32] = "";
	int ctl, as, fd;
	ssize_t n;

	fd = open("/sys/module/vmarena/parameters/clear_target", O_RDONLY | O_CLOEXEC);
	ASSERT_TRUE(fd >= 0);
	n = read(fd, old, sizeof(old) - 1);
	close(fd);
	ASSERT_TRUE(n > 0);
	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	ASSERT_EQ(w_set_clear_target("32\n"), 0);
	EXPECT_EQ(w_wait_clear(ctl, 32), 32ULL);
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_LAZY, 8, &addr) > 0);
	w = w_map(as);
	ASSERT_TRUE(w != NULL);
	EXPECT_EQ(w_touch(w, addr, 8, 1), 0U);	/* 8 of 32 taken: above half */
	EXPECT_EQ(w_wait_clear(ctl, 32), 32ULL);
	EXPECT_EQ(w_set_clear_target(old), 0);
}

/*
 * Fault-ahead: a sequential first touch takes one fault per run of
 * fault_ahead pages, the pages filled ahead are mapped writable (no
 * write-tracking fault either) and hold what was written; 0 turns it off.
 */
VT_TEST(window_sequential_first_touch_faults_once_per_run)
{
	struct vmarena_stats before, after;
	unsigned long long faults;
	volatile unsigned char *w;
	unsigned long addr, i;
	int ctl, as;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	EXPECT_ERRNO(va_param_write("fault_ahead", "17\n"), EINVAL);
	EXPECT_ERRNO(va_param_write("fault_ahead", "some\n"), EINVAL);
	ASSERT_EQ(va_param_write("fault_ahead", "16\n"), 0);
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_LAZY, 64, &addr) > 0);
	w = w_map(as);
	ASSERT_TRUE(w != NULL);
	ASSERT_EQ(w_stats(ctl, &before), 0);
	faults = w_faults(as);
	for (i = 0; i < 64; i++) {
		w[addr - W_BASE + i * W_PAGE] = 0x10 + i;
		w[addr - W_BASE + i * W_PAGE + 100] = 0x80 + i;
	}
	/* Faults at 0, 1 (16 ahead), 18 (16), 35 (16) and 52 (the last 11). */
	EXPECT_EQ(w_faults(as) - faults, 5ULL);
	ASSERT_EQ(w_stats(ctl, &after), 0);
	EXPECT_EQ(after.out_faults_zero - before.out_faults_zero, 5ULL);
	EXPECT_EQ(after.out_faults_ahead - before.out_faults_ahead, 59ULL);
	EXPECT_EQ(after.out_write_tracked - before.out_write_tracked, 0ULL);
	for (i = 0; i < 64; i++) {
		EXPECT_EQ(w[addr - W_BASE + i * W_PAGE], 0x10 + i);
		EXPECT_EQ(w[addr - W_BASE + i * W_PAGE + 100], 0x80 + i);
		EXPECT_EQ(w[addr - W_BASE + i * W_PAGE + 101], 0);
	}
	EXPECT_EQ(w_faults(as) - faults, 5ULL);

	/* Off: one fault per page again. */
	ASSERT_EQ(va_param_write("fault_ahead", "0\n"), 0);
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_LAZY, 8, &addr) > 0);
	faults = w_faults(as);
	for (i = 0; i < 8; i++)
		w[addr - W_BASE + i * W_PAGE] = 1;
	EXPECT_EQ(w_faults(as) - faults, 8ULL);
	EXPECT_EQ(va_param_write("fault_ahead", "16\n"), 0);
}

/*
 * Regression guard: fault-around maps modified pages writable, but never
 * in a private window, where a write must be Linux's private copy and
 * leave the arena's page alone.
 */
VT_TEST(window_private_window_never_maps_around_pages_writable)
{
	volatile unsigned char *w, *p;
	unsigned long addr, i;
	int ctl, as;

	as = w_aspace(&ctl);
	ASSERT_TRUE(as >= 0);
	ASSERT_TRUE(w_area_wired(as, VMARENA_WIRING_LAZY, 8, &addr) > 0);
	w = w_map(as);
	ASSERT_TRUE(w != NULL);
	for (i = 0; i < 8; i++)
		w[addr - W_BASE + i * W_PAGE] = 0x30 + i;	/* all modified */
	p = mmap(NULL, W_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, as, W_BASE);
	ASSERT_TRUE(p != MAP_FAILED);
	EXPECT_EQ(p[addr - W_BASE], 0x30);		/* maps 1-7 around it */
	EXPECT_EQ(va_present(p + addr - W_BASE + 5 * W_PAGE), 1);
	p[addr - W_BASE + 5 * W_PAGE] = 0x99;		/* a private copy */
	EXPECT_EQ(p[addr - W_BASE + 5 * W_PAGE], 0x99);
	EXPECT_EQ(w[addr - W_BASE + 5 * W_PAGE], 0x35);
	EXPECT_EQ(p[addr - W_BASE + 6 * W_PAGE], 0x36);
	munmap((void *)p, W_SIZE);
}
