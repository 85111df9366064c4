// SPDX-License-Identifier: GPL-2.0
/*
 * Fixtures shared by the core's KUnit suites.  Everything a fixture makes
 * is undone by KUnit when the test ends, in reverse order, whether the
 * test passed or not: an aspace is deleted (which deletes its areas), an
 * area reference is dropped.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <kunit/resource.h>

#include "fixture.h"

static int vt_resource_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

/*
 * Run @release(@data) when the test ends (kunit_add_action() is 6.5+;
 * resources exist on every supported kernel).  If that cannot be arranged,
 * release now and fail the test.
 */
static void vt_defer(struct kunit *test, kunit_resource_free_t release, void *data)
{
	struct kunit_resource tmp = { .data = data };

	if (!kunit_alloc_resource(test, vt_resource_init, release, GFP_KERNEL, data)) {
		release(&tmp);
		KUNIT_ASSERT_TRUE_MSG(test, false, "no memory for a test resource");
	}
}

static void vt_aspace_release(struct kunit_resource *res)
{
	struct vmarena_aspace *as = res->data;

	vmarena_aspace_delete(as);
	vmarena_aspace_drop(as);
}

/* A new aspace [VT_BASE, VT_BASE + VT_SIZE), deleted when the test ends. */
struct vmarena_aspace *vt_aspace(struct kunit *test, const char *name)
{
	struct vmarena_aspace *as = vmarena_aspace_create(name, VT_BASE, VT_SIZE);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(as), "aspace_create: %ld", PTR_ERR(as));
	vt_defer(test, vt_aspace_release, as);
	return as;
}

/* A lazy, unlocked spec for @pages pages anywhere. */
struct vmarena_area_spec vt_spec(const char *name, unsigned long pages, u32 protection)
{
	return (struct vmarena_area_spec) {
		.name = name,
		.addr_spec = VMARENA_ADDR_ANY,
		.size = VT_PAGES(pages),
		.protection = protection,
	};
}

static void vt_area_release(struct kunit_resource *res)
{
	vmarena_area_put(res->data);
}

/* Drop the reference to @area when the test ends. */
struct vmarena_area *vt_keep(struct kunit *test, struct vmarena_area *area)
{
	vt_defer(test, vt_area_release, area);
	return area;
}

static struct vmarena_area *vt_track(struct kunit *test, int ret, struct vmarena_area *area)
{
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "area creation failed");
	return vt_keep(test, area);
}

/* A lazy anonymous area, its reference dropped when the test ends. */
struct vmarena_area *vt_anon(struct kunit *test, struct vmarena_aspace *as, const char *name,
			     unsigned long pages, u32 protection)
{
	struct vmarena_area_spec spec = vt_spec(name, pages, protection);
	struct vmarena_area *area = NULL;
	int ret = vmarena_area_create_anon(as, &spec, &area);

	return vt_track(test, ret, area);
}

/* A lazy clone of @source in @as. */
struct vmarena_area *vt_clone(struct kunit *test, struct vmarena_aspace *as,
			      struct vmarena_area *source, bool shared, u32 protection)
{
	struct vmarena_area_spec spec = vt_spec("clone", 1, protection);
	struct vmarena_area *area = NULL;
	int ret = vmarena_area_clone(as, &spec, source, shared, &area);

	return vt_track(test, ret, area);
}

/*
 * The page a fault made resident: its own, or for device memory (which
 * comes without a page reference) the RAM page behind the pfn, which the
 * device tests only ever map from the arena's own runs.
 */
static struct page *vt_result_page(struct vmarena_fault_result *res)
{
	if (res->page)
		return res->page;
	if (!pfn_valid(res->pfn))
		return NULL;
	get_page(pfn_to_page(res->pfn));
	return pfn_to_page(res->pfn);
}

/* Store @value at @addr as a user store would: a write fault, then the write. */
int vt_poke(struct vmarena_aspace *as, unsigned long addr, u8 value)
{
	struct vmarena_fault_result res;
	struct page *page;
	u8 *p;
	int ret;

	ret = vmarena_fault(as, addr, VMARENA_FAULT_WRITE, &res);
	if (ret)
		return ret;
	page = vt_result_page(&res);
	if (!page)
		return -EFAULT;
	p = kmap_local_page(page);
	p[offset_in_page(addr)] = value;
	kunmap_local(p);
	put_page(page);
	return 0;
}

/* Load the byte at @addr: a read fault, then the read.  -errno on failure. */
int vt_peek(struct vmarena_aspace *as, unsigned long addr)
{
	struct vmarena_fault_result res;
	struct page *page;
	u8 *p, value;
	int ret;

	ret = vmarena_fault(as, addr, VMARENA_FAULT_READ, &res);
	if (ret)
		return ret;
	page = vt_result_page(&res);
	if (!page)
		return -EFAULT;
	p = kmap_local_page(page);
	value = p[offset_in_page(addr)];
	kunmap_local(p);
	put_page(page);
	return value;
}

/* The pfn @addr maps now, or 0. */
unsigned long vt_pfn(struct vmarena_aspace *as, unsigned long addr)
{
	phys_addr_t phys;

	if (vmarena_get_page_mapping(as, addr, &phys))
		return 0;
	return PHYS_PFN(phys);
}

unsigned int vt_chain_depth(struct vmarena_area *area)
{
	struct vmarena_area_desc info;

	if (vmarena_area_get_info(area, &info))
		return 0;
	return info.cache_depth;
}

unsigned long vt_resident(struct vmarena_cache *cache)
{
	unsigned long n;

	mutex_lock(&cache->lock);
	n = cache->resident;
	mutex_unlock(&cache->lock);
	return n;
}

/* Fill @page with a pattern that depends on @seed and on every byte's place. */
void vt_pattern(struct page *page, u8 seed)
{
	u8 *p = kmap_local_page(page);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = seed + i * 7 + (i >> 8);
	kunmap_local(p);
}

/* A checksum (FNV-1a) of @page. */
u32 vt_page_sum(struct page *page)
{
	u8 *p = kmap_local_page(page);
	u32 sum = 2166136261u;
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++)
		sum = (sum ^ p[i]) * 16777619u;
	kunmap_local(p);
	return sum;
}

/* Write vt_pattern(@seed) to the page at @addr through a write fault; its sum. */
u32 vt_fill(struct kunit *test, struct vmarena_aspace *as, unsigned long addr, u8 seed)
{
	struct vmarena_fault_result res;
	u32 sum;

	KUNIT_ASSERT_EQ(test, vmarena_fault(as, addr, VMARENA_FAULT_WRITE, &res), 0);
	vt_pattern(res.page, seed);
	sum = vt_page_sum(res.page);
	put_page(res.page);
	return sum;
}

/* The sum of the page at @addr, through a read fault. */
u32 vt_sum(struct kunit *test, struct vmarena_aspace *as, unsigned long addr)
{
	struct vmarena_fault_result res;
	u32 sum;

	KUNIT_ASSERT_EQ(test, vmarena_fault(as, addr, VMARENA_FAULT_READ, &res), 0);
	sum = vt_page_sum(res.page);
	put_page(res.page);
	return sum;
}
