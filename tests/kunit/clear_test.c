// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the clear-page pool (module/vmarena/clear.c).  Each case starts
 * with the worker stopped and the pool empty (vt_fixture_init()); a zeroed
 * allocation kicks the worker again, so the cases read the clear queue
 * before their first one or only where the worker can have nothing to do.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>

#include "module/vmarena/page.h"
#include "page_fixture.h"

static void vmarena_clear_fill_sync_fills_to_target(struct kunit *test)
{
	struct vmarena_page_stats a, b;
	unsigned long n;

	vmarena_page_get_stats(&a);
	KUNIT_ASSERT_EQ(test, a.count[VMARENA_PAGE_CLEAR], 0UL);
	n = vmarena_clear_fill_sync();
	vmarena_page_get_stats(&b);
	KUNIT_EXPECT_GT(test, n, 0UL);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_CLEAR], n);
	/* The pool was empty: every page came from the kernel. */
	KUNIT_EXPECT_EQ(test, b.total, a.total + n);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_BUSY], a.count[VMARENA_PAGE_BUSY]);
	/* At the target: a second fill has nothing to do. */
	KUNIT_EXPECT_EQ(test, vmarena_clear_fill_sync(), 0UL);
	vmarena_page_get_stats(&b);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_CLEAR], n);
}

static void vmarena_clear_zero_alloc_counts_hit(struct kunit *test)
{
	struct vmarena_page_stats a, b;
	struct vmarena_page *p;

	KUNIT_ASSERT_GT(test, vmarena_clear_fill_sync(), 0UL);
	vmarena_page_get_stats(&a);
	p = vt_alloc(test, 0, VMARENA_ALLOC_ZERO);
	vmarena_page_get_stats(&b);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, b.clear_hits, a.clear_hits + 1);
	KUNIT_EXPECT_EQ(test, b.clear_misses, a.clear_misses);
	KUNIT_EXPECT_TRUE(test, vt_page_is_zero(p->page));
	KUNIT_EXPECT_EQ(test, p->identity, (u8)VMARENA_PAGE_ID_CACHE);
	KUNIT_EXPECT_EQ(test, p->state, (u8)VMARENA_PAGE_BUSY);
}

static void vmarena_clear_drain_moves_clear_pages_to_free(struct kunit *test)
{
	struct vmarena_page_stats a, b;

	KUNIT_ASSERT_GT(test, vmarena_clear_fill_sync(), 0UL);
	vmarena_page_get_stats(&a);
	vmarena_clear_drain();
	vmarena_page_get_stats(&b);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_CLEAR], 0UL);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_FREE],
			a.count[VMARENA_PAGE_FREE] + a.count[VMARENA_PAGE_CLEAR]);
	KUNIT_EXPECT_EQ(test, b.total, a.total);
}

static void vmarena_clear_zero_alloc_after_drain_counts_miss(struct kunit *test)
{
	struct vmarena_page_stats a, b;
	struct vmarena_page *p;

	/* Fill, dirty every pooled page, drain: only dirty pages are left. */
	KUNIT_ASSERT_GT(test, vmarena_clear_fill_sync(), 0UL);
	p = vt_alloc(test, 0, VMARENA_ALLOC_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, p);
	vt_page_fill(p->page, 0x5a);
	KUNIT_ASSERT_EQ(test, vt_free(test, p), 0);
	vmarena_clear_drain();

	vmarena_page_get_stats(&a);
	KUNIT_ASSERT_EQ(test, a.count[VMARENA_PAGE_CLEAR], 0UL);
	p = vt_alloc(test, 0, VMARENA_ALLOC_ZERO);
	vmarena_page_get_stats(&b);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, b.clear_misses, a.clear_misses + 1);
	KUNIT_EXPECT_EQ(test, b.clear_hits, a.clear_hits);
	KUNIT_EXPECT_TRUE(test, vt_page_is_zero(p->page));
}

/* The worker zeroes dirty free pages, and stays under the cap. */
static void vmarena_clear_fill_zeroes_dirty_free_pages(struct kunit *test)
{
	struct vmarena_page_stats a, b;
	struct vmarena_page *p[3];
	unsigned int i;

	vmarena_page_get_stats(&a);
	/* Room for exactly three more pages. */
	vt_set_max_pages(test, a.total + ARRAY_SIZE(p));
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = vt_alloc(test, i, 0);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		vt_page_fill(p[i]->page, 0xff);
	}
	for (i = 0; i < ARRAY_SIZE(p); i++)
		KUNIT_ASSERT_EQ(test, vt_free(test, p[i]), 0);

	KUNIT_EXPECT_EQ(test, vmarena_clear_fill_sync(), (unsigned long)ARRAY_SIZE(p));
	vmarena_page_get_stats(&b);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_CLEAR], (unsigned long)ARRAY_SIZE(p));
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_FREE], 0UL);
	KUNIT_EXPECT_EQ(test, b.total, a.total + ARRAY_SIZE(p));

	/* Three hits, all zero; then the pool is dry and the cap reached. */
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = vt_alloc(test, i, VMARENA_ALLOC_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		KUNIT_EXPECT_TRUE(test, vt_page_is_zero(p[i]->page));
	}
	vmarena_page_get_stats(&a);
	KUNIT_EXPECT_EQ(test, a.clear_hits, b.clear_hits + ARRAY_SIZE(p));
	KUNIT_EXPECT_NULL(test, vt_alloc(test, 9, VMARENA_ALLOC_ZERO));
	KUNIT_EXPECT_NULL(test, vt_alloc(test, 9, 0));
}

static void vmarena_clear_fill_respects_cap(struct kunit *test)
{
	struct vmarena_page_stats a, b;

	vt_set_max_pages(test, 0);
	vmarena_page_get_stats(&a);
	KUNIT_EXPECT_EQ(test, vmarena_clear_fill_sync(), 0UL);
	vmarena_page_get_stats(&b);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_CLEAR], 0UL);
	KUNIT_EXPECT_EQ(test, b.total, a.total);
}

/* Without ZERO: a free page, then a new one, and a clear page only last. */
static void vmarena_clear_plain_alloc_spares_clear_pages(struct kunit *test)
{
	struct vmarena_page_stats a, b;
	struct vmarena_page *p, *q;

	KUNIT_ASSERT_GT(test, vmarena_clear_fill_sync(), 0UL);
	vmarena_page_get_stats(&a);
	KUNIT_ASSERT_EQ(test, a.count[VMARENA_PAGE_FREE], 0UL);
	p = vt_alloc(test, 0, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	vmarena_page_get_stats(&b);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_CLEAR], a.count[VMARENA_PAGE_CLEAR]);
	KUNIT_EXPECT_EQ(test, b.total, a.total + 1);

	/* A freed page is preferred to a new one. */
	KUNIT_ASSERT_EQ(test, vt_free(test, p), 0);
	q = vt_alloc(test, 0, 0);
	KUNIT_EXPECT_PTR_EQ(test, q, p);

	/* At the cap with no free page, a clear page serves. */
	vmarena_page_get_stats(&a);
	vt_set_max_pages(test, a.total);
	p = vt_alloc(test, 1, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	vmarena_page_get_stats(&b);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_CLEAR], a.count[VMARENA_PAGE_CLEAR] - 1);
	KUNIT_EXPECT_EQ(test, b.total, a.total);
	KUNIT_EXPECT_EQ(test, b.clear_hits, a.clear_hits);
}

/* A kick fills the clear queue in the background. */
static void vmarena_clear_kick_fills_in_background(struct kunit *test)
{
	unsigned long deadline = jiffies + 10 * HZ;

	KUNIT_ASSERT_EQ(test, vt_count(VMARENA_PAGE_CLEAR), 0UL);
	vmarena_clear_kick();
	while (!vt_count(VMARENA_PAGE_CLEAR) && time_before(jiffies, deadline))
		msleep(20);
	KUNIT_EXPECT_GT(test, vt_count(VMARENA_PAGE_CLEAR), 0UL);
	/* Stop it before the next case. */
	vmarena_clear_drain();
	KUNIT_EXPECT_EQ(test, vt_count(VMARENA_PAGE_CLEAR), 0UL);
}

/* A zeroed allocation kicks the worker. */
static void vmarena_clear_zero_alloc_kicks_worker(struct kunit *test)
{
	unsigned long deadline = jiffies + 10 * HZ;

	KUNIT_ASSERT_NOT_NULL(test, vt_alloc(test, 0, VMARENA_ALLOC_ZERO));
	while (!vt_count(VMARENA_PAGE_CLEAR) && time_before(jiffies, deadline))
		msleep(20);
	KUNIT_EXPECT_GT(test, vt_count(VMARENA_PAGE_CLEAR), 0UL);
	vmarena_clear_drain();
}

/*
 * Regression: the pages fault-ahead takes are refilled too (a spare
 * allocation once left the clear queue short until the next fault).
 */
static void vmarena_clear_spare_alloc_kicks_worker(struct kunit *test)
{
	unsigned long deadline = jiffies + 10 * HZ;
	struct vmarena_page *p[4];
	unsigned long full;
	unsigned int i, got;

	full = vmarena_clear_fill_sync();
	KUNIT_ASSERT_GT(test, full, (unsigned long)ARRAY_SIZE(p));
	got = vt_alloc_spare(test, 0, ARRAY_SIZE(p), p);
	for (i = 0; i < got; i++)
		vt_track(test, p[i]);
	KUNIT_ASSERT_EQ(test, got, (unsigned int)ARRAY_SIZE(p));
	while (vt_count(VMARENA_PAGE_CLEAR) < full && time_before(jiffies, deadline))
		msleep(20);
	KUNIT_EXPECT_EQ(test, vt_count(VMARENA_PAGE_CLEAR), full);
	vmarena_clear_drain();
}

static struct kunit_case vmarena_clear_cases[] = {
	KUNIT_CASE(vmarena_clear_fill_sync_fills_to_target),
	KUNIT_CASE(vmarena_clear_zero_alloc_counts_hit),
	KUNIT_CASE(vmarena_clear_drain_moves_clear_pages_to_free),
	KUNIT_CASE(vmarena_clear_zero_alloc_after_drain_counts_miss),
	KUNIT_CASE(vmarena_clear_fill_zeroes_dirty_free_pages),
	KUNIT_CASE(vmarena_clear_fill_respects_cap),
	KUNIT_CASE(vmarena_clear_plain_alloc_spares_clear_pages),
	KUNIT_CASE(vmarena_clear_kick_fills_in_background),
	KUNIT_CASE(vmarena_clear_zero_alloc_kicks_worker),
	KUNIT_CASE(vmarena_clear_spare_alloc_kicks_worker),
	{}
};

static struct kunit_suite vmarena_clear_suite = {
	.name = "vmarena_clear",
	.init = vt_fixture_init,
	.exit = vt_fixture_exit,
	.test_cases = vmarena_clear_cases,
};

kunit_test_suites(&vmarena_clear_suite);
