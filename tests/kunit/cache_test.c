// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: caches and their chains.  Private clones read through to their
 * source, copy up on write, see the source's writes to pages they have not
 * copied; temporary caches merge when their last area goes; file caches
 * read from and write back to a file on tmpfs and are shared by inode.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/shmem_fs.h>
#include <kunit/test.h>

#include "fixture.h"

#define RW	(VMARENA_PROT_READ | VMARENA_PROT_WRITE)

static void vt_cache_private_clone_reads_through(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "through");
	struct vmarena_area *src = vt_anon(test, as, "src", 2, RW);
	struct vmarena_area *clone;

	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 0x11), 0);
	clone = vt_clone(test, as, src, false, RW);
	KUNIT_EXPECT_EQ(test, vt_chain_depth(clone), 2U);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base), 0x11);
	/* Reading shares the source's page, read-only. */
	KUNIT_EXPECT_EQ(test, vt_pfn(as, clone->base), vt_pfn(as, src->base));
	KUNIT_EXPECT_EQ(test, vt_resident(clone->cache), 0UL);
}

static void vt_cache_private_clone_write_copies_up(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "copyup");
	struct vmarena_area *src = vt_anon(test, as, "src", 2, RW);
	struct vmarena_area *clone;
	struct vmarena_area_desc info;

	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 0x11), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base + 1, 0x12), 0);
	clone = vt_clone(test, as, src, false, RW);
	KUNIT_ASSERT_EQ(test, vt_poke(as, clone->base, 0x99), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base), 0x99);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base + 1), 0x12);	/* copied along */
	KUNIT_EXPECT_EQ(test, vt_peek(as, src->base), 0x11);		/* source untouched */
	KUNIT_EXPECT_NE(test, vt_pfn(as, clone->base), vt_pfn(as, src->base));
	KUNIT_ASSERT_EQ(test, vmarena_area_get_info(clone, &info), 0);
	KUNIT_EXPECT_EQ(test, info.copies, 1UL);
	KUNIT_EXPECT_EQ(test, info.resident, 1UL);
}

static void vt_cache_source_writes_show_through_until_copied(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "showthrough");
	struct vmarena_area *src = vt_anon(test, as, "src", 2, RW);
	struct vmarena_area *clone = vt_clone(test, as, src, false, RW);

	/* Page 0: never touched by anyone before the source writes it. */
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 1), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base), 1);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 2), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base), 2);
	/* Page 1: the clone only read it first; the source's write still shows. */
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base + PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base + PAGE_SIZE, 3), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base + PAGE_SIZE), 3);
	/* Once the clone writes, the source's writes no longer reach it. */
	KUNIT_ASSERT_EQ(test, vt_poke(as, clone->base, 50), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 4), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base), 50);
	KUNIT_EXPECT_EQ(test, vt_peek(as, src->base), 4);
}

static void vt_cache_shared_clone_shares_both_ways(struct kunit *test)
{
	struct vmarena_aspace *a = vt_aspace(test, "shareA");
	struct vmarena_aspace *b = vt_aspace(test, "shareB");
	struct vmarena_area *src = vt_anon(test, a, "src", 1, RW);
	struct vmarena_area *clone = vt_clone(test, b, src, true, RW);

	KUNIT_EXPECT_PTR_EQ(test, clone->cache, src->cache);
	KUNIT_ASSERT_EQ(test, vt_poke(a, src->base, 5), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(b, clone->base), 5);
	KUNIT_ASSERT_EQ(test, vt_poke(b, clone->base, 6), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(a, src->base), 6);
	KUNIT_EXPECT_EQ(test, vt_pfn(a, src->base), vt_pfn(b, clone->base));
}

static void vt_cache_merge_on_source_delete(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "merge");
	struct vmarena_area_spec spec = vt_spec("src", 3, RW);
	struct vmarena_area *src, *clone;
	long caches;

	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &src), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 1), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base + PAGE_SIZE, 2), 0);
	clone = vt_clone(test, as, src, false, RW);
	KUNIT_ASSERT_EQ(test, vt_poke(as, clone->base + PAGE_SIZE, 20), 0);
	KUNIT_EXPECT_EQ(test, vt_chain_depth(clone), 2U);
	caches = vmarena_cache_count_alive();

	KUNIT_ASSERT_EQ(test, vmarena_area_delete(src), 0);
	vmarena_area_put(src);
	/* The source cache merged into the clone's and is gone. */
	KUNIT_EXPECT_EQ(test, vt_chain_depth(clone), 1U);
	KUNIT_EXPECT_EQ(test, vmarena_cache_count_alive(), caches - 1);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base), 1);		/* moved up */
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base + PAGE_SIZE), 20);	/* own copy won */
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base + 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, vt_resident(clone->cache), 3UL);
	/* And it is writable in place now. */
	KUNIT_ASSERT_EQ(test, vt_poke(as, clone->base, 9), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base), 9);
}

static void vt_cache_no_merge_with_two_consumers(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "nomerge");
	struct vmarena_area_spec spec = vt_spec("src", 1, RW);
	struct vmarena_area *src, *c1, *c2;

	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &src), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 7), 0);
	c1 = vt_clone(test, as, src, false, RW);
	c2 = vt_clone(test, as, src, false, RW);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(src), 0);
	vmarena_area_put(src);
	/* Two consumers share the orphaned source: it stays below both. */
	KUNIT_EXPECT_EQ(test, vt_chain_depth(c1), 2U);
	KUNIT_EXPECT_EQ(test, vt_chain_depth(c2), 2U);
	KUNIT_EXPECT_EQ(test, vt_peek(as, c1->base), 7);
	KUNIT_ASSERT_EQ(test, vt_poke(as, c2->base, 8), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, c1->base), 7);
	/* When one goes, the other absorbs the source. */
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(c2), 0);
	KUNIT_EXPECT_EQ(test, vt_chain_depth(c1), 1U);
	KUNIT_EXPECT_EQ(test, vt_peek(as, c1->base), 7);
}

static void vt_cache_chain_depth_is_bounded(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "deep");
	struct vmarena_area *area = vt_anon(test, as, "gen0", 1, RW);
	struct vmarena_area_spec spec = vt_spec("next", 1, RW);
	struct vmarena_area *next;
	unsigned int depth;

	for (depth = 1; depth < VMARENA_CACHE_MAX_DEPTH; depth++) {
		KUNIT_ASSERT_EQ(test, vt_poke(as, area->base, depth), 0);
		area = vt_clone(test, as, area, false, RW);
		KUNIT_ASSERT_EQ(test, vt_chain_depth(area), depth + 1);
	}
	KUNIT_EXPECT_EQ(test, vmarena_area_clone(as, &spec, area, false, &next), -EMLINK);
	/* A shared clone adds no depth and is still fine. */
	KUNIT_EXPECT_EQ(test, vmarena_area_clone(as, &spec, area, true, NULL), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), VMARENA_CACHE_MAX_DEPTH - 1);
}

static void vt_cache_copy_up_unmaps_stale_shared_view(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "stale");
	struct vmarena_area *src = vt_anon(test, as, "src", 1, RW);
	struct vmarena_area *priv, *shared;

	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 1), 0);
	priv = vt_clone(test, as, src, false, RW);
	shared = vt_clone(test, as, priv, true, RW);
	/* The shared clone maps the source's page through the private layer. */
	KUNIT_EXPECT_EQ(test, vt_peek(as, shared->base), 1);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, shared->base), vt_pfn(as, src->base));
	/* The private area copies up: its sharer must not keep the old page. */
	KUNIT_ASSERT_EQ(test, vt_poke(as, priv->base, 2), 0);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, shared->base), 0UL);
	KUNIT_EXPECT_EQ(test, vt_peek(as, shared->base), 2);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, shared->base), vt_pfn(as, priv->base));
}

static void vt_cache_lower_pages_map_read_only(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "ro");
	struct vmarena_area *src = vt_anon(test, as, "src", 1, RW);
	struct vmarena_area *clone;
	struct vmarena_fault_result res;

	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 1), 0);
	clone = vt_clone(test, as, src, false, RW);
	KUNIT_ASSERT_EQ(test, vmarena_fault(as, clone->base, VMARENA_FAULT_READ, &res), 0);
	KUNIT_EXPECT_EQ(test, res.prot, (u32)VMARENA_PROT_READ);
	put_page(res.page);
	KUNIT_ASSERT_EQ(test, vmarena_fault(as, clone->base, VMARENA_FAULT_WRITE, &res), 0);
	KUNIT_EXPECT_EQ(test, res.prot, (u32)RW);
	put_page(res.page);
}

static void vt_cache_commit_limit_refuses(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "commit");
	struct vmarena_area_spec spec = vt_spec("big", 16, RW);
	struct vmarena_page_stats stats;
	struct vmarena_area *area;
	u64 old;

	vmarena_page_get_stats(&stats);
	old = vmarena_commit_set_limit(stats.committed + VT_PAGES(8));
	KUNIT_EXPECT_EQ(test, vmarena_area_create_anon(as, &spec, NULL), -ENOMEM);
	spec.flags = VMARENA_AREA_OVERCOMMIT;
	KUNIT_EXPECT_EQ(test, vmarena_area_create_anon(as, &spec, &area), 0);
	spec.flags = 0;
	spec.size = VT_PAGES(8);
	KUNIT_EXPECT_EQ(test, vmarena_area_create_anon(as, &spec, NULL), 0);
	vmarena_page_get_stats(&stats);
	KUNIT_EXPECT_EQ(test, stats.committed, stats.max_commit);
	vmarena_commit_set_limit(old);
	if (area)
		vmarena_area_put(area);
}

static void vt_cache_delete_gives_commit_and_pages_back(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "giveback");
	struct vmarena_area_spec spec = vt_spec("a", 4, RW);
	struct vmarena_page_stats before, during, after;
	struct vmarena_area *area;
	int i;

	vmarena_page_get_stats(&before);
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &area), 0);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + VT_PAGES(i), 1), 0);
	vmarena_page_get_stats(&during);
	KUNIT_EXPECT_EQ(test, during.committed, before.committed + VT_PAGES(4));
	KUNIT_EXPECT_EQ(test, during.count[VMARENA_PAGE_MODIFIED],
			before.count[VMARENA_PAGE_MODIFIED] + 4);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(area), 0);
	vmarena_area_put(area);
	vmarena_page_get_stats(&after);
	KUNIT_EXPECT_EQ(test, after.committed, before.committed);
	KUNIT_EXPECT_EQ(test, after.count[VMARENA_PAGE_MODIFIED],
			before.count[VMARENA_PAGE_MODIFIED]);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, VT_BASE), 0UL);
}

static struct kunit_case vmarena_cache_cases[] = {
	KUNIT_CASE(vt_cache_private_clone_reads_through),
	KUNIT_CASE(vt_cache_private_clone_write_copies_up),
	KUNIT_CASE(vt_cache_source_writes_show_through_until_copied),
	KUNIT_CASE(vt_cache_shared_clone_shares_both_ways),
	KUNIT_CASE(vt_cache_merge_on_source_delete),
	KUNIT_CASE(vt_cache_no_merge_with_two_consumers),
	KUNIT_CASE(vt_cache_chain_depth_is_bounded),
	KUNIT_CASE(vt_cache_copy_up_unmaps_stale_shared_view),
	KUNIT_CASE(vt_cache_lower_pages_map_read_only),
	KUNIT_CASE(vt_cache_commit_limit_refuses),
	KUNIT_CASE(vt_cache_delete_gives_commit_and_pages_back),
	{}
};

static struct kunit_suite vmarena_cache_suite = {
	.name = "vmarena_cache",
	.test_cases = vmarena_cache_cases,
};

kunit_test_suite(vmarena_cache_suite);
