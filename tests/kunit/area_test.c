// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: areas.  Placement by address spec, validation, ids and lookup,
 * resize with every sharer, protection and protection_max, iteration,
 * wiring modes and device ranges.
 */
#include <linux/gfp.h>
#include <linux/sizes.h>
#include <kunit/test.h>

#include "fixture.h"

#define RW	(VMARENA_PROT_READ | VMARENA_PROT_WRITE)

static unsigned int vt_wired_count(struct vmarena_cache *cache, pgoff_t offset);

static struct vmarena_area *vt_at(struct kunit *test, struct vmarena_aspace *as,
				  unsigned int addr_spec, unsigned long base, unsigned long pages,
				  int *ret)
{
	struct vmarena_area_spec spec = vt_spec("at", pages, RW);
	struct vmarena_area *area = NULL;

	spec.addr_spec = addr_spec;
	spec.base = base;
	*ret = vmarena_area_create_anon(as, &spec, &area);
	return *ret ? NULL : vt_keep(test, area);
}

static void vt_area_any_packs_from_the_bottom(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "any");
	struct vmarena_area *a = vt_anon(test, as, "a", 2, RW);
	struct vmarena_area *b = vt_anon(test, as, "b", 3, RW);

	KUNIT_EXPECT_EQ(test, a->base, VT_BASE);
	KUNIT_EXPECT_EQ(test, b->base, VT_BASE + VT_PAGES(2));
	KUNIT_EXPECT_EQ(test, b->size, VT_PAGES(3));
}

static void vt_area_any_reuses_a_hole(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "hole");
	struct vmarena_area_spec spec = vt_spec("mid", 2, RW);
	struct vmarena_area *mid, *again;

	vt_anon(test, as, "a", 1, RW);
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &mid), 0);
	vt_anon(test, as, "c", 1, RW);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(mid), 0);
	again = vt_anon(test, as, "again", 2, RW);
	KUNIT_EXPECT_EQ(test, again->base, mid->base);
	vmarena_area_put(mid);
	/* Too big for the hole: goes after the last area. */
	KUNIT_EXPECT_EQ(test, vt_anon(test, as, "big", 3, RW)->base, VT_BASE + VT_PAGES(4));
}

static void vt_area_exact_placement(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "exact");
	unsigned long where = VT_BASE + VT_PAGES(10);
	struct vmarena_area *a;
	int ret;

	a = vt_at(test, as, VMARENA_ADDR_EXACT, where, 2, &ret);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, a->base, where);
	vt_at(test, as, VMARENA_ADDR_EXACT, where + PAGE_SIZE, 1, &ret);
	KUNIT_EXPECT_EQ(test, ret, -EEXIST);
	vt_at(test, as, VMARENA_ADDR_EXACT, where - PAGE_SIZE, 2, &ret);
	KUNIT_EXPECT_EQ(test, ret, -EEXIST);
	vt_at(test, as, VMARENA_ADDR_EXACT, VT_BASE - PAGE_SIZE, 1, &ret);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	vt_at(test, as, VMARENA_ADDR_EXACT, VT_BASE + VT_SIZE - PAGE_SIZE, 2, &ret);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	/* Right next to it on both sides is fine. */
	KUNIT_EXPECT_NOT_NULL(test, vt_at(test, as, VMARENA_ADDR_EXACT, where - PAGE_SIZE, 1,
					  &ret));
	KUNIT_EXPECT_NOT_NULL(test, vt_at(test, as, VMARENA_ADDR_EXACT, where + VT_PAGES(2), 1,
					  &ret));
}

static void vt_area_base_is_first_fit_above(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "base");
	unsigned long where = VT_BASE + VT_PAGES(4);
	struct vmarena_area *a, *b;
	int ret;

	a = vt_at(test, as, VMARENA_ADDR_EXACT, where, 2, &ret);
	KUNIT_ASSERT_EQ(test, ret, 0);
	b = vt_at(test, as, VMARENA_ADDR_BASE, where, 1, &ret);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, b->base, where + VT_PAGES(2));
	b = vt_at(test, as, VMARENA_ADDR_BASE, VT_BASE, 4, &ret);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, b->base, VT_BASE);
	KUNIT_EXPECT_EQ(test, a->base, where);
	vt_at(test, as, VMARENA_ADDR_BASE, VT_BASE + VT_SIZE, 1, &ret);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
}

static void vt_area_no_room_is_enomem(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "full");
	struct vmarena_area_spec spec = vt_spec("huge", VT_SIZE / PAGE_SIZE + 1, RW);

	spec.flags = VMARENA_AREA_OVERCOMMIT;
	KUNIT_EXPECT_EQ(test, vmarena_area_create_anon(as, &spec, NULL), -ENOMEM);
	spec.size = VT_SIZE;
	KUNIT_EXPECT_EQ(test, vmarena_area_create_anon(as, &spec, NULL), 0);
	spec.size = PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, vmarena_area_create_anon(as, &spec, NULL), -ENOMEM);
}

static void vt_area_spec_validation(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "valid");
	struct vmarena_area_spec good = vt_spec("v", 1, RW), s;
	char long_name[VMARENA_NAME_MAX + 1];

	memset(long_name, 'n', VMARENA_NAME_MAX);
	long_name[VMARENA_NAME_MAX] = 0;
#define VT_REJECT(field, value, err) do {					\
		s = good;							\
		s.field = value;						\
		KUNIT_EXPECT_EQ_MSG(test, vmarena_area_create_anon(as, &s, NULL), err, \
				    #field " = " #value);			\
	} while (0)
	VT_REJECT(size, 0, -EINVAL);
	VT_REJECT(size, PAGE_SIZE + 1, -EINVAL);
	VT_REJECT(addr_spec, 3, -EINVAL);
	VT_REJECT(base, 1, -EINVAL);
	VT_REJECT(protection, 0x8, -EINVAL);
	VT_REJECT(protection_max, 0x10, -EINVAL);
	VT_REJECT(protection_max, VMARENA_PROT_READ, -EACCES);
	VT_REJECT(wiring, 4, -EINVAL);
	VT_REJECT(wiring, VMARENA_WIRING_ALREADY_WIRED, -EINVAL);
	VT_REJECT(lock_level, 3, -EINVAL);
	VT_REJECT(flags, VMARENA_AREA_FLAGS_ALL + 1, -EINVAL);
	VT_REJECT(name, long_name, -EINVAL);
	s = good;
	s.wiring = VMARENA_WIRING_WIRED;
	s.protection = 0;
	KUNIT_EXPECT_EQ(test, vmarena_area_create_anon(as, &s, NULL), -EINVAL);
	s = good;
	s.addr_spec = VMARENA_ADDR_EXACT;
	s.base = ~0UL & PAGE_MASK;
	s.size = VT_PAGES(2);
	KUNIT_EXPECT_EQ(test, vmarena_area_create_anon(as, &s, NULL), -EINVAL);
#undef VT_REJECT
	/* Nothing was left behind by the refusals. */
	KUNIT_EXPECT_EQ(test, as->nr_areas, 0U);
	long_name[VMARENA_NAME_MAX - 1] = 0;
	s = good;
	s.name = long_name;
	KUNIT_EXPECT_EQ(test, vmarena_area_create_anon(as, &s, NULL), 0);
}

static void vt_area_ids_and_lookup(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "ids");
	struct vmarena_area *a = vt_anon(test, as, "a", 2, RW);
	struct vmarena_area *b = vt_anon(test, as, "b", 2, RW);
	struct vmarena_area *got;

	KUNIT_EXPECT_NE(test, a->id, b->id);
	KUNIT_EXPECT_NE(test, a->id, 0U);
	got = vmarena_area_get_by_id(b->id);
	KUNIT_EXPECT_PTR_EQ(test, got, b);
	if (got)
		vmarena_area_put(got);
	down_read(&as->lock);
	KUNIT_EXPECT_PTR_EQ(test, vmarena_area_lookup(as, a->base), a);
	KUNIT_EXPECT_PTR_EQ(test, vmarena_area_lookup(as, b->base + VT_PAGES(2) - 1), b);
	KUNIT_EXPECT_PTR_EQ(test, vmarena_area_lookup(as, a->base + PAGE_SIZE), a);
	KUNIT_EXPECT_PTR_EQ(test, as->hint, a);
	KUNIT_EXPECT_NULL(test, vmarena_area_lookup(as, b->base + VT_PAGES(2)));
	up_read(&as->lock);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(a), 0);
	/* Deletion cleared the hint and the id. */
	KUNIT_EXPECT_NULL(test, READ_ONCE(as->hint));
	KUNIT_EXPECT_NULL(test, vmarena_area_get_by_id(a->id));
	down_read(&as->lock);
	KUNIT_EXPECT_NULL(test, vmarena_area_lookup(as, a->base));
	up_read(&as->lock);
	KUNIT_EXPECT_NULL(test, vmarena_area_find_by_name(as, "a"));
	KUNIT_EXPECT_EQ(test, vmarena_area_delete(a), -ENOENT);
}

static void vt_area_resize_grow_commits(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "grow");
	struct vmarena_area *a = vt_anon(test, as, "a", 2, RW);
	struct vmarena_page_stats before, after;

	vmarena_page_get_stats(&before);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(a, VT_PAGES(5), NULL), 0);
	vmarena_page_get_stats(&after);
	KUNIT_EXPECT_EQ(test, a->size, VT_PAGES(5));
	KUNIT_EXPECT_EQ(test, after.committed, before.committed + VT_PAGES(3));
	KUNIT_EXPECT_EQ(test, vt_poke(as, a->base + VT_PAGES(4), 4), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, a->base + VT_PAGES(4)), 4);
	KUNIT_EXPECT_EQ(test, vmarena_area_resize(a, 0, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_area_resize(a, 100, NULL), -EINVAL);
}

static void vt_area_resize_shrink_frees_past_end(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "shrink");
	struct vmarena_area *a = vt_anon(test, as, "a", 4, RW);
	struct vmarena_page_stats before, after;
	int i;

	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, vt_poke(as, a->base + VT_PAGES(i), i + 1), 0);
	vmarena_page_get_stats(&before);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(a, VT_PAGES(1), NULL), 0);
	vmarena_page_get_stats(&after);
	KUNIT_EXPECT_EQ(test, vt_resident(a->cache), 1UL);
	KUNIT_EXPECT_EQ(test, after.committed, before.committed - VT_PAGES(3));
	KUNIT_EXPECT_EQ(test, after.count[VMARENA_PAGE_MODIFIED],
			before.count[VMARENA_PAGE_MODIFIED] - 3);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, a->base + PAGE_SIZE), 0UL);
	KUNIT_EXPECT_EQ(test, vt_peek(as, a->base + PAGE_SIZE), -EFAULT);
	KUNIT_EXPECT_EQ(test, vt_peek(as, a->base), 1);
	/* Growing back gives zeros, not the old data. */
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(a, VT_PAGES(2), NULL), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, a->base + PAGE_SIZE), 0);
}

static void vt_area_resize_blocked_changes_nothing(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "blocked");
	struct vmarena_area *a = vt_anon(test, as, "a", 2, RW);
	struct vmarena_page_stats before, after;

	vt_anon(test, as, "b", 1, RW);
	vmarena_page_get_stats(&before);
	KUNIT_EXPECT_EQ(test, vmarena_area_resize(a, VT_PAGES(3), NULL), -ENOMEM);
	vmarena_page_get_stats(&after);
	KUNIT_EXPECT_EQ(test, a->size, VT_PAGES(2));
	KUNIT_EXPECT_EQ(test, after.committed, before.committed);
}

static void vt_area_resize_moves_every_sharer(struct kunit *test)
{
	struct vmarena_aspace *x = vt_aspace(test, "sharerX");
	struct vmarena_aspace *y = vt_aspace(test, "sharerY");
	struct vmarena_aspace *z = vt_aspace(test, "sharerZ");
	struct vmarena_area *a = vt_anon(test, x, "a", 2, RW);
	struct vmarena_area *b = vt_clone(test, y, a, true, RW);
	struct vmarena_area *c = vt_clone(test, z, a, true, RW);

	KUNIT_ASSERT_EQ(test, vmarena_area_resize(b, VT_PAGES(3), NULL), 0);
	KUNIT_EXPECT_EQ(test, a->size, VT_PAGES(3));
	KUNIT_EXPECT_EQ(test, b->size, VT_PAGES(3));
	KUNIT_EXPECT_EQ(test, c->size, VT_PAGES(3));
	KUNIT_ASSERT_EQ(test, vt_poke(x, a->base + VT_PAGES(2), 9), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(y, b->base + VT_PAGES(2)), 9);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(a, VT_PAGES(1), NULL), 0);
	KUNIT_EXPECT_EQ(test, b->size, VT_PAGES(1));
	KUNIT_EXPECT_EQ(test, vt_pfn(y, b->base + PAGE_SIZE), 0UL);
}

static void vt_area_resize_fails_if_any_sharer_cannot_grow(struct kunit *test)
{
	struct vmarena_aspace *x = vt_aspace(test, "growX");
	struct vmarena_aspace *y = vt_aspace(test, "growY");
	struct vmarena_area *a = vt_anon(test, x, "a", 2, RW);
	struct vmarena_area *b = vt_clone(test, y, a, true, RW);

	vt_anon(test, y, "wall", 1, RW);	/* right after b */
	KUNIT_EXPECT_EQ(test, vmarena_area_resize(a, VT_PAGES(4), NULL), -ENOMEM);
	KUNIT_EXPECT_EQ(test, a->size, VT_PAGES(2));
	KUNIT_EXPECT_EQ(test, b->size, VT_PAGES(2));
}

static void vt_area_shrink_unmaps_from_private_clones(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "shrinkcow");
	struct vmarena_area *src = vt_anon(test, as, "src", 2, RW);
	struct vmarena_area *clone;

	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base + PAGE_SIZE, 5), 0);
	clone = vt_clone(test, as, src, false, RW);
	KUNIT_ASSERT_EQ(test, vt_peek(as, clone->base + PAGE_SIZE), 5);
	KUNIT_ASSERT_NE(test, vt_pfn(as, clone->base + PAGE_SIZE), 0UL);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(src, PAGE_SIZE, NULL), 0);
	/* The freed page is mapped nowhere any more. */
	KUNIT_EXPECT_EQ(test, vt_pfn(as, clone->base + PAGE_SIZE), 0UL);
	KUNIT_EXPECT_EQ(test, clone->size, VT_PAGES(2));
}

static void vt_area_set_protection(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "protect");
	struct vmarena_area_spec spec = vt_spec("p", 1, RW);
	struct vmarena_pte_info info;
	struct vmarena_area *a;

	spec.protection_max = RW;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &a), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, a->base, 1), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(a, VMARENA_PROT_READ), 0);
	KUNIT_ASSERT_EQ(test, vmarena_ptfrag_lookup(&as->frag, a->base, &info), 0);
	KUNIT_EXPECT_EQ(test, info.prot, (u32)VMARENA_PROT_READ);
	KUNIT_EXPECT_EQ(test, vt_poke(as, a->base, 2), -EACCES);
	KUNIT_EXPECT_EQ(test, vt_peek(as, a->base), 1);
	KUNIT_EXPECT_EQ(test, vmarena_area_set_protection(a, RW | VMARENA_PROT_EXEC), -EACCES);
	KUNIT_EXPECT_EQ(test, vmarena_area_set_protection(a, 0x8), -EINVAL);
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(a, RW), 0);
	KUNIT_EXPECT_EQ(test, vt_poke(as, a->base, 3), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, a->base), 3);
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(a, 0), 0);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, a->base), 0UL);
	KUNIT_EXPECT_EQ(test, vt_peek(as, a->base), -EACCES);
	vmarena_area_put(a);
}

static void vt_area_clone_respects_protection_max(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "max");
	struct vmarena_area_spec spec = vt_spec("ro", 1, VMARENA_PROT_READ);
	struct vmarena_area *src, *clone;
	struct vmarena_area_desc info;

	spec.protection_max = VMARENA_PROT_READ;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &src), 0);
	spec.protection = RW;
	spec.protection_max = 0;
	KUNIT_EXPECT_EQ(test, vmarena_area_clone(as, &spec, src, true, NULL), -EACCES);
	KUNIT_EXPECT_EQ(test, vmarena_area_clone(as, &spec, src, false, NULL), -EACCES);
	spec.protection = VMARENA_PROT_READ;
	spec.protection_max = RW;
	KUNIT_EXPECT_EQ(test, vmarena_area_clone(as, &spec, src, true, NULL), -EACCES);
	spec.protection_max = 0;
	KUNIT_ASSERT_EQ(test, vmarena_area_clone(as, &spec, src, true, &clone), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_get_info(clone, &info), 0);
	KUNIT_EXPECT_EQ(test, info.protection_max, (u32)VMARENA_PROT_READ);
	KUNIT_EXPECT_EQ(test, vmarena_area_set_protection(clone, RW), -EACCES);
	vmarena_area_put(clone);
	vmarena_area_put(src);
}

/*
 * Regression: an area linked to a cache that a resize through another area
 * shrank after the new area was sized (the resize saw only the linked
 * areas) lay past its cache's end, and faults there failed.  Linking grows
 * the cache back over the new area.
 */
static void vt_area_link_covers_a_shrunk_cache(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "cover");
	struct vmarena_area_spec spec = vt_spec("clone", 4, RW);
	struct vmarena_area *src = vt_anon(test, as, "src", 4, RW);
	struct vmarena_area *clone;

	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base + VT_PAGES(1), 7), 0);
	/* What the racing resize leaves: the cache shorter than its areas. */
	mutex_lock(&src->cache->lock);
	KUNIT_ASSERT_EQ(test, vmarena_cache_set_size(src->cache, 2), 0);
	mutex_unlock(&src->cache->lock);
	KUNIT_ASSERT_EQ(test, vmarena_area_clone(as, &spec, src, true, &clone), 0);
	KUNIT_EXPECT_EQ(test, src->cache->virtual_end, 4UL);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base + VT_PAGES(1)), 7);
	KUNIT_ASSERT_EQ(test, vt_poke(as, clone->base + VT_PAGES(3), 9), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, src->base + VT_PAGES(3)), 9);
	vmarena_area_put(clone);
}

static void vt_area_iterate_in_address_order(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "iter");
	struct vmarena_area_desc info;
	unsigned long cookie = 0;
	struct vmarena_area *a[3];
	int ret, i;

	a[0] = vt_anon(test, as, "first", 1, RW);
	a[1] = vt_anon(test, as, "second", 2, RW);
	a[2] = vt_anon(test, as, "third", 1, RW);
	for (i = 0; i < 3; i++) {
		ret = vmarena_area_iterate(as, &cookie, &info);
		KUNIT_ASSERT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, info.id, a[i]->id);
		KUNIT_EXPECT_STREQ(test, info.name, a[i]->name);
	}
	KUNIT_EXPECT_EQ(test, vmarena_area_iterate(as, &cookie, &info), -ENOENT);
	/* Deleting the one at the cookie does not derail the walk. */
	cookie = 0;
	KUNIT_ASSERT_EQ(test, vmarena_area_iterate(as, &cookie, &info), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(a[1]), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_iterate(as, &cookie, &info), 0);
	KUNIT_EXPECT_EQ(test, info.id, a[2]->id);
}

static void vt_area_wired_is_resident_at_creation(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wired");
	struct vmarena_area_spec spec = vt_spec("w", 3, RW);
	struct vmarena_page_stats before, after;
	struct vmarena_area_desc info;
	struct vmarena_page *page;
	struct vmarena_area *a;

	spec.wiring = VMARENA_WIRING_WIRED;
	vmarena_page_get_stats(&before);
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &a), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_get_info(a, &info), 0);
	KUNIT_EXPECT_EQ(test, info.resident, 3UL);
	vmarena_page_get_stats(&after);
	KUNIT_EXPECT_EQ(test, after.count[VMARENA_PAGE_WIRED],
			before.count[VMARENA_PAGE_WIRED] + 3);
	mutex_lock(&a->cache->lock);
	page = vmarena_cache_lookup_page(a->cache, 2);
	KUNIT_EXPECT_NOT_NULL(test, page);
	if (page) {
		KUNIT_EXPECT_EQ(test, page->wired_count, 1U);
		KUNIT_EXPECT_EQ(test, page->state, (u8)VMARENA_PAGE_WIRED);
	}
	mutex_unlock(&a->cache->lock);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(a), 0);
	vmarena_page_get_stats(&after);
	KUNIT_EXPECT_EQ(test, after.count[VMARENA_PAGE_WIRED], before.count[VMARENA_PAGE_WIRED]);
	vmarena_area_put(a);
}

static unsigned int vt_wired_count(struct vmarena_cache *cache, pgoff_t offset)
{
	struct vmarena_page *page;
	unsigned int n;

	mutex_lock(&cache->lock);
	page = vmarena_cache_lookup_page(cache, offset);
	n = page ? page->wired_count : ~0U;
	mutex_unlock(&cache->lock);
	return n;
}

/* Regression: growing a wired area wired its old pages a second time. */
static void vt_area_wired_grow_wires_only_new_pages(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wiredgrow");
	struct vmarena_area_spec spec = vt_spec("w", 1, RW);
	struct vmarena_area_desc info;
	struct vmarena_area *a;

	spec.wiring = VMARENA_WIRING_WIRED;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &a), 0);
	vt_keep(test, a);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(a, VT_PAGES(3), NULL), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_get_info(a, &info), 0);
	KUNIT_EXPECT_EQ(test, info.resident, 3UL);
	KUNIT_EXPECT_EQ(test, vt_wired_count(a->cache, 0), 1U);
	KUNIT_EXPECT_EQ(test, vt_wired_count(a->cache, 2), 1U);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(a, VT_PAGES(2), NULL), 0);
	KUNIT_EXPECT_EQ(test, vt_wired_count(a->cache, 2), ~0U);
	KUNIT_EXPECT_EQ(test, vt_wired_count(a->cache, 1), 1U);
}

static void vt_area_contiguous_is_one_run(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "contig");
	struct vmarena_area_spec spec = vt_spec("c", 8, RW);
	unsigned long first, i;
	struct vmarena_area *a;

	spec.wiring = VMARENA_WIRING_CONTIGUOUS;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &a), 0);
	first = vt_pfn(as, a->base);
	KUNIT_ASSERT_NE(test, first, 0UL);
	for (i = 1; i < 8; i++)
		KUNIT_EXPECT_EQ(test, vt_pfn(as, a->base + VT_PAGES(i)), first + i);
	KUNIT_EXPECT_EQ(test, vt_peek(as, a->base + VT_PAGES(7)), 0);
	KUNIT_EXPECT_EQ(test, vt_poke(as, a->base, 1), 0);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, a->base), first);
	vmarena_area_put(a);
}

/* A contiguous area below @limit (a VMARENA_AREA_PHYS_* flag) lies below it. */
static void vt_area_phys_run_below(struct kunit *test, u32 flag, u64 limit)
{
	struct vmarena_aspace *as = vt_aspace(test, "phys");
	struct vmarena_area_spec spec = vt_spec("p", 4, RW);
	struct vmarena_area *a;
	unsigned long first;

	spec.flags = flag;
	KUNIT_EXPECT_EQ(test, vmarena_area_create_anon(as, &spec, NULL), -EINVAL);
	spec.wiring = VMARENA_WIRING_WIRED;
	KUNIT_EXPECT_EQ(test, vmarena_area_create_anon(as, &spec, NULL), -EINVAL);
	spec.wiring = VMARENA_WIRING_CONTIGUOUS;
	spec.flags = VMARENA_AREA_PHYS_16M | VMARENA_AREA_PHYS_4G;
	KUNIT_EXPECT_EQ(test, vmarena_area_create_anon(as, &spec, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, as->nr_areas, 0U);
	spec.flags = flag;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &a), 0);
	first = vt_pfn(as, a->base);
	KUNIT_ASSERT_NE(test, first, 0UL);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, a->base + VT_PAGES(3)), first + 3);
	KUNIT_EXPECT_LT(test, (u64)(first + 4) << PAGE_SHIFT, limit + 1);
	KUNIT_EXPECT_EQ(test, vt_peek(as, a->base + VT_PAGES(3)), 0);
	KUNIT_EXPECT_EQ(test, vmarena_area_resize(a, VT_PAGES(8), NULL), -EINVAL);
	vmarena_area_put(a);
}

static void vt_area_phys_16m_run_lies_below_16m(struct kunit *test)
{
	vt_area_phys_run_below(test, VMARENA_AREA_PHYS_16M, SZ_16M);
}

static void vt_area_phys_4g_run_lies_below_4g(struct kunit *test)
{
	vt_area_phys_run_below(test, VMARENA_AREA_PHYS_4G, SZ_4G);
}

static void vt_area_already_wired_needs_resident_pages(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "already");
	struct vmarena_area_spec spec = vt_spec("w", 2, RW);
	struct vmarena_area *wired, *lazy, *clone;
	struct vmarena_area_desc info;

	spec.wiring = VMARENA_WIRING_WIRED;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &wired), 0);
	lazy = vt_anon(test, as, "lazy", 2, RW);
	spec.wiring = VMARENA_WIRING_ALREADY_WIRED;
	KUNIT_ASSERT_EQ(test, vmarena_area_clone(as, &spec, wired, true, &clone), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_get_info(clone, &info), 0);
	KUNIT_EXPECT_EQ(test, info.resident, 2UL);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, clone->base), vt_pfn(as, wired->base));
	KUNIT_EXPECT_EQ(test, vmarena_area_clone(as, &spec, lazy, true, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, as->nr_areas, 3U);
	vmarena_area_put(clone);
	vmarena_area_put(wired);
}

static void vt_area_device_over_a_contiguous_run(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "device");
	struct vmarena_area_spec spec = vt_spec("run", 4, RW);
	struct vmarena_area *run, *dev;
	struct page *foreign;
	phys_addr_t phys;

	spec.wiring = VMARENA_WIRING_CONTIGUOUS;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &run), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, run->base + PAGE_SIZE, 0x5a), 0);
	KUNIT_ASSERT_EQ(test, vmarena_get_page_mapping(as, run->base, &phys), 0);
	spec.wiring = VMARENA_WIRING_LAZY;
	KUNIT_ASSERT_EQ(test, vmarena_area_map_device(as, &spec, phys, &dev), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, dev->base + PAGE_SIZE), 0x5a);
	KUNIT_EXPECT_EQ(test, vt_peek(as, dev->base + VT_PAGES(3)), 0);
	KUNIT_EXPECT_EQ(test, vt_pfn(as, dev->base + VT_PAGES(3)),
			vt_pfn(as, run->base) + 3);
	KUNIT_EXPECT_EQ(test, vmarena_area_map_device(as, &spec, phys + 1, NULL), -EINVAL);
	/* RAM the arena does not own is refused. */
	foreign = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, foreign);
	spec.size = PAGE_SIZE;
	phys = PFN_PHYS(page_to_pfn(foreign));
	KUNIT_EXPECT_EQ(test, vmarena_area_map_device(as, &spec, phys, NULL), -EPERM);
	__free_page(foreign);
	/* The device area keeps the run alive after its own area goes. */
	KUNIT_ASSERT_EQ(test, vmarena_get_page_mapping(as, run->base, &phys), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(run), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, dev->base + PAGE_SIZE), 0x5a);
	vmarena_area_put(run);
	vmarena_area_put(dev);
}

static void vt_area_info_reports_lock_level_and_chain(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "info");
	struct vmarena_area_spec spec = vt_spec("locked", 1, RW);
	struct vmarena_area_desc info;
	struct vmarena_area *a, *clone;

	spec.lock_level = VMARENA_LOCK_LOCKED;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &a), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_get_info(a, &info), 0);
	KUNIT_EXPECT_EQ(test, info.lock_level, (unsigned int)VMARENA_LOCK_LOCKED);
	KUNIT_EXPECT_EQ(test, info.cache_depth, 1U);
	KUNIT_EXPECT_EQ(test, info.copies, 0UL);
	clone = vt_clone(test, as, a, false, RW);
	KUNIT_ASSERT_EQ(test, vmarena_area_get_info(clone, &info), 0);
	KUNIT_EXPECT_EQ(test, info.cache_depth, 2U);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(a), 0);
	KUNIT_EXPECT_EQ(test, vmarena_area_get_info(a, &info), -ENOENT);
	vmarena_area_put(a);
}

static unsigned int vt_lock_level(struct vmarena_area *area)
{
	struct vmarena_area_desc desc;

	return vmarena_area_get_info(area, &desc) ? ~0U : desc.lock_level;
}

/* QNX's rule (after POSIX): locks do not stack. */
static void vt_area_locks_do_not_stack(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "lock");
	struct vmarena_area *a = vt_anon(test, as, "a", 2, RW);

	KUNIT_EXPECT_EQ(test, vt_lock_level(a), (unsigned int)VMARENA_LOCK_UNLOCKED);
	KUNIT_ASSERT_EQ(test, vmarena_area_set_lock(a, VMARENA_LOCK_LOCKED, NULL), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_set_lock(a, VMARENA_LOCK_LOCKED, NULL), 0);
	KUNIT_EXPECT_EQ(test, vt_lock_level(a), (unsigned int)VMARENA_LOCK_LOCKED);
	KUNIT_ASSERT_EQ(test, vmarena_area_set_lock(a, VMARENA_LOCK_UNLOCKED, NULL), 0);
	KUNIT_EXPECT_EQ(test, vt_lock_level(a), (unsigned int)VMARENA_LOCK_UNLOCKED);
	KUNIT_ASSERT_EQ(test, vmarena_area_set_lock(a, VMARENA_LOCK_UNLOCKED, NULL), 0);
	KUNIT_EXPECT_EQ(test, vmarena_area_set_lock(a, VMARENA_LOCK_SUPERLOCKED, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_area_set_lock(a, 7, NULL), -EINVAL);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(a), 0);
	KUNIT_EXPECT_EQ(test, vmarena_area_set_lock(a, VMARENA_LOCK_LOCKED, NULL), -ENOENT);
}

static void vt_area_superlock_wires_and_privatises_everything(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "super");
	struct vmarena_area *a = vt_anon(test, as, "a", 3, RW);
	struct vmarena_area_spec spec = vt_spec("null", 2, RW);
	struct vmarena_page_stats before, after;
	struct vmarena_area_desc desc;
	struct vmarena_area *clone, *late;

	KUNIT_ASSERT_EQ(test, vt_poke(as, a->base, 1), 0);
	clone = vt_clone(test, as, a, false, RW);
	KUNIT_ASSERT_EQ(test, vmarena_area_create_null(as, &spec, NULL), 0);
	vmarena_page_get_stats(&before);
	KUNIT_ASSERT_EQ(test, vmarena_aspace_superlock(as, true, NULL), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_get_info(clone, &desc), 0);
	KUNIT_EXPECT_EQ(test, desc.resident, 3UL);
	KUNIT_EXPECT_EQ(test, desc.copies, 3UL);	/* privatised: writes will not fault */
	KUNIT_EXPECT_EQ(test, desc.lock_level, (unsigned int)VMARENA_LOCK_SUPERLOCKED);
	KUNIT_EXPECT_EQ(test, vt_wired_count(a->cache, 2), 1U);
	KUNIT_EXPECT_EQ(test, vt_wired_count(clone->cache, 0), 1U);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base), 1);
	/* New areas in a super-locked aspace are created wired. */
	late = vt_anon(test, as, "late", 2, RW);
	KUNIT_EXPECT_EQ(test, late->wiring, (u8)VMARENA_WIRING_WIRED);
	KUNIT_EXPECT_EQ(test, vt_wired_count(late->cache, 1), 1U);
	/* Releasing it drops the super-lock's wiring, and only that. */
	KUNIT_ASSERT_EQ(test, vmarena_aspace_superlock(as, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, vt_wired_count(a->cache, 2), 0U);
	KUNIT_EXPECT_EQ(test, vt_wired_count(late->cache, 1), 1U);
	vmarena_page_get_stats(&after);
	KUNIT_EXPECT_EQ(test, after.count[VMARENA_PAGE_WIRED],
			before.count[VMARENA_PAGE_WIRED] + 2);
	/* Deleting super-wired areas leaves no wiring behind. */
	KUNIT_ASSERT_EQ(test, vmarena_aspace_superlock(as, true, NULL), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(clone), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(a), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(late), 0);
	vmarena_page_get_stats(&after);
	KUNIT_EXPECT_EQ(test, after.count[VMARENA_PAGE_WIRED], before.count[VMARENA_PAGE_WIRED]);
}

static struct kunit *vt_pause_test;

/* The pause hook: a super-lock starts between a creation's check and its insert. */
static void vt_superlock_meanwhile(struct vmarena_aspace *as)
{
	WRITE_ONCE(vmarena_area_hooks.create_pause, NULL);
	KUNIT_EXPECT_EQ(vt_pause_test, vmarena_aspace_superlock(as, true, NULL), 0);
}

/*
 * An area whose creation saw no super-lock, and that a super-lock started
 * after, before the area was inserted: it was left lazy, uncharged and
 * not resident in a super-locked aspace (the creation read superlocked
 * once, without a lock).  It must come out wired, like every area there.
 */
static void vt_area_created_as_a_superlock_starts_is_wired(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "super-race");
	struct vmarena_area *a;

	vt_pause_test = test;
	WRITE_ONCE(vmarena_area_hooks.create_pause, vt_superlock_meanwhile);
	a = vt_anon(test, as, "raced", 2, RW);
	WRITE_ONCE(vmarena_area_hooks.create_pause, NULL);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(as->superlocked));
	KUNIT_EXPECT_EQ(test, a->wiring, (u8)VMARENA_WIRING_WIRED);
	KUNIT_EXPECT_EQ(test, vt_wired_count(a->cache, 0), 1U);
	KUNIT_EXPECT_EQ(test, vt_wired_count(a->cache, 1), 1U);
	KUNIT_ASSERT_EQ(test, vmarena_aspace_superlock(as, false, NULL), 0);
}

static struct vmarena_aspace *vt_late_as;
static struct vmarena_area *vt_late;
static unsigned int vt_resize_pauses;

/* The resize pause hook: a shared clone joins after the sharers were collected. */
static void vt_clone_meanwhile(struct vmarena_area *area)
{
	if (vt_resize_pauses++)
		return;
	vt_late = vt_clone(vt_pause_test, vt_late_as, area, true, RW);
}

/*
 * A resize collects the areas sharing the cache with no aspace locked; a
 * shared clone made before it locks them is not in its set.  It must see
 * the set changed once it holds the locks, collect again (a second
 * pause), and resize the late clone with the others: no area may end up
 * past its cache's end or a different size from its sharers.
 */
static void vt_area_resize_collects_again_when_a_sharer_joins(struct kunit *test)
{
	struct vmarena_aspace *x = vt_aspace(test, "joinX");
	struct vmarena_area *a = vt_anon(test, x, "a", 2, RW);
	int ret;

	vt_pause_test = test;
	vt_late_as = vt_aspace(test, "joinY");
	vt_late = NULL;
	vt_resize_pauses = 0;
	WRITE_ONCE(vmarena_area_hooks.resize_pause, vt_clone_meanwhile);
	ret = vmarena_area_resize(a, VT_PAGES(3), NULL);
	WRITE_ONCE(vmarena_area_hooks.resize_pause, NULL);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, vt_resize_pauses, 2U);
	KUNIT_ASSERT_NOT_NULL(test, vt_late);
	KUNIT_EXPECT_EQ(test, a->size, VT_PAGES(3));
	KUNIT_EXPECT_EQ(test, vt_late->size, VT_PAGES(3));
	KUNIT_ASSERT_EQ(test, vt_poke(x, a->base + VT_PAGES(2), 7), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(vt_late_as, vt_late->base + VT_PAGES(2)), 7);
}

/*
 * Locking a deleted area of a super-locked aspace: the lock asked whether
 * the area was pinned by the super-lock before it saw the area deleted,
 * and read the store type through the area's cache, freed by then (the
 * fuzzer's NULL dereference on stock 6.1).
 */
static void vt_area_lock_of_deleted_area_in_superlocked_aspace(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "super-del");
	struct vmarena_area *a = vt_anon(test, as, "gone", 2, RW);
	struct vmarena_area *b = vt_anon(test, as, "kept", 1, RW);

	KUNIT_ASSERT_EQ(test, vmarena_aspace_superlock(as, true, NULL), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(a), 0);
	KUNIT_EXPECT_EQ(test, vmarena_area_set_lock(a, VMARENA_LOCK_LOCKED, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, vmarena_area_set_lock(a, VMARENA_LOCK_UNLOCKED, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, vmarena_area_resize(a, VT_PAGES(4), NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, vmarena_area_set_lock(b, VMARENA_LOCK_LOCKED, NULL), 0);
	KUNIT_EXPECT_EQ(test, vmarena_aspace_superlock(as, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, vt_wired_count(b->cache, 0), 0U);
	KUNIT_EXPECT_EQ(test, vmarena_area_set_lock(b, VMARENA_LOCK_UNLOCKED, NULL), 0);
}

static struct kunit_case vmarena_area_cases[] = {
	KUNIT_CASE(vt_area_superlock_wires_and_privatises_everything),
	KUNIT_CASE(vt_area_lock_of_deleted_area_in_superlocked_aspace),
	KUNIT_CASE(vt_area_created_as_a_superlock_starts_is_wired),
	KUNIT_CASE(vt_area_locks_do_not_stack),
	KUNIT_CASE(vt_area_any_packs_from_the_bottom),
	KUNIT_CASE(vt_area_any_reuses_a_hole),
	KUNIT_CASE(vt_area_exact_placement),
	KUNIT_CASE(vt_area_base_is_first_fit_above),
	KUNIT_CASE(vt_area_no_room_is_enomem),
	KUNIT_CASE(vt_area_spec_validation),
	KUNIT_CASE(vt_area_ids_and_lookup),
	KUNIT_CASE(vt_area_resize_grow_commits),
	KUNIT_CASE(vt_area_resize_shrink_frees_past_end),
	KUNIT_CASE(vt_area_resize_blocked_changes_nothing),
	KUNIT_CASE(vt_area_resize_moves_every_sharer),
	KUNIT_CASE(vt_area_resize_collects_again_when_a_sharer_joins),
	KUNIT_CASE(vt_area_resize_fails_if_any_sharer_cannot_grow),
	KUNIT_CASE(vt_area_shrink_unmaps_from_private_clones),
	KUNIT_CASE(vt_area_set_protection),
	KUNIT_CASE(vt_area_clone_respects_protection_max),
	KUNIT_CASE(vt_area_link_covers_a_shrunk_cache),
	KUNIT_CASE(vt_area_iterate_in_address_order),
	KUNIT_CASE(vt_area_wired_is_resident_at_creation),
	KUNIT_CASE(vt_area_wired_grow_wires_only_new_pages),
	KUNIT_CASE(vt_area_contiguous_is_one_run),
	KUNIT_CASE(vt_area_phys_16m_run_lies_below_16m),
	KUNIT_CASE(vt_area_phys_4g_run_lies_below_4g),
	KUNIT_CASE(vt_area_already_wired_needs_resident_pages),
	KUNIT_CASE(vt_area_device_over_a_contiguous_run),
	KUNIT_CASE(vt_area_info_reports_lock_level_and_chain),
	{}
};

static struct kunit_suite vmarena_area_suite = {
	.name = "vmarena_area",
	.test_cases = vmarena_area_cases,
};

kunit_test_suite(vmarena_area_suite);
