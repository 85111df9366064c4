// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the arena page pool (module/vmarena/page.c).  Each case starts with
 * the clear worker stopped and the pool empty (vt_fixture_init()), so that
 * the counts it reads move only by what it does itself.
 */
#include <kunit/test.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>

#include "module/vmarena/page.h"
#include "module/vmarena/pagedaemon.h"
#include "page_fixture.h"

static const enum vmarena_page_state vt_owned_states[] = {
	VMARENA_PAGE_BUSY, VMARENA_PAGE_ACTIVE, VMARENA_PAGE_INACTIVE,
	VMARENA_PAGE_MODIFIED, VMARENA_PAGE_WIRED,
};

/* Bring a freshly allocated (busy) page to @state by allowed steps. */
static void vt_bring(struct kunit *test, struct vmarena_page *p,
		     enum vmarena_page_state state)
{
	if (state == VMARENA_PAGE_BUSY)
		return;
	if (state == VMARENA_PAGE_INACTIVE)
		KUNIT_ASSERT_EQ(test, vt_set_state(test, p, VMARENA_PAGE_ACTIVE), 0);
	KUNIT_ASSERT_EQ(test, vt_set_state(test, p, state), 0);
	KUNIT_ASSERT_EQ(test, p->state, (u8)state);
}

static struct vmarena_page *vt_alloc_ok(struct kunit *test, pgoff_t offset,
					unsigned int flags)
{
	struct vmarena_page *p = vt_alloc(test, offset, flags);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

static void vt_expect_counts_eq(struct kunit *test, const struct vmarena_page_stats *a,
				const struct vmarena_page_stats *b)
{
	unsigned int i;

	KUNIT_EXPECT_EQ(test, a->total, b->total);
	for (i = 0; i < VMARENA_PAGE_NR_STATES; i++)
		KUNIT_EXPECT_EQ_MSG(test, a->count[i], b->count[i], "state %s",
				    vmarena_page_state_name(i));
}

static void vmarena_page_alloc_sets_identity_state_and_owner(struct kunit *test)
{
	struct vmarena_page *p = vt_alloc_ok(test, 42, 0);

	KUNIT_EXPECT_EQ(test, p->identity, (u8)VMARENA_PAGE_ID_CACHE);
	KUNIT_EXPECT_EQ(test, p->state, (u8)VMARENA_PAGE_BUSY);
	KUNIT_EXPECT_TRUE(test, p->busy);
	KUNIT_EXPECT_PTR_EQ(test, p->cache, VT_OWNER(test));
	KUNIT_EXPECT_EQ(test, p->offset, (pgoff_t)42);
	KUNIT_EXPECT_EQ(test, p->usage_count, 0);
	KUNIT_EXPECT_EQ(test, p->wired_count, 0U);
	KUNIT_EXPECT_NOT_NULL(test, p->page);
}

static void vmarena_page_alloc_counts_busy_and_total(struct kunit *test)
{
	struct vmarena_page_stats a, b;

	vmarena_page_get_stats(&a);
	vt_alloc_ok(test, 0, 0);
	vt_alloc_ok(test, 1, 0);
	vmarena_page_get_stats(&b);
	/* The pool was empty: both came from the kernel. */
	KUNIT_EXPECT_EQ(test, b.total, a.total + 2);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_BUSY], a.count[VMARENA_PAGE_BUSY] + 2);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_FREE], 0UL);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_CLEAR], 0UL);
}

/* page.h's table, written out again pair by pair. */
static void vmarena_page_transition_table_matches_page_h(struct kunit *test)
{
	static const struct { u8 from, to; } allowed[] = {
		{ VMARENA_PAGE_FREE, VMARENA_PAGE_CLEAR },
		{ VMARENA_PAGE_FREE, VMARENA_PAGE_BUSY },
		{ VMARENA_PAGE_CLEAR, VMARENA_PAGE_FREE },
		{ VMARENA_PAGE_CLEAR, VMARENA_PAGE_BUSY },
		{ VMARENA_PAGE_BUSY, VMARENA_PAGE_ACTIVE },
		{ VMARENA_PAGE_BUSY, VMARENA_PAGE_WIRED },
		{ VMARENA_PAGE_BUSY, VMARENA_PAGE_MODIFIED },
		{ VMARENA_PAGE_BUSY, VMARENA_PAGE_FREE },
		{ VMARENA_PAGE_ACTIVE, VMARENA_PAGE_INACTIVE },
		{ VMARENA_PAGE_ACTIVE, VMARENA_PAGE_MODIFIED },
		{ VMARENA_PAGE_ACTIVE, VMARENA_PAGE_WIRED },
		{ VMARENA_PAGE_ACTIVE, VMARENA_PAGE_FREE },
		{ VMARENA_PAGE_INACTIVE, VMARENA_PAGE_ACTIVE },
		{ VMARENA_PAGE_INACTIVE, VMARENA_PAGE_MODIFIED },
		{ VMARENA_PAGE_INACTIVE, VMARENA_PAGE_WIRED },
		{ VMARENA_PAGE_INACTIVE, VMARENA_PAGE_FREE },
		{ VMARENA_PAGE_MODIFIED, VMARENA_PAGE_ACTIVE },
		{ VMARENA_PAGE_MODIFIED, VMARENA_PAGE_INACTIVE },
		{ VMARENA_PAGE_MODIFIED, VMARENA_PAGE_WIRED },
		{ VMARENA_PAGE_MODIFIED, VMARENA_PAGE_FREE },
		{ VMARENA_PAGE_WIRED, VMARENA_PAGE_ACTIVE },
		{ VMARENA_PAGE_WIRED, VMARENA_PAGE_MODIFIED },
		{ VMARENA_PAGE_WIRED, VMARENA_PAGE_FREE },
	};
	unsigned int from, to, i;

	for (from = 0; from < VMARENA_PAGE_NR_STATES; from++) {
		for (to = 0; to < VMARENA_PAGE_NR_STATES; to++) {
			bool want = false;

			for (i = 0; i < ARRAY_SIZE(allowed); i++)
				if (allowed[i].from == from && allowed[i].to == to)
					want = true;
			KUNIT_EXPECT_EQ_MSG(test, vmarena_page_transition_allowed(from, to), want,
					    "%s -> %s", vmarena_page_state_name(from),
					    vmarena_page_state_name(to));
		}
	}
	KUNIT_EXPECT_FALSE(test, vmarena_page_transition_allowed(VMARENA_PAGE_NR_STATES,
								 VMARENA_PAGE_FREE));
	KUNIT_EXPECT_FALSE(test, vmarena_page_transition_allowed(VMARENA_PAGE_BUSY,
								 VMARENA_PAGE_NR_STATES));
}

/* Every allowed transition among the owned states, and the queue counts. */
static void vmarena_page_owned_transitions_move_queues(struct kunit *test)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < ARRAY_SIZE(vt_owned_states); i++) {
		for (j = 0; j < ARRAY_SIZE(vt_owned_states); j++) {
			enum vmarena_page_state from = vt_owned_states[i];
			enum vmarena_page_state to = vt_owned_states[j];
			struct vmarena_page_stats a, b;
			struct vmarena_page *p;

			if (!vmarena_page_transition_allowed(from, to))
				continue;
			p = vt_alloc_ok(test, n, 0);
			vt_bring(test, p, from);
			vmarena_page_get_stats(&a);
			KUNIT_EXPECT_EQ_MSG(test, vt_set_state(test, p, to), 0, "%s -> %s",
					    vmarena_page_state_name(from),
					    vmarena_page_state_name(to));
			vmarena_page_get_stats(&b);
			KUNIT_EXPECT_EQ(test, p->state, (u8)to);
			KUNIT_EXPECT_EQ(test, b.count[from], a.count[from] - 1);
			KUNIT_EXPECT_EQ(test, b.count[to], a.count[to] + 1);
			KUNIT_EXPECT_EQ(test, b.total, a.total);
			KUNIT_EXPECT_EQ(test, p->identity, (u8)VMARENA_PAGE_ID_CACHE);
			KUNIT_ASSERT_EQ(test, vt_free(test, p), 0);
			n++;
		}
	}
	/* busy -> 3, active -> 3, inactive -> 3, modified -> 3, wired -> 2 */
	KUNIT_EXPECT_EQ(test, n, 14U);
}

/* Every transition the table forbids, from every owned state. */
static void vmarena_page_illegal_transitions_refused(struct kunit *test)
{
	unsigned int i, to;

	for (i = 0; i < ARRAY_SIZE(vt_owned_states); i++) {
		enum vmarena_page_state from = vt_owned_states[i];
		struct vmarena_page *p = vt_alloc_ok(test, i, 0);
		struct vmarena_page_stats a, b;

		vt_bring(test, p, from);
		vmarena_page_get_stats(&a);
		for (to = 0; to <= VMARENA_PAGE_NR_STATES; to++) {
			if (to < VMARENA_PAGE_NR_STATES && to != VMARENA_PAGE_FREE &&
			    vmarena_page_transition_allowed(from, to))
				continue;
			KUNIT_EXPECT_EQ_MSG(test, vt_set_state(test, p, to), -EINVAL,
					    "%s -> %s", vmarena_page_state_name(from),
					    vmarena_page_state_name(to));
			KUNIT_EXPECT_EQ(test, p->state, (u8)from);
		}
		vmarena_page_get_stats(&b);
		vt_expect_counts_eq(test, &a, &b);
		KUNIT_EXPECT_EQ(test, p->identity, (u8)VMARENA_PAGE_ID_CACHE);
	}
}

static void vmarena_page_same_state_refused(struct kunit *test)
{
	struct vmarena_page *p = vt_alloc_ok(test, 0, 0);

	KUNIT_EXPECT_EQ(test, vt_set_state(test, p, VMARENA_PAGE_BUSY), -EINVAL);
	vt_bring(test, p, VMARENA_PAGE_ACTIVE);
	KUNIT_EXPECT_EQ(test, vt_set_state(test, p, VMARENA_PAGE_ACTIVE), -EINVAL);
	KUNIT_EXPECT_EQ(test, p->state, (u8)VMARENA_PAGE_ACTIVE);
}

/* The pool states are the pool's: an owned page reaches free by free(). */
static void vmarena_page_set_state_to_pool_states_refused(struct kunit *test)
{
	struct vmarena_page *p = vt_alloc_ok(test, 0, 0);

	vt_bring(test, p, VMARENA_PAGE_ACTIVE);
	KUNIT_EXPECT_EQ(test, vt_set_state(test, p, VMARENA_PAGE_FREE), -EINVAL);
	KUNIT_EXPECT_EQ(test, vt_set_state(test, p, VMARENA_PAGE_CLEAR), -EINVAL);
	KUNIT_EXPECT_EQ(test, vt_set_state(test, p, VMARENA_PAGE_BUSY), -EINVAL);
	KUNIT_EXPECT_EQ(test, p->state, (u8)VMARENA_PAGE_ACTIVE);
	KUNIT_EXPECT_EQ(test, p->identity, (u8)VMARENA_PAGE_ID_CACHE);
}

/* X -> free for every owned state X, by vmarena_page_free(). */
static void vmarena_page_free_from_each_owned_state(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vt_owned_states); i++) {
		enum vmarena_page_state from = vt_owned_states[i];
		struct vmarena_page *p = vt_alloc_ok(test, i, 0);
		struct vmarena_page_stats a, b;

		vt_bring(test, p, from);
		vmarena_page_get_stats(&a);
		KUNIT_ASSERT_EQ_MSG(test, vt_free(test, p), 0, "from %s",
				    vmarena_page_state_name(from));
		vmarena_page_get_stats(&b);
		KUNIT_EXPECT_EQ(test, b.count[from], a.count[from] - 1);
		/* Pooled (the pool was empty, so below its reserve). */
		KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_FREE], a.count[VMARENA_PAGE_FREE] + 1);
		KUNIT_EXPECT_EQ(test, b.total, a.total);
	}
}

static void vmarena_page_free_returns_page_to_pool(struct kunit *test)
{
	struct vmarena_page *p = vt_alloc_ok(test, 7, 0);
	unsigned long pfn = vmarena_page_pfn(p);

	/* Still busy, as after a failed read: the owner may free it. */
	KUNIT_ASSERT_TRUE(test, p->busy);
	KUNIT_ASSERT_EQ(test, vt_free(test, p), 0);
	KUNIT_ASSERT_PTR_EQ(test, vmarena_page_from_pfn(pfn), p);
	KUNIT_EXPECT_EQ(test, p->identity, (u8)VMARENA_PAGE_ID_FREE);
	KUNIT_EXPECT_EQ(test, p->state, (u8)VMARENA_PAGE_FREE);
	KUNIT_EXPECT_NULL(test, p->cache);
	KUNIT_EXPECT_FALSE(test, p->busy);
}

static void vmarena_page_double_free_refused(struct kunit *test)
{
	struct vmarena_page *p = vt_alloc_ok(test, 0, 0);
	unsigned long pfn = vmarena_page_pfn(p);
	struct vmarena_page_stats a, b;

	KUNIT_ASSERT_EQ(test, vt_free(test, p), 0);
	/* Pooled, not given back: @p is still valid to look at. */
	KUNIT_ASSERT_PTR_EQ(test, vmarena_page_from_pfn(pfn), p);
	vmarena_page_get_stats(&a);
	KUNIT_EXPECT_EQ(test, vt_page_free(test, p), -EINVAL);
	vmarena_page_get_stats(&b);
	vt_expect_counts_eq(test, &a, &b);
	KUNIT_EXPECT_EQ(test, p->state, (u8)VMARENA_PAGE_FREE);
	KUNIT_EXPECT_EQ(test, p->identity, (u8)VMARENA_PAGE_ID_FREE);
}

static void vmarena_page_free_null_refused(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vmarena_page_free(NULL), -EINVAL);
}

static void vmarena_page_wired_page_free_refused(struct kunit *test)
{
	struct vmarena_page *p = vt_alloc_ok(test, 0, 0);

	/* The owner wires it (under its c). */
	p->wired_count = 1;
	vt_bring(test, p, VMARENA_PAGE_WIRED);
	KUNIT_EXPECT_EQ(test, vt_page_free(test, p), -EINVAL);
	KUNIT_EXPECT_EQ(test, p->state, (u8)VMARENA_PAGE_WIRED);
	KUNIT_EXPECT_EQ(test, p->identity, (u8)VMARENA_PAGE_ID_CACHE);
	KUNIT_EXPECT_PTR_EQ(test, p->cache, VT_OWNER(test));

	/* Wired in any state counts; unwired, it goes. */
	KUNIT_EXPECT_EQ(test, vt_set_state(test, p, VMARENA_PAGE_ACTIVE), 0);
	KUNIT_EXPECT_EQ(test, vt_page_free(test, p), -EINVAL);
	p->wired_count = 0;
	KUNIT_EXPECT_EQ(test, vt_free(test, p), 0);
}

static void vmarena_page_adopt_cache_page_refused(struct kunit *test)
{
	struct vmarena_page *p = vt_alloc_ok(test, 3, 0);
	struct vmarena_cache *other = (struct vmarena_cache *)&test->priv;

	KUNIT_EXPECT_EQ(test, vmarena_page_adopt(p, other, 9), -EINVAL);
	KUNIT_EXPECT_EQ(test, p->identity, (u8)VMARENA_PAGE_ID_CACHE);
	KUNIT_EXPECT_PTR_EQ(test, p->cache, VT_OWNER(test));
	KUNIT_EXPECT_EQ(test, p->offset, (pgoff_t)3);
}

static void vmarena_page_adopt_free_page_refused(struct kunit *test)
{
	struct vmarena_page *p = vt_alloc_ok(test, 0, 0);
	unsigned long pfn = vmarena_page_pfn(p);

	KUNIT_ASSERT_EQ(test, vt_free(test, p), 0);
	KUNIT_ASSERT_PTR_EQ(test, vmarena_page_from_pfn(pfn), p);
	KUNIT_EXPECT_EQ(test, vmarena_page_adopt(p, VT_OWNER(test), 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, p->identity, (u8)VMARENA_PAGE_ID_FREE);
	KUNIT_EXPECT_NULL(test, p->cache);
}

static void vmarena_page_zero_alloc_reads_zero_after_dirty_free(struct kunit *test)
{
	struct vmarena_page_stats a, b;
	struct vmarena_page *p, *q;
	unsigned long pfn;

	p = vt_alloc_ok(test, 0, 0);
	pfn = vmarena_page_pfn(p);
	vt_page_fill(p->page, 0xa5);
	KUNIT_ASSERT_EQ(test, vt_free(test, p), 0);
	KUNIT_ASSERT_PTR_EQ(test, vmarena_page_from_pfn(pfn), p);

	vmarena_page_get_stats(&a);
	q = vt_alloc_ok(test, 0, VMARENA_ALLOC_ZERO);
	vmarena_page_get_stats(&b);
	/* The only pooled page, dirty, zeroed in line: a miss. */
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_TRUE(test, vt_page_is_zero(q->page));
	KUNIT_EXPECT_EQ(test, b.clear_misses, a.clear_misses + 1);
	KUNIT_EXPECT_EQ(test, b.clear_hits, a.clear_hits);
}

static void vmarena_page_zero_alloc_from_kernel_reads_zero(struct kunit *test)
{
	struct vmarena_page_stats a, b;
	struct vmarena_page *p;

	vmarena_page_get_stats(&a);
	p = vt_alloc_ok(test, 0, VMARENA_ALLOC_ZERO);
	vmarena_page_get_stats(&b);
	KUNIT_EXPECT_TRUE(test, vt_page_is_zero(p->page));
	KUNIT_EXPECT_EQ(test, b.clear_misses, a.clear_misses + 1);
	KUNIT_EXPECT_EQ(test, b.clear_hits, a.clear_hits);
}

static DEFINE_SPINLOCK(vt_atomic_lock);

/* NOWAIT allocations must not sleep: DEBUG_ATOMIC_SLEEP would report it. */
static void vmarena_page_nowait_alloc_in_atomic_context(struct kunit *test)
{
	struct vmarena_page *p, *z, *run[2];
	int ret;

	vt_owner_lock(test);
	spin_lock(&vt_atomic_lock);
	p = vmarena_page_alloc(VT_OWNER(test), 0, VMARENA_ALLOC_NOWAIT);
	z = vmarena_page_alloc(VT_OWNER(test), 1, VMARENA_ALLOC_NOWAIT | VMARENA_ALLOC_ZERO);
	ret = vmarena_page_alloc_run(2, VMARENA_ALLOC_NOWAIT, run);
	spin_unlock(&vt_atomic_lock);
	vt_owner_unlock(test);

	if (p)
		vt_track(test, p);
	if (z)
		vt_track(test, z);
	if (!ret) {
		vt_track(test, run[0]);
		vt_track(test, run[1]);
	}
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, z);
	KUNIT_EXPECT_TRUE(test, vt_page_is_zero(z->page));
	KUNIT_EXPECT_EQ(test, ret, 0);
}

static void vmarena_page_run_is_contiguous_with_identity_run(struct kunit *test)
{
	struct vmarena_page *run[5];
	struct vmarena_page_stats a, b;
	unsigned long i;

	vmarena_page_get_stats(&a);
	KUNIT_ASSERT_EQ(test, vt_alloc_run(test, ARRAY_SIZE(run), 0, run), 0);
	vmarena_page_get_stats(&b);
	for (i = 0; i < ARRAY_SIZE(run); i++) {
		KUNIT_EXPECT_EQ(test, vmarena_page_pfn(run[i]), vmarena_page_pfn(run[0]) + i);
		KUNIT_EXPECT_EQ(test, run[i]->identity, (u8)VMARENA_PAGE_ID_RUN);
		KUNIT_EXPECT_EQ(test, run[i]->state, (u8)VMARENA_PAGE_BUSY);
		KUNIT_EXPECT_TRUE(test, run[i]->busy);
		KUNIT_EXPECT_NULL(test, run[i]->cache);
		KUNIT_EXPECT_PTR_EQ(test, vmarena_page_from_pfn(vmarena_page_pfn(run[i])), run[i]);
	}
	/* Order 3 was allocated; the 3 pages past the run went back at once. */
	KUNIT_EXPECT_EQ(test, b.total, a.total + ARRAY_SIZE(run));
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_BUSY],
			a.count[VMARENA_PAGE_BUSY] + ARRAY_SIZE(run));
	KUNIT_EXPECT_NULL(test, vmarena_page_from_pfn(vmarena_page_pfn(run[0]) + 5));
}

static void vmarena_page_run_zero_reads_zero(struct kunit *test)
{
	struct vmarena_page *run[3];
	unsigned long i;

	KUNIT_ASSERT_EQ(test, vt_alloc_run(test, ARRAY_SIZE(run), VMARENA_ALLOC_ZERO, run), 0);
	for (i = 0; i < ARRAY_SIZE(run); i++)
		KUNIT_EXPECT_TRUE(test, vt_page_is_zero(run[i]->page));
}

static void vmarena_page_run_adopt_into_cache(struct kunit *test)
{
	struct vmarena_page *run[4];
	unsigned long i;

	KUNIT_ASSERT_EQ(test, vt_alloc_run(test, ARRAY_SIZE(run), 0, run), 0);
	KUNIT_EXPECT_EQ(test, vmarena_page_adopt(run[0], NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, run[0]->identity, (u8)VMARENA_PAGE_ID_RUN);
	for (i = 0; i < ARRAY_SIZE(run); i++) {
		KUNIT_EXPECT_EQ(test, vt_adopt(test, run[i], 100 + i), 0);
		KUNIT_EXPECT_EQ(test, run[i]->identity, (u8)VMARENA_PAGE_ID_CACHE);
		KUNIT_EXPECT_PTR_EQ(test, run[i]->cache, VT_OWNER(test));
		KUNIT_EXPECT_EQ(test, run[i]->offset, (pgoff_t)(100 + i));
		KUNIT_EXPECT_EQ(test, run[i]->state, (u8)VMARENA_PAGE_BUSY);
		/* Adopted once; a cache page is not a run page any more. */
		KUNIT_EXPECT_EQ(test, vmarena_page_adopt(run[i], VT_OWNER(test), 0), -EINVAL);
		KUNIT_EXPECT_EQ(test, run[i]->offset, (pgoff_t)(100 + i));
	}
	for (i = 0; i < ARRAY_SIZE(run); i++)
		KUNIT_EXPECT_EQ(test, vt_free(test, run[i]), 0);
}

static void vmarena_page_run_free_without_adopt(struct kunit *test)
{
	struct vmarena_page *run[2];
	struct vmarena_page_stats a, b;

	KUNIT_ASSERT_EQ(test, vt_alloc_run(test, ARRAY_SIZE(run), 0, run), 0);
	vmarena_page_get_stats(&a);
	KUNIT_EXPECT_EQ(test, vt_free(test, run[0]), 0);
	KUNIT_EXPECT_EQ(test, vt_free(test, run[1]), 0);
	vmarena_page_get_stats(&b);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_BUSY], a.count[VMARENA_PAGE_BUSY] - 2);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_FREE], a.count[VMARENA_PAGE_FREE] + 2);
}

static void vmarena_page_run_bad_counts_refused(struct kunit *test)
{
	struct vmarena_page *one[1];
	struct vmarena_page_stats a, b;

	vmarena_page_get_stats(&a);
	KUNIT_EXPECT_EQ(test, vmarena_page_alloc_run(0, 0, one), -EINVAL);
	/* Order 11: one more than the largest run. */
	KUNIT_EXPECT_EQ(test, vmarena_page_alloc_run(1025, 0, one), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_page_alloc_run(ULONG_MAX, 0, one), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmarena_page_alloc_run(1, 0, NULL), -EINVAL);
	vmarena_page_get_stats(&b);
	vt_expect_counts_eq(test, &a, &b);
}

static void vmarena_page_run_of_max_order(struct kunit *test)
{
	struct vmarena_page **run;
	struct vmarena_page_stats a, b;
	unsigned long i;

	run = kunit_kcalloc(test, 1024, sizeof(*run), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, run);
	KUNIT_ASSERT_EQ(test, vt_alloc_run(test, 1024, 0, run), 0);
	for (i = 1; i < 1024; i++)
		KUNIT_EXPECT_EQ(test, vmarena_page_pfn(run[i]), vmarena_page_pfn(run[0]) + i);
	vmarena_page_get_stats(&a);
	for (i = 0; i < 1024; i++)
		KUNIT_EXPECT_EQ(test, vt_free(test, run[i]), 0);
	vmarena_page_get_stats(&b);
	/* The pool keeps its reserve and gives the rest back. */
	KUNIT_EXPECT_LT(test, b.count[VMARENA_PAGE_FREE] + b.count[VMARENA_PAGE_CLEAR], 1024UL);
	KUNIT_EXPECT_LT(test, b.total, a.total);
	KUNIT_EXPECT_EQ(test, a.total - b.total,
			1024 - (b.count[VMARENA_PAGE_FREE] - a.count[VMARENA_PAGE_FREE]));
}

static void vmarena_page_cap_refuses_alloc_and_run(struct kunit *test)
{
	struct vmarena_page *run[2];
	unsigned long old;

	old = vt_set_max_pages(test, 0);
	KUNIT_EXPECT_NULL(test, vt_alloc(test, 0, 0));
	KUNIT_EXPECT_NULL(test, vt_alloc(test, 0, VMARENA_ALLOC_ZERO));
	KUNIT_EXPECT_NULL(test, vt_alloc(test, 0, VMARENA_ALLOC_NOWAIT));
	KUNIT_EXPECT_EQ(test, vt_alloc_run(test, 2, 0, run), -ENOMEM);
	KUNIT_EXPECT_EQ(test, vmarena_page_set_max_pages(old), 0UL);
	KUNIT_EXPECT_NOT_NULL(test, vt_alloc(test, 0, 0));
	KUNIT_EXPECT_EQ(test, vt_alloc_run(test, 2, 0, run), 0);
}

static void vmarena_page_spare_alloc_stays_above_low_water(struct kunit *test)
{
	struct vmarena_page *p[4];
	struct vmarena_page_stats s;
	unsigned long owned, low, high;
	unsigned int i, got;
	u8 *va;

	for (i = 0; i < 8; i++)
		vt_alloc_ok(test, i, 0);
	for (i = 0; i < ARRAY_SIZE(p); i++)	/* pooled pages to spare */
		KUNIT_ASSERT_EQ(test, vt_free(test, vt_alloc_ok(test, i, 0)), 0);
	vmarena_page_get_stats(&s);
	owned = s.total - s.count[VMARENA_PAGE_FREE] - s.count[VMARENA_PAGE_CLEAR];
	/* Room for one page: below the low watermark, so nothing to spare. */
	vmarena_pagedaemon_watermarks(owned + 1, &low, &high);
	KUNIT_ASSERT_GT(test, low, 1UL);
	vt_set_max_pages(test, owned + 1);
	KUNIT_EXPECT_EQ(test, vt_alloc_spare(test, 8, 4, p), 0U);
	/* An allocation that must succeed still takes the last page. */
	KUNIT_EXPECT_NOT_NULL(test, vt_alloc(test, 8, VMARENA_ALLOC_ZERO));
	/* Room well above the watermark: pooled or new pages, zeroed, in order. */
	vt_set_max_pages(test, owned + 1000);
	got = vt_alloc_spare(test, 9, ARRAY_SIZE(p), p);
	KUNIT_EXPECT_EQ(test, got, (unsigned int)ARRAY_SIZE(p));
	for (i = 0; i < got; i++) {
		vt_track(test, p[i]);
		KUNIT_EXPECT_EQ(test, p[i]->offset, 9UL + i);
		KUNIT_EXPECT_EQ(test, p[i]->state, (u8)VMARENA_PAGE_BUSY);
		KUNIT_EXPECT_EQ(test, p[i]->identity, (u8)VMARENA_PAGE_ID_CACHE);
		KUNIT_EXPECT_TRUE(test, p[i]->busy);
		va = kmap_local_page(p[i]->page);
		KUNIT_EXPECT_NULL(test, memchr_inv(va, 0, PAGE_SIZE));
		kunmap_local(va);
	}
}

static void vmarena_page_cap_still_serves_pooled_pages(struct kunit *test)
{
	struct vmarena_page_stats s;
	struct vmarena_page *p, *q;

	p = vt_alloc_ok(test, 0, 0);
	KUNIT_ASSERT_EQ(test, vt_free(test, p), 0);
	vmarena_page_get_stats(&s);
	vt_set_max_pages(test, s.total);
	q = vt_alloc(test, 0, 0);
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_NULL(test, vt_alloc(test, 1, 0));
}

static void vmarena_page_lowering_cap_trims_pool(struct kunit *test)
{
	struct vmarena_page_stats a, b;
	struct vmarena_page *p[3];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p); i++)
		p[i] = vt_alloc_ok(test, i, 0);
	for (i = 0; i < ARRAY_SIZE(p); i++)
		KUNIT_ASSERT_EQ(test, vt_free(test, p[i]), 0);
	vmarena_page_get_stats(&a);
	KUNIT_ASSERT_EQ(test, a.count[VMARENA_PAGE_FREE], 3UL);
	KUNIT_EXPECT_EQ(test, vt_set_max_pages(test, a.total - 2), a.max_pages);
	vmarena_page_get_stats(&b);
	KUNIT_EXPECT_EQ(test, b.max_pages, a.total - 2);
	KUNIT_EXPECT_EQ(test, b.total, a.total - 2);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_FREE], 1UL);
}

static void vmarena_page_run_evicts_pool_to_fit_cap(struct kunit *test)
{
	struct vmarena_page_stats a, b;
	struct vmarena_page *p[4], *run[3];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p); i++)
		p[i] = vt_alloc_ok(test, i, 0);
	for (i = 0; i < ARRAY_SIZE(p); i++)
		KUNIT_ASSERT_EQ(test, vt_free(test, p[i]), 0);
	vmarena_page_get_stats(&a);
	vt_set_max_pages(test, a.total);
	/* No room, but four pooled pages: three go back to make room. */
	KUNIT_ASSERT_EQ(test, vt_alloc_run(test, ARRAY_SIZE(run), 0, run), 0);
	vmarena_page_get_stats(&b);
	KUNIT_EXPECT_EQ(test, b.total, a.total);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_FREE], 1UL);
	/* Too large for the cap even with the pool emptied. */
	KUNIT_EXPECT_EQ(test, vt_alloc_run(test, 2, 0, run), -ENOMEM);
	vmarena_page_get_stats(&b);
	KUNIT_EXPECT_EQ(test, b.count[VMARENA_PAGE_FREE], 1UL);
}

static void vmarena_page_commit_charge_and_refuse(struct kunit *test)
{
	struct vt_fixture *f = vt_fix(test);
	struct vmarena_page_stats s;

	vmarena_page_get_stats(&s);
	vt_set_commit_limit(test, s.committed + 3 * PAGE_SIZE);

	KUNIT_ASSERT_EQ(test, vmarena_commit_charge(2 * PAGE_SIZE), 0);
	f->charged += 2 * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, vmarena_commit_charge(2 * PAGE_SIZE), -ENOMEM);
	KUNIT_ASSERT_EQ(test, vmarena_commit_charge(PAGE_SIZE), 0);
	f->charged += PAGE_SIZE;
	/* Exactly at the limit: not one byte more. */
	KUNIT_EXPECT_EQ(test, vmarena_commit_charge(1), -ENOMEM);
	KUNIT_EXPECT_EQ(test, vmarena_commit_charge(U64_MAX), -ENOMEM);

	vmarena_commit_uncharge(PAGE_SIZE);
	f->charged -= PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, vmarena_commit_charge(PAGE_SIZE), 0);
	f->charged += PAGE_SIZE;

	vmarena_page_get_stats(&s);
	KUNIT_EXPECT_EQ(test, s.committed, s.max_commit);
	vmarena_commit_uncharge(f->charged);
	f->charged = 0;
	vmarena_page_get_stats(&s);
	KUNIT_EXPECT_EQ(test, s.committed + 3 * PAGE_SIZE, s.max_commit);
}

static void vmarena_page_commit_set_limit_returns_old(struct kunit *test)
{
	struct vmarena_page_stats s;
	u64 old;

	vmarena_page_get_stats(&s);
	vt_set_commit_limit(test, 12345);
	old = vmarena_commit_set_limit(67890);
	KUNIT_EXPECT_EQ(test, old, 12345ULL);
	vmarena_page_get_stats(&s);
	KUNIT_EXPECT_EQ(test, s.max_commit, 67890ULL);
}

static void vmarena_page_commit_limit_below_committed(struct kunit *test)
{
	struct vt_fixture *f = vt_fix(test);
	struct vmarena_page_stats s;

	KUNIT_ASSERT_EQ(test, vmarena_commit_charge(PAGE_SIZE), 0);
	f->charged += PAGE_SIZE;
	vmarena_page_get_stats(&s);
	/* The limit drops below what is committed: nothing more goes. */
	vt_set_commit_limit(test, s.committed - 1);
	KUNIT_EXPECT_EQ(test, vmarena_commit_charge(0), -ENOMEM);
	KUNIT_EXPECT_EQ(test, vmarena_commit_charge(1), -ENOMEM);
	vmarena_commit_uncharge(PAGE_SIZE);
	f->charged -= PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, vmarena_commit_charge(0), 0);
}

static void vmarena_page_from_pfn_finds_arena_pages(struct kunit *test)
{
	struct vmarena_page *p = vt_alloc_ok(test, 0, 0);
	struct vmarena_page *run[2];

	KUNIT_EXPECT_PTR_EQ(test, vmarena_page_from_pfn(vmarena_page_pfn(p)), p);
	KUNIT_EXPECT_EQ(test, page_to_pfn(p->page), vmarena_page_pfn(p));
	KUNIT_ASSERT_EQ(test, vt_alloc_run(test, 2, 0, run), 0);
	KUNIT_EXPECT_PTR_EQ(test, vmarena_page_from_pfn(vmarena_page_pfn(run[0])), run[0]);
	KUNIT_EXPECT_PTR_EQ(test, vmarena_page_from_pfn(vmarena_page_pfn(run[1])), run[1]);
}

static void vmarena_page_from_pfn_null_for_other_pages(struct kunit *test)
{
	struct vmarena_page *p = vt_alloc_ok(test, 0, 0);
	unsigned long pfn = vmarena_page_pfn(p);
	struct page *page = alloc_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_NULL(test, vmarena_page_from_pfn(page_to_pfn(page)));
	__free_page(page);

	/* Given back to the kernel, a page is no longer the arena's. */
	KUNIT_ASSERT_EQ(test, vt_free(test, p), 0);
	KUNIT_EXPECT_PTR_EQ(test, vmarena_page_from_pfn(pfn), p);
	vt_set_max_pages(test, 0);
	KUNIT_EXPECT_NULL(test, vmarena_page_from_pfn(pfn));
}

static void vmarena_page_stats_are_consistent(struct kunit *test)
{
	struct vmarena_page_stats s;
	struct vmarena_page *run[2];
	unsigned long sum = 0;
	unsigned int i;

	vt_bring(test, vt_alloc_ok(test, 0, 0), VMARENA_PAGE_ACTIVE);
	vt_bring(test, vt_alloc_ok(test, 1, 0), VMARENA_PAGE_MODIFIED);
	KUNIT_ASSERT_EQ(test, vt_free(test, vt_alloc_ok(test, 2, 0)), 0);
	KUNIT_ASSERT_EQ(test, vt_alloc_run(test, 2, 0, run), 0);
	vt_set_max_pages(test, 100000);
	vt_set_commit_limit(test, 1 << 20);

	vmarena_page_get_stats(&s);
	for (i = 0; i < VMARENA_PAGE_NR_STATES; i++)
		sum += s.count[i];
	KUNIT_EXPECT_EQ(test, sum, s.total);
	KUNIT_EXPECT_GE(test, s.count[VMARENA_PAGE_ACTIVE], 1UL);
	KUNIT_EXPECT_GE(test, s.count[VMARENA_PAGE_MODIFIED], 1UL);
	KUNIT_EXPECT_EQ(test, s.count[VMARENA_PAGE_FREE], 1UL);
	KUNIT_EXPECT_GE(test, s.count[VMARENA_PAGE_BUSY], 2UL);
	KUNIT_EXPECT_EQ(test, s.max_pages, 100000UL);
	KUNIT_EXPECT_EQ(test, s.max_commit, (u64)1 << 20);
	KUNIT_EXPECT_LE(test, s.total, s.max_pages);
}

static void vmarena_page_state_names(struct kunit *test)
{
	static const char * const names[] = {
		"free", "clear", "busy", "active", "inactive", "modified", "wired",
	};
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(names) != VMARENA_PAGE_NR_STATES);
	for (i = 0; i < VMARENA_PAGE_NR_STATES; i++)
		KUNIT_EXPECT_STREQ(test, vmarena_page_state_name(i), names[i]);
	KUNIT_EXPECT_STREQ(test, vmarena_page_state_name(VMARENA_PAGE_NR_STATES), "invalid");
}

static void vmarena_page_dump_describes_page(struct kunit *test)
{
	struct vmarena_page *p = vt_alloc_ok(test, 5, 0);
	struct seq_file m = { .size = PAGE_SIZE };
	char want[64];

	m.buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	vt_bring(test, p, VMARENA_PAGE_MODIFIED);
	vmarena_page_dump(p, &m);
	KUNIT_ASSERT_GT(test, m.count, (size_t)0);
	KUNIT_ASSERT_LT(test, m.count, m.size);
	snprintf(want, sizeof(want), "pfn %#lx ", vmarena_page_pfn(p));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, want));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, "state modified"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, "identity cache"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, "offset 5 "));
	/* And to the kernel log. */
	vmarena_page_dump(p, NULL);
}

static struct kunit_case vmarena_page_cases[] = {
	KUNIT_CASE(vmarena_page_alloc_sets_identity_state_and_owner),
	KUNIT_CASE(vmarena_page_alloc_counts_busy_and_total),
	KUNIT_CASE(vmarena_page_transition_table_matches_page_h),
	KUNIT_CASE(vmarena_page_owned_transitions_move_queues),
	KUNIT_CASE(vmarena_page_illegal_transitions_refused),
	KUNIT_CASE(vmarena_page_same_state_refused),
	KUNIT_CASE(vmarena_page_set_state_to_pool_states_refused),
	KUNIT_CASE(vmarena_page_free_from_each_owned_state),
	KUNIT_CASE(vmarena_page_free_returns_page_to_pool),
	KUNIT_CASE(vmarena_page_double_free_refused),
	KUNIT_CASE(vmarena_page_free_null_refused),
	KUNIT_CASE(vmarena_page_wired_page_free_refused),
	KUNIT_CASE(vmarena_page_adopt_cache_page_refused),
	KUNIT_CASE(vmarena_page_adopt_free_page_refused),
	KUNIT_CASE(vmarena_page_zero_alloc_reads_zero_after_dirty_free),
	KUNIT_CASE(vmarena_page_zero_alloc_from_kernel_reads_zero),
	KUNIT_CASE(vmarena_page_nowait_alloc_in_atomic_context),
	KUNIT_CASE(vmarena_page_run_is_contiguous_with_identity_run),
	KUNIT_CASE(vmarena_page_run_zero_reads_zero),
	KUNIT_CASE(vmarena_page_run_adopt_into_cache),
	KUNIT_CASE(vmarena_page_run_free_without_adopt),
	KUNIT_CASE(vmarena_page_run_bad_counts_refused),
	KUNIT_CASE(vmarena_page_run_of_max_order),
	KUNIT_CASE(vmarena_page_cap_refuses_alloc_and_run),
	KUNIT_CASE(vmarena_page_spare_alloc_stays_above_low_water),
	KUNIT_CASE(vmarena_page_cap_still_serves_pooled_pages),
	KUNIT_CASE(vmarena_page_lowering_cap_trims_pool),
	KUNIT_CASE(vmarena_page_run_evicts_pool_to_fit_cap),
	KUNIT_CASE(vmarena_page_commit_charge_and_refuse),
	KUNIT_CASE(vmarena_page_commit_set_limit_returns_old),
	KUNIT_CASE(vmarena_page_commit_limit_below_committed),
	KUNIT_CASE(vmarena_page_from_pfn_finds_arena_pages),
	KUNIT_CASE(vmarena_page_from_pfn_null_for_other_pages),
	KUNIT_CASE(vmarena_page_stats_are_consistent),
	KUNIT_CASE(vmarena_page_state_names),
	KUNIT_CASE(vmarena_page_dump_describes_page),
	{}
};

static struct kunit_suite vmarena_page_suite = {
	.name = "vmarena_page",
	.init = vt_fixture_init,
	.exit = vt_fixture_exit,
	.test_cases = vmarena_page_cases,
};

kunit_test_suites(&vmarena_page_suite);
