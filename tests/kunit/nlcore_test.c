// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what the netlink family (module/netlink.c) relies on in the core:
 * the structure generation its dumps check, the resumable walk over the
 * aspace table, and the fragment walk behind translate.  Linked last, so
 * that this suite runs after the others.
 */
#include <kunit/test.h>

#include "fixture.h"

#define RW	(VMARENA_PROT_READ | VMARENA_PROT_WRITE)

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

static struct kunit_case vmarena_nlcore_cases[] = {
	KUNIT_CASE(vt_aspace_generation_moves_on_structural_changes),
	KUNIT_CASE(vt_aspace_get_next_walks_in_id_order),
	KUNIT_CASE(vt_ptfrag_translate_reports_each_level),
	{}
};

static struct kunit_suite vmarena_nlcore_suite = {
	.name = "vmarena_nlcore",
	.test_cases = vmarena_nlcore_cases,
};

kunit_test_suite(vmarena_nlcore_suite);
