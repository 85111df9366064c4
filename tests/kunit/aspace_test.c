// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: aspaces.  Validation, the id table, hold/drop after DragonFly,
 * deletion tearing the areas down, isolation between aspaces.
 */
#include <kunit/test.h>

#include "fixture.h"

#define RW	(VMARENA_PROT_READ | VMARENA_PROT_WRITE)

static void vt_aspace_create_validates(struct kunit *test)
{
	char long_name[VMARENA_NAME_MAX + 1];

	memset(long_name, 'x', VMARENA_NAME_MAX);
	long_name[VMARENA_NAME_MAX] = 0;
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmarena_aspace_create(NULL, VT_BASE, VT_SIZE)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmarena_aspace_create(long_name, VT_BASE, VT_SIZE)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmarena_aspace_create("a", VT_BASE + 1, VT_SIZE)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmarena_aspace_create("a", VT_BASE, VT_SIZE - 1)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmarena_aspace_create("a", VT_BASE, 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmarena_aspace_create("a", VMARENA_PTFRAG_LIMIT - PAGE_SIZE,
							    VT_PAGES(2))), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmarena_aspace_create("a", PAGE_MASK, VT_PAGES(2))),
			-EINVAL);
}

static void vt_aspace_ids_are_unique_and_found(struct kunit *test)
{
	struct vmarena_aspace *a = vt_aspace(test, "a");
	struct vmarena_aspace *b = vt_aspace(test, "b");
	struct vmarena_aspace *got;

	KUNIT_EXPECT_NE(test, a->id, b->id);
	KUNIT_EXPECT_NE(test, a->id, 0U);
	got = vmarena_aspace_get_by_id(b->id);
	KUNIT_ASSERT_PTR_EQ(test, got, b);
	KUNIT_EXPECT_EQ(test, refcount_read(&b->holds), 3U);	/* table, fixture, us */
	vmarena_aspace_drop(got);
	KUNIT_EXPECT_EQ(test, refcount_read(&b->holds), 2U);
	KUNIT_EXPECT_NULL(test, vmarena_aspace_get_by_id(0x7fffffff));
	KUNIT_EXPECT_STREQ(test, a->name, "a");
}

static void vt_aspace_delete_unpublishes_and_tears_down(struct kunit *test)
{
	struct vmarena_aspace *as = vmarena_aspace_create("doomed", VT_BASE, VT_SIZE);
	struct vmarena_area_spec spec = vt_spec("a", 2, RW);
	unsigned long count = vmarena_aspace_count();
	struct vmarena_area *area;
	u32 id;

	KUNIT_ASSERT_FALSE(test, IS_ERR(as));
	id = as->id;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &area), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, area->base, 1), 0);
	KUNIT_ASSERT_NE(test, as->frag.nr_tables, 0UL);

	KUNIT_ASSERT_EQ(test, vmarena_aspace_delete(as), 0);
	KUNIT_EXPECT_NULL(test, vmarena_aspace_get_by_id(id));
	KUNIT_EXPECT_EQ(test, vmarena_aspace_count(), count - 1);
	KUNIT_EXPECT_TRUE(test, area->deleted);
	KUNIT_EXPECT_EQ(test, as->nr_areas, 0U);
	KUNIT_EXPECT_NULL(test, vmarena_area_get_by_id(area->id));
	/* Everything was unmapped, so the fragments are gone already. */
	KUNIT_EXPECT_EQ(test, as->frag.nr_tables, 0UL);
	KUNIT_EXPECT_EQ(test, vmarena_area_create_anon(as, &spec, NULL), -ESRCH);
	KUNIT_EXPECT_EQ(test, vmarena_aspace_delete(as), -ESRCH);
	vmarena_area_put(area);
	vmarena_aspace_drop(as);
}

static void vt_aspace_hold_outlives_delete(struct kunit *test)
{
	struct vmarena_aspace *as = vmarena_aspace_create("held", VT_BASE, VT_SIZE);

	KUNIT_ASSERT_FALSE(test, IS_ERR(as));
	vmarena_aspace_hold(as);
	KUNIT_ASSERT_EQ(test, vmarena_aspace_delete(as), 0);
	vmarena_aspace_drop(as);
	/* One hold left (the extra one): the structure is still ours to read. */
	KUNIT_EXPECT_EQ(test, refcount_read(&as->holds), 1U);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(as->deleting));
	KUNIT_EXPECT_STREQ(test, as->name, "held");
	vmarena_aspace_drop(as);
}

static void vt_aspace_ref_keeps_memory_not_usability(struct kunit *test)
{
	struct vmarena_aspace *as = vmarena_aspace_create("refd", VT_BASE, VT_SIZE);

	KUNIT_ASSERT_FALSE(test, IS_ERR(as));
	vmarena_aspace_ref(as);
	KUNIT_ASSERT_EQ(test, vmarena_aspace_delete(as), 0);
	vmarena_aspace_drop(as);
	/* No holds: it is not usable, but the memory is still there. */
	KUNIT_EXPECT_EQ(test, refcount_read(&as->holds), 0U);
	KUNIT_EXPECT_EQ(test, refcount_read(&as->refs), 1U);
	KUNIT_EXPECT_NULL(test, vmarena_aspace_get_by_id(as->id));
	vmarena_aspace_unref(as);
}

static void vt_aspaces_are_isolated(struct kunit *test)
{
	struct vmarena_aspace *a = vt_aspace(test, "iso1");
	struct vmarena_aspace *b = vt_aspace(test, "iso2");
	struct vmarena_area *x = vt_anon(test, a, "x", 1, RW);
	struct vmarena_area *y = vt_anon(test, b, "y", 1, RW);

	KUNIT_ASSERT_EQ(test, x->base, y->base);
	KUNIT_ASSERT_EQ(test, vt_poke(a, x->base, 1), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(b, y->base, 2), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(a, x->base), 1);
	KUNIT_EXPECT_EQ(test, vt_peek(b, y->base), 2);
	KUNIT_EXPECT_NE(test, vt_pfn(a, x->base), vt_pfn(b, y->base));
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(x), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(b, y->base), 2);
}

static void vt_aspace_bounds_its_areas(struct kunit *test)
{
	struct vmarena_aspace *as = vmarena_aspace_create("small", VT_BASE, VT_PAGES(4));
	struct vmarena_area_spec spec = vt_spec("a", 4, RW);

	KUNIT_ASSERT_FALSE(test, IS_ERR(as));
	KUNIT_EXPECT_EQ(test, vmarena_area_create_anon(as, &spec, NULL), 0);
	spec.size = PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, vmarena_area_create_anon(as, &spec, NULL), -ENOMEM);
	KUNIT_EXPECT_EQ(test, as->change_count, 1UL);
	vmarena_aspace_delete(as);
	vmarena_aspace_drop(as);
}

static void vt_aspace_change_count_moves_on_every_change(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "changes");
	struct vmarena_area *a;
	unsigned long c0 = as->change_count;

	a = vt_anon(test, as, "a", 1, RW);
	KUNIT_EXPECT_GT(test, as->change_count, c0);
	c0 = as->change_count;
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(a, VMARENA_PROT_READ), 0);
	KUNIT_EXPECT_GT(test, as->change_count, c0);
	c0 = as->change_count;
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(a, VT_PAGES(2), NULL), 0);
	KUNIT_EXPECT_GT(test, as->change_count, c0);
	c0 = as->change_count;
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(a), 0);
	KUNIT_EXPECT_GT(test, as->change_count, c0);
}

/* The arena-wide generation the netlink dumps check: every structural change. */
static void vt_aspace_generation_moves_on_structural_changes(struct kunit *test)
{
	struct vmarena_aspace *as;
	struct vmarena_area_desc desc;
	struct vmarena_area *a;
	u32 g = vmarena_generation_read();

	as = vt_aspace(test, "generation");
	KUNIT_EXPECT_NE(test, vmarena_generation_read(), g);
	g = vmarena_generation_read();
	a = vt_anon(test, as, "a", 1, RW);
	KUNIT_EXPECT_NE(test, vmarena_generation_read(), g);
	g = vmarena_generation_read();
	KUNIT_ASSERT_EQ(test, vmarena_area_get_info(a, &desc), 0);
	KUNIT_EXPECT_EQ(test, vmarena_generation_read(), g);	/* a look changes nothing */
	KUNIT_EXPECT_EQ(test, desc.aspace_id, as->id);
	KUNIT_EXPECT_EQ(test, desc.cache_id, a->cache->id);
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(a, VMARENA_PROT_READ), 0);
	KUNIT_EXPECT_NE(test, vmarena_generation_read(), g);
	g = vmarena_generation_read();
	KUNIT_ASSERT_EQ(test, vmarena_area_set_lock(a, VMARENA_LOCK_LOCKED, NULL), 0);
	KUNIT_EXPECT_NE(test, vmarena_generation_read(), g);
	g = vmarena_generation_read();
	KUNIT_ASSERT_EQ(test, vmarena_area_set_lock(a, VMARENA_LOCK_UNLOCKED, NULL), 0);
	g = vmarena_generation_read();
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(a, VT_PAGES(2), NULL), 0);
	KUNIT_EXPECT_NE(test, vmarena_generation_read(), g);
	g = vmarena_generation_read();
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(a), 0);
	KUNIT_EXPECT_NE(test, vmarena_generation_read(), g);
}

/* get_next walks the id table in order, resumable, skipping the deleted. */
static void vt_aspace_get_next_walks_in_id_order(struct kunit *test)
{
	struct vmarena_aspace *a = vt_aspace(test, "a");
	struct vmarena_aspace *b = vmarena_aspace_create("b", VT_BASE, VT_SIZE);
	struct vmarena_aspace *c = vt_aspace(test, "c");
	struct vmarena_aspace *got;
	bool seen_a = false, seen_c = false;
	u32 id = 0, last = 0;

	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	KUNIT_EXPECT_EQ(test, vmarena_aspace_delete(b), 0);
	while ((got = vmarena_aspace_get_next(&id))) {
		KUNIT_EXPECT_EQ(test, got->id, id);
		KUNIT_EXPECT_TRUE(test, !last || id > last);
		KUNIT_EXPECT_PTR_NE(test, got, b);
		seen_a |= got == a;
		seen_c |= got == c;
		last = id++;
		vmarena_aspace_drop(got);
	}
	vmarena_aspace_drop(b);
	KUNIT_EXPECT_TRUE(test, seen_a);
	KUNIT_EXPECT_TRUE(test, seen_c);
	/* Resuming at an id returns that aspace itself. */
	id = c->id;
	got = vmarena_aspace_get_next(&id);
	KUNIT_EXPECT_PTR_EQ(test, got, c);
	if (got)
		vmarena_aspace_drop(got);
	KUNIT_EXPECT_TRUE(test, uid_eq(a->owner, current_euid()));
}

/* translate: the entries of each level the walk reads, down to the PTE. */
static void vt_ptfrag_translate_reports_each_level(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "translate");
	struct vmarena_area *a = vt_anon(test, as, "a", 2, RW);
	u64 e[VMARENA_PTFRAG_LEVELS];
	struct vmarena_pte_info info;
	int i;

	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_translate(&as->frag, a->base, e), 0);
	KUNIT_EXPECT_EQ(test, vmarena_ptfrag_translate(&as->frag, VMARENA_PTFRAG_LIMIT, e),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, vt_poke(as, a->base, 1), 0);
	KUNIT_ASSERT_EQ(test, vmarena_ptfrag_translate(&as->frag, a->base, e), 4);
	for (i = 0; i < VMARENA_PTFRAG_LEVELS; i++)
		KUNIT_EXPECT_TRUE(test, e[i] & _PAGE_PRESENT);
	vmarena_pte_decode(e[3], &info);
	KUNIT_EXPECT_EQ(test, info.pfn, vt_pfn(as, a->base));
	KUNIT_EXPECT_EQ(test, info.prot, (u32)RW);
	/* The second page is not mapped: the walk reads its empty PTE. */
	KUNIT_ASSERT_EQ(test, vmarena_ptfrag_translate(&as->frag, a->base + PAGE_SIZE, e), 4);
	KUNIT_EXPECT_FALSE(test, e[3] & _PAGE_PRESENT);
}

static struct kunit_case vmarena_aspace_cases[] = {
	KUNIT_CASE(vt_aspace_create_validates),
	KUNIT_CASE(vt_aspace_ids_are_unique_and_found),
	KUNIT_CASE(vt_aspace_delete_unpublishes_and_tears_down),
	KUNIT_CASE(vt_aspace_hold_outlives_delete),
	KUNIT_CASE(vt_aspace_ref_keeps_memory_not_usability),
	KUNIT_CASE(vt_aspaces_are_isolated),
	KUNIT_CASE(vt_aspace_bounds_its_areas),
	KUNIT_CASE(vt_aspace_change_count_moves_on_every_change),
	KUNIT_CASE(vt_aspace_generation_moves_on_structural_changes),
	KUNIT_CASE(vt_aspace_get_next_walks_in_id_order),
	KUNIT_CASE(vt_ptfrag_translate_reports_each_level),
	{}
};

static struct kunit_suite vmarena_aspace_suite = {
	.name = "vmarena_aspace",
	.test_cases = vmarena_aspace_cases,
};

kunit_test_suite(vmarena_aspace_suite);
