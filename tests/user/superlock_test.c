// SPDX-License-Identifier: GPL-2.0
/*
 * Promises that must hold while the aspace changes: a super-locked aspace
 * takes no fault on any page that stays mapped, in any process, while
 * other processes create, clone, resize, protect, lock and delete areas in
 * it; a wired area is mapped in every window as soon as it exists.
 *
 * Faults are the ones the windows raised (ASPACE_INFO out_window_faults:
 * fault, page_mkwrite and pfn_mkwrite of every window, in any process).
 * A thread's own minor faults also count pages of its stack or text that
 * Linux migrated or collapsed meanwhile, which measured the harness.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vt_arena.h"

#define SL_PAGES	32	/* of each area the touchers use */

/* Pages of [@p, @p + @pages pages) not present. */
static unsigned long sl_absent(const volatile unsigned char *p, unsigned long pages)
{
	unsigned long i, n = 0;

	for (i = 0; i < pages; i++)
		n += va_present(p + i * VA_PAGE) != 1;
	return n;
}

static unsigned int sl_touch(volatile unsigned char *p, unsigned long pages, bool write)
{
	unsigned int sum = 0;
	unsigned long i;

	for (i = 0; i < pages; i++) {
		sum += p[i * VA_PAGE];
		if (write)
			p[i * VA_PAGE] = (unsigned char)sum;
	}
	return sum;
}

/* An anonymous area anywhere: its id (asserted). */
static uint32_t sl_anon(int as, unsigned long pages, uint32_t prot, uint32_t wiring)
{
	struct vmarena_area_create c;

	va_area_req(&c, "sl", 0, VA_PAGES(pages), prot);
	c.wiring = wiring;
	ASSERT_OK(va_area_create(as, VMARENA_IOC_AREA_CREATE_ANON, &c));
	return c.out_id;
}

/* A clone of @source anywhere: its id (asserted). */
static uint32_t sl_clone(int as, uint32_t source, uint32_t mapping)
{
	struct vmarena_area_create c;

	va_area_req(&c, "sl-clone", 0, 0, VA_RW);
	c.source_id = source;
	c.mapping = mapping;
	ASSERT_OK(va_area_create(as, VMARENA_IOC_AREA_CLONE, &c));
	return c.out_id;
}

static int sl_superlock(int as, unsigned int level)
{
	return va_area_op(as, VMARENA_IOC_ASPACE_SUPERLOCK, 0, level);
}

/* A thread that touches an area until told to stop. */
struct sl_toucher {
	pthread_t thread;
	volatile unsigned char *p;
	bool write;
	volatile int *stop;
	unsigned long rounds;
};

static void *sl_toucher_run(void *arg)
{
	struct sl_toucher *t = arg;

	while (!__atomic_load_n(t->stop, __ATOMIC_RELAXED)) {
		sl_touch(t->p, SL_PAGES, t->write);
		t->rounds++;
	}
	return NULL;
}

static void sl_toucher_start(struct sl_toucher *t, volatile unsigned char *p, bool write,
			     volatile int *stop)
{
	memset(t, 0, sizeof(*t));
	t->p = p;
	t->write = write;
	t->stop = stop;
	ASSERT_EQ(pthread_create(&t->thread, NULL, sl_toucher_run, t), 0);
}

/* One round of everything another process may do to other areas. */
static void sl_change_round(int as, uint32_t stable)
{
	uint32_t a, shared, private, wired;

	a = sl_anon(as, 8, VA_RW, VMARENA_WIRING_LAZY);
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_RESIZE, a, VA_PAGES(16)));
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_RESIZE, a, VA_PAGES(4)));
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_PROTECT, a, VMARENA_PROT_READ));
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_PROTECT, a, VA_RW));
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_LOCK, a, VMARENA_LOCK_LOCKED));
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_LOCK, a, VMARENA_LOCK_UNLOCKED));
	shared = sl_clone(as, a, VMARENA_MAP_SHARED);
	private = sl_clone(as, stable, VMARENA_MAP_PRIVATE);
	wired = sl_anon(as, 4, VA_RW, VMARENA_WIRING_WIRED);
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_DELETE, private, 0));
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_DELETE, shared, 0));
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_DELETE, wired, 0));
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_DELETE, a, 0));
}

/*
 * Threads in two processes touch a super-locked aspace (one writes an
 * area, one reads another, in each) while a third process creates,
 * clones, resizes, protects, locks and deletes other areas in it.  Before
 * the window operations, every creation unmapped the whole aspace in
 * every process and every protection change zapped its range.
 */
/* A window of @pages pages at aspace address @addr (asserted). */
static volatile unsigned char *sl_window(int as, uint64_t addr, unsigned long pages, int prot)
{
	void *p = va_map(as, addr, VA_PAGES(pages), prot, MAP_SHARED);

	ASSERT_TRUE(p != MAP_FAILED);
	return p;
}

/*
 * Threads in two processes touch a super-locked aspace (in each, one
 * writes an area and one reads or writes another, each through windows
 * mapped before the lock) while a third process creates, clones, resizes,
 * protects, locks and deletes other areas in it.  Before the window
 * operations, every creation unmapped the whole aspace in every process.
 */
VT_TEST(superlocked_aspace_takes_no_fault_while_others_change_it)
{
	int ctl = va_ctl_ok(), as, ready[2], done[2], go[2], status, stop = 0;
	uint64_t rw_addr, ro_addr, clone_addr;
	volatile unsigned char *wrw, *wclone;
	uint32_t rw, ro, src, clone;
	struct vmarena_area_info info;
	struct sl_toucher t[2];
	pid_t other, changer;
	uint64_t faults;
	char c;
	int i;

	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	rw = sl_anon(as, SL_PAGES, VA_RW, VMARENA_WIRING_LAZY);
	ro = sl_anon(as, SL_PAGES, VMARENA_PROT_READ, VMARENA_WIRING_LAZY);
	src = sl_anon(as, SL_PAGES, VA_RW, VMARENA_WIRING_LAZY);
	clone = sl_clone(as, src, VMARENA_MAP_PRIVATE);
	va_area_info_ok(as, rw, &info);
	rw_addr = info.out_base;
	va_area_info_ok(as, ro, &info);
	ro_addr = info.out_base;
	va_area_info_ok(as, clone, &info);
	clone_addr = info.out_base;
	wrw = sl_window(as, rw_addr, SL_PAGES, PROT_READ | PROT_WRITE);	/* before the lock */
	wclone = sl_window(as, clone_addr, SL_PAGES, PROT_READ | PROT_WRITE);
	ASSERT_OK(pipe(ready));
	ASSERT_OK(pipe(done));
	ASSERT_OK(pipe(go));

	fflush(NULL);
	other = fork();
	ASSERT_TRUE(other >= 0);
	if (!other) {
		/* A second process, with windows of its own mapped before the lock. */
		void *w2rw = va_map(as, rw_addr, VA_PAGES(SL_PAGES), PROT_READ | PROT_WRITE,
				    MAP_SHARED);
		void *w2ro = va_map(as, ro_addr, VA_PAGES(SL_PAGES), PROT_READ, MAP_SHARED);
		int stop2 = 0;

		if (w2rw == MAP_FAILED || w2ro == MAP_FAILED || write(ready[1], "r", 1) != 1 ||
		    read(done[0], &c, 1) != 1)
			_exit(10);
		sl_toucher_start(&t[0], w2rw, true, &stop2);
		sl_toucher_start(&t[1], w2ro, false, &stop2);
		/* The parent closes its end when the changer is done. */
		close(done[1]);
		if (read(done[0], &c, 1) != 0)
			_exit(11);
		__atomic_store_n(&stop2, 1, __ATOMIC_RELAXED);
		pthread_join(t[0].thread, NULL);
		pthread_join(t[1].thread, NULL);
		if (!t[0].rounds || !t[1].rounds)
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(read(ready[0], &c, 1), 1);
	changer = fork();
	ASSERT_TRUE(changer >= 0);
	if (!changer) {
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		for (i = 0; i < 30; i++)
			sl_change_round(as, src);
		_exit(vt_failures ? 1 : 0);
	}
	ASSERT_OK(sl_superlock(as, VMARENA_LOCK_SUPERLOCKED));
	faults = va_window_faults(as);	/* from here on, in both processes */
	ASSERT_EQ(write(done[1], "g", 1), 1);
	sl_toucher_start(&t[0], wrw, true, &stop);
	sl_toucher_start(&t[1], wclone, true, &stop);
	ASSERT_EQ(write(go[1], "g", 1), 1);
	ASSERT_EQ(waitpid(changer, &status, 0), changer);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(done[1]);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	pthread_join(t[0].thread, NULL);
	pthread_join(t[1].thread, NULL);
	ASSERT_EQ(waitpid(other, &status, 0), other);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
	EXPECT_TRUE(t[0].rounds > 0 && t[1].rounds > 0);
	EXPECT_EQ(va_window_faults(as) - faults, 0ULL);
	ASSERT_OK(sl_superlock(as, VMARENA_LOCK_UNLOCKED));
	close(as);
	close(ctl);
}

/*
 * A protection change of a super-locked area keeps its pages mapped:
 * taking write away leaves reads fault-free, giving it back makes writes
 * fault-free again, and a write while it is read-only still fails.
 */
VT_TEST(superlocked_protect_keeps_the_pages_mapped)
{
	int ctl = va_ctl_ok(), as, stop = 0, i;
	struct vmarena_area_info info;
	volatile unsigned char *w, *p;
	struct sl_toucher reader;
	uint32_t id;
	uint64_t faults;

	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	id = sl_anon(as, SL_PAGES, VA_RW, VMARENA_WIRING_LAZY);
	va_area_info_ok(as, id, &info);
	w = va_map_ok(as, VA_BASE, VA_LEN);
	p = w + (info.out_base - VA_BASE);
	ASSERT_OK(sl_superlock(as, VMARENA_LOCK_SUPERLOCKED));
	faults = va_window_faults(as);
	sl_toucher_start(&reader, p, false, &stop);
	for (i = 0; i < 20; i++) {
		ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_PROTECT, id, VMARENA_PROT_READ));
		ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_PROTECT, id, VA_RW));
	}
	sl_touch(p, SL_PAGES, true);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	pthread_join(reader.thread, NULL);
	EXPECT_TRUE(reader.rounds > 0);
	EXPECT_EQ(va_window_faults(as) - faults, 0ULL);
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_PROTECT, id, VMARENA_PROT_READ));
	EXPECT_SIGNAL(SIGSEGV, p[VA_PAGE] = 1);
	ASSERT_OK(sl_superlock(as, VMARENA_LOCK_UNLOCKED));
	close(as);
	close(ctl);
}

/*
 * An area created without access in a super-locked aspace maps nothing;
 * when its protection comes back it is made resident, wired and mapped
 * before the PROTECT returns: touching it then takes no fault.  (It was
 * left lazy and unmarked, so each touch faulted.)
 */
VT_TEST(superlocked_area_created_without_access_maps_when_protection_returns)
{
	int ctl = va_ctl_ok(), as;
	struct vmarena_area_info info;
	volatile unsigned char *w, *p;
	uint32_t id;
	uint64_t faults;

	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	w = va_map_ok(as, VA_BASE, VA_LEN);
	ASSERT_OK(sl_superlock(as, VMARENA_LOCK_SUPERLOCKED));
	id = sl_anon(as, SL_PAGES, 0, VMARENA_WIRING_LAZY);
	va_area_info_ok(as, id, &info);
	p = w + (info.out_base - VA_BASE);
	EXPECT_EQ(info.out_resident, 0ULL);
	EXPECT_SIGNAL(SIGSEGV, p[0] = 1);
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_PROTECT, id, VA_RW));
	EXPECT_EQ(sl_absent(p, SL_PAGES), 0UL);
	faults = va_window_faults(as);
	sl_touch(p, SL_PAGES, true);
	EXPECT_EQ(va_window_faults(as) - faults, 0ULL);
	ASSERT_OK(sl_superlock(as, VMARENA_LOCK_UNLOCKED));
	munmap((void *)w, VA_LEN);
	close(as);
	close(ctl);
}

/* The growth of a super-locked area is mapped before the resize returns. */
VT_TEST(superlocked_resize_maps_the_growth)
{
	int ctl = va_ctl_ok(), as;
	struct vmarena_area_info info;
	volatile unsigned char *w, *p;
	uint32_t id;
	uint64_t faults;

	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	id = va_anon_ok(as, VA_BASE, VA_PAGES(4), VA_RW, VMARENA_WIRING_LAZY);
	va_area_info_ok(as, id, &info);
	w = va_map_ok(as, VA_BASE, VA_LEN);
	p = w + (info.out_base - VA_BASE);
	ASSERT_OK(sl_superlock(as, VMARENA_LOCK_SUPERLOCKED));
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_RESIZE, id, VA_PAGES(SL_PAGES)));
	EXPECT_EQ(sl_absent(p, SL_PAGES), 0UL);
	faults = va_window_faults(as);
	sl_touch(p, SL_PAGES, true);
	EXPECT_EQ(va_window_faults(as) - faults, 0ULL);
	/* A shrink takes the end away, and only the end. */
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_RESIZE, id, VA_PAGES(2)));
	EXPECT_EQ(sl_absent(p, 2), 0UL);
	EXPECT_SIGNAL(SIGSEGV, p[2 * VA_PAGE] = 1);
	ASSERT_OK(sl_superlock(as, VMARENA_LOCK_UNLOCKED));
	close(as);
	close(ctl);
}

/*
 * A wired area created after its window was mapped is present in it, and
 * in another process's window, before the create returns: touching it
 * takes no fault.  (Windows were populated only at mmap() and at the
 * super-lock: 0 of 256 pages were present, and writing them took 256
 * faults.)
 */
VT_TEST(wired_area_created_after_the_window_takes_no_fault)
{
	static const uint32_t wirings[] = { VMARENA_WIRING_WIRED, VMARENA_WIRING_CONTIGUOUS };
	int ctl = va_ctl_ok(), as;
	struct vmarena_area_info info;
	volatile unsigned char *w, *p;
	unsigned int i;
	uint32_t id;
	uint64_t faults;

	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	w = va_map_ok(as, VA_BASE, VA_LEN);
	for (i = 0; i < sizeof(wirings) / sizeof(wirings[0]); i++) {
		id = sl_anon(as, 256, VA_RW, wirings[i]);
		va_area_info_ok(as, id, &info);
		p = w + (info.out_base - VA_BASE);
		EXPECT_EQ(sl_absent(p, 256), 0UL);
		faults = va_window_faults(as);
		sl_touch(p, 256, true);
		EXPECT_EQ(va_window_faults(as) - faults, 0ULL);
		ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_DELETE, id, 0));
	}
	close(as);
	close(ctl);
}

/*
 * An area created in a super-locked aspace is mapped in every process's
 * windows, and creating it unmaps nothing else: a page touched before
 * stays present.
 */
VT_TEST(superlocked_new_area_is_mapped_in_every_window)
{
	int ctl = va_ctl_ok(), as, ready[2], go[2], status;
	struct vmarena_area_info info;
	volatile unsigned char *w;
	uint64_t first, late;
	uint32_t id;
	pid_t pid;
	char c;

	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	id = sl_anon(as, 4, VA_RW, VMARENA_WIRING_LAZY);
	va_area_info_ok(as, id, &info);
	first = info.out_base;
	ASSERT_OK(sl_superlock(as, VMARENA_LOCK_SUPERLOCKED));
	ASSERT_OK(pipe(ready));
	ASSERT_OK(pipe(go));
	fflush(NULL);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		volatile unsigned char *w2 = va_map(as, VA_BASE, VA_LEN, PROT_READ | PROT_WRITE,
						    MAP_SHARED);
		uint64_t addr;

		if (w2 == MAP_FAILED || write(ready[1], "r", 1) != 1 ||
		    read(go[0], &addr, sizeof(addr)) != sizeof(addr))
			_exit(10);
		if (sl_absent(w2 + (addr - VA_BASE), 8) || sl_absent(w2 + (first - VA_BASE), 4))
			_exit(11);
		_exit(0);
	}
	w = va_map_ok(as, VA_BASE, VA_LEN);
	ASSERT_EQ(sl_absent(w + (first - VA_BASE), 4), 0UL);
	ASSERT_EQ(read(ready[0], &c, 1), 1);
	id = sl_anon(as, 8, VA_RW, VMARENA_WIRING_LAZY);
	va_area_info_ok(as, id, &info);
	late = info.out_base;
	EXPECT_EQ(sl_absent(w + (late - VA_BASE), 8), 0UL);
	EXPECT_EQ(sl_absent(w + (first - VA_BASE), 4), 0UL);
	ASSERT_EQ(write(go[1], &late, sizeof(late)), (ssize_t)sizeof(late));
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
	ASSERT_OK(sl_superlock(as, VMARENA_LOCK_UNLOCKED));
	close(as);
	close(ctl);
}

/* A lazy anonymous area anywhere with VMARENA_AREA_LAZY: its id (asserted). */
static uint32_t sl_lazy(int as, unsigned long pages)
{
	struct vmarena_area_create c;

	va_area_req(&c, "sl-lazy", 0, VA_PAGES(pages), VA_RW);
	c.flags = VMARENA_AREA_LAZY;
	ASSERT_OK(va_area_create(as, VMARENA_IOC_AREA_CREATE_ANON, &c));
	return c.out_id;
}

static uint64_t sl_resident(int as, uint32_t id)
{
	struct vmarena_area_info info;

	va_area_info_ok(as, id, &info);
	return info.out_resident;
}

/*
 * VMARENA_AREA_LAZY (QNX MAP_LAZY): only the pages touched are allocated
 * and mapped, at every lock level.  Without it a first touch fills 16
 * pages ahead (fault_ahead), and a lock or a super-lock makes every page
 * resident.
 */
VT_TEST(lazy_area_holds_only_the_pages_touched)
{
	int ctl = va_ctl_ok(), as;
	struct vmarena_area_info info;
	volatile unsigned char *w, *p;
	uint64_t faults;
	uint32_t id;

	as = va_aspace_ok(ctl, VA_BASE, VA_LEN, NULL);
	id = sl_lazy(as, SL_PAGES);
	va_area_info_ok(as, id, &info);
	EXPECT_EQ(info.out_flags & VMARENA_AREA_LAZY, (uint32_t)VMARENA_AREA_LAZY);
	w = va_map_ok(as, VA_BASE, VA_LEN);
	p = w + (info.out_base - VA_BASE);
	EXPECT_EQ(sl_resident(as, id), 0ULL);
	p[0] = 1;
	EXPECT_EQ(sl_resident(as, id), 1ULL);
	EXPECT_EQ(p[5 * VA_PAGE], 0);
	EXPECT_EQ(sl_resident(as, id), 2ULL);
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_LOCK, id, VMARENA_LOCK_LOCKED));
	EXPECT_EQ(sl_resident(as, id), 2ULL);
	ASSERT_OK(va_area_op(as, VMARENA_IOC_AREA_LOCK, id, VMARENA_LOCK_UNLOCKED));

	/* Super-locked: what was touched takes no fault, the rest is not made. */
	ASSERT_OK(sl_superlock(as, VMARENA_LOCK_SUPERLOCKED));
	EXPECT_EQ(sl_resident(as, id), 2ULL);
	EXPECT_EQ(va_present(p), 1);
	EXPECT_EQ(va_present(p + 9 * VA_PAGE), 0);
	faults = va_window_faults(as);
	p[0] = 2;
	p[5 * VA_PAGE] = 3;
	EXPECT_EQ(va_window_faults(as) - faults, 0ULL);
	/* A first touch faults once, and wires its page: it stays. */
	p[9 * VA_PAGE] = 4;
	EXPECT_EQ(sl_resident(as, id), 3ULL);
	faults = va_window_faults(as);
	p[9 * VA_PAGE] = 5;
	EXPECT_EQ(va_window_faults(as) - faults, 0ULL);
	ASSERT_OK(sl_superlock(as, VMARENA_LOCK_UNLOCKED));
	EXPECT_EQ(p[9 * VA_PAGE], 5);
	munmap((void *)w, VA_LEN);
	close(as);
	close(ctl);
}
