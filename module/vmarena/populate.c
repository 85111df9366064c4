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
	unsigned long count;
	struct page *pages[VMARENA_POPULATE_BATCH];
};

static void vmarena_populate_flush(struct vmarena_populate *p)
{
	if (p->count)
		p->cb(p->arg, p->addr, p->pages, p->count, p->prot);
	p->count = 0;
}

/* Add the page at @addr to the batch, flushing when it cannot extend it. */
static void vmarena_populate_add(struct vmarena_populate *p, unsigned long addr,
				 struct page *page, u32 prot)
{
	if (p->count && (p->count == VMARENA_POPULATE_BATCH || prot != p->prot ||
			 addr != p->addr + p->count * PAGE_SIZE))
		vmarena_populate_flush(p);
	if (!p->count) {
		p->addr = addr;
		p->prot = prot;
	}
	p->pages[p->count++] = page;
}

/* The resident pages of @area in [@start, @end).  Chain locked. */
static void vmarena_populate_area(struct vmarena_populate *p, struct vmarena_area *area,
				  unsigned long start, unsigned long end)
{
	struct vmarena_pte_info info;
	struct vmarena_page *page;
	unsigned long addr;

	lockdep_assert_held(&area->cache->lock);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		if (vmarena_ptfrag_lookup(&area->aspace->frag, addr, &info))
			continue;
		page = vmarena_page_from_pfn(info.pfn);
		if (page)	/* device memory is left to faults */
			vmarena_populate_add(p, addr, page->page, info.prot);
	}
	vmarena_populate_flush(p);
}

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
 * @cb: called with @as locked for read and the area's cache chain locked,
 *	with runs of pages contiguous in address that share one protection
 * @arg: for @cb
 *
 * Context: may sleep; no vmarena lock held.
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
