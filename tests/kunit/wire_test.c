// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: wirings never leak and never vanish.  After every step of each
 * case, a census of the whole aspace checks that every page of every cache
 * its areas reach has exactly the wirings of the areas that see it: one
 * per wired (or super-wired) area whose chain resolves to that page, and
 * none else; and that each area's wiring record holds exactly those pages
 * (area.h, "Wiring").
 */
#include <linux/rbtree.h>
#include <linux/xarray.h>
#include <kunit/test.h>

#include "fixture.h"

#define R	VMARENA_PROT_READ
#define RW	(VMARENA_PROT_READ | VMARENA_PROT_WRITE)

/* Does @area hold wirings on its pages (area.h)?  Its aspace locked. */
static bool vt_wants_wired(struct vmarena_area *area)
{
	return area->wiring != VMARENA_WIRING_LAZY || area->superwired;
}

/*
 * The page @area sees at its page @i, as the fault resolves it: the first
 * cache down the chain that holds one, or nothing (past a cache's end, or
 * paged out).  Chain locked.
 */
static struct vmarena_page *vt_view(struct vmarena_area *area, unsigned long i)
{
	pgoff_t offset = area->cache_offset + i;
	struct vmarena_cache *c;
	struct vmarena_page *page;

	for (c = area->cache; c; c = c->source) {
		const struct vmarena_store_ops *ops = c->store->ops;

		if (offset >= c->virtual_end || ops->pfn)
			return NULL;
		page = xa_load(&c->pages, offset);
		if (page)
			return page;
		if (ops->has_page && ops->has_page(c->store, offset))
			return NULL;
	}
	return NULL;
}

/* One more wiring wanted on @page, counted by pfn in @want. */
static void vt_want(struct kunit *test, struct xarray *want, struct vmarena_page *page)
{
	unsigned long pfn = vmarena_page_pfn(page);
	void *old = xa_load(want, pfn);
	unsigned long n = old ? xa_to_value(old) : 0;

	KUNIT_ASSERT_EQ(test, xa_err(xa_store(want, pfn, xa_mk_value(n + 1), GFP_KERNEL)), 0);
}

/*
 * Count the wirings @area should hold, and check that its record holds
 * exactly those pages (area.h).  Aspace locked.
 */
static void vt_census_area(struct kunit *test, struct vmarena_area *area, struct xarray *want,
			   const char *step)
{
	unsigned long i, pages = area->size >> PAGE_SHIFT;
	struct vmarena_page *page;

	vmarena_cache_lock_chain(area->cache);
	for (i = 0; i < pages; i++) {
		page = vt_wants_wired(area) ? vt_view(area, i) : NULL;
		if (page)
			vt_want(test, want, page);
		KUNIT_EXPECT_PTR_EQ_MSG(test, xa_load(&area->wired, i), page,
					"%s: area %s record at %lu", step, area->name, i);
	}
	i = pages;
	KUNIT_EXPECT_NULL_MSG(test, xa_find(&area->wired, &i, ULONG_MAX, XA_PRESENT),
			      "%s: area %s records past its end", step, area->name);
	vmarena_cache_unlock_chain(area->cache);
}

/* Compare every page of @area's chain, once per cache, with @want. */
static void vt_census_chain(struct kunit *test, struct vmarena_area *area,
			    struct xarray *want, struct xarray *seen, const char *step)
{
	struct vmarena_page *page;
	struct vmarena_cache *c;
	unsigned long index;
	void *n;

	vmarena_cache_lock_chain(area->cache);
	for (c = area->cache; c; c = c->source) {
		if (xa_load(seen, c->id))
			continue;
		KUNIT_EXPECT_EQ(test, xa_err(xa_store(seen, c->id, c, GFP_KERNEL)), 0);
		xa_for_each(&c->pages, index, page) {
			n = xa_load(want, vmarena_page_pfn(page));
			KUNIT_EXPECT_EQ_MSG(test, page->wired_count,
					    n ? (u32)xa_to_value(n) : 0U,
					    "%s: cache %u page %lu", step, c->id, index);
		}
	}
	vmarena_cache_unlock_chain(area->cache);
}

/*
 * The census: every page of every cache that the areas of @as reach has
 * the wired count its areas made.  @step names the moment in the messages.
 * The caller is quiet: no fault or change runs meanwhile.
 */
static void vt_census(struct kunit *test, struct vmarena_aspace *as, const char *step)
{
	struct xarray want, seen;
	struct rb_node *node;

	xa_init(&want);
	xa_init(&seen);
	down_read(&as->lock);
	for (node = rb_first(&as->areas); node; node = rb_next(node))
		vt_census_area(test, rb_entry(node, struct vmarena_area, node), &want, step);
	for (node = rb_first(&as->areas); node; node = rb_next(node))
		vt_census_chain(test, rb_entry(node, struct vmarena_area, node), &want, &seen,
				step);
	up_read(&as->lock);
	xa_destroy(&want);
	xa_destroy(&seen);
}

/* A clone of @source with @wiring and @protection. */
static struct vmarena_area *vt_wired_clone(struct kunit *test, struct vmarena_aspace *as,
					   struct vmarena_area *source, bool shared,
					   unsigned int wiring, u32 protection)
{
	struct vmarena_area_spec spec = vt_spec("wclone", 1, protection);
	struct vmarena_area *area = NULL;

	spec.wiring = wiring;
	KUNIT_ASSERT_EQ(test, vmarena_area_clone(as, &spec, source, shared, &area), 0);
	return vt_keep(test, area);
}

/* A wired anonymous area of @pages pages, at page @at of the aspace if not 0. */
static struct vmarena_area *vt_wired(struct kunit *test, struct vmarena_aspace *as,
				     unsigned long pages, unsigned long at)
{
	struct vmarena_area_spec spec = vt_spec("wired", pages, RW);
	struct vmarena_area *area = NULL;

	spec.wiring = VMARENA_WIRING_WIRED;
	if (at) {
		spec.addr_spec = VMARENA_ADDR_EXACT;
		spec.base = VT_BASE + VT_PAGES(at);
	}
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &area), 0);
	return vt_keep(test, area);
}

/* Write every page of @area once. */
static void vt_touch_all(struct kunit *test, struct vmarena_area *area, u8 value)
{
	unsigned long addr;

	for (addr = area->base; addr < area->base + area->size; addr += PAGE_SIZE)
		KUNIT_ASSERT_EQ(test, vt_poke(area->aspace, addr, value), 0);
}

static void vt_wire_protection_none_and_back_keeps_the_wiring(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wprot");
	struct vmarena_area *w = vt_wired(test, as, 3, 0);
	/* A sharer keeps the cache alive after the wired area goes. */
	struct vmarena_area *keeper = vt_clone(test, as, w, true, RW);

	vt_census(test, as, "created");
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(w, 0), 0);
	vt_census(test, as, "protection 0");
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(w, RW), 0);
	vt_touch_all(test, w, 7);
	vt_census(test, as, "protection back");
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(w, 0), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(w), 0);
	vt_census(test, as, "deleted with protection 0");
	KUNIT_EXPECT_EQ(test, vt_peek(as, keeper->base + VT_PAGES(2)), 7);
}

static void vt_wire_copy_up_in_a_wired_private_clone_moves_the_wiring(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wcopy");
	struct vmarena_area *src = vt_anon(test, as, "src", 3, RW);
	struct vmarena_area *clone;

	vt_touch_all(test, src, 1);
	/* Wired for reading: it wires the source's pages. */
	clone = vt_wired_clone(test, as, src, false, VMARENA_WIRING_WIRED, R);
	vt_census(test, as, "cloned");
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(clone, RW), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, clone->base + VT_PAGES(1), 2), 0);
	vt_census(test, as, "copied up");
	KUNIT_EXPECT_EQ(test, vt_peek(as, src->base + VT_PAGES(1)), 1);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(clone), 0);
	vt_census(test, as, "clone deleted");
}

static void vt_wire_copy_up_over_a_shared_source_releases_its_page(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wshared");
	struct vmarena_area *src = vt_anon(test, as, "src", 2, RW);
	struct vmarena_area *clone;

	vt_clone(test, as, src, true, RW);		/* the source cache is shared */
	vt_touch_all(test, src, 3);
	clone = vt_wired_clone(test, as, src, false, VMARENA_WIRING_WIRED, R);
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(clone, RW), 0);
	vt_touch_all(test, clone, 4);
	vt_census(test, as, "copied up");
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(clone), 0);
	vt_census(test, as, "clone deleted");
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(src), 0);
	vt_census(test, as, "source deleted");
}

/* A write through the source shows through its clones: their wiring follows. */
static void vt_wire_copy_up_below_a_wired_clone_moves_its_wiring(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wbelow");
	struct vmarena_area *base = vt_anon(test, as, "base", 2, RW);
	struct vmarena_area *mid, *top;

	vt_touch_all(test, base, 5);
	mid = vt_clone(test, as, base, false, RW);
	top = vt_wired_clone(test, as, mid, false, VMARENA_WIRING_WIRED, R);
	vt_census(test, as, "cloned");
	KUNIT_ASSERT_EQ(test, vt_poke(as, mid->base, 6), 0);
	vt_census(test, as, "copied up below");
	KUNIT_EXPECT_EQ(test, vt_peek(as, top->base), 6);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(top), 0);
	vt_census(test, as, "wired clone deleted");
}

static void vt_wire_resize_of_a_wired_area_follows_its_size(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wresize");
	struct vmarena_area *w = vt_wired(test, as, 2, 100);
	struct vmarena_area *src = vt_anon(test, as, "src", 2, RW);
	struct vmarena_area *clone;

	vt_clone(test, as, w, true, RW);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(w, VT_PAGES(5), NULL), 0);
	vt_census(test, as, "grown");
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(w, 0), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(w, VT_PAGES(1), NULL), 0);
	vt_census(test, as, "shrunk with protection 0");
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(w, RW), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(w, VT_PAGES(3), NULL), 0);
	vt_census(test, as, "grown again");

	/* A wired private clone reading its source, shrunk and grown. */
	vt_touch_all(test, src, 1);
	clone = vt_wired_clone(test, as, src, false, VMARENA_WIRING_WIRED, R);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(clone, VT_PAGES(1), NULL), 0);
	vt_census(test, as, "clone shrunk");
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(clone, VT_PAGES(4), NULL), 0);
	vt_census(test, as, "clone grown");
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(clone), 0);
	vt_census(test, as, "clone deleted");
}

/* Growing an inaccessible wired area wires the growth, mapping nothing. */
static void vt_wire_growth_of_an_inaccessible_wired_area_is_wired(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wnone");
	struct vmarena_area *w = vt_wired(test, as, 2, 100);
	struct vmarena_area_desc info;

	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(w, 0), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(w, VT_PAGES(4), NULL), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_get_info(w, &info), 0);
	KUNIT_EXPECT_EQ(test, info.resident, 0UL);
	KUNIT_EXPECT_EQ(test, vt_peek(as, w->base + VT_PAGES(3)), -EACCES);
	vt_census(test, as, "grown with protection 0");
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(w, RW), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, w->base + VT_PAGES(3)), 0);
	vt_census(test, as, "protection back");
}

static void vt_wire_delete_of_wired_clones_leaves_no_wiring(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wdelete");
	struct vmarena_area *src = vt_anon(test, as, "src", 3, RW);
	struct vmarena_area_spec spec = vt_spec("contig", 4, RW);
	struct vmarena_area *shared, *private, *already, *contig;

	vt_touch_all(test, src, 1);
	shared = vt_wired_clone(test, as, src, true, VMARENA_WIRING_WIRED, RW);
	private = vt_wired_clone(test, as, src, false, VMARENA_WIRING_WIRED, R);
	already = vt_wired_clone(test, as, shared, true, VMARENA_WIRING_ALREADY_WIRED, R);
	vt_census(test, as, "cloned");
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(shared), 0);
	vt_census(test, as, "shared clone deleted");
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(private), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(already), 0);
	vt_census(test, as, "all clones deleted");

	/* A contiguous area's run: wired by the area, released with it. */
	spec.wiring = VMARENA_WIRING_CONTIGUOUS;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &contig), 0);
	vt_keep(test, contig);
	vt_clone(test, as, contig, true, RW);
	vt_census(test, as, "contiguous created");
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(contig), 0);
	vt_census(test, as, "contiguous deleted");
}

static void vt_wire_lock_and_unlock_change_no_wiring(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wlock");
	struct vmarena_area *w = vt_wired(test, as, 2, 0);
	struct vmarena_area *lazy = vt_anon(test, as, "lazy", 2, RW);

	vt_touch_all(test, lazy, 1);
	KUNIT_ASSERT_EQ(test, vmarena_area_set_lock(w, VMARENA_LOCK_LOCKED, NULL), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_set_lock(lazy, VMARENA_LOCK_LOCKED, NULL), 0);
	vt_census(test, as, "locked");
	KUNIT_ASSERT_EQ(test, vmarena_area_set_lock(w, VMARENA_LOCK_UNLOCKED, NULL), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_set_lock(lazy, VMARENA_LOCK_UNLOCKED, NULL), 0);
	vt_census(test, as, "unlocked");
}

static void vt_wire_superlock_and_release_wire_each_page_once(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wsuper");
	struct vmarena_area *w = vt_wired(test, as, 2, 0);
	struct vmarena_area *src = vt_anon(test, as, "src", 2, RW);
	struct vmarena_area *ro;

	vt_touch_all(test, src, 1);
	ro = vt_clone(test, as, src, false, R);
	KUNIT_ASSERT_EQ(test, vmarena_aspace_superlock(as, true, NULL), 0);
	vt_census(test, as, "super-locked");
	/* Unmapped while super-locked: the release must still find the pages. */
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(src, 0), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(w, 0), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(ro, RW), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, ro->base, 9), 0);
	vt_census(test, as, "changed while super-locked");
	KUNIT_ASSERT_EQ(test, vmarena_aspace_superlock(as, false, NULL), 0);
	vt_census(test, as, "released");
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(src, RW), 0);
	KUNIT_ASSERT_EQ(test, vmarena_aspace_superlock(as, true, NULL), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_delete(src), 0);
	vt_census(test, as, "source deleted while super-locked");
	KUNIT_ASSERT_EQ(test, vmarena_aspace_superlock(as, false, NULL), 0);
	vt_census(test, as, "released again");
}

/* A VMARENA_AREA_LAZY anonymous area of @pages pages. */
static struct vmarena_area *vt_lazy_flagged(struct kunit *test, struct vmarena_aspace *as,
					    const char *name, unsigned long pages)
{
	struct vmarena_area_spec spec = vt_spec(name, pages, RW);
	struct vmarena_area *area = NULL;

	spec.flags = VMARENA_AREA_LAZY;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &area), 0);
	return vt_keep(test, area);
}

/* How many pages @area has resident. */
static unsigned long vt_area_resident(struct kunit *test, struct vmarena_area *area)
{
	struct vmarena_area_desc info;

	KUNIT_ASSERT_EQ(test, vmarena_area_get_info(area, &info), 0);
	return info.resident;
}

/*
 * QNX MAP_LAZY under a super-lock: the super-lock wires what was touched
 * and nothing else; each first touch afterwards wires its page (the census
 * wants every page a super-wired area sees wired); a growth and an area
 * created meanwhile allocate nothing; an area created without access is
 * wired when protection comes back; the release lets every wiring go.
 */
static void vt_wire_superlock_of_a_lazy_area_wires_only_touched_pages(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "wlazy");
	struct vmarena_area *lazy = vt_lazy_flagged(test, as, "lazy", 4);
	struct vmarena_area *late, *none;

	KUNIT_ASSERT_EQ(test, vt_poke(as, lazy->base, 1), 0);
	KUNIT_EXPECT_EQ(test, vt_area_resident(test, lazy), 1UL);
	KUNIT_ASSERT_EQ(test, vmarena_aspace_superlock(as, true, NULL), 0);
	KUNIT_EXPECT_EQ(test, vt_area_resident(test, lazy), 1UL);
	vt_census(test, as, "super-locked");
	KUNIT_EXPECT_EQ(test, vt_peek(as, lazy->base + VT_PAGES(2)), 0);
	KUNIT_EXPECT_EQ(test, vt_area_resident(test, lazy), 2UL);
	vt_census(test, as, "first touch");
	KUNIT_ASSERT_EQ(test, vmarena_area_resize(lazy, VT_PAGES(6), NULL), 0);
	KUNIT_EXPECT_EQ(test, vt_area_resident(test, lazy), 2UL);
	late = vt_lazy_flagged(test, as, "late", 3);
	KUNIT_EXPECT_EQ(test, vt_area_resident(test, late), 0UL);
	KUNIT_ASSERT_EQ(test, vt_poke(as, late->base + VT_PAGES(1), 5), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, lazy->base + VT_PAGES(5), 6), 0);
	KUNIT_EXPECT_EQ(test, vt_area_resident(test, late), 1UL);
	vt_census(test, as, "grown and created while super-locked");
	/* Created without access, it is wired when protection comes back. */
	none = vt_anon(test, as, "none", 2, 0);
	KUNIT_EXPECT_EQ(test, vt_area_resident(test, none), 0UL);
	KUNIT_ASSERT_EQ(test, vmarena_area_set_protection(none, RW), 0);
	KUNIT_EXPECT_EQ(test, vt_area_resident(test, none), 2UL);
	vt_census(test, as, "protection back on an area created without it");
	KUNIT_ASSERT_EQ(test, vmarena_aspace_superlock(as, false, NULL), 0);
	vt_census(test, as, "released");
	KUNIT_EXPECT_EQ(test, vt_peek(as, late->base + VT_PAGES(1)), 5);
}

static struct kunit_case vmarena_wire_cases[] = {
	KUNIT_CASE(vt_wire_protection_none_and_back_keeps_the_wiring),
	KUNIT_CASE(vt_wire_copy_up_in_a_wired_private_clone_moves_the_wiring),
	KUNIT_CASE(vt_wire_copy_up_over_a_shared_source_releases_its_page),
	KUNIT_CASE(vt_wire_copy_up_below_a_wired_clone_moves_its_wiring),
	KUNIT_CASE(vt_wire_resize_of_a_wired_area_follows_its_size),
	KUNIT_CASE(vt_wire_growth_of_an_inaccessible_wired_area_is_wired),
	KUNIT_CASE(vt_wire_delete_of_wired_clones_leaves_no_wiring),
	KUNIT_CASE(vt_wire_lock_and_unlock_change_no_wiring),
	KUNIT_CASE(vt_wire_superlock_and_release_wire_each_page_once),
	KUNIT_CASE(vt_wire_superlock_of_a_lazy_area_wires_only_touched_pages),
	{}
};

static struct kunit_suite vmarena_wire_suite = {
	.name = "vmarena_wire",
	.test_cases = vmarena_wire_cases,
};

kunit_test_suite(vmarena_wire_suite);
