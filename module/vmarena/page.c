// SPDX-License-Identifier: GPL-2.0
/*
 * The arena page pool: vmarena's own pages, their queues and the commit
 * counter.  See page.h for the identities and the state machine, and
 * locking.h for the lock keys.
 *
 * Pages come from the kernel one at a time (alloc_page(), charged to the
 * allocating task's memory cgroup) or as contiguous runs (alloc_pages() and
 * split_page()), each with a struct vmarena_page from a kmem_cache.  The
 * pool never holds more than max_pages pages: "total" counts the pages taken
 * from the kernel and not yet given back, whatever their state, and
 * "reserved" counts the slots of allocations in flight, so that concurrent
 * allocators cannot overshoot the cap between checking it and calling into
 * the kernel.  A page keeps its memcg charge for as long as the arena holds
 * it, also while it waits in the pool and after another task reuses it; the
 * charge goes when the page goes back to the kernel.
 *
 * Freed pages wait on the free queue (LIFO: the most recently freed page is
 * the most likely to be cache-hot) until the pool of free and clear pages
 * reaches pool_reserve plus the clear worker's target; beyond that they go
 * straight back to the kernel.  The clear worker (clear.c) keeps a stock of
 * zeroed pages on the clear queue, and takes pages from the kernel for it
 * when the free queue is empty: a reserve smaller than its target would
 * give pages back only for the worker to take new ones at once.
 *
 * Every page the arena holds is in vmarena_pfns, an XArray from pfn to
 * struct vmarena_page, from the moment it is taken from the kernel (or, a
 * file's page, attached) until it is given back; the one exception is a
 * written file page of a file cache whose last area has gone, which leaves
 * the index while it waits for the file writer (vmarena_page_unindex()).
 *
 * Lock contracts.  q (vmarena_pageq_lock) guards the queues, their counts,
 * the totals, page->state and page->queue, and is the second key of
 * page->identity.  The owner fields (->cache, ->offset, ->usage_count,
 * ->busy, ->wired_count) are c: the owning cache's lock.  ->cache and
 * ->offset of a page on an owned queue are written with q held too, so
 * that the page daemon may read them under q alone; a page being given
 * its owner (busy, on no queue) is seen by no one under q.  struct
 * vmarena_cache is opaque here, so c is asserted through
 * vmarena_page_assert_owner_locked() (cache.c): the functions below that
 * read or write owner fields of an owned page say so in their Context
 * line, and the caller must hold the owner's c (or own the page
 * exclusively, as with a run not yet adopted, which has no owner).
 * page.c never dereferences a struct vmarena_cache pointer.  Neither q nor
 * m (vmarena_commit_lock) is ever held across anything that sleeps, and
 * neither is taken from interrupt context.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "locking.h"
#include "cache.h"
#include "desc.h"
#include "page.h"
#include "page_internal.h"
#include "event.h"
#include "pagedaemon.h"
#include "dump.h"

static unsigned long max_pages;
static const struct kernel_param_ops vmarena_max_pages_ops;
module_param_cb(max_pages, &vmarena_max_pages_ops, &max_pages, 0644);
MODULE_PARM_DESC(max_pages,
		 "Most pages the arena holds, its own and the file pages it maps (0 at load: a quarter of RAM); writable: lowering it makes the page daemon page out");

static unsigned long pool_reserve = 256;
module_param(pool_reserve, ulong, 0444);
MODULE_PARM_DESC(pool_reserve,
		 "Free and clear pages kept for reuse besides clear_target; freed pages beyond go back to the kernel");

static unsigned long long max_commit;
module_param(max_commit, ullong, 0444);
MODULE_PARM_DESC(max_commit, "Most bytes areas may commit (0: max_pages pages)");

/* The largest contiguous run: order 10, 4 MiB with 4 KiB pages. */

DEFINE_SPINLOCK(vmarena_pageq_lock);
static DEFINE_SPINLOCK(vmarena_commit_lock);

/* The pool; every field is q.  The busy state has a count but no queue. */
static struct {
	struct list_head queue[VMARENA_PAGE_NR_STATES];
	unsigned long count[VMARENA_PAGE_NR_STATES];
	unsigned long total;		/* pages held: the sum of count[] */
	unsigned long reserved;		/* slots of allocations in flight */
	unsigned long max_pages;	/* the cap on total + reserved */
	unsigned long low_water;	/* wake the page daemon below it */
	bool ready;			/* between init and uninit */
	unsigned long clear_hits;
	unsigned long clear_misses;
} vmarena_pool;

/* Commit accounting; both fields are m. */
static u64 vmarena_committed;
static u64 vmarena_commit_limit;

/* pfn -> struct vmarena_page for every page the arena holds; its own lock. */
static DEFINE_XARRAY(vmarena_pfns);

static struct kmem_cache *vmarena_page_cachep;

/* The state machine of page.h, one bit per allowed target state. */
#define S(state) BIT(VMARENA_PAGE_##state)
static const u8 vmarena_page_transitions[VMARENA_PAGE_NR_STATES] = {
	[VMARENA_PAGE_FREE]	= S(CLEAR) | S(BUSY),
	[VMARENA_PAGE_CLEAR]	= S(FREE) | S(BUSY),
	[VMARENA_PAGE_BUSY]	= S(ACTIVE) | S(WIRED) | S(MODIFIED) | S(FREE),
	[VMARENA_PAGE_ACTIVE]	= S(INACTIVE) | S(MODIFIED) | S(WIRED) | S(FREE),
	[VMARENA_PAGE_INACTIVE]	= S(ACTIVE) | S(MODIFIED) | S(WIRED) | S(FREE),
	[VMARENA_PAGE_MODIFIED]	= S(ACTIVE) | S(INACTIVE) | S(WIRED) | S(FREE),
	[VMARENA_PAGE_WIRED]	= S(ACTIVE) | S(MODIFIED) | S(FREE),
};

#undef S

static const char * const vmarena_page_state_names[VMARENA_PAGE_NR_STATES] = {
	[VMARENA_PAGE_FREE]	= "free",
	[VMARENA_PAGE_CLEAR]	= "clear",
	[VMARENA_PAGE_BUSY]	= "busy",
	[VMARENA_PAGE_ACTIVE]	= "active",
	[VMARENA_PAGE_INACTIVE]	= "inactive",
	[VMARENA_PAGE_MODIFIED]	= "modified",
	[VMARENA_PAGE_WIRED]	= "wired",
};

static const char * const vmarena_page_identity_names[] = {
	[VMARENA_PAGE_ID_FREE]	= "free",
	[VMARENA_PAGE_ID_CACHE]	= "cache",
	[VMARENA_PAGE_ID_RUN]	= "run",
	[VMARENA_PAGE_ID_FILE]	= "file",
};

/**
 * vmarena_page_transition_allowed() - does page.h allow this state change?
 * @from: the current state
 * @to: the state wanted
 *
 * Context: none; a pure function.  A state never "changes" to itself.
 */
VISIBLE_IF_KUNIT bool vmarena_page_transition_allowed(enum vmarena_page_state from,
						      enum vmarena_page_state to)
{
	if ((unsigned int)from >= VMARENA_PAGE_NR_STATES ||
	    (unsigned int)to >= VMARENA_PAGE_NR_STATES)
		return false;
	return vmarena_page_transitions[from] & BIT(to);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_transition_allowed);

/*
 * Move @p to @state: off its old queue, onto the new one, counts adjusted.
 * The pool states are LIFO (head), the owned ones FIFO (tail: the page
 * daemon scans from the head, oldest first).  Refuses, changing nothing,
 * any transition page.h does not allow.  Context: q held.
 */
static int vmarena_page_move_locked(struct vmarena_page *p, enum vmarena_page_state state)
{
	lockdep_assert_held(&vmarena_pageq_lock);

	if (!vmarena_page_transition_allowed(p->state, state))
		return -EINVAL;

	if (p->state != VMARENA_PAGE_BUSY)
		list_del_init(&p->queue);
	vmarena_pool.count[p->state]--;

	if (state == VMARENA_PAGE_FREE || state == VMARENA_PAGE_CLEAR)
		list_add(&p->queue, &vmarena_pool.queue[state]);
	else if (state != VMARENA_PAGE_BUSY)
		list_add_tail(&p->queue, &vmarena_pool.queue[state]);
	vmarena_pool.count[state]++;
	p->state = state;
	return 0;
}

/*
 * Take the first page of the free or clear queue into the busy state; its
 * identity stays free until the caller says otherwise.  NULL when the queue
 * is empty.  Context: q held.
 */
static struct vmarena_page *vmarena_pool_take_locked(enum vmarena_page_state state)
{
	struct vmarena_page *p;

	lockdep_assert_held(&vmarena_pageq_lock);

	p = list_first_entry_or_null(&vmarena_pool.queue[state], struct vmarena_page, queue);
	if (p && WARN_ON_ONCE(vmarena_page_move_locked(p, VMARENA_PAGE_BUSY)))
		p = NULL;
	return p;
}

/*
 * Reserve @n slots under the cap for pages about to be taken from the
 * kernel.  Context: q held.
 */
static bool vmarena_pool_reserve_locked(unsigned long n)
{
	unsigned long used = vmarena_pool.total + vmarena_pool.reserved;

	lockdep_assert_held(&vmarena_pageq_lock);

	if (used > vmarena_pool.max_pages || n > vmarena_pool.max_pages - used)
		return false;
	vmarena_pool.reserved += n;
	return true;
}

/* Give back @n reserved slots that were not used.  Context: q not held. */
static void vmarena_pool_unreserve(unsigned long n)
{
	spin_lock(&vmarena_pageq_lock);
	WARN_ON_ONCE(vmarena_pool.reserved < n);
	vmarena_pool.reserved -= n;
	spin_unlock(&vmarena_pageq_lock);
}

/*
 * Turn a reserved slot into a held page: @p, fresh from the kernel, is
 * counted in the busy state with identity @identity.  Context: q held.
 */
static void vmarena_pool_account_locked(struct vmarena_page *p, u8 identity)
{
	lockdep_assert_held(&vmarena_pageq_lock);

	WARN_ON_ONCE(!vmarena_pool.reserved);
	vmarena_pool.reserved--;
	vmarena_pool.total++;
	vmarena_pool.count[VMARENA_PAGE_BUSY]++;
	p->state = VMARENA_PAGE_BUSY;
	p->identity = identity;
}

/*
 * Stop counting @p, which is about to go back to the kernel: off its queue,
 * out of the counts and the total.  Context: q held.
 */
static void vmarena_pool_forget_locked(struct vmarena_page *p)
{
	lockdep_assert_held(&vmarena_pageq_lock);

	if (p->state != VMARENA_PAGE_BUSY)
		list_del_init(&p->queue);
	vmarena_pool.count[p->state]--;
	vmarena_pool.total--;
}

/*
 * Pooled pages to give back while the pool is above @cap: free pages
 * first, then clear ones, onto @victims.  Returns how many.  Context: q held.
 */
static unsigned long vmarena_pool_evict_locked(unsigned long cap, struct list_head *victims)
{
	static const enum vmarena_page_state pooled[] = {
		VMARENA_PAGE_FREE, VMARENA_PAGE_CLEAR,
	};
	struct vmarena_page *p;
	unsigned long n = 0;
	unsigned int i;

	lockdep_assert_held(&vmarena_pageq_lock);

	for (i = 0; i < ARRAY_SIZE(pooled); i++) {
		while (vmarena_pool.total + vmarena_pool.reserved > cap) {
			p = list_first_entry_or_null(&vmarena_pool.queue[pooled[i]],
						     struct vmarena_page, queue);
			if (!p)
				break;
			vmarena_pool_forget_locked(p);
			list_add(&p->queue, victims);
			n++;
		}
	}
	return n;
}

/*
 * How many pages could be taken from the kernel under the cap if every
 * pooled page went back first.  Context: q held.
 */
static unsigned long vmarena_pool_room_after_evict_locked(void)
{
	unsigned long used = vmarena_pool.total + vmarena_pool.reserved -
			     vmarena_pool.count[VMARENA_PAGE_FREE] -
			     vmarena_pool.count[VMARENA_PAGE_CLEAR];

	lockdep_assert_held(&vmarena_pageq_lock);

	return used < vmarena_pool.max_pages ? vmarena_pool.max_pages - used : 0;
}

/**
 * vmarena_page_available() - pages that can still be allocated
 *
 * The pooled (free and clear) pages plus the room left under the cap: what
 * the page daemon's watermarks are compared with.
 *
 * Context: takes q; the caller holds neither q nor m.  Does not sleep.
 */
unsigned long vmarena_page_available(void)
{
	unsigned long n;

	spin_lock(&vmarena_pageq_lock);
	n = vmarena_pool_room_after_evict_locked();
	spin_unlock(&vmarena_pageq_lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_available);

/*
 * Should an allocation wake the page daemon?  When what can still be
 * allocated is below the low watermark: the cheap check of the allocation
 * path.  Context: q held.
 */
static bool vmarena_pool_low_locked(void)
{
	lockdep_assert_held(&vmarena_pageq_lock);

	return vmarena_pool_room_after_evict_locked() < vmarena_pool.low_water;
}

/* The allocation flags for @flags (VMARENA_ALLOC_*).  Context: none; pure. */
static gfp_t vmarena_gfp(unsigned int flags)
{
	if (flags & VMARENA_ALLOC_NOWAIT)
		return GFP_NOWAIT | __GFP_NOWARN;
	return GFP_KERNEL;
}

/*
 * The zone modifier for a run's physical placement (VMARENA_ALLOC_DMA*):
 * the pages come from that zone, so they lie below its limit.
 * Context: none; pure.
 */
static gfp_t vmarena_gfp_zone(unsigned int flags)
{
	if (flags & VMARENA_ALLOC_DMA)
		return GFP_DMA;
	if (flags & VMARENA_ALLOC_DMA32)
		return GFP_DMA32;
	return 0;
}

/*
 * Metadata for @page, and @page entered in the pfn index.  The page is not
 * counted yet (see vmarena_pool_account_locked()).  Context: none of q, m;
 * sleeps unless @gfp forbids it.
 */
static struct vmarena_page *vmarena_page_meta_new(struct page *page, gfp_t gfp)
{
	struct vmarena_page *p;

	p = kmem_cache_zalloc(vmarena_page_cachep, gfp);
	if (!p)
		return NULL;
	p->page = page;
	INIT_LIST_HEAD(&p->queue);
	p->state = VMARENA_PAGE_BUSY;
	p->identity = VMARENA_PAGE_ID_FREE;
	if (xa_insert(&vmarena_pfns, page_to_pfn(page), p, gfp)) {
		kmem_cache_free(vmarena_page_cachep, p);
		return NULL;
	}
	return p;
}

/*
 * Take one page from the kernel, zeroed if @zero, into a slot the caller
 * reserved.  Context: none of q, m; sleeps unless @flags has NOWAIT.
 */
static struct vmarena_page *vmarena_page_new(unsigned int flags, bool zero)
{
	gfp_t gfp = vmarena_gfp(flags);
	struct vmarena_page *p;
	struct page *page;

	page = alloc_page(gfp | __GFP_ACCOUNT | (zero ? __GFP_ZERO : 0));
	if (!page)
		return NULL;
	p = vmarena_page_meta_new(page, gfp);
	if (!p)
		__free_page(page);
	return p;
}

/*
 * Give @p, already forgotten by the pool, back to the kernel: out of the
 * pfn index first, so that no lookup finds a page the kernel may reuse.
 * Context: none of q, m; does not sleep.
 */
static void vmarena_page_release(struct vmarena_page *p)
{
	vmarena_page_unindex(p);
	if (p->identity == VMARENA_PAGE_ID_FILE)
		put_page(p->page);	/* the page cache's page: our reference */
	else
		__free_page(p->page);
	kmem_cache_free(vmarena_page_cachep, p);
}

/* vmarena_page_release() of every page on @victims.  Context: none of q, m. */
static void vmarena_page_release_list(struct list_head *victims)
{
	struct vmarena_page *p, *next;

	list_for_each_entry_safe(p, next, victims, queue) {
		list_del(&p->queue);
		vmarena_page_release(p);
	}
}

/*
 * Set the owner fields of a page nobody else can see yet (fresh from the
 * pool or the kernel, in the busy state and on no queue), so no c is
 * needed.  Context: none.
 */
static void vmarena_page_set_owner(struct vmarena_page *p, struct vmarena_cache *cache,
				   pgoff_t offset)
{
	p->cache = cache;
	p->offset = offset;
	p->usage_count = 0;
	p->busy = true;
	p->wired_count = 0;
}

/**
 * vmarena_page_alloc() - a page for @cache at @offset
 * @cache: the owner; never dereferenced here
 * @offset: the page index in @cache
 * @flags: VMARENA_ALLOC_ZERO, VMARENA_ALLOC_NOWAIT
 *
 * The page comes back with identity cache, in the busy state and with
 * ->busy set: the caller fills it, clears ->busy and moves it to an owned
 * state.  With ZERO it reads as zeros: a clear page when there is one (a
 * clear hit), else a free page zeroed here or a zeroed page from the kernel
 * (a miss); the clear worker is kicked either way.  Without ZERO a free
 * page is preferred, then a new page from the kernel, then a clear page.
 *
 * Context: c of @cache held; takes q.  Sleeps unless @flags has NOWAIT.
 *
 * Return: the page, or NULL when the pool is empty and the cap reached, or
 * the kernel has no page.
 */
struct vmarena_page *vmarena_page_alloc(struct vmarena_cache *cache, pgoff_t offset,
					unsigned int flags)
{
	bool zero = flags & VMARENA_ALLOC_ZERO;
	struct vmarena_page *p = NULL;
	bool hit = false, fresh = false, low;

	if (!(flags & VMARENA_ALLOC_NOWAIT))
		might_sleep();
	if (WARN_ON_ONCE(!cache))
		return NULL;

	spin_lock(&vmarena_pageq_lock);
	if (zero) {
		p = vmarena_pool_take_locked(VMARENA_PAGE_CLEAR);
		hit = !!p;
	}
	if (!p)
		p = vmarena_pool_take_locked(VMARENA_PAGE_FREE);
	if (!p)
		fresh = vmarena_pool_reserve_locked(1);
	if (!p && !fresh && !zero)
		p = vmarena_pool_take_locked(VMARENA_PAGE_CLEAR);
	low = vmarena_pool_low_locked();
	spin_unlock(&vmarena_pageq_lock);

	if (low)
		vmarena_pagedaemon_wake();

	if (fresh) {
		p = vmarena_page_new(flags, zero);
		spin_lock(&vmarena_pageq_lock);
		if (p) {
			vmarena_pool_account_locked(p, VMARENA_PAGE_ID_FREE);
		} else {
			/* The kernel said no: a clear page still serves. */
			vmarena_pool.reserved--;
			if (!zero)
				p = vmarena_pool_take_locked(VMARENA_PAGE_CLEAR);
		}
		spin_unlock(&vmarena_pageq_lock);
	} else if (p && zero && !hit) {
		clear_highpage(p->page);
	}
	if (!p) {
		vmarena_pagedaemon_wake();
		vmarena_event_pool_exhausted();
		return NULL;
	}

	vmarena_page_set_owner(p, cache, offset);
	vmarena_page_assert_owner_locked(p);
	spin_lock(&vmarena_pageq_lock);
	p->identity = VMARENA_PAGE_ID_CACHE;
	if (hit)
		vmarena_pool.clear_hits++;
	else if (zero)
		vmarena_pool.clear_misses++;
	spin_unlock(&vmarena_pageq_lock);

	if (zero)
		vmarena_clear_kick();
	return p;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_alloc);

/**
 * vmarena_page_alloc_spare() - up to @n zeroed pages the arena can spare
 * @cache: the owner; never dereferenced here
 * @offset: the first page's index in @cache; the others follow it
 * @n: how many are wanted, at most BITS_PER_LONG
 * @pages: filled with the pages
 *
 * For speculative allocations (fault-ahead): clear pages first, then free
 * pages zeroed here, then zeroed pages from the kernel (GFP_NOWAIT), and
 * only while what can still be allocated stays above the low watermark;
 * the page daemon is not woken (nothing here is short), the clear worker
 * is kicked to refill what was taken.  Two holds of q for them all.  Each
 * page comes back as from vmarena_page_alloc(): identity cache, owned by
 * @cache, state busy, ->busy set.
 *
 * Context: c of @cache held; takes q.  Does not sleep.
 *
 * Return: how many pages, 0 to @n, at @offset onwards without a gap.
 */
unsigned int vmarena_page_alloc_spare(struct vmarena_cache *cache, pgoff_t offset,
				      unsigned int n, struct vmarena_page **pages)
{
	unsigned long dirty = 0;	/* pages taken from the free queue */
	unsigned int got = 0, fresh = 0, i;
	struct vmarena_page *p;

	if (WARN_ON_ONCE(!cache || n > BITS_PER_LONG))
		return 0;

	spin_lock(&vmarena_pageq_lock);
	while (got < n && !vmarena_pool_low_locked()) {
		p = vmarena_pool_take_locked(VMARENA_PAGE_CLEAR);
		if (!p) {
			p = vmarena_pool_take_locked(VMARENA_PAGE_FREE);
			if (!p)
				break;
			__set_bit(got, &dirty);
		}
		pages[got++] = p;
	}
	/* The rest from the kernel, in slots reserved under the cap. */
	while (got + fresh < n && !vmarena_pool_low_locked() && vmarena_pool_reserve_locked(1))
		fresh++;
	spin_unlock(&vmarena_pageq_lock);

	for (i = 0; i < got; i++)
		if (test_bit(i, &dirty))
			clear_highpage(pages[i]->page);
	for (i = 0; i < fresh; i++) {
		pages[got + i] = vmarena_page_new(VMARENA_ALLOC_NOWAIT, true);
		if (!pages[got + i])
			break;
	}

	spin_lock(&vmarena_pageq_lock);
	vmarena_pool.reserved -= fresh - i;	/* the kernel said no */
	fresh = i;
	for (i = got; i < got + fresh; i++)
		vmarena_pool_account_locked(pages[i], VMARENA_PAGE_ID_FREE);
	/* Only clear pages were zero already. */
	vmarena_pool.clear_hits += got - hweight_long(dirty);
	vmarena_pool.clear_misses += hweight_long(dirty) + fresh;
	for (i = 0; i < got + fresh; i++) {
		vmarena_page_set_owner(pages[i], cache, offset + i);
		vmarena_page_assert_owner_locked(pages[i]);
		pages[i]->identity = VMARENA_PAGE_ID_CACHE;
	}
	spin_unlock(&vmarena_pageq_lock);
	/* No fault may come soon to kick it: top the clear queue up now. */
	if (got + fresh)
		vmarena_clear_kick();
	return got + fresh;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_alloc_spare);

/**
 * vmarena_page_alloc_run() - @count physically contiguous pages
 * @count: 1 to 1024 pages
 * @flags: VMARENA_ALLOC_ZERO, VMARENA_ALLOC_NOWAIT, and VMARENA_ALLOC_DMA
 *	or VMARENA_ALLOC_DMA32 for a run below 16 MiB or 4 GiB
 * @pages: filled with the pages, lowest pfn first
 *
 * Runs always come from the kernel: alloc_pages() of the smallest order
 * that holds @count, split, the pages past @count given back at once.
 * So a run asked below a limit is below it: no pooled page is used.  To
 * make room under the cap, pooled (free, then clear) pages are given back
 * first, but only when that makes enough room.  Each page has identity
 * run, state busy and ->busy set, and no owner; the caller owns it
 * exclusively until vmarena_page_adopt() or vmarena_page_free().
 *
 * Context: q and m not held; takes q.  Sleeps unless @flags has NOWAIT.
 *
 * Return: 0; -EINVAL for a count of 0 or above 1024; -ENOMEM when the cap
 * or the kernel says no, with nothing allocated.
 */
int vmarena_page_alloc_run(unsigned long count, unsigned int flags,
			   struct vmarena_page **pages)
{
	gfp_t gfp = vmarena_gfp(flags);
	LIST_HEAD(victims);
	unsigned long i, nr_meta = 0, nr_indexed = 0;
	unsigned int order;
	struct page *head;
	bool ok;

	if (!(flags & VMARENA_ALLOC_NOWAIT))
		might_sleep();
	if (!count || count > VMARENA_RUN_MAX_PAGES || !pages)
		return -EINVAL;
	order = get_order(count << PAGE_SHIFT);

	spin_lock(&vmarena_pageq_lock);
	ok = vmarena_pool_reserve_locked(count);
	if (!ok && vmarena_pool_room_after_evict_locked() >= count) {
		vmarena_pool_evict_locked(vmarena_pool.max_pages - count, &victims);
		ok = vmarena_pool_reserve_locked(count);
		WARN_ON_ONCE(!ok);
	}
	spin_unlock(&vmarena_pageq_lock);
	vmarena_page_release_list(&victims);
	if (!ok) {
		/* A later try may find room the page daemon made. */
		vmarena_pagedaemon_wake();
		vmarena_event_pool_exhausted();
		return -ENOMEM;
	}

	for (nr_meta = 0; nr_meta < count; nr_meta++) {
		pages[nr_meta] = kmem_cache_zalloc(vmarena_page_cachep, gfp);
		if (!pages[nr_meta])
			goto err_meta;
	}

	/* Runs of high order fail now and then: the caller hears -ENOMEM. */
	head = alloc_pages(gfp | vmarena_gfp_zone(flags) | __GFP_ACCOUNT | __GFP_NOWARN |
			   (flags & VMARENA_ALLOC_ZERO ? __GFP_ZERO : 0), order);
	if (!head)
		goto err_meta;
	split_page(head, order);
	for (i = count; i < 1UL << order; i++)
		__free_page(head + i);

	for (nr_indexed = 0; nr_indexed < count; nr_indexed++) {
		struct vmarena_page *p = pages[nr_indexed];

		p->page = head + nr_indexed;
		INIT_LIST_HEAD(&p->queue);
		if (xa_insert(&vmarena_pfns, page_to_pfn(p->page), p, gfp))
			goto err_index;
		vmarena_page_set_owner(p, NULL, 0);
	}

	spin_lock(&vmarena_pageq_lock);
	for (i = 0; i < count; i++)
		vmarena_pool_account_locked(pages[i], VMARENA_PAGE_ID_RUN);
	spin_unlock(&vmarena_pageq_lock);
	return 0;

err_index:
	while (nr_indexed--)
		xa_erase(&vmarena_pfns, page_to_pfn(pages[nr_indexed]->page));
	for (i = 0; i < count; i++)
		__free_page(head + i);
err_meta:
	while (nr_meta--) {
		kmem_cache_free(vmarena_page_cachep, pages[nr_meta]);
		pages[nr_meta] = NULL;
	}
	vmarena_pool_unreserve(count);
	return -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_alloc_run);

/**
 * vmarena_page_adopt() - hand a run page to a cache
 * @p: a page of identity run
 * @cache: the new owner; never dereferenced here
 * @offset: the page index in @cache
 *
 * The state and ->busy are left as they are.
 *
 * Context: c of @cache held; takes q.  Does not sleep.
 *
 * Return: 0, or -EINVAL when @p is not a run page or @cache is NULL.
 */
int vmarena_page_adopt(struct vmarena_page *p, struct vmarena_cache *cache,
		       pgoff_t offset)
{
	int ret = -EINVAL;

	if (!cache)
		return -EINVAL;
	spin_lock(&vmarena_pageq_lock);
	if (p->identity == VMARENA_PAGE_ID_RUN) {
		p->cache = cache;
		p->offset = offset;
		p->identity = VMARENA_PAGE_ID_CACHE;
		ret = 0;
	}
	spin_unlock(&vmarena_pageq_lock);
	if (!ret)
		vmarena_page_assert_owner_locked(p);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_adopt);

/**
 * vmarena_page_attach() - a descriptor for @page, a page of a file's page
 *	cache, owned by @cache at @offset
 * @cache: the file cache that will own it (locked by the caller, who
 *	inserts the page into its index)
 * @offset: the page's index in @cache (and in its file)
 * @page: the caller's reference to it, which the descriptor takes over on
 *	success
 *
 * The page is counted against max_pages while the arena holds it, like a
 * page taken from the kernel (pooled pages go back to the kernel to make
 * room, if need be), and indexed by pfn.  It comes back busy, identity
 * file; vmarena_page_free() drops the descriptor and the reference.
 *
 * Context: c of @cache held; takes q.  May sleep.
 * Return: the descriptor, or NULL when the arena is at its cap (the page
 * daemon is woken) or out of memory, or the pfn is indexed already; the
 * caller keeps its reference then.
 */
struct vmarena_page *vmarena_page_attach(struct vmarena_cache *cache, pgoff_t offset,
					 struct page *page)
{
	LIST_HEAD(victims);
	struct vmarena_page *p;
	bool ok, low;

	might_sleep();
	if (WARN_ON_ONCE(!cache))
		return NULL;
	spin_lock(&vmarena_pageq_lock);
	ok = vmarena_pool_reserve_locked(1);
	if (!ok && vmarena_pool_room_after_evict_locked()) {
		vmarena_pool_evict_locked(vmarena_pool.max_pages - 1, &victims);
		ok = vmarena_pool_reserve_locked(1);
	}
	low = vmarena_pool_low_locked();
	spin_unlock(&vmarena_pageq_lock);
	vmarena_page_release_list(&victims);
	if (low || !ok)
		vmarena_pagedaemon_wake();
	if (!ok) {
		vmarena_event_pool_exhausted();
		return NULL;
	}
	p = vmarena_page_meta_new(page, GFP_KERNEL);
	if (!p) {
		vmarena_pool_unreserve(1);
		return NULL;
	}
	spin_lock(&vmarena_pageq_lock);
	vmarena_pool_account_locked(p, VMARENA_PAGE_ID_FILE);
	spin_unlock(&vmarena_pageq_lock);
	vmarena_page_set_owner(p, cache, offset);
	vmarena_page_assert_owner_locked(p);
	return p;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_attach);

/**
 * vmarena_page_unindex() - take @p out of the pfn index
 * @p: a page the arena holds
 *
 * Only its own entry goes: a file page whose dying cache still holds it
 * (until the file writer hands it to its file system) leaves the pfn to
 * a new cache of the same file, which may attach the same page.
 *
 * Context: any; q and m not held.  Does not sleep.
 */
void vmarena_page_unindex(struct vmarena_page *p)
{
	xa_cmpxchg(&vmarena_pfns, page_to_pfn(p->page), p, NULL, 0);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_unindex);

/**
 * vmarena_page_free() - give an owned page back to the pool
 * @p: a page of identity cache or run
 *
 * A busy page may be freed: that is how its owner drops a page whose read
 * failed.  A wired page (->wired_count > 0) may not: it must be unwired
 * first.  A page in the wired state whose wired_count is 0 may be freed,
 * as page.h allows wired -> free.  The page goes on the free queue, or back
 * to the kernel when the pool already holds pool_reserve + clear_target
 * free and clear pages; either way the caller must not touch @p again.
 *
 * Context: c of @p's owner held (none for a run page, which the caller
 * owns exclusively); takes q.  Does not sleep.
 *
 * Return: 0, or -EINVAL (nothing changed) for a NULL, free or wired page.
 */
int vmarena_page_free(struct vmarena_page *p)
{
	return vmarena_page_free_batch(&p, 1) == 1 ? 0 : -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_free);

/*
 * vmarena_page_free() of one page under q; a page to give back goes on @out.
 * Context: c of @p's owner and q held.
 */
static int vmarena_page_free_locked(struct vmarena_page *p, struct list_head *out)
{
	lockdep_assert_held(&vmarena_pageq_lock);
	if (p)
		vmarena_page_assert_owner_locked(p);

	if (!p || p->identity == VMARENA_PAGE_ID_FREE || p->wired_count ||
	    !vmarena_page_transition_allowed(p->state, VMARENA_PAGE_FREE))
		return -EINVAL;
	/* Not the arena's page: the descriptor goes, the page stays its file's. */
	if (p->identity == VMARENA_PAGE_ID_FILE) {
		vmarena_pool_forget_locked(p);
		list_add(&p->queue, out);
		return 0;
	}
	p->cache = NULL;
	p->offset = 0;
	p->usage_count = 0;
	p->busy = false;
	p->identity = VMARENA_PAGE_ID_FREE;
	if (vmarena_pool.count[VMARENA_PAGE_FREE] + vmarena_pool.count[VMARENA_PAGE_CLEAR] >=
	    pool_reserve + vmarena_clear_target()) {
		vmarena_pool_forget_locked(p);
		list_add(&p->queue, out);
	} else {
		WARN_ON_ONCE(vmarena_page_move_locked(p, VMARENA_PAGE_FREE));
	}
	return 0;
}

/**
 * vmarena_page_free_batch() - vmarena_page_free() of @n pages at once
 * @pages: the pages, as for vmarena_page_free()
 * @n: how many
 *
 * One hold of q for them all (a cache going away frees every page it has),
 * none for no page.  A page vmarena_page_free() would refuse is left as it
 * is, and not counted.
 *
 * Context: as for vmarena_page_free().  Does not sleep.
 *
 * Return: how many pages were freed.
 */
unsigned int vmarena_page_free_batch(struct vmarena_page **pages, unsigned int n)
{
	LIST_HEAD(victims);
	unsigned int i, freed = 0;

	if (!n)
		return 0;
	spin_lock(&vmarena_pageq_lock);
	for (i = 0; i < n; i++)
		if (!vmarena_page_free_locked(pages[i], &victims))
			freed++;
	spin_unlock(&vmarena_pageq_lock);
	vmarena_page_release_list(&victims);
	return freed;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_free_batch);

/**
 * vmarena_page_set_state() - move an owned page between states
 * @p: a page of identity cache or run
 * @state: the new state
 *
 * Only the transitions of page.h among the owned states (busy, active,
 * inactive, modified, wired) are made here.  The pool states belong to the
 * pool: a page gets to free only through vmarena_page_free(), to busy only
 * through an allocation, to clear only through the clear worker, and a page
 * of identity free is not the caller's to move.  The state is not tied to
 * ->wired_count here: keeping "wired" and wired_count > 0 together is the
 * owner's job.
 *
 * Context: c of @p's owner held (none for a run page, which the caller
 * owns exclusively); takes q.  Does not sleep.
 *
 * Return: 0, or -EINVAL with nothing changed for any other transition,
 * the same state included.
 */
int vmarena_page_set_state(struct vmarena_page *p, enum vmarena_page_state state)
{
	return vmarena_page_set_states(&p, 1, state);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_set_state);

/**
 * vmarena_page_set_states() - vmarena_page_set_state() of @n pages at once
 * @pages: the pages
 * @n: how many
 * @state: the new state of every one
 *
 * One hold of q for them all.  Context: as for vmarena_page_set_state().
 *
 * Return: 0, or -EINVAL at the first page that may not move (the pages
 * before it have moved, the others have not).
 */
int vmarena_page_set_states(struct vmarena_page **pages, unsigned int n,
			    enum vmarena_page_state state)
{
	unsigned int i;
	int ret = 0;

	if ((unsigned int)state >= VMARENA_PAGE_NR_STATES ||
	    state == VMARENA_PAGE_FREE || state == VMARENA_PAGE_CLEAR ||
	    state == VMARENA_PAGE_BUSY)
		return -EINVAL;

	for (i = 0; i < n; i++)
		vmarena_page_assert_owner_locked(pages[i]);
	spin_lock(&vmarena_pageq_lock);
	for (i = 0; i < n && !ret; i++)
		ret = pages[i]->identity == VMARENA_PAGE_ID_FREE ? -EINVAL :
		      vmarena_page_move_locked(pages[i], state);
	spin_unlock(&vmarena_pageq_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_set_states);

/**
 * vmarena_page_from_pfn() - the arena page at @pfn
 * @pfn: a page frame number
 *
 * The answer stays valid only while the page cannot go back to the kernel:
 * the caller holds the owner's c of a page it expects to be owned, or
 * otherwise knows the page is held.
 *
 * Context: any; takes the XArray's RCU read lock.  Does not sleep.
 *
 * Return: the page, or NULL when @pfn is not a page the arena holds.
 */
struct vmarena_page *vmarena_page_from_pfn(unsigned long pfn)
{
	return xa_load(&vmarena_pfns, pfn);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_from_pfn);

/**
 * vmarena_page_get_desc() - describe the arena page at @pfn, if it is one
 * @pfn: a page frame number the caller found mapped
 * @d: its arena fields are filled (desc.h)
 *
 * State and owner are read under q; the wired and usage counts belong to
 * the owner's c, which the caller need not hold, and are a racy snapshot,
 * fine for a report.
 *
 * Context: takes q, which the caller must not hold.  Does not sleep.
 * Return: whether @pfn is an arena page (@d->arena).
 */
bool vmarena_page_get_desc(unsigned long pfn, struct vmarena_page_desc *d)
{
	struct vmarena_page *p;

	spin_lock(&vmarena_pageq_lock);
	p = vmarena_page_from_pfn(pfn);
	if (p) {
		d->arena = true;
		d->state = p->state;
		d->cache_id = p->cache ? p->cache->id : 0;
		d->wired_count = READ_ONCE(p->wired_count);
		d->usage = READ_ONCE(p->usage_count);
	}
	spin_unlock(&vmarena_pageq_lock);
	return p;
}

/**
 * vmarena_page_set_cache() - move @page's ownership to @cache
 * @page: owned by a cache whose c the caller holds
 * @cache: its new owner, whose c the caller holds too
 *
 * Under q as well, because the page daemon reads ->cache under q alone.
 * Context: c of both caches held; takes q.
 */
void vmarena_page_set_cache(struct vmarena_page *page, struct vmarena_cache *cache)
{
	spin_lock(&vmarena_pageq_lock);
	page->cache = cache;
	spin_unlock(&vmarena_pageq_lock);
}

/**
 * vmarena_page_get_stats() - a snapshot of the pool and the commit counter
 * @stats: filled in
 *
 * Context: takes q, then m, and holds both for one consistent snapshot;
 * neither may be held by the caller.  Does not sleep.
 */
void vmarena_page_get_stats(struct vmarena_page_stats *stats)
{
	unsigned int i;

	spin_lock(&vmarena_pageq_lock);
	stats->total = vmarena_pool.total;
	stats->max_pages = vmarena_pool.max_pages;
	for (i = 0; i < VMARENA_PAGE_NR_STATES; i++)
		stats->count[i] = vmarena_pool.count[i];
	stats->clear_hits = vmarena_pool.clear_hits;
	stats->clear_misses = vmarena_pool.clear_misses;
	stats->meta_bytes = kmem_cache_size(vmarena_page_cachep);
	spin_lock(&vmarena_commit_lock);
	stats->committed = vmarena_committed;
	stats->max_commit = vmarena_commit_limit;
	spin_unlock(&vmarena_commit_lock);
	spin_unlock(&vmarena_pageq_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_get_stats);

/**
 * vmarena_page_state_name() - the name of a state, for logs and dumps
 * @state: a state
 *
 * Context: none.  Return: the name, or "invalid" for an out-of-range state.
 */
const char *vmarena_page_state_name(enum vmarena_page_state state)
{
	if ((unsigned int)state >= VMARENA_PAGE_NR_STATES)
		return "invalid";
	return vmarena_page_state_names[state];
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_state_name);

/* vmarena_page_dump()'s line. */
#define VMARENA_PAGE_DUMP_FMT \
	"page pfn %#lx state %s identity %s offset %lu usage %u busy %d wired %u\n"

/**
 * vmarena_page_dump() - describe one page
 * @p: the page
 * @m: where to write, or NULL for the kernel log
 *
 * The caller keeps @p alive (holds the owner's c for an owned page, or
 * otherwise knows it held); the owner fields are read without c and may be
 * stale when the caller does not hold it.
 *
 * Context: q and m not held; takes q.  Does not sleep.
 */
void vmarena_page_dump(const struct vmarena_page *p, struct seq_file *m)
{
	u8 state, identity;

	lockdep_assert_not_held(&vmarena_pageq_lock);
	spin_lock(&vmarena_pageq_lock);
	state = p->state;
	identity = p->identity;
	spin_unlock(&vmarena_pageq_lock);

	vmarena_dump_printf(m, VMARENA_PAGE_DUMP_FMT,
			    vmarena_page_pfn(p), vmarena_page_state_name(state),
			    identity < ARRAY_SIZE(vmarena_page_identity_names) ?
			    vmarena_page_identity_names[identity] : "invalid",
			    READ_ONCE(p->offset), READ_ONCE(p->usage_count), READ_ONCE(p->busy),
			    READ_ONCE(p->wired_count));
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_dump);

/**
 * vmarena_page_pool_dump() - the pool: per-state counts and queue lengths
 * @m: where to write
 *
 * A line with the totals ("pool total 300 max 65536 reserved 0 low 64"),
 * then one per state: its count and the length of its queue, counted
 * here by walking it ("state free count 10 queue 10"; the busy state has
 * no queue: "queue -"), and the commit counter ("commit used 65536 limit
 * 268435456").  All from one hold of q (and m), so the counts add up to
 * the total.  Walking the queues costs one step per page: this is for
 * debugging, not for polling.
 *
 * Context: q and m not held; takes q, then m.  Does not sleep.
 */
void vmarena_page_pool_dump(struct seq_file *m)
{
	unsigned long count[VMARENA_PAGE_NR_STATES], queued[VMARENA_PAGE_NR_STATES];
	unsigned long total, reserved, max, low;
	struct list_head *pos;
	u64 used, limit;
	unsigned int i;

	lockdep_assert_not_held(&vmarena_pageq_lock);
	lockdep_assert_not_held(&vmarena_commit_lock);
	spin_lock(&vmarena_pageq_lock);
	total = vmarena_pool.total;
	reserved = vmarena_pool.reserved;
	max = vmarena_pool.max_pages;
	low = vmarena_pool.low_water;
	for (i = 0; i < VMARENA_PAGE_NR_STATES; i++) {
		count[i] = vmarena_pool.count[i];
		queued[i] = 0;
		if (i != VMARENA_PAGE_BUSY)
			list_for_each(pos, &vmarena_pool.queue[i])
				queued[i]++;
	}
	spin_lock(&vmarena_commit_lock);
	used = vmarena_committed;
	limit = vmarena_commit_limit;
	spin_unlock(&vmarena_commit_lock);
	spin_unlock(&vmarena_pageq_lock);

	seq_printf(m, "pool total %lu max %lu reserved %lu low %lu\n", total, max, reserved, low);
	for (i = 0; i < VMARENA_PAGE_NR_STATES; i++) {
		seq_printf(m, "state %s count %lu queue ", vmarena_page_state_name(i), count[i]);
		if (i == VMARENA_PAGE_BUSY)
			seq_puts(m, "-\n");
		else
			seq_printf(m, "%lu\n", queued[i]);
	}
	seq_printf(m, "commit used %llu limit %llu\n", used, limit);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_pool_dump);

/**
 * vmarena_commit_charge() - commit @bytes more
 * @bytes: how many
 *
 * Context: takes m; the caller may hold any lock but m.  Does not sleep.
 *
 * Return: 0, or -ENOMEM (nothing charged) when the limit would be passed.
 */
int vmarena_commit_charge(u64 bytes)
{
	int ret = -ENOMEM;

	spin_lock(&vmarena_commit_lock);
	if (vmarena_committed <= vmarena_commit_limit &&
	    bytes <= vmarena_commit_limit - vmarena_committed) {
		vmarena_committed += bytes;
		ret = 0;
	}
	spin_unlock(&vmarena_commit_lock);
	if (ret)
		vmarena_event_commit_exhausted(bytes);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_commit_charge);

/**
 * vmarena_commit_uncharge() - give back @bytes of commitment
 * @bytes: how many; more than is committed is a bug, warned about once
 *         and clamped to what is committed
 *
 * Context: takes m; the caller may hold any lock but m.  Does not sleep.
 */
void vmarena_commit_uncharge(u64 bytes)
{
	spin_lock(&vmarena_commit_lock);
	if (WARN_ON_ONCE(bytes > vmarena_committed))
		bytes = vmarena_committed;
	vmarena_committed -= bytes;
	spin_unlock(&vmarena_commit_lock);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_commit_uncharge);

/**
 * vmarena_commit_set_limit() - set the commit limit
 * @limit: bytes; may be below what is committed (later charges then fail)
 *
 * Context: takes m; the caller may hold any lock but m.  Does not sleep.
 *
 * Return: the old limit.
 */
u64 vmarena_commit_set_limit(u64 limit)
{
	u64 old;

	spin_lock(&vmarena_commit_lock);
	old = vmarena_commit_limit;
	vmarena_commit_limit = limit;
	spin_unlock(&vmarena_commit_lock);
	return old;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_commit_set_limit);

/**
 * vmarena_page_set_max_pages() - change the cap
 * @max: the new cap in pages; 0 means no page at all, not the default
 *
 * Lowering the cap gives back pooled pages (free, then clear) until the
 * pool fits under it or has none left; owned pages stay until the page
 * daemon, woken here, pages them out.  The low watermark and the
 * max_pages parameter follow the cap.
 *
 * Context: none held.  Does not sleep.
 *
 * Return: the old cap.
 */
unsigned long vmarena_page_set_max_pages(unsigned long max)
{
	LIST_HEAD(victims);
	unsigned long old, low, high;

	vmarena_pagedaemon_watermarks(max, &low, &high);
	spin_lock(&vmarena_pageq_lock);
	old = vmarena_pool.max_pages;
	vmarena_pool.max_pages = max;
	vmarena_pool.low_water = low;
	vmarena_pool_evict_locked(max, &victims);
	spin_unlock(&vmarena_pageq_lock);
	/* What sysfs shows; the parameter's writers also hold its lock. */
	WRITE_ONCE(max_pages, max);
	vmarena_page_release_list(&victims);
	if (max < old)
		vmarena_pagedaemon_wake();
	return old;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_page_set_max_pages);

/*
 * Writing the max_pages parameter at run time: the value must be above 0
 * and not below the pages that cannot be paged out (wired and busy ones).
 * At load time (before the pool exists) any value is taken; 0 then means
 * the default, a quarter of RAM.  Writers are serialised by the kernel's
 * parameter lock.
 */
static int vmarena_max_pages_set(const char *val, const struct kernel_param *kp)
{
	unsigned long v, pinned;
	bool ready;
	int ret;

	ret = kstrtoul(val, 0, &v);
	if (ret)
		return ret;
	spin_lock(&vmarena_pageq_lock);
	ready = vmarena_pool.ready;
	pinned = vmarena_pool.count[VMARENA_PAGE_WIRED] + vmarena_pool.count[VMARENA_PAGE_BUSY];
	spin_unlock(&vmarena_pageq_lock);
	if (!ready) {
		*(unsigned long *)kp->arg = v;
		return 0;
	}
	if (!v || v < pinned)
		return -EINVAL;
	vmarena_page_set_max_pages(v);
	return 0;
}

static const struct kernel_param_ops vmarena_max_pages_ops = {
	.set = vmarena_max_pages_set,
	.get = param_get_ulong,
};

/*
 * For the clear worker (clear.c): a page of identity free to zero, in the
 * busy state.  A free page (*@zeroed false) when there is one; otherwise a
 * zeroed page from the kernel (*@zeroed true) if the cap allows.  NULL
 * once the clear queue holds @target pages, or when there is neither.
 * Context: none held; sleeps.
 */
struct vmarena_page *vmarena_pool_take_for_clear(unsigned long target, bool *zeroed)
{
	struct vmarena_page *p = NULL;
	bool fresh = false;

	might_sleep();

	spin_lock(&vmarena_pageq_lock);
	if (vmarena_pool.count[VMARENA_PAGE_CLEAR] < target) {
		p = vmarena_pool_take_locked(VMARENA_PAGE_FREE);
		if (!p)
			fresh = vmarena_pool_reserve_locked(1);
	}
	spin_unlock(&vmarena_pageq_lock);

	*zeroed = fresh;
	if (!fresh)
		return p;

	/* In a worker: the charge goes to the root memory cgroup. */
	p = vmarena_page_new(0, true);
	spin_lock(&vmarena_pageq_lock);
	if (p)
		vmarena_pool_account_locked(p, VMARENA_PAGE_ID_FREE);
	else
		vmarena_pool.reserved--;
	spin_unlock(&vmarena_pageq_lock);
	return p;
}

/*
 * For the clear worker: @p, from vmarena_pool_take_for_clear() and now
 * zeroed, goes on the clear queue.  busy -> clear is not a transition of
 * page.h, so it is made as busy -> free -> clear under one hold of q.
 * Context: q not held.
 */
void vmarena_pool_put_clear(struct vmarena_page *p)
{
	spin_lock(&vmarena_pageq_lock);
	WARN_ON_ONCE(p->identity != VMARENA_PAGE_ID_FREE);
	WARN_ON_ONCE(vmarena_page_move_locked(p, VMARENA_PAGE_FREE));
	WARN_ON_ONCE(vmarena_page_move_locked(p, VMARENA_PAGE_CLEAR));
	spin_unlock(&vmarena_pageq_lock);
}

/*
 * For the clear worker: is the clear queue below @target?
 * Context: q held.
 */
bool vmarena_pool_clear_wanted_locked(unsigned long target)
{
	lockdep_assert_held(&vmarena_pageq_lock);

	return vmarena_pool.count[VMARENA_PAGE_CLEAR] < target;
}

/*
 * For the page daemon: the page at the head of the queue of @state (active,
 * inactive or modified), moved to the tail first so that the next call
 * looks at the next page whatever becomes of this one (a clock hand).  NULL
 * when the queue is empty.  The caller reads the page's owner fields under
 * q, which keeps the owner alive (see pagedaemon.c).  Context: q held.
 */
struct vmarena_page *vmarena_pool_rotate_locked(enum vmarena_page_state state)
{
	struct vmarena_page *p;

	lockdep_assert_held(&vmarena_pageq_lock);

	if (state != VMARENA_PAGE_ACTIVE && state != VMARENA_PAGE_INACTIVE &&
	    state != VMARENA_PAGE_MODIFIED)
		return NULL;
	p = list_first_entry_or_null(&vmarena_pool.queue[state], struct vmarena_page, queue);
	if (p)
		list_move_tail(&p->queue, &vmarena_pool.queue[state]);
	return p;
}

/* How many pages are in @state.  Context: q not held. */
unsigned long vmarena_pool_count(enum vmarena_page_state state)
{
	unsigned long n;

	spin_lock(&vmarena_pageq_lock);
	n = vmarena_pool.count[state];
	spin_unlock(&vmarena_pageq_lock);
	return n;
}

/*
 * Every clear page back to the free queue (clear -> free).  Returns how
 * many moved.  Context: q not held.  Does not sleep.
 */
unsigned long vmarena_pool_drain_clear(void)
{
	struct vmarena_page *p;
	unsigned long n = 0;

	spin_lock(&vmarena_pageq_lock);
	while ((p = list_first_entry_or_null(&vmarena_pool.queue[VMARENA_PAGE_CLEAR],
					     struct vmarena_page, queue))) {
		if (WARN_ON_ONCE(vmarena_page_move_locked(p, VMARENA_PAGE_FREE)))
			break;
		n++;
	}
	spin_unlock(&vmarena_pageq_lock);
	return n;
}

/**
 * vmarena_page_init() - set up the pool
 *
 * Context: none; runs before anything else in the module.
 *
 * Return: 0 or -ENOMEM.
 */
int vmarena_page_init(void)
{
	unsigned long high;
	unsigned int i;

	vmarena_page_cachep = KMEM_CACHE(vmarena_page, SLAB_ACCOUNT);
	if (!vmarena_page_cachep)
		return -ENOMEM;

	for (i = 0; i < VMARENA_PAGE_NR_STATES; i++) {
		INIT_LIST_HEAD(&vmarena_pool.queue[i]);
		vmarena_pool.count[i] = 0;
	}
	vmarena_pool.total = 0;
	vmarena_pool.reserved = 0;
	vmarena_pool.clear_hits = 0;
	vmarena_pool.clear_misses = 0;

	/* Parameters left at 0 show their effective value in sysfs. */
	if (!max_pages)
		max_pages = totalram_pages() / 4;
	vmarena_pool.max_pages = max_pages;
	vmarena_pagedaemon_watermarks(max_pages, &vmarena_pool.low_water, &high);
	if (!max_commit)
		max_commit = max_pages > (U64_MAX >> PAGE_SHIFT) ?
			     U64_MAX : (u64)max_pages << PAGE_SHIFT;
	vmarena_commit_limit = max_commit;
	vmarena_committed = 0;
	spin_lock(&vmarena_pageq_lock);
	vmarena_pool.ready = true;
	spin_unlock(&vmarena_pageq_lock);
	return 0;
}

/**
 * vmarena_page_uninit() - give every page back to the kernel
 *
 * Pages still owned at this point were leaked by their owner: they are
 * counted, reported with one WARN_ON and freed all the same, since nothing
 * can use them once the module is gone.  Commitment left over is reported
 * the same way.
 *
 * Context: none held; runs after the clear worker is stopped, when nothing
 * else in the module runs.
 */
void vmarena_page_uninit(void)
{
	struct vmarena_page *p;
	unsigned long pfn, leaked = 0;

	spin_lock(&vmarena_pageq_lock);
	vmarena_pool.ready = false;
	spin_unlock(&vmarena_pageq_lock);
	xa_for_each(&vmarena_pfns, pfn, p) {
		spin_lock(&vmarena_pageq_lock);
		if (p->identity != VMARENA_PAGE_ID_FREE)
			leaked++;
		vmarena_pool_forget_locked(p);
		spin_unlock(&vmarena_pageq_lock);
		vmarena_page_release(p);
		cond_resched();
	}
	if (WARN_ON(leaked))
		pr_err("vmarena: %lu pages still owned at unload\n", leaked);
	WARN_ON(vmarena_pool.total || vmarena_pool.reserved);
	if (WARN_ON(vmarena_committed))
		pr_err("vmarena: %llu bytes still committed at unload\n", vmarena_committed);
	xa_destroy(&vmarena_pfns);
	kmem_cache_destroy(vmarena_page_cachep);
}
