// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: aspaces.  Validation, the id table, hold/drop after DragonFly,
 * deletion tearing the areas down, isolation between aspaces.
 */
#include <kunit/test.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/seq_file.h>

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

/* The dump debugfs serves (module/debugfs.c): every part, in order. */
static void vt_aspace_dump_prints_every_part(struct kunit *test)
{
	struct vmarena_aspace *as = vt_aspace(test, "dumped");
	struct vmarena_area *src = vt_anon(test, as, "src", 2, RW);
	struct vmarena_area *clone = vt_clone(test, as, src, false, RW);
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct file *file = kunit_kzalloc(test, sizeof(*file), GFP_KERNEL);
	char want[160];
	char *p;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, file);
	file->f_cred = current_cred();		/* seq_user_ns() reads it */
	m->file = file;
	m->size = 4 * PAGE_SIZE;
	m->buf = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	KUNIT_ASSERT_EQ(test, vt_poke(as, src->base, 1), 0);
	KUNIT_ASSERT_EQ(test, vt_poke(as, clone->base, 2), 0);	/* copied up */

	vmarena_aspace_dump(as, VMARENA_DUMP_ASPACE | VMARENA_DUMP_AREAS | VMARENA_DUMP_CHAINS |
			    VMARENA_DUMP_PTFRAG, m);
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(m));
	p = m->buf;
	snprintf(want, sizeof(want), "aspace %u \"dumped\" %#lx-%#lx size %#lx owner 0 areas 2 ",
		 as->id, VT_BASE, VT_BASE + VT_SIZE, VT_SIZE);
	KUNIT_EXPECT_EQ_MSG(test, strncmp(p, want, strlen(want)), 0, "%s", p);
	snprintf(want, sizeof(want), "area %u \"src\" aspace %u %#lx-%#lx size 0x2000 prot 0x3 ",
		 src->id, as->id, src->base, src->base + VT_PAGES(2));
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(p, want), "%s", p);
	snprintf(want, sizeof(want), " cache %u+0x0 depth 2 ", clone->cache->id);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(p, want), "%s", p);
	snprintf(want, sizeof(want),
		 "area %u \"clone\" aspace %u\n  `- cache %u anon temporary pages 2 resident 1 areas 1 source %u\n       anon store: ",
		 clone->id, as->id, clone->cache->id, src->cache->id);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(p, want), "%s", p);
	snprintf(want, sizeof(want), "     `- cache %u anon ", src->cache->id);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(p, want), "%s", p);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(p, "          page pfn "), "%s", p);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(p, "\nptfrag: "), "%s", p);
	/* Each part alone prints only itself. */
	m->count = 0;
	vmarena_aspace_dump(as, VMARENA_DUMP_PTFRAG, m);
	KUNIT_EXPECT_EQ(test, strncmp(m->buf, "ptfrag: ", 8), 0);
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
	KUNIT_CASE(vt_aspace_dump_prints_every_part),
	{}
};

static struct kunit_suite vmarena_aspace_suite = {
	.name = "vmarena_aspace",
	.test_cases = vmarena_aspace_cases,
};

kunit_test_suite(vmarena_aspace_suite);
