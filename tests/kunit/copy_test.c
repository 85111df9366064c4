// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: copies are snapshots (uapi/vmarena.h, "Copies"; copy.c).  A copy
 * on write layers the source and the copy over the source's old cache;
 * each case writes on both sides afterwards and checks that neither sees
 * the other, whatever is copied again, cloned or deleted along the chain.
 */
#include <kunit/test.h>

#include "fixture.h"

#define RW	(VMARENA_PROT_READ | VMARENA_PROT_WRITE)

/* A copy of @source into @as, anywhere; its reference dropped at the end. */
static struct vmarena_area *vt_copy(struct kunit *test, struct vmarena_aspace *as,
				    struct vmarena_area *source)
{
	struct vmarena_area_spec spec = vt_spec(NULL, 0, 0);
	struct vmarena_area *copy = NULL;

	KUNIT_ASSERT_EQ(test, vmarena_area_copy(as, &spec, source, &copy), 0);
	return vt_keep(test, copy);
}

static void vt_copy_source_writes_stay_out_of_the_copy(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "copy");
	struct vmarena_area *src = vt_anon(test, as, "src", 2, RW), *copy;

	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 1), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base + PAGE_SIZE, 2), 0);
	copy = vt_copy(test, as, src);
	KUNIT_EXPECT_STREQ(test, copy->name, "src");
	KUNIT_EXPECT_EQ(test, vt_peek(as, copy->base), 1);
	/* Mapped writable before the copy: the write faults and copies up. */
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 10), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, copy->base), 1);
	KUNIT_EXPECT_EQ(test, vt_peek(as, src->base), 10);
	/* And the other way. */
	KUNIT_ASSERT_EQ(test, vt_poke(as, copy->base + PAGE_SIZE, 20), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, src->base + PAGE_SIZE), 2);
	KUNIT_EXPECT_EQ(test, vt_peek(as, copy->base + PAGE_SIZE), 20);
}

static void vt_copy_of_a_copy_keeps_each_snapshot(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "copy");
	struct vmarena_aspace *other = vt_aspace(test, "other");
	struct vmarena_area *src = vt_anon(test, as, "src", 1, RW), *c1, *c2;

	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 1), 0);
	c1 = vt_copy(test, other, src);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 2), 0);
	c2 = vt_copy(test, as, c1);
	KUNIT_ASSERT_EQ(test, vt_poke(other, c1->base, 3), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 4), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, src->base), 4);
	KUNIT_EXPECT_EQ(test, vt_peek(other, c1->base), 3);
	KUNIT_EXPECT_EQ(test, vt_peek(as, c2->base), 1);
}

static void vt_copy_survives_the_source_and_its_merge(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "copy");
	struct vmarena_area *src = vt_anon(test, as, "src", 2, RW), *copy;
	unsigned int depth;

	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 5), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base + PAGE_SIZE, 6), 0);
	copy = vt_copy(test, as, src);
	depth = vt_chain_depth(copy);
	KUNIT_EXPECT_EQ(test, depth, 2U);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 7), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(src), 0);
	/* The old cache had the copy as its only consumer left: merged. */
	KUNIT_EXPECT_EQ(test, vt_chain_depth(copy), 1U);
	KUNIT_EXPECT_EQ(test, vt_peek(as, copy->base), 5);
	KUNIT_EXPECT_EQ(test, vt_peek(as, copy->base + PAGE_SIZE), 6);
}

static void vt_copy_leaves_earlier_private_clones_their_view(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "copy");
	struct vmarena_area *src = vt_anon(test, as, "src", 1, RW), *clone, *copy;

	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 7), 0);
	clone = vt_clone(test, as, src, false, RW);
	copy = vt_copy(test, as, src);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 8), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base), 7);
	KUNIT_EXPECT_EQ(test, vt_peek(as, copy->base), 7);
	KUNIT_EXPECT_EQ(test, vt_peek(as, src->base), 8);
	/* The clone still copies on its own write. */
	KUNIT_ASSERT_EQ(test, vt_poke(as, clone->base, 9), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, copy->base), 7);
	KUNIT_EXPECT_EQ(test, vt_peek(as, src->base), 8);
}

/* A shared clone marks its source shared too (Haiku): a copy shares both. */
static void vt_copy_of_a_clones_source_shares_it(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "copy");
	struct vmarena_area *src = vt_anon(test, as, "src", 1, RW), *shared, *copy;
	struct vmarena_area_desc info;

	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 1), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_get_info(src, &info), 0);
	KUNIT_EXPECT_FALSE(test, info.flags & VMARENA_AREA_SHARED);
	shared = vt_clone(test, as, src, true, RW);
	KUNIT_EXPECT_TRUE(test, shared->flags & VMARENA_AREA_SHARED);
	KUNIT_ASSERT_EQ(test, vmarena_area_get_info(src, &info), 0);
	KUNIT_EXPECT_TRUE(test, info.flags & VMARENA_AREA_SHARED);
	copy = vt_copy(test, as, src);
	KUNIT_EXPECT_PTR_EQ(test, copy->cache, src->cache);
	KUNIT_ASSERT_EQ(test, vt_poke(as, shared->base, 2), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, src->base), 2);
	KUNIT_EXPECT_EQ(test, vt_peek(as, copy->base), 2);
}

static void vt_copy_of_a_shared_area_shares_it(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "copy");
	struct vmarena_area_spec spec = vt_spec("shared", 1, RW);
	struct vmarena_area *src = NULL, *copy;

	spec.flags = VMARENA_AREA_SHARED;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &src), 0);
	vt_keep(test, src);
	copy = vt_copy(test, as, src);
	KUNIT_EXPECT_PTR_EQ(test, copy->cache, src->cache);
	KUNIT_ASSERT_EQ(test, vt_poke(as, copy->base, 3), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, src->base), 3);
}

static void vt_copy_of_a_wired_area_is_eager(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "copy");
	struct vmarena_area_spec spec = vt_spec("wired", 2, RW);
	struct vmarena_area *src = NULL, *copy;
	struct vmarena_cache *before;

	spec.wiring = VMARENA_WIRING_WIRED;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &src), 0);
	vt_keep(test, src);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base + PAGE_SIZE, 4), 0);
	before = src->cache;
	copy = vt_copy(test, as, src);
	/* The source keeps its cache and its mappings; the copy owns its pages. */
	KUNIT_EXPECT_PTR_EQ(test, src->cache, before);
	KUNIT_EXPECT_EQ(test, vt_chain_depth(copy), 1U);
	KUNIT_EXPECT_EQ(test, copy->wiring, (u8)VMARENA_WIRING_WIRED);
	KUNIT_EXPECT_EQ(test, vt_peek(as, copy->base + PAGE_SIZE), 4);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base + PAGE_SIZE, 5), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, copy->base + PAGE_SIZE), 4);
}

static void vt_copy_of_a_reservation_is_a_reservation(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "copy");
	struct vmarena_area_spec spec = vt_spec("rsv", 4, 0);
	struct vmarena_area *src = NULL, *copy;

	KUNIT_ASSERT_EQ(test, vmarena_area_create_null(as, &spec, &src), 0);
	vt_keep(test, src);
	copy = vt_copy(test, as, src);
	KUNIT_EXPECT_TRUE(test, copy->reservation);
	KUNIT_EXPECT_EQ(test, copy->size, src->size);
}

static void vt_copy_of_an_aspace_puts_each_area_at_its_address(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "copy");
	struct vmarena_aspace *dst = vt_aspace(test, "dst");
	struct vmarena_area_spec spec = vt_spec(NULL, 0, 0);
	struct vmarena_area *a = vt_anon(test, as, "a", 1, RW);
	struct vmarena_area *b = vt_anon(test, as, "b", 2, RW);

	KUNIT_ASSERT_EQ(test, vt_poke(as, a->base, 1), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, b->base + PAGE_SIZE, 2), 0);
	KUNIT_ASSERT_EQ(test, vmarena_aspace_copy(dst, as, &spec), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(dst->nr_areas), 2U);
	KUNIT_EXPECT_EQ(test, vt_peek(dst, a->base), 1);
	KUNIT_EXPECT_EQ(test, vt_peek(dst, b->base + PAGE_SIZE), 2);
	KUNIT_ASSERT_EQ(test, vt_poke(dst, a->base, 3), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, a->base), 1);
}

static struct kunit_case vmarena_copy_cases[] = {
	KUNIT_CASE(vt_copy_source_writes_stay_out_of_the_copy),
	KUNIT_CASE(vt_copy_of_a_copy_keeps_each_snapshot),
	KUNIT_CASE(vt_copy_survives_the_source_and_its_merge),
	KUNIT_CASE(vt_copy_leaves_earlier_private_clones_their_view),
	KUNIT_CASE(vt_copy_of_a_clones_source_shares_it),
	KUNIT_CASE(vt_copy_of_a_shared_area_shares_it),
	KUNIT_CASE(vt_copy_of_a_wired_area_is_eager),
	KUNIT_CASE(vt_copy_of_a_reservation_is_a_reservation),
	KUNIT_CASE(vt_copy_of_an_aspace_puts_each_area_at_its_address),
	{}
};

static struct kunit_suite vmarena_copy_suite = {
	.name = "vmarena_copy",
	.test_cases = vmarena_copy_cases,
};

kunit_test_suite(vmarena_copy_suite);
