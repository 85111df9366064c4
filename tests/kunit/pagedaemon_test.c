// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the page daemon (module/vmarena/pagedaemon.c).  Its watermarks;
 * lowering the cap below what is resident makes it page out the pages of
 * unlocked anonymous areas, which come back with their contents on the next
 * fault (with the cap still low: the fault waits for the daemon); it leaves
 * wired, busy and locked areas' pages alone, and writes file pages back.
 *
 * Each case restores the cap in the suite's exit, and deletes its areas
 * (which frees their swap slots) when it ends.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/shmem_fs.h>
#include <kunit/test.h>

#include "fixture.h"

#define RW	(VMARENA_PROT_READ | VMARENA_PROT_WRITE)
#define VT_PD_WAIT_MS	20000

struct vt_pd_fixture {
	unsigned long old_max;
	bool restore;
	bool paused;		/* the case paused the daemon */
};

static int vt_pd_init(struct kunit *test)
{
	struct vt_pd_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	test->priv = f;
	return 0;
}

static void vt_pd_exit(struct kunit *test)
{
	struct vt_pd_fixture *f = test->priv;

	if (f->restore)
		vmarena_page_set_max_pages(f->old_max);
	if (f->paused)
		vmarena_pagedaemon_pause(false);
}

/* Pages owned by caches (or in flight): everything but the pooled ones. */
static unsigned long vt_owned(void)
{
	struct vmarena_page_stats s;

	vmarena_page_get_stats(&s);
	return s.total - s.count[VMARENA_PAGE_FREE] - s.count[VMARENA_PAGE_CLEAR];
}

static u64 vt_stat(enum vmarena_stat stat)
{
	u64 v[VMARENA_STAT_NR];

	vmarena_stats_read(v);
	return v[stat];
}

/* Set the cap to @cap for this case. */
static void vt_set_cap(struct kunit *test, unsigned long cap)
{
	struct vt_pd_fixture *f = test->priv;
	unsigned long old = vmarena_page_set_max_pages(cap);

	if (!f->restore) {
		f->old_max = old;
		f->restore = true;
	}
}

/*
 * Lower the cap so that the daemon, to meet its high watermark, must bring
 * the owned pages down to @keep; run it and wait.
 */
static void vt_squeeze(struct kunit *test, unsigned long keep)
{
	unsigned long cap = keep, low, high;

	for (;;) {
		vmarena_pagedaemon_watermarks(cap, &low, &high);
		if (cap - max(high, 1UL) >= keep && cap > keep)
			break;
		cap++;
	}
	vt_set_cap(test, cap);
	KUNIT_ASSERT_EQ(test, vmarena_pagedaemon_run_sync(VT_PD_WAIT_MS), 0);
}

static void vt_need_swap(struct kunit *test)
{
	u64 used, total;

	vmarena_swap_stats(&used, &total);
	if (!total)
		kunit_skip(test, "the module was loaded without swap (swap_pages=0)");
}

/*
 * Fill the page at @addr through a write fault with this suite's pattern
 * (its first byte is @seed * 13, which the cases check); its sum.
 */
static u32 vt_pd_fill(struct kunit *test, struct vmarena_aspace *as, unsigned long addr, u8 seed)
{
	struct vmarena_fault_result res;
	unsigned int i;
	u32 sum;
	u8 *p;

	KUNIT_ASSERT_EQ(test, vmarena_fault(as, addr, VMARENA_FAULT_WRITE, &res), 0);
	p = kmap_local_page(res.page);
	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = seed * 13 + i * 7 + (i >> 8);
	kunmap_local(p);
	sum = vt_page_sum(res.page);
	put_page(res.page);
	return sum;
}

static struct vmarena_area *vt_anon_locked(struct kunit *test, struct vmarena_aspace *as,
					   const char *name, unsigned long pages,
					   unsigned int lock_level, unsigned int wiring)
{
	struct vmarena_area_spec spec = vt_spec(name, pages, RW);
	struct vmarena_area *area = NULL;

	spec.lock_level = lock_level;
	spec.wiring = wiring;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &area), 0);
	return vt_keep(test, area);
}

/* ---- watermarks -------------------------------------------------------- */

static void vt_pd_watermarks(struct kunit *test)
{
	static const struct {
		unsigned long max, low, high;
	} cases[] = {
		{ 0, 0, 0 },
		{ 8, 2, 4 },
		{ 32, 8, 16 },
		{ 64, 16, 32 },
		{ 1024, 16, 32 },
		{ 2048, 32, 64 },
		{ 65536, 1024, 2048 },
	};
	unsigned long low, high;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		vmarena_pagedaemon_watermarks(cases[i].max, &low, &high);
		KUNIT_EXPECT_EQ_MSG(test, low, cases[i].low, "max %lu", cases[i].max);
		KUNIT_EXPECT_EQ_MSG(test, high, cases[i].high, "max %lu", cases[i].max);
		KUNIT_EXPECT_LE(test, low, high);
	}
}

/* ---- paging out -------------------------------------------------------- */

#define VT_PD_PAGES	128

static void vt_pd_pages_out_and_back(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "pd");
	struct vmarena_page_stats s;
	struct vmarena_area *a;
	unsigned long base, resident, i;
	u64 outs, ins;
	u32 *sums;

	vt_need_swap(test);
	sums = kunit_kcalloc(test, VT_PD_PAGES, sizeof(*sums), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sums);
	a = vt_anon(test, as, "pd", VT_PD_PAGES, RW);
	for (i = 0; i < VT_PD_PAGES; i++)
		sums[i] = vt_pd_fill(test, as, a->base + VT_PAGES(i), i);
	KUNIT_ASSERT_EQ(test, vt_resident(a->cache), (unsigned long)VT_PD_PAGES);
	base = vt_owned() - VT_PD_PAGES;
	outs = vt_stat(VMARENA_STAT_PAGEOUTS);
	ins = vt_stat(VMARENA_STAT_PAGEINS);

	vt_squeeze(test, base + VT_PD_PAGES / 4);

	resident = vt_resident(a->cache);
	KUNIT_EXPECT_LE(test, vt_owned(), base + VT_PD_PAGES / 4);
	KUNIT_EXPECT_LT(test, resident, (unsigned long)VT_PD_PAGES);
	KUNIT_EXPECT_GE(test, vt_stat(VMARENA_STAT_PAGEOUTS) - outs,
			(u64)(VT_PD_PAGES - resident));
	/* Every page that stayed is still owned; none is busy. */
	vmarena_page_get_stats(&s);
	KUNIT_EXPECT_EQ(test, s.count[VMARENA_PAGE_BUSY], 0UL);
	KUNIT_EXPECT_GE(test, s.count[VMARENA_PAGE_ACTIVE] + s.count[VMARENA_PAGE_INACTIVE] +
			s.count[VMARENA_PAGE_MODIFIED], resident);

	/* Back, with the cap still low: faults wait for the daemon. */
	for (i = 0; i < VT_PD_PAGES; i++)
		KUNIT_EXPECT_EQ_MSG(test, vt_sum(test, as, a->base + VT_PAGES(i)), sums[i],
				    "page %lu", i);
	KUNIT_EXPECT_GE(test, vt_stat(VMARENA_STAT_PAGEINS) - ins,
			(u64)(VT_PD_PAGES - resident));
	KUNIT_EXPECT_GT(test, vt_stat(VMARENA_STAT_PAGEDAEMON_WAKEUPS), 0ULL);
}

/* The page at @offset of @cache (NULL if none), its state and its usage. */
static struct vmarena_page *vt_pd_page(struct vmarena_cache *cache, pgoff_t offset,
				       enum vmarena_page_state *state, unsigned int *usage)
{
	struct vmarena_page *page;

	mutex_lock(&cache->lock);
	page = vmarena_cache_lookup_page(cache, offset);
	if (page) {
		*state = page->state;
		*usage = page->usage_count;
	}
	mutex_unlock(&cache->lock);
	return page;
}

/* Test and clear the accessed bits of the page at @offset of @cache. */
static bool vt_pd_young(struct vmarena_cache *cache, pgoff_t offset)
{
	struct vmarena_page *page;
	bool young = false;

	mutex_lock(&cache->lock);
	page = vmarena_cache_lookup_page(cache, offset);
	if (page)
		young = vmarena_cache_test_and_clear_young(cache, offset, vmarena_page_pfn(page));
	mutex_unlock(&cache->lock);
	return young;
}

/* One look of the clock hand at the page at @offset, in its own queue. */
static int vt_pd_age(struct kunit *test, struct vmarena_cache *cache, pgoff_t offset,
		     unsigned int *usage)
{
	enum vmarena_page_state state;

	KUNIT_ASSERT_NOT_NULL(test, vt_pd_page(cache, offset, &state, usage));
	return vmarena_pagedaemon_age(cache, offset, state);
}

/*
 * The accessed bits: a fault that maps a page sets its fragment entry's,
 * reading them clears them.  The clock hand (with the daemon itself
 * paused, so nothing else looks meanwhile) keeps a page used since its
 * last look and raises its usage, and lets an idle one decay and go.
 */
static void vt_pd_referenced_pages_stay(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "pd-young");
	struct vt_pd_fixture *f = test->priv;
	unsigned int usage, before[8];
	enum vmarena_page_state state;
	struct vmarena_area *a;
	u64 referenced;
	unsigned long i;

	vmarena_pagedaemon_pause(true);
	f->paused = true;
	a = vt_anon(test, as, "young", 8, RW);
	for (i = 0; i < 8; i++)
		vt_pd_fill(test, as, a->base + VT_PAGES(i), i);
	for (i = 0; i < 8; i++) {
		KUNIT_EXPECT_TRUE_MSG(test, vt_pd_young(a->cache, i), "page %lu", i);
		KUNIT_EXPECT_FALSE_MSG(test, vt_pd_young(a->cache, i), "page %lu", i);
	}
	/* Pages 0-3 are used again: unmapped, they fault back in. */
	vmarena_aspace_unmap(as, a->base, VT_PAGES(4), false);
	for (i = 0; i < 4; i++)
		vt_sum(test, as, a->base + VT_PAGES(i));
	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_NOT_NULL(test, vt_pd_page(a->cache, i, &state, &before[i]));

	/* First look: 0-3 were used, so they gain; 4-7 decay. */
	referenced = vt_stat(VMARENA_STAT_PAGEDAEMON_REFERENCED);
	for (i = 0; i < 8; i++) {
		KUNIT_EXPECT_EQ_MSG(test, vt_pd_age(test, a->cache, i, &usage),
				    VMARENA_VISIT_AGED, "page %lu", i);
		vt_pd_page(a->cache, i, &state, &usage);
		if (i < 4)
			KUNIT_EXPECT_EQ_MSG(test, usage, before[i] + 1, "page %lu", i);
		else
			KUNIT_EXPECT_EQ_MSG(test, usage, before[i] >> 1, "page %lu", i);
	}
	KUNIT_EXPECT_EQ(test, vt_stat(VMARENA_STAT_PAGEDAEMON_REFERENCED) - referenced, 4ULL);
	/* Second look: nothing was used since; the idle, written pages are victims. */
	for (i = 0; i < 8; i++) {
		int ret = vt_pd_age(test, a->cache, i, &usage);

		if (i < 4)
			KUNIT_EXPECT_EQ_MSG(test, ret, VMARENA_VISIT_AGED, "page %lu", i);
		else
			KUNIT_EXPECT_EQ_MSG(test, ret, VMARENA_VISIT_VICTIM, "page %lu", i);
	}
}

static void vt_pd_locked_area_stays(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "pd-locked");
	struct vmarena_area *locked, *unlocked;
	unsigned long base, i;
	u32 sums[32];

	vt_need_swap(test);
	locked = vt_anon_locked(test, as, "locked", ARRAY_SIZE(sums), VMARENA_LOCK_LOCKED,
				VMARENA_WIRING_LAZY);
	unlocked = vt_anon(test, as, "unlocked", 32, RW);
	for (i = 0; i < ARRAY_SIZE(sums); i++) {
		sums[i] = vt_pd_fill(test, as, locked->base + VT_PAGES(i), i);
		vt_pd_fill(test, as, unlocked->base + VT_PAGES(i), i);
	}
	base = vt_owned() - 64;

	/* Less than the locked area alone: only the unlocked one can go. */
	vt_squeeze(test, base + 16);

	KUNIT_EXPECT_EQ(test, vt_resident(locked->cache), (unsigned long)ARRAY_SIZE(sums));
	KUNIT_EXPECT_EQ(test, vt_resident(unlocked->cache), 0UL);
	for (i = 0; i < ARRAY_SIZE(sums); i++)
		KUNIT_EXPECT_EQ(test, vt_sum(test, as, locked->base + VT_PAGES(i)), sums[i]);
	KUNIT_EXPECT_EQ(test, vt_resident(locked->cache), (unsigned long)ARRAY_SIZE(sums));
}

/* Resident pages of @area's whole chain. */
static unsigned long vt_chain_resident(struct vmarena_area *area)
{
	struct vmarena_cache *cache;
	unsigned long n = 0;

	for (cache = area->cache; cache; cache = READ_ONCE(cache->source))
		n += vt_resident(cache);
	return n;
}

/*
 * A locked private clone of an unlocked area reads the source's pages
 * through its chain: they stay, although the source area is unlocked.
 */
static void vt_pd_locked_clone_keeps_source(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "pd-chain");
	struct vmarena_area_spec spec = vt_spec("clone", 16, RW);
	struct vmarena_area *source, *clone = NULL;
	unsigned long base, i;

	vt_need_swap(test);
	source = vt_anon(test, as, "source", 16, RW);
	for (i = 0; i < 16; i++)
		vt_pd_fill(test, as, source->base + VT_PAGES(i), i);
	spec.lock_level = VMARENA_LOCK_LOCKED;
	KUNIT_ASSERT_EQ(test, vmarena_area_clone(as, &spec, source, false, &clone), 0);
	vt_keep(test, clone);
	for (i = 0; i < 16; i++)
		KUNIT_ASSERT_EQ(test, vt_peek(as, clone->base + VT_PAGES(i)),
				(int)(u8)(i * 13));
	base = vt_owned();

	vt_squeeze(test, base > 16 ? base - 16 : 0);

	KUNIT_EXPECT_EQ(test, vt_chain_resident(clone), 16UL);
}

static void vt_pd_skips_wired_and_busy_hands_file_back(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "pd-skip");
	struct file *file = shmem_file_setup("vmarena-kunit", VT_PAGES(8), 0);
	struct vmarena_area *wired, *busy, *mapped;
	struct vmarena_area_spec spec = vt_spec("file", 8, RW);
	struct vmarena_page *page;
	unsigned long i;

	vt_need_swap(test);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	mapped = NULL;
	if (vmarena_area_map_file(as, &spec, file, 0, true, &mapped)) {
		fput(file);
		KUNIT_FAIL(test, "cannot map the file");
		return;
	}
	vt_keep(test, mapped);
	wired = vt_anon_locked(test, as, "wired", 8, VMARENA_LOCK_UNLOCKED,
			       VMARENA_WIRING_WIRED);
	busy = vt_anon(test, as, "busy", 8, RW);
	for (i = 0; i < 8; i++) {
		vt_pd_fill(test, as, busy->base + VT_PAGES(i), i);
		KUNIT_ASSERT_EQ(test, vt_poke(as, mapped->base + VT_PAGES(i), i), 0);
	}
	KUNIT_ASSERT_EQ(test, vt_resident(wired->cache), 8UL);
	KUNIT_ASSERT_EQ(test, vt_resident(mapped->cache), 8UL);

	mutex_lock(&busy->cache->lock);
	page = vmarena_cache_lookup_page(busy->cache, 3);
	KUNIT_ASSERT_NOT_NULL(test, page);
	page->busy = true;
	mutex_unlock(&busy->cache->lock);

	vt_squeeze(test, 0);

	mutex_lock(&busy->cache->lock);
	KUNIT_EXPECT_PTR_EQ(test, vmarena_cache_lookup_page(busy->cache, 3), page);
	vmarena_cache_mark_page_unbusy(busy->cache, page);
	mutex_unlock(&busy->cache->lock);
	KUNIT_EXPECT_EQ(test, vt_resident(busy->cache), 1UL);
	KUNIT_EXPECT_EQ(test, vt_resident(wired->cache), 8UL);
	/* File pages were handed to the file and let go of. */
	KUNIT_EXPECT_EQ(test, vt_resident(mapped->cache), 0UL);
	/*
	 * Reading them back attaches them again, which needs room under the
	 * cap: the squeezed cap is below what the wired and busy pages hold.
	 */
	vt_set_cap(test, vt_owned() + 16);
	for (i = 0; i < 8; i++) {
		loff_t pos = VT_PAGES(i);
		u8 byte = 0xff;

		KUNIT_EXPECT_EQ(test, kernel_read(file, &byte, 1, &pos), 1L);
		KUNIT_EXPECT_EQ(test, byte, (u8)i);
		KUNIT_EXPECT_EQ(test, vt_peek(as, mapped->base + VT_PAGES(i)), (int)i);
	}
	fput(file);
}

/*
 * At the cap with nothing the daemon may page out, a fault waits for it
 * and then fails with -ENOMEM: it neither hangs nor takes a locked page.
 */
static void vt_pd_fault_fails_when_nothing_pages_out(struct kunit *test)
{
	struct vmarena_area_spec spec = vt_spec("locked", 16, RW);
	struct vmarena_aspace *as = vt_aspace(test, "pd-full");
	struct vmarena_fault_result res;
	struct vmarena_area *locked = NULL;
	unsigned long i;

	vt_need_swap(test);
	/* MAP_LAZY: the lock makes nothing resident, only the writes below do. */
	spec.lock_level = VMARENA_LOCK_LOCKED;
	spec.flags = VMARENA_AREA_LAZY;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &locked), 0);
	vt_keep(test, locked);
	for (i = 0; i < 8; i++)
		vt_pd_fill(test, as, locked->base + VT_PAGES(i), i);
	/* Whatever else is pageable goes first; then not one page of room. */
	vt_set_cap(test, vt_owned());
	KUNIT_ASSERT_EQ(test, vmarena_pagedaemon_run_sync(VT_PD_WAIT_MS), 0);
	vt_set_cap(test, vt_owned());

	KUNIT_EXPECT_EQ(test, vmarena_fault(as, locked->base + VT_PAGES(8), VMARENA_FAULT_WRITE,
					    &res), -ENOMEM);
	KUNIT_EXPECT_EQ(test, vt_resident(locked->cache), 8UL);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, vt_peek(as, locked->base + VT_PAGES(i)), (int)(u8)(i * 13));
}

static struct kunit_case vt_pagedaemon_cases[] = {
	KUNIT_CASE(vt_pd_watermarks),
	KUNIT_CASE(vt_pd_pages_out_and_back),
	KUNIT_CASE(vt_pd_referenced_pages_stay),
	KUNIT_CASE(vt_pd_locked_area_stays),
	KUNIT_CASE(vt_pd_locked_clone_keeps_source),
	KUNIT_CASE(vt_pd_skips_wired_and_busy_hands_file_back),
	KUNIT_CASE(vt_pd_fault_fails_when_nothing_pages_out),
	{}
};

static struct kunit_suite vt_pagedaemon_suite = {
	.name = "vmarena_pagedaemon",
	.init = vt_pd_init,
	.exit = vt_pd_exit,
	.test_cases = vt_pagedaemon_cases,
};

kunit_test_suites(&vt_pagedaemon_suite);
