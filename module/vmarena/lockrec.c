// SPDX-License-Identifier: GPL-2.0
/*
 * Lock records: which process holds which lock, and the sweep that ends
 * the locks of processes that exited or exec'd (lockrec.h).
 */
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "vmarena.h"
#include "lockrec.h"

static DEFINE_MUTEX(vmarena_lockrec_lock);
static LIST_HEAD(vmarena_lockrecs);			/* o */

static void vmarena_lockrec_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(vmarena_lockrec_work, vmarena_lockrec_work_fn);

/*
 * A record for @mm (NULL: the kernel's), not on any list and charging
 * nothing yet.  Returns NULL without memory.
 * Context: no lock needed.  May sleep.
 */
struct vmarena_lockrec *vmarena_lockrec_alloc(struct mm_struct *mm)
{
	struct vmarena_lockrec *rec = kzalloc(sizeof(*rec), GFP_KERNEL_ACCOUNT);

	if (!rec)
		return NULL;
	INIT_LIST_HEAD(&rec->link);
	INIT_LIST_HEAD(&rec->all);
	if (mm)
		mmgrab(mm);
	rec->mm = mm;
	return rec;
}

/**
 * vmarena_lockrec_free() - give @rec's charge back and free it
 * @rec: off every list, or NULL
 *
 * Context: o not held; gives the charge back (mmap_lock).  May sleep.
 */
void vmarena_lockrec_free(struct vmarena_lockrec *rec)
{
	if (!rec)
		return;
	lockdep_assert_not_held(&vmarena_lockrec_lock);
	vmarena_memlock_uncharge(&rec->charge);
	if (rec->as)
		vmarena_aspace_unref(rec->as);
	if (rec->mm)
		mmdrop(rec->mm);
	kfree(rec);
}

/*
 * Charge @pages to @rec's process (memlock.h).  Returns 0 or -ENOMEM.
 * Context: o not held; takes the process's mmap_lock.  May sleep.
 */
int vmarena_lockrec_charge(struct vmarena_lockrec *rec, unsigned long pages)
{
	lockdep_assert_not_held(&vmarena_lockrec_lock);
	return vmarena_memlock_charge(&rec->charge, rec->mm, pages);
}

/* Has @rec's process exited (or exec'd)?  Context: o held. */
static bool vmarena_lockrec_dead(const struct vmarena_lockrec *rec)
{
	lockdep_assert_held(&vmarena_lockrec_lock);
	return rec->mm && !atomic_read(&rec->mm->mm_users);
}

/*
 * @mm's record on @head, or NULL.
 * Context: o held.
 */
static struct vmarena_lockrec *vmarena_lockrec_find(struct list_head *head,
						    struct mm_struct *mm)
{
	struct vmarena_lockrec *rec;

	lockdep_assert_held(&vmarena_lockrec_lock);
	list_for_each_entry(rec, head, link)
		if (rec->mm == mm)
			return rec;
	return NULL;
}

/* Is @mm's record on @head?  Context: takes o. */
static bool vmarena_lockrec_held(struct list_head *head, struct mm_struct *mm)
{
	bool held;

	mutex_lock(&vmarena_lockrec_lock);
	held = vmarena_lockrec_find(head, mm);
	mutex_unlock(&vmarena_lockrec_lock);
	return held;
}

/* Is any record on @head?  Context: takes o. */
static bool vmarena_lockrec_any(struct list_head *head)
{
	bool any;

	mutex_lock(&vmarena_lockrec_lock);
	any = !list_empty(head);
	mutex_unlock(&vmarena_lockrec_lock);
	return any;
}

/* Put @rec on @head and on the sweep's list.  Context: takes o. */
static void vmarena_lockrec_add(struct list_head *head, struct vmarena_lockrec *rec)
{
	mutex_lock(&vmarena_lockrec_lock);
	list_add_tail(&rec->link, head);
	list_add_tail(&rec->all, &vmarena_lockrecs);
	mutex_unlock(&vmarena_lockrec_lock);
	if (rec->mm)
		queue_delayed_work(system_wq, &vmarena_lockrec_work,
				   msecs_to_jiffies(VMARENA_LOCKREC_SWEEP_MS));
}

/* Take @mm's record off @head and the sweep's list, or NULL.  Context: takes o. */
static struct vmarena_lockrec *vmarena_lockrec_take(struct list_head *head,
						    struct mm_struct *mm)
{
	struct vmarena_lockrec *rec;

	mutex_lock(&vmarena_lockrec_lock);
	rec = vmarena_lockrec_find(head, mm);
	if (rec) {
		list_del_init(&rec->link);
		list_del_init(&rec->all);
	}
	mutex_unlock(&vmarena_lockrec_lock);
	return rec;
}

/*
 * Free every record on @head (an area's or aspace's list that is going).
 * Context: o not held; takes o, then gives the charges back.  May sleep.
 */
static void vmarena_lockrec_free_all(struct list_head *head)
{
	struct vmarena_lockrec *rec, *next;
	LIST_HEAD(gone);

	mutex_lock(&vmarena_lockrec_lock);
	list_for_each_entry_safe(rec, next, head, link)
		list_del_init(&rec->all);
	list_splice_init(head, &gone);
	mutex_unlock(&vmarena_lockrec_lock);
	list_for_each_entry_safe(rec, next, &gone, link) {
		list_del(&rec->link);
		vmarena_lockrec_free(rec);
	}
}

/*
 * Does @mm hold a lock on @area?
 * Context: takes o; r held for an answer that lasts.
 */
bool vmarena_lockrec_area_held(struct vmarena_area *area, struct mm_struct *mm)
{
	return vmarena_lockrec_held(&area->locks, mm);
}

/* Does anyone hold a lock on @area?  Context: takes o. */
bool vmarena_lockrec_area_locked(struct vmarena_area *area)
{
	return vmarena_lockrec_any(&area->locks);
}

/**
 * vmarena_lockrec_area_add() - record @rec's lock on @area
 * @area: not deleted (its aspace's a held, or not published yet)
 * @rec: from vmarena_lockrec_alloc(), charged; its process holds no lock
 *	on @area yet
 *
 * Context: r held (or @area not published yet); takes o.
 */
void vmarena_lockrec_area_add(struct vmarena_area *area, struct vmarena_lockrec *rec)
{
	rec->area = area;
	vmarena_lockrec_add(&area->locks, rec);
}

/*
 * Take @mm's record off @area and return it (NULL if none), to free.
 * Context: r held; takes o.
 */
struct vmarena_lockrec *vmarena_lockrec_area_take(struct vmarena_area *area,
						  struct mm_struct *mm)
{
	lockdep_assert_held(&vmarena_resize_mutex);
	return vmarena_lockrec_take(&area->locks, mm);
}

/**
 * vmarena_lockrec_area_gone() - end every lock on @area, which is deleted
 * @area: deleted (or never published)
 *
 * Context: no a held; takes o, then gives the charges back.  May sleep.
 */
void vmarena_lockrec_area_gone(struct vmarena_area *area)
{
	vmarena_lockrec_free_all(&area->locks);
}

/*
 * Does @mm hold @as's super-lock?
 * Context: S held; takes o.
 */
bool vmarena_lockrec_super_held(struct vmarena_aspace *as, struct mm_struct *mm)
{
	lockdep_assert_held(&as->superlock_lock);
	return vmarena_lockrec_held(&as->superlockers, mm);
}

/*
 * Does anyone hold @as's super-lock?
 * Context: S held; takes o.
 */
bool vmarena_lockrec_super_any(struct vmarena_aspace *as)
{
	lockdep_assert_held(&as->superlock_lock);
	return vmarena_lockrec_any(&as->superlockers);
}

/*
 * Record @rec's super-lock of @as (takes a reference to @as).
 * Context: S held; takes o.
 */
void vmarena_lockrec_super_add(struct vmarena_aspace *as, struct vmarena_lockrec *rec)
{
	lockdep_assert_held(&as->superlock_lock);
	vmarena_aspace_ref(as);
	rec->as = as;
	vmarena_lockrec_add(&as->superlockers, rec);
}

/*
 * Take @mm's super-lock record off @as, to free (NULL if none).
 * Context: S held; takes o.
 */
struct vmarena_lockrec *vmarena_lockrec_super_take(struct vmarena_aspace *as,
						   struct mm_struct *mm)
{
	lockdep_assert_held(&as->superlock_lock);
	return vmarena_lockrec_take(&as->superlockers, mm);
}

/**
 * vmarena_lockrec_aspace_gone() - end every super-lock record of @as
 * @as: deleted: its areas are gone
 *
 * Context: no vmarena lock held; takes o, then gives the charges back.
 * May sleep.
 */
void vmarena_lockrec_aspace_gone(struct vmarena_aspace *as)
{
	vmarena_lockrec_free_all(&as->superlockers);
}

/* The first dead super-lock record, taken off its lists; or NULL.  Context: takes o. */
static struct vmarena_lockrec *vmarena_lockrec_take_dead_super(void)
{
	struct vmarena_lockrec *rec, *found = NULL;

	mutex_lock(&vmarena_lockrec_lock);
	list_for_each_entry(rec, &vmarena_lockrecs, all) {
		if (rec->as && vmarena_lockrec_dead(rec)) {
			found = rec;
			list_del_init(&rec->link);
			list_del_init(&rec->all);
			break;
		}
	}
	mutex_unlock(&vmarena_lockrec_lock);
	return found;
}

/*
 * Move the dead area records to @dead, each with a reference to its area.
 * Context: takes o.
 */
static void vmarena_lockrec_take_dead_areas(struct list_head *dead)
{
	struct vmarena_lockrec *rec, *next;

	mutex_lock(&vmarena_lockrec_lock);
	list_for_each_entry_safe(rec, next, &vmarena_lockrecs, all) {
		if (!rec->area || !vmarena_lockrec_dead(rec))
			continue;
		/* Alive: area deletion empties area->locks before the last put. */
		kref_get(&rec->area->ref);
		list_del_init(&rec->link);
		list_move_tail(&rec->all, dead);
	}
	mutex_unlock(&vmarena_lockrec_lock);
}

/*
 * End the locks of areas whose holders are gone.
 * Context: no vmarena lock held; takes o, then r, a, c, o.  Sleeps.
 */
static void vmarena_lockrec_sweep_areas(void)
{
	struct vmarena_lockrec *rec, *next;
	struct vmarena_charge back;
	LIST_HEAD(dead);

	/* A dead process's records change under nobody else's call. */
	vmarena_lockrec_take_dead_areas(&dead);
	if (list_empty(&dead))
		return;
	mutex_lock(&vmarena_resize_mutex);
	list_for_each_entry(rec, &dead, all) {
		/* The area gives back a charge nothing pins any more. */
		back = (struct vmarena_charge){};
		vmarena_area_relock(rec->area, &back);
		vmarena_memlock_uncharge(&back);
	}
	mutex_unlock(&vmarena_resize_mutex);
	list_for_each_entry_safe(rec, next, &dead, all) {
		list_del(&rec->all);
		vmarena_event_area_lock_ended(rec->area);
		vmarena_area_put(rec->area);
		vmarena_lockrec_free(rec);
	}
}

/**
 * vmarena_lockrec_sweep() - end the locks of processes that are gone
 *
 * Super-locks first (each may release its aspace's super-lock), then area
 * locks (each may unlock its area).
 *
 * Context: no vmarena lock held; takes o, S, r, a, c.  Sleeps.
 */
void vmarena_lockrec_sweep(void)
{
	struct vmarena_lockrec *rec;

	might_sleep();
	if (list_empty(&vmarena_lockrecs))	/* racy, but a new record is alive */
		return;
	while ((rec = vmarena_lockrec_take_dead_super())) {
		vmarena_aspace_superlock_sweep(rec->as);
		vmarena_lockrec_free(rec);
	}
	vmarena_lockrec_sweep_areas();
}
EXPORT_SYMBOL_IF_KUNIT(vmarena_lockrec_sweep);

/* The sweep's work item.  Context: the workqueue, no lock held.  Sleeps. */
static void vmarena_lockrec_work_fn(struct work_struct *work)
{
	bool more;

	vmarena_lockrec_sweep();
	mutex_lock(&vmarena_lockrec_lock);
	more = !list_empty(&vmarena_lockrecs);
	mutex_unlock(&vmarena_lockrec_lock);
	if (more)
		queue_delayed_work(system_wq, &vmarena_lockrec_work,
				   msecs_to_jiffies(VMARENA_LOCKREC_SWEEP_MS));
}

/* Context: at unload, no vmarena lock held.  Sleeps. */
void vmarena_lockrec_uninit(void)
{
	cancel_delayed_work_sync(&vmarena_lockrec_work);
	WARN_ON(!list_empty(&vmarena_lockrecs));
}
