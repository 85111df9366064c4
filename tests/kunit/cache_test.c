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

/* Page @i of @area, as a byte: what the area shows there. */
static int vt_at(struct vmarena_area *area, unsigned int i)
{
	return vt_peek(area->aspace, area->base + VT_PAGES(i));
}

/* An area of 4 pages whose page i holds @first + i. */
static struct vmarena_area *vt_four(struct kunit *test, struct vmarena_aspace *as, u8 first)
{
	struct vmarena_area *area = vt_anon(test, as, "four", 4, RW);
	unsigned int i;

	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, vt_poke(as, area->base + VT_PAGES(i), first + i), 0);
	return area;
}

/*
 * A private clone shrunk and grown back shows zeros in the regrown range,
 * before its source's merge into it and after: the merge moves up only
 * the pages the clone showed, and drops those past its ->source_end.
 */
static void vt_cache_merge_keeps_a_regrown_consumers_view(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "regrown");
	struct vmarena_area *src = vt_four(test, as, 1);
	struct vmarena_area *clone = vt_clone(test, as, src, false, RW);
	struct vmarena_area *twin = vt_clone(test, as, clone, true, RW);

	KUNIT_ASSERT_EQ(test, vmarena_area_resize(clone, VT_PAGES(2), NULL), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(clone, VT_PAGES(4), NULL), 0);
	KUNIT_EXPECT_EQ(test, clone->cache->source_end, 2UL);
	/* Before the merge: both sharers, page 3 left unread. */
	KUNIT_EXPECT_EQ(test, vt_at(clone, 1), 2);
	KUNIT_EXPECT_EQ(test, vt_at(clone, 2), 0);
	KUNIT_EXPECT_EQ(test, vt_at(twin, 1), 2);
	KUNIT_EXPECT_EQ(test, vt_at(twin, 2), 0);

	KUNIT_ASSERT_EQ(test, vmarena_area_delete(src), 0);
	KUNIT_EXPECT_EQ(test, vt_chain_depth(clone), 1U);
	/* Pages 0 and 1 moved up, 2 was the clone's zeros, 3 was dropped. */
	KUNIT_EXPECT_EQ(test, vt_resident(clone->cache), 3UL);
	KUNIT_EXPECT_EQ(test, vt_at(clone, 0), 1);
	KUNIT_EXPECT_EQ(test, vt_at(twin, 1), 2);
	KUNIT_EXPECT_EQ(test, vt_at(clone, 2), 0);
	KUNIT_EXPECT_EQ(test, vt_at(twin, 3), 0);
	KUNIT_EXPECT_EQ(test, vt_at(clone, 3), 0);
}

/*
 * The same clone, its source merged while it is shrunk: the source's pages
 * at and past the clone's size go, and growing back shows zeros, as above.
 */
static void vt_cache_merge_into_a_shrunk_consumer(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "shrunk");
	struct vmarena_area *src = vt_four(test, as, 1);
	struct vmarena_area *clone = vt_clone(test, as, src, false, RW);
	struct vmarena_area *twin = vt_clone(test, as, clone, true, RW);

	KUNIT_ASSERT_EQ(test, vmarena_area_resize(clone, VT_PAGES(2), NULL), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(src), 0);
	KUNIT_EXPECT_EQ(test, vt_chain_depth(clone), 1U);
	KUNIT_EXPECT_EQ(test, vt_resident(clone->cache), 2UL);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(clone, VT_PAGES(4), NULL), 0);
	KUNIT_EXPECT_EQ(test, vt_at(clone, 1), 2);
	KUNIT_EXPECT_EQ(test, vt_at(twin, 0), 1);
	KUNIT_EXPECT_EQ(test, vt_at(clone, 2), 0);
	KUNIT_EXPECT_EQ(test, vt_at(twin, 3), 0);
}

/*
 * A -> B -> C, B shrunk to one page: C shows zeros past it.  When B goes,
 * C is linked to A but shows no more of it than B showed: not A's pages
 * past B's end, nor A's later writes there; A's writes below still show.
 */
static void vt_cache_merge_never_exposes_more_of_the_next_source(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "relink");
	struct vmarena_area *a = vt_four(test, as, 1);
	struct vmarena_area *b = vt_clone(test, as, a, false, RW);
	struct vmarena_area *c = vt_clone(test, as, b, false, RW);
	struct vmarena_area *twin = vt_clone(test, as, c, true, RW);

	KUNIT_ASSERT_EQ(test, vmarena_area_resize(b, VT_PAGES(1), NULL), 0);
	KUNIT_EXPECT_EQ(test, c->cache->source_end, 1UL);
	KUNIT_EXPECT_EQ(test, vt_at(c, 0), 1);
	KUNIT_EXPECT_EQ(test, vt_at(twin, 1), 0);

	KUNIT_ASSERT_EQ(test, vmarena_area_delete(b), 0);
	KUNIT_EXPECT_EQ(test, vt_chain_depth(c), 2U);
	KUNIT_EXPECT_EQ(test, c->cache->source_end, 1UL);
	KUNIT_EXPECT_EQ(test, vt_at(c, 1), 0);
	KUNIT_EXPECT_EQ(test, vt_at(c, 2), 0);
	/* Page 3, read by neither sharer yet, after A writes it. */
	KUNIT_ASSERT_EQ(test, vt_poke(as, a->base + VT_PAGES(3), 9), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, a->base, 7), 0);
	KUNIT_EXPECT_EQ(test, vt_at(twin, 3), 0);
	KUNIT_EXPECT_EQ(test, vt_at(c, 3), 0);
	KUNIT_EXPECT_EQ(test, vt_at(c, 0), 7);
	KUNIT_EXPECT_EQ(test, vt_at(twin, 0), 7);
}

/*
 * A -> B -> C: C maps A's pages (through B).  B shrinks: C's mappings of
 * A's pages past B's new end go, so that C and its shared clone show the
 * same zeros there.
 */
static void vt_cache_middle_shrink_unmaps_what_consumers_saw(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "middle");
	struct vmarena_area *a = vt_four(test, as, 1);
	struct vmarena_area *b = vt_clone(test, as, a, false, RW);
	struct vmarena_area *c = vt_clone(test, as, b, false, RW);
	struct vmarena_area *twin = vt_clone(test, as, c, true, RW);

	KUNIT_EXPECT_EQ(test, vt_at(c, 2), 3);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, c->base + VT_PAGES(2)), vt_pfn(as, a->base + VT_PAGES(2)));
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(b, VT_PAGES(1), NULL), 0);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, c->base + VT_PAGES(2)), 0UL);
	KUNIT_EXPECT_EQ(test, vt_at(c, 2), 0);
	KUNIT_EXPECT_EQ(test, vt_at(twin, 2), 0);
	KUNIT_EXPECT_EQ(test, vt_at(c, 0), 1);
	KUNIT_EXPECT_EQ(test, vt_at(a, 2), 3);
}

/*
 * A wired read-only clone C of B, a private clone of A, wires A's pages.
 * When B shrinks, C no longer shows them: their wiring goes with the
 * mapping, so they do not stay pinned for good.
 */
static void vt_cache_middle_shrink_gives_back_wirings(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wired");
	struct vmarena_area_spec spec = vt_spec("c", 4, VMARENA_PROT_READ);
	struct vmarena_area *a = vt_four(test, as, 1);
	struct vmarena_area *b = vt_clone(test, as, a, false, RW);
	struct vmarena_cache *cache = a->cache;
	struct vmarena_page *page;
	struct vmarena_area *c;
	u32 wired;

	spec.wiring = VMARENA_WIRING_WIRED;
	KUNIT_ASSERT_EQ(test, vmarena_area_clone(as, &spec, b, false, &c), 0);
	vt_keep(test, c);
	mutex_lock(&cache->lock);
	page = vmarena_cache_lookup_page(cache, 2);
	wired = page ? page->wired_count : 0;
	mutex_unlock(&cache->lock);
	KUNIT_EXPECT_EQ(test, wired, 1U);

	KUNIT_ASSERT_EQ(test, vmarena_area_resize(b, VT_PAGES(1), NULL), 0);
	mutex_lock(&cache->lock);
	page = vmarena_cache_lookup_page(cache, 2);
	wired = page ? page->wired_count : ~0U;
	mutex_unlock(&cache->lock);
	KUNIT_EXPECT_EQ(test, wired, 0U);
	KUNIT_EXPECT_EQ(test, vt_at(c, 2), 0);
	KUNIT_EXPECT_EQ(test, vt_at(c, 0), 1);
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
	KUNIT_CASE(vt_cache_merge_keeps_a_regrown_consumers_view),
	KUNIT_CASE(vt_cache_merge_into_a_shrunk_consumer),
	KUNIT_CASE(vt_cache_merge_never_exposes_more_of_the_next_source),
	KUNIT_CASE(vt_cache_middle_shrink_unmaps_what_consumers_saw),
	KUNIT_CASE(vt_cache_middle_shrink_gives_back_wirings),
	{}
};

static struct kunit_suite vmarena_cache_suite = {
	.name = "vmarena_cache",
	.test_cases = vmarena_cache_cases,
};

kunit_test_suite(vmarena_cache_suite);
