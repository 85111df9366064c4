// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the fault's case table (vmarena_fault_cases[], module/vmarena/
 * fault.c), row by row.  For each row the test builds the place the row
 * names (the page mapped already, resident in the top cache or below it,
 * nowhere, in a store, in a file, device memory), faults once with the
 * row's access, and checks what the row promises: the outcome, the one
 * fault-kind counter that moved, the cache that owns the page after, its
 * state, and whether it is mapped writable.
 */
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <kunit/test.h>

#include "fixture.h"

#define RW	(VMARENA_PROT_READ | VMARENA_PROT_WRITE)

/* The counters one of which each fault that did something moves. */
static const enum vmarena_stat vt_kinds[] = {
	VMARENA_STAT_FAULTS_MAPPED, VMARENA_STAT_FAULTS_MINOR, VMARENA_STAT_FAULTS_ZERO,
	VMARENA_STAT_FAULTS_MAJOR, VMARENA_STAT_FAULTS_COW,
};

static const char *const vt_where_names[VMARENA_WHERE_NR] = {
	[VMARENA_WHERE_MAPPED] = "mapped", [VMARENA_WHERE_TOP] = "top",
	[VMARENA_WHERE_BELOW] = "below", [VMARENA_WHERE_NONE] = "none",
	[VMARENA_WHERE_STORE] = "store", [VMARENA_WHERE_FILE] = "file",
	[VMARENA_WHERE_DEVICE] = "device",
};

static void vt_case_desc(const struct vmarena_fault_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s", vt_where_names[c->where],
		 c->access == VMARENA_FAULT_WRITE ? "write" : "read");
}

KUNIT_ARRAY_PARAM(vt_case, vmarena_fault_cases, vt_case_desc);

/* The place a row names, ready for its fault. */
struct vt_place {
	struct vmarena_aspace *as;
	unsigned long addr;		/* where the fault goes */
	struct vmarena_cache *top;	/* the cache of the area there */
	struct vmarena_cache *found;	/* what the row's VMARENA_OWNER_FOUND is */
	unsigned long pfn;		/* device memory: the pfn it maps */
	bool file;			/* a shared file area: written pages only */
};

/* A store that has every page, filled with 0x5a. */
static bool vt_full_has_page(struct vmarena_store *store, pgoff_t offset)
{
	return true;
}

static int vt_full_read(struct vmarena_store *store, pgoff_t offset, struct page *page)
{
	u8 *p = kmap_local_page(page);

	memset(p, 0x5a, PAGE_SIZE);
	kunmap_local(p);
	return 0;
}

static void vt_full_destroy(struct vmarena_store *store)
{
	kfree(store);
}

static const struct vmarena_store_ops vt_full_ops = {
	.type = VMARENA_STORE_TEST,
	.name = "kunit-full",
	.has_page = vt_full_has_page,
	.read = vt_full_read,
	.destroy = vt_full_destroy,
};

static struct vmarena_cache *vt_cache_of(struct vmarena_aspace *as, unsigned long addr)
{
	struct vmarena_page *page = vmarena_page_from_pfn(vt_pfn(as, addr));

	return page ? READ_ONCE(page->cache) : NULL;
}

/* A page mapped already, well enough for the access (a first fault's). */
static void vt_place_mapped(struct kunit *test, struct vt_place *pl, unsigned int access)
{
	struct vmarena_area *area = vt_anon(test, pl->as, "a", 1, RW);

	pl->addr = area->base;
	pl->top = area->cache;
	KUNIT_ASSERT_EQ(test, access == VMARENA_FAULT_WRITE ? vt_poke(pl->as, pl->addr, 1) :
			vt_peek(pl->as, pl->addr), 0);
	pl->found = area->cache;
}

/*
 * Resident in the top cache, not mapped there: a shared clone's first touch
 * of a page its source read (active, as the row leaves a read).
 */
static void vt_place_top(struct kunit *test, struct vt_place *pl)
{
	struct vmarena_area *src = vt_anon(test, pl->as, "src", 1, RW);
	struct vmarena_area *clone;

	KUNIT_ASSERT_EQ(test, vt_peek(pl->as, src->base), 0);
	clone = vt_clone(test, pl->as, src, true, RW);
	pl->addr = clone->base;
	pl->top = clone->cache;
	pl->found = clone->cache;
	KUNIT_ASSERT_PTR_EQ(test, vt_cache_of(pl->as, src->base), clone->cache);
}

/* Resident in a lower cache: a private clone of an area that read it. */
static void vt_place_below(struct kunit *test, struct vt_place *pl)
{
	struct vmarena_area *src = vt_anon(test, pl->as, "src", 1, RW);
	struct vmarena_area *clone;

	KUNIT_ASSERT_EQ(test, vt_peek(pl->as, src->base), 0);
	clone = vt_clone(test, pl->as, src, false, RW);
	pl->addr = clone->base;
	pl->top = clone->cache;
	pl->found = vt_cache_of(pl->as, src->base);
	KUNIT_ASSERT_NOT_NULL(test, pl->found);
	KUNIT_ASSERT_PTR_NE(test, pl->found, clone->cache);
}

/* Nowhere: a private clone of an untouched area; the bottom is its source's. */
static void vt_place_none(struct kunit *test, struct vt_place *pl)
{
	struct vmarena_area *src = vt_anon(test, pl->as, "src", 1, RW);
	struct vmarena_area *clone = vt_clone(test, pl->as, src, false, RW);

	pl->addr = clone->base;
	pl->top = clone->cache;
	mutex_lock(&clone->cache->lock);
	pl->found = clone->cache->source;
	mutex_unlock(&clone->cache->lock);
	KUNIT_ASSERT_NOT_NULL(test, pl->found);
}

static void vt_place_store(struct kunit *test, struct vt_place *pl)
{
	struct vmarena_area_spec spec = vt_spec("store", 1, RW);
	struct vmarena_store *store = kzalloc(sizeof(*store), GFP_KERNEL);
	struct vmarena_area *area;

	KUNIT_ASSERT_NOT_NULL(test, store);
	store->ops = &vt_full_ops;
	KUNIT_ASSERT_EQ(test, vmarena_area_map_store(pl->as, &spec, store, &area), 0);
	vt_keep(test, area);
	pl->addr = area->base;
	pl->top = area->cache;
	pl->found = area->cache;
}

/* A shared mapping of a one-page tmpfs file, not in the file cache yet. */
static void vt_place_file(struct kunit *test, struct vt_place *pl)
{
	struct vmarena_area_spec spec = vt_spec("file", 1, RW);
	struct file *file = shmem_file_setup("vmarena-kunit-case", PAGE_SIZE, 0);
	struct vmarena_area *area = NULL;
	u8 byte = 0x77;
	loff_t pos = 0;
	int ret;

	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	ret = kernel_write(file, &byte, 1, &pos) == 1 ? 0 : -EIO;
	if (!ret)
		ret = vmarena_area_map_file(pl->as, &spec, file, 0, true, &area);
	fput(file);	/* the area holds its own reference */
	KUNIT_ASSERT_EQ(test, ret, 0);
	vt_keep(test, area);
	pl->addr = area->base;
	pl->top = area->cache;
	pl->found = area->cache;
	pl->file = true;
}

/* Device memory: a device area over a contiguous area's RAM. */
static void vt_place_device(struct kunit *test, struct vt_place *pl)
{
	struct vmarena_area_spec spec = vt_spec("run", 1, RW);
	struct vmarena_area *run, *dev;
	phys_addr_t phys;

	spec.wiring = VMARENA_WIRING_CONTIGUOUS;
	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(pl->as, &spec, &run), 0);
	vt_keep(test, run);
	KUNIT_ASSERT_EQ(test, vmarena_get_page_mapping(pl->as, run->base, &phys), 0);
	spec.wiring = VMARENA_WIRING_LAZY;
	KUNIT_ASSERT_EQ(test, vmarena_area_map_device(pl->as, &spec, phys, &dev), 0);
	vt_keep(test, dev);
	pl->addr = dev->base;
	pl->pfn = PHYS_PFN(phys);
}

static void vt_place(struct kunit *test, const struct vmarena_fault_case *c, struct vt_place *pl)
{
	switch (c->where) {
	case VMARENA_WHERE_MAPPED:
		return vt_place_mapped(test, pl, c->access);
	case VMARENA_WHERE_TOP:
		return vt_place_top(test, pl);
	case VMARENA_WHERE_BELOW:
		return vt_place_below(test, pl);
	case VMARENA_WHERE_NONE:
		return vt_place_none(test, pl);
	case VMARENA_WHERE_STORE:
		return vt_place_store(test, pl);
	case VMARENA_WHERE_FILE:
		return vt_place_file(test, pl);
	case VMARENA_WHERE_DEVICE:
		return vt_place_device(test, pl);
	}
	KUNIT_FAIL(test, "a row the test cannot place: %u", c->where);
}

/* What the row promises about the page after the fault. */
static void vt_check_page(struct kunit *test, const struct vmarena_fault_case *c,
			  const struct vt_place *pl, const struct vmarena_fault_result *res)
{
	bool write = c->access == VMARENA_FAULT_WRITE;
	struct vmarena_cache *owner, *want;
	struct vmarena_page *page;

	KUNIT_ASSERT_NOT_NULL(test, res->page);
	page = vmarena_page_from_pfn(res->pfn);
	KUNIT_ASSERT_NOT_NULL(test, page);
	owner = READ_ONCE(page->cache);
	want = c->owner == VMARENA_OWNER_TOP ? pl->top : pl->found;
	KUNIT_EXPECT_PTR_EQ(test, owner, want);
	mutex_lock(&owner->lock);
	KUNIT_EXPECT_EQ(test, page->state,
			(u8)(write ? VMARENA_PAGE_MODIFIED : VMARENA_PAGE_ACTIVE));
	mutex_unlock(&owner->lock);
	/* Writable where written, or the top cache's own anonymous page. */
	KUNIT_EXPECT_EQ(test, !!(res->prot & VMARENA_PROT_WRITE),
			write || (owner == pl->top && !pl->file));
}

static void vt_fault_case_holds(struct kunit *test)
{
	const struct vmarena_fault_case *c = test->param_value;
	struct vt_place pl = { .as = vt_aspace(test, "case") };
	u64 before[VMARENA_STAT_NR], after[VMARENA_STAT_NR];
	struct vmarena_fault_result res;
	unsigned int i;
	int ret;

	/* The row's index is its key (vmarena_fault_cases[]'s order). */
	KUNIT_ASSERT_EQ(test, (long)(c - vmarena_fault_cases),
			(long)(c->where * 2 + (c->access == VMARENA_FAULT_WRITE)));
	vt_place(test, c, &pl);
	vmarena_stats_read(before);
	ret = vmarena_fault(pl.as, pl.addr, c->access, &res);
	vmarena_stats_read(after);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, (int)res.outcome, (int)c->outcome);
	KUNIT_EXPECT_EQ(test, after[VMARENA_STAT_FAULTS] - before[VMARENA_STAT_FAULTS], 1ULL);
	for (i = 0; i < ARRAY_SIZE(vt_kinds); i++)
		KUNIT_EXPECT_EQ_MSG(test, after[vt_kinds[i]] - before[vt_kinds[i]],
				    vt_kinds[i] == c->stat ? 1ULL : 0ULL, "counter %u",
				    vt_kinds[i]);
	if (c->owner == VMARENA_OWNER_NONE) {
		KUNIT_EXPECT_NULL(test, res.page);
		KUNIT_EXPECT_EQ(test, res.pfn, pl.pfn);
		return;
	}
	vt_check_page(test, c, &pl, &res);
	put_page(res.page);
}

static struct kunit_case vmarena_fault_case_cases[] = {
	KUNIT_CASE_PARAM(vt_fault_case_holds, vt_case_gen_params),
	{}
};

static struct kunit_suite vmarena_fault_case_suite = {
	.name = "vmarena_fault_case",
	.test_cases = vmarena_fault_case_cases,
};

kunit_test_suite(vmarena_fault_case_suite);
