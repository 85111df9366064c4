// SPDX-License-Identifier: GPL-2.0
/*
 * The super-lock of an aspace: marking it and its areas (under r), the
 * memlock charges that follow, and the page loop that makes every area
 * resident, wired and mapped (under S alone).  Lock keys: locking.h.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "trace.h"

/*
 * Mark @area wired once more by the super-lock, or drop that wiring; an
 * area nothing else pins is charged to @mm for it (memlock.h), or gives that
 * charge back.  Marking wires nothing yet: vmarena_area_superfill() does,
 * without r.  Returns 0 or -ENOMEM (RLIMIT_MEMLOCK).
 * Context: S and r held, no a (account_locked_vm() takes mmap_lock);
 * takes a, then the chain's c.
 */
static int vmarena_area_superwire(struct vmarena_area *area, bool on, struct mm_struct *mm)
{
	struct vmarena_aspace *as = area->aspace;
	struct vmarena_charge charge = {};
	bool charge_it;
	int ret;

	lockdep_assert_held(&as->superlock_lock);
	lockdep_assert_held(&vmarena_resize_mutex);
	/* A reservation has no pages to pin; a deleted area none any more. */
	if (area->reservation)
		return 0;
	down_read(&as->lock);
	charge_it = on && !area->deleted && !area->superwired &&
		    area->wiring == VMARENA_WIRING_LAZY &&
		    area->lock_level == VMARENA_LOCK_UNLOCKED;
	up_read(&as->lock);
	if (charge_it) {
		ret = vmarena_memlock_charge(&charge, mm, area->size >> PAGE_SHIFT);
		if (ret)
			return ret;
	}
	down_write(&as->lock);
	if (area->deleted || area->superwired == on) {
		up_write(&as->lock);
		vmarena_memlock_uncharge(&charge);
		return 0;
	}
	area->superwired = on;
	/* Take the new charge, or give the super-lock's back. */
	if (charge.mm || (!on && !vmarena_area_pinned(area)))
		swap(charge, area->charge);
	/* A wired area keeps its wiring: it holds one per page in all. */
	if (!on && area->wiring == VMARENA_WIRING_LAZY) {
		vmarena_cache_lock_chain(area->cache);
		vmarena_area_unwire_range(area, area->base, vmarena_area_end(area));
		vmarena_cache_unlock_chain(area->cache);
	}
	up_write(&as->lock);
	vmarena_memlock_uncharge(&charge);
	return 0;
}

/*
 * Make a super-wired @area resident, wired and mapped with its final
 * protection; writable pages are privatised now (copied up), so writes
 * never fault.  Without r: other aspaces' resizes, locks and
 * super-locks need not wait while the pool makes room, page by page.  An
 * area deleted or shrunk meanwhile stops early (-EFAULT from the fault);
 * one grown meanwhile had its growth wired by the resize.  A
 * VMARENA_AREA_LAZY area gets only the pages it touched before (resident
 * or paged out); each other page is wired by its first touch.  Returns 0,
 * -ENOMEM or -EINTR.
 * Context: S held, not r; sleeps (vmarena_area_fault_range()).
 */
static int vmarena_area_superfill(struct vmarena_area *area)
{
	struct vmarena_aspace *as = area->aspace;
	unsigned long start, end;
	unsigned int access;
	bool lazy;
	int ret;

	lockdep_assert_held(&as->superlock_lock);
	lockdep_assert_not_held(&vmarena_resize_mutex);
	down_read(&as->lock);
	if (area->deleted || !area->superwired || !area->protection) {
		up_read(&as->lock);
		return 0;
	}
	access = vmarena_area_fill_access(area->protection, true) | VMARENA_FAULT_WIRE;
	start = area->base;
	end = vmarena_area_end(area);
	lazy = area->flags & VMARENA_AREA_LAZY;
	up_read(&as->lock);
	if (!lazy) {
		ret = vmarena_area_fault_range(as, start, end, access);
		return ret == -EFAULT ? 0 : ret;
	}
	/* QNX MAP_LAZY: only what was touched; the rest wires on first touch. */
	for (; start < end; start += PAGE_SIZE) {
		ret = vmarena_area_fault_range(as, start, start + PAGE_SIZE,
					       access | VMARENA_FAULT_EXISTING);
		if (ret == -EFAULT)
			return 0;
		if (ret && ret != -ENOENT)
			return ret;
	}
	return 0;
}

/* The pages an area needs resident, by the cache they are in. */
struct vmarena_area_extent {
	const void *cache;	/* a key only: never followed */
	unsigned long pages;
};

/* Order extents by cache, for sort().  Context: any. */
static int vmarena_area_extent_cmp(const void *a, const void *b)
{
	const struct vmarena_area_extent *x = a, *y = b;

	return x->cache < y->cache ? -1 : x->cache > y->cache;
}

/*
 * Can a super-lock of the areas in @list (NULL-terminated, of @as) fit in
 * the pool at all?  All their pages must be resident at once, and the pool
 * holds at most max_pages; areas sharing a cache count the largest of them
 * once.  Without this, a super-lock of gigabytes filled the arena page by
 * page, with the resize lock held, before it failed (the fuzzer's hung
 * tasks).  Reservations, device ranges and inaccessible areas need no
 * pages.
 * Context: r held; takes a, then q and m.
 */
static bool vmarena_area_superlock_fits(struct vmarena_aspace *as, struct vmarena_area **list)
{
	struct vmarena_area_extent *ext;
	struct vmarena_page_stats stats;
	unsigned long need = 0, most = 0;
	unsigned int n = 0, i;

	lockdep_assert_held(&vmarena_resize_mutex);
	for (i = 0; list[i]; i++)
		;
	ext = kvmalloc_array(max(i, 1U), sizeof(*ext), GFP_KERNEL);
	if (!ext)
		return true;	/* the page loop finds out */
	down_read(&as->lock);
	for (i = 0; list[i]; i++) {
		struct vmarena_area *area = list[i];
		unsigned int type;

		if (area->deleted || !area->protection)
			continue;
		type = area->cache->store->ops->type;
		if (type == VMARENA_STORE_NULL || type == VMARENA_STORE_DEVICE)
			continue;
		ext[n].cache = area->cache;
		ext[n++].pages = area->size >> PAGE_SHIFT;
	}
	up_read(&as->lock);
	sort(ext, n, sizeof(*ext), vmarena_area_extent_cmp, NULL);
	for (i = 0; i < n; i++) {
		if (i && ext[i].cache != ext[i - 1].cache) {
			need += most;
			most = 0;
		}
		most = max(most, ext[i].pages);
	}
	need += most;
	kvfree(ext);
	vmarena_page_get_stats(&stats);
	return need <= stats.max_pages;
}

/*
 * Mark @as and its areas super-locked (or not) and move the charges, under
 * r: what resizes and lock changes read stays still while it changes.
 * Returns the areas (referenced, NULL-terminated) for the caller to fill
 * and put, or an ERR_PTR: -ESRCH (deleting), -EINTR (killed while
 * waiting for r), -ENOMEM (no memory, the areas cannot all fit in the
 * pool, or RLIMIT_MEMLOCK).  After an error the caller releases.
 * Context: S held; takes r, then a (and what vmarena_area_superwire() takes).
 */
static struct vmarena_area **vmarena_aspace_supermark(struct vmarena_aspace *as, bool on,
						      struct mm_struct *mm)
{
	struct vmarena_area **list;
	unsigned int i;
	int ret = 0;

	lockdep_assert_held(&as->superlock_lock);
	/* A killed caller stops waiting; a release waits to the end. */
	if (!on)
		mutex_lock(&vmarena_resize_mutex);
	else if (mutex_lock_killable(&vmarena_resize_mutex))
		return ERR_PTR(-EINTR);
	down_write(&as->lock);
	if (on && as->deleting) {
		up_write(&as->lock);
		mutex_unlock(&vmarena_resize_mutex);
		return ERR_PTR(-ESRCH);
	}
	WRITE_ONCE(as->superlocked, on);
	as->change_count++;
	vmarena_generation_bump();
	up_write(&as->lock);

	list = vmarena_area_collect(as);
	if (!list)
		ret = -ENOMEM;
	else if (on && !vmarena_area_superlock_fits(as, list))
		ret = -ENOMEM;
	for (i = 0; !ret && list[i]; i++)
		ret = vmarena_area_superwire(list[i], on, mm);
	mutex_unlock(&vmarena_resize_mutex);
	if (ret) {
		vmarena_area_put_list(list);
		return ERR_PTR(ret);
	}
	return list;
}

/*
 * The pages a super-lock of @as pins that nothing else counts for ever:
 * those of its lazy areas, reservations aside (wired ones count from
 * their creation).
 * Context: S held; takes a.
 */
static unsigned long vmarena_aspace_superpages(struct vmarena_aspace *as)
{
	struct vmarena_area *area;
	unsigned long pages = 0;
	struct rb_node *node;

	lockdep_assert_held(&as->superlock_lock);
	down_read(&as->lock);
	for (node = rb_first(&as->areas); node; node = rb_next(node)) {
		area = rb_entry(node, struct vmarena_area, node);
		if (area->wiring == VMARENA_WIRING_LAZY && !area->reservation)
			pages += area->size >> PAGE_SHIFT;
	}
	up_read(&as->lock);
	return pages;
}

/*
 * Release @as's super-lock: drop its wiring and marks.
 * Context: S held.
 */
static void vmarena_aspace_superlock_off(struct vmarena_aspace *as)
{
	struct vmarena_area **list;

	lockdep_assert_held(&as->superlock_lock);
	list = vmarena_aspace_supermark(as, false, NULL);
	vmarena_area_put_list(IS_ERR(list) ? NULL : list);
}

/*
 * Super-lock @as, which nobody holds: mark it and its areas, make every
 * page resident, wired and mapped; a failure is undone.  Returns 0 or as
 * vmarena_aspace_superlock().
 * Context: S held.
 */
static int vmarena_aspace_superlock_on(struct vmarena_aspace *as)
{
	struct vmarena_area **list;
	unsigned int i;
	int ret = 0;

	lockdep_assert_held(&as->superlock_lock);
	list = vmarena_aspace_supermark(as, true, NULL);
	if (IS_ERR(list)) {
		ret = PTR_ERR(list);
		list = NULL;
	}
	for (i = 0; list && list[i] && !ret; i++)
		ret = vmarena_area_superfill(list[i]);
	vmarena_area_put_list(list);
	/* Undo a failed lock, unless it failed before marking. */
	if (ret && READ_ONCE(as->superlocked))
		vmarena_aspace_superlock_off(as);
	return ret;
}

/*
 * Take @rec's super-lock of @as: charge it, super-lock @as if nobody held
 * it, record it.  Returns 0 (@rec is recorded) or as
 * vmarena_aspace_superlock().
 * Context: S held.
 */
static int vmarena_aspace_superlock_take(struct vmarena_aspace *as, struct vmarena_lockrec *rec)
{
	int ret;

	lockdep_assert_held(&as->superlock_lock);
	ret = vmarena_lockrec_charge(rec, vmarena_aspace_superpages(as));
	if (ret)
		return ret;
	if (!READ_ONCE(as->superlocked)) {	/* S keeps it still */
		ret = vmarena_aspace_superlock_on(as);
	} else {
		down_read(&as->lock);
		ret = as->deleting ? -ESRCH : 0;
		up_read(&as->lock);
	}
	if (!ret)
		vmarena_lockrec_super_add(as, rec);
	return ret;
}

/**
 * vmarena_aspace_superlock() - take or release @mm's super-lock of @as
 * @as: held
 * @on: lock or unlock
 * @mm: the process taking or releasing it (NULL: the kernel's)
 *
 * QNX's super-locked state: every page of every area (reservations aside)
 * is made resident, copied up where a write would copy it, wired and
 * mapped in the fragments with its final protection, so that nothing in
 * the aspace faults any more; areas created meanwhile are created wired.
 * Then every window of it, in every process, maps it all
 * (vmarena_aspace_populate()).
 *
 * The super-lock belongs to the processes that took it, as area locks do
 * (vmarena_area_change_lock(), lockrec.h): several may hold it, each
 * once, and @as stays super-locked while any does; a release by a process
 * that does not hold it changes nothing and succeeds.  Each holder counts
 * the size of every lazy area (reservations aside) against its
 * RLIMIT_MEMLOCK until it releases, exits or execs, or @as is deleted.
 * When the last holder goes, the wiring the super-lock added is dropped;
 * the areas' own locks stay.
 *
 * Changes of one aspace are serialised by its S; the page loop runs
 * without r, so that a super-lock waiting for the page daemon to make room
 * holds up nothing outside its aspace (the fuzzer's hung tasks).
 *
 * Context: no vmarena lock held; sleeps.  Return: 0, -ESRCH (deleting),
 * -ENOMEM (memory: at once if the areas cannot all fit under max_pages;
 * or RLIMIT_MEMLOCK) or -EINTR (the caller was killed meanwhile); a failed
 * lock is undone.
 */
int vmarena_aspace_superlock(struct vmarena_aspace *as, bool on, struct mm_struct *mm)
{
	struct vmarena_lockrec *rec = NULL;
	int ret = 0;

	might_sleep();
	vmarena_lockrec_sweep();
	if (on) {
		rec = vmarena_lockrec_alloc(mm);
		if (!rec)
			return -ENOMEM;
	}
	if (mutex_lock_killable(&as->superlock_lock)) {
		vmarena_lockrec_free(rec);
		return -EINTR;
	}
	if (!on) {
		rec = vmarena_lockrec_super_take(as, mm);
		if (rec && !vmarena_lockrec_super_any(as))
			vmarena_aspace_superlock_off(as);
	} else if (!vmarena_lockrec_super_held(as, mm)) {
		ret = vmarena_aspace_superlock_take(as, rec);
		if (!ret)
			rec = NULL;
	}
	/* Every window, in every process, maps it all: no fault from now on. */
	if (!ret && on)
		vmarena_aspace_populate(as, as->base, as->size);
	trace_vmarena_superlock(as->id, on, READ_ONCE(as->superlocked), ret);
	mutex_unlock(&as->superlock_lock);
	vmarena_lockrec_free(rec);	/* released, refused or not needed */
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_aspace_superlock);

/**
 * vmarena_aspace_superlock_sweep() - release @as's super-lock if nobody holds it
 * @as: referenced by the caller
 *
 * After the sweep took a dead holder's record off (lockrec.c).
 * Context: no vmarena lock held; takes S.
 */
void vmarena_aspace_superlock_sweep(struct vmarena_aspace *as)
{
	mutex_lock(&as->superlock_lock);
	if (READ_ONCE(as->superlocked) && !vmarena_lockrec_super_any(as))
		vmarena_aspace_superlock_off(as);
	mutex_unlock(&as->superlock_lock);
}
