// SPDX-License-Identifier: GPL-2.0
/*
 * QNX lock ownership (seed 001, "mlock/munlock and friends"): a lock on an
 * area, and the super-lock of an aspace, belong to the process that took
 * them.  They stack across processes, not within one; an unlock by a
 * process that holds none changes nothing; they end when their process
 * exits (also by SIGKILL) or execs, and a fork child holds none of its
 * parent's.  Each holder's RLIMIT_MEMLOCK counts what it holds.  Locks
 * taken while the aspace is super-locked (AREA_LOCK and RANGE_LOCK) hold
 * after the super-lock ends.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/vmarena.h>

#include "vt_arena.h"

#define RW	(VMARENA_PROT_READ | VMARENA_PROT_WRITE)

static unsigned int l_level(int as, uint32_t id)
{
	struct vmarena_area_info info;

	return va_area_info(as, id, &info) ? ~0U : info.out_lock_level;
}

static int l_lock(int as, uint32_t id, uint32_t level)
{
	return va_area_op(as, VMARENA_IOC_AREA_LOCK, id, level);
}

static int l_super(int as, uint32_t level)
{
	return va_area_op(as, VMARENA_IOC_ASPACE_SUPERLOCK, 0, level);
}

static int l_range(int as, uint64_t addr, uint64_t len, uint32_t level)
{
	struct vmarena_range_lock r = {
		.size = sizeof(r), .level = level, .address = addr, .length = len,
	};

	return ioctl(as, VMARENA_IOC_RANGE_LOCK, &r);
}

/* Wait up to @ms for area @id to reach lock level @want. */
static bool l_wait_level(int as, uint32_t id, unsigned int want, unsigned int ms)
{
	unsigned int waited;

	for (waited = 0; waited < ms; waited += 10) {
		if (l_level(as, id) == want)
			return true;
		usleep(10 * 1000);
	}
	return l_level(as, id) == want;
}

/* An unnamed aspace and a lazy read-write area of @pages pages in it. */
static uint32_t l_setup(struct va_env *e, unsigned long pages, uint64_t *addr)
{
	struct vmarena_area_create c;

	va_env_init(e);
	va_area_req(&c, "", 0, pages * VA_PAGE, RW);
	ASSERT_OK(va_area_create(e->as, VMARENA_IOC_AREA_CREATE_ANON, &c));
	if (addr)
		*addr = c.out_address;
	return c.out_id;
}

VT_TEST(lock_stacks_across_processes)
{
	struct va_env e;
	struct va_sync s;
	uint32_t id = l_setup(&e, 4, NULL);
	pid_t pid;

	ASSERT_OK(l_lock(e.as, id, VMARENA_LOCK_LOCKED));
	va_sync_init(&s);
	pid = va_fork();
	if (!pid) {
		va_sync_child(&s);
		EXPECT_EQ(l_lock(e.as, id, VMARENA_LOCK_LOCKED), 0);
		va_sync_post(&s, false);
		va_sync_wait(&s, false);	/* the parent released its lock */
		EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_LOCKED);
		EXPECT_EQ(l_lock(e.as, id, VMARENA_LOCK_UNLOCKED), 0);
		EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_UNLOCKED);
		va_child_exit();
	}
	va_sync_parent(&s);
	ASSERT_TRUE(va_sync_wait(&s, true));
	ASSERT_OK(l_lock(e.as, id, VMARENA_LOCK_UNLOCKED));
	/* The child's lock holds the area. */
	EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_LOCKED);
	va_sync_post(&s, true);
	EXPECT_EQ(va_wait(pid), 0);
	EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_UNLOCKED);
}

VT_TEST(lock_twice_in_one_process_is_one_lock)
{
	struct va_env e;
	uint32_t id = l_setup(&e, 4, NULL);
	long base = va_vmlck();
	int status;

	ASSERT_OK(l_lock(e.as, id, VMARENA_LOCK_LOCKED));
	ASSERT_OK(l_lock(e.as, id, VMARENA_LOCK_LOCKED));
	EXPECT_EQ(va_vmlck(), base + 16);		/* one lock, counted once */
	/* Another process holds no lock: its unlock succeeds and changes nothing. */
	VA_IN_CHILD(status, EXPECT_EQ(l_lock(e.as, id, VMARENA_LOCK_UNLOCKED), 0));
	EXPECT_EQ(status, 0);
	EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_LOCKED);
	ASSERT_OK(l_lock(e.as, id, VMARENA_LOCK_UNLOCKED));	/* one unlock releases it */
	EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_UNLOCKED);
	EXPECT_EQ(va_vmlck(), base);
	ASSERT_OK(l_lock(e.as, id, VMARENA_LOCK_UNLOCKED));	/* holds none: 0, no change */
	EXPECT_EQ(va_vmlck(), base);
}

VT_TEST(lock_fork_child_holds_none_of_its_parents)
{
	struct va_env e;
	uint32_t id = l_setup(&e, 4, NULL);
	long base = va_vmlck();
	int status;

	ASSERT_OK(l_lock(e.as, id, VMARENA_LOCK_LOCKED));
	ASSERT_OK(l_super(e.as, VMARENA_LOCK_SUPERLOCKED));
	VA_IN_CHILD(status, {
		EXPECT_EQ(l_lock(e.as, id, VMARENA_LOCK_UNLOCKED), 0);
		EXPECT_EQ(l_super(e.as, VMARENA_LOCK_UNLOCKED), 0);
		EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_SUPERLOCKED);
	});
	EXPECT_EQ(status, 0);
	/* Nor did its exit end the parent's locks. */
	EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_SUPERLOCKED);
	ASSERT_OK(l_super(e.as, VMARENA_LOCK_UNLOCKED));
	EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_LOCKED);
	EXPECT_EQ(va_vmlck(), base + 16);
	ASSERT_OK(l_lock(e.as, id, VMARENA_LOCK_UNLOCKED));
	EXPECT_EQ(va_vmlck(), base);
}

VT_TEST(lock_ends_when_its_process_exits)
{
	struct va_env e;
	uint64_t a;
	uint32_t id = l_setup(&e, 4, &a), other;
	int status;

	other = va_anon_ok(e.as, 0, 2 * VA_PAGE, RW, VMARENA_WIRING_LAZY);
	VA_IN_CHILD(status, {
		EXPECT_EQ(l_lock(e.as, id, VMARENA_LOCK_LOCKED), 0);
		EXPECT_EQ(l_range(e.as, a, VA_PAGE, VMARENA_LOCK_LOCKED), 0);
		EXPECT_EQ(l_lock(e.as, other, VMARENA_LOCK_LOCKED), 0);
		EXPECT_EQ(l_level(e.as, other), VMARENA_LOCK_LOCKED);
	});
	EXPECT_EQ(status, 0);
	/* Gone at the exit itself, not some time later. */
	EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_UNLOCKED);
	EXPECT_EQ(l_level(e.as, other), VMARENA_LOCK_UNLOCKED);
	/* The super-lock too. */
	VA_IN_CHILD(status, EXPECT_EQ(l_super(e.as, VMARENA_LOCK_SUPERLOCKED), 0));
	EXPECT_EQ(status, 0);
	EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_UNLOCKED);
}

VT_TEST(lock_ends_when_its_process_is_killed)
{
	struct va_env e;
	struct va_sync s;
	uint32_t id = l_setup(&e, 4, NULL);
	pid_t pid;
	int status;

	va_sync_init(&s);
	pid = va_fork();
	if (!pid) {
		va_sync_child(&s);
		EXPECT_EQ(l_lock(e.as, id, VMARENA_LOCK_LOCKED), 0);
		EXPECT_EQ(l_super(e.as, VMARENA_LOCK_SUPERLOCKED), 0);
		va_sync_post(&s, false);
		for (;;)
			pause();
	}
	va_sync_parent(&s);
	ASSERT_TRUE(va_sync_wait(&s, true));
	EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_SUPERLOCKED);
	ASSERT_OK(kill(pid, SIGKILL));
	status = va_wait(pid);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_UNLOCKED);
}

VT_TEST(lock_ends_when_its_process_execs)
{
	int ready[2], hold[2], status;
	struct va_env e;
	uint32_t id = l_setup(&e, 4, NULL);
	char byte;
	pid_t pid;

	ASSERT_OK(pipe2(ready, O_CLOEXEC));
	ASSERT_OK(pipe(hold));
	pid = va_fork();
	if (!pid) {
		close(ready[0]);
		close(hold[1]);
		if (l_lock(e.as, id, VMARENA_LOCK_LOCKED) ||
		    l_super(e.as, VMARENA_LOCK_SUPERLOCKED) || dup2(hold[0], 0) != 0)
			_exit(2);
		/* The aspace fd stays open across the exec: only the mm goes. */
		execl("/bin/sh", "sh", "-c", "read x; exit 0", (char *)NULL);
		_exit(3);
	}
	close(ready[1]);
	close(hold[0]);
	/* EOF once the child exec'd (the write end is close-on-exec). */
	EXPECT_EQ(read(ready[0], &byte, 1), 0);
	close(ready[0]);
	EXPECT_TRUE(l_wait_level(e.as, id, VMARENA_LOCK_UNLOCKED, 3000));
	EXPECT_EQ(waitpid(pid, &status, WNOHANG), 0);	/* still running */
	close(hold[1]);
	status = va_wait(pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* As nobody with 64 KiB of RLIMIT_MEMLOCK: its own lock counts, to it alone. */
static void l_nobody_locks(int as, uint32_t id, uint32_t other)
{
	struct rlimit lim = { .rlim_cur = 64 << 10, .rlim_max = 64 << 10 };

	ASSERT_OK(setrlimit(RLIMIT_MEMLOCK, &lim));
	va_become_nobody();
	EXPECT_EQ(va_vmlck(), 0);
	EXPECT_EQ(l_lock(as, id, VMARENA_LOCK_LOCKED), 0);
	EXPECT_EQ(va_vmlck(), 64);
	EXPECT_ERRNO(l_lock(as, other, VMARENA_LOCK_LOCKED), ENOMEM);
	EXPECT_EQ(l_level(as, other), VMARENA_LOCK_UNLOCKED);
	EXPECT_EQ(l_lock(as, id, VMARENA_LOCK_UNLOCKED), 0);
	EXPECT_EQ(va_vmlck(), 0);
	EXPECT_EQ(l_level(as, id), VMARENA_LOCK_LOCKED);	/* the parent's */
}

VT_TEST(lock_memlock_charge_follows_each_holder)
{
	struct va_env e;
	uint32_t id = l_setup(&e, 16, NULL), other;
	long base = va_vmlck();
	int status;

	other = va_anon_ok(e.as, 0, 4 * VA_PAGE, RW, VMARENA_WIRING_LAZY);
	ASSERT_OK(l_lock(e.as, id, VMARENA_LOCK_LOCKED));
	EXPECT_EQ(va_vmlck(), base + 64);
	VA_IN_CHILD(status, l_nobody_locks(e.as, id, other));
	EXPECT_EQ(status, 0);
	EXPECT_EQ(va_vmlck(), base + 64);
	ASSERT_OK(l_lock(e.as, id, VMARENA_LOCK_UNLOCKED));
	EXPECT_EQ(va_vmlck(), base);
}

VT_TEST(lock_taken_under_superlock_survives_its_release)
{
	struct va_env e;
	struct va_sync s;
	uint32_t id = l_setup(&e, 4, NULL);
	long base = va_vmlck();
	pid_t pid;

	va_sync_init(&s);
	pid = va_fork();
	if (!pid) {
		va_sync_child(&s);
		EXPECT_EQ(l_super(e.as, VMARENA_LOCK_SUPERLOCKED), 0);
		va_sync_post(&s, false);
		va_sync_wait(&s, false);
		EXPECT_EQ(l_super(e.as, VMARENA_LOCK_UNLOCKED), 0);
		va_child_exit();
	}
	va_sync_parent(&s);
	ASSERT_TRUE(va_sync_wait(&s, true));
	ASSERT_OK(l_lock(e.as, id, VMARENA_LOCK_LOCKED));
	EXPECT_EQ(va_vmlck(), base + 16);		/* the lock is this process's */
	va_sync_post(&s, true);
	EXPECT_EQ(va_wait(pid), 0);
	EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_LOCKED);
	EXPECT_EQ(va_vmlck(), base + 16);
	ASSERT_OK(l_lock(e.as, id, VMARENA_LOCK_UNLOCKED));
	EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_UNLOCKED);
	EXPECT_EQ(va_vmlck(), base);
}

VT_TEST(lock_range_under_superlock_holds_after_it)
{
	struct va_env e;
	uint64_t a;
	uint32_t ia = l_setup(&e, 4, &a), ib;
	long base = va_vmlck();

	ib = va_anon_ok(e.as, 0, 4 * VA_PAGE, RW, VMARENA_WIRING_LAZY);
	ASSERT_OK(l_super(e.as, VMARENA_LOCK_SUPERLOCKED));
	ASSERT_OK(l_range(e.as, e.base, e.len, VMARENA_LOCK_LOCKED));
	EXPECT_EQ(l_level(e.as, ia), VMARENA_LOCK_SUPERLOCKED);
	ASSERT_OK(l_super(e.as, VMARENA_LOCK_UNLOCKED));
	EXPECT_EQ(l_level(e.as, ia), VMARENA_LOCK_LOCKED);
	EXPECT_EQ(l_level(e.as, ib), VMARENA_LOCK_LOCKED);
	EXPECT_EQ(va_vmlck(), base + 32);
	ASSERT_OK(l_range(e.as, a, VA_PAGE, VMARENA_LOCK_UNLOCKED));
	EXPECT_EQ(l_level(e.as, ia), VMARENA_LOCK_UNLOCKED);
	EXPECT_EQ(l_level(e.as, ib), VMARENA_LOCK_LOCKED);
	EXPECT_EQ(va_vmlck(), base + 16);
}

VT_TEST(lock_superlock_stacks_across_processes)
{
	struct va_env e;
	struct va_sync s;
	uint32_t id = l_setup(&e, 4, NULL);
	pid_t pid;
	int status;

	va_sync_init(&s);
	pid = va_fork();
	if (!pid) {
		va_sync_child(&s);
		EXPECT_EQ(l_super(e.as, VMARENA_LOCK_SUPERLOCKED), 0);
		va_sync_post(&s, false);
		va_sync_wait(&s, false);
		EXPECT_EQ(l_super(e.as, VMARENA_LOCK_UNLOCKED), 0);
		/* The parent's super-lock holds. */
		EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_SUPERLOCKED);
		va_sync_post(&s, false);
		va_sync_wait(&s, false);
		va_child_exit();
	}
	va_sync_parent(&s);
	ASSERT_TRUE(va_sync_wait(&s, true));
	ASSERT_OK(l_super(e.as, VMARENA_LOCK_SUPERLOCKED));
	ASSERT_OK(l_super(e.as, VMARENA_LOCK_SUPERLOCKED));	/* still one */
	va_sync_post(&s, true);
	ASSERT_TRUE(va_sync_wait(&s, true));
	/* A process that never held it releases nothing. */
	VA_IN_CHILD(status, EXPECT_EQ(l_super(e.as, VMARENA_LOCK_UNLOCKED), 0));
	EXPECT_EQ(status, 0);
	EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_SUPERLOCKED);
	ASSERT_OK(l_super(e.as, VMARENA_LOCK_UNLOCKED));	/* one release ends it */
	EXPECT_EQ(l_level(e.as, id), VMARENA_LOCK_UNLOCKED);
	va_sync_post(&s, true);
	EXPECT_EQ(va_wait(pid), 0);
}

/*
 * QNX: a locked area that is not lazy (VMARENA_AREA_LAZY) is made resident
 * and readable at lock time, in the windows mapped already: reading it
 * takes no fault.  A lazy one stays as it was.
 */
VT_TEST(lock_makes_a_non_lazy_area_resident_and_readable)
{
	struct vmarena_area_create c;
	struct vmarena_area_info info;
	volatile unsigned char *w;
	uint64_t addr, lazy_addr;
	unsigned long i, sum = 0;
	struct va_env e;
	uint32_t id, lazy;
	uint64_t faults;

	id = l_setup(&e, 8, &addr);
	va_area_req(&c, "lazy", 0, 8 * VA_PAGE, RW);
	c.flags = VMARENA_AREA_LAZY;
	ASSERT_OK(va_area_create(e.as, VMARENA_IOC_AREA_CREATE_ANON, &c));
	lazy = c.out_id;
	lazy_addr = c.out_address;
	w = va_map_ok(e.as, VA_BASE, VA_LEN);
	va_area_info_ok(e.as, id, &info);
	EXPECT_EQ(info.out_resident, 0ULL);

	ASSERT_OK(l_lock(e.as, id, VMARENA_LOCK_LOCKED));
	ASSERT_OK(l_lock(e.as, lazy, VMARENA_LOCK_LOCKED));
	va_area_info_ok(e.as, id, &info);
	EXPECT_EQ(info.out_resident, 8ULL);
	va_area_info_ok(e.as, lazy, &info);
	EXPECT_EQ(info.out_resident, 0ULL);
	EXPECT_EQ(va_present(w + (lazy_addr - VA_BASE)), 0);
	faults = va_window_faults(e.as);
	for (i = 0; i < 8; i++)
		sum += w[addr - VA_BASE + i * VA_PAGE];
	EXPECT_EQ(va_window_faults(e.as) - faults, 0ULL);
	EXPECT_EQ(sum, 0UL);
	/* Writable after the first write; the data stays. */
	w[addr - VA_BASE + VA_PAGE] = 7;
	EXPECT_EQ(w[addr - VA_BASE + VA_PAGE], 7);
	ASSERT_OK(l_lock(e.as, id, VMARENA_LOCK_UNLOCKED));
	ASSERT_OK(l_lock(e.as, lazy, VMARENA_LOCK_UNLOCKED));
	munmap((void *)w, VA_LEN);
}
