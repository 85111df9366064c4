// SPDX-License-Identifier: GPL-2.0
/*
 * Wiring records (area.h, "Wiring"): each wiring an area holds on a page
 * is recorded by page index and released through that record; and the
 * faulting-in of a range that wires or makes pages resident.  Lock keys:
 * locking.h.
 */
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "vmarena.h"

/* @page loses one wiring.  Context: c of @page's owner held; takes q. */
static void vmarena_area_unwire_one(struct vmarena_page *page)
{
	lockdep_assert_held(&page->cache->lock);
	if (WARN_ON_ONCE(!page->wired_count))
		return;
	if (!--page->wired_count)
		vmarena_cache_page_unwired(page->cache, page);
}

/* @page gains one wiring.  Context: c of @page's owner held; takes q. */
static void vmarena_area_wire_one(struct vmarena_page *page)
{
	lockdep_assert_held(&page->cache->lock);
	if (!page->wired_count++ && page->state != VMARENA_PAGE_WIRED)
		vmarena_page_set_state(page, VMARENA_PAGE_WIRED);
}

/**
 * vmarena_area_wire_page() - record that @area wires @page at @index
 * @area: its aspace locked; wired or super-wired
 * @index: page index in @area
 * @page: the page @area's chain resolves @index to now
 *
 * Wires @page once for @area, unless @area's record has it already; a page
 * the record held there before (which only a bug leaves behind) loses its
 * wiring.  Returns 0 or -ENOMEM (nothing changed).
 * Context: a held, and C: @area's chain locked; takes q; may sleep (allocates).
 */
int vmarena_area_wire_page(struct vmarena_area *area, unsigned long index,
			   struct vmarena_page *page)
{
	struct vmarena_page *old;

	lockdep_assert_held(&area->aspace->lock);
	lockdep_assert_held(&area->cache->lock);
	old = xa_load(&area->wired, index);
	if (old == page)
		return 0;
	if (xa_err(xa_store(&area->wired, index, page, GFP_KERNEL_ACCOUNT)))
		return -ENOMEM;
	vmarena_area_wire_one(page);
	if (WARN_ON_ONCE(old))
		vmarena_area_unwire_one(old);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_wire_page);

/**
 * vmarena_area_rewire_page() - @area's chain resolves @index to @new now
 * @area: an area whose chain holds @old's owner
 * @index: page index in @area
 * @old: the page it resolved to before (a copy-up's source, a dropped page)
 * @new: the copy that replaces it, or NULL (@old leaves and nothing comes)
 *
 * If @area's record wires @old at @index, the wiring moves to @new (or
 * goes), so that no one sees @area with neither page wired.
 * Context: C: @old's owner and @new's (if any) locked, and l; takes q.
 */
void vmarena_area_rewire_page(struct vmarena_area *area, unsigned long index,
			      struct vmarena_page *old, struct vmarena_page *new)
{
	lockdep_assert_held(&vmarena_cache_link_lock);
	if (xa_load(&area->wired, index) != old)
		return;
	if (new) {
		/* The slot exists: a store there allocates nothing. */
		WARN_ON_ONCE(xa_err(xa_store(&area->wired, index, new, GFP_NOWAIT)));
		vmarena_area_wire_one(new);
	} else {
		xa_erase(&area->wired, index);
	}
	vmarena_area_unwire_one(old);
}

/*
 * Release the wirings @area's record holds in [@start, @end), whatever
 * maps there now.
 * Context: C: @area's chain locked (the owners of the pages); takes q.
 */
void vmarena_area_unwire_range(struct vmarena_area *area, unsigned long start,
			       unsigned long end)
{
	unsigned long index, first, last;
	struct vmarena_page *page;

	lockdep_assert_held(&area->cache->lock);
	if (end <= start)
		return;
	first = (start - area->base) >> PAGE_SHIFT;
	last = ((end - area->base) >> PAGE_SHIFT) - 1;
	xa_for_each_range(&area->wired, index, page, first, last) {
		xa_erase(&area->wired, index);
		vmarena_area_unwire_one(page);
	}
}

/*
 * A contiguous area takes over the wiring of its run (set when the cache
 * was filled) into its record.  Returns 0 or -ENOMEM.
 * Context: no vmarena lock held; takes a, then c.
 */
static int vmarena_area_adopt_run(struct vmarena_area *area)
{
	struct vmarena_aspace *as = area->aspace;
	struct vmarena_cache *cache = area->cache;
	unsigned long i, pages;
	struct vmarena_page *page;
	int ret = 0;

	down_read(&as->lock);
	mutex_lock(&cache->lock);
	pages = area->deleted ? 0 : area->size >> PAGE_SHIFT;
	for (i = 0; i < pages && !ret; i++) {
		page = vmarena_cache_lookup_page(cache, area->cache_offset + i);
		if (page && page->wired_count && !xa_load(&area->wired, i))
			ret = xa_err(xa_store(&area->wired, i, page, GFP_KERNEL_ACCOUNT));
	}
	mutex_unlock(&cache->lock);
	up_read(&as->lock);
	return ret;
}

/**
 * vmarena_area_fill_access() - the fault access that makes a page resident
 * @protection: the area's VMARENA_PROT_*
 * @write: fault for write where @protection allows it (copies up at once)
 *
 * Never more than @protection allows, or filling an exec-only or write-only
 * area would fail with -EACCES: read where it may be read, else execute,
 * else write.  An area without access is filled for read (only a wiring
 * fault may touch it, and it maps nothing).
 * Context: any.
 */
unsigned int vmarena_area_fill_access(u32 protection, bool write)
{
	if (protection & VMARENA_PROT_WRITE && (write || !(protection & ~VMARENA_PROT_WRITE)))
		return VMARENA_FAULT_WRITE;
	if (!(protection & VMARENA_PROT_READ) && protection & VMARENA_PROT_EXEC)
		return VMARENA_FAULT_EXEC;
	return VMARENA_FAULT_READ;
}

/*
 * Fault [@start, @end) of @as in for @access, page by page.  It may run
 * for long (a super-lock of gigabytes of file pages): it gives the CPU up
 * between pages and stops with -EINTR for a fatal signal, so that a
 * killed caller can exit.
 * Context: no vmarena lock held; sleeps (each fault takes a, c, l, f, q).
 */
int vmarena_area_fault_range(struct vmarena_aspace *as, unsigned long start,
			     unsigned long end, unsigned int access)
{
	struct vmarena_fault_result res;
	unsigned long addr;
	int ret;

	might_sleep();
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		if (fatal_signal_pending(current))
			return -EINTR;
		ret = __vmarena_fault(as, addr, access, &res);
		/* Past the end of a file there is nothing to make resident. */
		if (ret && ret != -ENXIO)
			return ret;
		if (!ret && res.page)
			put_page(res.page);
		cond_resched();
	}
	return 0;
}

/*
 * Wire (or, for already-wired, find and wire) the pages of @area in
 * [@start, @end) by faulting them in.  Returns 0 or the fault's error.
 * Context: no vmarena lock held; sleeps.
 */
int vmarena_area_wire_range(struct vmarena_area *area, unsigned long start,
			    unsigned long end)
{
	unsigned int access = vmarena_area_fill_access(READ_ONCE(area->protection), true);
	int ret;

	/* A contiguous run is wired already: the area takes its wiring over. */
	if (area->wiring == VMARENA_WIRING_CONTIGUOUS) {
		ret = vmarena_area_adopt_run(area);
		if (ret)
			return ret;
	} else {
		access |= VMARENA_FAULT_WIRE;
	}
	/* Already-wired allocates nothing. */
	if (area->wiring == VMARENA_WIRING_ALREADY_WIRED)
		access |= VMARENA_FAULT_EXISTING;
	return vmarena_area_fault_range(area->aspace, start, end, access);
}
