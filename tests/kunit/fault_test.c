// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the soft fault.  Access checks, zero fill, page states, mappings
 * in the fragments, concurrent faults on one page, and faults that sleep
 * in a store while the world changes under them.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <kunit/test.h>

#include "fixture.h"

#define RW	(VMARENA_PROT_READ | VMARENA_PROT_WRITE)

static void vt_fault_read_zero_fills(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "zero");
	struct vmarena_area *area = vt_anon(test, as, "a", 4, RW);
	struct vmarena_fault_result res;
	u8 *p;

	KUNIT_ASSERT_EQ(test, vmarena_fault(as, area->base + 100, VMARENA_FAULT_READ, &res), 0);
	KUNIT_ASSERT_NOT_NULL(test, res.page);
	p = kmap_local_page(res.page);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0, PAGE_SIZE));
	kunmap_local(p);
	KUNIT_EXPECT_EQ(test, res.pfn, page_to_pfn(res.page));
	KUNIT_EXPECT_EQ(test, res.prot, (u32)RW);
	put_page(res.page);
}

static void vt_fault_write_then_read_back(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "rw");
	struct vmarena_area *area = vt_anon(test, as, "a", 8, RW);
	unsigned long i;

	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + VT_PAGES(i) + i, 0x40 + i), 0);
	for (i = 0; i < 8; i++) {
		KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(i) + i), (int)(0x40 + i));
		KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(i) + i + 1), 0);
	}
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 8UL);
}

static void vt_fault_outside_areas_is_efault(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "outside");
	struct vmarena_area *area = vt_anon(test, as, "a", 2, RW);
	struct vmarena_fault_result res;

	KUNIT_EXPECT_EQ(test, vmarena_fault(as, area->base + VT_PAGES(2), VMARENA_FAULT_READ, &res),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, vmarena_fault(as, VT_BASE - PAGE_SIZE, VMARENA_FAULT_READ, &res),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, vmarena_fault(as, 0, VMARENA_FAULT_WRITE, &res), -EFAULT);
}

/* Regression: a fault past its cache's end read (or zero-filled) for ever. */
static void vt_fault_past_the_cache_end_is_efault(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "past-end");
	struct vmarena_area *area = vt_anon(test, as, "a", 4, RW);
	struct vmarena_fault_result res;

	mutex_lock(&area->cache->lock);
	KUNIT_ASSERT_EQ(test, vmarena_cache_set_size(area->cache, 2), 0);
	mutex_unlock(&area->cache->lock);
	KUNIT_EXPECT_EQ(test, vmarena_fault(as, area->base + VT_PAGES(3), VMARENA_FAULT_READ, &res),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, vmarena_fault(as, area->base + VT_PAGES(2), VMARENA_FAULT_WRITE,
					    &res), -EFAULT);
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 0UL);
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + VT_PAGES(1), 5), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(1)), 5);
}

static void vt_fault_checks_protection(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "prot");
	struct vmarena_area *ro = vt_anon(test, as, "ro", 1, VMARENA_PROT_READ);
	struct vmarena_area *none = vt_anon(test, as, "none", 1, 0);
	struct vmarena_area *x = vt_anon(test, as, "x", 1, VMARENA_PROT_READ | VMARENA_PROT_EXEC);
	struct vmarena_fault_result res;

	KUNIT_EXPECT_EQ(test, vmarena_fault(as, ro->base, VMARENA_FAULT_WRITE, &res), -EACCES);
	KUNIT_EXPECT_EQ(test, vmarena_fault(as, ro->base, VMARENA_FAULT_EXEC, &res), -EACCES);
	KUNIT_EXPECT_EQ(test, vmarena_fault(as, none->base, VMARENA_FAULT_READ, &res), -EACCES);
	KUNIT_ASSERT_EQ(test, vmarena_fault(as, x->base, VMARENA_FAULT_EXEC, &res), 0);
	KUNIT_EXPECT_EQ(test, res.prot, (u32)(VMARENA_PROT_READ | VMARENA_PROT_EXEC));
	put_page(res.page);
	KUNIT_ASSERT_EQ(test, vmarena_fault(as, ro->base, VMARENA_FAULT_READ, &res), 0);
	KUNIT_EXPECT_EQ(test, res.prot, (u32)VMARENA_PROT_READ);
	put_page(res.page);
	/* Nothing was mapped for the refused accesses. */
	KUNIT_EXPECT_EQ(test, vt_pfn(as, none->base), 0UL);
}

static void vt_fault_rejects_bad_access(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "badaccess");
	struct vmarena_area *area = vt_anon(test, as, "a", 1, RW);
	struct vmarena_fault_result res;

	KUNIT_EXPECT_EQ(test, vmarena_fault(as, area->base, 0, &res), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_fault(as, area->base, 0x8, &res), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_fault(as, area->base, VMARENA_FAULT_WIRE, &res), -EINVAL);
}

static void vt_fault_null_area_always_faults(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "null");
	struct vmarena_area_spec spec = vt_spec("reserved", 4, RW);
	struct vmarena_fault_result res;
	struct vmarena_area *area;

	KUNIT_ASSERT_EQ(test, vmarena_area_create_null(as, &spec, &area), 0);
	KUNIT_EXPECT_EQ(test, vmarena_fault(as, area->base, VMARENA_FAULT_READ, &res), -EFAULT);
	KUNIT_EXPECT_EQ(test, vmarena_fault(as, area->base + VT_PAGES(3), VMARENA_FAULT_WRITE,
					    &res), -EFAULT);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, area->base), 0UL);
	vmarena_area_put(area);
}

static void vt_fault_sets_page_states(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "states");
	struct vmarena_area *area = vt_anon(test, as, "a", 2, RW);
	struct vmarena_page *p0, *p1;

	KUNIT_ASSERT_EQ(test, vt_peek(as, area->base), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + PAGE_SIZE, 1), 0);
	mutex_lock(&area->cache->lock);
	p0 = vmarena_cache_lookup_page(area->cache, 0);
	p1 = vmarena_cache_lookup_page(area->cache, 1);
	KUNIT_EXPECT_NOT_NULL(test, p0);
	KUNIT_EXPECT_NOT_NULL(test, p1);
	if (p0 && p1) {
		KUNIT_EXPECT_EQ(test, p0->state, (u8)VMARENA_PAGE_ACTIVE);
		KUNIT_EXPECT_EQ(test, p1->state, (u8)VMARENA_PAGE_MODIFIED);
		KUNIT_EXPECT_FALSE(test, p0->busy);
		KUNIT_EXPECT_EQ(test, p0->identity, (u8)VMARENA_PAGE_ID_CACHE);
		KUNIT_EXPECT_PTR_EQ(test, p0->cache, area->cache);
		KUNIT_EXPECT_EQ(test, p1->offset, 1UL);
		KUNIT_EXPECT_GE(test, p0->usage_count, 1);
	}
	mutex_unlock(&area->cache->lock);
}

static void vt_fault_maps_in_fragments(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "frag");
	struct vmarena_area *area = vt_anon(test, as, "a", 2, RW);
	struct vmarena_fault_result res;
	struct vmarena_pte_info info;
	phys_addr_t phys;

	KUNIT_EXPECT_EQ(test, vmarena_get_page_mapping(as, area->base, &phys), -ENOENT);
	KUNIT_ASSERT_EQ(test, vmarena_fault(as, area->base + 0x123, VMARENA_FAULT_WRITE, &res), 0);
	KUNIT_ASSERT_EQ(test, vmarena_get_page_mapping(as, area->base + 0x123, &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, PFN_PHYS(res.pfn) + 0x123);
	KUNIT_ASSERT_EQ(test, vmarena_ptfrag_lookup(&as->frag, area->base, &info), 0);
	KUNIT_EXPECT_EQ(test, info.pfn, res.pfn);
	KUNIT_EXPECT_EQ(test, info.prot, (u32)RW);
	put_page(res.page);
	/* The second page was never touched. */
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_lookup(&as->frag, area->base + PAGE_SIZE, &info),
			-ENOENT);
}

static void vt_fault_result_holds_a_page_reference(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "ref");
	struct vmarena_area *area = vt_anon(test, as, "a", 1, RW);
	struct vmarena_fault_result res;
	int before;

	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base, 7), 0);
	KUNIT_ASSERT_EQ(test, vmarena_fault(as, area->base, VMARENA_FAULT_READ, &res), 0);
	before = page_count(res.page);
	KUNIT_ASSERT_EQ(test, vmarena_fault(as, area->base, VMARENA_FAULT_READ, &res), 0);
	KUNIT_EXPECT_EQ(test, page_count(res.page), before + 1);
	put_page(res.page);
	put_page(res.page);
}

static void vt_fault_on_deleted_aspace_is_esrch(struct kunit *test)
{
	struct vmarena_aspace *as = vmarena_aspace_create("gone", VT_BASE, VT_SIZE);
	struct vmarena_area_spec spec = vt_spec("a", 1, RW);
	struct vmarena_fault_result res;

	KUNIT_ASSERT_FALSE(test, IS_ERR(as));
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, NULL), 0);
	KUNIT_EXPECT_EQ(test, vmarena_aspace_delete(as), 0);
	KUNIT_EXPECT_EQ(test, vmarena_fault(as, VT_BASE, VMARENA_FAULT_READ, &res), -ESRCH);
	KUNIT_EXPECT_EQ(test, vmarena_aspace_delete(as), -ESRCH);
	vmarena_aspace_drop(as);
}

/* ---- the install callback (the user-space fault path) ------------------ */

struct vt_install {
	struct vmarena_aspace *as;
	struct vmarena_cache *cache;
	struct page *page;
	unsigned long pfn;
	u32 prot;
	int calls;
	bool locked;
	int ret;
};

static int vt_install_fn(void *arg, struct page *page, unsigned long pfn, u32 prot)
{
	struct vt_install *in = arg;

	in->calls++;
	in->page = page;
	in->pfn = pfn;
	in->prot = prot;
	in->locked = rwsem_is_locked(&in->as->lock) && mutex_is_locked(&in->cache->lock);
	return in->ret;
}

static void vt_fault_install_runs_under_the_locks(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "install");
	struct vmarena_area *area = vt_anon(test, as, "a", 1, RW);
	struct vt_install in = { .as = as, .cache = area->cache };

	KUNIT_ASSERT_EQ(test, vmarena_fault_install(as, area->base, VMARENA_FAULT_WRITE,
						    vt_install_fn, &in), 0);
	KUNIT_EXPECT_EQ(test, in.calls, 1);
	KUNIT_EXPECT_TRUE(test, in.locked);
	KUNIT_EXPECT_NOT_NULL(test, in.page);
	KUNIT_EXPECT_EQ(test, in.pfn, vt_pfn(as, area->base));
	KUNIT_EXPECT_EQ(test, in.prot, (u32)RW);
	/* The callback's error is the fault's. */
	in.ret = -EIO;
	KUNIT_EXPECT_EQ(test, vmarena_fault_install(as, area->base, VMARENA_FAULT_READ,
						    vt_install_fn, &in), -EIO);
	KUNIT_EXPECT_EQ(test, in.calls, 2);
	KUNIT_EXPECT_EQ(test, vmarena_fault_install(as, area->base, VMARENA_FAULT_WIRE,
						    vt_install_fn, &in), -EINVAL);
}

static void vt_fault_fast_path_reuses_the_fragment(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "fast");
	struct vmarena_area *area = vt_anon(test, as, "a", 1, RW);
	struct vt_install in = { .as = as, .cache = area->cache };
	struct vmarena_page *page;
	u8 usage;

	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base, 3), 0);
	mutex_lock(&area->cache->lock);
	page = vmarena_cache_lookup_page(area->cache, 0);
	usage = page->usage_count;
	mutex_unlock(&area->cache->lock);
	KUNIT_ASSERT_EQ(test, vmarena_fault_install(as, area->base, VMARENA_FAULT_WRITE,
						    vt_install_fn, &in), 0);
	KUNIT_EXPECT_PTR_EQ(test, in.page, page->page);
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 1UL);
	mutex_lock(&area->cache->lock);
	KUNIT_EXPECT_EQ(test, page->usage_count, (u8)(usage + 1));
	mutex_unlock(&area->cache->lock);
}

static void vt_fault_install_gets_the_copy_after_copy_up(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "installcow");
	struct vmarena_area *src = vt_anon(test, as, "src", 1, RW);
	struct vmarena_area *clone;
	struct vt_install in = { .as = as };
	unsigned long lower;

	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 1), 0);
	clone = vt_clone(test, as, src, false, RW);
	in.cache = clone->cache;
	KUNIT_ASSERT_EQ(test, vmarena_fault_install(as, clone->base, VMARENA_FAULT_READ,
						    vt_install_fn, &in), 0);
	lower = in.pfn;
	KUNIT_EXPECT_EQ(test, in.prot, (u32)VMARENA_PROT_READ);
	KUNIT_ASSERT_EQ(test, vmarena_fault_install(as, clone->base, VMARENA_FAULT_WRITE,
						    vt_install_fn, &in), 0);
	KUNIT_EXPECT_NE(test, in.pfn, lower);
	KUNIT_EXPECT_EQ(test, in.prot, (u32)RW);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, src->base), lower);
}

struct vt_around {
	unsigned long addr;
	unsigned long count;
	unsigned long writable;
	struct page *pages[VMARENA_FAULT_AROUND];
	int calls;
};

static int vt_around_install(void *arg, struct page *page, unsigned long pfn, u32 prot)
{
	return 0;
}

static void vt_around_fn(void *arg, unsigned long addr, struct page **pages,
			 unsigned long count, unsigned long writable)
{
	struct vt_around *a = arg;

	a->calls++;
	a->addr = addr;
	a->count = count;
	a->writable = writable;
	memcpy(a->pages, pages, count * sizeof(*pages));
}

static void vt_fault_around_hands_over_resident_neighbours(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "around");
	struct vmarena_area *area = vt_anon(test, as, "a", 6, RW);
	struct vt_around a = {};
	int i;

	/* Pages 0-3 resident, 4 not, 5 resident. */
	for (i = 0; i < 6; i++)
		if (i != 4)
			KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + VT_PAGES(i), i), 0);
	KUNIT_ASSERT_EQ(test, vmarena_fault_install_around(as, area->base, VMARENA_FAULT_READ,
							   vt_around_install, vt_around_fn,
							   16, &a), 0);
	KUNIT_EXPECT_EQ(test, a.calls, 1);
	KUNIT_EXPECT_EQ(test, a.addr, area->base + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, a.count, 3UL);	/* stops at the hole */
	KUNIT_EXPECT_EQ(test, a.writable, 3UL);	/* written by vt_poke(): modified */
	KUNIT_EXPECT_EQ(test, page_to_pfn(a.pages[2]), vt_pfn(as, area->base + VT_PAGES(3)));
	/* The caller's room bounds it. */
	KUNIT_ASSERT_EQ(test, vmarena_fault_install_around(as, area->base, VMARENA_FAULT_READ,
							   vt_around_install, vt_around_fn,
							   1, &a), 0);
	KUNIT_EXPECT_EQ(test, a.count, 1UL);
	/* The area's end bounds it; nothing resident after: no call. */
	KUNIT_ASSERT_EQ(test, vmarena_fault_install_around(as, area->base + VT_PAGES(5),
							   VMARENA_FAULT_READ, vt_around_install,
							   vt_around_fn, 16, &a), 0);
	KUNIT_EXPECT_EQ(test, a.calls, 2);
}

/* ---- fault-ahead ------------------------------------------------------- */

static u64 vt_ahead_stat(void)
{
	u64 v[VMARENA_STAT_NR];

	vmarena_stats_read(v);
	return v[VMARENA_STAT_FAULTS_AHEAD];
}

/* Fault @page of @area through the window path; how many pages went ahead. */
static u64 vt_ahead_fault(struct kunit *test, struct vmarena_aspace *as,
			  struct vmarena_area *area, unsigned long page, unsigned int access,
			  unsigned long room, struct vt_around *a)
{
	u64 before = vt_ahead_stat();

	memset(a, 0, sizeof(*a));
	KUNIT_EXPECT_EQ(test, vmarena_fault_install_around(as, area->base + VT_PAGES(page), access,
							   vt_around_install, vt_around_fn,
							   room, a), 0);
	return vt_ahead_stat() - before;
}

/* The state of the page @addr maps, or -1 if nothing is mapped there. */
static int vt_mapped_state(struct vmarena_aspace *as, unsigned long addr)
{
	struct vmarena_page *page = vmarena_page_from_pfn(vt_pfn(as, addr));

	return page ? page->state : -1;
}

static void vt_fault_ahead_fills_after_sequential_zero_faults(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "ahead");
	struct vmarena_area *area = vt_anon(test, as, "a", 40, RW);
	u32 zeros = vt_page_sum(ZERO_PAGE(0));
	struct vt_around a;
	unsigned long i;

	/* The first fault is not sequential: nothing ahead, nothing around. */
	KUNIT_EXPECT_EQ(test, vt_ahead_fault(test, as, area, 0, VMARENA_FAULT_WRITE, 64, &a), 0ULL);
	KUNIT_EXPECT_EQ(test, a.calls, 0);
	/* The next page: sixteen after it, handed to the caller writable. */
	KUNIT_EXPECT_EQ(test, vt_ahead_fault(test, as, area, 1, VMARENA_FAULT_WRITE, 64, &a),
			16ULL);
	KUNIT_EXPECT_EQ(test, a.calls, 1);
	KUNIT_EXPECT_EQ(test, a.addr, area->base + VT_PAGES(2));
	KUNIT_EXPECT_EQ(test, a.count, 16UL);
	KUNIT_EXPECT_EQ(test, a.writable, 16UL);
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 18UL);
	for (i = 2; i < 18; i++) {
		KUNIT_EXPECT_EQ(test, vt_mapped_state(as, area->base + VT_PAGES(i)),
				VMARENA_PAGE_MODIFIED);
		KUNIT_EXPECT_EQ(test, vt_sum(test, as, area->base + VT_PAGES(i)), zeros);
	}
	KUNIT_EXPECT_EQ(test, page_to_pfn(a.pages[15]), vt_pfn(as, area->base + VT_PAGES(17)));
	/* Where the run ended it goes on; the area's end stops it. */
	KUNIT_EXPECT_EQ(test, vt_ahead_fault(test, as, area, 18, VMARENA_FAULT_WRITE, 64, &a),
			16ULL);
	KUNIT_EXPECT_EQ(test, vt_ahead_fault(test, as, area, 35, VMARENA_FAULT_WRITE, 64, &a),
			4ULL);
	KUNIT_EXPECT_EQ(test, a.count, 4UL);
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 40UL);
}

static void vt_fault_ahead_only_where_nobody_has_a_page(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "ahead-holes");
	struct vmarena_area *area = vt_anon(test, as, "a", 40, RW);
	struct vt_around a;

	/* Out of order: nothing ahead. */
	KUNIT_EXPECT_EQ(test, vt_ahead_fault(test, as, area, 10, VMARENA_FAULT_WRITE, 64, &a),
			0ULL);
	KUNIT_EXPECT_EQ(test, vt_ahead_fault(test, as, area, 5, VMARENA_FAULT_WRITE, 64, &a),
			0ULL);
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 2UL);
	/* After 5 comes 6: the run stops before the page 10 already is. */
	KUNIT_EXPECT_EQ(test, vt_ahead_fault(test, as, area, 6, VMARENA_FAULT_WRITE, 64, &a),
			3ULL);
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 6UL);
	/* The caller's room bounds the run. */
	KUNIT_EXPECT_EQ(test, vt_ahead_fault(test, as, area, 11, VMARENA_FAULT_WRITE, 2, &a),
			0ULL);
	KUNIT_EXPECT_EQ(test, vt_ahead_fault(test, as, area, 12, VMARENA_FAULT_WRITE, 2, &a),
			2ULL);
	/* A fault that found its page fills nothing (14 was filled ahead). */
	KUNIT_EXPECT_EQ(test, vt_ahead_fault(test, as, area, 14, VMARENA_FAULT_WRITE, 64, &a),
			0ULL);
	/* Kernel callers (no fault-around) never get pages ahead. */
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + VT_PAGES(20), 1), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + VT_PAGES(21), 1), 0);
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 12UL);
}

static void vt_fault_ahead_of_reads_is_active_and_read_mapped(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "ahead-read");
	struct vmarena_area *area = vt_anon(test, as, "a", 8, RW);
	struct vt_around a;

	KUNIT_EXPECT_EQ(test, vt_ahead_fault(test, as, area, 1, VMARENA_FAULT_READ, 64, &a), 0ULL);
	KUNIT_EXPECT_EQ(test, vt_ahead_fault(test, as, area, 2, VMARENA_FAULT_READ, 64, &a), 5ULL);
	KUNIT_EXPECT_EQ(test, a.count, 5UL);
	KUNIT_EXPECT_EQ(test, a.writable, 0UL);
	KUNIT_EXPECT_EQ(test, vt_mapped_state(as, area->base + VT_PAGES(7)), VMARENA_PAGE_ACTIVE);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(7) + 9), 0);
}

static void vt_fault_ahead_never_in_a_chain(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "ahead-cow");
	struct vmarena_area *src = vt_anon(test, as, "src", 8, RW);
	struct vmarena_area *clone;
	struct vt_around a;

	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base + VT_PAGES(5), 7), 0);
	clone = vt_clone(test, as, src, false, RW);
	/* The clone's pages could show through from the source: no run. */
	KUNIT_EXPECT_EQ(test, vt_ahead_fault(test, as, clone, 1, VMARENA_FAULT_WRITE, 64, &a),
			0ULL);
	KUNIT_EXPECT_EQ(test, vt_ahead_fault(test, as, clone, 2, VMARENA_FAULT_WRITE, 64, &a),
			0ULL);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base + VT_PAGES(5)), 7);
}

/* ---- several kthreads fault the same page at once ---------------------- */

#define VT_RACERS 4

struct vt_racer {
	struct vmarena_aspace *as;
	unsigned long addr;
	struct completion *go;
	struct completion done;
	unsigned long pfn;
	int ret;
};

static int vt_racer_fn(void *data)
{
	struct vt_racer *r = data;
	struct vmarena_fault_result res;

	wait_for_completion(r->go);
	r->ret = vmarena_fault(r->as, r->addr, VMARENA_FAULT_WRITE, &res);
	if (!r->ret) {
		r->pfn = res.pfn;
		put_page(res.page);
	}
	complete(&r->done);
	return 0;
}

static void vt_fault_concurrent_faults_share_one_page(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "race");
	struct vmarena_area *area = vt_anon(test, as, "a", 1, RW);
	struct vt_racer *r = kunit_kcalloc(test, VT_RACERS, sizeof(*r), GFP_KERNEL);
	DECLARE_COMPLETION_ONSTACK(go);
	struct task_struct *t;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < VT_RACERS; i++) {
		r[i] = (struct vt_racer){ .as = as, .addr = area->base + i, .go = &go };
		init_completion(&r[i].done);
		t = kthread_run(vt_racer_fn, &r[i], "vt_racer%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	}
	complete_all(&go);
	for (i = 0; i < VT_RACERS; i++) {
		wait_for_completion(&r[i].done);
		KUNIT_EXPECT_EQ(test, r[i].ret, 0);
		KUNIT_EXPECT_EQ(test, r[i].pfn, r[0].pfn);
	}
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 1UL);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, area->base), r[0].pfn);
}

/* ---- a store whose reads block until the test lets them go ------------- */

struct vt_slow_store {
	struct vmarena_store store;
	struct completion reading;	/* a read has started */
	struct completion release;	/* let reads finish */
	atomic_t reads;
	bool *destroyed;
};

static struct vt_slow_store *to_slow(struct vmarena_store *store)
{
	return container_of(store, struct vt_slow_store, store);
}

static bool vt_slow_has_page(struct vmarena_store *store, pgoff_t offset)
{
	return true;
}

static int vt_slow_read(struct vmarena_store *store, pgoff_t offset, struct page *page)
{
	struct vt_slow_store *slow = to_slow(store);
	u8 *p;

	atomic_inc(&slow->reads);
	complete(&slow->reading);
	wait_for_completion(&slow->release);
	p = kmap_local_page(page);
	memset(p, 0xa0 + offset, PAGE_SIZE);
	kunmap_local(p);
	return 0;
}

static void vt_slow_destroy(struct vmarena_store *store)
{
	struct vt_slow_store *slow = to_slow(store);

	*slow->destroyed = true;
	kfree(slow);
}

static const struct vmarena_store_ops vt_slow_ops = {
	.type = VMARENA_STORE_TEST,
	.name = "kunit-slow",
	.has_page = vt_slow_has_page,
	.read = vt_slow_read,
	.destroy = vt_slow_destroy,
};

static struct vt_slow_store *vt_slow_create(bool *destroyed)
{
	struct vt_slow_store *slow = kzalloc(sizeof(*slow), GFP_KERNEL);

	if (!slow)
		return NULL;
	slow->store.ops = &vt_slow_ops;
	init_completion(&slow->reading);
	init_completion(&slow->release);
	slow->destroyed = destroyed;
	return slow;
}

struct vt_faulter {
	struct vmarena_aspace *as;
	unsigned long addr;
	unsigned int access;
	struct completion done;
	int ret;
	int value;
};

static int vt_faulter_fn(void *data)
{
	struct vt_faulter *f = data;
	struct vmarena_fault_result res;
	u8 *p;

	f->ret = vmarena_fault(f->as, f->addr, f->access, &res);
	if (!f->ret) {
		p = kmap_local_page(res.page);
		f->value = p[0];
		kunmap_local(p);
		put_page(res.page);
	}
	complete(&f->done);
	return 0;
}

static void vt_start_faulter(struct kunit *test, struct vt_faulter *f, struct vmarena_aspace *as,
			     unsigned long addr, unsigned int access)
{
	struct task_struct *t;

	*f = (struct vt_faulter){ .as = as, .addr = addr, .access = access, .value = -1 };
	init_completion(&f->done);
	t = kthread_run(vt_faulter_fn, f, "vt_faulter");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
}

static void vt_fault_reads_store_pages(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "store");
	struct vmarena_area_spec spec = vt_spec("slow", 2, RW);
	bool destroyed = false;
	struct vt_slow_store *slow = vt_slow_create(&destroyed);
	struct vmarena_area *area;

	KUNIT_ASSERT_NOT_NULL(test, slow);
	complete_all(&slow->release);	/* reads do not block here */
	KUNIT_ASSERT_EQ(test, vmarena_area_map_store(as, &spec, &slow->store, &area), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + PAGE_SIZE + 5), 0xa1);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), 0xa0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + 1), 0xa0);	/* no second read */
	KUNIT_EXPECT_EQ(test, atomic_read(&slow->reads), 2);
	KUNIT_EXPECT_EQ(test, vmarena_area_delete(area), 0);
	vmarena_area_put(area);
	KUNIT_EXPECT_TRUE(test, destroyed);
}

static void vt_fault_waits_for_a_busy_page(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "busy");
	struct vmarena_area_spec spec = vt_spec("slow", 1, RW);
	bool destroyed = false;
	struct vt_slow_store *slow = vt_slow_create(&destroyed);
	struct vt_faulter a, b;
	struct vmarena_area *area;

	KUNIT_ASSERT_NOT_NULL(test, slow);
	KUNIT_ASSERT_EQ(test, vmarena_area_map_store(as, &spec, &slow->store, &area), 0);
	vt_start_faulter(test, &a, as, area->base, VMARENA_FAULT_READ);
	wait_for_completion(&slow->reading);
	/* The page is busy now; a second fault must wait for it, not read again. */
	vt_start_faulter(test, &b, as, area->base, VMARENA_FAULT_READ);
	msleep(50);
	KUNIT_EXPECT_FALSE(test, completion_done(&b.done));
	complete_all(&slow->release);
	wait_for_completion(&a.done);
	wait_for_completion(&b.done);
	KUNIT_EXPECT_EQ(test, a.ret, 0);
	KUNIT_EXPECT_EQ(test, b.ret, 0);
	KUNIT_EXPECT_EQ(test, a.value, 0xa0);
	KUNIT_EXPECT_EQ(test, b.value, 0xa0);
	KUNIT_EXPECT_EQ(test, atomic_read(&slow->reads), 1);
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 1UL);
	/*
	 * The store goes now, not when the aspace is released after this
	 * returns: it writes to @destroyed, on this stack, and would write
	 * into a dead frame.
	 */
	KUNIT_EXPECT_EQ(test, vmarena_area_delete(area), 0);
	vmarena_area_put(area);
	KUNIT_EXPECT_TRUE(test, destroyed);
}

/* A kthread that super-locks (or releases) an aspace. */
struct vt_superlocker {
	struct vmarena_aspace *as;
	bool on;
	int ret;
	struct completion done;
};

static int vt_superlocker_fn(void *data)
{
	struct vt_superlocker *s = data;

	s->ret = vmarena_aspace_superlock(s->as, s->on, NULL);
	complete_all(&s->done);		/* done for every waiter */
	return 0;
}

/* Another aspace's resize, lock and super-lock, in a kthread. */
struct vt_bystander {
	struct vmarena_area *area;
	int resize, lock, unlock, superlock, release;
	struct completion done;
};

static int vt_bystander_fn(void *data)
{
	struct vt_bystander *b = data;

	b->resize = vmarena_area_resize(b->area, VT_PAGES(2), NULL);
	b->lock = vmarena_area_set_lock(b->area, VMARENA_LOCK_LOCKED, NULL);
	b->unlock = vmarena_area_set_lock(b->area, VMARENA_LOCK_UNLOCKED, NULL);
	b->superlock = vmarena_aspace_superlock(b->area->aspace, true, NULL);
	b->release = vmarena_aspace_superlock(b->area->aspace, false, NULL);
	complete_all(&b->done);		/* done for every waiter */
	return 0;
}

/*
 * A super-lock whose page loop waits (here for a slow store; in the
 * fuzzer's runs for the page daemon, page after page) holds up nothing
 * outside its aspace: it used to hold the global resize lock across the
 * loop, and every resize, lock and super-lock of every aspace hung behind
 * it.
 */
static void vt_fault_superlock_wait_holds_up_no_other_aspace(struct kunit *test)
{
	struct vmarena_area_spec spec = vt_spec("slow", 1, RW);
	struct vmarena_area_spec plain = vt_spec("plain", 1, RW);
	/* Allocated before the aspaces: freed after their release (LIFO). */
	bool *destroyed = kunit_kzalloc(test, sizeof(*destroyed), GFP_KERNEL);
	struct vt_superlocker *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct vt_bystander *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct vmarena_aspace *as, *other;
	struct vmarena_area *area, *bystander;
	struct vt_slow_store *slow;
	struct task_struct *t;
	bool in_time;

	KUNIT_ASSERT_NOT_NULL(test, destroyed);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, b);
	as = vt_aspace(test, "sl-slow");
	other = vt_aspace(test, "sl-other");
	slow = vt_slow_create(destroyed);
	KUNIT_ASSERT_NOT_NULL(test, slow);
	KUNIT_ASSERT_EQ(test, vmarena_area_map_store(as, &spec, &slow->store, &area), 0);
	vt_keep(test, area);
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(other, &plain, &bystander), 0);
	vt_keep(test, bystander);

	*s = (struct vt_superlocker){ .as = as, .on = true };
	init_completion(&s->done);
	t = kthread_run(vt_superlocker_fn, s, "vt_superlocker");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	/* The super-lock sleeps in the store's read, in its page loop. */
	if (!wait_for_completion_timeout(&slow->reading, 30 * HZ)) {
		complete_all(&slow->release);
		wait_for_completion(&s->done);
		KUNIT_FAIL(test, "the super-lock did not read the store: %d", s->ret);
		return;
	}

	b->area = bystander;
	init_completion(&b->done);
	t = kthread_run(vt_bystander_fn, b, "vt_bystander");
	in_time = !IS_ERR(t) && wait_for_completion_timeout(&b->done, 10 * HZ);
	KUNIT_EXPECT_TRUE(test, in_time);
	KUNIT_EXPECT_FALSE(test, completion_done(&s->done));
	complete_all(&slow->release);
	wait_for_completion(&s->done);
	if (!IS_ERR(t))
		wait_for_completion(&b->done);

	KUNIT_EXPECT_EQ(test, s->ret, 0);
	KUNIT_EXPECT_EQ(test, b->resize, 0);
	KUNIT_EXPECT_EQ(test, b->lock, 0);
	KUNIT_EXPECT_EQ(test, b->unlock, 0);
	KUNIT_EXPECT_EQ(test, b->superlock, 0);
	KUNIT_EXPECT_EQ(test, b->release, 0);
	KUNIT_EXPECT_EQ(test, bystander->size, VT_PAGES(2));
	/* The super-lock did its work once the store answered. */
	KUNIT_EXPECT_TRUE(test, READ_ONCE(as->superlocked));
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 1UL);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), 0xa0);
	KUNIT_EXPECT_EQ(test, vmarena_aspace_superlock(as, false, NULL), 0);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(as->superlocked));
}

static void vt_fault_survives_aspace_deletion_while_sleeping(struct kunit *test)
{
	struct vmarena_aspace *as = vmarena_aspace_create("dying", VT_BASE, VT_SIZE);
	struct vmarena_area_spec spec = vt_spec("slow", 1, RW);
	bool destroyed = false;
	struct vt_slow_store *slow = vt_slow_create(&destroyed);
	long caches = vmarena_cache_count_alive();
	struct vt_faulter f;

	KUNIT_ASSERT_FALSE(test, IS_ERR(as));
	KUNIT_ASSERT_NOT_NULL(test, slow);
	KUNIT_ASSERT_EQ(test, vmarena_area_map_store(as, &spec, &slow->store, NULL), 0);
	vt_start_faulter(test, &f, as, VT_BASE, VMARENA_FAULT_WRITE);
	wait_for_completion(&slow->reading);

	/* The fault sleeps in the store with no lock held: delete everything. */
	KUNIT_EXPECT_EQ(test, vmarena_aspace_delete(as), 0);
	KUNIT_EXPECT_EQ(test, as->nr_areas, 0U);
	KUNIT_EXPECT_FALSE(test, destroyed);	/* the sleeping fault holds the cache */
	complete_all(&slow->release);
	wait_for_completion(&f.done);

	KUNIT_EXPECT_EQ(test, f.ret, -ESRCH);
	KUNIT_EXPECT_TRUE(test, destroyed);
	KUNIT_EXPECT_EQ(test, vmarena_cache_count_alive(), caches);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, VT_BASE), 0UL);
	vmarena_aspace_drop(as);
}

static void vt_fault_after_area_deleted_while_sleeping(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "areagone");
	struct vmarena_area_spec spec = vt_spec("slow", 1, RW);
	bool destroyed = false;
	struct vt_slow_store *slow = vt_slow_create(&destroyed);
	struct vmarena_area *area;
	struct vt_faulter f;

	KUNIT_ASSERT_NOT_NULL(test, slow);
	KUNIT_ASSERT_EQ(test, vmarena_area_map_store(as, &spec, &slow->store, &area), 0);
	vt_start_faulter(test, &f, as, area->base, VMARENA_FAULT_READ);
	wait_for_completion(&slow->reading);
	KUNIT_EXPECT_EQ(test, vmarena_area_delete(area), 0);
	vmarena_area_put(area);
	complete_all(&slow->release);
	wait_for_completion(&f.done);
	/* It restarted, found no area and mapped nothing. */
	KUNIT_EXPECT_EQ(test, f.ret, -EFAULT);
	KUNIT_EXPECT_TRUE(test, destroyed);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, VT_BASE), 0UL);
}

static void vt_fault_counts_each_kind(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "stats");
	struct vmarena_area *src = vt_anon(test, as, "src", 2, RW);
	u64 before[VMARENA_STAT_NR], after[VMARENA_STAT_NR];
	struct vmarena_area *clone;

	vmarena_stats_read(before);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 1), 0);		/* zero */
	KUNIT_ASSERT_EQ(test, vt_peek(as, src->base), 1);		/* mapped */
	clone = vt_clone(test, as, src, false, RW);
	KUNIT_ASSERT_EQ(test, vt_peek(as, clone->base), 1);		/* minor */
	KUNIT_ASSERT_EQ(test, vt_poke(as, clone->base, 2), 0);		/* cow */
	vmarena_stats_read(after);
	KUNIT_EXPECT_EQ(test, after[VMARENA_STAT_FAULTS] - before[VMARENA_STAT_FAULTS], 4ULL);
	KUNIT_EXPECT_EQ(test, after[VMARENA_STAT_FAULTS_ZERO] - before[VMARENA_STAT_FAULTS_ZERO],
			1ULL);
	KUNIT_EXPECT_EQ(test,
			after[VMARENA_STAT_FAULTS_MAPPED] - before[VMARENA_STAT_FAULTS_MAPPED],
			1ULL);
	KUNIT_EXPECT_EQ(test,
			after[VMARENA_STAT_FAULTS_MINOR] - before[VMARENA_STAT_FAULTS_MINOR], 1ULL);
	KUNIT_EXPECT_EQ(test, after[VMARENA_STAT_FAULTS_COW] - before[VMARENA_STAT_FAULTS_COW],
			1ULL);
	KUNIT_EXPECT_EQ(test, vmarena_aspace_faults(as), 4ULL);
}

/*
 * A device area over a contiguous area's run maps RAM owned by a cache
 * outside its own chain, which its faults do not lock: a fault that finds
 * the page mapped already hands it over without touching its owner fields
 * (usage, state), which only the owner's c may change.
 */
static void vt_fault_device_over_arena_ram_leaves_its_owner_alone(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "devram");
	struct vmarena_area_spec spec = vt_spec("run", 2, RW);
	struct vmarena_fault_result res;
	struct vmarena_area *run, *dev;
	struct vmarena_page *page;
	phys_addr_t phys;
	u8 usage;
	int i;

	spec.wiring = VMARENA_WIRING_CONTIGUOUS;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &run), 0);
	vt_keep(test, run);
	KUNIT_ASSERT_EQ(test, vmarena_get_page_mapping(as, run->base, &phys), 0);
	page = vmarena_page_from_pfn(PHYS_PFN(phys));
	KUNIT_ASSERT_NOT_NULL(test, page);
	spec.wiring = VMARENA_WIRING_LAZY;
	KUNIT_ASSERT_EQ(test, vmarena_area_map_device(as, &spec, phys, &dev), 0);
	vt_keep(test, dev);
	mutex_lock(&run->cache->lock);
	usage = page->usage_count;
	mutex_unlock(&run->cache->lock);
	/* The first fault maps the pfn; the others find it mapped. */
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, vmarena_fault(as, dev->base, VMARENA_FAULT_READ, &res), 0);
		KUNIT_EXPECT_EQ(test, res.pfn, PHYS_PFN(phys));
		if (res.page)
			put_page(res.page);
	}
	mutex_lock(&run->cache->lock);
	KUNIT_EXPECT_EQ(test, page->usage_count, usage);
	KUNIT_EXPECT_EQ(test, page->state, (u8)VMARENA_PAGE_WIRED);
	mutex_unlock(&run->cache->lock);
}

static struct kunit_case vmarena_fault_test_cases[] = {
	KUNIT_CASE(vt_fault_counts_each_kind),
	KUNIT_CASE(vt_fault_read_zero_fills),
	KUNIT_CASE(vt_fault_write_then_read_back),
	KUNIT_CASE(vt_fault_outside_areas_is_efault),
	KUNIT_CASE(vt_fault_past_the_cache_end_is_efault),
	KUNIT_CASE(vt_fault_checks_protection),
	KUNIT_CASE(vt_fault_rejects_bad_access),
	KUNIT_CASE(vt_fault_null_area_always_faults),
	KUNIT_CASE(vt_fault_sets_page_states),
	KUNIT_CASE(vt_fault_maps_in_fragments),
	KUNIT_CASE(vt_fault_result_holds_a_page_reference),
	KUNIT_CASE(vt_fault_on_deleted_aspace_is_esrch),
	KUNIT_CASE(vt_fault_install_runs_under_the_locks),
	KUNIT_CASE(vt_fault_fast_path_reuses_the_fragment),
	KUNIT_CASE(vt_fault_install_gets_the_copy_after_copy_up),
	KUNIT_CASE(vt_fault_around_hands_over_resident_neighbours),
	KUNIT_CASE(vt_fault_ahead_fills_after_sequential_zero_faults),
	KUNIT_CASE(vt_fault_ahead_only_where_nobody_has_a_page),
	KUNIT_CASE(vt_fault_ahead_of_reads_is_active_and_read_mapped),
	KUNIT_CASE(vt_fault_ahead_never_in_a_chain),
	KUNIT_CASE(vt_fault_concurrent_faults_share_one_page),
	KUNIT_CASE(vt_fault_reads_store_pages),
	KUNIT_CASE(vt_fault_waits_for_a_busy_page),
	KUNIT_CASE(vt_fault_superlock_wait_holds_up_no_other_aspace),
	KUNIT_CASE(vt_fault_survives_aspace_deletion_while_sleeping),
	KUNIT_CASE(vt_fault_after_area_deleted_while_sleeping),
	KUNIT_CASE(vt_fault_device_over_arena_ram_leaves_its_owner_alone),
	{}
};

static struct kunit_suite vmarena_fault_suite = {
	.name = "vmarena_fault",
	.test_cases = vmarena_fault_test_cases,
};

kunit_test_suite(vmarena_fault_suite);
