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
 * area or cache ends.  Pages come only from what the pool can spare above
 * its low watermark (VMARENA_ALLOC_SPARE), without sleeping: fault-ahead
 * never makes the page daemon page out, and the first page it cannot have
 * ends the run.  A page filled ahead of a write fault is modified at once
 * and mapped writable, as the faulting page is (written pages would
 * otherwise fault again for write tracking); ahead of a read fault it is
 * active and mapped with the area's protection, as a read fault maps.
 *
 * The counter VMARENA_STAT_FAULTS_AHEAD counts the pages filled ahead, so
 * that faults per page stay honest (tests/bench reports them).
 */
#include <linux/moduleparam.h>
#include <kunit/visibility.h>

#include "vmarena.h"

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

/* May @cache have pages filled ahead at all?  Its c held. */
static bool vmarena_fault_ahead_allowed(struct vmarena_cache *cache)
{
	lockdep_assert_held(&cache->lock);

	return !cache->source && cache->store->ops->type == VMARENA_STORE_ANON;
}

/*
 * Fill and map one page at @offset of @cache, @va of @as.  Returns false
 * (nothing changed) when the page is there already or cannot be had.
 */
static bool vmarena_fault_ahead_one(struct vmarena_aspace *as, struct vmarena_cache *cache,
				    unsigned long va, pgoff_t offset,
				    enum vmarena_page_state state, u32 prot)
{
	const struct vmarena_store_ops *ops = cache->store->ops;
	struct vmarena_page *page;

	if (vmarena_cache_lookup_page(cache, offset) ||
	    (ops->has_page && ops->has_page(cache->store, offset)))
		return false;
	page = vmarena_page_alloc(cache, offset, VMARENA_ALLOC_ZERO | VMARENA_ALLOC_NOWAIT |
				  VMARENA_ALLOC_SPARE);
	if (!page)
		return false;
	if (vmarena_cache_insert_page(cache, page)) {
		vmarena_page_free(page);
		return false;
	}
	page->busy = false;
	WARN_ON_ONCE(vmarena_page_set_state(page, state));
	if (vmarena_ptfrag_map(&as->frag, va, vmarena_page_pfn(page), prot)) {
		vmarena_cache_remove_page(cache, page);
		vmarena_page_free(page);
		return false;
	}
	vmarena_stat_inc(VMARENA_STAT_FAULTS_AHEAD);
	return true;
}

/**
 * vmarena_fault_ahead() - fill the pages after a zero-fill fault
 * @as: the aspace, its a held for reading
 * @area: the faulting area, in @as
 * @cache: @area's cache, where the fault just put a zero page; c held
 * @addr: the faulting address (page aligned)
 * @offset: its page index in @cache
 * @max: at most this many pages (what the caller can map after @addr)
 * @prot: the protection the faulting page was mapped with
 * @state: the state the faulting page was given (active or modified)
 *
 * Called after every zero fill of a fault whose caller maps pages around
 * the fault; decides itself whether the fault was sequential.
 *
 * Context: process context; a and c held.  Does not sleep for memory.
 * Return: how many pages it filled and mapped after @addr.
 */
unsigned long vmarena_fault_ahead(struct vmarena_aspace *as, struct vmarena_area *area,
				  struct vmarena_cache *cache, unsigned long addr, pgoff_t offset,
				  unsigned long max, u32 prot, unsigned int state)
{
	unsigned long n = 0;
	unsigned long end = area->base + area->size;

	lockdep_assert_held(&as->lock);
	lockdep_assert_held(&cache->lock);

	max = min_t(unsigned long, max, READ_ONCE(fault_ahead));
	if (offset && offset == cache->ahead_next && vmarena_fault_ahead_allowed(cache) &&
	    (state == VMARENA_PAGE_ACTIVE || state == VMARENA_PAGE_MODIFIED)) {
		while (n < max) {
			unsigned long va = addr + (n + 1) * PAGE_SIZE;

			if (va >= end || offset + n + 1 >= cache->virtual_end ||
			    !vmarena_fault_ahead_one(as, cache, va, offset + n + 1, state, prot))
				break;
			n++;
		}
	}
	cache->ahead_next = offset + n + 1;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_fault_ahead);
