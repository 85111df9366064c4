// SPDX-License-Identifier: GPL-2.0
/*
 * Area lock levels: a process's QNX lock taken or released, the level
 * recomputed from the lock records (lockrec.h), and what a lock makes
 * resident.  Lock keys: locking.h.
 */
#include <kunit/visibility.h>

#include "vmarena.h"

/*
 * QNX: a locked area that is not VMARENA_AREA_LAZY is made resident and
 * readable when it is locked; its first write to a page still faults where
 * it must be seen (a copy-up, a file page).  Every window maps what the
 * fill made.  An area deleted or shrunk meanwhile ends it early.  Returns
 * 0, -ENOMEM or -EINTR.
 * Context: no vmarena lock held; sleeps.
 */
int vmarena_area_lock_fill(struct vmarena_area *area)
{
	struct vmarena_aspace *as = area->aspace;
	unsigned long base, size;
	unsigned int access;
	int ret;

	might_sleep();
	down_read(&as->lock);
	if (area->deleted || !area->protection || area->reservation ||
	    area->flags & VMARENA_AREA_LAZY) {
		up_read(&as->lock);
		return 0;
	}
	access = vmarena_area_fill_access(area->protection, false);
	base = area->base;
	size = area->size;
	up_read(&as->lock);
	ret = vmarena_area_fault_range(as, base, base + size, access);
	if (ret == -EFAULT)
		return 0;
	if (!ret)
		vmarena_aspace_populate(as, base, size);
	return ret;
}

/*
 * Set @area's lock level from its lock records, and move the charge it
 * carries for a pin (a resize's growth, memlock.h) to @back, to be given back,
 * when nothing pins it any more.  @back: empty.
 * Context: r held, a held for writing; takes o and l.
 */
static void vmarena_area_relock_locked(struct vmarena_area *area, struct vmarena_charge *back)
{
	unsigned int level = vmarena_lockrec_area_locked(area) ? VMARENA_LOCK_LOCKED :
				 VMARENA_LOCK_UNLOCKED;

	lockdep_assert_held(&vmarena_resize_mutex);
	lockdep_assert_held_write(&area->aspace->lock);
	if (level != area->lock_level) {
		/* The page daemon reads lock levels under l alone. */
		mutex_lock(&vmarena_cache_link_lock);
		WRITE_ONCE(area->lock_level, level);
		mutex_unlock(&vmarena_cache_link_lock);
		area->aspace->change_count++;
		vmarena_generation_bump();
	}
	if (!vmarena_area_pinned(area) && !back->mm)
		swap(*back, area->charge);
}

/**
 * vmarena_area_relock() - set @area's lock level after records went
 * @area: referenced by the caller
 * @back: empty; filled with a charge to give back (vmarena_memlock_uncharge())
 *
 * For the sweep of dead lock records (lockrec.c).
 * Context: r held; takes a, o and l.
 */
void vmarena_area_relock(struct vmarena_area *area, struct vmarena_charge *back)
{
	struct vmarena_aspace *as = area->aspace;

	lockdep_assert_held(&vmarena_resize_mutex);
	down_write(&as->lock);
	if (!area->deleted)
		vmarena_area_relock_locked(area, back);
	up_write(&as->lock);
}

/**
 * vmarena_area_change_lock() - take or release @mm's lock on @area
 * @area: referenced by the caller
 * @level: VMARENA_LOCK_LOCKED or VMARENA_LOCK_UNLOCKED
 * @mm: the process taking or releasing its lock (NULL: the kernel's)
 * @changed: set to whether a lock was taken or released (may be NULL)
 *
 * QNX locks (seed 001, lockrec.h): a lock belongs to the process that took
 * it, and the area is locked while any process holds one.  Locks stack
 * across processes, not within one: a process that locks twice holds one
 * lock, and one unlock releases it; an unlock by a process that holds no
 * lock changes nothing and succeeds.  A locked area's pages are never
 * paged out.  Taking a lock makes an area that is not VMARENA_AREA_LAZY
 * resident and readable (vmarena_area_lock_fill(); if that fails the lock
 * is given back); a VMARENA_AREA_LAZY one still allocates each page on
 * its first touch (QNX MAP_LAZY).  Faults on locked pages still record
 * use and modification.  Each
 * lock counts the area's size against its process's RLIMIT_MEMLOCK until
 * it is released, the process exits or execs, or the area is deleted.
 * Super-locking is per aspace and not an area level here.  Returns 0,
 * -EINVAL, -ENOENT (deleted), -ENOMEM (memory or limit) or -EINTR (killed
 * while waiting).
 *
 * Context: no vmarena lock held; sleeps.
 */
int vmarena_area_change_lock(struct vmarena_area *area, unsigned int level,
			     struct mm_struct *mm, bool *changed)
{
	struct vmarena_aspace *as = area->aspace;
	struct vmarena_charge back = {};
	struct vmarena_lockrec *rec = NULL;
	bool took = false;
	int ret = 0;

	might_sleep();
	if (changed)
		*changed = false;
	if (level != VMARENA_LOCK_LOCKED && level != VMARENA_LOCK_UNLOCKED)
		return -EINVAL;
	vmarena_lockrec_sweep();
	if (level == VMARENA_LOCK_LOCKED) {
		rec = vmarena_lockrec_alloc(mm);
		if (!rec)
			return -ENOMEM;
	}
	/* r keeps the area's records, size and lock level still. */
	if (mutex_lock_killable(&vmarena_resize_mutex)) {
		vmarena_lockrec_free(rec);
		return -EINTR;
	}
	if (rec && vmarena_lockrec_area_held(area, mm)) {
		vmarena_lockrec_free(rec);	/* held already: no change */
		rec = NULL;
	} else if (rec) {
		/* Charge first: account_locked_vm() takes mmap_lock, never under a. */
		ret = vmarena_lockrec_charge(rec, area->size >> PAGE_SHIFT);
		if (ret)
			goto out;
	}
	down_write(&as->lock);
	if (area->deleted) {
		ret = -ENOENT;
	} else if (rec) {
		vmarena_lockrec_area_add(area, rec);
		rec = NULL;
		took = true;
	} else if (level == VMARENA_LOCK_UNLOCKED) {
		rec = vmarena_lockrec_area_take(area, mm);
		took = rec;
	}
	if (took)
		vmarena_area_relock_locked(area, &back);
	up_write(&as->lock);
out:
	mutex_unlock(&vmarena_resize_mutex);
	vmarena_lockrec_free(rec);	/* released, or not needed */
	vmarena_memlock_uncharge(&back);
	if (took && level == VMARENA_LOCK_LOCKED) {
		ret = vmarena_area_lock_fill(area);
		if (ret) {
			/* Not made resident: the lock goes again, as if never taken. */
			vmarena_area_change_lock(area, VMARENA_LOCK_UNLOCKED, mm, NULL);
			took = false;
		}
	}
	if (changed)
		*changed = took;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_change_lock);

/**
 * vmarena_area_set_lock() - take or release @mm's lock on @area
 * @area: referenced by the caller
 * @level: VMARENA_LOCK_LOCKED or VMARENA_LOCK_UNLOCKED
 * @mm: the process taking or releasing its lock (NULL: the kernel's)
 *
 * vmarena_area_change_lock() without @changed.
 * Context: no vmarena lock held; sleeps.
 */
int vmarena_area_set_lock(struct vmarena_area *area, unsigned int level, struct mm_struct *mm)
{
	return vmarena_area_change_lock(area, level, mm, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_area_set_lock);
