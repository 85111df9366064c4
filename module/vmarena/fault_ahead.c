// SPDX-License-Identifier: GPL-2.0
/*
 * Fault-ahead: zero-fill clustering for sequential first touches.
 *
 * A zero-fill fault at the offset where the cache's previous zero fill (or
 * fill ahead) ended fills the pages after it too, up to fault_ahead of
 * them, and maps them in the fragments, so that the caller's fault-around
 * maps them in its window: a process that writes through fresh anonymous
 * memory takes one fault per run of pages instead of one per page.  Linux
 * gets the same for anonymous memory from transparent huge pages (512 pages
 * per fault) and for files from readahead; a fault that does not follow the
 * last one fills nothing ahead, so random access costs nothing more.
 *
 * Only pages nobody has: the cache is the top and only cache of the chain
 * (no source below to show through), its store is anonymous, and the run
 * stops at the first page the cache holds, the store keeps (swap), or the
 * area or cache ends.  Pages come only from what the arena can spare
 * above the pool's low watermark (vmarena_page_alloc_spare(): pooled
 * pages, then GFP_NOWAIT pages from the kernel), without sleeping:
 * fault-ahead never makes the page daemon page out, and the first page it
 * cannot have ends the run.  The run is filled in batches (one hold of q
 * to take its pages, one to set their state, one of the fragments' lock
 * to map them).  A page filled ahead of a write fault is modified at once
 * and mapped writable, as the faulting page is (written pages would
 * otherwise fault again for write tracking); ahead of a read fault it is
 * active and mapped with the area's protection, as a read fault maps.
 *
 * The counter VMARENA_STAT_FAULTS_AHEAD counts the pages filled ahead, so
 * that faults per page stay honest (tests/bench reports them).
 *
 * Fault-around, at the end of every fault of a window: the resident pages
 * that already follow the faulting one in the fragments are handed to the
 * window in one batch, to be mapped there too.
 */
#include <linux/build_bug.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <kunit/visibility.h>

#include "fault_internal.h"

/* At most VMARENA_FAULT_AROUND: a fill is one batch of that size. */
static_assert(VMARENA_FAULT_AHEAD_DEFAULT <= VMARENA_FAULT_AROUND);
static unsigned int fault_ahead = VMARENA_FAULT_AHEAD_DEFAULT;

static int vmarena_fault_ahead_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	if (n > VMARENA_FAULT_AROUND)
		return -EINVAL;
	WRITE_ONCE(fault_ahead, n);
	return 0;
}

static const struct kernel_param_ops vmarena_fault_ahead_ops = {
	.set = vmarena_fault_ahead_set,
	.get = param_get_uint,
};

module_param_cb(fault_ahead, &vmarena_fault_ahead_ops, &fault_ahead, 0644);
MODULE_PARM_DESC(fault_ahead,
		 "Pages a sequential zero-fill fault fills and maps after the faulting one (0-16, 0 disables); writable");

/*
 * May @cache, where a fault in @area filled a page, have pages filled
 * ahead at all?  Only as @area's own cache with no source, and never for
 * a VMARENA_AREA_LAZY area (nothing before its first touch).
 * Context: a and c of @cache held.
 */
static bool vmarena_fault_ahead_allowed(struct vmarena_area *area, struct vmarena_cache *cache)
{
	lockdep_assert_held(&cache->lock);

	return !(area->flags & VMARENA_AREA_LAZY) && cache == area->cache && !cache->source &&
	       cache->store->ops->type == VMARENA_STORE_ANON;
}

/*
 * How many pages from @offset on nobody has, at most @max: the run stops at
 * a page @cache holds or its store keeps (swap).
 * Context: c held; the store's lookup takes s.
 */
static unsigned int vmarena_fault_ahead_room(struct vmarena_cache *cache, pgoff_t offset,
					     unsigned int max)
{
	const struct vmarena_store_ops *ops = cache->store->ops;
	unsigned int n;

	lockdep_assert_held(&cache->lock);

	for (n = 0; n < max; n++)
		if (vmarena_cache_lookup_page(cache, offset + n) ||
		    (ops->has_page && ops->has_page(cache->store, offset + n)))
			break;
	return n;
}

/*
 * Fill @n pages from @offset of @cache and map them from @va of @as, in
 * batches: one hold of q to take them, one to move them to @state, one of
 * the fragments' lock to map them.  Returns how many are in place; the
 * others went back to the pool.
 * Context: a held for reading, c held; takes q, then f.  Does not sleep
 * for memory.
 */
static unsigned int vmarena_fault_ahead_fill(struct vmarena_aspace *as,
					     struct vmarena_cache *cache, unsigned long va,
					     pgoff_t offset, unsigned int n,
					     enum vmarena_page_state state, u32 prot)
{
	struct vmarena_page *pages[VMARENA_FAULT_AROUND];
	unsigned long pfns[VMARENA_FAULT_AROUND];
	unsigned int got, in, mapped, i;

	lockdep_assert_held_read(&as->lock);
	lockdep_assert_held(&cache->lock);
	got = vmarena_page_alloc_spare(cache, offset, n, pages);
	if (!got)
		return 0;
	for (in = 0; in < got; in++) {
		if (vmarena_cache_insert_page(cache, pages[in]))
			break;
		pages[in]->busy = false;
		pfns[in] = vmarena_page_pfn(pages[in]);
	}
	WARN_ON_ONCE(vmarena_page_free_batch(pages + in, got - in) != got - in);
	WARN_ON_ONCE(vmarena_page_set_states(pages, in, state));
	mapped = vmarena_ptfrag_map_run(&as->frag, va, pfns, in, prot);
	for (i = mapped; i < in; i++)
		vmarena_cache_remove_page(cache, pages[i]);
	WARN_ON_ONCE(vmarena_page_free_batch(pages + mapped, in - mapped) != in - mapped);
	return mapped;
}

/**
 * vmarena_fault_ahead() - fill the pages after a zero-fill fault
 * @as: the aspace, its a held for reading
 * @area: the faulting area, in @as
 * @cache: the cache of @area's chain where the fault just put a zero page;
 *	c held
 * @addr: the faulting address (page aligned)
 * @offset: its page index in @cache
 * @max: at most this many pages (what the caller can map after @addr)
 * @prot: the protection the faulting page was mapped with
 * @state: the state the faulting page was given (active or modified)
 *
 * Called after every zero fill of a fault whose caller maps pages around
 * the fault; decides itself whether the fault was sequential.
 *
 * Context: a held for reading, c of @cache held; takes q, then f.  Does not
 * sleep for memory.
 * Return: how many pages it filled and mapped after @addr.
 */
unsigned long vmarena_fault_ahead(struct vmarena_aspace *as, struct vmarena_area *area,
				  struct vmarena_cache *cache, unsigned long addr, pgoff_t offset,
				  unsigned long max, u32 prot, unsigned int state)
{
	unsigned long n = 0;
	unsigned long end = area->base + area->size;

	lockdep_assert_held_read(&as->lock);
	lockdep_assert_held(&cache->lock);

	if (offset && offset == cache->ahead_next && vmarena_fault_ahead_allowed(area, cache) &&
	    (state == VMARENA_PAGE_ACTIVE || state == VMARENA_PAGE_MODIFIED)) {
		max = min3(max, (unsigned long)READ_ONCE(fault_ahead),
			   (end - addr) / PAGE_SIZE - 1);
		max = min(max, cache->virtual_end - offset - 1);
		n = vmarena_fault_ahead_room(cache, offset + 1, max);
		if (n)
			n = vmarena_fault_ahead_fill(as, cache, addr + PAGE_SIZE, offset + 1, n,
						     state, prot);
		vmarena_stat_add(VMARENA_STAT_FAULTS_AHEAD, n);
	}
	cache->ahead_next = offset + n + 1;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_fault_ahead);

struct vmarena_fault_around_batch {
	unsigned long next;			/* the address the run needs next */
	unsigned long count;
	unsigned long writable;			/* leading pages mapped writable */
	struct page *pages[VMARENA_FAULT_AROUND];
};

/*
 * One fragment entry after the fault: extend the run, or end it.  The
 * page's owner is in the locked chain, so its state (c,q) is stable.
 * Context: c of the chain and f held.
 */
static int vmarena_fault_around_one(void *arg, unsigned long va,
				    const struct vmarena_pte_info *info)
{
	struct vmarena_fault_around_batch *b = arg;
	struct vmarena_page *page;

	if (va != b->next)
		return 1;	/* a hole ends the run */
	page = vmarena_page_from_pfn(info->pfn);
	if (!page || vmarena_page_is_file(page))
		return 1;	/* device memory and file pages are left to faults */
	if (b->writable == b->count && info->prot & VMARENA_PROT_WRITE &&
	    page->state == VMARENA_PAGE_MODIFIED)
		b->writable++;
	b->pages[b->count++] = page->page;
	b->next += PAGE_SIZE;
	return 0;
}

/*
 * Hand the resident pages that follow the fault in its area to the caller's
 * fault-around.  They are mapped in the fragments, so their owners are in
 * the locked chain and they cannot go away meanwhile.  One walk of the
 * fragments, under their lock once.
 * Context: a held for reading, c of the chain held; takes f, and @around
 * the PTL.
 */
void vmarena_fault_around(struct vmarena_fault *f)
{
	struct vmarena_fault_around_batch b = { .next = f->addr + PAGE_SIZE };
	unsigned long end;

	lockdep_assert_held_read(&f->as->lock);
	vmarena_cache_assert_chain_locked(f->top);
	end = min(f->area->base + f->area->size,
		  f->addr + (min(f->around_max, ARRAY_SIZE(b.pages)) + 1) * PAGE_SIZE);
	if (end <= b.next)
		return;
	vmarena_ptfrag_walk(&f->as->frag, b.next, end - b.next, vmarena_fault_around_one, &b);
	if (b.count)
		f->around(f->install_arg, f->addr + PAGE_SIZE, b.pages, b.count, b.writable);
}
