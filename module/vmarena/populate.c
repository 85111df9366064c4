// SPDX-License-Identifier: GPL-2.0
/*
 * Populating windows: hand the resident pages of an aspace range to the
 * Linux layer in batches, under the locks that keep them from going away,
 * so that a window can be mapped without faults (wired areas at mmap).
 */
#include <kunit/visibility.h>

#include "vmarena.h"

struct vmarena_populate {
	vmarena_populate_t cb;
	void *arg;
	unsigned long addr;		/* of pages[0] */
	u32 prot;
	bool by_pfn;			/* file pages: see vmarena_populate_t */
	unsigned long count;
	struct page *pages[VMARENA_POPULATE_BATCH];
};

/*
 * Hand the batch to the callback.
 * Context: a held for reading, c of the area's chain held (f too, but for
 * a run's last batch); the callback takes the PTL.
 */
static void vmarena_populate_flush(struct vmarena_populate *p)
{
	if (p->count)
		p->cb(p->arg, p->addr, p->pages, p->count, p->prot, p->by_pfn);
	p->count = 0;
}

/*
 * Add the page at @addr to the batch, flushing when it cannot extend it.
 * Context: as for vmarena_populate_flush(), f held.
 */
static void vmarena_populate_add(struct vmarena_populate *p, unsigned long addr,
				 struct page *page, u32 prot, bool by_pfn)
{
	if (p->count && (p->count == VMARENA_POPULATE_BATCH || prot != p->prot ||
			 by_pfn != p->by_pfn || addr != p->addr + p->count * PAGE_SIZE))
		vmarena_populate_flush(p);
	if (!p->count) {
		p->addr = addr;
		p->prot = prot;
		p->by_pfn = by_pfn;
	}
	p->pages[p->count++] = page;
}

/*
 * One fragment entry: add its page to the batch.
 * Context: a held for reading, c of the area's chain and f held.
 */
static int vmarena_populate_one(void *arg, unsigned long va, const struct vmarena_pte_info *info)
{
	struct vmarena_page *page = vmarena_page_from_pfn(info->pfn);

	if (page)	/* device memory is left to faults */
		vmarena_populate_add(arg, va, page->page, info->prot, vmarena_page_is_file(page));
	return 0;
}

/*
 * The resident pages of @area in [@start, @end), in one walk of the
 * fragments (which skips unmapped tables whole).  @p's callback runs
 * under the fragment lock too and must not touch them.
 * Context: a held for reading, c of the area's chain held; takes f, and
 * the callback the PTL.
 */
static void vmarena_populate_area(struct vmarena_populate *p, struct vmarena_area *area,
				  unsigned long start, unsigned long end)
{
	lockdep_assert_held_read(&area->aspace->lock);
	vmarena_cache_assert_chain_locked(area->cache);
	vmarena_ptfrag_walk(&area->aspace->frag, start, end - start, vmarena_populate_one, p);
	vmarena_populate_flush(p);
}

/* Does @flags want @area's pages?  Context: a held. */
static bool vmarena_populate_wants(const struct vmarena_area *area, unsigned int flags)
{
	return !(flags & VMARENA_POPULATE_WIRED) || area->wiring != VMARENA_WIRING_LAZY;
}

/**
 * vmarena_populate() - hand the resident pages of [@start, @end) to @cb
 * @as: held
 * @start: page aligned
 * @end: page aligned
 * @flags: VMARENA_POPULATE_WIRED: only areas that are not lazy
 * @cb: called with @as locked for read, the area's cache chain locked and
 *	(for all but a run's last batch) the fragment lock held,
 *	with runs of pages contiguous in address that share one protection
 *	and one kind (arena pages, or file pages to map by pfn)
 * @arg: for @cb
 *
 * Context: no vmarena lock held (mmap_lock may be); takes a for reading,
 * then c of each area's chain, f, and @cb the PTL.  Sleeps.
 */
void vmarena_populate(struct vmarena_aspace *as, unsigned long start, unsigned long end,
		      unsigned int flags, vmarena_populate_t cb, void *arg)
{
	struct vmarena_populate *p;
	struct vmarena_area *area;
	struct rb_node *node;

	might_sleep();
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return;		/* best effort: faults will do it */
	p->cb = cb;
	p->arg = arg;
	down_read(&as->lock);
	for (node = rb_first(&as->areas); node; node = rb_next(node)) {
		area = rb_entry(node, struct vmarena_area, node);
		if (area->base >= end)
			break;
		if (area->base + area->size <= start || !vmarena_populate_wants(area, flags))
			continue;
		vmarena_cache_lock_chain(area->cache);
		vmarena_populate_area(p, area, max(start, area->base),
				      min(end, area->base + area->size));
		vmarena_cache_unlock_chain(area->cache);
	}
	up_read(&as->lock);
	kfree(p);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_populate);
