// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the checks of NewOS's kernel/vm/vm_tests.c, ported.  NewOS ran
 * them at boot against its kernel aspace: create an anonymous region,
 * write it and delete it; find a region by name; clone a region and
 * compare; clone privately, compare, write and compare again; map a file
 * twice and compare; map a file privately and write to it.  Here each one
 * gets its own aspace and checks every byte it wrote.
 */
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/shmem_fs.h>
#include <kunit/test.h>

#include "fixture.h"

#define RW	(VMARENA_PROT_READ | VMARENA_PROT_WRITE)
#define NPAGES	4

/* Fill @pages pages at @addr with a pattern derived from @seed. */
static int vt_fill_pages(struct vmarena_aspace *as, unsigned long addr, unsigned long pages,
			 u8 seed)
{
	struct vmarena_fault_result res;
	unsigned long i, j;
	u8 *p;
	int ret;

	for (i = 0; i < pages; i++) {
		ret = vmarena_fault(as, addr + VT_PAGES(i), VMARENA_FAULT_WRITE, &res);
		if (ret)
			return ret;
		p = kmap_local_page(res.page);
		for (j = 0; j < PAGE_SIZE; j++)
			p[j] = seed + i * 7 + j;
		kunmap_local(p);
		put_page(res.page);
	}
	return 0;
}

/* 0 if @pages pages at @a in @x equal those at @b in @y, else -EIO or -errno. */
static int vt_compare(struct vmarena_aspace *x, unsigned long a, struct vmarena_aspace *y,
		      unsigned long b, unsigned long pages)
{
	struct vmarena_fault_result ra, rb;
	unsigned long i;
	int ret = 0;
	u8 *pa, *pb;

	for (i = 0; i < pages && !ret; i++) {
		ret = vmarena_fault(x, a + VT_PAGES(i), VMARENA_FAULT_READ, &ra);
		if (ret)
			break;
		ret = vmarena_fault(y, b + VT_PAGES(i), VMARENA_FAULT_READ, &rb);
		if (ret) {
			put_page(ra.page);
			break;
		}
		pa = kmap_local_page(ra.page);
		pb = kmap_local_page(rb.page);
		if (memcmp(pa, pb, PAGE_SIZE))
			ret = -EIO;
		kunmap_local(pb);
		kunmap_local(pa);
		put_page(rb.page);
		put_page(ra.page);
	}
	return ret;
}

static void vt_newos_anonymous_create_write_delete(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "newos1");
	struct vmarena_area_spec spec = vt_spec("test region", NPAGES, RW);
	struct vmarena_area *area;

	KUNIT_ASSERT_EQ(test, vmarena_area_create_anon(as, &spec, &area), 0);
	KUNIT_EXPECT_EQ(test, vt_fill_pages(as, area->base, NPAGES, 1), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base + 5), 6);
	KUNIT_EXPECT_EQ(test, vmarena_area_delete(area), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), -EFAULT);
	KUNIT_EXPECT_EQ(test, vmarena_area_delete(area), -ENOENT);
	vmarena_area_put(area);
}

static void vt_newos_find_region_by_name(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "newos2");
	struct vmarena_area *area = vt_anon(test, as, "test region", 1, RW);
	struct vmarena_area *found;

	vt_anon(test, as, "other region", 1, RW);
	found = vmarena_area_find_by_name(as, "test region");
	KUNIT_ASSERT_NOT_NULL(test, found);
	KUNIT_EXPECT_PTR_EQ(test, found, area);
	vmarena_area_put(found);
	KUNIT_EXPECT_NULL(test, vmarena_area_find_by_name(as, "no such region"));
	found = vmarena_area_get_by_id(area->id);
	KUNIT_EXPECT_PTR_EQ(test, found, area);
	if (found)
		vmarena_area_put(found);
}

static void vt_newos_clone_and_compare(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "newos3");
	struct vmarena_area *area = vt_anon(test, as, "source", NPAGES, RW);
	struct vmarena_area *clone;

	KUNIT_ASSERT_EQ(test, vt_fill_pages(as, area->base, NPAGES, 3), 0);
	clone = vt_clone(test, as, area, true, RW);
	KUNIT_EXPECT_EQ(test, vt_compare(as, area->base, as, clone->base, NPAGES), 0);
}

static void vt_newos_private_clone_compare_then_diverge(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "newos4");
	struct vmarena_area *area = vt_anon(test, as, "source", NPAGES, RW);
	struct vmarena_area *clone;

	KUNIT_ASSERT_EQ(test, vt_fill_pages(as, area->base, NPAGES, 4), 0);
	clone = vt_clone(test, as, area, false, RW);
	KUNIT_EXPECT_EQ(test, vt_compare(as, area->base, as, clone->base, NPAGES), 0);
	KUNIT_ASSERT_EQ(test, vt_fill_pages(as, clone->base, NPAGES, 40), 0);
	KUNIT_EXPECT_EQ(test, vt_compare(as, area->base, as, clone->base, NPAGES), -EIO);
	KUNIT_EXPECT_EQ(test, vt_peek(as, area->base), 4);
	KUNIT_EXPECT_EQ(test, vt_peek(as, clone->base), 40);
}

static struct file *vt_newos_file(struct kunit *test)
{
	struct file *file = shmem_file_setup("vmarena-newos", VT_PAGES(NPAGES), 0);
	loff_t pos = 0;
	u8 *buf;
	int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	buf = kunit_kmalloc(test, VT_PAGES(NPAGES), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < VT_PAGES(NPAGES); i++)
		buf[i] = i * 13;
	KUNIT_ASSERT_EQ(test, kernel_write(file, buf, VT_PAGES(NPAGES), &pos),
			(ssize_t)VT_PAGES(NPAGES));
	return file;
}

static void vt_newos_file_mapped_twice(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "newos5");
	struct vmarena_area_spec spec = vt_spec("file", NPAGES, VMARENA_PROT_READ);
	struct file *file = vt_newos_file(test);
	struct vmarena_area *a, *b;

	KUNIT_ASSERT_EQ(test, vmarena_area_map_file(as, &spec, file, 0, true, &a), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_map_file(as, &spec, file, 0, true, &b), 0);
	KUNIT_EXPECT_NE(test, a->base, b->base);
	KUNIT_EXPECT_EQ(test, vt_compare(as, a->base, as, b->base, NPAGES), 0);
	KUNIT_EXPECT_EQ(test, vt_peek(as, a->base + 3), 39);
	vmarena_area_put(a);
	vmarena_area_put(b);
	fput(file);
}

static void vt_newos_file_mapped_privately(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "newos6");
	struct vmarena_area_spec spec = vt_spec("file", NPAGES, RW);
	struct file *file = vt_newos_file(test);
	struct vmarena_area *shared, *priv;

	KUNIT_ASSERT_EQ(test, vmarena_area_map_file(as, &spec, file, 0, true, &shared), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_map_file(as, &spec, file, 0, false, &priv), 0);
	KUNIT_EXPECT_EQ(test, vt_compare(as, shared->base, as, priv->base, NPAGES), 0);
	KUNIT_ASSERT_EQ(test, vt_fill_pages(as, priv->base, NPAGES, 6), 0);
	KUNIT_EXPECT_EQ(test, vt_compare(as, shared->base, as, priv->base, NPAGES), -EIO);
	KUNIT_EXPECT_EQ(test, vt_peek(as, shared->base + 1), 13);
	vmarena_area_put(shared);
	vmarena_area_put(priv);
	fput(file);
}

static void vt_newos_region_info_and_page_mapping(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "newos7");
	struct vmarena_area *area = vt_anon(test, as, "info", NPAGES, RW);
	struct vmarena_area_desc info;
	phys_addr_t phys;

	KUNIT_ASSERT_EQ(test, vt_fill_pages(as, area->base, 2, 7), 0);
	KUNIT_ASSERT_EQ(test, vmarena_area_get_info(area, &info), 0);
	KUNIT_EXPECT_EQ(test, info.id, area->id);
	KUNIT_EXPECT_STREQ(test, info.name, "info");
	KUNIT_EXPECT_EQ(test, info.base, area->base);
	KUNIT_EXPECT_EQ(test, info.size, VT_PAGES(NPAGES));
	KUNIT_EXPECT_EQ(test, info.protection, (u32)RW);
	KUNIT_EXPECT_EQ(test, info.wiring, (unsigned int)VMARENA_WIRING_LAZY);
	KUNIT_EXPECT_EQ(test, info.resident, 2UL);
	KUNIT_ASSERT_EQ(test, vmarena_get_page_mapping(as, area->base + 10, &phys), 0);
	KUNIT_EXPECT_EQ(test, PHYS_PFN(phys), vt_pfn(as, area->base));
	KUNIT_EXPECT_EQ(test, vmarena_get_page_mapping(as, area->base + VT_PAGES(3), &phys),
			-ENOENT);
}

static struct kunit_case vmarena_newos_cases[] = {
	KUNIT_CASE(vt_newos_anonymous_create_write_delete),
	KUNIT_CASE(vt_newos_find_region_by_name),
	KUNIT_CASE(vt_newos_clone_and_compare),
	KUNIT_CASE(vt_newos_private_clone_compare_then_diverge),
	KUNIT_CASE(vt_newos_file_mapped_twice),
	KUNIT_CASE(vt_newos_file_mapped_privately),
	KUNIT_CASE(vt_newos_region_info_and_page_mapping),
	{}
};

static struct kunit_suite vmarena_newos_suite = {
	.name = "vmarena_newos_vm_tests",
	.test_cases = vmarena_newos_cases,
};

kunit_test_suite(vmarena_newos_suite);
