// SPDX-License-Identifier: GPL-2.0
/*
 * Paging end to end: with the pool's cap (the max_pages parameter) lowered,
 * an unlocked area several times larger than the cap is written and read
 * back through a window, its pages going out to swap and coming back; a
 * LOCKED area stays resident under the same pressure; a pool full of
 * locked pages makes a touch raise SIGBUS; pages a wired area let go of
 * (deleted with protection 0, or replaced by copy-ups) can be paged out,
 * and the copies stay resident.
 *
 * The work runs in a child process; the parent restores the cap whatever
 * becomes of the child.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/vmarena.h>

#include "vt_arena.h"

#define P_BASE		0x40000000UL
#define P_SIZE		(64UL << 20)
#define P_PAGE		4096UL
#define P_CAP		512UL			/* pages: 2 MiB */
#define P_PAGES		(4 * P_CAP)		/* the unlocked area: 8 MiB */
#define P_LOCKED	64UL			/* the locked area */
#define P_PASSES	3

static int p_stats(int ctl, struct vmarena_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return ioctl(ctl, VMARENA_IOC_STATS, st);
}

static int p_area(int as, unsigned long pages, unsigned int lock_level, unsigned long *addr)
{
	struct vmarena_area_create req = {
		.size = sizeof(req),
		.protection = VMARENA_PROT_READ | VMARENA_PROT_WRITE,
		.length = pages * P_PAGE,
		.lock_level = lock_level,
	};

	if (ioctl(as, VMARENA_IOC_AREA_CREATE_ANON, &req))
		return -1;
	*addr = req.out_address;
	return req.out_id;
}

static unsigned long long p_resident(int as, int id)
{
	struct vmarena_area_info info = { .size = sizeof(info), .id = id };

	if (ioctl(as, VMARENA_IOC_AREA_INFO, &info))
		return ~0ULL;
	return info.out_resident;
}

/* The word at word @i of page @page in pass @pass. */
static uint64_t p_word(unsigned long page, unsigned long i, unsigned int pass)
{
	return (page * 0x9e3779b97f4a7c15ULL) ^ (i * 0x100000001b3ULL) ^ pass;
}

/* FNV-1a over one page. */
static uint32_t p_sum(const volatile unsigned char *p)
{
	uint32_t sum = 2166136261u;
	unsigned long i;

	for (i = 0; i < P_PAGE; i++)
		sum = (sum ^ p[i]) * 16777619u;
	return sum;
}

static void p_fill(volatile unsigned char *w, unsigned long pages, unsigned int pass,
		   uint32_t *sums)
{
	unsigned long page, i;

	for (page = 0; page < pages; page++) {
		volatile uint64_t *q = (volatile uint64_t *)(w + page * P_PAGE);

		for (i = 0; i < P_PAGE / sizeof(*q); i++)
			q[i] = p_word(page, i, pass);
		sums[page] = p_sum(w + page * P_PAGE);
	}
}

/* What a child works on: an aspace, a locked and an unlocked area, a window. */
struct p_arena {
	int ctl, as, lid, uid;
	volatile unsigned char *l, *u;	/* the two areas in the window */
	volatile unsigned char *w;	/* the window: the whole aspace */
};

static void p_arena(struct p_arena *a, unsigned long locked_pages, unsigned long unlocked_pages)
{
	struct vmarena_aspace_create req = {
		.size = sizeof(req), .base = P_BASE, .length = P_SIZE,
	};
	volatile unsigned char *w;
	unsigned long ua, la;
	void *map;

	a->ctl = open("/dev/vmarena", O_RDWR | O_CLOEXEC);
	ASSERT_TRUE(a->ctl >= 0);
	ASSERT_OK(ioctl(a->ctl, VMARENA_IOC_ASPACE_CREATE, &req));
	a->as = req.out_fd;
	a->lid = p_area(a->as, locked_pages, VMARENA_LOCK_LOCKED, &la);
	ASSERT_TRUE(a->lid > 0);
	a->uid = p_area(a->as, unlocked_pages, VMARENA_LOCK_UNLOCKED, &ua);
	ASSERT_TRUE(a->uid > 0);
	map = mmap(NULL, P_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, a->as, P_BASE);
	ASSERT_TRUE(map != MAP_FAILED);
	w = map;
	a->w = w;
	a->u = w + (ua - P_BASE);
	a->l = w + (la - P_BASE);
}

/* The child: everything under the lowered cap.  Exits 0 when all passed. */
static void p_work(void)
{
	static uint32_t sums[P_PAGES], locked_sums[P_LOCKED];
	struct vmarena_stats before, after;
	volatile unsigned char *u, *l;
	unsigned long page;
	unsigned int pass;
	struct p_arena a;
	int bad = 0;

	p_arena(&a, P_LOCKED, P_PAGES);
	u = a.u;
	l = a.l;
	ASSERT_OK(p_stats(a.ctl, &before));

	p_fill(l, P_LOCKED, 0, locked_sums);
	EXPECT_EQ(p_resident(a.as, a.lid), P_LOCKED);
	for (pass = 0; pass < P_PASSES; pass++)
		p_fill(u, P_PAGES, pass + 1, sums);
	for (page = 0; page < P_PAGES; page++)
		if (p_sum(u + page * P_PAGE) != sums[page] && bad++ < 5)
			vt_fail(__FILE__, __LINE__, "page %lu: checksum differs", page);
	EXPECT_EQ(bad, 0);
	/* Four times the cap was written: most of it went out and came back. */
	EXPECT_LT(p_resident(a.as, a.uid), P_PAGES);
	EXPECT_EQ(p_resident(a.as, a.lid), P_LOCKED);
	for (page = 0; page < P_LOCKED; page++)
		EXPECT_EQ(p_sum(l + page * P_PAGE), locked_sums[page]);

	ASSERT_OK(p_stats(a.ctl, &after));
	EXPECT_GT(after.out_pageouts - before.out_pageouts, 0);
	EXPECT_GT(after.out_pageins - before.out_pageins, 0);
	EXPECT_LE(after.out_pages_total, P_CAP);
	EXPECT_EQ(after.out_pages_max, P_CAP);
	printf("# pageouts %llu pageins %llu\n",
	       (unsigned long long)(after.out_pageouts - before.out_pageouts),
	       (unsigned long long)(after.out_pageins - before.out_pageins));
	exit(vt_failures ? 1 : 0);
}

VT_TEST(paging_under_a_lowered_cap)
{
	int status;

	/* Never 0 at run time. */
	EXPECT_ERRNO(va_max_pages_write(0), EINVAL);
	status = va_under_cap(P_CAP, p_work);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static sigjmp_buf p_jmp;

static void p_on_sigbus(int sig)
{
	siglongjmp(p_jmp, sig);
}

/*
 * Touch @pages pages of @w from @from on, writing each page's number in its
 * first word.  Returns the page a SIGBUS stopped at, or @pages.
 */
static unsigned long p_touch_until_sigbus(volatile unsigned char *w, unsigned long from,
					  unsigned long pages)
{
	static volatile unsigned long page;

	page = from;
	if (sigsetjmp(p_jmp, 1))
		return page;
	for (; page < pages; page++)
		*(volatile uint64_t *)(w + page * P_PAGE) = page;
	return pages;
}

/*
 * The child of pool_full_of_locked_pages_raises_sigbus: a LOCKED area as
 * large as the cap is touched until the pool is full, then an unlocked
 * area: with nothing the page daemon may page out, the touch raises
 * SIGBUS instead of retrying for ever (the fuzzer's spinning children).
 * Once the locked area is unlocked, the same touch succeeds.
 */
static void p_full_work(void)
{
	struct sigaction sa = { .sa_handler = p_on_sigbus };
	struct vmarena_area_op lk = { .size = sizeof(lk) };
	volatile unsigned char *u, *l;
	unsigned long locked, page;
	struct p_arena a;

	ASSERT_OK(sigaction(SIGBUS, &sa, NULL));
	p_arena(&a, P_CAP, 16);
	u = a.u;
	l = a.l;

	/* The locked area fills the pool: it may meet the cap itself. */
	locked = p_touch_until_sigbus(l, 0, P_CAP);
	EXPECT_GT(locked, P_CAP / 2);
	EXPECT_EQ(p_resident(a.as, a.lid), locked);
	if (locked == P_CAP)
		EXPECT_EQ(p_touch_until_sigbus(u, 0, 16), 0);
	else
		EXPECT_EQ(p_touch_until_sigbus(l, locked, locked + 1), locked);
	/* Nothing was lost, and nothing was paged out. */
	EXPECT_EQ(p_resident(a.as, a.lid), locked);
	for (page = 0; page < locked; page++)
		EXPECT_EQ(*(volatile uint64_t *)(l + page * P_PAGE), page);

	/* Unlocked, the area's pages can go: the touch succeeds now. */
	lk.id = a.lid;
	lk.value = VMARENA_LOCK_UNLOCKED;
	ASSERT_OK(ioctl(a.as, VMARENA_IOC_AREA_LOCK, &lk));
	EXPECT_EQ(p_touch_until_sigbus(u, 0, 16), 16);
	for (page = 0; page < 16; page++)
		EXPECT_EQ(*(volatile uint64_t *)(u + page * P_PAGE), page);
	for (page = 0; page < locked; page++)
		EXPECT_EQ(*(volatile uint64_t *)(l + page * P_PAGE), page);
	exit(vt_failures ? 1 : 0);
}

VT_TEST(pool_full_of_locked_pages_raises_sigbus)
{
	int status = va_under_cap(P_CAP, p_full_work);

	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

#define P_WIRED		64UL			/* the wired clone's pages */

/* A private clone of @source with @wiring and @prot; its address in *@addr. */
static int p_clone(int as, int source, unsigned int wiring, unsigned int prot,
		   unsigned long *addr)
{
	struct vmarena_area_create req = {
		.size = sizeof(req),
		.protection = prot,
		.wiring = wiring,
		.mapping = VMARENA_MAP_PRIVATE,
		.source_id = source,
	};

	if (ioctl(as, VMARENA_IOC_AREA_CLONE, &req))
		return -1;
	*addr = req.out_address;
	return req.out_id;
}

static int p_op(int as, unsigned long cmd, int id, unsigned long long value)
{
	struct vmarena_area_op op = { .size = sizeof(op), .id = id, .value = value };

	return ioctl(as, cmd, &op);
}

/* Page the unlocked area through twice: everything pageable may go out. */
static void p_pressure(struct p_arena *a)
{
	static uint32_t sums[P_PAGES];
	unsigned int pass;

	for (pass = 0; pass < 2; pass++)
		p_fill(a->u, P_PAGES, pass + 7, sums);
}

/*
 * A source area read by a wired private clone: its pages are wired by the
 * clone and stay under pressure; the clone loses its mappings (protection
 * 0) and is deleted: the pages are unwired, and the page daemon pages them
 * out.  (They used to keep their wiring, because unwiring looked for them
 * in the fragments that protection 0 had emptied.)  The wired count is
 * checked at once; the page-out within a bounded number of rounds, since
 * the daemon's choice of pages depends on timing (two rounds sufficed in a
 * quiet guest, up to five when the host was busy).
 */
static void p_unwired_work(void)
{
	static uint32_t sums[P_WIRED];
	struct vmarena_stats before, after;
	unsigned long sa, ca, page;
	unsigned int pass;
	struct p_arena a;
	int src, clone;

	p_arena(&a, 1, P_PAGES);
	src = p_area(a.as, P_WIRED, VMARENA_LOCK_UNLOCKED, &sa);
	ASSERT_TRUE(src > 0);
	p_fill(a.w + (sa - P_BASE), P_WIRED, 1, sums);
	clone = p_clone(a.as, src, VMARENA_WIRING_WIRED, VMARENA_PROT_READ, &ca);
	ASSERT_TRUE(clone > 0);
	p_pressure(&a);
	EXPECT_EQ(p_resident(a.as, src), P_WIRED);

	ASSERT_OK(va_stats(a.ctl, &before));
	ASSERT_OK(p_op(a.as, VMARENA_IOC_AREA_PROTECT, clone, 0));
	ASSERT_OK(p_op(a.as, VMARENA_IOC_AREA_DELETE, clone, 0));
	ASSERT_OK(va_stats(a.ctl, &after));
	/* The clone's wiring went with it (the source's pages were all it wired). */
	EXPECT_EQ(before.out_pages[VMARENA_PAGE_STATE_WIRED] -
		  after.out_pages[VMARENA_PAGE_STATE_WIRED], P_WIRED);
	/*
	 * Which pages go out first is the page daemon's choice: page through
	 * until one of the source's does, a bounded number of times (a wired
	 * page never goes, however long).
	 */
	for (pass = 0; pass < 16 && p_resident(a.as, src) == P_WIRED; pass++)
		p_pressure(&a);
	printf("# source pages resident %llu after %u rounds\n", p_resident(a.as, src), pass);
	EXPECT_LT(p_resident(a.as, src), P_WIRED);
	for (page = 0; page < P_WIRED; page++)
		EXPECT_EQ(p_sum(a.w + (sa - P_BASE) + page * P_PAGE), sums[page]);
	exit(vt_failures ? 1 : 0);
}

VT_TEST(unwired_pages_can_be_paged_out)
{
	int status = va_under_cap(P_CAP, p_unwired_work);

	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/*
 * A wired private clone that read its source is made writable and written
 * all over: the copies take over the wiring and stay resident under
 * pressure; the source's pages, wired no more, are paged out.
 */
static void p_copy_up_work(void)
{
	static uint32_t src_sums[P_WIRED], sums[P_WIRED];
	struct vmarena_area_info info = { .size = sizeof(info) };
	unsigned long sa, ca, page;
	struct p_arena a;
	int src, clone;

	p_arena(&a, 1, P_PAGES);
	src = p_area(a.as, P_WIRED, VMARENA_LOCK_UNLOCKED, &sa);
	ASSERT_TRUE(src > 0);
	p_fill(a.w + (sa - P_BASE), P_WIRED, 1, src_sums);
	clone = p_clone(a.as, src, VMARENA_WIRING_WIRED, VMARENA_PROT_READ, &ca);
	ASSERT_TRUE(clone > 0);
	ASSERT_OK(p_op(a.as, VMARENA_IOC_AREA_PROTECT, clone,
		       VMARENA_PROT_READ | VMARENA_PROT_WRITE));
	p_fill(a.w + (ca - P_BASE), P_WIRED, 2, sums);
	p_pressure(&a);

	EXPECT_EQ(p_resident(a.as, clone), P_WIRED);
	info.id = clone;
	ASSERT_OK(ioctl(a.as, VMARENA_IOC_AREA_INFO, &info));
	EXPECT_EQ(info.out_copies, P_WIRED);
	EXPECT_LT(p_resident(a.as, src), P_WIRED);
	for (page = 0; page < P_WIRED; page++) {
		EXPECT_EQ(p_sum(a.w + (ca - P_BASE) + page * P_PAGE), sums[page]);
		EXPECT_EQ(p_sum(a.w + (sa - P_BASE) + page * P_PAGE), src_sums[page]);
	}
	exit(vt_failures ? 1 : 0);
}

VT_TEST(copy_up_pages_of_a_wired_area_stay_resident)
{
	int status = va_under_cap(P_CAP, p_copy_up_work);

	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
