// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the swap space (module/vmarena/swap.c) and paging anonymous pages
 * out to it and back (store_anon.c, pageout.c).  The slot map hands out
 * the lowest free slot, refuses when full and punches freed slots out of
 * the file; a page paged out by hand, the way the page daemon will do it,
 * comes back on the next fault with its contents; shrinking, deleting and
 * merging caches free or move the slots of their paged-out pages.
 *
 * Every case starts with no slot in use (nothing else in the module pages
 * out yet) and the suite's exit restores the slot limit a case changed.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/shmem_fs.h>
#include <kunit/resource.h>
#include <kunit/test.h>

#include "fixture.h"

#define RW	(VMARENA_PROT_READ | VMARENA_PROT_WRITE)

#define VT_MAX_SLOTS 8

/* What a case changed, undone in the suite's exit even if it failed. */
struct vt_swap_fixture {
	u32 old_limit;
	u32 slots[VT_MAX_SLOTS];	/* slots the case holds by hand */
	unsigned int nr;
};

static int vt_swap_init(struct kunit *test)
{
	struct vt_swap_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	u64 used, total;

	if (!f)
		return -ENOMEM;
	vmarena_swap_stats(&used, &total);
	f->old_limit = total;
	test->priv = f;
	return 0;
}

static void vt_swap_exit(struct kunit *test)
{
	struct vt_swap_fixture *f = test->priv;

	while (f->nr)
		vmarena_swap_free(f->slots[--f->nr]);
	vmarena_swap_set_limit(f->old_limit);
}

/* vmarena_swap_alloc(), the slot freed in the exit unless the case does. */
static int vt_slot_try(struct kunit *test, u32 *slot)
{
	struct vt_swap_fixture *f = test->priv;
	int ret;

	KUNIT_ASSERT_LT(test, f->nr, (unsigned int)VT_MAX_SLOTS);
	ret = vmarena_swap_alloc(slot);
	if (!ret)
		f->slots[f->nr++] = *slot;
	return ret;
}

static u32 vt_slot(struct kunit *test)
{
	u32 slot;

	KUNIT_ASSERT_EQ(test, vt_slot_try(test, &slot), 0);
	return slot;
}

static void vt_slot_free(struct kunit *test, u32 slot)
{
	struct vt_swap_fixture *f = test->priv;
	unsigned int i;

	for (i = 0; i < f->nr; i++) {
		if (f->slots[i] == slot) {
			f->slots[i] = f->slots[--f->nr];
			vmarena_swap_free(slot);
			return;
		}
	}
	KUNIT_FAIL(test, "slot %u is not the case's", slot);
}

static u64 vt_swap_used(void)
{
	u64 used, total;

	vmarena_swap_stats(&used, &total);
	return used;
}

/* Skip without swap (swap_pages=0); otherwise no slot may be in use yet. */
static void vt_need_swap(struct kunit *test)
{
	u64 used, total;

	vmarena_swap_stats(&used, &total);
	if (!total)
		kunit_skip(test, "the module was loaded without swap (swap_pages=0)");
	KUNIT_ASSERT_EQ_MSG(test, used, 0ULL, "swap slots left in use before the case");
}

static int vt_kpage_init(struct kunit_resource *res, void *context)
{
	res->data = alloc_page(GFP_KERNEL);
	return res->data ? 0 : -ENOMEM;
}

static void vt_kpage_release(struct kunit_resource *res)
{
	__free_page(res->data);
}

/* A kernel page for slot I/O, freed when the case ends. */
static struct page *vt_kpage(struct kunit *test)
{
	struct page *page = kunit_alloc_resource(test, vt_kpage_init, vt_kpage_release,
						 GFP_KERNEL, NULL);

	KUNIT_ASSERT_NOT_NULL(test, page);
	return page;
}

static bool vt_page_is_zero(struct page *page)
{
	u8 *p = kmap_local_page(page);
	bool zero = !memchr_inv(p, 0, PAGE_SIZE);

	kunmap_local(p);
	return zero;
}

static int vt_pageout(struct vmarena_area *area, unsigned long page)
{
	return vmarena_pageout_page(area->cache, area->cache_offset + page);
}

/* ---- the slot map ------------------------------------------------------ */

static void vt_swap_slot_alloc_free_reuse(struct kunit *test)
{
	u32 a, b, c;

	vt_need_swap(test);
	a = vt_slot(test);
	b = vt_slot(test);
	KUNIT_EXPECT_NE(test, a, b);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 2ULL);
	vt_slot_free(test, a);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 1ULL);
	/* The lowest free slot comes first: the one just freed. */
	c = vt_slot(test);
	KUNIT_EXPECT_EQ(test, c, a);
	vt_slot_free(test, b);
	vt_slot_free(test, c);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 0ULL);
}

static void vt_swap_full_is_enospc(struct kunit *test)
{
	u32 slots[4], extra;
	u64 used, total;
	int i;

	vt_need_swap(test);
	vmarena_swap_set_limit(4);
	for (i = 0; i < 4; i++)
		slots[i] = vt_slot(test);
	KUNIT_EXPECT_EQ(test, vt_slot_try(test, &extra), -ENOSPC);
	vmarena_swap_stats(&used, &total);
	KUNIT_EXPECT_EQ(test, used, 4ULL);
	KUNIT_EXPECT_EQ(test, total, 4ULL);
	/* One freed makes room for exactly one more. */
	vt_slot_free(test, slots[2]);
	extra = vt_slot(test);
	KUNIT_EXPECT_EQ(test, extra, slots[2]);
	KUNIT_EXPECT_EQ(test, vt_slot_try(test, &slots[2]), -ENOSPC);
	for (i = 0; i < 4; i++)
		vt_slot_free(test, i == 2 ? extra : slots[i]);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 0ULL);
}

static void vt_swap_stats_follow_slots_and_limit(struct kunit *test)
{
	struct vt_swap_fixture *f = test->priv;
	u64 used, total;
	u32 a, b;

	vt_need_swap(test);
	vmarena_swap_stats(&used, &total);
	KUNIT_EXPECT_EQ(test, total, (u64)f->old_limit);
	a = vt_slot(test);
	b = vt_slot(test);
	vmarena_swap_stats(&used, &total);
	KUNIT_EXPECT_EQ(test, used, 2ULL);
	/* The limit is what stats call the total; it never passes the file. */
	KUNIT_EXPECT_EQ(test, vmarena_swap_set_limit(10), f->old_limit);
	vmarena_swap_stats(&used, &total);
	KUNIT_EXPECT_EQ(test, total, 10ULL);
	vmarena_swap_set_limit(U32_MAX);
	vmarena_swap_stats(&used, &total);
	KUNIT_EXPECT_GE(test, total, (u64)f->old_limit);
	KUNIT_EXPECT_LT(test, total, (u64)U32_MAX);
	vt_slot_free(test, a);
	vt_slot_free(test, b);
	vmarena_swap_stats(&used, &total);
	KUNIT_EXPECT_EQ(test, used, 0ULL);
}

static void vt_swap_write_read_round_trip(struct kunit *test)
{
	struct page *a = vt_kpage(test), *b = vt_kpage(test), *back = vt_kpage(test);
	u32 sa, sb;

	vt_need_swap(test);
	sa = vt_slot(test);
	sb = vt_slot(test);
	vt_pattern(a, 0x11);
	vt_pattern(b, 0x77);
	KUNIT_EXPECT_EQ(test, vmarena_swap_write(sa, a), 0);
	KUNIT_EXPECT_EQ(test, vmarena_swap_write(sb, b), 0);
	KUNIT_EXPECT_EQ(test, vmarena_swap_read(sa, back), 0);
	KUNIT_EXPECT_EQ(test, vt_page_sum(back), vt_page_sum(a));
	KUNIT_EXPECT_EQ(test, vmarena_swap_read(sb, back), 0);
	KUNIT_EXPECT_EQ(test, vt_page_sum(back), vt_page_sum(b));
	/* Rewriting a slot replaces its contents. */
	KUNIT_EXPECT_EQ(test, vmarena_swap_write(sa, b), 0);
	KUNIT_EXPECT_EQ(test, vmarena_swap_read(sa, back), 0);
	KUNIT_EXPECT_EQ(test, vt_page_sum(back), vt_page_sum(b));
	vt_slot_free(test, sa);
	vt_slot_free(test, sb);
}

static void vt_swap_freed_slot_comes_back_zeroed(struct kunit *test)
{
	struct page *page = vt_kpage(test);
	u32 slot, again;

	vt_need_swap(test);
	slot = vt_slot(test);
	vt_pattern(page, 0x5a);
	KUNIT_ASSERT_EQ(test, vmarena_swap_write(slot, page), 0);
	vt_slot_free(test, slot);
	again = vt_slot(test);
	KUNIT_ASSERT_EQ(test, again, slot);
	/* Its range was punched out: the old contents are gone. */
	KUNIT_EXPECT_EQ(test, vmarena_swap_read(again, page), 0);
	KUNIT_EXPECT_TRUE(test, vt_page_is_zero(page));
	vt_slot_free(test, again);
}

static void vt_swap_io_needs_a_slot_in_use(struct kunit *test)
{
	struct page *page = vt_kpage(test);
	u32 slot;

	vt_need_swap(test);
	slot = vt_slot(test);
	vt_slot_free(test, slot);
	KUNIT_EXPECT_EQ(test, vmarena_swap_write(slot, page), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_swap_read(slot, page), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_swap_read(U32_MAX, page), -EINVAL);
}

/* ---- paging anonymous memory out and back ------------------------------ */

#define VT_NPAGES 8

static void vt_swap_pageout_and_fault_back(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "pageout");
	struct vmarena_area *area = vt_anon(test, as, "anon", VT_NPAGES, RW);
	struct vmarena_page_stats before, after;
	u64 ev_before[VMARENA_STAT_NR], ev_after[VMARENA_STAT_NR];
	u32 sums[VT_NPAGES];
	int i;

	vt_need_swap(test);
	for (i = 0; i < VT_NPAGES; i++)
		sums[i] = vt_fill(test, as, area->base + VT_PAGES(i), i);
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + VT_PAGES(3) + 100, 0xab), 0);
	sums[3] = vt_sum(test, as, area->base + VT_PAGES(3));
	vmarena_page_get_stats(&before);
	vmarena_stats_read(ev_before);

	for (i = 0; i < VT_NPAGES; i++)
		KUNIT_ASSERT_EQ(test, vt_pageout(area, i), 0);
	/* Gone from memory and from the fragments, kept in swap. */
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 0UL);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), (u64)VT_NPAGES);
	for (i = 0; i < VT_NPAGES; i++)
		KUNIT_EXPECT_EQ(test, vt_pfn(as, area->base + VT_PAGES(i)), 0UL);
	vmarena_page_get_stats(&after);
	KUNIT_EXPECT_EQ(test, after.count[VMARENA_PAGE_MODIFIED],
			before.count[VMARENA_PAGE_MODIFIED] - VT_NPAGES);

	/* Each comes back on its fault, as it was; its slot is freed. */
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(3) + 100), 0xab);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), (u64)VT_NPAGES - 1);
	for (i = 0; i < VT_NPAGES; i++)
		KUNIT_EXPECT_EQ(test, vt_sum(test, as, area->base + VT_PAGES(i)), sums[i]);
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), (unsigned long)VT_NPAGES);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 0ULL);
	/* The arena's counters saw every page go out and come back. */
	vmarena_stats_read(ev_after);
	KUNIT_EXPECT_EQ(test, ev_after[VMARENA_STAT_PAGEOUTS] - ev_before[VMARENA_STAT_PAGEOUTS],
			(u64)VT_NPAGES);
	KUNIT_EXPECT_EQ(test, ev_after[VMARENA_STAT_PAGEINS] - ev_before[VMARENA_STAT_PAGEINS],
			(u64)VT_NPAGES);
	KUNIT_EXPECT_EQ(test, ev_after[VMARENA_STAT_FAULTS_MAJOR] -
			ev_before[VMARENA_STAT_FAULTS_MAJOR], (u64)VT_NPAGES);
}

static void vt_swap_page_written_after_swap_in_pages_out_again(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "again");
	struct vmarena_area *area = vt_anon(test, as, "anon", 2, RW);

	vt_need_swap(test);
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base, 1), 0);
	KUNIT_ASSERT_EQ(test, vt_pageout(area, 0), 0);
	/* A write fault brings it back, and the write lands on it. */
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + 1, 2), 0);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 0ULL);
	KUNIT_ASSERT_EQ(test, vt_pageout(area, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 1ULL);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), 1);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + 1), 2);
	/* Read back, then paged out with nothing written: still the same. */
	KUNIT_ASSERT_EQ(test, vt_pageout(area, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + 1), 2);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 0ULL);
}

static void vt_swap_shrink_frees_slots(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "shrink");
	struct vmarena_area *area = vt_anon(test, as, "anon", VT_NPAGES, RW);
	u32 sums[VT_NPAGES];
	int i;

	vt_need_swap(test);
	for (i = 0; i < VT_NPAGES; i++) {
		sums[i] = vt_fill(test, as, area->base + VT_PAGES(i), 0x40 + i);
		KUNIT_ASSERT_EQ(test, vt_pageout(area, i), 0);
	}
	KUNIT_ASSERT_EQ(test, vt_swap_used(), (u64)VT_NPAGES);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(area, VT_PAGES(3), NULL), 0);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 3ULL);
	/* Grown again, the pages that fell off read as zeros. */
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(area, VT_PAGES(VT_NPAGES), NULL), 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, vt_sum(test, as, area->base + VT_PAGES(i)), sums[i]);
	for (i = 3; i < VT_NPAGES; i++) {
		KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(i)), 0);
		KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + VT_PAGES(i) + 77), 0);
	}
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 0ULL);
}

static void vt_swap_delete_frees_slots(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "delete");
	struct vmarena_area_spec spec = vt_spec("anon", 4, RW);
	struct vmarena_area *area;
	long caches;
	int i;

	vt_need_swap(test);
	caches = vmarena_cache_count_alive();
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &area), 0);
	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + VT_PAGES(i), i + 1), 0);
		KUNIT_ASSERT_EQ(test, vt_pageout(area, i), 0);
	}
	KUNIT_ASSERT_EQ(test, vt_swap_used(), 4ULL);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(area), 0);
	vmarena_area_put(area);
	KUNIT_EXPECT_EQ(test, vmarena_cache_count_alive(), caches);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 0ULL);
}

static void vt_swap_private_clone_reads_paged_out_source(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "clone");
	struct vmarena_area *src = vt_anon(test, as, "src", 2, RW);
	struct vmarena_area *clone;
	u32 sum;

	vt_need_swap(test);
	sum = vt_fill(test, as, src->base, 0x21);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base + PAGE_SIZE, 0x22), 0);
	clone = vt_clone(test, as, src, false, RW);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base + PAGE_SIZE), 0x22);
	/* The source's page goes out; the clone maps it no more ... */
	KUNIT_ASSERT_EQ(test, vt_pageout(src, 0), 0);
	KUNIT_ASSERT_EQ(test, vt_pageout(src, 1), 0);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, clone->base + PAGE_SIZE), 0UL);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 2ULL);
	/* ... but still reads it, through the chain, from the source's store. */
	KUNIT_EXPECT_EQ(test, vt_sum(test, as, clone->base), sum);
	KUNIT_EXPECT_EQ(test, vt_resident(clone->cache), 0UL);
	KUNIT_EXPECT_EQ(test, vt_sum(test, as, src->base), sum);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, clone->base), vt_pfn(as, src->base));
	/* A write to the clone copies the page up once it is back. */
	KUNIT_ASSERT_EQ(test, vt_poke(as, clone->base + PAGE_SIZE, 0x99), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base + PAGE_SIZE), 0x99);
	KUNIT_EXPECT_EQ(test, vt_peek(as, src->base + PAGE_SIZE), 0x22);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 0ULL);
}

static void vt_swap_merge_moves_paged_out_pages_up(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "merge");
	struct vmarena_area_spec spec = vt_spec("src", 3, RW);
	struct vmarena_area *src, *clone;

	vt_need_swap(test);
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &src), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 1), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base + VT_PAGES(1), 2), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base + VT_PAGES(2), 3), 0);
	clone = vt_clone(test, as, src, false, RW);
	KUNIT_ASSERT_EQ(test, vt_poke(as, clone->base + VT_PAGES(1), 20), 0);
	/* The source's page 0 and the clone's own page 1 are paged out. */
	KUNIT_ASSERT_EQ(test, vt_pageout(src, 0), 0);
	KUNIT_ASSERT_EQ(test, vt_pageout(clone, 1), 0);
	KUNIT_ASSERT_EQ(test, vt_swap_used(), 2ULL);

	KUNIT_ASSERT_EQ(test, vmarena_area_delete(src), 0);
	vmarena_area_put(src);
	KUNIT_EXPECT_EQ(test, vt_chain_depth(clone), 1U);
	/* The source's slot moved up; the clone's own page won over the source's. */
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 2ULL);
	KUNIT_EXPECT_EQ(test, vt_resident(clone->cache), 1UL);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base), 1);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base + VT_PAGES(1)), 20);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base + VT_PAGES(2)), 3);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 0ULL);
}

static void vt_swap_pageout_unmaps_every_sharer(struct kunit *test)
{
	struct vmarena_aspace *a = vt_aspace(test, "sharerA");
	struct vmarena_aspace *b = vt_aspace(test, "sharerB");
	struct vmarena_area *src = vt_anon(test, a, "src", 1, RW);
	struct vmarena_area *shared = vt_clone(test, b, src, true, RW);

	vt_need_swap(test);
	KUNIT_ASSERT_EQ(test, vt_poke(a, src->base, 0x31), 0);
	KUNIT_ASSERT_EQ(test, vt_peek(b, shared->base), 0x31);
	KUNIT_ASSERT_NE(test, vt_pfn(b, shared->base), 0UL);
	KUNIT_ASSERT_EQ(test, vt_pageout(src, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_pfn(a, src->base), 0UL);
	KUNIT_EXPECT_EQ(test, vt_pfn(b, shared->base), 0UL);
	KUNIT_ASSERT_EQ(test, vt_poke(b, shared->base, 0x32), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(a, src->base), 0x32);
	KUNIT_EXPECT_EQ(test, vt_pfn(a, src->base), vt_pfn(b, shared->base));
}

static void vt_swap_store_ops_keep_and_drop_slots(struct kunit *test)
{
	struct page *page = vt_kpage(test), *back = vt_kpage(test);
	struct vmarena_store *store;
	u32 sum;

	vt_need_swap(test);
	store = vmarena_store_anon_create(true);
	KUNIT_ASSERT_NOT_NULL(test, store);
	/* No cache here: the test is the only user, so no lock is needed. */
	vt_pattern(page, 0x3c);
	sum = vt_page_sum(page);
	KUNIT_EXPECT_EQ(test, store->ops->page_out(store, 2, page), 0);
	KUNIT_EXPECT_EQ(test, store->ops->page_out(store, 3, page), 0);
	KUNIT_EXPECT_EQ(test, store->ops->page_out(store, 9, page), 0);
	KUNIT_EXPECT_TRUE(test, store->ops->has_page(store, 2));
	KUNIT_EXPECT_FALSE(test, store->ops->has_page(store, 1));
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 3ULL);
	/* Shrunk to 3 pages: offsets 3 and up lose their slots, 2 keeps its. */
	store->ops->truncate(store, 3);
	KUNIT_EXPECT_TRUE(test, store->ops->has_page(store, 2));
	KUNIT_EXPECT_FALSE(test, store->ops->has_page(store, 3));
	KUNIT_EXPECT_FALSE(test, store->ops->has_page(store, 9));
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 1ULL);
	/* A read that lost its slot to a shrink reads zeros. */
	vt_pattern(back, 0xff);
	KUNIT_EXPECT_EQ(test, store->ops->read(store, 3, back), 0);
	KUNIT_EXPECT_TRUE(test, vt_page_is_zero(back));
	/* A read takes its page back and frees the slot. */
	KUNIT_EXPECT_EQ(test, store->ops->read(store, 2, back), 0);
	KUNIT_EXPECT_EQ(test, vt_page_sum(back), sum);
	KUNIT_EXPECT_FALSE(test, store->ops->has_page(store, 2));
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 0ULL);
	/* Destroying frees what is left. */
	KUNIT_EXPECT_EQ(test, store->ops->page_out(store, 0, page), 0);
	store->ops->destroy(store);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 0ULL);
}

/* ---- what page-out refuses --------------------------------------------- */

static void vt_swap_pageout_refuses_wired(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wired");
	struct vmarena_area_spec spec = vt_spec("wired", 1, RW);
	struct vmarena_area *area = NULL;

	vt_need_swap(test);
	spec.wiring = VMARENA_WIRING_WIRED;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &area), 0);
	vt_keep(test, area);
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base, 7), 0);
	KUNIT_EXPECT_EQ(test, vt_pageout(area, 0), -EBUSY);
	KUNIT_EXPECT_NE(test, vt_pfn(as, area->base), 0UL);
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 1UL);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 0ULL);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), 7);
}

static void vt_swap_pageout_refuses_busy(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "busy");
	struct vmarena_area *area = vt_anon(test, as, "anon", 1, RW);
	struct vmarena_cache *cache = area->cache;
	struct vmarena_page *page;

	vt_need_swap(test);
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base, 8), 0);
	/* Busy, as it would be while a fault reads it or another page-out writes it. */
	mutex_lock(&cache->lock);
	page = vmarena_cache_lookup_page(cache, 0);
	if (page)
		page->busy = true;
	mutex_unlock(&cache->lock);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, vt_pageout(area, 0), -EBUSY);
	mutex_lock(&cache->lock);
	vmarena_cache_mark_page_unbusy(cache, page);
	mutex_unlock(&cache->lock);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 0ULL);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), 8);
	/* Not busy any more: now it goes. */
	KUNIT_EXPECT_EQ(test, vt_pageout(area, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), 8);
}

static void vt_swap_pageout_refuses_a_held_page(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "held");
	struct vmarena_area *area = vt_anon(test, as, "anon", 1, RW);
	struct vmarena_fault_result res;

	vt_need_swap(test);
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base, 9), 0);
	/* A fault's caller holds the page, as a pinned user page would be. */
	KUNIT_ASSERT_EQ(test, vmarena_fault(as, area->base, VMARENA_FAULT_READ, &res), 0);
	KUNIT_EXPECT_EQ(test, vt_pageout(area, 0), -EBUSY);
	put_page(res.page);
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 1UL);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 0ULL);
	/* Once it is let go, it goes. */
	KUNIT_EXPECT_EQ(test, vt_pageout(area, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), 9);
}

static void vt_swap_pageout_refuses_absent_and_unpageable(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "absent");
	struct vmarena_area *area = vt_anon(test, as, "anon", 2, RW);
	struct vmarena_area_spec spec = vt_spec("file", 1, RW);
	struct vmarena_area *mapped;
	u64 used, after, total;
	struct file *file;
	int ret;

	vt_need_swap(test);
	/* Never touched, and already out: nothing resident to page out. */
	KUNIT_EXPECT_EQ(test, vt_pageout(area, 1), -ENOENT);
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base, 1), 0);
	KUNIT_ASSERT_EQ(test, vt_pageout(area, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_pageout(area, 0), -ENOENT);
	/* A file's pages go back to their file, not to swap. */
	file = shmem_file_setup("vmarena-kunit", PAGE_SIZE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	ret = vmarena_area_map_file(as, &spec, file, 0, true, &mapped);
	fput(file);
	KUNIT_ASSERT_EQ(test, ret, 0);
	vt_keep(test, mapped);
	KUNIT_ASSERT_EQ(test, vt_poke(as, mapped->base, 2), 0);
	vmarena_swap_stats(&used, &total);
	KUNIT_EXPECT_EQ(test, vt_pageout(mapped, 0), 0);
	vmarena_swap_stats(&after, &total);
	KUNIT_EXPECT_EQ(test, after, used);
	KUNIT_EXPECT_EQ(test, vt_resident(mapped->cache), 0UL);
	KUNIT_EXPECT_EQ(test, vt_peek(as, mapped->base), 2);	/* read from the file */
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), 1);
	/* A reservation has nothing to page out, nor anywhere to put it. */
	spec.name = "null";
	KUNIT_ASSERT_EQ(test, vmarena_area_create_null(as, &spec, &mapped), 0);
	vt_keep(test, mapped);
	KUNIT_EXPECT_EQ(test, vt_pageout(mapped, 0), -EOPNOTSUPP);
}

static void vt_swap_pageout_when_full_keeps_the_page(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "full");
	struct vmarena_area *area = vt_anon(test, as, "anon", 1, RW);
	u32 sum;

	vt_need_swap(test);
	sum = vt_fill(test, as, area->base, 0x66);
	vmarena_swap_set_limit(0);
	KUNIT_EXPECT_EQ(test, vt_pageout(area, 0), -ENOSPC);
	KUNIT_EXPECT_EQ(test, vt_resident(area->cache), 1UL);
	KUNIT_EXPECT_EQ(test, vt_sum(test, as, area->base), sum);
	KUNIT_EXPECT_EQ(test, vt_swap_used(), 0ULL);
}

static struct kunit_case vt_swap_cases[] = {
	KUNIT_CASE(vt_swap_slot_alloc_free_reuse),
	KUNIT_CASE(vt_swap_full_is_enospc),
	KUNIT_CASE(vt_swap_stats_follow_slots_and_limit),
	KUNIT_CASE(vt_swap_write_read_round_trip),
	KUNIT_CASE(vt_swap_freed_slot_comes_back_zeroed),
	KUNIT_CASE(vt_swap_io_needs_a_slot_in_use),
	KUNIT_CASE(vt_swap_pageout_and_fault_back),
	KUNIT_CASE(vt_swap_page_written_after_swap_in_pages_out_again),
	KUNIT_CASE(vt_swap_shrink_frees_slots),
	KUNIT_CASE(vt_swap_delete_frees_slots),
	KUNIT_CASE(vt_swap_private_clone_reads_paged_out_source),
	KUNIT_CASE(vt_swap_merge_moves_paged_out_pages_up),
	KUNIT_CASE(vt_swap_pageout_unmaps_every_sharer),
	KUNIT_CASE(vt_swap_store_ops_keep_and_drop_slots),
	KUNIT_CASE(vt_swap_pageout_refuses_wired),
	KUNIT_CASE(vt_swap_pageout_refuses_busy),
	KUNIT_CASE(vt_swap_pageout_refuses_a_held_page),
	KUNIT_CASE(vt_swap_pageout_refuses_absent_and_unpageable),
	KUNIT_CASE(vt_swap_pageout_when_full_keeps_the_page),
	{}
};

static struct kunit_suite vt_swap_suite = {
	.name = "vmarena_swap",
	.init = vt_swap_init,
	.exit = vt_swap_exit,
	.test_cases = vt_swap_cases,
};

kunit_test_suites(&vt_swap_suite);
